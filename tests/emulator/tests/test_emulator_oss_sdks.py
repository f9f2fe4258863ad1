# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alibaba's OSS SDKs as oracles of the stand-in: what they sign (V1, V4, with and without an STS
token) it accepts, a wrong secret it refuses, and they parse its answers and its errors.

- oss2: V1 through `Auth` / `StsAuth`, V4 through `ProviderAuthV4`;
- alibabacloud-oss-v2: V4 by default, V1 with `signature_version="v1"`.
Both go path style on an IP endpoint, as the collection will.
"""

from __future__ import annotations

import pytest

oss2 = pytest.importorskip("oss2")
oss_v2 = pytest.importorskip("alibabacloud_oss_v2")

KEY = "exports/m-sdk_t-sdk.raw"
STS = ("STS.NUsdkoracle", "sts-oracle-secret", "sts-oracle-token")


pytestmark = pytest.mark.usefixtures("no_proxy")


@pytest.fixture
def bucket(emulator):
    emulator.put_object("sdk-bucket", KEY, size=4096, region="cn-shanghai")
    emulator.add_key(*STS)
    return "sdk-bucket"


# -- oss2 ------------------------------------------------------------------------------------------------
def _oss2_auth(style, key_id="testid", secret="testsecret", token=None):
    if style == "v1":
        return oss2.StsAuth(key_id, secret, token) if token else oss2.Auth(key_id, secret)
    provider = oss2.credentials.StaticCredentialsProvider(key_id, secret, token)
    return oss2.ProviderAuthV4(provider)


def _oss2_bucket(emulator, style, **keys):
    return oss2.Bucket(_oss2_auth(style, **keys), emulator.url, "sdk-bucket", region="cn-shanghai",
                       connect_timeout=10, enable_crc=False)


@pytest.mark.parametrize("style", ["v1", "v4"])
@pytest.mark.parametrize("sts", [False, True], ids=["permanent", "sts"])
def test_oss2_signs_what_the_stand_in_accepts(emulator, bucket, style, sts):
    keys = dict(zip(("key_id", "secret", "token"), STS)) if sts else {}
    client = _oss2_bucket(emulator, style, **keys)
    head = client.head_object(KEY)
    assert (head.status, head.content_length, head.object_type) == (200, 4096, "Normal")
    assert head.etag and head.last_modified > 0
    assert client.object_exists(KEY) is True and client.object_exists("no/such.raw") is False
    assert len(client.get_object(KEY).read()) == 4096
    assert client.get_object_meta(KEY).content_length == 4096
    expected = STS[0] if sts else "testid"
    assert emulator.stats()["access_keys"] == {expected: 5}


@pytest.mark.parametrize("style", ["v1", "v4"])
def test_oss2_parses_errors(emulator, bucket, style):
    client = _oss2_bucket(emulator, style)
    with pytest.raises(oss2.exceptions.NoSuchKey) as caught:
        client.get_object("no/such.raw")
    assert (caught.value.status, caught.value.details["Key"]) == (404, "no/such.raw") and caught.value.request_id
    with pytest.raises(oss2.exceptions.NotFound) as caught:
        client.head_object("no/such.raw")
    assert caught.value.status == 404
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        oss2.Bucket(_oss2_auth(style), emulator.url, "other-bucket", region="cn-shanghai").get_object(KEY)
    wrong = _oss2_bucket(emulator, style, secret="not-the-secret")
    with pytest.raises(oss2.exceptions.SignatureDoesNotMatch) as caught:
        wrong.get_object(KEY)
    assert caught.value.status == 403 and "StringToSign" in caught.value.details
    with pytest.raises(oss2.exceptions.ServerError) as caught:
        wrong.head_object(KEY)
    assert caught.value.status == 403
    emulator.put_object("sdk-bucket", deny=["testid"])
    with pytest.raises(oss2.exceptions.AccessDenied):
        client.get_object(KEY)


def test_oss2_v4_with_the_wrong_region_is_refused(emulator, bucket):
    client = oss2.Bucket(_oss2_auth("v4"), emulator.url, "sdk-bucket", region="cn-hangzhou")
    with pytest.raises(oss2.exceptions.ServerError) as caught:
        client.get_object(KEY)
    assert (caught.value.status, caught.value.code) == (400, "InvalidArgument")


# -- alibabacloud-oss-v2 ---------------------------------------------------------------------------------
def _v2_client(emulator, signature_version=None, key_id="testid", secret="testsecret", token=None, region="cn-shanghai"):
    config = oss_v2.config.load_default()
    config.credentials_provider = oss_v2.credentials.StaticCredentialsProvider(key_id, secret, token)
    config.region = region
    config.endpoint = emulator.url
    config.use_path_style = True
    config.retry_max_attempts = 1
    if signature_version:
        config.signature_version = signature_version
    return oss_v2.Client(config)


def _service_error(caught):
    error = caught.value.unwrap()
    assert isinstance(error, oss_v2.exceptions.ServiceError), error
    return error


@pytest.mark.parametrize("signature_version", [None, "v1"], ids=["default-v4", "v1"])
@pytest.mark.parametrize("sts", [False, True], ids=["permanent", "sts"])
def test_oss_v2_signs_what_the_stand_in_accepts(emulator, bucket, signature_version, sts):
    keys = dict(zip(("key_id", "secret", "token"), STS)) if sts else {}
    client = _v2_client(emulator, signature_version, **keys)
    head = client.head_object(oss_v2.HeadObjectRequest(bucket=bucket, key=KEY))
    assert (head.status_code, head.content_length, head.object_type, head.storage_class) == (200, 4096, "Normal", "Standard")
    assert head.etag.startswith('"') and head.last_modified is not None
    assert client.is_object_exist(bucket, KEY) is True and client.is_object_exist(bucket, "no/such.raw") is False
    assert len(client.get_object(oss_v2.GetObjectRequest(bucket=bucket, key=KEY)).body.read()) == 4096
    if signature_version is None:
        authorization = emulator.stats()["calls_by_region"]["HeadObject"]
        assert authorization == {"cn-shanghai": 1}


def test_oss_v2_parses_errors(emulator, bucket):
    client = _v2_client(emulator)
    with pytest.raises(oss_v2.exceptions.OperationError) as caught:
        client.get_object(oss_v2.GetObjectRequest(bucket=bucket, key="no/such.raw"))
    error = _service_error(caught)
    assert (error.status_code, error.code, error.message) == (404, "NoSuchKey", "The specified key does not exist.")
    assert error.ec == "0026-00000001" and error.request_id
    with pytest.raises(oss_v2.exceptions.OperationError) as caught:
        client.head_object(oss_v2.HeadObjectRequest(bucket=bucket, key="no/such.raw"))
    assert _service_error(caught).status_code == 404
    for wrong in (_v2_client(emulator, secret="not-the-secret"), _v2_client(emulator, "v1", secret="not-the-secret")):
        with pytest.raises(oss_v2.exceptions.OperationError) as caught:
            wrong.get_object(oss_v2.GetObjectRequest(bucket=bucket, key=KEY))
        error = _service_error(caught)
        assert (error.status_code, error.code) == (403, "SignatureDoesNotMatch")
    with pytest.raises(oss_v2.exceptions.OperationError) as caught:
        _v2_client(emulator, token="stolen").head_object(oss_v2.HeadObjectRequest(bucket=bucket, key=KEY))
    assert _service_error(caught).status_code == 403
    with pytest.raises(oss_v2.exceptions.OperationError) as caught:
        _v2_client(emulator, region="cn-beijing").get_object(oss_v2.GetObjectRequest(bucket=bucket, key=KEY))
    assert (_service_error(caught).status_code, _service_error(caught).code) == (400, "InvalidArgument")
