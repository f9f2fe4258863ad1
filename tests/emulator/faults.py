# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Injected faults of the signed API, and the call statistics.

Decisions draw from one seeded generator so a run with --seed repeats.
"""

from __future__ import annotations

import math
import random
import threading
import time

THROTTLE = "throttle"
ERROR = "error"
RESET = "reset"

RATE_FIELDS = ("throttle_rate", "error_rate", "reset_rate")
# page_size_cap: DescribeTasks serves at most this many tasks a page and echoes that PageSize (0: off).
FIELDS = RATE_FIELDS + ("delay_ms", "rate_limit_per_s", "page_size_cap")


class FaultError(ValueError):
    """A fault setting that is not valid (the control API answers 400)."""


class Faults:
    def __init__(self, seed=None, monotonic=time.monotonic):
        self._lock = threading.Lock()
        self._seed = seed
        self._monotonic = monotonic
        self.reset()

    def reset(self):
        with self._lock:
            self._rng = random.Random(self._seed)
            self._settings = dict.fromkeys(FIELDS, 0.0)
            self._tokens = 0.0
            self._last_refill = self._monotonic()

    def settings(self):
        with self._lock:
            return dict(self._settings)

    def update(self, changes):
        """Apply a partial update; unknown or out-of-range fields raise FaultError, nothing changes."""
        if not isinstance(changes, dict):
            raise FaultError("the body must be a JSON object")
        clean = {}
        for name, value in changes.items():
            if name not in FIELDS:
                raise FaultError("unknown field %r (known: %s)" % (name, ", ".join(FIELDS)))
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise FaultError("%s must be a number" % name)
            if name in RATE_FIELDS and not 0 <= value <= 1:
                raise FaultError("%s must be between 0 and 1" % name)
            if value < 0:
                raise FaultError("%s must be >= 0" % name)
            if name == "page_size_cap" and value != int(value):
                raise FaultError("page_size_cap must be a whole number")
            clean[name] = float(value)
        with self._lock:
            if "rate_limit_per_s" in clean and clean["rate_limit_per_s"] != self._settings["rate_limit_per_s"]:
                # A new limit starts with a full bucket.
                self._tokens = max(1.0, clean["rate_limit_per_s"])
                self._last_refill = self._monotonic()
            self._settings.update(clean)
            return dict(self._settings)

    def page_size_cap(self):
        with self._lock:
            return int(self._settings["page_size_cap"])

    def decide(self):
        """(fault or None, error code or None, delay seconds) for one signed call."""
        with self._lock:
            s = self._settings
            delay = s["delay_ms"] / 1000.0
            if s["reset_rate"] and self._rng.random() < s["reset_rate"]:
                return RESET, None, delay
            if s["rate_limit_per_s"] and not self._take_token(s["rate_limit_per_s"]):
                return THROTTLE, "Throttling.User", delay
            if s["throttle_rate"] and self._rng.random() < s["throttle_rate"]:
                return THROTTLE, "Throttling.User", delay
            if s["error_rate"] and self._rng.random() < s["error_rate"]:
                return ERROR, self._rng.choice(("InternalError", "ServiceUnavailable")), delay
            return None, None, delay

    def _take_token(self, rate):
        now = self._monotonic()
        capacity = max(1.0, rate)
        self._tokens = min(capacity, self._tokens + (now - self._last_refill) * rate)
        self._last_refill = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False


class Stats:
    """Signed calls (and OSS requests) by action and by region, DryRun calls, error answers by code (a reset counts as ConnectionReset)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._calls = {}
        self._errors = {}
        self._access_keys = {}
        self._calls_by_region = {}
        self._dry_runs = {}

    def call(self, action, region=None, dry_run=False):
        """One call of `action`; a DryRun counts under dry_runs only; `region` (None: not counted by region)."""
        with self._lock:
            if dry_run:
                self._dry_runs[action] = self._dry_runs.get(action, 0) + 1
                return
            self._calls[action] = self._calls.get(action, 0) + 1
            if region is not None:
                by_region = self._calls_by_region.setdefault(action, {})
                by_region[region] = by_region.get(region, 0) + 1

    def error(self, code):
        with self._lock:
            self._errors[code] = self._errors.get(code, 0) + 1

    def access_key(self, key_id):
        """An authenticated call signed with this AccessKeyId."""
        with self._lock:
            self._access_keys[key_id] = self._access_keys.get(key_id, 0) + 1

    def snapshot(self):
        with self._lock:
            return {"calls": dict(self._calls), "errors": dict(self._errors), "access_keys": dict(self._access_keys),
                    "calls_by_region": {a: dict(r) for a, r in self._calls_by_region.items()},
                    "dry_runs": dict(self._dry_runs)}

    def reset(self):
        with self._lock:
            self._calls.clear()
            self._errors.clear()
            self._access_keys.clear()
            self._calls_by_region.clear()
            self._dry_runs.clear()
