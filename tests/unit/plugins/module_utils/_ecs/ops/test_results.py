# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import json

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError, CredentialError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.results import run_safely, secrets_for
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.redact import MASK, redact_result, redact_text

SECRET = "kT9-very-secret-value"
TOKEN = "sts-token-CAIS0123456789"


# ---------------------------------------------------------------- redaction

def test_redact_text_masks_every_occurrence():
    assert redact_text("a %s b %s" % (SECRET, SECRET), {SECRET}) == "a %s b %s" % (MASK, MASK)


def test_redact_text_masks_the_longer_secret_first():
    # One secret inside another: masking the short one first would leave the long one's ends showing.
    long_secret = "prefix-" + SECRET + "-suffix"
    assert redact_text("x " + long_secret, {SECRET, long_secret}) == "x " + MASK


@pytest.mark.parametrize("short", ["", "a", "ab", "abc"])
def test_redact_text_leaves_too_short_values_alone(short):
    text = "a cab and abc"
    assert redact_text(text, {short}) == text


def test_redact_result_reaches_into_nested_structures():
    result = {
        "msg": "failed with %s" % SECRET,
        "tasks": [{"related_items": {"url": "https://x/?SecurityToken=%s" % TOKEN}, "progress": 50}],
        "pair": ("keep", "token " + TOKEN),
        "deep": {"a": {"b": [[SECRET]]}},
        "count": 3, "flag": True, "nothing": None,
    }
    redacted = redact_result(result, [SECRET, TOKEN])
    text = json.dumps(redacted)
    assert SECRET not in text and TOKEN not in text
    assert redacted["msg"] == "failed with " + MASK
    assert redacted["tasks"][0]["related_items"]["url"] == "https://x/?SecurityToken=" + MASK
    assert redacted["tasks"][0]["progress"] == 50
    assert redacted["pair"] == ["keep", "token " + MASK]
    assert redacted["deep"] == {"a": {"b": [[MASK]]}}
    assert (redacted["count"], redacted["flag"], redacted["nothing"]) == (3, True, None)
    # The input is not changed.
    assert result["msg"] == "failed with %s" % SECRET


def test_redact_result_without_secrets_returns_the_value_itself():
    value = {"msg": "x"}
    assert redact_result(value, []) is value
    assert redact_result(value, [None, ""]) is value


# ---------------------------------------------------------------- where secrets come from

def test_secrets_for_joins_options_and_what_the_credentials_handed_out():
    params = {"secret_key": SECRET, "security_token": None, "access_key": "key-id"}
    assert secrets_for(params, {TOKEN}) == {SECRET, TOKEN}
    assert secrets_for({"secret_key": None}) == set()
    assert "key-id" not in secrets_for(params)


# ---------------------------------------------------------------- run_safely

def test_run_safely_returns_the_work_result_redacted():
    result = run_safely(lambda: {"tasks": [{"note": SECRET}], "changed": False}, lambda: {SECRET})
    assert result == {"tasks": [{"note": MASK}], "changed": False}


def test_config_error_becomes_a_failure_naming_the_option():
    def work():
        raise ConfigError("start_time: 'x' is not a time", option="start_time")
    assert run_safely(work) == {"msg": "start_time: 'x' is not a time", "option": "start_time",
                                "changed": False, "failed": True}


def test_credential_error_lists_the_sources_tried():
    def work():
        raise CredentialError("No credentials", tried=["environment (not set)", "metadata (disabled)"])
    result = run_safely(work)
    assert result["failed"] is True
    assert result["credential_sources_tried"] == ["environment (not set)", "metadata (disabled)"]


def test_api_error_keeps_its_fields_and_masks_a_secret_it_echoes():
    def work():
        raise ApiError("SignatureDoesNotMatch", "string to sign ... " + SECRET, request_id="R-1", http_status=400,
                       action="DescribeTasks", attempts=1)
    result = run_safely(work, lambda: {SECRET})
    assert result["failed"] is True and result["changed"] is False
    assert result["error_code"] == "SignatureDoesNotMatch"
    assert (result["request_id"], result["http_status"]) == ("R-1", 400)
    assert result["msg"].startswith("DescribeTasks failed: SignatureDoesNotMatch")
    assert SECRET not in json.dumps(result)
    assert MASK in result["msg"] and MASK in result["error_message"]


@pytest.mark.parametrize("error", [KeyError("TaskSet"), ZeroDivisionError("division by zero"), RuntimeError(SECRET)])
def test_an_unexpected_exception_is_a_clear_failure_without_traceback(error):
    def work():
        raise error
    result = run_safely(work, lambda: {SECRET})
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("Unexpected %s: " % type(error).__name__)
    assert "bug in alicloud.ecs" in result["msg"]
    assert "Traceback" not in json.dumps(result)
    assert SECRET not in json.dumps(result)
    assert set(result) == {"msg", "changed", "failed"}


def test_secrets_are_asked_for_after_the_work_ran():
    learned = set()

    def work():
        learned.add(SECRET)  # as a credentials provider would, on first use
        raise ConfigError("bad " + SECRET)
    assert run_safely(work, lambda: set(learned))["msg"] == "bad " + MASK


def test_run_safely_does_not_swallow_system_exit():
    # fail_json / exit_json end the module with SystemExit: that must pass through.
    def work():
        raise SystemExit(0)
    with pytest.raises(SystemExit):
        run_safely(work)


# ---------------------------------------------------------------- one redactor, every encoding

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.redact import Redactor
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.results import endpoint_password  # noqa: E402

ECHO_SECRET = "Ab/cd+ef=gh~ij/kl+MN=="


@pytest.mark.parametrize("echo", [
    ECHO_SECRET,
    ECHO_SECRET.replace("/", "%2F").replace("+", "%2B").replace("=", "%3D"),
    ECHO_SECRET.replace("/", "%2f").replace("+", "%2b").replace("=", "%3d"),
    ECHO_SECRET.replace("/", "%2F").replace("+", "%2b"),
    ECHO_SECRET.replace("/", "%252F").replace("+", "%252b"),
    ECHO_SECRET[3:17],
    __import__("base64").b64encode(ECHO_SECRET.encode()).decode(),
    __import__("base64").b64encode(b"user:" + ECHO_SECRET.encode()).decode(),
    __import__("base64").urlsafe_b64encode(b"xy" + ECHO_SECRET.encode()).decode(),
])
def test_redactor_masks_every_form_of_an_echo(echo):
    text = "the server said: <%s> and more" % echo
    masked = Redactor([ECHO_SECRET])(text)
    assert echo not in masked and MASK in masked and masked.startswith("the server said: <"), masked


def test_redactor_leaves_ordinary_text_alone():
    text = "DescribeTasks failed: InvalidTaskId.NotFound: t-bp1hvgwromzv32iq0001 100% done"
    assert Redactor([ECHO_SECRET, "a-token-of-some-length"])(text) == text


def test_redact_result_uses_the_one_redactor():
    assert redact_result({"m": "x " + ECHO_SECRET.replace("+", "%2b")}, [ECHO_SECRET]) == {"m": "x " + MASK}


@pytest.mark.parametrize("endpoint, password", [
    ("http://user:pa55word@host:8080", "pa55word"), ("https://tokenonly@host", "tokenonly"),
    ("http://host:8080", None), (None, None),
])
def test_endpoint_password(endpoint, password):
    assert endpoint_password(endpoint) == password


def test_secrets_for_includes_the_endpoint_password():
    assert "pa55word" in secrets_for({"endpoint": "http://u:pa55word@h"})
