# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""RpcClient / EcsClient against a small HTTP stand-in that checks signatures with our own signing functions."""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api import transport
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api import signing
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient, retry_allowed
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.retry import AdaptiveRateLimiter
from tests.standins.ports import refusing_port
from tests.unit import fakes

KEY_ID = "testid"
SECRET = "S3cr3t/Value+xyz~"
TOKEN = "STS.tok/en+abc=="
OK_BODY = {"RequestId": "R-OK", "TotalCount": 0, "TaskSet": {"Task": []}}


class StaticCredentials:
    """The tiny stand-in for the credential chain: ``.get()`` and ``.source``."""

    def __init__(self, token=None, key_id=KEY_ID, secret=SECRET, source="environment variables"):
        self._keys = SimpleNamespace(access_key_id=key_id, access_key_secret=secret, security_token=token)
        self.source = source

    def get(self, deadline=None):
        return self._keys


class NoLimit:
    """Keeps the rate limiter's pacing out of tests about backoff (it has its own tests)."""

    def acquire(self, deadline=None):
        return 0.0

    def on_response(self, throttled, requested_at=None):
        pass


class MaxRng:
    def uniform(self, low, high):
        return high


def json_answer(status, body):
    return ("json", status, body)


def error_answer(status, code, message="boom", request_id="R-ERR"):
    return json_answer(status, {"RequestId": request_id, "HostId": "ecs.example", "Code": code, "Message": message})


class StandIn:
    """A threaded HTTP server on 127.0.0.1:0 answering a script of responses, one per request.

    Script items: ("json", status, body), ("raw", status, content_type, bytes), "reset" (RST the
    connection), "hang" (accept and never answer), "echo-sts" (SignatureDoesNotMatch with the server's
    string to sign, as the real service does). When the script runs out, answers OK_BODY.
    """

    def __init__(self, script=(), secret=SECRET):
        self.script = list(script)
        self.secret = secret
        self.requests = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                stand_in.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def close(self):
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def verify(self, handler, query, body):
        auth = handler.headers.get("Authorization")
        if auth:
            match = re.match(r"ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$", auth)
            if not match:
                return "v3", False, None
            names = match.group(2).split(";")
            headers = {k.lower(): v for k, v in handler.headers.items()}
            canonical = signing.canonical_request_v3("POST", urlsplit(handler.path).path, query, headers, names,
                                                     headers.get("x-acs-content-sha256", ""))
            expected = hmac.new(self.secret.encode(), signing.string_to_sign_v3(canonical).encode(), hashlib.sha256).hexdigest()
            ok = (expected == match.group(3) and match.group(1) == KEY_ID
                  and headers.get("x-acs-content-sha256") == signing.payload_hash_v3(body))
            return "v3", ok, canonical
        signed = {k: v for k, v in query.items() if k != "Signature"}
        ok = query.get("Signature") == signing.sign_v1("POST", signed, self.secret) and query.get("AccessKeyId") == KEY_ID
        return "v1", ok, signing.string_to_sign_v1("POST", signed)

    def handle(self, handler):
        parts = urlsplit(handler.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        version, valid, to_sign = self.verify(handler, query, body)
        with self.lock:
            self.requests.append({"version": version, "valid": valid, "query": query, "path": parts.path, "body": body,
                                  "headers": {k.lower(): v for k, v in handler.headers.items()}, "raw_path": handler.path})
            step = self.script.pop(0) if self.script else json_answer(200, OK_BODY)
        if not valid:
            step = error_answer(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
        if step == "echo-sts":
            step = error_answer(400, "SignatureDoesNotMatch",
                                "Specified signature is not matched with our calculation. server string to sign is:" + to_sign)
        if step == "reset":
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.connection.close()
            handler.close_connection = True
            return
        if step == "hang":
            self.stop.wait(10)
            handler.close_connection = True
            return
        if step[0] == "json":
            status, content_type, payload = step[1], "application/json;charset=utf-8", json.dumps(step[2]).encode()
        else:
            status, content_type, payload = step[1], step[2], step[3]
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)


@pytest.fixture
def stand_in():
    servers = []

    def start(script=(), **kw):
        server = StandIn(script, **kw)
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.close()


@pytest.fixture
def make_client():
    clients = []

    def make(url, token=None, **kw):
        clock = kw.pop("clock", None) or fakes.FakeClock(now=500.0)
        kw.setdefault("rng", MaxRng())
        kw.setdefault("rate_limiter", NoLimit())
        kw.setdefault("read_timeout", 5.0)
        client = EcsClient("cn-hangzhou", StaticCredentials(token=token), endpoint=url, clock=clock, sleep=clock.sleep, **kw)
        client.fake_clock = clock
        clients.append(client)
        return client
    yield make
    for client in clients:
        client.close()


def assert_no_secrets(error, client, extra=()):
    texts = [str(error), repr(error), json.dumps(error.to_dict()), repr(client), str(error.__context__), str(error.__cause__)]
    forbidden = [SECRET, TOKEN, signing.percent_encode(SECRET), signing.percent_encode(TOKEN),
                 signing.percent_encode(signing.percent_encode(TOKEN))] + list(extra)
    for text in texts:
        for value in forbidden:
            assert value not in text


# Signing on the wire ------------------------------------------------------

@pytest.mark.parametrize("version", ["v1", "v3"])
def test_success_signed_and_parsed(stand_in, make_client, version):
    server = stand_in()
    client = make_client(server.url, signature_version=version)
    answer = client.call("DescribeTasks", {"RegionId": "cn-hangzhou", "TaskIds": "t-1,t-2", "PageSize": 100})
    assert answer == OK_BODY
    [req] = server.requests
    assert req["valid"] and req["version"] == version
    assert req["path"] == "/" and req["body"] == b""
    assert req["query"]["TaskIds"] == "t-1,t-2" and req["query"]["PageSize"] == "100"
    assert client.api_calls == 1 and client.calls_by_action == {"DescribeTasks": 1}
    assert client.retries == 0 and client.throttled == 0


def test_v1_common_parameters(stand_in, make_client):
    server = stand_in()
    make_client(server.url).call("DescribeTasks", {"RegionId": "cn-hangzhou"})
    query = server.requests[0]["query"]
    assert query["Action"] == "DescribeTasks" and query["Version"] == "2014-05-26" and query["Format"] == "JSON"
    assert query["SignatureMethod"] == "HMAC-SHA1" and query["SignatureVersion"] == "1.0"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", query["Timestamp"])
    assert re.match(r"^[0-9a-f-]{36}$", query["SignatureNonce"])
    assert "SecurityToken" not in query
    # Spaces and reserved characters go as RFC 3986 escapes, never "+".
    assert "+" not in server.requests[0]["raw_path"]


def test_v3_headers(stand_in, make_client):
    server = stand_in()
    make_client(server.url, signature_version="v3").call("DescribeTasks", {"RegionId": "cn-hangzhou"})
    headers = server.requests[0]["headers"]
    assert headers["x-acs-action"] == "DescribeTasks" and headers["x-acs-version"] == "2014-05-26"
    assert headers["x-acs-content-sha256"] == signing.EMPTY_SHA256
    assert headers["host"] == urlsplit(server.url).netloc
    assert "x-acs-security-token" not in headers
    signed = re.search(r"SignedHeaders=([^,]+)", headers["authorization"]).group(1).split(";")
    assert signed == ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"]


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_security_token_is_sent_and_signed(stand_in, make_client, version):
    server = stand_in()
    make_client(server.url, token=TOKEN, signature_version=version).call("DescribeTasks", {"RegionId": "cn-hangzhou"})
    req = server.requests[0]
    assert req["valid"]
    if version == "v1":
        assert req["query"]["SecurityToken"] == TOKEN
    else:
        assert req["headers"]["x-acs-security-token"] == TOKEN
        assert "x-acs-security-token" in req["headers"]["authorization"]


def test_unicode_and_reserved_parameters_are_signed_correctly(stand_in, make_client):
    server = stand_in()
    for version in ("v1", "v3"):
        make_client(server.url, signature_version=version).call(
            "DescribeTasks", {"RegionId": "cn-hangzhou", "TaskAction": "杭州 a*b/c~d+e=f&g", "Empty": ""})
    assert [r["valid"] for r in server.requests] == [True, True]
    assert server.requests[0]["query"]["TaskAction"] == "杭州 a*b/c~d+e=f&g"
    assert server.requests[1]["query"]["Empty"] == ""


# Retries ------------------------------------------------------------------

@pytest.mark.parametrize("version", ["v1", "v3"])
def test_throttling_then_success_resigns_with_fresh_nonce(stand_in, make_client, version):
    server = stand_in([error_answer(400, "Throttling.User", "Request was denied due to flow control."),
                       error_answer(503, "ServiceUnavailable")])
    client = make_client(server.url, signature_version=version)
    assert client.call("DescribeTasks", {"RegionId": "cn-hangzhou"}) == OK_BODY
    assert len(server.requests) == 3 and all(r["valid"] for r in server.requests)
    if version == "v1":
        nonces = [r["query"]["SignatureNonce"] for r in server.requests]
        signatures = [r["query"]["Signature"] for r in server.requests]
    else:
        nonces = [r["headers"]["x-acs-signature-nonce"] for r in server.requests]
        signatures = [r["headers"]["authorization"] for r in server.requests]
    assert len(set(nonces)) == 3 and len(set(signatures)) == 3
    assert client.api_calls == 3 and client.calls_by_action == {"DescribeTasks": 3}
    assert client.retries == 2 and client.throttled == 1
    # Throttling backs off from 0.5 s, a 5xx from 0.1 s doubled for the second retry.
    assert client.fake_clock.sleeps == pytest.approx([0.5, 0.2])


def test_server_errors_until_attempts_run_out(stand_in, make_client):
    server = stand_in([error_answer(500, "InternalError", "The request processing has failed.", "R-%d" % i) for i in range(5)])
    client = make_client(server.url, max_attempts=3)
    with pytest.raises(ApiError) as info:
        client.call("DescribeTasks", {"RegionId": "cn-hangzhou"})
    err = info.value
    assert err.code == "InternalError" and err.http_status == 500 and err.attempts == 3
    assert err.request_id == "R-2" and err.action == "DescribeTasks" and err.endpoint == server.url
    assert "after 3 attempts" in str(err) and "InternalError" in str(err)
    assert len(server.requests) == 3 and client.retries == 2


def test_deadline_bounds_retries_on_the_fake_clock(stand_in, make_client):
    server = stand_in([error_answer(500, "InternalError")] * 20)
    client = make_client(server.url, max_attempts=20)
    deadline = Deadline(client.fake_clock() + 1.0, client.fake_clock)
    with pytest.raises(ApiError) as info:
        client.call("DescribeTasks", {"RegionId": "cn-hangzhou"}, deadline=deadline)
    # 0.1 + 0.2 + 0.4 = 0.7 s of sleep fit; the next 0.8 s would pass the deadline.
    assert client.fake_clock.sleeps == pytest.approx([0.1, 0.2, 0.4])
    assert client.fake_clock() <= deadline.at
    assert info.value.attempts == 4 and len(server.requests) == 4


def test_not_retryable_error_fails_at_once(stand_in, make_client):
    server = stand_in([error_answer(400, "InvalidTaskId.NotFound", 'The specified "TaskId" is not found.')])
    client = make_client(server.url)
    with pytest.raises(ApiError) as info:
        client.call("DescribeTaskAttribute", {"RegionId": "cn-hangzhou", "TaskId": "t-x"})
    assert info.value.code == "InvalidTaskId.NotFound" and info.value.attempts == 1
    assert "after" not in str(info.value)
    assert len(server.requests) == 1


def test_cancel_task_not_retried_on_server_error_but_retried_on_throttling(stand_in, make_client):
    server = stand_in([error_answer(500, "InternalError")])
    client = make_client(server.url)
    with pytest.raises(ApiError) as info:
        client.call("CancelTask", {"RegionId": "cn-hangzhou", "TaskId": "t-1"})
    assert info.value.attempts == 1 and len(server.requests) == 1
    server.script = [error_answer(400, "Throttling")]
    assert client.call("CancelTask", {"RegionId": "cn-hangzhou", "TaskId": "t-1"}) == OK_BODY
    assert len(server.requests) == 3


def test_retry_rule_is_explicit():
    refused = ApiError("ConnectionError", "x")
    refused.request_sent = False
    reset = ApiError("ConnectionError", "x")
    reset.request_sent = True
    assert retry_allowed("DescribeTasks", reset) and retry_allowed("DescribeTaskAttribute", ApiError("ReadTimeout", "x"))
    assert retry_allowed("CancelTask", refused) and retry_allowed("CancelTask", ApiError("Throttling.Api", "x"))
    assert not retry_allowed("CancelTask", reset) and not retry_allowed("CancelTask", ApiError("ReadTimeout", "x"))
    assert not retry_allowed("CancelTask", ApiError("InternalError", "x", http_status=500))
    assert not retry_allowed("DescribeTasks", ApiError("InvalidRegionId.NotFound", "x", http_status=400))


# Bad answers and transport failures -------------------------------------

def test_non_json_answer_is_invalid_response_with_excerpt(stand_in, make_client):
    server = stand_in([("raw", 200, "text/html", b"<html><body>Welcome to nginx!\n</body></html>")] * 5)
    client = make_client(server.url)
    with pytest.raises(ApiError) as info:
        client.call("DescribeTasks", {"RegionId": "cn-hangzhou"})
    err = info.value
    # Retried like any passing failure, then final: nothing valid ever came from this endpoint.
    assert err.code == "InvalidResponse" and err.http_status == 200 and err.attempts == 5
    assert "Welcome to nginx!" in str(err) and "text/html" in str(err) and server.url in str(err)
    assert not err.retryable and "no valid answer has come from %s yet" % server.url in str(err)


def test_non_json_5xx_is_retried_then_reported(stand_in, make_client):
    big = b"<html>" + b"x" * 5000 + b"</html>"
    server = stand_in([("raw", 502, "text/html", big)] * 3)
    client = make_client(server.url, max_attempts=3)
    with pytest.raises(ApiError) as info:
        client.call("DescribeTasks", {"RegionId": "cn-hangzhou"})
    err = info.value
    assert err.code == "InvalidResponse" and err.http_status == 502 and err.attempts == 3
    assert len(str(err)) < 600  # a short excerpt, not the whole page


def test_json_that_is_not_an_object_is_invalid(stand_in, make_client):
    server = stand_in([json_answer(200, ["not", "an", "object"])])
    with pytest.raises(ApiError) as info:
        make_client(server.url, max_attempts=1).call("DescribeTasks", {"RegionId": "cn-hangzhou"})
    assert info.value.code == "InvalidResponse"


def test_connection_reset_retried_for_describe_only(stand_in, make_client):
    server = stand_in(["reset", "reset"])
    client = make_client(server.url)
    assert client.call("DescribeTasks", {"RegionId": "cn-hangzhou"}) == OK_BODY
    assert len(server.requests) == 3 and client.retries == 2
    server.script = ["reset"]
    with pytest.raises(ApiError) as info:
        client.call("CancelTask", {"RegionId": "cn-hangzhou", "TaskId": "t-1"})
    err = info.value
    assert err.code == "ConnectionError" and err.attempts == 1
    assert server.url in str(err) and "check" in str(err)


def test_connection_refused_retried_even_for_cancel(make_client):
    with refusing_port() as port:
        url = "http://127.0.0.1:%d" % port
        client = make_client(url, max_attempts=3)
        with pytest.raises(ApiError) as info:
            client.call("CancelTask", {"RegionId": "cn-hangzhou", "TaskId": "t-1"})
    err = info.value
    assert err.code == "ConnectionError" and err.attempts == 3 and client.api_calls == 3
    assert "connection refused" in str(err) and url in str(err) and "after 3 attempts" in str(err)
    assert_no_secrets(err, client)


def test_server_that_never_answers_is_bounded_by_the_deadline(stand_in, make_client):
    server = stand_in(["hang", "hang", "hang"])
    client = make_client(server.url, read_timeout=60.0)
    deadline = Deadline(client.fake_clock() + 0.05, client.fake_clock)
    # The read timeout is cut to the time left (never under MIN_TIMEOUT), not the configured 60 s.
    assert client.transport.timeouts(deadline) == (transport.MIN_TIMEOUT, transport.MIN_TIMEOUT)
    with pytest.raises(ApiError) as info:
        client.call("DescribeTasks", {"RegionId": "cn-hangzhou"}, deadline=deadline)
    err = info.value
    assert err.code == "ReadTimeout" and err.attempts == 1 and len(server.requests) == 1
    assert server.url in str(err) and "0.5s" in str(err)
    assert client.fake_clock.sleeps == []  # the first backoff would already pass the deadline


def test_tls_failure_mentions_validate_certs(stand_in, make_client):
    server = stand_in()
    client = make_client(server.url.replace("http://", "https://"))
    with pytest.raises(ApiError) as info:
        client.call("DescribeTasks", {"RegionId": "cn-hangzhou"})
    err = info.value
    assert err.code == "SSLError" and err.attempts == 1 and "validate_certs" in str(err)


# Secrets and credentials in errors ----------------------------------------

@pytest.mark.parametrize("version", ["v1", "v3"])
def test_secret_never_in_errors_even_when_server_echoes_string_to_sign(stand_in, make_client, version):
    server = stand_in(["echo-sts"])
    client = make_client(server.url, token=TOKEN, signature_version=version)
    with pytest.raises(ApiError) as info:
        client.call("DescribeTasks", {"RegionId": "cn-hangzhou"})
    err = info.value
    assert err.code == "SignatureDoesNotMatch"
    # The server's string to sign is kept once, in its own field, not in the message.
    assert "server string to sign is:" not in str(err) and "server_string_to_sign" in str(err)
    assert err.to_dict()["server_string_to_sign"]
    assert "(credentials from environment variables)" in str(err)
    sent = server.requests[0]
    signature = sent["query"].get("Signature") or re.search(r"Signature=(\w+)", sent["headers"]["authorization"]).group(1)
    assert_no_secrets(err, client, extra=[signature])


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_a_source_with_parentheses_stays_in_the_message(stand_in, make_client, version):
    """A CLI profile's source reads "profile 'prod' (mode AK) in ...": named in the message, not in the string to sign."""
    server = stand_in(["echo-sts"])
    source = "profile 'prod' (mode AK) in /home/u/.aliyun/config.json"
    client = EcsClient("cn-hangzhou", StaticCredentials(source=source), endpoint=server.url, clock=fakes.FakeClock(now=500.0),
                       rng=MaxRng(), rate_limiter=NoLimit(), signature_version=version)
    try:
        with pytest.raises(ApiError) as info:
            client.call("DescribeTasks", {"RegionId": "cn-hangzhou"})
    finally:
        client.close()
    err = info.value
    assert "(credentials from %s)" % source in str(err), str(err)
    assert "credentials from" not in err.server_string_to_sign and "mode AK" not in err.server_string_to_sign
    assert err.to_dict()["error_message"].endswith("(credentials from %s)" % source)


@pytest.mark.parametrize("code", ["InvalidAccessKeyId.NotFound", "InvalidAccessKeyId.Inactive", "InvalidSecurityToken.Expired"])
def test_auth_errors_name_the_credential_source(stand_in, make_client, code):
    server = stand_in([error_answer(404, code, "Specified access key is not found.")])
    client = make_client(server.url, token=TOKEN)
    with pytest.raises(ApiError) as info:
        client.call("DescribeTasks", {"RegionId": "cn-hangzhou"})
    assert str(info.value).count("(credentials from environment variables)") == 1
    assert info.value.attempts == 1
    assert_no_secrets(info.value, client)


def test_other_errors_do_not_name_the_credential_source(stand_in, make_client):
    server = stand_in([error_answer(400, "MissingParameter", 'An input parameter "RegionId" is not supplied.')])
    with pytest.raises(ApiError) as info:
        make_client(server.url).call("DescribeTasks", {})
    assert "credentials from" not in str(info.value)


@pytest.mark.parametrize("script", [[error_answer(500, "InternalError")] * 5, ["reset"] * 5, [("raw", 500, "text/plain", b"oops")] * 5])
def test_secret_never_in_any_failure(stand_in, make_client, script):
    server = stand_in(script)
    client = make_client(server.url, token=TOKEN, max_attempts=2)
    with pytest.raises(ApiError) as info:
        client.call("DescribeTasks", {"RegionId": "cn-hangzhou"})
    assert_no_secrets(info.value, client)
    assert info.value.__context__ is None and info.value.__cause__ is None


# Threads, limiter, construction ------------------------------------------

def test_counters_and_limiter_are_thread_safe(stand_in, make_client):
    server = stand_in()
    client = make_client(server.url)
    errors = []

    def work():
        try:
            for _ignored in range(5):
                client.call("DescribeTaskAttribute", {"RegionId": "cn-hangzhou", "TaskId": "t-1"})
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
    threads = [threading.Thread(target=work) for _ignored in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert client.api_calls == 30 and client.calls_by_action == {"DescribeTaskAttribute": 30}
    assert len(server.requests) == 30


def test_rate_limiter_hears_throttling(stand_in, make_client):
    clock = fakes.FakeClock(now=500.0)
    limiter = AdaptiveRateLimiter(start_rate=10, clock=clock, sleep=clock.sleep)
    server = stand_in([error_answer(400, "Throttling")])
    client = make_client(server.url, clock=clock, rate_limiter=limiter)
    client.call("DescribeTasks", {"RegionId": "cn-hangzhou"})
    assert limiter.rate is not None and limiter.rate < 10
    assert client.throttled == 1


def test_ecs_client_construction():
    client = EcsClient("cn-beijing", StaticCredentials())
    try:
        assert client.region == "cn-beijing"
        assert client.endpoint_url == "https://ecs.cn-beijing.aliyuncs.com"
        assert client.version == "2014-05-26" and client.signature_version == "v1"
        assert SECRET not in repr(client)
    finally:
        client.close()
    vpc = EcsClient("cn-beijing", StaticCredentials(), endpoint="https://ecs-vpc.cn-beijing.aliyuncs.com",
                    signature_version="v3", validate_certs=False)
    try:
        assert vpc.endpoint_url == "https://ecs-vpc.cn-beijing.aliyuncs.com"
        assert vpc.transport.session.verify is False
    finally:
        vpc.close()


def test_bad_configuration():
    with pytest.raises(ConfigError) as info:
        EcsClient("Hangzhou", StaticCredentials())
    assert info.value.option == "region"
    with pytest.raises(ConfigError) as info:
        EcsClient("cn-hangzhou", StaticCredentials(), signature_version="v2")
    assert info.value.option == "signature_version"
    with pytest.raises(ConfigError) as info:
        EcsClient("cn-hangzhou", StaticCredentials(), endpoint="ftp://x")
    assert info.value.option == "endpoint"


def test_explicit_verify_and_proxies_are_passed_on_every_request(stand_in, make_client):
    server = stand_in()
    client = make_client(server.url, env={"REQUESTS_CA_BUNDLE": "/missing"}, validate_certs=False)
    assert client.transport.session.trust_env is False and client.transport.verify is False
    client.call("DescribeTasks", {"RegionId": "cn-hangzhou"})
