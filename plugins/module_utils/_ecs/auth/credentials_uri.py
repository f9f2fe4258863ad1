# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``ALIBABA_CLOUD_CREDENTIALS_URI``: temporary keys from a URL (a sidecar or a credentials server), the
last source of Alibaba's default chain. GET, answered with JSON ``{Code: Success, AccessKeyId,
AccessKeySecret, SecurityToken, Expiration}``; fetched again before the keys expire. Direct, like the
metadata service: such a server is local, and a proxy would see the keys. See docs/credentials.md.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.parse
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.imds import get_retried, urllib_http
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import Credentials, parse_expiration
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError, CredentialError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.retry import Backoff

if TYPE_CHECKING:  # annotations only
    import random
    from collections.abc import Callable

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.imds import HttpCall
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline

URI_TIMEOUT = 10.0
URI_ATTEMPTS = 4
FIELDS = ("AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration")


def shown_uri(uri: str) -> str:
    """The URI without what may be a secret (a password, a query): scheme, host, port and path."""
    parts = urllib.parse.urlsplit(uri)
    host = parts.hostname or ""
    if parts.port:
        host = "%s:%d" % (host, parts.port)
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


class CredentialsUri(object):
    """Keys from ``uri``; errors name the URI without its query or password."""

    def __init__(self, uri: str, variable: str, http: HttpCall | None = None, timeout: float = URI_TIMEOUT,
                 attempts: int = URI_ATTEMPTS, sleep: Callable[[float], object] = time.sleep,
                 rng: random.Random | None = None) -> None:
        parts = urllib.parse.urlsplit(uri)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError("%s must be an http:// or https:// URL, got %r" % (variable, shown_uri(uri) or uri[:40]))
        # urllib takes no user:password@ in a URL: it goes as basic authentication.
        self.uri = urllib.parse.urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, parts.query, ""))
        self._headers = {"Accept": "application/json"}
        if parts.username is not None:
            pair = "%s:%s" % (urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))
            self._headers["Authorization"] = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
        self.shown = shown_uri(uri)
        self._http = http or urllib_http
        self._timeout = timeout
        self._attempts = max(1, int(attempts))
        self._sleep = sleep
        self._backoff = Backoff(rng=rng)

    def fetch(self, source: str, deadline: Deadline | None = None) -> Credentials:
        """Keys from the URI, within ``deadline``; errors name ``source``."""
        body, problem = get_retried(self._http, self.uri, self._headers, self._timeout, self._attempts,
                                    self._sleep, self._backoff, "GET %s" % self.shown, deadline)
        if problem is not None:
            raise CredentialError("%s: %s" % (source, problem), tried=[source])
        try:
            answer = json.loads(body)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise CredentialError("%s: the answer of %s is not a JSON object" % (source, self.shown), tried=[source])
        if answer.get("Code") != "Success":
            raise CredentialError("%s: %s answered Code=%s" % (source, self.shown, str(answer.get("Code"))[:64]),
                                  tried=[source])
        missing = [name for name in FIELDS if not answer.get(name)]
        if missing:
            raise CredentialError("%s: the answer of %s lacks %s" % (source, self.shown, ", ".join(missing)), tried=[source])
        expiration = parse_expiration(answer.get("Expiration"))
        if expiration is None:
            raise CredentialError("%s: the answer of %s has an Expiration that is not an ISO 8601 time" % (source, self.shown),
                                  tried=[source])
        return Credentials(answer["AccessKeyId"], answer["AccessKeySecret"], answer["SecurityToken"], expiration, source)
