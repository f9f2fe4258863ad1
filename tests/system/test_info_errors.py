# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every way an ecs_task_info query can go wrong: a clear failure, never a traceback or a secret.

The configuration errors run as one playbook over many hosts (one failing
query per host, in parallel, at -vvv) to keep the suite fast; the headline
cases also run on their own as ad-hoc commands.
"""

from __future__ import annotations

import json
import os
import tempfile

import pytest

from tests.standins.ports import refusing_port

MODULE = "alicloud.ecs.ecs_task_info"
PLAYBOOK = "playbooks/info_errors.yml"
WRONG_SECRET = "Wr0ng-Secret-Value-9f3k"
OTHER_SECRET = "An0ther-Secret-Value-5x"


def assert_clean_failure(result, output, *needles, flagged=True):
    """failed: true, a message holding each needle, no traceback, no secret, not the catch-all.

    ``flagged=False`` for results seen by a callback: Ansible 2.19 hands callbacks the
    result without its ``failed`` key (the run's status says it failed instead).
    """
    if flagged:
        assert result.get("failed") is True, result
    assert result.get("changed") is False, result
    msg = result.get("msg") or ""
    for needle in needles:
        assert needle in msg, "%r not in %r" % (needle, msg)
    assert "This is a bug" not in msg, msg
    assert "Traceback" not in output
    for secret in (WRONG_SECRET, OTHER_SECRET, "testsecret"):
        assert secret not in output
        assert secret not in json.dumps(result)


# name -> (the query's options, with "env" for its environment; needles of the message; extra fields expected)
CASES = {
    "wrong_secret_v3": (
        {"access_key": "testid", "secret_key": WRONG_SECRET, "signature_version": "v3"},
        ["SignatureDoesNotMatch", "module options", "server_string_to_sign"],
        {"error_code": "SignatureDoesNotMatch"},
    ),
    "wrong_secret_cli_profile": (
        # The profile's source has parentheses of its own: "profile 'prod' (mode AK) in ...".
        {"env": {"ALIBABA_CLOUD_ACCESS_KEY_ID": "", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "", "HOME": "{profile_home}"}},
        ["SignatureDoesNotMatch", "(credentials from profile 'prod' (mode AK) in {profile_home}/.aliyun/config.json)",
         "server_string_to_sign"],
        {"error_code": "SignatureDoesNotMatch"},
    ),
    "unknown_access_key": (
        {"access_key": "NoSuchKeyId", "secret_key": OTHER_SECRET},
        ["InvalidAccessKeyId.NotFound"],
        {"error_code": "InvalidAccessKeyId.NotFound"},
    ),
    "unknown_region": (
        {"region": "xx-nowhere-1"},
        ["InvalidRegionId.NotFound"],
        {"error_code": "InvalidRegionId.NotFound"},
    ),
    "malformed_region": (
        {"region": "cn_hangzhou/.."},
        ["region", "cn-hangzhou"],
        {"option": "region"},
    ),
    "no_region": (
        # An empty variable counts as unset.
        {"env": {"ALIBABA_CLOUD_REGION_ID": ""}},
        ["No region", "region", "ALIBABA_CLOUD_REGION_ID"],
        {"option": "region"},
    ),
    "no_credentials": (
        {"env": {"ALIBABA_CLOUD_ACCESS_KEY_ID": "", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "",
                 "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true", "HOME": "{empty_home}"}},
        ["No Alibaba Cloud credentials", "access_key", "ALIBABA_CLOUD_ACCESS_KEY_ID", "config.json", "metadata"],
        {},
    ),
    "refused_endpoint": (
        {"endpoint": "http://127.0.0.1:{closed_port}"},
        ["refused", "127.0.0.1:{closed_port}"],
        {"error_code": "ConnectionError"},
    ),
    "unreadable_endpoint_url": (
        {"endpoint": "http://[::1"},
        ["Invalid endpoint 'http://[::1'", "cannot be read as a URL", "http://127.0.0.1:8080"],
        {"option": "endpoint"},
    ),
    "unreadable_proxy_url": (
        {"env": {"HTTP_PROXY": "http://[::1", "NO_PROXY": ""}},
        ["HTTP_PROXY 'http://[::1' is not a URL that can be read", "http://proxy.example.com:3128"],
        {},
    ),
    "bad_endpoint_url": (
        {"endpoint": "htp:/nowhere"},
        ["endpoint", "htp:/nowhere"],
        {},
    ),
    "start_after_end": (
        {"task_ids": None, "start_time": "now", "end_time": "-1h"},
        ["start_time", "end_time", "after"],
        {"option": "start_time"},
    ),
    "bad_time": (
        {"task_ids": None, "end_time": "yesterday"},
        ["end_time", "yesterday", "-2h"],
        {"option": "end_time"},
    ),
    "ids_with_commas": (
        {"task_ids": ["t-one,t-two"]},
        ["task_ids", "t-one,t-two", "one id per list item"],
        {"option": "task_ids"},
    ),
    "ids_and_filters": (
        {"task_status": "Failed"},
        ["mutually exclusive", "task_ids", "task_status"],
        {},
    ),
    "status_not_filterable": (
        {"task_ids": None, "task_status": "Waiting"},
        ["task_status", "Finished, Processing, Failed"],
        {},
    ),
    "misspelt_action": (
        # DescribeTasks would answer an empty list, silently.
        {"task_ids": None, "task_action": "ExportImages"},
        ["task_action 'ExportImages'", "did you mean 'ExportImage'?"],
        {"option": "task_action"},
    ),
    "max_results_zero": (
        {"max_results": 0},
        ["max_results", "1 or more"],
        {"option": "max_results"},
    ),
}


def _case(options, task_id, fill):
    case = {"task_ids": [task_id]}
    for key, value in options.items():
        if key == "env":
            case["env"] = {name: text.format(**fill) for name, text in value.items()}
        elif value is None:
            case.pop(key, None)
        else:
            case[key] = value.format(**fill) if isinstance(value, str) else value
    return case


@pytest.fixture
def refused_port():
    with refusing_port() as port:
        yield port


def test_each_misconfiguration_fails_clearly_even_at_vvv(ansible, emulator, tmp_path, refused_port):
    task_id = emulator.create_tasks(duration=0)[0]
    fill = {"closed_port": refused_port, "empty_home": str(tmp_path / "empty-home"), "profile_home": str(tmp_path / "home")}
    os.mkdir(fill["empty_home"])
    os.makedirs(os.path.join(fill["profile_home"], ".aliyun"))
    with open(os.path.join(fill["profile_home"], ".aliyun", "config.json"), "w") as handle:
        json.dump({"current": "prod", "profiles": [{"name": "prod", "mode": "AK", "access_key_id": "testid",
                                                    "access_key_secret": WRONG_SECRET, "region_id": "cn-hangzhou"}]}, handle)
    hosts = {}
    for name, (options, _needles, _fields) in CASES.items():
        hosts[name] = {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}",
                       "case": _case(options, task_id, fill)}
    inventory = tmp_path / "cases.yml"
    inventory.write_text(json.dumps({"all": {"children": {"cases": {"hosts": hosts}}}}))

    run = ansible.playbook(PLAYBOOK, verbosity=3, args=("-i", str(inventory), "--forks", "8"))
    assert run.rc != 0, run
    status = {(entry["host"], entry["task"]): entry["status"] for entry in run.results}
    answers = {entry["host"]: entry["result"]["ansible_failed_result"]
               for entry in run.results if entry["task"] == "Show the failed result"}
    assert sorted(answers) == sorted(CASES), run
    for name, (_options, needles, fields) in CASES.items():
        assert status[(name, "Query that must fail")] == "failed", name
        assert status[(name, "Fail the host again, so the run fails")] == "failed", name
        result = answers[name]
        assert_clean_failure(result, run.output, *[needle.format(**fill) for needle in needles])
        for key, value in fields.items():
            assert result.get(key) == value, (name, key, result)
    # The wrong secret reached the service (and was refused there), the others never left the host.
    # The source is named in the message, and only the server's text is in server_string_to_sign.
    profile_error = answers["wrong_secret_cli_profile"]
    assert profile_error["server_string_to_sign"].endswith("Version%3D2014-05-26"), profile_error
    errors = emulator.stats()["errors"]
    assert errors.get("SignatureDoesNotMatch") == 2
    assert errors.get("InvalidAccessKeyId.NotFound") == 1
    assert errors.get("InvalidRegionId.NotFound") == 1
    tried = answers["no_credentials"]["credential_sources_tried"]
    assert len(tried) >= 4 and any("metadata" in source for source in tried)


def test_wrong_secret_from_the_environment_adhoc(ansible, emulator):
    task_id = emulator.create_tasks(duration=0)[0]
    run = ansible.adhoc(MODULE, {"task_ids": [task_id], "signature_version": "v1"}, verbosity=3,
                        env={"ALIBABA_CLOUD_ACCESS_KEY_SECRET": WRONG_SECRET})
    assert run.rc != 0, run
    assert run.results[-1]["status"] == "failed" and "FAILED!" in run.stdout
    result = run.results[-1]["result"]
    assert_clean_failure(result, run.output, "SignatureDoesNotMatch",
                         "credentials from environment ALIBABA_CLOUD_ACCESS_KEY_ID", flagged=False)
    assert result["error_code"] == "SignatureDoesNotMatch"
    # The server's string to sign, once, in its own field; not in the message.
    assert "HMAC-SHA1" in result["server_string_to_sign"] and "HMAC-SHA1" not in result["msg"]
    assert run.output.count("SignatureMethod%3DHMAC-SHA1") == 1
    assert emulator.stats()["calls"] == {"DescribeTasks": 1}  # refused for good: not retried


def test_no_credentials_at_all_adhoc(ansible, emulator):
    home = tempfile.mkdtemp(prefix="alicloud-ecs-empty-home-")
    try:
        run = ansible.adhoc(MODULE, {"task_ids": ["t-bp1hvgwromzv32iq0001"]}, verbosity=3, env={
            "ALIBABA_CLOUD_ACCESS_KEY_ID": None, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": None,
            "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true", "HOME": home,
        })
    finally:
        os.rmdir(home)
    assert run.rc != 0, run
    assert run.results[-1]["status"] == "failed" and "FAILED!" in run.stdout
    result = run.results[-1]["result"]
    assert_clean_failure(result, run.output, "No Alibaba Cloud credentials", "Tried, in order",
                         os.path.join(home, ".aliyun", "config.json"), "ECS instance metadata", flagged=False)
    assert emulator.stats()["calls"] == {}
