# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parameters of the signed actions: required values, integers in range, booleans, DryRun, regions."""

from __future__ import annotations

from tests.emulator import taskspec
from tests.emulator.errors import ApiError, invalid_parameter, missing_parameter


def required(params, name):
    value = params.get(name)
    if value is None or value == "":
        raise missing_parameter(name)
    return value


def int_param(params, name, default, low, high=None, code=None):
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise (ApiError(code) if code else invalid_parameter(name)) from None
    if value < low or (high is not None and value > high):
        raise ApiError(code) if code else invalid_parameter(name)
    return value


def flag(params, name, default=False):
    """A boolean parameter: true/false in any case (InvalidParameter otherwise)."""
    value = (params.get(name) or "").strip().lower()
    if value == "":
        return default
    if value not in ("true", "false"):
        raise invalid_parameter(name, "It must be true or false.")
    return value == "true"


def dry_run(params):
    """DryRun=true: the checks passed, nothing is created (the service answers an error code, HTTP 400)."""
    if flag(params, "DryRun"):
        raise ApiError("DryRunOperation")


def region(params, name="RegionId"):
    value = required(params, name)
    if value not in taskspec.REGIONS:
        raise ApiError("InvalidRegionId.NotFound")
    return value


def indexed(params, prefix, low=1, high=None):
    """{N: {Sub: value}} from Prefix.N.Sub parameters (N outside low-high ignored, as the service does)."""
    found = {}
    for key, value in params.items():
        if not key.startswith(prefix + "."):
            continue
        index, dummy, sub = key[len(prefix) + 1:].partition(".")
        if not index.isdigit() or int(index) < low or (high is not None and int(index) > high):
            continue
        found.setdefault(int(index), {})[sub] = value
    return found
