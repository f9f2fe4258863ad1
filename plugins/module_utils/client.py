# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A signed client for the Alibaba Cloud RPC API (ECS 2014-05-26).

One ``requests.Session`` per client (keep-alive), V1 or V3 signatures,
retries with jittered backoff bounded by attempts and by the caller's
deadline, an adaptive rate limit shared by the client's threads, and every
failure raised as ``errors.ApiError``.

Which actions are retried (``retry_allowed``):

* read-only actions (names starting with ``Describe``) are retried on every
  retryable failure (``errors.is_retryable``: throttling, InternalError,
  ServiceUnavailable, HTTP 5xx, connection errors, timeouts);
* any other action (``CancelTask``) is retried only when the service surely
  did nothing: a throttling answer (refused before it ran), or a connection
  that never opened (refused, unresolvable host, connect timeout). A reset
  or a read timeout may come after the action ran, so it is not repeated.
"""

from __future__ import annotations

import datetime
import json
import socket
import ssl
import threading
import time
import traceback
import uuid
from urllib.parse import urlsplit

from ansible_collections.alicloud.ecs.plugins.module_utils.endpoints import resolve_endpoint, validate_region
from ansible_collections.alicloud.ecs.plugins.module_utils.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils.retry import (
    DEFAULT_MAX_ATTEMPTS, AdaptiveRateLimiter, Backoff, retry_with_backoff,
)
from ansible_collections.alicloud.ecs.plugins.module_utils.signing import (
    EMPTY_SHA256, canonical_query_v1, canonical_query_v3, percent_encode, sign_v1, sign_v3,
)

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import NewConnectionError, ProtocolError, ReadTimeoutError
except ImportError:
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

ECS_API_VERSION = "2014-05-26"
SIGNATURE_VERSIONS = ("v1", "v3")
READ_ONLY_ACTION_PREFIXES = ("Describe",)
AUTH_ERROR_PREFIXES = ("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidSecurityToken")
# Never wait less than this for a connection or an answer, even right at the deadline.
MIN_TIMEOUT = 0.5
EXCERPT_CHARS = 160
POOL_SIZE = 16  # the task service calls from a small thread pool


def is_read_only_action(action):
    return action.startswith(READ_ONLY_ACTION_PREFIXES)


def retry_allowed(action, error):
    """Whether ``error`` from ``action`` may be retried: see the module docstring."""
    if not error.retryable:
        return False
    if is_read_only_action(action):
        return True
    return error.code.startswith("Throttling") or not getattr(error, "request_sent", True)


def flatten_params(params):
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


def _exception_chain(exc):
    """Every exception reachable from ``exc`` through causes, contexts, args and ``.reason``."""
    seen, stack = [], [exc]
    while stack:
        item = stack.pop()
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        stack.extend([item.__cause__, item.__context__, getattr(item, "reason", None)])
        stack.extend(a for a in item.args if isinstance(a, BaseException))
    return seen


class _Transport:
    """What went wrong on the wire, described without the URL (which holds the signature)."""

    def __init__(self, exc):
        chain = _exception_chain(exc)

        def has(*types):
            return any(isinstance(e, types) for e in chain)
        self.tls = has(requests.exceptions.SSLError, ssl.SSLError)
        self.connect_timeout = has(requests.exceptions.ConnectTimeout)
        self.read_timeout = not self.connect_timeout and has(requests.exceptions.ReadTimeout, ReadTimeoutError)
        # Nothing reached the server when the connection never opened.
        self.sent = not (self.connect_timeout or has(NewConnectionError, ConnectionRefusedError, socket.gaierror))
        verify = [e for e in chain if isinstance(e, ssl.SSLCertVerificationError)]
        if verify:
            self.reason = "certificate verification failed: %s" % (verify[0].verify_message or "untrusted certificate")
        elif self.tls:
            self.reason = "the TLS handshake failed"
        elif has(ConnectionRefusedError):
            self.reason = "connection refused"
        elif has(socket.gaierror) or "NameResolution" in " ".join(type(e).__name__ for e in chain):
            self.reason = "the host name could not be resolved"
        elif has(ConnectionResetError):
            self.reason = "the connection was reset"
        elif has(ProtocolError, requests.exceptions.ChunkedEncodingError):
            self.reason = "the server closed the connection without a complete answer"
        else:
            self.reason = type(exc).__name__


class RpcClient:
    """A client for one RPC endpoint; safe to share between threads."""

    def __init__(self, endpoint_url, version, credentials, signature_version="v1", validate_certs=True,
                 connect_timeout=5.0, read_timeout=20.0, max_attempts=DEFAULT_MAX_ATTEMPTS, session=None,
                 clock=time.monotonic, sleep=time.sleep, rng=None, rate_limiter=None, user_agent=None):
        if not HAS_REQUESTS:
            raise ConfigError("The Python library 'requests' is required to call the Alibaba Cloud API: "
                              "install it where the module runs (pip install requests).")
        if signature_version not in SIGNATURE_VERSIONS:
            raise ConfigError("Invalid signature_version %r: use v1 or v3" % (signature_version,), option="signature_version")
        self.endpoint_url = endpoint_url.rstrip("/")
        self._host = urlsplit(self.endpoint_url).netloc
        self.version = version
        self.signature_version = signature_version
        self.validate_certs = validate_certs
        self.connect_timeout = float(connect_timeout)
        self.read_timeout = float(read_timeout)
        self.max_attempts = max(1, int(max_attempts))
        self._credentials = credentials
        self._clock = clock
        self._sleep = sleep
        self._backoff = Backoff(rng=rng)
        self._limiter = rate_limiter or AdaptiveRateLimiter(clock=clock, sleep=sleep)
        self._session = session or self._new_session(user_agent)
        self._lock = threading.Lock()
        self._api_calls = 0
        self._retries = 0
        self._throttled = 0
        self._calls_by_action = {}

    def _new_session(self, user_agent):
        session = requests.Session()
        session.verify = self.validate_certs
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=POOL_SIZE)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        session.headers["User-Agent"] = user_agent or "alicloud.ecs-ansible python-requests/%s" % requests.__version__
        session.headers["Accept"] = "application/json"
        return session

    def __repr__(self):
        return "%s(endpoint_url=%r, version=%r, signature_version=%r)" % (
            type(self).__name__, self.endpoint_url, self.version, self.signature_version)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self._session.close()

    # Counters -------------------------------------------------------------
    @property
    def api_calls(self):
        """HTTP requests sent, retries included."""
        with self._lock:
            return self._api_calls

    @property
    def calls_by_action(self):
        with self._lock:
            return dict(self._calls_by_action)

    @property
    def retries(self):
        with self._lock:
            return self._retries

    @property
    def throttled(self):
        """Throttling answers received."""
        with self._lock:
            return self._throttled

    def _count(self, name, action=None):
        with self._lock:
            setattr(self, name, getattr(self, name) + 1)
            if action is not None:
                self._calls_by_action[action] = self._calls_by_action.get(action, 0) + 1

    # Calls ----------------------------------------------------------------
    def call(self, action, params=None, deadline=None):
        """Call ``action`` and return its parsed JSON answer; raise ApiError on any failure.

        ``deadline`` is an absolute time on this client's clock: no retry
        sleeps past it and each attempt's timeouts are cut to the time left.
        """
        flat = flatten_params(params)
        attempt = retry_with_backoff(
            max_attempts=self.max_attempts, backoff=self._backoff, should_retry=lambda e: retry_allowed(action, e),
            clock=self._clock, sleep=self._sleep, on_retry=lambda *a: self._count("_retries"), retry_on=(ApiError,),
        )(self._attempt)
        return attempt(action, flat, deadline=deadline)

    def timeouts(self, deadline=None):
        """(connect, read) timeouts for one attempt, cut to the time left before ``deadline``.

        Each is at least MIN_TIMEOUT, the margin past the deadline an attempt
        may take. (The read timeout bounds each wait for bytes, as in requests:
        a server trickling bytes could still hold an attempt longer.)
        """
        connect, read = self.connect_timeout, self.read_timeout
        if deadline is not None:
            left = max(MIN_TIMEOUT, deadline - self._clock())
            connect, read = min(connect, left), min(read, left)
        return connect, read

    def _attempt(self, action, params, deadline=None):
        creds = self._credentials.get()
        # Taken before the token: a request that queued for its token before a cut is still of the old rate.
        requested_at = self._clock()
        self._limiter.acquire(deadline)
        if self.signature_version == "v3":
            url, headers, signature = self._prepare_v3(action, params, creds)
        else:
            url, headers, signature = self._prepare_v1(action, params, creds)
        timeout = self.timeouts(deadline)
        self._count("_api_calls", action)
        failure = response = None
        try:
            response = self._session.post(url, data=b"", headers=headers, timeout=timeout)
        except requests.exceptions.RequestException as exc:
            failure = self._transport_error(_Transport(exc), action, timeout)
        # Raised outside the except block so the requests exception, whose text
        # holds the signed URL, is not chained to what callers see.
        if failure is not None:
            raise failure
        return self._parse(response, action, creds, signature, requested_at)

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

    def _transport_error(self, transport, action, timeout):
        endpoint = self.endpoint_url
        if transport.tls:
            code = "SSLError"
            message = ("TLS verification of %s failed (%s): check the endpoint's certificate and CA bundle; "
                       "validate_certs=false turns the check off, for trusted test endpoints only" % (endpoint, transport.reason))
        elif transport.connect_timeout:
            code = "ConnectTimeout"
            message = ("could not connect to %s within %.1fs: check the endpoint or region, DNS, proxy settings "
                       "(HTTPS_PROXY, NO_PROXY) and firewalls" % (endpoint, timeout[0]))
        elif transport.read_timeout:
            code = "ReadTimeout"
            message = ("%s accepted the connection but sent no answer within %.1fs: the service may be overloaded, "
                       "or the endpoint is not the ECS API" % (endpoint, timeout[1]))
        else:
            code = "ConnectionError"
            message = ("could not talk to %s (%s): check the endpoint or region, the network and any proxy "
                       "(HTTPS_PROXY, NO_PROXY)" % (endpoint, transport.reason))
        error = ApiError(code, message, action=action, endpoint=endpoint)
        error.request_sent = transport.sent
        return error

    def _parse(self, response, action, creds, signature, requested_at=None):
        status = response.status_code
        try:
            data = json.loads(response.content.decode("utf-8"))
        except ValueError:  # UnicodeDecodeError is a ValueError too
            data = None
        ok = 200 <= status < 300
        code = data.get("Code") if isinstance(data, dict) else None
        throttled = bool(not ok and code and str(code).startswith("Throttling"))
        if throttled:
            self._count("_throttled")
        self._limiter.on_response(throttled, requested_at=requested_at)
        if ok and isinstance(data, dict):
            return data
        redact = _Redactor(creds, signature)
        if not ok and code:
            code = str(code)
            message = redact(str(data.get("Message") or ""))
            if code.startswith(AUTH_ERROR_PREFIXES):
                source = getattr(creds, "source", None) or getattr(self._credentials, "source", None)
                if source:
                    message += " (credentials from %s)" % source
            raise ApiError(
                code, message, request_id=data.get("RequestId"), http_status=status, action=action,
                endpoint=self.endpoint_url, host_id=data.get("HostId"), recommend=redact(str(data.get("Recommend") or "")) or None)
        excerpt = redact(_excerpt(response.content))
        message = ("%s answered HTTP %s with %s (content type %s): %r; check that the endpoint is the ECS API" % (
            self.endpoint_url, status, "an unexpected JSON document" if data is not None else "a body that is not JSON",
            response.headers.get("Content-Type", "none"), excerpt))
        raise ApiError("InvalidResponse", message, http_status=status, action=action, endpoint=self.endpoint_url)


def _excerpt(content):
    text = content[:EXCERPT_CHARS * 2].decode("utf-8", "replace")
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text[:EXCERPT_CHARS] + ("..." if len(text) > EXCERPT_CHARS or len(content) > EXCERPT_CHARS * 2 else "")


class _Redactor:
    """Masks the secret, the security token and the signature, raw or percent-encoded (once or twice)."""

    def __init__(self, creds, signature):
        values = [creds.access_key_secret, creds.security_token, signature]
        forms = set()
        for value in values:
            if value and len(value) >= 4:
                once = percent_encode(value)
                forms.update([value, once, percent_encode(once)])
        self._forms = sorted(forms, key=len, reverse=True)

    def __call__(self, text):
        for form in self._forms:
            text = text.replace(form, "***")
        return text


class EcsClient(RpcClient):
    """The ECS API (version 2014-05-26) of one region."""

    def __init__(self, region, credentials, endpoint=None, network="public", **kw):
        self.region = validate_region(region)
        super().__init__(resolve_endpoint(region, endpoint=endpoint, network=network), ECS_API_VERSION, credentials, **kw)
