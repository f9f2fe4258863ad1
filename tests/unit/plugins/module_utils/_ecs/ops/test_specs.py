# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import importlib
import re

import pytest
import yaml

from ansible_collections.alicloud.ecs.plugins.doc_fragments.common import ModuleDocFragment
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.options import COMMON_ARGUMENT_SPEC
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.specs import (
    ENGINE_OPTIONS,
    FILTERABLE_STATUSES,
    INFO_MUTUALLY_EXCLUSIVE,
    INFO_OPTIONS,
    SEARCH_FILTERS,
    WAIT_OPTIONS,
    info_argument_spec,
    wait_argument_spec,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import CANCELLABLE_STATES
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import RECORD_KEYS
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import format_duration, parse_duration
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.defaults import DEFAULTS, DETAILS, MODES, ON_PREDICTED_TIMEOUT
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.disk_wait import disk_wait_argument_spec
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.image_wait import image_wait_argument_spec
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.disk_spec import SPEC
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.image_copy import COPY
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.image_export import EXPORT
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.image_import import IMPORT
from ansible_collections.alicloud.ecs.plugins.modules import (
    ecs_disk_spec, ecs_disk_wait, ecs_image_copy, ecs_image_export, ecs_image_import, ecs_image_wait, ecs_task_info,
    ecs_task_wait,
)

FILTERS = ("task_action", "task_status", "start_time", "end_time", "resource_ids")


def test_info_spec_is_common_plus_info_options():
    spec = info_argument_spec()
    assert set(spec) == set(COMMON_ARGUMENT_SPEC) | set(INFO_OPTIONS)
    assert not set(COMMON_ARGUMENT_SPEC) & set(INFO_OPTIONS)
    assert spec["task_ids"] == {"type": "list", "elements": "str", "aliases": ["task_id"]}
    assert spec["details"]["default"] is False
    assert spec["max_results"]["type"] == "int"


def test_info_spec_is_a_fresh_copy_each_time():
    first = info_argument_spec()
    first["task_status"]["choices"].append("Waiting")
    assert info_argument_spec()["task_status"]["choices"] == ["Finished", "Processing", "Failed"]
    assert FILTERABLE_STATUSES == ["Finished", "Processing", "Failed"]


def test_task_ids_exclude_every_filter_and_nothing_else():
    pairs = {tuple(pair) for pair in INFO_MUTUALLY_EXCLUSIVE}
    assert pairs == {("task_ids", name) for name in FILTERS}
    # Filters combine freely with each other, and details / max_results with anything.
    assert not any(set(pair) & {"details", "max_results"} for pair in pairs)


def test_wait_spec_takes_ids_or_filters_and_carries_the_engine_options():
    spec = wait_argument_spec()
    assert set(spec) == set(COMMON_ARGUMENT_SPEC) | set(WAIT_OPTIONS)
    # Ids, filters or both: prepare_wait refuses neither, naming both.
    assert "required" not in spec["task_ids"]
    assert set(SEARCH_FILTERS) <= set(spec) and set(SEARCH_FILTERS) - {"task_status"} <= set(info_argument_spec())
    assert spec["task_status"]["choices"] == ["Waiting", "Processing", "Paused", "Finished", "Failed", "Deleted"]
    assert spec["resource_ids"] == {"type": "list", "elements": "str"}
    assert spec["target_states"]["default"] == ["Finished"]
    assert spec["failure_states"]["default"] == ["Failed", "Deleted"]
    assert spec["mode"]["choices"] == ["all", "any"]
    assert spec["fail_on_failure"]["default"] is True
    assert spec["cancel_on_timeout"]["default"] is False
    assert set(ENGINE_OPTIONS) <= set(WAIT_OPTIONS)
    assert spec["details"] == {"type": "str", "choices": ["all", "failed", "none"], "default": "all"}
    assert "details" in ENGINE_OPTIONS


# ---------------------------------------------------------------- documentation matches the spec

def _documented_options(module):
    """Every option the module documents, its doc fragments' included."""
    documentation = yaml.safe_load(module.DOCUMENTATION)
    assert "alicloud.ecs.common" in documentation["extends_documentation_fragment"]
    options = {}
    for fragment in documentation["extends_documentation_fragment"]:
        name = fragment.split(".")[-1]
        loaded = importlib.import_module("ansible_collections.alicloud.ecs.plugins.doc_fragments." + name)
        options.update(yaml.safe_load(loaded.ModuleDocFragment.DOCUMENTATION)["options"])
    options.update(documentation["options"])
    return options


# The action plugin's internal _job option is not documented: the module accepts it only when given.
@pytest.mark.parametrize("module, spec", [(ecs_task_info, info_argument_spec()), (ecs_task_wait, wait_argument_spec()),
                                          (ecs_image_wait, image_wait_argument_spec()),
                                          (ecs_disk_wait, disk_wait_argument_spec()),
                                          (ecs_image_import, IMPORT.spec()), (ecs_image_export, EXPORT.spec()),
                                          (ecs_image_copy, COPY.spec()), (ecs_disk_spec, SPEC.spec())],
                         ids=["ecs_task_info", "ecs_task_wait", "ecs_image_wait", "ecs_disk_wait", "ecs_image_import",
                              "ecs_image_export", "ecs_image_copy", "ecs_disk_spec"])
def test_every_option_is_documented_as_specified(module, spec):
    documented = _documented_options(module)
    assert set(documented) == set(spec)
    for name, argument in spec.items():
        doc = documented[name]
        assert doc.get("type", "str") == argument.get("type", "str"), name
        assert doc.get("elements") == argument.get("elements"), name
        assert doc.get("choices") == argument.get("choices"), name
        assert sorted(doc.get("aliases", [])) == sorted(argument.get("aliases", [])), name
        assert bool(doc.get("required")) == bool(argument.get("required")), name
        if "default" in argument:
            assert doc.get("default") == argument["default"], name
        else:
            assert doc.get("default") is None, name


def test_info_module_documents_every_record_key():
    returned = yaml.safe_load(ecs_task_info.RETURN)
    assert {"tasks", "missing", "api_calls"} <= set(returned)
    assert set(returned["tasks"]["contains"]) == set(RECORD_KEYS)


def _wait_doc_options():
    return yaml.safe_load(ecs_task_wait.DOCUMENTATION)["options"]


def test_engine_defaults_agree_with_the_spec_defaults():
    """waiter_config.DEFAULTS is what the engine falls back to; the spec's default must mean the same."""
    for name in ENGINE_OPTIONS:
        argument = WAIT_OPTIONS[name]
        if "default" not in argument:
            continue
        spec_default, engine_default = argument["default"], DEFAULTS[name]
        if argument["type"] == "raw":   # durations: 30m and 1800 are the same
            spec_default, engine_default = parse_duration(spec_default, name), parse_duration(engine_default, name)
        assert spec_default == engine_default, name


@pytest.mark.parametrize("name, shown", [("min_interval", "Defaults to 1s."), ("max_interval", "Defaults to 30s."),
                                         ("backoff_factor", "Defaults to 0.1.")])
def test_defaults_only_the_engine_knows_are_documented_in_words(name, shown):
    # No spec default (so poll_interval can refuse them when given): the docs say the engine's.
    assert "default" not in WAIT_OPTIONS[name]
    assert format_duration(DEFAULTS[name]) in shown or str(DEFAULTS[name]) in shown
    assert shown in " ".join(_wait_doc_options()[name]["description"])


def test_documented_choices_are_the_engines():
    options = _wait_doc_options()
    assert tuple(options["mode"]["choices"]) == MODES
    assert tuple(options["details"]["choices"]) == DETAILS
    assert tuple(options["on_predicted_timeout"]["choices"]) == ON_PREDICTED_TIMEOUT


def test_cancel_on_timeout_names_the_states_the_code_cancels():
    text = " ".join(_wait_doc_options()["cancel_on_timeout"]["description"])
    named = re.findall(r"V\((\w+)\)", text.split("that ECS", maxsplit=1)[0])
    assert tuple(named) == CANCELLABLE_STATES


def test_requirements_name_every_runtime_library():
    requirements = " ".join(yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["requirements"]
                            + yaml.safe_load(ecs_task_wait.DOCUMENTATION).get("requirements", []))
    for library in ("requests", "jmespath"):
        assert library in requirements


def test_wait_docs_name_result_keys_that_exist():
    """RV(...) references in the option docs point at documented return values."""
    returned = yaml.safe_load(ecs_task_wait.RETURN)
    text = yaml.safe_dump(yaml.safe_load(ecs_task_wait.DOCUMENTATION)["options"])
    for reference in set(re.findall(r"RV\(([\w.\[\]]+)\)", text)):
        top = reference.split(".")[0].split("[")[0]
        assert top in returned, reference


def test_fail_on_failure_points_at_the_key_that_holds_the_failed_ids():
    text = " ".join(_wait_doc_options()["fail_on_failure"]["description"])
    assert "RV(failed_task_ids)" in text and "RV(failed)" not in text
