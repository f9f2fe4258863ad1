# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The waiting loop: rounds of polls of the undecided items until every item is decided or time runs out.

No I/O of its own: the sources (source.py, task_source.py), clock, sleep and random generator are
injected, so it is unit-tested on a fake clock. Each round asks every source for its
undecided items and judges them with the source's acceptors (acceptors.py); a wait by
filters finds its tasks in its first rounds (``Discovery``); with ``wait_for: product``
an item that reached its target waits on what it produced (``products``). Reports and
messages come from outcome.py, the intervals from schedule.py. See the section
"The waiter" in docs/architecture.md, and docs/waiting.md.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, TypeVar, cast

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import FAILURE, SUCCESS, UNKNOWN, ConditionError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.items import FAILED, NOT_FOUND, SUCCEEDED, Item, Key
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.outcome import (
    build_outcome, not_found_reason, predicted_timeout_warning, product_failure_reason, products_ready_reason, snapshot,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.schedule import EtaTracker, Schedule, pause

if TYPE_CHECKING:  # annotations only
    import random
    from collections.abc import Callable, Iterable, Sequence
    from typing import Protocol

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import Acceptor
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.outcome import Discovery as SearchView
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.outcome import EngineItem, WaitOutcome
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.source import Observed, Source

    class Discovery(SearchView, Protocol):
        """How a wait by filters finds what it waits on: its first rounds (task_source.py TaskDiscovery); the
        messages read it as a SearchView."""

        kind: str
        polls: int

        transient: list[ApiError]

        def find(self, deadline: Deadline | None) -> list[tuple[str, str, dict]]:
            """(id, read name, raw answer) of each thing that matches now; raises ApiError."""

        def summary(self) -> dict:
            """What the search did, for the result and the messages."""

__all__ = ["Waiter", "Run"]

_T = TypeVar("_T")


class _Abort(Exception):
    """A permanent ApiError: the wait ends now."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


class Waiter(object):
    """Runs waits for one WaitConfig against its sources (one per kind of item)."""

    def __init__(self, config: WaitConfig, sources: Source | Iterable[Source], clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], object] = time.sleep, rng: random.Random | None = None,
                 on_progress: Callable[[dict], object] | None = None, region: str | None = None,
                 wall_clock: Callable[[], float] = time.time) -> None:
        self.config = config
        # One source, or several (a source is not iterable; hasattr tells them apart, which mypy cannot follow).
        listed = [cast("Source", sources)] if hasattr(sources, "kind") else list(sources)
        self.sources: dict[str, Source] = {source.kind: source for source in listed}
        self.clock = clock
        self.wall_clock = wall_clock
        self.sleep = sleep
        self.schedule = Schedule(config, rng)
        self.on_progress = on_progress
        self.region = region

    @property
    def task_region(self) -> str | None:
        """The region of the tasks this waiter polls (its task source's)."""
        return getattr(self.sources.get("task"), "region", self.region)

    def wait(self, keys: Iterable[Key | str], discovery: Discovery | None = None) -> WaitOutcome:
        """Wait for these items (a bare id is a task of this waiter's region), and for what ``discovery`` finds."""
        wanted = [key if isinstance(key, Key) else Key("task", self.task_region, key) for key in keys]
        if not wanted and discovery is None:
            raise ConfigError("task_ids is empty: give at least one task id to wait for", option="task_ids")
        return Run(self, wanted, discovery).run()


class Run(object):
    """One wait: the state its rounds share. outcome.py and the reports read it through the attributes listed in
    its ``EngineRun`` protocol (items, config, region, start, rounds, calls, warnings, transient, late_warning,
    wall_offset, discovery)."""

    def __init__(self, waiter: Waiter, keys: Sequence[Key], discovery: Discovery | None = None) -> None:
        self.waiter = waiter
        self.config = waiter.config
        self.region = waiter.region
        self.items: list[Item] = []
        self._by_key: dict[Key, Item] = {}
        for key in keys:
            self._add(key)
        self.discovery = discovery
        self.searching = discovery is not None
        self.search_misses = 0
        self.rounds = 0
        self.warnings = list(self.config.warnings)
        self.warned: set = set()  # keys of the warnings given once: ("state", s), ("condition", option)
        self.transient: list[ApiError] = []
        self.etas = EtaTracker()
        self.start = self.last_sample = self.wall_offset = 0.0
        self.end = 0.0  # the deadline's clock time (the run's timeout is always finite)
        self.deadline = Deadline(None)
        self.late_warning: str | None = None  # the predicted-timeout warning, once given
        self.news: list[str] = []             # warnings to show at once, with the next report

    def _add(self, key, parent=None):
        if key in self._by_key:
            return self._by_key[key]
        item = Item(key, len(self.items) if parent is None else len(parent.children), parent)
        self._by_key[key] = item
        self.waiter.sources[key.kind].refresh(item)
        if parent is None:
            self.items.append(item)
        else:
            parent.children.append(item)
        return item

    @property
    def calls(self) -> dict[str, int]:
        """Requests asked of the sources (not client retries), by read name."""
        calls: dict[str, int] = {}
        for source in self.waiter.sources.values():
            for name, count in source.calls.items():
                calls[name] = calls.get(name, 0) + count
        return calls

    def noun(self, item: EngineItem | None = None) -> str:
        """What messages call ``item`` ("task", "image"...), or the items of this wait."""
        kind = item.kind if item is not None else self.items[0].kind if self.items else \
            self.discovery.kind if self.discovery is not None else "task"
        return self.waiter.sources[kind].noun

    def target(self) -> str:
        """What the items of this wait must do, for messages (their source's words)."""
        kind = self.items[0].kind if self.items else self.discovery.kind if self.discovery is not None else "task"
        return self.waiter.sources[kind].describe_target()

    def everything(self) -> list[Item]:
        """Every item, with what each produced after it."""
        return [each for item in self.items for each in [item] + item.children]

    # ------------------------------------------------------------ the loop

    def run(self) -> WaitOutcome:
        waiter = self.waiter
        self.start = self.last_sample = waiter.clock()
        self.wall_offset = waiter.wall_clock() - self.start
        # The one deadline of the run: every call below gets it, down to the HTTP read, STS and the metadata service.
        self.end = self.start + self.config.timeout
        self.deadline = Deadline(self.end, waiter.clock)
        if self.config.delay:
            self.pause(self.config.delay)
        try:
            status, error = self.loop(), None
        except _Abort as abort:
            status, error = "error", abort.error
        return build_outcome(self, status, error, waiter.clock())

    def loop(self) -> str:
        waiter = self.waiter
        last = False
        while True:
            self.round()
            now = waiter.clock()
            status = self.status() or ("timed_out" if last else None) or self.judge_prediction(now)
            if status in ("succeeded", "failed") and now < self.end:
                # A details read that failed for a passing reason gets one more try: it is
                # what the user waited for (related items, the item's own error).
                self.fetch_details()
            wait = None
            if status is None:
                wait, last = waiter.schedule.next_sleep(now, self.start, self.end, self.remaining(now))
            self.report(now, wait)
            if status is not None or wait is None:  # no wait: the deadline has passed
                return status or "timed_out"
            self.pause(wait)

    def pause(self, seconds: float) -> None:
        """Sleep ``seconds``, waking every display_interval to report, so lines keep their cadence between polls."""
        wake = None if self.waiter.on_progress is None else (lambda left: self.report(self.waiter.clock(), left))
        pause(seconds, self.waiter.sleep, self.config.display_interval, wake)

    def round(self) -> None:
        self.rounds += 1
        if self.searching and self.discovery is not None:
            self.search(self.discovery)
        # The kinds of what is waited on first, then those of what they produce: a product is read in the round
        # its task ended, in the same call as the products already pending (one call per 100, not two).
        order = sorted(self.waiter.sources.values(), key=lambda source: source.kind not in self.top_kinds)
        for source in order:
            items = self._undecided(source.kind)
            if not items:
                continue
            seen = self.call(source.poll, items)
            if seen is None:
                continue
            self.absorb(source, seen)
            for item in items:
                ref = _ref(source, item)
                if ref not in seen.errors:
                    self.judge(source, item, missing=ref in seen.missing)
        self.fetch_details()
        self.sample_progress()

    @property
    def top_kinds(self) -> set:
        """The kinds of the items waited on (not of what they produce)."""
        return set(item.kind for item in self.items) | ({self.discovery.kind} if self.discovery is not None else set())

    def _undecided(self, kind: str) -> list[Item]:
        """The undecided items of ``kind``, in order; a task awaiting its products is not polled."""
        return [item for item in self.everything()
                if item.kind == kind and item.outcome is None and not item.awaiting_products]

    def _undecided_by_source(self):
        """(source, its undecided items) for each kind with any; a task awaiting its products is not polled."""
        groups: dict[str, list[Item]] = {}
        for item in self.everything():
            if item.outcome is None and not item.awaiting_products:
                groups.setdefault(item.kind, []).append(item)
        return [(self.waiter.sources[kind], items) for kind, items in groups.items()]

    def search(self, discovery: Discovery) -> None:
        """A round of a wait by filters before it has found anything: the search, whose answers are the found
        items' first poll."""
        try:
            found = discovery.find(self.deadline)
        except ApiError as exc:
            if not exc.retryable:
                raise _Abort(exc)
            discovery.transient.append(exc)
            return
        if not found:
            self.search_misses += 1
            return
        self.searching = False
        source = self.waiter.sources[discovery.kind]
        for item_id, read, raw in found:
            item = self._add(Key(discovery.kind, self.waiter.task_region, item_id))
            if item.outcome is None:
                item.absorb(read, raw, self.rounds)
                source.refresh(item)

    def fetch_details(self) -> None:
        """Reads the decided items still lack (a task's related items and error); settle the complete ones."""
        groups: dict[str, list[Item]] = {}
        for item in self.everything():
            if item.outcome is not None and not item.settled:
                groups.setdefault(item.kind, []).append(item)
        for kind, items in groups.items():
            source = self.waiter.sources[kind]
            self.absorb(source, self.call(source.details, items))
            for item in items:
                if source.complete(item):
                    item.settle()

    def call(self, read: Callable[..., _T], *args: object) -> _T | None:
        """``read(*args, deadline)``; None after a transient error, _Abort after a permanent one."""
        try:
            return read(*(args + (self.deadline,)))
        except ApiError as exc:
            if not exc.retryable:
                raise _Abort(exc)
            self.transient.append(exc)
            return None

    def absorb(self, source: Source, seen: Observed | None) -> None:
        if seen is None:
            return
        now = self.waiter.clock()
        for item_id, views in seen.found.items():
            item = self._by_key.get(item_id if isinstance(item_id, Key) else Key(source.kind, source.region, item_id))
            if item is None or item.settled:
                continue
            progress_read = False
            for read, raw in views.items():
                item.absorb(read, raw, self.rounds)
                progress_read = progress_read or source.carries_progress(read)
            source.refresh(item)
            if progress_read:
                item.progress_round = self.rounds
                self.etas.observe(item.key, now, item.record.get("progress"))
                track = self.etas.track(item.key)
                end = track.predicted_end() if track is not None else None
                if end is not None and item.outcome is None:
                    item.predicted_end = end
        self.transient.extend((seen.errors or {}).values())

    def remaining(self, now: float) -> list[float | None] | None:
        """Seconds to each undecided item's predicted end, when this round read the progress of all of them."""
        undecided = [item for item in self.everything() if item.outcome is None and not item.awaiting_products]
        if not undecided or any(item.progress_round != self.rounds for item in undecided):
            return None
        return self.etas.remaining([item.key for item in undecided], now)

    # ------------------------------------------------------------ decisions

    def judge(self, source: Source, item: Item, missing: bool) -> None:
        config = self.config
        if missing:
            item.streak = 0
            item.missed += 1
            if item.missed > config.not_found_checks:
                self.decide_not_found(source, item)
            return
        item.missed = 0
        item.seen = True
        state, raw = source.judged(item)
        acceptor = self.first_match(source, state, raw)
        if acceptor.outcome == SUCCESS:
            item.streak += 1
            if item.streak >= config.continuous_target_occurrence:
                self.reached(source, item, acceptor.reason(state))
            return
        item.streak = 0
        if acceptor.outcome == FAILURE:
            self.decide(item, FAILED, acceptor.reason(state))
        elif acceptor.outcome == UNKNOWN:
            self.warn_once(("state", state), "%s %s %s" % (item.kind, item.id, acceptor.reason(state)))

    def first_match(self, source: Source, state: str | None, raw: dict) -> Acceptor:
        """The first acceptor that matches (the list ends with a catch-all); a condition that fails counts as false."""
        for acceptor in source.acceptors:
            try:
                if acceptor.matches(state, raw):
                    return acceptor
            except ConditionError as exc:
                self.warn_once(("condition", exc.option), str(exc))
        raise AssertionError("the acceptors end with a catch-all")  # pragma: no cover

    def reached(self, source: Source, item: Item, reason: str | None) -> None:
        """An item at its target: decided, unless it must wait for what it produced (its source says what)."""
        keys = []
        if item.parent is None:
            made = source.products(item, self.deadline)
            if made.errors:
                # Not known yet what it produced: it stays undecided and is asked again next round.
                self.transient.extend(made.errors.values())
                return
            if made.note:
                self.warn_once(("products", made.note), made.note)
            keys = made.keys
        if not keys:
            self.decide(item, SUCCEEDED, reason)
            return
        item.ready_at = self.waiter.clock()
        item.ready_round = self.rounds
        item.reason = reason
        for key in keys:
            self._add(key, parent=item)

    def warn_once(self, key: object, text: str) -> None:
        if key not in self.warned:
            self.warned.add(key)
            self.warnings.append(text)

    def decide(self, item: Item, outcome: str, reason: str | None) -> None:
        item.outcome = outcome
        item.reason = reason
        item.decided_at = self.waiter.clock()
        item.decided_round = self.rounds
        parent = item.parent
        if parent is None or parent.outcome is not None:
            return
        if outcome != SUCCEEDED:
            self.decide(parent, FAILED, product_failure_reason(self, parent, item))
        elif all(child.outcome == SUCCEEDED for child in parent.children):
            self.decide(parent, SUCCEEDED, products_ready_reason(self, parent))

    def decide_not_found(self, source: Source, item: Item) -> None:
        text = not_found_reason(item, self.config.not_found_checks, item.key.region)
        self.decide(item, NOT_FOUND, text)
        item.record["error_code"] = source.not_found_code
        item.record["error_msg"] = "The %s %s" % (source.noun, text)

    def status(self) -> str | None:
        """The end status, or None while the wait goes on."""
        if self.searching:
            return "failed" if self.search_misses > self.config.not_found_checks else None
        outcomes = [item.outcome for item in self.items]
        succeeded = outcomes.count(SUCCEEDED)
        failed = len(outcomes) - succeeded - outcomes.count(None)
        if self.config.mode == "any":
            if succeeded:
                return "succeeded"
            return "failed" if failed == len(outcomes) else None
        if failed and self.config.fail_on_failure:
            return "failed"
        if None in outcomes:
            return None
        return "failed" if failed else "succeeded"

    def judge_prediction(self, now: float) -> str | None:
        """Warn once when the items cannot end before the deadline; "predicted_timeout" when told to fail then.

        Judged on each item's earliest end its progress allows (not the likeliest): in mode all one item
        too late is enough, in mode any every undecided item must be too late.
        """
        if self.late_warning is not None:
            return None
        undecided = [item for item in self.items if item.outcome is None]
        # (the end the warning names, item) of each item that cannot end in time: its likeliest end, or without
        # one (progress not steady) its earliest.
        ends: list[tuple[float, Item]] = []
        for item in undecided:
            track = self.etas.track(item.key)
            earliest = track.earliest_end() if track is not None else None
            if track is not None and earliest is not None and earliest > self.end:
                predicted = track.predicted_end()
                ends.append((predicted if predicted is not None else earliest, item))
        if not ends or (self.config.mode == "any" and len(ends) < len(undecided)):
            return None
        end, item = min(ends, key=lambda pair: pair[0]) if self.config.mode == "any" else max(ends, key=lambda pair: pair[0])
        self.late_warning = predicted_timeout_warning(item, end, now, self)
        if self.config.on_predicted_timeout == "fail":
            return "predicted_timeout"
        self.late_warning += "; still waiting (on_predicted_timeout: fail would stop now)"
        self.warnings.append(self.late_warning)
        self.news.append(self.late_warning)
        return None

    # ------------------------------------------------------------ progress

    def sample_progress(self) -> None:
        """Every progress_interval, one extra read of a pending item's progress in a wait whose polls lack it."""
        interval = self.config.progress_interval
        if not interval or self.status():
            return
        now = self.waiter.clock()
        if now - self.last_sample < interval:
            return
        for source, pending in self._undecided_by_source():
            item = source.sample(pending)
            if item is not None:
                self.last_sample = now
                self.absorb(source, self.call(source.read_progress, [item]))

    # ------------------------------------------------------------ reports

    def report(self, now: float, next_poll_in: float | None) -> None:
        if self.waiter.on_progress is not None:
            news, self.news = self.news, []
            self.waiter.on_progress(snapshot(self, now, next_poll_in, news))


def _ref(source: Source, item: Item) -> str | Key:
    """How ``source``'s answers name ``item``: by id for a source of one region, by key for one of many."""
    return item.id if source.region is not None else item.key
