# -*- coding: utf-8 -*-
"""WaitConfig.from_options: defaults, acceptors and one ConfigError per bad option."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter import config as waiter_config
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig, is_truthy


def config_error(options):
    with pytest.raises(ConfigError) as info:
        WaitConfig.from_options(options)
    return info.value


def test_defaults():
    config = WaitConfig.from_options({})
    assert config.target_states == ("Finished",)
    assert config.failure_states == ("Failed", "Deleted")
    assert config.pending_states is None and not config.strict
    assert config.mode == "all" and config.fail_on_failure is True
    assert config.continuous_target_occurrence == 1 and config.not_found_checks == 20
    assert config.timeout == 1800 and config.delay == 0
    assert (config.min_interval, config.max_interval, config.poll_interval) == (1, 30, None)
    assert config.backoff_factor == 0.1 and config.progress_interval == 60
    assert config.success_condition is None and not config.needs_attributes
    assert config.warnings == []
    assert config.details == "all" and config.wants_details("succeeded") and config.wants_details("failed")


@pytest.mark.parametrize("details, succeeded, failed", [("all", True, True), ("failed", False, True), ("none", False, False)])
def test_details_say_which_outcomes_get_attributes(details, succeeded, failed):
    config = WaitConfig.from_options({"details": details})
    assert config.details == details
    assert (config.wants_details("succeeded"), config.wants_details("failed")) == (succeeded, failed)


def test_none_means_default_and_unknown_keys_are_ignored():
    config = WaitConfig.from_options({"target_states": None, "timeout": None, "region": "cn-hangzhou"})
    assert config.target_states == ("Finished",) and config.timeout == 1800


def test_durations_accept_strings_and_numbers():
    config = WaitConfig.from_options({"timeout": "1h30m", "delay": 5, "min_interval": "500ms", "max_interval": "1m",
                                      "progress_interval": 0})
    assert (config.timeout, config.delay, config.min_interval, config.max_interval) == (5400, 5, 0.5, 60)
    assert config.progress_interval == 0


def test_acceptors_are_ordered_data():
    config = WaitConfig.from_options({"failure_condition": "TaskStatus == 'Paused'",
                                      "success_condition": "TaskProcess == '100%'", "pending_states": ["Waiting"]})
    kinds = [(acc.matcher, acc.outcome, acc.option) for acc in config.acceptors]
    assert kinds == [("condition", "failure", "failure_condition"), ("state", "failure", "failure_states"),
                     ("state", "success", "target_states"), ("condition", "success", "success_condition"),
                     ("state", "retry", "pending_states")]
    assert config.acceptors[-1].expected == frozenset(["Waiting", "Processing", "Paused"])
    assert config.strict


def test_poll_interval_accepts_the_default_backoff_factor():
    config = WaitConfig.from_options({"poll_interval": "15s", "backoff_factor": 0.1})
    assert config.poll_interval == 15


def test_empty_pending_states_is_lenient():
    assert not WaitConfig.from_options({"pending_states": []}).strict


def test_states_dedupe_and_accept_a_single_string():
    config = WaitConfig.from_options({"target_states": "Finished", "failure_states": ["Failed", "Failed"]})
    assert config.target_states == ("Finished",) and config.failure_states == ("Failed",)


def test_unknown_state_name_is_a_warning_not_an_error():
    config = WaitConfig.from_options({"failure_states": ["Failed", "Cancelled"]})
    assert len(config.warnings) == 1 and "'Cancelled'" in config.warnings[0]


def test_undocumented_state_warning_names_the_option():
    config = WaitConfig.from_options({"target_states": ["Finishd"], "pending_states": ["Cancelling"]})
    assert config.warnings == [
        "target_states lists 'Finishd', which ECS does not report (documented states: Finished, Failed, Deleted, "
        "Waiting, Processing, Paused); did you mean 'Finished'?",
        "pending_states lists 'Cancelling', which ECS does not report (documented states: Finished, Failed, Deleted, "
        "Waiting, Processing, Paused); check its spelling",
    ]


@pytest.mark.parametrize("options, unlisted", [
    ({}, None),
    ({"target_states": ["Finishd"]}, frozenset(["Finished"])),
    ({"failure_states": ["Failed"]}, frozenset(["Deleted"])),
    ({"target_states": ["Finishd"], "pending_states": ["Finished"]}, None),
    ({"target_states": [], "failure_states": [], "success_condition": "TaskStatus == 'Paused'"},
     frozenset(["Finished", "Failed", "Deleted"])),
])
def test_end_states_no_list_names_fail(options, unlisted):
    last = WaitConfig.from_options(options).acceptors[-1]
    if unlisted is None:
        assert last.option == "pending_states"
    else:
        assert (last.matcher, last.expected, last.outcome) == ("state", unlisted, "failure")
        assert last.option == waiter_config.UNLISTED_TERMINAL


@pytest.mark.parametrize("options, option, text", [
    ({"target_states": 5}, "target_states", "must be a list"),
    ({"target_states": ["Finished", ""]}, "target_states", "non-empty"),
    ({"failure_states": [None]}, "failure_states", "non-empty"),
    ({"target_states": ["finished"]}, "target_states", "use 'Finished'"),
    ({"target_states": []}, "target_states", "success_condition"),
    ({"target_states": ["Finished", "Failed"]}, "failure_states", "both target_states and failure_states"),
    ({"pending_states": ["Finished"]}, "pending_states", "both target_states and pending_states"),
    ({"pending_states": ["Deleted"]}, "pending_states", "both failure_states and pending_states"),
    ({"mode": "some"}, "mode", "'all'"),
    ({"continuous_target_occurrence": 0}, "continuous_target_occurrence", ">= 1"),
    ({"continuous_target_occurrence": True}, "continuous_target_occurrence", "integer"),
    ({"continuous_target_occurrence": "x"}, "continuous_target_occurrence", "integer"),
    ({"not_found_checks": -1}, "not_found_checks", ">= 0"),
    ({"timeout": 0}, "timeout", "longer than zero"),
    ({"timeout": "soon"}, "timeout", "not a duration"),
    ({"timeout": "-5m"}, "timeout", "negative"),
    ({"delay": "30m"}, "delay", "shorter than timeout"),
    ({"delay": [1]}, "delay", "duration"),
    ({"min_interval": 0}, "min_interval", "longer than zero"),
    ({"max_interval": 0}, "max_interval", "longer than zero"),
    ({"min_interval": "1m", "max_interval": "10s"}, "min_interval", "must not exceed max_interval"),
    ({"poll_interval": 0}, "poll_interval", "longer than zero"),
    ({"poll_interval": 5, "min_interval": 1}, "poll_interval", "min_interval"),
    ({"poll_interval": 5, "max_interval": 60}, "poll_interval", "max_interval"),
    ({"poll_interval": 5, "backoff_factor": 0.2}, "poll_interval", "backoff_factor"),
    ({"backoff_factor": 2}, "backoff_factor", "from 0 to 1"),
    ({"backoff_factor": "fast"}, "backoff_factor", "from 0 to 1"),
    ({"progress_interval": "often"}, "progress_interval", "not a duration"),
    ({"fail_on_failure": "yes"}, "fail_on_failure", "true or false"),
    ({"details": "some"}, "details", "'failed'"),
    ({"details": True}, "details", "'none'"),
    ({"success_condition": ""}, "success_condition", "non-empty"),
    ({"success_condition": "TaskStatus == "}, "success_condition", "not a valid JMESPath"),
    ({"failure_condition": "OperationProgressSet.OperationProgress[?ErrorCode != null]"}, "failure_condition",
     "`null`"),
    ({"success_condition": 'TaskStatus == "Finished"'}, "success_condition", "single quotes"),
])
def test_each_bad_option_is_named(options, option, text):
    error = config_error(options)
    assert error.option == option
    assert text in error.message


def test_jmespath_error_is_quoted():
    error = config_error({"failure_condition": "TaskStatus =="})
    assert "Incomplete expression" in error.message or "Invalid jmespath" in error.message


def test_condition_without_jmespath_says_how_to_install(monkeypatch):
    monkeypatch.setattr(waiter_config, "HAS_JMESPATH", False)
    error = config_error({"success_condition": "TaskStatus == 'Finished'"})
    assert error.option == "success_condition" and "pip install jmespath" in error.message
    # No condition, no need for the library.
    assert WaitConfig.from_options({}).target_states == ("Finished",)


def test_condition_only_success_is_allowed():
    config = WaitConfig.from_options({"target_states": [], "success_condition": "TaskStatus == 'Finished'"})
    assert config.target_states == () and config.describe_target() == "satisfy success_condition"


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
    assert waiter_config.percent(value) == number


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
    error = config_error({option: expression})
    assert error.option == option
    assert "unknown function %s" % unknown in error.message
    available = error.message.split("available functions: ", 1)[1].split(", ")
    assert "percent" in available and "to_number" in available and "contains" in available


def test_several_unknown_functions_are_all_named():
    error = config_error({"success_condition": "upper(a) == lower(b)"})
    assert "unknown functions lower(), upper()" in error.message
