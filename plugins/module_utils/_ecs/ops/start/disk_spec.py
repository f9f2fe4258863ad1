# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ecs_disk_spec does, without Ansible: a disk of the category and performance level asked for, changed
(ModifyDiskSpec) only when it is not. Its identity is the disk's own category and level: a disk that shows them is
done, one that is Modifying is attached to. See docs/after-a-restart.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.disks.catalog import (
    MODIFYING, PERFORMANCE_LEVEL_CATEGORIES, TARGET_CATEGORIES, normalize_category, normalize_performance_level,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.disks.records import disk_record, validate_disk_ids
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.disks.service import DiskService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.disk_wait import DiskWaitRequest, run_disk_wait
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.sources import disk_source
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.plan import (
    ATTACHED, NONE, STARTED, Decision, Refused, Start, StartCall, start_kind, start_timing,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait_result import wait_result
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import TaskService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import IN_PROGRESS_STATES
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.engine import Waiter
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.products import disk_acceptors
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.task_source import TaskSource

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Mapping, Sequence

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.source import Source

ACTION = "ModifyDiskSpec"
DISK_SPEC_OPTIONS: dict[str, dict[str, Any]] = {
    "disk_id": {"type": "str", "required": True},
    "disk_category": {"type": "str"},
    "performance_level": {"type": "str"},
    # Unused: accepted so that module_defaults of the action group can set it for every module.
}


@dataclass(frozen=True)
class DiskSpecRequest:
    """A checked ecs_disk_spec: the disk, the category and performance level it must have (None: keep its own),
    the timing."""

    disk_id: str
    config: WaitConfig
    category: str | None = None
    performance_level: str | None = None
    wait: bool = True
    cancel_on_timeout = False


class Found(NamedTuple):
    """The disk (its DescribeDisks answer, None when the region has none) and, when it is not as asked, the newest
    ModifyDiskSpec task of the disk still in progress (DescribeTasks; None when none is listed)."""

    region: str
    disk: dict | None
    task: dict | None = None


def _levelled(category):
    return category in PERFORMANCE_LEVEL_CATEGORIES


def _level_refused(level, category, to):
    return "performance_level %s is for %s disks only, and disk %s would be %s: give disk_category: cloud_essd " \
           "as well, or leave performance_level out" % (level, " and ".join(PERFORMANCE_LEVEL_CATEGORIES), to, category)


def prepare_disk_spec(params: Mapping[str, object]) -> DiskSpecRequest:
    """The request of ecs_disk_spec's options (after the argument spec), every input checked before any call
    (those that need the disk's own category, after the look-up: decide_disk_spec)."""
    disk_id = validate_disk_ids([params.get("disk_id")], option="disk_id")[0]
    category, level = params.get("disk_category"), params.get("performance_level")
    category = normalize_category(category, choices=TARGET_CATEGORIES) if category is not None else None
    level = normalize_performance_level(level) if level is not None else None
    if category is None and level is None:
        raise ConfigError("give disk_category, performance_level or both: what disk %s should become (for example "
                          "disk_category: cloud_essd, performance_level: PL1)" % disk_id, option="disk_category")
    if category is not None and level is not None and not _levelled(category):
        raise ConfigError(_level_refused(level, category, disk_id), option="performance_level")
    return DiskSpecRequest(disk_id, start_timing(params), category, level, wait=params.get("wait") is not False)


def target(request: DiskSpecRequest, disk: Mapping[str, object]) -> tuple[str, str | None]:
    """The category and level the disk must show: those asked for, its own category when none is asked; the level
    is None when any will do (none asked: ECS keeps a disk's level, and gives a new ESSD its default)."""
    return request.category or str(disk.get("Category") or ""), request.performance_level


def matches(request: DiskSpecRequest, disk: Mapping[str, object]) -> bool:
    """Whether the disk shows the category and level asked for (case aside, as DescribeDisks may spell them)."""
    category, level = target(request, disk)
    shown_level = str(disk.get("PerformanceLevel") or "")
    return str(disk.get("Category") or "").lower() == category.lower() and (level is None or shown_level.upper() == level)


def _shown(disk):
    return ", ".join(str(part) for part in (disk.get("Status"), disk.get("Category"), disk.get("PerformanceLevel"))
                     if part)


def _wanted(request, disk):
    category, level = target(request, disk)
    return " ".join(part for part in (category, level) if part)


def decide_disk_spec(request: DiskSpecRequest, found: Found) -> list[Decision]:
    """none: the disk shows the category and level asked for and is not Modifying; attached: it is Modifying, or a
    ModifyDiskSpec task of it is in progress; started: otherwise. A disk the region does not hold, or a level for a
    category that has none, is refused before any start call."""
    disk, disk_id, region = found.disk, request.disk_id, found.region
    if disk is None:
        raise Refused("disk %s does not exist in region %s (DescribeDisks does not list it): check disk_id and region "
                      "(a disk belongs to the region of its zone)" % (disk_id, region), disk_id=disk_id)
    category, level = target(request, disk)
    if level is not None and not _levelled(category):
        raise Refused(_level_refused(level, category, disk_id), disk=disk_record(disk, region))
    task_id = (found.task or {}).get("TaskId")
    modifying = disk.get("Status") == MODIFYING
    if matches(request, disk) and not modifying:
        return [Decision(NONE, "disk %s is %s already (%s)" % (disk_id, _wanted(request, disk), _shown(disk)), region,
                         resource_id=disk_id)]
    if modifying or task_id:
        by = " by task %s" % task_id if task_id else ""
        return [Decision(ATTACHED, "disk %s is being changed (%s)%s" % (disk_id, _shown(disk), by), region,
                         task_id=task_id, resource_id=disk_id)]
    return [Decision(STARTED, "disk %s is %s, not %s" % (disk_id, _shown(disk), _wanted(request, disk)), region,
                     resource_id=disk_id)]


class DiskSpec(Start[DiskSpecRequest, Found]):
    """ecs_disk_spec as a start module (ops/start/plan.py)."""

    name = "ecs_disk_spec"
    noun = "disk"
    home = "start.disk_spec"
    options = DISK_SPEC_OPTIONS

    def prepare(self, params: Mapping[str, object]) -> DiskSpecRequest:
        return prepare_disk_spec(params)

    def find(self, request: DiskSpecRequest, clients: Clients, deadline: Deadline) -> Found:
        client = clients.ecs()
        disk = DiskService(client).describe([request.disk_id], deadline).found.get(request.disk_id)
        task = None
        if disk is not None and (disk.get("Status") == MODIFYING or not matches(request, disk)):
            # A change started a moment ago may show in DescribeTasks before the disk says Modifying.
            tasks = TaskService(client).search(task_action=ACTION, resource_ids=[request.disk_id], deadline=deadline)
            task = next((each for each in tasks if each.get("TaskStatus") in IN_PROGRESS_STATES), None)
        return Found(client.region, disk, task)

    def decide(self, request: DiskSpecRequest, found: Found) -> list[Decision]:
        return decide_disk_spec(request, found)

    def call(self, request: DiskSpecRequest, found: Found, decision: Decision) -> StartCall:
        # Only what changes: a level alone is a change without a task, a category a conversion with one. ModifyDiskSpec
        # has no RegionId (the SDK models): the client's endpoint is the disk's region.
        params: dict[str, object] = {"DiskId": request.disk_id}
        # (A started decision has a disk: decide refuses one the region does not hold.)
        if request.category and request.category != (found.disk or {}).get("Category"):
            params["DiskCategory"] = request.category
        if request.performance_level:
            params["PerformanceLevel"] = request.performance_level
        facts = {"action": ACTION, "region": found.region, "disk_id": request.disk_id}
        return StartCall(ACTION, found.region, params, facts)

    def started(self, request: DiskSpecRequest, found: Found, decision: Decision, answer: dict) -> Decision:
        task_id = answer.get("TaskId") or None
        return decision.but(task_id=task_id, why="%s: started ModifyDiskSpec to %s, %s" % (
            decision.why, _wanted(request, found.disk),
            "task %s" % task_id if task_id else "no task (a change of the performance level alone has none)"))

    def wait(self, request: DiskSpecRequest, clients: Clients, decisions: Sequence[Decision], config: WaitConfig,
             clock: Callable[[], float], sleep: Callable[[float], object],
             on_progress: Callable[[dict], object] | None) -> dict:
        decision = decisions[0]
        # Not Modifying and of the category and level asked for: a disk can show its old category for a while
        # after its task ended (bosh-alicloud-cpi 230), so "not Modifying" alone is not the end.
        category, level = request.category, request.performance_level
        acceptors = tuple(disk_acceptors(category, level))
        words = " ".join(part for part in (category, level) if part)
        settled = "settle (not Modifying) as %s" % words
        if not decision.task_id:
            # A level alone has no task (and an attached change may have none listed): the disk is what there is.
            return run_disk_wait(DiskWaitRequest((request.disk_id,), acceptors, settled, config), clients,
                                 clock=clock, sleep=sleep, on_progress=on_progress)
        # The task, then its disk (wait_for: product), so a failed conversion fails at once instead of timing out.
        sources: list[Source] = [TaskSource(TaskService(clients.ecs()), config), disk_source(clients, acceptors, target=settled)]
        waiter = Waiter(config, sources, clock=clock, sleep=sleep, on_progress=on_progress, region=clients.region)
        result = wait_result(waiter.wait((decision.task_id,)), "task", config.fail_on_failure)
        result["api_calls"] = clients.api_calls
        return result

    def result(self, request: DiskSpecRequest, found: Found, decisions: Sequence[Decision], waited: dict | None) -> dict:
        disk = _waited_disk(waited, request.disk_id) if waited else None
        if disk is None and found.disk is not None:
            disk = disk_record(found.disk, found.region)
        return {"disk": disk}

    def diff(self, request: DiskSpecRequest, found: Found, decisions: Sequence[Decision]) -> dict:
        disk = found.disk or {}
        category, level = target(request, disk)
        before = {"disk_id": request.disk_id, "category": disk.get("Category"),
                  "performance_level": disk.get("PerformanceLevel") or None}
        kept = disk.get("PerformanceLevel") or None if category == disk.get("Category") else None
        after = {"disk_id": request.disk_id, "category": category, "performance_level": level or kept}
        return {"before": before, "after": after}


def _waited_disk(waited, disk_id):
    """The disk record of a wait: ecs_disk_wait's own, or the product of the ModifyDiskSpec task (with the task's
    elapsed, outcome and predicted end, as ecs_disk_wait's record has its own)."""
    record = (waited.get("disks_by_id") or {}).get(disk_id)
    if record is not None:
        return record
    for task in waited.get("tasks") or ():
        for product in task.get("products") or ():
            if product.get("kind") == "disk":
                return dict(product.get("details") or {}, elapsed=task.get("elapsed"),
                            wait_outcome=task.get("wait_outcome"), predicted_end=task.get("predicted_end"))
    return None


SPEC = DiskSpec()
WAIT = start_kind(SPEC)
