# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request signatures of the Alibaba Cloud RPC API, as pure functions: V1
(HMAC-SHA1 over the sorted query) and V3 (ACS3-HMAC-SHA256 over a canonical
request in headers), byte for byte as reference/ecs-api.md. See
docs/architecture.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable, Mapping
    from typing import Union

    # Parameters as a mapping or as (name, value) pairs (typing.TypeAlias is Python 3.10).
    _Params = Union[Mapping[str, object], Iterable[tuple[str, object]]]

V3_ALGORITHM = "ACS3-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        # The service spells booleans in lower case.
        return "true" if value else "false"
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


def percent_encode(value: object) -> str:
    """RFC 3986 encoding on UTF-8: only ``A-Z a-z 0-9 - _ . ~`` stay literal."""
    # quote() always keeps letters, digits and "-_.~"; safe="" drops "/".
    return quote(_text(value).encode("utf-8"), safe="")


def _canonical_query(params, skip=()):
    items = params.items() if hasattr(params, "items") else params
    pairs = [(_text(k), _text(v)) for k, v in items if k not in skip]
    pairs.sort(key=lambda kv: kv[0])
    return "&".join("%s=%s" % (percent_encode(k), percent_encode(v)) for k, v in pairs)


def canonical_query_v1(params: _Params) -> str:
    """Sorted ``k=v`` pairs joined by ``&``, every part percent-encoded; ``Signature`` left out."""
    return _canonical_query(params, skip=("Signature",))


def string_to_sign_v1(method: str, params: _Params) -> str:
    return "%s&%s&%s" % (method.upper(), percent_encode("/"), percent_encode(canonical_query_v1(params)))


def sign_v1(method: str, params: _Params, secret: str) -> str:
    """Base64 HMAC-SHA1 of the V1 string to sign, keyed with ``secret + "&"``."""
    digest = hmac.new((_text(secret) + "&").encode("utf-8"),
                      string_to_sign_v1(method, params).encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def canonical_query_v3(query: _Params | None) -> str:
    return _canonical_query(query or {})


def signed_header_names_v3(headers: Iterable[str]) -> list[str]:
    """The header names V3 signs: host, every x-acs-* and content-type when present; sorted, lower case."""
    names = set()
    for name in headers:
        low = name.lower()
        if low in ("host", "content-type") or low.startswith("x-acs-"):
            names.add(low)
    return sorted(names)


def _header_value(headers, name):
    for key, value in headers.items():
        if key.lower() == name:
            return _text(value).strip()
    return ""


def canonical_request_v3(method: str, path: str, query: _Params | None, headers: Mapping[str, object],
                         signed_header_names: Iterable[str], payload_hash: str) -> str:
    """``METHOD\\nPATH\\nQUERY\\nHEADERS\\nSIGNED\\nHASH``; each canonical header line ends in ``\\n``."""
    names = sorted(n.lower() for n in signed_header_names)
    canonical_headers = "".join("%s:%s\n" % (n, _header_value(headers, n)) for n in names)
    return "\n".join([method.upper(), path or "/", canonical_query_v3(query), canonical_headers,
                      ";".join(names), payload_hash])


def string_to_sign_v3(canonical_request: str) -> str:
    return "%s\n%s" % (V3_ALGORITHM, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest())


def payload_hash_v3(body: bytes | str | None) -> str:
    if not body:
        return EMPTY_SHA256
    if isinstance(body, str):
        body = body.encode("utf-8")
    return hashlib.sha256(body).hexdigest()


def signature_v3(method: str, path: str, query: _Params | None, headers: Mapping[str, object], body: bytes | str | None,
                 secret: str) -> tuple[str, list[str]]:
    """The hex V3 signature alone, and the header names it covers."""
    names = signed_header_names_v3(headers)
    canonical = canonical_request_v3(method, path, query, headers, names, payload_hash_v3(body))
    signature = hmac.new(_text(secret).encode("utf-8"), string_to_sign_v3(canonical).encode("utf-8"),
                         hashlib.sha256).hexdigest()
    return signature, names


def sign_v3(method: str, path: str, query: _Params | None, headers: Mapping[str, object], body: bytes | str | None,
            access_key_id: str, secret: str) -> str:
    """The ``Authorization`` header value for a V3 request."""
    signature, names = signature_v3(method, path, query, headers, body, secret)
    return "%s Credential=%s,SignedHeaders=%s,Signature=%s" % (V3_ALGORITHM, access_key_id, ";".join(names), signature)
