# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Entry point of the detached background wait on a target: run the wait, write its lines, what it learned
and its result into the job folder, then wait for the controller to collect it."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.job.folder import path_in, stop_reason, write_atomic
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.running import run_wait_safely
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.stopping import TICK, StopToken
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import WAIT as TASK_WAIT
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait_kind import find_wait


def worker_main(job: str) -> None:
    """Entry point of the detached process: run the wait, write the result, tidy up."""
    token = StopToken([lambda: stop_reason(job)])
    token.handle_signals()
    data = sys.stdin.buffer.read()  # start_job's pipe: the keys the arguments may hold stay in memory
    if not data:
        # To the job's stderr file, which the poll that finds this process gone reports.
        sys.stderr.write("the wait's arguments never arrived on its standard input\n")
        return
    spec = json.loads(data.decode("utf-8"))

    def emit(line):
        with open(path_in(job, "progress.log"), "a") as log:
            log.write(line + "\n")

    def keep(partial):
        try:
            write_atomic(path_in(job, "partial.json"), json.dumps(partial))
        except (IOError, OSError):
            pass  # the folder is gone: the lease check stops the wait

    result = run_wait_safely(spec["args"], os.environ, spec["check_mode"], token, emit, spec["prefix"], keep=keep,
                             kind=find_wait(spec.get("wait", TASK_WAIT.home)), diff=bool(spec.get("diff")))
    try:
        write_atomic(path_in(job, "result.json"), json.dumps(result))
    except (IOError, OSError):
        return  # the folder is gone: nobody is waiting for the answer
    # Wait for the controller to collect the result; remove the folder if it never does.
    collector = StopToken([lambda: stop_reason(job)])
    while not collector.stopped():
        time.sleep(TICK)
    shutil.rmtree(job, ignore_errors=True)
