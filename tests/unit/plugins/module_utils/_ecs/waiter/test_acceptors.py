# -*- coding: utf-8 -*-
"""The acceptors (ordered data, a catch-all last, their reasons) and the JMESPath conditions they hold."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter import acceptors
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import (
    AnyState, Condition, ConditionError, StateSet, compile_condition, is_truthy,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig


def compile_error(option, expression):
    with pytest.raises(ConfigError) as info:
        compile_condition(option, expression)
    return info.value


def kinds(config):
    """(match type, outcome, option) of each acceptor, in order."""
    return [(type(acc.match).__name__, acc.outcome, acc.option) for acc in config.acceptors]


def first(config, state, raw=None):
    raw = dict(raw or {}, TaskStatus=state)
    return next(acc for acc in config.acceptors if acc.matches(state, raw))


def test_acceptors_are_ordered_data():
    config = WaitConfig.from_options({"failure_condition": "TaskStatus == 'Paused'",
                                      "success_condition": "TaskProcess == '100%'", "pending_states": ["Waiting"]})
    assert kinds(config) == [("Condition", "failure", "failure_condition"), ("StateSet", "failure", "failure_states"),
                             ("StateSet", "success", "target_states"), ("Condition", "success", "success_condition"),
                             ("StateSet", "retry", "pending_states"), ("AnyState", "failure", "pending_states")]
    assert config.acceptors[-2].match.states == frozenset(["Waiting", "Processing", "Paused", "Pending"])
    assert config.acceptors[0].match is config.failure_condition
    assert config.acceptors[3].match is config.success_condition
    assert config.strict


def test_default_acceptors():
    assert kinds(WaitConfig.from_options({})) == [
        ("StateSet", "failure", "failure_states"), ("StateSet", "success", "target_states"),
        ("StateSet", "retry", "pending_states"), ("AnyState", "unknown", "unknown states")]


@pytest.mark.parametrize("options", [
    {}, {"pending_states": ["Cancelling"]}, {"target_states": [], "success_condition": "TaskStatus == 'Paused'"},
    {"failure_condition": "TaskStatus == 'Paused'", "failure_states": []},
])
def test_a_catch_all_is_last_and_only_last(options):
    config = WaitConfig.from_options(options)
    assert isinstance(config.acceptors[-1].match, AnyState)
    assert not any(isinstance(acc.match, AnyState) for acc in config.acceptors[:-1])
    assert config.acceptors[-1].matches(None, {}) and config.acceptors[-1].matches("Cancelling", {})


@pytest.mark.parametrize("options, unlisted", [
    ({}, None),
    ({"target_states": ["Done"]}, frozenset(["Finished"])),
    ({"failure_states": ["Failed"]}, frozenset(["Deleted"])),
    ({"target_states": ["Done"], "pending_states": ["Finished"]}, None),
    ({"target_states": [], "failure_states": [], "success_condition": "TaskStatus == 'Paused'"},
     frozenset(["Finished", "Failed", "Deleted"])),
])
def test_end_states_no_list_names_fail(options, unlisted):
    *rest, before_last, last = WaitConfig.from_options(options).acceptors
    assert isinstance(last.match, AnyState)
    if unlisted is None:
        assert before_last.option == "pending_states"
    else:
        assert (type(before_last.match), before_last.match.states, before_last.outcome) == (StateSet, unlisted, "failure")
        assert before_last.option == "unlisted end states"


@pytest.mark.parametrize("options, state, raw, outcome, reason", [
    ({}, "Finished", {}, "success", "reached state 'Finished'"),
    ({}, "Failed", {}, "failure", "ended in state 'Failed'"),
    ({}, "Deleted", {}, "failure", "ended in state 'Deleted'"),
    ({}, "Processing", {}, "retry", None),
    ({}, "Cancelling", {}, "unknown", "is in state 'Cancelling', which is neither a target, a failure nor a known "
     "in-progress state; still waiting (list it in target_states, failure_states or pending_states to decide what "
     "it means)"),
    ({"pending_states": ["Cancelling", "Queued"]}, "Stuck", {}, "failure",
     "is in unexpected state 'Stuck' (pending_states: Cancelling, Queued)"),
    ({"pending_states": ["Cancelling"]}, "Cancelling", {}, "retry", None),
    ({"failure_condition": "TaskProcess == '40%'"}, "Processing", {"TaskProcess": "40%"}, "failure",
     "matched failure_condition in state 'Processing'"),
    ({"success_condition": "TaskProcess == '40%'"}, "Processing", {"TaskProcess": "40%"}, "success",
     "reached state 'Processing'"),
    ({"target_states": ["Done"]}, "Finished", {}, "failure",
     "ended in state 'Finished', which is neither in target_states ['Done'] nor in failure_states ['Failed', 'Deleted']"),
    ({"target_states": [], "failure_states": ["Failed"], "success_condition": "TaskStatus == 'Paused'"}, "Finished", {},
     "failure", "ended in state 'Finished', which is neither in target_states [] nor in failure_states ['Failed'], "
     "and success_condition is false"),
])
def test_each_acceptor_words_its_reason(options, state, raw, outcome, reason):
    acceptor = first(WaitConfig.from_options(options), state, raw)
    assert (acceptor.outcome, acceptor.reason(state)) == (outcome, reason)


def test_percent_signs_in_listed_states_are_words_not_placeholders():
    config = WaitConfig.from_options({"target_states": ["100%"], "pending_states": ["50%d"]})
    assert first(config, "Finished").reason("Finished") == (
        "ended in state 'Finished', which is neither in target_states ['100%'] nor in failure_states "
        "['Failed', 'Deleted']")
    assert first(config, "Odd").reason("Odd") == "is in unexpected state 'Odd' (pending_states: 50%d)"


def test_acceptors_are_applied_in_order():
    # A task both failing the failure_condition and in a target state fails: failures come first.
    config = WaitConfig.from_options({"failure_condition": "TaskProcess == '40%'", "success_condition": "TaskProcess == '40%'"})
    assert first(config, "Finished", {"TaskProcess": "40%"}).option == "failure_condition"
    # The target state is checked before success_condition, which is checked before the pending states.
    assert first(config, "Finished", {"TaskProcess": "10%"}).option == "target_states"
    assert first(config, "Processing", {"TaskProcess": "40%"}).option == "failure_condition"
    config = WaitConfig.from_options({"success_condition": "TaskProcess == '40%'"})
    assert first(config, "Processing", {"TaskProcess": "40%"}).option == "success_condition"
    assert first(config, "Processing", {"TaskProcess": "10%"}).option == "pending_states"


def test_a_condition_that_cannot_be_evaluated_raises_a_worded_error():
    condition = compile_condition("success_condition", "TaskProcess > `50`")
    assert isinstance(condition, Condition)
    with pytest.raises(ConditionError) as info:
        condition.matches("Processing", {"TaskProcess": "45%"})
    assert info.value.option == "success_condition"
    assert str(info.value).startswith("success_condition 'TaskProcess > `50`' could not be evaluated (")
    assert str(info.value).endswith("); treated as false")


def test_condition_without_jmespath_says_how_to_install(monkeypatch):
    monkeypatch.setattr(acceptors, "HAS_JMESPATH", False)
    error = compile_error("success_condition", "TaskStatus == 'Finished'")
    assert error.option == "success_condition" and "pip install jmespath" in error.message
    # No condition, no need for the library.
    assert WaitConfig.from_options({}).target_states == ("Finished",)


@pytest.mark.parametrize("expression, needs", [
    ("TaskStatus == 'Finished'", False),
    ("TaskStatus == 'Finished' && ResourceId != `null`", False),
    ("TaskProcess == '100%'", True),
    ("OperationProgressSet.OperationProgress[0].ErrorCode", True),
    ("TaskStatus == 'Processing' && to_number(TotalCount) > `0`", True),
])
def test_needs_attributes_comes_from_the_ast(expression, needs):
    config = WaitConfig.from_options({"success_condition": expression})
    assert config.needs_attributes is needs


def test_fields_of_a_condition():
    config = WaitConfig.from_options({"failure_condition": "TaskStatus == 'Paused' || FailedCount > `0`"})
    assert config.failure_condition.fields == frozenset(["TaskStatus", "FailedCount"])


@pytest.mark.parametrize("value, truth", [
    (None, False), (False, False), ("", False), ([], False), ({}, False),
    (0, True), (True, True), ("x", True), ([0], True), ({"a": None}, True),
])
def test_jmespath_truthiness(value, truth):
    assert is_truthy(value) is truth


@pytest.mark.parametrize("value, number", [
    ("45%", 45), (" 45 % ", 45), ("45", 45), (45, 45), (45.5, 45), ("100%", 100), ("0%", 0),
    (None, None), ("", None), ("%", None), ("half", None), (True, None), ([45], None), ({"a": 1}, None),
])
def test_percent_reads_a_percentage(value, number):
    assert acceptors.percent(value) == number


@pytest.mark.parametrize("raw, truth", [
    ({"TaskProcess": "45%"}, False),
    ({"TaskProcess": "50%"}, True),
    ({"TaskProcess": "100%"}, True),
    ({"TaskProcess": 60}, True),
    ({"TaskProcess": "n/a"}, False),
    ({}, False),
])
def test_percent_in_a_condition(raw, truth):
    condition = WaitConfig.from_options({"success_condition": "percent(TaskProcess) >= `50`"}).success_condition
    assert is_truthy(condition.search(raw)) is truth


def test_percent_of_null_is_null():
    condition = WaitConfig.from_options({"success_condition": "percent(TaskProcess)"}).success_condition
    assert condition.search({"TaskStatus": "Processing"}) is None
    assert condition.search({"TaskProcess": "45%"}) == 45


def test_percent_reads_an_attribute_field():
    config = WaitConfig.from_options({"success_condition": "percent(TaskProcess) >= `50`"})
    assert config.needs_attributes and config.success_condition.fields == frozenset(["TaskProcess"])


def test_builtin_functions_still_work():
    condition = WaitConfig.from_options({"success_condition": "starts_with(TaskStatus, 'Fin')"}).success_condition
    assert condition.search({"TaskStatus": "Finished"}) is True


@pytest.mark.parametrize("option, expression, unknown", [
    ("success_condition", "to_number(trim_right(TaskProcess, '%')) >= `50`", "trim_right()"),
    ("failure_condition", "TaskStatus == 'Failed' || lower(TaskStatus) == 'deleted'", "lower()"),
    ("success_condition", "length(OperationProgressSet.OperationProgress[?prct(x)]) > `0`", "prct()"),
])
def test_unknown_function_is_refused_at_compile_time(option, expression, unknown):
    error = compile_error(option, expression)
    assert error.option == option
    assert "unknown function %s" % unknown in error.message
    available = error.message.split("available functions: ", 1)[1].split(", ")
    assert "percent" in available and "to_number" in available and "contains" in available


def test_several_unknown_functions_are_all_named():
    error = compile_error("success_condition", "upper(a) == lower(b)")
    assert "unknown functions lower(), upper()" in error.message


# ---------------------------------------------------------------- limits (issue 18)

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter import condition_limits  # noqa: E402

OPERATIONS = {"TaskId": "t-1", "TaskStatus": "Processing", "TaskProcess": "40%", "OperationProgressSet": {"OperationProgress": [
    {"OperationStatus": "Success", "ErrorCode": "", "RelatedItemSet": {"RelatedItem": [{"Name": "OSSObject", "Value": "o-%d" % i}]}}
    for i in range(17)]}}
DOUBLING = "[@,@] | " * 22 + "to_string(@) == ''"


@pytest.mark.parametrize("expression", ["(" * 1000 + "TaskStatus" + ")" * 1000, "[" * 1000 + "TaskStatus" + "]" * 1000,
                                        "!" * 150 + "TaskStatus", "[" * 100 + "TaskStatus" + "]" * 100])
def test_a_condition_nested_too_deep_is_refused_when_compiled(expression):
    # Before: the parser's RecursionError became "Unexpected RecursionError ... This is a bug"; 100 levels passed.
    error = compile_error("failure_condition", expression)
    assert error.option == "failure_condition"
    assert error.message.startswith("failure_condition is nested more than 100 levels deep")
    assert "write it flatter" in error.message and "\n" not in error.message and len(error.message) < 300


def test_a_condition_nested_up_to_the_limit_compiles_and_works():
    condition = compile_condition("success_condition", "[" * 98 + "TaskStatus == 'Processing'" + "]" * 98)
    assert condition.matches("Processing", OPERATIONS) is True  # a list (of lists) is true


def test_a_costly_condition_stops_within_its_budget_and_is_not_evaluated_again(monkeypatch):
    condition = compile_condition("success_condition", DOUBLING)
    spent = []
    real = condition_limits.BudgetInterpreter.visit

    def counting(self, node, *args, **kwargs):
        result = real(self, node, *args, **kwargs)
        spent.append(self.spent)
        return result
    monkeypatch.setattr(condition_limits.BudgetInterpreter, "visit", counting)
    with pytest.raises(ConditionError) as info:
        condition.matches("Processing", OPERATIONS)
    text = str(info.value)
    assert "too costly: one evaluation handled more than 250000 items" in text and "TaskStatus == 'Finished'" in text
    assert text.endswith("treated as false for the rest of this wait")
    # It stopped at the step that went past the budget, long before the 22nd doubling.
    assert spent and max(spent) <= condition_limits.MAX_WORK
    steps = len(spent)
    with pytest.raises(ConditionError) as again:
        condition.matches("Processing", {"TaskStatus": "Processing"})
    assert str(again.value) == text and len(spent) == steps  # not evaluated again


@pytest.mark.parametrize("expression", [
    "[@,@][] | " * 22 + "length(@) > `0`",                      # flattening doubles real lists
    "to_string(@) | " + "join('', [@,@]) | " * 30 + "length(@) > `0`",  # strings double too
    "OperationProgressSet.OperationProgress[*]." + "[@,@] | " * 20 + "@",
])
def test_every_way_of_doubling_is_counted(expression):
    with pytest.raises(ConditionError, match="too costly"):
        compile_condition("success_condition", expression).matches("Processing", OPERATIONS)


@pytest.mark.parametrize("expression, expected", [
    ("TaskStatus == 'Processing' && percent(TaskProcess) >= `40`", True),
    ("length(OperationProgressSet.OperationProgress[?OperationStatus == 'Failed']) > `0`", False),
    ("OperationProgressSet.OperationProgress[*].RelatedItemSet.RelatedItem[?Name == 'OSSObject'].Value | [] | length(@) == `17`", True),
    ("contains(to_string(@), 'o-16')", True),
])
def test_conditions_a_user_writes_stay_far_below_the_budget(expression, expected):
    condition = compile_condition("success_condition", expression)
    interpreter = condition_limits.BudgetInterpreter(acceptors.SEARCH_OPTIONS)
    assert is_truthy(interpreter.visit(condition._compiled.parsed, OPERATIONS)) is expected
    assert interpreter.spent < condition_limits.MAX_WORK / 100
    assert condition.matches("Processing", OPERATIONS) is expected


def test_sizes_count_shared_values_as_often_as_they_appear():
    interpreter = condition_limits.BudgetInterpreter()
    leaf = {"a": 1, "b": "x" * 32}
    shared = [leaf, leaf]
    assert interpreter.size(leaf) == 1 + 1 + 3
    assert interpreter.size([shared, shared, [shared]]) == 1 + 2 * 11 + 12


def test_the_docs_state_the_limits():
    import os
    path = os.path.join(os.path.dirname(__file__), *[os.pardir] * 6, "docs", "waiting.md")
    with open(path, encoding="utf-8") as handle:
        text = " ".join(handle.read().split())
    assert "nested at most %d levels deep" % condition_limits.MAX_DEPTH in text
    assert "handles at most %d items" % condition_limits.MAX_WORK in text
    assert "strings (%d characters an item)" % condition_limits.CHARS_PER_ITEM in text


@pytest.mark.parametrize("expression, where, hint", [
    ("TaskStatus ==", "it ends where more was expected (after character 13)", "finish the expression"),
    ("percent(TaskProcess) > 50", "unexpected number 50 at character 24", "numbers are literals in backticks"),
    ("TaskStatus = 'Finished'", "unexpected '=' at character 12", "compare with =="),
    ("TaskStatus == 'Finished' and TaskProcess", "unexpected 'and' at character 26", "&&, ||, !"),
    ("TaskStatus == 'Finished", "the quote at character 15 is never closed", "close the string with a single quote"),
    ("TaskProcess > `50", "the quote at character 15 is never closed", "close the literal with a backtick"),
    ("a ||| b", "unexpected '|' at character 5", "jmespath.org"),
])
def test_a_syntax_error_is_one_line_with_the_place_and_a_hint(expression, where, hint):
    with pytest.raises(ConfigError) as info:
        compile_condition("success_condition", expression)
    message = str(info.value)
    # Before: jmespath's own three lines (message, expression, caret), with no fix.
    start = "success_condition %r is not valid JMESPath: %s; hint: " % (expression, where)
    assert "\n" not in message and message.startswith(start), message
    assert hint in message and info.value.option == "success_condition"
