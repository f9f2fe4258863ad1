# -*- coding: utf-8 -*-
"""Shared setup for scripts/demo.py and scripts/test.py (standard library only).

Starts under any Python 3.9+. Everything else lives in virtualenvs this module
creates and keeps in step with their requirements: .venv, the home of the
newest ansible-core (2.21 on the newest Python 3.12+ the machine has; 2.19 on
Python 3.11 when that is all there is), and one venv per other ansible-core of
the test matrix under .build/cores/. scripts/_pythons.py finds the interpreters.
"""
from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _pythons  # noqa: E402  (scripts/ is not a package)
from tests.emulator import harness as _harness  # noqa: E402  (standard library only, like this module)

VENV = os.path.join(ROOT, ".venv")
BUILD = os.path.join(ROOT, ".build")
LOGS = os.path.join(BUILD, "logs")
REQUIREMENTS = [os.path.join(ROOT, "requirements-test.txt"), os.path.join(ROOT, "requirements.txt")]
# Not .build/collections: the root conftest.py symlinks the checkout there for
# plain pytest, and an installed copy must not replace that link.
INSTALLED = os.path.join(BUILD, "installed")
DIST = os.path.join(BUILD, "dist")
ANSIBLE_TEST_TREE = os.path.join(BUILD, "ansible-test", "ansible_collections", "alicloud", "ecs")
# python3.X links to every interpreter found, first on PATH for ansible-test (scripts/_pythons.py).
PYTHONS_BIN = os.path.join(BUILD, "pythons")
GET_PIP_CACHE = os.path.expanduser("~/.ansible/test/cache")
# The pip version ansible-test asks for, used if its source cannot be read.
DEFAULT_PIP_VERSION = "24.2"
# What a venv of another ansible-core of the matrix holds: its unit tests and ansible-test need no more.
CORE_EXTRA = ["-r", REQUIREMENTS[1], "pytest>=8,<10"]


def say(message):
    print(message, flush=True)


def run(argv, cwd=ROOT, env=None, check=True, **kwargs):
    """Run a command with no stdin (CI has none); return its exit code."""
    rc = subprocess.call(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, **kwargs)
    if check and rc != 0:
        raise SystemExit("command failed (rc=%d): %s" % (rc, " ".join(argv)))
    return rc


def run_logged(argv, log_name, what, cwd=ROOT, env=None):
    """Run a noisy command (pip) with its output in .build/logs/<log_name>.log; on failure show the tail and exit."""
    os.makedirs(LOGS, exist_ok=True)
    path = os.path.join(LOGS, log_name + ".log")
    with open(path, "w", encoding="utf-8") as log:
        rc = subprocess.call(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    if rc != 0:
        with open(path, encoding="utf-8", errors="replace") as log:
            tail = log.read().splitlines()[-25:]
        shown = "\n".join("    " + line for line in tail)
        raise SystemExit("%s failed (rc=%d); the last lines of %s:\n%s" % (what, rc, os.path.relpath(path, ROOT), shown))
    return path


# -- interpreters and the home venv ------------------------------------------

_FOUND = {}


def interpreters():
    """version -> Interpreter of every working Python 3.9+ (looked for once per process)."""
    if not _FOUND:
        _FOUND.update(_pythons.find_interpreters())
    return dict(_FOUND)


def home():
    """(core, Interpreter) of .venv."""
    return _pythons.choose_home(interpreters())


def bin_path(name, venv=VENV):
    return os.path.join(venv, "bin", name)


def python(venv=VENV):
    return bin_path("python", venv)


def core_venv(core):
    """The venv of an ansible-core release of the matrix: .venv for home, .build/cores/<core> otherwise."""
    return VENV if core == home()[0] else os.path.join(BUILD, "cores", core)


def _requirements_hash(interpreter, lines=()):
    digest = hashlib.sha256(interpreter.path.encode())
    for path in REQUIREMENTS:
        with open(path, "rb") as handle:
            digest.update(handle.read())
    for line in lines:
        digest.update(line.encode())
    return digest.hexdigest()


def _venv_version(venv):
    """(major, minor) of the venv's Python, or None when it does not run."""
    try:
        out = subprocess.run([python(venv), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return tuple(int(part) for part in out.stdout.strip().split("."))


def _ensure(venv, interpreter, pip_args, what):
    """Create ``venv`` with ``interpreter`` if needed; pip-install ``pip_args`` unless its stamp is current."""
    stamp = os.path.join(venv, ".requirements-stamp")
    wanted = _requirements_hash(interpreter, pip_args)
    if _venv_version(venv) != interpreter.version:
        say("==> creating %s with Python %s (%s)" % (os.path.relpath(venv, ROOT), interpreter.name, interpreter.path))
        run_logged([interpreter.path, "-m", "venv", "--clear", venv], "venv-" + os.path.basename(venv), "python -m venv")
    try:
        with open(stamp, encoding="utf-8") as handle:
            if handle.read().strip() == wanted:
                return venv
    except FileNotFoundError:
        pass
    name = "pip-" + "-".join(part.lstrip(".") for part in os.path.relpath(venv, ROOT).split(os.sep) if part.strip("."))
    say("==> installing %s into %s (the first time takes a few minutes; pip's output: .build/logs/%s.log)"
        % (what, os.path.relpath(venv, ROOT), name))
    run_logged([python(venv), "-m", "pip", "install", "--disable-pip-version-check"] + list(pip_args), name,
               "pip install %s" % what)
    with open(stamp, "w", encoding="utf-8") as handle:
        handle.write(wanted + "\n")
    return venv


def ensure_venv():
    """.venv with requirements-test.txt (the home ansible-core), created or updated as needed; says which."""
    core, interpreter = home()
    if core == "2.19":
        say("==> only Python 3.11 here: ansible-core 2.19 (2.20 and 2.21 need Python 3.12+ on the controller)")
    _ensure(VENV, interpreter, ["-r", REQUIREMENTS[0]], "requirements-test.txt")
    say("==> .venv: Python %s (%s), ansible-core %s" % (interpreter.name, interpreter.path, installed_core(VENV)))
    return VENV


def installed_core(venv):
    """The ansible-core version installed in ``venv`` (read from its metadata, without importing it)."""
    for path in glob.glob(os.path.join(venv, "lib", "python3.*", "site-packages", "ansible_core-*.dist-info")):
        return os.path.basename(path)[len("ansible_core-"):-len(".dist-info")]
    return "not installed"


def ensure_core_venv(core):
    """The venv of another ansible-core of the matrix; None when its Python is missing here."""
    interpreter = _pythons.matrix_interpreter(core, interpreters())
    if interpreter is None:
        return None
    requirement = "ansible-core>=%s,<%s.%d" % (core, core.split(".")[0], int(core.split(".")[1]) + 1)
    return _ensure(core_venv(core), interpreter, [requirement] + CORE_EXTRA, requirement)


def python_path_dir():
    """.build/pythons: python3.X for every interpreter found, to put first on PATH for ansible-test."""
    return _pythons.python_bin_dir(PYTHONS_BIN, interpreters())


def venv_env(**extra):
    """The environment for tools of the venv: its bin first on PATH."""
    env = dict(os.environ)
    env["PATH"] = os.path.join(VENV, "bin") + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = VENV
    env.pop("PYTHONHOME", None)
    env.update(extra)
    return env


def project_files():
    """Paths (relative) of the files git tracks or would track: works in a fresh clone."""
    try:
        out = subprocess.check_output(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT,
                                      stdin=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError):
        raise SystemExit("cannot list the project's files: is %s a git checkout with git installed?" % ROOT)
    paths = [p for p in out.decode().split("\0") if p]
    # Tracked files deleted in the work tree are still listed by git.
    return sorted(p for p in paths if os.path.lexists(os.path.join(ROOT, p)))


def _same_file(src, dst):
    try:
        a, b = os.lstat(src), os.lstat(dst)
    except FileNotFoundError:
        return False
    return a.st_size == b.st_size and int(a.st_mtime) == int(b.st_mtime)


def build_ansible_test_tree():
    """Mirror the project into .build/ansible-test/ansible_collections/alicloud/ecs and return that path.

    ansible-test must run from inside ansible_collections/<ns>/<name>. The mirror
    gets its own (empty) git repository so ansible-test lists its files with
    `git ls-files` there; without it ansible-test would walk up to the outer
    checkout, where .build/ is ignored, and find no files.
    """
    files = project_files()
    wanted = set(files)
    dest = ANSIBLE_TEST_TREE
    os.makedirs(dest, exist_ok=True)
    for rel in files:
        src, dst = os.path.join(ROOT, rel), os.path.join(dest, rel)
        if _same_file(src, dst):
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.lexists(dst) or os.path.islink(dst):
            os.remove(dst)
        shutil.copy2(src, dst, follow_symlinks=False)
    # Drop what the project no longer has; keep ansible-test's own output.
    for top, dirs, names in os.walk(dest, topdown=True):
        rel_top = os.path.relpath(top, dest)
        dirs[:] = [d for d in dirs if os.path.normpath(os.path.join(rel_top, d)) not in (".git", os.path.join("tests", "output"))
                   and d != "__pycache__"]
        for name in names:
            rel = os.path.normpath(os.path.join(rel_top, name))
            if rel not in wanted:
                os.remove(os.path.join(top, name))
    if not os.path.isdir(os.path.join(dest, ".git")):
        run(["git", "init", "-q", dest])
    return dest


def ansible_test_pip_version(venv=VENV):
    """The pip version ansible-test bootstraps into its venvs (names the cached get-pip script)."""
    sources = glob.glob(os.path.join(venv, "lib", "python3.*", "site-packages", "ansible_test", "_internal",
                                     "python_requirements.py"))
    try:
        with open(sources[0], encoding="utf-8") as handle:
            source = handle.read()
    except (IndexError, OSError):
        return DEFAULT_PIP_VERSION
    marker = "pip='"
    start = source.find(marker)
    if start < 0:
        return DEFAULT_PIP_VERSION
    start += len(marker)
    return source[start:source.index("'", start)]


GET_PIP_STANDIN = '''\
"""Local stand-in for get-pip.py, written by scripts/_env.py (its host is unreachable here).

ensurepip runs in a subprocess: run in-process it drops the machine's pip settings.
"""
import subprocess
import sys

DROPPED = ("--no-setuptools", "--no-wheel")


def main():
    args = [arg for arg in sys.argv[1:] if arg not in DROPPED]
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--upgrade"] + args)


if __name__ == "__main__":
    try:
        main()
    except subprocess.CalledProcessError as ex:
        sys.exit(ex.returncode or 1)
'''


def write_get_pip_standin(venv=VENV):
    """Let `ansible-test --venv` bootstrap pip from the package index instead of downloading get-pip.py."""
    version = ansible_test_pip_version(venv)
    path = os.path.join(GET_PIP_CACHE, "get_pip_%s.py" % version.replace(".", "_"))
    os.makedirs(GET_PIP_CACHE, exist_ok=True)
    try:
        with open(path, encoding="utf-8") as handle:
            if handle.read() == GET_PIP_STANDIN:
                return path
    except OSError:
        pass
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(GET_PIP_STANDIN)
    return path


def build_and_install_collection():
    """ansible-galaxy build + install into .build/installed; return the collections path to use."""
    os.makedirs(DIST, exist_ok=True)
    for name in os.listdir(DIST):
        if name.endswith(".tar.gz"):
            os.remove(os.path.join(DIST, name))
    env = venv_env(ANSIBLE_COLLECTIONS_PATH=INSTALLED)
    run_logged([bin_path("ansible-galaxy"), "collection", "build", "--force", "--output-path", DIST], "galaxy-build",
               "ansible-galaxy collection build", env=env)
    tarballs = [os.path.join(DIST, n) for n in os.listdir(DIST) if n.endswith(".tar.gz")]
    if len(tarballs) != 1:
        raise SystemExit("expected one collection tarball in %s, found %d" % (DIST, len(tarballs)))
    run_logged([bin_path("ansible-galaxy"), "collection", "install", "--offline", "--force", "-p", INSTALLED, tarballs[0]],
               "galaxy-install", "ansible-galaxy collection install", env=env)
    return INSTALLED


class Emulator(_harness.Emulator):
    """tests/emulator/harness.py's launcher with the venv's Python and a fresh .build/emulator.log; exits cleanly if it fails."""

    def __init__(self, *args, log_path=None, start_timeout=30):
        super().__init__(extra_args=args, python=python(), log_path=log_path or os.path.join(BUILD, "emulator.log"),
                         start_timeout=start_timeout)

    def start(self):
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        with open(self.log_path, "wb"):  # one run's log, not every run's
            pass
        try:
            return super().start()
        except _harness.EmulatorError as exc:
            raise SystemExit("%s (see %s)" % (exc, self.log_path)) from None
