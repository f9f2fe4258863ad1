# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The docs against what runs do: the modules' RETURN against real runs (every key a run returns is
documented, every key documented as returned always is there), README's call counts against a run and its
credential order against the code, the files the guides name, and every figure the docs give against the
last recorded benchmark run (benchmarks/last_run.json)."""

from __future__ import annotations

import glob
import inspect
import json
import os
import re

import pytest
import yaml

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth import chain
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.plan import closing_line
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter import progress
from ansible_collections.alicloud.ecs.plugins.modules import ecs_task_info, ecs_task_wait
from tests.system.ansible_run import REPO_ROOT

# Keys Ansible itself adds to every result.
ANSIBLE_KEYS = {"changed", "failed", "invocation", "warnings", "deprecations", "exception", "_ansible_no_log",
                "_ansible_verbose_always", "_ansible_verbose_override", "skipped", "msg"}


def check(result, returned):
    keys = set(result) - ANSIBLE_KEYS
    assert keys <= set(returned), sorted(keys - set(returned))
    always = {name for name, doc in returned.items() if doc.get("returned") == "always"} - ANSIBLE_KEYS
    assert always <= set(result), sorted(always - set(result))
    contains = returned["tasks"].get("contains") or {}
    for record in result["tasks"]:
        assert set(contains) <= set(record), sorted(set(contains) - set(record))


def test_wait_returns_what_its_docs_say(ansible, emulator):
    returned = yaml.safe_load(ecs_task_wait.RETURN)
    ids = emulator.create_tasks(action="ExportImage", count=2, duration=0.5)
    run = ansible.adhoc("alicloud.ecs.ecs_task_wait", {"task_ids": ids, "timeout": "20s"})
    assert run.rc == 0, run
    result = run.results[-1]["result"]
    assert result["succeeded"] == ids, result
    check(result, returned)


def test_wait_error_returns_what_its_docs_say(ansible, emulator):
    returned = yaml.safe_load(ecs_task_wait.RETURN)
    ids = emulator.create_tasks(action="ExportImage", duration=30)
    run = ansible.adhoc("alicloud.ecs.ecs_task_wait", {"task_ids": ids, "timeout": "20s", "region": "xx-nowhere-1"})
    result = run.results[-1]["result"]
    assert result["error_code"] == "InvalidRegionId.NotFound", result
    # The error's own fields (request id, HTTP status, attempts) are documented with it.
    check(result, returned)


def test_a_search_that_finds_nothing_returns_what_its_docs_say(ansible, emulator):
    returned = yaml.safe_load(ecs_task_wait.RETURN)
    run = ansible.adhoc("alicloud.ecs.ecs_task_wait", {"task_action": "ExportImage", "not_found_checks": 0})
    result = run.results[-1]["result"]
    assert result["wait_status"] == "failed" and result["search"]["found"] == [], result
    check(result, returned)


def check_records(result, returned, collection):
    """As check(), for the records of ``collection`` (images, disks): every key a record has is documented, and
    every documented key is there."""
    keys = set(result) - ANSIBLE_KEYS
    assert keys <= set(returned), sorted(keys - set(returned))
    always = {name for name, doc in returned.items() if doc.get("returned") == "always"} - ANSIBLE_KEYS
    assert always <= set(result), sorted(always - set(result))
    contains = returned[collection]["contains"]
    always = {name for name, doc in contains.items() if doc.get("returned", "always") == "always"}
    for record in result[collection]:
        assert set(record) <= set(contains), "undocumented: %s" % sorted(set(record) - set(contains))
        assert always <= set(record), "missing: %s" % sorted(always - set(record))


@pytest.mark.parametrize("module, collection", [("ecs_image_wait", "images"), ("ecs_disk_wait", "disks")])
def test_the_product_waits_return_what_their_docs_say(ansible, emulator, module, collection):
    from ansible_collections.alicloud.ecs.plugins.modules import ecs_disk_wait, ecs_image_wait
    returned = yaml.safe_load({"ecs_image_wait": ecs_image_wait, "ecs_disk_wait": ecs_disk_wait}[module].RETURN)
    if module == "ecs_image_wait":
        ready = emulator.create_images(status="Available")
        args = {"image_ids": ready + ["m-nothere000000000001"], "not_found_checks": 0}
    else:
        ready = emulator.create_disks(category="cloud_essd")
        args = {"disk_ids": ready + ["d-nothere000000000001"], "not_found_checks": 0}
    run = ansible.adhoc("alicloud.ecs." + module, dict(args, timeout="20s"))
    result = run.results[-1]["result"]
    assert result["succeeded"] == ready and len(result[collection]) == 2, result
    # A record found and a record never found (it carries the not-found error).
    check_records(result, returned, collection)


def test_info_returns_what_its_docs_say(ansible, emulator):
    returned = yaml.safe_load(ecs_task_info.RETURN)
    ids = emulator.create_tasks(action="ExportImage", count=2, duration=0.5)
    run = ansible.adhoc("alicloud.ecs.ecs_task_info", {"task_ids": ids + ["t-missing0000000001"], "details": True})
    assert run.rc == 0, run
    check(run.results[-1]["result"], returned)


def test_info_error_returns_what_its_docs_say(ansible, emulator):
    returned = yaml.safe_load(ecs_task_info.RETURN)
    ids = emulator.create_tasks(action="ExportImage", duration=0.5)
    run = ansible.adhoc("alicloud.ecs.ecs_task_info", {"task_ids": ids},
                        env={"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "not-the-secret"})
    result = run.results[-1]["result"]
    assert result["error_code"] == "SignatureDoesNotMatch" and result["server_string_to_sign"], result
    undocumented = set(result) - ANSIBLE_KEYS - set(returned)
    assert not undocumented, sorted(undocumented)


# ---------------------------------------------------------------- README.md against runs and the code

def _readme():
    with open(os.path.join(REPO_ROOT, "README.md"), encoding="utf-8") as handle:
        return handle.read()


README_PER_POLL = re.compile(r"\| API calls per poll, (?P<tasks>\d+) pending tasks \| (?P<alone>\d+) when each task is polled "
                             r"on its own \| (?P<summaries>\d+) `DescribeTasks` \((?P<per_call>\d+) ids each\); then one "
                             r"`DescribeTaskAttribute` per task as it ends")


def test_the_readme_calls_per_poll_are_those_of_a_run(ansible, emulator):
    """README's table: N `DescribeTasks` a poll for its pending tasks, one `DescribeTaskAttribute` per task as it ends."""
    said = README_PER_POLL.search(_readme())
    assert said, "README's row 'API calls per poll' changed: update README_PER_POLL"
    count = int(said.group("tasks"))
    assert int(said.group("alone")) == count
    ids = emulator.create_tasks(action="ExportImage", count=count, duration=0)  # all end at the first poll
    run = ansible.adhoc("alicloud.ecs.ecs_task_wait", {"task_ids": ids, "timeout": "2m"})
    assert run.rc == 0, run
    calls = emulator.stats()["calls"]
    assert calls == {"DescribeTasks": int(said.group("summaries")), "DescribeTaskAttribute": count}, calls
    assert int(said.group("summaries")) == -(-count // int(said.group("per_call")))


# Each step of the credential chain (auth/chain.py), and words README's line for it holds.
CHAIN_WORDS = {
    "from_options": "`access_key`", "from_explicit_options": "`profile`", "from_env": "`ALIBABA_CLOUD_ACCESS_KEY_ID`",
    "from_oidc": "`ALIBABA_CLOUD_ROLE_ARN`", "from_cli_file": "`~/.aliyun/config.json`",
    "from_ini_file": "`~/.alibabacloud/credentials.ini`", "from_metadata": "metadata service",
    "from_credentials_uri": "`ALIBABA_CLOUD_CREDENTIALS_URI`",
}


def test_the_readme_gives_the_credential_order_of_the_code():
    steps = re.findall(r"self\.(from_\w+)", inspect.getsource(chain._Resolver.resolve))
    unknown = [step for step in steps if step not in CHAIN_WORDS]
    assert not unknown, ("a credential source was added (%s): give it a line in README.md's list (## Credentials) "
                         "and its words in CHAIN_WORDS" % unknown)
    section = _readme().split("## Credentials", 1)[1].split("\n## ", 1)[0]
    lines = re.findall(r"^\d+\. (.*)$", section, re.MULTILINE)
    assert len(lines) == len(steps), lines
    for step, line in zip(steps, lines):
        assert CHAIN_WORDS[step] in line, "README.md's line %r is not the chain's %s" % (line, step)


# ---------------------------------------------------------------- the files the docs name

# Repository paths the guides mention (a path under a top folder, or a Markdown file).
NAMED_PATH = re.compile(r"(?<![\w./~-])((?:docs|tests|benchmarks|scripts|plugins|examples|roles|extensions|meta|changelogs)"
                        r"/[\w./-]*[\w]|[\w-]+\.md)(?![\w/*])")
# Named on purpose though not in the repository: what a command writes.
WRITTEN_LATER = {"changelogs/CHANGELOG.md": "antsibull-changelog release writes it"}


def test_the_docs_name_only_files_that_exist():
    """architecture.md once cited a DESIGN.md that is not in the repository."""
    missing = []
    for path in [os.path.join(REPO_ROOT, "README.md")] + glob.glob(os.path.join(REPO_ROOT, "docs", "*.md")):
        with open(path, encoding="utf-8") as handle:
            text = re.sub(r"https?://\S+", "", handle.read())
        for name in set(NAMED_PATH.findall(text)):
            if name in WRITTEN_LATER or name.endswith(".tar.gz"):
                continue
            # From the root, the guide's folder, or a role (its meta/argument_specs.yml).
            where = [os.path.join(REPO_ROOT, name), os.path.join(os.path.dirname(path), name)]
            where += glob.glob(os.path.join(REPO_ROOT, "roles", "*", name))
            if not any(os.path.exists(candidate) for candidate in where):
                missing.append("%s: %s" % (os.path.relpath(path, REPO_ROOT), name))
    assert not missing, missing


# ---------------------------------------------------------------- figures: the docs against the last recorded run

RECORD = os.path.join(REPO_ROOT, "benchmarks", "last_run.json")
MIXES = (("log-spread", ()), ("uniform", ("uniform",)))
# Each strategy's label in the tables of performance.md section 1, by mix.
STRATEGY_LABELS = {
    "engine": ("ecs_task_wait", "ecs_task_wait"),
    "engine_details_failed": ("ecs_task_wait, `details: failed`", "ecs_task_wait, `details: failed`"),
    "ansible_loop": ("(a) ansible loop", "(a) ansible loop"),
    "terraform": ("(b) terraform", "(b) terraform, counted"),
}
MANY_HOSTS = (("per_host", "200 per-host waits"), ("single", "one wait (`run_once`)"),
              ("single_details_failed", "one wait, `details: failed`"))


def _record():
    with open(RECORD, encoding="utf-8") as handle:
        return json.load(handle)


def _at(record, path):
    """The figure at ``benchmark/key/...`` of the record."""
    benchmark, *keys = path.split("/")
    value = record[benchmark]["figures"]
    for key in keys:
        value = value[key]
    return value


def _n(value):
    """1,657 for 1657: how the docs write counts."""
    return "{:,}".format(int(value))


def _ratio(path_a, path_b, digits=1):
    return lambda record: "%.*f" % (digits, _at(record, path_a) / float(_at(record, path_b)))


def _fig(path, form=_n):
    return lambda record: form(_at(record, path))


def _fixed(digits):
    return lambda value: "%.*f" % (digits, value)


# (file, text with {0}, {1}, ... where the figures go, the figures: each a function of the record).
FIGURES = [
    ("README.md", "| {0} polling each task on Terraform's schedule; {1} for `loop` with `until:`, which waits on one task "
                  "after the other | {2} ({3} with `details: failed`) |",
     [_fig("calls/uniform/1000/terraform"), _fig("calls/uniform/1000/ansible_loop"), _fig("calls/uniform/1000/engine"),
      _fig("calls/uniform/1000/engine_details_failed")]),
    ("docs/performance.md", "x{0} ({1} vs {2}), 1,000 of them the details read per decided task; met only with "
                            "`details: failed`: x{3} ({4})",
     [_ratio("calls/1000/terraform", "calls/1000/engine"), _fig("calls/1000/engine"), _fig("calls/1000/terraform"),
      _ratio("calls/1000/terraform", "calls/1000/engine_details_failed"), _fig("calls/1000/engine_details_failed")]),
    ("docs/performance.md", "met: x{0} ({1} vs {2}); x{3} ({4}) with `details: failed`",
     [_ratio("calls/uniform/1000/terraform", "calls/uniform/1000/engine"), _fig("calls/uniform/1000/engine"),
      _fig("calls/uniform/1000/terraform"), _ratio("calls/uniform/1000/terraform", "calls/uniform/1000/engine_details_failed"),
      _fig("calls/uniform/1000/engine_details_failed")]),
    ("docs/performance.md", "(N = 1: {0} vs {1}, and {2} vs {3})",
     [_fig("calls/1/engine"), _fig("calls/1/terraform"), _fig("calls/uniform/1/engine"), _fig("calls/uniform/1/terraform")]),
    ("docs/performance.md", "met: max {0} s over 10,000 simulated waits", [_fig("lag/max_lag", _fixed(1))]),
    ("docs/performance.md", "All 10,000: median lag {0} s", [_fig("lag/median_lag", _fixed(2))]),
    ("docs/performance.md", "**not met**: {0} (wall), {1} (CPU)",
     [_fig("overhead/wall_ratio", _fixed(2)), _fig("overhead/cpu_ratio", _fixed(2))]),
    ("docs/performance.md", "met: {0} of it ({1} s vs {2} s)",
     [_fig("overhead/share", _fixed(2)), _fig("overhead/ours", _fixed(3)), _fig("overhead/sdk", _fixed(3))]),
    ("docs/performance.md", "| ping | {0} |", [_fig("overhead/ping", _fixed(2))]),
    ("docs/performance.md", "| ecs_task_info | {0} |", [_fig("overhead/info", _fixed(2))]),
    ("docs/performance.md", "| collection EcsClient | {0} |", [_fig("overhead/ours", _fixed(3))]),
    ("docs/performance.md", "| official SDK (tea) | {0} |", [_fig("overhead/sdk", _fixed(3))]),
    ("docs/performance.md", "met: {0} MB", [_fig("scale/peak_mb", _fixed(1))]),
    ("docs/performance.md", "| 10,000 | {0} |", [_fig("scale/calls")]),
    ("docs/performance.md", "met: all {0} succeeded, {1}% throttled ({2} of {3} calls); {4} s, floor {5} s",
     [lambda record: _n(1000), _fig("throttle/share", _fixed(1)), _fig("throttle/throttled"), _fig("throttle/calls"),
      _fig("throttle/wall", _fixed(1)), _fig("throttle/floor", _fixed(1))]),
    ("docs/performance.md", "fewer calls in total: **met**, x{0} (x{1} with `details: failed`)",
     [_ratio("many_hosts/per_host/calls", "many_hosts/single/calls"),
      _ratio("many_hosts/per_host/calls", "many_hosts/single_details_failed/calls")]),
    ("docs/many-hosts.md", "the one wait makes x{0} fewer calls (x{1} with `details: failed`)",
     [_ratio("many_hosts/per_host/calls", "many_hosts/single/calls"),
      _ratio("many_hosts/per_host/calls", "many_hosts/single_details_failed/calls")]),
    ("docs/many-hosts.md", "first: {0} requests in the first minute", [_fig("many_hosts/per_host/busiest_minute")]),
    ("docs/performance.md", "Of the default {0} calls, 1,000 are the", [_fig("calls/1000/engine")]),
    ("docs/performance.md", "{0} are progress samples (one a minute) and {1} are",
     [lambda record: _n(_at(record, "calls/1000/rows/engine")[4] - 1000), lambda record: _n(_at(record, "calls/1000/rows/engine")[3])]),
    ("docs/performance.md", "leaving {0}\n  (x{1}), at the price",
     [_fig("calls/1000/engine_details_failed"), _ratio("calls/1000/terraform", "calls/1000/engine_details_failed")]),
    ("docs/performance.md", "- **N = 1000, uniform: x{0}, met** (x{1} with `details: failed`)",
     [_ratio("calls/uniform/1000/terraform", "calls/uniform/1000/engine"),
      _ratio("calls/uniform/1000/terraform", "calls/uniform/1000/engine_details_failed")]),
    ("docs/performance.md", "while the wait's DescribeTasks rounds ({0}) and details ({1}) grow far",
     [lambda record: _n(_at(record, "calls/uniform/1000/rows/engine")[3]),
      lambda record: _n(_at(record, "calls/uniform/1000/rows/engine")[4])]),
    ("docs/performance.md", "- **N = 1: {0} calls against Terraform's {1}", [_fig("calls/1/engine"), _fig("calls/1/terraform")]),
    ("docs/performance.md", "- **N = 1000, log-spread: x{0} with default options, target x50 not met;\n  x{1} with",
     [_ratio("calls/1000/terraform", "calls/1000/engine"), _ratio("calls/1000/terraform", "calls/1000/engine_details_failed")]),
    ("docs/performance.md", "{0} of {1} at N = 100, {2} of {3} at N = 1000 (log-spread)",
     [lambda record: _n(_at(record, "calls/100/engine") - _at(record, "calls/100/engine_details_failed")), _fig("calls/100/engine"),
      lambda record: _n(_at(record, "calls/1000/engine") - _at(record, "calls/1000/engine_details_failed")),
      _fig("calls/1000/engine")]),
    ("docs/performance.md", "met: {0} vs {1} per round; {2} vs {3} in total (x{4}), {5} with `details: failed` (x{6})",
     [_fig("many_hosts/single/per_round"), _fig("many_hosts/per_host/per_round"), _fig("many_hosts/single/calls"),
      _fig("many_hosts/per_host/calls"), _ratio("many_hosts/per_host/calls", "many_hosts/single/calls"),
      _fig("many_hosts/single_details_failed/calls"), _ratio("many_hosts/per_host/calls", "many_hosts/single_details_failed/calls")]),
]


def _calls_rows():
    """performance.md section 1: one row per N and strategy, as the benchmark printed it."""
    for mix, prefix in MIXES:
        for count in ("1", "10", "100", "1000"):
            for key, labels in STRATEGY_LABELS.items():
                label = labels[1] if mix == "uniform" else labels[0]
                path = "/".join(("calls",) + prefix + (count, "rows", key))

                def row(record, path=path, label=label, count=count):
                    _n_, _name, calls, tasks, attributes, times, returned, lag, _ok = _at(record, path)
                    return "| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                        count, label, _n(calls), _n(tasks), _n(attributes), times.lstrip("x"), returned, lag)
                yield ("docs/performance.md", "{0}", [row])


def _many_hosts_rows():
    for doc in ("docs/performance.md", "docs/many-hosts.md"):
        for key, label in MANY_HOSTS:
            base = "many_hosts/%s/" % key
            yield (doc, "| %s | {0} | {1} | {2} | {3} | {4} |" % label,
                   [_fig(base + "per_round"), _fig(base + "busiest_minute"), _fig(base + "calls"),
                    _fig(base + "by_action/DescribeTasks"), _fig(base + "by_action/DescribeTaskAttribute")])


PRODUCTS = "products/all_usable/"
PRODUCTS_FAILED = "products/with_failures/"
LEAN = "wait_for: product, details: failed, progress_interval: 0"
PACED = "wait_for: product, lean, poll_interval: 30s (the until loop's cadence)"
# Benchmark 9: performance.md section 9 and its summary, and waiting-for-products.md.
PRODUCTS_FIGURES = [
    ("docs/performance.md", "| 9 | 100 imports, images usable 0-5 min after their task | returns with every image usable, within "
                            "max_interval (30 s) of the last | met: {0} s after the last, {1} calls; `wait_for: task` left {2} "
                            "not usable |",
     [_fig(PRODUCTS + "wait_for: product/lag", _fixed(1)), _fig(PRODUCTS + "wait_for: product/calls"),
      _fig(PRODUCTS + "wait_for: task (0.2)/unusable")]),
    ("docs/performance.md", "| met: {0} vs {1}, the same lag (the loop given the images in the order they become usable, its best "
                            "case; at its adaptive cadence the lean wait makes {2}, with a lower lag) |",
     [_fig(PRODUCTS + PACED + "/calls"), _fig(PRODUCTS + "until/calls"), _fig(PRODUCTS + LEAN + "/calls")]),
    ("docs/performance.md", "| met: {0} s (the `until:` loop: {1} min) |",
     [_fig(PRODUCTS_FAILED + "wait_for: product/lag", _fixed(1)), _fig(PRODUCTS_FAILED + "until/lag", lambda value: "%.0f" % (value / 60))]),
    ("docs/performance.md", "the lean wait with fewer calls than the loop at the loop's cadence, **met**\n({0} vs {1}, with the same lag)",
     [_fig(PRODUCTS + PACED + "/calls"), _fig(PRODUCTS + "until/calls")]),
    ("docs/performance.md", "cadence the lean wait polls more often than every 30 s: {0} calls, for a lower", [_fig(PRODUCTS + LEAN + "/calls")]),
    ("docs/performance.md", "**met** ({0} s, where the loop", [_fig(PRODUCTS_FAILED + "wait_for: product/lag", _fixed(1))]),
    ("docs/performance.md", "**met** ({0} s);", [_fig(PRODUCTS + "wait_for: product/lag", _fixed(1))]),
    ("docs/performance.md", "image again once usable: {0} calls for 100 images", [_fig(PRODUCTS + "wait_for: product/images_calls")]),
    ("docs/performance.md", "at `{0}`; its figures are in `benchmarks/last_run.json`. 100",
     [lambda record: record["products"]["commit"]]),
    ("docs/waiting-for-products.md", "- `wait_for: product` returned with every image usable, {0} s after the last one became "
                                     "usable, in {1} calls ({2} of them `DescribeImages`, 100 images a call); `wait_for: task` "
                                     "returned while {3} images were not usable yet.",
     [_fig(PRODUCTS + "wait_for: product/lag", _fixed(1)), _fig(PRODUCTS + "wait_for: product/calls"),
      _fig(PRODUCTS + "wait_for: product/images_calls"), _fig(PRODUCTS + "wait_for: task (0.2)/unusable")]),
    ("docs/waiting-for-products.md", "made {0} calls and returned {1} s after the last.",
     [_fig(PRODUCTS + "until/calls"), _fig(PRODUCTS + "until/lag", _fixed(1))]),
    ("docs/waiting-for-products.md", "`progress_interval: 0` it made {0}, and {1} at the loop's own cadence",
     [_fig(PRODUCTS + LEAN + "/calls"), _fig(PRODUCTS + PACED + "/calls")]),
    ("docs/waiting-for-products.md", "`wait_for: product` failed {0} s after the first failure; the loop ran on for {1} minutes",
     [_fig(PRODUCTS_FAILED + "wait_for: product/lag", _fixed(1)), _fig(PRODUCTS_FAILED + "until/lag", lambda value: "%.0f" % (value / 60))]),
]


def _lag_cell(lag):
    return "%.1f s" % lag if lag >= 0 else "none: returned %.0f s before" % -lag


def _products_rows():
    """performance.md section 9: one row per strategy, as the benchmark printed it."""
    for key, label in (("wait_for: product", "`wait_for: product`"),
                       (LEAN, "`wait_for: product`, `details: failed`, `progress_interval: 0`"),
                       (PACED, "the same, `poll_interval: 30s` (the loop's cadence)"),
                       ("wait_for: task (0.2)", "`wait_for: task` (0.2)")):
        def row(record, key=key, label=label):
            figures = _at(record, PRODUCTS + key)
            cells = (label, _n(figures["calls"]), _n(figures["images_calls"]), figures["status"],
                     _lag_cell(figures["lag"]), figures["unusable"])
            return "| %s | %s | %s | %s | %s | %s |" % cells
        yield ("docs/performance.md", "{0}", [row])
    until = "| `until:` per image, `delay: 30`, `retries: 120` | "
    yield ("docs/performance.md", until + "{0} | {0} | succeeded | {1} | 0 |",
           [_fig(PRODUCTS + "until/calls"), lambda record: _lag_cell(_at(record, PRODUCTS + "until/lag"))])
    yield ("docs/performance.md", "| `wait_for: product` | {0} | {1} | failed | {2} |",
           [_fig(PRODUCTS_FAILED + "wait_for: product/calls"), _fig(PRODUCTS_FAILED + "wait_for: product/images_calls"),
            lambda record: _lag_cell(_at(record, PRODUCTS_FAILED + "wait_for: product/lag"))])
    yield ("docs/performance.md", until + "{0} | {0} | failed | {1} s |",
           [_fig(PRODUCTS_FAILED + "until/calls"), lambda record: "{:,.1f}".format(_at(record, PRODUCTS_FAILED + "until/lag"))])


ALL_FIGURES = FIGURES + list(_calls_rows()) + list(_many_hosts_rows()) + PRODUCTS_FIGURES + list(_products_rows())


def test_every_figure_tied_to_the_record_is_the_one_last_measured():
    """After `benchmarks/run_all.py --record`, the docs must say what the run measured: this fails until they do."""
    record = _record()
    stale = []
    for doc, template, figures in ALL_FIGURES:
        with open(os.path.join(REPO_ROOT, doc), encoding="utf-8") as handle:
            text = handle.read()
        expected = template.format(*[figure(record) for figure in figures])
        if expected not in text:
            stale.append("%s should say: %s" % (doc, expected))
    assert not stale, "\n".join(stale)


def test_the_record_says_where_each_figure_comes_from():
    for name, entry in _record().items():
        assert set(entry) >= {"commit", "machine", "figures"}, name
        assert entry.get("date") or entry.get("transcribed"), name


# ---------------------------------------------------------------- progress lines the docs show

_ELAPSED = r" \[(?:\d+h)?(?:\d+m)?\d+s elapsed\]"
# A state as lines say it: a task's, an image's or disk's (with what more it shows: "Available, not usable yet",
# "Modifying, cloud_essd, PL1"), or what a task's product shows ("image Creating", "OSS object absent").
_STATE = r"[\w ]+(?:, [\w ]+)*"
_STATES = r"\((?:%s|\d+ %s(?:, \d+ %s)*)\)" % (_STATE, _STATE, _STATE)
# A task, an image or a disk id.
_ID = r"[tmd]-[\w*]+"
# The shapes of progress.py's lines (format_progress, format_closing), after "[host] ecs_<kind>_wait: ".
PROGRESS_SHAPES = [re.compile("^%s%s$" % (body, _ELAPSED)) for body in (
    r"%s(?: \(\w+\))? (?:succeeded|failed|failed \(not found\)|[\w ]+?(?:, [\w ]+?)*(?: \d+%%)?(?:, ETA \w+)?)" % _ID,
    r"\d+/\d+ succeeded(?:, \d+ failed)?(?:, \d+ pending(?: %s)?(?:, slowest (?:%s \d+%%|at \d+%%))?)?(?:, ETA \w+)?"
    % (_STATES, _ID),
    r"done: \d+/\d+ succeeded(?:, \d+ failed)?(?:, \d+ pending)?",
    r"failed: \d+/\d+ succeeded, \d+ failed(?:, \d+ pending)? \(first: %s (?:(?:image |OSS object |disk )?in state '\w+'|[\w.]+)\)"
    % _ID,
    r"failed: no task matched in \d+ search(?:es)?",
    r"timed out: \d+/\d+ succeeded(?:, \d+ failed)?(?:, \d+ pending)?(?:, every poll failed: [\w.]+)?",
    r"timed out searching: none found in \d+ search(?:es)?",
    r"stopped on an error(?: while searching)?, [\w.]+: .+",
    r"stopped: predicted to end after the timeout, .+",
    r"searching(?: for .+)?: none yet after \d+ search(?:es)?",
    # A start module's closing line (ops/start/plan.closing_line), after the wait's.
    r"(?:started|attached)(?: \(task t-\w+\))?, (?:succeeded|failed|timed_out|error|predicted_timeout)",
)] + [re.compile(r"^warning: \S.*$"),
      # A start module's line when it started the work, and its closing lines without a wait.
      # (its task; or, without one, what it made: a copy, in its own region, or the disk changed)
      re.compile(r"^started \w+ in [\w-]+(?:: (?:task t-\w+|[\w-]+(?: in [\w-]+)?))?$"),
      re.compile(r"^(?:nothing to start, already there|(?:started|attached)(?: \(task t-\w+\))?, not waited for)$")]
# The waits and the start modules (ops/start/) print the same lines, each under its own name.
PROGRESS_LINE = re.compile(r"\[[\w.-]+\] ecs_(?:task_wait|image_wait|disk_wait|image_import|image_export|image_copy|disk_spec): ([^`\"\n]*)")


def test_the_progress_lines_the_docs_show_have_the_shape_runs_print():
    """where-it-runs.md once showed '0/2 finished, 0 failed, 2 pending, states: Processing=2', a format long gone."""
    sources = [os.path.join(REPO_ROOT, "README.md")] + glob.glob(os.path.join(REPO_ROOT, "docs", "*.md"))
    sources += [os.path.join(REPO_ROOT, "plugins", "modules", "ecs_task_wait.py")]
    sources += glob.glob(os.path.join(REPO_ROOT, "plugins", "modules", "ecs_image_[ie]xport.py"))
    shown, wrong = 0, []
    for path in sources:
        with open(path, encoding="utf-8") as handle:
            for line in PROGRESS_LINE.findall(handle.read()):
                shown += 1
                if not any(shape.match(line.strip()) for shape in PROGRESS_SHAPES):
                    wrong.append("%s: %s" % (os.path.relpath(path, REPO_ROOT), line))
    assert shown >= 15 and not wrong, wrong


@pytest.mark.parametrize("snapshot", [
    {"elapsed": 70, "total": 5, "succeeded": 2, "failed": 1, "pending": 2, "pending_states": {"Processing": 1, "Waiting": 1},
     "slowest": {"task_id": "t-2", "progress": 40}, "eta": 200},
    {"elapsed": 3, "total": 1, "pending": 1, "task": {"task_id": "t-1", "action": "ExportImage", "state": "Processing",
                                                      "progress": 45, "outcome": "pending", "eta": 25}},
    {"elapsed": 12, "search": {"filters": "task_action=ExportImage", "searches": 3}},
    {"elapsed": 5, "total": 1, "pending": 1, "task": {"task_id": "t-1", "action": "ImportImage", "progress": 100,
                                                      "state": "image Available, not usable yet", "outcome": "pending"}},
    {"elapsed": 5, "total": 3, "succeeded": 2, "pending": 1, "pending_states": {"disk Modifying, cloud_efficiency": 1},
     "slowest": {"task_id": "t-3", "progress": 100}},
    {"elapsed": 5, "total": 1, "pending": 1, "task": {"task_id": "d-1", "state": "Modifying, cloud_essd, PL1",
                                                      "outcome": "pending"}},
])
def test_the_shapes_match_what_the_formatter_prints(snapshot):
    """The shapes above are those of the code: lines the formatter makes match them."""
    line = progress.format_progress(snapshot, prefix="[h] ecs_task_wait")
    assert any(shape.match(PROGRESS_LINE.search(line).group(1)) for shape in PROGRESS_SHAPES), line


@pytest.mark.parametrize("result", [
    {"action": "started", "task_id": "t-1", "wait_status": "succeeded", "elapsed": 31.0},
    {"action": "attached", "task_id": "t-1", "wait_status": "timed_out", "elapsed": 3600.0},
    {"action": "none"},
    {"action": "started", "task_id": "t-1"},
])
def test_the_start_shapes_match_what_the_start_modules_print(result):
    line = closing_line(result, "[h] ecs_image_export")
    assert any(shape.match(PROGRESS_LINE.search(line).group(1)) for shape in PROGRESS_SHAPES), line
