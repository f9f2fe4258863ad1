# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The waiting loop: rounds of polls of the undecided tasks until every task is decided or time runs out.

No I/O of its own: the source (``summaries`` / ``attributes``), clock, sleep and
random generator are injected, so it is unit-tested on a fake clock. Each round
judges the tasks with the config's acceptors (acceptors.py); the reports and
messages come from outcome.py, the intervals from schedule.py. See the section
"The waiter" in docs/architecture.md, and docs/waiting.md.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import merge_raw, task_record, validate_task_ids
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import Batch
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import NOT_FOUND_CODE
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import FAILURE, SUCCESS, UNKNOWN, ConditionError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.outcome import (
    build_outcome, not_found_reason, predicted_timeout_warning, snapshot,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.schedule import EtaTracker, Schedule, pause

if TYPE_CHECKING:  # annotations only
    import random
    from collections.abc import Callable, Iterable

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import TaskService
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.outcome import WaitOutcome

__all__ = ["Waiter"]

IDS_PER_SUMMARY_CALL = 100


class _Abort(Exception):
    """A permanent ApiError: the wait ends now."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


class _Task(object):
    """What the engine knows about one task."""

    def __init__(self, task_id, index, region):
        self.task_id = task_id
        self.index = index
        self.summary = self.attribute = None
        self.summary_round = self.attribute_round = -1
        self.outcome = None       # "succeeded" | "failed" | "not_found"
        self.predicted_end = None  # clock time of the last prediction made while it was undecided
        self.decided_at = None
        self.decided_round = None
        self.reason = None
        self.streak = 0
        self.missed = 0
        self.seen = False
        self.settled = False
        self.refresh(region)

    def pair(self):
        """(summary, attribute) with the older one's overlapping fields replaced by the newer ones."""
        summary, attribute = self.summary, self.attribute
        if summary is not None and attribute is not None and self.summary_round > self.attribute_round:
            attribute = dict(attribute, **dict((key, value) for key, value in summary.items() if key in attribute))
        return summary, attribute

    def raw(self):
        return merge_raw(*self.pair())

    def refresh(self, region):
        self.record = task_record(*self.pair(), region=region)
        self.record["task_id"] = self.task_id

    def settle(self):
        """Decided, and nothing more will be read: keep the record, drop the raw answers (10,000 tasks' worth is MBs)."""
        self.summary = self.attribute = None
        self.settled = True


class Waiter(object):
    """Runs waits for one WaitConfig against one source (``summaries`` / ``attributes``)."""

    def __init__(self, config: WaitConfig, source: TaskService, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], object] = time.sleep, rng: random.Random | None = None, on_progress: Callable[[dict], object] | None = None,
                 region: str | None = None, wall_clock: Callable[[], float] = time.time) -> None:
        self.config = config
        self.source = source
        self.clock = clock
        self.wall_clock = wall_clock
        self.sleep = sleep
        self.schedule = Schedule(config, rng)
        self.on_progress = on_progress
        self.region = region

    def wait(self, task_ids: Iterable[str], start: float | None = None) -> WaitOutcome:
        """Wait for these tasks. ``start``: the clock reading at which the caller's wait began, when it
        already spent part of it (searching for the ids): timeout, schedule and elapsed count from there,
        and ``delay`` is taken as slept."""
        return _Run(self, validate_task_ids(task_ids)).run(start)


class _Run(object):
    """One wait: the state shared by its rounds."""

    def __init__(self, waiter, task_ids):
        if not task_ids:
            raise ConfigError("task_ids is empty: give at least one task id to wait for", option="task_ids")
        self.waiter = waiter
        self.config = waiter.config
        self.region = waiter.region
        self.tasks = [_Task(task_id, index, waiter.region) for index, task_id in enumerate(task_ids)]
        self.rounds = 0
        self.calls = {"summaries": 0, "attributes": 0}
        self.warnings = list(self.config.warnings)
        self.warned = set()       # keys of the warnings given once: ("state", s), ("condition", option)
        self.transient = []
        self.etas = EtaTracker()
        self.start = self.deadline = self.last_sample = self.wall_offset = None
        self.late_warning = None  # the predicted-timeout warning, once given
        self.news = []            # warnings to show at once, with the next report

    # ------------------------------------------------------------ the loop

    def run(self, start: float | None = None) -> WaitOutcome:
        waiter = self.waiter
        self.start = self.last_sample = waiter.clock() if start is None else start
        self.wall_offset = waiter.wall_clock() - self.start
        self.deadline = self.start + self.config.timeout
        if self.config.delay and start is None:
            self.pause(self.config.delay)
        try:
            status, error = self.loop(), None
        except _Abort as abort:
            status, error = "error", abort.error
        return build_outcome(self, status, error, waiter.clock())

    def loop(self):
        waiter = self.waiter
        last = False
        while True:
            self.round()
            now = waiter.clock()
            status = self.status() or ("timed_out" if last else None) or self.judge_prediction(now)
            if status in ("succeeded", "failed") and now < self.deadline:
                # A details read that failed for a passing reason gets one more try: it is
                # what the user waited for (related items, the task's own error).
                self.fetch_details()
            wait = None
            if status is None:
                wait, last = waiter.schedule.next_sleep(now, self.start, self.deadline, self.remaining(now))
                if wait is None:
                    status = "timed_out"
            self.report(now, wait)
            if status:
                return status
            self.pause(wait)

    def pause(self, seconds):
        """Sleep ``seconds``, waking every display_interval to report, so lines keep their cadence between polls."""
        wake = None if self.waiter.on_progress is None else (lambda left: self.report(self.waiter.clock(), left))
        pause(seconds, self.waiter.sleep, self.config.display_interval, wake)

    def round(self):
        self.rounds += 1
        undecided = [task for task in self.tasks if task.outcome is None]
        ids = [task.task_id for task in undecided]
        single = len(ids) == 1
        primary = self.call("attributes" if single else "summaries", ids)
        if primary is None:
            return
        batches = [primary]
        self.absorb(primary, "attribute" if single else "summary")
        if self.config.needs_attributes and not single:
            extra = self.call("attributes", [task_id for task_id in ids if task_id in primary.found])
            if extra is None:
                return
            self.absorb(extra, "attribute")
            batches.append(extra)
        for task in undecided:
            if any(task.task_id in (batch.errors or {}) for batch in batches):
                continue
            missing = any(task.task_id not in batch.found for batch in batches)
            self.judge(task, missing)
        self.fetch_details()
        self.sample_progress()

    def fetch_details(self):
        """Attributes of the decided tasks not read since they were decided (their related items and error)."""
        wanted = [task for task in self.tasks if not task.settled and self._wants_details(task)]
        stale = [task.task_id for task in wanted if task.attribute_round < task.decided_round]
        if stale:
            self.absorb(self.call("attributes", stale), "attribute")
        # DescribeTaskAttribute has no ResourceId: a task only ever polled with it (a single-task wait)
        # is read once with DescribeTasks when it is decided, for the id of what it made.
        unsummarised = [task.task_id for task in wanted if task.summary is None]
        if unsummarised:
            self.absorb(self.call("summaries", unsummarised), "summary")
        for task in self.tasks:
            if task.outcome is None or task.settled:
                continue
            read = task.attribute_round >= task.decided_round and task.summary is not None
            if read or not self._wants_details(task):
                task.settle()

    def _wants_details(self, task):
        """A decided task whose attribute (related items, its own error) the result shows."""
        return task.outcome in ("succeeded", "failed") and self.config.wants_details(task.outcome)

    def call(self, kind, ids):
        """source.<kind>(ids, deadline), counted; None after a transient error."""
        if not ids:
            return Batch({}, [], {})
        self.calls[kind] += len(ids) if kind == "attributes" else int(math.ceil(len(ids) / float(IDS_PER_SUMMARY_CALL)))
        try:
            return getattr(self.waiter.source, kind)(ids, self.deadline)
        except ApiError as exc:
            if not exc.retryable:
                raise _Abort(exc)
            self.transient.append(exc)
            return None

    def absorb(self, batch, kind):
        if batch is None:
            return
        by_id = dict((task.task_id, task) for task in self.tasks)
        now = self.waiter.clock()
        for task_id, raw in batch.found.items():
            task = by_id.get(task_id)
            if task is None or task.settled:
                continue
            setattr(task, kind, raw)
            setattr(task, kind + "_round", self.rounds)
            task.refresh(self.region)
            if kind == "attribute":
                self.etas.observe(task_id, now, task.record.get("progress"))
                track = self.etas.track(task_id)
                end = track.predicted_end() if track is not None else None
                if end is not None and task.outcome is None:
                    task.predicted_end = end
        self.transient.extend((batch.errors or {}).values())

    def remaining(self, now):
        """Seconds to each undecided task's predicted end, when this round read the progress of all of them."""
        undecided = [task for task in self.tasks if task.outcome is None]
        if not undecided or any(task.attribute_round != self.rounds for task in undecided):
            return None
        return self.etas.remaining([task.task_id for task in undecided], now)

    # ------------------------------------------------------------ decisions

    def judge(self, task, missing):
        config = self.config
        if missing:
            task.streak = 0
            task.missed += 1
            if task.missed > config.not_found_checks:
                self.decide_not_found(task)
            return
        task.missed = 0
        task.seen = True
        raw = task.raw()
        state = raw.get("TaskStatus")
        acceptor = self.first_match(state, raw)
        if acceptor.outcome == SUCCESS:
            task.streak += 1
            if task.streak >= config.continuous_target_occurrence:
                self.decide(task, "succeeded", acceptor.reason(state))
            return
        task.streak = 0
        if acceptor.outcome == FAILURE:
            self.decide(task, "failed", acceptor.reason(state))
        elif acceptor.outcome == UNKNOWN:
            self.warn_once(("state", state), "task %s %s" % (task.task_id, acceptor.reason(state)))

    def first_match(self, state, raw):
        """The first acceptor that matches (the list ends with a catch-all); a condition that fails counts as false."""
        for acceptor in self.config.acceptors:
            try:
                if acceptor.matches(state, raw):
                    return acceptor
            except ConditionError as exc:
                self.warn_once(("condition", exc.option), str(exc))
        raise AssertionError("the acceptors end with a catch-all")  # pragma: no cover

    def warn_once(self, key, text):
        if key not in self.warned:
            self.warned.add(key)
            self.warnings.append(text)

    def decide(self, task, outcome, reason):
        task.outcome = outcome
        task.reason = reason
        task.decided_at = self.waiter.clock()
        task.decided_round = self.rounds

    def decide_not_found(self, task):
        text = not_found_reason(task, self.config.not_found_checks, self.region)
        self.decide(task, "not_found", text)
        task.record["error_code"] = NOT_FOUND_CODE
        task.record["error_msg"] = "The task %s" % text

    def status(self):
        """The end status, or None while the wait goes on."""
        outcomes = [task.outcome for task in self.tasks]
        succeeded = outcomes.count("succeeded")
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

    def judge_prediction(self, now):
        """Warn once when the tasks cannot end before the deadline; "predicted_timeout" when told to fail then.

        Judged on each task's earliest end its progress allows (not the likeliest): in mode all one task
        too late is enough, in mode any every undecided task must be too late.
        """
        if self.late_warning is not None:
            return None
        undecided = [task for task in self.tasks if task.outcome is None]
        ends = []
        for task in undecided:
            track = self.etas.track(task.task_id)
            earliest = track.earliest_end() if track is not None else None
            if earliest is not None and earliest > self.deadline:
                ends.append((track.predicted_end(), task))
        if not ends or (self.config.mode == "any" and len(ends) < len(undecided)):
            return None
        end, task = min(ends, key=lambda pair: pair[0]) if self.config.mode == "any" else max(ends, key=lambda pair: pair[0])
        self.late_warning = predicted_timeout_warning(task, end, now, self)
        if self.config.on_predicted_timeout == "fail":
            return "predicted_timeout"
        self.late_warning += "; still waiting (on_predicted_timeout: fail would stop now)"
        self.warnings.append(self.late_warning)
        self.news.append(self.late_warning)
        return None

    # ------------------------------------------------------------ progress

    def sample_progress(self):
        interval = self.config.progress_interval
        pending = [task for task in self.tasks if task.outcome is None]
        if not interval or len(pending) < 2 or self.config.needs_attributes or self.status():
            return
        now = self.waiter.clock()
        if now - self.last_sample < interval:
            return
        running = [task for task in pending if task.record.get("task_status") == "Processing"]
        if running:
            # Unknown progress first (never sampled), then the lowest, then the oldest.
            task = min(running, key=lambda t: (-1 if t.record["progress"] is None else t.record["progress"],
                                               t.record.get("creation_time") or "~", t.index))
            self.last_sample = now
            self.absorb(self.call("attributes", [task.task_id]), "attribute")

    # ------------------------------------------------------------ reports

    def report(self, now, next_poll_in):
        if self.waiter.on_progress is not None:
            news, self.news = self.news, []
            self.waiter.on_progress(snapshot(self, now, next_poll_in, news))
