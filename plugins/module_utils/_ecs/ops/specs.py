# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules' options: the table their argument specs (module and action plugin) are built from.

Wait defaults and choices come from waiter/defaults.py. See docs/architecture.md.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.spelling import closest
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import FILTERABLE_STATES, SEARCHABLE_STATES
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.options import build_argument_spec
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.defaults import (
    DEFAULTS, DETAILS, MODES, ON_PREDICTED_TIMEOUT, WAIT_FOR,
)

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable, Mapping

# DescribeTasks honours only these in its TaskStatus filter and silently
# ignores anything else, so anything else is refused before the call.
FILTERABLE_STATUSES = list(FILTERABLE_STATES)
# What a wait may search for: its search filters the other states from the answers itself.
SEARCHABLE_STATUSES = list(SEARCHABLE_STATES)

INFO_OPTIONS: dict[str, dict[str, Any]] = {
    "task_ids": {"type": "list", "elements": "str", "aliases": ["task_id"]},
    "task_action": {"type": "str"},
    "task_status": {"type": "str", "choices": FILTERABLE_STATUSES},
    "start_time": {"type": "str"},
    "end_time": {"type": "str"},
    "resource_ids": {"type": "list", "elements": "str"},
    "details": {"type": "bool", "default": False},
    "max_results": {"type": "int"},
    "timeout": {"type": "raw", "default": "5m"},
}

INFO_MUTUALLY_EXCLUSIVE = [
    ("task_ids", "task_action"), ("task_ids", "task_status"),
    ("task_ids", "start_time"), ("task_ids", "end_time"), ("task_ids", "resource_ids"),
]

# The DescribeTasks filters ecs_task_wait searches with (instead of, or with, task_ids).
SEARCH_FILTERS = ("task_action", "resource_ids", "task_status", "start_time", "end_time")


def _engine(name: str, **argument: Any) -> dict[str, Any]:
    """An engine option's spec, its default the engine's own (waiter/defaults.py): one fact, one place."""
    argument["default"] = copy.deepcopy(DEFAULTS[name])
    return argument


WAIT_OPTIONS: dict[str, dict[str, Any]] = {
    "task_ids": {"type": "list", "elements": "str", "aliases": ["task_id"]},
    "task_action": {"type": "str"},
    "resource_ids": {"type": "list", "elements": "str"},
    "task_status": {"type": "list", "elements": "str", "choices": SEARCHABLE_STATUSES},
    "start_time": {"type": "str"},
    "end_time": {"type": "str"},
    "target_states": _engine("target_states", type="list", elements="str"),
    "failure_states": _engine("failure_states", type="list", elements="str"),
    "pending_states": {"type": "list", "elements": "str"},
    "success_condition": {"type": "str"},
    "failure_condition": {"type": "str"},
    "mode": _engine("mode", type="str", choices=list(MODES)),
    "timeout": _engine("timeout", type="raw"),
    "delay": _engine("delay", type="raw"),
    # No spec default, so that poll_interval can refuse them when given; the docs say the engine's in words.
    "min_interval": {"type": "raw"},
    "max_interval": {"type": "raw"},
    "poll_interval": {"type": "raw"},
    "backoff_factor": {"type": "float"},
    "continuous_target_occurrence": _engine("continuous_target_occurrence", type="int"),
    "not_found_checks": _engine("not_found_checks", type="int"),
    "progress_interval": _engine("progress_interval", type="raw"),
    "display_interval": _engine("display_interval", type="raw"),
    "fail_on_failure": _engine("fail_on_failure", type="bool"),
    "details": _engine("details", type="str", choices=list(DETAILS)),
    "cancel_on_timeout": {"type": "bool", "default": False},
    "on_predicted_timeout": _engine("on_predicted_timeout", type="str", choices=list(ON_PREDICTED_TIMEOUT)),
    "wait_for": _engine("wait_for", type="str", choices=list(WAIT_FOR)),
    "product_condition": {"type": "str"},
}

# Options the engine reads (the rest are connection options or the plugin's own).
ENGINE_OPTIONS = (
    "target_states", "failure_states", "pending_states", "success_condition", "failure_condition",
    "mode", "timeout", "delay", "min_interval", "max_interval", "poll_interval", "backoff_factor",
    "continuous_target_occurrence", "not_found_checks", "progress_interval", "fail_on_failure", "details",
    "display_interval", "on_predicted_timeout", "wait_for", "product_condition",
)


def info_argument_spec() -> dict[str, dict]:
    return build_argument_spec(INFO_OPTIONS)


def wait_argument_spec() -> dict[str, dict]:
    return build_argument_spec(WAIT_OPTIONS)


def unknown_options(module: str, given: Iterable[str], spec: Mapping[str, dict]) -> ConfigError | None:
    """The error for option names ``spec`` does not know, each with the name meant; None when all are known.

    One message for every path (the action plugin checks the task's arguments, the modules their own),
    instead of Ansible's list of every supported option. Ansible's own ``_ansible_*`` keys are not options.
    """
    names = [name for name in spec if not name.startswith("_")]
    aliases = [alias for name in names for alias in spec[name].get("aliases") or ()]
    known = set(spec) | set(aliases)
    unknown = sorted(str(name) for name in given if name not in known and not str(name).startswith("_ansible_"))
    if not unknown:
        return None
    said = []
    for name in unknown:
        meant = closest(name, names) or closest(name, aliases)
        said.append("%r (did you mean %r?)" % (name, meant) if meant else repr(name))
    return ConfigError("%s has no option %s; `ansible-doc %s` lists them all" % (module, " nor ".join(said), module),
                       option=unknown[0])


def check_list_options(args: Mapping[str, object], options: Mapping[str, dict], examples: Mapping[str, str]) -> None:
    """Before the argument spec: a mapping given for a list option (of ``options``, aliases included) gets a message
    in plain words, with the option's example, instead of Ansible's type error naming internal classes."""
    for name, option in options.items():
        if option.get("type") != "list" or option.get("elements") == "dict":
            continue
        for given in [name] + list(option.get("aliases") or ()):
            if isinstance(args.get(given), dict):
                raise ConfigError("%s must be a list, got a dict; write it as a YAML list, e.g. [%s]"
                                  % (name, examples.get(name, "...")), option=name)
