# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The layout's rules, read from the source: layers import downwards only, Ansible only in the adapter,
and each module ships only the module_utils it imports (AnsiballZ follows imports)."""
from __future__ import annotations

import ast
import os

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
MODULE_UTILS = os.path.join(ROOT, "plugins", "module_utils")
PREFIX = "ansible_collections.alicloud.ecs.plugins.module_utils."

# Lower layers first; a file may import from its own layer or a lower one.
LAYERS = [
    ("_ecs.errors", "_ecs.timeutil", "_ecs.redact", "_ecs.spelling", "_ecs.urls", "_ecs.deadline", "_ecs.retry",
     "_ecs.tasks.states", "_ecs.images.states", "_ecs.disks.catalog", "_ecs.waiter.defaults"),
    # The credential sources call STS and the metadata service through what they are given: auth below api.
    ("_ecs.auth",),
    ("_ecs.api",),
    ("_ecs.tasks", "_ecs.images", "_ecs.disks", "_ecs.objects"),
    ("_ecs.waiter",),
    ("_ecs.ops",),
    # The background job on a target runs the ops' wait; nothing below knows it exists.
    ("_ecs.job",),
    ("_ecs.events",),
    ("ansible_adapter",),
    ("wait_module",),
]


def _sources():
    for folder, _dirs, files in os.walk(MODULE_UTILS):
        for name in files:
            if name.endswith(".py") and name != "__init__.py":
                path = os.path.join(folder, name)
                yield os.path.relpath(path, MODULE_UTILS)[:-3].replace(os.sep, "."), path


def _imports(path):
    """Every module name imported anywhere in the file (function-level imports too: AnsiballZ ships those)."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            yield base
            # "from pkg import module" imports a module too
            for alias in node.names:
                yield "%s.%s" % (base, alias.name)


def _ours(path):
    sources = dict(_sources())
    return set(name[len(PREFIX):] for name in _imports(path) if name.startswith(PREFIX) and name[len(PREFIX):] in sources)


def _layer(name):
    """The lowest layer naming the file or its package (the base facts are named exactly)."""
    for rank, prefixes in enumerate(LAYERS):
        if any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes):
            return rank
    raise AssertionError("%s is in no layer of LAYERS: add it" % name)


@pytest.mark.parametrize("name, path", sorted(_sources()))
def test_imports_go_down_the_layers_only(name, path):
    for imported in _ours(path):
        assert _layer(imported) <= _layer(name), "%s (layer %d) imports %s (layer %d)" % (
            name, _layer(name), imported, _layer(imported))


@pytest.mark.parametrize("name, path", sorted(_sources()))
def test_only_the_adapter_imports_ansible(name, path):
    ansible = [module for module in _imports(path) if module == "ansible" or module.startswith("ansible.")]
    assert not ansible or name == "ansible_adapter", ansible


def _cycle_from(name, graph, path, done):
    """A cycle of imports reachable from ``name`` (depth first), or None."""
    if name in path:
        return path[path.index(name):] + [name]
    if name in done:
        return None
    done.add(name)
    for imported in sorted(graph.get(name, ())):
        cycle = _cycle_from(imported, graph, path + [name], done)
        if cycle:
            return cycle
    return None


def test_no_import_cycles_between_files_or_packages():
    """TYPE_CHECKING imports count: a cycle there still ties the two files together."""
    sources = dict(_sources())
    files = dict((name, _ours(path)) for name, path in sources.items())
    done = set()
    for name in sorted(files):
        cycle = _cycle_from(name, files, [], done)
        assert cycle is None, "import cycle: %s" % " -> ".join(cycle)

    def package(name):
        return name.rsplit(".", 1)[0] if name.count(".") > 1 else name
    packages = {}
    for name, imported in files.items():
        packages.setdefault(package(name), set()).update(package(other) for other in imported if package(other) != package(name))
    done = set()
    for name in sorted(packages):
        cycle = _cycle_from(name, packages, [], done)
        assert cycle is None, "import cycle between packages: %s" % " -> ".join(cycle)


def _shipped(module_file):
    """module_utils names AnsiballZ puts in the payload of a module: its imports, followed."""
    sources = dict(_sources())
    todo, seen = list(_ours(module_file)), set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_ours(sources[name]))
    return seen


def test_ecs_task_info_ships_no_waiter_engine_and_no_background_job():
    shipped = _shipped(os.path.join(ROOT, "plugins", "modules", "ecs_task_info.py"))
    assert {"ansible_adapter", "_ecs.ops.info", "_ecs.api.client", "_ecs.tasks.service"} <= shipped
    unneeded = {name for name in shipped if name.startswith(("_ecs.waiter.", "_ecs.events."))} - {"_ecs.waiter.defaults"}
    assert not unneeded
    assert not {"_ecs.job.controller", "_ecs.job.worker", "_ecs.ops.wait"} & shipped


def test_ecs_task_wait_ships_the_engine():
    shipped = _shipped(os.path.join(ROOT, "plugins", "modules", "ecs_task_wait.py"))
    assert {"_ecs.waiter.engine", "_ecs.job.controller", "_ecs.job.worker", "_ecs.ops.wait"} <= shipped


def test_architecture_md_names_every_file_of_the_layout():
    with open(os.path.join(ROOT, "docs", "architecture.md"), encoding="utf-8") as handle:
        text = handle.read()
    block = text.split("```text\nplugins/module_utils/", 1)[1].split("```", 1)[0]
    for name, _path in _sources():
        *folders, base = name.split(".")
        assert base + ".py" in block, "docs/architecture.md's layout does not name %s.py (%s)" % (base, name)
        for folder in folders[1:]:
            assert folder + "/" in block, folder


def test_the_fakes_of_the_plain_library_need_no_ansible():
    """tests/unit/fakes.py serves the library's tests, which run without Ansible installed."""
    path = os.path.join(ROOT, "tests", "unit", "fakes.py")
    ansible = [module for module in _imports(path) if module == "ansible" or module.startswith("ansible.")]
    assert not ansible, ansible
