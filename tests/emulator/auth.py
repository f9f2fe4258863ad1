# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authentication of signed calls: V1 (parameters) or V3 (headers), timestamp, nonce, STS token.

The checks run in the order the service is seen to apply them: shape of
the signature, timestamp, version, access key, signature, security token,
nonce. A refused call never consumes its nonce.
"""

from __future__ import annotations

import collections
import hashlib
import re
import threading
import time
from datetime import datetime, timezone

from tests.emulator import signing
from tests.emulator.errors import ApiError, missing_parameter, signature_mismatch

API_VERSION = "2014-05-26"
TIMESTAMP_WINDOW = 15 * 60
_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,6})?Z")


class SignedRequest:
    """What the server received, decoded: the input of verification and of the actions."""

    __slots__ = ("method", "path", "query_pairs", "form_pairs", "headers", "body")

    def __init__(self, method, path, query_pairs, form_pairs, headers, body):
        self.method = method
        self.path = path
        self.query_pairs = query_pairs
        self.form_pairs = form_pairs
        self.headers = headers
        self.body = body

    def header(self, name):
        values = self.headers.get(name)
        return values[-1].strip() if values else None

    def params(self):
        """Query and form body merged (the body wins on a clash)."""
        merged = dict(self.query_pairs)
        merged.update(self.form_pairs)
        return merged

    def is_v3(self):
        auth = self.header("authorization")
        return bool(auth) and auth.startswith("ACS3-")

    def access_key_hint(self):
        """The AccessKeyId the client named (for statistics: which identity called)."""
        if self.is_v3():
            parsed = signing.parse_v3_authorization(self.header("authorization"))
            return parsed[0] if parsed else ""
        return self.params().get("AccessKeyId") or ""

    def action_hint(self):
        """The action the client named, before any check (for statistics)."""
        if self.is_v3():
            return self.header("x-acs-action") or ""
        return self.params().get("Action", "")


class Credential:
    __slots__ = ("key_id", "secret", "token", "expires")

    def __init__(self, key_id, secret, token=None, expires=None):
        self.key_id = key_id
        self.secret = secret
        self.token = token
        self.expires = expires  # wall-clock epoch seconds after which the STS token is refused

    def __repr__(self):
        # Never show the secret or the token.
        return "Credential(%r, sts=%s)" % (self.key_id, self.token is not None)


def parse_access_key(text):
    """ID:SECRET or ID:SECRET:TOKEN -> Credential."""
    parts = text.split(":", 2)
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise ValueError("an access key is ID:SECRET or ID:SECRET:TOKEN")
    return Credential(parts[0], parts[1], parts[2] if len(parts) == 3 and parts[2] else None)


class NonceCache:
    """Nonces seen in the last `ttl` seconds, at most `capacity` of them."""

    def __init__(self, ttl=2 * TIMESTAMP_WINDOW, capacity=200000, clock=time.monotonic):
        self._ttl = ttl
        self._capacity = capacity
        self._clock = clock
        self._seen = collections.OrderedDict()
        self._lock = threading.Lock()

    def add(self, key):
        """Record key; False if it was already seen within the ttl."""
        now = self._clock()
        with self._lock:
            while self._seen:
                oldest, expiry = next(iter(self._seen.items()))
                if expiry > now and len(self._seen) < self._capacity:
                    break
                del self._seen[oldest]
            if key in self._seen:
                return False
            self._seen[key] = now + self._ttl
            return True

    def clear(self):
        with self._lock:
            self._seen.clear()


def parse_timestamp(text):
    match = _TIMESTAMP.fullmatch(text or "")
    if not match:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        return None


class Verifier:
    def __init__(self, credentials, wall=time.time, nonces=None):
        self._credentials = {c.key_id: c for c in credentials}
        self._wall = wall
        self.nonces = nonces or NonceCache()

    def verify(self, request):
        """Return (action, params) of an authentic call or raise ApiError."""
        if request.is_v3():
            return self._verify_v3(request)
        return self._verify_v1(request)

    def _check_time(self, text):
        stamp = parse_timestamp(text)
        if stamp is None:
            raise ApiError("InvalidTimeStamp.Format")
        if abs(self._wall() - stamp) > TIMESTAMP_WINDOW:
            raise ApiError("InvalidTimeStamp.Expired")

    def add(self, credential):
        """Accept another key from now on (the STS stand-in issues keys while the emulator runs)."""
        self._credentials[credential.key_id] = credential

    def lookup(self, key_id):
        """The accepted key with this AccessKeyId, or None (the OSS stand-in checks the same keys)."""
        return self._credentials.get(key_id)

    def _credential(self, key_id):
        credential = self._credentials.get(key_id)
        if credential is None:
            raise ApiError("InvalidAccessKeyId.NotFound")
        return credential

    def _check_token(self, credential, token):
        if credential.token is None:
            if token:
                # A permanent key with a token: the service refuses the pair.
                raise ApiError("InvalidSecurityToken.MismatchWithAccessKey")
            return
        if not token:
            raise ApiError("MissingSecurityToken")
        if not signing.constant_time_equal(token, credential.token):
            raise ApiError("InvalidSecurityToken.MismatchWithAccessKey")
        if credential.expires is not None and self._wall() >= credential.expires:
            raise ApiError("InvalidSecurityToken.Expired")

    def _check_nonce(self, key_id, nonce):
        if not self.nonces.add((key_id, nonce)):
            raise ApiError("SignatureNonceUsed")

    def _verify_v1(self, request):
        params = request.params()
        if "Signature" not in params:
            raise ApiError("IncompleteSignature")
        for name in ("AccessKeyId", "SignatureNonce", "Timestamp", "Version", "SignatureMethod"):
            if not params.get(name):
                raise missing_parameter(name)
        self._check_time(params["Timestamp"])
        if params["Version"] != API_VERSION:
            raise ApiError("InvalidVersion")
        if params["SignatureMethod"] != "HMAC-SHA1":
            raise ApiError("InvalidSignatureMethod")
        if not params.get("SignatureVersion"):
            raise missing_parameter("SignatureVersion")
        if params["SignatureVersion"] != "1.0":
            raise ApiError("UnsupportedSignatureVersion")
        credential = self._credential(params["AccessKeyId"])
        string_to_sign = signing.v1_string_to_sign(request.method, params)
        expected = signing.v1_signature(credential.secret, string_to_sign)
        if not signing.constant_time_equal(expected, params["Signature"]):
            raise signature_mismatch(string_to_sign)
        self._check_token(credential, params.get("SecurityToken"))
        self._check_nonce(credential.key_id, params["SignatureNonce"])
        if not params.get("Action"):
            raise missing_parameter("Action")
        action_params = {k: v for k, v in params.items() if k not in _V1_COMMON}
        return params["Action"], action_params

    def _verify_v3(self, request):
        parsed = signing.parse_v3_authorization(request.header("authorization"))
        if parsed is None:
            raise ApiError("IncompleteSignature")
        key_id, signed_headers, signature = parsed
        if any(name not in request.headers for name in signed_headers):
            raise ApiError("IncompleteSignature", "The request signature does not conform to Aliyun standards. A signed header is missing.")
        values = {}
        for name in ("x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"):
            values[name] = request.header(name)
            if not values[name]:
                raise missing_parameter(name)
        self._check_time(values["x-acs-date"])
        if values["x-acs-version"] != API_VERSION:
            raise ApiError("InvalidVersion")
        if values["x-acs-content-sha256"].lower() != hashlib.sha256(request.body).hexdigest():
            raise ApiError("ContentSha256NotMatched")
        credential = self._credential(key_id)
        canonical = signing.v3_canonical_request(request.method, request.path, request.query_pairs, request.headers,
                                                 signed_headers, values["x-acs-content-sha256"].lower())
        string_to_sign = signing.v3_string_to_sign(canonical)
        if not signing.constant_time_equal(signing.v3_signature(credential.secret, string_to_sign), signature.lower()):
            raise signature_mismatch(string_to_sign)
        self._check_token(credential, request.header("x-acs-security-token"))
        self._check_nonce(credential.key_id, values["x-acs-signature-nonce"])
        params = {k: v for k, v in request.params().items() if k not in _V1_COMMON}
        return values["x-acs-action"], params


# Common parameters: never seen by an action.
_V1_COMMON = frozenset((
    "Action", "Version", "Format", "AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion",
    "SignatureNonce", "SignatureType", "Timestamp", "SecurityToken", "BearerToken",
))
