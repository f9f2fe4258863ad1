# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One poll round of the event source: batched DescribeTasks (or one paged search), then the events.

The source ``alicloud.ecs.ecs_tasks`` is a thin asyncio loop around ``TaskWatcher.poll()``; its args are
checked in config.py and the news picked in detector.py, all reachable by a unit test without an event loop.
See docs/eda.md.
"""

from __future__ import annotations

import datetime
import logging
import time
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import AlicloudError, ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.events.config import MIN_POLL_BUDGET, SourceConfig
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.events.detector import ChangeDetector, event_for, is_ended
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.events.products import ProductWatch
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.results import secrets_for
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients, Session
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.sources import product_sources
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.redact import redact_text
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import task_record
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import Batch, TaskService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import NOT_FOUND_CODE

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Iterable, Mapping

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient


def quiet_http_debug_logs() -> None:
    """Keep urllib3's DEBUG lines out of the rulebook's log.

    They carry each request URL, and a V1 URL holds the STS SecurityToken:
    ``ansible-rulebook -vv`` would print it. The source's own lines say what
    each poll did.
    """
    http_logger = logging.getLogger("urllib3")
    if http_logger.getEffectiveLevel() < logging.INFO:
        http_logger.setLevel(logging.INFO)


class TaskWatcher(object):
    """One ``poll()`` = one round of API calls -> the events to send.

    ``log`` is a ``logging.Logger``-like object; every line it gets is
    redacted of the secrets the client was given. ``clock`` (epoch seconds)
    is injectable for tests.
    """

    def __init__(self, config: SourceConfig, client: EcsClient, log: logging.Logger, clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic, secrets: Callable[[], Iterable[str]] | None = None,
                 products: ProductWatch | None = None, close: Callable[[], object] | None = None) -> None:
        self.config = config
        self.client = client
        self.service = TaskService(client)
        self.log = log
        # wait_for: product: what ended tasks made, watched until ready (products.py).
        self.products = products
        self._close = close or client.close
        self.detector = ChangeDetector(config.since)
        self._clock = clock
        self._monotonic = monotonic
        self._secrets = secrets or (lambda: secrets_for(config.connection))
        self.polls = 0
        self.failed_polls = 0
        # Until one poll got through, a permanent error is a configuration error.
        self.succeeded_polls = 0

    @classmethod
    def from_args(cls, args: object, log: logging.Logger, env: Mapping[str, str] | None = None) -> TaskWatcher:
        quiet_http_debug_logs()
        config = SourceConfig.from_args(args, env=env)
        session = Session(config.connection, env)
        products = None
        if config.wait_for == "product":
            # Every region's ECS and OSS clients through the session, closed with it.
            products = ProductWatch(product_sources(Clients(session), config.product_condition), config.region,
                                    config.product_timeout)
        return cls(config, session.client, log, secrets=session.secrets, products=products, close=session.close)

    def _say(self, level, message, *values):
        text = redact_text(message % values if values else message, self._secrets())
        getattr(self.log, level)("alicloud.ecs.ecs_tasks: %s", text)

    def _deadline(self):
        return Deadline.after(max(MIN_POLL_BUDGET, 2 * self.config.interval), self._monotonic)

    def _summaries(self, deadline):
        """Raw DescribeTasks entries for this round, in a stable order."""
        if self.config.task_ids is not None:
            done = self.detector.ended_ids()
            wanted = [task_id for task_id in self.config.task_ids if task_id not in done]
            if not wanted:
                return []
            batch = self.service.summaries(wanted, deadline=deadline)
            new_missing = [task_id for task_id in batch.missing if task_id not in self.detector]
            if new_missing and self.succeeded_polls == 0:
                self._say("info", "not found (yet) in %s: %s; still watching", self.config.region, ", ".join(new_missing))
            return [batch.found[task_id] for task_id in wanted if task_id in batch.found]
        now = datetime.datetime.fromtimestamp(self._clock(), datetime.timezone.utc)
        start = self.config.search_start(now, first=self.succeeded_polls == 0)
        found = self.service.search(start_time=start, deadline=deadline, **self.config.filters)
        if self.succeeded_polls:
            self.detector.forget_created_before(start)
        # Oldest first, so a rulebook sees tasks in the order they were created.
        return sorted(found, key=lambda raw: (str(raw.get("CreationTime") or ""), str(raw.get("TaskId") or "")))

    def _details(self, records, deadline):
        """DescribeTaskAttribute for the ended ones: task id -> full record; ids left out must wait a poll."""
        ended = [record["task_id"] for record in records if is_ended(record)]
        if not ended:
            return Batch({}, [], {})
        batch = self.service.attributes(ended, deadline=deadline)
        for task_id, error in sorted(batch.errors.items()):
            self._say("warning", "details of ended task %s could not be read (%s); trying again at the next poll",
                      task_id, error)
        return batch

    def poll(self) -> list[dict[str, object]]:
        """One round: returns the events, oldest change first.

        Raises ConfigError only for a permanent error before any poll got through.
        """
        deadline = self._deadline()
        try:
            raws = self._summaries(deadline)
            records = [task_record(raw, None, self.config.region) for raw in raws]
            news = self.detector.news(records, read_at=self._clock())
            details = self._details([record for record, _previous in news], deadline)
        except AlicloudError as error:
            self.failed_polls += 1
            self.polls += 1
            if self.succeeded_polls == 0 and not _transient(error):
                # Wrong keys, region or endpoint: nothing later polls would fix.
                raise ConfigError(redact_text("polling %s failed for good before any poll got through, so the source stops: %s"
                                              % (self.config.region, error), self._secrets())) from None
            # Later on, even a "permanent" error (keys rotated, a role's STS call refused) may
            # be fixed outside the rulebook: keep watching, and say so at every poll.
            self._say("warning", "poll failed, keeps watching and tries again in %ss: %s",
                      _seconds(self.config.interval), error)
            return []
        self.polls += 1
        self.succeeded_polls += 1
        raws_by_id = dict((raw.get("TaskId"), raw) for raw in raws)
        announced = []
        for record, previous in news:
            task_id = record["task_id"]
            if is_ended(record):
                if task_id in details.errors:
                    continue
                # Gone between the two calls: the summary is all there is.
                record = task_record(raws_by_id.get(task_id), details.found.get(task_id), self.config.region)
            self.detector.commit(record)
            announced.append((record, previous))
            if self.products is not None and is_ended(record):
                note = self.products.add(record)
                if note:
                    self._say("info", "%s", note)
        for record, previous in announced:
            self._say("info", "%s %s %s -> %s", record["task_action"] or "task", record["task_id"],
                      previous or "(first seen)", record["task_status"])
        events = [event_for(record, previous, self.config.region) for record, previous in announced]
        return events + self._product_events(deadline)

    def _product_events(self, deadline):
        """wait_for: product: an event per product of an ended task that became ready, failed, or was given up on
        (its task's record, ``product``); read in the round its task's end was announced, then at every poll."""
        if not self.products:
            return []
        decided, problems = self.products.poll(deadline)
        for problem in problems:
            self._say("warning", "%s; trying again at the next poll", problem)
        events = []
        for record, product in decided:
            event = event_for(record, record.get("task_status"), self.config.region)
            event["product"] = product
            events.append(event)
            self._say("info", "%s %s: %s %s %s (%s)", record.get("task_action") or "task", record.get("task_id"),
                      product["kind"], product["id"], product["status"] or "not found", product["wait_outcome"])
        return events

    def close(self) -> None:
        self._close()


def _transient(error):
    return isinstance(error, ApiError) and (error.retryable or error.code == NOT_FOUND_CODE)


def _seconds(value):
    return ("%g" % value)
