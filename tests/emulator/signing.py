# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Server-side computation of the V1 and V3 signatures.

Written from the public reference only, never from plugins/module_utils, so
the emulator is an independent oracle for the collection's client.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
V3_ALGORITHM = "ACS3-HMAC-SHA256"


def rfc3986(text):
    """Percent-encode UTF-8 text leaving only A-Z a-z 0-9 - _ . ~ literal."""
    out = []
    for byte in str(text).encode("utf-8"):
        out.append(chr(byte) if byte in _UNRESERVED else "%%%02X" % byte)
    return "".join(out)


def canonical_pairs(pairs):
    """Sorted `k=v` pairs joined by '&', both sides RFC 3986 encoded."""
    encoded = sorted((rfc3986(k), rfc3986(v)) for k, v in pairs)
    return "&".join("%s=%s" % kv for kv in encoded)


def v1_string_to_sign(method, params):
    """StringToSign of V1 over every parameter except Signature."""
    pairs = [(k, v) for k, v in params.items() if k != "Signature"]
    return "%s&%s&%s" % (method.upper(), rfc3986("/"), rfc3986(canonical_pairs(pairs)))


def v1_signature(secret, string_to_sign):
    digest = hmac.new((secret + "&").encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def v3_canonical_request(method, path, query_pairs, headers, signed_headers, payload_hash):
    """Canonical request of V3.

    headers maps lower-case names to the list of values received; the
    signed header list comes from the client's SignedHeaders.
    """
    lines = []
    for name in signed_headers:
        values = headers.get(name, [])
        lines.append("%s:%s\n" % (name, ",".join(sorted(v.strip() for v in values))))
    return "\n".join([
        method.upper(),
        path or "/",
        canonical_pairs(query_pairs),
        "".join(lines),
        ";".join(signed_headers),
        payload_hash,
    ])


def v3_string_to_sign(canonical_request):
    return "%s\n%s" % (V3_ALGORITHM, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest())


def v3_signature(secret, string_to_sign):
    return hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


_AUTH_PART = re.compile(r"\s*([A-Za-z]+)=([^,]*)\s*")


def parse_v3_authorization(value):
    """Split `ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`.

    Returns (credential, signed_headers list, signature) or None when any
    piece is missing or the algorithm is not V3.
    """
    algorithm, rest = (value.strip().split(" ", 1) + [""])[:2]
    if algorithm != V3_ALGORITHM:
        return None
    parts = {}
    for chunk in rest.split(","):
        match = _AUTH_PART.fullmatch(chunk)
        if not match:
            return None
        parts[match.group(1)] = match.group(2).strip()
    credential = parts.get("Credential")
    signed = parts.get("SignedHeaders")
    signature = parts.get("Signature")
    if not credential or not signed or not signature:
        return None
    names = [n.strip().lower() for n in signed.split(";") if n.strip()]
    return credential, names, signature


def constant_time_equal(left, right):
    return hmac.compare_digest(str(left).encode("utf-8"), str(right).encode("utf-8"))
