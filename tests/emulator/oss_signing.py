# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Server-side computation of the OSS V1 and V4 header signatures.

Written from OSS's public pages ("Include a V1 signature in the
Authorization header", "Include a V4 signature ... (recommended)"), never
from the SDKs or from plugins/, so the stand-in is an independent oracle;
the SDKs `oss2` and `alibabacloud-oss-v2` check it in tests.

V1: `Authorization: OSS <AccessKeyId>:<Signature>`, Signature =
Base64(HMAC-SHA1(secret, VERB \\n Content-MD5 \\n Content-Type \\n Date \\n
CanonicalizedOSSHeaders CanonicalizedResource)).
V4: `Authorization: OSS4-HMAC-SHA256 Credential=<AK>/<yyyymmdd>/<region>/oss/aliyun_v4_request[,AdditionalHeaders=<a;b>],Signature=<hex>`,
signed over a canonical request with a key derived from "aliyun_v4" + secret,
the date, the region, "oss" and "aliyun_v4_request".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from urllib.parse import quote

V1_PREFIX = "OSS "
V4_ALGORITHM = "OSS4-HMAC-SHA256"
V4_TERMINATOR = "aliyun_v4_request"
V4_SERVICE = "oss"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"

# Query parameters that are part of the V1 CanonicalizedResource (sub-resources and response overrides).
V1_SUBRESOURCES = frozenset((
    "acl", "append", "bucketInfo", "cname", "comp", "cors", "delete", "endTime", "img", "lifecycle", "live",
    "location", "logging", "objectMeta", "partNumber", "policy", "position", "qos", "referer", "replication",
    "replicationLocation", "replicationProgress", "response-cache-control", "response-content-disposition",
    "response-content-encoding", "response-content-language", "response-content-type", "response-expires",
    "restore", "security-token", "startTime", "status", "style", "styleName", "symlink", "tagging", "udf",
    "uploadId", "uploads", "versionId", "versioning", "versions", "vod", "website", "x-oss-process",
))


def _header(headers, name):
    values = headers.get(name)
    return values[-1].strip() if values else ""


def _oss_headers(headers):
    """Sorted (name, value) of x-oss-* headers, names lower-case, values trimmed."""
    return sorted((name, _header(headers, name)) for name in headers if name.startswith("x-oss-"))


def v1_resource(bucket, key, query_pairs):
    resource = "/%s/%s" % (bucket, key) if bucket else "/"
    subresources = sorted((k, v) for k, v in query_pairs if k in V1_SUBRESOURCES)
    if subresources:
        resource += "?" + "&".join(k if v == "" else "%s=%s" % (k, v) for k, v in subresources)
    return resource


def v1_string_to_sign(method, headers, bucket, key, query_pairs):
    """headers: lower-case name -> [values]; key: the object key, decoded."""
    lines = [method.upper(), _header(headers, "content-md5"), _header(headers, "content-type"), _header(headers, "date")]
    canonical_headers = "".join("%s:%s\n" % pair for pair in _oss_headers(headers))
    return "\n".join(lines) + "\n" + canonical_headers + v1_resource(bucket, key, query_pairs)


def v1_signature(secret, string_to_sign):
    digest = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def parse_v1_authorization(value):
    """`OSS AK:signature` -> (AK, signature), or None."""
    if not value.startswith(V1_PREFIX):
        return None
    key_id, sep, signature = value[len(V1_PREFIX):].strip().rpartition(":")
    if not sep or not key_id or not signature:
        return None
    return key_id, signature


def _encode(text, safe):
    return quote(text, safe=safe + "-_.~")


def v4_canonical_uri(bucket, key):
    if not bucket:
        return "/"
    return "/" + _encode(bucket, "") + "/" + _encode(key, "/")


def v4_canonical_query(query_pairs):
    encoded = sorted((_encode(k, ""), _encode(v, "")) for k, v in query_pairs)
    return "&".join(k if v == "" else "%s=%s" % (k, v) for k, v in encoded)


def v4_signed_header_names(headers, additional):
    """Names in the canonical headers: x-oss-*, content-type, content-md5 and the additional ones present."""
    names = {n for n in headers if n.startswith("x-oss-") or n in ("content-type", "content-md5")}
    names.update(n for n in additional if n in headers)
    return sorted(names)


def v4_canonical_request(method, bucket, key, query_pairs, headers, additional):
    names = v4_signed_header_names(headers, additional)
    canonical_headers = "".join("%s:%s\n" % (n, _header(headers, n)) for n in names)
    return "\n".join([
        method.upper(),
        v4_canonical_uri(bucket, key),
        v4_canonical_query(query_pairs),
        canonical_headers,
        ";".join(sorted(additional)),
        _header(headers, "x-oss-content-sha256") or UNSIGNED_PAYLOAD,
    ])


def v4_scope(date, region):
    return "%s/%s/%s/%s" % (date, region, V4_SERVICE, V4_TERMINATOR)


def v4_string_to_sign(timestamp, scope, canonical_request):
    return "%s\n%s\n%s\n%s" % (V4_ALGORITHM, timestamp, scope,
                               hashlib.sha256(canonical_request.encode("utf-8")).hexdigest())


def _hmac(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def v4_signature(secret, date, region, string_to_sign):
    key = _hmac(("aliyun_v4" + secret).encode("utf-8"), date)
    for part in (region, V4_SERVICE, V4_TERMINATOR):
        key = _hmac(key, part)
    return hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


_V4_PART = re.compile(r"\s*([A-Za-z]+)=([^,]*)\s*")


def parse_v4_authorization(value):
    """`OSS4-HMAC-SHA256 Credential=..,AdditionalHeaders=..,Signature=..` -> dict, or None if malformed.

    The dict holds key_id, date, region, service, terminator, additional (list) and signature.
    """
    algorithm, dummy, rest = value.strip().partition(" ")
    if algorithm != V4_ALGORITHM:
        return None
    parts = {}
    for chunk in rest.split(","):
        match = _V4_PART.fullmatch(chunk)
        if not match:
            return None
        parts[match.group(1)] = match.group(2).strip()
    credential = parts.get("Credential", "").split("/")
    if len(credential) != 5 or not all(credential) or not parts.get("Signature"):
        return None
    key_id, date, region, service, terminator = credential
    additional = [h.strip().lower() for h in parts.get("AdditionalHeaders", "").split(";") if h.strip()]
    return {"key_id": key_id, "date": date, "region": region, "service": service, "terminator": terminator,
            "additional": additional, "signature": parts["Signature"]}
