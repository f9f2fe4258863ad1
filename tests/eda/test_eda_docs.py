# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The source's docs say what it does: documented options = accepted options; the guide shows the tested rulebook."""

from __future__ import annotations

import ast
import os
import re

import yaml

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.options import COMMON_ARGUMENT_SPEC
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.events.config import DEFAULT_INTERVAL, SOURCE_OPTIONS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = os.path.join(ROOT, "extensions", "eda", "plugins", "event_source", "ecs_tasks.py")
RULEBOOK = os.path.join(ROOT, "examples", "rulebooks", "ecs_exports.yml")
GUIDE = os.path.join(ROOT, "docs", "eda.md")


def _constants():
    """DOCUMENTATION and EXAMPLES of the source file, read without running it."""
    with open(SOURCE, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in ("DOCUMENTATION", "EXAMPLES"):
                found[node.targets[0].id] = yaml.safe_load(node.value.value)
    return found


def test_documented_options_are_the_accepted_ones():
    docs = _constants()["DOCUMENTATION"]
    assert docs["short_description"]
    documented = set(docs["options"])
    assert documented == set(SOURCE_OPTIONS) | set(COMMON_ARGUMENT_SPEC)
    for name, spec in COMMON_ARGUMENT_SPEC.items():
        if "default" in spec:
            assert docs["options"][name]["default"] == spec["default"], name
        for alias in spec.get("aliases", ()):
            assert alias in " ".join(docs["options"][name]["description"]), (name, alias)
    assert float(docs["options"]["interval"]["default"]) == DEFAULT_INTERVAL


def test_examples_use_the_source_with_documented_options():
    docs = _constants()
    for play in docs["EXAMPLES"]:
        for source in play["sources"]:
            assert set(source["alicloud.ecs.ecs_tasks"]) <= set(docs["DOCUMENTATION"]["options"])


def test_the_guide_shows_the_rulebook_the_end_to_end_test_runs():
    with open(GUIDE, encoding="utf-8") as handle:
        guide = handle.read()
    with open(RULEBOOK, encoding="utf-8") as handle:
        rulebook = handle.read()
    # Shown whole, marked as not run by the docs' examples test (this file's end-to-end test runs it).
    shown = re.findall(r"^<!-- not-run: [^\n]*-->\n```yaml\n(.*?)^```$", guide, re.MULTILINE | re.DOTALL)
    assert rulebook in shown
    for play in yaml.safe_load(rulebook):
        for rule in play["rules"]:
            playbook = rule["action"]["run_playbook"]["name"]
            assert os.path.isfile(os.path.join(ROOT, "examples", playbook)), playbook
            assert "examples/%s" % playbook in guide
