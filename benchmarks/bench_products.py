# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""9. What a task produced: 100 image imports waited on until their images are usable.

Against the emulator on a stepped virtual clock (time scale 0): the imports run 2 to 30 minutes and each image
becomes usable 0 to 5 minutes after its task ended (terraform-provider-alicloud #10176: Available before usable).
Three ways to wait, in calls and in lag after the last image became usable:

- ``wait_for: product``: one ecs_task_wait; DescribeTasks for the tasks, then DescribeImages for the images of
  the tasks that ended, 100 per call, never again once usable;
- ``wait_for: task``: the 0.2 wait; it returns when the tasks end, some images not yet usable (counted);
- the loop users write today: ``until:`` on DescribeImages, one image per call, ``delay: 30``, image after
  image (an Ansible ``loop`` runs its items one by one), computed from the emulator's true times.
"""

from __future__ import annotations

import random

from benchmarks.common import REGION, FastEmulator, SteppedClock, log_spread, note, ratio, section, seconds, table, target

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients, Session
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import prepare_wait, run_wait

UNTIL_DELAY = 30.0
UNTIL_RETRIES = 120
LEAN = {"details": "failed", "progress_interval": 0}
SAME_CADENCE = dict(LEAN, wait_for="product", poll_interval="%ds" % UNTIL_DELAY)


def _imports(emu, count, seed, failures=0):
    """Create ``count`` ImportImage tasks at virtual time 0, the first ``failures`` of them ending with a
    CreateFailed image; (task ids, [(second its image is usable, or fails), failed?])."""
    rng = random.Random(seed)
    ids, ends = [], []
    for index, duration in enumerate(log_spread(count, 120.0, 1800.0)):
        lag = rng.uniform(0.0, 300.0)
        failed = index < failures
        product = {"outcome": "CreateFailed"} if failed else {"usable_after": lag}
        ids.append(emu.create_tasks(action="ImportImage", duration=duration, product=product)[0])
        ends.append((duration if failed else duration + lag, failed))
    return ids, ends


def _wait(emu, clock, ids, **options):
    params = {"region": REGION, "access_key": "testid", "secret_key": "testsecret", "endpoint": emu.url,
              "task_ids": ids, "timeout": "3h"}
    params.update(options)
    session = Session(params, {})
    try:
        return run_wait(prepare_wait(params), Clients(session), clock=clock, sleep=clock.sleep)
    finally:
        session.close()


def until_loop(ends, delay=UNTIL_DELAY, retries=UNTIL_RETRIES):
    """The hand-written loop: image after image, DescribeImages every ``delay`` s until usable, at most
    ``retries`` more tries each (a failed image is never usable: its retries run out); (calls, end)."""
    now, calls = 0.0, 0
    for ready, failed in ends:
        calls += 1
        tries = 0
        while (failed or now < ready) and tries < retries:
            now += delay
            calls += 1
            tries += 1
    return calls, now


def _scenario(count, failures, strategies):
    rows, results = [], {}
    for name, options in strategies:
        with FastEmulator(time_scale=0, seed=29) as emu:
            clock = SteppedClock(emu)
            ids, ends = _imports(emu, count, seed=31, failures=failures)
            result = _wait(emu, clock, ids, **options)
            stats = emu.stats()["calls"]
        calls = sum(stats.get(action, 0) for action in ("DescribeTasks", "DescribeTaskAttribute", "DescribeImages"))
        ready = [end for end, failed in ends if not failed]
        unusable = sum(1 for end in ready if end > clock.now)
        first_failure = min([end for end, failed in ends if failed] or [None]) if failures else None
        results[name] = {"calls": calls, "images_calls": stats.get("DescribeImages", 0), "end": clock.now,
                         "unusable": unusable, "status": result["wait_status"],
                         "lag": clock.now - (first_failure if failures else max(ready))}
        rows.append([name, calls, stats.get("DescribeImages", 0), result["wait_status"],
                     seconds(max(0.0, results[name]["lag"])), unusable])
    loop_calls, loop_end = until_loop(sorted(ends))
    reference = min(end for end, failed in ends if failed) if failures else max(end for end, _failed in ends)
    results["until"] = {"calls": loop_calls, "end": loop_end, "lag": loop_end - reference}
    rows.append(["until: per image, delay 30s, retries 120", loop_calls, loop_calls, "failed" if failures else "succeeded",
                 seconds(loop_end - reference), 0])
    after = "the first failure" if failures else "the last image usable"
    table(["strategy", "calls", "DescribeImages", "ends", "lag after " + after, "images not usable at return"], rows)
    return results


def run(quick=False):
    count = 10 if quick else 100
    section("9. Products: %d imports (2-30 min), images usable 0-5 min after their task; wait until every image "
            "is usable" % count)
    ok = _scenario(count, 0, [("wait_for: product", {"wait_for": "product"}),
                              ("wait_for: product, details: failed, progress_interval: 0", dict(LEAN, wait_for="product")),
                              ("wait_for: product, lean, poll_interval: 30s (the until loop's cadence)", SAME_CADENCE),
                              ("wait_for: task (0.2)", {"wait_for": "task"})])
    product, lean, loop = ok["wait_for: product"], ok["wait_for: product, details: failed, progress_interval: 0"], ok["until"]
    paced = ok["wait_for: product, lean, poll_interval: 30s (the until loop's cadence)"]
    note("calls: the until loop / wait_for: product = %s; / the lean wait = %s; / at the loop's cadence = %s; images not "
         "usable when wait_for: task returned: %d of %d" % (
             ratio(loop["calls"], product["calls"]), ratio(loop["calls"], lean["calls"]),
             ratio(loop["calls"], paced["calls"]), ok["wait_for: task (0.2)"]["unusable"], count))
    failures = max(1, count // 20)
    section("9b. The same with %d of the %d images ending CreateFailed" % (failures, count))
    bad = _scenario(count, failures, [("wait_for: product", {"wait_for": "product"})])
    note("after the first failure, the until loop runs on for %s, wait_for: product for %s"
         % (seconds(bad["until"]["lag"]), seconds(bad["wait_for: product"]["lag"])))
    target("wait_for: product returns with every image usable", product["status"] == "succeeded" and product["unusable"] == 0)
    target("its lag after the last image is usable is at most max_interval (30s)", 0 <= product["lag"] <= 30.0)
    # At its adaptive cadence the wait polls more often than every 30 s (a lower lag); at the loop's, it costs less.
    target("at the until loop's cadence, the lean wait makes fewer calls than the until loop", paced["calls"] < loop["calls"])
    target("a failed image ends the wait within max_interval (30s) of its failure",
           bad["wait_for: product"]["status"] == "failed" and bad["wait_for: product"]["lag"] <= 30.0)
    return {"all_usable": ok, "with_failures": bad}
