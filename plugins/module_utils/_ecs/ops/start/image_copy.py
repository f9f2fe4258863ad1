# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ecs_image_copy does, without Ansible: copies of an image of the options' region in other regions, once each.
A copy's identity is its name in its destination region: an image of that name there, in any status, is what an
earlier run made. CopyImage has no task: the copies are waited on as images (ops/image_wait.py), all regions in one
wait. See docs/after-a-restart.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.endpoints import validate_region
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.catalog import validate_image_name
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.records import (
    image_record, is_being_made, is_usable, validate_image_ids,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.service import ImageService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.states import AVAILABLE
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.image_wait import ImageWaitRequest, run_image_wait
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.specs import check_list_options
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.errors import advice
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.plan import (
    ATTACHED, NONE, STARTED, Decision, Refused, Start, StartCall, answer_names, start_kind, start_timing,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import kind_of
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.products import image_acceptors

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Mapping, Sequence

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig

ACTION = "CopyImage"
COPY_OPTIONS: dict[str, dict[str, Any]] = {
    "image_id": {"type": "str", "required": True},
    "destination_regions": {"type": "list", "elements": "str", "required": True, "aliases": ["destination_region"]},
    "destination_image_name": {"type": "str", "required": True},
    "description": {"type": "str"},
    # Unused: accepted so that module_defaults of the action group can set it for every module.
}
LIST_EXAMPLES = {"destination_regions": "eu-central-1"}
# What DescribeImages answers in a region ECS does not know (a destination's look-up).
REGION_NOT_FOUND = "InvalidRegionId.NotFound"
# CopyImage's DestinationDescription: 2 to 256 characters, not starting with http:// or https:// (the API page).
DESCRIPTION_LENGTH = (2, 256)


@dataclass(frozen=True)
class CopyRequest:
    """A checked ecs_image_copy: the source image (in the options' region), the destinations and the name (the
    identity in each), the timing."""

    image_id: str
    destinations: tuple[str, ...]
    image_name: str
    config: WaitConfig
    wait: bool = True
    description: str | None = None
    cancel_on_timeout = False


class Found(NamedTuple):
    """The source region, and per destination region the account's own images of the name (newest first)."""

    region: str
    images: Mapping[str, list]


def _destinations(value: object) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not value:
        raise ConfigError("destination_regions must list the regions to copy the image to, such as [eu-central-1], "
                          "got %s %r" % (kind_of(value), value), option="destination_regions")
    regions = []
    for index, region in enumerate(value):
        try:
            regions.append(validate_region(region.strip() if isinstance(region, str) else region))
        except ConfigError as error:
            raise ConfigError("destination_regions[%d]: %s" % (index, error.message), option="destination_regions") \
                from None
    return tuple(dict.fromkeys(regions))  # a region named twice gets one copy


def _description(value: object) -> str | None:
    if value is None:
        return None
    low, high = DESCRIPTION_LENGTH
    if not isinstance(value, str) or not low <= len(value) <= high or value.startswith(("http://", "https://")):
        raise ConfigError("description must be %d to %d characters, not starting with http:// or https://; got %s %r"
                          % (low, high, kind_of(value), value), option="description")
    return value


def prepare_copy(params: Mapping[str, object]) -> CopyRequest:
    """The request of ecs_image_copy's options (after the argument spec), every input checked before any call."""
    check_list_options(params, COPY_OPTIONS, LIST_EXAMPLES)
    return CopyRequest(
        image_id=validate_image_ids([params.get("image_id")], option="image_id")[0],
        destinations=_destinations(params.get("destination_regions")),
        image_name=validate_image_name(params.get("destination_image_name"), option="destination_image_name"),
        config=start_timing(params),
        wait=params.get("wait") is not False,
        description=_description(params.get("description")),
    )


def _shown(image):
    return "%s, %s" % (image.get("ImageId"), "usable" if is_usable(image) else image.get("Status"))


def decide_region(request: CopyRequest, region: str, images: Sequence[dict]) -> Decision:
    """One destination: none when an image of the name is Available and usable there (or Deprecated: it exists);
    attached when one is being made; started when there is none. A name held only by failed images is refused:
    CopyImage would refuse it too (InvalidImageName.Duplicated)."""
    name = request.image_name
    ready = [image for image in images if is_usable(image) or image.get("Status") == "Deprecated"]
    if ready:
        return Decision(NONE, "copy %r exists in %s: %s" % (name, region, _shown(ready[0])), region,
                        resource_id=ready[0].get("ImageId"))
    making = [image for image in images if is_being_made(image)]
    if making:
        return Decision(ATTACHED, "copy %r is being made in %s: %s" % (name, region, _shown(making[0])), region,
                        resource_id=making[0].get("ImageId"))
    if images:
        image = images[0]
        raise Refused("the name %r is taken in %s by image %s, which is %s: CopyImage cannot reuse it. Delete that "
                      "image (console, or DeleteImage in %s) and run again, or choose another destination_image_name"
                      % (name, region, image.get("ImageId"), image.get("Status"), region),
                      image_id=image.get("ImageId"), region=region)
    return Decision(STARTED, "no image named %r in %s" % (name, region), region)


def decide_copy(request: CopyRequest, found: Found) -> list[Decision]:
    """One decision per destination region, in the order given (the strongest is the run's action)."""
    return [decide_region(request, region, found.images.get(region) or []) for region in request.destinations]


class ImageCopy(Start[CopyRequest, Found]):
    """ecs_image_copy as a start module (ops/start/plan.py)."""

    name = "ecs_image_copy"
    noun = "image"
    home = "start.image_copy"
    options = COPY_OPTIONS
    examples = LIST_EXAMPLES

    def prepare(self, params: Mapping[str, object]) -> CopyRequest:
        return prepare_copy(params)

    def find(self, request: CopyRequest, clients: Clients, deadline: Deadline) -> Found:
        # The source is not read: a rerun whose copies all exist needs nothing of it (it may be gone by then), and
        # CopyImage itself says when it is missing or not Available (errors.py explains both).
        images = {}
        for region in request.destinations:
            try:
                images[region] = ImageService(clients.ecs(region)).find_by_name(request.image_name, deadline)
            except ApiError as error:
                if error.code == REGION_NOT_FOUND:
                    raise error.with_hint(advice("DestinationRegion.NotFound", {"destination_region": region})) from None
                raise
        return Found(clients.region, images)

    def decide(self, request: CopyRequest, found: Found) -> list[Decision]:
        return decide_copy(request, found)

    def call(self, request: CopyRequest, found: Found, decision: Decision) -> StartCall:
        params: dict[str, object] = {"RegionId": found.region, "ImageId": request.image_id,
                                     "DestinationRegionId": decision.region, "DestinationImageName": request.image_name}
        if request.description:
            params["DestinationDescription"] = request.description
        facts = {"action": ACTION, "region": found.region, "image_id": request.image_id,
                 "image_name": request.image_name, "destination_region": decision.region}
        return StartCall(ACTION, found.region, params, facts, check=answer_names(ACTION, "ImageId"))

    def started(self, request: CopyRequest, found: Found, decision: Decision, answer: dict) -> Decision:
        return decision.but(resource_id=answer.get("ImageId"), why="%s: started CopyImage of %s from %s, image %s" % (
            decision.why, request.image_id, found.region, answer.get("ImageId")))

    def wait(self, request: CopyRequest, clients: Clients, decisions: Sequence[Decision], config: WaitConfig,
             clock: Callable[[], float], sleep: Callable[[float], object],
             on_progress: Callable[[dict], object] | None) -> dict:
        # The copies started or being made, every region in one wait: one DescribeImages per region per round.
        images = tuple((decision.region, decision.resource_id) for decision in decisions
                       if decision.changed and decision.resource_id)
        wait = ImageWaitRequest((), images, tuple(image_acceptors()), "become 'Available' and usable", config)
        return run_image_wait(wait, clients, clock=clock, sleep=sleep, on_progress=on_progress)

    def result(self, request: CopyRequest, found: Found, decisions: Sequence[Decision], waited: dict | None) -> dict:
        by_region = dict((decision.region, decision) for decision in decisions)
        waited_by_id = (waited or {}).get("images_by_id") or {}
        images = []
        for region in request.destinations:
            decision = by_region.get(region)
            image_id = decision.resource_id if decision else None
            raw = _image_of(found.images.get(region) or [], image_id)
            if image_id in waited_by_id:
                record = dict(waited_by_id[image_id])
            elif raw is not None:
                record = image_record(raw, region)
            else:
                record = dict(image_record(None, region), image_id=image_id,
                              image_name=request.image_name if image_id else None)
            record["action"] = decision.action if decision else NONE
            images.append(record)
        return {"images": images, "images_by_region": dict((record["region"], record) for record in images)}

    def diff(self, request: CopyRequest, found: Found, decisions: Sequence[Decision]) -> dict:
        before, after = {}, {}
        for decision in decisions:
            raw = _image_of(found.images.get(decision.region) or [], decision.resource_id)
            if raw is not None:
                before[decision.region] = {"image_name": request.image_name, "image_id": decision.resource_id,
                                           "status": raw.get("Status"), "usable": is_usable(raw)}
            after[decision.region] = {"image_name": request.image_name,
                                      "image_id": decision.resource_id or "(CopyImage names it)",
                                      "status": AVAILABLE, "usable": True}
            if decision.action == STARTED:
                after[decision.region]["copied_from"] = "%s (%s)" % (request.image_id, found.region)
        return {"before": before, "after": after}


def _image_of(images, image_id):
    """The raw image ``image_id`` among ``images``; the first (newest) of them when no id is known yet."""
    if image_id is None:
        return images[0] if images else None
    return next((image for image in images if image.get("ImageId") == image_id), None)


COPY = ImageCopy()
WAIT = start_kind(COPY)
