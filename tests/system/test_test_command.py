# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The project's own commands: scripts/test.py tells a person what runs (the stage, each test file as it
starts, the slowest tests); the setup shows a line or two, not pip's output; scripts/demo.py runs.
scripts/typecheck.py fails on a type error, passes clean code, and says how to get mypy when it is missing."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.system.ansible_run import REPO_ROOT

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


def test_under_xdist_each_file_gets_one_line_with_its_count(tmp_path):
    # The whole suite runs on two workers (scripts/test.py's pytest_workers): their files interleave.
    for name, count in (("test_one.py", 3), ("test_two.py", 2)):
        (tmp_path / name).write_text("".join("def test_%d():\n    pass\n\n" % number for number in range(count)))
    argv = [sys.executable, os.path.join(REPO_ROOT, "scripts", "test.py"), "--only", "pytest", "--", "-n", "2",
            "--dist", "loadfile", str(tmp_path / "test_one.py"), str(tmp_path / "test_two.py")]
    proc = subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
                          check=False)
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    files = re.findall(r"^\[pytest \d+(?:m\d\d)?s\] (\S+) \((\d+) tests?, (\d+)/5\)$", out, re.M)
    assert sorted((os.path.basename(path), count) for path, count, _done in files) == [
        ("test_one.py", "3"), ("test_two.py", "2")], out
    assert "5 passed" in out, out


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


def test_other_stages_run_in_the_background_while_pytest_runs(tmp_path):
    release = tmp_path / "release"
    # pytest's one test ends only once the background stage has (this test sees its line and releases it): with the
    # stages one after another it would never end, and it fails after 240 s saying so. No timing is assumed.
    (tmp_path / "test_slow.py").write_text(
        "import os\nimport time\n\n\ndef test_a():\n    end = time.monotonic() + 240\n"
        "    while not os.path.exists(%r):\n"
        "        assert time.monotonic() < end, 'the background stage did not end while pytest ran'\n"
        "        time.sleep(0.1)\n" % str(release))
    argv = [sys.executable, os.path.join(REPO_ROOT, "scripts", "test.py"), "--only", "changelog-lint,pytest", "--",
            str(tmp_path / "test_slow.py")]
    proc = subprocess.Popen(argv, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            stdin=subprocess.DEVNULL)
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("[background] --> changelog-lint "):
            release.touch()
    out = "".join(lines)
    assert proc.wait(60) == 0, out
    assert "==> changelog-lint run in the background while pytest runs" in out
    # The background stage ended while pytest still ran; the summary keeps the stages' order.
    assert out.index("[background] --> changelog-lint PASSED") < out.index("--> pytest PASSED"), out
    assert "output in .build/logs/changelog-lint.log" in out
    summary = out[out.index("==> summary"):].splitlines()
    assert [line.split()[:2] for line in summary[1:3]] == [["PASS", "pytest"], ["PASS", "changelog-lint"]], summary
    assert "antsibull-changelog lint" in open(os.path.join(REPO_ROOT, ".build", "logs", "changelog-lint.log")).read()


def _env_module():
    sys.path.insert(0, os.path.join(REPO_ROOT, "scripts"))
    import _env  # noqa: E402  pylint: disable=import-outside-toplevel
    import _pythons  # noqa: E402  pylint: disable=import-outside-toplevel
    return _env, _pythons.Interpreter(tuple(sys.version_info[:2]), sys.executable)


def test_setup_shows_a_line_or_two_and_keeps_pips_output_in_a_log(tmp_path, capsys):
    """pip warns about every package on this machine (its config names absent index folders): none of it on the console."""
    _env, interpreter = _env_module()
    venv = str(tmp_path / "venv")
    _env._ensure(venv, interpreter, ["pip"], "pip")
    out = capsys.readouterr().out.splitlines()
    assert [line.split(" ", 2)[1] for line in out] == ["creating", "installing"], out
    log = re.search(r"pip's output: (\.build/logs/\S+\.log)\)$", out[1]).group(1)
    with open(os.path.join(REPO_ROOT, log)) as handle:
        assert "Requirement already satisfied: pip" in handle.read()
    _env._ensure(venv, interpreter, ["pip"], "pip")  # the stamp is current: nothing to do, nothing said
    assert capsys.readouterr().out == ""


def test_a_failed_install_shows_the_tail_of_pips_output(tmp_path):
    _env, interpreter = _env_module()
    with pytest.raises(SystemExit) as info:
        _env._ensure(str(tmp_path / "venv"), interpreter, ["--no-index", "alicloud-ecs-no-such-package"], "a package")
    message = str(info.value)
    assert message.startswith("pip install a package failed (rc=1); the last lines of .build/logs/"), message
    assert "No matching distribution found for alicloud-ecs-no-such-package" in message


def test_the_demo_runs_and_shows_the_wait_not_the_setup():
    proc = subprocess.run([sys.executable, os.path.join(REPO_ROOT, "scripts", "demo.py")], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert re.match(r"==> \.venv: Python 3\.\d+ \(\S+\), ansible-core 2\.\d+\.\d+\n", out), out[:500]
    assert "WARNING: Location" not in out and "Created collection" not in out, out
    assert "[localhost] ecs_task_wait: done: 1/1 succeeded" in out and "PLAY RECAP" in out, out


def test_the_docs_name_every_stage():
    """docs/ci.md and the README list every stage `--list` shows."""
    proc = subprocess.run([sys.executable, os.path.join(REPO_ROOT, "scripts", "test.py"), "--list"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode == 0, proc.stderr
    names = [line.split()[0] for line in proc.stdout.splitlines() if line.strip()]
    assert {"pytest", "sanity", "integration"} <= set(names), names
    for doc in ("docs/ci.md", "README.md"):
        with open(os.path.join(REPO_ROOT, doc), encoding="utf-8") as handle:
            text = handle.read()
        assert [name for name in names if not re.search(r"(?<![\w.-])%s(?![\w.-])" % re.escape(name), text)] == [], doc


@pytest.mark.parametrize("found, home", [
    ([(3, 9), (3, 11), (3, 12), (3, 13)], ("2.21", (3, 13))),
    ([(3, 12)], ("2.21", (3, 12))),
    ([(3, 13), (3, 14)], ("2.21", (3, 14))),
    ([(3, 9), (3, 11)], ("2.19", (3, 11))),
])
def test_home_is_the_newest_core_on_the_newest_python_it_supports(found, home):
    _env, _ignored = _env_module()
    from _pythons import Interpreter, choose_home  # pylint: disable=import-outside-toplevel
    core, interpreter = choose_home({version: Interpreter(version, "/x/python%d.%d" % version) for version in found})
    assert (core, interpreter.version) == home


def test_without_python_311_or_newer_the_scripts_say_what_to_install():
    _env, _ignored = _env_module()
    from _pythons import Interpreter, choose_home  # pylint: disable=import-outside-toplevel
    with pytest.raises(SystemExit) as info:
        choose_home({(3, 10): Interpreter((3, 10), "/usr/bin/python3.10")})
    assert str(info.value).startswith("these scripts need Python 3.11 or newer") and "found 3.10" in str(info.value)


def test_interpreters_that_do_not_run_or_are_venvs_are_left_out(tmp_path, monkeypatch):
    """A pyenv shim for a version that is not active exits 127: it is not an interpreter. A venv's python3.X
    (.venv's is first on PATH inside a stage) is no base for another venv, and must not hide its own base."""
    _env, _ignored = _env_module()
    import _pythons  # pylint: disable=import-outside-toplevel
    version = tuple(sys.version_info[:2])
    broken = (3, 9) if version != (3, 9) else (3, 10)
    shims, venv_bin, base_bin = (tmp_path / name / "bin" for name in ("shims", "venv", "base"))
    for folder in (shims, venv_bin, base_bin):
        folder.mkdir(parents=True)
    shim = shims / ("python%d.%d" % broken)
    shim.write_text("#!/bin/sh\necho 'pyenv: %s: command not found' >&2\nexit 127\n" % shim.name)
    shim.chmod(0o755)
    name = "python%d.%d" % version
    os.symlink(sys.executable, str(venv_bin / name))  # pytest runs in .venv: a venv's interpreter
    (venv_bin.parent / "pyvenv.cfg").write_text(open(os.path.join(sys.prefix, "pyvenv.cfg")).read())
    os.symlink(os.path.realpath(sys.executable), str(base_bin / name))
    monkeypatch.setenv("PATH", os.pathsep.join(str(folder) for folder in (shims, venv_bin, base_bin)))
    monkeypatch.setattr(_pythons, "pyenv_root", lambda: None)
    found = _pythons.find_interpreters()
    assert list(found) == [version], found
    assert found[version].path == str(base_bin / name)
