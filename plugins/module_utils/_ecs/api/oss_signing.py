# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OSS request signatures for a request without a body on ``/<bucket>/<key>``, as pure functions.

V4 (``OSS4-HMAC-SHA256``, scoped to the bucket's region: the default of Alibaba's current OSS SDKs)
and V1 (``OSS <AccessKeyId>:<signature>``, HMAC-SHA1). STS keys send their token in
``x-oss-security-token``, which both versions sign. The signed resource is ``/<bucket>/<key>``
whether the request goes to the bucket's virtual host or path style. Byte for byte as
``oss2`` and ``alibabacloud-oss-v2`` compute it (tests/unit/oss_signature_vectors.json).
See docs/architecture.md.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import hmac
import time
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping

SIGNATURE_VERSIONS = ("v4", "v1")
V4_ALGORITHM = "OSS4-HMAC-SHA256"
V4_SCOPE_TAIL = "oss/aliyun_v4_request"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
TOKEN_HEADER = "x-oss-security-token"


def _signed_headers(headers: Mapping[str, str]) -> list[tuple[str, str]]:
    """(lower-case name, trimmed value) of every ``x-oss-`` header, sorted by name: what both versions sign."""
    return sorted((name.lower(), str(value).strip()) for name, value in headers.items() if name.lower().startswith("x-oss-"))


def _header(headers: Mapping[str, str], name: str) -> str:
    return next((str(value).strip() for key, value in headers.items() if key.lower() == name), "")


def http_date(epoch: float) -> str:
    """``Sun, 06 Dec 2026 08:30:15 GMT``: the V1 ``Date``."""
    return email.utils.formatdate(epoch, usegmt=True)


def v4_timestamp(epoch: float) -> str:
    """``20261206T083015Z``: the V4 ``x-oss-date``."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(epoch))


# ---------------------------------------------------------------- V1

def v1_string_to_sign(method: str, bucket: str, key: str, headers: Mapping[str, str]) -> str:
    """VERB, Content-MD5, Content-Type, Date, the ``x-oss-`` headers, then ``/<bucket>/<key>`` (the key as is)."""
    lines = [method.upper(), _header(headers, "content-md5"), _header(headers, "content-type"), _header(headers, "date")]
    oss_headers = "".join("%s:%s\n" % pair for pair in _signed_headers(headers))
    return "\n".join(lines) + "\n" + oss_headers + "/%s/%s" % (bucket, key)


def v1_signature(secret: str, string_to_sign: str) -> str:
    return base64.b64encode(hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha1).digest()).decode("ascii")


# ---------------------------------------------------------------- V4

def v4_canonical_uri(bucket: str, key: str) -> str:
    """``/<bucket>/<key>`` percent-encoded (RFC 3986, ``/`` kept)."""
    return quote("/%s/%s" % (bucket, key), safe="/")


def v4_canonical_request(method: str, bucket: str, key: str, headers: Mapping[str, str]) -> str:
    """No query and no additional headers: the ``x-oss-`` headers (and Content-Type / Content-MD5 when sent) are signed."""
    signed = dict(_signed_headers(headers))
    for name in ("content-type", "content-md5"):
        if _header(headers, name):
            signed[name] = _header(headers, name)
    canonical_headers = "".join("%s:%s\n" % (name, signed[name]) for name in sorted(signed))
    payload = _header(headers, "x-oss-content-sha256") or UNSIGNED_PAYLOAD
    return "\n".join([method.upper(), v4_canonical_uri(bucket, key), "", canonical_headers, "", payload])


def v4_scope(date: str, region: str) -> str:
    return "%s/%s/%s" % (date, region, V4_SCOPE_TAIL)


def v4_string_to_sign(timestamp: str, region: str, canonical_request: str) -> str:
    digest = hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()
    return "\n".join([V4_ALGORITHM, timestamp, v4_scope(timestamp[:8], region), digest])


def v4_signature(secret: str, date: str, region: str, string_to_sign: str) -> str:
    """HMAC-SHA256 chain: ``"aliyun_v4" + secret`` -> date -> region -> ``oss`` -> ``aliyun_v4_request``, then the string."""
    key = ("aliyun_v4" + secret).encode("utf-8")
    for part in (date, region, "oss", "aliyun_v4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


# ---------------------------------------------------------------- a whole request

def sign_request(method: str, bucket: str, key: str, access_key_id: str, secret: str, token: str | None, region: str,
                 epoch: float, version: str = "v4") -> dict[str, str]:
    """The headers a bodiless request on ``/<bucket>/<key>`` sends, ``Authorization`` included.

    ``region``: the bucket's (V4 scope); ``epoch``: the signing time (seconds, UTC).
    """
    if version not in SIGNATURE_VERSIONS:
        raise ValueError("OSS signature version %r: use v4 or v1" % (version,))
    if version == "v1":
        headers = {"Date": http_date(epoch)}
    else:
        headers = {"x-oss-date": v4_timestamp(epoch), "x-oss-content-sha256": UNSIGNED_PAYLOAD}
    if token:
        headers[TOKEN_HEADER] = token
    if version == "v1":
        signature = v1_signature(secret, v1_string_to_sign(method, bucket, key, headers))
        headers["Authorization"] = "OSS %s:%s" % (access_key_id, signature)
    else:
        timestamp = headers["x-oss-date"]
        string_to_sign = v4_string_to_sign(timestamp, region, v4_canonical_request(method, bucket, key, headers))
        signature = v4_signature(secret, timestamp[:8], region, string_to_sign)
        headers["Authorization"] = "%s Credential=%s/%s,Signature=%s" % (
            V4_ALGORITHM, access_key_id, v4_scope(timestamp[:8], region), signature)
    return headers
