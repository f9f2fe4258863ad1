# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every playbook and task list in docs/*.md, README.md and roles/*/README.md runs against the emulator and succeeds.

A ```yaml block is an example when it parses to a list of plays (items with
``hosts``) or of tasks; a task list is run inside a play on localhost. Other
YAML (configuration files) is not run. A block whose first line is
``# not-run: <reason>`` is skipped on purpose; keep those few.

The docs use ECS-looking placeholder task ids; each test creates emulator
tasks and puts their ids in place of these:

- ``t-bp1hvgwromzv32iq0001`` .. ``0004``: ExportImage tasks that finish in a few seconds;
- ``t-bp1hvgwromzv32iq0005``: an ImportImage that runs for an hour (cancellable);
- ``t-bp1hvgwromzv32iq0009``: an ExportImage that fails with its own error.

``m-bp1g7004ksh0oeuc0001`` is an image with an ExportImage task under way
(so the re-attach examples find it); a task is started with the ``aliyun``
CLI, for which ``tests/standins/bin`` (a stand-in reaching the emulator) is
first on PATH.

Variables the examples use (vaulted credentials, ``ecs_endpoint``) are passed
as extra vars, and HOME holds a CLI config with a profile ``prod``, all with
the emulator's keys; the role's reports go to the test's tmp_path.
"""

from __future__ import annotations

import glob
import json
import os
import re
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC_FILES = ["docs/*.md", "README.md", "roles/*/README.md"]
FENCE = re.compile(r"^```yaml[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
NOT_RUN = re.compile(r"^#\s*not-run:\s*(\S.*)$")
PLACEHOLDER = re.compile(r"t-bp1hvgwromzv32iq(\d{4})")
MAX_NOT_RUN = 5
IMAGE = "m-bp1g7004ksh0oeuc0001"
STANDIN_BIN = os.path.join(ROOT, "tests", "standins", "bin")

FINISHES = dict(action="ExportImage", duration=3, outcome="Finished")
TASK_SPECS = {
    "0001": FINISHES, "0002": FINISHES, "0003": FINISHES, "0004": FINISHES,
    "0005": dict(action="ImportImage", duration=3600, outcome="Finished", support_cancel=True),
    "0009": dict(action="ExportImage", duration=2, outcome="Failed", error_code="OperationFailed",
                 error_msg="The OSS bucket does not exist."),
}
EXTRA_VARS = {"vault_alicloud_access_key": "testid", "vault_alicloud_secret_key": "testsecret"}
PLAY_HEADER = {
    "name": "Docs example", "hosts": "localhost", "connection": "local", "gather_facts": False,
    "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
}


def yaml_blocks():
    """(id, text, line) for every ```yaml block in the DOC_FILES."""
    found = []
    paths = sorted(path for pattern in DOC_FILES for path in glob.glob(os.path.join(ROOT, pattern)))
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
        for match in FENCE.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            found.append(("%s:%d" % (os.path.relpath(path, ROOT), line), match.group(1), line))
    return found


def classify(text):
    """'playbook' | 'tasks' | 'not-run' | 'other' for one block."""
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    if NOT_RUN.match(first):
        return "not-run"
    data = yaml.safe_load(text)
    if not isinstance(data, list) or not data or not all(isinstance(item, dict) for item in data):
        return "other"
    if any("hosts" in item or "import_playbook" in item for item in data):
        return "playbook"
    return "tasks"


BLOCKS = yaml_blocks()


RUNNABLE = [pytest.param(text, id=block_id) for block_id, text, _ignored in BLOCKS if classify(text) in ("playbook", "tasks")]


def test_docs_have_yaml_examples():
    assert len(RUNNABLE) >= 10, "expected the guides to carry runnable examples, found %d" % len(RUNNABLE)


def test_every_yaml_block_parses_and_few_are_not_run():
    not_run = []
    for block_id, text, _ignored in BLOCKS:
        kind = classify(text)  # raises on YAML that does not parse
        if kind == "not-run":
            not_run.append(block_id)
    assert len(not_run) <= MAX_NOT_RUN, "too many `# not-run:` blocks: %s" % not_run


def test_not_run_blocks_give_a_reason():
    for block_id, text, _ignored in BLOCKS:
        first = text.lstrip().splitlines()[0] if text.strip() else ""
        if first.startswith("# not-run"):
            assert NOT_RUN.match(first), "%s: write `# not-run: <reason>`" % block_id


def as_playbook(text):
    if classify(text) == "playbook":
        return text
    play = dict(PLAY_HEADER, tasks=yaml.safe_load(text))
    return yaml.safe_dump([play], sort_keys=False)


def substitute_task_ids(text, emulator):
    """Create one emulator task per placeholder id in the text; return the text with the real ids."""
    real = {}
    for suffix in sorted(set(PLACEHOLDER.findall(text))):
        spec = TASK_SPECS.get(suffix)
        assert spec is not None, "placeholder t-bp1hvgwromzv32iq%s has no emulator task; use one of %s" % (suffix, sorted(TASK_SPECS))
        real[suffix] = emulator.create_tasks(region="cn-hangzhou", count=1, **spec)[0]
    if IMAGE in text:
        # Long enough to be still under way when the example looks for it on a busy machine.
        emulator.create_tasks(region="cn-hangzhou", action="ExportImage", duration=20, resource_id=IMAGE)
    return PLACEHOLDER.sub(lambda match: real[match.group(1)], text)


def add_cli_profile(home):
    """Write ~/.aliyun/config.json with the profile `prod` (the emulator's default key) into ``home``."""
    config = {"current": "prod", "profiles": [
        {"name": "prod", "mode": "AK", "access_key_id": "testid", "access_key_secret": "testsecret", "region_id": "cn-hangzhou"},
    ]}
    os.makedirs(os.path.join(home, ".aliyun"), exist_ok=True)
    with open(os.path.join(home, ".aliyun", "config.json"), "w", encoding="utf-8") as handle:
        json.dump(config, handle)


@pytest.mark.parametrize("text", RUNNABLE)
def test_docs_example_runs(text, emulator, ansible, tmp_path):
    add_cli_profile(ansible.env["HOME"])
    playbook = substitute_task_ids(as_playbook(text), emulator)
    # The role's reports go to the test's folder, not next to the temporary playbook.
    extra_vars = dict(EXTRA_VARS, ecs_endpoint=emulator.url, wait_for_tasks_report_dir=str(tmp_path / "reports"))
    # At -vvv, as a user debugging would run them: no pattern the docs recommend may print a secret.
    run = ansible.playbook(playbook, extra_vars=extra_vars, verbosity=3,
                           # The async wrapper expands ~ with the harness's HOME, async_status with the
                           # password database: an absolute async_dir makes them agree.
                           env={"ANSIBLE_ASYNC_DIR": str(tmp_path / "async"),
                                "PATH": STANDIN_BIN + os.pathsep + ansible.env.get("PATH", os.defpath),
                                "ALIYUN_STANDIN_PYTHON": sys.executable}, timeout=240)
    assert run.rc == 0, "rc=%s\n%s\n%s" % (run.rc, run.stdout, run.stderr)
    assert run.results, run
    assert "testsecret" not in run.stdout + run.stderr, "a secret shows at -vvv:\n%s" % run.stdout
