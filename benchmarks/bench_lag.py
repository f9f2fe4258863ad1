# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""2. Detection lag: from a task's true end to the wait returning, and the calls it took.

A. Against the emulator at a large time scale: single-task waits (run_wait,
   real client, default timing) started together, lag = (return time - the
   emulator's ``ends_at``) x time scale, in virtual seconds.
B. The pure engine on a virtual clock (benchmarks/simulation.py): many
   single-task waits, durations log-uniform from 10 s to 1 h, compared per
   duration band with fixed-interval polling (the engine with poll_interval)
   tuned to the same median lag.
C. The trade-off curve of the timing options: calls per task against lag.
D. The ETA-aware schedule when progress misleads: the same simulated waits
   with progress that is linear, front-loaded (99% at half time, then stuck),
   back-loaded, jumping from 0 to 100%, or absent (the elapsed rule alone).
E. The picture: calls per task against median detection lag for the wait,
   the hand-written `until` loop, Terraform's schedule and fixed intervals,
   drawn as SVG into docs/images/calls-vs-lag.svg (--quick: into .build/).
"""

from __future__ import annotations

import math
import random
import threading
import time

import os

from benchmarks.bench_calls import LOOP_DELAY, terraform_polls
from benchmarks.chart import scatter_svg
from benchmarks.common import (
    FastEmulator, ScaledClock, make_client, median, note, percentile, section, table, target,
)
from benchmarks.simulation import random_durations, wait_one

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import prepare_wait, run_wait
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig

BANDS = ((10, 60), (60, 300), (300, 900), (900, 3601))
DEFAULT_MAX_INTERVAL = 30.0
FIXED_CANDIDATES = (0.5, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 60)
CURVE = (
    ("defaults (factor 0.1, min 1s, max 30s)", {}),
    ("backoff_factor 0.05", {"backoff_factor": 0.05}),
    ("backoff_factor 0.2", {"backoff_factor": 0.2}),
    ("backoff_factor 0.3", {"backoff_factor": 0.3}),
    ("min_interval 3s", {"min_interval": 3}),
    ("min_interval 5s", {"min_interval": 5}),
    ("min_interval 5s, backoff_factor 0.2", {"min_interval": 5, "backoff_factor": 0.2}),
    ("max_interval 10s", {"max_interval": 10}),
    ("max_interval 60s", {"max_interval": 60}),
    ("max_interval 120s", {"max_interval": 120}),
    ("poll_interval 5s", {"poll_interval": 5}),
    ("poll_interval 10s", {"poll_interval": 10}),
    ("poll_interval 30s", {"poll_interval": 30}),
    ("poll_interval 60s", {"poll_interval": 60}),
)


def _band(duration):
    for low, high in BANDS:
        if low <= duration < high:
            return "%s-%s" % (_short(low), _short(min(high, 3600)))
    return "other"


def _short(value):
    return "%dm" % (value // 60) if value >= 60 else "%ds" % value


# ---------------------------------------------------------------- A: emulator

def emulator_lags(durations, scale):
    """Single-task waits, all started together: [(duration, lag, calls, ok)]."""
    results = []
    with FastEmulator(time_scale=scale, seed=11) as emu:
        returned = {}

        def one(task_id, duration):
            client = make_client(emu.url)
            clock = ScaledClock(scale)
            result = run_wait(prepare_wait({"task_ids": [task_id], "timeout": "3h"}), client, clock=clock, sleep=clock.sleep)
            returned[task_id] = (time.time(), client.api_calls, not result["failed"])
        threads = []
        for duration in durations:
            # Each wait starts right after its task is created, as in a playbook.
            task_id = emu.create_tasks(count=1, duration=duration)[0]
            thread = threading.Thread(target=one, args=(task_id, duration))
            thread.start()
            threads.append((task_id, duration, thread))
        for item in threads:
            item[2].join()
        ends = dict((task["task_id"], task["ends_at"]) for task in emu.tasks())
    for task_id, duration, _thread in threads:
        when, calls, ok = returned[task_id]
        results.append((duration, (when - ends[task_id]) * scale, calls, ok))
    return sorted(results)


def part_a(quick):
    # Short tasks at a small time scale, so that a few ms of real latency stay a small part of their lag.
    groups = [([10], 20.0)] if quick else [([10, 10, 10, 60, 60, 60], 10.0), ([300, 300, 900, 900, 3600, 3600], 120.0)]
    section("2A. Detection lag against the emulator (default timing, one task per wait, waits started together)")
    rows = []
    for durations, scale in groups:
        for duration, lag, calls, ok in emulator_lags(durations, scale):
            rows.append([_short(duration), "%d" % scale, "%.2f" % lag, "%.1f%%" % (100.0 * lag / duration), calls,
                         "yes" if ok else "NO"])
    table(["task", "time scale", "lag (virtual s)", "lag / duration", "calls", "ok"], rows)
    note("lag includes real latency x time scale (1 ms real = 0.01 virtual s at x10, 0.12 at x120)")


# ---------------------------------------------------------------- B: simulation

def simulate(durations, options, seed, profile="linear"):
    """[(duration, lag, calls)] for single-task waits with these options."""
    rng = random.Random(seed)
    config = WaitConfig.from_options(dict(options, timeout="6h"))
    return [(duration,) + wait_one(duration, config, rng, profile)[:2] for duration in durations]


def fixed_polling(duration, interval):
    """(lag, calls) of polling at 0, interval, 2*interval... until the task has ended (the engine with poll_interval)."""
    steps = int(math.ceil(duration / interval - 1e-9))
    return steps * interval - duration, steps + 1


def widest_fixed_interval(durations, fraction):
    """The widest fixed interval whose median lag stays within ``fraction`` of the duration in every band."""
    best = (None, None)
    for interval in FIXED_CANDIDATES:
        lags = [(duration, fixed_polling(duration, interval)) for duration in durations]
        if all(median([lag / d for d, (lag, _calls) in lags if low <= d < high]) <= fraction
               for low, high in BANDS if any(low <= d < high for d in durations)):
            best = (interval, sum(calls for _d, (_lag, calls) in lags) / float(len(lags)))
    return best


def part_b(quick):
    count = 200 if quick else 10000
    durations = random_durations(count, 10, 3600, seed=3)
    section("2B. Simulated engine, %d single-task waits, durations log-uniform 10 s - 1 h, default timing" % count)
    started = time.time()
    runs = simulate(durations, {}, seed=5)
    took = time.time() - started
    rows, lag_ok, calls_ok = [], True, True
    for low, high in BANDS:
        band = [run for run in runs if low <= run[0] < high]
        if not band:
            continue
        lags = [lag for _d, lag, _c in band]
        relative = median([lag / duration for duration, lag, _c in band])
        calls = sum(c for _d, _l, c in band) / float(len(band))
        # Fixed-interval polling from the start has a lag spread evenly over [0, interval):
        # an interval of twice our median lag gives the same median lag.
        interval = max(0.5, 2 * median(lags))
        fixed = simulate([d for d, _ignored, _ignored in band], {"poll_interval": interval}, seed=6)
        fixed_calls = sum(c for _d, _l, c in fixed) / float(len(fixed))
        lag_ok = lag_ok and relative <= 0.10
        calls_ok = calls_ok and calls < fixed_calls
        rows.append([_band(low), len(band), "%.2f" % median(lags), "%.1f%%" % (100 * relative), "%.1f" % max(lags),
                     "%.1f" % calls, "%.1fs" % interval, "%.2f" % median([lag for _d, lag, _c in fixed]),
                     "%.1f" % fixed_calls])
    all_lags = [lag for _d, lag, _c in runs]
    table(["band", "tasks", "median lag s", "median lag/dur", "max lag s", "calls/task",
           "fixed interval", "fixed median lag s", "fixed calls/task"], rows)
    note("all: median lag %.2f s, p90 %.2f s, max %.2f s, %.1f calls/task; %d waits simulated in %.1f s"
         % (median(all_lags), percentile(all_lags, 0.9), max(all_lags),
            sum(c for _d, _l, c in runs) / float(len(runs)), count, took))
    engine_calls = sum(c for _d, _l, c in runs) / float(len(runs))
    interval, fixed_calls = widest_fixed_interval(durations, 0.10)
    note("one fixed interval for all tasks (the duration is not known in advance): the widest that keeps the median "
         "lag within 10%% of the duration in every band is %gs, costing %.1f calls/task against %.1f (x%.1f)"
         % (interval, fixed_calls, engine_calls, fixed_calls / engine_calls))
    target("median lag <= 10% of the duration in every band", lag_ok)
    target("lag never above max_interval (30 s): max %.2f s" % max(all_lags), max(all_lags) <= DEFAULT_MAX_INTERVAL)
    target("fewer calls than one fixed interval meeting the same 10% lag target", engine_calls < fixed_calls)
    target("fewer calls than a fixed interval hand-tuned to each band's median lag", calls_ok)
    return {"median_lag": median(all_lags), "max_lag": max(all_lags)}


# ---------------------------------------------------------------- C: curve

def part_c(quick):
    count = 50 if quick else 1000
    durations = random_durations(count, 10, 3600, seed=4)
    section("2C. Trade-off of the timing options (simulated, %d single-task waits, 10 s - 1 h)" % count)
    rows = []
    for label, options in (CURVE[:3] + CURVE[-2:] if quick else CURVE):
        runs = simulate(durations, options, seed=8)
        lags = [lag for _d, lag, _c in runs]
        # Without TaskProcess the elapsed rule alone decides, as in waits polled with DescribeTasks.
        plain = simulate(durations, options, seed=8, profile="none")
        plain_lags = [lag for _d, lag, _c in plain]
        rows.append([label, "%.1f" % (sum(c for _d, _l, c in runs) / float(len(runs))), "%.2f" % median(lags),
                     "%.1f%%" % (100 * median([lag / d for d, lag, _c in runs])), "%.2f" % percentile(lags, 0.9),
                     "%.1f" % max(lags), "%.1f" % (sum(c for _d, _l, c in plain) / float(len(plain))),
                     "%.2f" % median(plain_lags), "%.1f%%" % (100 * median([lag / d for d, lag, _c in plain])),
                     "%.1f" % max(plain_lags)])
    table(["options", "calls/task", "median lag s", "median lag/dur", "p90 lag s", "max lag s",
           "elapsed rule: calls/task", "median lag s", "median lag/dur", "max lag s"], rows)
    note("left: progress known (single-task waits, ETA); right: no progress (the elapsed rule, as for waits on many tasks)")


# ---------------------------------------------------------------- D: misleading progress

PROFILE_LABELS = (
    ("linear", "linear (as in 2B)"),
    ("front-loaded", "99% at half time, then stuck"),
    ("back-loaded", "50% at 90% of the time, then fast"),
    ("jump", "0% until the end, then 100%"),
    ("none", "no TaskProcess: the elapsed rule alone"),
)


def part_d(quick):
    count = 50 if quick else 1000
    durations = random_durations(count, 10, 3600, seed=9)
    section("2D. When progress misleads (simulated, %d single-task waits, 10 s - 1 h, default timing)" % count)
    rows, worst = [], 0.0
    for profile, label in PROFILE_LABELS:
        runs = simulate(durations, {}, seed=10, profile=profile)
        lags = [lag for _d, lag, _c in runs]
        worst = max(worst, *lags)
        rows.append([label, "%.1f" % (sum(c for _d, _l, c in runs) / float(len(runs))), "%.2f" % median(lags),
                     "%.1f%%" % (100 * median([lag / d for d, lag, _c in runs])), "%.2f" % percentile(lags, 0.9),
                     "%.1f" % max(lags)])
    table(["progress", "calls/task", "median lag s", "median lag/dur", "p90 lag s", "max lag s"], rows)
    target("lag never above max_interval (30 s) whatever the progress does: max %.2f s" % worst, worst <= DEFAULT_MAX_INTERVAL)


# ---------------------------------------------------------------- E: the chart

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHART = os.path.join(REPO, "docs", "images", "calls-vs-lag.svg")
QUICK_CHART = os.path.join(REPO, ".build", "benchmarks", "calls-vs-lag.svg")
FIXED_INTERVALS = (1, 2, 5, 10, 20, 30, 60)


def _point(durations, outcomes):
    """(median lag, mean calls per task) of [(lag, calls)] for these durations."""
    return median([lag for lag, _calls in outcomes]), sum(calls for _lag, calls in outcomes) / float(len(durations))


def chart_series(durations):
    """The chart's series: each point is (median lag s, calls per task, label)."""
    def engine(options, profile):
        return _point(durations, [run[1:] for run in simulate(durations, options, seed=13, profile=profile)])

    with_progress = engine({}, "linear")
    elapsed_rule = [engine({"backoff_factor": factor}, "none") + ("backoff_factor %g" % factor,)
                    for factor in (0.05, 0.1, 0.2, 0.3)]
    loop = _point(durations, [fixed_polling(d, LOOP_DELAY) for d in durations])
    terraform = _point(durations, [(when - d, calls) for d, (calls, when) in ((d, terraform_polls(d)) for d in durations)])
    fixed = [_point(durations, [fixed_polling(d, interval) for d in durations]) + ("%ds" % interval,)
             for interval in FIXED_INTERVALS]
    return [
        {"name": "ecs_task_wait, progress known", "color": "#1a7f37", "marker": "diamond",
         "points": [with_progress + ("defaults",)]},
        {"name": "ecs_task_wait, elapsed rule", "color": "#2f81f7", "line": True, "points": elapsed_rule},
        {"name": "until loop (delay %ds)" % LOOP_DELAY, "color": "#bf3989", "marker": "square", "points": [loop + (None,)]},
        {"name": "Terraform's schedule", "color": "#d4a72c", "marker": "square", "points": [terraform + (None,)]},
        {"name": "fixed interval", "color": "#888888", "line": True, "points": fixed},
    ]


def part_e(quick):
    count = 100 if quick else 1000
    durations = random_durations(count, 10, 3600, seed=12)
    section("2E. Calls per task against median detection lag (simulated, %d single-task waits, 10 s - 1 h)" % count)
    series = chart_series(durations)
    rows = [[item["name"] + (" " + point[2] if len(point) > 2 and point[2] else ""), "%.2f" % point[0], "%.1f" % point[1]]
            for item in series for point in item["points"]]
    table(["strategy", "median lag s", "calls/task"], rows)
    path = QUICK_CHART if quick else CHART
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(scatter_svg(series, "Calls per task against detection lag (%d tasks, 10 s - 1 h)" % count,
                                 "median detection lag (s, log scale)", "API calls per task (log scale)"))
    note("chart written to %s" % os.path.relpath(path, REPO))
    ours, loop = series[0]["points"][0], series[2]["points"][0]
    target("ecs_task_wait: less lag and fewer calls than the until loop", ours[0] < loop[0] and ours[1] < loop[1])
    return {"chart": os.path.relpath(path, REPO)}


def run(quick=False):
    part_a(quick)
    figures = part_b(quick)
    part_c(quick)
    part_d(quick)
    figures.update(part_e(quick))
    return figures
