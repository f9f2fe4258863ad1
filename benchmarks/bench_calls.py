# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""1. API calls to wait on N tasks: ecs_task_wait against the loops people write today.

All three strategies run in this process with the collection's real client,
over HTTP, against one emulator whose clock is stopped (time scale 0) and
stepped forward by exactly the time each strategy sleeps (SteppedClock): no
real sleeping, and every run of the same durations gives the same calls.

- ecs_task_wait: prepare_wait + run_wait (engine, TaskService, client), default options.
- (a) the Ansible loop: ``ecs_task_info`` (prepare_info + run_info, one DescribeTasks
  per try) with ``loop`` over the ids and ``until: task_status == 'Finished'``,
  ``delay: 10``: Ansible runs the items one after another, each until it is done.
- (b) Terraform's provider: one StateChangeConf per task polling DescribeTaskAttribute,
  first at once, then waits of 3 s, 6 s and 10 s from then on (MinTimeout 3 s,
  doubling, capped at 10 s), all tasks in parallel.
"""

from __future__ import annotations

import concurrent.futures
import heapq

from benchmarks.common import (
    REGION, FastEmulator, SteppedClock, log_spread, make_client, median, note, ratio, section, table, target,
)

from ansible_collections.alicloud.ecs.plugins.module_utils.task_info import prepare_info, run_info
from ansible_collections.alicloud.ecs.plugins.module_utils.task_wait import prepare_wait, run_wait

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
    return ids, SteppedClock(emu), make_client(emu.url)


def run_engine(emu, durations):
    ids, clock, client = _fresh(emu, durations)
    plan = prepare_wait({"task_ids": ids, "timeout": "3h"})
    result = run_wait(plan, client, clock=clock, sleep=clock.sleep)
    noticed = [task["elapsed"] for task in result["tasks"]]
    ok = not result["failed"] and len(result["succeeded"]) == len(ids)
    return Strategy("ecs_task_wait", client, clock.now, noticed, ok)


def run_ansible_loop(emu, durations, delay=LOOP_DELAY, timeout=3 * 3600.0):
    ids, clock, client = _fresh(emu, durations)
    noticed, ok = [], True
    retries = int(timeout // delay)
    for task_id in ids:
        for attempt in range(retries + 1):
            result = run_info(prepare_info({"task_ids": [task_id]}), client)
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
            for (_, index, wait), state in zip(due, pool.map(refresh, [item[1] for item in due])):
                if state in DONE_STATES:
                    noticed[index] = when
                    continue
                wait = min(TF_MAX_WAIT, max(TF_MIN_TIMEOUT, wait * 2))
                heapq.heappush(queue, (when + wait, index, wait))
    return Strategy("(b) terraform per-task", client, clock.now, noticed, None not in noticed)


def run(quick=False):
    sizes = (1, 10) if quick else (1, 10, 100, 1000)
    longest = 600.0 if quick else 3600.0
    section("1. API calls: wait on N tasks, durations spread log-evenly from 10 s to %s" % ("10 min" if quick else "1 h"))
    note("emulator clock stepped by each strategy's own sleeps (time scale 0); real client over HTTP")
    rows, figures = [], {}
    with FastEmulator(time_scale=0, seed=7) as emu:
        for count in sizes:
            durations = log_spread(count, 10.0, longest)
            last = max(durations)
            runs = [run_engine(emu, durations), run_ansible_loop(emu, durations), run_terraform(emu, durations)]
            engine, loop, terraform = runs
            for item in runs:
                lags = [seen - duration for seen, duration in zip(item.noticed, durations)] if item.ok else []
                rows.append([count, item.name, item.calls, item.by_action.get("DescribeTasks", 0),
                             item.by_action.get("DescribeTaskAttribute", 0), ratio(item.calls, engine.calls),
                             "%.1f" % (item.returned - last), "%.1f" % median(lags) if lags else "-",
                             "yes" if item.ok else "NO"])
            figures[count] = {"engine": engine.calls, "ansible_loop": loop.calls, "terraform": terraform.calls}
    table(["N", "strategy", "calls", "DescribeTasks", "DescribeTaskAttribute", "vs wait", "returned after last end (s)", "median task lag (s)", "all ok"], rows)
    note("'vs wait' = that strategy's calls / ecs_task_wait's calls")
    target("ecs_task_wait makes fewer calls than (b) at every N",
           all(f["engine"] < f["terraform"] for f in figures.values()))
    if 1000 in figures:
        factor = figures[1000]["terraform"] / float(figures[1000]["engine"])
        target("at least 50x fewer calls than (b) at N=1000 (got x%.1f)" % factor, factor >= 50)
    return figures
