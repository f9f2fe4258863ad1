# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator answers as the service does where third-party clients looked and it did not:
Format (XML is the V1 default), SignatureVersion, DryRun, a token with a permanent key, HostId.
(That our own client asks for JSON explicitly is checked in tests/reliability/test_reliability_wire.py.)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from tests.emulator.client import SignedClient


@pytest.fixture
def client(emulator):
    c = SignedClient(emulator.url)
    yield c
    c.close()


def xml_of(answer):
    assert answer.headers["Content-Type"].startswith("text/xml"), answer
    return ET.fromstring(answer.raw)


@pytest.mark.parametrize("fmt", ["XML", "xml", None])
def test_xml_is_answered_for_format_xml_and_for_no_format(emulator, client, fmt):
    task_id = emulator.create_tasks(region="cn-hangzhou", count=1, action="ExportImage", duration=60)[0]
    answer = client.call("DescribeTasks", {"TaskIds": task_id}, overrides={"Format": fmt})
    root = xml_of(answer)
    assert answer.status == 200 and root.tag == "DescribeTasksResponse"
    assert root.find("RequestId").text and root.find("TaskSet/Task/TaskId").text == task_id
    error = client.call("DescribeTaskAttribute", {"TaskId": "t-nope"}, overrides={"Format": fmt})
    root = xml_of(error)
    assert error.status in (400, 404) and root.tag == "Error"
    assert root.find("Code").text == "InvalidTaskId.NotFound" and root.find("HostId").text


@pytest.mark.parametrize("fmt", ["JSON", "json"])
def test_json_is_answered_for_format_json(client, fmt):
    answer = client.call("DescribeTasks", overrides={"Format": fmt})
    assert answer.status == 200 and answer.headers["Content-Type"].startswith("application/json") and "TaskSet" in answer.json


@pytest.mark.parametrize("value, code", [(None, "MissingParameter"), ("2.0", "UnsupportedSignatureVersion"),
                                         ("", "MissingParameter")])
def test_signature_version_must_be_1_0(client, value, code):
    answer = client.call("DescribeTasks", overrides={"SignatureVersion": value})
    assert answer.status == 400 and answer.code == code, answer
    if code == "MissingParameter":
        assert "SignatureVersion" in answer.json["Message"]


@pytest.mark.parametrize("action, params", [
    ("ExportImage", {"ImageId": "m-1", "OSSBucket": "dry-bucket"}),
    ("ImportImage", {"DiskDeviceMapping.1.OSSBucket": "dry-bucket", "DiskDeviceMapping.1.OSSObject": "disk.raw"}),
])
def test_dry_run_answers_dry_run_operation_and_creates_nothing(emulator, client, action, params):
    emulator.create_images(image_id="m-1")
    emulator.put_object("dry-bucket", "disk.raw", size=5 << 30)
    before = len(emulator.tasks())
    answer = client.call(action, dict(params, DryRun="true"))
    assert answer.status == 400 and answer.code == "DryRunOperation", answer
    assert len(emulator.tasks()) == before
    created = client.call(action, dict(params, DryRun="false"))
    assert created.status == 200 and len(emulator.tasks()) == before + 1


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_a_security_token_with_a_permanent_key_is_refused(emulator, version):
    c = SignedClient(emulator.url, token="a-token-for-a-permanent-key")
    try:
        answer = c.call("DescribeTasks", version=version)
    finally:
        c.close()
    assert answer.status == 400 and answer.code == "InvalidSecurityToken.MismatchWithAccessKey", answer


def test_host_id_is_the_host_called(emulator, client):
    answer = client.call("DescribeTaskAttribute", {"TaskId": "t-nope"})
    assert answer.json["HostId"] == urlsplit(emulator.url).netloc


def test_expired_sts_keys_are_refused(emulator):
    emulator.add_key("STS.NUfidelity01", "fidelity-secret", "fidelity-token", expires_in=0)
    c = SignedClient(emulator.url, key_id="STS.NUfidelity01", secret="fidelity-secret", token="fidelity-token")
    try:
        answer = c.call("DescribeTasks")
    finally:
        c.close()
    assert answer.status == 400 and answer.code == "InvalidSecurityToken.Expired", answer
