# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""End to end: a real ansible-rulebook runs examples/rulebooks/ecs_exports.yml against the emulator.

One ExportImage finishes, one fails, one ImportImage finishes (no rule for
it). Each matching rule must run its playbook exactly once, and the playbooks
must have received the related items and the task's own error. ansible-rulebook
runs until stopped: the test ends it by its PID once the playbooks ran and a
few more polls passed (so a duplicate would show), or at a time limit.

The collection comes from the built tarball, installed into an empty folder:
what ships is what runs. ansible-rulebook comes from requirements-test.txt; it needs a Java 17
runtime, which the fixture installs with apt-get when it is missing (CI is a
fresh Debian, as root).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time

import pytest

from tests.standins.machine_lock import machine_lock
from tests.system.ansible_run import REPO_ROOT

EXAMPLES = os.path.join(REPO_ROOT, "examples")
RULEBOOK = os.path.join("rulebooks", "ecs_exports.yml")
BIN = os.path.dirname(sys.executable)
JAVA_PACKAGE = "openjdk-17-jre-headless"
LIFETIME = 180  # seconds ansible-rulebook may run in this test, at most
FINISHED = re.compile(r"ExportImage (t-[a-z0-9]+) finished: image (m-[a-z0-9]+) written to oss://(\S+?)/(\S+?)\"")
FAILED = re.compile(r"ExportImage (t-[a-z0-9]+) failed \(([\w ]+) -> Failed\): (\S+): (.*?)\"")


def _java_works():
    java = shutil.which("java")
    if not java:
        return False
    return subprocess.call([java, "-version"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL) == 0


@pytest.fixture(scope="session")
def java():
    """A Java 17 runtime for ansible-rulebook's rule engine: installed from Debian if missing."""
    if _java_works():
        return
    apt = shutil.which("apt-get")
    if not apt or os.geteuid() != 0:
        pytest.fail("ansible-rulebook needs a Java 17 runtime and none is installed; as root on Debian run "
                    "apt-get install -y %s" % JAVA_PACKAGE)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    with machine_lock():  # the SSH tests may be installing openssh-server on another worker
        for argv in ([apt, "update", "-q"], [apt, "install", "-y", "-q", "--no-install-recommends", JAVA_PACKAGE]):
            if _java_works():
                break
            proc = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=900,
                                  check=False)
            if proc.returncode != 0:
                pytest.fail("%s failed (rc %d): %s" % (" ".join(argv), proc.returncode, proc.stderr[-2000:]))
    assert _java_works(), "%s is installed but java -version still fails" % JAVA_PACKAGE


def _galaxy(target, *args):
    # Only the empty target on the path: the checkout (linked under .build/collections) must not count as installed.
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=target)
    proc = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection"] + list(args), cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, check=False, timeout=300, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def collections_path(tmp_path_factory):
    """The collection built with ansible-galaxy and installed into an empty folder; returns that folder."""
    dist = tmp_path_factory.mktemp("dist")
    target = tmp_path_factory.mktemp("collections")
    _galaxy(str(target), "build", "--output-path", str(dist))
    (tarball,) = [os.path.join(str(dist), name) for name in os.listdir(str(dist))]
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    for shipped in ("extensions/eda/plugins/event_source/ecs_tasks.py", "plugins/module_utils/_ecs/events/config.py",
                    "plugins/module_utils/_ecs/events/detector.py", "plugins/module_utils/_ecs/events/watcher.py"):
        assert shipped in names, "%s is not in the tarball (galaxy.yml build_ignore?)" % shipped
    _galaxy(str(target), "install", "--offline", "-p", str(target), tarball)
    source = os.path.join(str(target), "ansible_collections", "alicloud", "ecs", "extensions", "eda", "plugins",
                          "event_source", "ecs_tasks.py")
    assert os.path.isfile(source), "the install holds no %s" % source
    return str(target)


class Rulebook(object):
    """ansible-rulebook in its own process group, output to a file; stopped by its PID."""

    def __init__(self, emulator, tmp_path, collections, poll_interval=0.5, rulebook=RULEBOOK):
        self.log_path = os.path.join(str(tmp_path), "ansible-rulebook.log")
        vars_path = os.path.join(str(tmp_path), "vars.yml")
        with open(vars_path, "w", encoding="utf-8") as handle:
            handle.write("ecs_poll_interval: %s\n" % poll_interval)
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("ALIBABA_CLOUD_", "ALICLOUD_", "ANSIBLE_"))}
        env.update({
            "PATH": BIN + os.pathsep + env.get("PATH", ""),
            "HOME": str(tmp_path),
            "ANSIBLE_COLLECTIONS_PATH": collections,
            "ANSIBLE_LOCAL_TEMP": tempfile.mkdtemp(prefix="rulebook-tmp-", dir=str(tmp_path)),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ALIBABA_CLOUD_ACCESS_KEY_ID": "testid",
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "testsecret",
            "ALIBABA_CLOUD_ECS_ENDPOINT": emulator.url,
            "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true",
        })
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [os.path.join(BIN, "ansible-rulebook"), "--rulebook", rulebook, "--inventory", "inventory.ini",
             "--vars", vars_path, "--verbose"],
            cwd=EXAMPLES, env=env, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True)
        self.started = time.monotonic()

    def output(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def wait_for(self, predicate, what):
        while not predicate(self.output()):
            if self.process.poll() is not None:
                raise AssertionError("ansible-rulebook exited (rc %s) before %s:\n%s"
                                     % (self.process.returncode, what, self.output()[-6000:]))
            if time.monotonic() - self.started > LIFETIME:
                raise AssertionError("no %s within %ss:\n%s" % (what, LIFETIME, self.output()[-6000:]))
            time.sleep(0.2)

    def stop(self):
        """SIGTERM to the group this test started (ansible-rulebook and the playbooks it runs), then SIGKILL."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(20)
        self._log.close()


def test_rulebook_runs_the_matching_playbook_once_per_task_end(java, collections_path, emulator, tmp_path):
    rulebook = Rulebook(emulator, tmp_path, collections_path)
    try:
        # Tasks start once the source polls, so "since" (its start) is before them all.
        rulebook.wait_for(lambda _out: emulator.stats()["calls"].get("DescribeTasks", 0) >= 1, "first poll")
        finished = emulator.create_tasks(action="ExportImage", duration=4)[0]
        failed = emulator.create_tasks(action="ExportImage", duration=4, outcome="Failed",
                                       error_code="InvalidOSSBucket.NotFound", error_msg="The bucket does not exist.")[0]
        other = emulator.create_tasks(action="ImportImage", duration=1)[0]
        rulebook.wait_for(lambda out: FINISHED.search(out) and FAILED.search(out), "run of both playbooks")
        polls = emulator.stats()["calls"]["DescribeTasks"]
        # A few more polls with nothing new to say: a duplicate event would run a playbook again.
        rulebook.wait_for(lambda _out: emulator.stats()["calls"]["DescribeTasks"] >= polls + 6, "six more polls")
        time.sleep(2)  # a playbook started by the last poll gets time to print
    finally:
        rulebook.stop()
    output = rulebook.output()

    runs = FINISHED.findall(output)
    truth = emulator.task(finished)
    assert runs == [(finished, truth["resource_id"], truth["related_items"]["OSSBucket"],
                     truth["related_items"]["OSSObject"])], output[-6000:]
    failures = FAILED.findall(output)
    assert len(failures) == 1, output[-6000:]
    assert failures[0][0] == failed and failures[0][2:] == ("InvalidOSSBucket.NotFound", "The bucket does not exist.")
    # Seen running first, unless the machine was too slow to poll within the task's few seconds.
    assert failures[0][1] in ("Processing", "first seen")
    assert output.count("PLAY [Use an exported ECS image]") == 1
    assert output.count("PLAY [Report a failed ECS image export]") == 1
    assert other not in output, "the ImportImage task is not an ExportImage: the source filters it out"
    assert "testsecret" not in output
    calls = emulator.stats()["calls"]
    assert calls["DescribeTaskAttribute"] == 2, calls  # once per ended export


def test_a_bad_source_config_stops_ansible_rulebook_with_a_clear_message(java, collections_path, emulator, tmp_path):
    rulebook_path = os.path.join(str(tmp_path), "bad.yml")
    with open(rulebook_path, "w", encoding="utf-8") as handle:
        handle.write("""---
- name: A typo in the source args
  hosts: localhost
  sources:
    - alicloud.ecs.ecs_tasks:
        region: cn-hangzhou
        task_actoin: ExportImage
  rules:
    - name: Never runs
      condition: event.ecs_task.task_status == "Finished"
      action:
        debug:
""")
    rulebook = Rulebook(emulator, tmp_path, collections_path, rulebook=rulebook_path)
    try:
        rulebook.process.wait(LIFETIME)
    finally:
        rulebook.stop()
    output = rulebook.output()
    assert rulebook.process.returncode != 0, output
    assert "Source error: ConfigError: Source plugin failed with error message: 'unknown option 'task_actoin'" in output
    assert "known options:" in output and "task_action" in output
    assert emulator.stats()["calls"] == {}, "a bad config is refused before any call"
