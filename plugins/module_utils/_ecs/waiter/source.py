# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the engine polls: a source per kind of thing (tasks, images, disks, OSS objects), with explicit methods.

A source makes the API calls for its kind, turns answers into its items' records and
says what its acceptors judge; the engine (engine.py) keeps the rounds, the verdicts
and the time. See docs/architecture.md (The waiter).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # annotations only
    from collections.abc import Sequence
    from typing import Protocol

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import Acceptor
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.items import Item
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.products import Products


class Observed(NamedTuple):
    """What one read of a source saw.

    found: item id -> {read name: raw answer}; missing: ids the service does not know;
    errors: item id -> ApiError for ids whose read failed in a way worth trying again later.
    A source of one region names items by id; a source of many regions (``region`` None) by Key.
    """

    found: dict
    missing: list
    errors: dict


NOTHING = Observed({}, [], {})


def observed(found: dict[str, dict], missing: Sequence[str], errors: dict[str, ApiError], name: str) -> Observed:
    """An Observed from a batched look-up whose answers are all of the read ``name``."""
    return Observed(dict((item_id, {name: raw}) for item_id, raw in found.items()), list(missing), dict(errors or {}))


def merge(first: Observed, second: Observed) -> Observed:
    """Two reads of the same round as one (an id missing from either is missing)."""
    found = dict((item_id, dict(views)) for item_id, views in first.found.items())
    for item_id, views in second.found.items():
        found.setdefault(item_id, {}).update(views)
    missing = list(first.missing) + [item_id for item_id in second.missing if item_id not in first.missing]
    errors = dict(first.errors)
    errors.update(second.errors)
    return Observed(found, missing, errors)


if TYPE_CHECKING:
    class Source(Protocol):
        """A kind of thing the engine waits on. Calls raise ApiError when the whole call failed.

        Read-only properties: the engine only reads them, and a source may hold them as narrower types (a
        TaskSource's region is a str, its acceptors a tuple)."""

        @property
        def kind(self) -> str:
            ...

        @property
        def noun(self) -> str:
            """What messages call one item ("task", "image", ...)."""

        @property
        def not_found_code(self) -> str:
            """The error code a record gets when its item is never found."""

        @property
        def region(self) -> str | None:
            """The one region of its items; None when they are in many (named by Key)."""

        @property
        def acceptors(self) -> Sequence[Acceptor]:
            ...

        @property
        def calls(self) -> dict[str, int]:
            """Requests asked of the API so far, by read name (not counting client retries)."""

        def poll(self, items: Sequence[Item], deadline: Deadline | None) -> Observed:
            """The current answers for these undecided items."""

        def refresh(self, item: Item) -> None:
            """``item.record`` from ``item.views``."""

        def judged(self, item: Item) -> tuple[str | None, dict]:
            """(state, raw view) the acceptors look at."""

        def describe_target(self) -> str:
            """What its items must do, for messages ("become 'Finished'")."""

        def carries_progress(self, read: str) -> bool:
            """Whether the read ``read`` says how far the item has come (for ETAs)."""

        def details(self, items: Sequence[Item], deadline: Deadline | None) -> Observed:
            """Reads of decided items that the result still lacks (NOTHING when none)."""

        def complete(self, item: Item) -> bool:
            """Whether a decided item has every read the result shows (it is then settled)."""

        def sample(self, pending: Sequence[Item]) -> Item | None:
            """One pending item whose progress is worth an extra read now, or None."""

        def read_progress(self, items: Sequence[Item], deadline: Deadline | None) -> Observed:
            """An extra read of these items' progress."""

        def products(self, item: Item, deadline: Deadline | None) -> Products:
            """What an item that reached its target produced, to wait on after it (none: it is decided)."""
