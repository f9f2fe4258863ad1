# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test doubles shared by the unit tests: plain Python, no Ansible (tests/unit/plugins/modules/module_run.py runs modules)."""

from __future__ import annotations

import threading

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError


class FakeClock(object):
    """clock() and sleep() in one: time moves only when someone sleeps.

    ``FakeClock(now=...)`` when a test reads absolute times; ``on_sleep()`` runs after each sleep.
    """

    START = 1000.0

    def __init__(self, now=None, on_sleep=None):
        self.now = self.START if now is None else now
        self.sleeps = []
        self.on_sleep = on_sleep

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0, "slept a negative time: %r" % (seconds,)
        self.sleeps.append(seconds)
        self.now += seconds
        if self.on_sleep is not None:
            self.on_sleep()


UNKNOWN_ID = "t-unknown"


class FakeEcs(object):
    """Every task asked for exists (but UNKNOWN_ID) and has ``status``; or every call raises ``error``."""

    region = "cn-hangzhou"

    def __init__(self, status="Finished", error=None):
        self.status = status
        self.error = error
        self.log = []      # actions called, in order
        self.built = []    # the options the module built its client from

    @property
    def api_calls(self):
        return len(self.log)

    def close(self):
        self.closed = True

    def call(self, action, params=None, deadline=None, check=None):  # check: the real client validates; fakes answer validly
        self.log.append(action)
        if self.error:
            raise self.error
        ids = params["TaskIds"].split(",") if action == "DescribeTasks" else [params["TaskId"]]
        tasks = [{"TaskId": task_id, "TaskAction": "ExportImage", "TaskStatus": self.status, "SupportCancel": "true"}
                 for task_id in ids if task_id != UNKNOWN_ID]
        if action == "DescribeTasks":
            return {"TotalCount": len(tasks), "TaskSet": {"Task": tasks}}
        return tasks[0]


class ScriptedEcs(object):
    """The ECS task API in memory, over raw task records (DescribeTasks entries) listed in the order given.

    DescribeTasks by ``TaskIds`` or by search (TaskAction, TaskStatus, ResourceIds.N, StartTime,
    EndTime; paged); DescribeTaskAttribute answers the record plus ``details(record)``; CancelTask.
    Trouble on demand: ``fail[action]`` (or ``fail[(action, task_id)]``, task_id None for a DescribeTasks)
    errors raised one per call; ``attribute_errors[task_id]`` raised
    at every read of that task; ``on_call(action, params)`` runs first; ``cancel_refused`` ids.
    Records every call as (action, params, deadline). Thread-safe.
    """

    def __init__(self, tasks=(), region="cn-hangzhou", details=None, attribute_errors=None, on_call=None,
                 cancel_refused=()):
        self.region = region
        self.tasks = [dict(task) for task in tasks]
        self.details = details or (lambda task: {})
        self.attribute_errors = dict(attribute_errors or {})
        self.fail = {}
        self.on_call = on_call
        self.cancel_refused = set(cancel_refused)
        self.calls = []
        self.closed = False
        self._lock = threading.Lock()

    @property
    def api_calls(self):
        return len(self.calls)

    def called(self):
        """The actions called, in order."""
        return [action for action, _params, _deadline in self.calls]

    def actions(self, name):
        """The parameters of each call of action ``name``."""
        return [params for action, params, _deadline in self.calls if action == name]

    def put(self, task):
        """Replace the record with this TaskId, or add it at the end."""
        for index, known in enumerate(self.tasks):
            if known["TaskId"] == task["TaskId"]:
                self.tasks[index] = dict(task)
                return
        self.tasks.append(dict(task))

    def close(self):
        self.closed = True

    def call(self, action, params=None, deadline=None, check=None):  # check: the real client validates; fakes answer validly
        params = dict(params or {})
        with self._lock:
            self.calls.append((action, params, deadline))
            errors = self.fail.get((action, params.get("TaskId"))) or self.fail.get(action)
            error = errors.pop(0) if errors else None
        if self.on_call:
            self.on_call(action, params)
        if error is not None:
            raise error
        return getattr(self, "_" + action)(params)

    def _find(self, task_id, action):
        for task in self.tasks:
            if task["TaskId"] == task_id:
                return task
        raise ApiError("InvalidTaskId.NotFound", "The specified task is not found.", http_status=404, action=action)

    def _DescribeTasks(self, params):
        assert params["RegionId"] == self.region
        size = int(params.get("PageSize", 10))
        page = int(params.get("PageNumber", 1))
        assert 1 <= size <= 100
        if "TaskIds" in params:
            ids = params["TaskIds"].split(",")
            assert len(ids) <= 100
            selected = [task for task in self.tasks if task["TaskId"] in ids]
        else:
            selected = [task for task in self.tasks if _listed(task, params)]
        chunk = selected[(page - 1) * size:page * size]
        return {"RequestId": "r", "RegionId": self.region, "PageNumber": page, "PageSize": size,
                "TotalCount": len(selected), "TaskSet": {"Task": [dict(task) for task in chunk]}}

    def _DescribeTaskAttribute(self, params):
        error = self.attribute_errors.get(params["TaskId"])
        if error is not None:
            raise error
        task = self._find(params["TaskId"], "DescribeTaskAttribute")
        return dict(task, **self.details(task))

    def _CancelTask(self, params):
        if params["TaskId"] in self.cancel_refused:
            raise ApiError("InvalidTaskId.IncorrectTaskStatus", "The task cannot be cancelled now.", http_status=403,
                           action="CancelTask")
        return {"RequestId": "r"}


class TimedTask(object):
    """A task on a timeline, for TimedEcs: ``state`` until ``ends`` seconds after the start, then ``outcome``.

    Listed only from ``visible_after`` seconds on (a task ECS has not indexed yet); CancelTask deletes it.
    """

    def __init__(self, task_id, state="Processing", ends=None, outcome="Finished", support_cancel=True,
                 error=None, related=None, action="ExportImage", resource_id="m-1", created="2024-05-01T00:00:00Z",
                 visible_after=0):
        self.task_id = task_id
        self.action = action
        self.resource_id = resource_id
        self.created = created
        self.visible_after = visible_after
        self.state = state
        self.ends = ends
        self.outcome = outcome
        self.support_cancel = support_cancel
        self.error = error
        self.related = related or {"OSSBucket": "b", "OSSObject": "%s.raw" % task_id}

    def status(self, elapsed):
        if self.ends is not None and elapsed >= self.ends and self.state != "Deleted":
            return self.outcome
        return self.state

    def record(self, elapsed):
        """The DescribeTasks entry ``elapsed`` seconds after the start."""
        return {"TaskId": self.task_id, "TaskAction": self.action, "TaskStatus": self.status(elapsed),
                "SupportCancel": "true" if self.support_cancel else "false", "RegionId": "cn-hangzhou",
                "CreationTime": self.created, "ResourceId": self.resource_id}

    def details(self, elapsed):
        """What DescribeTaskAttribute adds to the record: progress, and one operation with its error and items."""
        state = self.status(elapsed)
        operation = {"OperationStatus": "Failed" if state == "Failed" else "Success",
                     "RelatedItemSet": {"RelatedItem": [{"Name": k, "Value": v} for k, v in self.related.items()]}}
        if state == "Failed" and self.error:
            operation["ErrorCode"], operation["ErrorMsg"] = self.error
        return {"TaskProcess": "100%" if state in ("Finished", "Failed") else "40%",
                "OperationProgressSet": {"OperationProgress": [operation]}}

    def cancel(self):
        self.state, self.ends = "Deleted", None


class TimedEcs(ScriptedEcs):
    """ScriptedEcs over TimedTasks on a FakeClock: each call first sets the records to the tasks at that moment."""

    def __init__(self, clock, tasks, cancel_refused=()):
        self.clock = clock
        self.start = clock()
        self.timed = dict((task.task_id, task) for task in tasks)
        super(TimedEcs, self).__init__(details=self._details, on_call=self._sync, cancel_refused=cancel_refused)

    def _elapsed(self):
        return self.clock() - self.start

    def _sync(self, _action, _params):
        elapsed = self._elapsed()
        self.tasks = [task.record(elapsed) for task in self.timed.values() if elapsed >= task.visible_after]

    def _details(self, record):
        return self.timed[record["TaskId"]].details(self._elapsed())

    def _CancelTask(self, params):
        self._find(params["TaskId"], "CancelTask")
        answer = super(TimedEcs, self)._CancelTask(params)
        self.timed[params["TaskId"]].cancel()
        return answer


def _listed(task, params):
    """Whether a DescribeTasks search with these parameters lists the task, as the service filters."""
    resources = [value for key, value in params.items() if key.startswith("ResourceIds.")]
    created = task.get("CreationTime", "")
    return (params.get("TaskAction") in (None, task["TaskAction"])
            and params.get("TaskStatus") in (None, task["TaskStatus"])
            and (not resources or task.get("ResourceId") in resources)
            and created >= params.get("StartTime", "")
            and created <= params.get("EndTime", "9999"))


def operation_details(error_code, error_msg, related, progress=None):
    """``details`` for ScriptedEcs: one operation, failed with this error when the task failed, with ``related(task)`` items."""
    def details(task):
        failed = task["TaskStatus"] == "Failed"
        answer = {"OperationProgressSet": {"OperationProgress": [{
            "OperationStatus": "Failed" if failed else "Success",
            "ErrorCode": error_code if failed else "",
            "ErrorMsg": error_msg if failed else "",
            "RelatedItemSet": {"RelatedItem": [{"Name": name, "Value": value} for name, value in related(task).items()]},
        }]}}
        if progress is not None:
            answer["TaskProcess"] = progress
        return answer
    return details
