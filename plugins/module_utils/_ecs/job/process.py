# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The background wait's worker process: started detached, found alive by its pid and command line, ended."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.job.folder import JOB_PREFIX, LEASE_SECONDS, path_in, read_text, renew, write_atomic
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.job.worker import worker_main
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import WAIT as TASK_WAIT

if TYPE_CHECKING:  # annotations only
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait_kind import WaitKind

# Imported above, not only named here: AnsiballZ ships what the module imports, and the worker runs from that payload.
_BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); from %s import worker_main; worker_main(sys.argv[2])"
         % worker_main.__module__)


def payload_root(module_file: str = __file__) -> str:
    """Where the collection's code was imported from: a folder, or the module's zipped payload."""
    marker = os.sep + "ansible_collections" + os.sep
    if marker not in module_file:
        raise ConfigError("cannot find the collection's code to start the background wait from (%s)" % module_file)
    return module_file.split(marker)[0]


def start_job(params: dict, check_mode: bool, prefix: str, lease: float = LEASE_SECONDS,
              kind: WaitKind = TASK_WAIT, diff: bool = False) -> dict[str, object]:
    """Start the wait in a detached process; returns {"job": folder, "pid": pid}."""
    job = tempfile.mkdtemp(prefix=JOB_PREFIX)  # mode 0700: the arguments may hold keys
    root = payload_root()
    if os.path.isfile(root):
        # The module's payload (a zip in a temporary folder) is removed when the module exits.
        shutil.copy(root, path_in(job, "payload.zip"))
        root = path_in(job, "payload.zip")
    args = dict((key, value) for key, value in params.items() if key != "_job")
    renew(job, lease)
    with open(path_in(job, "stderr"), "wb") as errors:
        # The module's own interpreter and environment (the task's `environment:` included); a session
        # of its own, so the end of the SSH session does not signal it. Not run_command (which
        # ansible-test's pylint asks for): it waits for its command, and this worker outlives the module.
        proc = subprocess.Popen([sys.executable, "-c", _BOOT, root, job], cwd=job,  # pylint: disable=ansible-bad-function
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors,
                                close_fds=True, start_new_session=True, env=dict(os.environ))
    write_atomic(path_in(job, "pid"), str(proc.pid))
    deadline = time.monotonic() + 10
    # Through a pipe, never a file: the keys the arguments may hold are never on the target's disk,
    # even when the worker dies before it reads them.
    spec = {"args": args, "check_mode": bool(check_mode), "diff": bool(diff), "prefix": prefix, "wait": kind.home}
    _hand_over(proc, json.dumps(spec).encode("utf-8"), deadline)
    # Until it has exec'd, the child shows this process's command line, and polls would take it for gone.
    while not alive(job) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    return {"job": job, "pid": proc.pid}


def _hand_over(proc, data, deadline):
    """Write ``data`` to the worker's stdin and close it, giving up at ``deadline`` (a worker that never reads)."""
    fd = proc.stdin.fileno()
    os.set_blocking(fd, False)
    try:
        while data:
            try:
                data = data[os.write(fd, data):]
            except BlockingIOError:  # the pipe is full until the worker reads
                left = deadline - time.monotonic()
                if left <= 0 or proc.poll() is not None:
                    return
                select.select([], [fd], [], min(left, 0.1))
    except OSError:
        pass  # the worker is gone (a broken pipe): the next poll says it ended without an answer
    finally:
        try:
            proc.stdin.close()
        except OSError:
            pass


def _pid(job: str) -> int:
    """The worker's pid from the job folder; 0 when the file is missing or is not a number."""
    try:
        return int(read_text(path_in(job, "pid"), "0") or "0")
    except ValueError:
        return 0


def alive(job: str) -> bool:
    """Whether the job's worker still runs (its pid, and its command line naming the folder)."""
    pid = _pid(job)
    if pid <= 0:
        return False
    cmdline = read_text("/proc/%d/cmdline" % pid)
    if cmdline is not None:
        return job in cmdline
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def terminate(job: str) -> bool:
    """SIGTERM (then SIGCONT, should it be stopped) to the job's worker, if it still runs; whether it did."""
    if not alive(job):
        return False
    pid = _pid(job)
    try:
        os.kill(pid, signal.SIGTERM)  # its handler stops the wait; the folder is gone, so it exits
        os.kill(pid, signal.SIGCONT)
    except OSError:
        return False
    return True
