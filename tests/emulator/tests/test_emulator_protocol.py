# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator over real HTTP: signatures, errors, actions, control API, faults, robustness."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import urllib.parse

import pytest

from tests.emulator.client import SignedClient, utc_timestamp
from tests.emulator.harness import Emulator, EmulatorError


@pytest.fixture
def client(emulator):
    c = SignedClient(emulator.url)
    yield c
    c.close()


def _raw(url, data, timeout=10):
    """Send raw bytes, return what came back (b'' when the server closed)."""
    split = urllib.parse.urlsplit(url)
    with socket.create_connection((split.hostname, split.port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks):
                head, rest = b"".join(chunks).split(b"\r\n\r\n", 1)
                length = [int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
                if length and len(rest) >= length[0]:
                    break
        return b"".join(chunks)


def _assert_error(answer, status, code):
    assert answer.status == status, answer
    assert answer.code == code, answer
    assert answer.headers["Content-Type"] == "application/json;charset=utf-8"
    assert set(answer.json) == {"RequestId", "HostId", "Code", "Message", "Recommend"}
    assert answer.json["RequestId"] == answer.headers["x-acs-request-id"]


# -- signatures ---------------------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["v1-query-post", "v1-query-get", "v1-form", "v3", "v3-form"])
def test_signature_variants_accepted(emulator, client, variant):
    task_id = emulator.create_tasks()[0]
    params = {"RegionId": "cn-hangzhou", "TaskId": task_id}
    if variant == "v1-query-post":
        answer = client.v1("DescribeTaskAttribute", params)
    elif variant == "v1-query-get":
        answer = client.v1("DescribeTaskAttribute", params, method="GET")
    elif variant == "v1-form":
        answer = client.v1("DescribeTaskAttribute", params, in_body=True)
    elif variant == "v3":
        answer = client.v3("DescribeTaskAttribute", params)
    else:
        answer = client.v3("DescribeTaskAttribute", {"RegionId": "cn-hangzhou"}, form={"TaskId": task_id})
    assert answer.status == 200, answer
    assert answer.json["TaskId"] == task_id


def test_v1_tolerates_lower_case_format_and_empty_signature_type(emulator, client):
    answer = client.call("DescribeTasks", overrides={"Format": "json", "SignatureType": ""})
    assert answer.status == 200, answer


def test_v1_plus_in_form_body_decodes_as_space(emulator, client):
    # A signed value with a space, sent form-encoded ('+'), must verify: the server decodes '+' as space.
    answer = client.v1("DescribeTasks", {"RegionId": "cn-hangzhou", "TaskAction": "Export Image"}, in_body=True)
    assert answer.status == 200, answer
    assert answer.json["TotalCount"] == 0


def test_v1_query_and_body_are_merged(emulator, client):
    task_id = emulator.create_tasks()[0]
    signed = client.v1_params("DescribeTaskAttribute", {"RegionId": "cn-hangzhou", "TaskId": task_id})
    body = urllib.parse.urlencode({"TaskId": signed.pop("TaskId")}).encode()
    answer = client.send("POST", "/?" + urllib.parse.urlencode(signed), {"Content-Type": "application/x-www-form-urlencoded"}, body)
    assert answer.status == 200, answer


def test_signature_mismatch_v1_names_string_to_sign(client):
    answer = client.call("DescribeTasks", after_sign={"Signature": "AAAA"})
    _assert_error(answer, 400, "SignatureDoesNotMatch")
    message = answer.json["Message"]
    assert message.startswith("Specified signature is not matched with our calculation. server string to sign is:")
    assert message.split(":")[1].startswith("POST&%2F&AccessKeyId%3Dtestid")


def test_signature_mismatch_wrong_secret_v3(emulator):
    client = SignedClient(emulator.url, secret="wrong")
    answer = client.call("DescribeTasks", version="v3")
    _assert_error(answer, 400, "SignatureDoesNotMatch")
    assert "server string to sign is:ACS3-HMAC-SHA256\n" in answer.json["Message"]
    client.close()


def test_v3_tampered_query_is_refused(client):
    answer = client.call("DescribeTasks", version="v3")
    assert answer.status == 200
    headers = client.v3_headers("DescribeTasks", {"RegionId": "cn-hangzhou"})
    tampered = client.send("POST", "/?RegionId=cn-beijing", headers, b"")
    _assert_error(tampered, 400, "SignatureDoesNotMatch")


def test_v3_content_sha256_must_match_body(client):
    answer = client.v3("DescribeTasks", {"RegionId": "cn-hangzhou"}, overrides={"x-acs-content-sha256": "0" * 64})
    _assert_error(answer, 400, "ContentSha256NotMatched")


@pytest.mark.parametrize("authorization", [
    "ACS3-HMAC-SHA256 Credential=testid,Signature=abc",
    "ACS3-HMAC-SHA256",
    "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-not-sent,Signature=abc",
])
def test_v3_incomplete_signature(client, authorization):
    headers = client.v3_headers("DescribeTasks", {"RegionId": "cn-hangzhou"})
    headers["Authorization"] = authorization
    _assert_error(client.send("POST", "/?RegionId=cn-hangzhou", headers, b""), 400, "IncompleteSignature")


def test_v1_without_signature_is_incomplete(client):
    answer = client.send("GET", "/?Action=DescribeTasks&RegionId=cn-hangzhou&AccessKeyId=testid&Format=JSON", {}, b"")
    _assert_error(answer, 400, "IncompleteSignature")


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_timestamp_checks(client, version):
    field = "Timestamp" if version == "v1" else "x-acs-date"
    expired = client.call("DescribeTasks", version=version, overrides={field: utc_timestamp(-16 * 60)})
    _assert_error(expired, 400, "InvalidTimeStamp.Expired")
    future = client.call("DescribeTasks", version=version, overrides={field: utc_timestamp(16 * 60)})
    _assert_error(future, 400, "InvalidTimeStamp.Expired")
    within = client.call("DescribeTasks", version=version, overrides={field: utc_timestamp(-14 * 60)})
    assert within.status == 200, within
    malformed = client.call("DescribeTasks", version=version, overrides={field: "2016/02/23 12:46:24"})
    _assert_error(malformed, 400, "InvalidTimeStamp.Format")


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_nonce_reuse_is_refused(client, version):
    field = "SignatureNonce" if version == "v1" else "x-acs-signature-nonce"
    first = client.call("DescribeTasks", version=version, overrides={field: "fixed-nonce-" + version})
    assert first.status == 200, first
    again = client.call("DescribeTasks", version=version, overrides={field: "fixed-nonce-" + version})
    _assert_error(again, 400, "SignatureNonceUsed")


def test_refused_call_does_not_consume_nonce(client):
    bad = client.call("DescribeTasks", overrides={"SignatureNonce": "n-1"}, after_sign={"Signature": "x"})
    _assert_error(bad, 400, "SignatureDoesNotMatch")
    assert client.call("DescribeTasks", overrides={"SignatureNonce": "n-1"}).status == 200


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_invalid_version(client, version):
    field = "Version" if version == "v1" else "x-acs-version"
    _assert_error(client.call("DescribeTasks", version=version, overrides={field: "2016-01-01"}), 400, "InvalidVersion")


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_unknown_access_key(emulator, version):
    client = SignedClient(emulator.url, key_id="nobody")
    _assert_error(client.call("DescribeTasks", version=version), 404, "InvalidAccessKeyId.NotFound")
    client.close()


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_unknown_action(client, version):
    _assert_error(client.call("RunInstances", version=version), 404, "InvalidAction.NotFound")


def test_unknown_path_and_method(client):
    # A path with a first segment is an OSS request (path style): an unknown bucket.
    answer = client.send("GET", "/some/where", {}, b"")
    assert answer.status == 404 and b"<Code>NoSuchBucket</Code>" in answer.raw, answer
    signed = client.v1_params("DescribeTasks", {"RegionId": "cn-hangzhou"}, method="PUT")
    _assert_error(client.send("PUT", "/?" + urllib.parse.urlencode(signed), {}, b""), 400, "UnsupportedHTTPMethod")


# -- STS keys -------------------------------------------------------------------------------------
def test_sts_key_requires_its_token():
    with Emulator(access_keys=["stsid:stssecret:the-token", "plain:plainsecret"]) as emu:
        good = SignedClient(emu.url, "stsid", "stssecret", token="the-token")
        assert good.call("DescribeTasks").status == 200
        assert good.call("DescribeTasks", version="v3").status == 200
        for version in ("v1", "v3"):
            missing = SignedClient(emu.url, "stsid", "stssecret")
            _assert_error(missing.call("DescribeTasks", version=version), 400, "MissingSecurityToken")
            wrong = SignedClient(emu.url, "stsid", "stssecret", token="other-token")
            answer = wrong.call("DescribeTasks", version=version)
            _assert_error(answer, 400, "InvalidSecurityToken.MismatchWithAccessKey")
            assert "the-token" not in answer.raw.decode()
            missing.close()
            wrong.close()
        assert SignedClient(emu.url, "plain", "plainsecret").call("DescribeTasks").status == 200
        _assert_error(SignedClient(emu.url).call("DescribeTasks"), 404, "InvalidAccessKeyId.NotFound")
        assert "stssecret" not in emu.log_text() and "the-token" not in emu.log_text()
        good.close()


# -- parameters and actions -----------------------------------------------------------------------
@pytest.mark.parametrize("action", ["DescribeTasks", "DescribeTaskAttribute", "CancelTask"])
def test_missing_region(client, action):
    answer = client.call(action, {"RegionId": None, "TaskId": "t-x"})
    _assert_error(answer, 400, "MissingParameter")
    assert answer.json["Message"] == 'An input parameter "RegionId" that is mandatory for processing the request is not supplied.'


@pytest.mark.parametrize("action", ["DescribeTaskAttribute", "CancelTask"])
def test_missing_task_id(client, action):
    answer = client.call(action)
    _assert_error(answer, 400, "MissingParameter")
    assert '"TaskId"' in answer.json["Message"]


@pytest.mark.parametrize("action", ["DescribeTasks", "DescribeTaskAttribute", "CancelTask"])
def test_unknown_region(client, action):
    answer = client.call(action, {"RegionId": "mars-north-1", "TaskId": "t-x"})
    _assert_error(answer, 400, "InvalidRegionId.NotFound")
    assert answer.json["Message"] == "The specified RegionId does not exist."


def test_unknown_task_and_other_region(emulator, client):
    _assert_error(client.call("DescribeTaskAttribute", {"TaskId": "t-nope"}), 400, "InvalidTaskId.NotFound")
    task_id = emulator.create_tasks(region="cn-beijing")[0]
    answer = client.call("DescribeTaskAttribute", {"TaskId": task_id})
    _assert_error(answer, 400, "InvalidTaskId.NotFound")
    assert answer.json["Message"] == 'The specified "TaskId" is not found.'
    assert client.call("DescribeTaskAttribute", {"TaskId": task_id, "RegionId": "cn-beijing"}).status == 200


@pytest.mark.parametrize("params, code", [
    ({"PageSize": "0"}, "InvalidParameter"), ({"PageSize": "101"}, "InvalidParameter"),
    ({"PageSize": "ten"}, "InvalidParameter"), ({"PageNumber": "0"}, "InvalidParameter"),
    ({"StartTime": "2020-01-01"}, "InvalidStartTime.Malformed"),
    ({"EndTime": "2020-01-01T10:00:00+08:00"}, "InvalidEndTime.Malformed"),
    ({"TaskIds": ",".join("t-%d" % i for i in range(101))}, "InvalidParameter"),
    ({"ResourceIds.101": "m-1"}, "InvalidParameter"),
])
def test_describe_tasks_parameter_errors(client, params, code):
    _assert_error(client.call("DescribeTasks", params), 400, code)


def test_describe_tasks_shape_and_paging(emulator, client):
    ids = emulator.create_tasks(count=25)
    answer = client.call("DescribeTasks", {"PageSize": "10", "PageNumber": "3"})
    assert answer.status == 200
    body = answer.json
    assert (body["RegionId"], body["PageNumber"], body["PageSize"], body["TotalCount"]) == ("cn-hangzhou", 3, 10, 25)
    page = body["TaskSet"]["Task"]
    assert len(page) == 5
    assert set(page[0]) == {"TaskId", "TaskAction", "TaskStatus", "SupportCancel", "CreationTime", "FinishedTime", "ResourceId"}
    assert page[0]["SupportCancel"] == "true" and page[0]["FinishedTime"] == ""
    seen = []
    for number in (1, 2, 3, 4):
        seen += [t["TaskId"] for t in client.call("DescribeTasks", {"PageSize": "10", "PageNumber": str(number)}).json["TaskSet"]["Task"]]
    assert sorted(seen) == sorted(ids)
    default = client.call("DescribeTasks").json
    assert (default["PageNumber"], default["PageSize"], len(default["TaskSet"]["Task"])) == (1, 10, 10)


def test_describe_tasks_by_ids_100_limit_and_unknown_ids(emulator, client):
    ids = emulator.create_tasks(count=100)
    answer = client.call("DescribeTasks", {"TaskIds": ",".join(ids[:99] + ["t-unknown"]), "PageSize": "100"})
    assert answer.status == 200, answer
    returned = [t["TaskId"] for t in answer.json["TaskSet"]["Task"]]
    assert answer.json["TotalCount"] == 99 and sorted(returned) == sorted(ids[:99])
    assert client.call("DescribeTasks", {"TaskIds": ",".join(ids), "PageSize": "100"}).json["TotalCount"] == 100


def test_describe_tasks_filters(emulator, client):
    finished = emulator.create_tasks(action="ImportImage", duration=0)
    failed = emulator.create_tasks(action="ExportImage", duration=0, outcome="Failed")
    running = emulator.create_tasks(action="ModifyDiskSpec", duration=3600, count=2)

    def ids(**params):
        answer = client.call("DescribeTasks", dict(params, PageSize="100"))
        assert answer.status == 200, answer
        return sorted(t["TaskId"] for t in answer.json["TaskSet"]["Task"])

    assert ids(TaskStatus="Finished") == finished
    assert ids(TaskStatus="Failed") == failed
    assert ids(TaskStatus="Processing") == sorted(running)
    assert len(ids(TaskStatus="Waiting")) == 4  # ignored value: no filter
    assert ids(TaskAction="ModifyDiskSpec") == sorted(running)
    assert ids(TaskAction="IMPORT_IMAGE") == finished
    import_task = emulator.task(finished[0])
    assert ids(**{"ResourceIds.1": import_task["resource_id"]}) == finished
    created = import_task["creation_time"]
    assert len(ids(StartTime=created)) == 4
    assert ids(EndTime="2000-01-01T00:00Z") == []
    assert ids(StartTime="2999-01-01T00:00:00Z") == []


def test_visible_after_hides_new_tasks(emulator, client):
    task_id = emulator.create_tasks(visible_after=30)[0]
    _assert_error(client.call("DescribeTaskAttribute", {"TaskId": task_id}), 400, "InvalidTaskId.NotFound")
    assert client.call("DescribeTasks", {"TaskIds": task_id}).json["TotalCount"] == 0
    assert emulator.task(task_id)["visible"] is False
    emulator.advance(31)
    assert client.call("DescribeTaskAttribute", {"TaskId": task_id}).status == 200
    assert client.call("DescribeTasks", {"TaskIds": task_id}).json["TotalCount"] == 1


def test_task_progress_and_outcomes(emulator, client):
    ok, = emulator.create_tasks(duration=100, wait=10, related_items={"Extra": "1"})
    bad, = emulator.create_tasks(duration=100, outcome="Failed", error_code="ImageNotFound", error_msg="no image")

    def attribute(task_id):
        answer = client.call("DescribeTaskAttribute", {"TaskId": task_id})
        assert answer.status == 200, answer
        return answer.json

    first = attribute(ok)
    assert (first["TaskStatus"], first["TaskProcess"], first["FinishedTime"]) == ("Waiting", "0%", "")
    emulator.advance(60)
    middle = attribute(ok)
    assert middle["TaskStatus"] == "Processing"
    assert 45 <= int(middle["TaskProcess"].rstrip("%")) <= 60
    emulator.advance(60)
    done = attribute(ok)
    assert (done["TaskStatus"], done["TaskProcess"], done["SuccessCount"], done["FailedCount"], done["TotalCount"]) == (
        "Finished", "100%", 1, 0, 1)
    assert done["FinishedTime"].endswith("Z")
    operation = done["OperationProgressSet"]["OperationProgress"][0]
    items = {i["Name"]: i["Value"] for i in operation["RelatedItemSet"]["RelatedItem"]}
    assert operation["OperationStatus"] == "Success"
    assert items["OSSBucket"] == "emulator-bucket" and items["Extra"] == "1" and items["ImageFormat"] == "raw"
    assert items["OSSObject"].endswith("_%s.raw" % ok)
    failed = attribute(bad)
    operation = failed["OperationProgressSet"]["OperationProgress"][0]
    assert (failed["TaskStatus"], failed["FailedCount"], operation["OperationStatus"], operation["ErrorCode"], operation["ErrorMsg"]) == (
        "Failed", 1, "Failed", "ImageNotFound", "no image")
    truth = emulator.task(bad)
    assert (truth["status"], truth["error_code"], truth["progress"]) == ("Failed", "ImageNotFound", 100)
    assert truth["ends_at"] is not None


def test_create_actions_like_the_cloud(emulator, client):
    emulator.create_images(image_id="m-abc")
    emulator.create_disks(disk_id="d-1", category="cloud_ssd")
    emulator.put_object("bkt", "source.qcow2", size=1 << 30)
    export = client.call("ExportImage", {"ImageId": "m-abc", "OSSBucket": "bkt", "OSSPrefix": "PRE", "ImageFormat": "vhd"})
    assert export.status == 200, export
    assert set(export.json) == {"RequestId", "RegionId", "TaskId"}
    attribute = client.call("DescribeTaskAttribute", {"TaskId": export.json["TaskId"]}).json
    items = {i["Name"]: i["Value"] for i in attribute["OperationProgressSet"]["OperationProgress"][0]["RelatedItemSet"]["RelatedItem"]}
    assert items == {"OSSBucket": "bkt", "OSSObject": "PRE_m-abc_%s.vhd" % export.json["TaskId"], "ImageFormat": "vhd"}
    assert attribute["TaskAction"] == "ExportImage" and attribute["SupportCancel"] == "true"
    _assert_error(client.call("ExportImage", {"ImageId": "m-abc"}), 400, "MissingParameter")

    imported = client.call("ImportImage", {"ImageName": "xy", "DiskDeviceMapping.1.OSSBucket": "bkt",
                                           "DiskDeviceMapping.1.OSSObject": "source.qcow2"}, version="v3")
    assert imported.status == 200 and imported.json["ImageId"].startswith("m-")
    disk = client.call("ModifyDiskSpec", {"DiskId": "d-1", "DiskCategory": "cloud_essd", "RegionId": None})
    # OrderId comes only for subscription disks; the emulator's are pay-as-you-go.
    assert disk.status == 200 and set(disk.json) == {"RequestId", "TaskId"}, disk
    assert emulator.task(disk.json["TaskId"])["resource_id"] == "d-1"
    stats = emulator.stats()["calls"]
    assert stats["ExportImage"] == 2 and stats["ImportImage"] == 1 and stats["ModifyDiskSpec"] == 1


def test_cancel_rules(emulator, client):
    export, = emulator.create_tasks(action="ExportImage", duration=600)
    waiting, = emulator.create_tasks(action="ImportImage", duration=600, wait=100)
    disk, = emulator.create_tasks(action="ModifyDiskSpec", duration=600)
    done, = emulator.create_tasks(action="ExportImage", duration=0)
    stuck, = emulator.create_tasks(action="ExportImage", duration=600, support_cancel=False)

    ok = client.call("CancelTask", {"TaskId": export})
    assert ok.status == 200 and set(ok.json) == {"RequestId"}
    assert client.call("DescribeTaskAttribute", {"TaskId": export}).json["TaskStatus"] == "Deleted"
    assert client.call("CancelTask", {"TaskId": waiting}, version="v3").status == 200
    assert emulator.task(waiting)["status"] == "Deleted"
    _assert_error(client.call("CancelTask", {"TaskId": export}), 403, "InvalidTaskId.IncorrectTaskStatus")
    _assert_error(client.call("CancelTask", {"TaskId": done}), 403, "InvalidTaskId.IncorrectTaskStatus")
    _assert_error(client.call("CancelTask", {"TaskId": disk}), 403, "InvalidTaskId.TaskActionNotSupport")
    _assert_error(client.call("CancelTask", {"TaskId": stuck}), 403, "CancelTaskFailed")
    _assert_error(client.call("CancelTask", {"TaskId": "t-none"}), 400, "InvalidTaskId.NotFound")


# -- control API ----------------------------------------------------------------------------------
def _control(emulator, method, path, body=b"", headers=None):
    split = urllib.parse.urlsplit(emulator.url)
    conn = http.client.HTTPConnection(split.hostname, split.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        conn.close()


def test_control_api_errors(emulator):
    assert _control(emulator, "POST", "/_emulator/tasks", b"{not json")[0] == 400
    assert _control(emulator, "POST", "/_emulator/tasks", b"\xff\xfe")[0] == 400
    status, body = _control(emulator, "POST", "/_emulator/tasks", b'{"count": -1}')
    assert status == 400 and "count" in body["message"]
    assert _control(emulator, "PUT", "/_emulator/faults", b'{"throttle_rate": 5}')[0] == 400
    assert _control(emulator, "GET", "/_emulator/nothing")[0] == 404
    assert _control(emulator, "DELETE", "/_emulator/tasks")[0] == 405
    with pytest.raises(EmulatorError):
        emulator.create_tasks(region="nowhere")


def test_control_lists_true_state_and_resets(emulator):
    ids = emulator.create_tasks(count=3, durations=[0, 100, 200], region="ap-southeast-1")
    tasks = {t["task_id"]: t for t in emulator.tasks()}
    assert [tasks[i]["status"] for i in ids] == ["Finished", "Processing", "Processing"]
    assert tasks[ids[0]]["finished_time"] and tasks[ids[1]]["finished_time"] is None
    assert tasks[ids[2]]["ends_at"] > tasks[ids[1]]["ends_at"]
    assert len(emulator.tasks(region="ap-southeast-1")) == 3 and emulator.tasks(region="cn-hangzhou") == []
    emulator.faults(throttle_rate=0.5)
    emulator.reset()
    assert emulator.tasks() == [] and emulator.stats() == {"calls": {}, "errors": {}, "access_keys": {},
                                                           "calls_by_region": {}, "dry_runs": {}}
    assert emulator.faults()["throttle_rate"] == 0


def test_a_chosen_task_id_is_served_as_given(emulator, client):
    """The docs' ids (t-bp1hvgwromzv32iq0001) can be created, so their examples run unchanged."""
    chosen = "t-bp1hvgwromzv32iq0001"
    assert emulator.create_tasks(task_id=chosen, duration=0, related_items={"OSSObject": "img_{task_id}.raw"}) == [chosen]
    answer = client.call("DescribeTaskAttribute", {"TaskId": chosen})
    assert answer.status == 200 and answer.json["TaskId"] == chosen and answer.json["TaskStatus"] == "Finished"
    assert emulator.task(chosen)["related_items"]["OSSObject"] == "img_%s.raw" % chosen
    listed = client.call("DescribeTasks", {"TaskIds": chosen}).json["TaskSet"]["Task"]
    assert [task["TaskId"] for task in listed] == [chosen]


@pytest.mark.parametrize("body, status, words", [
    (b'{"task_id": "t-bp1hvgwromzv32iq0001"}', 409, "exists already"),          # created just before
    (b'{"task_id": "t-bp1hvgwromzv32iq0002", "count": 2}', 400, "count 1"),
    (b'{"task_id": "bp1hvgwromzv32iq0002"}', 400, "t- then letters and digits"),
    (b'{"task_id": "t-a,t-b"}', 400, "t- then letters and digits"),
    (b'{"task_id": 7}', 400, "task_id must be a string"),
])
def test_a_chosen_task_id_that_cannot_be_used_is_refused(emulator, body, status, words):
    emulator.create_tasks(task_id="t-bp1hvgwromzv32iq0001")
    answer = _control(emulator, "POST", "/_emulator/tasks", body)
    assert answer[0] == status and words in answer[1]["message"], answer
    assert len(emulator.tasks()) == 1


def test_ten_thousand_tasks_by_ids(emulator, client):
    ids = emulator.create_tasks(count=10000, duration=0)
    answer = client.call("DescribeTasks", {"TaskIds": ",".join(ids[-100:]), "PageSize": "100"})
    assert answer.json["TotalCount"] == 100


# -- faults and stats -----------------------------------------------------------------------------
def test_faults_show_in_answers_and_stats(emulator, client):
    emulator.faults(throttle_rate=1)
    _assert_error(client.call("DescribeTasks"), 400, "Throttling.User")
    emulator.faults(throttle_rate=0, error_rate=1)
    answer = client.call("DescribeTasks")
    assert (answer.status, answer.code) in ((500, "InternalError"), (503, "ServiceUnavailable"))
    emulator.faults(error_rate=0, reset_rate=1)
    client.retry_stale = False
    client.close()
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        client.call("DescribeTasks")
    client.close()
    emulator.faults(reset_rate=0, rate_limit_per_s=1)
    codes = [client.call("DescribeTasks").code for dummy in range(3)]
    assert codes[0] is None and "Throttling.User" in codes
    emulator.faults(rate_limit_per_s=0)
    assert client.call("DescribeTasks").status == 200
    stats = emulator.stats()
    assert stats["calls"]["DescribeTasks"] == 7
    errors = stats["errors"]
    assert errors["Throttling.User"] >= 2 and errors["ConnectionReset"] == 1
    assert errors.get("InternalError", 0) + errors.get("ServiceUnavailable", 0) == 1


def test_faults_do_not_touch_control_api(emulator):
    emulator.faults(throttle_rate=1, reset_rate=1)
    assert emulator.create_tasks() and emulator.stats()["calls"] == {}


def test_delay_fault(emulator, client):
    emulator.faults(delay_ms=50)
    assert emulator.faults()["delay_ms"] == 50
    assert client.call("DescribeTasks").status == 200


def test_stats_count_every_signed_call(emulator, client):
    client.call("DescribeTasks")
    client.call("DescribeTasks", after_sign={"Signature": "bad"})
    client.call("Nope")
    stats = emulator.stats()
    assert stats["calls"] == {"DescribeTasks": 2, "Nope": 1}
    assert stats["errors"] == {"SignatureDoesNotMatch": 1, "InvalidAction.NotFound": 1}


# -- robustness -----------------------------------------------------------------------------------
def test_concurrent_clients(emulator):
    ids = emulator.create_tasks(count=20, duration=5)
    failures = []

    def worker(n):
        c = SignedClient(emulator.url)
        try:
            for i in range(50):
                version = "v3" if (n + i) % 2 else "v1"
                if i % 2:
                    answer = c.call("DescribeTasks", {"TaskIds": ",".join(ids)}, version=version)
                else:
                    answer = c.call("DescribeTaskAttribute", {"TaskId": ids[(n + i) % len(ids)]}, version=version)
                if answer.status != 200:
                    failures.append(answer)
        except Exception as exc:  # pylint: disable=broad-except
            failures.append(exc)
        finally:
            c.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert failures == []
    calls = emulator.stats()["calls"]
    assert calls["DescribeTasks"] + calls["DescribeTaskAttribute"] == 400


def test_keep_alive_and_content_length(emulator):
    data = (b"GET /?Action=DescribeTasks HTTP/1.1\r\nHost: x\r\n\r\n") * 2
    raw = _raw(emulator.url, data)
    assert raw.startswith(b"HTTP/1.1 400") and b"Content-Length:" in raw


@pytest.mark.parametrize("request_bytes, status", [
    (b"GARBAGE\r\n\r\n", b"400"),
    (b"GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n", None),
    (b"GET /?Action=%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n", b"400"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", b"400"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n", b"413"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", b"411"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 4\r\n\r\n\xff\xfe%%", b"400"),
    (b"POST /_emulator/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n", b"413"),
    (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", b"414"),
])
def test_malformed_requests_get_answers(emulator, request_bytes, status):
    raw = _raw(emulator.url, request_bytes)
    assert raw.startswith(b"HTTP/1."), raw[:200]
    if status:
        assert raw.split(b" ")[1] == status, raw[:300]
    # Still alive and well afterwards.
    assert SignedClient(emulator.url).call("DescribeTasks").status == 200


def test_cli_rejects_bad_arguments():
    with pytest.raises(EmulatorError):
        Emulator(access_keys=["missing-secret"], start_timeout=10).start()


# -- the virtual clock and the seed, through the command line ----------------------------------------
def test_time_scale_zero_freezes_and_advance_moves_time():
    with Emulator(time_scale=0) as emu:
        task_id = emu.create_tasks(duration=60)[0]
        first = emu.task(task_id)
        assert (first["status"], first["progress"], first["ends_at"]) == ("Processing", 0, None)
        emu.advance(30)
        assert emu.task(task_id)["progress"] == 50
        emu.advance(30)
        done = emu.task(task_id)
        assert done["status"] == "Finished" and done["ends_at"] is not None


def test_time_scale_speeds_tasks_up():
    with Emulator(time_scale=1000) as emu:
        task_id = emu.create_tasks(duration=60)[0]
        client = SignedClient(emu.url)
        deadline = time.monotonic() + 20
        status = None
        while time.monotonic() < deadline:
            status = client.call("DescribeTaskAttribute", {"TaskId": task_id}).json["TaskStatus"]
            if status == "Finished":
                break
            time.sleep(0.05)
        client.close()
        assert status == "Finished"


def test_seed_repeats_ids():
    def ids():
        with Emulator(seed=42) as emu:
            return emu.create_tasks(count=3)
    assert ids() == ids()
