# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ECS task changes as Event-Driven Ansible events, without asyncio or Ansible.

The event source ``alicloud.ecs.ecs_tasks`` is a thin asyncio loop around ``TaskWatcher.poll()``; here are
its args' checks (``SourceConfig``), which records are news (``ChangeDetector``) and one round of calls
(``TaskWatcher``), all reachable by a unit test without an event loop. See docs/eda.md.
"""

from __future__ import annotations

import datetime
import logging
import time
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.options import (
    COMMON_ARGUMENT_SPEC, resolve_common_options,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import AlicloudError, ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.results import secrets_for
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Session
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.redact import redact_text
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import normalize_action, parse_bool, task_record, validate_task_ids
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import Batch, TaskService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import (
    API_TIME_FORMAT, kind_of, parse_duration, parse_user_time,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import KNOWN_STATES, NOT_FOUND_CODE, TERMINAL_STATES

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Iterable, Mapping

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient

DEFAULT_INTERVAL = 30.0
MIN_INTERVAL = 0.1
DEFAULT_LOOKBACK = 86400.0
# Bounds one poll's retries; a slow answer must not hold the loop for ever.
MIN_POLL_BUDGET = 60.0

SOURCE_OPTIONS = {
    "task_ids": "list",
    "task_action": "str",
    "task_status": "str",
    "resource_ids": "list",
    "since": "str",
    "interval": "duration",
    "lookback": "duration",
}


# ansible-rulebook adds args of its own (eda_feedback_queue) to a source's.
RESERVED_PREFIX = "eda_"


def _alias_map():
    names = {}
    for name, spec in COMMON_ARGUMENT_SPEC.items():
        names[name] = name
        for alias in spec.get("aliases", ()):
            names[alias] = name
    for name in SOURCE_OPTIONS:
        names[name] = name
    return names


_NAMES = _alias_map()


def _check_type(name, value, kind, secret=False):
    """The value in the type the option takes; ConfigError naming it otherwise (never echoing a secret)."""
    if kind in ("str", "path"):
        if not isinstance(value, str):
            shown = "" if secret else " %r" % (value,)
            raise ConfigError("%s must be a string, got %s%s" % (name, kind_of(value), shown), option=name)
        return value
    if kind == "bool":
        parsed = parse_bool(value)
        if parsed is None:
            raise ConfigError("%s must be true or false, got %s %r" % (name, kind_of(value), value), option=name)
        return parsed
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ConfigError("%s must be a number, got %s %r" % (name, kind_of(value), value), option=name)
        try:
            return float(value)
        except ValueError:
            raise ConfigError("%s must be a number, got %r" % (name, value), option=name) from None
    if kind == "list":
        if isinstance(value, str):
            # A rulebook variable often arrives as "a,b": accept it as a list.
            return [item.strip() for item in value.split(",") if item.strip()]
        if not isinstance(value, (list, tuple)):
            raise ConfigError("%s must be a list, got %s %r" % (name, kind_of(value), value), option=name)
        return list(value)
    if kind == "duration":
        return parse_duration(value, name)
    raise ValueError("unknown option kind %s" % kind)


def canonical_args(args: object) -> dict[str, object]:
    """The rulebook's args under their canonical names, types checked; ConfigError for unknown or doubled names."""
    if args is None:
        args = {}
    if not isinstance(args, dict):
        raise ConfigError("the args of alicloud.ecs.ecs_tasks must be a mapping of option names to values, got %s"
                          % kind_of(args))
    result = {}
    given_as = {}
    for key, value in args.items():
        if isinstance(key, str) and key.startswith(RESERVED_PREFIX):
            continue
        name = _NAMES.get(key)
        if name is None:
            raise ConfigError("unknown option %r for alicloud.ecs.ecs_tasks; known options: %s"
                              % (key, ", ".join(sorted(set(_NAMES.values())))), option=key)
        if name in given_as:
            raise ConfigError("%s is given twice (as %s and %s): keep one" % (name, given_as[name], key), option=name)
        given_as[name] = key
        if value is None:
            continue
        kind = SOURCE_OPTIONS.get(name) or COMMON_ARGUMENT_SPEC[name]["type"]
        result[name] = _check_type(key, value, kind, secret=COMMON_ARGUMENT_SPEC.get(name, {}).get("no_log", False))
    return result


def _utc(text):
    return datetime.datetime.strptime(text, API_TIME_FORMAT).replace(tzinfo=datetime.timezone.utc)


def _api_time(moment):
    return moment.strftime(API_TIME_FORMAT)


class SourceConfig(object):
    """The checked args of one ``alicloud.ecs.ecs_tasks`` source."""

    def __init__(self, connection: dict, task_ids: list[str] | None = None, filters: dict | None = None, since: str | None = None,
                 interval: float = DEFAULT_INTERVAL, lookback: float = DEFAULT_LOOKBACK) -> None:
        self.connection = connection
        self.task_ids = task_ids
        self.filters = filters or {}
        self.since = since
        self.interval = interval
        self.lookback = lookback

    @property
    def region(self) -> str:
        return self.connection["region"]

    @classmethod
    def from_args(cls, args: object, env: Mapping[str, str] | None = None,
                  now: datetime.datetime | float | None = None) -> SourceConfig:
        """Check every arg before any call; raises ConfigError naming the option at fault.

        ``now`` (datetime or epoch seconds) is the default ``since``: when the source starts.
        """
        options = canonical_args(args)
        connection = {name: options.get(name, spec.get("default")) for name, spec in COMMON_ARGUMENT_SPEC.items()}
        if connection.get("signature_version") not in ("v1", "v3"):
            raise ConfigError("signature_version must be v1 or v3, got %r" % (connection.get("signature_version"),),
                              option="signature_version")
        connection = resolve_common_options(connection, env=env)

        filters = {}
        if options.get("task_action"):
            filters["task_action"] = normalize_action(options["task_action"].strip())
        if options.get("task_status"):
            status = options["task_status"].strip()
            if status not in KNOWN_STATES:
                raise ConfigError("task_status %r is not a task status; use one of %s"
                                  % (status, ", ".join(KNOWN_STATES)), option="task_status")
            filters["task_status"] = status
        if options.get("resource_ids"):
            resource_ids = validate_task_ids(options["resource_ids"], option="resource_ids")
            if len(resource_ids) > 100:
                raise ConfigError("resource_ids takes at most 100 ids, got %d" % len(resource_ids),
                                  option="resource_ids")
            filters["resource_ids"] = resource_ids
        task_ids = None
        if "task_ids" in options:
            task_ids = validate_task_ids(options["task_ids"])
            if not task_ids:
                raise ConfigError("task_ids is empty: list the tasks to watch, or leave task_ids out and use "
                                  "task_action, task_status or resource_ids", option="task_ids")
            if filters:
                raise ConfigError("give either task_ids or the filters (%s), not both: the filters would not apply "
                                  "to tasks named by id" % ", ".join(sorted(filters)), option="task_ids")

        since = parse_user_time(options["since"], "since", now=now) if options.get("since") else None
        if since is None:
            since = parse_user_time("now", "since", now=now)
        interval = options.get("interval", DEFAULT_INTERVAL)
        if interval < MIN_INTERVAL:
            raise ConfigError("interval must be at least %ss, got %r" % (MIN_INTERVAL, args.get("interval")),
                              option="interval")
        lookback = options.get("lookback", DEFAULT_LOOKBACK)
        return cls(connection, task_ids=task_ids, filters=filters, since=since, interval=interval, lookback=lookback)

    def search_start(self, now: datetime.datetime, first: bool) -> str:
        """DescribeTasks StartTime for a filtered search at ``now`` (aware datetime).

        The window slides: tasks created in the last ``lookback``; the first
        search also reaches back to ``since`` if that is older.
        """
        start = _api_time(now - datetime.timedelta(seconds=self.lookback))
        if first and self.since < start:
            start = self.since
        return start


def quiet_http_debug_logs() -> None:
    """Keep urllib3's DEBUG lines out of the rulebook's log.

    They carry each request URL, and a V1 URL holds the STS SecurityToken:
    ``ansible-rulebook -vv`` would print it. The source's own lines say what
    each poll did.
    """
    http_logger = logging.getLogger("urllib3")
    if http_logger.getEffectiveLevel() < logging.INFO:
        http_logger.setLevel(logging.INFO)


def event_for(record: dict, previous_status: str | None, region: str) -> dict[str, object]:
    """The event put on the rulebook's queue (the shape in DESIGN.md)."""
    return {"ecs_task": record, "previous_status": previous_status, "region": region}


def is_ended(record: dict) -> bool:
    return record.get("task_status") in TERMINAL_STATES


class ChangeDetector(object):
    """Which task records are news, given the status announced last for each task.

    A record is news when its task was never seen (``previous_status`` None),
    or when its status differs from the one announced last. A task already
    ended before ``since`` is old news: remembered, never announced. Progress
    alone is no change. ``commit`` records what was announced, so a change
    that could not be announced (its details failed to load) comes up again
    at the next poll, and one that was announced never does.
    """

    def __init__(self, since: str) -> None:
        self.since = since
        self._status = {}
        self._created = {}

    def __contains__(self, task_id: object) -> bool:
        return task_id in self._status

    def status_of(self, task_id: str) -> str | None:
        return self._status.get(task_id)

    def _is_old(self, record):
        if not is_ended(record):
            return False
        moment = record.get("finished_time") or record.get("creation_time")
        return moment is not None and moment < self.since

    def news(self, records: Iterable[dict]) -> list[tuple[dict, str | None]]:
        """[(record, previous_status)] for the records that are news, in their order."""
        found = []
        for record in records:
            task_id = record.get("task_id")
            status = record.get("task_status")
            if not task_id or not status:
                continue
            if task_id not in self._status:
                if self._is_old(record):
                    self.commit(record)
                    continue
                found.append((record, None))
            elif self._status[task_id] != status:
                found.append((record, self._status[task_id]))
        return found

    def commit(self, record: dict) -> None:
        self._status[record["task_id"]] = record["task_status"]
        self._created[record["task_id"]] = record.get("creation_time")

    def ended_ids(self) -> set[str]:
        return set(task_id for task_id, status in self._status.items() if status in TERMINAL_STATES)

    def forget_created_before(self, start: str) -> None:
        """Drop tasks a sliding search window can no longer return: memory stays bounded."""
        for task_id in [task_id for task_id, created in self._created.items() if created and created < start]:
            del self._status[task_id]
            del self._created[task_id]


class TaskWatcher(object):
    """One ``poll()`` = one round of API calls -> the events to send.

    ``log`` is a ``logging.Logger``-like object; every line it gets is
    redacted of the secrets the client was given. ``clock`` (epoch seconds)
    is injectable for tests.
    """

    def __init__(self, config: SourceConfig, client: EcsClient, log: logging.Logger, clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic, secrets: Callable[[], Iterable[str]] | None = None) -> None:
        self.config = config
        self.client = client
        self.service = TaskService(client)
        self.log = log
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
        return cls(config, session.client, log, secrets=session.secrets)

    def _say(self, level, message, *values):
        text = redact_text(message % values if values else message, self._secrets())
        getattr(self.log, level)("alicloud.ecs.ecs_tasks: %s", text)

    def _deadline(self):
        return self._monotonic() + max(MIN_POLL_BUDGET, 2 * self.config.interval)

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
            news = self.detector.news(records)
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
        events = []
        for record, previous in news:
            task_id = record["task_id"]
            if is_ended(record):
                if task_id in details.errors:
                    continue
                # Gone between the two calls: the summary is all there is.
                record = task_record(raws_by_id.get(task_id), details.found.get(task_id), self.config.region)
            self.detector.commit(record)
            events.append(event_for(record, previous, self.config.region))
        for event in events:
            task = event["ecs_task"]
            self._say("info", "%s %s %s -> %s", task["task_action"] or "task", task["task_id"],
                      event["previous_status"] or "(first seen)", task["task_status"])
        return events

    def close(self) -> None:
        self.client.close()


def _transient(error):
    return isinstance(error, ApiError) and (error.retryable or error.code == NOT_FOUND_CODE)


def _seconds(value):
    return ("%g" % value)
