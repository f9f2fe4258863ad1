# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The actions of the signed API (version 2014-05-26), on authenticated parameters.

Answers follow the API reference shapes; times to the minute
(yyyy-MM-ddTHH:mmZ) as the service sends them, or to the second with
``time_precision="second"``; FinishedTime is "" while a task runs;
SupportCancel is the string "true"/"false" as in the SDK models. DescribeTasks
does not list a queued task (Waiting, Paused, Pending), as the pages say.
"""

from __future__ import annotations

from tests.emulator import state, taskspec
from tests.emulator.clock import DEFAULT_PRECISION, format_api_time, parse_api_time
from tests.emulator.errors import ApiError, invalid_parameter
from tests.emulator.params import int_param as _int_param, required as _required

MAX_PAGE_SIZE = 100
MAX_TASK_IDS = 100
MAX_RESOURCE_IDS = 100
FILTERABLE_STATUSES = (state.FINISHED, state.PROCESSING, state.FAILED)


def _time_param(params, name):
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    stamp = parse_api_time(raw)
    if stamp is None:
        raise ApiError("Invalid%s.Malformed" % name)
    return stamp


class EcsApi:
    def __init__(self, store, clock, more_actions=None, time_precision=DEFAULT_PRECISION, page_size_cap=lambda: 0):
        """``more_actions``: {Action: handler(params)} served beside the task actions (start actions, reads)."""
        self.store = store
        self.clock = clock
        self.time_precision = time_precision
        # The largest page DescribeTasks serves now (0: as asked); the page size it echoes says so.
        self.page_size_cap = page_size_cap
        self._actions = {
            "DescribeTasks": self.describe_tasks,
            "DescribeTaskAttribute": self.describe_task_attribute,
            "CancelTask": self.cancel_task,
        }
        self._actions.update(more_actions or {})

    def call(self, action, params):
        handler = self._actions.get(action)
        if handler is None:
            raise ApiError("InvalidAction.NotFound")
        return handler(params)

    # -- helpers -----------------------------------------------------------
    def _region(self, params):
        region = _required(params, "RegionId")
        if region not in taskspec.REGIONS:
            raise ApiError("InvalidRegionId.NotFound")
        return region

    def _visible_task(self, region, task_id, now):
        task = self.store.get(task_id)
        if task is None or task.region != region or not task.visible(now):
            raise ApiError("InvalidTaskId.NotFound")
        return task

    def _summary(self, task, now):
        return {
            "TaskId": task.task_id,
            "TaskAction": task.action,
            "TaskStatus": task.status(now),
            "SupportCancel": "true" if task.support_cancel else "false",
            "CreationTime": format_api_time(task.created, self.time_precision),
            "FinishedTime": format_api_time(task.finished_at(now), self.time_precision),
            "ResourceId": task.resource_id,
        }

    # -- reads ---------------------------------------------------------------
    def describe_tasks(self, params):
        region = self._region(params)
        page_number = _int_param(params, "PageNumber", 1, 1)
        page_size = _int_param(params, "PageSize", 10, 1, MAX_PAGE_SIZE)
        cap = int(self.page_size_cap() or 0)
        if cap:
            page_size = min(page_size, cap)
        start = _time_param(params, "StartTime")
        end = _time_param(params, "EndTime")
        resource_ids = self._resource_ids(params)
        status = params.get("TaskStatus")
        status = status if status in FILTERABLE_STATUSES else None
        action = taskspec.normalize_action(params.get("TaskAction") or "") or None
        now = self.clock.now()

        ids_param = params.get("TaskIds")
        if ids_param:
            ids = [i.strip() for i in ids_param.split(",") if i.strip()]
            if len(ids) > MAX_TASK_IDS:
                raise invalid_parameter("TaskIds", "At most %d ids are allowed." % MAX_TASK_IDS)
            # Look each id up: cost follows the ids asked for, not the tasks stored.
            found = (self.store.get(i) for i in dict.fromkeys(ids))
            candidates = [t for t in found if t is not None and t.region == region]
        else:
            candidates = self.store.in_region(region)

        matches = []
        for task in candidates:
            if not task.visible(now) or task.status(now) in state.UNLISTED_STATES:
                continue
            if action and task.action != action:
                continue
            if status and task.status(now) != status:
                continue
            if start is not None and task.created < start:
                continue
            if end is not None and task.created > end:
                continue
            if resource_ids and task.resource_id not in resource_ids:
                continue
            matches.append(task)
        matches.reverse()  # newest first, as the service lists them
        first = (page_number - 1) * page_size
        page = matches[first:first + page_size]
        return {
            "RegionId": region,
            "PageNumber": page_number,
            "PageSize": page_size,
            "TotalCount": len(matches),
            "TaskSet": {"Task": [self._summary(t, now) for t in page]},
        }

    @staticmethod
    def _resource_ids(params):
        ids = set()
        for key, value in params.items():
            if not key.startswith("ResourceIds."):
                continue
            index = key[len("ResourceIds."):]
            if not index.isdigit() or not 1 <= int(index) <= MAX_RESOURCE_IDS:
                raise invalid_parameter(key)
            if value:
                ids.add(value)
        return ids

    def describe_task_attribute(self, params):
        region = self._region(params)
        task_id = _required(params, "TaskId")
        now = self.clock.now()
        task = self._visible_task(region, task_id, now)
        status = task.status(now)
        failed = status == state.FAILED
        operation_status = {state.FINISHED: "Success", state.FAILED: "Failed"}.get(status, status)
        answer = self._summary(task, now)
        del answer["ResourceId"]
        answer.update({
            "RegionId": region,
            "TaskProcess": task.process_text if task.process_text is not None else "%d%%" % task.progress(now),
            "TotalCount": 1,
            "SuccessCount": 1 if status == state.FINISHED else 0,
            "FailedCount": 1 if failed else 0,
            "OperationProgressSet": {"OperationProgress": [{
                "OperationStatus": operation_status,
                "ErrorCode": task.error_code if failed else "",
                "ErrorMsg": task.error_msg if failed else "",
                "RelatedItemSet": {"RelatedItem": [{"Name": n, "Value": v} for n, v in items]},
            } for items in task.operation_items()]},
        })
        return answer

    def empty_answer(self, action, params):
        """What a RAM identity without the permission got before 2025-12-20: a 200 with nothing in it.

        A list (DescribeTasks, DescribeImages, DescribeDisks): the page, checked as usual, with no item and
        TotalCount 0. DescribeTaskAttribute: no task at all (no TaskId).
        """
        if action == "DescribeTaskAttribute":
            self._region(params)
            _required(params, "TaskId")
            return {}
        answer = self.call(action, params)  # the same checks, then nothing in it
        for key, value in answer.items():
            if isinstance(value, dict) and len(value) == 1 and isinstance(list(value.values())[0], list):
                answer[key] = dict((name, []) for name in value)
        answer["TotalCount"] = 0
        return answer

    # -- writes --------------------------------------------------------------
    def cancel_task(self, params):
        region = self._region(params)
        task_id = _required(params, "TaskId")
        now = self.clock.now()
        task = self._visible_task(region, task_id, now)

        def check(candidate):
            if candidate.action not in state.CANCELLABLE_ACTIONS:
                raise ApiError("InvalidTaskId.TaskActionNotSupport")
            if candidate.status(now) not in state.QUEUED_STATES + (state.PROCESSING,):
                raise ApiError("InvalidTaskId.IncorrectTaskStatus")
            if not candidate.support_cancel:
                raise ApiError("CancelTaskFailed")

        self.store.cancel(task, now, check)
        return {}
