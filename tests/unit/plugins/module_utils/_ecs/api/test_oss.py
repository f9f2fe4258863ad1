# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The OSS client alone: endpoints and URLs (no network), and over real HTTP a stand-in that answers what the
emulator does not: OSS's x-oss-err error documents, servers that are not OSS, redirects, a hanging server.
(The signed exchanges with an OSS stand-in are in tests/system/test_oss_client_emulator.py.)"""
from __future__ import annotations

import base64
import threading
from contextlib import closing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api import oss
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.oss import OssClient
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import Credentials, StaticCredentialsProvider
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from tests.unit import fakes

KEY_ID = "LTAI5tUnitTestKey0042"
SECRET = "unit-test-secret-0042"
TOKEN = "CAIS/unit+test=token"


def provider(token=None):
    return StaticCredentialsProvider(Credentials(KEY_ID, SECRET, token, source="the unit test"))


# ---------------------------------------------------------------- endpoints and URLs, no network

def test_the_default_endpoint_is_the_region_public_one_with_the_bucket_as_a_virtual_host():
    with closing(OssClient("eu-central-1", provider(), env={})) as client:
        assert client.endpoint_url == "https://oss-eu-central-1.aliyuncs.com" and not client.path_style
        assert client.object_url("my-bucket", "exports/a b+c.raw") == \
            "https://my-bucket.oss-eu-central-1.aliyuncs.com/exports%2Fa%20b%2Bc.raw"
        assert client.object_url("my-bucket", "../..") == "https://my-bucket.oss-eu-central-1.aliyuncs.com/..%2F.."


@pytest.mark.parametrize("endpoint, url, path_style", [
    ("https://oss-cn-beijing-internal.aliyuncs.com/", "https://b-1.oss-cn-beijing-internal.aliyuncs.com/k", False),
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080/b-1/k", True),
    ("http://localhost:9000", "http://localhost:9000/b-1/k", True),
    ("http://[::1]:9000", "http://[::1]:9000/b-1/k", True),
    ("HTTPS://10.0.0.5", "https://10.0.0.5/b-1/k", True),
])
def test_an_ip_or_localhost_endpoint_is_path_style(endpoint, url, path_style):
    with closing(OssClient("cn-beijing", provider(), endpoint=endpoint, env={})) as client:
        assert client.path_style is path_style and client.object_url("b-1", "k") == url


@pytest.mark.parametrize("endpoint, says", [
    ("oss-cn-hangzhou.aliyuncs.com", "it has no scheme; write http://oss-cn-hangzhou.aliyuncs.com for a plain-HTTP "
                                     "endpoint (such as the emulator) or https://oss-cn-hangzhou.aliyuncs.com"),
    ("127.0.0.1:8080", "it has no scheme; write http://127.0.0.1:8080"),
    ("https://oss-cn-hangzhou.aliyuncs.com/my-bucket", "it has a path; expected a URL such as "
                                                       "https://oss-cn-hangzhou.aliyuncs.com or http://127.0.0.1:8080"),
    ("https://my-bucket.oss-cn-hangzhou.aliyuncs.com/exports/x.raw", "it has a path"),
    ("ftp://oss-cn-hangzhou.aliyuncs.com", "the scheme must be http or https"),
    ("https://user:pw@oss-cn-hangzhou.aliyuncs.com", "credentials in the URL are not supported"),
])
def test_a_bad_oss_endpoint_says_how_to_write_it(endpoint, says):
    with pytest.raises(ConfigError) as info:
        OssClient("cn-hangzhou", provider(), endpoint=endpoint, env={})
    assert info.value.option == "oss_endpoint"
    assert info.value.message.startswith("Invalid oss_endpoint ")
    assert says in info.value.message and "\n" not in info.value.message
    assert "pw" not in info.value.message


def test_an_empty_oss_endpoint_is_the_default():
    assert oss.resolve_oss_endpoint("ap-southeast-1", " ") == "https://oss-ap-southeast-1.aliyuncs.com"


@pytest.mark.parametrize("bucket, key, says", [
    ("My_Bucket", "k", "Invalid OSS bucket name 'My_Bucket'"),
    ("ab", "k", "Invalid OSS bucket name"),
    ("bucket-ok", "", "Invalid OSS object key"),
    ("bucket-ok", "/leading", "not starting with /"),
    ("bucket-ok", "x" * 1024, "1 to 1023 bytes"),
])
def test_names_oss_refuses_are_refused_before_any_call(bucket, key, says):
    with closing(OssClient("cn-hangzhou", provider(), env={})) as client:
        with pytest.raises(ConfigError, match=says.replace("(", r"\(")):
            client.head_object(bucket, key)
        assert client.api_calls == 0


def test_proxies_and_ca_bundle_come_from_the_given_environment(tmp_path):
    env = {"HTTPS_PROXY": "http://user:pw@proxy.example:3128"}
    with closing(OssClient("cn-hangzhou", provider(), env=env)) as client:
        assert client.transport.proxies == {"https": "http://user:pw@proxy.example:3128"}
        assert client.transport.proxy == "http://proxy.example:3128"
    with closing(OssClient("cn-hangzhou", provider(), env=dict(env, NO_PROXY=".aliyuncs.com"))) as client:
        assert client.transport.proxies == {}
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not checked here")
    with closing(OssClient("cn-hangzhou", provider(), env={"REQUESTS_CA_BUNDLE": str(bundle)})) as client:
        assert client.transport.verify == str(bundle)
    with closing(OssClient("cn-hangzhou", provider(), env={"REQUESTS_CA_BUNDLE": str(bundle)}, validate_certs=False)) as client:
        assert client.transport.verify is False
    with pytest.raises(ConfigError, match="REQUESTS_CA_BUNDLE names the CA bundle"):
        OssClient("cn-hangzhou", provider(), env={"REQUESTS_CA_BUNDLE": str(tmp_path / "missing.pem")})


def test_bad_construction():
    with pytest.raises(ConfigError, match="use v4 or v1"):
        OssClient("cn-hangzhou", provider(), signature_version="v3", env={})
    with pytest.raises(ConfigError, match="Invalid region"):
        OssClient("Hangzhou", provider(), env={})


# ---------------------------------------------------------------- over HTTP: what only real OSS (or a stranger) sends

def oss_err(**fields):
    body = "".join("<%s>%s</%s>" % (name, value, name) for name, value in fields.items())
    return base64.b64encode(('<?xml version="1.0" encoding="UTF-8"?>\n<Error>%s</Error>' % body).encode()).decode()


class HeadStandIn:
    """Answers HEADs from a script of (status, headers) or "hang"; then 200 with an object of 10 bytes."""

    OBJECT = (200, {"Content-Length": "10", "ETag": '"ABC"', "Last-Modified": "Sun, 06 Dec 2026 08:30:15 GMT",
                    "x-oss-request-id": "R-OK"})

    def __init__(self, script=()):
        self.script = list(script)
        self.requests = []
        self.release = threading.Event()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_HEAD(self):
                stand_in.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}})
                step = stand_in.script.pop(0) if stand_in.script else stand_in.OBJECT
                if step == "hang":
                    stand_in.release.wait(10)
                    self.close_connection = True
                    return
                status, headers = step
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def stand_in():
    servers = []

    def start(*script):
        servers.append(HeadStandIn(script))
        return servers[-1]
    yield start
    for server in servers:
        server.close()


def head(server, token=None, **kw):
    clock = fakes.FakeClock(now=0.0)
    with closing(OssClient("cn-hangzhou", provider(token), endpoint=server.url, sleep=clock.sleep, env={}, **kw)) as client:
        try:
            return client.head_object("my-bucket", "exports/disk.raw")
        finally:
            head.calls = client.api_calls


def test_the_request_is_a_signed_head_of_the_bucket_and_key(stand_in):
    server = stand_in()
    assert head(server, token=TOKEN) == {"Bucket": "my-bucket", "Key": "exports/disk.raw", "ContentLength": 10,
                                         "ETag": "ABC", "LastModified": "2026-12-06T08:30:15Z"}
    [request] = server.requests
    assert request["path"] == "/my-bucket/exports%2Fdisk.raw"
    headers = request["headers"]
    assert headers["authorization"].startswith("OSS4-HMAC-SHA256 Credential=%s/" % KEY_ID)
    assert headers["x-oss-security-token"] == TOKEN and headers["x-oss-content-sha256"] == "UNSIGNED-PAYLOAD"
    assert "content-type" not in headers


def test_access_denied_from_the_error_document_names_the_action_oss_says(stand_in):
    err = oss_err(Code="AccessDenied", Message="You have no right to access this object because of bucket acl.",
                  RequestId="R-403", AccessDeniedDetail="<AuthAction>oss:GetObject</AuthAction>", EC="0003-00000001")
    server = stand_in((403, {"x-oss-request-id": "R-403", "x-oss-err": err, "x-oss-ec": "0003-00000001"}))
    with pytest.raises(ApiError) as info:
        head(server)
    text = str(info.value)
    assert info.value.code == "AccessDenied" and info.value.request_id == "R-403" and info.value.attempts == 1
    assert "to the AccessKey ID LTAI****0042 (credentials from the unit test): it lacks oss:GetObject on " \
           "acs:oss:*:*:my-bucket/exports/disk.raw, which HeadObject needs" in text
    assert "OSS says: You have no right to access this object because of bucket acl.; EC 0003-00000001" in text
    assert KEY_ID not in text and SECRET not in text


def test_a_bucket_of_another_region_points_at_its_endpoint(stand_in):
    err = oss_err(Code="AccessDenied", Message="The bucket you are attempting to access must be addressed using the "
                  "specified endpoint.", Endpoint="oss-cn-beijing.aliyuncs.com")
    with pytest.raises(ApiError) as info:
        head(stand_in((403, {"x-oss-request-id": "R", "x-oss-err": err})))
    assert "answers at its own endpoint oss-cn-beijing.aliyuncs.com" in str(info.value)
    assert "To fix: set oss_endpoint (or the region) to the bucket's endpoint" in str(info.value)


@pytest.mark.parametrize("code, fix", [
    ("InvalidAccessKeyId", "give STS keys with their security token"),
    ("SecurityTokenExpired", "the STS keys expired"),
    ("RequestTimeTooSkewed", "sync it (NTP)"),
    ("SignatureDoesNotMatch", "check secret_key or the credential source named above"),
])
def test_key_problems_from_the_error_document(stand_in, code, fix):
    err = oss_err(Code=code, Message="says %s, echoing %s and %s" % (code, SECRET, TOKEN))
    with pytest.raises(ApiError) as info:
        head(stand_in((403, {"x-oss-request-id": "R", "x-oss-err": err})), token=TOKEN)
    assert info.value.code == code and fix in str(info.value) and not info.value.retryable
    assert SECRET not in str(info.value) and TOKEN not in str(info.value)


def test_404_is_no_object_but_a_missing_bucket_is_an_error(stand_in):
    assert head(stand_in((404, {"x-oss-request-id": "R", "x-oss-err": oss_err(Code="NoSuchKey")}))) is None
    assert head(stand_in((404, {"x-oss-request-id": "R"}))) is None
    with pytest.raises(ApiError, match="NoSuchBucket: the bucket my-bucket does not exist"):
        head(stand_in((404, {"x-oss-request-id": "R", "x-oss-err": oss_err(Code="NoSuchBucket")})))


@pytest.mark.parametrize("header", [
    base64.b64encode(b'<!DOCTYPE x [<!ENTITY a "AccessDenied">]><Error><Code>&a;</Code></Error>').decode(),
    "not base64 at all!",
    oss_err(Code="x" * 20000),
])
def test_an_error_document_that_is_not_one_is_ignored(stand_in, header):
    with pytest.raises(ApiError) as info:
        head(stand_in((403, {"x-oss-request-id": "R", "x-oss-err": header, "x-oss-ec": "0002-00000040"})))
    assert info.value.code == "SignatureDoesNotMatch"


@pytest.mark.parametrize("status, ec, code, fix", [
    (403, "0016-00000999", "Forbidden", "EC 0016-00000999 is explained at https://api.aliyun.com/troubleshoot?q=0016-00000999"),
    (400, "", "BadRequest", "OSS said no more than HTTP 400: check oss_endpoint"),
    (405, "", "HTTP405", "OSS said no more than HTTP 405"),
])
def test_an_unknown_refusal_gets_oss_advice_never_ecs_advice(stand_in, status, ec, code, fix):
    headers = {"x-oss-request-id": "R", "x-oss-ec": ec} if ec else {"x-oss-request-id": "R"}
    with pytest.raises(ApiError) as info:
        head(stand_in((status, headers)))
    assert info.value.code == code and "To fix: " + fix in str(info.value) and "ecs:" not in str(info.value)


def test_server_errors_are_retried(stand_in):
    server = stand_in((503, {"x-oss-request-id": "R1"}), (500, {"x-oss-request-id": "R2"}))
    assert head(server)["ContentLength"] == 10 and head.calls == 3


def test_a_server_that_is_not_oss_fails_at_once_after_its_retries(stand_in):
    server = stand_in(*[(200, {"Content-Length": "5"})] * 3)
    with pytest.raises(ApiError) as info:
        head(server, max_attempts=3)
    error = info.value
    assert error.code == "InvalidResponse" and not error.retryable and error.attempts == 3
    assert "without x-oss-request-id" in str(error) and "check that oss_endpoint is an OSS endpoint" in str(error)
    assert "no answer of OSS has come from %s yet" % server.url in str(error)


def test_redirects_are_not_followed(stand_in):
    server = stand_in((301, {"Location": "https://elsewhere.example/x?Signature=abc", "x-oss-request-id": "R"}))
    with pytest.raises(ApiError, match="a redirect to .* which is not followed"):
        head(server, max_attempts=1)
    assert len(server.requests) == 1


def test_an_object_without_content_length_is_not_an_answer(stand_in):
    with pytest.raises(ApiError, match="an object without a Content-Length"):
        head(stand_in((200, {"x-oss-request-id": "R", "Content-Length": "x"})), max_attempts=1)


def test_a_hanging_server_is_cut_at_the_deadline(stand_in):
    # Without the deadline the read would wait 20 s, and the stand-in drops the connection after 10 (ConnectionError).
    server = stand_in("hang")
    clock = fakes.FakeClock(now=0.0)
    with closing(OssClient("cn-hangzhou", provider(), endpoint=server.url, sleep=clock.sleep, env={},
                           max_attempts=1)) as client:
        with pytest.raises(ApiError) as info:
            client.head_object("my-bucket", "k", Deadline.after(0.5))
    assert info.value.code == "ReadTimeout"
