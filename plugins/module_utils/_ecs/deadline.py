# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The end of a run's time: made once where the run starts, passed explicitly to every call below it.

It carries its own clock, so every layer (the engine, the client, STS, the metadata
service) measures the time left the same way. See docs/architecture.md.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable


class Deadline(object):
    """An absolute end (``at``) on a monotonic ``clock``; ``at`` None: no end."""

    __slots__ = ("at", "clock")

    def __init__(self, at: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.at = at
        self.clock = clock

    @classmethod
    def after(cls, seconds: float | None, clock: Callable[[], float] = time.monotonic) -> Deadline:
        """The deadline ``seconds`` from now on ``clock`` (None: no end)."""
        return cls(None if seconds is None else clock() + seconds, clock)

    def left(self) -> float:
        """Seconds until the end (negative once passed; infinite without an end)."""
        return math.inf if self.at is None else self.at - self.clock()

    def passed(self, grace: float = 0.0) -> bool:
        """Whether the end lies more than ``grace`` seconds behind."""
        return self.at is not None and self.clock() > self.at + grace

    def cap(self, seconds: float, floor: float = 0.0) -> float:
        """``seconds``, cut to the time left, but never below ``floor``."""
        return min(seconds, max(floor, self.left()))

    def __repr__(self) -> str:
        return "Deadline(%s)" % ("none" if self.at is None else "%.1fs left" % self.left())


NO_DEADLINE = Deadline(None)
