# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role alicloud.ecs.wait_for_tasks against the emulator: what needs Python or the emulator's statistics.

The Markdown summary, the bars, the failure of the play and a passing run are
asserted by the ansible-test target role_wait_for_tasks; here the JUnit report is
parsed as XML (three tasks, an API error), and the emulator's call counts show
bad input refused before any call.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

PLAYBOOK = """
- name: Wait with the role
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Include the role
      ansible.builtin.include_role:
        name: alicloud.ecs.wait_for_tasks
      vars:
        wait_for_tasks_task_ids: "{{ ids }}"
        wait_for_tasks_timeout: "{{ timeout | default('30s') }}"
        wait_for_tasks_report_dir: "{{ report_dir }}"
        wait_for_tasks_report_name: ci
        wait_for_tasks_fail_on_failure: "{{ fail_on_failure | default(true) }}"

    - name: Show the fact
      ansible.builtin.debug:
        var: wait_for_tasks_result
"""

NASTY_MSG = "Image \"x\" <bad> & 'odd' | format\nsecond line"


@pytest.fixture
def three_tasks(emulator):
    """One task that finishes, one that fails (with a message XML must escape), one that outlives the wait."""
    finished = emulator.create_tasks(action="ExportImage", duration=1)[0]
    failed = emulator.create_tasks(action="ImportImage", duration=1, outcome="Failed",
                                   error_code="InvalidImage.Format", error_msg=NASTY_MSG)[0]
    slow = emulator.create_tasks(action="ModifyDiskSpec", duration=600)[0]
    return finished, failed, slow


def run_role(ansible, tmp_path, ids, **extra):
    extra_vars = {"ids": ids, "report_dir": str(tmp_path / "reports"), "timeout": 4}
    extra_vars.update(extra)
    return ansible.playbook(PLAYBOOK, extra_vars=extra_vars, timeout=120)


def test_junit_report_says_one_passed_one_failed_one_timed_out(ansible, tmp_path, three_tasks):
    finished, failed, slow = three_tasks
    run = run_role(ansible, tmp_path, [finished, failed, slow], fail_on_failure=False)
    assert run.rc == 0, run

    root = ET.parse(tmp_path / "reports" / "ci.xml").getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == [finished, failed, slow]
    assert [cases[i].get("classname") for i in (finished, failed, slow)] == ["ExportImage", "ImportImage", "ModifyDiskSpec"]
    assert all(float(case.get("time")) >= 0 for case in cases.values())

    assert list(cases[finished]) == [cases[finished].find("system-out")]
    assert "OSSBucket=" in cases[finished].find("system-out").text

    failure = cases[failed].find("failure")
    assert failure.get("type") == "InvalidImage.Format"
    assert failure.get("message") == NASTY_MSG
    assert cases[failed].find("error") is None

    error = cases[slow].find("error")
    assert error.get("type") == "Timeout"
    assert "Processing" in error.get("message")
    assert cases[slow].find("failure") is None

    fact = run.result("Show the fact")["wait_for_tasks_result"]
    assert (fact["succeeded"], fact["failed"], fact["pending"]) == ([finished], [failed], [slow])
    assert fact["timed_out"] is True and fact["ok"] is False
    assert fact["junit_file"] == str(tmp_path / "reports" / "ci.xml")


@pytest.mark.parametrize("role_vars, complaint", [
    ({}, "wait_for_tasks_task_ids"),
    ({"wait_for_tasks_task_ids": ["t-1"], "wait_for_tasks_fail_on_failure": "perhaps"}, "wait_for_tasks_fail_on_failure"),
    ({"wait_for_tasks_task_ids": "t-1", "wait_for_tasks_reports": "sometimes"}, "wait_for_tasks_reports"),
    ({"wait_for_tasks_task_ids": "t-1", "wait_for_tasks_wait_for": "products"}, "wait_for_tasks_wait_for"),
])
def test_bad_role_input_is_rejected_before_any_api_call(ansible, emulator, role_vars, complaint):
    playbook = """
- name: Bad input
  hosts: localhost
  gather_facts: false
  roles:
    - role: alicloud.ecs.wait_for_tasks
      vars: %s
""" % json.dumps(role_vars)
    run = ansible.playbook(playbook)
    assert run.rc != 0, run
    assert complaint in run.output
    assert "Validating arguments against arg spec" in run.output
    assert sum(emulator.stats()["calls"].values()) == 0


def test_an_api_error_fails_the_role_with_its_code_after_writing_the_reports(ansible, tmp_path, emulator):
    ids = emulator.create_tasks(action="ExportImage", duration=30)
    run = ansible.playbook(PLAYBOOK, extra_vars={"ids": ids, "report_dir": str(tmp_path / "reports"), "timeout": 20},
                           env={"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "not-the-secret"}, timeout=120)
    assert run.rc == 2, run
    assert run.status("Wait for the ECS tasks") == "ok"
    msg = run.result("Fail when the wait stopped on an error")["msg"]
    assert "stopped on an error, SignatureDoesNotMatch" in msg and "To fix" in msg
    assert msg.count("To fix") == 1 and "string to sign is:" not in msg
    assert "not decided" not in msg and "still not found" not in msg
    suite = ET.parse(tmp_path / "reports" / "ci.xml").getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("1", "0", "1")
    error = suite.find("testcase").find("error")
    assert error.get("type") == "SignatureDoesNotMatch" and "SignatureDoesNotMatch" in error.get("message")
    assert "the wait stopped on an error, SignatureDoesNotMatch" in (tmp_path / "reports" / "ci.md").read_text()


def test_a_bad_duration_names_the_roles_variable_and_still_writes_reports(ansible, tmp_path, emulator):
    ids = emulator.create_tasks(action="ExportImage", duration=30)
    run = run_role(ansible, tmp_path, ids, timeout="5x")
    assert run.rc == 2, run
    msg = run.result("Fail when the wait stopped on an error")["msg"]
    assert "wait_for_tasks_timeout: '5x' is not a duration" in msg
    assert "timeout:" not in msg.replace("wait_for_tasks_timeout:", "")
    error = ET.parse(tmp_path / "reports" / "ci.xml").getroot().find("testsuite").find("testcase").find("error")
    assert error.get("type") == "InvalidOption" and "wait_for_tasks_timeout" in error.get("message")
    assert sum(emulator.stats()["calls"].values()) == 0
