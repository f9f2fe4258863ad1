# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which task records are news: one event per first sighting, status change and end, never twice.

See docs/eda.md (the event shape).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import TERMINAL_STATES

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable


def minute_of(moment: str) -> str:
    """``2015-11-23T02:13`` of ``2015-11-23T02:13:51Z``: the service tells task times to the minute only.

    A record's ``2015-11-23T02:13:00Z`` means some second of that minute, so a time with seconds
    (``since``, a search window's start) is compared with it minute to minute.
    """
    return moment[:16]


def _epoch(moment):
    """Epoch seconds of a record's time (``2015-11-23T02:13:00Z``), or None."""
    try:
        parsed = datetime.datetime.strptime(moment, "%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return None
    return parsed.replace(tzinfo=datetime.timezone.utc).timestamp()


def event_for(record: dict, previous_status: str | None, region: str) -> dict[str, object]:
    """The event put on the rulebook's queue (the shape docs/eda.md documents)."""
    return {"ecs_task": record, "previous_status": previous_status, "region": region}


def is_ended(record: dict) -> bool:
    return record.get("task_status") in TERMINAL_STATES


class ChangeDetector(object):
    """Which task records are news, given the status announced last for each task.

    A record is news when its task was never seen (``previous_status`` None),
    or when its status differs from the one announced last. A task already
    ended before ``since`` is old news: remembered, never announced. Progress
    alone is no change. ``commit`` records what was announced, so a change
    that could not be announced (its details failed to load) comes up again
    at the next poll, and one that was announced never does.
    """

    def __init__(self, since: str) -> None:
        self.since = since
        self._status: dict[str, str] = {}  # task id -> the status announced last
        self._created: dict[str, str | None] = {}  # task id -> its creation_time

    def __contains__(self, task_id: object) -> bool:
        return task_id in self._status

    def status_of(self, task_id: str) -> str | None:
        return self._status.get(task_id)

    def _is_old(self, record, read_at):
        """Whether an ended task first seen now ended before ``since``.

        The service gives the minute: a task shown ended at 02:13 ended in [02:13:00, 02:14:00) (a time
        with seconds, within its second), and before ``read_at`` (when its answer was read, epoch seconds). When ``since`` falls inside
        that span, the likelier side wins: right after the source started (since is when it
        started) an end of that minute is old news; read long after, it may well have come after
        since, and is announced (an event too many rather than an end lost).
        """
        if not is_ended(record):
            return False
        moment = record.get("finished_time") or record.get("creation_time")
        begins, since = _epoch(moment), _epoch(self.since)
        if begins is None or since is None:
            return isinstance(moment, str) and moment < self.since
        # A time with seconds is to the second; one on :00 may be the service's minute.
        span = 60.0 if begins % 60 == 0 else 1.0
        ends = begins + span
        if read_at is not None and read_at > begins:  # (a clock behind the service's says nothing)
            ends = min(ends, read_at)
        return since - begins > ends - since

    def news(self, records: Iterable[dict], read_at: float | None = None) -> list[tuple[dict, str | None]]:
        """[(record, previous_status)] for the records that are news, in their order.

        ``read_at``: epoch seconds at which the records were read (see _is_old).
        """
        found: list[tuple[dict, str | None]] = []
        for record in records:
            task_id = record.get("task_id")
            status = record.get("task_status")
            if not task_id or not status:
                continue
            if task_id not in self._status:
                if self._is_old(record, read_at):
                    self.commit(record)
                    continue
                found.append((record, None))
            elif self._status[task_id] != status:
                found.append((record, self._status[task_id]))
        return found

    def commit(self, record: dict) -> None:
        self._status[record["task_id"]] = record["task_status"]
        self._created[record["task_id"]] = record.get("creation_time")

    def ended_ids(self) -> set[str]:
        return set(task_id for task_id, status in self._status.items() if status in TERMINAL_STATES)

    def forget_created_before(self, start: str) -> None:
        """Drop tasks a sliding search window can no longer return: memory stays bounded.

        Only those created in a minute before ``start``'s: a task shown created at 02:13 may have been
        created at 02:13:51, after a window starting at 02:13:30, which still returns it; forgotten, it
        would be announced again as first seen.
        """
        limit = minute_of(start)
        for task_id in [task_id for task_id, created in self._created.items()
                        if isinstance(created, str) and minute_of(created) < limit]:
            del self._status[task_id]
            del self._created[task_id]
