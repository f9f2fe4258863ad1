# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""EcsClient against the ECS emulator, over real signed HTTP.

Faults are switched off from the client's injected ``sleep`` (which runs only
between attempts), so retry scenarios are deterministic and never sleep for real.
"""
from __future__ import annotations

from contextlib import closing

from types import SimpleNamespace

import pytest

pytest.importorskip("tests.emulator.harness")

from tests.emulator.harness import Emulator  # noqa: E402
from tests.unit.fakes import FakeClock  # noqa: E402

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient  # noqa: E402
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError  # noqa: E402

REGION = "cn-hangzhou"


class StaticCredentials:
    def __init__(self, key_id="testid", secret="testsecret", token=None, source="test keys"):
        self._keys = SimpleNamespace(access_key_id=key_id, access_key_secret=secret, security_token=token)
        self.source = source

    def get(self, deadline=None):
        return self._keys


def make_client(url, fake=None, credentials=None, **kw):
    fake = fake or FakeClock(now=0.0)
    return EcsClient(REGION, credentials or StaticCredentials(), endpoint=url, clock=fake, sleep=fake.sleep, **kw)


def task_ids(answer):
    task_set = answer["TaskSet"]
    if isinstance(task_set, list):  # tolerated older shape
        task_set = task_set[0] if task_set else {}
    return [task["TaskId"] for task in task_set.get("Task", [])]


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_describe_tasks(emulator, version):
    ids = emulator.create_tasks(region=REGION, action="ImportImage", count=3, duration=3600)
    with closing(make_client(emulator.url, signature_version=version)) as client:
        answer = client.call("DescribeTasks", {"RegionId": REGION, "TaskIds": ",".join(ids), "PageSize": 100})
        assert sorted(task_ids(answer)) == sorted(ids)
        attribute = client.call("DescribeTaskAttribute", {"RegionId": REGION, "TaskId": ids[0]})
        assert attribute["TaskId"] == ids[0]
        assert client.api_calls == 2 and client.calls_by_action == {"DescribeTasks": 1, "DescribeTaskAttribute": 1}
    stats = emulator.stats()
    assert stats["calls"].get("DescribeTasks") == 1 and not stats["errors"]


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_injected_throttling_is_retried(emulator, version):
    emulator.create_tasks(region=REGION, action="ExportImage", count=1, duration=3600)
    emulator.faults(throttle_rate=1.0)
    fake = FakeClock(now=0.0, on_sleep=lambda: emulator.faults(throttle_rate=0))
    with closing(make_client(emulator.url, fake=fake, signature_version=version)) as client:
        answer = client.call("DescribeTasks", {"RegionId": REGION})
        assert len(task_ids(answer)) == 1
        assert client.retries == 1 and client.throttled == 1 and client.api_calls == 2
    stats = emulator.stats()
    assert stats["calls"]["DescribeTasks"] == 2
    assert stats["errors"] == {"Throttling.User": 1}


@pytest.mark.parametrize("faults, codes", [
    ({"error_rate": 1.0}, ("InternalError", "ServiceUnavailable")),
    ({"throttle_rate": 1.0}, ("Throttling.User",)),
])
def test_retries_exhausted_says_so_with_the_last_code(emulator, faults, codes):
    emulator.faults(**faults)
    with closing(make_client(emulator.url, max_attempts=3)) as client:
        with pytest.raises(ApiError) as info:
            client.call("DescribeTasks", {"RegionId": REGION})
    err = info.value
    assert err.code in codes and err.attempts == 3
    assert "after 3 attempts" in str(err) and err.code in str(err) and err.request_id
    assert "testsecret" not in str(err)
    assert emulator.stats()["calls"]["DescribeTasks"] == 3


def test_cancel_task_is_not_retried_on_server_errors(emulator):
    [task_id] = emulator.create_tasks(region=REGION, action="ImportImage", count=1, duration=3600)
    emulator.faults(error_rate=1.0)
    with closing(make_client(emulator.url)) as client:
        with pytest.raises(ApiError) as info:
            client.call("CancelTask", {"RegionId": REGION, "TaskId": task_id})
    assert info.value.attempts == 1
    assert emulator.stats()["calls"]["CancelTask"] == 1


def test_connection_resets_are_retried(emulator):
    emulator.faults(reset_rate=1.0)
    fake = FakeClock(now=0.0, on_sleep=lambda: emulator.faults(reset_rate=0))
    with closing(make_client(emulator.url, fake=fake)) as client:
        client.call("DescribeTasks", {"RegionId": REGION})
        assert client.retries == 1


def test_wrong_secret_names_the_credential_source(emulator):
    creds = StaticCredentials(secret="not-the-secret", source="the test's static keys")
    with closing(make_client(emulator.url, credentials=creds, signature_version="v3")) as client:
        with pytest.raises(ApiError) as info:
            client.call("DescribeTasks", {"RegionId": REGION})
    assert info.value.code == "SignatureDoesNotMatch" and info.value.attempts == 1
    assert "(credentials from the test's static keys)" in str(info.value)
    assert "not-the-secret" not in str(info.value)


@pytest.fixture(scope="module")
def sts_emulator():
    with Emulator(access_keys=["stsid:stssecret:STS.token/value+1=="]) as server:
        yield server


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_security_token(sts_emulator, version):
    good = StaticCredentials("stsid", "stssecret", token="STS.token/value+1==")
    with closing(make_client(sts_emulator.url, credentials=good, signature_version=version)) as client:
        assert "TaskSet" in client.call("DescribeTasks", {"RegionId": REGION})
    bad = StaticCredentials("stsid", "stssecret", token="STS.wrong/token+2==", source="environment variables")
    with closing(make_client(sts_emulator.url, credentials=bad, signature_version=version)) as client:
        with pytest.raises(ApiError) as info:
            client.call("DescribeTasks", {"RegionId": REGION})
    assert info.value.code.startswith("InvalidSecurityToken")
    assert "(credentials from environment variables)" in str(info.value)
    for text in ("STS.wrong/token+2==", "STS.wrong%2Ftoken%2B2%3D%3D", "stssecret"):
        assert text not in str(info.value)
