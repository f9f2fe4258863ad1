# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module's side of the job protocol, which the controller's action plugin drives: start, poll, cancel."""

from __future__ import annotations

import os
import shutil
import time
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.job.folder import (
    LEASE_SECONDS, check_job, path_in, read_partial, read_result, read_text, renew, write_atomic,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.job.process import alive, start_job, terminate
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import WAIT as TASK_WAIT

if TYPE_CHECKING:  # annotations only
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait_kind import WaitKind

POLL_EVERY_MAX = 3.0
POLL_EVERY_MIN = 1.0


def poll_every(display_interval: float) -> float:
    """How often the controller polls a background job: often enough for display_interval's lines."""
    return min(POLL_EVERY_MAX, max(POLL_EVERY_MIN, display_interval / 2.0))


def poll_job(job: str, offset: int = 0, lease: float = LEASE_SECONDS) -> dict[str, object]:
    """Renew the lease; the progress lines after ``offset`` and, once there, the result.

    The poll that hands the result over removes the folder (the worker then
    exits), so a wait that ended needs no cancel.
    """
    job = check_job(job)
    if not os.path.isdir(job):
        return {"lines": [], "offset": offset, "done": True, "result": None, "gone": True}
    renew(job, lease)
    # Lines end with "\n" only (progress.one_line made each one line); a line still being written waits.
    lines = (read_text(path_in(job, "progress.log"), "", newline="") or "").split("\n")[:-1]
    result = read_result(job)
    answer = {"lines": lines[offset:], "offset": len(lines), "done": result is not None, "result": result}
    if result is None and not alive(job):
        # Read again: the worker may have written its result between the two reads.
        answer["result"] = read_result(job)
        answer["done"] = True
        if answer["result"] is None:
            answer["stderr"] = (read_text(path_in(job, "stderr"), "") or "")[-2000:]
    if answer["done"]:
        shutil.rmtree(job, ignore_errors=True)
    return answer


def cancel_job(job: str, reason: str = "the controller cancelled it", wait: float = 3.0) -> dict[str, object]:
    """Ask the worker to stop, give it a moment to write what it learned, remove the folder."""
    job = check_job(job)
    if not os.path.isdir(job):
        return {"result": None, "gone": True}
    try:
        write_atomic(path_in(job, "stop"), reason)
    except (IOError, OSError):
        pass
    end = time.monotonic() + wait
    while alive(job) and read_result(job) is None and time.monotonic() < end:
        time.sleep(0.1)
    result = read_result(job)
    answer: dict[str, object] = {"result": result, "gone": False, "pid": read_text(path_in(job, "pid"))}
    if result is None:
        # What it had learned, and a worker that did not stop when asked is stuck: end it.
        answer["partial"] = read_partial(job)
        answer["stuck"] = terminate(job)
    shutil.rmtree(job, ignore_errors=True)
    return answer


def handle_job(job_options: dict | None, params: dict, check_mode: bool, kind: WaitKind = TASK_WAIT,
               diff: bool = False) -> dict[str, object]:
    """The module's side of the job protocol: start | poll | cancel (of a wait of ``kind``)."""
    options = job_options or {}
    operation = options.get("operation")
    lease = _job_number(options, "lease", LEASE_SECONDS, float)
    if operation == "start":
        return start_job(params, check_mode, options.get("prefix") or kind.name, lease=lease, kind=kind, diff=diff)
    if operation == "poll":
        offset = _job_number(options, "offset", 0, int)
        return poll_job(check_job(options.get("path")), offset, lease=lease)
    if operation == "cancel":
        return cancel_job(check_job(options.get("path")), reason=options.get("reason") or "the controller cancelled it")
    raise ConfigError("_job.operation must be start, poll or cancel (set by the action plugin only)", option="_job")


def _job_number(options, name, default, kind):
    try:
        return kind(options.get(name) or default)
    except (TypeError, ValueError):
        raise ConfigError("_job.%s must be a number, got %r; _job is set by the action plugin only: remove it from the task"
                          % (name, options.get(name)), option="_job") from None
