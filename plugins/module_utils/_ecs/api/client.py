# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A signed client for the Alibaba Cloud RPC API (ECS 2014-05-26): the facade
that composes request assembly (request.py), the HTTP side (transport.py) and
answer reading (responses.py), with retries, the adaptive rate limit and the
call counters. Every failure is an ``errors.ApiError``. See
docs/architecture.md ("The client and credentials") for which actions are
retried.
"""

from __future__ import annotations

import os
import threading
import time
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.endpoints import resolve_endpoint, validate_region
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.http_lib import HAS_REQUESTS
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.request import SIGNATURE_VERSIONS, RequestSigner, flatten_params
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.responses import AnswerReader, Decoded
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.retry import (
    DEFAULT_MAX_ATTEMPTS, AdaptiveRateLimiter, Backoff, retry_with_backoff,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.transport import Transport
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError, CredentialError, is_throttling
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.redact import Redactor

if TYPE_CHECKING:  # annotations only
    import random
    from collections.abc import Callable, Mapping
    from typing import Any

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import CredentialsProvider
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline

ECS_API_VERSION = "2014-05-26"
READ_ONLY_ACTION_PREFIXES = ("Describe",)
# A call may start this long after its deadline (the last poll of a wait is due right at it), no later.
DEADLINE_GRACE = 1.0
# Before the first valid ECS answer these say "wrong endpoint", not "passing trouble".
WRONG_ENDPOINT_CODES = ("ConnectionError", "ConnectTimeout", "SSLError", "InvalidResponse", "ProxyError")


def is_read_only_action(action: str) -> bool:
    return action.startswith(READ_ONLY_ACTION_PREFIXES)


def retry_allowed(action: str, error: ApiError, idempotent: tuple = ()) -> bool:
    """Whether ``error`` from ``action`` may be retried (docs/architecture.md says which).

    ``idempotent`` names other actions as safe to repeat as a Describe
    (AssumeRole: a second call only issues other keys).
    """
    if not error.retryable:
        return False
    if is_read_only_action(action) or action in idempotent:
        return True
    return is_throttling(error.code) or not error.request_sent


class CountingClient(object):
    """What every client of the collection keeps: its call counters, whether a valid answer has come back
    (``answered``), and its keys, asked of its credentials provider with the call's deadline."""

    endpoint_url: str
    _credentials: CredentialsProvider | None

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._api_calls = 0
        self._retries = 0
        self._calls_by_action: dict[str, int] = {}
        self.answered = False  # a valid answer of the API has come back

    @property
    def api_calls(self) -> int:
        """HTTP requests sent, retries included."""
        with self._lock:
            return self._api_calls

    @property
    def calls_by_action(self) -> dict:
        with self._lock:
            return dict(self._calls_by_action)

    @property
    def retries(self) -> int:
        with self._lock:
            return self._retries

    def _count(self, name, action=None):
        with self._lock:
            setattr(self, name, getattr(self, name) + 1)
            if action is not None:
                self._calls_by_action[action] = self._calls_by_action.get(action, 0) + 1

    def _credentials_for(self, action, deadline):
        if self._credentials is None:
            return None  # an anonymous client (STS AssumeRoleWithOIDC)
        try:
            return self._credentials.get(deadline)
        except CredentialError as exc:
            if not self.answered:
                raise  # no keys at all: the caller reports the sources it tried
            # Keys that expired in a long wait could not be renewed: an ApiError ends the wait with what it learned.
            raise ApiError("CredentialRefreshFailed", exc.message, action=action, endpoint=self.endpoint_url) from None


class RpcClient(CountingClient):
    """A client for one RPC endpoint; safe to share between threads.

    ``env`` (default ``os.environ``) is where the CA bundle variables and the
    proxy variables are read; ``proxies`` ({scheme: url}) and ``ca_bundle``
    given explicitly win over it. ``validate_certs`` false wins over all.
    ``session``: a ``requests.Session`` to use instead of a new one (tests).
    ``credentials`` None makes anonymous calls; ``secret_params`` names
    parameters whose values are masked like a secret in what an answer echoes.
    """

    def __init__(self, endpoint_url: str, version: str, credentials: CredentialsProvider | None, signature_version: str = "v1",
                 validate_certs: bool = True, connect_timeout: float = 5.0, read_timeout: float = 20.0,
                 max_attempts: int = DEFAULT_MAX_ATTEMPTS, session: Any = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], object] = time.sleep,
                 rng: random.Random | None = None, rate_limiter: AdaptiveRateLimiter | None = None, user_agent: str | None = None,
                 env: Mapping[str, str] | None = None, proxies: dict | None = None,
                 ca_bundle: str | None = None, idempotent_actions: tuple = (), secret_params: tuple = ()) -> None:
        if not HAS_REQUESTS:
            raise ConfigError("The Python library 'requests' is required to call the Alibaba Cloud API: "
                              "install it where the module runs (pip install requests).")
        if signature_version not in SIGNATURE_VERSIONS:
            raise ConfigError("Invalid signature_version %r: use v1 or v3" % (signature_version,), option="signature_version")
        super().__init__()
        self.endpoint_url = endpoint_url.rstrip("/")
        self.version = version
        self.signature_version = signature_version
        self.validate_certs = validate_certs
        self.transport = Transport(self.endpoint_url, os.environ if env is None else env, validate_certs=validate_certs,
                                   ca_bundle=ca_bundle, proxies=proxies, connect_timeout=connect_timeout,
                                   read_timeout=read_timeout, session=session, user_agent=user_agent)
        self._signer = RequestSigner(self.endpoint_url, version, signature_version)
        self._reader = AnswerReader(self.endpoint_url, self.transport.proxy)
        self.max_attempts = max(1, int(max_attempts))
        self._idempotent = tuple(idempotent_actions)
        self._secret_params = tuple(secret_params)
        self._credentials = credentials
        self._clock = clock
        self._sleep = sleep
        self._backoff = Backoff(rng=rng)
        self._limiter = rate_limiter or AdaptiveRateLimiter(clock=clock, sleep=sleep)
        self._throttled = 0
        self.last_access_key_id: str | None = None  # the AccessKeyId of the last call signed (no secret): who called

    @property
    def connect_timeout(self) -> float:
        return self.transport.connect_timeout

    @property
    def read_timeout(self) -> float:
        return self.transport.read_timeout

    @property
    def proxy(self) -> str | None:
        """The proxy in use for the endpoint, without any password; None when direct."""
        return self.transport.proxy

    def __repr__(self) -> str:
        return "%s(endpoint_url=%r, version=%r, signature_version=%r)" % (
            type(self).__name__, self.endpoint_url, self.version, self.signature_version)

    def close(self) -> None:
        self.transport.close()

    @property
    def throttled(self) -> int:
        """Throttling answers received."""
        with self._lock:
            return self._throttled

    # Calls ----------------------------------------------------------------
    def call(self, action: str, params: dict | None = None, deadline: Deadline | None = None,
             check: Callable[[dict], str | None] | None = None) -> dict:
        """Call ``action`` and return its parsed JSON answer; raise ApiError on any failure.

        ``deadline`` (deadline.py, on its own clock): no retry sleeps past it
        and each attempt, answer and credential refresh included, is cut to the time
        left. ``check(answer)`` returns why a 2xx answer is not a valid answer
        of ``action`` (or None): such an answer is an InvalidResponse, retried
        like a passing failure.

        Until a first valid answer has come from the endpoint, a failure that
        says "this is not the ECS API" (refused, unknown host, TLS, proxy, not
        the API's answer) is final once the retries are spent: a wrong
        endpoint fails in seconds instead of being polled until the timeout.
        """
        if deadline is not None and deadline.passed(DEADLINE_GRACE):
            # A loop of calls (paging) must not run on past its deadline one quick call at a time.
            raise ApiError("DeadlineExceeded", "the time allowed ran out %.1fs before this call to %s could start" % (
                -deadline.left(), self.endpoint_url), action=action, endpoint=self.endpoint_url)
        flat = flatten_params(params)
        attempt = retry_with_backoff(
            max_attempts=self.max_attempts, backoff=self._backoff,
            should_retry=lambda e: isinstance(e, ApiError) and retry_allowed(action, e, self._idempotent),
            sleep=self._sleep, on_retry=lambda *a: self._count("_retries"), retry_on=(ApiError,),
        )(self._attempt)
        try:
            return attempt(action, flat, deadline=deadline, check=check)
        except ApiError as error:
            if not self.answered and error.code in WRONG_ENDPOINT_CODES:
                error.make_permanent("no valid answer has come from %s yet: check the endpoint" % self.endpoint_url)
            raise

    def _attempt(self, action, params, deadline=None, check=None):
        creds = self._credentials_for(action, deadline)
        # Taken before the token: a request that queued for its token before a cut is still of the old rate.
        requested_at = self._clock()
        self._limiter.acquire(deadline)
        url, headers, signature = self._signer.prepare(action, params, creds)
        self.last_access_key_id = getattr(creds, "access_key_id", None)
        answer = self.transport.post(url, headers, action, deadline, on_send=lambda: self._count("_api_calls", action))
        redact = Redactor.for_credentials(creds, signature, *(params.get(name) for name in self._secret_params))
        if answer.unreadable is not None:
            raise self._reader.invalid(action, answer.response, b"", answer.unreadable, redact)
        return self._parse(answer.response, answer.body, action, creds, redact, requested_at, check)

    def _parse(self, response, content, action, creds, redact, requested_at, check):
        self._reader.refuse_unfollowable(response, action, redact)
        decoded = Decoded(response.status_code, content)
        if decoded.throttled:
            self._count("_throttled")
        self._limiter.on_response(decoded.throttled, requested_at=requested_at)
        if decoded.service_error:
            self.answered = True
            source = getattr(creds, "source", None) or getattr(self._credentials, "source", None)
            raise self._reader.service_error(decoded, action, redact, source, getattr(creds, "access_key_id", None))
        why = self._reader.problem(decoded, check)
        if why is None:
            self.answered = True
            return decoded.data
        raise self._reader.invalid(action, response, content, why, redact)


class EcsClient(RpcClient):
    """The ECS API (version 2014-05-26) of one region."""

    def __init__(self, region: str, credentials: CredentialsProvider, endpoint: str | None = None, **kw: Any) -> None:
        self.region = validate_region(region)
        super().__init__(resolve_endpoint(region, endpoint=endpoint), ECS_API_VERSION, credentials, **kw)
