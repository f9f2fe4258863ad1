# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules' RETURN documentation against what real runs return: every key a run returns is
documented, and every key documented as returned always is there."""

from __future__ import annotations

import yaml

from ansible_collections.alicloud.ecs.plugins.modules import ecs_task_info, ecs_task_wait

# Keys Ansible itself adds to every result.
ANSIBLE_KEYS = {"changed", "failed", "invocation", "warnings", "deprecations", "exception", "_ansible_no_log",
                "_ansible_verbose_always", "_ansible_verbose_override", "skipped", "msg"}


def check(result, returned):
    keys = set(result) - ANSIBLE_KEYS
    assert keys <= set(returned), sorted(keys - set(returned))
    always = {name for name, doc in returned.items() if doc.get("returned") == "always"} - ANSIBLE_KEYS
    assert always <= set(result), sorted(always - set(result))
    contains = returned["tasks"].get("contains") or {}
    for record in result["tasks"]:
        assert set(contains) <= set(record), sorted(set(contains) - set(record))


def test_wait_returns_what_its_docs_say(ansible, emulator):
    returned = yaml.safe_load(ecs_task_wait.RETURN)
    ids = emulator.create_tasks(action="ExportImage", count=2, duration=0.5)
    run = ansible.adhoc("alicloud.ecs.ecs_task_wait", {"task_ids": ids, "timeout": "20s"})
    assert run.rc == 0, run
    result = run.results[-1]["result"]
    assert result["succeeded"] == ids, result
    check(result, returned)


def test_wait_error_returns_what_its_docs_say(ansible, emulator):
    returned = yaml.safe_load(ecs_task_wait.RETURN)
    ids = emulator.create_tasks(action="ExportImage", duration=30)
    run = ansible.adhoc("alicloud.ecs.ecs_task_wait", {"task_ids": ids, "timeout": "20s", "region": "xx-nowhere-1"})
    result = run.results[-1]["result"]
    assert result["error_code"] == "InvalidRegionId.NotFound", result
    # The error's own fields (request id, HTTP status, attempts) are documented with it.
    check(result, returned)


def test_a_search_that_finds_nothing_returns_what_its_docs_say(ansible, emulator):
    returned = yaml.safe_load(ecs_task_wait.RETURN)
    run = ansible.adhoc("alicloud.ecs.ecs_task_wait", {"task_action": "ExportImage", "not_found_checks": 0})
    result = run.results[-1]["result"]
    assert result["wait_status"] == "failed" and result["search"]["found"] == [], result
    check(result, returned)


def test_info_returns_what_its_docs_say(ansible, emulator):
    returned = yaml.safe_load(ecs_task_info.RETURN)
    ids = emulator.create_tasks(action="ExportImage", count=2, duration=0.5)
    run = ansible.adhoc("alicloud.ecs.ecs_task_info", {"task_ids": ids + ["t-missing0000000001"], "details": True})
    assert run.rc == 0, run
    check(run.results[-1]["result"], returned)


def test_info_error_returns_what_its_docs_say(ansible, emulator):
    returned = yaml.safe_load(ecs_task_info.RETURN)
    ids = emulator.create_tasks(action="ExportImage", duration=0.5)
    run = ansible.adhoc("alicloud.ecs.ecs_task_info", {"task_ids": ids},
                        env={"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "not-the-secret"})
    result = run.results[-1]["result"]
    assert result["error_code"] == "SignatureDoesNotMatch" and result["server_string_to_sign"], result
    undocumented = set(result) - ANSIBLE_KEYS - set(returned)
    assert not undocumented, sorted(undocumented)
