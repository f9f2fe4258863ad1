# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source's args, checked: the modules' option names and environment fallbacks, a start time.

See docs/eda.md.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, cast

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.options import COMMON_ARGUMENT_SPEC, resolve_common_options
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import normalize_action, parse_bool, validate_task_ids
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import KNOWN_STATES
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import API_TIME_FORMAT, kind_of, parse_duration, parse_user_time
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import compile_condition

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping
    from typing import Any

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import Condition

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
    "wait_for": "str",
    "product_condition": "str",
    "oss_endpoint": "str",
    "product_timeout": "duration",
}
WAIT_FOR = ("task", "product")
DEFAULT_PRODUCT_TIMEOUT = 3600.0


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


def canonical_args(args: object) -> dict[str, Any]:
    """The rulebook's args under their canonical names, each in the type its option takes; ConfigError for unknown
    or doubled names."""
    if args is None:
        args = {}
    if not isinstance(args, dict):
        raise ConfigError("the args of alicloud.ecs.ecs_tasks must be a mapping of option names to values, got %s"
                          % kind_of(args))
    result = {}
    given_as: dict[str, object] = {}  # option -> the name it was given as
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


def _api_time(moment):
    return moment.strftime(API_TIME_FORMAT)


class SourceConfig(object):
    """The checked args of one ``alicloud.ecs.ecs_tasks`` source."""

    def __init__(self, connection: dict, since: str, task_ids: list[str] | None = None, filters: dict | None = None,
                 interval: float = DEFAULT_INTERVAL, lookback: float = DEFAULT_LOOKBACK, wait_for: str = "task",
                 product_condition: Condition | None = None, product_timeout: float = DEFAULT_PRODUCT_TIMEOUT) -> None:
        self.connection = connection
        self.task_ids = task_ids
        self.filters = filters or {}
        self.since = since
        self.interval = interval
        self.lookback = lookback
        self.wait_for = wait_for
        self.product_condition = product_condition
        self.product_timeout = product_timeout

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
        # Resolved and checked with the connection (ALIBABA_CLOUD_OSS_ENDPOINT when not given).
        connection["oss_endpoint"] = options.get("oss_endpoint")
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
            given = cast(dict, args).get("interval")  # as written (canonical_args refused args that are not a dict)
            raise ConfigError("interval must be at least %ss, got %r" % (MIN_INTERVAL, given),
                              option="interval")
        lookback = options.get("lookback", DEFAULT_LOOKBACK)
        wait_for, condition, product_timeout = _product_options(options)
        return cls(connection, since, task_ids=task_ids, filters=filters, interval=interval, lookback=lookback,
                   wait_for=wait_for, product_condition=condition, product_timeout=product_timeout)

    def search_start(self, now: datetime.datetime, first: bool) -> str:
        """DescribeTasks StartTime for a filtered search at ``now`` (aware datetime).

        The window slides: tasks created in the last ``lookback``; the first
        search also reaches back to ``since`` if that is older.
        """
        start = _api_time(now - datetime.timedelta(seconds=self.lookback))
        if first and self.since < start:
            start = self.since
        return start


def _product_options(options):
    """(wait_for, the compiled product_condition or None, product_timeout), checked."""
    wait_for = str(options.get("wait_for", "task")).strip().lower()
    if wait_for not in WAIT_FOR:
        raise ConfigError("wait_for must be task (an event per task change) or product (also an event when what an "
                          "ended task produced is ready), got %r" % (options.get("wait_for"),), option="wait_for")
    expression = options.get("product_condition")
    if expression is not None and wait_for != "product":
        raise ConfigError("product_condition applies to what a task produced: set wait_for: product as well, or drop "
                          "product_condition", option="product_condition")
    condition = None if expression is None else compile_condition("product_condition", expression)
    product_timeout = options.get("product_timeout", DEFAULT_PRODUCT_TIMEOUT)
    if product_timeout <= 0:
        raise ConfigError("product_timeout must be more than 0 seconds, got %r" % (options.get("product_timeout"),),
                          option="product_timeout")
    return wait_for, condition, product_timeout
