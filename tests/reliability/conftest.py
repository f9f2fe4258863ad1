# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the reliability tests: real ansible runs against the emulator."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import pytest

from tests.system.ansible_run import REPO_ROOT, Ansible


def fast_ansible(emulator, **kwargs):
    """Ansible(emulator); pipelining and a private async dir are the harness's defaults now."""
    return Ansible(emulator, **kwargs)


def run_playbook(runner, text, **kwargs):
    """Run playbook ``text`` from a private directory (the shared playbooks/ directory is cleaned by others)."""
    directory = tempfile.mkdtemp(prefix="reliability-")
    path = os.path.join(directory, "playbook.yml")
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return runner.playbook(path, **kwargs)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def ansible(emulator):
    """Runs ansible-playbook / ansible with the collection installed and the emulator's URL and keys set."""
    return fast_ansible(emulator)


def role_in_git(name):
    """Whether roles/<name> is committed (the role is written by someone else; test it once it lands)."""
    try:
        out = subprocess.run(["git", "ls-files", "roles/%s" % name], cwd=REPO_ROOT, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0 and bool(out.stdout.strip()) and os.path.isdir(os.path.join(REPO_ROOT, "roles", name))


# The last one is how run_safely words an error nobody foresaw (a bug).
TRACEBACK_MARKS = ("Traceback (most recent call last)", "MODULE FAILURE", "module_stderr", "This is a bug in alicloud.ecs")


def assert_no_traceback(run):
    """Neither the output nor any recorded result shows a traceback or an unforeseen-error marker."""
    for mark in TRACEBACK_MARKS:
        assert mark not in run.output, "%r in the output:\n%r" % (mark, run)
    for entry in run.results:
        result = entry["result"]
        # ansible-core 2.19's fail_json fills "exception" with "(traceback unavailable)" when there is none.
        assert "Traceback" not in str(result.get("exception", "")) and "module_stderr" not in result, entry
