# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a person reads while a real wait runs: line cadence between sparse polls, ETAs against the
emulator's true end times, an early predicted timeout, closing lines, and no deprecation warning."""

from __future__ import annotations

import calendar
import time

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.job.controller import cancel_job, poll_job
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.job.process import start_job
from tests.system.test_wait_runs import progress_lines

# Deprecation warnings are shown (they are by default; said here so no config turns them off).
DEPRECATIONS_ON = {"ANSIBLE_DEPRECATION_WARNINGS": "1"}


def wait_playbook(**options):
    lines = "\n".join("        %s: %s" % (name, value) for name, value in options.items())
    return """
- name: A wait
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Wait
      alicloud.ecs.ecs_task_wait:
        task_ids: "{{ ids }}"
%s
      register: waited
      ignore_errors: true
""" % lines


def epoch(iso):
    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))


def assert_no_deprecation(run):
    assert "DEPRECATION" not in run.output and "deprecated" not in run.output.lower(), run


def test_lines_keep_display_interval_between_sparse_polls(ansible, emulator):
    ids = emulator.create_tasks(action="ExportImage", duration=6)
    run = ansible.playbook(wait_playbook(poll_interval="5s", display_interval="1s", timeout="30s"),
                           extra_vars={"ids": ids}, env=DEPRECATIONS_ON)
    assert run.rc == 0, run
    waited = run.result("Wait")
    assert waited["api_calls"] <= 4, waited          # polls at 0, 5, 10 (and the read for the resource id)
    stamps = [elapsed for _body, elapsed in progress_lines(run.stdout)]
    # Whole seconds, so 1 s apart shows as at most 2; slack for a busy machine.
    assert len(stamps) >= 6 and max(b - a for a, b in zip(stamps, stamps[1:])) <= 3, run.stdout
    assert progress_lines(run.stdout)[-1][0] == "done: 1/1 succeeded"
    assert waited["tasks"][0]["resource_id"] == emulator.task(ids[0])["resource_id"]
    assert_no_deprecation(run)


def test_eta_and_predicted_end_agree_with_the_true_end(ansible, emulator):
    ids = emulator.create_tasks(action="ExportImage", duration=12)
    run = ansible.playbook(wait_playbook(min_interval="1s", max_interval="2s", display_interval="1s", timeout="60s"),
                           extra_vars={"ids": ids})
    assert run.rc == 0, run
    truth = emulator.task(ids[0])
    record = run.result("Wait")["tasks"][0]
    assert record["predicted_end"] is not None, record
    # Predicted from whole-percent progress, read over HTTP on a shared machine: within 3 s.
    assert abs(epoch(record["predicted_end"]) - truth["ends_at"]) <= 3, (record["predicted_end"], truth["ends_at"])
    with_eta = [body for body, _elapsed in progress_lines(run.stdout) if ", ETA " in body]
    assert with_eta, run.stdout


def test_predicted_timeout_fails_early_when_asked(ansible, emulator):
    ids = emulator.create_tasks(action="ImportImage", duration=200)
    started = time.monotonic()
    run = ansible.playbook(wait_playbook(timeout="60s", min_interval="1s", max_interval="1s",
                                         on_predicted_timeout="fail"), extra_vars={"ids": ids})
    took = time.monotonic() - started
    waited = run.result("Wait")
    assert run.status("Wait") == "ignored" and waited["timed_out"] is False, waited
    assert waited["wait_status"] == "predicted_timeout" and waited["error_code"] == "PredictedTimeout"
    assert "predicted to end in" in waited["msg"] and "after the timeout of 1m0s" in waited["msg"]
    assert waited["pending"] == ids and waited["tasks"][0]["progress"] is not None
    assert took < 50, took       # well before the 60 s timeout
    assert progress_lines(run.stdout)[-1][0].startswith("stopped: predicted to end after the timeout")


def test_predicted_timeout_warns_at_once_by_default(ansible, emulator):
    ids = emulator.create_tasks(action="ImportImage", duration=150)
    run = ansible.playbook(wait_playbook(timeout="12s", min_interval="1s", max_interval="1s"), extra_vars={"ids": ids})
    waited = run.result("Wait")
    assert waited["timed_out"] is True
    warnings = [line for line in run.stdout.splitlines() if "ecs_task_wait: warning:" in line]
    assert len(warnings) == 1 and "is predicted to end in" in warnings[0] and "after the timeout of 12s" in warnings[0]
    # Said at once: before the closing line, with progress lines after it.
    lines = run.stdout.splitlines()
    assert lines.index(warnings[0]) < max(i for i, line in enumerate(lines) if "elapsed]" in line)
    assert progress_lines(run.stdout)[-1][0].startswith("timed out: 0/1 succeeded, 1 pending")
    # Once: not again as Ansible's warning at the end of the task.
    assert run.output.count("is predicted to end in") == 1, run


def test_an_unknown_state_is_said_before_the_first_poll(ansible, emulator):
    ids = emulator.create_tasks(action="ExportImage", duration=2)
    run = ansible.playbook(wait_playbook(target_states="[Done]", timeout="20s"), extra_vars={"ids": ids})
    lines = [line for line in run.stdout.splitlines() if "ecs_task_wait: " in line]
    assert lines[0] == ("[localhost] ecs_task_wait: warning: target_states lists 'Done', which ECS does not report (it "
                        "reports Finished, Failed, Deleted, Waiting, Processing, Paused, Pending); did you mean 'Finished'?"), run
    assert run.output.count("target_states lists 'Done'") == 1, run  # not again as Ansible's warning
    # The closing line names the state the task failed in as a state, not where an error code goes.
    assert lines[-1].startswith("[localhost] ecs_task_wait: failed: 0/1 succeeded, 1 failed (first: %s in state 'Finished')"
                                % ids[0]), lines


def test_an_unknown_state_is_said_before_the_first_poll_on_a_target(emulator):
    """The target's background job (job/, what the action plugin starts over SSH) writes the same line first."""
    ids = emulator.create_tasks(action="ExportImage", duration=1)
    params = {"task_ids": ids, "target_states": ["Done"], "timeout": "20s", "region": "cn-hangzhou", "endpoint": emulator.url,
              "access_key": "testid", "secret_key": "testsecret", "display_interval": "10s"}
    job = start_job(params, False, "[builder1] ecs_task_wait", lease=30)["job"]
    try:
        lines, answer, deadline = [], {"done": False}, time.monotonic() + 60
        while not answer["done"] and time.monotonic() < deadline:
            answer = poll_job(job, len(lines), lease=30)
            lines.extend(answer["lines"])
            time.sleep(0.2)
    finally:
        cancel_job(job)
    assert lines and lines[0].startswith("[builder1] ecs_task_wait: warning: target_states lists 'Done'"), (lines, answer)
    assert not any("lists 'Done'" in warning for warning in answer["result"]["warnings"]), answer["result"]


@pytest.mark.parametrize("extra", [{}, {"async": 30, "poll": 1}], ids=["controller", "async"])
def test_warnings_without_deprecation(ansible, emulator, tmp_path, extra):
    """A wait whose result carries a warning (an undocumented state listed) warns the Ansible way."""
    ids = emulator.create_tasks(action="ExportImage", duration=0.5)
    task = {"alicloud.ecs.ecs_task_wait": {"task_ids": ids, "timeout": "20s", "pending_states": ["Waiting", "Running"]},
            "register": "waited", "ignore_errors": True}
    task.update(extra)
    import json
    playbook = "- hosts: localhost\n  gather_facts: false\n  tasks:\n    - %s\n" % json.dumps(dict(task, name="Wait"))
    run = ansible.playbook(playbook, env=dict(DEPRECATIONS_ON, ANSIBLE_ASYNC_DIR=str(tmp_path / "async")))
    assert "'Running'" in run.output and "did you mean 'Processing'?" in run.output, run
    assert_no_deprecation(run)
