# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Durations and points in time, as users write them and as the API sends them.

Pure functions, no I/O. Written without ``datetime.fromisoformat`` niceties of
Python 3.11 because modules may run on an older interpreter on the target.
See docs/waiting.md (durations) and docs/architecture.md.
"""

from __future__ import annotations

import datetime
import math
import re

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError

UTC = datetime.timezone.utc
API_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
# "ms" must come before "m" so 500ms is not read as 500 minutes and an "s".
_COMPONENT = re.compile(r"\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|d|h|m|s)", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*$")

_DURATION_EXAMPLES = "600 (seconds), 90s, 20m, 1h30m, 1h30m15s, 500ms or 2d"
_TIME_EXAMPLES = ("2024-05-01T12:00:00Z, 2024-05-01T14:00:00+02:00, 2024-05-01 (midnight UTC), "
                  "now, -2h, 30m or 2h ago")

# ISO 8601 in the spellings people and the API use: date only, minutes only,
# seconds, fractions, 'T' or a space, Z or an offset (+08:00, +0800, +08).
_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)
_AGO = re.compile(r"\s+ago$", re.IGNORECASE)


def _number(value):
    """``value`` as a float when it is a number, else None."""
    # bool is an int subclass, but "timeout: true" is a mistake, not one second.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _seconds_from_text(text):
    """Seconds in a duration text, or None when it is not one. Sign not allowed."""
    match = _NUMBER.match(text)
    if match:
        return float(match.group(1))
    pos = 0
    total = 0.0
    stripped = text.rstrip()
    if not stripped.strip():
        return None
    while pos < len(stripped):
        match = _COMPONENT.match(stripped, pos)
        if not match:
            return None
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
        pos = match.end()
    return total


def kind_of(value: object) -> str:
    """A person's word for a value's type (Ansible hands over tagged subclasses with internal names)."""
    kinds = ((bool, "a boolean"), ((int, float), "a number"), (dict, "a mapping"), ((list, tuple), "a list"), (str, "a string"))
    for kind, name in kinds:
        if isinstance(value, kind):
            return name
    return "a value of another type"


def a_or_an(noun: str) -> str:
    """``noun`` with its indefinite article: "a task", "an image"."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def parse_duration(value: object, option: str = "timeout") -> float:
    """Seconds (float) from a number of seconds or a duration such as ``1h30m``.

    Raises ConfigError naming ``option`` for anything else, negatives included.
    """
    number = _number(value)
    if number is not None:
        seconds = number
    elif isinstance(value, str):
        text = value.strip()
        if text.startswith("-"):
            raise ConfigError("%s must not be negative, got %r; use e.g. %s" % (option, value, _DURATION_EXAMPLES),
                              option=option)
        seconds = _seconds_from_text(text.lstrip("+"))
        if seconds is None:
            raise ConfigError("%s: %r is not a duration; use seconds or a duration such as %s"
                              % (option, value, _DURATION_EXAMPLES), option=option)
    else:
        raise ConfigError("%s must be a number of seconds or a duration string, got %s %r; use e.g. %s"
                          % (option, kind_of(value), value, _DURATION_EXAMPLES), option=option)
    if math.isnan(seconds) or math.isinf(seconds):
        raise ConfigError("%s must be a finite duration, got %r; use e.g. %s" % (option, value, _DURATION_EXAMPLES),
                          option=option)
    if seconds < 0:
        raise ConfigError("%s must not be negative, got %r; use e.g. %s" % (option, value, _DURATION_EXAMPLES),
                          option=option)
    return seconds


def format_duration(seconds: object) -> str:
    """Terraform-style text: ``45s``, ``1m10s``, ``20m0s``, ``1h30m0s``; ``0.5s`` under a second.

    From one second on, fractions are dropped (as Terraform's elapsed counter does)
    so progress lines stay short.
    """
    number = _number(seconds)
    if number is None or math.isnan(number) or math.isinf(number):
        return "%ss" % (seconds,)
    sign = "-" if number < 0 else ""
    # Round to milliseconds first so 59.9999999 from float arithmetic reads 1m0s.
    value = round(abs(number), 3)
    if value < 1:
        text = ("%.3f" % value).rstrip("0").rstrip(".")
        return "%s%ss" % (sign, text if value else "0")
    whole = int(value)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return "%s%dh%dm%ds" % (sign, hours, minutes, secs)
    if minutes:
        return "%s%dm%ds" % (sign, minutes, secs)
    return "%s%ds" % (sign, secs)


def _parse_iso(text):
    """An aware UTC datetime from an ISO 8601 text, or None when it is not one.

    A text without an offset is taken as UTC. Fractions of a second are dropped.
    Raises ValueError for a well-formed but impossible date (2024-02-30).
    """
    match = _ISO.match(text.strip())
    if not match:
        return None
    parts = match.groupdict()
    moment = datetime.datetime(int(parts["y"]), int(parts["mo"]), int(parts["d"]),
                               int(parts["h"] or 0), int(parts["mi"] or 0), int(parts["s"] or 0))
    offset = datetime.timedelta(0)
    tz = parts["tz"]
    if tz and tz.upper() != "Z":
        digits = tz[1:].replace(":", "")
        offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        if tz[0] == "-":
            offset = -offset
    return (moment - offset).replace(tzinfo=UTC)


def _as_utc(moment):
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _now_utc(now):
    if now is None:
        return datetime.datetime.now(UTC)
    if isinstance(now, datetime.datetime):
        return _as_utc(now)
    number = _number(now)
    if number is not None:
        return datetime.datetime.fromtimestamp(number, UTC)
    raise TypeError("now must be a datetime or epoch seconds, got %r" % (now,))


def _relative_seconds(text):
    """Seconds before now for ``-2h``, ``30m``, ``2h ago``; None when not relative."""
    body = _AGO.sub("", text)
    if body.startswith("-"):
        body = body[1:]
    elif body == text and _NUMBER.match(text):
        # A bare number has no unit: epoch seconds or seconds ago? Refuse to guess.
        return None
    return _seconds_from_text(body) if body.strip() else None


def parse_user_time(value: object, option: str, now: datetime.datetime | float | None = None) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` (UTC) from what a user wrote.

    Accepts ISO 8601 with ``Z`` or any offset (converted to UTC), a date alone
    (midnight UTC), a date-time without offset (taken as UTC), ``now`` and
    relative times ``-2h``, ``30m``, ``2h ago`` (all that long before ``now``).
    ``now`` (datetime or epoch seconds) is injectable for tests.
    """
    if isinstance(value, datetime.datetime):
        return _as_utc(value).strftime(API_TIME_FORMAT)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError("%s must be a time such as %s, got %r" % (option, _TIME_EXAMPLES, value), option=option)
    text = value.strip()
    if text.lower() == "now":
        return _now_utc(now).strftime(API_TIME_FORMAT)
    try:
        moment = _parse_iso(text)
        if moment is None:
            seconds = _relative_seconds(text)
            if seconds is None:
                raise ConfigError("%s: %r is not a time; use e.g. %s" % (option, value, _TIME_EXAMPLES), option=option)
            moment = _now_utc(now) - datetime.timedelta(seconds=seconds)
    except (ValueError, OverflowError) as exc:
        raise ConfigError("%s: %r is not a valid time (%s); use e.g. %s" % (option, value, exc, _TIME_EXAMPLES),
                          option=option)
    return moment.strftime(API_TIME_FORMAT)


def normalize_api_time(value: object) -> object:
    """The API's ``2015-11-23T02:13Z`` (or with seconds, fractions, an offset) as ``2015-11-23T02:13:00Z``.

    Empty or None gives None. Anything unparseable comes back unchanged: data
    from the service must never crash the caller.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        return value
    if not value.strip():
        return None
    try:
        moment = _parse_iso(value)
    except (ValueError, OverflowError):
        return value
    if moment is None:
        return value
    return moment.strftime(API_TIME_FORMAT)
