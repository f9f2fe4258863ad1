# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Credentials and the providers that hand them out; no secret in any repr."""

from __future__ import annotations

import calendar
import threading
import time

from ansible_collections.alicloud.ecs.plugins.module_utils.errors import AlicloudError

REFRESH_MARGIN = 300.0


def mask_key_id(value):
    """``LTAI5tAbcdEf1234`` -> ``LTAI****1234``; short ids show nothing."""
    value = value or ""
    if len(value) >= 12:
        return "%s****%s" % (value[:4], value[-4:])
    return "****"


def parse_expiration(value):
    """``2024-05-01T10:00:00Z`` -> epoch seconds; None when absent or unreadable."""
    if not value:
        return None
    for pattern in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ"):
        try:
            return float(calendar.timegm(time.strptime(str(value), pattern)))
        except ValueError:
            continue
    return None


class Credentials(object):
    """One set of keys. Its repr shows the masked key id, never the secret or token."""

    __slots__ = ("access_key_id", "access_key_secret", "security_token", "expiration", "source")

    def __init__(self, access_key_id, access_key_secret, security_token=None, expiration=None, source=""):
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
    """Gives credentials from one source: ``.get()`` and ``.source``."""

    source = ""

    def get(self):
        raise NotImplementedError

    def __repr__(self):
        return "<%s source=%r>" % (type(self).__name__, self.source)


class StaticCredentialsProvider(CredentialsProvider):
    """Keys that do not change (options, environment, AK / StsToken profiles)."""

    def __init__(self, credentials):
        self._credentials = credentials
        self.source = credentials.source

    def get(self):
        return self._credentials


class RefreshingCredentialsProvider(CredentialsProvider):
    """Caches what ``fetch()`` returns and fetches again shortly before it expires.

    When a refresh fails while the cached keys are still valid, the cached keys
    are returned (the next call tries again); once they have expired the error
    is raised. One lock: concurrent callers share one fetch.
    """

    def __init__(self, fetch, source, clock=time.time, margin=REFRESH_MARGIN):
        self._fetch = fetch
        self.source = source
        self._clock = clock
        self._margin = margin
        self._lock = threading.Lock()
        self._cached = None
        self._refresh_at = 0.0

    def get(self):
        with self._lock:
            now = self._clock()
            if self._cached is not None and now < self._refresh_at:
                return self._cached
            try:
                fresh = self._fetch()
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
