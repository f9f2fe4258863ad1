# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The search phase of a wait by filters: poll until tasks match, with progress lines, on the wait's deadline.

See docs/waiting.md (Waiting without task ids).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.info import search_tasks
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import format_duration
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.progress import count_searches
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.schedule import pause

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import WaitPlan
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import TaskService
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.schedule import Schedule


def error_fields(error: ApiError) -> dict[str, object]:
    """The result keys of an API error the wait stopped on (its message is the result's msg)."""
    fields = error.to_dict()
    fields.pop("msg", None)
    return fields


class TaskSearch(object):
    """Find the tasks a wait by filters waits on: its first polls, on the wait's own schedule and deadline.

    Polls the search (all pages) until it matches a task; a search that matches
    nothing counts as a miss, and more than ``not_found_checks`` misses in a row
    end the wait (a new task can be invisible for a moment, as for an id).
    """

    def __init__(self, plan: WaitPlan, service: TaskService, schedule: Schedule, clock: Callable[[], float],
                 sleep: Callable[[float], object], on_progress: Callable[[dict], object] | None = None) -> None:
        self.plan = plan
        self.on_progress = on_progress
        self.service = service
        self.schedule = schedule
        self.clock = clock
        self.sleep = sleep
        self.start = self.deadline = None
        self.found = []
        self.resources = {}
        self.polls = self.misses = 0
        self.transient = []
        self.error = None
        self.timed_out = False

    def run(self) -> bool:
        """True once tasks are found; False when the search ended the wait (see failure_result)."""
        config = self.plan.config
        self.start = self.clock()
        self.deadline = self.start + config.timeout
        if config.delay:
            self.sleep(config.delay)
        wake = None if self.on_progress is None else (lambda left: self.report(self.clock(), left))
        while True:
            self.polls += 1
            try:
                found = search_tasks(self.service, self.plan.filters, deadline=self.deadline)
            except ApiError as error:
                if not error.retryable:
                    self.error = error
                    return False
                self.transient.append(error)
            else:
                if found:
                    self.found = [raw.get("TaskId") for raw in found if raw.get("TaskId")]
                    self.resources = dict((raw.get("TaskId"), raw.get("ResourceId")) for raw in found)
                    return True
                self.misses += 1
                if self.misses > config.not_found_checks:
                    return False
            now = self.clock()
            wait, _last = self.schedule.next_sleep(now, self.start, self.deadline)
            if wait is None:
                self.timed_out = True
                return False
            self.report(now, wait)
            pause(wait, self.sleep, config.display_interval, wake)

    def report(self, now: float, next_poll_in: float) -> None:
        """A progress snapshot of the search so far (ProgressReporter words it and keeps the cadence)."""
        if self.on_progress is not None:
            self.on_progress({"elapsed": now - self.start, "next_poll_in": next_poll_in,
                              "search": {"filters": self.filter_text(), "searches": self.polls}})

    def filter_text(self) -> str:
        """'task_action=ExportImage, resource_ids=[m-1]' ('any task' without either)."""
        filters = self.plan.filters
        parts = []
        for name in ("task_action", "resource_ids", "task_status"):
            value = filters.get(name)
            if value:
                parts.append("%s=%s" % (name, "[%s]" % ", ".join(value) if isinstance(value, list) else value))
        return ", ".join(parts) or "any task"

    def describe(self) -> str:
        """'task_action=ExportImage, resource_ids=[m-1] created since 2026-...Z in region cn-hangzhou'."""
        filters = self.plan.filters
        if filters.get("start_time") and filters.get("end_time"):
            created = "created from %s to %s" % (filters["start_time"], filters["end_time"])
        elif filters.get("start_time"):
            created = "created since %s" % filters["start_time"]
        elif filters.get("end_time"):
            created = "created until %s" % filters["end_time"]
        else:
            created = "created at any time"
        return "%s %s in region %s" % (self.filter_text(), created, self.service.region)

    def summary(self) -> dict[str, object]:
        """The ``search`` key of the result."""
        return {"filters": dict(self.plan.filters), "region": self.service.region, "polls": self.polls,
                "found": list(self.found)}

    def warnings(self) -> list[str]:
        if not self.transient:
            return []
        return ["%d search request(s) failed with a transient error and were tried again at the next poll; last: %s"
                % (len(self.transient), self.transient[-1])]

    def failure_result(self, api_calls: int) -> dict[str, object]:
        """The result of a wait whose search ended it: nothing found, timeout, or a permanent API error."""
        elapsed = self.clock() - self.start
        took = format_duration(elapsed)
        what = self.describe()
        if self.error is not None:
            msg = "stopped searching for tasks matching %s after %s: %s" % (what, took, self.error)
        elif self.timed_out:
            msg = "timeout while searching for tasks matching %s (timeout: %s, elapsed: %s): none found in %s" % (
                what, format_duration(self.plan.config.timeout), took, count_searches(self.polls))
        else:
            msg = "no task matched %s: none found in %s over %s (not_found_checks: %d)" % (
                what, count_searches(self.polls), took, self.plan.config.not_found_checks)
        warnings = list(self.plan.config.warnings) + self.warnings()
        status = "error" if self.error is not None else "timed_out" if self.timed_out else "failed"
        result = {
            "tasks": [], "tasks_by_id": {}, "succeeded": [], "failed_task_ids": [], "pending": list(self.plan.task_ids),
            "elapsed": round(elapsed, 1), "timed_out": self.timed_out, "wait_status": status, "msg": msg,
            "warnings": warnings, "search": self.summary(), "api_calls": api_calls, "changed": False, "failed": True,
        }
        if self.error is not None:
            result.update(error_fields(self.error))
        return result
