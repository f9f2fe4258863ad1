# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api import signing
# Known answers from reference/ecs-api.md.
V1_PARAMS = {
    "AccessKeyId": "testid",
    "Action": "DescribeRegions",
    "Format": "XML",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "SignatureVersion": "1.0",
    "Timestamp": "2016-02-23T12:46:24Z",
    "Version": "2014-05-26",
}
V1_STRING_TO_SIGN = (
    "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
    "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
    "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
)
V1_SIGNATURE = "OLeaidS1JvxuMvnyHOwuJ+uX5qY="

V3_QUERY = {"ImageId": "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", "RegionId": "cn-shanghai"}
V3_HEADERS = {
    "host": "ecs.cn-shanghai.aliyuncs.com",
    "x-acs-action": "RunInstances",
    "x-acs-version": "2014-05-26",
    "x-acs-date": "2023-10-26T10:22:32Z",
    "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
    "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
}
V3_SIGNED = "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
V3_SIGNATURE = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"


def test_v1_known_answer_string_to_sign():
    assert signing.string_to_sign_v1("GET", V1_PARAMS) == V1_STRING_TO_SIGN


def test_v1_known_answer_signature():
    assert signing.sign_v1("GET", V1_PARAMS, "testsecret") == V1_SIGNATURE


def test_v1_ignores_signature_parameter_and_input_order():
    shuffled = dict(reversed(list(V1_PARAMS.items())))
    shuffled["Signature"] = "whatever"
    assert signing.sign_v1("get", shuffled, "testsecret") == V1_SIGNATURE


def test_v3_known_answer_authorization():
    auth = signing.sign_v3("POST", "/", V3_QUERY, V3_HEADERS, b"", "YourAccessKeyId", "YourAccessKeySecret")
    assert auth == "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=%s,Signature=%s" % (V3_SIGNED, V3_SIGNATURE)


def test_v3_known_answer_string_to_sign_reproduces_signature():
    names = signing.signed_header_names_v3(V3_HEADERS)
    assert ";".join(names) == V3_SIGNED
    canonical = signing.canonical_request_v3("POST", "/", V3_QUERY, V3_HEADERS, names, signing.EMPTY_SHA256)
    assert canonical == (
        "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n"
        "host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n"
        "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
        "x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n"
        "x-acs-version:2014-05-26\n\n" + V3_SIGNED + "\n" + signing.EMPTY_SHA256
    )
    to_sign = signing.string_to_sign_v3(canonical)
    assert to_sign == "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
    assert hmac.new(b"YourAccessKeySecret", to_sign.encode(), hashlib.sha256).hexdigest() == V3_SIGNATURE


def test_v3_header_names_case_and_selection():
    headers = dict(V3_HEADERS)
    headers.pop("host")
    headers["Host"] = " ecs.cn-shanghai.aliyuncs.com  "  # values are trimmed, names lower-cased
    headers["User-Agent"] = "not signed"
    headers["Accept"] = "application/json"
    names = signing.signed_header_names_v3(headers)
    assert names == V3_SIGNED.split(";")
    assert signing.sign_v3("POST", "/", V3_QUERY, headers, b"", "YourAccessKeyId", "YourAccessKeySecret").endswith(V3_SIGNATURE)


def test_v3_signs_content_type_and_security_token_when_present():
    headers = dict(V3_HEADERS, **{"Content-Type": "application/json", "x-acs-security-token": "tok"})
    names = signing.signed_header_names_v3(headers)
    assert "content-type" in names and "x-acs-security-token" in names
    assert names == sorted(names)


def test_v3_body_hash():
    assert signing.payload_hash_v3(b"") == signing.EMPTY_SHA256
    assert signing.payload_hash_v3(None) == signing.EMPTY_SHA256
    assert signing.payload_hash_v3("a=b") == hashlib.sha256(b"a=b").hexdigest()


def test_v3_signature_changes_with_any_signed_input():
    base = signing.sign_v3("POST", "/", V3_QUERY, V3_HEADERS, b"", "id", "secret")
    assert signing.sign_v3("POST", "/", dict(V3_QUERY, RegionId="cn-beijing"), V3_HEADERS, b"", "id", "secret") != base
    assert signing.sign_v3("POST", "/", V3_QUERY, dict(V3_HEADERS, **{"x-acs-date": "2023-10-26T10:22:33Z"}), b"", "id", "secret") != base
    assert signing.sign_v3("POST", "/", V3_QUERY, V3_HEADERS, b"x", "id", "secret") != base
    assert signing.sign_v3("POST", "/", V3_QUERY, V3_HEADERS, b"", "id", "other") != base


@pytest.mark.parametrize("raw, encoded", [
    ("AZaz09-_.~", "AZaz09-_.~"),
    (" ", "%20"),
    ("*", "%2A"),
    ("/", "%2F"),
    ("+", "%2B"),
    ("=&", "%3D%26"),
    (":", "%3A"),
    ("%", "%25"),
    ("é", "%C3%A9"),
    ("杭州", "%E6%9D%AD%E5%B7%9E"),
    ("😀", "%F0%9F%98%80"),
    ("", ""),
    (None, ""),
    (True, "true"),
    (10, "10"),
])
def test_percent_encode(raw, encoded):
    assert signing.percent_encode(raw) == encoded


def test_canonical_query_empty_values_and_reserved_characters():
    params = {"b": "", "a": "x y*z/~", "c": None, "SignatureType": ""}
    assert signing.canonical_query_v1(params) == "SignatureType=&a=x%20y%2Az%2F~&b=&c="


def test_canonical_query_sorts_by_raw_key():
    # Upper case sorts before lower case (byte order), as the SDKs do.
    assert signing.canonical_query_v1({"b": "1", "B": "2", "a.2": "3", "a.10": "4"}) == "B=2&a.10=4&a.2=3&b=1"


def test_v1_unicode_and_reserved_match_official_sdk():
    composer = pytest.importorskip("aliyunsdkcore.auth.composer.rpc_signature_composer")
    compose = getattr(composer, "__compose_string_to_sign")
    params = dict(V1_PARAMS, TaskAction="Import Image*", Name="杭州/é~+", Empty="", SignatureType="")
    assert signing.string_to_sign_v1("POST", params) == compose("POST", params)


def test_v1_signature_is_base64_hmac_sha1_with_ampersand_key():
    params = {"Action": "DescribeTasks", "RegionId": "cn-hangzhou"}
    expected = base64.b64encode(hmac.new(b"s3cr3t&", signing.string_to_sign_v1("POST", params).encode(), hashlib.sha1).digest()).decode()
    assert signing.sign_v1("POST", params, "s3cr3t") == expected
