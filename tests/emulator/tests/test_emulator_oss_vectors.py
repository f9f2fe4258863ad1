# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Known answers for an OSS signer: tests/unit/oss_signature_vectors.json.

Each vector is a HeadObject request (method, bucket, key, region, time, keys, token) with the headers
and the exact Authorization that oss2 and alibabacloud-oss-v2 compute for it, so the collection's own
signer can be checked later without either SDK. Here the SDKs recompute every vector (the file is
what they say), and the stand-in's signer (tests/emulator/oss_signing.py) accepts every one.

Regenerate after an intended change: python -m tests.emulator.tests.test_emulator_oss_vectors
"""

from __future__ import annotations

import datetime
import json
import os
from unittest import mock
from urllib.parse import quote

import pytest

from tests.emulator import oss_signing

VECTORS_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "unit", "oss_signature_vectors.json")
ENDPOINT = "http://127.0.0.1:8080"
# Header names a server needs to recompute the signatures (the SDKs also send others, unsigned).
RELEVANT = ("date", "x-oss-date", "x-oss-content-sha256", "x-oss-security-token", "security-token")

CASES = [
    {"name": "v1-permanent", "signature_version": "v1", "region": "cn-hangzhou", "token": None,
     "key": "exports/m-bp1g7004ksh0oeuc0001_t-bp1f3a5hgdfbeb1wy2n4.raw"},
    {"name": "v1-sts", "signature_version": "v1", "region": "cn-hangzhou", "token": "CAIS-sts-token/+=",
     "key": "exports/m-bp1g7004ksh0oeuc0001_t-bp1f3a5hgdfbeb1wy2n4.raw"},
    {"name": "v1-key-to-encode", "signature_version": "v1", "region": "cn-hangzhou", "token": None,
     "key": "exports/a b+c~é(1).raw"},
    {"name": "v4-permanent", "signature_version": "v4", "region": "cn-hangzhou", "token": None,
     "key": "exports/m-bp1g7004ksh0oeuc0001_t-bp1f3a5hgdfbeb1wy2n4.raw"},
    {"name": "v4-sts-beijing", "signature_version": "v4", "region": "cn-beijing", "token": "CAIS-sts-token/+=",
     "key": "Nightly_m-2ze0001_t-2ze0002.qcow2"},
    {"name": "v4-key-to-encode", "signature_version": "v4", "region": "eu-central-1", "token": None,
     "key": "exports/a b+c~é(1).raw"},
]
COMMON = {"method": "HEAD", "bucket": "examplebucket", "time": "2026-12-06T08:30:15Z",
          "access_key_id": "LTAI5tExampleKeyId0001", "access_key_secret": "ExampleSecretNotReal0000000000"}


def _when(vector):
    return datetime.datetime.strptime(vector["time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)


def _relevant(headers):
    lowered = {k.lower(): v for k, v in headers.items() if v is not None}
    return {name: lowered[name] for name in RELEVANT if name in lowered}


def _url(vector):
    return "%s/%s/%s" % (ENDPOINT, vector["bucket"], quote(vector["key"], safe="/"))


def sign_with_oss2(vector):
    import oss2  # pylint: disable=import-outside-toplevel

    provider = oss2.credentials.StaticCredentialsProvider(vector["access_key_id"], vector["access_key_secret"],
                                                          vector["token"])
    auth = oss2.ProviderAuth(provider) if vector["signature_version"] == "v1" else oss2.ProviderAuthV4(provider)
    request = oss2.http.Request(vector["method"], _url(vector), region=vector["region"], product="oss")
    when = _when(vector)
    # oss2 reads the clock itself: pin it to the vector's time.
    with mock.patch("oss2.auth.datetime") as clock, \
            mock.patch("oss2.utils.http_date", return_value=when.strftime("%a, %d %b %Y %H:%M:%S GMT")):
        clock.utcnow.return_value = when.replace(tzinfo=None)
        auth._sign_request(request, vector["bucket"], vector["key"])  # pylint: disable=protected-access
    return {"headers": _relevant(dict(request.headers)), "authorization": request.headers["authorization"]}


def sign_with_oss_v2(vector):
    # pylint: disable=import-outside-toplevel
    from alibabacloud_oss_v2.credentials import Credentials
    from alibabacloud_oss_v2.signer import SignerV1, SignerV4
    from alibabacloud_oss_v2.types import HttpRequest, SigningContext

    request = HttpRequest(vector["method"], _url(vector))
    context = SigningContext(product="oss", region=vector["region"], bucket=vector["bucket"], key=vector["key"],
                             request=request, signing_time=_when(vector),
                             credentials=Credentials(vector["access_key_id"], vector["access_key_secret"],
                                                     vector["token"]))
    (SignerV1() if vector["signature_version"] == "v1" else SignerV4()).sign(context)
    return {"headers": _relevant(dict(request.headers)), "authorization": request.headers["Authorization"]}


SIGNERS = {"oss2": sign_with_oss2, "alibabacloud-oss-v2": sign_with_oss_v2}


def build_vectors():
    vectors = []
    for case in CASES:
        vector = {"name": case["name"]}
        vector.update(COMMON)
        vector.update(case)
        vector["sdks"] = {name: sign(vector) for name, sign in SIGNERS.items()}
        vectors.append(vector)
    return vectors


def load_vectors():
    with open(VECTORS_PATH, encoding="utf-8") as handle:
        return json.load(handle)


def _parameters():
    # Empty while the file is being written for the first time (python -m ... below).
    return load_vectors() if os.path.exists(VECTORS_PATH) else []


def _server_signature(vector, signed):
    """What the stand-in computes for the request a SDK signed, and the signature the SDK sent."""
    headers = {name: [value] for name, value in signed["headers"].items()}
    authorization = signed["authorization"]
    if vector["signature_version"] == "v1":
        provided = oss_signing.parse_v1_authorization(authorization)[1]
        string_to_sign = oss_signing.v1_string_to_sign(vector["method"], headers, vector["bucket"], vector["key"], [])
        return oss_signing.v1_signature(vector["access_key_secret"], string_to_sign), provided
    parsed = oss_signing.parse_v4_authorization(authorization)
    assert (parsed["key_id"], parsed["region"], parsed["date"]) == (vector["access_key_id"], vector["region"], "20261206")
    canonical = oss_signing.v4_canonical_request(vector["method"], vector["bucket"], vector["key"], [], headers,
                                                 parsed["additional"])
    string_to_sign = oss_signing.v4_string_to_sign(signed["headers"]["x-oss-date"],
                                                   oss_signing.v4_scope(parsed["date"], parsed["region"]), canonical)
    return oss_signing.v4_signature(vector["access_key_secret"], parsed["date"], parsed["region"], string_to_sign), parsed["signature"]


@pytest.mark.parametrize("vector", _parameters(), ids=lambda v: v["name"])
def test_the_stand_in_accepts_every_vector(vector):
    assert set(vector["sdks"]) == set(SIGNERS)
    for signed in vector["sdks"].values():
        expected, provided = _server_signature(vector, signed)
        assert expected == provided


@pytest.mark.parametrize("vector", _parameters(), ids=lambda v: v["name"])
def test_a_changed_secret_changes_every_signature(vector):
    for signed in vector["sdks"].values():
        expected, provided = _server_signature(dict(vector, access_key_secret="another-secret"), signed)
        assert expected != provided


@pytest.mark.parametrize("name", sorted(SIGNERS))
def test_the_sdks_still_compute_the_vectors(name):
    pytest.importorskip("oss2" if name == "oss2" else "alibabacloud_oss_v2")
    for vector in load_vectors():
        assert SIGNERS[name](vector) == vector["sdks"][name], vector["name"]


def test_the_vectors_cover_both_versions_tokens_and_encoding():
    vectors = load_vectors()
    assert {(v["signature_version"], bool(v["token"])) for v in vectors} == {("v1", False), ("v1", True), ("v4", False), ("v4", True)}
    assert any(" " in v["key"] and "é" in v["key"] for v in vectors)
    # oss-v2 sends a V1 token as `security-token` (unsigned), oss2 as the signed x-oss-security-token.
    sts_v1 = next(v for v in vectors if v["name"] == "v1-sts")["sdks"]
    assert "x-oss-security-token" in sts_v1["oss2"]["headers"] and "security-token" in sts_v1["alibabacloud-oss-v2"]["headers"]


if __name__ == "__main__":
    with open(VECTORS_PATH, "w", encoding="utf-8") as out:
        json.dump(build_vectors(), out, indent=2, ensure_ascii=False)
        out.write("\n")
    print("wrote", os.path.normpath(VECTORS_PATH))
