# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One wait for the tasks of 50 hosts, each host checking its own record: the guide's playbook and the role.

The inventory is generated: 50 hosts with ansible_connection=local, each
with the id of its own emulator task in ``export_task_id``. 30 tasks finish,
10 fail with their own error, 10 are still running at the timeout.
"""

from __future__ import annotations

import os
import re
import sys

import pytest

from tests.system.ansible_run import REPO_ROOT

GUIDE = os.path.join(REPO_ROOT, "docs", "many-hosts.md")
HOSTS = 50
TIMEOUT = 10


def guide_block(index):
    blocks = re.findall(r"^```yaml[ \t]*\n(.*?)^```[ \t]*$", open(GUIDE, encoding="utf-8").read(), re.M | re.S)
    return blocks[index]


@pytest.fixture
def fifty_hosts(emulator, tmp_path):
    """(inventory path, {host: (task id, expected wait_outcome)})."""
    finished = emulator.create_tasks(action="ExportImage", count=30, durations=[1 + index % 3 for index in range(30)])
    failed = emulator.create_tasks(action="ExportImage", count=10, duration=2, outcome="Failed",
                                   error_code="InvalidOSSBucket.NotFound", error_msg="The specified OSS bucket does not exist.")
    running = emulator.create_tasks(action="ExportImage", count=10, duration=3600)
    outcomes = ["succeeded"] * 30 + ["failed"] * 10 + ["pending"] * 10
    # Interleaved, so the first host (the one run_once runs on) is no special case.
    ids = finished + failed + running
    order = sorted(range(HOSTS), key=lambda index: (index % 5, index))
    hosts = {}
    lines = ["[builders]"]
    for number, index in enumerate(order):
        name = "builder%02d" % number
        hosts[name] = (ids[index], outcomes[index])
        lines.append("%s ansible_connection=local ansible_python_interpreter=%s export_task_id=%s"
                     % (name, sys.executable, ids[index]))
    inventory = tmp_path / "builders.ini"
    inventory.write_text("\n".join(lines) + "\n")
    return str(inventory), hosts


def by_host(run, task):
    return dict((entry["host"], entry) for entry in run.results if entry["task"] == task)


def test_the_guides_pattern_waits_once_and_hands_each_host_its_own_record(ansible, emulator, fifty_hosts):
    inventory, hosts = fifty_hosts
    run = ansible.playbook(guide_block(0), args=["-i", inventory], extra_vars={"export_timeout": TIMEOUT},
                           env={"ANSIBLE_FORKS": "10"}, timeout=300)
    assert run.rc == 2, run  # some hosts' asserts failed, as they should

    waits = [entry for entry in run.results if entry["task"] == "Wait once for every host's export"]
    assert len(waits) == 1 and waits[0]["status"] == "ok", waits
    result = waits[0]["result"]
    assert len(result["tasks_by_id"]) == HOSTS and result["timed_out"] is True
    # Every round asked about all pending tasks in one DescribeTasks (50 ids < 100), at most one round a second
    # (min_interval); DescribeTaskAttribute only for the 40 tasks that ended and the progress samples (one a minute).
    calls = emulator.stats()["calls"]
    assert set(calls) == {"DescribeTasks", "DescribeTaskAttribute"}, calls
    assert 0 < calls["DescribeTasks"] <= result["elapsed"] + 2, calls
    assert calls["DescribeTaskAttribute"] <= 40 + result["elapsed"] // 60 + 2, calls

    records = by_host(run, "This host's own record")
    verdicts = by_host(run, "This host's export succeeded")
    assert set(records) == set(verdicts) == set(hosts)
    for host, (task_id, outcome) in hosts.items():
        record = records[host]["result"]["ansible_facts"]["export"]
        assert record["task_id"] == task_id, host
        assert record["wait_outcome"] == outcome, (host, record)
        truth = emulator.task(task_id)
        if outcome == "succeeded":
            assert record["task_status"] == "Finished" and record["related_items"]["OSSObject"] == truth["related_items"]["OSSObject"]
            assert verdicts[host]["status"] == "ok", host
        else:
            assert verdicts[host]["status"] == "failed", host
            assert task_id in verdicts[host]["result"]["msg"] and outcome in verdicts[host]["result"]["msg"]
        if outcome == "failed":
            assert record["task_status"] == "Failed" and record["error_code"] == "InvalidOSSBucket.NotFound"
            assert "The specified OSS bucket does not exist." in verdicts[host]["result"]["msg"]
        if outcome == "pending":
            assert record["task_status"] == truth["status"] == "Processing"


ROLE_PLAYBOOK = """
- name: The role, once for every host
  hosts: builders
  gather_facts: false
  roles:
    - role: alicloud.ecs.wait_for_tasks
      vars:
        wait_for_tasks_all_hosts: true
        wait_for_tasks_task_ids: ["{{ export_task_id }}"]
        wait_for_tasks_timeout: %d
        wait_for_tasks_report_dir: "{{ report_dir }}"
""" % TIMEOUT


def test_the_role_waits_once_and_fails_only_the_hosts_whose_task_did_not_succeed(ansible, emulator, fifty_hosts, tmp_path):
    inventory, hosts = fifty_hosts
    run = ansible.playbook(ROLE_PLAYBOOK, args=["-i", inventory], extra_vars={"report_dir": str(tmp_path / "reports")},
                           env={"ANSIBLE_FORKS": "10"}, timeout=300)
    assert run.rc == 2, run
    waits = [entry for entry in run.results if entry["task"] == "Wait for the ECS tasks"]
    assert len(waits) == 1, [entry["host"] for entry in waits]
    kept = by_host(run, "Keep the results in wait_for_tasks_result")
    verdicts = by_host(run, "Fail when tasks failed or did not end in time")
    assert set(kept) == set(hosts)
    for host, (task_id, outcome) in hosts.items():
        fact = kept[host]["result"]["ansible_facts"]["wait_for_tasks_result"]
        assert [record["task_id"] for record in fact["host_tasks"]] == [task_id], host
        assert fact["host_tasks"][0]["wait_outcome"] == outcome, host
        assert fact["host_ok"] is (outcome == "succeeded"), host
        assert len(fact["tasks"]) == HOSTS
        assert verdicts[host]["status"] == ("skipped" if outcome == "succeeded" else "failed"), host
    # One report, written once, with every host's task.
    report = (tmp_path / "reports" / "wait_for_tasks.xml").read_text()
    assert report.count("<testcase ") == HOSTS
