# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""When the waiter polls next: ``clamp(backoff_factor * elapsed, min_interval, max_interval)``,
jittered into [0.9, 1.0] of that, or half the way to a task's end predicted from its progress
(``EtaTracker``), or ``poll_interval`` fixed. Pure arithmetic; the random source is injected.
See docs/waiting.md (Timing) and docs/architecture.md (The waiter).
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Hashable, Iterable, Sequence

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig

JITTER_LOW = 0.9
JITTER_HIGH = 1.0
ETA_FRACTION = 0.5
# Whole-percent progress: with fewer points between the two observations the rate is mostly rounding.
MIN_PROGRESS_STEP = 2
# A verdict (earliest_end) needs this many rises, over this many points, of steady progress.
VERDICT_MIN_RISES = 3
VERDICT_MIN_GAIN = 5
# Steps: a rise of 2 points or more, in one read gap g, after the value sat still for F while read,
# with (rise - 1) * F >= STEP_FACTOR * g: the rate jumped by that factor at once; no smooth curve does
# (steady progress that stood still for F rose less than a point in F, so F < g for a rise over a point).
STEP_FACTOR = 4
# Still since the last rise for longer than this many points at the current rate: stalled, no verdict now.
STALL_POINTS = 2


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def pause(seconds: float, sleep: Callable[[float], object], step: float | None = None,
          wake: Callable[[float], object] | None = None) -> None:
    """Sleep ``seconds``; with a ``step`` and ``wake``, wake every ``step`` seconds to call ``wake(seconds_left)``.

    So progress lines keep their cadence however far apart the polls are, without polling more.
    """
    if not step or wake is None:
        sleep(seconds)
        return
    left = seconds
    while left > step:
        sleep(step)
        left -= step
        wake(left)
    sleep(left)


class ProgressTrack(object):
    """One task's progress (0-100) as observed: the first value above 0, and the highest, each when first seen.

    TaskProcess is a whole percent, truncated: a value p means p <= true progress < p + 1.
    ``predicted_end`` takes the values at face value; ``latest_end`` is the latest end
    linear progress allows given that rounding. Once an observation comes after
    ``latest_end`` without the task at 100%, progress is not linear and the track is
    distrusted for good: a task stuck at 99% must not be polled at min_interval forever.

    ``earliest_end`` is for verdicts (on_predicted_timeout), so it errs early: see there.
    """

    def __init__(self):
        # first and last are set together, by the first read of progress above 0.
        self.first: tuple[float, int] | None = None  # (time, progress)
        self.last: tuple[float, int] | None = None   # (time, progress): the highest progress, when first seen
        self.distrusted = False
        # (time first seen, progress, time of the read before it), one per higher value
        self.rises: list[tuple[float, int, float]] = []
        self.last_read: float | None = None
        self.steps = False      # progress came in steps: no verdict, for good

    def observe(self, now: float, progress: int | None) -> None:
        if progress is None:
            return
        self._record_rise(now, progress)
        if self.distrusted:
            return
        latest = self.latest_end()
        if latest is not None and now > latest and progress < 100:
            self.distrusted = True
            return
        if self.first is None or self.last is None:
            if 0 < progress < 100:
                self.first = self.last = (now, progress)
        elif progress > self.last[1]:
            self.last = (now, progress)

    def _record_rise(self, now, progress):
        before = self.last_read if self.last_read is not None else now
        self.last_read = now
        if not 0 < progress < 100 or (self.rises and progress <= self.rises[-1][1]):
            return
        if self.rises:
            seen, value, _read = self.rises[-1]
            still, gap, rise = before - seen, now - before, progress - value
            if rise >= 2 and (rise - 1) * still >= STEP_FACTOR * gap:
                self.steps = True
        self.rises.append((now, progress, before))

    def _moved(self):
        """(last, elapsed, gained) when progress moved enough to predict from, else None."""
        first, last = self.first, self.last
        if self.distrusted or first is None or last is None or last[1] >= 100:
            return None
        elapsed, gained = last[0] - first[0], last[1] - first[1]
        if gained < MIN_PROGRESS_STEP or elapsed <= 0:
            return None
        return last, elapsed, gained

    def predicted_end(self) -> float | None:
        """Time at which the task should reach 100%, or None without a usable estimate."""
        moved = self._moved()
        if moved is None:
            return None
        last, elapsed, gained = moved
        return last[0] + (100 - last[1]) * elapsed / gained

    def earliest_end(self) -> float | None:
        """The earliest end that steady progress consistent with the reads allows, or None: no verdict.

        Progress may speed up (an export's data disks after its system disk), so the rate of the
        later half of the reads is compared with the earlier half's, each the fastest and slowest
        the whole percents allow: a rise between them is taken as an acceleration that goes on (a
        quadratic curve is then projected exactly, a linear one a little early), a slowdown as
        progress that may speed up again later (no verdict). Nor is there one for progress that
        came in steps, or that has stood still since its last rise for more than STALL_POINTS at
        its rate, or for fewer than VERDICT_MIN_RISES rises over VERDICT_MIN_GAIN points.
        """
        rises, last_read = self.rises, self.last_read
        if self.distrusted or self.steps or len(rises) < VERDICT_MIN_RISES or rises[-1][1] - rises[0][1] < VERDICT_MIN_GAIN \
                or last_read is None:  # (never: a rise is a read)
            return None
        (t0, p0, _read), (tn, pn, _read) = rises[0], rises[-1]
        middle = (t0 + tn) / 2.0
        tm, pm, _read = min(rises[1:-1], key=lambda rise: abs(rise[0] - middle))
        if not t0 < tm < tn:
            return None
        early_slowest = max(0.0, (pm - p0 - 1) / (tm - t0))
        late_fastest = (pn - pm + 1) / (tn - tm)
        if late_fastest < early_slowest:
            return None
        # The halves' mean rates are the rates at their middles, (tn - t0) / 2 apart.
        acceleration = (late_fastest - early_slowest) / ((tn - t0) / 2.0)
        rate = late_fastest + acceleration * (tn - tm) / 2.0
        if (last_read - tn) * rate > STALL_POINTS:
            return None
        left = max(0, 99 - pn)  # at tn the task may already be just under pn + 1
        if not acceleration or not left:
            return tn + left / rate
        return tn + (math.sqrt(rate * rate + 2 * acceleration * left) - rate) / acceleration

    def latest_end(self) -> float | None:
        """The latest end consistent with linear progress and truncated percents, or None."""
        moved = self._moved()
        if moved is None:
            return None
        last, elapsed, gained = moved
        return last[0] + (100 - last[1]) * elapsed / (gained - 1)


class EtaTracker(object):
    """ProgressTracks by item (its Key, or a task id)."""

    def __init__(self):
        self.tracks: dict[Hashable, ProgressTrack] = {}

    def observe(self, key: Hashable, now: float, progress: int | None) -> None:
        self.tracks.setdefault(key, ProgressTrack()).observe(now, progress)

    def track(self, key: Hashable) -> ProgressTrack | None:
        """The item's ProgressTrack, or None when its progress was never observed."""
        return self.tracks.get(key)

    def remaining(self, keys: Iterable[Hashable], now: float) -> list[float | None]:
        """Seconds from ``now`` to each task's predicted end (None: no estimate), in the order of ``keys``."""
        result: list[float | None] = []
        for key in keys:
            track = self.tracks.get(key)
            end = track.predicted_end() if track is not None else None
            result.append(None if end is None else max(0.0, end - now))
        return result


class Schedule(object):
    """Next interval for a WaitConfig (``delay``, ``poll_interval`` or the adaptive bounds)."""

    def __init__(self, config: WaitConfig, rng: random.Random | None = None, eta_fraction: float = ETA_FRACTION) -> None:
        self.config = config
        self.rng = rng if rng is not None else random.Random()
        self.eta_fraction = eta_fraction

    def interval(self, elapsed: float, remaining: Sequence[float | None] | None = None) -> float:
        """Seconds to wait after a poll made ``elapsed`` seconds into the wait.

        ``remaining``: seconds to each undecided task's predicted end (None for a task
        without an estimate), only when the progress of every undecided task is known;
        None or empty: the elapsed-based rule alone.
        """
        config = self.config
        if config.poll_interval is not None:
            return config.poll_interval
        low, high = config.min_interval, config.max_interval
        base = by_elapsed = clamp(config.backoff_factor * max(0.0, elapsed), low, high)
        if remaining:
            base = min(by_elapsed if left is None else clamp(self.eta_fraction * left, low, high) for left in remaining)
        return clamp(base * self.rng.uniform(JITTER_LOW, JITTER_HIGH), low, high)

    def next_sleep(self, now: float, start: float, deadline: float,
                   remaining: Sequence[float | None] | None = None) -> tuple[float | None, bool]:
        """(seconds to sleep, is_last_poll). Never past the deadline: the last poll happens at it.

        Returns (None, True) when the deadline has already passed.
        """
        left = deadline - now
        if left <= 0:
            return None, True
        wait = self.interval(now - start, remaining)
        if wait >= left:
            return left, True
        return wait, False
