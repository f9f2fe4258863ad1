# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ECS instance metadata service: RAM role credentials, IMDSv2 first. See docs/credentials.md."""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import Credentials, parse_expiration
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import CredentialError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.retry import Backoff

if TYPE_CHECKING:  # annotations only
    import random
    from collections.abc import Callable

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline

    # (method, url, headers, timeout) -> (status, text), as urllib_http.
    HttpCall = Callable[[str, str, dict, float], tuple[int, str]]

DEFAULT_METADATA_URL = "http://100.100.100.200"
METADATA_TIMEOUT = 1.0
METADATA_TOKEN_TTL = 21600
METADATA_TOKEN_PATH = "/latest/api/token"
METADATA_ROLE_PATH = "/latest/meta-data/ram/security-credentials/"
ENV_IMDSV1_DISABLED = "ALIBABA_CLOUD_IMDSV1_DISABLED"
# A refresh in a long wait must survive a metadata hiccup (throttling, 5xx, a dropped connection).
METADATA_ATTEMPTS = 4


def urllib_http(method: str, url: str, headers: dict | None = None, timeout: float = METADATA_TIMEOUT) -> tuple[int, str]:
    """Default transport for the metadata service: (status, text); OSError on failure.

    No proxy: the metadata address is link-local and a proxy would answer for
    the wrong machine.
    """
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    data = b"" if method in ("PUT", "POST") else None
    request = urllib.request.Request(url, data=data, headers=dict(headers or {}), method=method)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        try:
            body = exc.read().decode("utf-8", "replace")
        finally:
            exc.close()
        return exc.code, body
    except urllib.error.URLError as exc:
        raise OSError(str(exc.reason)) from None
    except http.client.HTTPException as exc:
        raise OSError("invalid HTTP answer (%s)" % type(exc).__name__) from None


def get_retried(http: HttpCall, url: str, headers: dict, timeout: float, attempts: int, sleep: Callable[[float], object],
                backoff: Backoff, label: str, deadline: Deadline | None = None) -> tuple[str, str | None]:
    """(body, None) of a GET that answered 200, else ("", why): throttling, 5xx and network errors retried
    ``attempts`` times in all, each request and sleep within ``deadline``."""
    problem = ""
    for attempt in range(max(1, attempts)):
        within = timeout if deadline is None else deadline.cap(timeout, floor=0.1)
        status: int | None = None
        try:
            status, body = http("GET", url, headers, within)
        except OSError as exc:
            problem = "%s failed: %s" % (label, str(exc) or type(exc).__name__)
        else:
            if status == 200:
                return body, None
            problem = "%s answered HTTP %s" % (label, status)
        if status is not None and status != 429 and status < 500:
            break  # 404 (no such role) and the like will not change
        if attempt + 1 < attempts:
            delay = backoff.delay(attempt, throttled=status == 429)
            if deadline is not None and delay >= deadline.left():
                break  # sleeping would end past the deadline: better to report now
            sleep(delay)
    if attempt:
        problem += " (after %d attempts)" % (attempt + 1)
    return "", problem


class MetadataService(object):
    """The ECS instance metadata service: IMDSv2 token first, v1 when the token call fails."""

    def __init__(self, base_url: str, http: HttpCall | None = None, clock: Callable[[], float] = time.time,
                 imdsv1_disabled: bool = False, timeout: float = METADATA_TIMEOUT, attempts: int = METADATA_ATTEMPTS,
                 sleep: Callable[[float], object] = time.sleep, rng: random.Random | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._attempts = max(1, int(attempts))
        self._sleep = sleep
        self._backoff = Backoff(rng=rng)
        self._http = http or urllib_http
        self._clock = clock
        self._imdsv1_disabled = imdsv1_disabled
        self._timeout = timeout
        self._token: str | None = None
        self._token_until = 0.0

    def _fail(self, what):
        return CredentialError("the instance metadata service at %s: %s" % (self.base_url, what))

    def _timeout_within(self, deadline):
        """The per-request timeout, cut to what is left of ``deadline`` (never below a tenth of a second)."""
        return self._timeout if deadline is None else deadline.cap(self._timeout, floor=0.1)

    def _session_token(self, deadline=None):
        if self._token and self._clock() < self._token_until:
            return self._token
        headers = {"X-aliyun-ecs-metadata-token-ttl-seconds": str(METADATA_TOKEN_TTL)}
        try:
            status, body = self._http("PUT", self.base_url + METADATA_TOKEN_PATH, headers, self._timeout_within(deadline))
            problem = None if status == 200 and body.strip() else "HTTP %s" % status
        except OSError as exc:
            problem = str(exc) or type(exc).__name__
        if problem is None:
            self._token = body.strip()
            self._token_until = self._clock() + METADATA_TOKEN_TTL - 60
            return self._token
        if self._imdsv1_disabled:
            raise self._fail("the IMDSv2 token request failed (%s) and %s=true forbids IMDSv1" % (problem, ENV_IMDSV1_DISABLED))
        return None

    def get_text(self, path: str, deadline: Deadline | None = None) -> str:
        """The body of GET ``path``; throttling, 5xx and network errors are retried a few times, within ``deadline``."""
        token = self._session_token(deadline)
        headers = {"X-aliyun-ecs-metadata-token": token} if token else {}
        body, problem = get_retried(self._http, self.base_url + path, headers, self._timeout, self._attempts, self._sleep,
                                    self._backoff, "GET %s" % path, deadline)
        if problem is not None:
            raise self._fail(problem)
        return body

    def discover_role(self, deadline: Deadline | None = None) -> str:
        names = self.get_text(METADATA_ROLE_PATH, deadline).split()
        if not names:
            raise self._fail("no RAM role is attached to this instance")
        return names[0]

    def fetch(self, role_name: str | None, source: str, deadline: Deadline | None = None) -> Credentials:
        """Credentials of ``role_name`` (discovered when None), within ``deadline``; errors name ``source``."""
        try:
            return self._fetch(role_name, source, deadline)
        except CredentialError as exc:
            raise CredentialError("%s: %s" % (source, exc.message), tried=[source]) from None

    def _fetch(self, role_name, source, deadline):
        role = role_name or self.discover_role(deadline)
        body = self.get_text(METADATA_ROLE_PATH + urllib.parse.quote(role, safe=""), deadline)
        try:
            answer = json.loads(body)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise self._fail("the answer for role '%s' is not a JSON object" % role)
        if answer.get("Code") != "Success":
            raise self._fail("role '%s' answered Code=%s" % (role, str(answer.get("Code"))[:64]))
        missing = [k for k in ("AccessKeyId", "AccessKeySecret", "SecurityToken") if not answer.get(k)]
        if missing:
            raise self._fail("the answer for role '%s' lacks %s" % (role, ", ".join(missing)))
        return Credentials(answer["AccessKeyId"], answer["AccessKeySecret"], answer["SecurityToken"],
                           parse_expiration(answer.get("Expiration")), source)
