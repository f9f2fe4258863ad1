# -*- coding: utf-8 -*-
"""The run's one deadline: time left on its own clock, caps, no end."""
from __future__ import annotations

import math

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import NO_DEADLINE, Deadline
from tests.unit.fakes import FakeClock


def test_time_left_and_passed_on_its_own_clock():
    clock = FakeClock(now=100.0)
    deadline = Deadline.after(10, clock)
    assert deadline.at == 110.0 and deadline.left() == 10 and not deadline.passed()
    clock.sleep(10.5)
    assert deadline.left() == -0.5 and deadline.passed() and not deadline.passed(grace=1.0)


def test_cap_cuts_to_the_time_left_but_not_below_the_floor():
    clock = FakeClock(now=0.0)
    deadline = Deadline(3.0, clock)
    assert deadline.cap(20.0) == 3.0 and deadline.cap(1.0) == 1.0
    clock.sleep(5)
    assert deadline.cap(20.0) == 0.0 and deadline.cap(20.0, floor=0.5) == 0.5


def test_no_deadline_never_passes():
    assert NO_DEADLINE.left() == math.inf and not NO_DEADLINE.passed() and NO_DEADLINE.cap(7.0) == 7.0
    assert Deadline.after(None).at is None
