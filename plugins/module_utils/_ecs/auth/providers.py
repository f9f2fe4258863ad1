# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Credentials and the providers that hand them out (static, refreshing before expiry); no secret in any repr.
See docs/architecture.md.
"""

from __future__ import annotations

import calendar
import datetime
import re
import threading
import time
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import AlicloudError, CredentialError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline

REFRESH_MARGIN = 300.0


def mask_key_id(value: str | None) -> str:
    """``LTAI5tAbcdEf1234`` -> ``LTAI****1234``; short ids show nothing."""
    value = value or ""
    if len(value) >= 12:
        return "%s****%s" % (value[:4], value[-4:])
    return "****"


_EXPIRATION_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$", re.I)


def parse_expiration(value: object) -> float | None:
    """An ISO 8601 time (``2024-05-01T10:00:00Z``, ``...+08:00``, ``...-0500``, fractions) -> epoch seconds.

    None when absent or unreadable; a time without an offset is UTC, as STS and the metadata service mean it.
    """
    match = _EXPIRATION_RE.match(str(value).strip()) if value else None
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        stamp: float = calendar.timegm(datetime.datetime(int(year), int(month), int(day), int(hour), int(minute),
                                                         int(second or 0)).timetuple())
    except ValueError:
        return None
    stamp += float("0." + fraction) if fraction else 0.0
    if zone and zone.upper() != "Z":
        digits = zone[1:].replace(":", "")
        offset = int(digits[:2]) * 3600 + int(digits[2:4] or 0) * 60
        stamp -= offset if zone[0] == "+" else -offset
    return float(stamp)


def check_key_text(value: str | None, option: str, source: str = "") -> None:
    """Refuse a key id, secret or token that no request can carry (CR/LF, control or non-Latin-1 characters)."""
    if not value:
        return
    where = " (from %s)" % source if source else ""
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise CredentialError("%s%s contains a line break or another control character: copy the value again "
                              "without it (a trailing newline from a file or a paste is the usual cause)" % (option, where),
                              option=option)
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        raise CredentialError("%s%s contains characters outside Latin-1, which an HTTP header cannot carry: Alibaba "
                              "Cloud keys and tokens are plain ASCII, so the value is not a key" % (option, where),
                              option=option) from None


class Credentials(object):
    """One set of keys. Its repr shows the masked key id, never the secret or token."""

    __slots__ = ("access_key_id", "access_key_secret", "security_token", "expiration", "source")

    def __init__(self, access_key_id: str, access_key_secret: str, security_token: str | None = None,
                 expiration: float | None = None, source: str = "") -> None:
        for value, option in ((access_key_id, "access_key"), (access_key_secret, "secret_key"),
                              (security_token, "security_token")):
            check_key_text(value, option, source)
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self.security_token = security_token or None
        self.expiration = expiration
        self.source = source

    def __repr__(self):
        return "Credentials(access_key_id=%r, security_token=%s, expiration=%r, source=%r)" % (
            mask_key_id(self.access_key_id), "set" if self.security_token else "None", self.expiration, self.source)

    __str__ = __repr__


class CredentialsProvider(object):
    """Gives credentials from one source: ``.get(deadline)`` and ``.source``.

    ``deadline``: the end of the call that asked for keys; a refresh (STS, the metadata service) keeps to it.
    ``secrets``: what the source read to get them that is as secret as the keys (an OIDC token), filled as
    it reads, for whoever masks output.
    """

    source = ""
    secrets: set | frozenset = frozenset()

    def get(self, deadline: Deadline | None = None) -> Credentials:
        raise NotImplementedError

    def __repr__(self):
        return "<%s source=%r>" % (type(self).__name__, self.source)


class StaticCredentialsProvider(CredentialsProvider):
    """Keys that do not change (options, environment, AK / StsToken profiles)."""

    def __init__(self, credentials: Credentials) -> None:
        self._credentials = credentials
        self.source = credentials.source

    def get(self, deadline: Deadline | None = None) -> Credentials:
        return self._credentials


class RefreshingCredentialsProvider(CredentialsProvider):
    """Caches what ``fetch(deadline)`` returns and fetches again shortly before it expires.

    When a refresh fails while the cached keys are still valid, the cached keys
    are returned (the next call tries again); once they have expired the error
    is raised. One lock: concurrent callers share one fetch.
    """

    def __init__(self, fetch: Callable[[Deadline | None], Credentials], source: str, clock: Callable[[], float] = time.time,
                 margin: float = REFRESH_MARGIN, secrets: set | None = None) -> None:
        self._fetch = fetch
        self.source = source
        if secrets is not None:
            self.secrets = secrets
        self._clock = clock
        self._margin = margin
        self._lock = threading.Lock()
        self._cached: Credentials | None = None
        self._refresh_at = 0.0

    def get(self, deadline: Deadline | None = None) -> Credentials:
        with self._lock:
            now = self._clock()
            if self._cached is not None and now < self._refresh_at:
                return self._cached
            try:
                fresh = self._fetch(deadline)
            except AlicloudError:
                cached = self._cached
                if cached is not None and (cached.expiration is None or now < cached.expiration):
                    return cached
                raise
            self._cached = fresh
            self._refresh_at = self._next_refresh(fresh, now)
            return fresh

    def _next_refresh(self, credentials, now):
        if credentials.expiration is None:
            return float("inf")
        remaining = credentials.expiration - now
        # Keys that arrive nearly expired are used for half their life rather
        # than fetched again on every call.
        return credentials.expiration - min(self._margin, max(remaining, 0.0) / 2.0)
