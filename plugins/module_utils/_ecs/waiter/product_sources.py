# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Images, disks and OSS objects as the engine polls them: what ecs_image_wait and ecs_disk_wait wait on, and what
a task waited on with ``wait_for: product`` produced.

Each source reads its items in as few calls as the API allows: images and disks 100 per call per region, an object
with one HEAD per round until it is ready (never again after). The calls themselves are injected (``read``), so the
sources are tested without the network; ops/ wires the services. See docs/waiting-for-products.md.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.objects.records import ABSENT, object_status, parse_object_id
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.items import Key
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.products import DISK, IMAGE, OSS_OBJECT, Products
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.source import NOTHING, Observed

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Mapping, Sequence
    from typing import Optional, Protocol

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import Acceptor
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.items import Item

    class Batch(Protocol):
        """What a batched read returns (tasks/service.Batch, objects/service.Heads)."""

        @property
        def found(self) -> Mapping[str, dict]:  # id -> raw answer
            ...

        @property
        def missing(self) -> Sequence[str]:
            ...

        @property
        def errors(self) -> Mapping[str, ApiError] | None:
            ...

    # (Optional, not X | None: an alias is an expression, which Python 3.9 would not take.)
    # (region, ids, deadline) -> the Batch of those ids.
    BatchRead = Callable[[Optional[str], list, Optional[Deadline]], Batch]
    # (raw answer or None, region, id) -> the record a module returns.
    ToRecord = Callable[[Optional[dict], Optional[str], str], dict]

IDS_PER_CALL = 100
READ = "read"


class _ByRegion(object):
    """A source of things in any number of regions, read in batches of 100 ids per region per round."""

    kind = ""
    noun = ""
    not_found_code = ""
    region: str | None = None  # many regions: its answers name items by Key
    status_field = "Status"

    def __init__(self, read: BatchRead, to_record: ToRecord, acceptors: Sequence[Acceptor],
                 target: str = "be ready") -> None:
        self._batch = read
        self._to_record = to_record
        self.acceptors = list(acceptors)
        self.target = target
        self._calls = 0

    @property
    def calls(self) -> dict[str, int]:
        return {self.noun + "s": self._calls}

    def poll(self, items: Sequence[Item], deadline: Deadline | None) -> Observed:
        by_region: dict[str | None, list[str]] = {}
        for item in items:
            by_region.setdefault(item.key.region, []).append(item.id)
        found: dict[Key, dict] = {}
        missing: list[Key] = []
        errors: dict[Key, ApiError] = {}
        for region, ids in by_region.items():
            self._calls += self.cost(len(ids))
            batch = self._batch(region, ids, deadline)
            for item_id, raw in batch.found.items():
                found[Key(self.kind, region, item_id)] = {READ: raw}
            missing.extend(Key(self.kind, region, item_id) for item_id in batch.missing)
            errors.update((Key(self.kind, region, item_id), error) for item_id, error in (batch.errors or {}).items())
        return Observed(found, missing, errors)

    def describe_target(self) -> str:
        """What its items must do, for messages ("become 'Available' and usable")."""
        return self.target

    def cost(self, count: int) -> int:
        """The requests a read of ``count`` items of one region asks for."""
        return int(math.ceil(count / float(IDS_PER_CALL)))

    def refresh(self, item: Item) -> None:
        raw = item.views.get(READ)
        item.record = self._to_record(raw, item.key.region, item.id)
        item.state = self.state_words(raw) if raw is not None else None

    def state_words(self, raw: dict) -> str | None:
        """What lines and messages say of the state in ``raw``."""
        return raw.get(self.status_field)

    def judged(self, item: Item) -> tuple[str | None, dict]:
        raw = item.views.get(READ) or {}
        return raw.get(self.status_field), raw

    def carries_progress(self, read: str) -> bool:
        return False

    def details(self, items: Sequence[Item], deadline: Deadline | None) -> Observed:
        return NOTHING

    def complete(self, item: Item) -> bool:
        return True

    def sample(self, pending: Sequence[Item]) -> Item | None:
        return None

    def read_progress(self, items: Sequence[Item], deadline: Deadline | None) -> Observed:
        return NOTHING

    def products(self, item: Item, deadline: Deadline | None) -> Products:
        return Products([])


class ImageSource(_ByRegion):
    """Images by id in any regions: one DescribeImages (every status) per region per 100 ids and round; their
    Progress gives ETAs."""

    kind = IMAGE
    noun = "image"
    not_found_code = "InvalidImageId.NotFound"

    def carries_progress(self, read: str) -> bool:
        return True

    def state_words(self, raw: dict) -> str | None:
        status = raw.get("Status")
        if status == "Available" and raw.get("Usable") is False:
            return "Available, not usable yet"
        return status


class DiskSource(_ByRegion):
    """Disks by id in any regions: one DescribeDisks per region per 100 ids and round."""

    kind = DISK
    noun = "disk"
    not_found_code = "InvalidDiskId.NotFound"

    def state_words(self, raw: dict) -> str | None:
        parts = [part for part in (raw.get("Status"), raw.get("Category"), raw.get("PerformanceLevel")) if part]
        return ", ".join(parts) or None


class ObjectSource(_ByRegion):
    """OSS objects (``oss://bucket/key``): one HEAD each per round until ready. An absent object is a state (an
    export's object can come after its task ended), not a thing never found: it is waited for until the deadline."""

    kind = OSS_OBJECT
    noun = "OSS object"
    not_found_code = "NoSuchKey"
    status_field = "Status"

    @property
    def calls(self) -> dict[str, int]:
        return {"objects": self._calls}

    def cost(self, count: int) -> int:
        return count  # OSS has no batch read of object metadata

    def poll(self, items: Sequence[Item], deadline: Deadline | None) -> Observed:
        seen = super().poll(items, deadline)
        found = dict((key, {READ: dict(views[READ], Status=object_status(views[READ]))}) for key, views in seen.found.items())
        for key in seen.missing:
            bucket, name = parse_object_id(key.id)
            found[key] = {READ: {"Bucket": bucket, "Key": name, "Status": ABSENT}}
        return Observed(found, [], seen.errors)
