# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The OSS client and the object service against the emulator's OSS stand-in, over real signed HTTP (path style
on 127.0.0.1, V4 and V1 checked by the stand-in): objects present, absent, empty, appearing after their export
task, STS keys, a wrong secret, a refused key, retries, the deadline, a wrong endpoint, and an export task's
objects read from its record as DescribeTaskAttribute gives it.

Retries never sleep for real: the client's injected ``sleep`` turns the fault off.
"""
from __future__ import annotations

from contextlib import closing

import pytest

pytest.importorskip("tests.emulator.harness")

from tests.unit.fakes import FakeClock  # noqa: E402

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient  # noqa: E402
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.oss import OssClient  # noqa: E402
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import (  # noqa: E402
    Credentials, StaticCredentialsProvider,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline  # noqa: E402
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError  # noqa: E402
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.objects.records import (  # noqa: E402
    ABSENT, EMPTY, PRESENT, export_objects, format_object_id, object_status,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.objects.service import ObjectService  # noqa: E402
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import task_record  # noqa: E402

REGION = "cn-hangzhou"
BUCKET = "emulator-bucket"
VERSIONS = ["v4", "v1"]


def keys(key_id="testid", secret="testsecret", token=None, source="the test's keys"):
    return StaticCredentialsProvider(Credentials(key_id, secret, token, source=source))


class RecordingProvider(StaticCredentialsProvider):
    """Keys, and the deadline each request asked them with."""

    def __init__(self, credentials):
        super().__init__(credentials)
        self.deadlines = []

    def get(self, deadline=None):
        self.deadlines.append(deadline)
        return super().get(deadline)


def make_client(url, credentials=None, version="v4", fake=None, **kw):
    fake = fake or FakeClock(now=0.0)
    return OssClient(REGION, credentials or keys(), endpoint=url, signature_version=version, sleep=fake.sleep,
                     env={}, **kw)


@pytest.mark.parametrize("version", VERSIONS)
def test_present_absent_and_empty_objects(emulator, version):
    emulator.put_object(BUCKET, "exports/disk.raw", size=4096)
    emulator.put_object(BUCKET, "exports/empty.raw", size=0)
    with closing(make_client(emulator.url, version=version)) as client:
        assert client.path_style
        present = client.head_object(BUCKET, "exports/disk.raw")
        empty = client.head_object(BUCKET, "exports/empty.raw")
        absent = client.head_object(BUCKET, "exports/none.raw")
        assert client.api_calls == 3 and client.calls_by_action == {"HeadObject": 3} and client.retries == 0
    truth = {o["key"]: o for o in emulator.objects(BUCKET)}
    assert present == {"Bucket": BUCKET, "Key": "exports/disk.raw", "ContentLength": 4096,
                       "ETag": truth["exports/disk.raw"]["etag"].strip('"'), "LastModified": present["LastModified"]}
    assert present["LastModified"].endswith("Z") and len(present["LastModified"]) == 20
    assert empty["ContentLength"] == 0 and absent is None
    assert [object_status(a) for a in (present, empty, absent)] == [PRESENT, EMPTY, ABSENT]
    stats = emulator.stats()
    assert stats["calls"] == {"HeadObject": 3} and stats["errors"] == {"NoSuchKey": 1}
    assert stats["calls_by_region"]["HeadObject"] == {REGION: 3}


def test_keys_that_need_encoding(emulator):
    key = "exports/a b+c~é(1)%20/../x?y#z.raw"
    emulator.put_object(BUCKET, key, size=7)
    with closing(make_client(emulator.url)) as client:
        assert client.head_object(BUCKET, key)["ContentLength"] == 7
        assert client.head_object(BUCKET, "exports/a b+c~é(1) /../x?y#z.raw") is None
    assert emulator.stats()["errors"] == {"NoSuchKey": 1}


def export_record(emulator, task_id):
    """The task's record as the wait makes it from DescribeTaskAttribute."""
    with closing(EcsClient(REGION, keys(), endpoint=emulator.url)) as ecs:
        answer = ecs.call("DescribeTaskAttribute", {"RegionId": REGION, "TaskId": task_id})
    return task_record(attribute=answer, region=REGION)


def truth_of(emulator, task_id):
    return [(o["bucket"], o["key"]) for o in emulator.objects() if o["task_id"] == task_id]


@pytest.mark.parametrize("version", VERSIONS)
def test_an_export_object_appears_after_the_task_and_is_read_from_its_record(emulator, version):
    [task_id] = emulator.create_tasks(region=REGION, action="ExportImage", duration=0, product={"object_after": 30})
    objects = export_objects(export_record(emulator, task_id))
    assert objects == truth_of(emulator, task_id) and len(objects) == 1
    ids = [format_object_id(bucket, key) for bucket, key in objects]
    with closing(make_client(emulator.url, version=version)) as client:
        service = ObjectService(client)
        before = service.head(ids)
        assert before.found == {} and before.missing == ids and before.errors == {}
        emulator.advance(31)
        after = service.head(ids)
        assert list(after.found) == ids and after.missing == [] and after.errors == {}
        assert after.found[ids[0]]["ContentLength"] > 0 and client.api_calls == 2


def test_every_object_of_an_export_of_several_disks(emulator):
    """An image imported with three disks, exported through the signed API: one OSSObject per disk."""
    emulator.set_actions(ImportImage={"duration": 0}, ExportImage={"duration": 0})
    params = {"RegionId": REGION, "ImageName": "three-disks"}
    for index in (1, 2, 3):
        emulator.put_object("source-bucket", "disk%d.qcow2" % index)
        params.update({"DiskDeviceMapping.%d.OSSBucket" % index: "source-bucket", "DiskDeviceMapping.%d.Format" % index: "QCOW2",
                       "DiskDeviceMapping.%d.OSSObject" % index: "disk%d.qcow2" % index,
                       "DiskDeviceMapping.%d.DiskImageSize" % index: 20})
    with closing(EcsClient(REGION, keys(), endpoint=emulator.url)) as ecs:
        image_id = ecs.call("ImportImage", params)["ImageId"]
        task_id = ecs.call("ExportImage", {"RegionId": REGION, "ImageId": image_id, "OSSBucket": BUCKET,
                                           "OSSPrefix": "nightly"})["TaskId"]
    record = export_record(emulator, task_id)
    if "related_item_values" not in record:
        pytest.skip("these task records keep one value per related item name (related_item_values: issue 18)")
    truth = truth_of(emulator, task_id)
    assert export_objects(record) == truth and len(truth) == 3 and truth[0][1].endswith("_system.raw")
    with closing(make_client(emulator.url)) as client:
        heads = ObjectService(client).head([format_object_id(bucket, key) for bucket, key in truth])
    assert len(heads.found) == 3


def test_an_object_that_never_appears_stays_absent(emulator):
    [task_id] = emulator.create_tasks(region=REGION, action="ExportImage", duration=0, product={"object_missing": True})
    [truth] = [o for o in emulator.objects() if o["task_id"] == task_id]
    emulator.advance(3600)
    with closing(make_client(emulator.url)) as client:
        assert client.head_object(truth["bucket"], truth["key"]) is None


@pytest.mark.parametrize("version", VERSIONS)
def test_sts_keys_send_their_token(emulator, version):
    emulator.add_key("STS.oss-test-key", "sts-secret", "CAIS.token/+1==")
    emulator.put_object(BUCKET, "k.raw")
    with closing(make_client(emulator.url, keys("STS.oss-test-key", "sts-secret", "CAIS.token/+1=="), version)) as client:
        assert client.head_object(BUCKET, "k.raw")["ContentLength"] == 1024
    wrong = keys("STS.oss-test-key", "sts-secret", "CAIS.wrong/+2==", source="environment variables")
    with closing(make_client(emulator.url, wrong, version)) as client:
        with pytest.raises(ApiError) as info:
            client.head_object(BUCKET, "k.raw")
    error = info.value
    assert error.code == "InvalidSecurityToken" and error.http_status == 403 and error.attempts == 1
    assert "STS.****-key (credentials from environment variables)" in str(error)
    assert "token issued with them" in str(error)
    for secret in ("CAIS.wrong/+2==", "sts-secret"):
        assert secret not in str(error)
    with closing(make_client(emulator.url, keys("STS.oss-test-key", "sts-secret"), version)) as client:
        with pytest.raises(ApiError) as info:
            client.head_object(BUCKET, "k.raw")
    # The stand-in's EC for an STS key without its token is its own: the client says what the 0002 family means.
    assert info.value.http_status == 403 and "STS token (STS keys need theirs)" in str(info.value)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_wrong_secret_is_named(emulator, version):
    emulator.put_object(BUCKET, "k.raw")
    with closing(make_client(emulator.url, keys(secret="not-the-secret", source="the test's keys"), version)) as client:
        with pytest.raises(ApiError) as info:
            client.head_object(BUCKET, "k.raw")
    error = info.value
    assert error.code == "SignatureDoesNotMatch" and error.http_status == 403 and error.attempts == 1
    assert str(error).startswith("HeadObject failed: SignatureDoesNotMatch: OSS refused HeadObject of oss://%s/k.raw"
                                 % BUCKET)
    assert "check secret_key or the credential source named above" in str(error)
    assert "not-the-secret" not in str(error) and error.request_id


def test_a_refused_key_names_the_missing_permission_and_the_identity(emulator):
    emulator.add_key("LTAI5tDeniedKey00001", "denied-secret")
    emulator.put_object(BUCKET, "exports/disk.raw", deny=["LTAI5tDeniedKey00001"])
    denied = keys("LTAI5tDeniedKey00001", "denied-secret", source="profile builder")
    with closing(make_client(emulator.url, denied)) as client:
        with pytest.raises(ApiError) as info:
            client.head_object(BUCKET, "exports/disk.raw")
    error = info.value
    assert error.code == "AccessDenied" and error.http_status == 403 and not error.retryable
    text = str(error)
    assert "AccessKey ID LTAI****0001 (credentials from profile builder)" in text
    assert "lacks oss:GetObject on acs:oss:*:*:%s/exports/disk.raw, which HeadObject needs" % BUCKET in text
    assert "To fix: grant oss:GetObject on acs:oss:*:*:%s/exports/disk.raw" % BUCKET in text
    assert "denied-secret" not in text and "LTAI5tDeniedKey00001" not in text
    # Another key may still read it.
    with closing(make_client(emulator.url)) as client:
        assert client.head_object(BUCKET, "exports/disk.raw") is not None


def test_a_missing_bucket_is_an_error_not_an_absent_object(emulator):
    with closing(make_client(emulator.url)) as client:
        with pytest.raises(ApiError) as info:
            client.head_object("no-such-bucket-here", "k.raw")
    assert info.value.code == "NoSuchBucket" and "check the region and oss_endpoint" in str(info.value)


def test_localhost_is_path_style_too(emulator):
    emulator.put_object(BUCKET, "k.raw")
    url = emulator.url.replace("127.0.0.1", "localhost")
    with closing(make_client(url)) as client:
        assert client.path_style and client.object_url(BUCKET, "k.raw") == "%s/%s/k.raw" % (url, BUCKET)
        assert client.head_object(BUCKET, "k.raw")["ContentLength"] == 1024


@pytest.mark.parametrize("fault", ["error_rate", "throttle_rate", "reset_rate"])
def test_passing_failures_are_retried(emulator, fault):
    emulator.put_object(BUCKET, "k.raw")
    emulator.faults(**{fault: 1.0})
    fake = FakeClock(now=0.0, on_sleep=lambda: emulator.faults(**{fault: 0}))
    with closing(make_client(emulator.url, fake=fake)) as client:
        assert client.head_object(BUCKET, "k.raw")["ContentLength"] == 1024
        assert client.retries == 1 and client.api_calls == 2 and len(fake.sleeps) == 1


def test_retries_stop_at_max_attempts_and_the_service_keeps_the_error(emulator):
    emulator.put_object(BUCKET, "k.raw")
    emulator.put_object(BUCKET, "k2.raw")
    emulator.faults(error_rate=1.0)
    with closing(make_client(emulator.url, max_attempts=3)) as client:
        with pytest.raises(ApiError) as info:
            client.head_object(BUCKET, "k.raw")
        error = info.value
        assert error.code in ("InternalError", "ServiceUnavailable") and error.attempts == 3 and error.retryable
        heads = ObjectService(client).head([format_object_id(BUCKET, "k.raw"), format_object_id(BUCKET, "k2.raw")])
        assert heads.found == {} and heads.missing == [] and len(heads.errors) == 2
    assert emulator.stats()["calls"]["HeadObject"] == 9


def test_a_permanent_failure_is_raised_by_the_service(emulator):
    emulator.put_object(BUCKET)
    with closing(make_client(emulator.url, keys(secret="wrong"))) as client:
        with pytest.raises(ApiError, match="SignatureDoesNotMatch"):
            ObjectService(client).head([format_object_id(BUCKET, "a.raw"), format_object_id(BUCKET, "b.raw")])
    assert emulator.stats()["calls"]["HeadObject"] == 1


def test_every_call_takes_the_deadline(emulator):
    emulator.put_object(BUCKET, "k.raw")
    provider = RecordingProvider(Credentials("testid", "testsecret"))
    deadline = Deadline.after(30)
    with closing(make_client(emulator.url, provider)) as client:
        client.head_object(BUCKET, "k.raw", deadline)
        assert provider.deadlines == [deadline]
        passed = Deadline.after(-5)
        with pytest.raises(ApiError) as info:
            client.head_object(BUCKET, "k.raw", passed)
        assert info.value.code == "DeadlineExceeded" and client.api_calls == 1


def test_a_wrong_endpoint_fails_at_once_after_its_retries(emulator):
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    fake = FakeClock(now=0.0)
    with closing(make_client("http://127.0.0.1:%d" % port, fake=fake, max_attempts=2)) as client:
        with pytest.raises(ApiError) as info:
            client.head_object(BUCKET, "k.raw")
    error = info.value
    assert error.code == "ConnectionError" and not error.retryable and error.attempts == 2
    assert "check oss_endpoint" in str(error)
