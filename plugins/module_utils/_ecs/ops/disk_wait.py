# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ecs_disk_wait does, without Ansible: disks by id until they are not Modifying and of the category,
performance level or condition asked for. A ModifyDiskSpec of the performance level alone returns no TaskId, so
only the disk can be waited on. See docs/waiting-for-products.md.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.disks.catalog import normalize_category, normalize_performance_level
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.disks.records import validate_disk_ids
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.product_waits import PRODUCT_WAIT_OPTIONS, product_result, timing
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.options import build_argument_spec
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.specs import check_list_options
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.sources import disk_source
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait_kind import WaitKind
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import compile_condition
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.engine import Waiter
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.items import Key
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.products import DISK, disk_acceptors

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Mapping

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import Acceptor
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig

DISK_WAIT_OPTIONS = dict(PRODUCT_WAIT_OPTIONS, **{
    "disk_ids": {"type": "list", "elements": "str", "aliases": ["disk_id"]},
    "disk_category": {"type": "str"},
    "performance_level": {"type": "str"},
    "condition": {"type": "str"},
})


@dataclass(frozen=True)
class DiskWaitRequest:
    """A checked ecs_disk_wait: the disks (in the options' region), the judging, the timing."""

    disk_ids: tuple[str, ...]
    acceptors: tuple[Acceptor, ...]
    target: str
    config: WaitConfig
    # Only a task can be cancelled; the paths that run any wait ask (ops/running.py, the action plugin).
    cancel_on_timeout = False


def prepare_disk_wait(params: Mapping[str, object]) -> DiskWaitRequest:
    """The request of ecs_disk_wait's options (after the argument spec), every input checked before any call."""
    check_list_options(params, DISK_WAIT_OPTIONS, LIST_EXAMPLES)
    disk_ids = tuple(validate_disk_ids(params.get("disk_ids") or []))
    if not disk_ids:
        raise ConfigError("disk_ids is empty, so there is nothing to wait for: give the ids of the disks whose "
                          "change to wait for (d-...)", option="disk_ids")
    category = params.get("disk_category")
    category = normalize_category(category) if category else None
    level = params.get("performance_level")
    level = normalize_performance_level(level) if level else None
    condition = params.get("condition")
    compiled = None if condition is None else compile_condition("condition", condition)
    wanted = [part for part in (category, level) if part]
    target = "settle (not Modifying)%s%s" % (" as %s" % " ".join(wanted) if wanted else "",
                                             " with condition true" if compiled is not None else "")
    return DiskWaitRequest(disk_ids, tuple(disk_acceptors(category, level, compiled)), target, timing(params))


def run_disk_wait(request: DiskWaitRequest, client: EcsClient | Clients, check_mode: bool = False,
                  clock: Callable[[], float] = time.monotonic,
                  sleep: Callable[[float], object] = time.sleep, on_progress: Callable[[dict], object] | None = None) -> dict:
    """Wait; return the module result, ``failed`` set. One DescribeDisks per round for up to 100 ids."""
    clients = Clients.of(client)
    source = disk_source(clients, request.acceptors, target=request.target)
    waiter = Waiter(request.config, [source], clock=clock, sleep=sleep, on_progress=on_progress, region=clients.region)
    keys = [Key(DISK, clients.region, disk_id) for disk_id in request.disk_ids]
    return product_result(waiter.wait(keys), clients, "disk", request.config.fail_on_failure)


def disk_wait_argument_spec() -> dict[str, dict]:
    return build_argument_spec(DISK_WAIT_OPTIONS)


LIST_EXAMPLES = {"disk_ids": "d-bp1g7004ksh0oeuc0001"}
WAIT = WaitKind("ecs_disk_wait", "disk", disk_wait_argument_spec, prepare_disk_wait, run_disk_wait, "disk_wait",
                LIST_EXAMPLES)
