#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run every benchmark: ``python benchmarks/run_all.py [--quick] [--only calls,lag,...] [--json FILE] [--record]``.

Each benchmark prints its figures and its ratio to a baseline run in the
same process against the same emulator, and says whether its target is met.
Nothing here asserts on timing: the exit status is 0 unless a benchmark
crashed. ``--quick`` shrinks every benchmark to a few seconds (smoke test).
``--record`` writes the figures of a full run into benchmarks/last_run.json,
the record the figures of README.md and docs/ are compared with
(tests/system/test_docs_match_runs.py): after recording, update the docs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
if os.path.dirname(HERE) not in sys.path:
    sys.path.insert(0, os.path.dirname(HERE))

RECORD = os.path.join(HERE, "last_run.json")


def _run_in_the_venv():
    """Run again with .venv's Python when this one lacks what the benchmarks import (requests, ansible-core)."""
    try:
        import ansible  # noqa: F401  pylint: disable=unused-import
        import requests  # noqa: F401  pylint: disable=unused-import
        return
    except ImportError as exc:
        missing = exc.name
    # scripts/ is not a package: its folder goes on the path.
    sys.path.insert(0, os.path.join(os.path.dirname(HERE), "scripts"))
    import _env  # pylint: disable=import-outside-toplevel
    if os.path.realpath(sys.prefix) == os.path.realpath(_env.VENV):
        raise SystemExit("the benchmarks need %s, and .venv lacks it: install requirements-test.txt into .venv "
                         "(python3 scripts/test.py does)" % missing)
    print("==> %s lacks %s: running the benchmarks with .venv's Python" % (sys.executable, missing), flush=True)
    _env.ensure_venv()
    os.execv(_env.python(), [_env.python(), os.path.abspath(__file__)] + sys.argv[1:])


if __name__ == "__main__":
    _run_in_the_venv()

from benchmarks import (  # noqa: E402
    bench_calls, bench_lag, bench_many_hosts, bench_overhead, bench_predicted, bench_products, bench_scale, bench_throttle,
)

BENCHMARKS = (
    ("calls", bench_calls), ("lag", bench_lag), ("overhead", bench_overhead),
    ("scale", bench_scale), ("throttle", bench_throttle), ("many_hosts", bench_many_hosts),
    ("predicted", bench_predicted), ("products", bench_products),
)


def machine():
    """nproc, CPU model, load, Python and ansible-core versions."""
    model = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        from ansible.release import __version__ as ansible_version
    except ImportError:
        ansible_version = "not installed"
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    return {
        "nproc": os.cpu_count(), "cpu": model, "python": platform.python_version(), "ansible_core": ansible_version,
        "platform": platform.platform(), "load_average": " ".join("%.2f" % value for value in load),
        "commit": _commit(),
    }


def _commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True,
                              timeout=10, check=False).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smallest sizes: a smoke test of a few seconds")
    parser.add_argument("--only", default="", help="comma-separated subset of: %s" % ", ".join(n for n, _ignored in BENCHMARKS))
    parser.add_argument("--json", dest="json_path", help="also write the figures to this JSON file")
    parser.add_argument("--record", action="store_true",
                        help="write the figures into benchmarks/last_run.json (the docs' figures must match it)")
    args = parser.parse_args(argv)
    if args.record and args.quick:
        parser.error("--record takes a full run: the figures of --quick are not the ones the docs give")
    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or [name for name, _ignored in BENCHMARKS]
    unknown = sorted(set(chosen) - set(name for name, _ignored in BENCHMARKS))
    if unknown:
        parser.error("unknown benchmark(s): %s" % ", ".join(unknown))

    info = machine()
    print("alicloud.ecs benchmarks%s: %s" % (" (quick)" if args.quick else "", ", ".join("%s=%s" % item for item in info.items())))
    figures, failures = {"machine": info, "quick": args.quick}, []
    for name, module in BENCHMARKS:
        if name not in chosen:
            continue
        started = time.time()
        try:
            figures[name] = module.run(quick=args.quick)
        except Exception:  # one broken benchmark must not hide the others' figures
            failures.append(name)
            print("\n!! benchmark %s crashed:\n%s" % (name, traceback.format_exc()))
        print("   (%s took %.1f s)" % (name, time.time() - started))
        sys.stdout.flush()
    if args.json_path:
        with open(args.json_path, "w") as handle:
            json.dump(figures, handle, indent=2, sort_keys=True, default=str)
    if args.record:
        record(dict((name, value) for name, value in figures.items() if name not in ("machine", "quick")), info)
    if failures:
        print("\ncrashed: %s" % ", ".join(failures))
        return 1
    return 0


def record(figures, info, path=RECORD):
    """Merge each benchmark's figures, with the commit and machine they were measured on, into the record."""
    try:
        with open(path) as handle:
            data = json.load(handle)
    except (IOError, OSError):
        data = {}
    machine = "nproc %s, %s, Python %s, ansible-core %s, load %s" % (
        info["nproc"], info["cpu"], info["python"], info["ansible_core"], info["load_average"])
    for name, value in figures.items():
        data[name] = {"commit": info["commit"], "date": time.strftime("%Y-%m-%d"), "machine": machine,
                      "figures": json.loads(json.dumps(value, default=str))}
    with open(path, "w") as handle:
        json.dump(data, handle, indent=1, sort_keys=True)
        handle.write("\n")
    print("recorded %s in %s: update the figures of README.md and docs/ (test_docs_match_runs.py compares them)"
          % (", ".join(sorted(figures)), os.path.relpath(path)))


if __name__ == "__main__":
    sys.exit(main())
