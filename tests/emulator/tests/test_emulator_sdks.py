# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The official SDKs as oracles: each must create, list, describe and cancel tasks on the
emulator and get its errors as its own exception types.

- aliyun-python-sdk-core + aliyun-python-sdk-ecs: always V1 (generated requests and CommonRequest);
- alibabacloud-ecs20140526 (tea): V3 by default, V1 with Config.signature_algorithm = "v2".
"""

from __future__ import annotations

import json
import urllib.parse

import pytest

aliyunsdkcore = pytest.importorskip("aliyunsdkcore")
pytest.importorskip("aliyunsdkecs")
pytest.importorskip("alibabacloud_ecs20140526")

from aliyunsdkcore.acs_exception.exceptions import ServerException  # noqa: E402
from aliyunsdkcore.client import AcsClient  # noqa: E402
from aliyunsdkcore.request import CommonRequest  # noqa: E402
from aliyunsdkecs.request.v20140526.CancelTaskRequest import CancelTaskRequest  # noqa: E402
from aliyunsdkecs.request.v20140526.DescribeTaskAttributeRequest import DescribeTaskAttributeRequest  # noqa: E402
from aliyunsdkecs.request.v20140526.DescribeTasksRequest import DescribeTasksRequest  # noqa: E402
from aliyunsdkecs.request.v20140526.ExportImageRequest import ExportImageRequest  # noqa: E402
from alibabacloud_ecs20140526 import models as tea_models  # noqa: E402
from alibabacloud_ecs20140526.client import Client as TeaClient  # noqa: E402
from alibabacloud_tea_openapi.exceptions import ClientException as TeaClientException  # noqa: E402
from alibabacloud_tea_openapi.utils_models import Config as TeaConfig  # noqa: E402
from darabonba.runtime import RuntimeOptions  # noqa: E402


pytestmark = pytest.mark.usefixtures("no_proxy")


def _host_port(url):
    split = urllib.parse.urlsplit(url)
    return split.hostname, split.port


# -- old SDK (V1) ---------------------------------------------------------------------------------
def _old_client(emulator, secret="testsecret"):
    port = _host_port(emulator.url)[1]
    return AcsClient("testid", secret, "cn-hangzhou", port=port, auto_retry=False, timeout=10, connect_timeout=5)


def _old(request, emulator):
    host = _host_port(emulator.url)[0]
    request.set_endpoint(host)
    request.set_protocol_type("http")
    return request


def test_old_sdk_generated_requests_lifecycle(emulator):
    emulator.create_images(image_id="m-old")
    client = _old_client(emulator)
    export = _old(ExportImageRequest(), emulator)
    export.set_ImageId("m-old")
    export.set_OSSBucket("old-bucket")
    export.set_ImageFormat("qcow2")
    task_id = json.loads(client.do_action_with_exception(export))["TaskId"]

    listing = _old(DescribeTasksRequest(), emulator)
    listing.set_TaskIds(task_id)
    listing.set_TaskAction("ExportImage")
    tasks = json.loads(client.do_action_with_exception(listing))["TaskSet"]["Task"]
    assert [(t["TaskId"], t["TaskStatus"]) for t in tasks] == [(task_id, "Processing")]

    describe = _old(DescribeTaskAttributeRequest(), emulator)
    describe.set_TaskId(task_id)
    attribute = json.loads(client.do_action_with_exception(describe))
    items = {i["Name"]: i["Value"] for i in attribute["OperationProgressSet"]["OperationProgress"][0]["RelatedItemSet"]["RelatedItem"]}
    assert items["OSSObject"] == "m-old_%s.qcow2" % task_id

    cancel = _old(CancelTaskRequest(), emulator)
    cancel.set_TaskId(task_id)
    client.do_action_with_exception(cancel)
    assert emulator.task(task_id)["status"] == "Deleted"

    with pytest.raises(ServerException) as caught:
        client.do_action_with_exception(cancel)
    assert (caught.value.get_error_code(), caught.value.get_http_status()) == ("InvalidTaskId.IncorrectTaskStatus", 403)

    missing = _old(DescribeTaskAttributeRequest(), emulator)
    missing.set_TaskId("t-missing")
    with pytest.raises(ServerException) as caught:
        client.do_action_with_exception(missing)
    assert caught.value.get_error_code() == "InvalidTaskId.NotFound"
    assert caught.value.get_http_status() == 400
    assert caught.value.get_request_id()


def test_old_sdk_common_request(emulator):
    host = _host_port(emulator.url)[0]
    client = _old_client(emulator)
    ids = emulator.create_tasks(count=3, duration=0)
    emulator.create_images(image_id="m-c")

    def common(action, **params):
        request = CommonRequest(domain=host, version="2014-05-26", action_name=action)
        request.set_protocol_type("http")
        request.set_method("POST")
        for key, value in params.items():
            request.add_query_param(key, value)
        return json.loads(client.do_action_with_exception(request))

    created = common("ExportImage", RegionId="cn-hangzhou", ImageId="m-c", OSSBucket="common-bucket")["TaskId"]
    listed = common("DescribeTasks", RegionId="cn-hangzhou", TaskIds=",".join(ids + [created]), PageSize=2)
    assert listed["TotalCount"] == 4 and len(listed["TaskSet"]["Task"]) == 2
    assert common("DescribeTaskAttribute", RegionId="cn-hangzhou", TaskId=ids[0])["TaskStatus"] == "Finished"
    common("CancelTask", RegionId="cn-hangzhou", TaskId=created)
    with pytest.raises(ServerException) as caught:
        common("DescribeTasks", RegionId="nowhere-1")
    assert caught.value.get_error_code() == "InvalidRegionId.NotFound"


def test_old_sdk_agrees_on_string_to_sign(emulator):
    # With a wrong secret the SDK compares the server's string to sign with its own and,
    # when they are equal, reports InvalidAccessKeySecret: proof both sides canonicalise alike.
    client = _old_client(emulator, secret="not-the-secret")
    request = _old(DescribeTasksRequest(), emulator)
    request.set_TaskAction("Export Image*~/")
    with pytest.raises(ServerException) as caught:
        client.do_action_with_exception(request)
    assert caught.value.get_error_code() == "InvalidAccessKeySecret"


# -- tea SDK (V3 default, V1 with signature_algorithm="v2") -------------------------------------
def _tea_client(emulator, algorithm=None, secret="testsecret"):
    host, port = _host_port(emulator.url)
    config = TeaConfig(access_key_id="testid", access_key_secret=secret, region_id="cn-hangzhou",
                       endpoint="%s:%d" % (host, port), protocol="http", read_timeout=10000, connect_timeout=5000)
    if algorithm:
        config.signature_algorithm = algorithm
    return TeaClient(config)


@pytest.mark.parametrize("algorithm", [None, "v2"], ids=["v3-default", "v1-signature-algorithm-v2"])
def test_tea_sdk_lifecycle(emulator, algorithm):
    client = _tea_client(emulator, algorithm)
    runtime = RuntimeOptions(autoretry=False)
    emulator.create_images(image_id="m-tea")
    created = client.export_image_with_options(
        tea_models.ExportImageRequest(region_id="cn-hangzhou", image_id="m-tea", ossbucket="tea-bucket", ossprefix="P"), runtime)
    task_id = created.body.task_id
    assert task_id and created.body.region_id == "cn-hangzhou"

    listed = client.describe_tasks(tea_models.DescribeTasksRequest(
        region_id="cn-hangzhou", task_ids=task_id, resource_ids=["m-tea"], task_action="ExportImage", page_size=10))
    assert listed.body.total_count == 1
    assert listed.body.task_set.task[0].task_id == task_id
    assert listed.body.task_set.task[0].support_cancel == "true"

    attribute = client.describe_task_attribute(tea_models.DescribeTaskAttributeRequest(region_id="cn-hangzhou", task_id=task_id)).body
    assert attribute.task_status == "Processing" and attribute.task_process.endswith("%")
    items = {i.name: i.value for i in attribute.operation_progress_set.operation_progress[0].related_item_set.related_item}
    assert items == {"OSSBucket": "tea-bucket", "OSSObject": "P_m-tea_%s.raw" % task_id, "ImageFormat": "raw"}

    client.cancel_task(tea_models.CancelTaskRequest(region_id="cn-hangzhou", task_id=task_id))
    assert emulator.task(task_id)["status"] == "Deleted"

    with pytest.raises(TeaClientException) as caught:
        client.describe_task_attribute_with_options(
            tea_models.DescribeTaskAttributeRequest(region_id="cn-hangzhou", task_id="t-missing"), runtime)
    assert (caught.value.code, caught.value.status_code) == ("InvalidTaskId.NotFound", 400)
    assert caught.value.data["Message"] == 'The specified "TaskId" is not found.'


@pytest.mark.parametrize("algorithm, prefix", [(None, "ACS3-HMAC-SHA256\n"), ("v2", "POST&%2F&")])
def test_tea_sdk_signature_style_is_what_we_think(emulator, algorithm, prefix):
    client = _tea_client(emulator, algorithm, secret="wrong-secret")
    with pytest.raises(TeaClientException) as caught:
        client.describe_tasks_with_options(tea_models.DescribeTasksRequest(region_id="cn-hangzhou"), RuntimeOptions(autoretry=False))
    assert caught.value.code == "SignatureDoesNotMatch"
    assert caught.value.data["Message"].split("server string to sign is:", 1)[1].startswith(prefix)
