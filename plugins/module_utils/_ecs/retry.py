# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retries with full-jitter exponential backoff, bounded by attempts and by the
caller's deadline (deadline.py), as a decorator; and the adaptive client-side rate limit (a
token bucket cut on throttling, CUBIC recovery). Below the API client and the credential
sources, which both retry. See docs/architecture.md ("The client and credentials").
"""

from __future__ import annotations

import collections
import functools
import random
import threading
import time
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import is_throttling

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable
    from typing import Any

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline

DEFAULT_MAX_ATTEMPTS = 5
BASE_DELAY = 0.1
THROTTLE_BASE_DELAY = 0.5
MAX_DELAY = 20.0


def _is_retryable(error):
    return bool(getattr(error, "retryable", False))


def _is_throttle(error):
    return is_throttling(getattr(error, "code", None))


def _note_attempts(error, attempts):
    note = getattr(error, "with_attempts", None)
    if callable(note):
        note(attempts)
    return error


class Backoff:
    """Full-jitter exponential delays; ``rng`` injectable so tests are deterministic."""

    def __init__(self, base: float = BASE_DELAY, throttle_base: float = THROTTLE_BASE_DELAY, cap: float = MAX_DELAY,
                 rng: random.Random | None = None) -> None:
        self.base = base
        self.throttle_base = throttle_base
        self.cap = cap
        self.rng = rng or random.Random()

    def ceiling(self, retry_number: int, throttled: bool = False) -> float:
        """The largest delay before retry ``retry_number`` (0 for the first retry)."""
        base = self.throttle_base if throttled else self.base
        # Cap the exponent too: 2 ** 1000 overflows a float multiplication.
        return min(self.cap, base * (2 ** min(retry_number, 62)))

    def delay(self, retry_number: int, throttled: bool = False) -> float:
        return self.rng.uniform(0, self.ceiling(retry_number, throttled))


def call_with_retries(func: Callable[[], Any], max_attempts: int = DEFAULT_MAX_ATTEMPTS, deadline: Deadline | None = None,
                      backoff: Backoff | None = None, should_retry: Callable[[BaseException], bool] = _is_retryable,
                      is_throttle: Callable[[BaseException], bool] = _is_throttle,
                      sleep: Callable[[float], object] = time.sleep, on_retry: Callable[[BaseException, int, float], object] | None = None,
                      retry_on: tuple = (Exception,)) -> Any:
    """Call ``func()`` until it returns, the error is not retryable, attempts run out or the deadline would pass.

    The error raised at the end is the last one, told how many attempts were
    made (``with_attempts``) when it supports it. ``on_retry(error, attempt, delay)``
    runs before each sleep.
    """
    backoff = backoff or Backoff()
    attempt = 0
    while True:
        attempt += 1
        try:
            return func()
        except retry_on as error:
            if attempt >= max_attempts or not should_retry(error):
                raise _note_attempts(error, attempt)
            delay = backoff.delay(attempt - 1, throttled=is_throttle(error))
            if deadline is not None and delay >= deadline.left():
                # Sleeping would end past the deadline: better to report now.
                raise _note_attempts(error, attempt)
            if on_retry is not None:
                on_retry(error, attempt, delay)
            sleep(delay)


def retry_with_backoff(max_attempts: int = DEFAULT_MAX_ATTEMPTS, backoff: Backoff | None = None,
                       should_retry: Callable[[BaseException], bool] = _is_retryable,
                       is_throttle: Callable[[BaseException], bool] = _is_throttle,
                       sleep: Callable[[float], object] = time.sleep, on_retry: Callable[[BaseException, int, float], object] | None = None,
                       retry_on: tuple = (Exception,)) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator form of :func:`call_with_retries`.

    The decorated function's ``deadline`` keyword argument, when the caller
    passes one, bounds the retries too (it is still handed to the function,
    which may use it for its own timeouts)::

        @retry_with_backoff(max_attempts=3)
        def describe(params, deadline=None): ...

        describe(params, deadline=Deadline.after(30))
    """
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return call_with_retries(
                lambda: func(*args, **kwargs), max_attempts=max_attempts, deadline=kwargs.get("deadline"),
                backoff=backoff, should_retry=should_retry, is_throttle=is_throttle, sleep=sleep,
                on_retry=on_retry, retry_on=retry_on)
        return wrapper
    return decorate


def cubic_rate(w_max: float, elapsed: float, beta: float = 0.7, scale: float = 0.4) -> float:
    """The CUBIC send rate ``elapsed`` seconds after a throttle at rate ``w_max``.

    It starts at ``beta * w_max``, climbs back to ``w_max`` quickly, stays
    near it for a while (the curve is flat there) and only then grows faster:
    ``scale * (elapsed - k) ** 3 + w_max`` with ``k`` the time it takes to get
    back to ``w_max``. Same constants as botocore's adaptive retry mode.
    """
    k = (w_max * (1.0 - beta) / scale) ** (1.0 / 3.0)
    return scale * (elapsed - k) ** 3 + w_max


class AdaptiveRateLimiter:
    """A thread-safe token bucket whose rate adapts to throttling answers (CUBIC).

    ``acquire()`` before each send (it may sleep); ``on_response(throttled,
    requested_at)`` after each answer. Unlimited until the first throttle. A
    throttle remembers the rate it came at (``w_max``: the lower of the
    current limit and the measured send rate, or ``start_rate`` when nothing
    was measured) and cuts the limit to ``beta * w_max``; successes then let
    it follow :func:`cubic_rate`, which comes back to ``w_max`` fast and grows
    slowly near it, so a limit just above the service's rarely overshoots it
    for long. Above ``w_max`` the limit never runs ahead of twice the measured
    send rate: a client that sends little does not build up a burst.

    Several requests are in flight or queued when a throttle answers: a
    throttle for a request that asked for its token before the last cut
    (``requested_at``, on this limiter's clock) is already answered by that
    cut and does not cut again, as TCP cuts once per loss event. Waiters reserve their token under the lock and sleep
    outside it, so concurrent callers queue in order without holding each
    other up.
    """

    WINDOW = 2.0  # seconds over which the send rate is measured

    def __init__(self, min_rate: float = 0.5, start_rate: float = 10.0, beta: float = 0.7, scale: float = 0.4,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], object] = time.sleep) -> None:
        self.min_rate = float(min_rate)
        self.start_rate = float(start_rate)
        self.beta = float(beta)
        self.scale = float(scale)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        # The three are set together at the first throttle: None until then (no limit).
        self._rate: float | None = None
        self._w_max: float | None = None
        self._cut_time: float | None = None
        self._cuts = 0
        self._tokens = 0.0
        self._last: float | None = None
        self._sent: collections.deque[float] = collections.deque()

    @property
    def rate(self) -> float | None:
        """The allowed sends per second, or None when unlimited."""
        with self._lock:
            return self._rate

    @property
    def w_max(self) -> float | None:
        """The rate at the last throttle, or None before any."""
        with self._lock:
            return self._w_max

    def _measured_rate(self, now):
        while self._sent and now - self._sent[0] > self.WINDOW:
            self._sent.popleft()
        return len(self._sent) / self.WINDOW

    def _refill(self, now):
        if self._last is not None and self._rate:
            self._tokens = min(max(1.0, self._rate), self._tokens + (now - self._last) * self._rate)
        self._last = now

    def acquire(self, deadline: Deadline | None = None) -> float:
        """Take a token, sleeping if needed (never past ``deadline``); returns the seconds slept.

        A caller queued for a token when the rate is cut queues again at the
        new rate: its place was reserved at a rate the service just refused.
        """
        slept = 0.0
        with self._lock:
            now = self._clock()
            self._sent.append(now)
            self._measured_rate(now)  # drops old send times: memory stays bounded
        while True:
            with self._lock:
                now = self._clock()
                if self._rate is None:
                    return slept
                self._refill(now)
                self._tokens -= 1.0
                wait = -self._tokens / self._rate if self._tokens < 0 else 0.0
                cuts = self._cuts
            if deadline is not None:
                wait = deadline.cap(wait)
            if wait <= 0:
                return slept
            self._sleep(wait)
            slept += wait
            with self._lock:
                if self._cuts == cuts:
                    return slept

    def on_response(self, throttled: bool, requested_at: float | None = None) -> None:
        with self._lock:
            now = self._clock()
            self._refill(now)
            measured = self._measured_rate(now)
            if throttled:
                if self._cut_time is not None and requested_at is not None and requested_at < self._cut_time:
                    return
                base = min(measured or self.start_rate, self._rate or float("inf"))
                self._w_max = max(self.min_rate, base)
                self._cut_time = now
                self._rate = max(self.min_rate, self._w_max * self.beta)
                self._tokens = 0.0  # no burst after a cut; callers queued at the old rate queue again
                self._cuts += 1
            elif self._w_max is not None and self._cut_time is not None:
                rate = cubic_rate(self._w_max, now - self._cut_time, self.beta, self.scale)
                self._rate = max(self.min_rate, min(rate, max(self._w_max, 2.0 * measured)))
