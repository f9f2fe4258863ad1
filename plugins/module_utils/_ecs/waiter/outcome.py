# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a wait tells: the snapshot each progress report gets, the WaitOutcome, and every message.

Pure functions over the engine's run, read through the ``EngineRun`` and ``EngineItem``
protocols below (engine.py's Run and items.py's Item). See docs/architecture.md.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import format_duration

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable, Sequence
    from typing import Protocol

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.items import Key

    # Read-only properties: these functions only read, and a property accepts the engine's attribute of a narrower
    # type (Item.children is a list[Item], a Sequence[EngineItem]; a plain list[EngineItem] attribute would not).
    class EngineItem(Protocol):
        """What these functions read of one of the engine's items (items.py's Item)."""

        @property
        def id(self) -> str:
            ...

        @property
        def kind(self) -> str:
            ...

        @property
        def index(self) -> int:
            ...

        @property
        def record(self) -> dict:
            ...

        @property
        def outcome(self) -> str | None:
            ...

        @property
        def reason(self) -> str | None:
            ...

        @property
        def predicted_end(self) -> float | None:
            ...

        @property
        def decided_at(self) -> float | None:
            ...

        @property
        def missed(self) -> int:
            ...

        @property
        def seen(self) -> bool:
            ...

        @property
        def children(self) -> Sequence[EngineItem]:
            ...

        @property
        def parent(self) -> EngineItem | None:
            ...

        @property
        def key(self) -> Key:
            ...

        @property
        def state(self) -> str | None:
            ...

        @property
        def awaiting_products(self) -> bool:
            ...

    class Discovery(Protocol):
        """What these functions read of a wait's search (task_source.py's TaskDiscovery)."""

        @property
        def polls(self) -> int:
            ...

        @property
        def transient(self) -> Sequence[ApiError]:
            ...

        def summary(self) -> dict:
            ...

        def describe(self) -> str:
            ...

        def filter_text(self) -> str:
            ...

    class EngineRun(Protocol):
        """What these functions read of the engine's run (engine.py's Run)."""

        @property
        def items(self) -> Sequence[EngineItem]:
            ...

        @property
        def config(self) -> WaitConfig:
            ...

        @property
        def region(self) -> str | None:
            ...

        @property
        def start(self) -> float:
            ...

        @property
        def rounds(self) -> int:
            ...

        @property
        def warnings(self) -> Sequence[str]:
            ...

        @property
        def transient(self) -> Sequence[ApiError]:
            ...

        @property
        def late_warning(self) -> str | None:
            ...

        @property
        def wall_offset(self) -> float:
            ...

        @property
        def searching(self) -> bool:
            ...

        @property
        def search_misses(self) -> int:
            ...

        @property
        def discovery(self) -> Discovery | None:
            ...

        @property
        def calls(self) -> dict:
            ...

        def noun(self, item: EngineItem | None = None) -> str:
            ...

        def target(self) -> str:
            ...

# The timeout message names this many pending items, then says how many more.
_LISTED_PENDING = 10


# What could make one line (a progress line, a message) look like several, or rewrite others on a terminal:
# every line break str.splitlines() honours (\n \r \x0b \x0c \x1c-\x1e \x85 \u2028 \u2029), every other
# control character (ESC starts the terminal's cursor moves), and the marks that reverse the order text is shown in.
_NOT_IN_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """``text`` as one line: API data in it (an error code, a state) cannot forge another line."""
    return _NOT_IN_A_LINE.sub(" ", text)


class WaitOutcome(object):
    """How a wait ended. ``status``: succeeded | failed | timed_out | error | predicted_timeout.

    ``records`` are the items' records, each with ``elapsed``, ``wait_outcome`` and ``predicted_end``;
    ``ids`` their ids in the same order; ``collection`` the result key they go under ("tasks").
    """

    def __init__(self, status: str, records: list[dict], elapsed: float, message: str, warnings: list[str],
                 error: ApiError | None, rounds: int, calls: dict, ids: list[str] | None = None,
                 collection: str = "tasks") -> None:
        self.status = status
        self.records = records
        self.ids = list(ids) if ids is not None else [record["task_id"] for record in records]
        pairs = list(zip(self.ids, records))
        self.succeeded = [item_id for item_id, rec in pairs if rec["wait_outcome"] == "succeeded"]
        self.failed = [item_id for item_id, rec in pairs if rec["wait_outcome"] in ("failed", "not_found")]
        self.pending = [item_id for item_id, rec in pairs if rec["wait_outcome"] == "pending"]
        self.elapsed = elapsed
        self.timed_out = status == "timed_out"
        self.message = message
        self.warnings = warnings
        self.error = error
        self.rounds = rounds
        self.calls = calls
        self.collection = collection
        self.last_error: ApiError | None = None   # the last transient ApiError, if any
        self.answered = True     # whether any poll answered for any item
        self.search: dict | None = None  # what a wait by filters' search did, when there was one
        self.found_any = True    # whether any item was ever found

    def to_result(self) -> dict:
        records = []
        for record in self.records:
            record = dict(record)
            record["elapsed"] = round(record["elapsed"], 1)
            records.append(record)
        return {
            self.collection: records, "succeeded": list(self.succeeded), "failed": list(self.failed),
            "pending": list(self.pending), "elapsed": round(self.elapsed, 1), "timed_out": self.timed_out,
            "wait_status": self.status, "msg": self.message, "warnings": list(self.warnings),
        }

    def __repr__(self):
        return "WaitOutcome(%s, %d rounds, %s)" % (self.status, self.rounds, self.message)


# ------------------------------------------------------------ progress reports

def _state(item):
    """What an item's source says of its state (a task's TaskStatus; 'Available, not usable yet' for an image)."""
    return item.state


def _progress_state(run, item):
    """What a line says of an item's state: its own, or, while it waits for what it produced, that product's."""
    if item.awaiting_products:
        waiting = next((child for child in item.children if child.outcome is None), None)
        if waiting is not None:
            state = _state(waiting) if waiting.seen else "not found" if waiting.missed else "no answer yet"
            return "%s %s" % (run.noun(waiting), state)
    return _state(item)


def task_view(item: EngineItem, now: float, run: EngineRun | None = None) -> dict:
    """What a progress line may say of one item (no ETA once it waits for what it produced: its own end is past)."""
    end = item.predicted_end if item.outcome is None and not item.awaiting_products else None
    return {"task_id": item.id, "action": item.record.get("task_action"),
            "state": "NotFound" if item.missed else (_progress_state(run, item) if run else _state(item)) if item.seen else None,
            "progress": item.record.get("progress"), "outcome": item.outcome or "pending",
            "eta": None if end is None else max(0.0, end - now)}


def slowest(items: Iterable[EngineItem], now: float, run: EngineRun | None = None) -> dict | None:
    """The view of the pending item with the least progress known, or None when no pending item's progress is known."""
    known = [item for item in items if item.outcome is None and item.record.get("progress") is not None]
    if not known:
        return None
    item = min(known, key=lambda t: (t.record["progress"], t.record.get("creation_time") or "~", t.index))
    return task_view(item, now, run)


def predicted_eta(items: Iterable[EngineItem], mode: str, now: float) -> float | None:
    """Seconds until the wait is predicted to end, or None.

    From the pending items whose progress is known: all of them need a prediction, and none may be waiting for
    what it produced (nothing predicts when that is ready). mode all: the latest end; mode any: the earliest.
    """
    known = [item for item in items if item.outcome is None and item.record.get("progress") is not None]
    ends = [item.predicted_end for item in known if item.predicted_end is not None]
    if not known or len(ends) < len(known) or any(item.awaiting_products for item in known):
        return None
    pick = min if mode == "any" else max
    return max(0.0, pick(ends) - now)


def snapshot(run: EngineRun, now: float, next_poll_in: float | None, news: list) -> dict:
    """What on_progress gets.

    While a wait by filters searches: ``search`` (the filters and the searches made). Then counts
    (total, succeeded, failed, pending), ``by_state`` (every item) and ``pending_states`` (the
    pending ones; NotFound for an item not found at its last poll), ``slowest`` (the pending item with
    the least known progress, or None), ``task`` (the one item of a single-item wait), ``eta``
    (seconds to the wait's predicted end, or None), ``warnings`` (``news``: new ones to show at once),
    rounds, calls, next_poll_in, and ``records`` (what the result would hold, were the wait to end now:
    the target's worker keeps them, for the controller to return if the worker stops answering).
    """
    if run.searching and run.discovery is not None:
        return {"elapsed": now - run.start, "next_poll_in": next_poll_in, "warnings": news,
                "search": {"filters": run.discovery.filter_text(), "searches": run.discovery.polls}}
    items = run.items
    by_state: dict[str, int] = {}
    pending_states: dict[str, int] = {}
    for item in items:
        state = "NotFound" if item.missed or not item.seen else _progress_state(run, item)
        by_state[state] = by_state.get(state, 0) + 1
        if item.outcome is None:
            # Not yet answered for (before the first poll, or every poll of it failed): "Unknown".
            state = state if item.missed or item.seen else "Unknown"
            pending_states[state] = pending_states.get(state, 0) + 1
    outcomes = [item.outcome for item in items]
    return {
        "elapsed": now - run.start, "total": len(items), "succeeded": outcomes.count("succeeded"),
        "failed": outcomes.count("failed") + outcomes.count("not_found"), "pending": outcomes.count(None),
        "by_state": by_state, "pending_states": pending_states, "slowest": slowest(items, now, run),
        "task": task_view(items[0], now, run) if len(items) == 1 else None, "eta": predicted_eta(items, run.config.mode, now),
        "warnings": news, "rounds": run.rounds, "calls": dict(run.calls), "next_poll_in": next_poll_in,
        "records": outcome_records(run, now),
    }


def _label(run, item):
    """'task t-1 (ExportImage)'."""
    text = "%s %s" % (run.noun(item), item.id)
    if item.record.get("task_action"):
        text += " (%s)" % item.record["task_action"]
    return text


def predicted_timeout_warning(item: EngineItem, end: float, now: float, run: EngineRun) -> str:
    """The warning for a wait whose ``item`` is predicted to end at ``end``, after the deadline."""
    return "%s is predicted to end in %s, after the timeout of %s (%s%% after %s)" % (
        _label(run, item), format_duration(max(0.0, end - now)), format_duration(run.config.timeout),
        item.record.get("progress"), format_duration(now - run.start))


# ------------------------------------------------------------ what an item made

def _product_state(child):
    """'ended in state 'CreateFailed'' or 'is in state 'Available'' for a product's reason."""
    if child.outcome == "not_found":
        return child.reason
    return child.reason or "is in state '%s'" % _state(child)


def product_failure_reason(run: EngineRun, parent: EngineItem, child: EngineItem) -> str:
    """Why a task that reached its target failed all the same: what it produced failed."""
    return "%s, but its %s %s %s" % (parent.reason, run.noun(child), child.id, _product_state(child))


def products_ready_reason(run: EngineRun, parent: EngineItem) -> str:
    """Why a task waited on with its products succeeded: its own reason, and each product ready."""
    made = ", ".join("%s %s" % (run.noun(child), child.id) for child in parent.children)
    return "%s and %s %s ready" % (parent.reason, made, "is" if len(parent.children) == 1 else "are")


def product_view(child: EngineItem) -> dict:
    """A task record's entry for one thing it produced (``products``)."""
    return {"kind": child.kind, "region": child.key.region, "id": child.id,
            "status": child.record.get("status") or child.record.get("state"), "ready": child.outcome == "succeeded",
            "details": dict(child.record)}


# ------------------------------------------------------------ the outcome

def _iso(clock_time, wall_offset):
    """A time of the injected clock as ISO 8601 UTC, or None."""
    if clock_time is None:
        return None
    moment = datetime.datetime.fromtimestamp(clock_time + wall_offset, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def outcome_records(run: EngineRun, end: float) -> list[dict]:
    """The records of ``run``'s tasks as the result shows them, were the wait to end at clock time ``end``."""
    records = []
    for item in run.items:
        record = dict(item.record)
        record["elapsed"] = (item.decided_at if item.decided_at is not None else end) - run.start
        record["wait_outcome"] = item.outcome or "pending"
        record["predicted_end"] = _iso(item.predicted_end, run.wall_offset)
        if item.kind == "task":
            record["products"] = [product_view(child) for child in item.children]
        records.append(record)
    return records


def build_outcome(run: EngineRun, status: str, error: ApiError | None, end: float) -> WaitOutcome:
    """The WaitOutcome of ``run``, ended with ``status`` (and ``error``) at clock time ``end``."""
    records = outcome_records(run, end)
    warnings = list(run.warnings)
    if run.discovery is not None and run.discovery.transient:
        warnings.append("%d search request(s) failed with a transient error and were tried again at the next poll; "
                        "last: %s" % (len(run.discovery.transient), run.discovery.transient[-1]))
    if run.transient:
        warnings.append("%d polling request(s) failed with a transient error and were retried at the next poll; "
                        "last: %s" % (len(run.transient), run.transient[-1]))
    # One line, as the progress lines: Ansible prints it raw, and a task's error text is in it.
    text = one_line(message(run, status, error, end - run.start))
    outcome = WaitOutcome(status, records, end - run.start, text, warnings, error, run.rounds, dict(run.calls),
                          ids=[item.id for item in run.items], collection=run.noun() + "s")
    # A timeout with no item ever answered for is an error in disguise: the caller names its last one.
    outcome.last_error = run.transient[-1] if run.transient else None
    outcome.answered = any(item.seen or item.missed for item in run.items)
    if run.discovery is not None:
        outcome.search = run.discovery.summary()
    outcome.found_any = any(item.seen for item in run.items)
    return outcome


def never_found_note(region: str | None, access_key_id: str | None) -> str:
    """Said when a wait found no task at all: a RAM identity without the read permissions got empty answers
    (HTTP 200) before December 2025, which look exactly like tasks that do not exist."""
    who = "AccessKeyId %s" % access_key_id if access_key_id else "the credentials"
    return ("nothing was ever found%s: if the tasks exist, %s may lack ecs:DescribeTasks and ecs:DescribeTaskAttribute "
            "(a RAM identity without them was answered with empty lists, not an error, before December 2025)"
            % (" in region %s" % region if region else "", who))


def message(run: EngineRun, status: str, error: ApiError | None, elapsed: float) -> str:
    """The wait's ``msg``."""
    items, config = run.items, run.config
    took = format_duration(elapsed)
    if run.searching and run.discovery is not None:
        return search_message(run, run.discovery, status, error, took)
    failed = [describe_failure(run, item) for item in items if item.outcome in ("failed", "not_found")]
    pending = [item for item in items if item.outcome is None]
    noun = run.noun()
    if status == "error":
        return "stopped waiting after %s: %s" % (took, error)
    if status == "predicted_timeout":
        return "stopped waiting after %s: %s (on_predicted_timeout: fail); %s still pending" % (
            took, run.late_warning, _count(len(pending), noun))
    if status == "timed_out":
        return timeout_message(run, pending, took) + ("; failed: " + "; ".join(failed) if failed else "")
    if status == "succeeded":
        done = [item for item in items if item.outcome == "succeeded"]
        if config.mode == "any":
            return "%s %s %s after %s (mode any, %d of %d left pending)" % (
                noun, done[0].id, done[0].reason, took, len(pending), len(items))
        return "%s succeeded after %s" % (_count(len(done), noun), took)
    text = "; ".join(failed)
    if pending:
        text += " (stopped waiting for %s: fail_on_failure)" % _count(len(pending), "other " + noun)
    return "%d of %d failed: %s" % (len(failed), len(items), text) if len(items) > 1 else text


def search_message(run: EngineRun, discovery: Discovery, status: str, error: ApiError | None, took: str) -> str:
    """The ``msg`` of a wait by filters whose search (``discovery``) found nothing: no match, timeout, or a permanent
    error."""
    what = discovery.describe()
    if status == "error":
        return "stopped searching for tasks matching %s after %s: %s" % (what, took, error)
    if status == "timed_out":
        return "timeout while searching for tasks matching %s (timeout: %s, elapsed: %s): none found in %s" % (
            what, format_duration(run.config.timeout), took, count_searches(discovery.polls))
    return "no task matched %s: none found in %s over %s (not_found_checks: %d); %s" % (
        what, count_searches(discovery.polls), took, run.config.not_found_checks,
        never_found_note(None, getattr(discovery, "access_key_id", None)))


def count_searches(number: int) -> str:
    return "1 search" if number == 1 else "%d searches" % number


def timeout_message(run: EngineRun, pending: list[EngineItem], took: str) -> str:
    """The ``msg`` of a wait that timed out with ``pending`` items after ``took``."""
    config = run.config
    waited = "any" if config.mode == "any" else "%d" % len(pending)
    lines = []
    for item in pending[:_LISTED_PENDING]:
        lines.append("%s %s" % (item.id, _pending_state(run, item, run.region)))
    if len(pending) > _LISTED_PENDING:
        lines.append("and %d more" % (len(pending) - _LISTED_PENDING))
    text = "timeout while waiting for %s of %s to %s (timeout: %s, elapsed: %s): %s" % (
        waited, _count(len(run.items), run.noun()), run.target(),
        format_duration(config.timeout), took, ", ".join(lines))
    if run.transient:
        text += "; last API error: %s" % run.transient[-1]
    return text


def describe_failure(run: EngineRun, item: EngineItem) -> str:
    """'task t-1 (ExportImage) ended in state 'Failed': Code: Msg'."""
    record = item.record
    text = _label(run, item) + " " + item.reason
    if item.outcome != "not_found" and (record.get("error_code") or record.get("error_msg")):
        text += ": " + ": ".join(part for part in (record.get("error_code"), record.get("error_msg")) if part)
    return text


def not_found_reason(item: EngineItem, not_found_checks: int, region: str | None) -> str:
    """Why an item missing from ``item.missed`` answers in a row has failed."""
    allowed = "(not_found_checks: %d)" % not_found_checks
    where = " in region %s" % region if region else ""
    if item.seen:
        return "disappeared: not found%s in %s after it had been seen %s" % (where, _last_polls(item.missed), allowed)
    return "was never found%s in %s %s" % (where, _count(item.missed, "poll"), allowed)


def _pending_state(run, item, region=None):
    """What the timeout message says of an item still pending."""
    if not item.seen:
        if item.missed:
            return "never found%s in %s" % (" in region %s" % region if region else "", _count(item.missed, "poll"))
        return "never answered for (every poll of it failed)"
    if item.awaiting_products:
        waiting = [child for child in item.children if child.outcome is None]
        return "%s; waiting for %s" % (item.reason, ", ".join(
            "%s %s (%s)" % (run.noun(child), child.id, _pending_state(run, child, child.key.region).replace(
                "last state ", "")) for child in waiting))
    progress = item.record.get("progress")
    state = "'%s'%s" % (_state(item), " %d%%" % progress if progress is not None else "")
    if item.missed:
        return "not found in %s (last seen in state %s)" % (_last_polls(item.missed), state)
    return "last state %s" % state


def _last_polls(number):
    return "the last poll" if number == 1 else "the last %d polls" % number


def _count(number, noun):
    return "%d %s%s" % (number, noun, "" if number == 1 else "s")
