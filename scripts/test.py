# -*- coding: utf-8 -*-
"""Set up .venv and run every test stage; one summary line per stage, then `N passed, N failed`.

    python3 scripts/test.py                      # everything
    python3 scripts/test.py --list               # the stages
    python3 scripts/test.py --only pytest -k wait -- -x
    python3 scripts/test.py --skip sanity,units

To add a stage, add one Stage(...) to STAGES below.
"""
from __future__ import annotations

import argparse
import glob
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _env  # noqa: E402  (scripts/ is not a package)

PYTHON_VERSION = "3.11"
# ansible-test shows pip's output for every venv it fills (and this machine's pip
# warns about each package): those lines go to the stage's log file only.
PIP_NOISE = re.compile(r"^\s*(Collecting |Downloading |Processing |Looking in |Installing collected |Successfully |"
                       r"Attempting uninstall|Found existing installation|Uninstalling |Requirement already |"
                       r"Using cached |Obtaining |Building wheel|Created wheel|Stored in directory|WARNING: Location |\S*━)")
LOGS = os.path.join(_env.BUILD, "logs")


@dataclass
class Context:
    """What a stage may use: the venv, the checkout, and the user's pytest arguments."""
    pytest_args: list

    root = _env.ROOT

    def bin(self, name):
        return _env.bin_path(name)

    @property
    def python(self):
        return _env.python()


@dataclass
class Stage:
    name: str
    help: str
    argv: Callable[[Context], list]                    # the command, built when the stage runs
    cwd: Callable[[Context], str] = lambda ctx: ctx.root
    prepare: Optional[Callable[[Context], Optional[str]]] = None  # returns an error message to fail early
    env: dict = field(default_factory=dict)
    hide: Optional[re.Pattern] = None                   # output lines shown only in .build/logs/<name>.log
    timeout: int = 900                                  # seconds; CI must never hang


def pytest_paths(ctx):
    """tests/ plus any other top-level folder holding test_*.py files; none when the user named test paths."""
    if any(os.path.exists(os.path.join(ctx.root, arg.split("::", 1)[0])) for arg in ctx.pytest_args
           if not arg.startswith("-")):
        return []
    paths = {"tests"}
    for rel in _env.project_files():
        parts = rel.split("/")
        name = parts[-1]
        if len(parts) > 1 and parts[0] not in ("tests", "scripts") and name.startswith("test_") and name.endswith(".py"):
            paths.add(parts[0])
    return sorted(paths)


def no_sanity_ignores(ctx):
    """Fail early if someone added a sanity ignore file: findings are fixed, not ignored."""
    found = glob.glob(os.path.join(ctx.root, "tests", "sanity", "ignore-*.txt"))
    if found:
        return "sanity ignore files are not allowed: %s" % ", ".join(os.path.relpath(p, ctx.root) for p in found)
    return None


def ansible_test_setup(ctx):
    _env.write_get_pip_standin()
    _env.build_ansible_test_tree()
    return None


def sanity_setup(ctx):
    return no_sanity_ignores(ctx) or ansible_test_setup(ctx)


def molecule_setup(ctx):
    """Put alicloud.ecs on the scenario's ANSIBLE_COLLECTIONS_PATH (.build/collections), as the root conftest.py does."""
    parent = os.path.join(_env.BUILD, "collections", "ansible_collections", "alicloud")
    os.makedirs(parent, exist_ok=True)
    link = os.path.join(parent, "ecs")
    if not os.path.islink(link):
        try:
            os.symlink(ctx.root, link)
        except FileExistsError:  # made meanwhile by a pytest run
            pass
    return None


# The tests each older ansible-core runs: all unit tests, and the integration files that
# drive the modules, the action plugin and the role through real ansible-playbook runs.
COMPAT_TESTS = ["tests/unit", "tests/integration/test_wait_runs.py", "tests/integration/test_wait_outcomes.py",
                "tests/integration/test_info_queries.py", "tests/integration/test_role_wait_for_tasks.py",
                "tests/integration/test_other_ansible_versions.py"]


def compat_stage(core):
    """pytest over COMPAT_TESTS with ansible-core ``core`` in a venv of its own."""
    def prepare(ctx):
        _env.ensure_compat_venv(core)
        return molecule_setup(ctx)

    return Stage("core-" + core, "unit tests and an integration subset on ansible-core %s" % core,
                 argv=lambda ctx: [_env.compat_python(core), "-m", "pytest", "-p", "no:cacheprovider",
                                   "-p", "scripts.pytest_files", "-q"] + COMPAT_TESTS + ctx.pytest_args,
                 prepare=prepare, timeout=1200,
                 # test_other_ansible_versions.py checks this core's output for deprecation warnings.
                 env={"ALICLOUD_ECS_ANSIBLE_BINS": os.path.dirname(_env.compat_python(core))})


def compat_targets_stage(core):
    """The ansible-test integration targets again, with that ansible-core's ansible-test."""
    def prepare(ctx):
        _env.ensure_compat_venv(core)
        return ansible_test_setup(ctx)

    return Stage("targets-" + core, "ansible-test integration targets on ansible-core %s" % core,
                 argv=lambda ctx: [os.path.join(os.path.dirname(_env.compat_python(core)), "ansible-test"), "integration",
                                   "--venv", "--python", PYTHON_VERSION, "--color", "no"],
                 cwd=lambda ctx: _env.ANSIBLE_TEST_TREE, prepare=prepare, hide=PIP_NOISE, timeout=900,
                 # ansible-test finds ansible-playbook on PATH: that core's, not the main venv's.
                 env={"PATH": os.path.dirname(_env.compat_python(core)) + os.pathsep + os.environ.get("PATH", ""),
                      "VIRTUAL_ENV": os.path.dirname(os.path.dirname(_env.compat_python(core)))})


STAGES = [
    # A line per test file as it starts (scripts/pytest_files.py), the 15 slowest tests at the end.
    Stage("pytest", "pytest over tests/ (unit, integration, emulator) and other test folders",
          argv=lambda ctx: [ctx.python, "-m", "pytest", "-p", "no:cacheprovider", "-p", "scripts.pytest_files", "-q",
                            "--durations=15", "--durations-min=1"] + pytest_paths(ctx) + ctx.pytest_args,
          # About 15 minutes on a loaded 2-core machine: the SSH, kill and hostile-server tests wait on real time.
          timeout=2700),
    Stage("sanity", "ansible-test sanity --venv (no ignore files)",
          argv=lambda ctx: [ctx.bin("ansible-test"), "sanity", "--venv", "--python", PYTHON_VERSION, "--color", "no"],
          cwd=lambda ctx: _env.ANSIBLE_TEST_TREE, prepare=sanity_setup, hide=PIP_NOISE, timeout=1500),
    Stage("units", "ansible-test units --venv",
          argv=lambda ctx: [ctx.bin("ansible-test"), "units", "--venv", "--python", PYTHON_VERSION, "--color", "no"],
          cwd=lambda ctx: _env.ANSIBLE_TEST_TREE, prepare=ansible_test_setup, hide=PIP_NOISE, timeout=900),
    Stage("integration", "ansible-test integration --venv: targets under tests/integration/targets against the emulator",
          argv=lambda ctx: [ctx.bin("ansible-test"), "integration", "--venv", "--python", PYTHON_VERSION, "--color", "no"],
          cwd=lambda ctx: _env.ANSIBLE_TEST_TREE, prepare=ansible_test_setup, hide=PIP_NOISE, timeout=900),
    Stage("molecule", "molecule test: the role wait_for_tasks against the emulator (extensions/molecule, no Docker)",
          argv=lambda ctx: [ctx.bin("molecule"), "test"], prepare=molecule_setup, timeout=600,
          env={"MOLECULE_EPHEMERAL_DIRECTORY": os.path.join(_env.BUILD, "molecule", "default"), "ANSIBLE_NOCOLOR": "1",
               "ANSIBLE_FORCE_COLOR": "0", "NO_COLOR": "1"}),
    Stage("docs", "python docs/build.py: antsibull-docs lint-collection-docs --plugin-docs, then the HTML reference (sphinx -W)",
          argv=lambda ctx: [ctx.python, os.path.join(ctx.root, "docs", "build.py")], timeout=600,
          env={"ANSIBLE_NOCOLOR": "1"}),
    Stage("changelog-lint", "antsibull-changelog lint (changelogs/fragments, changelog.yaml)",
          argv=lambda ctx: [ctx.bin("antsibull-changelog"), "lint"], timeout=120),
    Stage("ansible-lint", "ansible-lint --profile production (examples, roles, molecule; config .ansible-lint, offline)",
          argv=lambda ctx: [ctx.bin("ansible-lint"), "--profile", "production", "--nocolor"], prepare=molecule_setup,
          timeout=600, env={"ANSIBLE_COLLECTIONS_PATH": os.path.join(_env.BUILD, "collections"), "NO_COLOR": "1"}),
] + [compat_stage(core) for core in sorted(_env.COMPAT_CORES)] + [compat_targets_stage(core) for core in sorted(_env.COMPAT_CORES)]


def run_stage(stage, ctx):
    """Run one stage; return (ok, note)."""
    if stage.prepare:
        error = stage.prepare(ctx)
        if error:
            print(error, flush=True)
            return False, error
    argv = stage.argv(ctx)
    print("$ (cd %s && %s)" % (os.path.relpath(stage.cwd(ctx), ctx.root) or ".", " ".join(argv)), flush=True)
    output = {} if stage.hide is None else {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT}
    proc = subprocess.Popen(argv, cwd=stage.cwd(ctx), env=_env.venv_env(**stage.env), stdin=subprocess.DEVNULL,
                            start_new_session=True, **output)
    if stage.hide is not None:
        filtering = threading.Thread(target=show_filtered, args=(proc.stdout, stage), daemon=True)
        filtering.start()
    try:
        rc = proc.wait(stage.timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return False, "timed out after %ds" % stage.timeout
    except KeyboardInterrupt:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
        raise
    if stage.hide is not None:
        filtering.join(10)
    if rc == 5 and stage.name == "pytest":
        return False, "no tests collected"
    return rc == 0, "rc=%d" % rc


def show_filtered(stream, stage):
    """Copy a stage's output to its log file and to the console, less the lines stage.hide matches."""
    os.makedirs(LOGS, exist_ok=True)
    path = os.path.join(LOGS, stage.name + ".log")
    hidden = 0
    with open(path, "w", encoding="utf-8") as log:
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace")
            log.write(line)
            if stage.hide.search(line):
                hidden += 1
            else:
                sys.stdout.write(line)
                sys.stdout.flush()
    if hidden:
        print("(%d lines of pip output in %s)" % (hidden, os.path.relpath(path, _env.ROOT)), flush=True)


def split_names(values):
    return [n for v in values or [] for n in v.split(",") if n]


def parse_args(argv):
    extra = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", metavar="STAGE[,STAGE]", help="run only these stages")
    parser.add_argument("--skip", action="append", metavar="STAGE[,STAGE]", help="skip these stages")
    parser.add_argument("--list", action="store_true", help="list the stages and exit")
    parser.add_argument("-k", metavar="EXPR", help="passed to pytest (stage pytest only)")
    args = parser.parse_args(argv)
    args.pytest_args = (["-k", args.k] if args.k else []) + extra
    return args


def select(args):
    names = [s.name for s in STAGES]
    only, skip = split_names(args.only), split_names(args.skip)
    unknown = [n for n in only + skip if n not in names]
    if unknown:
        raise SystemExit("unknown stage(s): %s (known: %s)" % (", ".join(unknown), ", ".join(names)))
    return [s for s in STAGES if (not only or s.name in only) and s.name not in skip]


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.list:
        for stage in STAGES:
            print("%-12s %s" % (stage.name, stage.help))
        return 0
    stages = select(args)
    _env.ensure_venv()
    ctx = Context(pytest_args=args.pytest_args)
    results = []
    for number, stage in enumerate(stages, 1):
        print("\n==> stage %d/%d %s: %s" % (number, len(stages), stage.name, stage.help), flush=True)
        started = time.monotonic()
        ok, note = run_stage(stage, ctx)
        results.append((stage.name, ok, note, time.monotonic() - started))
        print("--> %s %s (%s, %.0fs)" % (stage.name, "PASSED" if ok else "FAILED", note, results[-1][3]), flush=True)
    print("\n==> summary")
    for name, ok, note, seconds in results:
        print("%-6s %-12s %s, %.0fs" % ("PASS" if ok else "FAIL", name, note, seconds))
    failed = sum(1 for r in results if not r[1])
    print("%d passed, %d failed" % (len(results) - failed, failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
