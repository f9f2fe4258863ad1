# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the wait stops, the background job's files, and the task environment's proxies."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import time

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.network_env import environment_proxies
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops import session as session_module
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import build_client
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.job.controller import cancel_job, handle_job, poll_every, poll_job
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.job.folder import JOB_PREFIX, renew, stop_reason
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.job.process import alive, start_job, terminate
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.running import run_wait_safely
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.results import run_safely
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.stopping import STOPPED_CODE, StoppableClient, StopToken, WaitStopped
from tests.standins.ports import refusing_port
from tests.unit.fakes import FakeEcs


# ---------------------------------------------------------------- polling

# display_interval comes checked, in seconds, from the request (ops/wait.prepare_wait).
@pytest.mark.parametrize("display_interval, every", [(10.0, 3.0), (4.0, 2.0), (1.0, 1.0), (0.0, 1.0)])
def test_the_controller_polls_a_job_often_enough_for_display_interval(display_interval, every):
    assert poll_every(display_interval) == every


# ---------------------------------------------------------------- the task's environment

@pytest.mark.parametrize("url, no_proxy, bypassed", [
    ("http://127.0.0.1:8080", "", False),
    ("http://127.0.0.1:8080", "127.0.0.1", True),
    ("http://127.0.0.1:8080", "10.0.0.0/8, 127.0.0.0/8", True),
    ("http://127.0.0.1:8080", "127.0.0.1:9999", False),
    ("http://127.0.0.1:8080", "127.0.0.1:8080", True),
    ("https://ecs.cn-hangzhou.aliyuncs.com", ".aliyuncs.com", True),
    ("https://ecs.cn-hangzhou.aliyuncs.com", "aliyuncs.com", True),
    ("https://ecs.cn-hangzhou.aliyuncs.com", "notaliyuncs.com", False),
    ("https://ecs.cn-hangzhou.aliyuncs.com", "*", True),
])
def test_no_proxy_matching(url, no_proxy, bypassed):
    env = {"HTTP_PROXY": "http://p:1", "HTTPS_PROXY": "http://p:1", "NO_PROXY": no_proxy}
    assert (environment_proxies(url, env) == {}) is bypassed


def test_build_client_takes_proxies_and_ca_bundle_from_the_given_environment_not_os_environ(monkeypatch, tmp_path):
    bundle = tmp_path / "task-ca.pem"
    bundle.write_text("x")
    monkeypatch.setenv("HTTPS_PROXY", "http://os-environ-proxy:1")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/os/environ/ca.pem")
    env = {"ALIBABA_CLOUD_ACCESS_KEY_ID": "id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "secret",
           "HTTPS_PROXY": "http://task-proxy:3128", "REQUESTS_CA_BUNDLE": str(bundle), "HOME": str(tmp_path),
           "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"}
    client = build_client({"region": "cn-hangzhou", "validate_certs": True}, env)
    try:
        assert client.proxy == "http://task-proxy:3128"
        assert client.transport.session.verify == str(bundle)
        # Otherwise requests merges os.environ's proxies and CA bundle into every request.
        assert client.transport.session.trust_env is False
    finally:
        client.close()


def test_validate_certs_false_wins_over_the_environments_ca_bundle(tmp_path):
    env = {"ALIBABA_CLOUD_ACCESS_KEY_ID": "id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "secret",
           "CURL_CA_BUNDLE": "/missing/ca.pem", "HOME": str(tmp_path), "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"}
    client = build_client({"region": "cn-hangzhou", "validate_certs": False}, env)
    try:
        assert client.transport.session.verify is False
    finally:
        client.close()


# ---------------------------------------------------------------- stopping

def test_sleep_returns_early_once_a_check_says_stop():
    calls = []

    def check():
        calls.append(1)
        return "told to" if len(calls) >= 3 else None
    token = StopToken([check], tick=0.01)
    started = time.monotonic()
    token.sleep(30)
    assert time.monotonic() - started < 5
    assert token.stopped() == "told to"
    token.stop("another reason")
    assert token.reason == "told to"  # the first reason stays


def test_a_signal_becomes_a_stop_reason():
    token = StopToken()
    before = signal.getsignal(signal.SIGHUP)
    previous = token.handle_signals(["SIGHUP"])
    try:
        os.kill(os.getpid(), signal.SIGHUP)
        assert token.stopped() == "received SIGHUP"
    finally:
        token.restore_signals(previous)
    assert signal.getsignal(signal.SIGHUP) is before


def test_a_stopped_client_refuses_the_next_call_with_a_permanent_error():
    fake = FakeEcs()
    token = StopToken()
    client = StoppableClient(fake, token)
    client.call("DescribeTasks", {"TaskIds": "t-1"})
    assert client.region == "cn-hangzhou" and client.api_calls == 1
    token.stop("received SIGTERM")
    with pytest.raises(WaitStopped) as raised:
        client.call("DescribeTasks", {"TaskIds": "t-1"})
    assert raised.value.code == STOPPED_CODE and not raised.value.retryable
    assert str(raised.value) == "received SIGTERM"
    assert fake.api_calls == 1


def test_a_stopped_wait_answers_with_what_it_learned(monkeypatch):
    fake = FakeEcs(status="Processing")
    monkeypatch.setattr(session_module, "build_client", lambda params, env=None, **kwargs: fake)
    token = StopToken([lambda: "the controller went away" if fake.api_calls else None], tick=0.01)
    lines = []
    args = {"task_ids": ["t-1", "t-2"], "region": "cn-hangzhou", "poll_interval": "30s", "display_interval": "10s"}
    result = run_wait_safely(args, {}, False, token, lines.append, "[builder1] ecs_task_wait")
    assert result["failed"] is True and result["error_code"] == STOPPED_CODE
    assert result["msg"].startswith("stopped waiting after ") and result["msg"].endswith(": the controller went away")
    assert result["pending"] == ["t-1", "t-2"]
    assert [task["task_status"] for task in result["tasks"]] == ["Processing", "Processing"]
    assert lines and all(line.startswith("[builder1] ecs_task_wait: ") for line in lines)
    assert fake.api_calls == 1


# ---------------------------------------------------------------- the job folder

@pytest.fixture
def job():
    folder = tempfile.mkdtemp(prefix=JOB_PREFIX)
    yield folder
    if os.path.isdir(folder):
        for name in os.listdir(folder):
            os.unlink(os.path.join(folder, name))
        os.rmdir(folder)


def test_poll_renews_the_lease_and_returns_new_lines_then_the_result(job):
    with open(os.path.join(job, "pid"), "w") as handle:
        handle.write(str(os.getpid()))  # alive, but its command line does not name the folder: not the worker
    with open(os.path.join(job, "progress.log"), "w") as handle:
        handle.write("one\ntwo\n")
    with open(os.path.join(job, "result.json"), "w") as handle:
        json.dump({"msg": "done", "failed": False}, handle)
    answer = poll_job(job, offset=1, lease=30)
    assert answer["lines"] == ["two"] and answer["offset"] == 2
    assert answer["done"] and answer["result"] == {"msg": "done", "failed": False}
    # Handed over: the folder is gone, the worker exits.
    assert not os.path.exists(job)


@pytest.mark.parametrize("text", ["", "12ab", "\x00\xff"])
def test_a_pid_file_that_is_not_a_number_is_no_worker_to_signal(job, text):
    # Something else on the host wrote it: nothing is signalled, and no ValueError escapes.
    with open(os.path.join(job, "pid"), "w") as handle:
        handle.write(text)
    assert alive(job) is False
    assert terminate(job) is False


def _command_line(pid):
    with open("/proc/%d/cmdline" % pid) as handle:
        return handle.read()


def stand_in_worker(job):
    """A process whose command line names the folder, as the real worker's does, recorded as the job's pid."""
    worker = subprocess.Popen(["sh", "-c", "sleep 60; exit 0", job])
    with open(os.path.join(job, "pid"), "w") as handle:
        handle.write(str(worker.pid))
    while job not in _command_line(worker.pid):
        time.sleep(0.01)  # not exec'd yet
    return worker


def test_poll_renews_the_lease_of_a_running_worker(job):
    worker = stand_in_worker(job)
    try:
        answer = poll_job(job, lease=30)
        assert not answer["done"]
        with open(os.path.join(job, "lease")) as handle:
            assert float(handle.read()) > time.time() + 20
    finally:
        worker.kill()
        worker.wait()


def test_poll_of_a_worker_that_died_without_an_answer_says_so(job):
    with open(os.path.join(job, "pid"), "w") as handle:
        handle.write("0")
    with open(os.path.join(job, "stderr"), "w") as handle:
        handle.write("Killed\n")
    answer = poll_job(job)
    assert answer["done"] and answer["result"] is None and "Killed" in answer["stderr"]
    assert not os.path.exists(job)


@pytest.mark.parametrize("content, why", [(b'{"msg": "do', "is not JSON"), (b"[1, 2]", "JSON list, not an object"),
                                          (b"\xff\xfe{}", "is not JSON")])
def test_a_garbled_result_is_a_failure_that_says_so_not_a_bug(job, content, why):
    with open(os.path.join(job, "progress.log"), "wb") as handle:
        handle.write(b"caf\xe9 latin-1, not UTF-8\nok\n")  # undecodable progress: read, not a crash
    with open(os.path.join(job, "result.json"), "wb") as handle:
        handle.write(content)
    answer = run_safely(lambda: handle_job({"operation": "poll", "path": job}, {}, False))
    assert "This is a bug" not in json.dumps(answer), answer
    assert answer["lines"] == ["caf\ufffd latin-1, not UTF-8", "ok"] and answer["done"]
    result = answer["result"]
    assert result["failed"] is True and why in result["msg"] and "result.json" in result["msg"], result
    assert "ecs_task_info" in result["msg"]  # what to do
    assert not os.path.exists(job)


@pytest.mark.parametrize("options", [{"operation": "poll", "offset": "x"}, {"operation": "start", "lease": [1]}])
def test_a_hand_written_job_option_gets_a_message_not_a_bug(job, options):
    answer = run_safely(lambda: handle_job(dict(options, path=job), {}, False))
    assert answer["failed"] and answer["option"] == "_job" and "remove it from the task" in answer["msg"], answer


def test_a_garbled_result_found_by_a_cancel_is_a_failure_too(job):
    with open(os.path.join(job, "result.json"), "w") as handle:
        handle.write("{")
    answer = run_safely(lambda: handle_job({"operation": "cancel", "path": job}, {}, False))
    assert answer["result"]["failed"] is True and "is not JSON" in answer["result"]["msg"], answer


def test_cancel_removes_the_folder_and_returns_any_result(job):
    with open(os.path.join(job, "result.json"), "w") as handle:
        json.dump({"msg": "done"}, handle)
    assert cancel_job(job, wait=0)["result"] == {"msg": "done"}
    assert not os.path.exists(job)
    assert cancel_job(job)["gone"] is True


@pytest.mark.parametrize("path", ["/etc", "/tmp/not-a-job", None])
def test_only_job_folders_are_touched(path):
    with pytest.raises(ConfigError, match="not a wait job folder"):
        poll_job(path)


def test_the_lease_check_names_each_reason(job):
    def check():
        return stop_reason(job)
    renew(job, 30)
    assert check() is None
    renew(job, -1)
    assert "stopped renewing its lease" in check()
    with open(os.path.join(job, "stop"), "w") as handle:
        handle.write("cancelled by the controller")
    assert check() == "cancelled by the controller"


def test_a_started_job_runs_in_its_own_process_and_is_collected():
    """start -> poll -> cancel with a real worker process; the wait fails on bad input before any call."""
    started = start_job({"task_ids": [], "region": "cn-hangzhou"}, False, "[h] ecs_task_wait", lease=30)
    job = started["job"]
    try:
        assert os.stat(job).st_mode & 0o077 == 0  # private: the arguments may hold keys
        deadline = time.monotonic() + 60
        answer = poll_job(job, lease=30)
        while not answer["done"] and time.monotonic() < deadline:
            time.sleep(0.1)
            answer = poll_job(job, lease=30)
        assert answer["result"] and answer["result"]["failed"] is True, answer
        assert "task_ids is empty" in answer["result"]["msg"]
        assert not os.path.exists(job)  # the arguments file with it
    finally:
        cancel_job(job)


# ---------------------------------------------------------------- issue 18: lines, secrets, a stuck worker

SECRET = "job-Secret/Value+never-on-disk=="
TOKEN = "STS.job+token/never-on-disk=="


def test_poll_splits_the_log_on_newlines_only_and_waits_for_a_line_being_written(job):
    with open(os.path.join(job, "pid"), "w") as handle:
        handle.write("0")
    with open(os.path.join(job, "result.json"), "w") as handle:
        json.dump({"msg": "done"}, handle)
    odd = "one\rstill\x0bone\x0c\x1c\x1d\x1e\x85\u2028\u2029line"
    with open(os.path.join(job, "progress.log"), "w", encoding="utf-8") as handle:
        handle.write(odd + "\ntwo\nthree, half writ")
    answer = poll_job(job)
    # Before: str.splitlines() made eleven lines of the first one (a forged "done: 99/99" line among them).
    assert answer["lines"] == [odd, "two"] and answer["offset"] == 2


def test_the_wait_keeps_a_partial_result_at_each_report_with_secrets_masked(monkeypatch):
    fake = FakeEcs(status="Processing")
    monkeypatch.setattr(session_module, "build_client", lambda params, env=None, **kwargs: fake)
    token = StopToken([lambda: "stop" if fake.api_calls >= 2 else None], tick=0.01)
    kept = []
    args = {"task_ids": ["t-1", "t-2"], "region": "cn-hangzhou", "poll_interval": "1s", "display_interval": "1s",
            "secret_key": SECRET, "access_key": "LTAIjobtestkey"}
    run_wait_safely(args, {}, False, token, lambda line: None, "[h] ecs_task_wait", keep=kept.append)
    assert kept, "no partial result was kept"
    last = kept[-1]
    assert last["pending"] == ["t-1", "t-2"] and [task["task_status"] for task in last["tasks"]] == ["Processing"] * 2
    assert last["api_calls"] >= 1 and set(last) >= {"tasks", "succeeded", "failed_task_ids", "pending", "elapsed", "warnings"}
    assert SECRET not in json.dumps(kept)


def _files_holding(folder, needles):
    """Names of the files in ``folder`` holding any of ``needles`` (bytes), read whole."""
    found = []
    for name in os.listdir(folder) if os.path.isdir(folder) else []:
        try:
            with open(os.path.join(folder, name), "rb") as handle:
                data = handle.read()
        except OSError:
            continue  # replaced or removed meanwhile
        if any(needle in data for needle in needles):
            found.append(name)
    return found


SECRET_ARGS = {"task_ids": ["t-1"], "region": "cn-hangzhou", "access_key": "LTAIjobtestkey", "secret_key": SECRET,
               "security_token": TOKEN, "timeout": 5, "display_interval": "1s"}


def test_no_file_of_a_job_holds_the_keys_even_when_its_worker_is_killed_at_once():
    started = start_job(dict(SECRET_ARGS), False, "[h] ecs_task_wait", lease=30)
    job = started["job"]
    try:
        os.kill(started["pid"], signal.SIGKILL)  # before it could read (and remove) any arguments file
        deadline = time.monotonic() + 10
        while os.path.exists("/proc/%d" % started["pid"]) and time.monotonic() < deadline:
            try:
                os.waitpid(started["pid"], os.WNOHANG)  # reap it: it is this process's child here
            except ChildProcessError:
                break
            time.sleep(0.01)
        # Before: args.json, with the secret key and the token, stayed on disk.
        assert _files_holding(job, [SECRET.encode(), TOKEN.encode()]) == [], os.listdir(job)
        answer = poll_job(job, lease=30)
        assert answer["done"] and answer["result"] is None  # the poll says the worker ended without an answer
    finally:
        cancel_job(job)


def test_no_file_of_a_running_job_ever_holds_the_keys():
    with refusing_port() as port:
        args = dict(SECRET_ARGS, endpoint="http://127.0.0.1:%d" % port)
        started = start_job(args, False, "[h] ecs_task_wait", lease=30)
        job, seen, answer = started["job"], [], {"done": False}
        try:
            deadline = time.monotonic() + 60
            while not answer["done"] and time.monotonic() < deadline:
                seen.extend(_files_holding(job, [SECRET.encode(), TOKEN.encode()]))
                if os.path.exists(os.path.join(job, "result.json")):
                    seen.extend(_files_holding(job, [SECRET.encode(), TOKEN.encode()]))
                    answer = poll_job(job, lease=30)
        finally:
            cancel_job(job)
    assert answer["done"] and "ConnectionError" in json.dumps(answer["result"]), answer
    assert seen == []


def test_cancel_ends_a_stuck_worker_and_returns_what_it_had_learned(job):
    worker = stand_in_worker(job)
    try:
        os.kill(worker.pid, signal.SIGSTOP)  # stuck
        partial = {"tasks": [{"task_id": "t-1", "task_status": "Processing", "wait_outcome": "pending"}], "pending": ["t-1"]}
        with open(os.path.join(job, "partial.json"), "w") as handle:
            json.dump(partial, handle)
        answer = cancel_job(job, reason="stuck", wait=0.3)
        assert answer["result"] is None and answer["partial"] == partial and answer["stuck"] is True
        assert answer["pid"] == str(worker.pid) and not os.path.exists(job)
        assert worker.wait(10) == -signal.SIGTERM  # ended: the SIGTERM waited for the SIGCONT
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
