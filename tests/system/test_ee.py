# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Execution environment: what ansible-builder reads from the collection, and the example EE definition."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys

import yaml

from tests.system.ansible_run import REPO_ROOT

BIN = os.path.dirname(sys.executable)


def tool(name, *args, cwd=REPO_ROOT, env=None):
    proc = subprocess.run([os.path.join(BIN, name)] + list(args), cwd=cwd, env=env, capture_output=True, text=True, check=False,
                          timeout=180, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_meta_execution_environment_points_at_the_requirement_files():
    with open(os.path.join(REPO_ROOT, "meta", "execution-environment.yml")) as handle:
        meta = yaml.safe_load(handle)
    assert meta == {"version": 1, "dependencies": {"python": "requirements.txt", "system": "bindep.txt"}}
    assert os.path.isfile(os.path.join(REPO_ROOT, "bindep.txt"))


def test_introspect_lists_requests_and_jmespath(tmp_path):
    # ansible-builder looks for ansible_collections/<namespace>/<name>/meta/execution-environment.yml.
    (tmp_path / "ansible_collections" / "alicloud").mkdir(parents=True)
    os.symlink(REPO_ROOT, tmp_path / "ansible_collections" / "alicloud" / "ecs")
    data = yaml.safe_load(tool("ansible-builder", "introspect", str(tmp_path)))
    python = [line.split("#")[0].strip() for line in data["python"]]
    assert sorted(python) == ["jmespath>=0.10", "requests>=2.25"]
    assert all("from collection alicloud.ecs" in line for line in data["python"])
    assert data["system"] == []


def test_example_ee_definition_makes_a_build_context_with_the_collection(tmp_path):
    """`ansible-builder create` (no container engine needed) accepts examples/execution-environment.yml."""
    shutil.copy(os.path.join(REPO_ROOT, "examples", "execution-environment.yml"), tmp_path)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tmp_path / "none"))
    tool("ansible-galaxy", "collection", "build", "--output-path", str(tmp_path), env=env)
    tool("ansible-builder", "create", "-f", str(tmp_path / "execution-environment.yml"), "-c", str(tmp_path / "context"),
         "--output-filename", "Containerfile")

    context = tmp_path / "context"
    assert len(glob.glob(str(context / "_build" / "collections" / "alicloud-ecs-*.tar.gz"))) == 1
    containerfile = (context / "Containerfile").read_text()
    assert "COPY _build/collections/alicloud-ecs-*.tar.gz /build/alicloud-ecs.tar.gz" in containerfile
    assert "ansible-galaxy collection install" in containerfile
    # A current base: ansible-core 2.21 on the base image's Python 3.12.
    assert 'ARG PYCMD="/usr/bin/python3.12"' in containerfile
    assert 'ARG ANSIBLE_INSTALL_REFS="ansible-core>=2.21,<2.22 ansible-runner"' in containerfile
    # The builder stage runs introspect in the image, which reads the collection's meta/execution-environment.yml.
    assert "introspect" in containerfile
    requirements = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    assert requirements == {"collections": [{"name": "/build/alicloud-ecs.tar.gz", "type": "file"}]}
