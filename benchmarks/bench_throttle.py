# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""5. Throttled: the emulator limited to 20 requests/s (real seconds), one wait on 1,000 tasks.

The wait must end right (every task succeeded) and the throttled answers
(emulator stats, Throttling.User) must stay under 5% of the calls it got.
"""

from __future__ import annotations

import time

from benchmarks.common import FastEmulator, ScaledClock, log_spread, make_client, note, section, table, target

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import prepare_wait, run_wait

RATE_LIMIT = 20


def run(quick=False):
    count = 20 if quick else 1000
    scale = 60.0 if quick else 10.0
    longest = 30.0 if quick else 300.0
    section("5. Throttled: emulator at %d requests/s, one wait on %d tasks (10 s - %ds, time scale %d)"
            % (RATE_LIMIT, count, longest, scale))
    with FastEmulator(time_scale=scale, seed=19) as emu:
        ids = emu.create_tasks(count=count, durations=log_spread(count, 10.0, longest))
        emu.faults(rate_limit_per_s=RATE_LIMIT)
        client = make_client(emu.url)
        clock = ScaledClock(scale)
        started = time.time()
        result = run_wait(prepare_wait({"task_ids": ids, "timeout": "3h"}), client, clock=clock, sleep=clock.sleep)
        took = time.time() - started
        stats = emu.stats()
    calls = sum(stats["calls"].values())
    throttled = stats["errors"].get("Throttling.User", 0)
    ok = not result["failed"] and len(result["succeeded"]) == count
    share = 100.0 * throttled / calls if calls else 0.0
    row = [count, calls, throttled, "%.1f%%" % share, client.retries, len(result.get("warnings") or []),
           "%.1f" % took, "%.1f" % (calls / float(RATE_LIMIT)), "yes" if ok else "NO"]
    table(["tasks", "calls served", "throttled", "throttled %", "client retries", "engine warnings", "wall s",
           "floor s (calls/limit)", "all succeeded"], [row])
    for warning in (result.get("warnings") or [])[:3]:
        note("warning: %s" % warning[:200])
    target("the wait ends right", ok)
    target("throttled answers under 5%% of calls (got %.1f%%)" % share, share < 5.0)
    return {"calls": calls, "throttled": throttled, "ok": ok, "share": share, "wall": took, "floor": calls / float(RATE_LIMIT)}
