# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's OSS signer against the SDKs: every known-answer vector, then fresh inputs signed live by
oss2 and alibabacloud-oss-v2 (skipped when the SDK is absent)."""
from __future__ import annotations

import calendar
import datetime
import json
import os
import random
import string
import time

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api import oss_signing

VECTORS_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "oss_signature_vectors.json")
SDK_MODULES = {"oss2": "oss2", "alibabacloud-oss-v2": "alibabacloud_oss_v2"}


def load_vectors():
    with open(VECTORS_PATH, encoding="utf-8") as handle:
        return json.load(handle)


def epoch_of(vector):
    return float(calendar.timegm(time.strptime(vector["time"], "%Y-%m-%dT%H:%M:%SZ")))


def split_authorization(value):
    """(key id, region or None, signature) of an Authorization header of either version and either SDK's spelling."""
    if value.startswith("OSS "):
        key_id, dummy, signature = value[4:].rpartition(":")
        return key_id, None, signature
    parts = dict(part.strip().split("=", 1) for part in value.split(" ", 1)[1].split(","))
    credential = parts["Credential"].split("/")
    return credential[0], credential[2], parts["Signature"]


def our_signature(vector, headers):
    """Our signature of the request as an SDK sent it (its headers)."""
    method, bucket, key, secret = vector["method"], vector["bucket"], vector["key"], vector["access_key_secret"]
    if vector["signature_version"] == "v1":
        return oss_signing.v1_signature(secret, oss_signing.v1_string_to_sign(method, bucket, key, headers))
    timestamp = headers["x-oss-date"]
    string_to_sign = oss_signing.v4_string_to_sign(
        timestamp, vector["region"], oss_signing.v4_canonical_request(method, bucket, key, headers))
    return oss_signing.v4_signature(secret, timestamp[:8], vector["region"], string_to_sign)


def our_request(vector):
    return oss_signing.sign_request(vector["method"], vector["bucket"], vector["key"], vector["access_key_id"],
                                    vector["access_key_secret"], vector["token"], vector["region"], epoch_of(vector),
                                    vector["signature_version"])


def check_against_sdks(vector):
    """Every SDK's request signs as we sign it, and ours is the request oss2 (V1) / oss-v2 (V4) sends."""
    for name, signed in vector["sdks"].items():
        assert our_signature(vector, signed["headers"]) == split_authorization(signed["authorization"])[2], name
    ours = our_request(vector)
    sent = {k.lower(): v for k, v in ours.items() if k != "Authorization"}
    # oss-v2 sends a V1 token unsigned as `security-token`; we send it as oss2 does, signed.
    model = vector["sdks"]["oss2" if vector["signature_version"] == "v1" else "alibabacloud-oss-v2"]
    assert ours["Authorization"] == model["authorization"]
    assert {k: v for k, v in sent.items() if k != "date" or vector["signature_version"] == "v1"} == \
        {k: v for k, v in model["headers"].items() if k != "date" or vector["signature_version"] == "v1"}


@pytest.mark.parametrize("vector", load_vectors(), ids=lambda v: v["name"])
def test_every_known_answer_vector(vector):
    check_against_sdks(vector)


def test_the_vectors_are_the_ones_expected():
    names = {v["name"] for v in load_vectors()}
    assert {"v1-permanent", "v1-sts", "v1-key-to-encode", "v4-permanent", "v4-sts-beijing", "v4-key-to-encode"} <= names


def test_a_wrong_secret_or_region_changes_the_signature():
    vector = next(v for v in load_vectors() if v["name"] == "v4-sts-beijing")
    expected = split_authorization(vector["sdks"]["oss2"]["authorization"])[2]
    headers = vector["sdks"]["oss2"]["headers"]
    assert our_signature(dict(vector, access_key_secret="x" + vector["access_key_secret"]), headers) != expected
    assert our_signature(dict(vector, region="cn-hangzhou"), headers) != expected
    assert our_signature(vector, dict(headers, **{"x-oss-security-token": "other"})) != expected


def test_v4_signs_in_the_bucket_region_and_keeps_slashes_in_the_resource():
    headers = oss_signing.sign_request("HEAD", "b1", "dir/a b.raw", "AKID", "secret", None, "eu-central-1", 0.0)
    assert headers["x-oss-date"] == "19700101T000000Z"
    assert headers["Authorization"].startswith("OSS4-HMAC-SHA256 Credential=AKID/19700101/eu-central-1/oss/aliyun_v4_request,")
    assert oss_signing.v4_canonical_uri("b1", "dir/a b+c.raw") == "/b1/dir/a%20b%2Bc.raw"


def test_an_unknown_version_is_refused():
    with pytest.raises(ValueError, match="v4 or v1"):
        oss_signing.sign_request("HEAD", "b", "k", "id", "secret", None, "cn-hangzhou", 0.0, version="v2")


# ---------------------------------------------------------------- live, on fresh inputs

def _random_text(rng, alphabet, size):
    return "".join(rng.choice(alphabet) for dummy in range(size))


def fresh_vector(rng, version, token):
    """A request no vector holds: random keys and key name (spaces, unicode, symbols), a random region, now."""
    key_chars = string.ascii_letters + string.digits + " -_.~+=&$@,;:!()'*/é中ö"
    return {
        "name": "fresh", "method": "HEAD", "signature_version": version,
        "bucket": "b-" + _random_text(rng, string.ascii_lowercase + string.digits, 10),
        "key": _random_text(rng, string.ascii_letters, 3) + "/" + _random_text(rng, key_chars, 24),
        "region": rng.choice(["cn-hangzhou", "cn-beijing", "eu-central-1", "ap-southeast-1", "us-west-1"]),
        "time": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "access_key_id": "LTAI" + _random_text(rng, string.ascii_letters + string.digits, 20),
        "access_key_secret": _random_text(rng, string.ascii_letters + string.digits + "+/", 30),
        "token": ("CAIS" + _random_text(rng, string.ascii_letters + string.digits + "+/=", 60)) if token else None,
    }


@pytest.mark.parametrize("sdk", sorted(SDK_MODULES))
def test_fresh_requests_sign_as_the_sdks_sign_them(sdk):
    pytest.importorskip(SDK_MODULES[sdk])
    from tests.emulator.tests.test_emulator_oss_vectors import SIGNERS  # the SDK calls, pinned to the vector's time

    rng = random.Random()
    for version in ("v4", "v1"):
        for token in (False, True):
            for dummy in range(5):
                vector = fresh_vector(rng, version, token)
                signed = SIGNERS[sdk](vector)
                assert our_signature(vector, signed["headers"]) == split_authorization(signed["authorization"])[2], vector
                ours = our_request(vector)
                assert split_authorization(ours["Authorization"]) == split_authorization(signed["authorization"]) \
                    or (version == "v1" and token and sdk == "alibabacloud-oss-v2"), vector
