# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The wait (controller and async), the info module and the role under other ansible-core versions:
no deprecation warning from our code, and the role's error path works.

Opt-in, since each version needs its own virtualenv: ALICLOUD_ECS_ANSIBLE_BINS is a list of bin
folders separated by ':', for example made with
``python3 -m venv /tmp/v218 && /tmp/v218/bin/pip install 'ansible-core>=2.18,<2.19' requests jmespath``.
The version of .venv (2.19) is covered by the rest of the suite (test_wait_progress.py).
"""

from __future__ import annotations

import os

import pytest

from tests.integration import ansible_run

BINS = [path for path in os.environ.get("ALICLOUD_ECS_ANSIBLE_BINS", "").split(":") if path]

PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Version
      ansible.builtin.debug: {msg: "{{ ansible_version.full }}"}
    - name: Controller wait
      alicloud.ecs.ecs_task_wait: {task_ids: "{{ ids }}", timeout: 20, pending_states: [Waiting, Procesing]}
    - name: Async wait
      alicloud.ecs.ecs_task_wait: {task_ids: "{{ ids }}", timeout: 20, pending_states: [Waiting, Procesing]}
      async: 30
      poll: 1
    - name: Info
      alicloud.ecs.ecs_task_info: {task_ids: "{{ ids }}", details: true}
    - name: Role
      ansible.builtin.include_role: {name: alicloud.ecs.wait_for_tasks}
      vars: {wait_for_tasks_task_ids: "{{ ids }}", wait_for_tasks_report_dir: "{{ reports }}"}
"""

ROLE_ONLY = PLAYBOOK[:PLAYBOOK.index("    - name: Version")] + PLAYBOOK[PLAYBOOK.index("    - name: Role"):]


@pytest.fixture(params=BINS or [None], ids=BINS or ["none"])
def other_ansible(request, emulator, monkeypatch):
    if request.param is None:
        pytest.skip("set ALICLOUD_ECS_ANSIBLE_BINS to bin folders of other ansible-core versions")
    monkeypatch.setattr(ansible_run, "BIN", request.param)
    return ansible_run.Ansible(emulator)


def test_no_deprecation_and_the_role_reports_errors(other_ansible, emulator, tmp_path):
    ids = emulator.create_tasks(action="ExportImage", duration=1)
    env = {"ANSIBLE_DEPRECATION_WARNINGS": "1", "ANSIBLE_ASYNC_DIR": str(tmp_path / "async")}
    run = other_ansible.playbook(PLAYBOOK, extra_vars={"ids": ids, "reports": str(tmp_path / "ok")}, env=env)
    assert run.rc == 0, run
    # The ansible-core that ran is the other one, not .venv's.
    assert not run.result("Version")["msg"].startswith("2.19"), run.result("Version")
    assert "DEPRECATION" not in run.output and "Procesing" in run.output, run
    env["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = "not-the-secret"
    run = other_ansible.playbook(ROLE_ONLY, extra_vars={"ids": ids, "reports": str(tmp_path / "bad")}, env=env)
    assert run.rc == 2 and "stopped on an error, SignatureDoesNotMatch" in run.stdout, run
    assert 'type="SignatureDoesNotMatch"' in (tmp_path / "bad" / "wait_for_tasks.xml").read_text()
