# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The OSS stand-in over real HTTP: HEAD/GET, V1 and V4 checks, STS tokens, errors, statistics, faults."""

from __future__ import annotations

import time

import pytest

from tests.emulator.client import SignedClient
from tests.emulator.oss_client import OssClient

KEY = "exports/night ly+é.raw"


@pytest.fixture
def oss(emulator):
    emulator.put_object("oss-bucket", KEY, size=3000)
    return OssClient(emulator.url)


def _xml_error(reply, status, code):
    assert reply.status == status, reply
    assert reply.headers["content-type"] == "application/xml"
    assert b"<Code>%s</Code>" % code.encode() in reply.body, reply
    assert reply.headers["x-oss-request-id"] and reply.headers["x-oss-ec"]


def _head_error(reply, status):
    assert reply.status == status and reply.body == b"", reply
    assert reply.headers["x-oss-ec"] and reply.headers["x-oss-request-id"]


@pytest.mark.parametrize("version", ["v1", "v4"])
def test_head_and_get_an_object(oss, version):
    head = getattr(oss, version)("HEAD", "oss-bucket", KEY)
    assert head.status == 200 and head.body == b"", head
    assert head.headers["content-length"] == "3000" and head.headers["etag"].startswith('"')
    assert head.headers["last-modified"].endswith("GMT") and head.headers["x-oss-object-type"] == "Normal"
    got = getattr(oss, version)("GET", "oss-bucket", KEY)
    assert got.status == 200 and len(got.body) == 3000 and got.headers["etag"] == head.headers["etag"]


@pytest.mark.parametrize("version", ["v1", "v4"])
def test_missing_object_and_bucket(oss, version):
    sign = getattr(oss, version)
    _xml_error(sign("GET", "oss-bucket", "no/such.raw"), 404, "NoSuchKey")
    assert b"<Key>no/such.raw</Key>" in sign("GET", "oss-bucket", "no/such.raw").body
    _head_error(sign("HEAD", "oss-bucket", "no/such.raw"), 404)
    _xml_error(sign("GET", "nobody-bucket", "k"), 404, "NoSuchBucket")
    _xml_error(oss.send("GET", "Bad_Bucket", "k", {}), 400, "InvalidBucketName")


def test_anonymous_and_unknown_keys_are_refused(emulator, oss):
    _xml_error(oss.send("GET", "oss-bucket", KEY, {}), 403, "AccessDenied")
    _head_error(oss.send("HEAD", "oss-bucket", KEY, {}), 403)
    stranger = OssClient(emulator.url, key_id="nobody")
    for version in ("v1", "v4"):
        _xml_error(getattr(stranger, version)("GET", "oss-bucket", KEY), 403, "InvalidAccessKeyId")


@pytest.mark.parametrize("version", ["v1", "v4"])
def test_a_wrong_secret_is_refused_with_the_string_to_sign(emulator, version):
    emulator.put_object("oss-bucket", "k.raw")
    wrong = OssClient(emulator.url, secret="not-the-secret")
    reply = getattr(wrong, version)("GET", "oss-bucket", "k.raw")
    _xml_error(reply, 403, "SignatureDoesNotMatch")
    assert b"<StringToSign>" in reply.body and b"<OSSAccessKeyId>testid</OSSAccessKeyId>" in reply.body
    if version == "v4":
        assert b"<StringToSign>OSS4-HMAC-SHA256\n" in reply.body and b"<CanonicalRequest>GET\n/oss-bucket/k.raw\n" in reply.body
    _head_error(getattr(wrong, version)("HEAD", "oss-bucket", "k.raw"), 403)


@pytest.mark.parametrize("version, header", [("v1", "date"), ("v4", "x-oss-date")])
def test_tampered_requests_are_refused(oss, version, header):
    sign = getattr(oss, version)
    _xml_error(sign("GET", "oss-bucket", KEY, after_sign={"x-oss-meta-extra": "added"}), 403, "SignatureDoesNotMatch")
    if version == "v1":
        stale = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() - 3600))
        _xml_error(sign("GET", "oss-bucket", KEY, overrides={header: stale}), 403, "RequestTimeTooSkewed")
        _xml_error(sign("GET", "oss-bucket", KEY, overrides={header: None}), 403, "AccessDenied")
        _xml_error(sign("GET", "oss-bucket", KEY, after_sign={"authorization": "OSS testid"}), 400, "InvalidArgument")
    else:
        _xml_error(sign("GET", "oss-bucket", KEY, when=time.time() - 3600), 403, "RequestTimeTooSkewed")
        _xml_error(sign("GET", "oss-bucket", KEY, overrides={header: None}), 400, "InvalidArgument")


def test_v4_is_region_scoped(emulator, oss):
    emulator.put_object("beijing-bucket", "k.raw", region="cn-beijing")
    assert oss.v4("HEAD", "beijing-bucket", "k.raw", region="cn-beijing").status == 200
    wrong = oss.v4("GET", "beijing-bucket", "k.raw", region="cn-hangzhou")
    _xml_error(wrong, 400, "InvalidArgument")
    assert b"Invalid signing region" in wrong.body and b"cn-beijing" in wrong.body
    _xml_error(oss.v4("GET", "beijing-bucket", "k.raw", region="oss-cn-beijing"), 400, "InvalidArgument")
    _xml_error(oss.v4("GET", "beijing-bucket", "k.raw", region="cn-beijing",
                      after_sign={"x-oss-content-sha256": None}), 400, "InvalidArgument")
    auth = oss.v4("GET", "beijing-bucket", "k.raw", region="cn-beijing",
                  after_sign={"authorization": "OSS4-HMAC-SHA256 Credential=testid/20200101/cn-beijing/s3/aws4_request,Signature=ab"})
    _xml_error(auth, 400, "InvalidArgument")


def test_v4_additional_headers_are_signed(emulator, oss):
    emulator.put_object("oss-bucket", "k.raw")
    assert oss.v4("HEAD", "oss-bucket", "k.raw", additional=("host",)).status == 200
    _head_error(oss.v4("HEAD", "oss-bucket", "k.raw", additional=("host",), after_sign={"host": "elsewhere:1"}), 403)


def test_query_parameters_are_signed(emulator, oss):
    emulator.put_object("oss-bucket", "k.raw")
    query = [("response-content-type", "text/plain"), ("objectMeta", "")]
    assert oss.v1("GET", "oss-bucket", "k.raw", query=query[:1]).status == 200
    assert oss.v4("HEAD", "oss-bucket", "k.raw", query=query[1:]).status == 200
    assert emulator.stats()["calls"]["GetObjectMeta"] == 1


@pytest.mark.parametrize("version", ["v1", "v4"])
def test_sts_keys_need_their_token(emulator, version):
    emulator.add_key("STS.oss-key", "sts-secret", "the-token")
    emulator.add_key("STS.old-key", "old-secret", "old-token", expires_in=0)
    emulator.put_object("oss-bucket", "k.raw")

    def get(key_id, secret, token, after_sign=None):
        sign = getattr(OssClient(emulator.url, key_id, secret, token), version)
        return sign("GET", "oss-bucket", "k.raw", after_sign=after_sign)

    assert get("STS.oss-key", "sts-secret", "the-token").status == 200
    _xml_error(get("STS.oss-key", "sts-secret", None), 403, "InvalidAccessKeyId")
    _xml_error(get("STS.oss-key", "sts-secret", "other-token"), 403, "InvalidSecurityToken")
    _xml_error(get("STS.oss-key", "sts-secret", "the-token", {"x-oss-security-token": "swapped"}), 403, "SignatureDoesNotMatch")
    _xml_error(get("STS.old-key", "old-secret", "old-token"), 403, "SecurityTokenExpired")
    _xml_error(get("testid", "testsecret", "a-token"), 403, "InvalidSecurityToken")
    if version == "v1":
        # alibabacloud-oss-v2 sends a V1 token as an unsigned `security-token` header.
        plain = OssClient(emulator.url, "STS.oss-key", "sts-secret").v1(
            "GET", "oss-bucket", "k.raw", overrides={"security-token": "the-token"})
        assert plain.status == 200, plain


def test_a_refused_key_gets_access_denied(emulator, oss):
    emulator.put_object("oss-bucket", deny=["testid"])
    reply = oss.v4("GET", "oss-bucket", KEY)
    _xml_error(reply, 403, "AccessDenied")
    assert b"oss:GetObject" in reply.body
    _head_error(oss.v4("HEAD", "oss-bucket", KEY), 403)
    emulator.put_object("oss-bucket", deny=[])
    assert oss.v4("HEAD", "oss-bucket", KEY).status == 200


def test_only_head_and_get_of_objects(oss):
    _xml_error(oss.v1("PUT", "oss-bucket", KEY), 405, "MethodNotAllowed")
    _xml_error(oss.v4("GET", "oss-bucket", ""), 400, "NotImplemented")


def test_export_objects_appear_in_the_stand_in(emulator, oss):
    task_id = emulator.create_tasks(action="ExportImage", duration=10, product={"object_after": 20},
                                    related_items={"OSSBucket": "export-bucket"})[0]
    key = emulator.task(task_id)["related_items"]["OSSObject"]
    _head_error(oss.v4("HEAD", "export-bucket", key), 404)
    emulator.advance(31)
    head = oss.v4("HEAD", "export-bucket", key)
    assert head.status == 200 and int(head.headers["content-length"]) == 40 * 1024 ** 3


def test_ecs_and_oss_share_the_base_url(emulator, oss):
    ecs = SignedClient(emulator.url)
    try:
        assert ecs.call("DescribeTasks").status == 200
    finally:
        ecs.close()
    # At / an OSS signature still reaches the stand-in (ListBuckets is not served).
    reply = oss.send("GET", "", "", {"authorization": "OSS testid:abc", "date": "x"})
    assert reply.status == 400 and b"<Code>InvalidBucketName</Code>" in reply.body


def test_oss_statistics_and_faults(emulator, oss):
    oss.v4("HEAD", "oss-bucket", KEY)
    oss.v1("GET", "oss-bucket", "missing")
    stats = emulator.stats()
    assert stats["calls"] == {"HeadObject": 1, "GetObject": 1}
    assert stats["calls_by_region"] == {"HeadObject": {"cn-hangzhou": 1}, "GetObject": {"cn-hangzhou": 1}}
    assert stats["errors"] == {"NoSuchKey": 1} and stats["access_keys"] == {"testid": 2}
    emulator.faults(throttle_rate=1)
    _xml_error(oss.v4("GET", "oss-bucket", KEY), 503, "ServiceUnavailable")
    emulator.faults(throttle_rate=0, error_rate=1)
    assert oss.v4("GET", "oss-bucket", KEY).status in (500, 503)
    emulator.faults(error_rate=0, reset_rate=1)
    with pytest.raises((ConnectionError, OSError)):
        oss.v4("HEAD", "oss-bucket", KEY)
    emulator.faults(reset_rate=0)
    assert oss.v4("HEAD", "oss-bucket", KEY).status == 200
