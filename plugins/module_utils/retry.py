# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retries with jittered exponential backoff, and an adaptive client-side rate limit.

The backoff follows the official Alibaba SDK (100 ms doubling, 500 ms for
throttling, capped at 20 s) with "full jitter" as amazon.aws
``AWSRetry.jittered_backoff`` and botocore do: each sleep is uniform in
``[0, min(cap, base * 2**n)]``. Retries stop at ``max_attempts`` or at the
caller's deadline (an absolute time on the injected monotonic clock),
whichever comes first: the loop never sleeps past the deadline.

``AdaptiveRateLimiter`` is a token bucket in the spirit of botocore's
adaptive retry mode, with a simpler increase rule: unlimited until the first
throttling answer, then the send rate is cut, and successes raise it again
gradually until the limit lifts.
"""

from __future__ import annotations

import collections
import functools
import random
import threading
import time

DEFAULT_MAX_ATTEMPTS = 5
BASE_DELAY = 0.1
THROTTLE_BASE_DELAY = 0.5
MAX_DELAY = 20.0


def _is_retryable(error):
    return bool(getattr(error, "retryable", False))


def _is_throttle(error):
    return (getattr(error, "code", None) or "").startswith("Throttling")


def _note_attempts(error, attempts):
    note = getattr(error, "with_attempts", None)
    if callable(note):
        note(attempts)
    return error


class Backoff:
    """Full-jitter exponential delays; ``rng`` injectable so tests are deterministic."""

    def __init__(self, base=BASE_DELAY, throttle_base=THROTTLE_BASE_DELAY, cap=MAX_DELAY, rng=None):
        self.base = base
        self.throttle_base = throttle_base
        self.cap = cap
        self.rng = rng or random.Random()

    def ceiling(self, retry_number, throttled=False):
        """The largest delay before retry ``retry_number`` (0 for the first retry)."""
        base = self.throttle_base if throttled else self.base
        # Cap the exponent too: 2 ** 1000 overflows a float multiplication.
        return min(self.cap, base * (2 ** min(retry_number, 62)))

    def delay(self, retry_number, throttled=False):
        return self.rng.uniform(0, self.ceiling(retry_number, throttled))


def call_with_retries(func, max_attempts=DEFAULT_MAX_ATTEMPTS, deadline=None, backoff=None, should_retry=_is_retryable,
                      is_throttle=_is_throttle, clock=time.monotonic, sleep=time.sleep, on_retry=None, retry_on=(Exception,)):
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
            if deadline is not None and clock() + delay >= deadline:
                # Sleeping would end past the deadline: better to report now.
                raise _note_attempts(error, attempt)
            if on_retry is not None:
                on_retry(error, attempt, delay)
            sleep(delay)


def retry_with_backoff(max_attempts=DEFAULT_MAX_ATTEMPTS, backoff=None, should_retry=_is_retryable, is_throttle=_is_throttle,
                       clock=time.monotonic, sleep=time.sleep, on_retry=None, retry_on=(Exception,)):
    """Decorator form of :func:`call_with_retries`.

    The decorated function's ``deadline`` keyword argument, when the caller
    passes one, bounds the retries too (it is still handed to the function,
    which may use it for its own timeouts)::

        @retry_with_backoff(max_attempts=3)
        def describe(params, deadline=None): ...

        describe(params, deadline=clock() + 30)
    """
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return call_with_retries(
                lambda: func(*args, **kwargs), max_attempts=max_attempts, deadline=kwargs.get("deadline"),
                backoff=backoff, should_retry=should_retry, is_throttle=is_throttle, clock=clock, sleep=sleep,
                on_retry=on_retry, retry_on=retry_on)
        return wrapper
    return decorate


class AdaptiveRateLimiter:
    """A thread-safe token bucket whose rate adapts to throttling answers.

    ``acquire()`` before each send (it may sleep); ``on_response(throttled)``
    after each answer. Unlimited until the first throttle; a throttle sets
    the rate to ``decrease`` times the lower of the current rate and the
    measured send rate (at least ``min_rate``). Successes then let it grow
    back with the time since that throttle, doubling every ``doubling``
    seconds (time-based like botocore's CUBIC, so a client that sends little
    is not held back for long); once it reaches ``max_rate`` the limit lifts.
    Waiters reserve their token under the lock and sleep outside it, so
    concurrent callers queue in order without holding each other up.
    """

    WINDOW = 2.0  # seconds over which the send rate is measured

    def __init__(self, min_rate=0.5, max_rate=50.0, start_rate=10.0, decrease=0.5, doubling=2.0,
                 clock=time.monotonic, sleep=time.sleep):
        self.min_rate = float(min_rate)
        self.max_rate = float(max_rate)
        self.start_rate = float(start_rate)
        self.decrease = decrease
        self.doubling = float(doubling)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._rate = None  # None: no limit
        self._cut_rate = None
        self._cut_time = None
        self._tokens = 0.0
        self._last = None
        self._sent = collections.deque(maxlen=256)

    @property
    def rate(self):
        """The allowed sends per second, or None when unlimited."""
        with self._lock:
            return self._rate

    def _measured_rate(self, now):
        recent = [t for t in self._sent if now - t <= self.WINDOW]
        return len(recent) / self.WINDOW if recent else None

    def _refill(self, now):
        if self._last is not None and self._rate:
            self._tokens = min(max(1.0, self._rate), self._tokens + (now - self._last) * self._rate)
        self._last = now

    def acquire(self, deadline=None):
        """Take a token, sleeping if needed (never past ``deadline``); returns the seconds slept."""
        with self._lock:
            now = self._clock()
            self._sent.append(now)
            if self._rate is None:
                return 0.0
            self._refill(now)
            self._tokens -= 1.0
            wait = -self._tokens / self._rate if self._tokens < 0 else 0.0
        if deadline is not None:
            wait = min(wait, max(0.0, deadline - now))
        if wait > 0:
            self._sleep(wait)
        return wait

    def on_response(self, throttled):
        with self._lock:
            now = self._clock()
            self._refill(now)
            if throttled:
                candidates = [r for r in (self._rate, self._measured_rate(now)) if r]
                base = min(candidates) if candidates else self.start_rate
                self._rate = self._cut_rate = max(self.min_rate, base * self.decrease)
                self._cut_time = now
                self._tokens = min(self._tokens, 0.0)
            elif self._rate is not None:
                grown = self._cut_rate * 2 ** min(64.0, (now - self._cut_time) / self.doubling)
                self._rate = max(self._rate, grown)
                if self._rate >= self.max_rate:
                    self._rate = None
                    self._tokens = 0.0
