# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input: every case fails with a clear message naming what is wrong, and never a traceback.

The cases of one module run as the tasks of ONE playbook (``ignore_errors``),
so the whole table costs one ansible-playbook process per module; each case
is then checked from the recorded results.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.reliability.conftest import assert_no_traceback, fast_ansible, role_in_git, run_playbook

NO_ENV_CREDS = {"ALIBABA_CLOUD_ACCESS_KEY_ID": "", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": ""}
NO_REGION = {"ALIBABA_CLOUD_REGION_ID": ""}


class Case(object):
    """One bad input: the task's arguments, and the words its failure message must hold."""

    def __init__(self, case_id, args, expect, env=None, home=None, run_async=False, ok=False, warn=None):
        self.case_id = case_id
        self.args = args
        self.expect = expect if isinstance(expect, (list, tuple)) else [expect]
        self.env = env
        self.home = home  # name of a prepared HOME (files under ~/.aliyun)
        self.run_async = run_async
        self.ok = ok  # accepted on purpose (normalised); checked by its own test
        self.warn = warn  # words a warning line (shown before the first poll) must hold

    def task(self, homes):
        task = {"name": self.case_id, self.module: self.args, "ignore_errors": True, "register": "r_" + self.case_id}
        env = dict(self.env or {})
        if self.home:
            env.update(NO_ENV_CREDS, HOME=homes[self.home])
        if env:
            task["environment"] = env
        if self.run_async:
            task.update({"async": 60, "poll": 1})
        return task


class Info(Case):
    module = "alicloud.ecs.ecs_task_info"


class Wait(Case):
    module = "alicloud.ecs.ecs_task_wait"


INFO_CASES = [
    Info("info_empty_id", {"task_ids": [""]}, "task_ids[0] is empty"),
    Info("info_blank_id", {"task_ids": ["t-1", "   "]}, "task_ids[1] is empty"),
    Info("info_comma_ids", {"task_ids": ["t-1,t-2"]}, ["task_ids[0]", "comma"]),
    Info("info_space_in_id", {"task_ids": ["t-1 t-2"]}, "task_ids[0]"),
    Info("info_id_is_a_dict", {"task_ids": [{"id": "t-1"}]}, "task_ids"),
    Info("info_ids_is_a_dict", {"task_ids": {"id": "t-1"}}, "task_ids"),
    Info("info_non_ascii_id", {"task_ids": ["t-任务一"]}, "task_ids[0]"),
    Info("info_ids_and_action", {"task_ids": ["t-1"], "task_action": "ExportImage"}, ["task_ids", "task_action"]),
    Info("info_ids_and_start", {"task_ids": ["t-1"], "start_time": "-1h"}, ["task_ids", "start_time"]),
    Info("info_unknown_status", {"task_status": "Running"}, "task_status"),
    Info("info_unfilterable_status", {"task_status": "Deleted"}, "task_status"),
    Info("info_bad_start", {"task_status": "Finished", "start_time": "yesterday-ish"}, "start_time"),
    Info("info_bad_end", {"end_time": "2026-13-45"}, "end_time"),
    Info("info_non_ascii_start", {"start_time": "昨天"}, "start_time"),
    Info("info_start_after_end", {"start_time": "2026-01-02T00:00:00Z", "end_time": "2026-01-01T00:00:00Z"},
         ["start_time", "end_time"]),
    Info("info_max_results_zero", {"task_status": "Finished", "max_results": 0}, "max_results"),
    Info("info_max_results_word", {"max_results": "many"}, "max_results"),
    Info("info_details_word", {"details": "perhaps"}, "details"),
    Info("info_unknown_option", {"task_ids": ["t-1"], "colour": "red"}, "colour"),
    Info("info_no_region", {"task_ids": ["t-1"]}, "region", env=NO_REGION),
    Info("info_bad_region", {"task_ids": ["t-1"], "region": "cn hangzhou!"}, "region"),
    Info("info_non_ascii_region", {"task_ids": ["t-1"], "region": "华东1"}, "region"),
    Info("info_endpoint_not_url", {"task_ids": ["t-1"], "endpoint": "not a url"}, "endpoint"),
    Info("info_endpoint_ftp", {"task_ids": ["t-1"], "endpoint": "ftp://127.0.0.1:21"}, "endpoint"),
    Info("info_endpoint_path", {"task_ids": ["t-1"], "endpoint": "http://127.0.0.1:1/ecs?x=1"}, "endpoint"),
    Info("info_endpoint_port", {"task_ids": ["t-1"], "endpoint": "http://127.0.0.1:99999"}, "endpoint"),
    Info("info_signature_v2", {"task_ids": ["t-1"], "signature_version": "v2"}, "signature_version"),
    Info("info_key_without_secret", {"task_ids": ["t-1"], "access_key": "someid"}, ["access_key", "secret_key"]),
    Info("info_token_alone", {"task_ids": ["t-1"], "security_token": "some-token"}, "security_token"),
    Info("info_no_credentials", {"task_ids": ["t-1"]}, "ALIBABA_CLOUD_ACCESS_KEY_ID", home="empty"),
    Info("info_unknown_profile", {"task_ids": ["t-1"], "profile": "nope"}, ["nope", "profile"], home="good"),
    Info("info_non_ascii_profile", {"task_ids": ["t-1"], "profile": "配置"}, ["配置", "profile"], home="good"),
    Info("info_malformed_profile_file", {"task_ids": ["t-1"]}, ["config.json", "not valid JSON"], home="malformed"),
    Info("info_unreadable_profile_file", {"task_ids": ["t-1"]}, ["config.json", "Cannot read"], home="unreadable"),
    Info("info_profile_without_secret", {"task_ids": ["t-1"], "profile": "half"}, ["half", "access_key_secret"], home="good"),
    Info("info_missing_ini", {"task_ids": ["t-1"], "shared_credentials_file": "/nonexistent/credentials.ini"},
         "/nonexistent/credentials.ini", home="empty"),
    Info("info_request_timeout_zero", {"task_ids": ["t-1"], "request_timeout": 0}, "request_timeout"),
    Info("info_request_timeout_word", {"task_ids": ["t-1"], "request_timeout": "soon"}, "request_timeout"),
    Info("info_validate_certs_word", {"task_ids": ["t-1"], "validate_certs": "maybe"}, "validate_certs"),
    # Accepted on purpose: duplicates are folded, the upper snake case action is understood.
    Info("info_duplicates_folded", {"task_ids": ["{{ ids[0] }}", "{{ ids[0] }}", " {{ ids[0] }} "]}, [], ok=True),
    Info("info_action_alias", {"task_action": "EXPORT_IMAGE"}, [], ok=True),
    Info("info_non_ascii_action", {"task_action": "导出镜像"}, [], ok=True),
]

WAIT_CASES = [
    Wait("wait_no_ids", {"timeout": 5}, "task_ids"),
    Wait("wait_empty_ids", {"task_ids": []}, "task_ids is empty"),
    Wait("wait_empty_id", {"task_ids": [""]}, "task_ids[0] is empty"),
    Wait("wait_comma_ids", {"task_ids": ["t-1,t-2"]}, "task_ids[0]"),
    Wait("wait_non_ascii_id", {"task_ids": ["t-任务一"]}, "task_ids[0]"),
    Wait("wait_timeout_word", {"task_ids": ["t-1"], "timeout": "5x"}, "timeout"),
    Wait("wait_timeout_negative", {"task_ids": ["t-1"], "timeout": -5}, "timeout"),
    Wait("wait_timeout_zero", {"task_ids": ["t-1"], "timeout": 0}, "timeout"),
    Wait("wait_timeout_non_ascii", {"task_ids": ["t-1"], "timeout": "五分钟"}, "timeout"),
    Wait("wait_timeout_list", {"task_ids": ["t-1"], "timeout": [1, 2]}, "timeout"),
    Wait("wait_timeout_infinite", {"task_ids": ["t-1"], "timeout": "inf"}, "timeout"),
    Wait("wait_delay_word", {"task_ids": ["t-1"], "delay": "soon"}, "delay"),
    Wait("wait_delay_past_timeout", {"task_ids": ["t-1"], "delay": "10m", "timeout": "5m"}, ["delay", "timeout"]),
    Wait("wait_min_over_max", {"task_ids": ["t-1"], "min_interval": "1m", "max_interval": "10s"}, ["min_interval", "max_interval"]),
    Wait("wait_min_interval_zero", {"task_ids": ["t-1"], "min_interval": 0}, "min_interval"),
    Wait("wait_poll_and_min", {"task_ids": ["t-1"], "poll_interval": 5, "min_interval": 1}, ["poll_interval", "min_interval"]),
    Wait("wait_poll_and_backoff", {"task_ids": ["t-1"], "poll_interval": 5, "backoff_factor": 0.5}, ["poll_interval", "backoff_factor"]),
    Wait("wait_poll_zero", {"task_ids": ["t-1"], "poll_interval": "0s"}, "poll_interval"),
    Wait("wait_backoff_negative", {"task_ids": ["t-1"], "backoff_factor": -1}, "backoff_factor"),
    Wait("wait_backoff_word", {"task_ids": ["t-1"], "backoff_factor": "fast"}, "backoff_factor"),
    Wait("wait_mode_some", {"task_ids": ["t-1"], "mode": "some"}, "mode"),
    # A state ECS does not document is only a warning (ECS may add states), so these wait for the timeout;
    # one a typo away from a documented state fails before any call.
    Wait("wait_unknown_target", {"task_ids": "{{ ids }}", "target_states": ["Done"], "timeout": 2},
         ["neither in target_states", "'Done'", "'Finished'"], warn="did you mean 'Finished'?"),
    Wait("wait_misspelt_target", {"task_ids": ["t-1"], "target_states": ["Finishd"]},
         ["target_states lists 'Finishd'", "did you mean 'Finished'?"]),
    Wait("wait_target_case", {"task_ids": ["t-1"], "target_states": ["finished"]}, ["target_states", "Finished"]),
    Wait("wait_unknown_failure", {"task_ids": "{{ ids }}", "target_states": ["Processing"], "failure_states": ["Oops"], "timeout": 2},
         ["neither in target_states", "'Finished'", "'Oops'"], warn="'Oops'"),
    Wait("wait_empty_pending", {"task_ids": ["t-1"], "pending_states": [""]}, "pending_states"),
    Wait("wait_target_and_failure", {"task_ids": ["t-1"], "target_states": ["Failed"]}, ["target_states", "failure_states"]),
    Wait("wait_no_target", {"task_ids": ["t-1"], "target_states": []}, "target_states"),
    Wait("wait_non_ascii_target", {"task_ids": "{{ ids }}", "target_states": ["完成"], "timeout": 2}, ["neither in target_states", "'完成'"], warn="'完成'"),
    Wait("wait_bad_jmespath", {"task_ids": ["t-1"], "success_condition": "TaskStatus =="}, "success_condition"),
    Wait("wait_bad_failure_jmespath", {"task_ids": ["t-1"], "failure_condition": "[["}, "failure_condition"),
    Wait("wait_non_ascii_jmespath", {"task_ids": ["t-1"], "success_condition": "状态 == 'x'"}, "success_condition"),
    Wait("wait_jmespath_quotes", {"task_ids": ["t-1"], "success_condition": 'TaskStatus == "Finished"'}, "success_condition"),
    Wait("wait_occurrence_zero", {"task_ids": ["t-1"], "continuous_target_occurrence": 0}, "continuous_target_occurrence"),
    Wait("wait_occurrence_word", {"task_ids": ["t-1"], "continuous_target_occurrence": "two"}, "continuous_target_occurrence"),
    Wait("wait_not_found_negative", {"task_ids": ["t-1"], "not_found_checks": -1}, "not_found_checks"),
    Wait("wait_fail_on_failure_word", {"task_ids": ["t-1"], "fail_on_failure": "sometimes"}, "fail_on_failure"),
    Wait("wait_progress_interval_word", {"task_ids": ["t-1"], "progress_interval": "x"}, "progress_interval"),
    Wait("wait_display_interval_negative", {"task_ids": ["t-1"], "display_interval": "-3s"}, "display_interval"),
    Wait("wait_unknown_option", {"task_ids": ["t-1"], "timeout_seconds": 5}, "timeout_seconds"),
    Wait("wait_no_region", {"task_ids": ["t-1"]}, "region", env=NO_REGION),
    Wait("wait_non_ascii_region", {"task_ids": ["t-1"], "region": "华东1"}, "region"),
    Wait("wait_bad_endpoint", {"task_ids": ["t-1"], "endpoint": "http://exa mple.com"}, "endpoint"),
    Wait("wait_non_ascii_endpoint_path", {"task_ids": ["t-1"], "endpoint": "http://127.0.0.1:1/路径"}, "endpoint"),
    Wait("wait_signature_case", {"task_ids": ["t-1"], "signature_version": "V3"}, "signature_version"),
    Wait("wait_key_without_secret", {"task_ids": ["t-1"], "access_key": "someid"}, ["access_key", "secret_key"]),
    Wait("wait_request_timeout_over", {"task_ids": ["t-1"], "request_timeout": 601}, "request_timeout"),
    Wait("wait_unknown_profile", {"task_ids": ["t-1"], "profile": "nope"}, ["nope", "profile"], home="good", run_async=True),
    Wait("wait_malformed_profile_file", {"task_ids": ["t-1"]}, ["config.json", "not valid JSON"], home="malformed", run_async=True),
    Wait("wait_unreadable_profile_file", {"task_ids": ["t-1"]}, ["config.json", "Cannot read"], home="unreadable", run_async=True),
    Wait("wait_async_bad_timeout", {"task_ids": ["t-1"], "timeout": "5x"}, "timeout", run_async=True),
    # Accepted on purpose: duplicates are folded into one record.
    Wait("wait_duplicates_folded", {"task_ids": ["{{ ids[0] }}", "{{ ids[0] }}"], "timeout": 30}, [], ok=True),
]

ROLE_CASES = [
    # (case id, role variables without the wait_for_tasks_ prefix, task environment, words the failure must hold)
    ("role_no_ids", {}, None, "wait_for_tasks_task_ids"),
    ("role_ids_not_a_list", {"task_ids": {"id": "t-1"}}, None, "wait_for_tasks_task_ids"),
    ("role_empty_ids", {"task_ids": []}, None, "task_ids is empty"),
    ("role_non_ascii_id", {"task_ids": ["t-任务一"]}, None, "task_ids[0]"),
    ("role_bad_timeout", {"task_ids": ["t-1"], "timeout": "5x"}, None, "timeout"),
    ("role_state_case", {"task_ids": ["t-1"], "target_states": ["finished"]}, None, "target_states"),
    ("role_states_overlap", {"task_ids": ["t-1"], "failure_states": ["Finished"]}, None, "failure_states"),
    ("role_poll_zero", {"task_ids": ["t-1"], "poll_interval": 0}, None, "poll_interval"),
    ("role_fail_fast_word", {"task_ids": ["t-1"], "fail_fast": "sometimes"}, None, "wait_for_tasks_fail_fast"),
    ("role_no_region", {"task_ids": ["t-1"]}, NO_REGION, "region"),
]

PROFILES = {
    "current": "good",
    "profiles": [
        {"name": "good", "mode": "AK", "access_key_id": "testid", "access_key_secret": "testsecret", "region_id": "cn-hangzhou"},
        {"name": "half", "mode": "AK", "access_key_id": "testid", "region_id": "cn-hangzhou"},
    ],
}


def make_homes(base):
    """HOME directories under ``base``: a good profile file, a malformed one, an unreadable one (a directory), none."""
    paths = {}
    for name in ("good", "malformed", "unreadable", "empty"):
        home = os.path.join(str(base), name)
        os.makedirs(os.path.join(home, ".aliyun"))
        paths[name] = home
    with open(os.path.join(paths["good"], ".aliyun", "config.json"), "w") as handle:
        json.dump(PROFILES, handle)
    with open(os.path.join(paths["malformed"], ".aliyun", "config.json"), "w") as handle:
        handle.write('{"current": "good", "profiles": [{"name": "good",,}')
    # Root reads any file whatever its mode, so a directory in the file's place stands for "unreadable".
    os.mkdir(os.path.join(paths["unreadable"], ".aliyun", "config.json"))
    return paths


@pytest.fixture(scope="module")
def homes(tmp_path_factory):
    return make_homes(tmp_path_factory.mktemp("homes"))


def _playbook(cases, homes, ids):
    play = {"hosts": "localhost", "gather_facts": False, "vars": {"ids": ids},
            "tasks": [case.task(homes) for case in cases]}
    # JSON is YAML; ASCII escapes keep the file independent of the locale's encoding.
    return json.dumps([play], indent=1)


def _run_table(server, cases, homes):
    server.reset()
    ids = server.create_tasks(count=1, duration=0)
    run = run_playbook(fast_ansible(server), _playbook(cases, homes, ids), timeout=240)
    assert run.rc == 0, run  # every failure was ignored; anything else is a crash
    assert_no_traceback(run)
    return run


@pytest.fixture(scope="module")
def info_run(emulator_server, homes):
    return _run_table(emulator_server, INFO_CASES, homes)


@pytest.fixture(scope="module")
def wait_run(emulator_server, homes):
    return _run_table(emulator_server, WAIT_CASES, homes)


def _check_failure(run, case):
    result = run.result(case.case_id)
    assert run.status(case.case_id) == "ignored", (case.case_id, result)  # it failed, and the failure was ignored
    msg = result.get("msg", "")
    for words in case.expect:
        assert words in msg, "%s: %r not in the message %r" % (case.case_id, words, msg)
    assert "Traceback" not in json.dumps(result, ensure_ascii=False), result
    if case.warn:
        # Shown once, as a progress line: not again among the result's warnings.
        assert any("ecs_task_wait: warning: " in line and case.warn in line for line in run.stdout.splitlines()), case.case_id
        assert not any(case.warn in warning for warning in result.get("warnings", [])), (case.case_id, result.get("warnings"))


def _failing(cases):
    return [pytest.param(case, id=case.case_id) for case in cases if not case.ok]


def test_the_table_is_big_enough():
    assert len(_failing(INFO_CASES)) + len(_failing(WAIT_CASES)) + len(ROLE_CASES) >= 40
    assert len({case.case_id for case in INFO_CASES + WAIT_CASES} | {case[0] for case in ROLE_CASES}) == \
        len(INFO_CASES) + len(WAIT_CASES) + len(ROLE_CASES)


@pytest.mark.parametrize("case", _failing(INFO_CASES))
def test_info_bad_input(info_run, case):
    _check_failure(info_run, case)


@pytest.mark.parametrize("case", _failing(WAIT_CASES))
def test_wait_bad_input(wait_run, case):
    _check_failure(wait_run, case)


def test_accepted_inputs_are_normalised(info_run, wait_run):
    folded = info_run.result("info_duplicates_folded")
    assert not folded.get("failed"), folded
    assert len(folded["tasks"]) == 1 and folded["missing"] == []
    alias = info_run.result("info_action_alias")
    assert not alias.get("failed") and alias["tasks"] and {t["task_action"] for t in alias["tasks"]} == {"ExportImage"}, alias
    # An action no task has matches nothing: an empty answer, not an error.
    foreign = info_run.result("info_non_ascii_action")
    assert not foreign.get("failed") and foreign["tasks"] == [], foreign
    waited = wait_run.result("wait_duplicates_folded")
    assert not waited.get("failed"), waited
    assert len(waited["tasks"]) == 1 and waited["succeeded"] == [waited["tasks"][0]["task_id"]]


@pytest.fixture(scope="module")
def role_run(emulator_server):
    if not role_in_git("wait_for_tasks"):
        pytest.skip("roles/wait_for_tasks is not committed yet")
    emulator_server.reset()
    tasks = []
    for case_id, role_vars, env, dummy in ROLE_CASES:
        # A marker before each case: the role's task names repeat, so results are told apart by position.
        tasks.append({"name": "case " + case_id, "ansible.builtin.debug": {"msg": case_id}})
        include = {"name": case_id, "ansible.builtin.include_role": {"name": "alicloud.ecs.wait_for_tasks",
                                                                     "apply": {"ignore_errors": True}},
                   "vars": dict({"wait_for_tasks_" + key: value for key, value in role_vars.items()},
                                wait_for_tasks_reports=False)}
        if env:
            include["ansible.builtin.include_role"]["apply"]["environment"] = env
        tasks.append(include)
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    run = run_playbook(fast_ansible(emulator_server), json.dumps(play, indent=1), timeout=240)
    assert run.rc == 0, run
    assert_no_traceback(run)
    return run


def _first_failure_after(run, marker):
    names = [entry["task"] for entry in run.results]
    assert marker in names, (marker, names)
    for entry in run.results[names.index(marker) + 1:]:
        if entry["task"].startswith("case "):
            break
        if entry["status"] in ("failed", "ignored"):
            return entry["result"]
    raise AssertionError("no failure after %r: %s" % (marker, names))


@pytest.mark.parametrize("case_id, role_vars, env, words", ROLE_CASES, ids=[case[0] for case in ROLE_CASES])
def test_role_bad_input(role_run, case_id, role_vars, env, words):
    result = _first_failure_after(role_run, "case " + case_id)
    assert words in str(result.get("msg", "")), (case_id, result)
