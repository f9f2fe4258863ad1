# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ecs_task_wait does, without Ansible: shared by the module and the action plugin.

See docs/waiting.md and docs/architecture.md.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import CANCELLABLE_STATES
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.specs import (
    ENGINE_OPTIONS, SEARCH_FILTERS, WAIT_OPTIONS, check_list_options, wait_argument_spec,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait_kind import WaitKind
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.info import prepare_filters
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait_result import wait_result
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import validate_task_ids
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import TaskService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.sources import product_sources
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.engine import Waiter
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.outcome import never_found_note
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.task_source import TaskDiscovery, TaskSource

if TYPE_CHECKING:  # annotations only
    import datetime
    from collections.abc import Callable, Mapping

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient

# cancel_on_timeout acts after the deadline: its CancelTask calls and their read-back share this many seconds
# (plus the client's grace for a last call), so a slow endpoint cannot stretch the wait (docs/waiting.md).
CANCEL_TIME = 5.0


@dataclass(frozen=True)
class WaitRequest:
    """A checked wait, frozen: the ids, the search filters, the engine's configuration, what to do on timeout.

    Made once, by ``prepare_wait``, where the options come in (the action plugin, the module, the target's job);
    nothing below it checks an option again.
    """

    task_ids: tuple[str, ...]
    config: WaitConfig
    filters: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    cancel_on_timeout: bool = False


# What the message shows as an example when a list option is given a mapping (ops/specs.check_list_options).
LIST_EXAMPLES = {"task_ids": "t-bp1hvgwromzv32iq0001", "resource_ids": "m-bp1g7004ksh0oeuc0001",
                 "target_states": "Finished", "failure_states": "Finished", "pending_states": "Finished",
                 "task_status": "Processing"}


def prepare_wait(params: Mapping[str, object], now: datetime.datetime | float | None = None) -> WaitRequest:
    """The request of ecs_task_wait's options (after the argument spec), every input checked before any call;
    raises ConfigError naming the option."""
    check_list_options(params, WAIT_OPTIONS, LIST_EXAMPLES)
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
    return WaitRequest(tuple(task_ids), config, MappingProxyType(dict(filters)),
                       cancel_on_timeout=bool(params.get("cancel_on_timeout")))


def run_wait(plan: WaitRequest, client: EcsClient | Clients, check_mode: bool = False,
             clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], object] = time.sleep,
             on_progress: Callable[[dict], object] | None = None) -> dict:
    """Wait, cancel on timeout if asked; return the module result, ``failed`` set.

    ``client``: the run's Clients (ops/session.py), or one ECS client when nothing else is read.
    """
    clients = Clients.of(client)
    service = TaskService(clients.ecs())
    sources = [TaskSource(service, plan.config)]
    if plan.config.wait_for == "product":
        sources.extend(product_sources(clients, plan.config.product_condition))
    waiter = Waiter(plan.config, sources, clock=clock, sleep=sleep, on_progress=on_progress, region=clients.region)
    discovery = TaskDiscovery(service, plan.filters) if plan.filters else None
    outcome = waiter.wait(plan.task_ids, discovery=discovery)
    # A search that matched nothing ends the wait as a failure whatever fail_on_failure says.
    result = wait_result(outcome, "task", plan.config.fail_on_failure,
                         failed_anyway=outcome.search is not None and not outcome.search["found"])
    if outcome.answered and not outcome.found_any and outcome.error is None:
        result["msg"] += "; " + never_found_note(clients.region, service.access_key_id)
    _mark_found_by(result["tasks"], plan, discovery)
    if outcome.timed_out and plan.cancel_on_timeout:
        _cancel_pending(service, result, check_mode, Deadline.after(CANCEL_TIME, clock))
    if outcome.search is not None:
        result["search"] = outcome.search
    result["api_calls"] = clients.api_calls
    return result


def _mark_found_by(records, plan, discovery):
    """Each record's ``found_by``: the options that selected it (task_ids, or the search's filter options)."""
    given = set(plan.task_ids)
    found = set(discovery.found) if discovery is not None else set()
    filter_names = [name for name in SEARCH_FILTERS if name in plan.filters]
    for record in records:
        names = ["task_ids"] if record["task_id"] in given else []
        if record["task_id"] in found:
            names.extend(filter_names)
            # Only DescribeTasks carries ResourceId; a task then polled alone (DescribeTaskAttribute) lacks it.
            if not record.get("resource_id"):
                record["resource_id"] = discovery.resources.get(record["task_id"]) or None
        record["found_by"] = names


def _cancellable(record):
    return (record.get("wait_outcome") == "pending" and record.get("support_cancel")
            and record.get("task_status") in CANCELLABLE_STATES)


def _cancel_pending(service, result, check_mode, deadline):
    """Cancel the still-running cancellable tasks by ``deadline``; the result says which and why not."""
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
            service.cancel(record["task_id"], deadline=deadline)
        except ApiError as error:
            errors[record["task_id"]] = str(error)
            continue
        cancelled.append(record["task_id"])
    if cancelled:
        _refresh_states(service, result, cancelled, deadline)
    result["cancelled"] = cancelled
    if errors:
        result["cancel_errors"] = errors
    result["changed"] = bool(cancelled)
    note = "cancelled %d task(s): %s" % (len(cancelled), ", ".join(cancelled)) if cancelled else "no task could be cancelled"
    result["msg"] = "%s; %s" % (result.get("msg", ""), note)


def _refresh_states(service, result, task_ids, deadline):
    """Read back the state the cancelled tasks show now (Deleted, normally)."""
    try:
        batch = service.summaries(task_ids, deadline=deadline)
    except ApiError:
        return
    for record in result["tasks"]:
        raw = batch.found.get(record["task_id"])
        if raw is not None and raw.get("TaskStatus"):
            record["task_status"] = raw["TaskStatus"]


WAIT = WaitKind("ecs_task_wait", "task", wait_argument_spec, prepare_wait, run_wait, "wait", LIST_EXAMPLES)
