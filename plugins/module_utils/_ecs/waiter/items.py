# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the engine waits on: items, each one thing of one kind in one region, and what is known of it.

An item's answers (``views``: the raw API dicts by the read that gave them) belong to its source,
which makes the item's ``record`` from them; the engine keeps the verdicts. See docs/architecture.md.
"""

from __future__ import annotations

from typing import NamedTuple

# Verdicts an item can end with.
SUCCEEDED = "succeeded"
FAILED = "failed"
NOT_FOUND = "not_found"


class Key(NamedTuple):
    """One thing to wait on: a task, an image, a disk or an OSS object (``oss://bucket/key``), in a region."""

    kind: str
    region: str | None
    id: str


class Item(object):
    """What the engine knows about one thing it waits on."""

    __slots__ = ("key", "index", "parent", "views", "view_rounds", "record", "outcome", "reason", "decided_at",
                 "decided_round", "streak", "missed", "seen", "predicted_end", "settled", "progress_round",
                 "children", "ready_at", "ready_round", "state")

    def __init__(self, key: Key, index: int, parent: Item | None = None) -> None:
        self.key = key
        self.index = index
        self.parent = parent
        self.views: dict[str, dict] = {}      # name of the read -> its raw answer
        self.view_rounds: dict[str, int] = {}  # name of the read -> the round it was made in
        self.record: dict = {}
        self.outcome: str | None = None        # SUCCEEDED | FAILED | NOT_FOUND; None while undecided
        self.reason: str | None = None
        self.decided_at: float | None = None
        self.decided_round: int | None = None
        self.streak = 0                        # target matches in a row (continuous_target_occurrence)
        self.missed = 0                        # polls in a row that did not find it
        self.seen = False
        self.predicted_end: float | None = None  # clock time of the last prediction made while undecided
        self.settled = False                   # decided and read for the last time: raw answers dropped
        self.progress_round = -1               # the last round that read its progress
        self.children: list[Item] = []         # what it produced, waited on after it (wait_for: product)
        self.ready_at: float | None = None     # a task's own end, when its products are still awaited
        self.ready_round: int | None = None    # the round that saw that end
        self.state: str | None = None          # what lines and messages say of its state (its source sets it)

    @property
    def id(self) -> str:
        return self.key.id

    @property
    def kind(self) -> str:
        return self.key.kind

    @property
    def awaiting_products(self) -> bool:
        """Reached its target; waiting for what it produced."""
        return self.outcome is None and self.ready_at is not None

    def absorb(self, name: str, raw: dict, round_number: int) -> None:
        self.views[name] = raw
        self.view_rounds[name] = round_number

    @property
    def ended_round(self) -> int | None:
        """The round that saw it end: where it reached its target, before awaiting its products; else its decision's."""
        return self.ready_round if self.ready_round is not None else self.decided_round

    def read_since(self, name: str, round_number: int | None) -> bool:
        """Whether the read ``name`` was made in round ``round_number`` or later."""
        return round_number is not None and self.view_rounds.get(name, -1) >= round_number

    def settle(self) -> None:
        """Decided, and nothing more will be read: keep the record, drop the raw answers (10,000 tasks' worth is MBs)."""
        self.views = {}
        self.settled = True

    def __repr__(self) -> str:
        return "Item(%s %s %s)" % (self.key.kind, self.key.id, self.outcome or "pending")
