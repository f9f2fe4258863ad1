# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A minimal signed client for protocol tests of the emulator (http.client, keep-alive).

Not thread-safe: one SignedClient per thread. `overrides` changes common
parameters (or V3 headers) before signing, `after_sign` after it, so tests
can build every malformed request the checks must catch.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import time
import uuid
from urllib.parse import urlencode, urlsplit

from tests.emulator import signing

API_VERSION = "2014-05-26"


def utc_timestamp(offset=0.0):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + offset))


class Answer:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        try:
            self.json = json.loads(raw.decode("utf-8"))
        except ValueError:
            self.json = None

    @property
    def code(self):
        return (self.json or {}).get("Code")

    def __repr__(self):
        return "Answer(%s, %r)" % (self.status, self.raw[:300])


class SignedClient:
    def __init__(self, url, key_id="testid", secret="testsecret", token=None, region="cn-hangzhou", timeout=30):
        split = urlsplit(url)
        self.host = split.hostname
        self.port = split.port
        self.netloc = split.netloc
        self.key_id = key_id
        self.secret = secret
        self.token = token
        self.region = region
        self.timeout = timeout
        self.retry_stale = True  # re-send once on a dropped keep-alive connection
        self._conn = None

    # -- building -------------------------------------------------------------
    def v1_params(self, action, params=None, overrides=None, method="POST"):
        common = {
            "Action": action, "Version": API_VERSION, "Format": "JSON", "AccessKeyId": self.key_id,
            "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": uuid.uuid4().hex,
            "Timestamp": utc_timestamp(),
        }
        if self.token:
            common["SecurityToken"] = self.token
        common.update(params or {})
        for key, value in (overrides or {}).items():
            if value is None:
                common.pop(key, None)
            else:
                common[key] = value
        common["Signature"] = signing.v1_signature(self.secret, signing.v1_string_to_sign(method, common))
        return common

    def v1(self, action, params=None, overrides=None, after_sign=None, method="POST", in_body=False):
        signed = self.v1_params(action, params, overrides, method)
        signed.update(after_sign or {})
        encoded = urlencode(signed)
        if in_body:
            return self.send(method, "/", {"Content-Type": "application/x-www-form-urlencoded"}, encoded.encode("ascii"))
        return self.send(method, "/?" + encoded, {}, b"")

    def v3_headers(self, action, query, body=b"", overrides=None, method="POST", content_type=None):
        headers = {
            "host": self.netloc, "x-acs-action": action, "x-acs-version": API_VERSION,
            "x-acs-date": utc_timestamp(), "x-acs-signature-nonce": uuid.uuid4().hex,
            "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
        }
        if content_type:
            headers["content-type"] = content_type
        if self.token:
            headers["x-acs-security-token"] = self.token
        for key, value in (overrides or {}).items():
            if value is None:
                headers.pop(key, None)
            else:
                headers[key] = value
        names = sorted(headers)
        canonical = signing.v3_canonical_request(method, "/", list(query.items()), {k: [v] for k, v in headers.items()},
                                                 names, headers.get("x-acs-content-sha256", signing.EMPTY_SHA256))
        signature = signing.v3_signature(self.secret, signing.v3_string_to_sign(canonical))
        headers["Authorization"] = "%s Credential=%s,SignedHeaders=%s,Signature=%s" % (
            signing.V3_ALGORITHM, self.key_id, ";".join(names), signature)
        return headers

    def v3(self, action, params=None, overrides=None, after_sign=None, method="POST", form=None):
        query = dict(params or {})
        body = urlencode(form).encode("ascii") if form else b""
        content_type = "application/x-www-form-urlencoded" if form else None
        headers = self.v3_headers(action, query, body, overrides, method, content_type)
        headers.update(after_sign or {})
        path = "/?" + urlencode(query) if query else "/"
        return self.send(method, path, headers, body)

    def call(self, action, params=None, version="v1", **kwargs):
        """Signed call with RegionId defaulted; returns an Answer."""
        merged = {"RegionId": self.region}
        merged.update(params or {})
        merged = {k: v for k, v in merged.items() if v is not None}
        return (self.v3 if version == "v3" else self.v1)(action, merged, **kwargs)

    # -- sending --------------------------------------------------------------
    def send(self, method, path, headers, body):
        for attempt in (0, 1):
            if self._conn is None:
                self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self._conn.request(method, path, body=body, headers=headers)
                response = self._conn.getresponse()
                raw = response.read()
                answer = Answer(response.status, dict(response.getheaders()), raw)
                if response.will_close:
                    self.close()
                return answer
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt or not self.retry_stale:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None
