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
import ipaddress
import json
import math
import os
import socket
import ssl
import threading
import time
import traceback
import uuid
import zlib
from urllib.parse import urlsplit

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import CALL_DEADLINE
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.endpoints import resolve_endpoint, validate_region
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError, CredentialError, is_throttling
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.redact import Redactor
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.retry import (
    DEFAULT_MAX_ATTEMPTS, AdaptiveRateLimiter, Backoff, retry_with_backoff,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.signing import (
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
# A call may start this long after its deadline (the last poll of a wait is due right at it), no later.
DEADLINE_GRACE = 1.0
EXCERPT_CHARS = 160
POOL_SIZE = 16  # the task service calls from a small thread pool
MAX_ANSWER_BYTES = 10 * 1024 * 1024  # no ECS answer comes near this; a bigger one is hostile or not ECS
READ_CHUNK = 64 * 1024
CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
# Before the first valid ECS answer these say "wrong endpoint", not "passing trouble".
WRONG_ENDPOINT_CODES = ("ConnectionError", "ConnectTimeout", "SSLError", "InvalidResponse", "ProxyError")


def is_read_only_action(action):
    return action.startswith(READ_ONLY_ACTION_PREFIXES)


def retry_allowed(action, error, idempotent=()):
    """Whether ``error`` from ``action`` may be retried: see the module docstring.

    ``idempotent`` names other actions as safe to repeat as a Describe
    (AssumeRole: a second call only issues other keys).
    """
    if not error.retryable:
        return False
    if is_read_only_action(action) or action in idempotent:
        return True
    return is_throttling(error.code) or not getattr(error, "request_sent", True)


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
        self.proxy = has(requests.exceptions.ProxyError)
        # The proxy refused our (missing) credentials: urllib3 says so only in text.
        self.proxy_auth = self.proxy and any("407" in str(e) for e in chain)
        self.tls = not self.proxy and has(requests.exceptions.SSLError, ssl.SSLError)
        self.connect_timeout = has(requests.exceptions.ConnectTimeout)
        self.read_timeout = not self.connect_timeout and has(requests.exceptions.ReadTimeout, ReadTimeoutError)
        # Nothing reached the server when the connection never opened.
        self.sent = not (self.connect_timeout or has(NewConnectionError, ConnectionRefusedError, socket.gaierror))
        verify = [e for e in chain if isinstance(e, ssl.SSLCertVerificationError)]
        if self.proxy_auth:
            self.reason = "the proxy answered 407 Proxy Authentication Required"
        elif verify:
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


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("the number %s is out of range" % text[:20])
    return value


def _no_constant(name):
    raise ValueError("%s is not a JSON number" % name)


def parse_json(content):
    """The JSON value of ``content``; ValueError for anything that is not strict, finite JSON."""
    try:
        return json.loads(content.decode("utf-8"), parse_float=_finite_float, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply") from None


def _strip_userinfo(url):
    """``http://user:pass@proxy:3128`` -> ``http://proxy:3128`` (for messages)."""
    parts = urlsplit(url if "://" in url else "http://" + url)
    host = parts.netloc.rpartition("@")[2]
    return "%s://%s" % (parts.scheme, host)


def _no_proxy_match(host, port, no_proxy):
    """Whether ``host`` is listed in a NO_PROXY value (names, .suffixes, host:port, CIDR, ``*``)."""
    host = (host or "").lower()
    for entry in (no_proxy or "").replace(" ", ",").split(","):
        entry = entry.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return True
        name, _sep, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
        if entry_port and entry_port != str(port):
            continue
        try:
            if ipaddress.ip_address(host) in ipaddress.ip_network(name, strict=False):
                return True
        except ValueError:
            pass
        name = name.lstrip(".")
        if host == name or host.endswith("." + name):
            return True
    return False


def environment_proxies(url, env):
    """The proxy for ``url`` that HTTP(S)_PROXY / ALL_PROXY / NO_PROXY in ``env`` name, as requests would pick it."""
    def get(name):
        return env.get(name.lower()) or env.get(name.upper())
    parts = urlsplit(url)
    if _no_proxy_match(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), get("no_proxy")):
        return {}
    proxy = get("%s_proxy" % parts.scheme) or get("all_proxy")
    return {parts.scheme: proxy} if proxy else {}


def resolve_verify(validate_certs, env, ca_bundle=None):
    """What requests' ``verify`` must be: False, True or a CA bundle path that exists.

    ``validate_certs`` false wins over every variable (requests alone lets
    REQUESTS_CA_BUNDLE override a session's verify=False); a bundle named by
    a variable must exist, or the error names the variable.
    """
    if not validate_certs:
        return False
    named = [("ca_bundle", ca_bundle)] if ca_bundle else [(name, env.get(name)) for name in CA_BUNDLE_VARIABLES if env.get(name)]
    if not named:
        return True
    origin, path = named[0]
    if not os.path.exists(path):
        raise ConfigError("%s names the CA bundle %r, which does not exist: point it at a PEM file (or directory) of CA "
                          "certificates, or unset it to use the default bundle" % (origin, path), option="validate_certs")
    return path


class _Exchange(object):
    """One HTTP exchange, request and whole answer, in a thread the caller waits for at most ``limit`` seconds.

    requests' read timeout bounds each wait for bytes, not the answer: a
    server trickling headers or an endless chunked body would hold a plain
    call for ever. The thread is a daemon and its connection is closed on
    time-out, so an abandoned exchange never keeps the process alive.
    """

    def __init__(self, send):
        self._send = send
        self._done = threading.Event()
        self._cancelled = threading.Event()
        self.response = self.body = self.error = None

    def run(self, limit):
        thread = threading.Thread(target=self._work, name="alicloud-ecs-http", daemon=True)
        thread.start()
        if self._done.wait(limit):
            return True
        self._cancelled.set()
        response = self.response
        if response is not None:
            try:
                response.close()
            except Exception:  # pylint: disable=broad-except
                pass  # closing from another thread may race the reader; it stops either way
        return False

    def _work(self):
        try:
            self.response = self._send()
            self.body = read_body(self.response, self._cancelled)
        except BaseException as exc:  # pylint: disable=broad-except
            self.error = exc
        finally:
            self._done.set()


class AnswerError(Exception):
    """The answer cannot be read as an answer (too large, bad compression)."""


def read_body(response, cancelled=None, limit=MAX_ANSWER_BYTES):
    """The decoded body of a streamed ``response``, at most ``limit`` bytes before and after decompression."""
    encoding = (response.headers.get("Content-Encoding") or "").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    elif encoding in ("", "identity"):
        decoder = None
    else:
        raise AnswerError("a content encoding %r the client did not ask for" % encoding[:40])
    parts, raw_size, size = [], 0, 0
    while not (cancelled is not None and cancelled.is_set()):
        chunk = response.raw.read(READ_CHUNK, decode_content=False)
        if not chunk:
            break
        raw_size += len(chunk)
        if decoder is not None:
            try:
                # max_length: a small compressed chunk never inflates past the cap in memory.
                chunk = decoder.decompress(chunk, limit + 1 - size)
            except zlib.error:
                raise AnswerError("a body whose %s compression is corrupt" % encoding) from None
        size += len(chunk)
        if size > limit or raw_size > limit:
            raise AnswerError("an answer larger than %d MiB" % (limit // (1024 * 1024)))
        parts.append(chunk)
    return b"".join(parts)


class RpcClient:
    """A client for one RPC endpoint; safe to share between threads.

    ``env`` (default ``os.environ``) is where the CA bundle variables and the
    proxy variables are read; ``proxies`` ({scheme: url}) and ``ca_bundle``
    given explicitly win over it. ``validate_certs`` false wins over all.
    """

    def __init__(self, endpoint_url, version, credentials, signature_version="v1", validate_certs=True,
                 connect_timeout=5.0, read_timeout=20.0, max_attempts=DEFAULT_MAX_ATTEMPTS, session=None,
                 clock=time.monotonic, sleep=time.sleep, rng=None, rate_limiter=None, user_agent=None,
                 env=None, proxies=None, ca_bundle=None, idempotent_actions=()):
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
        env = os.environ if env is None else env
        self._verify = resolve_verify(validate_certs, env, ca_bundle)
        self._proxies = dict(proxies) if proxies is not None else environment_proxies(self.endpoint_url, env)
        self.connect_timeout = float(connect_timeout)
        self.read_timeout = float(read_timeout)
        self.max_attempts = max(1, int(max_attempts))
        self._idempotent = tuple(idempotent_actions)
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
        self.answered = False  # a valid answer of the API has come back

    def _new_session(self, user_agent):
        session = requests.Session()
        session.verify = self._verify
        # Proxies and CA bundle come from self: the process environment must not
        # override what the task's own environment and options said (nor .netrc add a password).
        session.trust_env = False
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=POOL_SIZE)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        session.headers["User-Agent"] = user_agent or "alicloud.ecs-ansible python-requests/%s" % requests.__version__
        session.headers["Accept"] = "application/json"
        return session

    @property
    def proxy(self):
        """The proxy in use for the endpoint, without any password; None when direct."""
        proxy = self._proxies.get(urlsplit(self.endpoint_url).scheme)
        return _strip_userinfo(proxy) if proxy else None

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
    def call(self, action, params=None, deadline=None, check=None):
        """Call ``action`` and return its parsed JSON answer; raise ApiError on any failure.

        ``deadline`` is an absolute time on this client's clock: no retry
        sleeps past it and each attempt, answer included, is cut to the time
        left. ``check(answer)`` returns why a 2xx answer is not a valid answer
        of ``action`` (or None): such an answer is an InvalidResponse, retried
        like a passing failure.

        Until a first valid answer has come from the endpoint, a failure that
        says "this is not the ECS API" (refused, unknown host, TLS, proxy, not
        the API's answer) is final once the retries are spent: a wrong
        endpoint fails in seconds instead of being polled until the timeout.
        """
        if deadline is not None and self._clock() > deadline + DEADLINE_GRACE:
            # A loop of calls (paging) must not run on past its deadline one quick call at a time.
            raise ApiError("DeadlineExceeded", "the time allowed ran out %.1fs before this call to %s could start" % (
                self._clock() - deadline, self.endpoint_url), action=action, endpoint=self.endpoint_url)
        flat = flatten_params(params)
        attempt = retry_with_backoff(
            max_attempts=self.max_attempts, backoff=self._backoff, should_retry=lambda e: retry_allowed(action, e, self._idempotent),
            clock=self._clock, sleep=self._sleep, on_retry=lambda *a: self._count("_retries"), retry_on=(ApiError,),
        )(self._attempt)
        try:
            return attempt(action, flat, deadline=deadline, check=check)
        except ApiError as error:
            if not self.answered and error.code in WRONG_ENDPOINT_CODES:
                error.make_permanent("no valid answer has come from %s yet: check the endpoint" % self.endpoint_url)
            raise

    def timeouts(self, deadline=None):
        """(connect, read) timeouts for one attempt, cut to the time left before ``deadline``.

        Each is at least MIN_TIMEOUT, the margin past the deadline an attempt
        may take. The whole attempt (connect, headers and body) is also bounded
        by ``connect + read`` seconds, whatever pace the server sends at.
        """
        connect, read = self.connect_timeout, self.read_timeout
        if deadline is not None:
            left = max(MIN_TIMEOUT, deadline - self._clock())
            connect, read = min(connect, left), min(read, left)
        return connect, read

    def _credentials_for(self, action, deadline):
        # Shared only on the real monotonic clock, the one the STS client keeps.
        token = CALL_DEADLINE.set(deadline if self._clock is time.monotonic else None)
        try:
            return self._credentials.get()
        except CredentialError as exc:
            if not self.answered:
                raise  # no keys at all: the caller reports the sources it tried
            # Keys that expired in a long wait could not be renewed: an ApiError ends the wait with what it learned.
            raise ApiError("CredentialRefreshFailed", exc.message, action=action, endpoint=self.endpoint_url) from None
        finally:
            CALL_DEADLINE.reset(token)

    def _attempt(self, action, params, deadline=None, check=None):
        creds = self._credentials_for(action, deadline)
        # Taken before the token: a request that queued for its token before a cut is still of the old rate.
        requested_at = self._clock()
        self._limiter.acquire(deadline)
        if self.signature_version == "v3":
            url, headers, signature = self._prepare_v3(action, params, creds)
        else:
            url, headers, signature = self._prepare_v1(action, params, creds)
        timeout = self.timeouts(deadline)
        limit = sum(timeout)
        if deadline is not None:
            limit = min(limit, max(MIN_TIMEOUT, deadline - self._clock()))
        self._count("_api_calls", action)
        exchange = _Exchange(lambda: self._session.post(
            url, data=b"", headers=headers, timeout=timeout, stream=True, allow_redirects=False,
            verify=self._verify, proxies=self._proxies))
        failure = None
        if not exchange.run(limit):
            failure = self._timeout_error(action, limit, exchange.response is not None)
        elif isinstance(exchange.error, requests.exceptions.RequestException):
            failure = self._transport_error(_Transport(exchange.error), action, timeout)
        elif isinstance(exchange.error, AnswerError):
            failure = self._invalid(action, exchange.response, b"", str(exchange.error), Redactor.for_credentials(creds, signature))
        elif exchange.error is not None:
            failure = self._transport_error(_Transport(exchange.error), action, timeout)
        # Raised outside any except block so the requests exception, whose text
        # holds the signed URL, is not chained to what callers see.
        if failure is not None:
            raise failure
        return self._parse(exchange.response, exchange.body, action, creds, signature, requested_at, check)

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

    def _timeout_error(self, action, limit, answering):
        if answering:
            what = "began an answer but did not finish it within %.1fs (it sends too slowly or without end)" % limit
        else:
            what = "accepted the connection but sent no answer within %.1fs" % limit
        error = ApiError("ReadTimeout", "%s %s: the service may be overloaded, or the endpoint is not the ECS API"
                         % (self.endpoint_url, what), action=action, endpoint=self.endpoint_url)
        error.request_sent = True
        return error

    def _transport_error(self, transport, action, timeout):
        endpoint = self.endpoint_url
        hint = None
        if transport.proxy:
            code = "ProxyAuthenticationRequired" if transport.proxy_auth else "ProxyError"
            message = "the proxy %s failed for %s (%s)" % (self.proxy or "(from the environment)", endpoint, transport.reason)
            if transport.proxy_auth:
                hint = ("fix the proxy credentials (user:password in HTTPS_PROXY / HTTP_PROXY) or use a proxy "
                        "that needs none; retrying cannot help")
        elif transport.tls:
            code = "SSLError"
            if self._verify is False:
                message = ("the TLS handshake with %s failed (%s) although certificates are not checked: the endpoint "
                           "may not speak TLS" % (endpoint, transport.reason))
                hint = "if the endpoint is plain HTTP, write it with http://, e.g. %s" % endpoint.replace("https://", "http://", 1)
            else:
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
        error = ApiError(code, message, action=action, endpoint=endpoint, hint=hint)
        error.request_sent = transport.sent
        return error

    def _invalid(self, action, response, content, why, redact):
        status = getattr(response, "status_code", None)
        headers = getattr(response, "headers", None) or {}
        excerpt = redact(_excerpt(content)) if content else ""
        message = "%s answered HTTP %s with %s (content type %s)%s; check that the endpoint is the ECS API" % (
            self.endpoint_url, status, why, redact(headers.get("Content-Type", "none")[:80]),
            ": %r" % excerpt if excerpt else "")
        return ApiError("InvalidResponse", message, http_status=status, action=action, endpoint=self.endpoint_url)

    def _parse(self, response, content, action, creds, signature, requested_at=None, check=None):
        status = response.status_code
        redact = Redactor.for_credentials(creds, signature)
        if status == 407:
            raise ApiError("ProxyAuthenticationRequired", "the proxy %s refused the request to %s (HTTP 407)" % (
                self.proxy or "(from the environment)", self.endpoint_url), http_status=status, action=action,
                endpoint=self.endpoint_url, hint="fix the proxy credentials (user:password in HTTPS_PROXY / HTTP_PROXY); retrying cannot help")
        if 300 <= status < 400:
            # Never followed: the signed request, and the V3 token header, would go to whoever is named.
            location = redact(_excerpt((response.headers.get("Location") or "").encode("utf-8", "replace")) or "nowhere")
            raise self._invalid(action, response, b"", "a redirect to %s, which is not followed" % location, redact)
        try:
            data = parse_json(content)
        except ValueError as exc:  # UnicodeDecodeError is a ValueError too
            data, why = None, "a body that is not valid JSON (%s)" % str(exc)[:80]
        ok = 200 <= status < 300
        code = data.get("Code") if isinstance(data, dict) else None
        throttled = bool(not ok and is_throttling(code))
        if throttled:
            self._count("_throttled")
        self._limiter.on_response(throttled, requested_at=requested_at)
        if ok and isinstance(data, dict):
            why = None
            if code is not None:
                why = "an error code %r in an HTTP %s answer" % (str(code)[:60], status)
            elif check is not None:
                why = check(data)
            if why is None:
                self.answered = True
                return data
            raise self._invalid(action, response, content, why, redact)
        if not ok and isinstance(code, str) and code:
            self.answered = True
            message = redact(str(data.get("Message") or ""))
            if code.startswith(AUTH_ERROR_PREFIXES):
                source = getattr(creds, "source", None) or getattr(self._credentials, "source", None)
                if source:
                    message += " (credentials from %s)" % source
            raise ApiError(
                code, message, request_id=_short(data.get("RequestId")), http_status=status, action=action,
                endpoint=self.endpoint_url, host_id=_short(data.get("HostId")),
                recommend=redact(str(data.get("Recommend") or "")) or None)
        if data is not None:
            why = "a JSON document that is not an answer of the API"
        raise self._invalid(action, response, content, why, redact)


def _short(value):
    return value[:100] if isinstance(value, str) else None


def _excerpt(content):
    text = content[:EXCERPT_CHARS * 2].decode("utf-8", "replace")
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text[:EXCERPT_CHARS] + ("..." if len(text) > EXCERPT_CHARS or len(content) > EXCERPT_CHARS * 2 else "")


class EcsClient(RpcClient):
    """The ECS API (version 2014-05-26) of one region."""

    def __init__(self, region, credentials, endpoint=None, network="public", **kw):
        self.region = validate_region(region)
        super().__init__(resolve_endpoint(region, endpoint=endpoint, network=network), ECS_API_VERSION, credentials, **kw)
