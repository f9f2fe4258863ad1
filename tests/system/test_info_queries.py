# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""alicloud.ecs.ecs_task_info through real ansible-playbook / ansible runs against the emulator.

Call counts come from the emulator's own stats: each query must make the
fewest calls the API allows.
"""

from __future__ import annotations

import datetime
import math

import pytest

from tests.emulator.harness import Emulator
from tests.system.ansible_run import Ansible

MODULE = "alicloud.ecs.ecs_task_info"
RECORD_KEYS = {
    "task_id", "task_action", "task_status", "progress", "creation_time", "finished_time", "support_cancel",
    "total_count", "success_count", "failed_count", "resource_id", "region", "related_items",
    "operation_progress", "error_code", "error_msg",
    "related_item_values",  # 0.3: every value of each name (an export of several disks)
}


def calls(emulator):
    return emulator.stats()["calls"]


def ids_of(result):
    return [task["task_id"] for task in result["tasks"]]


def assert_ok(run):
    assert run.rc == 0, run
    assert run.results, run
    for entry in run.results:
        assert entry["status"] == "ok", (entry["task"], entry["result"].get("msg"), run)
        assert entry["result"].get("changed") is False, entry


# ---------------------------------------------------------------- by ids

def test_ids_keep_input_order_fold_duplicates_and_report_missing_in_three_calls(ansible, emulator):
    ids = emulator.create_tasks(count=250, duration=0)
    wanted = ids[::-1]  # not the order the service lists them in
    unknown = "t-doesnotexist000001"
    asked = wanted[:120] + [unknown] + wanted[120:] + wanted[:10] + [unknown]
    run = ansible.adhoc(MODULE, {"task_ids": asked})
    assert_ok(run)
    result = run.results[-1]["result"]
    assert ids_of(result) == wanted
    assert result["missing"] == [unknown]
    for task in result["tasks"][:3]:
        assert set(task) == RECORD_KEYS
        assert (task["region"], task["task_action"], task["task_status"], task["progress"]) == (
            "cn-hangzhou", "ExportImage", "Finished", 100)
    # 251 distinct ids, 100 per call: the fewest calls DescribeTasks allows, and nothing else.
    assert result["api_calls"] == math.ceil(251 / 100) == 3
    assert calls(emulator) == {"DescribeTasks": 3}


def test_check_mode_runs_the_query_and_changes_nothing(ansible, emulator):
    ids = emulator.create_tasks(count=2, duration=0)
    # key=value arguments as people type them: the list option splits on the comma.
    run = ansible.adhoc(MODULE, "task_ids=%s,%s details=true" % tuple(ids), check=True)
    assert_ok(run)
    result = run.results[-1]["result"]
    assert result["changed"] is False
    assert ids_of(result) == ids
    assert calls(emulator) == {"DescribeTasks": 1, "DescribeTaskAttribute": 2}
    # Read-only: the tasks are as they were.
    assert [task["status"] for task in emulator.tasks()] == ["Finished", "Finished"]


# ---------------------------------------------------------------- by filters

@pytest.fixture(scope="module")
def clock_emulator():
    """An emulator of our own: the test moves its clock, which must not leak into other tests."""
    with Emulator() as server:
        yield server


def _plus_eight(epoch):
    """The same instant written in UTC+08:00, as someone in Hangzhou would."""
    local = datetime.datetime.fromtimestamp(epoch, datetime.timezone(datetime.timedelta(hours=8)))
    return local.strftime("%Y-%m-%dT%H:%M:%S+08:00")


def _epoch(api_time):
    return datetime.datetime.strptime(api_time, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()


def test_filters_action_status_and_times(clock_emulator):
    emu = clock_emulator
    emu.reset()
    # "Old" tasks now; then the virtual clock jumps two hours and "new" tasks are made.
    old_imports = emu.create_tasks(action="ImportImage", count=2, duration=0)
    old_failed = emu.create_tasks(action="ExportImage", outcome="Failed", duration=0)
    old_running = emu.create_tasks(action="ModifyDiskSpec", duration=100000)
    emu.advance(7200)
    new_import = emu.create_tasks(action="ImportImage", duration=0)
    new_failed = emu.create_tasks(action="ExportImage", outcome="Failed", duration=0)
    new_export = emu.create_tasks(action="ExportImage", duration=0)
    old = set(old_imports + old_failed + old_running)
    new = set(new_import + new_failed + new_export)

    created = {task["task_id"]: _epoch(task["creation_time"]) for task in emu.tasks()}
    boundary = max(created[i] for i in old) + 3600  # an hour after the old tasks, an hour before the new
    iso_boundary = _plus_eight(boundary)

    run = Ansible(emu).playbook("playbooks/info_filters.yml", extra_vars={"iso_boundary": iso_boundary})
    assert_ok(run)

    def found(name):
        result = run.result(name)
        assert result["missing"] == []
        assert len(set(ids_of(result))) == len(result["tasks"]), "a task listed twice"
        return set(ids_of(result)), result

    # +08:00 is converted to UTC: read as UTC the boundary would sit 8 hours later and find nothing.
    assert found("Created after a time given with a +08:00 offset")[0] == new

    imports, result = found("Action in upper snake case")
    assert imports == set(old_imports + new_import)
    assert {task["task_action"] for task in result["tasks"]} == {"ImportImage"}

    failed, result = found("Failed exports")
    assert failed == set(old_failed + new_failed)
    assert {task["task_status"] for task in result["tasks"]} == {"Failed"}

    # Relative times count back from the real now, and the "new" tasks sit two hours ahead of it:
    # -1h read as an hour ahead would find only those; an ignored filter would find all.
    assert found("Created between an hour ago and now")[0] == old

    # Every query fit in one page.
    assert calls(emu) == {"DescribeTasks": len(run.results)}


def test_paging_fetches_only_the_pages_needed(ansible, emulator):
    exports = emulator.create_tasks(action="ExportImage", count=250, duration=0)
    newest_first = exports[::-1]  # the service lists the newest first; paging keeps its order
    run = ansible.playbook("playbooks/info_paging.yml")
    assert_ok(run)

    every = run.result("All 250 exports")
    assert ids_of(every) == newest_first
    assert every["api_calls"] == 3

    # max_results stops paging as soon as it has enough: no page is fetched for nothing.
    for name, size, pages in (("The first 100 exports", 100, 1), ("The first 200 exports", 200, 2)):
        result = run.result(name)
        assert ids_of(result) == newest_first[:size], name
        assert result["api_calls"] == pages, name

    assert calls(emulator) == {"DescribeTasks": 3 + 1 + 2}


# ---------------------------------------------------------------- details

def test_details_progress_related_items_and_errors(ansible, emulator):
    exported = emulator.create_tasks(action="ExportImage", duration=0,
                                     related_items={"OSSBucket": "images-bucket"})[0]
    broken = emulator.create_tasks(action="ExportImage", duration=0, outcome="Failed",
                                   error_code="InvalidOSSBucket.NotFound",
                                   error_msg="The specified OSS bucket does not exist.")[0]
    running = emulator.create_tasks(action="ModifyDiskSpec", duration=200)[0]
    emulator.advance(100)  # half way through the disk change
    ids = [exported, broken, running]
    run = ansible.playbook("playbooks/info_details.yml", extra_vars={"ids": ids})
    assert_ok(run)
    truth = {task["task_id"]: task for task in emulator.tasks()}

    detailed = run.result("With details")
    assert ids_of(detailed) == ids
    assert detailed["api_calls"] == 1 + 3
    ok, bad, busy = detailed["tasks"]

    assert ok["task_status"] == "Finished" and ok["progress"] == 100
    assert ok["related_items"]["OSSBucket"] == "images-bucket"
    assert ok["related_items"]["OSSObject"] == truth[exported]["related_items"]["OSSObject"]
    assert exported in ok["related_items"]["OSSObject"]
    assert ok["related_items"]["ImageFormat"] == "raw"
    assert (ok["total_count"], ok["success_count"], ok["failed_count"]) == (1, 1, 0)
    assert ok["error_code"] is None and ok["error_msg"] is None

    # The failed operation's error is lifted to the record.
    assert bad["task_status"] == "Failed"
    assert bad["error_code"] == "InvalidOSSBucket.NotFound"
    assert bad["error_msg"] == "The specified OSS bucket does not exist."
    assert bad["operation_progress"][0]["operation_status"] == "Failed"
    assert (bad["success_count"], bad["failed_count"]) == (0, 1)

    assert busy["task_status"] == "Processing"
    assert 50 <= busy["progress"] <= truth[running]["progress"] < 100
    assert busy["finished_time"] is None

    plain = run.result("Without details")
    assert ids_of(plain) == ids
    assert plain["api_calls"] == 1
    assert [task["related_items"] for task in plain["tasks"]] == [{}, {}, {}]
    assert plain["tasks"][1]["error_code"] is None
    assert plain["tasks"][2]["progress"] is None

    newest = run.result("Details of the newest export only")
    assert ids_of(newest) == [broken]
    assert newest["tasks"][0]["error_code"] == "InvalidOSSBucket.NotFound"
    assert newest["api_calls"] == 2

    # Exactly one DescribeTaskAttribute per task whose details were asked for.
    assert calls(emulator) == {"DescribeTasks": 3, "DescribeTaskAttribute": 3 + 1}


# ---------------------------------------------------------------- connection options

def test_module_defaults_group_and_both_signature_versions(ansible, emulator):
    ids = emulator.create_tasks(count=2, duration=0)
    run = ansible.playbook("playbooks/info_module_defaults.yml", extra_vars={
        "ecs_endpoint": emulator.url, "key_id": "testid", "key_secret": "testsecret", "ids": ids,
    }, env={
        "ALIBABA_CLOUD_ECS_ENDPOINT": None, "ALIBABA_CLOUD_REGION_ID": None,
        "ALIBABA_CLOUD_ACCESS_KEY_ID": None, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": None,
    })
    assert_ok(run)
    with_v3 = run.result("Signed with V3 from the group defaults")
    with_v1 = run.result("Signed with V1, overriding the group default")

    arguments = with_v3["invocation"]["module_args"]
    assert arguments["signature_version"] == "v3"
    assert arguments["region"] == "cn-hangzhou"
    assert arguments["endpoint"] == emulator.url
    assert arguments["access_key"] == "testid"
    assert arguments["secret_key"] != "testsecret"
    assert with_v1["invocation"]["module_args"]["signature_version"] == "v1"

    assert ids_of(with_v3) == ids_of(with_v1) == ids
    assert with_v3["tasks"] == with_v1["tasks"]
    assert with_v3["tasks"][0]["related_items"]["OSSObject"].endswith(ids[0] + ".raw")
    assert "testsecret" not in run.output
    assert calls(emulator) == {"DescribeTasks": 2, "DescribeTaskAttribute": 4}
