# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of control API bodies: each failure is one line saying which field is wrong and what it takes.

The control API answers a SpecError with 400 and its message.
"""

from __future__ import annotations

import math

MAX_COUNT = 100000


class SpecError(ValueError):
    """A control API body that is not valid."""


def obj(body, what="the body"):
    if not isinstance(body, dict):
        raise SpecError("%s must be a JSON object" % what)
    return body


def known_fields(body, fields, what=""):
    unknown = sorted(set(body) - set(fields))
    if unknown:
        where = " in " + what if what else ""
        raise SpecError("unknown field(s)%s: %s (known: %s)" % (where, ", ".join(unknown), ", ".join(sorted(fields))))


def number(body, name, default, low=0.0):
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < low:
        raise SpecError("%s must be a number >= %s" % (name, low))
    return float(value)


def string(body, name, default=""):
    value = body.get(name, default)
    if not isinstance(value, str):
        raise SpecError("%s must be a string" % name)
    return value


def choice(body, name, default, choices):
    value = body.get(name, default)
    if value not in choices:
        raise SpecError("%s must be one of %s, got %r" % (name, ", ".join(choices), value))
    return value


def boolean(body, name, default=False):
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise SpecError("%s must be true or false" % name)
    return value


def count(body, default=1, maximum=MAX_COUNT):
    value = body.get("count", default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise SpecError("count must be an integer from 1 to %d" % maximum)
    return value


def strings(body, name):
    value = body.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise SpecError("%s must be a list of non-empty strings" % name)
    return value
