# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import copy

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.options import (
    COMMON_ARGUMENT_SPEC,
    ENV_FALLBACKS,
    build_argument_spec,
    resolve_common_options,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError

REGION_VARIABLES = ("ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION", "ALICLOUD_REGION_ID")


def params(**overrides):
    """Module params as AnsibleModule hands them over: every common option present."""
    values = {name: spec.get("default") for name, spec in COMMON_ARGUMENT_SPEC.items()}
    values.update(overrides)
    return values


# ---------------------------------------------------------------- the spec

def test_common_options_and_aliases_are_the_public_contract():
    aliases = {name: spec.get("aliases", []) for name, spec in COMMON_ARGUMENT_SPEC.items()}
    assert aliases == {
        "region": ["region_id", "alicloud_region"],
        "access_key": ["access_key_id", "alicloud_access_key"],
        "secret_key": ["access_key_secret", "alicloud_secret_key"],
        "security_token": ["alicloud_security_token"],
        "profile": [], "shared_credentials_file": [], "ecs_role_name": [], "endpoint": [],
        "validate_certs": [], "signature_version": [], "request_timeout": [], "oss_endpoint": [],
    }
    assert COMMON_ARGUMENT_SPEC["validate_certs"]["default"] is True
    assert COMMON_ARGUMENT_SPEC["signature_version"]["choices"] == ["v1", "v3"]
    assert COMMON_ARGUMENT_SPEC["signature_version"]["default"] == "v1"


def test_secrets_are_no_log():
    assert COMMON_ARGUMENT_SPEC["secret_key"]["no_log"] is True
    assert COMMON_ARGUMENT_SPEC["security_token"]["no_log"] is True
    assert not any(spec.get("no_log") for name, spec in COMMON_ARGUMENT_SPEC.items()
                   if name not in ("secret_key", "security_token"))


def test_build_argument_spec_adds_module_options_to_a_fresh_copy():
    extra = {"task_ids": {"type": "list", "elements": "str"}}
    spec = build_argument_spec(extra)
    assert set(spec) == set(COMMON_ARGUMENT_SPEC) | {"task_ids"}
    spec["region"]["aliases"].append("mutated")
    spec["task_ids"]["elements"] = "int"
    assert "mutated" not in COMMON_ARGUMENT_SPEC["region"]["aliases"]
    assert extra["task_ids"]["elements"] == "str"
    assert build_argument_spec() == COMMON_ARGUMENT_SPEC


def test_build_argument_spec_refuses_to_redefine_a_common_option():
    before = copy.deepcopy(COMMON_ARGUMENT_SPEC)
    with pytest.raises(ValueError, match="region is already a common option"):
        build_argument_spec({"region": {"type": "str"}})
    assert COMMON_ARGUMENT_SPEC == before


# ---------------------------------------------------------------- environment fallbacks

@pytest.mark.parametrize("empty", ["", "   ", "\t"])
def test_empty_variables_count_as_unset(empty):
    env = {"ALIBABA_CLOUD_REGION_ID": empty, "ALICLOUD_REGION": " cn-beijing ", "ALIBABA_CLOUD_ECS_ENDPOINT": empty}
    resolved = resolve_common_options(params(), env=env)
    assert resolved["region"] == "cn-beijing"
    assert resolved["endpoint"] is None


def test_region_variables_are_the_documented_ones_in_order():
    assert ENV_FALLBACKS["region"] == REGION_VARIABLES
    assert ENV_FALLBACKS["endpoint"] == ("ALIBABA_CLOUD_ECS_ENDPOINT",)


@pytest.mark.parametrize("variable", REGION_VARIABLES)
def test_each_region_variable_is_used(variable):
    assert resolve_common_options(params(), env={variable: "cn-qingdao"})["region"] == "cn-qingdao"


def test_region_variables_in_order_first_wins():
    env = {"ALICLOUD_REGION_ID": "cn-shanghai", "ALICLOUD_REGION": "cn-beijing", "ALIBABA_CLOUD_REGION_ID": ""}
    assert resolve_common_options(params(), env=env)["region"] == "cn-beijing"


def test_the_option_wins_over_the_environment():
    env = {"ALIBABA_CLOUD_REGION_ID": "cn-beijing", "ALIBABA_CLOUD_ECS_ENDPOINT": "http://127.0.0.1:1"}
    resolved = resolve_common_options(params(region="cn-hangzhou", endpoint="http://127.0.0.1:2"), env=env)
    assert resolved["region"] == "cn-hangzhou"
    assert resolved["endpoint"] == "http://127.0.0.1:2"


@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_option_counts_as_unset(empty):
    env = {"ALIBABA_CLOUD_REGION_ID": "cn-beijing", "ALIBABA_CLOUD_ECS_ENDPOINT": "http://127.0.0.1:9"}
    resolved = resolve_common_options(params(region=empty, endpoint=empty), env=env)
    assert resolved["region"] == "cn-beijing"
    assert resolved["endpoint"] == "http://127.0.0.1:9"


def test_endpoint_stays_unset_without_option_or_variable():
    resolved = resolve_common_options(params(region="cn-hangzhou"), env={"ALIBABA_CLOUD_ECS_ENDPOINT": ""})
    assert resolved["endpoint"] is None


def test_region_is_stripped_and_params_are_not_changed():
    given = params(region="  cn-hangzhou ")
    resolved = resolve_common_options(given, env={})
    assert resolved["region"] == "cn-hangzhou"
    assert given["region"] == "  cn-hangzhou "
    assert resolved is not given


@pytest.mark.parametrize("env", [{}, {"ALIBABA_CLOUD_REGION_ID": "", "ALICLOUD_REGION": " ", "ALICLOUD_REGION_ID": ""}])
def test_missing_region_names_the_option_and_every_variable(env):
    with pytest.raises(ConfigError) as caught:
        resolve_common_options(params(), env=env)
    assert caught.value.option == "region"
    message = str(caught.value)
    assert "region option" in message and "cn-hangzhou" in message
    for variable in REGION_VARIABLES:
        assert variable in message


# ---------------------------------------------------------------- request_timeout

@pytest.mark.parametrize("timeout", [0.001, 1, 20.0, 600])
def test_request_timeout_in_range(timeout):
    assert resolve_common_options(params(region="cn-hangzhou", request_timeout=timeout), env={})["request_timeout"] == timeout


@pytest.mark.parametrize("timeout", [0, -1, 600.5, 3600])
def test_request_timeout_out_of_range(timeout):
    with pytest.raises(ConfigError) as caught:
        resolve_common_options(params(region="cn-hangzhou", request_timeout=timeout), env={})
    assert caught.value.option == "request_timeout"
    assert "between 0 and 600" in str(caught.value)
    assert repr(timeout) in str(caught.value)
