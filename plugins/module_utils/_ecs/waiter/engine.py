# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The waiting engine: polls a task source until every task is decided, or time runs out.

No I/O of its own: the source, clock, sleep and random generator are injected,
so every behaviour below is unit-tested with a fake clock.

Rounds. Each round polls only the undecided tasks, normally with one
``source.summaries(ids, deadline)`` (DescribeTasks, 100 ids per request). When
exactly one task is undecided it is polled with ``source.attributes([id])``
instead: the same single request, and it also carries progress, related items
and the task's own error, so nothing more is needed once it is decided. When a
condition reads a field DescribeTasks does not return (anything outside
``tasks.SUMMARY_FIELDS``, found in the compiled JMESPath), each round also
calls ``attributes()`` for the undecided tasks: one request per task per round.
Otherwise attributes are fetched once, in one batched call, for the tasks
decided in a round (their related items, ErrorCode and ErrorMsg); a read that
failed with a transient error is tried again the next round, or once more
before the wait ends. ``details`` limits that read to the failed tasks
("failed") or drops it ("none"): one request per task saved at the end.

Acceptors (data, see ``WaitConfig.acceptors``), in order, on the raw API view
of a task: failure_condition -> failed; failure_states -> failed;
target_states or success_condition -> success candidate (decided after
``continuous_target_occurrence`` consecutive polls, the count resets when it
leaves); pending_states or Waiting/Processing/Paused -> pending; a documented
end state (Finished, Failed, Deleted) that none of the lists names -> failed
at once, since it never changes again (a misspelt target would otherwise run
into the timeout). Any other state fails the task ("unexpected state") when
pending_states was given (Terraform's rule), else the wait goes on with one
warning per unknown state.
Conditions use JMESPath truthiness: null, false, '' [] {} are false.

Not found. A task absent from an answer is not found; after more than
``not_found_checks`` consecutive misses (0: at the first) it fails with
error_code InvalidTaskId.NotFound. A task seen and then missing counts too.

End. mode all: succeeded when all succeeded; a failure ends the wait at once
when fail_on_failure (the rest stay pending), else the wait goes on until all
are decided and ends "failed" if any failed. mode any: succeeded at the first
success, failed when all failed. A retryable ApiError is a warning and the
next round comes as planned; a permanent one ends the wait at once ("error").

Timing. First poll after ``delay``. Then ``poll_interval`` if set, else the
adaptive schedule of ``waiter_timing``: ``clamp(backoff_factor * elapsed,
min_interval, max_interval)``, jittered into [0.9, 1.0] of that. Every
attributes read feeds the task's progress (TaskProcess) to an ``EtaTracker``.
When this round read the progress of every undecided task (one task left, or
a condition forcing attributes each round), a task whose progress has moved
(by 2 points or more since the first value above 0) has a predicted end,
``t_last + (100 - p_last) * (t_last - t_first) / (p_last - p_first)``, and
its interval becomes ``clamp(0.5 * (predicted end - now), min_interval,
max_interval)``: sparse while the end is far, dense near it. No estimate
(progress unknown, 0, not moving, 100%) keeps the elapsed rule; with several
tasks the shortest interval wins. A prediction that has passed (later than
linear progress with whole-percent rounding allows) without the task ending
is distrusted for the rest of the wait, so a task stuck at 99% falls back to
the elapsed rule. Either way the interval stays within [min_interval,
max_interval], so a task's end is never noticed more than max_interval late.
Waits on several tasks polled with DescribeTasks keep the elapsed rule. Sleep
never goes past the deadline: the last poll happens at it, then the wait times
out. Every source call gets the deadline (in the injected clock's time base,
time.monotonic by default).

Progress. After each round ``on_progress(snapshot)`` is called (see
``snapshot``). With several undecided tasks and progress_interval > 0, once per
progress_interval (first after one interval) the engine fetches attributes of
the pending Processing task believed slowest, so its progress is known: one
extra request a minute by default.

Accounting. ``outcome.rounds`` counts rounds; ``outcome.calls`` counts the API
requests asked of the source by kind: ``summaries`` ceil(N/100) for N ids,
``attributes`` one per id (the client's own retries are not included).
"""

from __future__ import annotations

import datetime
import math
import time

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import NOT_FOUND_CODE
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import Batch, merge_raw, task_record, validate_task_ids
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import format_duration
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import (
    FAILURE, RETRY, SUCCESS, UNLISTED_TERMINAL, WaitConfig, is_truthy,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.schedule import EtaTracker, Schedule

__all__ = ["WaitConfig", "Waiter", "WaitOutcome"]

IDS_PER_SUMMARY_CALL = 100
_LISTED_PENDING = 10


class _Abort(Exception):
    """A permanent ApiError: the wait ends now."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


class _Task(object):
    """What the engine knows about one task."""

    def __init__(self, task_id, index, region):
        self.task_id = task_id
        self.index = index
        self.summary = self.attribute = None
        self.summary_round = self.attribute_round = -1
        self.outcome = None       # "succeeded" | "failed" | "not_found"
        self.predicted_end = None  # clock time of the last prediction made while it was undecided
        self.decided_at = None
        self.decided_round = None
        self.reason = None
        self.streak = 0
        self.missed = 0
        self.seen = False
        self.refresh(region)

    def pair(self):
        """(summary, attribute) with the older one's overlapping fields replaced by the newer ones."""
        summary, attribute = self.summary, self.attribute
        if summary is not None and attribute is not None and self.summary_round > self.attribute_round:
            attribute = dict(attribute, **dict((key, value) for key, value in summary.items() if key in attribute))
        return summary, attribute

    def raw(self):
        return merge_raw(*self.pair())

    def refresh(self, region):
        self.record = task_record(*self.pair(), region=region)
        self.record["task_id"] = self.task_id


class WaitOutcome(object):
    """How a wait ended. ``status``: succeeded | failed | timed_out | error | predicted_timeout."""

    def __init__(self, status, records, elapsed, message, warnings, error, rounds, calls):
        self.status = status
        self.records = records
        self.succeeded = [rec["task_id"] for rec in records if rec["wait_outcome"] == "succeeded"]
        self.failed = [rec["task_id"] for rec in records if rec["wait_outcome"] in ("failed", "not_found")]
        self.pending = [rec["task_id"] for rec in records if rec["wait_outcome"] == "pending"]
        self.elapsed = elapsed
        self.timed_out = status == "timed_out"
        self.message = message
        self.warnings = warnings
        self.error = error
        self.rounds = rounds
        self.calls = calls
        self.last_error = None   # the last transient ApiError, if any
        self.answered = True     # whether any poll answered for any task

    def to_result(self):
        tasks = []
        for record in self.records:
            record = dict(record)
            record["elapsed"] = round(record["elapsed"], 1)
            tasks.append(record)
        return {
            "tasks": tasks, "succeeded": list(self.succeeded), "failed": list(self.failed),
            "pending": list(self.pending), "elapsed": round(self.elapsed, 1), "timed_out": self.timed_out,
            "wait_status": self.status, "msg": self.message, "warnings": list(self.warnings),
        }

    def __repr__(self):
        return "WaitOutcome(%s, %d rounds, %s)" % (self.status, self.rounds, self.message)


class Waiter(object):
    """Runs waits for one WaitConfig against one source (``summaries`` / ``attributes``)."""

    def __init__(self, config, source, clock=time.monotonic, sleep=time.sleep, rng=None, on_progress=None, region=None,
                 wall_clock=time.time):
        self.config = config
        self.source = source
        self.clock = clock
        self.wall_clock = wall_clock
        self.sleep = sleep
        self.schedule = Schedule(config, rng)
        self.on_progress = on_progress
        self.region = region

    def wait(self, task_ids, start=None):
        """Wait for these tasks. ``start``: the clock reading at which the caller's wait began, when it
        already spent part of it (searching for the ids): timeout, schedule and elapsed count from there,
        and ``delay`` is taken as slept."""
        return _Run(self, validate_task_ids(task_ids)).run(start)


class _Run(object):
    """One wait: the state shared by its rounds."""

    def __init__(self, waiter, task_ids):
        if not task_ids:
            raise ConfigError("task_ids is empty: give at least one task id to wait for", option="task_ids")
        self.waiter = waiter
        self.config = waiter.config
        self.tasks = [_Task(task_id, index, waiter.region) for index, task_id in enumerate(task_ids)]
        self.rounds = 0
        self.calls = {"summaries": 0, "attributes": 0}
        self.warnings = list(self.config.warnings)
        self.unknown_states = set()
        self.bad_conditions = set()
        self.transient = []
        self.etas = EtaTracker()
        self.start = self.deadline = self.last_sample = self.wall_offset = None
        self.late_warning = None  # the predicted-timeout warning, once given
        self.news = []            # warnings to show at once, with the next report

    # ------------------------------------------------------------ the loop

    def run(self, start=None):
        waiter = self.waiter
        self.start = self.last_sample = waiter.clock() if start is None else start
        self.wall_offset = waiter.wall_clock() - self.start
        self.deadline = self.start + self.config.timeout
        if self.config.delay and start is None:
            self.pause(self.config.delay)
        try:
            status, error = self.loop(), None
        except _Abort as abort:
            status, error = "error", abort.error
        return self.outcome(status, error)

    def loop(self):
        waiter = self.waiter
        last = False
        while True:
            self.round()
            now = waiter.clock()
            status = self.status() or ("timed_out" if last else None) or self.judge_prediction(now)
            if status in ("succeeded", "failed") and now < self.deadline:
                # A details read that failed for a passing reason gets one more try: it is
                # what the user waited for (related items, the task's own error).
                self.fetch_details()
            wait = None
            if status is None:
                wait, last = waiter.schedule.next_sleep(now, self.start, self.deadline, self.remaining(now))
                if wait is None:
                    status = "timed_out"
            self.report(now, wait)
            if status:
                return status
            self.pause(wait)

    def pause(self, seconds):
        """Sleep ``seconds``, waking every display_interval to report, so lines keep their cadence between polls."""
        step = self.config.display_interval
        if not step or self.waiter.on_progress is None:
            self.waiter.sleep(seconds)
            return
        left = seconds
        while left > step:
            self.waiter.sleep(step)
            left -= step
            self.report(self.waiter.clock(), left)
        self.waiter.sleep(left)

    def round(self):
        self.rounds += 1
        undecided = [task for task in self.tasks if task.outcome is None]
        ids = [task.task_id for task in undecided]
        single = len(ids) == 1
        primary = self.call("attributes" if single else "summaries", ids)
        if primary is None:
            return
        batches = [primary]
        self.absorb(primary, "attribute" if single else "summary")
        if self.config.needs_attributes and not single:
            extra = self.call("attributes", [task_id for task_id in ids if task_id in primary.found])
            if extra is None:
                return
            self.absorb(extra, "attribute")
            batches.append(extra)
        for task in undecided:
            if any(task.task_id in (batch.errors or {}) for batch in batches):
                continue
            missing = any(task.task_id not in batch.found for batch in batches)
            self.judge(task, missing)
        self.fetch_details()
        self.sample_progress()

    def fetch_details(self):
        """Attributes of the decided tasks not read since they were decided (their related items and error)."""
        stale = [task.task_id for task in self.tasks
                 if task.outcome in ("succeeded", "failed") and task.attribute_round < task.decided_round
                 and self.config.wants_details(task.outcome)]
        if stale:
            self.absorb(self.call("attributes", stale), "attribute")
        # DescribeTaskAttribute has no ResourceId: a task only ever polled with it (a single-task wait)
        # is read once with DescribeTasks when it is decided, for the id of what it made.
        unsummarised = [task.task_id for task in self.tasks
                        if task.outcome in ("succeeded", "failed") and task.summary is None
                        and self.config.wants_details(task.outcome)]
        if unsummarised:
            self.absorb(self.call("summaries", unsummarised), "summary")

    def call(self, kind, ids):
        """source.<kind>(ids, deadline), counted; None after a transient error."""
        if not ids:
            return Batch({}, [], {})
        self.calls[kind] += len(ids) if kind == "attributes" else int(math.ceil(len(ids) / float(IDS_PER_SUMMARY_CALL)))
        try:
            return getattr(self.waiter.source, kind)(ids, self.deadline)
        except ApiError as exc:
            if not exc.retryable:
                raise _Abort(exc)
            self.transient.append(exc)
            return None

    def absorb(self, batch, kind):
        if batch is None:
            return
        by_id = dict((task.task_id, task) for task in self.tasks)
        now = self.waiter.clock()
        for task_id, raw in batch.found.items():
            task = by_id.get(task_id)
            if task is None:
                continue
            setattr(task, kind, raw)
            setattr(task, kind + "_round", self.rounds)
            task.refresh(self.waiter.region)
            if kind == "attribute":
                self.etas.observe(task_id, now, task.record.get("progress"))
                track = self.etas.track(task_id)
                end = track.predicted_end() if track is not None else None
                if end is not None and task.outcome is None:
                    task.predicted_end = end
        self.transient.extend((batch.errors or {}).values())

    def remaining(self, now):
        """Seconds to each undecided task's predicted end, when this round read the progress of all of them."""
        undecided = [task for task in self.tasks if task.outcome is None]
        if not undecided or any(task.attribute_round != self.rounds for task in undecided):
            return None
        return self.etas.remaining([task.task_id for task in undecided], now)

    # ------------------------------------------------------------ decisions

    def judge(self, task, missing):
        config = self.config
        if missing:
            task.streak = 0
            task.missed += 1
            if task.missed > config.not_found_checks:
                self.decide_not_found(task)
            return
        task.missed = 0
        task.seen = True
        raw = task.raw()
        state = raw.get("TaskStatus")
        for acceptor in config.acceptors:
            if acceptor.matches(state, raw, self.evaluate):
                break
        else:
            acceptor = None
        if acceptor is None:
            task.streak = 0
            if config.strict:
                self.decide(task, "failed", "is in unexpected state '%s' (pending_states: %s)"
                            % (state, ", ".join(config.pending_states)))
            elif state not in self.unknown_states:
                self.unknown_states.add(state)
                self.warnings.append("task %s is in state '%s', which is neither a target, a failure nor a known "
                                     "in-progress state; still waiting (list it in target_states, failure_states or "
                                     "pending_states to decide what it means)" % (task.task_id, state))
        elif acceptor.option == UNLISTED_TERMINAL:
            self.decide(task, "failed", config.unlisted_reason(state))
        elif acceptor.outcome == FAILURE:
            detail = "matched failure_condition in state '%s'" % state if acceptor.matcher == "condition" else None
            self.decide(task, "failed", detail or "ended in state '%s'" % state)
        elif acceptor.outcome == SUCCESS:
            task.streak += 1
            if task.streak >= config.continuous_target_occurrence:
                self.decide(task, "succeeded", "reached state '%s'" % state)
        elif acceptor.outcome == RETRY:
            task.streak = 0

    def evaluate(self, condition, raw):
        try:
            return is_truthy(condition.search(raw))
        except Exception as exc:  # a JMESPath type error on odd data: the condition is simply not met
            if condition.option not in self.bad_conditions:
                self.bad_conditions.add(condition.option)
                self.warnings.append("%s %r could not be evaluated (%s); treated as false"
                                     % (condition.option, condition.expression, exc))
            return False

    def decide(self, task, outcome, reason):
        task.outcome = outcome
        task.reason = reason
        task.decided_at = self.waiter.clock()
        task.decided_round = self.rounds

    def decide_not_found(self, task):
        allowed = "(not_found_checks: %d)" % self.config.not_found_checks
        where = " in region %s" % self.waiter.region if self.waiter.region else ""
        if task.seen:
            text = "disappeared: not found%s in %s after it had been seen %s" % (where, _last_polls(task.missed), allowed)
        else:
            text = "was never found%s in %s %s" % (where, _count(task.missed, "poll"), allowed)
        self.decide(task, "not_found", text)
        task.record["error_code"] = NOT_FOUND_CODE
        task.record["error_msg"] = "The task %s" % text

    def status(self):
        """The end status, or None while the wait goes on."""
        outcomes = [task.outcome for task in self.tasks]
        succeeded = outcomes.count("succeeded")
        failed = len(outcomes) - succeeded - outcomes.count(None)
        if self.config.mode == "any":
            if succeeded:
                return "succeeded"
            return "failed" if failed == len(outcomes) else None
        if failed and self.config.fail_on_failure:
            return "failed"
        if None in outcomes:
            return None
        return "failed" if failed else "succeeded"

    def judge_prediction(self, now):
        """Warn once when the tasks cannot end before the deadline; "predicted_timeout" when told to fail then.

        Judged on each task's earliest end its progress allows (not the likeliest): in mode all one task
        too late is enough, in mode any every undecided task must be too late.
        """
        if self.late_warning is not None:
            return None
        undecided = [task for task in self.tasks if task.outcome is None]
        ends = []
        for task in undecided:
            track = self.etas.track(task.task_id)
            earliest = track.earliest_end() if track is not None else None
            if earliest is not None and earliest > self.deadline:
                ends.append((track.predicted_end(), task))
        if not ends or (self.config.mode == "any" and len(ends) < len(undecided)):
            return None
        end, task = min(ends, key=lambda pair: pair[0]) if self.config.mode == "any" else max(ends, key=lambda pair: pair[0])
        self.late_warning = "task %s%s is predicted to end in %s, after the timeout of %s (%s%% after %s)" % (
            task.task_id, " (%s)" % task.record["task_action"] if task.record.get("task_action") else "",
            format_duration(max(0.0, end - now)), format_duration(self.config.timeout),
            task.record.get("progress"), format_duration(now - self.start))
        if self.config.on_predicted_timeout == "fail":
            return "predicted_timeout"
        self.late_warning += "; still waiting (on_predicted_timeout: fail would stop now)"
        self.warnings.append(self.late_warning)
        self.news.append(self.late_warning)
        return None

    def iso(self, clock_time):
        """A time of the injected clock as ISO 8601 UTC, or None."""
        if clock_time is None:
            return None
        moment = datetime.datetime.fromtimestamp(clock_time + self.wall_offset, tz=datetime.timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def eta(self, now):
        """Seconds until the wait is predicted to end, or None.

        From the tasks whose progress is known: all of them need a prediction. mode all: the
        latest end; mode any: the earliest.
        """
        undecided = [task for task in self.tasks if task.outcome is None]
        known = [task for task in undecided if task.record.get("progress") is not None]
        if not known or any(task.predicted_end is None for task in known):
            return None
        pick = min if self.config.mode == "any" else max
        return max(0.0, pick(task.predicted_end for task in known) - now)

    # ------------------------------------------------------------ progress

    def sample_progress(self):
        interval = self.config.progress_interval
        pending = [task for task in self.tasks if task.outcome is None]
        if not interval or len(pending) < 2 or self.config.needs_attributes or self.status():
            return
        now = self.waiter.clock()
        if now - self.last_sample < interval:
            return
        running = [task for task in pending if task.record.get("task_status") == "Processing"]
        if running:
            # Unknown progress first (never sampled), then the lowest, then the oldest.
            task = min(running, key=lambda t: (-1 if t.record["progress"] is None else t.record["progress"],
                                               t.record.get("creation_time") or "~", t.index))
            self.last_sample = now
            self.absorb(self.call("attributes", [task.task_id]), "attribute")

    def slowest(self, now):
        """The pending task with the least progress known, or None when no pending task's progress is known."""
        pending = [task for task in self.tasks if task.outcome is None]
        known = [task for task in pending if task.record.get("progress") is not None]
        if not known:
            return None
        task = min(known, key=lambda t: (t.record["progress"], t.record.get("creation_time") or "~", t.index))
        return self.view(task, now)

    def view(self, task, now):
        """What a progress line may say of one task."""
        end = task.predicted_end if task.outcome is None else None
        return {"task_id": task.task_id, "action": task.record.get("task_action"),
                "state": "NotFound" if task.missed else task.record.get("task_status") if task.seen else None,
                "progress": task.record.get("progress"), "outcome": task.outcome or "pending",
                "eta": None if end is None else max(0.0, end - now)}

    def snapshot(self, now, next_poll_in):
        """What on_progress gets.

        Counts (total, succeeded, failed, pending), ``by_state`` (every task) and ``pending_states`` (the
        pending ones; NotFound for a task not found at its last poll), ``slowest`` (the pending task with
        the least known progress, or None), ``task`` (the one task of a single-task wait), ``eta``
        (seconds to the wait's predicted end, or None), ``warnings`` (new ones to show at once), rounds,
        calls, next_poll_in.
        """
        by_state, pending_states = {}, {}
        for task in self.tasks:
            state = "NotFound" if task.missed or not task.seen else task.record.get("task_status")
            by_state[state] = by_state.get(state, 0) + 1
            if task.outcome is None:
                # Not yet answered for (before the first poll, or every poll of it failed): "Unknown".
                state = state if task.missed or task.seen else "Unknown"
                pending_states[state] = pending_states.get(state, 0) + 1
        outcomes = [task.outcome for task in self.tasks]
        news, self.news = self.news, []
        return {
            "elapsed": now - self.start, "total": len(self.tasks), "succeeded": outcomes.count("succeeded"),
            "failed": outcomes.count("failed") + outcomes.count("not_found"), "pending": outcomes.count(None),
            "by_state": by_state, "pending_states": pending_states, "slowest": self.slowest(now),
            "task": self.view(self.tasks[0], now) if len(self.tasks) == 1 else None, "eta": self.eta(now),
            "warnings": news, "rounds": self.rounds, "calls": dict(self.calls), "next_poll_in": next_poll_in,
        }

    def report(self, now, next_poll_in):
        if self.waiter.on_progress is not None:
            self.waiter.on_progress(self.snapshot(now, next_poll_in))

    # ------------------------------------------------------------ the outcome

    def outcome(self, status, error):
        end = self.waiter.clock()
        records = []
        for task in self.tasks:
            record = dict(task.record)
            record["elapsed"] = (task.decided_at if task.decided_at is not None else end) - self.start
            record["wait_outcome"] = task.outcome or "pending"
            record["predicted_end"] = self.iso(task.predicted_end)
            records.append(record)
        warnings = list(self.warnings)
        if self.transient:
            warnings.append("%d polling request(s) failed with a transient error and were retried at the next poll; "
                            "last: %s" % (len(self.transient), self.transient[-1]))
        message = self.message(status, error, end - self.start)
        outcome = WaitOutcome(status, records, end - self.start, message, warnings, error, self.rounds, dict(self.calls))
        # A timeout with no task ever answered for is an error in disguise: the caller names its last one.
        outcome.last_error = self.transient[-1] if self.transient else None
        outcome.answered = any(task.seen or task.missed for task in self.tasks)
        return outcome

    def message(self, status, error, elapsed):
        tasks, config = self.tasks, self.config
        failed = [describe_failure(task) for task in tasks if task.outcome in ("failed", "not_found")]
        pending = [task for task in tasks if task.outcome is None]
        took = format_duration(elapsed)
        if status == "error":
            return "stopped waiting after %s: %s" % (took, error)
        if status == "predicted_timeout":
            return "stopped waiting after %s: %s (on_predicted_timeout: fail); %s still pending" % (
                took, self.late_warning, _count(len(pending), "task"))
        if status == "timed_out":
            return self.timeout_message(pending, took) + ("; failed: " + "; ".join(failed) if failed else "")
        if status == "succeeded":
            done = [task for task in tasks if task.outcome == "succeeded"]
            if config.mode == "any":
                return "task %s %s after %s (mode any, %d of %d left pending)" % (
                    done[0].task_id, done[0].reason, took, len(pending), len(tasks))
            return "%s succeeded after %s" % (_count(len(done), "task"), took)
        text = "; ".join(failed)
        if pending:
            text += " (stopped waiting for %s: fail_on_failure)" % _count(len(pending), "other task")
        return "%d of %d failed: %s" % (len(failed), len(tasks), text) if len(tasks) > 1 else text

    def timeout_message(self, pending, took):
        waited = "any" if self.config.mode == "any" else "%d" % len(pending)
        lines = []
        for task in pending[:_LISTED_PENDING]:
            lines.append("%s %s" % (task.task_id, _pending_state(task, self.waiter.region)))
        if len(pending) > _LISTED_PENDING:
            lines.append("and %d more" % (len(pending) - _LISTED_PENDING))
        text = "timeout while waiting for %s of %s to %s (timeout: %s, elapsed: %s): %s" % (
            waited, _count(len(self.tasks), "task"), self.config.describe_target(),
            format_duration(self.config.timeout), took, ", ".join(lines))
        if self.transient:
            text += "; last API error: %s" % self.transient[-1]
        return text


def describe_failure(task):
    """'task t-1 (ExportImage) ended in state 'Failed': Code: Msg'."""
    record = task.record
    text = "task %s" % task.task_id
    if record.get("task_action"):
        text += " (%s)" % record["task_action"]
    text += " " + task.reason
    if task.outcome != "not_found" and (record.get("error_code") or record.get("error_msg")):
        text += ": " + ": ".join(part for part in (record.get("error_code"), record.get("error_msg")) if part)
    return text


def _pending_state(task, region=None):
    """What the timeout message says of a task still pending."""
    if not task.seen:
        if task.missed:
            return "never found%s in %s" % (" in region %s" % region if region else "", _count(task.missed, "poll"))
        return "never answered for (every poll of it failed)"
    progress = task.record.get("progress")
    state = "'%s'%s" % (task.record.get("task_status"), " %d%%" % progress if progress is not None else "")
    if task.missed:
        return "not found in %s (last seen in state %s)" % (_last_polls(task.missed), state)
    return "last state %s" % state


def _last_polls(number):
    return "the last poll" if number == 1 else "the last %d polls" % number


def _count(number, noun):
    return "%d %s%s" % (number, noun, "" if number == 1 else "s")
