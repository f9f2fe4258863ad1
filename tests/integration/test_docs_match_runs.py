# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The docs against what runs do: the modules' RETURN against real runs (every key a run returns is
documented, every key documented as returned always is there), README's call counts against a run and its
credential order against the code, the files the guides name, and every figure the docs give against the
last recorded benchmark run (benchmarks/last_run.json)."""

from __future__ import annotations

import glob
import inspect
import os
import re

import yaml

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth import chain
from ansible_collections.alicloud.ecs.plugins.modules import ecs_task_info, ecs_task_wait
from tests.integration.ansible_run import REPO_ROOT

# Keys Ansible itself adds to every result.
ANSIBLE_KEYS = {"changed", "failed", "invocation", "warnings", "deprecations", "exception", "_ansible_no_log",
                "_ansible_verbose_always", "_ansible_verbose_override", "skipped", "msg"}


def check(result, returned):
    keys = set(result) - ANSIBLE_KEYS
    assert keys <= set(returned), sorted(keys - set(returned))
    always = {name for name, doc in returned.items() if doc.get("returned") == "always"} - ANSIBLE_KEYS
    assert always <= set(result), sorted(always - set(result))
    contains = returned["tasks"].get("contains") or {}
    for record in result["tasks"]:
        assert set(contains) <= set(record), sorted(set(contains) - set(record))


def test_wait_returns_what_its_docs_say(ansible, emulator):
    returned = yaml.safe_load(ecs_task_wait.RETURN)
    ids = emulator.create_tasks(action="ExportImage", count=2, duration=0.5)
    run = ansible.adhoc("alicloud.ecs.ecs_task_wait", {"task_ids": ids, "timeout": "20s"})
    assert run.rc == 0, run
    result = run.results[-1]["result"]
    assert result["succeeded"] == ids, result
    check(result, returned)


def test_wait_error_returns_what_its_docs_say(ansible, emulator):
    returned = yaml.safe_load(ecs_task_wait.RETURN)
    ids = emulator.create_tasks(action="ExportImage", duration=30)
    run = ansible.adhoc("alicloud.ecs.ecs_task_wait", {"task_ids": ids, "timeout": "20s", "region": "xx-nowhere-1"})
    result = run.results[-1]["result"]
    assert result["error_code"] == "InvalidRegionId.NotFound", result
    # The error's own fields (request id, HTTP status, attempts) are documented with it.
    check(result, returned)


def test_a_search_that_finds_nothing_returns_what_its_docs_say(ansible, emulator):
    returned = yaml.safe_load(ecs_task_wait.RETURN)
    run = ansible.adhoc("alicloud.ecs.ecs_task_wait", {"task_action": "ExportImage", "not_found_checks": 0})
    result = run.results[-1]["result"]
    assert result["wait_status"] == "failed" and result["search"]["found"] == [], result
    check(result, returned)


def test_info_returns_what_its_docs_say(ansible, emulator):
    returned = yaml.safe_load(ecs_task_info.RETURN)
    ids = emulator.create_tasks(action="ExportImage", count=2, duration=0.5)
    run = ansible.adhoc("alicloud.ecs.ecs_task_info", {"task_ids": ids + ["t-missing0000000001"], "details": True})
    assert run.rc == 0, run
    check(run.results[-1]["result"], returned)


def test_info_error_returns_what_its_docs_say(ansible, emulator):
    returned = yaml.safe_load(ecs_task_info.RETURN)
    ids = emulator.create_tasks(action="ExportImage", duration=0.5)
    run = ansible.adhoc("alicloud.ecs.ecs_task_info", {"task_ids": ids},
                        env={"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "not-the-secret"})
    result = run.results[-1]["result"]
    assert result["error_code"] == "SignatureDoesNotMatch" and result["server_string_to_sign"], result
    undocumented = set(result) - ANSIBLE_KEYS - set(returned)
    assert not undocumented, sorted(undocumented)


# ---------------------------------------------------------------- README.md against runs and the code

def _readme():
    with open(os.path.join(REPO_ROOT, "README.md"), encoding="utf-8") as handle:
        return handle.read()


README_PER_POLL = re.compile(r"\| API calls per poll, (?P<tasks>\d+) pending tasks \| (?P<alone>\d+) when each task is polled "
                             r"on its own \| (?P<summaries>\d+) `DescribeTasks` \((?P<per_call>\d+) ids each\); then one "
                             r"`DescribeTaskAttribute` per task as it ends")


def test_the_readme_calls_per_poll_are_those_of_a_run(ansible, emulator):
    """README's table: N `DescribeTasks` a poll for its pending tasks, one `DescribeTaskAttribute` per task as it ends."""
    said = README_PER_POLL.search(_readme())
    assert said, "README's row 'API calls per poll' changed: update README_PER_POLL"
    count = int(said.group("tasks"))
    assert int(said.group("alone")) == count
    ids = emulator.create_tasks(action="ExportImage", count=count, duration=0)  # all end at the first poll
    run = ansible.adhoc("alicloud.ecs.ecs_task_wait", {"task_ids": ids, "timeout": "2m"})
    assert run.rc == 0, run
    calls = emulator.stats()["calls"]
    assert calls == {"DescribeTasks": int(said.group("summaries")), "DescribeTaskAttribute": count}, calls
    assert int(said.group("summaries")) == -(-count // int(said.group("per_call")))


# Each step of the credential chain (auth/chain.py), and words README's line for it holds.
CHAIN_WORDS = {
    "from_options": "`access_key`", "from_explicit_options": "`profile`", "from_env": "`ALIBABA_CLOUD_ACCESS_KEY_ID`",
    "from_cli_file": "`~/.aliyun/config.json`", "from_ini_file": "`~/.alibabacloud/credentials.ini`",
    "from_metadata": "metadata service",
}


def test_the_readme_gives_the_credential_order_of_the_code():
    steps = re.findall(r"self\.(from_\w+)", inspect.getsource(chain._Resolver.resolve))
    unknown = [step for step in steps if step not in CHAIN_WORDS]
    assert not unknown, ("a credential source was added (%s): give it a line in README.md's list (## Credentials) "
                         "and its words in CHAIN_WORDS" % unknown)
    section = _readme().split("## Credentials", 1)[1].split("\n## ", 1)[0]
    lines = re.findall(r"^\d+\. (.*)$", section, re.MULTILINE)
    assert len(lines) == len(steps), lines
    for step, line in zip(steps, lines):
        assert CHAIN_WORDS[step] in line, "README.md's line %r is not the chain's %s" % (line, step)


# ---------------------------------------------------------------- the files the docs name

# Repository paths the guides mention (a path under a top folder, or a Markdown file).
NAMED_PATH = re.compile(r"(?<![\w./~-])((?:docs|tests|benchmarks|scripts|plugins|examples|roles|extensions|meta|changelogs)"
                        r"/[\w./-]*[\w]|[\w-]+\.md)(?![\w/*])")
# Named on purpose though not in the repository: what a command writes.
WRITTEN_LATER = {"changelogs/CHANGELOG.md": "antsibull-changelog release writes it"}


def test_the_docs_name_only_files_that_exist():
    """architecture.md once cited a DESIGN.md that is not in the repository."""
    missing = []
    for path in [os.path.join(REPO_ROOT, "README.md")] + glob.glob(os.path.join(REPO_ROOT, "docs", "*.md")):
        with open(path, encoding="utf-8") as handle:
            text = re.sub(r"https?://\S+", "", handle.read())
        for name in set(NAMED_PATH.findall(text)):
            if name in WRITTEN_LATER or name.endswith(".tar.gz"):
                continue
            # From the root, the guide's folder, or a role (its meta/argument_specs.yml).
            where = [os.path.join(REPO_ROOT, name), os.path.join(os.path.dirname(path), name)]
            where += glob.glob(os.path.join(REPO_ROOT, "roles", "*", name))
            if not any(os.path.exists(candidate) for candidate in where):
                missing.append("%s: %s" % (os.path.relpath(path, REPO_ROOT), name))
    assert not missing, missing
