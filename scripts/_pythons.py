# -*- coding: utf-8 -*-
"""The Python interpreters this machine has, and which ansible-core each venv of the scripts gets.

Standard library only; runs under any Python 3.9+. Interpreters are looked
for as ``python3.X`` on PATH and, when pyenv is installed, under
``$(pyenv root)/versions/*/bin``; each candidate is run once to prove it
works (a pyenv shim on PATH may name a version that is not active) and can
make a venv (Debian's python3.X without python3.X-venv cannot).
"""
from __future__ import annotations

import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
from typing import Dict, List, NamedTuple, Optional, Tuple

Version = Tuple[int, int]

# The test matrix: each ansible-core release that is not end-of-life, with the Python its
# stages run on (ansible-core 2.20 and 2.21 need Python 3.12+ on the controller, 2.19 runs on
# 3.11-3.13). The newest release is home: .venv, on the newest Python it supports.
MATRIX = {"2.21": (3, 13), "2.20": (3, 12), "2.19": (3, 11)}
CONTROLLER_PYTHONS = {"2.21": ((3, 12), (3, 14)), "2.20": ((3, 12), (3, 14)), "2.19": ((3, 11), (3, 13))}
# Target Pythons the modules declare (tests/config.yml): sanity's compile and import tests run on each found.
MIN_MINOR = 9
_NAME = re.compile(r"^python3\.(\d+)$")
# The interpreter's own path, not the one run: a pyenv shim on PATH execs the real one. A venv's
# interpreter (ours, first on PATH inside a stage) is no base for other venvs: it says so.
_PROBE = ("import sys, ensurepip, venv; print('%d.%d' % sys.version_info[:2]); print(sys.executable); "
          "print(sys.prefix != sys.base_prefix)")


class Interpreter(NamedTuple):
    version: Version
    path: str

    @property
    def name(self) -> str:
        return "%d.%d" % self.version


def _probe(path: str) -> Optional[Interpreter]:
    try:
        out = subprocess.run([path, "-c", _PROBE], capture_output=True, text=True, timeout=30,
                             stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    try:
        version, executable, in_venv = out.stdout.split()
        major, minor = version.split(".")
    except ValueError:
        return None
    return None if in_venv == "True" else Interpreter((int(major), int(minor)), executable)


def pyenv_root() -> Optional[str]:
    """`pyenv root`, or None when pyenv is not installed (then only PATH counts)."""
    pyenv = shutil.which("pyenv")
    if not pyenv:
        return None
    try:
        out = subprocess.run([pyenv, "root"], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
                             check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    root = out.stdout.strip()
    return root if out.returncode == 0 and os.path.isdir(root) else None


def _minor(path: str) -> Optional[int]:
    match = _NAME.match(os.path.basename(path))
    return int(match.group(1)) if match else None


def _candidates() -> List[str]:
    """Paths named python3.X (X >= 9) on PATH, then under pyenv's versions; pyenv's shims left out."""
    root = pyenv_root()
    shims = os.path.join(root, "shims") if root else None
    found = []
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if folder and folder != shims:
            found.extend(path for path in sorted(glob.glob(os.path.join(folder, "python3.*"))) if os.access(path, os.X_OK))
    if root:
        found.extend(sorted(glob.glob(os.path.join(root, "versions", "*", "bin", "python3.*"))))
    return [path for path in found if (_minor(path) or 0) >= MIN_MINOR]


def find_interpreters() -> Dict[Version, Interpreter]:
    """version (3, X) -> the first working interpreter of that version (PATH before pyenv)."""
    # Not deduplicated by real path: a venv's python3.X links to its base, which must still be probed itself.
    paths = list(dict.fromkeys(_candidates()))
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        probed = list(pool.map(_probe, paths))
    found: Dict[Version, Interpreter] = {}
    for interpreter in probed:
        if interpreter is not None and interpreter.version not in found:
            found[interpreter.version] = interpreter
    return found


def choose_home(found: Dict[Version, Interpreter]) -> Tuple[str, Interpreter]:
    """(core, interpreter) of .venv: 2.21 on the newest Python it supports, else 2.19 on 3.11."""
    for core in sorted(MATRIX, key=lambda c: tuple(int(p) for p in c.split(".")), reverse=True):
        low, high = CONTROLLER_PYTHONS[core]
        usable = [version for version in found if low <= version <= high]
        if usable and core != "2.20":  # 2.20 is never home: whoever has its Python has 2.21's
            return core, found[max(usable)]
    raise SystemExit("these scripts need Python 3.11 or newer with the venv module (for ansible-core 2.19), "
                     "3.12+ for ansible-core 2.21; found %s. Install one (apt-get install python3-venv, or pyenv), "
                     "then run this again." % (", ".join(i.name for i in sorted(found.values())) or "none"))


def matrix_interpreter(core: str, found: Dict[Version, Interpreter]) -> Optional[Interpreter]:
    return found.get(MATRIX[core])


def python_bin_dir(folder: str, found: Dict[Version, Interpreter]) -> str:
    """A folder of ``python3.X`` links to every working interpreter, for PATH.

    ansible-test finds interpreters as ``python3.X`` on PATH; pyenv's are not
    there (and its shims fail for versions that are not active).
    """
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    for interpreter in found.values():
        os.symlink(os.path.realpath(interpreter.path), os.path.join(folder, "python" + interpreter.name))
    return folder
