# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every ``sh`` and ``yaml`` block of README.md, docs/*.md and roles/*/README.md runs against the emulator,
or says why it does not.

- A ``yaml`` play or task list runs with ansible-playbook (a task list inside a play on localhost), at -vvv,
  and must succeed without a secret in the output; an ansible-builder definition (``version: 3``) goes
  through ``ansible-builder create`` with the collection built.
- A ``sh`` block runs whole, as pasted, with ``bash -e``, in the environment a reader of the guides has:
  HOME with the collection installed by ansible-galaxy, a copy of the checkout as the working folder,
  .venv/bin first on PATH, and the ALIBABA_CLOUD_* variables pointing at the test's emulator (what the
  emulator recipe of getting-started.md and ci.md sets). Whatever a block starts in the background is
  stopped with its process group.
- A block right after a ``<!-- not-run: <reason> -->`` line is reported as skipped, with that reason; any
  other block must run (a YAML block that is neither a play, a task list nor an EE definition fails).

The examples use the ids of ECS-looking tasks; the test creates emulator tasks under those very ids
(``task_id`` of ``POST /_emulator/tasks``), so the examples run as written:

- ``t-bp1hvgwromzv32iq0001`` .. ``0004``: ExportImage tasks that finish in a few seconds;
- ``t-bp1hvgwromzv32iq0005``: an ImportImage that runs for an hour (cancellable);
- ``t-bp1hvgwromzv32iq0009``: an ExportImage that fails with its own error.

What tasks produce (docs/waiting-for-products.md), each product lagging its task by a few seconds:

- ``t-bp1hvgwromzv32iq0006``: an ImportImage whose image is usable 3 s after it ends;
- ``t-bp1hvgwromzv32iq0007``: an ExportImage whose object is in the emulator's OSS 3 s after it ends
  (``ALIBABA_CLOUD_OSS_ENDPOINT`` names the emulator);
- ``t-bp1hvgwromzv32iq0008``: a ModifyDiskSpec of ``d-bp1g7004ksh0oeuc0008`` from cloud_efficiency to
  cloud_essd, the disk settling 3 s after it ends;
- ``m-2zeg7004ksh0oeuc0001``, ``m-gw8g7004ksh0oeuc0001``, ``m-rj9g7004ksh0oeuc0001``: copies being made in
  cn-beijing, eu-central-1 and us-west-1;
- ``d-bp1g7004ksh0oeuc0003``: an ESSD whose performance level goes from PL1 to PL2 (Modifying for a few seconds).

``m-bp1g7004ksh0oeuc0001`` is an image with an ExportImage task under way (so the re-attach examples find
it); ``m-bp1g7004ksh0oeuc0002`` an Available image nobody exports (the start modules' examples export and copy
it), ``d-bp1g7004ksh0oeuc0002`` a cloud_efficiency disk (the disk-spec examples convert it), and the image
files the import examples name (``SOURCES``) are in the OSS stand-in; the start actions' tasks last
a few seconds. Variables the examples use (vaulted credentials, ``ecs_endpoint``) are passed as extra vars,
``ALIBABA_CLOUD_OSS_ENDPOINT`` names the emulator (as its recipe in getting-started.md sets it), and HOME
holds a CLI config with a profile ``prod``, all with the emulator's keys; the role's reports go to the test's
tmp_path.
"""

from __future__ import annotations

import configparser
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC_FILES = ["docs/*.md", "README.md", "roles/*/README.md"]
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
NOT_RUN = re.compile(r"<!--\s*not-run:\s*(\S.*?)\s*-->[ \t]*\n$")
SHELL = ("sh", "bash")
# The blocks that cannot run alone, each with its reason (the skipped tests list them).
MAX_NOT_RUN = 15
TASK_ID = re.compile(r"t-bp1hvgwromzv32iq\d{4}")
IMAGE = "m-bp1g7004ksh0oeuc0001"
EXPORTABLE_IMAGE = "m-bp1g7004ksh0oeuc0002"
# The image files the import examples name: bucket -> keys.
SOURCES = {"builds-hangzhou": ("images/web-2026-12.qcow2", "images/web-2026-12.raw")}
# The disk the disk-spec examples change (a cloud_efficiency disk of cn-hangzhou).
CONVERTIBLE_DISK = "d-bp1g7004ksh0oeuc0002"
START_ACTIONS = {"ImportImage": {"duration": 3}, "ExportImage": {"duration": 3}, "CopyImage": {"duration": 3},
                 "ModifyDiskSpec": {"duration": 3}}
VENV_BIN = os.path.dirname(sys.executable)

FINISHES = dict(action="ExportImage", duration=3, outcome="Finished")
TASK_SPECS = {
    "t-bp1hvgwromzv32iq0001": FINISHES, "t-bp1hvgwromzv32iq0002": FINISHES,
    "t-bp1hvgwromzv32iq0003": FINISHES, "t-bp1hvgwromzv32iq0004": FINISHES,
    "t-bp1hvgwromzv32iq0005": dict(action="ImportImage", duration=3600, outcome="Finished", support_cancel=True),
    "t-bp1hvgwromzv32iq0009": dict(action="ExportImage", duration=2, outcome="Failed", error_code="OperationFailed",
                                   error_msg="The OSS bucket does not exist."),
    "t-bp1hvgwromzv32iq0006": dict(action="ImportImage", duration=3, product={"usable_after": 3}),
    "t-bp1hvgwromzv32iq0007": dict(action="ExportImage", duration=3, product={"object_after": 3}),
    "t-bp1hvgwromzv32iq0008": dict(action="ModifyDiskSpec", duration=3, resource_id="d-bp1g7004ksh0oeuc0008",
                                   product={"settle_after": 3, "category": "cloud_essd"}),
}
# What must exist before a task of TASK_SPECS is made: the disk the change converts.
BEFORE_TASKS = {"t-bp1hvgwromzv32iq0008": lambda emulator: emulator.create_disks(
    disk_id="d-bp1g7004ksh0oeuc0008", category="cloud_efficiency")}
# Images and disks the examples wait on without a task, each made when a block names it.
COPIES = {"m-2zeg7004ksh0oeuc0001": "cn-beijing", "m-gw8g7004ksh0oeuc0001": "eu-central-1",
          "m-rj9g7004ksh0oeuc0001": "us-west-1"}
PRODUCTS = dict(
    [(image_id, lambda emulator, image_id=image_id, region=region: emulator.create_images(
        region=region, image_id=image_id, status="Creating", duration=3, usable_after=1)) for image_id, region in COPIES.items()]
    + [("d-bp1g7004ksh0oeuc0003", lambda emulator: emulator.create_tasks(
        # A level-only ModifyDiskSpec has no task: this one only makes the disk show Modifying, then PL2.
        action="ModifyDiskSpec", duration=4, resource_id=emulator.create_disks(
            disk_id="d-bp1g7004ksh0oeuc0003", category="cloud_essd", performance_level="PL1")[0],
        product={"settle_after": 2, "performance_level": "PL2"}))])
EXTRA_VARS = {"vault_alicloud_access_key": "testid", "vault_alicloud_secret_key": "testsecret"}
PLAY_HEADER = {
    "name": "Docs example", "hosts": "localhost", "connection": "local", "gather_facts": False,
    "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
}


class Block(object):
    """One fenced block: where it is, its language, its text, and why it is not run (None: it runs)."""

    def __init__(self, path, line, language, text, not_run):
        self.id = "%s:%d" % (path, line)
        self.language = language
        self.text = text
        self.not_run = not_run

    @property
    def kind(self):
        """'shell', 'playbook', 'tasks', 'ee', 'other' YAML, or None for a block that is no example to run."""
        if self.language in SHELL:
            return "shell"
        if self.language != "yaml":
            return None
        data = yaml.safe_load(self.text)
        if isinstance(data, dict) and data.get("version") == 3 and "dependencies" in data:
            return "ee"
        if not isinstance(data, list) or not data or not all(isinstance(item, dict) for item in data):
            return "other"
        if any("hosts" in item or "import_playbook" in item for item in data):
            return "playbook"
        return "tasks"


def doc_blocks():
    found = []
    paths = sorted(path for pattern in DOC_FILES for path in glob.glob(os.path.join(ROOT, pattern)))
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
        for match in FENCE.finditer(source):
            before = source[:match.start()]
            marker = NOT_RUN.search(before[before.rfind("\n", 0, len(before) - 1) + 1:])
            line = source.count("\n", 0, match.start()) + 1
            found.append(Block(os.path.relpath(path, ROOT), line, match.group(1).strip(), match.group(2),
                               marker.group(1) if marker else None))
    return found


BLOCKS = doc_blocks()
EXAMPLES = [block for block in BLOCKS if block.kind is not None]


def _params(kinds):
    return [pytest.param(block, id=block.id) for block in EXAMPLES if block.not_run is None and block.kind in kinds]


def test_every_fenced_block_says_its_language():
    unlabelled = [block.id for block in BLOCKS if not block.language]
    assert not unlabelled, "give these blocks a language (sh, yaml, text, ...): %s" % unlabelled


def test_every_example_runs_or_says_why_not():
    not_run = [block for block in EXAMPLES if block.not_run is not None]
    assert len(not_run) <= MAX_NOT_RUN, "%d blocks are not run (at most %d): %s" % (
        len(not_run), MAX_NOT_RUN, ["%s (%s)" % (block.id, block.not_run) for block in not_run])
    other = [block.id for block in EXAMPLES if block.not_run is None and block.kind == "other"]
    assert not other, ("YAML that is neither a play, a task list nor an EE definition: make it one, or put "
                       "`<!-- not-run: <reason> -->` on the line before it: %s" % other)
    assert len(_params(("playbook", "tasks"))) >= 20 and len(_params(("shell",))) >= 5


@pytest.mark.parametrize("block", [pytest.param(block, id=block.id) for block in EXAMPLES if block.not_run is not None])
def test_a_block_not_run_says_why(block):
    pytest.skip("%s is not run: %s" % (block.id, block.not_run))


@pytest.mark.parametrize("language, load", [("json", json.loads), ("ini", lambda text: configparser.ConfigParser().read_string(text))])
def test_configuration_files_shown_parse(language, load):
    shown = [block for block in BLOCKS if block.language == language]
    assert shown
    for block in shown:
        load(block.text)


# ---------------------------------------------------------------- YAML

def as_playbook(block):
    if block.kind == "playbook":
        return block.text
    play = dict(PLAY_HEADER, tasks=yaml.safe_load(block.text))
    return yaml.safe_dump([play], sort_keys=False)


def create_tasks(text, emulator):
    """The emulator tasks the text's ids name, under those ids."""
    for task_id in sorted(set(TASK_ID.findall(text))):
        spec = TASK_SPECS.get(task_id)
        assert spec is not None, "%s has no emulator task here; use one of %s" % (task_id, sorted(TASK_SPECS))
        if task_id in BEFORE_TASKS:
            BEFORE_TASKS[task_id](emulator)
        emulator.create_tasks(region="cn-hangzhou", task_id=task_id, **spec)
    for name, make in sorted(PRODUCTS.items()):
        if name in text:
            make(emulator)
    if IMAGE in text:
        # Long enough to be still under way when the example looks for it on a busy machine.
        emulator.create_tasks(region="cn-hangzhou", action="ExportImage", duration=20, resource_id=IMAGE)
    if EXPORTABLE_IMAGE in text:
        emulator.create_images(region="cn-hangzhou", image_id=EXPORTABLE_IMAGE, status="Available")
    if CONVERTIBLE_DISK in text:
        emulator.create_disks(region="cn-hangzhou", disk_id=CONVERTIBLE_DISK, category="cloud_efficiency")
    for bucket, keys in SOURCES.items():
        if bucket in text:
            for key in keys:
                emulator.put_object(bucket, key, size=4096)
    emulator.set_actions(**START_ACTIONS)


def add_cli_profile(home):
    """Write ~/.aliyun/config.json with the profile `prod` (the emulator's default key) into ``home``."""
    config = {"current": "prod", "profiles": [
        {"name": "prod", "mode": "AK", "access_key_id": "testid", "access_key_secret": "testsecret", "region_id": "cn-hangzhou"},
    ]}
    os.makedirs(os.path.join(home, ".aliyun"), exist_ok=True)
    with open(os.path.join(home, ".aliyun", "config.json"), "w", encoding="utf-8") as handle:
        json.dump(config, handle)


@pytest.mark.parametrize("block", _params(("playbook", "tasks")))
def test_docs_playbook_runs(block, emulator, ansible, tmp_path):
    add_cli_profile(ansible.env["HOME"])
    create_tasks(block.text, emulator)
    # The role's reports go to the test's folder, not next to the temporary playbook.
    extra_vars = dict(EXTRA_VARS, ecs_endpoint=emulator.url, wait_for_tasks_report_dir=str(tmp_path / "reports"))
    # At -vvv, as a user debugging would run them: no pattern the docs recommend may print a secret.
    run = ansible.playbook(as_playbook(block), extra_vars=extra_vars, verbosity=3,
                           # The async wrapper expands ~ with the harness's HOME, async_status with the
                           # password database: an absolute async_dir makes them agree.
                           env={"ANSIBLE_ASYNC_DIR": str(tmp_path / "async"),
                                "ALIBABA_CLOUD_OSS_ENDPOINT": emulator.url}, timeout=240)
    assert run.rc == 0, "rc=%s\n%s\n%s" % (run.rc, run.stdout, run.stderr)
    assert run.results, run
    assert "testsecret" not in run.stdout + run.stderr, "a secret shows at -vvv:\n%s" % run.stdout


@pytest.mark.parametrize("block", _params(("ee",)))
def test_docs_ee_definition_makes_a_build_context_with_the_collection(block, built_collection, tmp_path):
    """What ansible-builder makes of it without a container engine: the collection must be in the build context."""
    with open(os.path.join(ROOT, "examples", "execution-environment.yml"), encoding="utf-8") as handle:
        assert block.text == handle.read(), "the guide shows examples/execution-environment.yml as it is"
    (tmp_path / "execution-environment.yml").write_text(block.text)
    shutil.copy(built_collection, str(tmp_path))  # built next to the definition, as the guide says
    proc = subprocess.run([os.path.join(VENV_BIN, "ansible-builder"), "create", "-f", "execution-environment.yml",
                           "-c", "context", "--output-filename", "Containerfile"], cwd=str(tmp_path), capture_output=True,
                          text=True, timeout=180, stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Before: a galaxy file dependency named only by its file name, which the image build never sees.
    assert glob.glob(str(tmp_path / "context" / "_build" / "collections" / "alicloud-ecs-*.tar.gz")), proc.stdout


# ---------------------------------------------------------------- shell

def _tracked_files():
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode("utf-8")
    return [name for name in listed.split("\0") if name and os.path.isfile(os.path.join(ROOT, name))]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A copy of the checkout's files (what a reader cloned), never the checkout itself."""
    copy = tmp_path_factory.mktemp("checkout") / "ecs"
    for name in _tracked_files():
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(os.path.join(ROOT, name), str(target))
    return copy


@pytest.fixture(scope="module")
def built_collection(checkout, tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([os.path.join(VENV_BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(dist), "."],
                   cwd=str(checkout), capture_output=True, check=True, timeout=300, stdin=subprocess.DEVNULL)
    return glob.glob(str(dist / "alicloud-ecs-*.tar.gz"))[0]


@pytest.fixture(scope="module")
def installed(built_collection, tmp_path_factory):
    """~/.ansible of a reader who installed the collection with ansible-galaxy (the guides' install step)."""
    home = tmp_path_factory.mktemp("installed")
    subprocess.run([os.path.join(VENV_BIN, "ansible-galaxy"), "collection", "install", built_collection],
                   env=dict(_clean_env(), HOME=str(home)), capture_output=True, check=True, timeout=300,
                   stdin=subprocess.DEVNULL)
    return home / ".ansible"


def _clean_env():
    env = dict((name, value) for name, value in os.environ.items()
               if not name.startswith(("ALIBABA_CLOUD_", "ALICLOUD_", "ANSIBLE_")))
    env["PATH"] = VENV_BIN + os.pathsep + env.get("PATH", os.defpath)
    return env


def run_shell(text, cwd, home, emulator, timeout=180):
    """(rc, output) of ``text`` pasted into bash -e; what it starts in the background is stopped after."""
    env = dict(_clean_env(), HOME=str(home), ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
               ALIBABA_CLOUD_ECS_ENDPOINT=emulator.url, ALIBABA_CLOUD_ACCESS_KEY_ID="testid",
               ALIBABA_CLOUD_ACCESS_KEY_SECRET="testsecret", ALIBABA_CLOUD_REGION_ID="cn-hangzhou",
               ALIBABA_CLOUD_ECS_METADATA_DISABLED="true", NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    log = os.path.join(str(home), "..", "shell-output.txt")
    with open(log, "wb") as output:
        # A file, not a pipe: a server started with & would hold a pipe open after bash exits.
        proc = subprocess.Popen(["bash", "-e", "-o", "pipefail", "-s"], cwd=str(cwd), env=env, stdin=subprocess.PIPE,
                                stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            proc.communicate(text.encode("utf-8"), timeout=timeout)
        finally:
            try:
                os.killpg(proc.pid, signal.SIGTERM)  # the group this test started: bash and its background jobs
            except ProcessLookupError:
                pass
            proc.wait(10)
    with open(log, encoding="utf-8", errors="replace") as handle:
        return proc.returncode, handle.read()


@pytest.fixture
def reader(checkout, installed, tmp_path):
    """(working folder, HOME) of a reader: a fresh copy of the checkout, the collection installed."""
    work = tmp_path / "work"
    shutil.copytree(str(checkout), str(work), symlinks=True)
    home = tmp_path / "home"
    home.mkdir()
    (home / ".ansible").symlink_to(installed, target_is_directory=True)
    return work, home


@pytest.mark.parametrize("block", _params(("shell",)))
def test_docs_shell_example_runs_as_pasted(block, emulator, reader):
    create_tasks(block.text, emulator)
    rc, output = run_shell(block.text, reader[0], reader[1], emulator)
    assert rc == 0, "rc=%s\n%s" % (rc, output)
    assert "testsecret" not in output


RECIPE = re.compile(r"serve\.py --port 0")


def test_the_emulator_recipe_gives_an_endpoint_as_pasted(emulator, reader):
    """Pasted as one block, the recipe leaves the endpoint of a running emulator (before: an empty one, 3 times in 3)."""
    recipes = [block for block in EXAMPLES if block.kind == "shell" and RECIPE.search(block.text)]
    assert len(recipes) == 2 and recipes[0].text == recipes[1].text, [block.id for block in recipes]  # one recipe, kept alike
    check = '\npython3 -c "import os, urllib.request; url = os.environ[\'ALIBABA_CLOUD_ECS_ENDPOINT\']; ' \
            'print(url, urllib.request.urlopen(url + \'/_emulator/stats\').status)"\n'
    rc, output = run_shell(recipes[0].text + check, reader[0], reader[1], emulator)
    assert rc == 0, output
    url, status = output.split()[-2:]
    # Its own emulator, not the one the test's environment named.
    assert url.startswith("http://127.0.0.1:") and url != emulator.url and status == "200", output
