# -*- coding: utf-8 -*-
"""WaitConfig.from_options: defaults and one ConfigError per bad option (the acceptors: test_acceptors.py)."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig


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
    assert config.warnings == ()
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


def test_poll_interval_accepts_the_default_backoff_factor():
    config = WaitConfig.from_options({"poll_interval": "15s", "backoff_factor": 0.1})
    assert config.poll_interval == 15


def test_empty_pending_states_is_lenient():
    assert not WaitConfig.from_options({"pending_states": []}).strict


def test_the_config_is_frozen():
    config = WaitConfig.from_options({})
    with pytest.raises(AttributeError):
        config.timeout = 5  # type: ignore[misc]


def test_states_dedupe_and_accept_a_single_string():
    config = WaitConfig.from_options({"target_states": "Finished", "failure_states": ["Failed", "Failed"]})
    assert config.target_states == ("Finished",) and config.failure_states == ("Failed",)


def test_unknown_state_name_is_a_warning_not_an_error():
    config = WaitConfig.from_options({"failure_states": ["Failed", "Cancelled"]})
    assert len(config.warnings) == 1 and "'Cancelled'" in config.warnings[0]


def test_undocumented_state_warning_names_the_option_and_the_state_meant():
    config = WaitConfig.from_options({"target_states": ["Done"], "pending_states": ["Cancelling"]})
    assert config.warnings == (
        "target_states lists 'Done', which ECS does not report (it reports Finished, Failed, Deleted, "
        "Waiting, Processing, Paused, Pending); did you mean 'Finished'?",
        "pending_states lists 'Cancelling', which ECS does not report (it reports Finished, Failed, Deleted, "
        "Waiting, Processing, Paused, Pending); no task will match it unless ECS adds that state",
    )


@pytest.mark.parametrize("state, meant", [("Completed", "Finished"), ("Running", "Processing"), ("Cancelled", "Deleted"),
                                          ("Failure", "Failed"), ("Processed", "Processing")])
def test_a_word_of_another_api_suggests_the_ecs_state(state, meant):
    config = WaitConfig.from_options({"pending_states": [state]})
    assert config.warnings[0].endswith("did you mean %r?" % meant), config.warnings


@pytest.mark.parametrize("option, state, meant", [("target_states", "Finishd", "Finished"), ("target_states", "Finish", "Finished"),
                                                  ("failure_states", "Fialed", "Failed"), ("pending_states", "Procesing", "Processing"),
                                                  ("pending_states", "Waitng", "Waiting")])
def test_a_typo_of_a_state_fails_before_any_call(option, state, meant):
    """A near miss can never match: it would only show at the timeout (target) or never (failure)."""
    with pytest.raises(ConfigError) as info:
        WaitConfig.from_options({option: [state]})
    assert info.value.option == option
    assert info.value.message.startswith("%s lists %r, which is not a state ECS reports: did you mean %r?"
                                         % (option, state, meant)), info.value.message


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
    ({"success_condition": "TaskStatus == "}, "success_condition", "is not valid JMESPath"),
    ({"failure_condition": "OperationProgressSet.OperationProgress[?ErrorCode != null]"}, "failure_condition",
     "`null`"),
    ({"success_condition": 'TaskStatus == "Finished"'}, "success_condition", "single quotes"),
])
def test_each_bad_option_is_named(options, option, text):
    error = config_error(options)
    assert error.option == option
    assert text in error.message


def test_jmespath_error_says_where_in_one_line():
    error = config_error({"failure_condition": "TaskStatus =="})
    assert error.message.startswith("failure_condition 'TaskStatus ==' is not valid JMESPath: it ends where more was "
                                    "expected (after character 13); hint: ") and "\n" not in error.message


def test_condition_only_success_is_allowed():
    config = WaitConfig.from_options({"target_states": [], "success_condition": "TaskStatus == 'Finished'"})
    assert config.target_states == () and config.describe_target() == "satisfy success_condition"
