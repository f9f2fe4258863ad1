# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a wait tells: the snapshot each progress report gets, the WaitOutcome, and every message.

Pure functions over the engine's run (``run.tasks``, ``run.config``, ``run.region``,
``run.start``, ``run.rounds``, ``run.calls``, ``run.transient``, ``run.late_warning``,
``run.wall_offset``) and its tasks. See docs/architecture.md.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import format_duration

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable
    from typing import Protocol

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig

    class EngineTask(Protocol):
        """What these functions read of one of the engine's tasks (engine.py's _Task, which imports this file)."""

        task_id: str
        index: int
        record: dict
        outcome: str | None
        reason: str | None
        predicted_end: float | None
        decided_at: float | None
        missed: int
        seen: bool

    class EngineRun(Protocol):
        """What these functions read of the engine's run (engine.py's _Run)."""

        tasks: list[EngineTask]
        config: WaitConfig
        region: str | None
        start: float
        rounds: int
        calls: dict
        warnings: list
        transient: list[ApiError]
        late_warning: str | None
        wall_offset: float

# The timeout message names this many pending tasks, then says how many more.
_LISTED_PENDING = 10


class WaitOutcome(object):
    """How a wait ended. ``status``: succeeded | failed | timed_out | error | predicted_timeout."""

    def __init__(self, status: str, records: list[dict], elapsed: float, message: str, warnings: list[str],
                 error: ApiError | None, rounds: int, calls: dict) -> None:
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

    def to_result(self) -> dict:
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


# ------------------------------------------------------------ progress reports

def task_view(task: EngineTask, now: float) -> dict:
    """What a progress line may say of one task."""
    end = task.predicted_end if task.outcome is None else None
    return {"task_id": task.task_id, "action": task.record.get("task_action"),
            "state": "NotFound" if task.missed else task.record.get("task_status") if task.seen else None,
            "progress": task.record.get("progress"), "outcome": task.outcome or "pending",
            "eta": None if end is None else max(0.0, end - now)}


def slowest(tasks: Iterable[EngineTask], now: float) -> dict | None:
    """The view of the pending task with the least progress known, or None when no pending task's progress is known."""
    known = [task for task in tasks if task.outcome is None and task.record.get("progress") is not None]
    if not known:
        return None
    task = min(known, key=lambda t: (t.record["progress"], t.record.get("creation_time") or "~", t.index))
    return task_view(task, now)


def predicted_eta(tasks: Iterable[EngineTask], mode: str, now: float) -> float | None:
    """Seconds until the wait is predicted to end, or None.

    From the pending tasks whose progress is known: all of them need a prediction. mode all: the
    latest end; mode any: the earliest.
    """
    known = [task for task in tasks if task.outcome is None and task.record.get("progress") is not None]
    if not known or any(task.predicted_end is None for task in known):
        return None
    pick = min if mode == "any" else max
    return max(0.0, pick(task.predicted_end for task in known) - now)


def snapshot(run: EngineRun, now: float, next_poll_in: float | None, news: list) -> dict:
    """What on_progress gets.

    Counts (total, succeeded, failed, pending), ``by_state`` (every task) and ``pending_states`` (the
    pending ones; NotFound for a task not found at its last poll), ``slowest`` (the pending task with
    the least known progress, or None), ``task`` (the one task of a single-task wait), ``eta``
    (seconds to the wait's predicted end, or None), ``warnings`` (``news``: new ones to show at once),
    rounds, calls, next_poll_in.
    """
    tasks = run.tasks
    by_state, pending_states = {}, {}
    for task in tasks:
        state = "NotFound" if task.missed or not task.seen else task.record.get("task_status")
        by_state[state] = by_state.get(state, 0) + 1
        if task.outcome is None:
            # Not yet answered for (before the first poll, or every poll of it failed): "Unknown".
            state = state if task.missed or task.seen else "Unknown"
            pending_states[state] = pending_states.get(state, 0) + 1
    outcomes = [task.outcome for task in tasks]
    return {
        "elapsed": now - run.start, "total": len(tasks), "succeeded": outcomes.count("succeeded"),
        "failed": outcomes.count("failed") + outcomes.count("not_found"), "pending": outcomes.count(None),
        "by_state": by_state, "pending_states": pending_states, "slowest": slowest(tasks, now),
        "task": task_view(tasks[0], now) if len(tasks) == 1 else None, "eta": predicted_eta(tasks, run.config.mode, now),
        "warnings": news, "rounds": run.rounds, "calls": dict(run.calls), "next_poll_in": next_poll_in,
    }


def predicted_timeout_warning(task: EngineTask, end: float, now: float, run: EngineRun) -> str:
    """The warning for a wait whose ``task`` is predicted to end at ``end``, after the deadline."""
    return "task %s%s is predicted to end in %s, after the timeout of %s (%s%% after %s)" % (
        task.task_id, " (%s)" % task.record["task_action"] if task.record.get("task_action") else "",
        format_duration(max(0.0, end - now)), format_duration(run.config.timeout),
        task.record.get("progress"), format_duration(now - run.start))


# ------------------------------------------------------------ the outcome

def _iso(clock_time, wall_offset):
    """A time of the injected clock as ISO 8601 UTC, or None."""
    if clock_time is None:
        return None
    moment = datetime.datetime.fromtimestamp(clock_time + wall_offset, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def build_outcome(run: EngineRun, status: str, error: ApiError | None, end: float) -> WaitOutcome:
    """The WaitOutcome of ``run``, ended with ``status`` (and ``error``) at clock time ``end``."""
    records = []
    for task in run.tasks:
        record = dict(task.record)
        record["elapsed"] = (task.decided_at if task.decided_at is not None else end) - run.start
        record["wait_outcome"] = task.outcome or "pending"
        record["predicted_end"] = _iso(task.predicted_end, run.wall_offset)
        records.append(record)
    warnings = list(run.warnings)
    if run.transient:
        warnings.append("%d polling request(s) failed with a transient error and were retried at the next poll; "
                        "last: %s" % (len(run.transient), run.transient[-1]))
    text = message(run, status, error, end - run.start)
    outcome = WaitOutcome(status, records, end - run.start, text, warnings, error, run.rounds, dict(run.calls))
    # A timeout with no task ever answered for is an error in disguise: the caller names its last one.
    outcome.last_error = run.transient[-1] if run.transient else None
    outcome.answered = any(task.seen or task.missed for task in run.tasks)
    return outcome


def message(run: EngineRun, status: str, error: ApiError | None, elapsed: float) -> str:
    """The wait's ``msg``."""
    tasks, config = run.tasks, run.config
    failed = [describe_failure(task) for task in tasks if task.outcome in ("failed", "not_found")]
    pending = [task for task in tasks if task.outcome is None]
    took = format_duration(elapsed)
    if status == "error":
        return "stopped waiting after %s: %s" % (took, error)
    if status == "predicted_timeout":
        return "stopped waiting after %s: %s (on_predicted_timeout: fail); %s still pending" % (
            took, run.late_warning, _count(len(pending), "task"))
    if status == "timed_out":
        return timeout_message(run, pending, took) + ("; failed: " + "; ".join(failed) if failed else "")
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


def timeout_message(run: EngineRun, pending: list[EngineTask], took: str) -> str:
    """The ``msg`` of a wait that timed out with ``pending`` tasks after ``took``."""
    config = run.config
    waited = "any" if config.mode == "any" else "%d" % len(pending)
    lines = []
    for task in pending[:_LISTED_PENDING]:
        lines.append("%s %s" % (task.task_id, _pending_state(task, run.region)))
    if len(pending) > _LISTED_PENDING:
        lines.append("and %d more" % (len(pending) - _LISTED_PENDING))
    text = "timeout while waiting for %s of %s to %s (timeout: %s, elapsed: %s): %s" % (
        waited, _count(len(run.tasks), "task"), config.describe_target(),
        format_duration(config.timeout), took, ", ".join(lines))
    if run.transient:
        text += "; last API error: %s" % run.transient[-1]
    return text


def describe_failure(task: EngineTask) -> str:
    """'task t-1 (ExportImage) ended in state 'Failed': Code: Msg'."""
    record = task.record
    text = "task %s" % task.task_id
    if record.get("task_action"):
        text += " (%s)" % record["task_action"]
    text += " " + task.reason
    if task.outcome != "not_found" and (record.get("error_code") or record.get("error_msg")):
        text += ": " + ": ".join(part for part in (record.get("error_code"), record.get("error_msg")) if part)
    return text


def not_found_reason(task: EngineTask, not_found_checks: int, region: str | None) -> str:
    """Why a task missing from ``task.missed`` answers in a row has failed."""
    allowed = "(not_found_checks: %d)" % not_found_checks
    where = " in region %s" % region if region else ""
    if task.seen:
        return "disappeared: not found%s in %s after it had been seen %s" % (where, _last_polls(task.missed), allowed)
    return "was never found%s in %s %s" % (where, _count(task.missed, "poll"), allowed)


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
