# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets: an STS key's secret and token never show, at -vvvv, in any output, result, report or log.

The emulator knows the key only as an STS key, so every call that succeeds really sent the token.
One playbook covers the three ways to give the secret (environment, module options through
module_defaults, a StsToken profile in ~/.aliyun/config.json), each through both modules, their
error paths, async, and the role.
"""

from __future__ import annotations

import glob
import json
import os

import pytest

from tests.emulator.harness import Emulator
from tests.reliability.conftest import assert_no_traceback, fast_ansible, role_in_git, run_playbook

KEY_ID = "STSid"
SECRET = "S3cr3tValue-xyz"
TOKEN = "T0kenValue-abc"
# The whole values and distinctive parts of them (a partial leak is a leak).
NEEDLES = (SECRET, TOKEN, "S3cr3tValue", "T0kenValue")

GROUPS = {
    # group name -> module_defaults for group/alicloud.ecs.ecs (None: the environment's credentials)
    "env": None,
    "options": {"access_key": KEY_ID, "secret_key": "{{ sts_secret }}", "security_token": "{{ sts_token }}"},
    "profile": {"profile": "sts"},
}


def _group_tasks(group, with_role, report_dir):
    """The tasks of one credential group: successes, error paths, async and the role."""
    info = "alicloud.ecs.ecs_task_info"
    wait = "alicloud.ecs.ecs_task_wait"
    tasks = [
        {"name": group + ": info ok", info: {"task_ids": "{{ done_ids }}", "details": True}},
        {"name": group + ": wait ok", wait: {"task_ids": "{{ done_ids }}", "timeout": 20}},
        {"name": group + ": wait v3", wait: {"task_ids": "{{ done_ids }}", "timeout": 20, "signature_version": "v3"}},
        {"name": group + ": wait failed task", wait: {"task_ids": "{{ failed_ids }}", "timeout": 20}, "ignore_errors": True},
        {"name": group + ": wait timeout", wait: {"task_ids": "{{ long_ids }}", "timeout": 1}, "ignore_errors": True},
        {"name": group + ": wait bad option", wait: {"task_ids": "{{ done_ids }}", "timeout": "5x"}, "ignore_errors": True},
        {"name": group + ": info unknown region", info: {"task_ids": "{{ done_ids }}", "region": "xx-nowhere-1"}, "ignore_errors": True},
        {"name": group + ": wait async", wait: {"task_ids": "{{ done_ids }}", "timeout": 20}, "async": 30, "poll": 1},
        {"name": group + ": info async unknown region", info: {"task_ids": "{{ done_ids }}", "region": "xx-nowhere-1"},
         "async": 30, "poll": 1, "ignore_errors": True},
    ]
    if group == "options":
        # The emulator's SignatureDoesNotMatch message quotes its string to sign, token included.
        tasks.append({"name": group + ": wrong secret", info: {"task_ids": "{{ done_ids }}", "secret_key": "Wr0ngSecret-000"},
                      "ignore_errors": True})
        wrong_v3 = {"task_ids": "{{ done_ids }}", "secret_key": "Wr0ngSecret-000", "signature_version": "v3"}
        tasks.append({"name": group + ": wrong secret v3", wait: wrong_v3, "ignore_errors": True})
    if with_role:
        role = {"name": "alicloud.ecs.wait_for_tasks", "apply": {"ignore_errors": True}}
        tasks.append({"name": group + ": role", "ansible.builtin.include_role": role,
                      "vars": {"wait_for_tasks_task_ids": "{{ done_ids + failed_ids }}", "wait_for_tasks_timeout": 20,
                               "wait_for_tasks_report_dir": report_dir, "wait_for_tasks_report_name": "secrets-" + group}})
    block = {"name": group, "block": tasks}
    if GROUPS[group]:
        block["module_defaults"] = {"group/alicloud.ecs.ecs": GROUPS[group]}
    return block


@pytest.fixture(scope="module")
def sts_emulator():
    with Emulator(access_keys=["%s:%s:%s" % (KEY_ID, SECRET, TOKEN)], time_scale=20) as server:
        yield server


@pytest.fixture(scope="module")
def secret_run(sts_emulator, tmp_path_factory):
    base = tmp_path_factory.mktemp("secrets")
    home = base / "home"
    (home / ".aliyun").mkdir(parents=True)
    (home / ".aliyun" / "config.json").write_text(json.dumps({"current": "sts", "profiles": [
        {"name": "sts", "mode": "StsToken", "access_key_id": KEY_ID, "access_key_secret": SECRET, "sts_token": TOKEN,
         "region_id": "cn-hangzhou"}]}))
    vars_file = base / "secrets.json"
    vars_file.write_text(json.dumps({"sts_secret": SECRET, "sts_token": TOKEN}))
    report_dir = str(base / "reports")
    log_path = str(base / "ansible.log")

    sts_emulator.reset()
    ids = {"done_ids": sts_emulator.create_tasks(count=2, duration=1),
           "failed_ids": sts_emulator.create_tasks(count=1, duration=1, outcome="Failed", error_code="Boom",
                                                   error_msg="it went wrong"),
           "long_ids": sts_emulator.create_tasks(count=1, duration=36000)}
    with_role = role_in_git("wait_for_tasks")
    play = [{"hosts": "localhost", "gather_facts": False, "vars_files": [str(vars_file)], "vars": ids,
             "tasks": [_group_tasks(group, with_role, report_dir) for group in GROUPS]}]
    runner = fast_ansible(sts_emulator, access_key=KEY_ID, secret_key=SECRET)
    runner.env.update({"ALIBABA_CLOUD_SECURITY_TOKEN": TOKEN, "ANSIBLE_LOG_PATH": log_path,
                       "HOME": str(home), "ANSIBLE_ASYNC_DIR": str(home / ".ansible_async")})
    run = run_playbook(runner, json.dumps(play, indent=1), verbosity=4, timeout=300)
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        log = handle.read()
    reports = {}
    for path in glob.glob(os.path.join(report_dir, "*")):
        with open(path, encoding="utf-8", errors="replace") as handle:
            reports[path] = handle.read()
    return run, log, reports, with_role


def _outcomes(run):
    return {entry["task"]: entry["status"] for entry in run.results}


def test_the_runs_did_what_we_think(secret_run):
    """A leak test is only worth something if the paths ran: successes succeeded, errors failed as meant."""
    run, log, reports, with_role = secret_run
    assert run.rc == 0, run
    assert_no_traceback(run)
    outcomes = _outcomes(run)
    for group in GROUPS:
        for name in ("info ok", "wait ok", "wait v3", "wait async"):
            assert outcomes[group + ": " + name] == "ok", (group, name, run.result(group + ": " + name))
        for name in ("wait failed task", "wait timeout", "wait bad option", "info unknown region", "info async unknown region"):
            assert outcomes[group + ": " + name] == "ignored", (group, name, run.result(group + ": " + name))
        assert "Boom" in run.result(group + ": wait failed task")["msg"]
        assert run.result(group + ": wait timeout")["timed_out"] is True
        assert "timeout" in run.result(group + ": wait bad option")["msg"]
        assert "InvalidRegionId" in run.result(group + ": info unknown region")["msg"]
    for name in ("wrong secret", "wrong secret v3"):
        assert "SignatureDoesNotMatch" in run.result("options: " + name)["msg"], run.result("options: " + name)
    # The string to sign the emulator sent back held the token: it was there to be leaked, and was masked.
    assert "SecurityToken" in run.result("options: wrong secret")["server_string_to_sign"]
    assert "string to sign is:" not in run.result("options: wrong secret")["msg"]
    if with_role:
        assert len(reports) == 2 * len(GROUPS), sorted(reports)
        assert all("Boom" in text for path, text in reports.items() if path.endswith(".md")), reports


def test_credentials_really_came_from_each_source(secret_run):
    """-vvvv shows where the credentials came from is not required, but the module_defaults must have applied."""
    run = secret_run[0]
    for group in GROUPS:
        invocation = run.result(group + ": info ok").get("invocation", {}).get("module_args", {})
        if group == "options":
            assert invocation.get("access_key") == KEY_ID
            assert invocation.get("secret_key") not in (None, SECRET)  # masked by no_log
        elif group == "profile":
            assert invocation.get("profile") == "sts" and invocation.get("secret_key") is None
        else:
            assert invocation.get("profile") is None and invocation.get("secret_key") is None


@pytest.mark.parametrize("where", ["stdout", "stderr", "results", "log", "reports"])
def test_no_secret_anywhere(secret_run, where):
    run, log, reports, with_role = secret_run
    text = {"stdout": run.stdout, "stderr": run.stderr, "results": json.dumps(run.results), "log": log,
            "reports": json.dumps(reports)}[where]
    if where == "log":
        assert "wait ok" in text, "the log file was not written"
    if where == "stdout":
        assert "<localhost>" in text or "ESTABLISH" in text, "not the -vvvv output we expected"
    for needle in NEEDLES:
        assert needle not in text, "%r found in %s near: %r" % (needle, where, text[max(0, text.find(needle) - 200):text.find(needle) + 50])
