# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_task_wait runs where the task runs: a real SSH target, delegate_to, become, environment, async, kills.

The site (tests/system/ssh_site.py): sshd on loopback for the local user ``ecsbuilder``, whose HOME
holds credentials (builderid) and whose ~/.ssh/environment names the emulator; the controller user has no
credentials unless a test gives it ``testid``. The emulator's ``access_keys`` statistics say which identity
made every call.
"""

from __future__ import annotations

import glob
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from tests.emulator.harness import advance_when
from tests.system import sshtarget
from tests.system.ansible_run import BIN, INVENTORY, REPO_ROOT
from tests.system.ssh_site import BUILDER, NO_CONTROLLER_KEYS, progress_lines, site_fixtures

LEASE_AND_SLACK = 15.0  # job/folder.LEASE_SECONDS (10) plus a tick, a poll and a slow machine
PARENT_GONE_AND_SLACK = 6.0  # a tick (0.5s), the cancel over SSH, a slow machine


site, fresh = site_fixtures("ecsbuilder", "ecsother")


def wait_play(hosts, task_extra="", play_extra="", timeout="60s"):
    return """
- name: Wait
  hosts: %s
  gather_facts: false
%s
  tasks:
    - name: Wait for the tasks
      alicloud.ecs.ecs_task_wait:
        task_ids: "{{ ids }}"
        poll_interval: 0.5s
        display_interval: 1s
        timeout: %s
%s
      register: waited
""" % (hosts, play_extra, timeout, task_extra)


# ---------------------------------------------------------------- where it runs

def test_plain_wait_runs_on_the_ssh_host_with_its_identity_and_shows_progress(fresh):
    # They end once the wait has polled them for a while, however long the play took to start (a loaded CI
    # machine once took longer than a 5 s task, and no line said "pending").
    ids = fresh.emulator.create_tasks(action="ImportImage", duration=600, count=2)
    with advance_when(fresh.emulator, lambda stats: stats["calls"].get("DescribeTasks", 0) >= 4, 600) as advanced:
        run = fresh.play(wait_play("builder1"), {"ids": ids})
    assert run.rc == 0 and advanced, run
    result = run.result("Wait for the tasks")
    assert sorted(result["succeeded"]) == sorted(ids), result
    assert fresh.keys_seen().keys() == {"builderid"}, fresh.keys_seen()
    lines = progress_lines(run, "builder1")
    # Lines while it waited (pending), then the closing one.
    assert any("pending" in line and "2 pending" in line for line in lines), run.stdout
    assert any("2/2 succeeded" in line for line in lines), run.stdout
    assert lines[-1].startswith("[builder1] ecs_task_wait: done: 2/2 succeeded"), run.stdout
    assert not any(name in json.dumps(result) for name in ("_job", "invocation")), result


def test_on_a_python_39_target_the_wait_async_and_info_run(fresh):
    """RHEL 9's Python: the modules declare 3.9+ (tests/config.yml); here they run on it, over SSH."""
    try:
        interpreter = sshtarget.python39(fresh.builder)
    except sshtarget.Unavailable as reason:
        pytest.skip(str(reason))
    inventory = fresh.target.inventory("builder39", extra={"ansible_python_interpreter": interpreter})
    ids = fresh.emulator.create_tasks(action="ExportImage", duration=3, count=2)
    play = wait_play("builder39") + """
    - name: The same wait in the background
      alicloud.ecs.ecs_task_wait: {task_ids: "{{ ids }}", timeout: 60}
      async: 60
      poll: 1
    - name: Info
      alicloud.ecs.ecs_task_info: {task_ids: "{{ ids }}", details: true}
    - name: The target's Python
      ansible.builtin.setup: {gather_subset: ["!all", "!min", "python"]}
"""
    run = fresh.ansible().playbook(play, extra_vars={"ids": ids}, env=dict(NO_CONTROLLER_KEYS), args=("-i", inventory))
    assert run.rc == 0, run
    assert run.result("The target's Python")["ansible_facts"]["ansible_python"]["version"]["minor"] == 9, run
    assert sorted(run.result("Wait for the tasks")["succeeded"]) == sorted(ids)
    assert sorted(run.result("The same wait in the background")["succeeded"]) == sorted(ids)
    assert [task["task_status"] for task in run.result("Info")["tasks"]] == ["Finished", "Finished"]
    assert fresh.keys_seen().keys() == {"builderid"}, fresh.keys_seen()
    assert progress_lines(run, "builder39")[-1].startswith("[builder39] ecs_task_wait: done: 2/2 succeeded"), run.stdout


def test_a_wait_by_filters_on_the_ssh_host_shows_its_search_then_its_wait(fresh):
    # Invisible for 10 s: ansible's start over SSH takes 1 to 3 s, so several searches find nothing.
    ids = fresh.emulator.create_tasks(action="ExportImage", duration=2, visible_after=10, resource_id="m-where00000000late")
    play = wait_play("builder1").replace('task_ids: "{{ ids }}"', "resource_ids: [m-where00000000late]")
    run = fresh.play(play)
    assert run.rc == 0, run
    assert run.result("Wait for the tasks")["succeeded"] == ids
    lines = progress_lines(run, "builder1")
    searching = [line for line in lines if "searching for resource_ids=[m-where00000000late]: none yet after" in line]
    assert searching, run.stdout                           # the cadence itself is unit-tested (test_wait.py)
    assert lines.index(searching[-1]) < lines.index(next(line for line in lines if ids[0] in line)), run.stdout
    assert lines[-1].startswith("[builder1] ecs_task_wait: done: 1/1 succeeded"), run.stdout


def test_the_controller_has_no_keys_so_a_controller_side_wait_would_fail(fresh):
    """The counter-check: the SSH test above can only pass because the wait ran on builder1."""
    ids = fresh.emulator.create_tasks(action="ImportImage", duration=1)
    run = fresh.play(wait_play("builder1", task_extra="      delegate_to: localhost"), {"ids": ids})
    assert run.rc != 0
    assert "No Alibaba Cloud credentials" in run.result("Wait for the tasks")["msg"]
    assert fresh.keys_seen() == {}


# delegate_to picks where the wait runs, and so whose keys it uses: the controller's (testid) or builder1's.
@pytest.mark.parametrize("play_host, delegate_to, key_id", [
    ("builder1", "localhost", "testid"),
    ("localhost", "builder1", "builderid"),
], ids=["delegate_to localhost from a builder1 play", "delegate_to builder1 from a localhost play"])
def test_delegate_to_decides_where_the_wait_runs(fresh, play_host, delegate_to, key_id):
    ids = fresh.emulator.create_tasks(action="ImportImage", duration=3)
    run = fresh.play(wait_play(play_host, task_extra="      delegate_to: %s" % delegate_to), {"ids": ids}, controller_keys=True)
    assert run.rc == 0, run
    assert fresh.keys_seen().keys() == {key_id}, fresh.keys_seen()
    assert progress_lines(run, play_host), run.stdout


def test_become_another_user_uses_that_users_credentials(fresh):
    """A local connection whose become changes the user runs as that user, with its HOME's keys."""
    ids = fresh.emulator.create_tasks(action="ImportImage", duration=3)
    play_extra = ("  become: true\n  become_method: ansible.builtin.su\n  become_user: ecsother\n"
                  "  vars:\n    ansible_python_interpreter: %s" % sshtarget.TARGET_PYTHON)
    run = fresh.play(wait_play("localhost", play_extra=play_extra), {"ids": ids})
    assert run.rc == 0, run
    assert fresh.keys_seen().keys() == {"otherid"}, fresh.keys_seen()
    assert progress_lines(run, "localhost"), run.stdout


def test_the_build_host_example_of_the_docs_runs_on_the_build_host(fresh):
    """docs/where-it-runs.md's build-host play (not run by test_docs_examples: it needs this SSH host)."""
    with open(os.path.join(REPO_ROOT, "docs", "where-it-runs.md")) as handle:
        blocks = re.findall(r"^```yaml\n(.*?)^```$", handle.read(), re.MULTILINE | re.DOTALL)
    play = [block for block in blocks if "hosts: build_hosts" in block]
    assert len(play) == 1, blocks
    task_id = fresh.emulator.create_tasks(action="ExportImage", duration=2)[0]
    run = fresh.play(play[0].replace("t-bp1hvgwromzv32iq0001", task_id))
    assert run.rc == 0, run
    assert run.result("Wait for the image export the build host started")["succeeded"] == [task_id]
    assert fresh.keys_seen().keys() == {"builderid"}, fresh.keys_seen()
    assert progress_lines(run, "builder1"), run.stdout


# ---------------------------------------------------------------- environment: a proxy that must be used

class CountingProxy(object):
    """A forwarding HTTP proxy on loopback that counts the requests it relays."""

    def __init__(self):
        self.count = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _relay(self):
                target = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                path = target.path + ("?" + target.query if target.query else "")
                headers = dict((k, v) for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "connection"))
                connection.request(self.command, path or "/", body=body, headers=headers)
                answer = connection.getresponse()
                data = answer.read()
                proxy.count += 1
                self.send_response(answer.status)
                for key, value in answer.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                connection.close()

            do_GET = do_POST = _relay

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("hosts, controller_keys", [("localhost", True), ("builder1", False)])
def test_the_tasks_environment_proxy_carries_every_call(fresh, hosts, controller_keys):
    proxy = CountingProxy()
    try:
        ids = fresh.emulator.create_tasks(action="ImportImage", duration=2)
        task_extra = '      environment:\n        HTTP_PROXY: "%s"\n        NO_PROXY: ""' % proxy.url
        run = fresh.play(wait_play(hosts, task_extra=task_extra), {"ids": ids}, controller_keys=controller_keys)
        assert run.rc == 0, run
        result = run.result("Wait for the tasks")
        assert result["api_calls"] > 0 and proxy.count == result["api_calls"], (proxy.count, result["api_calls"])
        # NO_PROXY naming the endpoint's host sends the calls past the proxy.
        before = proxy.count
        task_extra = '      environment:\n        HTTP_PROXY: "%s"\n        NO_PROXY: "localhost,127.0.0.1"' % proxy.url
        run = fresh.play(wait_play(hosts, task_extra=task_extra), {"ids": ids}, controller_keys=controller_keys)
        assert run.rc == 0, run
        assert proxy.count == before
    finally:
        proxy.close()


# ---------------------------------------------------------------- async

ASYNC_START = """
- name: Start
  hosts: builder1
  gather_facts: false
  tasks:
    - name: Start the wait in the background
      alicloud.ecs.ecs_task_wait:
        task_ids: "{{ ids }}"
        poll_interval: 0.5s
        timeout: "{{ timeout }}"
      async: 120
      poll: 0
      register: waiting
"""

ASYNC_COLLECT = """
- name: Collect
  hosts: builder1
  gather_facts: false
  tasks:
    - name: Collect the result
      ansible.builtin.async_status:
        jid: "{{ jid }}"
      register: waited
      until: waited.finished
      retries: 60
      delay: 1
      ignore_errors: true
"""


def test_async_and_async_status_on_the_ssh_host(fresh):
    ids = fresh.emulator.create_tasks(action="ImportImage", duration=2)
    run = fresh.play(ASYNC_START, {"ids": ids, "timeout": "60s"})
    assert run.rc == 0, run
    jid = run.result("Start the wait in the background")["ansible_job_id"]
    collected = fresh.play(ASYNC_COLLECT, {"jid": jid})
    result = collected.result("Collect the result")
    assert result["finished"] and not result.get("failed") and result["succeeded"] == ids, result
    assert fresh.keys_seen().keys() == {"builderid"}


def _module_process(user):
    """The ecs_task_wait module process that async_wrapper started for this user."""
    for pid, cmdline in sshtarget.processes_of(user):
        if "AnsiballZ_ecs_task_wait" in cmdline and "async_wrapper" not in cmdline:
            return pid
    return None


def test_a_sigterm_to_an_async_wait_answers_with_what_it_learned(fresh):
    ids = fresh.emulator.create_tasks(action="ImportImage", duration=600)
    run = fresh.play(ASYNC_START, {"ids": ids, "timeout": "5m"})
    assert run.rc == 0, run
    jid = run.result("Start the wait in the background")["ansible_job_id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (_module_process(fresh.builder) and fresh.emulator.stats()["calls"]):
        time.sleep(0.2)
    pid = _module_process(fresh.builder)
    assert pid, sshtarget.processes_of(fresh.builder)
    time.sleep(1.5)  # a few polls, so there is something learned
    os.kill(pid, signal.SIGTERM)
    collected = fresh.play(ASYNC_COLLECT, {"jid": jid})
    result = collected.result("Collect the result")
    assert result["finished"] and collected.status("Collect the result") in ("failed", "ignored"), json.dumps(result)
    assert "No start of json char" not in json.dumps(result)
    assert re.match(r"stopped waiting after \S+: received SIGTERM$", result["msg"]), result["msg"]
    assert result["error_code"] == "WaitStopped"
    assert result["pending"] == ids and result["tasks"][0]["task_status"] == "Processing", result


# ---------------------------------------------------------------- the same answer on both paths

SCENARIOS = """
- name: Scenarios
  hosts: "{{ target }}"
  gather_facts: false
  tasks:
    - name: success
      alicloud.ecs.ecs_task_wait:
        task_ids: ["{{ ids.done }}"]
        poll_interval: 0.5s
        timeout: 30s
      ignore_errors: true
    - name: failure
      alicloud.ecs.ecs_task_wait:
        task_ids: ["{{ ids.broken }}", "{{ ids.done }}"]
        poll_interval: 0.5s
        timeout: 30s
      ignore_errors: true
    - name: timeout
      alicloud.ecs.ecs_task_wait:
        task_ids: ["{{ ids.slow }}"]
        poll_interval: 0.5s
        timeout: 2s
      ignore_errors: true
    - name: check mode cancel_on_timeout
      alicloud.ecs.ecs_task_wait:
        task_ids: ["{{ ids.slow }}"]
        poll_interval: 0.5s
        timeout: 2s
        cancel_on_timeout: true
      check_mode: true
      ignore_errors: true
    - name: cancel_on_timeout
      alicloud.ecs.ecs_task_wait:
        task_ids: ["{{ ids.slow }}"]
        poll_interval: 0.5s
        timeout: 2s
        cancel_on_timeout: true
      ignore_errors: true
    - name: role
      ansible.builtin.include_role:
        name: alicloud.ecs.wait_for_tasks
      vars:
        wait_for_tasks_task_ids: ["{{ ids.done }}", "{{ ids.broken }}"]
        wait_for_tasks_timeout: 30s
        wait_for_tasks_report_dir: "{{ report_dir }}"
        wait_for_tasks_report_name: ci
        wait_for_tasks_fail_on_failure: false
"""
SCENARIO_NAMES = ("success", "failure", "timeout", "check mode cancel_on_timeout", "cancel_on_timeout")
# Times, progress and call counts (they move with time: one poll more or less) and the ids the
# emulator makes up per task (resource_id).
VOLATILE = ("elapsed", "creation_time", "finished_time", "api_calls", "predicted_end", "resource_id", "progress")


def _normalise(value, names):
    """Task ids -> their role in the scenario, durations -> D: what may differ between two runs."""
    if isinstance(value, dict):
        # Related items hold ids the emulator makes up per task (an image id): their names are compared.
        # Keys may be task ids too (tasks_by_id).
        return dict((_normalise(key, names), sorted(item) if key == "related_items" else _normalise(item, names))
                    for key, item in value.items() if key not in VOLATILE)
    if isinstance(value, list):
        return [_normalise(item, names) for item in value]
    if isinstance(value, str):
        for task_id, name in names.items():
            value = value.replace(task_id, name)
        value = re.sub(r"\b\d+%", "P%", value)
        # The report's Duration bars, drawn from the records' elapsed (the wait's time until each was decided): tasks
        # already ended are decided in the first round, at 0.0 s or 0.1 s by how fast the host answered.
        value = re.sub(r"\| [\u2588-\u258f]* \|", "| BAR |", value)
        # Image ids in related items (an export's object is <image>_<task>.raw) and in the role's report.
        value = re.sub(r"\bm-[a-z0-9]{10,}(?![a-z0-9])", "IMAGE", value)
        return re.sub(r"\b\d+(?:\.\d+)?(?:ms|h|m|s)(?:\d+m)?(?:\d+s)?\b", "D", value)
    return value


def _differences(left, right, path=""):
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right)):
            yield from _differences(left.get(key, "<missing>"), right.get(key, "<missing>"), path + "." + key)
    elif isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        for index, (one, other) in enumerate(zip(left, right)):
            yield from _differences(one, other, "%s[%d]" % (path, index))
    elif left != right:
        yield "%s: %r != %r" % (path, left, right)


def _scenario_results(site, target, report_dir):
    create = site.emulator.create_tasks
    ids = {"done": create(action="ImportImage", duration=1)[0],
           "broken": create(action="ImportImage", duration=1, outcome="Failed", error_code="InvalidImage.Format",
                            error_msg="Not a disk image.")[0],
           "slow": create(action="ExportImage", duration=600, support_cancel=True)[0]}
    time.sleep(1.5)  # done and broken have ended: every scenario has one answer
    run = site.play(SCENARIOS, {"target": target, "ids": ids, "report_dir": report_dir}, controller_keys=(target == "localhost"))
    assert run.rc == 0, run
    names = dict((task_id, name.upper()) for name, task_id in ids.items())
    results = dict((name, _normalise(run.result(name), names)) for name in SCENARIO_NAMES)
    for name in SCENARIO_NAMES:
        # The callback's status says ok / ignored (a failure) / changed: Ansible's own flags.
        results[name]["status"] = run.status(name)
    facts = [entry["result"] for entry in run.results if "wait_for_tasks_result" in entry["result"].get("ansible_facts", {})]
    role = dict(facts[-1]["ansible_facts"]["wait_for_tasks_result"])
    for key in ("junit_file", "markdown_file"):
        role.pop(key)
    results["role"] = _normalise(role, names)
    with open(os.path.join(report_dir, "ci.md")) as handle:
        results["role markdown"] = _normalise(handle.read(), names)
    return results


def test_the_same_answer_on_the_controller_and_on_the_ssh_host(fresh, tmp_path):
    # The same report folder for both (one after the other): the role's summary names it.
    here = _scenario_results(fresh, "localhost", str(tmp_path))
    there = _scenario_results(fresh, "builder1", str(tmp_path))
    for name in here:
        assert here[name] == there[name], (name, list(_differences(here[name], there[name])))
    # The scenarios are what they say.
    assert here["success"]["status"] == "ok" and here["failure"]["status"] == "ignored"
    assert here["timeout"]["timed_out"] is True and here["timeout"]["status"] == "ignored"
    assert here["check mode cancel_on_timeout"]["would_cancel"] == ["SLOW"] and "cancelled" not in here["check mode cancel_on_timeout"]
    assert here["check mode cancel_on_timeout"]["changed"] is True
    assert here["cancel_on_timeout"]["cancelled"] == ["SLOW"]


# ---------------------------------------------------------------- no orphans

KILL_PLAY = wait_play('"{{ target }}"', timeout="10m")


def _total_calls(emulator):
    return sum(emulator.stats()["calls"].values())


@pytest.mark.parametrize("target, signame, group", [
    ("builder1", "SIGHUP", False), ("builder1", "SIGKILL", False), ("localhost", "SIGHUP", False),
    ("localhost", "SIGKILL", False), ("builder1", "SIGTERM", False),
    # Ctrl-C reaches the whole process group.
    ("builder1", "SIGINT", True),
    # ansible-playbook and its workers all killed: only the lease can stop the wait on builder1.
    ("builder1", "SIGKILL", True),
])
def test_a_killed_playbook_leaves_nothing_calling_the_api(fresh, target, signame, group):
    ids = fresh.emulator.create_tasks(action="ImportImage", duration=900)
    runner = fresh.ansible()
    env = dict(runner.env)
    if target != "localhost":
        for name in NO_CONTROLLER_KEYS:
            env.pop(name, None)
    handle = tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False, prefix="playbook-")
    handle.write(KILL_PLAY)
    handle.close()
    argv = [os.path.join(BIN, "ansible-playbook"), "-i", INVENTORY, "-i", fresh.inventory, handle.name,
            "-e", json.dumps({"ids": ids, "target": target})]
    env["RECORD_RESULTS_FILE"] = os.devnull
    output = tempfile.TemporaryFile()
    proc = subprocess.Popen(argv, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=output,
                            stderr=subprocess.STDOUT, start_new_session=True)

    def said():
        output.seek(0)
        return output.read().decode("utf-8", "replace")[-3000:]
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and _total_calls(fresh.emulator) < 3:
            assert proc.poll() is None, "ansible-playbook ended before it was killed:\n" + said()
            time.sleep(0.2)
        assert _total_calls(fresh.emulator) >= 3, "the wait never started"
        (os.killpg if group else os.kill)(proc.pid, getattr(signal, signame))
        proc.wait(30)
        # The worker notices its parent has gone within a tick; only a lapsed lease takes longer.
        time.sleep(LEASE_AND_SLACK if group else PARENT_GONE_AND_SLACK)
        first = _total_calls(fresh.emulator)
        time.sleep(5)
        assert _total_calls(fresh.emulator) == first, "API calls went on after ansible-playbook was killed:\n" + said()
        assert not [entry for entry in sshtarget.processes_of(fresh.builder) if "alicloud-ecs-wait-" in entry[1]]
        # Nor is a worker of ansible-playbook left, blocked writing a result nobody reads.
        assert not sshtarget.live_members(proc.pid), "processes of the killed playbook are still running:\n" + said()
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of the group this test started
        except OSError:
            pass
        output.close()
        os.unlink(handle.name)


# ---------------------------------------------------------------- a worker alive but stuck (issue 18)

STUCK_TIMEOUT = 15


def _worker_job(user, wanted=lambda job: True):
    """(pid, job folder) of the background wait's worker running as ``user``, once ``wanted(job)``; else None.

    The pid comes from the job folder, checked against the process's command line (which names the folder).
    """
    for _pid, uid, _state, _group, cmdline in sshtarget.processes():
        if uid != user.pw_uid or "worker_main" not in cmdline:
            continue
        job = next((part for part in cmdline.split() if os.path.basename(part).startswith("alicloud-ecs-wait-")), None)
        try:
            with open(os.path.join(job, "pid")) as handle:
                pid = int(handle.read())
        except (OSError, TypeError, ValueError):
            continue
        if job in " ".join(cmdline.split()) and wanted(job):
            return pid, job
    return None


def _files_holding(folder, needle):
    """Paths of the files in ``folder`` (the payload's zip included) whose bytes hold ``needle``."""
    found = []
    for name in os.listdir(folder) if os.path.isdir(folder) else []:
        try:
            with open(os.path.join(folder, name), "rb") as handle:
                if needle in handle.read():
                    found.append(os.path.join(folder, name))
        except OSError:
            continue  # replaced or removed meanwhile
    return found


def _has_learned(job):
    """The worker has kept a partial result in which every task has a state."""
    try:
        with open(os.path.join(job, "partial.json")) as handle:
            partial = json.load(handle)
    except (OSError, ValueError):
        return False
    return bool(partial["tasks"]) and all(record.get("task_status") for record in partial["tasks"])


def test_a_stuck_worker_ends_the_wait_by_its_timeout_with_what_it_learned(fresh):
    """SIGSTOP the worker on builder1: the controller's own deadline ends the play, timed out, with the records."""
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.partial import STALL_GRACE
    ids = fresh.emulator.create_tasks(action="ImportImage", duration=900, count=2)
    runner = fresh.ansible()
    env = dict(runner.env)
    for name in NO_CONTROLLER_KEYS:
        env.pop(name, None)
    folder = tempfile.mkdtemp(prefix="stuck-worker-")
    playbook, record = os.path.join(folder, "play.yml"), os.path.join(folder, "results.jsonl")
    with open(playbook, "w") as handle:
        # The keys as options: they travel in the job's arguments, which must never reach the target's disk.
        handle.write(wait_play("builder1", timeout="%ds" % STUCK_TIMEOUT, task_extra=(
            "        access_key: %s\n        secret_key: %s\n      ignore_errors: true" % BUILDER)))
    env["RECORD_RESULTS_FILE"] = record
    output = tempfile.TemporaryFile()
    proc = subprocess.Popen([os.path.join(BIN, "ansible-playbook"), "-i", INVENTORY, "-i", fresh.inventory, playbook,
                             "-e", json.dumps({"ids": ids})], cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL,
                            stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    worker, holding, scanned = None, set(), set()
    try:
        deadline = time.monotonic() + 60
        while worker is None and time.monotonic() < deadline and proc.poll() is None:
            # From the moment the job folder appears (before: args.json held the keys until the worker read it).
            for job in glob.glob(os.path.join(tempfile.gettempdir(), "alicloud-ecs-wait-*")):
                scanned.add(job)
                holding.update(_files_holding(job, BUILDER[1].encode()))
            worker = _worker_job(fresh.builder, _has_learned)
            time.sleep(0.02)
        assert worker, "no worker with a partial result appeared"
        holding.update(_files_holding(worker[1], BUILDER[1].encode()))
        assert worker[1] in scanned and not holding, "the secret key was on the target's disk in %s" % sorted(holding)
        os.kill(worker[0], signal.SIGSTOP)
        stopped_at = time.monotonic()
        # From the worker's start: the controller's polls and the cancel over SSH, on a loaded machine.
        bound = STUCK_TIMEOUT + STALL_GRACE + 15
        try:
            proc.wait(max(1.0, bound - (time.monotonic() - stopped_at)))
        except subprocess.TimeoutExpired:
            pytest.fail("the play still ran %.0f s after the worker started and was stopped" % bound)
        output.seek(0)
        said = output.read().decode("utf-8", "replace")
        with open(record) as handle:
            entry = [json.loads(line) for line in handle if line.strip()][-1]
        result = entry["result"]
        assert entry["status"] == "ignored" and result["timed_out"] is True and result["wait_status"] == "timed_out", said
        assert "the worker of the wait on builder1 (pid %d) stopped answering" % worker[0] in result["msg"], result["msg"]
        # What it had learned before it was stopped: both tasks, seen Processing.
        assert result["pending"] == ids and [record["task_status"] for record in result["tasks"]] == ["Processing"] * 2
        assert sorted(result["tasks_by_id"]) == sorted(ids) and result["api_calls"] > 0, result
        lines = [line for line in said.splitlines() if line.startswith("[builder1] ecs_task_wait: ")]
        assert lines[-1].startswith("[builder1] ecs_task_wait: timed out: 0/2 succeeded, 2 pending"), said
        # The controller ended the stuck worker (SIGTERM, then SIGCONT) and removed its folder.
        gone_by = time.monotonic() + 15
        while os.path.exists("/proc/%d" % worker[0]) and time.monotonic() < gone_by:
            time.sleep(0.2)
        assert not [entry for entry in sshtarget.processes_of(fresh.builder) if "alicloud-ecs-wait-" in entry[1]]
        assert not os.path.exists(worker[1])
    finally:
        if worker is not None:
            for signum in (signal.SIGCONT, signal.SIGKILL):  # whatever is left of the worker this test stopped
                try:
                    os.kill(worker[0], signum)
                except OSError:
                    pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        output.close()
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- API text cannot forge a line (issue 18)

FORGING_PLAY = """
- name: Forge
  hosts: builder1
  gather_facts: false
  tasks:
    - name: Wait for a task whose error code breaks lines
      alicloud.ecs.ecs_task_wait:
        task_ids: ["{{ item }}"]
        poll_interval: 0.5s
        timeout: 60s
      loop: "{{ ids }}"
      ignore_errors: true
"""


def test_an_error_code_with_line_breaks_stays_in_one_progress_line_over_ssh(fresh):
    forged = "[builder1] ecs_task_wait: done: 99/99 succeeded"
    breaks = ["\r", "\x0b", "\u2028"]
    ids = [fresh.emulator.create_tasks(action="ExportImage", duration=1, outcome="Failed",
                                       error_code="Forged%s%s" % (brk, forged))[0] for brk in breaks]
    run = fresh.play(FORGING_PLAY, {"ids": ids})
    assert run.rc == 0, run
    # What a terminal takes for a new line (or a return to its start), whatever Python's splitlines() says.
    shown = re.split("[\n\r\x0b\x0c]", run.stdout)
    assert not [line for line in shown if line.startswith(forged[:30])], run.stdout
    closing = [line for line in run.stdout.split("\n") if line.startswith("[builder1] ecs_task_wait: failed: ")]
    assert len(closing) == len(ids), run.stdout
    for task_id, line in zip(ids, closing):
        assert "(first: %s Forged %s)" % (task_id, forged) in line, repr(line)
