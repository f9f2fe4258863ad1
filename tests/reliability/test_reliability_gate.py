# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator as a gate, seen through OUR client and modules.

Already covered, not repeated here:
- tests/emulator/tests/test_emulator_protocol.py: tampered V1 signature and V3 query, wrong secret (V3), replayed nonce,
  stale and future timestamps, unknown key, STS key without or with a wrong token, each with its
  error code, using the emulator's own signed test client;
- tests/emulator/tests/test_emulator_units.py::test_loopback_check: the check function on loopback and other addresses;
- tests/system/test_client_emulator.py: EcsClient with a wrong secret (V3) and a wrong STS token.

Added here: the same refusals reached by EcsClient's own signing (V1 and V3), and by real module
runs (error code in the message, no retry, no wait until the timeout); and the control API refusing
a non-loopback client through the real HTTP handler, not only the check function.
"""

from __future__ import annotations

from contextlib import closing

import datetime
import json
import threading
import urllib.error
import urllib.request
import uuid
from types import SimpleNamespace

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api import request as request_module
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError
from tests.emulator.auth import parse_access_key
from tests.emulator.harness import Emulator
from tests.emulator.server import EmulatorApp, EmulatorHTTPServer, base_url
from tests.reliability.conftest import assert_no_traceback, fast_ansible, run_playbook

REGION = "cn-hangzhou"
VERSIONS = ["v1", "v3"]


class Keys(object):
    def __init__(self, key_id="testid", secret="testsecret", token=None, source="the test's keys"):
        self._keys = SimpleNamespace(access_key_id=key_id, access_key_secret=secret, security_token=token)
        self.source = source

    def get(self, deadline=None):
        return self._keys


def _client(url, version, keys=None):
    # No real sleeping between attempts: a refused call must not be retried anyway.
    return EcsClient(REGION, keys or Keys(), endpoint=url, signature_version=version, sleep=lambda seconds: None)


def _refused(url, version, keys=None):
    with closing(_client(url, version, keys)) as client:
        with pytest.raises(ApiError) as info:
            client.call("DescribeTasks", {"RegionId": REGION})
    return info.value


# -- our client's own requests, refused ---------------------------------------------------------

@pytest.mark.parametrize("version", VERSIONS)
def test_client_replayed_nonce(emulator, monkeypatch, version):
    fixed = uuid.UUID("00000000-0000-4000-8000-000000000001")
    monkeypatch.setattr(request_module.uuid, "uuid4", lambda: fixed)
    with closing(_client(emulator.url, version)) as client:
        assert "TaskSet" in client.call("DescribeTasks", {"RegionId": REGION})
        with pytest.raises(ApiError) as info:
            client.call("DescribeTasks", {"RegionId": REGION})
    assert info.value.code == "SignatureNonceUsed", str(info.value)
    assert "DescribeTasks" in str(info.value)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("skew_minutes", [-20, 20])
def test_client_clock_skew(emulator, monkeypatch, version, skew_minutes):
    skewed = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=skew_minutes)
    monkeypatch.setattr(request_module, "_utc_timestamp", lambda: skewed.strftime("%Y-%m-%dT%H:%M:%SZ"))
    error = _refused(emulator.url, version)
    assert error.code == "InvalidTimeStamp.Expired" and error.attempts == 1, str(error)


def _tampered_v1(sign):
    """``sign_v1`` with the signature's first character changed (always: "X", or "Y" when it was "X")."""
    def tampered(*args):
        signature = sign(*args)
        return ("Y" if signature[0] == "X" else "X") + signature[1:]
    return tampered


def _tampered_v3(sign):
    """``sign_v3`` with the last hex digit of the Authorization header's Signature changed (always)."""
    def tampered(*args):
        header = sign(*args)
        return header[:-1] + ("1" if header[-1] == "0" else "0")
    return tampered


@pytest.mark.parametrize("version", VERSIONS)
def test_client_tampered_signature(emulator, monkeypatch, version):
    # Before: "X" + signature[1:] left one V1 signature in 64 intact (CI met one).
    if version == "v1":
        monkeypatch.setattr(request_module, "sign_v1", _tampered_v1(request_module.sign_v1))
    else:
        monkeypatch.setattr(request_module, "sign_v3", _tampered_v3(request_module.sign_v3))
    error = _refused(emulator.url, version)
    assert error.code == "SignatureDoesNotMatch" and error.attempts == 1, str(error)


@pytest.mark.parametrize("version", VERSIONS)
def test_client_unknown_key(emulator, version):
    error = _refused(emulator.url, version, Keys(key_id="nobody", source="environment variables"))
    assert error.code == "InvalidAccessKeyId.NotFound" and error.attempts == 1, str(error)
    assert "(credentials from environment variables)" in str(error)


def test_client_wrong_secret_v1(emulator):
    # The V3 case is in tests/system/test_client_emulator.py.
    error = _refused(emulator.url, "v1", Keys(secret="not-the-secret"))
    assert error.code == "SignatureDoesNotMatch" and error.attempts == 1
    assert "not-the-secret" not in str(error)


# -- real module runs ---------------------------------------------------------------------------

GATE_CASES = [
    # (name, credential options, error code in the message)
    ("wrong secret", {"access_key": "testid", "secret_key": "not-the-secret"}, "SignatureDoesNotMatch"),
    ("unknown key", {"access_key": "nobody", "secret_key": "testsecret"}, "InvalidAccessKeyId.NotFound"),
    ("STS key without token", {"access_key": "stsid", "secret_key": "stssecret"}, "MissingSecurityToken"),
    ("STS key wrong token", {"access_key": "stsid", "secret_key": "stssecret", "security_token": "other-token"},
     "InvalidSecurityToken"),
]


@pytest.fixture(scope="module")
def gate_run():
    with Emulator(access_keys=["testid:testsecret", "stsid:stssecret:the-token"]) as server:
        ids = server.create_tasks(count=1, duration=3600)
        tasks = []
        for name, creds, dummy in GATE_CASES:
            for version in VERSIONS:
                tasks.append({"name": "info %s %s" % (name, version), "ignore_errors": True,
                              "alicloud.ecs.ecs_task_info": dict(creds, task_ids=ids, signature_version=version)})
                # A long timeout: refused credentials must end the wait at once, not at the timeout.
                tasks.append({"name": "wait %s %s" % (name, version), "ignore_errors": True,
                              "alicloud.ecs.ecs_task_wait": dict(creds, task_ids=ids, signature_version=version, timeout="10m")})
        tasks.append({"name": "good STS key", "alicloud.ecs.ecs_task_info": {
            "access_key": "stsid", "secret_key": "stssecret", "security_token": "the-token", "task_ids": ids}})
        play = [{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]
        run = run_playbook(fast_ansible(server), json.dumps(play, indent=1), timeout=300)
        stats = server.stats()
    return run, stats


@pytest.mark.parametrize("module", ["info", "wait"])
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name, creds, code", GATE_CASES, ids=[case[0].replace(" ", "_") for case in GATE_CASES])
def test_module_run_refused(gate_run, module, version, name, creds, code):
    run, stats = gate_run
    task = "%s %s %s" % (module, name, version)
    result = run.result(task)
    assert run.status(task) == "ignored", result
    assert code in result["msg"], result["msg"]
    assert "not-the-secret" not in result["msg"] and "the-token" not in result["msg"]
    if module == "wait":
        assert result.get("timed_out") is not True and result.get("elapsed", 0) < 60, result


def test_module_runs_were_not_retried(gate_run):
    run, stats = gate_run
    assert run.rc == 0, run
    assert_no_traceback(run)
    assert run.status("good STS key") == "ok", run.result("good STS key")
    refused = sum(count for code, count in stats["errors"].items()
                  if code.startswith(("SignatureDoesNotMatch", "InvalidAccessKeyId", "MissingSecurityToken", "InvalidSecurityToken")))
    # One refused call per module run: no retry of a call that cannot succeed.
    assert refused == len(GATE_CASES) * len(VERSIONS) * 2, stats


# -- the control API answers loopback clients only ----------------------------------------------

class _FromElsewhere(EmulatorHTTPServer):
    """The real server and handler, with each client's address rewritten to a non-loopback one
    (binding a non-loopback address is not possible here)."""

    def get_request(self):
        conn, address = super().get_request()
        return conn, ("192.0.2.10", address[1])


def test_control_api_refuses_non_loopback_clients_through_the_handler():
    server = _FromElsewhere(("127.0.0.1", 0), EmulatorApp([parse_access_key("testid:testsecret")]))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        for method, path, body in (("GET", "/_emulator/tasks", None), ("POST", "/_emulator/tasks", b"{}"),
                                   ("PUT", "/_emulator/faults", b'{"error_rate": 1}'), ("POST", "/_emulator/reset", b"{}")):
            request = urllib.request.Request(base_url(server) + path, data=body, method=method)
            with pytest.raises(urllib.error.HTTPError) as info:
                opener.open(request, timeout=10)
            assert info.value.code == 403, (method, path)
            assert b"loopback" in info.value.read()
        assert server.app.store is not None and server.app.faults.settings()["error_rate"] == 0  # nothing changed
        # The signed API still answers (with its own refusal of an unsigned call): only the control API is closed.
        with pytest.raises(urllib.error.HTTPError) as info:
            opener.open(base_url(server) + "/?Action=DescribeTasks", timeout=10)
        assert info.value.code in (400, 404) and b"loopback" not in info.value.read()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
