# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the wait runs: the cost of running it on an SSH target instead of the controller.

The same wait (one task that takes DURATION seconds, poll_interval 1s) runs
with ansible-playbook on localhost (the controller path) and on an SSH
target on loopback (the background job, polled), ROUNDS times each. Printed:
the playbook's wall time, the lag from the task's end to the playbook's end,
the API calls, the progress lines shown, and the target/controller ratio.
Needs root (it creates the user and starts sshd, as the tests do).

    python -m benchmarks.bench_where [--rounds N] [--duration S]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from benchmarks.common import REGION  # importing it links the collection and puts it on sys.path
from tests.emulator.harness import Emulator
from tests.system import sshtarget
from tests.system.ansible_run import Ansible

PLAY = """
- name: Bench
  hosts: "{{ target }}"
  gather_facts: false
  tasks:
    - name: Wait
      alicloud.ecs.ecs_task_wait:
        task_ids: "{{ ids }}"
        poll_interval: 1s
        display_interval: 2s
        timeout: 5m
"""
NO_KEYS = {"ALIBABA_CLOUD_ACCESS_KEY_ID": None, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": None, "ANSIBLE_ASYNC_DIR": None}


def one(emulator, inventory, target, duration):
    task_id = emulator.create_tasks(action="ImportImage", duration=duration)[0]
    ends_at = time.time() + duration
    env = dict(NO_KEYS) if target != "localhost" else {}
    started = time.time()
    run = Ansible(emulator).playbook(PLAY, extra_vars={"target": target, "ids": [task_id]}, env=env,
                                     args=("-i", inventory))
    ended = time.time()
    if run.rc != 0:
        raise SystemExit("the wait failed on %s:\n%s" % (target, run))
    result = run.result("Wait")
    lines = [line for line in run.stdout.splitlines() if line.startswith("[%s] ecs_task_wait:" % target)]
    return {"wall": ended - started, "lag": ended - ends_at, "calls": result["api_calls"], "lines": len(lines)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=8.0)
    options = parser.parse_args(argv)
    sshtarget.ensure_packages()
    builder = sshtarget.ensure_user("ecsbuilder")
    sshtarget.give_credentials(builder, "builderid", "buildersecret", region=REGION)
    with Emulator(access_keys=["testid:testsecret", "builderid:buildersecret"]) as emulator:
        target = sshtarget.SshTarget(builder, {"ALIBABA_CLOUD_ECS_ENDPOINT": emulator.url,
                                               "ALIBABA_CLOUD_REGION_ID": REGION,
                                               "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"}).start()
        try:
            inventory = target.inventory("builder1")
            figures = {}
            for host in ("localhost", "builder1"):
                runs = [one(emulator, inventory, host, options.duration) for _round in range(options.rounds)]
                figures[host] = dict((key, sorted(run[key] for run in runs)[len(runs) // 2]) for key in runs[0])
        finally:
            target.stop()
    print("== Where it runs: one %gs task, median of %d runs (nproc=%d)" % (options.duration, options.rounds, os.cpu_count()))
    print("%-10s %8s %8s %6s %6s" % ("path", "wall s", "lag s", "calls", "lines"))
    for host, label in (("localhost", "controller"), ("builder1", "ssh target")):
        row = figures[host]
        print("%-10s %8.1f %8.1f %6d %6d" % (label, row["wall"], row["lag"], row["calls"], row["lines"]))
    print("ratio target/controller: wall %.2f, lag %+.1fs" % (
        figures["builder1"]["wall"] / figures["localhost"]["wall"], figures["builder1"]["lag"] - figures["localhost"]["lag"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
