# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a wait on a target has learned so far, and the result the controller makes of it when the
target's worker stops answering (alive but stuck: stopped, swapped out, hung in the kernel).

The worker keeps the partial result in its job folder at each progress report (``PartialKeeper``);
the controller gives the wait its ``timeout`` plus ``STALL_GRACE`` (``stall_allowance``), then
cancels the job and returns ``stalled_result``: timed out, with every record the worker had.
See docs/where-it-runs.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import DEADLINE_GRACE
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.transport import MIN_TIMEOUT
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import CANCEL_TIME
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import format_duration

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable

# Past its timeout, what a worker may still need: its start (imports, credentials), the last call's
# grace, writing its answer and the controller's next poll of it, on a slow host.
STALL_GRACE = 20.0
# The timeout message names this many pending tasks, then says how many more (as waiter/outcome.py).
_LISTED = 10


def stall_allowance(timeout: float, cancel_on_timeout: bool = False) -> float:
    """Seconds the controller lets a wait of ``timeout`` seconds on a target run before it calls the worker stuck."""
    cancels = CANCEL_TIME + DEADLINE_GRACE + MIN_TIMEOUT if cancel_on_timeout else 0.0
    return timeout + cancels + STALL_GRACE


def _noun_of(records, noun):
    """What the records are of: ``noun``, unless they say otherwise (a start module waits on a task or an image)."""
    for record in records[:1]:
        if noun + "_id" not in record:
            return next((name for name in ("task", "image", "disk") if name + "_id" in record), noun)
    return noun


def partial_result(snapshot: dict, api_calls: int, warnings: list[str], noun: str = "task") -> dict:
    """The result a wait on ``noun``s would return, were it to end at this progress ``snapshot`` (waiter/outcome.py)."""
    records = snapshot.get("records") or []
    noun = _noun_of(records, noun)
    key = noun + "_id"
    for record in records:
        record["elapsed"] = round(record.get("elapsed") or 0.0, 1)
    return {
        noun + "s": records,
        "succeeded": [record[key] for record in records if record.get("wait_outcome") == "succeeded"],
        "failed_%s_ids" % noun: [record[key] for record in records if record.get("wait_outcome") in ("failed", "not_found")],
        "pending": [record[key] for record in records if record.get("wait_outcome") == "pending"],
        "elapsed": round(snapshot.get("elapsed") or 0.0, 1),
        "api_calls": api_calls,
        "warnings": list(warnings),
        "searching": bool(snapshot.get("search")),
    }


class PartialKeeper(object):
    """Called with each progress snapshot (and the client's call count); hands ``keep`` the partial result."""

    def __init__(self, keep: Callable[[dict], object], noun: str = "task") -> None:
        self.keep = keep
        self.noun = noun
        self.warnings: list[str] = []

    def __call__(self, snapshot: dict, api_calls: int) -> None:
        self.warnings.extend(snapshot.get("warnings") or ())
        self.keep(partial_result(snapshot, api_calls, self.warnings, self.noun))


def _pending_text(record: dict, noun: str) -> str:
    item_id, state = record.get(noun + "_id"), record.get("task_status" if noun == "task" else "status")
    if not state:
        return "%s not answered for yet" % item_id
    progress = record.get("progress")
    return "%s last state '%s'%s" % (item_id, state, "" if progress is None else " %d%%" % progress)


def learned(partial: dict | None, noun: str = "task") -> dict:
    """The fields of a result that a kept ``partial`` gives (none without one)."""
    if not partial:
        return {}
    fields = dict((key, value) for key, value in partial.items() if key != "searching")
    records = fields.get(noun + "s") or []
    fields[noun + "s_by_id"] = dict((record[noun + "_id"], record) for record in records)
    return fields


def stalled_result(partial: dict | None, host: str, pid: object, waited: float, timeout: float,
                   noun: str = "task") -> dict:
    """The timed-out result of a wait on ``noun``s whose worker on ``host`` stopped answering, from its last
    ``partial``; ``waited``: the seconds the controller had waited when it gave up."""
    result: dict[str, Any] = {noun + "s": [], noun + "s_by_id": {}, "succeeded": [], "failed_%s_ids" % noun: [],
                              "pending": [], "api_calls": 0, "warnings": []}
    result.update(learned(partial, noun))
    records = result[noun + "s"]
    pending = [record for record in records if record.get("wait_outcome") == "pending"]
    if records:
        so_far = ", ".join(_pending_text(record, noun) for record in pending[:_LISTED])
        if len(pending) > _LISTED:
            so_far += ", and %d more" % (len(pending) - _LISTED)
        plural = "" if len(records) == 1 else "s"
        so_far = "%d of %d %s%s pending%s" % (len(pending), len(records), noun, plural, (": " + so_far) if so_far else "")
    else:
        so_far = "no %s record yet%s" % (noun, " (it was searching for its tasks)" if (partial or {}).get("searching") else "")
    result.update({
        "elapsed": round(waited, 1), "timed_out": True, "wait_status": "timed_out", "failed": True, "changed": False,
        "msg": "the worker of the wait on %s (pid %s) stopped answering: it had not ended %s after the timeout of %s; "
               "timed out with what it had learned after %s: %s" % (
                   host, pid or "unknown", format_duration(max(0.0, waited - timeout)), format_duration(timeout),
                   format_duration((partial or {}).get("elapsed") or 0), so_far),
    })
    return result
