# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tasks and their life on the virtual clock.

A task is Waiting (or its `queued_status`: Paused, Pending) for `wait` virtual
seconds, then Processing for `duration` (progress follows its `progress_curve`, linear by default), then
reaches its outcome (Finished or Failed). A cancelled task is Deleted. For
`visible_after` virtual seconds after creation the API does not know it
(eventual consistency).
"""

from __future__ import annotations

import random
import string
import threading

from tests.emulator import curves

WAITING = "Waiting"
PROCESSING = "Processing"
FINISHED = "Finished"
FAILED = "Failed"
DELETED = "Deleted"
PAUSED = "Paused"
PENDING = "Pending"  # in older API metadata only
OUTCOMES = (FINISHED, FAILED)
QUEUED_STATES = (WAITING, PAUSED, PENDING)
# DescribeTasks "only retrieves tasks in the Finished, Processing and Failed states" (the pages):
# a queued task is not listed, by id or by filter; DescribeTaskAttribute answers for it.
UNLISTED_STATES = QUEUED_STATES
CANCELLABLE_ACTIONS = ("ImportImage", "ExportImage")

_ID_CHARS = string.ascii_lowercase + string.digits


class Task:
    __slots__ = ("task_id", "region", "action", "created", "wait", "duration", "outcome", "error_code",
                 "error_msg", "related_items", "support_cancel", "visible_after", "resource_id", "cancelled_at",
                 "queued_status", "process_text", "operations", "progress_curve")

    def __init__(self, task_id, region, action, created, wait=0.0, duration=60.0, outcome=FINISHED,
                 error_code="", error_msg="", related_items=(), support_cancel=False, visible_after=0.0,
                 resource_id="", queued_status=WAITING, process_text=None, operations=(), progress_curve=curves.DEFAULT_CURVE):
        self.task_id = task_id
        self.region = region
        self.action = action
        self.created = created
        self.wait = wait
        self.duration = duration
        self.outcome = outcome
        self.error_code = error_code
        self.error_msg = error_msg
        self.related_items = list(related_items)
        self.support_cancel = support_cancel
        self.visible_after = visible_after
        self.resource_id = resource_id
        self.cancelled_at = None
        self.queued_status = queued_status
        self.process_text = process_text  # TaskProcess sent instead of "N%" (such as "N/A"), or None
        self.operations = [list(items) for items in operations]  # one item list per OperationProgress
        self.progress_curve = progress_curve

    def operation_items(self):
        """The related items of each OperationProgress: every ``operations`` entry, or the task's own items."""
        return self.operations or [self.related_items]

    @property
    def started(self):
        return self.created + self.wait

    @property
    def ends(self):
        return self.started + self.duration

    def visible(self, now):
        return now >= self.created + self.visible_after

    def status(self, now):
        if self.cancelled_at is not None:
            return DELETED
        if now < self.started:
            return self.queued_status
        if now < self.ends:
            return PROCESSING
        return self.outcome

    def progress(self, now):
        """Percent of the work done, an int 0-100 (100 only once it ended)."""
        at = self.cancelled_at if self.cancelled_at is not None else now
        if at < self.started:
            return 0
        if at >= self.ends:
            return 100
        return curves.percent(self.progress_curve, (at - self.started) / self.duration, self.task_id)

    def finished_at(self, now):
        if self.cancelled_at is not None:
            return self.cancelled_at
        return self.ends if now >= self.ends else None

    def end_time(self):
        """Virtual time at which the task ends or ended."""
        return self.cancelled_at if self.cancelled_at is not None else self.ends


def _with_id(items, task_id):
    return [(name, str(value).replace("{task_id}", task_id)) for name, value in items]


class TaskStore:
    """Every task, by id and by region in creation order. Thread-safe."""

    def __init__(self, seed=None):
        self._lock = threading.Lock()
        self._by_id = {}
        self._by_region = {}
        self._rng = random.Random(seed)

    def _new_id(self, prefix):
        while True:
            candidate = prefix + "".join(self._rng.choices(_ID_CHARS, k=18))
            if candidate not in self._by_id:
                return candidate

    def new_resource_id(self, prefix):
        """A random id such as m-... (image) or d-... (disk), from the seeded generator."""
        with self._lock:
            return prefix + "".join(self._rng.choices(_ID_CHARS, k=18))

    def add(self, specs, now):
        """Create tasks from dicts of Task keyword arguments (``task_id``: a chosen id); returns them in order.

        A chosen id that exists already raises ``ValueError`` and creates nothing.
        """
        created = []
        with self._lock:
            taken = [spec["task_id"] for spec in specs if spec.get("task_id") in self._by_id]
            if taken:
                raise ValueError("task %s exists already" % taken[0])
            for spec in specs:
                spec = dict(spec)
                task = Task(spec.pop("task_id", None) or self._new_id("t-"), created=now, **spec)
                task.related_items = _with_id(task.related_items, task.task_id)
                task.operations = [_with_id(items, task.task_id) for items in task.operations]
                self._by_id[task.task_id] = task
                self._by_region.setdefault(task.region, []).append(task)
                created.append(task)
        return created

    def get(self, task_id):
        return self._by_id.get(task_id)

    def in_region(self, region):
        with self._lock:
            return list(self._by_region.get(region, ()))

    def all(self):
        with self._lock:
            return list(self._by_id.values())

    def cancel(self, task, now, check):
        """Run check(task) and mark the task cancelled atomically; check raises to refuse."""
        with self._lock:
            check(task)
            task.cancelled_at = now

    def clear(self):
        with self._lock:
            self._by_id.clear()
            self._by_region.clear()
