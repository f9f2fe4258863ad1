# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start the ECS emulator for an ansible-test integration target, and stop it with the playbook.

    emulator_ctl.py start LOG      prints {"url": ..., "pid": ...}
    emulator_ctl.py stop PID

The emulator outlives the task that starts it; a watchdog stops it when the
ansible-playbook run that started it ends, however it ends, so no target
leaves a server behind (the target's own `always:` stops it first).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

START_TIMEOUT = 30


def _cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            return handle.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _parent(pid):
    try:
        with open("/proc/%d/stat" % pid, encoding="utf-8") as handle:
            return int(handle.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def playbook_pid():
    """The outermost ansible-playbook process above this one (its workers share its command line)."""
    found, pid = 0, os.getppid()
    while pid > 1:
        if "ansible-playbook" in _cmdline(pid):
            found = pid
        pid = _parent(pid)
    return found


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop(pid):
    """SIGTERM the emulator we started (by its PID), SIGKILL after 10 s."""
    if not _alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
        except ChildProcessError:  # not our child: the stop command runs in another process
            if not _alive(pid):
                return
        time.sleep(0.1)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)


def watch(emulator, owner):
    """Stop ``emulator`` once ``owner`` has gone."""
    while _alive(owner) and _alive(emulator):
        time.sleep(1)
    stop(emulator)


def collection_root():
    """The checkout holding tests/emulator: ansible-test runs a target from a copy that has only
    tests/integration, so look on the collections path it sets as well as above this file."""
    candidates = []
    here = os.path.dirname(os.path.abspath(__file__))
    while os.path.dirname(here) != here:
        candidates.append(here)
        here = os.path.dirname(here)
    for entry in os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep):
        if entry:
            candidates.append(os.path.join(entry, "ansible_collections", "alicloud", "ecs"))
    for root in candidates:
        if os.path.isfile(os.path.join(root, "tests", "emulator", "__main__.py")):
            return root
    raise SystemExit("tests/emulator not found above %s nor on ANSIBLE_COLLECTIONS_PATH" % os.path.abspath(__file__))


def start(log_path):
    """Start the emulator with tests/emulator/harness.py (the one launcher), in a session of its own."""
    # Imported here: the collection holding the harness is found at run time.
    sys.path.insert(0, collection_root())
    from tests.emulator.harness import Emulator, EmulatorError

    emulator = Emulator(start_timeout=START_TIMEOUT, python=sys.executable, log_path=log_path, new_session=True)
    try:
        emulator.start()
    except EmulatorError:
        raise SystemExit("the emulator did not print its URL within %d s; see %s" % (START_TIMEOUT, log_path)) from None
    # Not stopped here: it outlives this command until `stop PID` or the watchdog ends it.
    proc, url = emulator.process, emulator.url
    owner = playbook_pid()
    if owner:
        subprocess.Popen([sys.executable, os.path.abspath(__file__), "watch", str(proc.pid), str(owner)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    print(json.dumps({"url": url, "pid": proc.pid, "watched": owner}))


def main(argv):
    if argv[:1] == ["start"] and len(argv) == 2:
        start(argv[1])
    elif argv[:1] == ["stop"] and len(argv) == 2:
        stop(int(argv[1]))
    elif argv[:1] == ["watch"] and len(argv) == 3:
        watch(int(argv[1]), int(argv[2]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
