# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One signed RPC request, assembled without I/O: parameters flattened, common
parameters, nonce and timestamp, then the V1 query signature or the V3 headers.
See docs/architecture.md.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.signing import (
    EMPTY_SHA256, canonical_query_v1, canonical_query_v3, percent_encode, sign_v1, sign_v3,
)

if TYPE_CHECKING:  # annotations only
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import Credentials

SIGNATURE_VERSIONS = ("v1", "v3")


def flatten_params(params: dict | None) -> dict:
    """Drop None values, spell booleans in lower case and expand lists into ``Key.1``, ``Key.2``..."""
    flat = {}
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            for index, item in enumerate(value, 1):
                flat["%s.%d" % (key, index)] = _scalar(item)
        else:
            flat[key] = _scalar(value)
    return flat


def _scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _utc_timestamp():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class RequestSigner:
    """Signed POST requests to one endpoint and API version.

    ``prepare`` returns ``(url, headers, signature)``: the signature alone is
    kept so that it can be masked in anything an answer echoes back. Without
    credentials the request is anonymous (no key, no signature), as STS
    AssumeRoleWithOIDC is called.
    """

    def __init__(self, endpoint_url: str, version: str, signature_version: str = "v1") -> None:
        self.endpoint_url = endpoint_url
        self.version = version
        self.signature_version = signature_version
        self._host = urlsplit(endpoint_url).netloc

    def prepare(self, action: str, params: dict, creds: Credentials | None) -> tuple[str, dict, str]:
        """The request for ``action`` with flat ``params``, signed with ``creds`` (anonymous when None)."""
        if creds is None:
            return self._prepare_anonymous(action, params)
        if self.signature_version == "v3":
            return self._prepare_v3(action, params, creds)
        return self._prepare_v1(action, params, creds)

    def _prepare_anonymous(self, action, params):
        query = dict(params)
        query.update({"Action": action, "Version": self.version, "Format": "JSON", "Timestamp": _utc_timestamp()})
        return "%s/?%s" % (self.endpoint_url, canonical_query_v1(query)), {}, ""

    def _prepare_v1(self, action, params, creds):
        query = dict(params)
        query.update({
            "Action": action, "Version": self.version, "Format": "JSON", "AccessKeyId": creds.access_key_id,
            "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
            "SignatureNonce": str(uuid.uuid4()), "Timestamp": _utc_timestamp(),
        })
        query.pop("Signature", None)
        if creds.security_token:
            query["SecurityToken"] = creds.security_token
        signature = sign_v1("POST", query, creds.access_key_secret)
        url = "%s/?%s&Signature=%s" % (self.endpoint_url, canonical_query_v1(query), percent_encode(signature))
        return url, {}, signature

    def _prepare_v3(self, action, params, creds):
        headers = {
            "host": self._host, "x-acs-action": action, "x-acs-version": self.version,
            "x-acs-date": _utc_timestamp(), "x-acs-signature-nonce": uuid.uuid4().hex,
            "x-acs-content-sha256": EMPTY_SHA256,
        }
        if creds.security_token:
            headers["x-acs-security-token"] = creds.security_token
        authorization = sign_v3("POST", "/", params, headers, b"", creds.access_key_id, creds.access_key_secret)
        headers["Authorization"] = authorization
        query = canonical_query_v3(params)
        url = "%s/?%s" % (self.endpoint_url, query) if query else self.endpoint_url + "/"
        return url, headers, authorization.rpartition("Signature=")[2]
