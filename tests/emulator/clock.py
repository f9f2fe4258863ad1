# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The virtual clock: epoch seconds that run `scale` times faster than real time.

Virtual time starts at the real wall-clock time of the emulator's start, so
times in answers look current; `advance()` jumps it forward for tests that
must not wait.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime, timezone

API_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
MINUTE_TIME_FORMAT = "%Y-%m-%dT%H:%MZ"
# The service answers CreationTime / FinishedTime to the minute (every sample of the pages).
PRECISIONS = {"minute": MINUTE_TIME_FORMAT, "second": API_TIME_FORMAT}
DEFAULT_PRECISION = "minute"
_API_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z")


class VirtualClock:
    def __init__(self, scale=1.0, wall=time.time, monotonic=time.monotonic):
        if scale < 0:
            raise ValueError("time scale must be >= 0")
        self.scale = float(scale)
        self._wall = wall
        self._monotonic = monotonic
        self._anchor_wall = wall()
        self._anchor_mono = monotonic()
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self):
        """Virtual epoch seconds."""
        with self._lock:
            offset = self._offset
        return self._anchor_wall + (self._monotonic() - self._anchor_mono) * self.scale + offset

    def real_now(self):
        return self._wall()

    def advance(self, seconds):
        with self._lock:
            self._offset += float(seconds)

    def real_time_of(self, virtual):
        """Real epoch seconds at which the virtual clock reads `virtual` (None: never)."""
        now_v = self.now()
        now_r = self.real_now()
        if virtual <= now_v:
            return now_r - ((now_v - virtual) / self.scale if self.scale else 0.0)
        if not self.scale:
            return None
        return now_r + (virtual - now_v) / self.scale


def format_api_time(epoch, precision="second"):
    """The API's own format, to the second or (as the service answers) to the minute, truncated."""
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime(PRECISIONS[precision])


def parse_api_time(text):
    """yyyy-MM-ddTHH:mm:ssZ or yyyy-MM-ddTHH:mmZ (UTC) -> epoch seconds, else None."""
    if not isinstance(text, str) or not _API_TIME.fullmatch(text):
        return None
    for fmt in (API_TIME_FORMAT, MINUTE_TIME_FORMAT):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=timezone.utc).timestamp()
        except (TypeError, ValueError):
            continue
    return None
