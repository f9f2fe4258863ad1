# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a task produced, and when that is ready: the keys of an import's image, an export's OSS objects and a
converted disk (``products_of``), and the acceptors that judge images, disks and objects, as data.

See docs/waiting-for-products.md and docs/architecture.md (The waiter).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.disks.catalog import MODIFYING as DISK_MODIFYING
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.states import (
    AVAILABLE, FAILED_STATES as IMAGE_FAILURES, IN_PROGRESS_STATES as IMAGE_IN_PROGRESS,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.objects.records import PRESENT, export_objects, format_object_id
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import (
    FAILURE, RETRY, SUCCESS, UNKNOWN, Acceptor, AnyState, StateSet,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.items import Key

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable, Sequence

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import Condition, Match

IMAGE = "image"
DISK = "disk"
OSS_OBJECT = "oss_object"

IMAGE_TARGETS = (AVAILABLE,)


class Products(NamedTuple):
    """What a task produced: ``keys`` to wait on, and ``note`` when there is nothing the collection can check;
    ``errors`` (id -> ApiError) when a passing failure kept it from saying: the task is asked again next round."""

    keys: list[Key]
    note: str | None = None
    errors: dict | None = None


def products_of(record: dict, region: str | None) -> Products:
    """The keys of what the task of ``record`` produced (its region's); a note when its action makes nothing to check."""
    action = record.get("task_action")
    if action == "ImportImage":
        image = record.get("resource_id") or (record.get("related_items") or {}).get("ImageId")
        if image:
            return Products([Key(IMAGE, region, image)])
        return Products([], "task %s (ImportImage) names no image (no ResourceId nor ImageId): its end is the end"
                        % record.get("task_id"))
    if action == "ExportImage":
        objects = export_objects(record)
        if objects:
            return Products([Key(OSS_OBJECT, region, format_object_id(bucket, key)) for bucket, key in objects])
        return Products([], "task %s (ExportImage) names no OSS object in its related items: its end is the end"
                        % record.get("task_id"))
    if action == "ModifyDiskSpec":
        if record.get("resource_id"):
            return Products([Key(DISK, region, record["resource_id"])])
        return Products([], "task %s (ModifyDiskSpec) names no disk (no ResourceId): its end is the end"
                        % record.get("task_id"))
    return Products([], "wait_for: product knows of nothing that %s tasks produce (only ImportImage, ExportImage and "
                        "ModifyDiskSpec): their end is the end" % (action or "these"))


# ---------------------------------------------------------------- judging, as data

class AllOf(object):
    """Matches when every one of ``matches`` does (a state, then fields, then a condition)."""

    def __init__(self, matches: Iterable[Match]) -> None:
        self.matches_all = tuple(matches)

    def matches(self, state: str | None, raw: dict) -> bool:
        return all(match.matches(state, raw) for match in self.matches_all)

    def __repr__(self) -> str:
        return "AllOf(%s)" % ", ".join(repr(match) for match in self.matches_all)


class FieldIs(object):
    """``raw[field]`` equals ``value`` (case-insensitively for names such as categories)."""

    def __init__(self, field: str, value: object) -> None:
        self.field = field
        self.value = value

    def matches(self, state: str | None, raw: dict) -> bool:
        given = raw.get(self.field)
        if isinstance(given, str) and isinstance(self.value, str):
            return given.lower() == self.value.lower()
        return given == self.value

    def __repr__(self) -> str:
        return "FieldIs(%s=%r)" % (self.field, self.value)


class FieldNot(object):
    """``raw[field]`` is not ``value`` (Usable not false: a missing field counts as not false)."""

    def __init__(self, field: str, value: object) -> None:
        self.field = field
        self.value = value

    def matches(self, state: str | None, raw: dict) -> bool:
        return raw.get(self.field) != self.value

    def __repr__(self) -> str:
        return "FieldNot(%s=%r)" % (self.field, self.value)


class NotState(StateSet):
    """Any state but these."""

    def matches(self, state: str | None, raw: dict) -> bool:
        return state not in self.states


def _ready(parts: Iterable[Match], condition: Condition | None) -> AllOf:
    return AllOf(list(parts) + ([condition] if condition is not None else []))


def image_acceptors(target_states: Sequence[str] = IMAGE_TARGETS, failure_states: Sequence[str] = IMAGE_FAILURES,
                    usable: bool = True, condition: Condition | None = None) -> list[Acceptor]:
    """Ready in a target state, ``Usable`` not false (when ``usable``) and ``condition`` true; a failure state fails
    at once; an image still being made, or in a target state but not ready yet, is waited for; any other status is
    waited for with a warning."""
    # No target state: the condition alone says when an image is ready (ops/image_wait.py requires one of them).
    ready: list[Match] = [StateSet(target_states)] if target_states else []
    if usable:
        ready.append(FieldNot("Usable", False))
    return [
        Acceptor(StateSet(failure_states), FAILURE, "failure_states", "ended in state '%(state)s'"),
        Acceptor(_ready(ready, condition), SUCCESS, "target_states", "is ready ('%(state)s')"),
        Acceptor(StateSet(tuple(IMAGE_IN_PROGRESS) + tuple(target_states)), RETRY, "in progress"),
        Acceptor(AnyState(), UNKNOWN, "unknown states",
                 "is in state '%(state)s', which is neither a target, a failure nor a state images pass through "
                 "while they are made; still waiting (list it in target_states or failure_states)"),
    ]


def disk_acceptors(category: str | None = None, performance_level: str | None = None,
                   condition: Condition | None = None) -> list[Acceptor]:
    """Ready when not Modifying, of ``category`` and ``performance_level`` when given, and ``condition`` true;
    anything else is waited for (a disk can show its old category for a while after the task ended)."""
    ready: list[Match] = [NotState([DISK_MODIFYING])]
    if category:
        ready.append(FieldIs("Category", category))
    if performance_level:
        ready.append(FieldIs("PerformanceLevel", performance_level))
    return [Acceptor(_ready(ready, condition), SUCCESS, "disk", "is ready ('%(state)s')"),
            Acceptor(AnyState(), RETRY, "in progress")]


def object_acceptors(condition: Condition | None = None) -> list[Acceptor]:
    """Ready when present with a size above 0 and ``condition`` true; missing or empty is waited for (an export's
    object can appear after its task ended)."""
    return [Acceptor(_ready([StateSet([PRESENT])], condition), SUCCESS, "oss_object", "is ready ('%(state)s')"),
            Acceptor(AnyState(), RETRY, "in progress")]
