# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""1. API calls to wait on N tasks: ecs_task_wait against the loops people write today.

All three strategies run in this process with the collection's real client,
over HTTP, against one emulator whose clock is stopped (time scale 0) and
stepped forward by exactly the time each strategy sleeps (SteppedClock): no
real sleeping, and every run of the same durations gives the same calls.

- ecs_task_wait: prepare_wait + run_wait (engine, TaskService, client), default options;
  and once more with ``details: failed`` (no DescribeTaskAttribute for the tasks that
  succeed: one call per task less at the end).
- (a) the Ansible loop: ``ecs_task_info`` (prepare_info + run_info, one DescribeTasks
  per try) with ``loop`` over the ids and ``until: task_status == 'Finished'``,
  ``delay: 10``: Ansible runs the items one after another, each until it is done.
- (b) Terraform's provider: one StateChangeConf per task polling DescribeTaskAttribute,
  first at once, then waits of 3 s, 6 s and 10 s from then on (MinTimeout 3 s,
  doubling, capped at 10 s), all tasks in parallel.

Two duration mixes: log-spread from 10 s to 1 h (many short tasks: the harder
one for the wait, whose DescribeTasks rounds are dense early) and uniform from
1 min to 1 h (closer to image import/export/copy work). For the second mix,
(b) is counted from its schedule without HTTP (``terraform_polls``: one call per
poll until the task has ended), which the first mix checks against the HTTP run:
at N = 1000 it would be some 180,000 requests.
"""

from __future__ import annotations

import concurrent.futures
import heapq
from types import SimpleNamespace

from benchmarks.common import (
    REGION, FastEmulator, SteppedClock, log_spread, make_client, median, note, ratio, section, table, target,
)

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.info import prepare_info, run_info
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import prepare_wait, run_wait

DONE_STATES = ("Finished", "Failed", "Deleted")
LOOP_DELAY = 10.0
TF_MIN_TIMEOUT = 3.0
TF_MAX_WAIT = 10.0
TF_PARALLEL_REQUESTS = 8


class Strategy(object):
    """What one strategy did: calls (HTTP requests), when it returned, when each task was noticed."""

    def __init__(self, name, client, returned, noticed, ok):
        self.name = name
        self.calls = client.api_calls
        self.by_action = client.calls_by_action
        self.returned = returned
        self.noticed = noticed
        self.ok = ok


def _fresh(emu, durations):
    emu.reset()
    ids = emu.create_tasks(count=len(durations), durations=list(durations), region=REGION)
    clock = SteppedClock(emu)
    # The client on the same virtual clock: it compares each call with the wait's deadline.
    return ids, clock, make_client(emu.url, clock=clock)


def run_engine(emu, durations, details=None):
    ids, clock, client = _fresh(emu, durations)
    options = {"task_ids": ids, "timeout": "3h"}
    if details:
        options["details"] = details
    result = run_wait(prepare_wait(options), client, clock=clock, sleep=clock.sleep)
    noticed = [task["elapsed"] for task in result["tasks"]]
    ok = not result["failed"] and len(result["succeeded"]) == len(ids)
    name = "ecs_task_wait, details: %s" % details if details else "ecs_task_wait"
    return Strategy(name, client, clock.now, noticed, ok)


def run_ansible_loop(emu, durations, delay=LOOP_DELAY, timeout=3 * 3600.0):
    ids, clock, client = _fresh(emu, durations)
    noticed, ok = [], True
    retries = int(timeout // delay)
    for task_id in ids:
        for attempt in range(retries + 1):
            # Each try has the query's own deadline, on the clock the client compares it with (the stepped one).
            result = run_info(prepare_info({"task_ids": [task_id]}), client, clock=clock)
            if result["tasks"] and result["tasks"][0]["task_status"] == "Finished":
                noticed.append(clock.now)
                break
            if attempt < retries:
                clock.sleep(delay)
        else:
            ok = False
    return Strategy("(a) ansible until loop", client, clock.now, noticed, ok)


def run_terraform(emu, durations):
    ids, clock, client = _fresh(emu, durations)
    queue = [(0.0, index, 0.1) for index in range(len(ids))]
    heapq.heapify(queue)
    noticed = [None] * len(ids)

    def refresh(index):
        answer = client.call("DescribeTaskAttribute", {"RegionId": REGION, "TaskId": ids[index]})
        return answer.get("TaskStatus")

    with concurrent.futures.ThreadPoolExecutor(TF_PARALLEL_REQUESTS) as pool:
        while queue:
            when = queue[0][0]
            due = []
            while queue and queue[0][0] == when:
                due.append(heapq.heappop(queue))
            clock.sleep(when - clock.now)
            for (_when, index, wait), state in zip(due, pool.map(refresh, [item[1] for item in due])):
                if state in DONE_STATES:
                    noticed[index] = when
                    continue
                wait = min(TF_MAX_WAIT, max(TF_MIN_TIMEOUT, wait * 2))
                heapq.heappush(queue, (when + wait, index, wait))
    return Strategy("(b) terraform per-task", client, clock.now, noticed, None not in noticed)


def terraform_polls(duration):
    """(calls, time noticed) of run_terraform's schedule for one task, without HTTP."""
    when, wait, calls = 0.0, 0.1, 1
    while when < duration:
        wait = min(TF_MAX_WAIT, max(TF_MIN_TIMEOUT, wait * 2))
        when += wait
        calls += 1
    return calls, when


def run_terraform_model(durations):
    """run_terraform's calls and notice times, counted from its schedule (no HTTP)."""
    polls = [terraform_polls(duration) for duration in durations]
    calls = sum(count for count, _when in polls)
    noticed = [when for _count, when in polls]
    counter = SimpleNamespace(api_calls=calls, calls_by_action={"DescribeTaskAttribute": calls})
    return Strategy("(b) terraform per-task, counted", counter, max(noticed), noticed, True)


def even_spread(count, low, high):
    """``count`` durations spread evenly from ``low`` to ``high`` (quantile midpoints)."""
    return [low + (high - low) * (index + 0.5) / count for index in range(count)]


def _row(count, item, engine, durations):
    lags = [seen - duration for seen, duration in zip(item.noticed, durations)] if item.ok else []
    return [count, item.name, item.calls, item.by_action.get("DescribeTasks", 0), item.by_action.get("DescribeTaskAttribute", 0),
            ratio(item.calls, engine.calls), "%.1f" % (item.returned - max(durations)),
            "%.1f" % median(lags) if lags else "-", "yes" if item.ok else "NO"]


def _mix(emu, sizes, spread, over_http):
    """Rows and {N: calls by strategy} for one duration mix."""
    rows, figures = [], {}
    for count in sizes:
        durations = spread(count)
        engine, failed_only = run_engine(emu, durations), run_engine(emu, durations, details="failed")
        loop = run_ansible_loop(emu, durations)
        runs = [engine, failed_only, loop, run_terraform(emu, durations) if over_http else run_terraform_model(durations)]
        printed = [_row(count, item, engine, durations) for item in runs]
        rows.extend(printed)
        figures[count] = {"engine": engine.calls, "engine_details_failed": failed_only.calls, "ansible_loop": loop.calls,
                          "terraform": runs[-1].calls,
                          # Each strategy's row as printed, for the tables of docs/performance.md (test_docs_match_runs.py).
                          "rows": dict(zip(("engine", "engine_details_failed", "ansible_loop", "terraform"), printed))}
        if over_http:
            figures[count]["terraform_counted"] = run_terraform_model(durations).calls
    return rows, figures


def _targets(label, figures):
    target("%s: ecs_task_wait makes fewer calls than (b) at every N" % label,
           all(f["engine"] < f["terraform"] for f in figures.values()))
    if 1000 in figures:
        for key, setting in (("engine", "default options"), ("engine_details_failed", "details: failed")):
            factor = figures[1000]["terraform"] / float(figures[1000][key])
            target("%s: at least 50x fewer calls than (b) at N=1000, %s (got x%.1f)" % (label, setting, factor), factor >= 50)


def run(quick=False):
    sizes = (1, 10) if quick else (1, 10, 100, 1000)
    longest = 600.0 if quick else 3600.0
    headers = ["N", "strategy", "calls", "DescribeTasks", "DescribeTaskAttribute", "vs wait", "returned after last end (s)",
               "median task lag (s)", "all ok"]
    mixes = (
        ("log-spread", "durations spread log-evenly from 10 s to %s" % _span(longest),
         lambda count: log_spread(count, 10.0, longest), True),
        ("uniform", "durations spread evenly from 1 min to %s, (b) counted from its schedule" % _span(longest),
         lambda count: even_spread(count, 60.0, longest), False),
    )
    figures = {}
    with FastEmulator(time_scale=0, seed=7) as emu:
        for key, title, spread, over_http in mixes:
            section("1. API calls: wait on N tasks, %s" % title)
            note("emulator clock stepped by each strategy's own sleeps (time scale 0); real client over HTTP")
            rows, figures[key] = _mix(emu, sizes, spread, over_http)
            table(headers, rows)
            note("'vs wait' = that strategy's calls / ecs_task_wait's calls with default options")
            if over_http:
                same = all(f["terraform"] == f["terraform_counted"] for f in figures[key].values())
                note("(b) counted from its schedule without HTTP gives %s" % ("the same calls at every N" if same else
                     "different calls: %s" % dict((n, f["terraform_counted"]) for n, f in figures[key].items())))
            _targets(key, figures[key])
    # The log-spread mix stays at the top level, keyed by N, as before; string keys, as JSON has them.
    result = dict((str(count), item) for count, item in figures["log-spread"].items())
    result["uniform"] = dict((str(count), item) for count, item in figures["uniform"].items())
    return result


def _span(seconds):
    return "1 h" if seconds >= 3600 else "%d min" % (seconds // 60)
