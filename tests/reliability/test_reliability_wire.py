# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The deadline and the wire: slow, malformed and hostile answers against the real client.

Each test is a row of issue 10's table: a server (or proxy) on loopback that
answers as a broken or hostile endpoint would, the real EcsClient over real
HTTP, and the wait or the info query of the collection on top. Time bounds
are wall-clock promises with generous slack (a loaded 2-core machine).
"""

from __future__ import annotations

import json
import resource
import time
from urllib.parse import parse_qsl, urlsplit

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import (
    Credentials, RefreshingCredentialsProvider, StaticCredentialsProvider,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.results import run_safely
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import RpcClient
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.sts import AssumeRole
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.info import prepare_info, run_info
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import CANCEL_TIME, prepare_wait, run_wait
from tests.standins import hostile
from tests.standins.hostile import RawServer, answer_with, elapsed, http_answer, json_answer, task, tasks_answer
from tests.standins.ports import refusing_port
from tests.standins.sts import StsStandin

KEY_ID = "LTAIwiretestkey0001"
SECRET = "wire-Secret/Value+xyz=="
TOKEN = "STS.wire+token/abcdefgh=="
TIMEOUT = 6
REQUEST_TIMEOUT = 3
SLACK = 6
BOUND = TIMEOUT + REQUEST_TIMEOUT + SLACK
FAST = 20  # "well under a minute": a wrong endpoint is reported within this many seconds


def provider(token=None, secret=SECRET, key_id=KEY_ID):
    return StaticCredentialsProvider(Credentials(key_id, secret, token, source="test keys"))


def make_client(url, credentials=None, **kw):
    kw.setdefault("read_timeout", REQUEST_TIMEOUT)
    kw.setdefault("connect_timeout", REQUEST_TIMEOUT)
    kw.setdefault("env", {})
    return EcsClient("cn-hangzhou", credentials or provider(), endpoint=url, **kw)


def wait(url, ids=("t-1", "t-2"), timeout=TIMEOUT, **kw):
    """(result, seconds) of a wait through the real client, errors as run_safely reports them."""
    def work():
        client = make_client(url, **kw)
        try:
            return run_wait(prepare_wait({"task_ids": list(ids), "timeout": timeout}), client)
        finally:
            client.close()
    return elapsed(lambda: run_safely(work, lambda: {SECRET, TOKEN}))


def no_bug(result):
    text = json.dumps(result)
    assert "This is a bug" not in text and "Traceback" not in text, text
    assert SECRET not in text and TOKEN not in text


PROCESSING = json_answer(200, tasks_answer([task("t-1", "Processing"), task("t-2", "Processing")]))


def server_valid_then(bad, valid=PROCESSING):
    """A server answering ``valid`` to the first request and ``bad`` to every other."""
    answers = [valid]

    def respond(request, conn, stop):
        conn.sendall(answers.pop() if answers else bad)
    return RawServer(respond)


# ---------------------------------------------------------------- the wall clock

def test_an_answer_trickled_at_one_byte_a_second_cannot_stretch_the_timeout():
    # Before: the wait returned after 43 s (timeout 6 s, request_timeout 3 s).
    answer = json_answer(200, tasks_answer([task("t-1")]))
    with RawServer(hostile.trickle(answer, every=1.0)) as server:
        result, seconds = wait(server.url)
    assert seconds < BOUND, seconds
    assert result["timed_out"] is True and result["failed"] is True, result
    assert server.url in result["msg"] or server.url in json.dumps(result["warnings"]), result
    no_bug(result)


# Issue 18: headers at once, then a 40-byte body (Content-Length set) one byte a second.
SLOW_BODY = json_answer(200, {"RequestId": "R-1", "Pad": "x" * 9})
MARGIN = 5  # the promise is timeout + 1.5 s (docs/waiting.md); the rest is a loaded machine


def test_a_body_trickled_after_prompt_headers_cannot_stretch_the_timeout():
    # Before: the wait returned after 43 s; closing the response to give up waited for the reader's lock.
    with RawServer(hostile.slow_body(SLOW_BODY, every=1.0)) as server:
        result, seconds = wait(server.url)
    assert seconds < TIMEOUT + MARGIN, seconds
    assert result["timed_out"] is True and result["failed"] is True, result
    assert server.url in result["msg"], result["msg"]
    no_bug(result)


def test_a_slow_body_cannot_stretch_a_single_call_nor_cancel_on_timeout():
    # The first answer lists three cancellable tasks; every later one is slow, the CancelTask calls too.
    ids = ["t-1", "t-2", "t-3"]
    first = [json_answer(200, tasks_answer([task(task_id, "Processing", SupportCancel="true") for task_id in ids]))]
    slow = hostile.slow_body(SLOW_BODY, every=1.0)

    def respond(request, conn, stop):
        if first:
            conn.sendall(first.pop())
            return None
        return slow(request, conn, stop)

    with RawServer(respond) as server:
        def work():
            client = make_client(server.url)
            try:
                plan = prepare_wait({"task_ids": ids, "timeout": TIMEOUT, "cancel_on_timeout": True})
                return run_wait(plan, client)
            finally:
                client.close()
        result, seconds = elapsed(lambda: run_safely(work, lambda: {SECRET}))
    # Before: 24 s, each CancelTask bounded by connect + read timeouts only.
    assert seconds < TIMEOUT + CANCEL_TIME + MARGIN, seconds
    assert result["timed_out"] is True and result["pending"] == ids, result
    assert sorted(result["cancel_errors"]) == ids and result["cancelled"] == [], result
    no_bug(result)


def test_an_endless_chunked_answer_with_trickled_headers_cannot_stretch_the_timeout():
    # Before: still running after 90 s (timeout 6 s).
    with RawServer(hostile.endless_chunked()) as server:
        result, seconds = wait(server.url)
    assert seconds < BOUND, seconds
    assert result["timed_out"] is True, result
    no_bug(result)


def test_a_single_call_is_bounded_by_connect_plus_read_timeout_without_a_deadline():
    with RawServer(hostile.endless_chunked(header_every=0.01)) as server:
        client = make_client(server.url, max_attempts=1)
        error, seconds = elapsed(lambda: client.call("DescribeTasks", {"RegionId": "cn-hangzhou"}))
    assert isinstance(error, ApiError) and error.code == "ReadTimeout", error
    assert "did not finish it" in str(error)
    assert seconds < 2 * REQUEST_TIMEOUT + SLACK, seconds


def test_a_gzip_bomb_is_refused_without_inflating_it():
    # Before: 673 MB RSS in one fork for a 300 KB answer; no cap on answer size.
    bomb = hostile.gzip_bomb()
    assert len(bomb) < 400 * 1024
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with RawServer(answer_with(bomb)) as server:
        client = make_client(server.url, max_attempts=1)
        with pytest.raises(ApiError) as info:
            client.call("DescribeTasks", {"RegionId": "cn-hangzhou"})
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024.0
    assert info.value.code == "InvalidResponse" and "larger than 10 MiB" in str(info.value), info.value
    assert grown_mb < 60, grown_mb


def test_an_answer_larger_than_the_cap_is_refused():
    big = json_answer(200, tasks_answer([task("t-%d" % n, ResourceId="x" * 2000) for n in range(6000)]))
    assert len(big) > 10 * 1024 * 1024
    with RawServer(answer_with(big)) as server:
        with pytest.raises(ApiError) as info:
            make_client(server.url, max_attempts=1).call("DescribeTasks", {"RegionId": "cn-hangzhou"})
    assert info.value.code == "InvalidResponse" and "larger than 10 MiB" in str(info.value)


def test_repeated_search_pages_end_with_a_clear_error():
    # Before: ecs_task_info looped, 1,339 calls in 60 s, no deadline.
    page = json_answer(200, tasks_answer([task("t-%03d" % n) for n in range(100)], total=1000000))
    with RawServer(answer_with(page)) as server:
        client = make_client(server.url)
        result, seconds = elapsed(lambda: run_safely(lambda: run_info(prepare_info({}), client)))
    assert result["failed"] is True and "same tasks as page 1" in result["msg"], result
    assert len(server.requests) == 2 and seconds < SLACK


def test_endless_search_pages_stop_at_the_info_timeout():
    def respond(request, conn, stop):
        number = len(server.requests)
        conn.sendall(json_answer(200, tasks_answer([task("t-%d-%03d" % (number, n)) for n in range(100)], total=10 ** 9)))
    server = RawServer(respond)
    try:
        client = make_client(server.url)
        result, seconds = elapsed(lambda: run_safely(lambda: run_info(prepare_info({"timeout": "3s"}), client)))
    finally:
        server.close()
    assert result["failed"] is True and "DeadlineExceeded" in result["msg"], result
    assert seconds < 3 + SLACK, seconds


def test_the_info_timeout_is_checked():
    with pytest.raises(ConfigError) as info:
        prepare_info({"timeout": "0s"})
    assert info.value.option == "timeout"
    assert prepare_info({}).timeout == 300.0


# ---------------------------------------------------------------- verdicts only from valid answers

def test_a_code_in_a_200_without_task_set_is_not_a_verdict():
    # Before: after 21 polls existing tasks were reported failed with InvalidTaskId.NotFound.
    bad = json_answer(200, {"Code": "ServiceUnavailable", "Message": "busy", "RequestId": "R-2"})
    with server_valid_then(bad) as server:
        result, seconds = wait(server.url)
    assert result["timed_out"] is True and result["failed_task_ids"] == [], result
    assert result["pending"] == ["t-1", "t-2"]
    assert "InvalidResponse" in json.dumps(result["warnings"]) and "ServiceUnavailable" in json.dumps(result["warnings"])
    assert "NotFound" not in json.dumps(result)
    no_bug(result)


def test_an_attribute_answer_without_task_id_is_not_the_task():
    # 0.1: taken as the task, in state None; 0.2: retried as an invalid answer. The service answers a 200
    # without a TaskId for a task it does not know: the task is not found, and its status is not believed.
    single = json_answer(200, dict(task("t-1", "Processing"), RequestId="R-1"))
    bad = json_answer(200, {"RequestId": "R-2", "TaskStatus": "Finished"})
    with server_valid_then(bad, valid=single) as server:
        result, seconds = wait(server.url, ids=["t-1"])
    assert result["timed_out"] is True and result["tasks"][0]["task_status"] == "Processing", result
    assert "t-1 not found" in result["msg"], result
    assert "InvalidResponse" not in json.dumps(result), result
    no_bug(result)


def test_a_progress_that_is_not_a_percent_is_unknown_not_an_invalid_answer():
    # 0.2: "N/A" (which the service may send) made every answer InvalidResponse until the timeout.
    body = json.dumps(tasks_answer([task("t-1", "Processing", TaskProcess="N/A"), task("t-2", "Processing", TaskProcess="inf%")]))
    with server_valid_then(http_answer(200, body)) as server:
        result, seconds = wait(server.url, timeout=3)
    assert result["timed_out"] is True and result["pending"] == ["t-1", "t-2"], result
    assert [record["progress"] for record in result["tasks"]] == [None, None], result
    assert "InvalidResponse" not in json.dumps(result), result
    no_bug(result)


@pytest.mark.parametrize("body", [
    json.dumps(tasks_answer([task("t-1")])).replace('"TotalCount": 1', '"TotalCount": 1e999'),
    json.dumps(tasks_answer([task("t-1", TaskStatus=["Finished"])])),
    json.dumps(tasks_answer([task("t-1")])).replace('"TotalCount": 1', '"TotalCount": NaN'),
    json.dumps({"RequestId": "R", "TaskSet": "none"}),
    "[" * 100000 + "]" * 100000,
], ids=["1e999", "status-list", "NaN", "task-set-string", "deep-nesting"])
def test_odd_numbers_and_types_are_invalid_answers_not_crashes(body):
    # Before: "Unexpected OverflowError / TypeError ... This is a bug".
    with server_valid_then(http_answer(200, body)) as server:
        result, seconds = wait(server.url, timeout=3)
    assert result["timed_out"] is True and result["pending"] == ["t-1", "t-2"], result
    assert "InvalidResponse" in json.dumps(result["warnings"])
    no_bug(result)


def test_odd_answers_from_the_first_call_end_the_wait_fast():
    body = json.dumps(tasks_answer([task("t-1", TaskStatus=["Finished"])]))
    with RawServer(answer_with(http_answer(200, body))) as server:
        result, seconds = wait(server.url, timeout=60)
    assert result["failed"] is True and result["timed_out"] is False and seconds < FAST, (seconds, result)
    assert "InvalidResponse" in result["msg"] and "TaskStatus" in result["msg"] and server.url in result["msg"]
    no_bug(result)


# ---------------------------------------------------------------- redirects

@pytest.mark.parametrize("version", ["v1", "v3"])
def test_a_redirect_is_not_followed_and_the_token_stays_home(version):
    # Before: followed; with V3 x-acs-security-token went to the other host and its answer was believed.
    with RawServer(answer_with(json_answer(200, tasks_answer([task("t-1"), task("t-2")])))) as other:
        location = other.url + "/?steal=1"
        redirect = http_answer(307, "", headers={"Location": location}, reason="Temporary Redirect")
        with RawServer(answer_with(redirect)) as server:
            result, seconds = wait(server.url, signature_version=version, credentials=provider(token=TOKEN))
    assert other.requests == [], "the redirect was followed"
    assert result["failed"] is True and result["succeeded"] == [], result
    assert location in result["msg"] and "not followed" in result["msg"], result
    assert seconds < FAST
    no_bug(result)


# ---------------------------------------------------------------- a wrong endpoint fails fast

def test_nothing_listening_fails_fast_naming_endpoint_and_cause():
    # Before: polled until its full timeout (71 calls in 30 s), lines saying NotFound=1.
    with refusing_port() as port:
        url = "http://127.0.0.1:%d" % port
        result, seconds = wait(url, timeout=60)
    assert seconds < FAST and result["timed_out"] is False, (seconds, result)
    assert url in result["msg"] and "connection refused" in result["msg"], result
    assert "NotFound" not in json.dumps(result)


def test_a_web_server_that_is_not_ecs_fails_fast():
    page = http_answer(200, "<html><body>Welcome to nginx!</body></html>", content_type="text/html")
    with RawServer(answer_with(page)) as server:
        result, seconds = wait(server.url, timeout=60)
    assert seconds < FAST and result["timed_out"] is False, (seconds, result)
    assert server.url in result["msg"] and "Welcome to nginx" in result["msg"], result
    assert len(server.requests) <= 5  # the client's own retries, then done
    assert "NotFound" not in json.dumps(result)


def test_after_a_valid_answer_the_same_failures_stay_transient():
    page = http_answer(200, "<html>maintenance</html>", content_type="text/html")
    with server_valid_then(page) as server:
        result, seconds = wait(server.url, timeout=4)
    assert result["timed_out"] is True and seconds < 4 + REQUEST_TIMEOUT + SLACK, result


def test_tls_handshake_failure_with_validate_certs_false_says_use_http():
    # A plain HTTP server answers the TLS hello with a 400 in clear text, as nginx does.
    with RawServer(None, greeting=http_answer(400, "bad request", content_type="text/html", reason="Bad Request")) as server:
        result, seconds = wait(server.url.replace("http://", "https://"), validate_certs=False, timeout=60)
    assert seconds < FAST and "SSLError" in result["msg"], result
    assert "http://127.0.0.1:%d" % server.port in result["msg"] and "validate_certs" not in result["msg"], result


def test_tls_failure_with_validate_certs_true_hints_validate_certs(tmp_path):
    context, cert = hostile.self_signed_context(str(tmp_path))
    with RawServer(answer_with(PROCESSING), tls=context) as server:
        result, seconds = wait(server.url, timeout=60)
    assert seconds < FAST and "certificate verification failed" in result["msg"] and "validate_certs" in result["msg"], result


# ---------------------------------------------------------------- TLS and proxies

@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_validate_certs_false_wins_over_ca_bundle_variables(tmp_path, monkeypatch, variable):
    # Before: the certificate was still verified, and the call failed.
    context, cert = hostile.self_signed_context(str(tmp_path))
    import certifi
    monkeypatch.setenv(variable, certifi.where())  # a real bundle that does not hold our certificate
    with RawServer(answer_with(json_answer(200, tasks_answer([task("t-1"), task("t-2")]))), tls=context) as server:
        # Both the process environment (requests would read it) and an explicit env.
        for env in (None, {variable: certifi.where()}):
            result, seconds = wait(server.url, validate_certs=False, env=env, timeout=60)
            assert result["failed"] is False and result["succeeded"] == ["t-1", "t-2"], result


def test_a_ca_bundle_from_the_environment_is_used(tmp_path):
    context, cert = hostile.self_signed_context(str(tmp_path))
    with RawServer(answer_with(json_answer(200, tasks_answer([task("t-1"), task("t-2")]))), tls=context) as server:
        result, seconds = wait(server.url, env={"REQUESTS_CA_BUNDLE": cert}, timeout=60)
    assert result["failed"] is False, result


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_a_missing_ca_bundle_is_a_clear_error_naming_the_variable(variable):
    # Before: "Unexpected OSError".
    with pytest.raises(ConfigError) as info:
        make_client("https://127.0.0.1:1", env={variable: "/nonexistent/ca.pem"})
    assert variable in info.value.message and "/nonexistent/ca.pem" in info.value.message


def test_a_dead_proxy_is_named():
    # Before: blamed on the endpoint.
    with refusing_port() as port, RawServer(answer_with(PROCESSING)) as server:
        proxy = "http://user:proxypass@127.0.0.1:%d" % port
        client = make_client(server.url, env={"HTTP_PROXY": proxy}, max_attempts=2)
        with pytest.raises(ApiError) as info:
            client.call("DescribeTasks", {"RegionId": "cn-hangzhou"})
    assert info.value.code == "ProxyError", info.value
    assert proxy.replace("user:proxypass@", "") in str(info.value) and "proxypass" not in str(info.value)
    assert server.requests == []


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_proxy_answering_407_is_permanent_and_says_fix_the_proxy_credentials(scheme):
    # Before: an HTTPS proxy's 407 was retried 35 times in 5 s.
    with RawServer(hostile.proxy_auth_required()) as proxy:
        endpoint = "%s://ecs.cn-hangzhou.aliyuncs.com" % scheme
        client = make_client(endpoint, env={"%s_proxy" % scheme: proxy.url})
        error, seconds = elapsed(lambda: client.call("DescribeTasks", {"RegionId": "cn-hangzhou"}))
    assert isinstance(error, ApiError) and error.code == "ProxyAuthenticationRequired", error
    assert not error.retryable and error.attempts == 1 and len(proxy.requests) == 1
    assert "proxy credentials" in str(error) and proxy.url in str(error)


def test_no_proxy_is_honoured():
    with refusing_port() as port, RawServer(answer_with(json_answer(200, tasks_answer([])))) as server:
        client = make_client(server.url, env={"HTTP_PROXY": "http://127.0.0.1:%d" % port, "NO_PROXY": "127.0.0.1"})
        assert client.call("DescribeTasks", {"RegionId": "cn-hangzhou"})["TaskSet"] == {"Task": []}


# ---------------------------------------------------------------- credentials in long waits

def test_sts_assume_role_is_retried_on_503_and_a_failed_refresh_keeps_the_full_result():
    # Before: AssumeRole tried once on a 503, and the result held only msg.
    now = [1000.0]
    with StsStandin({KEY_ID: (SECRET, None)}, expiration="2000-01-01T00:00:00+00:00") as sts:
        assume = AssumeRole(RpcClient, provider(), sts.url, "acs:ram::1:role/r", "s", 3600)
        keys = RefreshingCredentialsProvider(lambda deadline: assume.fetch("profile p", deadline), "profile p",
                                             clock=lambda: now[0])
        with RawServer(answer_with(PROCESSING)) as server:
            def work():
                client = make_client(server.url, credentials=keys)
                plan = prepare_wait({"task_ids": ["t-1", "t-2"], "timeout": 30, "poll_interval": 1})

                def tick(seconds):
                    # Keys expire after the first poll, and STS is down from then on.
                    sts.fail_with = (503, "ServiceUnavailable", "down")
                    now[0] = 1e12
                    time.sleep(min(seconds, 0.2))
                return run_wait(plan, client, sleep=tick)
            result, seconds = elapsed(lambda: run_safely(work))
    assert result["failed"] is True and result["timed_out"] is False, result
    assert result["pending"] == ["t-1", "t-2"] and len(result["tasks"]) == 2 and "elapsed" in result, result
    assert "AssumeRole" in result["msg"] and "ServiceUnavailable" in result["msg"], result
    assert len(sts.calls) == 1 + 5  # the first fetch, then max_attempts tries of the refresh
    assert seconds < FAST


@pytest.mark.parametrize("text", [
    "2030-01-01T00:00:00Z", "2030-01-01T00:00:00+00:00", "2030-01-01T08:00:00+08:00", "2029-12-31T19:00:00-0500",
    "2030-01-01T00:00:00.123Z", "2030-01-01 00:00:00", "2030-01-01T00:00:00.5+00:00",
])
def test_any_iso_8601_offset_in_expiration_parses(text):
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import parse_expiration
    # Before: "...+00:00" parsed as None, so keys were never refreshed.
    assert abs(parse_expiration(text) - 1893456000.0) < 1


# ---------------------------------------------------------------- secrets on the wire

@pytest.mark.parametrize("version", ["v1", "v3"])
@pytest.mark.parametrize("field, value", [
    ("security_token", "tok\r\nX-Injected: 1"), ("access_key", "LTAI\nkey"), ("security_token", "tök\u20ac"),
    ("access_key", "LTAI\u4e2d\u6587"), ("secret_key", "sec\r\nret"),
])
def test_keys_that_no_header_can_carry_are_refused_before_any_call(version, field, value):
    # Before: a CR/LF token was retried as a connection error until the timeout; non-Latin-1: UnicodeEncodeError.
    with RawServer(answer_with(PROCESSING)) as server:
        def work():
            keys = {"key_id": KEY_ID, "secret": SECRET, "token": TOKEN}
            keys[{"security_token": "token", "access_key": "key_id", "secret_key": "secret"}[field]] = value
            return run_wait(prepare_wait({"task_ids": ["t-1"], "timeout": 30}),
                            make_client(server.url, credentials=_LazyKeys(keys), signature_version=version))
        result, seconds = elapsed(lambda: run_safely(work))
    assert result["failed"] is True and field in result["msg"] and seconds < FAST, result
    assert server.requests == []
    no_bug(result)


class _LazyKeys(object):
    """Keys made at the first call, as the credential chain does."""
    source = "test keys"

    def __init__(self, keys):
        self.keys = keys

    def get(self, deadline=None):
        return Credentials(self.keys["key_id"], self.keys["secret"], self.keys["token"], source=self.source)


@pytest.mark.parametrize("echo", [
    lambda s: s.replace("/", "%2f").replace("+", "%2b").replace("=", "%3d"),          # lower-case escapes
    lambda s: s.replace("/", "%2F").replace("+", "%2b"),                              # mixed
    lambda s: s.replace("%", "%25").replace("/", "%252F"),                            # twice encoded
    lambda s: s[:14],                                                                  # cut short
    lambda s: __import__("base64").b64encode(("k:" + s).encode()).decode(),            # base64 inside more
])
def test_the_server_echoing_the_token_in_any_encoding_is_masked(echo):
    # Before: lower-case %2b escapes and mixed encodings were not masked.
    for secret in (TOKEN, SECRET):
        body = json.dumps({"RequestId": "R", "Code": "InvalidParameter", "Message": "bad value " + echo(secret)})
        with RawServer(answer_with(http_answer(400, body))) as server:
            client = make_client(server.url, credentials=provider(token=TOKEN))
            with pytest.raises(ApiError) as info:
                client.call("DescribeTasks", {"RegionId": "cn-hangzhou"})
        assert echo(secret) not in str(info.value) and "********" in str(info.value), str(info.value)


def test_our_client_asks_for_json_explicitly():
    """The service's default answer is XML (the emulator's too: tests/emulator/tests/test_emulator_fidelity.py)."""
    with RawServer(answer_with(json_answer(200, tasks_answer([])))) as server:
        keys = StaticCredentialsProvider(Credentials("LTAIfidelitykey01", "fidelity-secret", source="test"))
        client = EcsClient("cn-hangzhou", keys, endpoint=server.url, env={})
        client.call("DescribeTasks", {"RegionId": "cn-hangzhou"})
        query = dict(parse_qsl(urlsplit(server.requests[0].target).query))
    assert query["Format"] == "JSON" and query["SignatureVersion"] == "1.0"
    assert server.requests[0].header("accept") == "application/json"
