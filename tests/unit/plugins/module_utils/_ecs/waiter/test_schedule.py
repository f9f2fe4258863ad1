# -*- coding: utf-8 -*-
"""The poll schedule: fixed, adaptive, jitter, and the deadline."""
from __future__ import annotations

import random

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.schedule import EtaTracker, ProgressTrack, Schedule


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


# ---------------------------------------------------------------- ETA

def test_no_estimate_until_progress_moved_two_points():
    track = ProgressTrack()
    track.observe(0, 0)
    track.observe(1, None)
    assert track.predicted_end() is None and track.first is None
    track.observe(2, 1)
    track.observe(3, 2)
    assert track.predicted_end() is None          # one point: mostly rounding
    track.observe(4, 3)
    assert track.first == (2, 1) and track.last == (4, 3)
    assert track.predicted_end() == pytest.approx(4 + 97 * 2 / 2.0)
    assert track.latest_end() == pytest.approx(4 + 97 * 2 / 1.0)


def test_linear_progress_predicts_the_end():
    track = ProgressTrack()
    for second in range(0, 60, 4):                 # a 200 s task: 0.5 point per second
        track.observe(second, int(second / 2.0))
    assert track.predicted_end() == pytest.approx(200)
    assert track.latest_end() > 200 and not track.distrusted


def test_unchanged_progress_keeps_the_time_it_was_first_seen():
    track = ProgressTrack()
    for when, progress in ((10, 10), (20, 20), (25, 20), (29, 20)):
        track.observe(when, progress)
    assert track.last == (20, 20) and track.predicted_end() == pytest.approx(100)


def test_a_passed_prediction_is_distrusted_for_good():
    track = ProgressTrack()
    for when, progress in ((10, 10), (20, 20), (30, 30), (40, 99)):
        track.observe(when, progress)
    latest = track.latest_end()
    track.observe(latest - 0.5, 99)
    assert not track.distrusted
    track.observe(latest + 0.5, 99)
    assert track.distrusted and track.predicted_end() is None
    track.observe(latest + 10, 99.5)
    assert track.predicted_end() is None


def test_progress_at_100_or_jumping_there_gives_no_estimate():
    track = ProgressTrack()
    track.observe(0, 0)
    track.observe(50, 100)
    assert track.first is None and track.predicted_end() is None
    track = ProgressTrack()
    for when, progress in ((0, 10), (10, 20), (20, 100)):
        track.observe(when, progress)
    assert track.predicted_end() is None


def test_tracker_remaining_per_key():
    tracker = EtaTracker()
    for when, progress in ((0, 10), (10, 20)):
        tracker.observe("t-1", when, progress)
    tracker.observe("t-2", 10, 50)
    assert tracker.remaining(["t-1", "t-2", "t-3"], 10) == [pytest.approx(80), None, None]
    assert tracker.remaining(["t-1"], 500) == [0.0]


def test_eta_interval_halves_the_distance_within_bounds():
    schedule = Schedule(WaitConfig.from_options({}), EdgeRng(True))
    assert schedule.interval(5, [20]) == pytest.approx(10)
    assert schedule.interval(5, [1000]) == 30     # never above max_interval
    assert schedule.interval(5, [0.5]) == 1       # never below min_interval
    assert schedule.interval(5, [0.0]) == 1
    assert schedule.interval(5, None) == 1        # the elapsed rule
    assert schedule.interval(5, []) == 1
    assert schedule.interval(200, [None]) == 20   # no estimate: the elapsed rule
    low = Schedule(WaitConfig.from_options({}), EdgeRng(False))
    assert low.interval(5, [20]) == pytest.approx(9)   # jittered as usual


def test_eta_interval_is_the_shortest_over_the_tasks():
    schedule = Schedule(WaitConfig.from_options({}), EdgeRng(True))
    assert schedule.interval(200, [100, 16]) == pytest.approx(8)
    assert schedule.interval(200, [100, None]) == 20   # a task without estimate keeps the elapsed rule's bound
    assert schedule.interval(100, [100, None]) == 10


def test_eta_ignored_with_poll_interval_and_never_past_the_deadline():
    fixed = Schedule(WaitConfig.from_options({"poll_interval": 7}), EdgeRng(True))
    assert fixed.interval(0, [1000]) == 7
    schedule = Schedule(WaitConfig.from_options({}), EdgeRng(True))
    assert schedule.next_sleep(now=100, start=0, deadline=120, remaining=[1000]) == (20, True)
    assert schedule.next_sleep(now=100, start=0, deadline=200, remaining=[40]) == (20, False)
