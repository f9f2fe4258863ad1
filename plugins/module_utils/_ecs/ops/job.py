# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The wait as both paths run it (``run_wait_safely``, stoppable through stopping.py), and ecs_task_wait's
background job on a target host: ``start_job``, ``poll_job`` and ``cancel_job`` in the module, ``worker_main``
in the detached process. See docs/where-it-runs.md and docs/architecture.md (Operations and the event source).
"""

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
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.progress import ProgressReporter
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.partial import PartialKeeper
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.results import run_safely
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.redact import redact_result
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients, Session
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.stopping import TICK, StoppableClient, StopToken
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import WAIT as TASK_WAIT
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait_kind import WaitKind, find_wait

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Mapping
    from typing import Protocol

    class ModuleLike(Protocol):
        """What run_module uses of an AlicloudModule (ansible_adapter.py, a higher layer)."""

        session: Session

        @property
        def params(self) -> dict:
            ...

        @property
        def check_mode(self) -> bool:
            ...

        @property
        def diff(self) -> bool:
            ...

        def answer(self, result: dict) -> None:
            ...

JOB_PREFIX = "alicloud-ecs-wait-"
# The controller renews the lease at every poll (at most POLL_EVERY_MAX apart);
# a worker whose lease lapsed stops calling the API within a tick.
LEASE_SECONDS = 10.0
POLL_EVERY_MAX = 3.0
POLL_EVERY_MIN = 1.0
# The option the action plugin adds to reach the job operations (never set by users).
JOB_OPTION = {"_job": {"type": "dict"}}
_BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); "
         "from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.job import worker_main; "
         "worker_main(sys.argv[2])")


def run_wait_safely(args: dict, env: Mapping[str, str], check_mode: bool, token: StopToken,
                    emit: Callable[[str], object] | None, prefix: str, session: Session | None = None,
                    keep: Callable[[dict], object] | None = None, kind: WaitKind = TASK_WAIT, diff: bool = False) -> dict:
    """The whole wait (of ``kind``: ops/wait_kind.py) as both paths run it: options checked, client built, engine
    run, errors as results. ``diff``: Ansible's ``--diff``, for a kind that starts work.

    ``session``: the run's one session when the caller has opened it (the module's); else one is opened here.
    ``keep(partial)``, at each progress report: the result so far, secrets masked (ops/partial.py).
    ``emit`` None: no progress lines (under async), so warnings stay in the result for Ansible to show.
    """
    session = Session(args, env) if session is None else session

    def work():
        plan = kind.prepare(args)
        reporter = ProgressReporter(emit, interval=plan.config.display_interval, prefix=prefix)
        reporter.warn(plan.config.warnings)  # before the first poll: a misspelt state, say
        clients = Clients(session, wrap=lambda client: StoppableClient(client, token))
        on_progress: Callable[[dict], object] = reporter
        if keep is not None:
            keeper = PartialKeeper(lambda partial: keep(redact_result(partial, session.secrets())), kind.noun)

            def report_and_keep(snapshot):
                reporter(snapshot)
                keeper(snapshot, clients.api_calls)
            on_progress = report_and_keep
        extra = {"diff": diff, "say": reporter.say} if kind.starts else {}
        try:
            result = kind.run(plan, clients, check_mode=check_mode, sleep=token.sleep, on_progress=on_progress, **extra)
            reporter.close(result, kind.closing)
            return result
        finally:
            session.close()

    return run_safely(work, session.secrets)


def run_module(module: ModuleLike, kind: WaitKind = TASK_WAIT) -> None:
    """A wait module (an AlicloudModule) run: a job operation the action plugin asked for, or the wait itself.

    The wait itself runs here under the user's ``async``: SIGTERM, SIGHUP and
    SIGINT stop it with a JSON answer that keeps what it learned (async_status
    then shows that rather than the wrapper's "No start of json char found").
    """
    params = dict((key, value) for key, value in module.params.items() if key not in JOB_OPTION)
    job = module.params.get("_job")
    if job:
        result = run_safely(lambda: dict(handle_job(job, params, module.check_mode, kind, module.diff), changed=False),
                            module.session.secrets)
    else:
        token = StopToken()
        token.handle_signals()
        # No lines under async: its warnings stay in the result, for Ansible to show.
        result = run_wait_safely(params, os.environ, module.check_mode, token, None, kind.name,
                                 session=module.session, kind=kind, diff=module.diff)
    module.answer(result)


def poll_every(display_interval: float) -> float:
    """How often the controller polls a background job: often enough for display_interval's lines."""
    return min(POLL_EVERY_MAX, max(POLL_EVERY_MIN, display_interval / 2.0))


# ---------------------------------------------------------------- the job folder

def _path(job, name):
    return os.path.join(job, name)


def _write(path, text, mode=0o600):
    """Atomic write: readers see the old content or the new, never half of it."""
    handle, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    with os.fdopen(handle, "w") as out:
        out.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def _read(path, default=None, newline=None):
    """The file's text, or ``default`` when it cannot be read; bytes that are not UTF-8 are replaced, never an error.

    ``newline`` as for open(): None reads \\r\\n and \\r as \\n, "" keeps them.
    """
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8", "replace")
        return text if newline == "" else text.replace("\r\n", "\n").replace("\r", "\n")
    except (IOError, OSError):
        return default


def _renew(job, seconds):
    _write(_path(job, "lease"), "%.3f" % (time.time() + seconds))


def _check_job(job: object) -> str:
    """The job folder, if it is one of ours (the path comes back from the controller)."""
    if not isinstance(job, str) or not os.path.basename(job.rstrip("/")).startswith(JOB_PREFIX):
        raise ConfigError("_job.path %r is not a wait job folder; _job is set by the action plugin only." % (job,),
                          option="_job")
    return job


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
        shutil.copy(root, _path(job, "payload.zip"))
        root = _path(job, "payload.zip")
    args = dict((key, value) for key, value in params.items() if key != "_job")
    _renew(job, lease)
    with open(_path(job, "stderr"), "wb") as errors:
        # The module's own interpreter and environment (the task's `environment:` included); a session
        # of its own, so the end of the SSH session does not signal it. Not run_command (which
        # ansible-test's pylint asks for): it waits for its command, and this worker outlives the module.
        proc = subprocess.Popen([sys.executable, "-c", _BOOT, root, job], cwd=job,  # pylint: disable=ansible-bad-function
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors,
                                close_fds=True, start_new_session=True, env=dict(os.environ))
    _write(_path(job, "pid"), str(proc.pid))
    deadline = time.monotonic() + 10
    # Through a pipe, never a file: the keys the arguments may hold are never on the target's disk,
    # even when the worker dies before it reads them.
    spec = {"args": args, "check_mode": bool(check_mode), "diff": bool(diff), "prefix": prefix, "wait": kind.home}
    _hand_over(proc, json.dumps(spec).encode("utf-8"), deadline)
    # Until it has exec'd, the child shows this process's command line, and polls would take it for gone.
    while not _alive(job) and proc.poll() is None and time.monotonic() < deadline:
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


def _alive(job):
    """Whether the job's worker still runs (its pid, and its command line naming the folder)."""
    try:
        pid = int(_read(_path(job, "pid"), "0"))
    except ValueError:
        return False
    if pid <= 0:
        return False
    cmdline = _read("/proc/%d/cmdline" % pid)
    if cmdline is not None:
        return job in cmdline
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _result(job):
    """The worker's result, None while there is none; a file that is not a result gives a failed one saying so."""
    path = _path(job, "result.json")
    text = _read(path)
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


def poll_job(job: str, offset: int = 0, lease: float = LEASE_SECONDS) -> dict[str, object]:
    """Renew the lease; the progress lines after ``offset`` and, once there, the result.

    The poll that hands the result over removes the folder (the worker then
    exits), so a wait that ended needs no cancel.
    """
    job = _check_job(job)
    if not os.path.isdir(job):
        return {"lines": [], "offset": offset, "done": True, "result": None, "gone": True}
    _renew(job, lease)
    # Lines end with "\n" only (progress.one_line made each one line); a line still being written waits.
    lines = (_read(_path(job, "progress.log"), "", newline="") or "").split("\n")[:-1]
    result = _result(job)
    answer = {"lines": lines[offset:], "offset": len(lines), "done": result is not None, "result": result}
    if result is None and not _alive(job):
        # Read again: the worker may have written its result between the two reads.
        answer["result"] = _result(job)
        answer["done"] = True
        if answer["result"] is None:
            answer["stderr"] = (_read(_path(job, "stderr"), "") or "")[-2000:]
    if answer["done"]:
        shutil.rmtree(job, ignore_errors=True)
    return answer


def cancel_job(job: str, reason: str = "the controller cancelled it", wait: float = 3.0) -> dict[str, object]:
    """Ask the worker to stop, give it a moment to write what it learned, remove the folder."""
    job = _check_job(job)
    if not os.path.isdir(job):
        return {"result": None, "gone": True}
    try:
        _write(_path(job, "stop"), reason)
    except (IOError, OSError):
        pass
    end = time.monotonic() + wait
    while _alive(job) and _result(job) is None and time.monotonic() < end:
        time.sleep(0.1)
    result = _result(job)
    answer = {"result": result, "gone": False, "pid": _read(_path(job, "pid"))}
    if result is None:
        # What it had learned, and a worker that did not stop when asked is stuck: end it.
        answer["partial"] = _partial(job)
        answer["stuck"] = _terminate(job)
    shutil.rmtree(job, ignore_errors=True)
    return answer


def _partial(job):
    try:
        return json.loads(_read(_path(job, "partial.json"), "") or "null")
    except ValueError:
        return None


def _terminate(job):
    """SIGTERM (then SIGCONT, should it be stopped) to the job's worker, if it still runs; whether it did."""
    if not _alive(job):
        return False
    pid = int(_read(_path(job, "pid"), "0"))
    try:
        os.kill(pid, signal.SIGTERM)  # its handler stops the wait; the folder is gone, so it exits
        os.kill(pid, signal.SIGCONT)
    except OSError:
        return False
    return True


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
        return poll_job(_check_job(options.get("path")), offset, lease=lease)
    if operation == "cancel":
        return cancel_job(_check_job(options.get("path")), reason=options.get("reason") or "the controller cancelled it")
    raise ConfigError("_job.operation must be start, poll or cancel (set by the action plugin only)", option="_job")


def _job_number(options, name, default, kind):
    try:
        return kind(options.get(name) or default)
    except (TypeError, ValueError):
        raise ConfigError("_job.%s must be a number, got %r; _job is set by the action plugin only: remove it from the task"
                          % (name, options.get(name)), option="_job") from None


# ---------------------------------------------------------------- the worker

def _lease_check(job):
    def check():
        if not os.path.isdir(job):
            return "its job folder was removed"
        stop = _read(_path(job, "stop"))
        if stop is not None:
            return stop or "the controller cancelled it"
        try:
            expiry = float(_read(_path(job, "lease"), "0"))
        except ValueError:
            expiry = 0.0
        if time.time() > expiry:
            return ("the controller stopped renewing its lease (ansible-playbook ended or lost the connection "
                    "to this host)")
        return None
    return check


def worker_main(job: str) -> None:
    """Entry point of the detached process: run the wait, write the result, tidy up."""
    token = StopToken([_lease_check(job)])
    token.handle_signals()
    data = sys.stdin.buffer.read()  # start_job's pipe: the keys the arguments may hold stay in memory
    if not data:
        # To the job's stderr file, which the poll that finds this process gone reports.
        sys.stderr.write("the wait's arguments never arrived on its standard input\n")
        return
    spec = json.loads(data.decode("utf-8"))

    def emit(line):
        with open(_path(job, "progress.log"), "a") as log:
            log.write(line + "\n")

    def keep(partial):
        try:
            _write(_path(job, "partial.json"), json.dumps(partial))
        except (IOError, OSError):
            pass  # the folder is gone: the lease check stops the wait

    result = run_wait_safely(spec["args"], os.environ, spec["check_mode"], token, emit, spec["prefix"], keep=keep,
                             kind=find_wait(spec.get("wait", TASK_WAIT.home)), diff=bool(spec.get("diff")))
    try:
        _write(_path(job, "result.json"), json.dumps(result))
    except (IOError, OSError):
        return  # the folder is gone: nobody is waiting for the answer
    # Wait for the controller to collect the result; remove the folder if it never does.
    collector = StopToken([_lease_check(job)])
    while not collector.stopped():
        time.sleep(TICK)
    shutil.rmtree(job, ignore_errors=True)
