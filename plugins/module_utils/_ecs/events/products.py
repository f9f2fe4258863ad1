# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source's watch of what tasks produced (``wait_for: product``).

Once a task's end event is out, what it made (an import's image, an export's OSS objects, a converted disk: the
keys of waiter/products.py) is read at every poll, as the waits read it (images and disks 100 ids a call per
region, one HEAD per object), until each is ready or failed, one event each; a product still not ready
``timeout`` seconds after its task's end gives one last event, not ready, and is read no more. See docs/eda.md.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import AlicloudError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import FAILURE, SUCCESS, ConditionError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.items import FAILED, SUCCEEDED, Item
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.outcome import product_view
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.products import products_of

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Sequence

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.items import Key
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.source import Source

# A product given up on at the timeout: what the waits call an item not decided.
PENDING = "pending"
VERDICTS = {SUCCESS: SUCCEEDED, FAILURE: FAILED}


class ProductWatch(object):
    """The products of the ended tasks not decided yet, each with its task's record and when it was first watched."""

    def __init__(self, sources: Sequence[Source], region: str, timeout: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.sources = dict((source.kind, source) for source in sources)
        self.region = region
        self.timeout = timeout
        self._clock = clock
        self._watched: dict[Key, tuple[Item, dict, float]] = {}
        self._added = 0

    def __len__(self) -> int:
        return len(self._watched)

    def add(self, record: dict) -> str | None:
        """Watch what the task of ``record`` made, once it ended ``Finished`` (a failed task made nothing); the
        note saying why there is nothing to watch, when its action makes nothing the collection can check."""
        if record.get("task_status") != "Finished":
            return None
        made = products_of(record, self.region)
        now = self._clock()
        for key in made.keys:
            if key not in self._watched:
                self._added += 1
                self._watched[key] = (Item(key, self._added), record, now)
        return made.note

    def poll(self, deadline: Deadline | None) -> tuple[list[tuple[dict, dict]], list[str]]:
        """One read of every product watched; the decided ones as (task record, product view), in the order they
        were added, and what went wrong (for the log: the product stays watched)."""
        by_kind: dict[str, list[Item]] = {}
        for item, _record, _since in self._watched.values():
            by_kind.setdefault(item.kind, []).append(item)
        problems = []
        for kind, items in by_kind.items():
            source = self.sources[kind]
            try:
                seen = source.poll(items, deadline)
            except AlicloudError as error:
                problems.append("reading %d %s(s) failed: %s" % (len(items), source.noun, error))
                continue
            problems.extend("reading %s %s failed: %s" % (source.noun, key.id, error) for key, error in seen.errors.items())
            for item in items:
                views = seen.found.get(item.key)
                if views is None:
                    continue  # not listed (yet): watched until its timeout
                for read, raw in views.items():
                    item.absorb(read, raw, 0)
                source.refresh(item)
                item.outcome = self._verdict(source, item, problems)
        return self._decided(), problems

    @staticmethod
    def _verdict(source, item, problems):
        """SUCCEEDED or FAILED by the source's acceptors (the first that matches), or None while it is not ready."""
        state, raw = source.judged(item)
        for acceptor in source.acceptors:
            try:
                if acceptor.matches(state, raw):
                    return VERDICTS.get(acceptor.outcome)
            except ConditionError as error:
                problems.append(str(error))
        return None

    def _decided(self):
        now = self._clock()
        done = []
        for key, (item, record, since) in list(self._watched.items()):
            if item.outcome is None and now - since < self.timeout:
                continue
            del self._watched[key]
            view = product_view(item)
            view["wait_outcome"] = item.outcome or PENDING
            done.append((record, view))
        return done
