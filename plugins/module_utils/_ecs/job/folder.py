# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A background wait's job folder on the target host: the files of the job protocol (docs/architecture.md,
"The background job on a target"), each written atomically, read without ever raising."""

from __future__ import annotations

import json
import os
import tempfile
import time

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError

JOB_PREFIX = "alicloud-ecs-wait-"
# The controller renews the lease at every poll (at most job/controller.POLL_EVERY_MAX apart);
# a worker whose lease lapsed stops calling the API within a tick.
LEASE_SECONDS = 10.0


def path_in(job: str, name: str) -> str:
    return os.path.join(job, name)


def write_atomic(path: str, text: str, mode: int = 0o600) -> None:
    """Readers see the old content or the new, never half of it."""
    handle, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    with os.fdopen(handle, "w") as out:
        out.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def read_text(path: str, default: str | None = None, newline: str | None = None) -> str | None:
    """The file's text, or ``default`` when it cannot be read; bytes that are not UTF-8 are replaced, never an error.

    ``newline`` as for open(): None reads \\r\\n and \\r as \\n, "" keeps them.
    """
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8", "replace")
        return text if newline == "" else text.replace("\r\n", "\n").replace("\r", "\n")
    except (IOError, OSError):
        return default


def renew(job: str, seconds: float) -> None:
    write_atomic(path_in(job, "lease"), "%.3f" % (time.time() + seconds))


def check_job(job: object) -> str:
    """The job folder, if it is one of ours (the path comes back from the controller)."""
    if not isinstance(job, str) or not os.path.basename(job.rstrip("/")).startswith(JOB_PREFIX):
        raise ConfigError("_job.path %r is not a wait job folder; _job is set by the action plugin only." % (job,),
                          option="_job")
    return job


def read_result(job: str) -> dict | None:
    """The worker's result, None while there is none; a file that is not a result gives a failed one saying so."""
    path = path_in(job, "result.json")
    text = read_text(path)
    if not text:
        return None
    why: str | None
    try:
        result = json.loads(text)
    except ValueError as error:
        result, why = None, "it is not JSON (%s)" % error
    else:
        why = None if isinstance(result, dict) else "it holds a JSON %s, not an object" % type(result).__name__
    if why is None:
        return result
    # Only the worker writes it, atomically: something else on the host changed it.
    return {"failed": True, "changed": False,
            "msg": "the background wait's result %s on this host cannot be read: %s. Something other than the wait "
                   "changed it, so the wait's outcome is lost; read the tasks' state with alicloud.ecs.ecs_task_info "
                   "(the tasks themselves are not affected)" % (path, why)}


def read_partial(job: str) -> object:
    """What the wait had learned (partial.json), None when there is none or it is not JSON."""
    try:
        return json.loads(read_text(path_in(job, "partial.json"), "") or "null")
    except ValueError:
        return None


def stop_reason(job: str) -> str | None:
    """Why the worker must stop, None while it may go on: the folder removed, a stop file, a lapsed lease."""
    if not os.path.isdir(job):
        return "its job folder was removed"
    stop = read_text(path_in(job, "stop"))
    if stop is not None:
        return stop or "the controller cancelled it"
    try:
        expiry = float(read_text(path_in(job, "lease"), "0") or "0")
    except ValueError:
        expiry = 0.0
    if time.time() > expiry:
        return ("the controller stopped renewing its lease (ansible-playbook ended or lost the connection "
                "to this host)")
    return None
