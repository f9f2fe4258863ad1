# -*- coding: utf-8 -*-
"""Set up the venvs and run every test stage; one summary line per stage, then `N passed, N failed, N skipped`.

    python3 scripts/test.py                      # everything
    python3 scripts/test.py --list               # the stages
    python3 scripts/test.py --only pytest -k wait -- -x
    python3 scripts/test.py --skip sanity,molecule

Runs under any Python 3.9+. The home stages use .venv (ansible-core 2.21 on the newest
Python 3.12+ found; 2.19 on 3.11 when that is all there is); the other releases of the
matrix (scripts/_pythons.py MATRIX) run the unit tests and the ansible-test targets in
venvs of their own. To add a stage, add one Stage(...) to stages() below.
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
from dataclasses import dataclass
from typing import Callable, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _env  # noqa: E402  (scripts/ is not a package)
import _pythons  # noqa: E402

# ansible-test shows pip's output for every venv it fills (and this machine's pip
# warns about each package): those lines go to the stage's log file only.
PIP_NOISE = re.compile(r"^\s*(Collecting |Downloading |Processing |Looking in |Installing collected |Successfully |"
                       r"Attempting uninstall|Found existing installation|Uninstalling |Requirement already |"
                       r"Using cached |Obtaining |Building wheel|Created wheel|Stored in directory|WARNING: Location |\S*━)")
# A stage of the matrix fails when ansible-core warns of a deprecation in what the collection does.
DEPRECATION = re.compile(r"\[DEPRECATION WARNING\]")
LOGS = _env.LOGS


class Skip(Exception):
    """A stage that cannot run on this machine (its Python is missing); a failure when CI is set."""


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
    prepare: Optional[Callable[[Context], Optional[str]]] = None  # returns an error message to fail early; may raise Skip
    env: Callable[[Context], dict] = lambda ctx: {}
    hide: Optional[re.Pattern] = None                   # output lines shown only in .build/logs/<name>.log
    forbid: Optional[re.Pattern] = None                 # output lines that fail the stage (needs hide)
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


# Files run on this many pytest-xdist workers when the whole suite runs; a file stays on one worker (loadfile),
# so its module fixtures (an emulator, an SSH site) are made once.
PYTEST_WORKERS = 2


def pytest_workers(ctx):
    """xdist's options for the whole suite; none when the user named test paths or chose ``-n`` themselves."""
    if not pytest_paths(ctx) or any(arg == "-n" or arg.startswith(("-n", "--numprocesses")) for arg in ctx.pytest_args):
        return []
    return ["-n", str(PYTEST_WORKERS), "--dist", "loadfile"]


def no_sanity_ignores(ctx):
    """Fail early if someone added a sanity ignore file: findings are fixed, not ignored."""
    found = glob.glob(os.path.join(ctx.root, "tests", "sanity", "ignore-*.txt"))
    if found:
        return "sanity ignore files are not allowed: %s" % ", ".join(os.path.relpath(p, ctx.root) for p in found)
    return None


def ansible_test_setup(ctx, venv=_env.VENV):
    _env.write_get_pip_standin(venv)
    _env.build_ansible_test_tree()
    return None


def sanity_setup(ctx):
    return no_sanity_ignores(ctx) or ansible_test_setup(ctx)


def ansible_test_env(venv):
    """PATH for ansible-test: python3.X of every interpreter found (pyenv's are not on PATH), then the venv's tools."""
    def env(ctx):
        return {"PATH": os.pathsep.join([_env.python_path_dir(), os.path.join(venv, "bin"), os.environ.get("PATH", "")]),
                "VIRTUAL_ENV": venv}
    return env


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


def core_venv_ready(core):
    """A prepare step: the venv of another ansible-core of the matrix, made if needed; Skip when its Python is missing."""
    def prepare(ctx):
        if _env.ensure_core_venv(core) is None:
            raise Skip("no Python %d.%d here for ansible-core %s" % (_pythons.MATRIX[core] + (core,)))
        return None
    return prepare


def integration_stage(name, core, python_version, venv, what, ready=None):
    """ansible-test integration with ``venv``'s ansible-test on ``python_version``; a deprecation warning fails it."""
    def prepare(ctx):
        return (ready and ready(ctx)) or ansible_test_setup(ctx, venv)

    return Stage(name, "ansible-test integration --venv on ansible-core %s, Python %s: %s" % (core, python_version, what),
                 argv=lambda ctx: [_env.bin_path("ansible-test", venv), "integration", "--venv", "--python", python_version,
                                   "--color", "no"],
                 cwd=lambda ctx: _env.ANSIBLE_TEST_TREE, prepare=prepare, env=ansible_test_env(venv),
                 hide=PIP_NOISE, forbid=DEPRECATION, timeout=900)


def matrix_stages(core):
    """The unit tests and the ansible-test targets on another ansible-core of the matrix, in its own venv."""
    version = "%d.%d" % _pythons.MATRIX[core]
    venv = _env.core_venv(core)
    ready = core_venv_ready(core)
    return [
        Stage("units-" + core, "pytest tests/unit on ansible-core %s, Python %s" % (core, version),
              argv=lambda ctx: [_env.python(venv), "-m", "pytest", "-p", "no:cacheprovider", "-p", "scripts.pytest_files",
                                "-q", "tests/unit"] + ctx.pytest_args,
              prepare=lambda ctx: ready(ctx) or molecule_setup(ctx), timeout=900),
        integration_stage("integration-" + core, core, version, venv, "the targets of tests/integration/targets", ready),
    ]


def stages():
    """Every stage: the home ansible-core's (.venv) first, then the other releases of the matrix."""
    core, interpreter = _env.home()
    home_python = interpreter.name
    return [
        # A line per test file as it starts (scripts/pytest_files.py), the 15 slowest tests at the end.
        Stage("pytest", "pytest over tests/ (unit, system, reliability, EDA, emulator) and other test folders, ansible-core %s" % core,
              argv=lambda ctx: ([ctx.python, "-m", "pytest", "-p", "no:cacheprovider", "-p", "scripts.pytest_files", "-q",
                                 "--durations=15", "--durations-min=1"] + pytest_workers(ctx) + pytest_paths(ctx)
                                + ctx.pytest_args),
              # The SSH, kill and hostile-server tests wait on real time (about half a core for 29 minutes on one
              # worker): two workers, a file each at a time.
              timeout=2700),
        # No --python: the compile and import tests run on every target Python found (tests/config.yml: 3.9+).
        Stage("sanity", "ansible-test sanity --venv (no ignore files) on ansible-core %s, target Pythons 3.9+" % core,
              argv=lambda ctx: [ctx.bin("ansible-test"), "sanity", "--venv", "--color", "no"],
              cwd=lambda ctx: _env.ANSIBLE_TEST_TREE, prepare=sanity_setup, env=ansible_test_env(_env.VENV),
              hide=PIP_NOISE, timeout=1500),
        integration_stage("integration", core, home_python, _env.VENV,
                          "targets under tests/integration/targets against the emulator"),
        Stage("molecule", "molecule test: the role wait_for_tasks against the emulator (extensions/molecule, no Docker)",
              argv=lambda ctx: [ctx.bin("molecule"), "test"], prepare=molecule_setup, timeout=600,
              env=lambda ctx: {"MOLECULE_EPHEMERAL_DIRECTORY": os.path.join(_env.BUILD, "molecule", "default"),
                               "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0", "NO_COLOR": "1"}),
        Stage("docs", "python docs/build.py: antsibull-docs lint-collection-docs --plugin-docs, then the HTML reference (sphinx -W)",
              argv=lambda ctx: [ctx.python, os.path.join(ctx.root, "docs", "build.py")], timeout=600,
              env=lambda ctx: {"ANSIBLE_NOCOLOR": "1"}),
        Stage("changelog-lint", "antsibull-changelog lint (changelogs/fragments, changelog.yaml)",
              argv=lambda ctx: [ctx.bin("antsibull-changelog"), "lint"], timeout=120),
        Stage("typecheck", "python scripts/typecheck.py: mypy over plugins/ (mypy.ini, target Python 3.9), 0 errors",
              argv=lambda ctx: [ctx.python, os.path.join(ctx.root, "scripts", "typecheck.py")], timeout=600),
        Stage("ansible-lint", "ansible-lint --profile production (examples, roles, molecule; config .ansible-lint, offline)",
              argv=lambda ctx: [ctx.bin("ansible-lint"), "--profile", "production", "--nocolor"], prepare=molecule_setup,
              timeout=600, env=lambda ctx: {"ANSIBLE_COLLECTIONS_PATH": os.path.join(_env.BUILD, "collections"),
                                            "NO_COLOR": "1"}),
    ] + [stage for other in sorted(_pythons.MATRIX, reverse=True) if other != core for stage in matrix_stages(other)]


# Process groups of the stages running now, so that Ctrl-C stops both lanes.
RUNNING = set()
# Background stages run at a lower priority: the pytest lane's timing tests keep their CPU.
BACKGROUND_NICE = 10


def run_stage(stage, ctx, background=False):
    """Run one stage; return (status, note): PASS, FAIL or SKIP.

    In the background its output goes to .build/logs/<stage>.log only (a failure shows the tail), and it runs niced.
    """
    say = (lambda text: print("[background] %s" % text, flush=True)) if background else (lambda text: print(text, flush=True))
    try:
        error = stage.prepare(ctx) if stage.prepare else None
    except Skip as reason:
        say("skipped %s: %s" % (stage.name, reason))
        return "SKIP", str(reason)
    if error:
        say(error)
        return "FAIL", error
    argv = stage.argv(ctx)
    command = "$ (cd %s && %s)" % (os.path.relpath(stage.cwd(ctx), ctx.root) or ".", " ".join(argv))
    if not background:
        say(command)
    piped = background or stage.hide is not None
    output = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT} if piped else {}
    proc = subprocess.Popen(argv, cwd=stage.cwd(ctx), env=_env.venv_env(**stage.env(ctx)), stdin=subprocess.DEVNULL,
                            start_new_session=True, preexec_fn=(lambda: os.nice(BACKGROUND_NICE)) if background else None,
                            **output)
    RUNNING.add(proc.pid)
    forbidden = []
    if piped:
        filtering = threading.Thread(target=show_filtered, args=(proc.stdout, stage, forbidden, command, background),
                                     daemon=True)
        filtering.start()
    try:
        rc = proc.wait(stage.timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return "FAIL", "timed out after %ds" % stage.timeout
    except KeyboardInterrupt:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
        raise
    finally:
        RUNNING.discard(proc.pid)
    if piped:
        filtering.join(10)
    if rc == 5 and stage.name == "pytest":
        return "FAIL", "no tests collected"
    if rc == 0 and forbidden:
        return "FAIL", "rc=0 but %d line(s) such as: %s" % (len(forbidden), forbidden[0].strip()[:200])
    return ("PASS" if rc == 0 else "FAIL"), "rc=%d" % rc


def log_path(stage):
    return os.path.join(LOGS, stage.name + ".log")


def show_filtered(stream, stage, forbidden, command, background=False):
    """Copy a stage's output to its log file and to the console, less the lines stage.hide matches (all of
    them in the background).

    Lines that stage.forbid matches are collected in ``forbidden``.
    """
    os.makedirs(LOGS, exist_ok=True)
    path = log_path(stage)
    hidden = 0
    with open(path, "w", encoding="utf-8") as log:
        log.write(command + "\n")
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace")
            log.write(line)
            if stage.forbid is not None and stage.forbid.search(line):
                forbidden.append(line)
            if background or (stage.hide is not None and stage.hide.search(line)):
                hidden += 1
            else:
                sys.stdout.write(line)
                sys.stdout.flush()
    if hidden and not background:
        print("(%d lines of pip output in %s)" % (hidden, os.path.relpath(path, _env.ROOT)), flush=True)


def log_tail(stage, lines=40):
    try:
        with open(log_path(stage), encoding="utf-8", errors="replace") as handle:
            return handle.read().splitlines()[-lines:]
    except OSError:
        return []


def run_lane(stages, ctx, results, background):
    """Run ``stages`` one after another; each result goes into ``results`` (name -> (name, status, note, seconds))."""
    for number, stage in enumerate(stages, 1):
        if background:
            print("[background] ==> %s: %s" % (stage.name, stage.help), flush=True)
        else:
            print("\n==> stage %d/%d %s: %s" % (number, len(stages), stage.name, stage.help), flush=True)
        started = time.monotonic()
        status, note = run_stage(stage, ctx, background)
        results[stage.name] = (stage.name, status, note, time.monotonic() - started)
        verdict = {"PASS": "PASSED", "FAIL": "FAILED", "SKIP": "SKIPPED"}[status]
        if background:
            print("[background] --> %s %s (%s, %.0fs; output in %s)" % (
                stage.name, verdict, note, results[stage.name][3], os.path.relpath(log_path(stage), _env.ROOT)), flush=True)
            if status == "FAIL":
                print("\n".join("[background]   " + line for line in log_tail(stage)), flush=True)
        else:
            print("--> %s %s (%s, %.0fs)" % (stage.name, verdict, note, results[stage.name][3]), flush=True)


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
    parser.add_argument("--serial", action="store_true",
                        help="one stage at a time, every output on the console (default: the other stages run in the "
                             "background, niced, while pytest runs)")
    args = parser.parse_args(argv)
    args.pytest_args = (["-k", args.k] if args.k else []) + extra
    return args


def select(args, all_stages):
    names = [s.name for s in all_stages]
    only, skip = split_names(args.only), split_names(args.skip)
    unknown = [n for n in only + skip if n not in names]
    if unknown:
        raise SystemExit("unknown stage(s): %s (known: %s)" % (", ".join(unknown), ", ".join(names)))
    return [s for s in all_stages if (not only or s.name in only) and s.name not in skip]


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    all_stages = stages()
    if args.list:
        for stage in all_stages:
            print("%-17s %s" % (stage.name, stage.help))
        return 0
    chosen = select(args, all_stages)
    _env.ensure_venv()
    ctx = Context(pytest_args=args.pytest_args)
    results = {}
    started_all = time.monotonic()
    foreground = [stage for stage in chosen if stage.name == "pytest"]
    background = [stage for stage in chosen if stage.name != "pytest"]
    if args.serial or not foreground or not background:
        foreground, background = chosen, []
    elif background:
        print("==> %s run in the background while pytest runs (niced; output in .build/logs/<stage>.log; "
              "--serial runs one at a time)" % ", ".join(stage.name for stage in background), flush=True)
    lane = threading.Thread(target=run_lane, args=(background, ctx, results, True), daemon=True)
    lane.start()
    try:
        run_lane(foreground, ctx, results, False)
        lane.join()
    except KeyboardInterrupt:
        for pid in list(RUNNING):
            try:
                os.killpg(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        raise
    print("\n==> summary")
    results = [results[stage.name] for stage in chosen]
    for name, status, note, seconds in results:
        print("%-6s %-17s %s, %.0fs" % (status, name, note, seconds))
    failed = sum(1 for r in results if r[1] == "FAIL")
    skipped = sum(1 for r in results if r[1] == "SKIP")
    total = time.monotonic() - started_all
    passed = len(results) - failed - skipped
    print("%d passed, %d failed, %d skipped in %dm%02ds" % (passed, failed, skipped, total // 60, total % 60), flush=True)
    if skipped and os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        print("CI is set: every stage must run, so a skipped stage fails the run", flush=True)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
