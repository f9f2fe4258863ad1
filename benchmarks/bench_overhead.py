# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""3. Overhead: one ecs_task_info call, against ansible ping and against the official SDK.

A. ``ansible localhost -m alicloud.ecs.ecs_task_info -a task_ids=[ID]`` on a
   finished task against ``ansible localhost -m ansible.builtin.ping``: wall
   time of the whole command, median of several runs each, run alternately.
B. One DescribeTaskAttribute in a fresh Python process, interpreter start and
   imports included: the collection's EcsClient against Alibaba's current
   official SDK (alibabacloud-ecs20140526, tea), each with its defaults
   (the collection signs V1, the SDK V3), median of several runs each.
C. Where A's difference goes: the AnsiballZ payload of each module (kept with
   ANSIBLE_KEEP_REMOTE_FILES, pipelining off) and the payload run alone, as
   the target runs it; what is left of A is controller-side (building the
   payload, the worker, the result).
"""

from __future__ import annotations

import glob
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from benchmarks.common import (
    ACCESS_KEY, REGION, SECRET_KEY, FastEmulator, median, note, section, table, target,
)

from tests.system.ansible_run import COLLECTIONS, Ansible

# Each child prints {"import": s, "call": s, "status": ...}; the parent times the whole process.
OURS = r"""
import json, sys, time
started = time.perf_counter()
from types import SimpleNamespace
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient
imported = time.perf_counter()
class Keys(object):
    source = "benchmark"
    def get(self, deadline=None):
        return SimpleNamespace(access_key_id=sys.argv[2], access_key_secret=sys.argv[3], security_token=None)
client = EcsClient(sys.argv[5], Keys(), endpoint=sys.argv[1])
answer = client.call("DescribeTaskAttribute", {"RegionId": sys.argv[5], "TaskId": sys.argv[4]})
done = time.perf_counter()
print(json.dumps({"import": imported - started, "call": done - imported, "status": answer["TaskStatus"]}))
"""

SDK = r"""
import json, sys, time
started = time.perf_counter()
from alibabacloud_ecs20140526.client import Client
from alibabacloud_ecs20140526 import models
from alibabacloud_tea_openapi.utils_models import Config
from darabonba.runtime import RuntimeOptions
imported = time.perf_counter()
host = sys.argv[1].split("://", 1)[1]
client = Client(Config(access_key_id=sys.argv[2], access_key_secret=sys.argv[3], region_id=sys.argv[5],
                       endpoint=host, protocol="http"))
body = client.describe_task_attribute_with_options(
    models.DescribeTaskAttributeRequest(region_id=sys.argv[5], task_id=sys.argv[4]), RuntimeOptions(autoretry=False)).body
done = time.perf_counter()
print(json.dumps({"import": imported - started, "call": done - imported, "status": body.task_status}))
"""


def _timed(argv, env=None, cpu=None):
    """(wall s, stdout) of a command; ``cpu``, a list, gets its CPU seconds (user + sys), far less noisy than wall."""
    used, started = _children_cpu(), time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL, check=False)
    took = time.perf_counter() - started
    if cpu is not None:
        cpu.append(_children_cpu() - used)
    if proc.returncode != 0:
        raise RuntimeError("%s failed (%s): %s" % (argv[:3], proc.returncode, (proc.stdout + proc.stderr)[-2000:]))
    return took, proc.stdout


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _adhoc(ansible, module, args):
    """(wall s, CPU s of the whole process tree, run)."""
    cpu, started = _children_cpu(), time.perf_counter()
    result = ansible.adhoc(module, args)
    return time.perf_counter() - started, _children_cpu() - cpu, result


def _commands(task_id):
    return (("ping", "ansible.builtin.ping", ""), ("info", "alicloud.ecs.ecs_task_info", {"task_ids": [task_id]}))


def part_a(emu, task_id, runs):
    ansible = Ansible(emu)
    commands = _commands(task_id)
    wall, cpu = {"ping": [], "info": []}, {"ping": [], "info": []}
    for _run in range(runs):
        for key, module, args in commands:  # alternated, so load from others hits both alike
            took, used, result = _adhoc(ansible, module, args)
            if result.rc != 0 or (key == "info" and result.results[-1]["result"]["tasks"][0]["task_status"] != "Finished"):
                raise RuntimeError("ad-hoc run failed: %r" % result)
            wall[key].append(took)
            cpu[key].append(used)
    section("3A. ansible ad-hoc: ecs_task_info on a finished task vs ping (median of %d runs each)" % runs)
    rows = []
    for key, module, _args in commands:
        rows.append(["ansible localhost -m %s" % module, "%.2f" % median(wall[key]), "%.2f" % min(wall[key]),
                     "%.2f" % max(wall[key]), "%.2f" % median(cpu[key])])
    table(["command", "median wall s", "min s", "max s", "median CPU s (process tree)"], rows)
    ratio_wall = median(wall["info"]) / median(wall["ping"])
    ratio_cpu = median(cpu["info"]) / median(cpu["ping"])
    note("CPU time (user+sys of ansible and its workers) is far less sensitive to other load on the machine than wall time")
    target("ecs_task_info / ping <= 1.15 in median wall time (got %.2f; CPU time ratio %.2f)" % (ratio_wall, ratio_cpu),
           ratio_wall <= 1.15)
    return {"ping": median(wall["ping"]), "info": median(wall["info"]), "cpu_ratio": ratio_cpu, "wall_ratio": ratio_wall}


def part_b(emu, task_id, runs):
    env = dict(os.environ, PYTHONPATH=COLLECTIONS)
    args = [emu.url, ACCESS_KEY, SECRET_KEY, task_id, REGION]
    results = {"python -c pass": [], "collection EcsClient": [], "official SDK (tea)": []}
    inner = {"collection EcsClient": [], "official SDK (tea)": []}
    for _run in range(runs):
        results["python -c pass"].append(_timed([sys.executable, "-c", "pass"], env)[0])
        for name, code in (("collection EcsClient", OURS), ("official SDK (tea)", SDK)):
            took, out = _timed([sys.executable, "-c", code] + args, env)
            detail = json.loads(out.strip().splitlines()[-1])
            if detail["status"] != "Finished":
                raise RuntimeError("%s saw %s" % (name, detail["status"]))
            results[name].append(took)
            inner[name].append(detail)
    section("3B. One DescribeTaskAttribute in a fresh process, import included (median of %d runs)" % runs)
    rows = []
    for name, times in results.items():
        details = inner.get(name)
        rows.append([name, "%.3f" % median(times),
                     "%.3f" % median([d["import"] for d in details]) if details else "-",
                     "%.3f" % median([d["call"] for d in details]) if details else "-"])
    table(["process", "median wall s", "of which import s", "of which client + call s"], rows)
    ours, sdk = median(results["collection EcsClient"]), median(results["official SDK (tea)"])
    target("collection <= half the SDK's time (got %.2f of it)" % (ours / sdk), ours <= sdk / 2)
    return {"ours": ours, "sdk": sdk, "share": ours / sdk}


def _payload(keep, module):
    """(payload path, {"files": n, "bytes": n, "ours": n, "ours_bytes": n}) of the kept AnsiballZ file of ``module``."""
    path = glob.glob(os.path.join(keep, "*", "AnsiballZ_%s.py" % module.rsplit(".", 1)[1]))[0]
    proc = subprocess.run([sys.executable, path, "explode"], cwd=os.path.dirname(path), capture_output=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError("explode failed: %r" % proc.stderr[-500:])
    files = glob.glob(os.path.join(os.path.dirname(path), "debug_dir", "**", "*.py"), recursive=True)
    ours = [name for name in files if "ansible_collections" in name]
    return path, {"files": len(files), "bytes": sum(os.path.getsize(name) for name in files),
                  "ours": len(ours), "ours_bytes": sum(os.path.getsize(name) for name in ours)}


def part_c(emu, task_id, runs, figures):
    ansible = Ansible(emu)
    keep = tempfile.mkdtemp(prefix="alicloud-ecs-keep-")
    env = dict(ansible.env)
    env.pop("RECORD_RESULTS_FILE", None)
    rows, target_s, target_cpu = [], {}, {}
    try:
        for key, module, args in _commands(task_id):
            result = ansible.adhoc(module, args, env={"ANSIBLE_PIPELINING": "0", "ANSIBLE_KEEP_REMOTE_FILES": "1", "ANSIBLE_REMOTE_TMP": keep})
            if result.rc != 0:
                raise RuntimeError("ad-hoc run failed: %r" % result)
            path, sizes = _payload(keep, module)
            times, cpu = [], []
            for _run in range(runs):
                took, out = _timed([sys.executable, path], env, cpu)
                if '"failed": true' in out:
                    raise RuntimeError("payload run failed: %s" % out[-500:])
                times.append(took)
            target_s[key], target_cpu[key] = median(times), median(cpu)
            rows.append([module, "%.0f" % (os.path.getsize(path) / 1024.0), sizes["files"], "%.0f" % (sizes["bytes"] / 1024.0),
                         sizes["ours"], "%.0f" % (sizes["ours_bytes"] / 1024.0), "%.3f" % target_s[key],
                         "%.3f" % target_cpu[key]])
    finally:
        shutil.rmtree(keep, ignore_errors=True)
    section("3C. Where 3A's difference goes: the AnsiballZ payload, and the payload run alone on the target (median of %d)" % runs)
    table(["module", "AnsiballZ KB", ".py files", "their KB", "of which in ansible_collections", "their KB", "target run median s",
           "median CPU s"], rows)
    target_diff = target_s["info"] - target_s["ping"]
    if "ping" in figures:
        total = figures["info"] - figures["ping"]
        note("3A difference %.3f s: %.3f s on the target (the payload run), %.3f s on the controller (payload build, worker, result)"
             % (total, target_diff, total - target_diff))
    return {"target_ping": target_s["ping"], "target_info": target_s["info"],
            "target_ping_cpu": target_cpu["ping"], "target_info_cpu": target_cpu["info"]}


def run(quick=False):
    runs = 1 if quick else 7
    with FastEmulator(time_scale=1, seed=13) as emu:
        task_id = emu.create_tasks(count=1, duration=0)[0]
        figures = {}
        if not quick:
            figures.update(part_a(emu, task_id, runs))
        else:
            section("3A. ansible ad-hoc vs ping: skipped in --quick (each ansible run takes seconds)")
        figures.update(part_b(emu, task_id, 1 if quick else 7))
        figures.update(part_c(emu, task_id, 1 if quick else 7, figures))
    note("3B children run with the emulator on loopback; the SDK's credentials come from Config, ours from a static object")
    return figures
