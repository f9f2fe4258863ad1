# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ecs_image_wait does, without Ansible: images by id, in any number of regions, until they are Available and
usable (or a condition holds); what CopyImage leaves, which has no task. See docs/waiting-for-products.md.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.endpoints import validate_region
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.records import validate_image_ids
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.states import FAILED_STATES, KNOWN_STATES
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.product_waits import PRODUCT_WAIT_OPTIONS, product_result, timing
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.options import build_argument_spec
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.specs import check_list_options
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.sources import image_source
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait_kind import WaitKind
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import kind_of
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import compile_condition
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import state_list
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.engine import Waiter
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.items import Key
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.products import IMAGE, IMAGE_TARGETS, image_acceptors

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Mapping

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import Acceptor
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig

IMAGE_WAIT_OPTIONS = dict(PRODUCT_WAIT_OPTIONS, **{
    "image_ids": {"type": "list", "elements": "str", "aliases": ["image_id"]},
    "images": {"type": "list", "elements": "dict"},
    "target_states": {"type": "list", "elements": "str", "default": list(IMAGE_TARGETS)},
    "failure_states": {"type": "list", "elements": "str", "default": list(FAILED_STATES)},
    "usable": {"type": "bool", "default": True},
    "condition": {"type": "str"},
})


@dataclass(frozen=True)
class ImageWaitRequest:
    """A checked ecs_image_wait: ids in the options' region, (region, id) pairs elsewhere, the judging, the timing."""

    image_ids: tuple[str, ...]
    images: tuple[tuple[str, str], ...]
    acceptors: tuple[Acceptor, ...]
    target: str
    config: WaitConfig
    # Only a task can be cancelled; the paths that run any wait ask (ops/running.py, the action plugin).
    cancel_on_timeout = False

    def keys(self, region: str) -> list[Key]:
        """Every image as the engine names it, ``image_ids`` in ``region`` (the options' region), without repeats."""
        keys = [Key(IMAGE, region, image_id) for image_id in self.image_ids]
        keys.extend(Key(IMAGE, where, image_id) for where, image_id in self.images)
        return list(dict.fromkeys(keys))


def _images(value: object) -> tuple[tuple[str, str], ...]:
    """``images``: a list of {region, image_id}; ConfigError naming the bad entry."""
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)):
        raise ConfigError("images must be a list of {region, image_id}, got %s" % kind_of(value), option="images")
    pairs = []
    for index, entry in enumerate(value):
        if not isinstance(entry, dict) or set(entry) - {"region", "image_id"} or not entry.get("image_id") \
                or not entry.get("region"):
            raise ConfigError("images[%d] must be {region: <region id>, image_id: <image id>}, got %r"
                              % (index, entry), option="images")
        region = validate_region(str(entry["region"]).strip())
        image_id = validate_image_ids([entry["image_id"]], option="images[%d].image_id" % index)[0]
        pairs.append((region, image_id))
    return tuple(pairs)


def prepare_image_wait(params: Mapping[str, object]) -> ImageWaitRequest:
    """The request of ecs_image_wait's options (after the argument spec), every input checked before any call."""
    check_list_options(params, IMAGE_WAIT_OPTIONS, LIST_EXAMPLES)
    image_ids = tuple(validate_image_ids(params.get("image_ids") or []))
    images = _images(params.get("images"))
    if not image_ids and not images:
        raise ConfigError("image_ids and images are both empty, so there is nothing to wait for: give the image ids "
                          "(in region) or images as {region, image_id} (what CopyImage returned in each region)",
                          option="image_ids")
    condition = params.get("condition")
    compiled = None if condition is None else compile_condition("condition", condition)
    given = dict((name, params.get(name)) for name in ("target_states", "failure_states"))
    targets = state_list(IMAGE_TARGETS if given["target_states"] is None else given["target_states"], "target_states",
                         KNOWN_STATES, "image")
    failures = state_list(FAILED_STATES if given["failure_states"] is None else given["failure_states"],
                          "failure_states", KNOWN_STATES, "image")
    if not targets and compiled is None:
        raise ConfigError("target_states is empty and no condition is given, so no image could ever be ready; list "
                          "target states (default: Available) or set condition", option="target_states")
    both = [state for state in targets if state in failures]
    if both:
        raise ConfigError("%s is listed in both target_states and failure_states: remove it from one list"
                          % ", ".join(repr(state) for state in both), option="failure_states")
    usable = params.get("usable") is not False
    target = "become %s%s%s" % (", ".join("'%s'" % state for state in targets), " and usable" if usable else "",
                                " with condition true" if compiled is not None else "")
    return ImageWaitRequest(image_ids, images, tuple(image_acceptors(targets, failures, usable, compiled)), target,
                            timing(params))


def run_image_wait(request: ImageWaitRequest, client: EcsClient | Clients, check_mode: bool = False,
                   clock: Callable[[], float] = time.monotonic,
                   sleep: Callable[[float], object] = time.sleep,
                   on_progress: Callable[[dict], object] | None = None) -> dict:
    """Wait; return the module result, ``failed`` set. One DescribeImages per region per round for up to 100 ids."""
    clients = Clients.of(client)
    source = image_source(clients, request.acceptors, target=request.target)
    waiter = Waiter(request.config, [source], clock=clock, sleep=sleep, on_progress=on_progress, region=clients.region)
    return product_result(waiter.wait(request.keys(clients.region)), clients, "image", request.config.fail_on_failure)


def image_wait_argument_spec() -> dict[str, dict]:
    return build_argument_spec(IMAGE_WAIT_OPTIONS)


LIST_EXAMPLES = {"image_ids": "m-bp1g7004ksh0oeuc0001", "target_states": "Available", "failure_states": "CreateFailed"}
WAIT = WaitKind("ecs_image_wait", "image", image_wait_argument_spec, prepare_image_wait, run_image_wait, "image_wait",
                LIST_EXAMPLES)
