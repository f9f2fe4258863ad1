# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of a wait, checked once, before any API call.

``WaitConfig.from_options`` turns the ``ecs_task_wait`` options into a checked
configuration and its ordered acceptors (acceptors.py). Every problem is a
ConfigError naming the option and saying how to fix it. See docs/architecture.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.spelling import closest, near_miss
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import KNOWN_STATES
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import format_duration, kind_of, parse_duration
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import build_acceptors, compile_condition
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.defaults import (
    DEFAULTS, DETAILS, MODES, ON_PREDICTED_TIMEOUT, WAIT_FOR,
)

if TYPE_CHECKING:  # annotations only
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import Acceptor, Condition


def _given(options, name):
    """The option's value, or its default when it was not given."""
    value = options.get(name)
    return DEFAULTS[name] if value is None else value


def _state_list(options, name):
    value = _given(options, name)
    return None if value is None else state_list(value, name, KNOWN_STATES, "task")


def state_list(value: object, option: str, known: tuple[str, ...], what: str) -> tuple[str, ...]:
    """A list of ``what`` states (task, image) checked against the ``known`` ones: a typo of a known state or a case
    slip is refused naming the state meant (it could never match, so the wait could only end at its timeout); any
    other name is kept, as ECS may add states. Duplicates folded, order kept."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ConfigError("%s must be a list of %s states such as %s, got %s %r"
                          % (option, what, ", ".join(known), kind_of(value), value), option=option)
    states = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ConfigError("%s must hold non-empty state names, got %r" % (option, item), option=option)
        state = item.strip()
        meant = near_miss(state, known)
        if meant is not None and meant.lower() == state.lower():
            raise ConfigError("%s: states are case-sensitive; use %r instead of %r" % (option, meant, state),
                              option=option)
        if meant is not None:
            # A typo of a state ECS reports can never match: fail now, not at the timeout (docs/waiting.md, States).
            # Tasks keep the words they always had; other kinds say whose states these are.
            whose = "" if what == "task" else " for an %s" % what if what[:1] in "aeiou" else " for a %s" % what
            raise ConfigError("%s lists %r, which is not a state ECS reports%s: did you mean %r? (ECS reports %s)"
                              % (option, state, whose, meant, ", ".join(known)), option=option)
        if state not in states:
            states.append(state)
    return tuple(states)


# What other APIs call a state, and the ECS state it most likely means.
_STATE_SYNONYMS = {
    "done": "Finished", "complete": "Finished", "completed": "Finished", "success": "Finished",
    "succeeded": "Finished", "successful": "Finished", "ok": "Finished",
    "error": "Failed", "errored": "Failed", "failure": "Failed",
    "running": "Processing", "inprogress": "Processing", "in_progress": "Processing", "executing": "Processing",
    "started": "Processing", "queued": "Waiting", "scheduled": "Waiting",
    "cancelled": "Deleted", "canceled": "Deleted", "removed": "Deleted", "suspended": "Paused", "stopped": "Paused",
}


def _undocumented_state(option, state):
    """The warning for a listed state that ECS never reports, with the state most likely meant."""
    text = "%s lists %r, which ECS does not report (it reports %s)" % (option, state, ", ".join(KNOWN_STATES))
    meant = _STATE_SYNONYMS.get(state.lower().replace(" ", ""))
    if meant is None or meant not in KNOWN_STATES:
        meant = closest(state, KNOWN_STATES)
    if meant is not None:
        return text + "; did you mean %r?" % meant
    return text + "; no task will match it unless ECS adds that state"


def _integer(options, name, minimum):
    value = _given(options, name)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError("%s must be an integer >= %d, got %r" % (name, minimum, value), option=name)
    if value < minimum:
        raise ConfigError("%s must be >= %d, got %d" % (name, minimum, value), option=name)
    return value


def _duration(options, name):
    value = _given(options, name)
    if value is None:
        return None
    return parse_duration(value, name)


def _number(options, name, low, high):
    value = _given(options, name)
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise ConfigError("%s must be a number from %s to %s, got %r" % (name, low, high, value), option=name)
    return float(value)


def _boolean(options, name):
    value = _given(options, name)
    if not isinstance(value, bool):
        raise ConfigError("%s must be true or false, got %r" % (name, value), option=name)
    return value


def _check_overlap(first_name, first, second_name, second):
    both = [state for state in first if state in second]
    if both:
        raise ConfigError("state %s is listed in both %s and %s; a state must mean one thing: remove it from one list"
                          % (", ".join(repr(state) for state in both), first_name, second_name), option=second_name)


@dataclass(frozen=True)
class WaitConfig:
    """Validated options of one wait, frozen. Build it with ``from_options``; ``acceptors`` derive from the rest."""

    target_states: tuple[str, ...]
    failure_states: tuple[str, ...]
    pending_states: tuple[str, ...] | None
    success_condition: Condition | None
    failure_condition: Condition | None
    mode: str
    continuous_target_occurrence: int
    not_found_checks: int
    timeout: float
    delay: float
    min_interval: float
    max_interval: float
    poll_interval: float | None
    backoff_factor: float
    progress_interval: float
    display_interval: float
    fail_on_failure: bool
    details: str
    on_predicted_timeout: str
    wait_for: str = "task"
    product_condition: Condition | None = None
    warnings: tuple[str, ...] = ()
    acceptors: tuple[Acceptor, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "acceptors", tuple(build_acceptors(
            self.target_states, self.failure_states, self.pending_states, self.success_condition, self.failure_condition)))

    @property
    def conditions(self) -> list:
        return [cond for cond in (self.failure_condition, self.success_condition) if cond is not None]

    @property
    def needs_attributes(self) -> bool:
        """True when a condition reads a field DescribeTasks does not return."""
        return any(cond.needs_attributes for cond in self.conditions)

    def wants_details(self, outcome: str) -> bool:
        """Whether a task decided as ``outcome`` ("succeeded" / "failed") gets its attributes read."""
        return self.details == "all" or (self.details == "failed" and outcome == "failed")

    @property
    def strict(self) -> bool:
        """Terraform's rule: unknown states fail only when pending states were given."""
        return bool(self.pending_states)

    def describe_target(self) -> str:
        """'Finished', or what success means, for messages."""
        parts = []
        if self.target_states:
            parts.append("become '%s'" % ", ".join(self.target_states))
        if self.success_condition is not None:
            parts.append("satisfy success_condition")
        return " or ".join(parts)

    @classmethod
    def from_options(cls, options: dict | None) -> WaitConfig:
        """Validate ``options`` (a dict of ecs_task_wait options; None = default, other keys ignored)."""
        options = dict(options or {})
        values: dict = {"warnings": []}
        for name in ("target_states", "failure_states", "pending_states"):
            values[name] = _state_list(options, name)
        for name in ("success_condition", "failure_condition"):
            expression = options.get(name)
            values[name] = None if expression is None else compile_condition(name, expression)
        if not values["target_states"] and values["success_condition"] is None:
            raise ConfigError("target_states is empty and no success_condition is given, so no task could ever "
                              "succeed; list target states (default: Finished) or set success_condition",
                              option="target_states")
        _check_overlap("target_states", values["target_states"], "failure_states", values["failure_states"])
        pending = values["pending_states"] or ()
        _check_overlap("target_states", values["target_states"], "pending_states", pending)
        _check_overlap("failure_states", values["failure_states"], "pending_states", pending)
        for name in ("target_states", "failure_states", "pending_states"):
            for state in values[name] or ():
                if state not in KNOWN_STATES:
                    values["warnings"].append(_undocumented_state(name, state))

        mode = options.get("mode") or DEFAULTS["mode"]
        if mode not in MODES:
            raise ConfigError("mode must be 'all' (every task must succeed) or 'any' (one is enough), got %r" % (mode,),
                              option="mode")
        values["mode"] = mode
        details = options.get("details") or DEFAULTS["details"]
        if details not in DETAILS:
            raise ConfigError("details must be 'all' (read the details of every task that ended), 'failed' (only of "
                              "the failed ones) or 'none', got %r" % (details,), option="details")
        values["details"] = details
        on_late = options.get("on_predicted_timeout") or DEFAULTS["on_predicted_timeout"]
        if on_late not in ON_PREDICTED_TIMEOUT:
            raise ConfigError("on_predicted_timeout must be 'warn' (say so and keep waiting) or 'fail' (stop waiting "
                              "at once), got %r" % (on_late,), option="on_predicted_timeout")
        values["on_predicted_timeout"] = on_late
        _products(options, values)
        values["continuous_target_occurrence"] = _integer(options, "continuous_target_occurrence", 1)
        values["not_found_checks"] = _integer(options, "not_found_checks", 0)
        values["fail_on_failure"] = _boolean(options, "fail_on_failure")
        values["backoff_factor"] = _number(options, "backoff_factor", 0, 1)
        _timing(options, values)
        values["warnings"] = tuple(values["warnings"])
        return cls(**values)


def _products(options, values):
    """wait_for and product_condition, into ``values``."""
    wait_for = options.get("wait_for") or DEFAULTS["wait_for"]
    if wait_for not in WAIT_FOR:
        raise ConfigError("wait_for must be 'task' (the task's end state) or 'product' (what the task produced is ready: "
                          "an import's image usable, an export's objects in OSS, a disk converted), got %r" % (wait_for,),
                          option="wait_for")
    values["wait_for"] = wait_for
    expression = options.get("product_condition")
    if expression is not None and wait_for != "product":
        raise ConfigError("product_condition applies to what a task produced: set wait_for: product as well, or "
                          "drop product_condition", option="product_condition")
    values["product_condition"] = None if expression is None else compile_condition("product_condition", expression)


def _timing(options, values):
    """The durations and their relations, into ``values``."""
    for name in ("timeout", "delay", "min_interval", "max_interval", "poll_interval", "progress_interval",
                 "display_interval"):
        values[name] = _duration(options, name)
    if values["timeout"] <= 0:
        raise ConfigError("timeout must be longer than zero, got %r; use e.g. 600, 20m or 1h30m" % (options.get("timeout"),),
                          option="timeout")
    if values["delay"] >= values["timeout"]:
        raise ConfigError("delay (%s) must be shorter than timeout (%s), or the first poll would never happen"
                          % (format_duration(values["delay"]), format_duration(values["timeout"])), option="delay")
    for name in ("min_interval", "max_interval"):
        if values[name] <= 0:
            raise ConfigError("%s must be longer than zero, got %r" % (name, options.get(name)), option=name)
    if values["poll_interval"] is not None:
        if values["poll_interval"] <= 0:
            raise ConfigError("poll_interval must be longer than zero, got %r" % (options.get("poll_interval"),),
                              option="poll_interval")
        # backoff_factor equal to its default counts as unset: argument specs often fill it in.
        adaptive = [name for name in ("min_interval", "max_interval") if options.get(name) is not None]
        if values["backoff_factor"] != DEFAULTS["backoff_factor"]:
            adaptive.append("backoff_factor")
        if adaptive:
            raise ConfigError("poll_interval sets a fixed interval and cannot be combined with %s, which tune the "
                              "adaptive schedule; give one or the other" % ", ".join(adaptive), option="poll_interval")
    elif values["min_interval"] > values["max_interval"]:
        raise ConfigError("min_interval (%s) must not exceed max_interval (%s)"
                          % (format_duration(values["min_interval"]), format_duration(values["max_interval"])),
                          option="min_interval")
