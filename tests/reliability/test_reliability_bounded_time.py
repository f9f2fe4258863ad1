# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bounded time: against an endpoint that accepts connections and never answers, a wait with
timeout T returns within about T plus one request timeout, and says it timed out.

The bounds are loose on purpose (a loaded 2-core machine): they catch a wait that hangs or
multiplies its timeout, not a slow one.
"""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

from tests.emulator.harness import Emulator
from tests.reliability.conftest import assert_no_traceback, fast_ansible, run_playbook

TIMEOUT = 4           # the wait's timeout (s)
REQUEST_TIMEOUT = 3   # one API answer (s)
SLACK = 15            # process start, module start, a loaded machine
BOUND = TIMEOUT + REQUEST_TIMEOUT + SLACK


class SilentServer(object):
    """Accepts every connection on 127.0.0.1 and never answers, until closed."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.held = []
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, dummy = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.accepted += 1
            self.held.append(conn)  # held open, never read, never answered

    def close(self):
        self._stop.set()
        self._thread.join(5)
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.fixture(scope="module")
def silent():
    server = SilentServer()
    yield server
    server.close()


def _timed(name, task):
    """set_fact the time before and after ``task`` so the recorded results give its wall clock."""
    stamp = "{{ now().timestamp() }}"
    return [{"name": name + " start", "ansible.builtin.set_fact": {"t_start": stamp}},
            dict(task, name=name, ignore_errors=True),
            {"name": name + " end", "ansible.builtin.set_fact": {"t_end": stamp}}]


def _seconds(run, name):
    start = float(run.result(name + " start")["ansible_facts"]["t_start"])
    end = float(run.result(name + " end")["ansible_facts"]["t_end"])
    return end - start


@pytest.fixture(scope="module")
def silent_run(silent):
    # The harness wants an emulator for its environment; the tasks point at the silent server instead.
    wait = {"task_ids": ["t-1", "t-2"], "timeout": TIMEOUT, "endpoint": silent.url, "request_timeout": REQUEST_TIMEOUT}
    tasks = (_timed("wait on the controller", {"alicloud.ecs.ecs_task_wait": wait})
             + _timed("wait as a module", {"alicloud.ecs.ecs_task_wait": wait, "async": 60, "poll": 1})
             + _timed("wait v3 with cancel", {"alicloud.ecs.ecs_task_wait": dict(wait, signature_version="v3", cancel_on_timeout=True)}))
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    with Emulator() as emulator:
        started = time.monotonic()
        run = run_playbook(fast_ansible(emulator), json.dumps(play, indent=1), timeout=3 * BOUND + 60)
        total = time.monotonic() - started
    return run, total


@pytest.mark.parametrize("name", ["wait on the controller", "wait as a module", "wait v3 with cancel"])
def test_wait_returns_in_bounded_time_with_a_clear_message(silent_run, silent, name):
    run, total = silent_run
    result = run.result(name)
    assert run.status(name) == "ignored", result  # it failed
    seconds = _seconds(run, name)
    assert seconds < BOUND, "%s took %.1f s, more than %s s" % (name, seconds, BOUND)
    msg = result.get("msg", "")
    assert "timeout" in msg.lower() or "timed out" in msg.lower(), msg
    assert silent.url in msg and "no answer" in msg, msg  # says which endpoint did not answer
    assert result["timed_out"] is True, result


def test_the_server_was_really_asked_and_nothing_crashed(silent_run, silent):
    run, total = silent_run
    assert silent.accepted >= 3  # each wait connected at least once
    assert run.rc == 0, run
    assert_no_traceback(run)
    assert total < 3 * BOUND + 20, total
