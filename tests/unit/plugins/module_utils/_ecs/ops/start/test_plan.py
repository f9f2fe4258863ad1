# -*- coding: utf-8 -*-
"""The start framework (ops/start/plan.py) with a test double of a start module: find, decide, act, wait, on a fake
client and clock. The modules' own decide functions and the real HTTP are tested with the modules."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start import plan
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.errors import explain, hint
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.plan import (
    ATTACHED, NONE, STARTED, Decision, Start, StartCall, closing_line, run_start, send, start_kind, start_timing,
    strongest,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig
from tests.unit.fakes import FakeClock


class Client(object):
    """An ECS client double: answers each action from ``script`` (a list of answers or ApiErrors, in turn)."""

    region = "cn-hangzhou"

    def __init__(self, **script):
        self.script = dict((action, list(answers)) for action, answers in script.items())
        self.sent = []

    @property
    def api_calls(self):
        return len(self.sent)

    def call(self, action, params=None, deadline=None, check=None):
        self.sent.append((action, dict(params or {})))
        answers = self.script.get(action) or [{"RequestId": "r"}]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, ApiError):
            raise ApiError(answer.code, answer.api_message, action=action, http_status=answer.http_status)
        return answer


def refused(code, status=403):
    return ApiError(code, "refused", http_status=status)


@dataclass(frozen=True)
class Request:
    found: tuple  # what find returns: one action per thing (none | attached | missing)
    config: WaitConfig
    wait: bool = True
    cancel_on_timeout = False


class Double(Start):
    """A start module of things named by index: ``found`` says what exists of each."""

    name = "ecs_double"
    home = "start.double"

    def __init__(self):
        self.waits = []

    def prepare(self, params):
        return Request(tuple(params["found"]), start_timing(params), params.get("wait", True))

    def find(self, request, clients, deadline):
        clients.ecs().call("DescribeThings", {}, deadline=deadline)
        return request.found

    def decide(self, request, found):
        return [Decision({"missing": STARTED}.get(state, state), "thing %d is %s" % (index, state), "cn-hangzhou",
                         task_id="t-old%d" % index if state == ATTACHED else None)
                for index, state in enumerate(found)]

    def call(self, request, found, decision):
        return StartCall("StartThing", decision.region, {"RegionId": decision.region}, {"disk_id": "d-1"})

    def started(self, request, found, decision, answer):
        return decision.but(task_id=answer.get("TaskId"), why="started thing")

    def wait(self, request, clients, decisions, config, clock, sleep, on_progress):
        self.waits.append((decisions, config.timeout))
        return {"wait_status": "succeeded", "msg": "ready", "elapsed": 3.0, "failed": False}

    def result(self, request, found, decisions, waited):
        return {"things": [decision.action for decision in decisions]}

    def diff(self, request, found, decisions):
        return {"before": list(found), "after": [decision.action for decision in decisions]}


def run(found, client=None, timeout="10m", check_mode=False, diff=False, wait=True, clock=None):
    double = Double()
    clock = clock or FakeClock()
    client = client or Client(StartThing=[{"TaskId": "t-new"}])
    lines = []
    request = double.prepare({"found": found, "timeout": timeout, "wait": wait})
    result = run_start(double, request, client, check_mode=check_mode, diff=diff, clock=clock, sleep=clock.sleep,
                       say=lines.append)
    return result, client, double, lines


def started_calls(client):
    return [params for action, params in client.sent if action == "StartThing"]


def test_strongest_action_wins():
    assert strongest([NONE, STARTED, ATTACHED]) == STARTED
    assert strongest([NONE, ATTACHED]) == ATTACHED
    assert strongest([]) == NONE


def test_nothing_missing_starts_nothing_and_changes_nothing():
    result, client, double, _lines = run(["none"])
    assert (result["changed"], result["action"], result["task_id"]) == (False, NONE, None)
    assert started_calls(client) == [] and double.waits == []
    assert result["failed"] is False and "thing 0 is none" in result["msg"]


def test_missing_is_started_once_then_waited_for_with_what_is_left_of_the_deadline():
    clock = FakeClock()
    client = Client(DescribeThings=[{}], StartThing=[{"TaskId": "t-new"}])
    client_call = client.call

    def slow_call(action, params=None, deadline=None, check=None):
        clock.now += 30  # each call takes 30 s: the wait gets what is left
        return client_call(action, params, deadline, check)

    client.call = slow_call
    result, _client, double, lines = run(["missing"], client=client, timeout="10m", clock=clock)
    assert (result["changed"], result["action"], result["task_id"]) == (True, STARTED, "t-new")
    assert len(started_calls(client)) == 1 and "DryRun" not in started_calls(client)[0]
    (decisions, timeout), = double.waits
    assert timeout == pytest.approx(600 - 60)
    assert result["wait_status"] == "succeeded" and result["elapsed"] == 3.0
    assert lines == ["started StartThing in cn-hangzhou: task t-new"]


def test_attached_work_is_waited_for_and_nothing_started():
    result, client, double, _lines = run(["attached"])
    assert (result["changed"], result["action"], result["task_id"]) == (True, ATTACHED, "t-old0")
    assert started_calls(client) == [] and len(double.waits) == 1


def test_wait_false_returns_at_once():
    result, client, double, _lines = run(["missing"], wait=False)
    assert (result["action"], result["task_id"]) == (STARTED, "t-new")
    assert double.waits == [] and "wait_status" not in result


def test_check_mode_sends_dry_run_and_waits_for_nothing():
    client = Client(StartThing=[refused("DryRunOperation", 400)])
    result, client, double, _lines = run(["missing", "none"], client=client, check_mode=True)
    assert [params.get("DryRun") for params in started_calls(client)] == ["true"]
    assert (result["changed"], result["action"], result["task_id"]) == (True, STARTED, None)
    assert double.waits == [] and result["msg"].startswith("check mode, nothing was changed")
    assert "DryRun passed" in result["msg"]


def test_check_mode_refusal_is_the_failure_explained():
    client = Client(StartThing=[refused("NoSetRoletoECSServiceAcount")])
    result, _client, _double, _lines = run(["missing"], client=client, check_mode=True)
    assert result["failed"] and result["error_code"] == "NoSetRoletoECSServiceAcount"
    assert "https://ram.console.aliyun.com/" in result["msg"] and result["action"] == NONE


def test_a_service_ignoring_dry_run_is_reported_as_started():
    result, _client, _double, _lines = run(["missing"], check_mode=True)
    assert result["action"] == STARTED and result["task_id"] == "t-new"
    assert "ignored DryRun" in result["msg"]


def test_cooling_period_is_sent_again_until_accepted():
    client = Client(StartThing=[refused("DiskInCoolingPeriod"), refused("DiskInCoolingPeriod"), {"TaskId": "t-3"}])
    result, client, _double, _lines = run(["missing"], client=client)
    assert len(started_calls(client)) == 3 and result["task_id"] == "t-3" and not result["failed"]


def test_cooling_period_past_the_deadline_fails_saying_so():
    clock = FakeClock()
    client = Client(StartThing=[refused("DiskInCoolingPeriod")])
    result, client, double, _lines = run(["missing"], client=client, timeout=60, clock=clock)
    assert result["failed"] and result["error_code"] == "DiskInCoolingPeriod"
    assert "still refused after %d tries" % len(started_calls(client)) in result["msg"]
    assert "run again later" in result["msg"] and double.waits == []
    assert clock.now - FakeClock.START <= 60


def test_send_sends_any_other_refusal_once():
    client = Client(StartThing=[refused("InvalidStatus.DiskNotReady")])
    clock = FakeClock()
    with pytest.raises(ApiError):
        send(client, StartCall("StartThing", "cn-hangzhou", {}), Deadline.after(600, clock), clock.sleep)
    assert len(client.sent) == 1 and clock.sleeps == []


def test_no_change_means_nothing_to_do():
    client = Client(StartThing=[refused("NoChangeInDiskCategoryAndPerformanceLevel")])
    result, _client, double, _lines = run(["missing"], client=client)
    assert (result["changed"], result["action"], result["failed"]) == (False, NONE, False)
    assert "nothing to do" in result["msg"] and double.waits == []


def test_a_refused_start_keeps_what_was_started_before_it_and_starts_nothing_after():
    client = Client(StartThing=[{"TaskId": "t-1"}, refused("InvalidImageId.NotFound", 404), {"TaskId": "t-3"}])
    result, client, double, _lines = run(["missing", "missing", "missing"], client=client)
    assert len(started_calls(client)) == 2
    assert result["things"] == [STARTED, NONE, NONE] and result["action"] == STARTED
    assert result["failed"] and result["task_id"] is None and double.waits == []


def test_diff_only_when_asked():
    assert "diff" not in run(["missing"])[0]
    assert run(["missing"], diff=True)[0]["diff"] == {"before": ["missing"], "after": [STARTED]}


def test_closing_line_says_what_was_done_and_how_the_wait_ended():
    assert closing_line({"action": STARTED, "task_id": "t-1", "wait_status": "succeeded", "elapsed": 62.0},
                        "[h] ecs_x") == "[h] ecs_x: started (task t-1), succeeded [1m2s elapsed]"
    assert closing_line({"action": NONE}, "p") == "p: nothing to start, already there"
    assert closing_line({"action": STARTED}, "p") == "p: started, not waited for"
    assert closing_line({"action": NONE, "failed": True, "error_code": "X"}, "p") == "p: nothing to start, error X"


def test_the_kind_runs_as_a_wait_kind_with_diff():
    double = Double()
    kind = start_kind(double)
    assert kind.starts and kind.closing is closing_line and "wait" in kind.spec() and "timeout" in kind.spec()
    clock = FakeClock()
    request = kind.prepare({"found": ["missing"]})
    result = kind.run(request, Client(StartThing=[{"TaskId": "t"}]), check_mode=False, clock=clock,
                      sleep=clock.sleep, on_progress=None, diff=True, say=None)
    assert result["action"] == STARTED and "diff" in result


@pytest.mark.parametrize("code, facts, words", [
    ("NoSetRoletoECSServiceAcount", {"action": "ImportImage"},
     ["AliyunECSImageImportDefaultRole", "https://ram.console.aliyun.com/", "api-importimage"]),
    ("NoSetRoletoECSServiceAcount", {"action": "ExportImage"}, ["AliyunECSImageExportDefaultRole", "write to"]),
    ("NoSetRoletoECSServiceAcount", {"action": "ExportImage", "role_name": "MyRole"}, ["MyRole given as role_name"]),
    ("InvalidImageId.NotFound", {"image_id": "m-1", "region": "cn-beijing"}, ["m-1", "cn-beijing"]),
    ("InvalidDiskId.NotFound", {"disk_id": "d-1", "region": "cn-beijing"}, ["d-1", "cn-beijing"]),
    ("InvalidImageFormat.Malformed", {"format_option": "format", "format": "ISO", "action": "ImportImage",
                                      "formats": "RAW, VHD, QCOW2"}, ["'ISO'", "RAW, VHD, QCOW2"]),
    ("InvalidOSSObject.NotFound", {"bucket": "b", "object": "k.raw", "region": "cn-hangzhou"}, ["oss://b/k.raw"]),
    ("InvalidImageName.Duplicated", {"image_name": "web", "region": "cn-hangzhou"}, ["'web'", "another name"]),
    ("IncorrectImageStatus", {"image_id": "m-1"}, ["ecs_image_wait"]),
    ("ImageIsExporting", {"image_id": "m-1"}, ["resource_ids [m-1]"]),
    ("InvalidStatus.DiskNotReady", {"disk_id": "d-1"}, ["ecs_disk_wait"]),
    ("NoChangeInDiskCategoryAndPerformanceLevel", {"disk_id": "d-1"}, ["nothing to do"]),
])
def test_each_explained_error_says_what_and_how_to_fix(code, facts, words):
    text = hint(code, facts)
    for word in words:
        assert word in text
    assert "?" not in text and "\n" not in text
    error = explain(ApiError(code, "service words", action="X", http_status=403), facts)
    assert error.message.endswith(". To fix: %s." % text)


def test_an_unknown_code_keeps_the_clients_advice():
    error = explain(ApiError("Forbidden.RAM", "no", action="ImportImage"), {})
    assert "grant ecs:ImportImage" in error.message


def test_every_start_call_is_retried_by_the_client_only_when_the_service_did_nothing():
    # The framework relies on it: ImportImage is no Describe (api/client.retry_allowed).
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import retry_allowed

    reset = ApiError("ConnectionError", "reset")
    reset.request_sent = True
    assert not retry_allowed("ImportImage", reset)
    assert retry_allowed("ImportImage", ApiError("Throttling.ConcurrentLimitExceeded", "x", http_status=400))
    assert plan.REFUSED_FOR_NOW == ("DiskInCoolingPeriod", "Throttling.ConcurrentLimitExceeded")
