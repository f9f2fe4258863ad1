# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Progress lines while a wait goes on, like Terraform's "Still creating... [1m10s elapsed]".

``ProgressReporter`` turns the engine's snapshots into lines (when the picture changes, else at a
steady cadence) and prints the closing line; lines stay within about MAX_LINE characters.
See docs/waiting.md (Progress lines) and docs/architecture.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import format_duration
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.outcome import WaitOutcome, count_searches, one_line

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable

MAX_LINE = 120

# State names in a line: a task not found (yet), or never answered for.
_STATE_WORDS = {"NotFound": "not found", "Unknown": "no answer yet", None: "no answer yet"}
# What a task produced, as a line names it (a record's products[].kind).
_PRODUCT_WORDS = {"image": "image", "oss_object": "OSS object", "disk": "disk"}


def _elapsed(snapshot):
    # Whole seconds, as Terraform shows them: sub-second noise helps nobody.
    return "[%s elapsed]" % format_duration(int(snapshot.get("elapsed", 0) or 0))


def _eta(seconds):
    return None if seconds is None else "ETA %s" % format_duration(int(round(seconds)))


def _percent(view):
    return "" if view.get("progress") is None else " %d%%" % view["progress"]


def _one_task(task):
    """What the line of a single-task wait says: id, action, state and progress, or its outcome."""
    text = task.get("task_id") or "?"
    if task.get("action"):
        text += " (%s)" % task["action"]
    outcome = task.get("outcome") or "pending"
    if outcome in ("succeeded", "failed"):
        return "%s %s" % (text, outcome)
    if outcome == "not_found":
        return "%s failed (not found)" % text
    return "%s %s%s" % (text, _STATE_WORDS.get(task.get("state"), task.get("state")), _percent(task))


def _searching(head, tail, search):
    found = "none yet after %s" % count_searches(search.get("searches", 0))
    # The filters when they fit (the region and creation times are in the final message).
    return _fit(head, tail, [["searching for %s: %s" % (search.get("filters"), found)], ["searching: " + found]])


def _pending_states(snapshot):
    states = snapshot.get("pending_states")
    if not states:
        return None
    if len(states) == 1:
        return "(%s)" % _STATE_WORDS.get(next(iter(states)), next(iter(states)))
    ordered = sorted(states.items(), key=lambda item: (-item[1], str(item[0])))
    return "(%s)" % ", ".join("%d %s" % (count, _STATE_WORDS.get(state, state)) for state, count in ordered)


def _fit(head, tail, choices):
    """The first of ``choices`` (lists of parts, the richest first) whose line fits in MAX_LINE; else the last."""
    lines = ["%s%s %s" % (head, ", ".join(part for part in parts if part), tail) for parts in choices]
    return next((line for line in lines if len(line) <= MAX_LINE), lines[-1])


def format_progress(snapshot: dict, prefix: str = "ecs_task_wait") -> str:
    """One line for a person, ending with the elapsed time in brackets."""
    head, tail = "%s: " % prefix, _elapsed(snapshot)
    if snapshot.get("search"):
        return _searching(head, tail, snapshot["search"])
    task = snapshot.get("task")
    if task and snapshot.get("total", 0) == 1:
        eta = None
        if (task.get("outcome") or "pending") == "pending":
            eta = _eta(snapshot.get("eta") if snapshot.get("eta") is not None else task.get("eta"))
        return _fit(head, tail, [[_one_task(task), eta]])
    eta = _eta(snapshot.get("eta"))
    total, pending = snapshot.get("total", 0), snapshot.get("pending", 0)
    counts = "%d/%d succeeded" % (snapshot.get("succeeded", 0), total)
    if snapshot.get("failed"):
        counts += ", %d failed" % snapshot["failed"]
    if not pending:
        return _fit(head, tail, [[counts]])
    states = _pending_states(snapshot)
    full = "%s, %d pending %s" % (counts, pending, states) if states else "%s, %d pending" % (counts, pending)
    short = "%s, %d pending" % (counts, pending)
    slowest = snapshot.get("slowest") or {}
    named = anonymous = None
    if slowest.get("task_id") and slowest.get("progress") is not None:
        named, anonymous = "slowest %s%s" % (slowest["task_id"], _percent(slowest)), "slowest at%s" % _percent(slowest)
    # Richest first; what goes first when space runs out: the slowest task's id, the states, the slowest task.
    return _fit(head, tail, [[full, named, eta], [full, anonymous, eta], [short, anonymous, eta], [short, eta], [short]])


def format_closing(result: dict | WaitOutcome, prefix: str = "ecs_task_wait") -> str:
    """The last line of a wait, from its result (or a WaitOutcome): how it ended, in the same words."""
    noun = _noun_of(result)
    if isinstance(result, WaitOutcome):
        result = dict(result.to_result(), **{"failed_%s_ids" % noun: list(result.failed)})
    failed_key = "failed_%s_ids" % noun
    status = result.get("wait_status") or ("timed_out" if result.get("timed_out") else
                                           "error" if result.get("error_code") else
                                           "failed" if result.get(failed_key) else "succeeded")
    records = result.get(noun + "s") or []
    search = result.get("search") or {}
    if not records and not search.get("found") and "polls" in search:
        return "%s: %s %s" % (prefix, _search_ended(status, result, search), _elapsed(result))
    total = len(records)
    succeeded, failed, pending = (len(result.get(key) or ()) for key in ("succeeded", failed_key, "pending"))
    counts = "%d/%d succeeded" % (succeeded, total)
    if failed:
        counts += ", %d failed" % failed
    if pending:
        counts += ", %d pending" % pending
    if status == "succeeded":
        text = "done: " + counts
    elif status == "failed":
        first: dict = next((record for record in records if record.get("wait_outcome") in ("failed", "not_found")), {})
        text = "failed: %s (first: %s %s)" % (counts, first.get(noun + "_id", "?"), _failure_cause(first))
    elif status == "timed_out":
        text = "timed out: " + counts
        if result.get("error_code"):
            text += ", every poll failed: %s" % result["error_code"]
    elif status == "predicted_timeout":
        text = "stopped: predicted to end after the timeout, " + counts
    else:
        text = "stopped on an error, %s: %s" % (result.get("error_code") or "error", counts)
    return "%s: %s %s" % (prefix, text, _elapsed(result))


def _failure_cause(record: dict) -> str:
    """Its own error code; else the state it failed in, said as a state (not where a code goes): for a task that
    reached its target but whose product failed (wait_for: product), that product's."""
    if record.get("error_code"):
        return record["error_code"]
    product = next((made for made in record.get("products") or () if not made.get("ready") and made.get("status")), None)
    if product is not None:
        return "%s in state '%s'" % (_PRODUCT_WORDS.get(product.get("kind"), product.get("kind")), product["status"])
    state = record.get("task_status") or record.get("status")
    return "in state '%s'" % state if state else "not found"


def _noun_of(result):
    """What a wait's result (or WaitOutcome) holds records of: "task", "image" or "disk"."""
    collection = getattr(result, "collection", None)
    if collection is None:
        collection = next((key for key in ("tasks", "images", "disks") if key in result), "tasks")
    return collection[:-1]


def _search_ended(status, result, search):
    """How a wait by filters ended when its search found nothing."""
    searches = count_searches(search["polls"])
    if status == "timed_out":
        return "timed out searching: none found in %s" % searches
    if status == "error":
        return "stopped on an error while searching, %s: none found in %s" % (result.get("error_code") or "error", searches)
    return "failed: no task matched in %s" % searches


def _signature(snapshot):
    # Progress percentages and ETAs move on nearly every poll: they are shown at the
    # cadence, not treated as a change of picture.
    return (
        snapshot.get("succeeded"), snapshot.get("failed"), snapshot.get("pending"),
        tuple(sorted((snapshot.get("by_state") or {}).items(), key=str)),
    )


class ProgressReporter(object):
    """Turns engine snapshots into lines: on change, or every ``interval`` seconds; ``close`` ends them.

    ``reporter.warn(texts)`` for what is known before the first poll, ``reporter(snapshot)`` for each
    engine report (local or a remote wait's), then ``reporter.close(result)`` once with the wait's result
    dict (or WaitOutcome). ``emit`` None: no lines (under ``async``).
    """

    # Reports come from a clock: one due a hair early (float sums of sleeps) still counts as due.
    TOLERANCE = 0.05

    def __init__(self, emit: Callable[[str], object] | None, interval: float = 10.0, prefix: str = "ecs_task_wait") -> None:
        self.emit = emit
        self.interval = interval
        self.prefix = prefix
        self._last_signature = None
        self._last_emit_at = None
        self._closed = False
        self.lines = 0
        self.warned: list[str] = []  # the warnings shown as lines

    def _line(self, text):
        if self.emit is None:
            return
        self.lines += 1
        # Here, where every line of both paths is made: the target's log is read back line by line.
        self.emit(one_line(text))

    def warn(self, warnings: list[str] | tuple[str, ...]) -> None:
        """Show each warning as a line now (once each)."""
        for warning in warnings:
            if self.emit is not None and warning not in self.warned:
                self.warned.append(warning)
                self._line("%s: warning: %s" % (self.prefix, warning))

    def __call__(self, snapshot: dict) -> None:
        self.warn(snapshot.get("warnings") or ())
        elapsed = snapshot.get("elapsed", 0.0)
        signature = _signature(snapshot)
        changed = signature != self._last_signature
        due = False
        if self.interval and self._last_emit_at is not None:
            since = elapsed - self._last_emit_at
            # The next report comes at the next poll or wake-up, at most one interval away: when
            # skipping this one would leave more than an interval without a line, it is due now.
            upcoming = self.interval if snapshot.get("next_poll_in") is None else min(self.interval, snapshot["next_poll_in"])
            due = since >= self.interval - self.TOLERANCE or (
                snapshot.get("next_poll_in") is not None and since + upcoming > self.interval + self.TOLERANCE)
        if changed or due:
            self._last_signature = signature
            self._last_emit_at = elapsed
            self._line(format_progress(snapshot, self.prefix))

    def say(self, text: str) -> None:
        """Show one line of what a start module did (ops/start/plan.py): ``<prefix>: <text>``."""
        self._line("%s: %s" % (self.prefix, text))

    def close(self, result: dict | WaitOutcome | None, closing: Callable[[dict, str], str] | None = None) -> None:
        """Print the closing line for ``result`` (once; later calls do nothing): ``closing(result, prefix)``'s when
        given (a start module's), else a wait's.

        A result dict loses the warnings already shown as lines: Ansible would print them a second time.
        """
        if self._closed or result is None:
            return
        self._closed = True
        self._line(closing(result, self.prefix) if closing is not None and isinstance(result, dict)
                   else format_closing(result, self.prefix))
        if isinstance(result, dict) and self.warned and result.get("warnings"):
            result["warnings"] = [warning for warning in result["warnings"] if warning not in self.warned]
