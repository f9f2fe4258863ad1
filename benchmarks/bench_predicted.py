# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""7. on_predicted_timeout: fail on every progress curve of the emulator, on the virtual clock.

For each curve (linear, slow_start, plateau, jumpy: tests/emulator/curves.py) N random
single-task waits with ``on_predicted_timeout: fail`` and default timing: a task of a
log-uniform duration (1 min to 4 h), already some way into its run when the wait starts
(0 to 80%), and a timeout either past its end (it would end in time: 1.02 to 3 times what is
left) or before it (a true timeout: 0.2 to 0.95 times what is left). Printed per curve:

- false fails: waits that stopped as predicted_timeout although the task would have ended in
  time (the promise: none, on any curve);
- true timeouts caught early: the share of true timeouts stopped before the deadline, and how
  much of the timeout that saved (median, of those caught).

``engine`` is the collection's verdict (schedule.ProgressTrack.earliest_end: steady progress
only, its acceleration projected); ``0.2 rule`` is the verdict of 0.2 (the earliest end linear
progress allows from the first and the highest read, whatever the curve), kept here to measure against.
"""

from __future__ import annotations

import random

from benchmarks.common import median, note, section, table, target
from benchmarks.simulation import FakeClock
from tests.emulator import curves

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import Batch
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter import schedule
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.engine import Waiter
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.task_source import TaskSource


class CurveSource(object):
    """One task on a curve: started ``ran`` seconds before the wait, ``duration`` long; progress as the emulator's."""

    region = "cn-hangzhou"

    def __init__(self, clock, duration, ran, curve, seed):
        self.clock, self.duration, self.ran, self.curve, self.seed = clock, duration, ran, curve, seed

    def _raw(self):
        at = self.clock.now + self.ran
        done = at >= self.duration
        raw = {"TaskId": "t-1", "TaskAction": "ExportImage", "TaskStatus": "Finished" if done else "Processing"}
        raw["TaskProcess"] = "100%" if done else "%d%%" % curves.percent(self.curve, at / self.duration, self.seed)
        return raw

    def summaries(self, ids, deadline=None):
        return Batch({"t-1": self._raw()}, [], {})

    def attributes(self, ids, deadline=None):
        return Batch({"t-1": self._raw()}, [], {})


def scenarios(count, seed):
    """(duration, ran, timeout, in_time) for ``count`` waits: half end in time, half are true timeouts."""
    rng = random.Random(seed)
    cases = []
    for index in range(count):
        duration = 60 * (240 ** rng.random())
        ran = duration * rng.uniform(0, 0.8)
        left = duration - ran
        in_time = index % 2 == 0
        timeout = left * (rng.uniform(1.02, 3.0) if in_time else rng.uniform(0.2, 0.95))
        cases.append((duration, ran, max(1.0, timeout), in_time))
    return cases


def wait(case, curve, seed):
    """The outcome status and the clock at its end, for one case."""
    duration, ran, timeout, _in_time = case
    clock = FakeClock()
    source = CurveSource(clock, duration, ran, curve, seed)
    config = WaitConfig.from_options({"timeout": timeout, "on_predicted_timeout": "fail"})
    outcome = Waiter(config, TaskSource(source, config), clock=clock, sleep=clock.sleep,
                     rng=random.Random(seed)).wait(["t-1"])
    return outcome.status, clock.now


def measure(curve, cases):
    false_fails, caught, saved = 0, 0, []
    for number, case in enumerate(cases):
        status, ended = wait(case, curve, "t-%d" % number)
        _duration, _ran, timeout, in_time = case
        if status == "predicted_timeout":
            if in_time:
                false_fails += 1
            else:
                caught += 1
                saved.append(1 - ended / timeout)
    in_time = sum(1 for case in cases if case[3])
    late = len(cases) - in_time
    return {"false_fails": false_fails, "in_time": in_time, "false_fail_rate": false_fails / float(in_time or 1),
            "caught": caught, "late": late, "caught_rate": caught / float(late or 1),
            "saved_median": median(saved) if saved else 0.0}


def run(quick=False):
    count = 40 if quick else 1000
    section("7. on_predicted_timeout: fail on every progress curve (%d waits a curve, virtual clock)" % count)
    cases = scenarios(count, seed=18)
    figures, rows = {}, []
    for rule in ("engine", "0.2 rule"):
        figures[rule] = {}
        for curve in curves.CURVES:
            with _rule(rule):
                result = measure(curve, cases)
            figures[rule][curve] = result
            rows.append((rule, curve, "%d/%d" % (result["false_fails"], result["in_time"]),
                         "%.1f%%" % (100 * result["false_fail_rate"]), "%d/%d" % (result["caught"], result["late"]),
                         "%.0f%%" % (100 * result["saved_median"])))
    table(("rule", "curve", "false fails", "rate", "true timeouts caught", "timeout saved (median)"), rows)
    note("false fail: stopped as predicted_timeout although the task would have ended in time; "
         "timeout saved: the share of the timeout not spent waiting, for the true timeouts caught")
    engine_false = sum(figures["engine"][curve]["false_fails"] for curve in curves.CURVES)
    target("no false fail on any curve", engine_false == 0)
    figures["false_fails"] = engine_false
    return figures


class _Track02(schedule.ProgressTrack):
    """The 0.2 verdict: the earliest end linear progress allows from the first and the highest read."""

    def earliest_end(self):
        moved = self._moved()
        if moved is None:
            return None
        last, elapsed, gained = moved
        return last[0] + max(0, 99 - last[1]) * elapsed / (gained + 1)


class _rule(object):
    """The engine as it is, or with the 0.2 verdict, for comparison."""

    def __init__(self, rule):
        self.rule = rule
        self.saved = None

    def __enter__(self):
        if self.rule == "0.2 rule":
            self.saved = schedule.ProgressTrack
            schedule.ProgressTrack = _Track02
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            schedule.ProgressTrack = self.saved
