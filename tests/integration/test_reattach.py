# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The re-attach playbook of docs/after-a-restart.md, killed in the middle of its wait and run again.

The playbook is the guide's own first example, as written. It starts the
export with ``aliyun ecs ExportImage`` (tests/standins/bin: the signed call,
sent to the emulator). The first run is killed with SIGKILL (ansible-playbook
and its workers: the process group this test started) while the wait polls;
the rerun must find that export, start nothing, and return that task's
record. The emulator's statistics and task list are the judge.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import pytest

from tests.emulator.harness import Emulator
from tests.integration.ansible_run import BIN, INVENTORY, REPO_ROOT, Ansible

GUIDE = os.path.join(REPO_ROOT, "docs", "after-a-restart.md")
STANDIN_BIN = os.path.join(REPO_ROOT, "tests", "standins", "bin")
IMAGE = "m-reattach0000000001"
BUCKET = "reattach-bucket"
# ExportImage tasks last 60 virtual seconds: 15 real seconds at this scale, time enough to kill the first run mid-wait.
TIME_SCALE = 4


def guide_playbook():
    blocks = re.findall(r"^```yaml[ \t]*\n(.*?)^```[ \t]*$", open(GUIDE, encoding="utf-8").read(), re.M | re.S)
    assert blocks and "hosts:" in blocks[0], "the guide's first yaml block is the playbook"
    return blocks[0]


@pytest.fixture
def scaled_emulator():
    with Emulator(time_scale=TIME_SCALE) as emulator:
        yield emulator


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting for %s" % what)


def test_a_killed_run_is_resumed_by_the_rerun_without_a_second_task(scaled_emulator, tmp_path):
    emulator = scaled_emulator
    ansible = Ansible(emulator)
    env = {"PATH": STANDIN_BIN + os.pathsep + ansible.env.get("PATH", os.defpath), "ALIYUN_STANDIN_PYTHON": sys.executable}
    extra_vars = {"image_id": IMAGE, "export_bucket": BUCKET}
    playbook = tmp_path / "export.yml"
    playbook.write_text(guide_playbook())

    # First run: in its own process group, so SIGKILL reaches ansible-playbook and every worker it forked.
    first_env = dict(ansible.env, **env)
    with tempfile.TemporaryFile() as output:
        first = subprocess.Popen([os.path.join(BIN, "ansible-playbook"), "-i", INVENTORY, str(playbook),
                                  "-e", json.dumps(extra_vars)],
                                 cwd=REPO_ROOT, env=first_env, stdin=subprocess.DEVNULL, stdout=output,
                                 stderr=subprocess.STDOUT, start_new_session=True)
        try:
            # The wait polls the single task with DescribeTaskAttribute: once it has, the run is mid-wait.
            wait_until(lambda: emulator.stats()["calls"].get("DescribeTaskAttribute", 0) >= 1 or first.poll() is not None,
                       120, "the first run to start waiting")
            assert first.poll() is None, "the first run ended before it could be killed"
            os.killpg(first.pid, signal.SIGKILL)
        finally:
            if first.poll() is None:
                os.killpg(first.pid, signal.SIGKILL)
            first.wait(30)
        output.seek(0)
        first_output = output.read().decode("utf-8", "replace")
    assert first.returncode == -signal.SIGKILL, first_output

    [task] = emulator.tasks()
    assert task["action"] == "ExportImage" and task["resource_id"] == IMAGE
    assert task["status"] in ("Waiting", "Processing"), "killed after the export ended: %s" % task
    assert emulator.stats()["calls"]["ExportImage"] == 1

    # The rerun: finds the export under way, starts nothing, waits on it.
    rerun = ansible.playbook(str(playbook), extra_vars=extra_vars, env=env, timeout=240)
    assert rerun.rc == 0, rerun
    assert rerun.status("Start the export only when none is under way") == "skipped"
    assert rerun.result("Keep the ones that have not ended")["ansible_facts"]["unfinished"] == [task["task_id"]]
    waited = rerun.result("Wait for the export, the one found or the one just started")
    assert waited["succeeded"] == [task["task_id"]] and list(waited["tasks_by_id"]) == [task["task_id"]]

    stats = emulator.stats()["calls"]
    assert stats["ExportImage"] == 1, stats
    [after] = emulator.tasks()
    assert after["task_id"] == task["task_id"] and after["status"] == "Finished"
    record = waited["tasks"][0]
    assert record["related_items"] == after["related_items"] and record["related_items"]["OSSBucket"] == BUCKET
    assert rerun.result("Where the image went")["msg"] == "oss://%s/%s" % (BUCKET, after["related_items"]["OSSObject"])


def test_the_first_run_alone_starts_one_export_and_waits_for_it(scaled_emulator, tmp_path):
    """The other branch of the same playbook: nothing under way, so it starts the export and waits."""
    emulator = scaled_emulator
    # A failed export of the same image is not "under way": it must not be taken for the task to follow.
    emulator.create_tasks(action="ExportImage", duration=0, outcome="Failed", resource_id=IMAGE)
    ansible = Ansible(emulator)
    run = ansible.playbook(guide_playbook(), extra_vars={"image_id": IMAGE, "export_bucket": BUCKET},
                           env={"PATH": STANDIN_BIN + os.pathsep + ansible.env.get("PATH", os.defpath),
                                "ALIYUN_STANDIN_PYTHON": sys.executable}, timeout=240)
    assert run.rc == 0, run
    assert emulator.stats()["calls"]["ExportImage"] == 1
    started = json.loads(run.result("Start the export only when none is under way")["stdout"])["TaskId"]
    waited = run.result("Wait for the export, the one found or the one just started")
    assert waited["succeeded"] == [started]
    assert emulator.task(started)["status"] == "Finished"
