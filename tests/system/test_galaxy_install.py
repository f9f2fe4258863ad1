# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Release check: the built tarball holds no local clutter, installs into an empty path and works from there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import urllib.request

import pytest

from tests.system.ansible_run import REPO_ROOT

BIN = os.path.dirname(sys.executable)
# Local state that must never ship (galaxy.yml build_ignore).
CLUTTER = (".venv", ".build", "tests/output", "__pycache__", ".pytest_cache", ".cache")


def galaxy(*args, env):
    proc = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection"] + list(args), cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, check=False, timeout=180, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(tarball, collections path): the collection built and installed into an empty folder."""
    dist = tmp_path_factory.mktemp("dist")
    target = tmp_path_factory.mktemp("collections")
    assert os.listdir(target) == []
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(target))
    galaxy("build", "--output-path", str(dist), env=env)
    tarballs = [os.path.join(dist, name) for name in os.listdir(dist)]
    assert len(tarballs) == 1, tarballs
    tarball = tarballs[0]
    galaxy("install", "--offline", "-p", str(target), tarball, env=env)
    return tarball, str(target)


def test_tarball_leaves_out_local_state(installed):
    tarball = installed[0]
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    assert "MANIFEST.json" in names and "plugins/modules/ecs_task_wait.py" in names
    assert "roles/wait_for_tasks/meta/argument_specs.yml" in names
    assert "meta/execution-environment.yml" in names and "bindep.txt" in names
    for name in names:
        parts = name.split("/")
        for clutter in CLUTTER:
            assert clutter not in parts and not name.startswith(clutter + "/"), name


def test_ansible_doc_renders_from_the_install(installed):
    target = installed[1]
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=target, ANSIBLE_NOCOLOR="1")
    proc = subprocess.run([os.path.join(BIN, "ansible-doc"), "alicloud.ecs.ecs_task_wait"], env=env, capture_output=True,
                          text=True, check=False, timeout=120, stdin=subprocess.DEVNULL, cwd=target)
    assert proc.returncode == 0, proc.stderr
    module_path = os.path.join(target, "ansible_collections", "alicloud", "ecs", "plugins", "modules", "ecs_task_wait.py")
    assert proc.stdout.startswith("> MODULE alicloud.ecs.ecs_task_wait (%s)" % module_path)
    text = " ".join(proc.stdout.split())
    assert "Declare the state ECS asynchronous tasks" in text
    for option in ("task_ids", "target_states", "failure_states", "timeout", "fail_on_failure", "region", "endpoint"):
        assert "= %s " % option in text or "- %s " % option in text, option
    assert "RETURN VALUES" in text and "timed_out" in text


def test_playbook_waits_on_a_task_from_the_install(installed, ansible):
    target = installed[1]
    task_id = ansible.emulator.create_tasks(action="ExportImage", duration=1)[0]
    run = ansible.playbook("""
- name: From the installed collection
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Wait
      alicloud.ecs.ecs_task_wait:
        task_ids: ["%s"]
        timeout: 30
      register: waited

    - name: Where the role came from
      ansible.builtin.include_role:
        name: alicloud.ecs.wait_for_tasks
      vars:
        wait_for_tasks_task_ids: ["%s"]
        wait_for_tasks_reports: false
""" % (task_id, task_id), env={"ANSIBLE_COLLECTIONS_PATH": target}, args=["-v"])
    assert run.rc == 0, run
    assert run.result("Wait")["succeeded"] == [task_id]
    # -v prints the path of each role task: it is the installed copy, not the checkout.
    assert os.path.join(target, "ansible_collections", "alicloud", "ecs", "roles", "wait_for_tasks") in run.output


def test_emulator_starts_from_the_install(installed, tmp_path):
    """docs/ci.md: `python3 <installed collection>/tests/emulator/serve.py --port 0`, from any folder."""
    target = installed[1]
    serve = os.path.join(target, "ansible_collections", "alicloud", "ecs", "tests", "emulator", "serve.py")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "ANSIBLE_COLLECTIONS_PATH")}
    proc = subprocess.Popen([sys.executable, serve, "--port", "0"], cwd=str(tmp_path), env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), (url, proc.stderr.read() if proc.poll() is not None else "")
        request = urllib.request.Request(url + "/_emulator/tasks", data=json.dumps({"action": "ExportImage"}).encode(),
                                         method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert json.loads(answer.read())["task_ids"][0].startswith("t-")
        # The copy that runs is the installed one, not the checkout's.
        assert str(tmp_path) not in serve and REPO_ROOT not in serve
    finally:
        proc.terminate()
        proc.wait(10)
