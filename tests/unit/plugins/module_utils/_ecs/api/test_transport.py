# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP side alone: timeouts cut to the deadline (exchanges on the wire are in test_client.py)."""
from __future__ import annotations

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api import transport
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
from tests.unit import fakes


def test_timeouts_follow_the_deadline():
    clock = fakes.FakeClock(100.0)
    wire = transport.Transport("http://127.0.0.1:1", {}, connect_timeout=5, read_timeout=20)
    try:
        assert wire.timeouts() == (5.0, 20.0)
        # The deadline carries its own clock: the transport has none.
        assert wire.timeouts(deadline=Deadline(200.0, clock)) == (5.0, 20.0)
        assert wire.timeouts(deadline=Deadline(103.0, clock)) == (3.0, 3.0)
        assert wire.timeouts(deadline=Deadline(90.0, clock)) == (transport.MIN_TIMEOUT, transport.MIN_TIMEOUT)
    finally:
        wire.close()
