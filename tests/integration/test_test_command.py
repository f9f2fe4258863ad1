# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""scripts/test.py tells a person what runs: the stage, each test file as it starts, the slowest tests.
scripts/typecheck.py fails on a type error, passes clean code, and says how to get mypy when it is missing."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.integration.ansible_run import REPO_ROOT

TYPECHECK = os.path.join(REPO_ROOT, "scripts", "typecheck.py")


def test_pytest_stage_names_each_file_and_the_slowest_tests(tmp_path):
    for name, body in (("test_one.py", "import time\n\ndef test_a():\n    time.sleep(1.1)\n\ndef test_b():\n    pass\n"),
                       ("test_two.py", "def test_c():\n    pass\n")):
        (tmp_path / name).write_text(body)
    argv = [sys.executable, os.path.join(REPO_ROOT, "scripts", "test.py"), "--only", "pytest", "--",
            str(tmp_path / "test_one.py"), str(tmp_path / "test_two.py")]
    proc = subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
                          check=False)
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert "==> stage 1/1 pytest:" in out
    files = re.findall(r"^\[pytest \d+(?:m\d\d)?s\] (\S+) \((\d+) tests?, (\d+)/3\)$", out, re.M)
    assert [(os.path.basename(path), count, done) for path, count, done in files] == [
        ("test_one.py", "2", "0"), ("test_two.py", "1", "2")], out
    # The slowest tests at the end (pytest --durations), the 1.1 s one among them.
    assert "slowest 15 durations" in out and re.search(r"\d\.\d\ds call .*test_one.py::test_a", out), out


def typecheck(*argv):
    proc = subprocess.run([sys.executable, TYPECHECK] + list(argv), cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def test_typecheck_fails_on_a_type_error_and_names_it(tmp_path):
    pytest.importorskip("mypy", reason="requirements-test.txt installs mypy")
    (tmp_path / "wrong.py").write_text("from __future__ import annotations\n\ncount: int = 'one'\n")
    rc, out = typecheck("--python", sys.executable, "--", str(tmp_path / "wrong.py"))
    assert rc == 1, out
    assert re.search(r"wrong\.py:3: error: Incompatible types in assignment .*\[assignment\]$", out, re.M), out
    # The errors per folder, then mypy's own summary last.
    assert re.search(r"^\s+1  \S*wrong\.py$", out, re.M), out
    assert out.rstrip().splitlines()[-1] == "Found 1 error in 1 file (checked 1 source file)", out


def test_typecheck_passes_clean_code_with_the_repository_config(tmp_path):
    pytest.importorskip("mypy", reason="requirements-test.txt installs mypy")
    # Fine on Python 3.9 only written this way: mypy.ini's python_version refuses `match` (3.10).
    (tmp_path / "fine.py").write_text("from __future__ import annotations\n\ncount: int = 1\n")
    (tmp_path / "too_new.py").write_text("match 1:\n    case _:\n        pass\n")
    rc, out = typecheck("--python", sys.executable, "--", str(tmp_path / "fine.py"))
    assert rc == 0 and out.rstrip().splitlines()[-1] == "Success: no issues found in 1 source file", out
    rc, out = typecheck("--python", sys.executable, "--", str(tmp_path / "too_new.py"))
    assert rc != 0 and "only supported in Python 3.10 and greater" in out, out


def test_typecheck_without_mypy_says_how_to_get_it(tmp_path):
    no_mypy = tmp_path / "python"
    no_mypy.write_text("#!/bin/sh\nexit 1\n")  # an interpreter that cannot import mypy
    no_mypy.chmod(0o755)
    rc, out = typecheck("--python", str(no_mypy))
    assert rc == 2, out
    assert out.strip() == ("typecheck: mypy is not installed for %s; install requirements-test.txt there (python3 "
                           "scripts/test.py does it for .venv) or name another interpreter with --python" % no_mypy), out
