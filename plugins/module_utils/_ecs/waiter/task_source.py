# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tasks as the engine polls them: DescribeTasks for many (100 per call), DescribeTaskAttribute for one, for
details and for progress samples; and the search that finds the tasks of a wait by filters.

See docs/architecture.md (The waiter) and docs/waiting.md.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import merge_raw, task_record
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import MAX_IDS_PER_CALL
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import NOT_FOUND_CODE
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.products import Products, products_of
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.source import NOTHING, Observed, merge, observed

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping, Sequence

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import TaskService
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.items import Item

KIND = "task"
# The reads of a task: a DescribeTasks entry, a DescribeTaskAttribute answer.
SUMMARY = "summaries"
ATTRIBUTE = "attributes"
# What DescribeTaskAttribute lacks to name a task's product: the ResourceId (the image, the disk).
NEEDS_RESOURCE_ID = ("ImportImage", "ModifyDiskSpec")
# What DescribeTasks lacks to name a task's product: the related items (an export's OSS objects).
NEEDS_RELATED_ITEMS = ("ExportImage",)


class TaskSource(object):
    """The tasks of one region, polled with as few calls as the API allows."""

    kind = KIND
    noun = "task"
    not_found_code = NOT_FOUND_CODE

    def __init__(self, service: TaskService, config: WaitConfig) -> None:
        self.service = service
        self.config = config
        self.acceptors = config.acceptors
        self.region = service.region
        self._calls = {SUMMARY: 0, ATTRIBUTE: 0}
        self._unlisted: set[str] = set()  # ids DescribeTasks leaves out and DescribeTaskAttribute answers for

    @property
    def calls(self) -> dict[str, int]:
        return dict(self._calls)

    def _read(self, name, ids, deadline):
        """The read ``name`` of these ids, counted as the requests it asks for (ceil(N/100) or one per id)."""
        if not ids:
            return NOTHING
        if name == SUMMARY:
            self._calls[SUMMARY] += int(math.ceil(len(ids) / float(MAX_IDS_PER_CALL)))
            batch = self.service.summaries(ids, deadline)
        else:
            self._calls[ATTRIBUTE] += len(ids)
            batch = self.service.attributes(ids, deadline)
        return observed(batch.found, batch.missing, batch.errors, name)

    def poll(self, items: Sequence[Item], deadline: Deadline | None) -> Observed:
        """One task alone: DescribeTaskAttribute (progress and details in one call); several: DescribeTasks,
        plus DescribeTaskAttribute of the ones found when a condition reads attribute fields, and of the ones
        DescribeTasks did not list that are worth confirming (``confirms``)."""
        ids = [item.id for item in items]
        if len(ids) == 1:
            return self._read(ATTRIBUTE, ids, deadline)
        seen = self._read(SUMMARY, ids, deadline)
        wanted = [item_id for item_id in ids if item_id in seen.found] if self.config.needs_attributes else []
        confirm = [item.id for item in items if item.id in seen.missing and self.confirms(item)]
        if not wanted and not confirm:
            self._unlisted.difference_update(seen.found)
            return seen
        extra = self._read(ATTRIBUTE, wanted + confirm, deadline)
        answered = [item_id for item_id in confirm if item_id in extra.found]
        # Not listed, yet DescribeTaskAttribute answers for it: DescribeTasks does not list queued tasks.
        self._unlisted.difference_update(seen.found)
        self._unlisted.difference_update(item_id for item_id in confirm if item_id not in extra.found)
        self._unlisted.update(answered)
        both = merge(seen, extra)
        return Observed(both.found, [item_id for item_id in both.missing if item_id not in answered], both.errors)

    def confirms(self, item: Item) -> bool:
        """Whether a task DescribeTasks did not list is asked for with DescribeTaskAttribute this round.

        DescribeTasks lists only Finished, Processing and Failed tasks, so a Waiting or Paused one is
        missing from it: asked at its first miss, at every miss once it answered (it is polled that
        way while it stays unlisted), and before a miss would declare it not found.
        """
        return item.id in self._unlisted or item.missed == 0 or item.missed >= self.config.not_found_checks

    def refresh(self, item: Item) -> None:
        item.record = task_record(*self._pair(item), region=self.region)
        item.record["task_id"] = item.id
        item.state = item.record["task_status"]

    def _pair(self, item: Item) -> tuple[dict | None, dict | None]:
        """(summary, attribute) with the older one's overlapping fields replaced by the newer ones."""
        summary, attribute = item.views.get(SUMMARY), item.views.get(ATTRIBUTE)
        if summary is not None and attribute is not None and \
                item.view_rounds.get(SUMMARY, -1) > item.view_rounds.get(ATTRIBUTE, -1):
            attribute = dict(attribute, **dict((key, value) for key, value in summary.items() if key in attribute))
        return summary, attribute

    def judged(self, item: Item) -> tuple[str | None, dict]:
        raw = merge_raw(*self._pair(item))
        return raw.get("TaskStatus"), raw

    def carries_progress(self, read: str) -> bool:
        return read == ATTRIBUTE

    def describe_target(self) -> str:
        return self.config.describe_target()

    def _wants_details(self, item):
        """A decided task whose attribute (related items, its own error) the result shows."""
        return item.outcome in ("succeeded", "failed") and self.config.wants_details(item.outcome)

    def details(self, items: Sequence[Item], deadline: Deadline | None) -> Observed:
        """Attributes of the decided tasks not read since they ended (their related items and error; a task that
        then awaited its products is not read again); and, as DescribeTaskAttribute has no ResourceId, one
        DescribeTasks of a task only polled with it."""
        wanted = [item for item in items if self._wants_details(item)]
        stale = [item.id for item in wanted if not item.read_since(ATTRIBUTE, item.ended_round)]
        seen = self._read(ATTRIBUTE, stale, deadline)
        unsummarised = [item.id for item in wanted if SUMMARY not in item.views]
        return merge(seen, self._read(SUMMARY, unsummarised, deadline))

    def complete(self, item: Item) -> bool:
        if not self._wants_details(item):
            return True
        return item.read_since(ATTRIBUTE, item.ended_round) and SUMMARY in item.views

    def sample(self, pending: Sequence[Item]) -> Item | None:
        """In a wait polled with DescribeTasks (no progress), the running task least known: unknown progress
        first (never sampled), then the lowest, then the oldest."""
        if not self.config.progress_interval or len(pending) < 2 or self.config.needs_attributes:
            return None
        running = [item for item in pending if item.record.get("task_status") == "Processing"]
        if not running:
            return None
        return min(running, key=lambda item: (-1 if item.record["progress"] is None else item.record["progress"],
                                              item.record.get("creation_time") or "~", item.index))

    def read_progress(self, items: Sequence[Item], deadline: Deadline | None) -> Observed:
        return self._read(ATTRIBUTE, [item.id for item in items], deadline)

    def products(self, item: Item, deadline: Deadline | None) -> Products:
        """With ``wait_for: product``, what the task made (products.py). A task only polled with
        DescribeTaskAttribute, which has no ResourceId, is read once with DescribeTasks for it; an export polled
        with DescribeTasks, which has no related items, once with DescribeTaskAttribute for its objects."""
        if self.config.wait_for != "product":
            return Products([])
        action = item.record.get("task_action")
        if SUMMARY not in item.views and action in NEEDS_RESOURCE_ID:
            # As old as the attribute it completes: the attribute's overlapping fields still win.
            missing = self._complete(item, SUMMARY, item.view_rounds.get(ATTRIBUTE, 0), deadline)
        elif action in NEEDS_RELATED_ITEMS and not item.read_since(ATTRIBUTE, item.view_rounds.get(SUMMARY, -1)):
            # Read after the summary that showed its end: the items of the task as it ended.
            missing = self._complete(item, ATTRIBUTE, item.view_rounds.get(SUMMARY, 0), deadline)
        else:
            missing = None
        if missing:
            return Products([], errors=missing)
        return products_of(item.record, self.region)

    def _complete(self, item, read, round_number, deadline):
        """Reads ``read`` of ``item`` into it, as of ``round_number``; the passing errors that kept it from it."""
        seen = self._read(read, [item.id], deadline)
        if item.id in seen.found:
            item.absorb(read, seen.found[item.id][read], round_number)
            self.refresh(item)
        return seen.errors


class TaskDiscovery(object):
    """The search of a wait by filters: DescribeTasks with the filters, every page; its answers are the first poll
    of the tasks it finds. See docs/waiting.md (Waiting without task ids)."""

    kind = KIND

    def __init__(self, service: TaskService, filters: Mapping[str, object]) -> None:
        self.service = service
        self.filters = dict(filters)
        self.polls = 0
        self.found: list[str] = []
        self.resources: dict[str, str | None] = {}
        self.transient: list = []

    def find(self, deadline: Deadline | None) -> list[tuple[str, str, dict]]:
        self.polls += 1
        found = [raw for raw in self.service.find(self.filters, deadline=deadline) if raw.get("TaskId")]
        self.found = [raw["TaskId"] for raw in found]
        self.resources = dict((raw["TaskId"], raw.get("ResourceId")) for raw in found)
        return [(raw["TaskId"], SUMMARY, raw) for raw in found]

    @property
    def access_key_id(self) -> str | None:
        """Who searched (no secret): named when nothing was ever found, in case a permission is missing."""
        return self.service.access_key_id

    def filter_text(self) -> str:
        """'task_action=ExportImage, resource_ids=[m-1]' ('any task' without either)."""
        parts = []
        for name in ("task_action", "resource_ids", "task_status"):
            value = self.filters.get(name)
            if value:
                parts.append("%s=%s" % (name, "[%s]" % ", ".join(value) if isinstance(value, list) else value))
        return ", ".join(parts) or "any task"

    def describe(self) -> str:
        """'task_action=ExportImage, resource_ids=[m-1] created since 2026-...Z in region cn-hangzhou'."""
        filters = self.filters
        if filters.get("start_time") and filters.get("end_time"):
            created = "created from %s to %s" % (filters["start_time"], filters["end_time"])
        elif filters.get("start_time"):
            created = "created since %s" % filters["start_time"]
        elif filters.get("end_time"):
            created = "created until %s" % filters["end_time"]
        else:
            created = "created at any time"
        return "%s %s in region %s" % (self.filter_text(), created, self.service.region)

    def summary(self) -> dict:
        """The ``search`` key of the result."""
        return {"filters": dict(self.filters), "region": self.service.region, "polls": self.polls,
                "found": list(self.found)}
