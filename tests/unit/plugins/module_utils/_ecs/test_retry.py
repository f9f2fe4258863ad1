# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import random
import threading

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.retry import (
    AdaptiveRateLimiter, Backoff, call_with_retries, cubic_rate, retry_with_backoff,
)
from tests.unit.fakes import FakeClock


class MaxRng:
    """Always the top of the interval, so delays equal the ceiling."""

    def uniform(self, low, high):
        return high


def failing(codes, result="ok"):
    """A function failing with the given codes in turn, then returning ``result``."""
    calls = []

    def func(*args, **kwargs):
        calls.append((args, kwargs))
        if len(calls) <= len(codes):
            raise ApiError(codes[len(calls) - 1], "boom", action="DescribeTasks")
        return result
    func.calls = calls
    return func


def test_backoff_ceiling_doubles_and_caps():
    b = Backoff()
    assert [b.ceiling(n) for n in range(4)] == pytest.approx([0.1, 0.2, 0.4, 0.8])
    assert [b.ceiling(n, throttled=True) for n in range(3)] == pytest.approx([0.5, 1.0, 2.0])
    assert b.ceiling(20) == 20.0
    assert b.ceiling(10 ** 6, throttled=True) == 20.0


def test_backoff_full_jitter_stays_in_range():
    b = Backoff(rng=random.Random(7))
    delays = [b.delay(3) for _ignored in range(200)]
    assert all(0 <= d <= 0.8 for d in delays)
    assert min(delays) < 0.2 and max(delays) > 0.6  # spread over the whole interval, not just the top


def test_retries_until_success_with_jittered_sleeps():
    clock = FakeClock()
    func = failing(["InternalError", "ServiceUnavailable"])
    result = call_with_retries(func, backoff=Backoff(rng=MaxRng()), sleep=clock.sleep)
    assert result == "ok"
    assert len(func.calls) == 3
    assert clock.sleeps == pytest.approx([0.1, 0.2])


def test_throttling_uses_the_larger_base():
    clock = FakeClock()
    func = failing(["Throttling.User", "Throttling"])
    call_with_retries(func, backoff=Backoff(rng=MaxRng()), sleep=clock.sleep)
    assert clock.sleeps == pytest.approx([0.5, 1.0])


def test_attempts_exhausted_raises_last_error_with_count():
    clock = FakeClock()
    func = failing(["InternalError"] * 10)
    with pytest.raises(ApiError) as info:
        call_with_retries(func, max_attempts=3, backoff=Backoff(rng=MaxRng()), sleep=clock.sleep)
    assert len(func.calls) == 3
    assert info.value.attempts == 3
    assert info.value.code == "InternalError"
    assert "after 3 attempts" in str(info.value)
    assert len(clock.sleeps) == 2


def test_not_retryable_raises_at_once():
    clock = FakeClock()
    func = failing(["InvalidTaskId.NotFound"])
    with pytest.raises(ApiError) as info:
        call_with_retries(func, sleep=clock.sleep)
    assert len(func.calls) == 1 and clock.sleeps == []
    assert info.value.attempts == 1


def test_never_sleeps_past_the_deadline():
    clock = FakeClock()
    func = failing(["Throttling"] * 10)
    deadline = Deadline(clock() + 2.0, clock)
    with pytest.raises(ApiError) as info:
        call_with_retries(func, max_attempts=10, deadline=deadline, backoff=Backoff(rng=MaxRng()),
                          sleep=clock.sleep)
    # Sleeps 0.5 and 1.0 fit (1.5 s); the next, 2.0, would end past the deadline.
    assert clock.sleeps == pytest.approx([0.5, 1.0])
    assert clock() <= deadline.at
    assert info.value.attempts == 3 and info.value.code == "Throttling"


def test_deadline_already_passed_still_makes_one_attempt():
    clock = FakeClock()
    func = failing(["InternalError"])
    with pytest.raises(ApiError):
        call_with_retries(func, deadline=Deadline(clock() - 1, clock), sleep=clock.sleep)
    assert len(func.calls) == 1 and clock.sleeps == []


def test_on_retry_hook_and_custom_predicates():
    clock = FakeClock()
    seen = []
    func = failing(["Custom", "Custom"])
    call_with_retries(func, should_retry=lambda e: e.code == "Custom", is_throttle=lambda e: True,
                      backoff=Backoff(rng=MaxRng()), sleep=clock.sleep,
                      on_retry=lambda e, n, d: seen.append((e.code, n, d)))
    assert seen == [("Custom", 1, 0.5), ("Custom", 2, 1.0)]


def test_exceptions_outside_retry_on_pass_through():
    clock = FakeClock()

    def func():
        raise KeyError("x")
    with pytest.raises(KeyError):
        call_with_retries(func, retry_on=(ApiError,), should_retry=lambda e: True, sleep=clock.sleep)
    assert clock.sleeps == []


def test_decorator_reads_deadline_and_passes_arguments():
    clock = FakeClock()
    func = failing(["InternalError"] * 10)
    wrapped = retry_with_backoff(max_attempts=10, backoff=Backoff(rng=MaxRng()), sleep=clock.sleep)(func)
    with pytest.raises(ApiError) as info:
        wrapped("DescribeTasks", deadline=Deadline(clock() + 0.35, clock))
    # 0.1 + 0.2 fit in 0.35 s, 0.4 does not.
    assert info.value.attempts == 3
    assert func.calls[0][0] == ("DescribeTasks",) and func.calls[0][1]["deadline"].at == 1000.35
    assert wrapped.__name__ == "func"


def test_decorator_without_deadline_is_bounded_by_count():
    clock = FakeClock()
    func = failing(["InternalError"] * 10)
    wrapped = retry_with_backoff(max_attempts=4, sleep=clock.sleep)(func)
    with pytest.raises(ApiError):
        wrapped()
    assert len(func.calls) == 4


# AdaptiveRateLimiter

def paced_sends(limiter, clock, count, answer=False):
    """``count`` sends through the limiter, each answered at once (``throttled=answer``)."""
    for _ignored in range(count):
        requested_at = clock()
        limiter.acquire()
        limiter.on_response(throttled=answer, requested_at=requested_at)


def test_limiter_unlimited_until_throttled():
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(clock=clock, sleep=clock.sleep)
    for _ignored in range(50):
        assert limiter.acquire() == 0
        limiter.on_response(throttled=False)
    assert limiter.rate is None and limiter.w_max is None and clock.sleeps == []


def test_limiter_cuts_rate_on_throttle_and_paces_sends():
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(start_rate=10, clock=clock, sleep=clock.sleep)
    limiter.on_response(throttled=True)  # nothing measured yet: start_rate cut by beta (0.7)
    assert limiter.w_max == pytest.approx(10.0)
    assert limiter.rate == pytest.approx(7.0)
    waits = [limiter.acquire() for _ignored in range(3)]
    assert waits == pytest.approx([1 / 7.0] * 3)


def test_limiter_uses_measured_rate_and_floor():
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(min_rate=0.5, clock=clock, sleep=clock.sleep)
    for _ignored in range(8):  # 8 sends within the 2 s window: 4 per second
        limiter.acquire()
    limiter.on_response(throttled=True)
    assert limiter.w_max == pytest.approx(4.0)
    assert limiter.rate == pytest.approx(2.8)
    for _ignored in range(10):  # no send time given: each throttle cuts again
        limiter.on_response(throttled=True)
    assert limiter.rate == pytest.approx(0.5)


def test_cubic_rate_comes_back_fast_then_stays_flat_near_the_last_throttle():
    w_max = 20.0
    k = (w_max * 0.3 / 0.4) ** (1 / 3.0)  # about 2.47 s
    assert cubic_rate(w_max, 0.0) == pytest.approx(14.0)  # beta * w_max
    assert cubic_rate(w_max, k) == pytest.approx(w_max)
    # The second around k: within 2% of w_max; the halving-and-doubling rule moved 41% per second there.
    assert cubic_rate(w_max, k - 1) == pytest.approx(w_max - 0.4)
    assert cubic_rate(w_max, k + 1) == pytest.approx(w_max + 0.4)
    assert cubic_rate(w_max, k + 5) == pytest.approx(w_max + 0.4 * 125)  # far from the throttle it grows faster


def test_limiter_recovers_along_the_cubic_curve():
    clock = FakeClock()
    cut = clock()
    limiter = AdaptiveRateLimiter(start_rate=20, clock=clock, sleep=clock.sleep)
    limiter.on_response(throttled=True)
    assert limiter.rate == pytest.approx(14.0)
    samples = []
    for _ignored in range(8):  # eight seconds of paced sends, every one answered
        started = clock()
        while clock() - started < 1.0:
            paced_sends(limiter, clock, 1)
        samples.append((clock() - cut, limiter.rate))
    for elapsed, rate in samples[:5]:  # sending keeps up with the curve, so the curve is the limit
        assert rate == pytest.approx(cubic_rate(20.0, elapsed))
    assert all(rate <= 20.1 for elapsed, rate in samples[:3])  # back near 20 within about 2.5 s, and stays there
    assert [rate for elapsed, rate in samples] == sorted(rate for elapsed, rate in samples)
    assert samples[-1][1] > 25  # well past the last throttle, growth picks up again


def test_limiter_never_runs_far_ahead_of_what_is_sent():
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(start_rate=8, clock=clock, sleep=clock.sleep)
    limiter.on_response(throttled=True)
    clock.now += 100  # the curve is far above w_max by now, but nothing was sent
    paced_sends(limiter, clock, 1)
    assert limiter.rate == pytest.approx(8.0)  # w_max, not the curve: no burst after an idle spell
    paced_sends(limiter, clock, 39)  # about 40 sends in the window: the limit may follow them up
    assert 8.0 < limiter.rate <= 2 * 20.0 + 1e-9


def test_limiter_does_not_grow_without_successes():
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(start_rate=8, clock=clock, sleep=clock.sleep)
    limiter.on_response(throttled=True)
    clock.now += 100
    assert limiter.rate == pytest.approx(5.6)


def test_limiter_cuts_once_for_requests_in_flight_at_the_cut():
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(clock=clock, sleep=clock.sleep)
    in_flight = []
    for _ignored in range(20):  # 10 per second measured; the last eight are still in flight
        in_flight.append(clock())
        limiter.acquire()
    in_flight = in_flight[-8:]
    clock.now += 0.01
    for requested_at in in_flight:
        limiter.on_response(throttled=True, requested_at=requested_at)
    assert limiter.rate == pytest.approx(7.0)  # one cut, not 0.7 ** 8
    later = clock()
    limiter.acquire()
    clock.now += 0.01
    limiter.on_response(throttled=True, requested_at=later)  # asked for its token after the cut: a new throttle
    assert limiter.rate == pytest.approx(4.9)


def test_limiter_requeues_callers_waiting_at_the_old_rate_after_a_cut():
    clock = FakeClock()
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 1:  # meanwhile another request, asked for after the first cut, is throttled too
            limiter.on_response(throttled=True, requested_at=clock())
        clock.now += seconds
    limiter = AdaptiveRateLimiter(beta=0.5, clock=clock, sleep=sleep)
    for _ignored in range(20):  # 10 per second measured
        limiter.acquire()
    limiter.on_response(throttled=True)
    assert limiter.rate == pytest.approx(5.0)
    # Queued 0.2 s at 5 per second; the second cut (2.5 per second) puts it 0.4 s after that cut.
    assert limiter.acquire() == pytest.approx(0.4)
    assert sleeps == pytest.approx([0.2, 0.2])
    assert limiter.rate == pytest.approx(2.5)


def test_limiter_never_waits_past_deadline():
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(min_rate=0.5, start_rate=0.5, clock=clock, sleep=clock.sleep)
    limiter.on_response(throttled=True)  # 0.5 per second: a 2 s wait
    assert limiter.acquire(deadline=Deadline(clock() + 0.5, clock)) == pytest.approx(0.5)


def test_limiter_is_thread_safe_reservations_queue_in_order():
    clock = FakeClock()
    waits = []
    lock = threading.Lock()

    def sleep(seconds):
        with lock:
            waits.append(seconds)  # the clock stays put: every thread reserves at the same instant
    limiter = AdaptiveRateLimiter(start_rate=10, beta=1.0, clock=clock, sleep=sleep)
    limiter.on_response(throttled=True)  # 10 per second
    threads = [threading.Thread(target=limiter.acquire) for _ignored in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(waits) == pytest.approx([0.1 * k for k in range(1, 17)])


def test_limiter_answers_from_many_threads_keep_a_consistent_state():
    clock = FakeClock()
    limiter = AdaptiveRateLimiter(start_rate=10, clock=clock, sleep=lambda seconds: None)
    limiter.on_response(throttled=True)

    def work(throttled):
        for _ignored in range(200):
            requested_at = clock()
            limiter.acquire()
            limiter.on_response(throttled=throttled, requested_at=requested_at)
    threads = [threading.Thread(target=work, args=(index % 4 == 0,)) for index in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert limiter.min_rate <= limiter.rate <= max(limiter.w_max, 2 * 1600 / limiter.WINDOW)
