# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""6. Many hosts: 200 hosts with one task each, one wait per host against one wait for all (run_once).

Both run in this process with the collection's real engine and client, over
HTTP, against one emulator whose clock is stopped (time scale 0) and stepped
by exactly the time each wait sleeps (SteppedClock), so a run gives the same
calls every time.

- per-host waits: what a play with ``ecs_task_wait: task_ids: [my_task_id]`` on
  every host does. Each host's wait polls its one task with
  DescribeTaskAttribute (and follows its progress). The waits are independent,
  so they run one after another here, each on a task created just before it:
  the calls are those of the same waits run side by side (forks >= hosts;
  with the default of 5 forks Ansible would run them 5 at a time, 40 batches
  in a row for 200 hosts).
- one wait: ``run_once`` over every host's id (docs/many-hosts.md): DescribeTasks
  for all pending tasks, 100 ids per call, each round; with default options and
  with ``details: failed``.

"Per round" is the first poll, when every task is pending: each host's wait
makes one call, the single wait one per 100 ids. "Busiest minute" is the
most calls in any minute of the waits (per-host waits counted on one
timeline, as if all started at once).
"""

from __future__ import annotations

import collections
import math

from benchmarks.common import REGION, FastEmulator, SteppedClock, log_spread, make_client, note, ratio, section, table, target

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import prepare_wait, run_wait


class Timed(object):
    """The client, recording when (on the wait's clock) each request was made."""

    def __init__(self, client, clock):
        self._client = client
        self._clock = clock
        self.times = []

    def __getattr__(self, name):
        return getattr(self._client, name)

    def call(self, action, params=None, **kwargs):
        self.times.append(self._clock())
        return self._client.call(action, params, **kwargs)


def _wait(emu, ids, **options):
    clock = SteppedClock(emu)
    client = Timed(make_client(emu.url, clock=clock), clock)
    options = dict({"task_ids": ids, "timeout": "3h"}, **options)
    result = run_wait(prepare_wait(options), client, clock=clock, sleep=clock.sleep)
    client.close()
    first_round = len([moment for moment in client.times if moment == client.times[0]])
    return {"result": result, "times": client.times, "by_action": client.calls_by_action, "first_round": first_round}


def per_host_waits(emu, durations):
    calls, by_action, times, ok, first_round = 0, collections.Counter(), [], True, 0
    for duration in durations:
        task_id = emu.create_tasks(count=1, durations=[duration], region=REGION)[0]
        run = _wait(emu, [task_id])
        start = run["times"][0]
        times.extend(moment - start for moment in run["times"])
        calls += len(run["times"])
        by_action.update(run["by_action"])
        first_round += run["first_round"]
        ok = ok and run["result"]["succeeded"] == [task_id]
    return {"calls": calls, "by_action": dict(by_action), "times": times, "first_round": first_round, "ok": ok}


def single_wait(emu, durations, **options):
    ids = emu.create_tasks(count=len(durations), durations=list(durations), region=REGION)
    run = _wait(emu, ids, **options)
    start = run["times"][0]
    return {"calls": len(run["times"]), "by_action": run["by_action"], "times": [moment - start for moment in run["times"]],
            "first_round": run["first_round"], "ok": sorted(run["result"]["succeeded"]) == sorted(ids)}


def busiest_minute(times):
    by_minute = collections.Counter(int(moment // 60) for moment in times)
    return max(by_minute.values()) if by_minute else 0


def run(quick=False):
    hosts = 20 if quick else 200
    longest = 600.0 if quick else 3600.0
    durations = log_spread(hosts, 60.0, longest)
    section("6. Many hosts: %d hosts with one task each (durations 1 min - %d min, log-spread), "
            "a wait per host vs one wait for all" % (hosts, longest // 60))
    note("emulator clock stepped by each wait's own sleeps (time scale 0); real engine and client over HTTP")
    with FastEmulator(time_scale=0, seed=11) as emu:
        strategies = (
            ("%d per-host waits" % hosts, per_host_waits(emu, durations)),
            ("one wait (run_once)", single_wait(emu, durations)),
            ("one wait, details: failed", single_wait(emu, durations, details="failed")),
        )
    baseline = strategies[0][1]
    rows = []
    for name, item in strategies:
        rows.append([name, item["first_round"], busiest_minute(item["times"]), item["calls"],
                     item["by_action"].get("DescribeTasks", 0), item["by_action"].get("DescribeTaskAttribute", 0),
                     ratio(baseline["calls"], item["calls"]), ratio(baseline["first_round"], item["first_round"]),
                     "yes" if item["ok"] else "NO"])
    table(["strategy", "calls per round", "busiest minute", "calls in total", "DescribeTasks", "DescribeTaskAttribute",
           "x fewer in total", "x fewer per round", "all ok"], rows)
    note("'calls per round': requests of the first poll, every task pending; 'x fewer': per-host waits / this strategy")
    single = strategies[1][1]
    per_round = int(math.ceil(hosts / 100.0))
    target("a round costs one wait %d call(s) (one per 100 ids) and the per-host waits %d (got %d and %d)"
           % (per_round, hosts, single["first_round"], baseline["first_round"]),
           single["first_round"] == per_round and baseline["first_round"] == hosts)
    target("one wait makes fewer calls in total than the per-host waits", single["calls"] < baseline["calls"])
    return dict((key, {"calls": item["calls"], "per_round": item["first_round"], "busiest_minute": busiest_minute(item["times"]),
                       "by_action": item["by_action"], "ok": item["ok"]})
                for key, (_name, item) in zip(("per_host", "single", "single_details_failed"), strategies))
