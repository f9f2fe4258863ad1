# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ways people run ecs_task_wait: async + async_status, module_defaults, both signature
versions, ad-hoc `ansible -m`, progress lines on the console, and bad input."""

from __future__ import annotations

import re

import pytest

from tests.emulator.harness import Emulator
from tests.system.ansible_run import Ansible
from tests.emulator.harness import advance_when

MODULE = "alicloud.ecs.ecs_task_wait"
# "[localhost] ecs_task_wait: <what is going on> [1m10s elapsed]"
PROGRESS_LINE = re.compile(r"^\[localhost\] ecs_task_wait: (.*) \[(?:(\d+)h)?(?:(\d+)m)?(\d+)s elapsed\]$")
CONNECTION_ENV = ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                  "ALIBABA_CLOUD_REGION_ID", "ALIBABA_CLOUD_ECS_ENDPOINT")


def async_env(tmp_path):
    # The harness gives ansible its own HOME; the async wrapper expands ~ with it while
    # async_status expands it from the password database, so they would look in
    # different places. An absolute async_dir makes them agree.
    return {"ANSIBLE_ASYNC_DIR": str(tmp_path / "async")}


def progress_lines(text):
    """(what the line says, elapsed seconds) for each progress line."""
    lines = []
    for line in text.splitlines():
        match = PROGRESS_LINE.match(line.strip())
        if match:
            body, hours, minutes, seconds = match.groups()
            lines.append((body, int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds)))
    return lines


def test_async_poll_0_and_async_status(ansible, emulator, tmp_path):
    ids = emulator.create_tasks(action="ExportImage", count=2, durations=[0.5, 1.5])
    broken = emulator.create_tasks(action="ImportImage", duration=0.5, outcome="Failed",
                                   error_code="InvalidImage.Format", error_msg="Not a disk image.")[0]

    run = ansible.playbook("playbooks/wait_async.yml", extra_vars={"task_ids": ids, "broken": broken},
                           env=async_env(tmp_path))
    assert run.rc == 0, run

    started = run.result("Start the wait in the background")
    assert started["ansible_job_id"] and started["started"] == 1 and started["finished"] == 0
    waited = run.result("Collect the result")
    assert run.status("Collect the result") == "ok"
    assert waited["finished"] == 1
    assert waited["succeeded"] == ids and waited["pending"] == [] and waited["failed_task_ids"] == []
    assert waited["timed_out"] is False and waited["api_calls"] >= 3
    truth = {task["task_id"]: task for task in emulator.tasks()}
    for task in waited["tasks"]:
        assert task["task_status"] == truth[task["task_id"]]["status"] == "Finished"
        assert task["related_items"]["OSSObject"] == truth[task["task_id"]]["related_items"]["OSSObject"]

    failed = run.result("Collect the failure")
    assert run.status("Collect the failure") == "ignored"
    assert failed["failed_task_ids"] == [broken]
    assert failed["tasks"][0]["error_code"] == "InvalidImage.Format"
    assert "InvalidImage.Format: Not a disk image." in failed["msg"]
    # On the target there is no console to print to: no progress lines.
    assert progress_lines(run.stdout) == []
    assert "Traceback" not in run.output


@pytest.fixture(scope="module")
def own_server():
    """This module's emulator: it logs every request line (so the signature version used can be
    seen), and its clock may be moved on without disturbing other tests."""
    with Emulator(extra_args=["--verbose"]) as server:
        yield server


@pytest.fixture
def verbose_server(own_server):
    own_server.reset()
    return own_server


@pytest.mark.parametrize("signature_version", ["v1", "v3"])
def test_module_defaults_and_signature_versions(verbose_server, signature_version):
    ansible = Ansible(verbose_server)
    ids = verbose_server.create_tasks(action="ExportImage", count=2, duration=0.5)
    log_start = len(verbose_server.log_text())

    # No connection settings in the environment: module_defaults is the only source.
    run = ansible.playbook("playbooks/wait_defaults.yml",
                           extra_vars={"task_ids": ids, "endpoint": verbose_server.url,
                                       "signature_version": signature_version},
                           env=dict.fromkeys(CONNECTION_ENV))
    assert run.rc == 0, run
    waited = run.result("Wait with the group defaults")
    assert waited["succeeded"] == ids
    assert all(task["region"] == "cn-hangzhou" for task in waited["tasks"])

    requests = [line for line in verbose_server.log_text()[log_start:].splitlines() if '"POST /' in line]
    signed = sum(verbose_server.stats()["calls"].values())
    assert signed == waited["api_calls"] and len(requests) == signed
    # V1 signs a query holding SignatureVersion=1.0; V3 sends an Authorization header instead.
    v1_style = [line for line in requests if "SignatureVersion=1.0" in line]
    assert len(v1_style) == (signed if signature_version == "v1" else 0)


def test_adhoc(ansible, emulator):
    ids = emulator.create_tasks(action="ImportImage", count=2, duration=0.5)

    run = ansible.adhoc(MODULE, "task_ids=%s poll_interval=0.3s timeout=30s" % ",".join(ids))
    assert run.rc == 0, run
    assert "localhost | SUCCESS" in run.stdout
    result = run.results[-1]["result"]
    assert result["succeeded"] == ids
    assert [task["related_items"]["ImageId"] for task in result["tasks"]] == \
        [emulator.task(task_id)["related_items"]["ImageId"] for task_id in ids]

    bad = emulator.create_tasks(action="ImportImage", duration=0.3, outcome="Failed",
                                error_code="InvalidImage.Format", error_msg="Not a disk image.")[0]
    run = ansible.adhoc(MODULE, {"task_ids": [bad], "poll_interval": "0.3s"})
    assert run.rc == 2, run
    assert "localhost | FAILED!" in run.stdout
    assert "InvalidImage.Format: Not a disk image." in run.stdout
    assert "Traceback" not in run.output


def test_progress_lines_while_waiting(verbose_server):
    emulator = verbose_server
    ids = emulator.create_tasks(action="ExportImage", duration=600)

    def polled_for_a_while(stats):
        # One task: one DescribeTaskAttribute a round, 0.3 s apart, so over 2 s of waiting.
        return stats["calls"].get("DescribeTaskAttribute", 0) >= 8

    with advance_when(emulator, polled_for_a_while, 600) as advanced:
        run = Ansible(emulator).playbook("playbooks/wait_progress.yml", extra_vars={"task_ids": ids})
    assert run.rc == 0, run
    assert advanced
    assert run.result("Wait and show progress")["succeeded"] == ids
    lines = progress_lines(run.stdout)
    assert lines, run.stdout
    pending = [line for line in lines if "%s (ExportImage) Processing" % ids[0] in line[0]]
    # More than one line while nothing but the progress changed: the 1s cadence, not only changes.
    assert len(pending) >= 2, run.stdout
    elapsed = [line[1] for line in pending]
    assert elapsed == sorted(elapsed) and elapsed[-1] > elapsed[0]
    # The last lines tell the end: the task's, then the closing line.
    assert lines[-2][0] == "%s (ExportImage) succeeded" % ids[0]
    assert lines[-1][0] == "done: 1/1 succeeded"


def test_bad_input_is_refused_naming_the_option(ansible, emulator, tmp_path):
    task_id = emulator.create_tasks(action="ExportImage", duration=3600)[0]

    run = ansible.playbook("playbooks/wait_bad_input.yml", extra_vars={"task_id": task_id}, env=async_env(tmp_path))
    assert run.rc == 0, run
    expected = {
        "Invalid JMESPath": ("success_condition", "JMESPath"),
        "Bad duration": ("timeout", "soonish"),
        "Empty task_ids": ("task_ids", "empty"),
        "Bad duration, run as a module (async)": ("poll_interval", "every now and then"),
    }
    for name, words in expected.items():
        assert run.status(name) == "ignored", (name, run)
        message = run.result(name)["msg"]
        assert run.result(name)["option"] == words[0]
        for word in words:
            assert word in message, (name, message)
    assert "Traceback" not in run.output
    # Refused before any call: the emulator saw no signed request.
    assert emulator.stats()["calls"] == {}


TYPO_PLAYBOOK = """
- name: An option typo on every path
  hosts: all
  gather_facts: false
  tasks:
    - name: wait
      alicloud.ecs.ecs_task_wait:
        task_ids: ["{{ task_id }}"]
        target_state: [Finished]
      ignore_errors: true

    - name: wait async
      alicloud.ecs.ecs_task_wait:
        task_ids: ["{{ task_id }}"]
        target_state: [Finished]
      async: 30
      poll: 1
      ignore_errors: true

    - name: info
      alicloud.ecs.ecs_task_info:
        task_ids: ["{{ task_id }}"]
        detail: true
      when: inventory_hostname == 'localhost'
      ignore_errors: true

    - name: info async
      alicloud.ecs.ecs_task_info:
        task_ids: ["{{ task_id }}"]
        detail: true
      async: 30
      poll: 1
      when: inventory_hostname == 'localhost'
      ignore_errors: true
"""


def test_an_option_typo_gets_one_short_message_on_every_path(ansible, emulator, tmp_path):
    """Controller, target host and async: the same line naming the option meant (not Ansible's list of ~50 names)."""
    from tests.standins.ports import refusing_port

    task_id = emulator.create_tasks(action="ExportImage", duration=0)[0]
    with refusing_port() as port:
        # A target that is never reached: the plugin refuses the task before it connects.
        inventory = tmp_path / "hosts.ini"
        inventory.write_text("localhost ansible_connection=local ansible_python_interpreter=\"{{ ansible_playbook_python }}\"\n"
                             "builder1 ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=%d\n" % port)
        run = ansible.playbook(TYPO_PLAYBOOK, extra_vars={"task_id": task_id}, env=async_env(tmp_path),
                               args=("-i", str(inventory)))
    wait = ("alicloud.ecs.ecs_task_wait has no option 'target_state' (did you mean 'target_states'?); "
            "`ansible-doc alicloud.ecs.ecs_task_wait` lists them all")
    info = ("alicloud.ecs.ecs_task_info has no option 'detail' (did you mean 'details'?); "
            "`ansible-doc alicloud.ecs.ecs_task_info` lists them all")
    seen = [(entry["host"], entry["task"], entry["status"], entry["result"].get("msg")) for entry in run.results]
    assert sorted(seen) == sorted([
        ("localhost", "wait", "ignored", wait), ("localhost", "wait async", "ignored", wait),
        ("builder1", "wait", "ignored", wait), ("builder1", "wait async", "ignored", wait),
        ("localhost", "info", "ignored", info), ("localhost", "info async", "ignored", info),
        ("builder1", "info", "skipped", None), ("builder1", "info async", "skipped", None),
    ]), run
    assert "Supported parameters include" not in run.output and len(wait) < 200
    assert emulator.stats()["calls"] == {}  # refused before any call
