# -*- coding: utf-8 -*-
"""The poll schedule: fixed, adaptive, jitter, and the deadline."""
from __future__ import annotations

import random

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils.waiter_config import WaitConfig
from ansible_collections.alicloud.ecs.plugins.module_utils.waiter_timing import Schedule


class EdgeRng(object):
    """uniform() returns the low or the high end."""

    def __init__(self, high):
        self.high = high

    def uniform(self, low, high):
        return high if self.high else low


def test_fixed_poll_interval_has_no_jitter():
    schedule = Schedule(WaitConfig.from_options({"poll_interval": 7}), EdgeRng(False))
    assert [schedule.interval(elapsed) for elapsed in (0, 10, 1000)] == [7, 7, 7]


def test_adaptive_grows_with_elapsed_then_caps():
    schedule = Schedule(WaitConfig.from_options({}), EdgeRng(True))
    assert schedule.interval(0) == 1          # raised to min_interval
    assert schedule.interval(50) == pytest.approx(5)
    assert schedule.interval(10000) == 30     # capped at max_interval


def test_jitter_stays_in_bounds():
    schedule = Schedule(WaitConfig.from_options({}), EdgeRng(False))
    assert schedule.interval(50) == pytest.approx(4.5)
    assert schedule.interval(10000) == pytest.approx(27)
    assert schedule.interval(0) == 1          # jitter never goes below min_interval


def test_adaptive_bounds_hold_for_any_draw():
    config = WaitConfig.from_options({"min_interval": 2, "max_interval": "45s", "backoff_factor": 0.25})
    schedule = Schedule(config, random.Random(7))
    intervals = [schedule.interval(elapsed) for elapsed in range(0, 3600, 3)]
    assert min(intervals) >= 2 and max(intervals) <= 45
    assert intervals[0] == 2 and intervals[-1] > 40


def test_next_sleep_never_passes_the_deadline():
    schedule = Schedule(WaitConfig.from_options({"poll_interval": 10}))
    assert schedule.next_sleep(now=100, start=100, deadline=200) == (10, False)
    assert schedule.next_sleep(now=195, start=100, deadline=200) == (5, True)
    assert schedule.next_sleep(now=190, start=100, deadline=200) == (10, True)
    assert schedule.next_sleep(now=200, start=100, deadline=200) == (None, True)
    assert schedule.next_sleep(now=230, start=100, deadline=200) == (None, True)


def test_default_rng_is_created():
    schedule = Schedule(WaitConfig.from_options({}))
    assert 27 <= schedule.interval(1000) <= 30
