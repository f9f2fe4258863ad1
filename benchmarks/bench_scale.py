# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""4. Scale: one wait on 10,000 tasks (calls, wall time once all have ended, peak memory).

The wait runs in a child process (``python -m benchmarks.bench_scale URL SCALE IDS_FILE``)
so its peak memory (resource.getrusage ru_maxrss) is the waiting process's
alone; the child also reports its peak after the imports, before the wait.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time

from benchmarks.common import REPO_ROOT, FastEmulator, log_spread, note, section, table, target

MEMORY_TARGET_MB = 100.0


def child(url, scale, ids_file):
    """The waiting process: prints one JSON line."""
    from benchmarks.common import ScaledClock, make_client
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import prepare_wait, run_wait
    with open(ids_file) as handle:
        ids = json.load(handle)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    client = make_client(url)
    clock = ScaledClock(scale)
    result = run_wait(prepare_wait({"task_ids": ids, "timeout": "6h"}), client, clock=clock, sleep=clock.sleep)
    returned = time.time()
    print(json.dumps({
        "returned": returned, "calls": client.api_calls, "by_action": client.calls_by_action,
        "succeeded": len(result["succeeded"]), "failed": result["failed"], "elapsed": result["elapsed"],
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "maxrss_before_kb": before,
    }))


def run(quick=False):
    count = 500 if quick else 10000
    scale = 60.0 if quick else 20.0
    longest = 60.0 if quick else 600.0
    section("4. Scale: one wait on %d tasks (durations 10 s - %ds, time scale %d), waiting in a child process"
            % (count, longest, scale))
    with FastEmulator(time_scale=scale, seed=17) as emu:
        ids = emu.create_tasks(count=count, durations=log_spread(count, 10.0, longest))
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(ids, handle)
        try:
            started = time.time()
            proc = subprocess.run([sys.executable, "-m", "benchmarks.bench_scale", emu.url, str(scale), handle.name],
                                  cwd=REPO_ROOT, capture_output=True, text=True, timeout=1800, check=False)
        finally:
            os.unlink(handle.name)
        if proc.returncode != 0:
            raise RuntimeError("the waiting process failed: %s" % proc.stderr[-3000:])
        report = json.loads(proc.stdout.strip().splitlines()[-1])
        last_end = max(task["ends_at"] for task in emu.tasks())
        served = emu.stats()["calls"]
    after_end = report["returned"] - last_end
    peak_mb = report["maxrss_kb"] / 1024.0
    row = [count, report["calls"], report["by_action"].get("DescribeTasks", 0),
           report["by_action"].get("DescribeTaskAttribute", 0), sum(served.values()),
           "%.1f" % (report["returned"] - started), "%.1f" % after_end, "%.1f" % peak_mb,
           "%.1f" % (report["maxrss_before_kb"] / 1024.0),
           "yes" if report["succeeded"] == count and not report["failed"] else "NO"]
    table(["tasks", "calls", "DescribeTasks", "DescribeTaskAttribute", "emulator saw", "wall s (total)",
           "wall s after last end", "peak RSS MB", "RSS MB before wait", "all succeeded"], [row])
    note("wall time after the last end: real seconds from the emulator's ends_at of the last task to the wait returning")
    target("peak memory under %d MB (got %.1f MB)" % (MEMORY_TARGET_MB, peak_mb), peak_mb < MEMORY_TARGET_MB)
    return {"calls": report["calls"], "after_end": after_end, "peak_mb": peak_mb}


if __name__ == "__main__":
    child(sys.argv[1], float(sys.argv[2]), sys.argv[3])
