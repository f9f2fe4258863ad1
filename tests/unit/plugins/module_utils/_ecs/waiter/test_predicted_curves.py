# -*- coding: utf-8 -*-
"""ETAs and on_predicted_timeout on every progress curve of the emulator (tests/emulator/curves.py).

0.2 tested them on linear progress only; with slow_start (quadratic), plateau (80% fast, then
stuck) and jumpy (steps) the 0.2 verdict stopped waits that would have ended in time.
benchmarks/bench_predicted.py measures the rates over 1000 random waits a curve.
"""
from __future__ import annotations

import itertools

import pytest

from tests.emulator import curves
from tests.unit.plugins.module_utils._ecs.waiter.test_engine import FakeTask, START, run
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.schedule import ProgressTrack


class CurveTask(FakeTask):
    """Processing along an emulator curve for ``duration`` seconds from ``ran`` seconds before the wait, then Finished."""

    def __init__(self, task_id, curve, duration, ran=0.0):
        super(CurveTask, self).__init__(task_id, [])
        self.curve, self.duration, self.ran = curve, duration, ran

    def at(self, now):
        at = now - START + self.ran
        if at >= self.duration:
            return "Finished", 100
        return "Processing", curves.percent(self.curve, at / self.duration, self.task_id)


class Unreported(CurveTask):
    """The same task without TaskProcess: the elapsed rule alone."""

    def attribute(self, now):
        raw = super(Unreported, self).attribute(now)
        del raw["TaskProcess"]
        return raw


def wait(curve, duration, ran, timeout, task_id="t-1"):
    outcome, _source, clock = run([CurveTask(task_id, curve, duration, ran)],
                                  {"timeout": timeout, "on_predicted_timeout": "fail"})
    return outcome, clock.now - START


IN_TIME = list(itertools.product(curves.CURVES, (600, 5400), (0.0, 0.3, 0.6), (1.02, 1.3, 2.5)))


@pytest.mark.parametrize("curve, duration, ran_fraction, factor", IN_TIME)
def test_a_wait_that_would_end_in_time_is_never_stopped(curve, duration, ran_fraction, factor):
    ran = duration * ran_fraction
    for task_id in ("t-1", "t-2", "t-3") if curve == "jumpy" else ("t-1",):
        outcome, elapsed = wait(curve, duration, ran, (duration - ran) * factor, task_id)
        assert outcome.status == "succeeded", (task_id, outcome.message)
        assert outcome.warnings == []


@pytest.mark.parametrize("curve", ["linear", "slow_start"])
@pytest.mark.parametrize("ran_fraction", [0.0, 0.4])
def test_a_wait_that_cannot_end_in_time_stops_early_on_smooth_curves(curve, ran_fraction):
    duration = 3600
    ran = duration * ran_fraction
    timeout = (duration - ran) * 0.5
    outcome, elapsed = wait(curve, duration, ran, timeout)
    assert outcome.status == "predicted_timeout", outcome.message
    assert elapsed < 0.75 * timeout, elapsed
    assert outcome.records[0]["predicted_end"] is not None


@pytest.mark.parametrize("curve", ["plateau", "jumpy"])
def test_no_verdict_on_progress_that_stalls_or_jumps(curve):
    # Either may speed up at any moment: the wait runs to its timeout, however late the task looks.
    outcome, elapsed = wait(curve, 3600, 0, 1800)
    assert outcome.status == "timed_out" and elapsed == 1800, outcome.message


@pytest.mark.parametrize("curve", curves.CURVES)
@pytest.mark.parametrize("duration", [120, 600, 3600])
def test_etas_never_make_a_task_s_end_noticed_later_than_the_elapsed_rule(curve, duration):
    # The ETA-aware schedule polls at half the way to a predicted end; a wrong ETA (too late on slow_start,
    # too early on plateau, anything on jumpy) must not delay noticing the end past the elapsed rule's bound.
    outcome, _source, _clock = run([CurveTask("t-1", curve, duration)], {"timeout": 4 * duration})
    plain, _source, _clock = run([Unreported("t-1", curve, duration)], {"timeout": 4 * duration})
    assert outcome.status == plain.status == "succeeded", outcome.message
    lag = outcome.records[0]["elapsed"] - duration
    assert 0 <= lag <= max(1.0, 0.1 * duration), lag
    # The ETA may add polls near a predicted end, not many.
    assert outcome.rounds <= 1.25 * plain.rounds + 5, (outcome.rounds, plain.rounds)


def test_the_eta_of_linear_progress_points_at_the_end():
    outcome, _source, _clock = run([CurveTask("t-1", "linear", 600)], {"timeout": 1200})
    assert outcome.records[0]["predicted_end"] is not None


def track(reads):
    result = ProgressTrack()
    for now, progress in reads:
        result.observe(now, progress)
    return result


def test_earliest_end_of_steady_progress_errs_early_less_as_reads_add_up():
    # 1 point every 10 s from 10% at 0 s: the end at 900 s. The whole percents allow some acceleration,
    # which the verdict assumes goes on: early, by less and less.
    ends = [track([(10 * n, 10 + n) for n in range(count)]).earliest_end() for count in (10, 20, 40, 80)]
    assert all(end <= 900 for end in ends) and ends == sorted(ends), ends
    assert ends[-1] > 800, ends


def test_earliest_end_of_accelerating_progress_projects_the_acceleration():
    # slow_start over 1000 s, read every 10 s from 300 s: a linear projection says about 1400 s.
    reads = [(t, curves.percent("slow_start", t / 1000.0)) for t in range(300, 600, 10)]
    assert track(reads).earliest_end() <= 1000
    assert track(reads).predicted_end() > 1000


@pytest.mark.parametrize("reads, why", [
    ([(0, 10), (100, 11), (200, 12)], "too few points"),
    ([(10 * n, 10 + n) for n in range(10)] + [(10 * n, 19) for n in range(10, 30)], "stalled since its last rise"),
    ([(0, 5), (10, 10), (20, 40), (30, 41), (40, 42)], "slowing down"),
    ([(10 * n, 5) for n in range(30)] + [(300, 20), (310, 21), (320, 22)], "a step after standing still"),
    # jumpy, seen in bench_predicted: still at 67 for a minute, +2 in 5 s, then +5 in the next 30 s read gap.
    ([(5 * n, 67) for n in range(12)] + [(60, 69), (90, 74), (91, 74)], "two points at once after standing still"),
])
def test_no_earliest_end_without_steady_progress(reads, why):
    assert track(reads).earliest_end() is None, why
