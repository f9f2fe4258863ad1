# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""scripts/test.py tells a person what runs: the stage, each test file as it starts, the slowest tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.integration.ansible_run import REPO_ROOT


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
