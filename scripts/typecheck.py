# -*- coding: utf-8 -*-
"""Type-check plugins/ with mypy and the repository's mypy.ini; exit 0 only when mypy finds no error.

    python3 scripts/typecheck.py                     # plugins/, with the mypy of .venv
    python3 scripts/typecheck.py --python PY         # with the mypy (and packages) of another interpreter
    python3 scripts/typecheck.py -- path/to/file.py  # other mypy targets instead of plugins/

Standard library only. Prints mypy's findings (paths relative to the checkout), the errors per folder,
then mypy's own summary line. Exit status: 0 no error, 1 errors, 2 mypy could not run.
"""
from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

# The imports of plugins/ are absolute (ansible_collections.alicloud.ecs.plugins...): importing the root
# conftest makes .build/collections/ansible_collections/alicloud/ecs link to the checkout, as for pytest,
# and _PATH is the folder mypy must run from (the parent tree itself when run from an ansible-test tree).
import conftest  # noqa: E402

CONFIG = os.path.join(ROOT, "mypy.ini")
PACKAGE = "ansible_collections.alicloud.ecs.plugins"
PREFIX = "ansible_collections/alicloud/ecs/"
CACHE = os.path.join(ROOT, ".build", "mypy_cache")
VENV_PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
FINDING = re.compile(r"^(?P<path>[^:\s][^:]*):\d+(?::\d+)?: (?P<level>error|note|warning): ")


def parse_args(argv: list[str]) -> argparse.Namespace:
    targets: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, targets = argv[:cut], argv[cut + 1:]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=VENV_PYTHON if os.path.exists(VENV_PYTHON) else sys.executable,
                        help="the interpreter whose mypy runs and whose packages are checked against "
                             "(default: .venv's, else this one)")
    args = parser.parse_args(argv)
    if os.sep in args.python:  # mypy runs from another folder
        args.python = os.path.abspath(args.python)
    args.targets = [os.path.abspath(t) if os.path.exists(t) else t for t in targets] or ["-p", PACKAGE]
    return args


def folder_of(path: str) -> str:
    """The folder a finding is counted under: plugins/module_utils/_ecs/<package>/, or the file for a base file."""
    parts = path.split("/")
    if parts[:3] == ["plugins", "module_utils", "_ecs"] and len(parts) > 4:
        return "/".join(parts[:4]) + "/"
    if parts[:1] == ["plugins"] and len(parts) > 2 and parts[1] != "module_utils":
        return "/".join(parts[:2]) + "/"
    return path


def summarize(lines: list[str]) -> tuple[list[str], collections.Counter[str]]:
    """mypy's lines with the collection's paths made relative to the checkout, and the errors per folder."""
    shown = []
    errors: collections.Counter[str] = collections.Counter()
    for line in lines:
        if line.startswith(PREFIX):
            line = line[len(PREFIX):]
        match = FINDING.match(line)
        if match and match.group("level") == "error":
            errors[folder_of(match.group("path"))] += 1
        shown.append(line)
    return shown, errors


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if subprocess.call([args.python, "-c", "import mypy"], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL) != 0:
        print("typecheck: mypy is not installed for %s; install requirements-test.txt there (python3 scripts/test.py "
              "does it for .venv) or name another interpreter with --python" % args.python, flush=True)
        return 2
    argv = [args.python, "-m", "mypy", "--config-file", CONFIG, "--cache-dir", CACHE] + args.targets
    proc = subprocess.run(argv, cwd=conftest._PATH, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)
    lines = proc.stdout.splitlines()
    shown, errors = summarize(lines)
    verdict = shown.pop() if shown and not FINDING.match(shown[-1]) else ""
    for line in shown:
        print(line)
    for folder, count in sorted(errors.items()):
        print("%5d  %s" % (count, folder))
    print(verdict or "typecheck: mypy ended with status %d and no summary" % proc.returncode, flush=True)
    if proc.returncode not in (0, 1):
        return 2
    return 1 if proc.returncode or errors else 0


if __name__ == "__main__":
    sys.exit(main())
