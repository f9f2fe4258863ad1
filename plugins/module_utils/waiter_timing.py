# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""When the waiter polls next. Pure arithmetic; the random source is injected.

Adaptive schedule: ``interval = clamp(backoff_factor * elapsed, min_interval,
max_interval)``, then jittered by a factor drawn uniformly from [0.9, 1.0] and
clamped again. A task noticed at age T was therefore last polled at about
T * (1 - backoff_factor) at the earliest: the detection lag stays within
``backoff_factor`` of the wait's length and never above ``max_interval``,
while the number of polls grows only with the logarithm of the wait's length
(until max_interval is reached). Jitter spreads many waiters started together.

``poll_interval`` replaces it with a fixed interval, no jitter.
"""

from __future__ import annotations

import random

JITTER_LOW = 0.9
JITTER_HIGH = 1.0


def clamp(value, low, high):
    return max(low, min(high, value))


class Schedule(object):
    """Next interval for a WaitConfig (``delay``, ``poll_interval`` or the adaptive bounds)."""

    def __init__(self, config, rng=None):
        self.config = config
        self.rng = rng if rng is not None else random.Random()

    def interval(self, elapsed):
        """Seconds to wait after a poll made ``elapsed`` seconds into the wait."""
        config = self.config
        if config.poll_interval is not None:
            return config.poll_interval
        low, high = config.min_interval, config.max_interval
        base = clamp(config.backoff_factor * max(0.0, elapsed), low, high)
        return clamp(base * self.rng.uniform(JITTER_LOW, JITTER_HIGH), low, high)

    def next_sleep(self, now, start, deadline):
        """(seconds to sleep, is_last_poll). Never past the deadline: the last poll happens at it.

        Returns (None, True) when the deadline has already passed.
        """
        remaining = deadline - now
        if remaining <= 0:
            return None, True
        wait = self.interval(now - start)
        if wait >= remaining:
            return remaining, True
        return wait, False
