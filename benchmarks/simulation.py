# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure engine on a virtual clock: a fake clock and a fake source driven by task timelines.

No HTTP and no real sleeping, so thousands of hour-long waits take seconds.
The source answers as DescribeTasks / DescribeTaskAttribute would (and as the
emulator does): Processing with a whole-percent progress growing linearly and
truncated, at most 99%, until the task's end time, then Finished at 100%.
A ``profile`` (PROFILES) makes the progress non-linear, or leaves TaskProcess out.
"""

from __future__ import annotations

import random

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import Batch
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.engine import Waiter
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.task_source import TaskSource


class FakeClock(object):
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += max(0.0, seconds)


def linear(fraction):
    return fraction


def front_loaded(fraction):
    """99% at half the duration, then stuck there: the prediction passes and is distrusted."""
    return min(1.0, 2 * fraction)


def back_loaded(fraction):
    """Half the progress in the first 90% of the time, the other half in the last 10%: predicted far too late."""
    return fraction * 0.5 / 0.9 if fraction < 0.9 else 0.5 + (fraction - 0.9) * 5


def jump(fraction):
    """0% until the end, then 100%: never a rate."""
    return 0.0


# name -> fraction of the duration -> fraction of the progress; None: no TaskProcess at all.
PROFILES = {"linear": linear, "front-loaded": front_loaded, "back-loaded": back_loaded, "jump": jump, "none": None}


class TimelineSource(object):
    """A task service whose tasks run from 0 to their end time; counts requests like the real service would see them."""

    region = "cn-hangzhou"

    def __init__(self, clock, ends, profile="linear"):
        self.clock = clock
        self.ends = ends
        self.profile = profile
        self.requests = 0

    def _raw(self, task_id, detailed):
        end = self.ends[task_id]
        now = self.clock.now
        raw = {"TaskId": task_id, "TaskAction": "ExportImage", "TaskStatus": "Finished" if now >= end else "Processing"}
        shape = PROFILES[self.profile]
        if detailed and shape is not None:
            raw["TaskProcess"] = "100%" if now >= end else "%d%%" % min(99, int(100 * shape(now / end)))
        return raw

    def summaries(self, ids, deadline=None):
        self.requests += (len(ids) + 99) // 100
        return Batch(dict((task_id, self._raw(task_id, False)) for task_id in ids), [], {})

    def attributes(self, ids, deadline=None):
        self.requests += len(ids)
        return Batch(dict((task_id, self._raw(task_id, True)) for task_id in ids), [], {})


def wait_one(duration, options, rng, profile="linear"):
    """One wait on one task of ``duration`` seconds: (lag after its end, requests, outcome)."""
    clock = FakeClock()
    source = TimelineSource(clock, {"t-1": duration}, profile)
    config = options if isinstance(options, WaitConfig) else WaitConfig.from_options(dict(options, timeout="6h"))
    outcome = Waiter(config, TaskSource(source, config), clock=clock, sleep=clock.sleep, rng=rng).wait(["t-1"])
    return clock.now - duration, source.requests, outcome


def wait_many(durations, options, rng):
    """One wait on all these tasks: (per-task detection lags, requests, outcome, return time)."""
    clock = FakeClock()
    ids = ["t-%d" % index for index in range(len(durations))]
    source = TimelineSource(clock, dict(zip(ids, durations)))
    config = WaitConfig.from_options(dict(options, timeout="6h"))
    outcome = Waiter(config, TaskSource(source, config), clock=clock, sleep=clock.sleep, rng=rng).wait(ids)
    lags = [record["elapsed"] - duration for record, duration in zip(outcome.records, durations)]
    return lags, source.requests, outcome, clock.now


def random_durations(count, low, high, seed):
    """Log-uniform durations from ``low`` to ``high`` seconds."""
    rng = random.Random(seed)
    return [low * (float(high) / low) ** rng.random() for _index in range(count)]
