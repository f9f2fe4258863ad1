# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How one task is judged: the acceptors, as data, and the JMESPath conditions they may hold.

As in botocore's waiters, an acceptor is a compiled match (a set of states, a
condition, or anything), the outcome it yields and the words of its reason;
the list ends with a catch-all, and the engine takes the first that matches.
See docs/architecture.md and docs/waiting.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import SUMMARY_FIELDS, parse_progress
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import IN_PROGRESS_STATES, KNOWN_STATES, TERMINAL_STATES
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.condition_limits import (
    MAX_DEPTH, SIMPLIFY, OverBudget, evaluate, syntax_depth, too_deep_message,
)

if TYPE_CHECKING:  # annotations only
    from collections.abc import Collection, Iterable
    from typing import Any, Protocol

    class Match(Protocol):
        """What an acceptor matches with: StateSet, Condition, AnyState, or products.py's AllOf and field tests."""

        def matches(self, state: str | None, raw: dict) -> bool:
            ...

try:
    import jmespath
    from jmespath import functions as jmespath_functions
    from jmespath.exceptions import JMESPathError
    HAS_JMESPATH = True
    JMESPATH_IMPORT_ERROR: ImportError | None = None
except ImportError as exc:  # pragma: no cover - depends on the host
    # Never used then: compile_condition checks HAS_JMESPATH first. The ignores: mypy cannot follow that.
    jmespath = jmespath_functions = None  # type: ignore[assignment]
    JMESPathError = Exception  # type: ignore[misc, assignment]
    HAS_JMESPATH = False
    JMESPATH_IMPORT_ERROR = exc

# Acceptor outcomes. UNKNOWN keeps waiting, like RETRY, and warns once per state.
SUCCESS = "success"
FAILURE = "failure"
RETRY = "retry"
UNKNOWN = "unknown"

# Field names that are literals in other languages: in JMESPath, a bare
# ``null`` or a double-quoted "Finished" is a *field*, which never exists.
_LITERAL_LOOKALIKES = frozenset(["null", "true", "false", "None", "True", "False"])


def percent(value: object) -> int | None:
    """The number in a percentage: 45 for ``"45%"``, ``"45"`` or 45; None for null or anything else.

    TaskProcess is a string such as "45%", which JMESPath can neither compare
    nor convert (to_number("45%") is null). Whole percents, as the records' progress.
    """
    return parse_progress(value)


if HAS_JMESPATH:
    class ConditionFunctions(jmespath_functions.Functions):
        """JMESPath's built-in functions plus ``percent()``."""

        @jmespath_functions.signature({"types": []})
        def _func_percent(self, value):
            return percent(value)

    SEARCH_OPTIONS: jmespath.Options | None = jmespath.Options(custom_functions=ConditionFunctions())
    FUNCTION_NAMES = tuple(sorted(ConditionFunctions.FUNCTION_TABLE))
else:  # pragma: no cover - depends on the host
    SEARCH_OPTIONS = None
    FUNCTION_NAMES = ()


def is_truthy(value: object) -> bool:
    """JMESPath truthiness: null, false and empty string/list/object are false; 0 is true."""
    if value is None or value is False:
        return False
    if isinstance(value, (str, list, dict)) and not value:
        return False
    return True


class ConditionError(Exception):
    """A condition that could not be evaluated on one task's data: it counts as false."""

    def __init__(self, condition: Condition, error: Exception | str, for_good: bool = False):
        super().__init__("%s %r could not be evaluated (%s); treated as false%s"
                         % (condition.option, condition.expression, error, " for the rest of this wait" if for_good else ""))
        self.option = condition.option


class Condition(object):
    """A compiled JMESPath expression (``compiled``: jmespath's ParsedResult) over a task's raw API view."""

    def __init__(self, option: str, expression: str, compiled: Any, fields: Iterable[str]) -> None:
        self.option = option
        self.expression = expression
        self._compiled = compiled
        self.fields = frozenset(fields)
        self.needs_attributes = bool(self.fields - SUMMARY_FIELDS)
        self.too_costly: str | None = None  # why, once an evaluation went past its budget

    def search(self, raw: dict) -> object:
        """The expression's value on ``raw``; OverBudget past condition_limits.MAX_WORK."""
        return evaluate(self._compiled.parsed, raw, SEARCH_OPTIONS)

    def matches(self, state: str | None, raw: dict) -> bool:
        """Whether the expression is truthy on ``raw``; ConditionError when it cannot be evaluated.

        A condition that went past its budget once is not evaluated again: it would cost as much on
        every task at every poll, and the wait must keep its pace.
        """
        if self.too_costly is not None:
            raise ConditionError(self, self.too_costly, for_good=True)
        try:
            return is_truthy(self.search(raw))
        except OverBudget as exc:
            self.too_costly = "too costly: %s; %s" % (exc, SIMPLIFY)
            raise ConditionError(self, self.too_costly, for_good=True)
        except Exception as exc:  # a JMESPath type error on odd data
            raise ConditionError(self, exc)

    def __repr__(self):
        return "Condition(%s=%r)" % (self.option, self.expression)


class StateSet(object):
    """Matches a task whose TaskStatus is one of ``states``."""

    def __init__(self, states: Iterable[str]) -> None:
        self.states = frozenset(states)

    def matches(self, state: str | None, raw: dict) -> bool:
        return state in self.states

    def __repr__(self):
        return "StateSet(%s)" % sorted(self.states)


class AnyState(object):
    """Matches every task: the catch-all at the end of the list."""

    def matches(self, state: str | None, raw: dict) -> bool:
        return True

    def __repr__(self):
        return "AnyState()"


class Acceptor(object):
    """One rule: ``match`` (StateSet, Condition or AnyState) yields ``outcome``; ``option`` is where it comes from.

    ``reason_template`` words the decision, with ``%(state)s`` for the task's state (None: no reason).
    """

    def __init__(self, match: Match, outcome: str, option: str,
                 reason_template: str | None = None) -> None:
        self.match = match
        self.outcome = outcome
        self.option = option
        self.reason_template = reason_template

    def matches(self, state: str | None, raw: dict) -> bool:
        return self.match.matches(state, raw)

    def reason(self, state: str | None) -> str | None:
        """Why a task in ``state`` got this acceptor's outcome, e.g. "ended in state 'Failed'"."""
        if self.reason_template is None:
            return None
        return self.reason_template % {"state": state}

    def __repr__(self):
        return "Acceptor(%s %r -> %s)" % (self.option, self.match, self.outcome)


def _literal(text: str) -> str:
    """``text`` inside a reason template: its own percent signs are not placeholders."""
    return text.replace("%", "%%")


def _state_names(states) -> str:
    return "[%s]" % ", ".join(repr(state) for state in states)


def build_acceptors(target_states: Collection[str], failure_states: Collection[str], pending_states: Collection[str] | None = None,
                    success_condition: Condition | None = None, failure_condition: Condition | None = None) -> list[Acceptor]:
    """The ordered acceptors of a wait; the last one matches anything.

    Failures first, then targets, then the states still in progress; an end state no list names
    fails at once (it never changes again, so waiting on would only run into the timeout); any other
    state fails when pending_states was given (Terraform's rule), else the wait goes on with a warning.
    """
    acceptors: list[Acceptor] = []
    if failure_condition is not None:
        acceptors.append(Acceptor(failure_condition, FAILURE, "failure_condition",
                                  "matched failure_condition in state '%(state)s'"))
    acceptors.append(Acceptor(StateSet(failure_states), FAILURE, "failure_states", "ended in state '%(state)s'"))
    acceptors.append(Acceptor(StateSet(target_states), SUCCESS, "target_states", "reached state '%(state)s'"))
    if success_condition is not None:
        acceptors.append(Acceptor(success_condition, SUCCESS, "success_condition", "reached state '%(state)s'"))
    pending = frozenset(IN_PROGRESS_STATES) | frozenset(pending_states or ())
    acceptors.append(Acceptor(StateSet(pending), RETRY, "pending_states"))
    listed = set(target_states) | set(failure_states) | pending
    unlisted = frozenset(state for state in TERMINAL_STATES if state not in listed)
    if unlisted:
        reason = "ended in state '%%(state)s', which is neither in target_states %s nor in failure_states %s" % (
            _literal(_state_names(target_states)), _literal(_state_names(failure_states)))
        if success_condition is not None:
            reason += ", and success_condition is false"
        acceptors.append(Acceptor(StateSet(unlisted), FAILURE, "unlisted end states", reason))
    if pending_states:
        acceptors.append(Acceptor(AnyState(), FAILURE, "pending_states", "is in unexpected state '%%(state)s' "
                                  "(pending_states: %s)" % _literal(", ".join(pending_states))))
    else:
        acceptors.append(Acceptor(AnyState(), UNKNOWN, "unknown states",
                                  "is in state '%(state)s', which is neither a target, a failure nor a known "
                                  "in-progress state; still waiting (list it in target_states, failure_states or "
                                  "pending_states to decide what it means)"))
    return acceptors


def _ast_values(node, node_type, found):
    """The ``value`` of every AST node of ``node_type`` (field names, function names)."""
    if isinstance(node, dict):
        if node.get("type") == node_type:
            found.add(node.get("value"))
        for child in node.get("children") or []:
            _ast_values(child, node_type, found)
    elif isinstance(node, list):
        for child in node:
            _ast_values(child, node_type, found)
    return found


# The usual slips, by what JMESPath stumbled on: (test on the token, hint).
_EXAMPLE = "e.g. TaskStatus == 'Finished' && percent(TaskProcess) >= `50`"
_SLIPS = (
    (lambda kind, value: kind == "NUMBER", "numbers are literals in backticks, e.g. percent(TaskProcess) >= `50`"),
    (lambda kind, value: value == "=", "compare with ==, e.g. TaskStatus == 'Finished'"),
    (lambda kind, value: value in ("and", "or", "not"), "JMESPath writes and, or, not as &&, ||, !"),
    (lambda kind, value: kind.startswith("UNCLOSED ' "), "close the string with a single quote, e.g. 'Finished'"),
    (lambda kind, value: kind.startswith("UNCLOSED ` "), "close the literal with a backtick, e.g. `50`"),
    (lambda kind, value: kind.startswith("UNCLOSED"), "close the quote that opens here"),
    (lambda kind, value: kind.startswith("UNKNOWN TOKEN"),
     "a field name other than letters, digits and _ goes in double quotes, e.g. \"Task-Status\""),
)


def syntax_error_message(option: str, expression: str, error: Exception) -> str:
    """One line for a JMESPath syntax error: where (character 1 is the first), what was found, and a hint."""
    position = getattr(error, "lex_position", None)
    value = getattr(error, "token_value", None)
    kind = str(getattr(error, "token_type", None) or "")
    shown = expression if len(expression) <= 120 else expression[:117] + "..."
    if kind == "" and value is None:
        where = "it ends where more was expected (after character %d)" % len(expression)
        hint = "finish the expression, " + _EXAMPLE
    else:
        column = (position or 0) + 1
        if kind.startswith("UNCLOSED"):
            where = "the quote at character %d is never closed" % column
        else:
            where = "unexpected %s at character %d" % ("number %s" % value if kind == "NUMBER" else repr(value), column)
        fallback = "see https://jmespath.org/specification.html; " + _EXAMPLE
        hint = next((text for test, text in _SLIPS if test(kind, value)), fallback)
    return "%s %r is not valid JMESPath: %s; hint: %s" % (option, shown, where, hint)


def compile_condition(option: str, expression: object) -> Condition:
    """A Condition, or ConfigError quoting the JMESPath error."""
    if not isinstance(expression, str) or not expression.strip():
        raise ConfigError("%s must be a non-empty JMESPath expression string, got %r"
                          % (option, expression), option=option)
    if not HAS_JMESPATH:
        raise ConfigError("%s needs the Python library jmespath on the host running the wait: "
                          "pip install jmespath (import error: %s)" % (option, JMESPATH_IMPORT_ERROR), option=option)
    try:
        compiled = jmespath.compile(expression)
    except RecursionError:  # the parser recurses once per level of nesting
        compiled = None
    except JMESPathError as exc:
        raise ConfigError(syntax_error_message(option, expression, exc), option=option) from None
    if compiled is None or syntax_depth(compiled.parsed) > MAX_DEPTH:
        raise ConfigError(too_deep_message(option), option=option)
    # JMESPath looks functions up only when it evaluates them: an unknown one would
    # fail at the first poll that reaches it, not here.
    unknown = sorted(_ast_values(compiled.parsed, "function_expression", set()) - set(FUNCTION_NAMES))
    if unknown:
        raise ConfigError("%s %r uses unknown function%s %s; available functions: %s"
                          % (option, expression, "" if len(unknown) == 1 else "s",
                             ", ".join("%s()" % name for name in unknown), ", ".join(FUNCTION_NAMES)), option=option)
    fields = _ast_values(compiled.parsed, "field", set())
    for name in sorted(fields):
        if name in _LITERAL_LOOKALIKES:
            raise ConfigError("%s %r reads a field named %r, which no task has; JMESPath literals are written "
                              "in backticks, e.g. `null`, `true`" % (option, expression, name), option=option)
        if name in KNOWN_STATES:
            raise ConfigError("%s %r reads a field named %r; double quotes name a field in JMESPath: compare "
                              "with a string literal in single quotes, e.g. TaskStatus == '%s'"
                              % (option, expression, name, name), option=option)
    return Condition(option, expression, compiled, fields)
