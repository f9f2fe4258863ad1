# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ecs_task_info does, without Ansible: check the query, then ask ECS. See docs/architecture.md."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.spelling import near_miss
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import (
    KNOWN_ACTIONS, action_name, task_record, validate_task_ids,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import TaskService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import kind_of, parse_duration, parse_user_time

if TYPE_CHECKING:  # annotations only
    import datetime
    from collections.abc import Callable, Iterable, Mapping

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient

DEFAULT_TIMEOUT = "5m"
MAX_RESOURCE_IDS = 100


class InfoQuery(object):
    """A checked ecs_task_info query: either ids, or filters."""

    def __init__(self, task_ids: list[str] | None = None, filters: dict | None = None, details: bool = False,
                 max_results: int | None = None, timeout: float | None = None) -> None:
        self.timeout = timeout  # seconds for the whole query, None: no limit
        self.task_ids = task_ids
        self.filters = filters or {}
        self.details = details
        self.max_results = max_results


def prepare_info(params: dict, now: datetime.datetime | float | None = None) -> InfoQuery:
    """Check every input before any call; raises ConfigError naming the option."""
    max_results = params.get("max_results")
    if max_results is not None and max_results < 1:
        raise ConfigError("max_results must be 1 or more, got %s." % max_results, option="max_results")
    details = bool(params.get("details"))
    raw_timeout = params.get("timeout")
    timeout = parse_duration(DEFAULT_TIMEOUT if raw_timeout is None else raw_timeout, option="timeout")
    if not timeout or timeout <= 0:
        raise ConfigError("timeout must be more than 0, got %r: it bounds the whole query, paging and details included."
                          % (params.get("timeout"),), option="timeout")
    if params.get("task_ids") is not None:
        return InfoQuery(task_ids=validate_task_ids(params["task_ids"]), details=details, max_results=max_results,
                         timeout=timeout)
    filters = prepare_filters(params, now=now)
    return InfoQuery(filters=filters, details=details, max_results=max_results, timeout=timeout)


def prepare_filters(params: Mapping[str, object], now: datetime.datetime | float | None = None) -> dict[str, object]:
    """The DescribeTasks filters among ``params``, checked: the search of both modules."""
    filters: dict[str, object] = {}
    action = params.get("task_action")
    if action:
        if not isinstance(action, str):
            raise ConfigError("task_action must be an action name such as ImportImage, got %s %r"
                              % (kind_of(action), action), option="task_action")
        if action.strip():  # blank, as empty: no filter
            filters["task_action"] = _action(action)
    if params.get("task_status"):
        filters["task_status"] = params["task_status"]
    times = {}
    for option in ("start_time", "end_time"):
        if params.get(option) not in (None, ""):
            times[option] = filters[option] = parse_user_time(params[option], option, now=now)
    if "start_time" in times and "end_time" in times and times["start_time"] > times["end_time"]:
        raise ConfigError(
            "start_time (%s) is after end_time (%s): swap them, or leave one out." % (times["start_time"], times["end_time"]),
            option="start_time",
        )
    resource_ids = _resource_ids(params.get("resource_ids"))
    if resource_ids:
        filters["resource_ids"] = resource_ids
    return filters


def _action(text: str) -> str:
    """The TaskAction to search for; a typo of one known to create tasks is refused (DescribeTasks would just find nothing)."""
    action = action_name(text)
    meant = near_miss(action, KNOWN_ACTIONS)
    if meant is not None:
        raise ConfigError("task_action %r is not an action that starts ECS tasks: did you mean %r? (known: %s)"
                          % (text, meant, ", ".join(KNOWN_ACTIONS)), option="task_action")
    return action


def unknown_action_warning(filters: dict) -> str | None:
    """For a search that found nothing: a word on a task_action that is not one known to start tasks, or None."""
    action = filters.get("task_action")
    if not action or action in KNOWN_ACTIONS:
        return None
    return ("no task matched, and task_action %r is not one of the actions known to start ECS tasks (%s): check its "
            "spelling" % (action, ", ".join(KNOWN_ACTIONS)))


def _resource_ids(ids, option="resource_ids"):
    """Stripped, duplicates folded; at most the 100 DescribeTasks takes."""
    if ids is None:
        return []
    if isinstance(ids, (str, bytes, dict)) or not isinstance(ids, (list, tuple)):
        raise ConfigError("%s must be a list of resource ids (such as an image id m-...), got %s" % (option, kind_of(ids)),
                          option=option)
    result = []
    for index, entry in enumerate(ids):
        text = entry.strip() if isinstance(entry, str) else ""
        if not text or "," in text or re.search(r"\s", text):
            raise ConfigError("%s[%d] %r is not a resource id: give one image or disk id (such as m-bp1g7004ksh0oeuc0001) "
                              "per list item" % (option, index, entry), option=option)
        if text not in result:
            result.append(text)
    if len(result) > MAX_RESOURCE_IDS:
        raise ConfigError("%s takes at most %d ids (DescribeTasks ResourceIds), got %d: split the search"
                          % (option, MAX_RESOURCE_IDS, len(result)), option=option)
    return result


def run_info(query: InfoQuery, client: EcsClient, deadline: Deadline | None = None,
             clock: Callable[[], float] = time.monotonic) -> dict[str, object]:
    """Ask ECS; returns the module result (without ``changed``).

    ``deadline`` defaults to the query's timeout from now, on ``clock``.
    """
    if deadline is None and query.timeout:
        deadline = Deadline.after(query.timeout, clock)
    service = TaskService(client)
    missing = []
    warnings = []
    if query.task_ids is not None:
        summaries = {}
        if query.task_ids:
            batch = service.summaries(query.task_ids, deadline=deadline)
            summaries, missing = batch.found, list(batch.missing)
        ordered = [summaries[task_id] for task_id in query.task_ids if task_id in summaries]
    else:
        ordered = service.find(query.filters, max_results=query.max_results, deadline=deadline)
    if query.max_results is not None:
        ordered = ordered[:query.max_results]
    attributes = {}
    if query.details and ordered:
        ids = [raw.get("TaskId") for raw in ordered]
        batch = service.attributes(ids, deadline=deadline)
        attributes = batch.found
        for task_id, error in sorted(batch.errors.items()):
            warnings.append("details of %s could not be fetched: %s" % (task_id, error))
        for task_id in batch.missing:
            warnings.append("task %s disappeared between DescribeTasks and DescribeTaskAttribute" % task_id)
    tasks = [task_record(raw, attributes.get(raw.get("TaskId")), client.region) for raw in ordered]
    unknown = unknown_action_warning(query.filters) if not tasks else None
    if unknown:
        warnings.append(unknown)
    result = {"tasks": tasks, "tasks_by_id": by_id(tasks), "missing": missing, "api_calls": client.api_calls}
    if warnings:
        result["warnings"] = warnings
    return result


def by_id(records: Iterable[dict]) -> dict[str, dict]:
    """task id -> record (the same dicts as in ``tasks``), for ``tasks_by_id[host_task_id]`` look-ups."""
    return dict((record["task_id"], record) for record in records)
