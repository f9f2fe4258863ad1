# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's pieces without HTTP: signing known answers, clock, tasks, faults, control checks."""

from __future__ import annotations

import pytest

from tests.emulator import signing
from tests.emulator.auth import NonceCache, parse_access_key, parse_timestamp
from tests.emulator.clock import VirtualClock, format_api_time, parse_api_time
from tests.emulator.control import ControlError, is_loopback_client, task_specs
from tests.emulator.faults import Faults, FaultError
from tests.emulator.state import Task

V1_PARAMS = {
    "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0",
    "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
}
V1_STRING = ("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
             "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
             "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26")


def test_v1_known_answer():
    assert signing.v1_string_to_sign("GET", V1_PARAMS) == V1_STRING
    assert signing.v1_signature("testsecret", V1_STRING) == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_v1_ignores_signature_parameter():
    with_signature = dict(V1_PARAMS, Signature="whatever")
    assert signing.v1_string_to_sign("GET", with_signature) == V1_STRING


def test_v3_known_answer():
    headers = {
        "host": ["ecs.cn-shanghai.aliyuncs.com"], "x-acs-action": ["RunInstances"], "x-acs-version": ["2014-05-26"],
        "x-acs-date": ["2023-10-26T10:22:32Z"], "x-acs-signature-nonce": ["3156853299f313e23d1673dc12e1703d"],
        "x-acs-content-sha256": [signing.EMPTY_SHA256],
    }
    names = "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version".split(";")
    query = [("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"), ("RegionId", "cn-shanghai")]
    canonical = signing.v3_canonical_request("POST", "/", query, headers, names, signing.EMPTY_SHA256)
    signature = signing.v3_signature("YourAccessKeySecret", signing.v3_string_to_sign(canonical))
    assert signature == "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"


@pytest.mark.parametrize("text, expected", [
    ("a b", "a%20b"), ("*", "%2A"), ("/", "%2F"), ("~-_.", "~-_."), ("é", "%C3%A9"), ("+", "%2B"),
])
def test_rfc3986(text, expected):
    assert signing.rfc3986(text) == expected


def test_parse_v3_authorization():
    value = "ACS3-HMAC-SHA256 Credential=ak, SignedHeaders=host;X-Acs-Date,Signature=abc"
    assert signing.parse_v3_authorization(value) == ("ak", ["host", "x-acs-date"], "abc")
    assert signing.parse_v3_authorization("ACS3-HMAC-SHA256 Credential=ak,Signature=abc") is None
    assert signing.parse_v3_authorization("Basic Zm9v") is None
    assert signing.parse_v3_authorization("ACS3-HMAC-SHA256 garbage") is None


def test_access_key_parsing_hides_secrets():
    credential = parse_access_key("id:sec:tok:en")
    assert (credential.key_id, credential.secret, credential.token) == ("id", "sec", "tok:en")
    assert "sec" not in repr(credential) and "tok" not in repr(credential)
    assert parse_access_key("id:sec").token is None
    with pytest.raises(ValueError):
        parse_access_key("idonly")


def test_timestamps():
    assert parse_timestamp("2016-02-23T12:46:24Z") == 1456231584
    assert parse_timestamp("2016-02-23T12:46:24.123Z") == 1456231584
    for bad in ("2016-02-23 12:46:24", "2016-02-23T12:46Z", "2016-13-23T12:46:24Z", "", None):
        assert parse_timestamp(bad) is None
    assert parse_api_time("2015-11-23T15:10Z") == parse_api_time("2015-11-23T15:10:00Z")
    assert parse_api_time("2015-11-23") is None
    assert format_api_time(1456231584) == "2016-02-23T12:46:24Z"
    assert format_api_time(None) == ""


def test_nonce_cache_expires_and_is_bounded():
    now = [0.0]
    cache = NonceCache(ttl=10, capacity=3, clock=lambda: now[0])
    assert cache.add("a") and not cache.add("a")
    now[0] = 11
    assert cache.add("a")
    for key in "bcd":
        assert cache.add(key)
    assert len(cache._seen) <= 3


def test_virtual_clock_scale_and_advance():
    mono = [100.0]
    clock = VirtualClock(10, wall=lambda: 1000.0 + mono[0] - 100.0, monotonic=lambda: mono[0])
    assert clock.now() == 1000.0
    mono[0] = 101.0
    assert clock.now() == 1010.0
    clock.advance(50)
    assert clock.now() == 1060.0
    assert clock.real_time_of(1080.0) == pytest.approx(1003.0)
    assert clock.real_time_of(1060.0) == pytest.approx(1001.0)


def test_task_life():
    task = Task("t-1", "cn-hangzhou", "ExportImage", created=0.0, wait=10, duration=100, visible_after=5)
    assert not task.visible(4) and task.visible(5)
    assert (task.status(5), task.progress(5)) == ("Waiting", 0)
    assert (task.status(60), task.progress(60)) == ("Processing", 50)
    assert task.progress(109.99) == 99
    assert (task.status(110), task.progress(110), task.finished_at(110)) == ("Finished", 100, 110)
    assert task.finished_at(60) is None
    task.cancelled_at = 30.0
    assert (task.status(200), task.progress(200), task.finished_at(200)) == ("Deleted", 20, 30.0)


def test_faults_validation_and_token_bucket():
    now = [0.0]
    faults = Faults(seed=1, monotonic=lambda: now[0])
    for bad in ({"throttle_rate": 2}, {"error_rate": -0.1}, {"bogus": 1}, {"delay_ms": "x"}, {"reset_rate": True}, []):
        with pytest.raises(FaultError):
            faults.update(bad)
    assert faults.update({"rate_limit_per_s": 2})["throttle_rate"] == 0
    decisions = [faults.decide()[0] for dummy in range(3)]
    assert decisions == [None, None, "throttle"]
    now[0] = 0.5
    assert faults.decide()[0] is None
    faults.update({"rate_limit_per_s": 0, "error_rate": 1})
    fault, code = faults.decide()[:2]
    assert fault == "error" and code in ("InternalError", "ServiceUnavailable")


def test_faults_repeat_with_seed():
    def run():
        faults = Faults(seed=7)
        faults.update({"throttle_rate": 0.5})
        return [faults.decide()[0] for dummy in range(50)]
    assert run() == run()
    assert set(run()) == {None, "throttle"}


@pytest.mark.parametrize("address, expected", [
    ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("::ffff:127.0.0.1", True),
    ("10.0.0.1", False), ("192.168.1.5", False), ("::ffff:10.0.0.1", False), ("2001:db8::1", False),
    ("localhost", False), ("", False), (None, False),
])
def test_loopback_check(address, expected):
    assert is_loopback_client(address) is expected


def _ids(prefix, counter=iter(range(10 ** 6))):
    return "%s%06d" % (prefix, next(counter))


def test_task_specs_defaults_and_validation():
    specs = task_specs({}, _ids)
    assert len(specs) == 1
    spec = specs[0]
    assert (spec["region"], spec["action"], spec["duration"], spec["outcome"], spec["support_cancel"]) == (
        "cn-hangzhou", "ExportImage", 60.0, "Finished", True)
    names = [item[0] for item in spec["related_items"]]
    assert names == ["OSSBucket", "OSSObject", "ImageFormat"]
    assert task_specs({"action": "ModifyDiskSpec"}, _ids)[0]["support_cancel"] is False
    assert task_specs({"count": 2, "durations": [1, 2]}, _ids)[1]["duration"] == 2
    failed = task_specs({"outcome": "Failed"}, _ids)[0]
    assert failed["error_code"] and failed["error_msg"]
    merged = task_specs({"related_items": {"OSSBucket": "mine", "Extra": "x"}}, _ids)[0]["related_items"]
    assert ("OSSBucket", "mine") in merged and ("Extra", "x") in merged
    for bad in ([], {"count": 0}, {"count": "2"}, {"region": "mars-1"}, {"outcome": "Done"}, {"duration": -1},
                {"durations": [1, 2]}, {"durations": ["x"]}, {"support_cancel": "yes"}, {"related_items": 5}, {"unknown": 1}):
        with pytest.raises(ControlError):
            task_specs(bad, _ids)
