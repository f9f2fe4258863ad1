# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure engine on a virtual clock: a fake clock and a fake source driven by task timelines.

No HTTP and no real sleeping, so thousands of hour-long waits take seconds.
The source answers as DescribeTasks / DescribeTaskAttribute would: Processing
(with a progress) until the task's end time, Finished from then on.
"""

from __future__ import annotations

import random

from ansible_collections.alicloud.ecs.plugins.module_utils.tasks import Batch
from ansible_collections.alicloud.ecs.plugins.module_utils.waiter import WaitConfig, Waiter


class FakeClock(object):
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += max(0.0, seconds)


class TimelineSource(object):
    """Tasks that run from 0 to their end time; counts requests like the real service would see them."""

    def __init__(self, clock, ends):
        self.clock = clock
        self.ends = ends
        self.requests = 0

    def _raw(self, task_id, detailed):
        end = self.ends[task_id]
        now = self.clock.now
        raw = {"TaskId": task_id, "TaskAction": "ExportImage", "TaskStatus": "Finished" if now >= end else "Processing"}
        if detailed:
            raw["TaskProcess"] = "%d%%" % min(100, int(100 * now / end)) if end else "100%"
        return raw

    def summaries(self, ids, deadline=None):
        self.requests += (len(ids) + 99) // 100
        return Batch(dict((task_id, self._raw(task_id, False)) for task_id in ids), [], {})

    def attributes(self, ids, deadline=None):
        self.requests += len(ids)
        return Batch(dict((task_id, self._raw(task_id, True)) for task_id in ids), [], {})


def wait_one(duration, options, rng):
    """One wait on one task of ``duration`` seconds: (lag after its end, requests, outcome)."""
    clock = FakeClock()
    source = TimelineSource(clock, {"t-1": duration})
    config = options if isinstance(options, WaitConfig) else WaitConfig.from_options(dict(options, timeout="6h"))
    outcome = Waiter(config, source, clock=clock, sleep=clock.sleep, rng=rng).wait(["t-1"])
    return clock.now - duration, source.requests, outcome


def wait_many(durations, options, rng):
    """One wait on all these tasks: (per-task detection lags, requests, outcome, return time)."""
    clock = FakeClock()
    ids = ["t-%d" % index for index in range(len(durations))]
    source = TimelineSource(clock, dict(zip(ids, durations)))
    config = WaitConfig.from_options(dict(options, timeout="6h"))
    outcome = Waiter(config, source, clock=clock, sleep=clock.sleep, rng=rng).wait(ids)
    lags = [record["elapsed"] - duration for record, duration in zip(outcome.records, durations)]
    return lags, source.requests, outcome, clock.now


def random_durations(count, low, high, seed):
    """Log-uniform durations from ``low`` to ``high`` seconds."""
    rng = random.Random(seed)
    return [low * (float(high) / low) ** rng.random() for _ in range(count)]
