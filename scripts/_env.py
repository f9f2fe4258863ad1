# -*- coding: utf-8 -*-
"""Shared setup for scripts/demo.py and scripts/test.py (standard library only).

Runs under any Python 3.11; everything else lives in the virtualenv at .venv,
which this module creates and keeps in step with requirements-test.txt.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tests.emulator import harness as _harness  # noqa: E402  (standard library only, like this module)

VENV = os.path.join(ROOT, ".venv")
BUILD = os.path.join(ROOT, ".build")
REQUIREMENTS = [os.path.join(ROOT, "requirements-test.txt"), os.path.join(ROOT, "requirements.txt")]
# Not .build/collections: the root conftest.py symlinks the checkout there for
# plain pytest, and an installed copy must not replace that link.
INSTALLED = os.path.join(BUILD, "installed")
DIST = os.path.join(BUILD, "dist")
ANSIBLE_TEST_TREE = os.path.join(BUILD, "ansible-test", "ansible_collections", "alicloud", "ecs")
ANSIBLE_TEST_SOURCE = os.path.join(VENV, "lib", "python3.11", "site-packages", "ansible_test",
                                   "_internal", "python_requirements.py")
GET_PIP_CACHE = os.path.expanduser("~/.ansible/test/cache")
# The pip version ansible-test 2.17-2.19 asks for, used if its source cannot be read.
DEFAULT_PIP_VERSION = "24.2"


def say(message):
    print(message, flush=True)


def run(argv, cwd=ROOT, env=None, check=True, **kwargs):
    """Run a command with no stdin (CI has none); return its exit code."""
    rc = subprocess.call(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, **kwargs)
    if check and rc != 0:
        raise SystemExit("command failed (rc=%d): %s" % (rc, " ".join(argv)))
    return rc


def bin_path(name):
    return os.path.join(VENV, "bin", name)


def python():
    return bin_path("python")


def _requirements_hash(lines=()):
    digest = hashlib.sha256(sys.version.encode())
    for path in REQUIREMENTS:
        with open(path, "rb") as handle:
            digest.update(handle.read())
    for line in lines:
        digest.update(line.encode())
    return digest.hexdigest()


def _venv_works(venv):
    try:
        return subprocess.call([os.path.join(venv, "bin", "python"), "-c",
                                "import sys; assert sys.version_info[:2] == (3, 11)"],
                               stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0
    except OSError:
        return False


def _ensure(venv, pip_args, what, extra=()):
    """Create ``venv`` if needed and pip-install ``pip_args`` unless its stamp is current."""
    if sys.version_info[:2] != (3, 11):
        raise SystemExit("run this with Python 3.11 (ansible-core 2.19 is the newest controller on 3.11); got %s"
                         % sys.version.split()[0])
    stamp = os.path.join(venv, ".requirements-stamp")
    wanted = _requirements_hash(extra)
    if not _venv_works(venv):
        say("==> creating virtualenv %s" % venv)
        run([sys.executable, "-m", "venv", "--clear", venv])
    try:
        with open(stamp, encoding="utf-8") as handle:
            if handle.read().strip() == wanted:
                return venv
    except FileNotFoundError:
        pass
    say("==> installing %s into %s (first run takes a few minutes)" % (what, os.path.relpath(venv, ROOT)))
    run([os.path.join(venv, "bin", "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"] + list(pip_args))
    with open(stamp, "w", encoding="utf-8") as handle:
        handle.write(wanted + "\n")
    return venv


def ensure_venv():
    """Create .venv if needed and install requirements-test.txt unless the stamp is current."""
    return _ensure(VENV, ["-r", REQUIREMENTS[0]], "requirements-test.txt")


# The older ansible-core releases the collection supports (meta/runtime.yml), each
# tested in a venv of its own with what the compat stage's tests need.
COMPAT_CORES = {"2.17": "ansible-core>=2.17,<2.18", "2.18": "ansible-core>=2.18,<2.19"}
COMPAT_EXTRA = ["-r", REQUIREMENTS[1], "pytest>=8,<10"]


def compat_python(core):
    return os.path.join(BUILD, "compat", core, "bin", "python")


def ensure_compat_venv(core):
    """.build/compat/<core>: that ansible-core, the runtime requirements and pytest."""
    requirement = COMPAT_CORES[core]
    pip_args = [requirement] + COMPAT_EXTRA
    _ensure(os.path.dirname(os.path.dirname(compat_python(core))), pip_args, requirement, extra=pip_args)


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


def ansible_test_pip_version():
    """The pip version ansible-test bootstraps into its venvs (names the cached get-pip script)."""
    try:
        with open(ANSIBLE_TEST_SOURCE, encoding="utf-8") as handle:
            source = handle.read()
    except OSError:
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


def write_get_pip_standin():
    """Let `ansible-test --venv` bootstrap pip from the package index instead of downloading get-pip.py."""
    version = ansible_test_pip_version()
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
    run([bin_path("ansible-galaxy"), "collection", "build", "--force", "--output-path", DIST], env=env)
    tarballs = [os.path.join(DIST, n) for n in os.listdir(DIST) if n.endswith(".tar.gz")]
    if len(tarballs) != 1:
        raise SystemExit("expected one collection tarball in %s, found %d" % (DIST, len(tarballs)))
    run([bin_path("ansible-galaxy"), "collection", "install", "--offline", "--force", "-p", INSTALLED, tarballs[0]], env=env)
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
