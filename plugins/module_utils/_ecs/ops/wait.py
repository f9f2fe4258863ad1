# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ecs_task_wait does, without Ansible: shared by the module and the action plugin.

See docs/waiting.md and docs/architecture.md.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import CANCELLABLE_STATES
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.specs import ENGINE_OPTIONS, SEARCH_FILTERS
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.info import by_id, prepare_filters, search_tasks
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import validate_task_ids
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import TaskService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import format_duration
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.engine import Waiter

if TYPE_CHECKING:  # annotations only
    import datetime
    from collections.abc import Callable

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.schedule import Schedule

PREDICTED_TIMEOUT_CODE = "PredictedTimeout"


class WaitPlan(object):
    """A checked wait: ids, engine configuration, what to do on timeout."""

    def __init__(self, task_ids: list[str], config: WaitConfig, cancel_on_timeout: bool = False, fail_on_failure: bool = True,
                 filters: dict | None = None) -> None:
        self.task_ids = task_ids
        self.filters = filters or {}
        self.config = config
        self.cancel_on_timeout = cancel_on_timeout
        self.fail_on_failure = fail_on_failure


# List options that Ansible's own type check would report with internal class names.
_LIST_OPTIONS = ("task_ids", "task_id", "target_states", "failure_states", "pending_states")


def check_list_options(args: dict) -> None:
    """Before the argument spec: a mapping given for a list option gets a message in plain words."""
    for name in _LIST_OPTIONS:
        value = args.get(name)
        if isinstance(value, dict):
            option = "task_ids" if name == "task_id" else name
            raise ConfigError("%s must be a list, got a dict; write it as a YAML list, e.g. [%s]" % (
                option, "t-bp1hvgwromzv32iq0001" if option == "task_ids" else "Finished"), option=option)


def prepare_wait(params: dict, now: datetime.datetime | float | None = None) -> WaitPlan:
    """Check every input before any call; raises ConfigError naming the option."""
    task_ids = validate_task_ids(params.get("task_ids") or [])
    filters = prepare_filters(params, now=now)
    if not task_ids and not filters:
        raise ConfigError(
            "task_ids is empty, so there is nothing to wait for: give at least one task id, or the filters "
            "that find the tasks (%s; skip the task with `when: ids | length > 0` when the list may be empty)."
            % ", ".join(SEARCH_FILTERS),
            option="task_ids",
        )
    options = {name: params.get(name) for name in ENGINE_OPTIONS if params.get(name) is not None}
    config = WaitConfig.from_options(options)
    return WaitPlan(
        task_ids, config,
        cancel_on_timeout=bool(params.get("cancel_on_timeout")),
        fail_on_failure=params.get("fail_on_failure", True) is not False,
        filters=filters,
    )


def run_wait(plan: WaitPlan, client: EcsClient, check_mode: bool = False, clock: Callable[[], float] = time.monotonic,
             sleep: Callable[[float], object] = time.sleep, on_progress: Callable[[dict], object] | None = None) -> dict:
    """Wait, cancel on timeout if asked; return the module result, ``failed`` set."""
    service = TaskService(client)
    waiter = Waiter(plan.config, service, clock=clock, sleep=sleep, on_progress=on_progress, region=client.region)
    search = None
    if plan.filters:
        search = TaskSearch(plan, service, waiter.schedule, clock, sleep)
        if not search.run():
            return search.failure_result(client.api_calls)
        outcome = waiter.wait(plan.task_ids + [task_id for task_id in search.found if task_id not in plan.task_ids],
                              start=search.start)
    else:
        outcome = waiter.wait(plan.task_ids)
    result = outcome.to_result()
    _mark_found_by(result["tasks"], plan, search)
    result["tasks_by_id"] = by_id(result["tasks"])
    result["changed"] = False
    if outcome.error is not None:
        result.update(_error_fields(outcome.error))
    elif outcome.timed_out and not outcome.answered and outcome.last_error is not None:
        # Every poll failed (an endpoint down, say): the error is what the user must fix, not the timeout.
        result.update(_error_fields(outcome.last_error))
    elif outcome.status == "predicted_timeout":
        result.update(error_code=PREDICTED_TIMEOUT_CODE, error_message=outcome.message)
    if outcome.timed_out and plan.cancel_on_timeout:
        _cancel_pending(service, result, check_mode)
    if search is not None:
        result["search"] = search.summary()
        result["warnings"].extend(search.warnings())
    result["api_calls"] = client.api_calls
    # Ansible owns the "failed" key (the task's failure flag; failed_when overwrites it),
    # so the ids of the failed tasks travel under a key of their own as well.
    result["failed_task_ids"] = list(outcome.failed)
    if outcome.status in ("timed_out", "error", "predicted_timeout"):
        result["failed"] = True
    elif outcome.status == "failed":
        result["failed"] = plan.fail_on_failure
    else:
        result["failed"] = False
    return result


class TaskSearch(object):
    """Find the tasks a wait by filters waits on: its first polls, on the wait's own schedule and deadline.

    Polls the search (all pages) until it matches a task; a search that matches
    nothing counts as a miss, and more than ``not_found_checks`` misses in a row
    end the wait (a new task can be invisible for a moment, as for an id).
    """

    def __init__(self, plan: WaitPlan, service: TaskService, schedule: Schedule, clock: Callable[[], float],
                 sleep: Callable[[float], object]) -> None:
        self.plan = plan
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
            self.sleep(wait)

    def describe(self) -> str:
        """'task_action=ExportImage, resource_ids=[m-1] created since 2026-...Z in region cn-hangzhou'."""
        filters = self.plan.filters
        parts = []
        for name in ("task_action", "resource_ids", "task_status"):
            value = filters.get(name)
            if value:
                parts.append("%s=%s" % (name, "[%s]" % ", ".join(value) if isinstance(value, list) else value))
        if filters.get("start_time") and filters.get("end_time"):
            created = "created from %s to %s" % (filters["start_time"], filters["end_time"])
        elif filters.get("start_time"):
            created = "created since %s" % filters["start_time"]
        elif filters.get("end_time"):
            created = "created until %s" % filters["end_time"]
        else:
            created = "created at any time"
        return "%s %s in region %s" % (", ".join(parts) or "any task", created, self.service.region)

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
                what, format_duration(self.plan.config.timeout), took, _searches(self.polls))
        else:
            msg = "no task matched %s: none found in %s over %s (not_found_checks: %d)" % (
                what, _searches(self.polls), took, self.plan.config.not_found_checks)
        warnings = list(self.plan.config.warnings) + self.warnings()
        result = {
            "tasks": [], "tasks_by_id": {}, "succeeded": [], "failed_task_ids": [], "pending": list(self.plan.task_ids),
            "elapsed": round(elapsed, 1), "timed_out": self.timed_out, "msg": msg, "warnings": warnings,
            "search": self.summary(), "api_calls": api_calls, "changed": False, "failed": True,
        }
        if self.error is not None:
            result.update(_error_fields(self.error))
        return result


def _searches(number):
    return "1 search" if number == 1 else "%d searches" % number


def _mark_found_by(records, plan, search):
    """Each record's ``found_by``: the options that selected it (task_ids, or the search's filter options)."""
    given = set(plan.task_ids)
    found = set(search.found) if search is not None else set()
    filter_names = [name for name in SEARCH_FILTERS if name in plan.filters]
    for record in records:
        names = ["task_ids"] if record["task_id"] in given else []
        if record["task_id"] in found:
            names.extend(filter_names)
            # Only DescribeTasks carries ResourceId; a task then polled alone (DescribeTaskAttribute) lacks it.
            if not record.get("resource_id"):
                record["resource_id"] = search.resources.get(record["task_id"]) or None
        record["found_by"] = names


def _error_fields(error):
    fields = error.to_dict()
    fields.pop("msg", None)
    return fields


def _cancellable(record):
    return (record.get("wait_outcome") == "pending" and record.get("support_cancel")
            and record.get("task_status") in CANCELLABLE_STATES)


def _cancel_pending(service, result, check_mode):
    """Cancel the still-running cancellable tasks; the result says which and why not."""
    candidates = [record for record in result["tasks"] if _cancellable(record)]
    skipped = [record["task_id"] for record in result["tasks"]
               if record.get("wait_outcome") == "pending" and not _cancellable(record)]
    if skipped:
        result["not_cancellable"] = skipped
    if check_mode:
        result["would_cancel"] = [record["task_id"] for record in candidates]
        result["changed"] = bool(candidates)
        return
    cancelled, errors = [], {}
    for record in candidates:
        try:
            service.cancel(record["task_id"])
        except ApiError as error:
            errors[record["task_id"]] = str(error)
            continue
        cancelled.append(record["task_id"])
    if cancelled:
        _refresh_states(service, result, cancelled)
    result["cancelled"] = cancelled
    if errors:
        result["cancel_errors"] = errors
    result["changed"] = bool(cancelled)
    note = "cancelled %d task(s): %s" % (len(cancelled), ", ".join(cancelled)) if cancelled else "no task could be cancelled"
    result["msg"] = "%s; %s" % (result.get("msg", ""), note)


def _refresh_states(service, result, task_ids):
    """Read back the state the cancelled tasks show now (Deleted, normally)."""
    try:
        batch = service.summaries(task_ids)
    except ApiError:
        return
    for record in result["tasks"]:
        raw = batch.found.get(record["task_id"])
        if raw is not None and raw.get("TaskStatus"):
            record["task_status"] = raw["TaskStatus"]
