# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark command runs in its quickest mode and prints figures for every benchmark.

Nothing about timing is asserted: only that each benchmark ran, printed its
table with numbers, and said whether its target was met.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SECTIONS = ("== 1. API calls", "== 2A.", "== 2B.", "== 2C.", "== 2E.", "== 3B.", "== 4. Scale", "== 5. Throttled",
            "== 6. Many hosts")


def test_run_all_quick_prints_figures(tmp_path):
    """Started by a Python without requests or ansible-core (-S: no site-packages, as a bare system Python):
    one line says so, then the benchmarks run in .venv."""
    figures_file = tmp_path / "figures.json"
    proc = subprocess.run([sys.executable, "-S", os.path.join("benchmarks", "run_all.py"), "--quick", "--json",
                           str(figures_file)],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    assert re.match(r"==> \S+ lacks (ansible|requests): running the benchmarks with \.venv's Python\n", output), output[:2000]
    assert "Traceback" not in output
    assert "crashed" not in output, output[-4000:]
    for title in SECTIONS:
        assert title in output, "missing section %r in:\n%s" % (title, output[-4000:])
    assert "nproc=" in output and "ansible_core=" in output
    # Every benchmark states its targets, met or not.
    assert len(re.findall(r"target .*: (MET|NOT MET)", output)) >= 6

    # The calls table has one row per strategy, with integer call counts.
    rows = re.findall(r"^(\d+)\s+(ecs_task_wait|\(a\) ansible until loop|\(b\) terraform per-task)\s+(\d+)\s", output, re.M)
    assert set(name for _ignored, name, _ignored in rows) == {"ecs_task_wait", "(a) ansible until loop", "(b) terraform per-task"}
    assert all(int(calls) > 0 for _ignored, _ignored, calls in rows)

    figures = json.loads(figures_file.read_text())
    assert figures["quick"] is True
    assert figures["machine"]["nproc"] >= 1
    assert set(figures) >= {"calls", "lag", "overhead", "scale", "throttle", "many_hosts"}
    assert figures["calls"]["1"]["engine"] > 0 and figures["calls"]["1"]["terraform"] > 0
    assert figures["scale"]["calls"] > 0 and figures["scale"]["peak_mb"] > 0
    assert figures["throttle"]["ok"] is True
    assert figures["overhead"]["ours"] > 0 and figures["overhead"]["sdk"] > 0
    many = figures["many_hosts"]
    assert many["per_host"]["per_round"] == 20 and many["single"]["per_round"] == 1
    assert many["single"]["calls"] < many["per_host"]["calls"] and many["single"]["ok"] and many["per_host"]["ok"]

    # The chart: valid SVG, every strategy in its legend, one marker per measured point.
    chart = os.path.join(REPO_ROOT, figures["lag"]["chart"])
    assert figures["lag"]["chart"].startswith(".build"), "--quick must not overwrite the committed chart"
    root = ET.parse(chart).getroot()
    texts = [element.text for element in root.iter("{http://www.w3.org/2000/svg}text")]
    for name in ("ecs_task_wait, progress known", "until loop (delay 10s)", "Terraform's schedule", "fixed interval"):
        assert name in texts, texts
    assert len(list(root.iter("{http://www.w3.org/2000/svg}circle"))) >= 7 + 4


def test_committed_chart_is_the_one_the_benchmark_draws():
    """docs/images/calls-vs-lag.svg exists and is an SVG written by benchmarks/chart.py."""
    root = ET.parse(os.path.join(REPO_ROOT, "docs", "images", "calls-vs-lag.svg")).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Calls per task against detection lag" in root.find("{http://www.w3.org/2000/svg}title").text
    with open(os.path.join(REPO_ROOT, "docs", "performance.md"), encoding="utf-8") as handle:
        assert "(images/calls-vs-lag.svg)" in handle.read()


def test_only_rejects_unknown_names():
    proc = subprocess.run([sys.executable, os.path.join("benchmarks", "run_all.py"), "--only", "nope"],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode == 2
    assert "unknown benchmark(s): nope" in proc.stderr
