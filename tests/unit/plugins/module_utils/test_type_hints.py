# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every public function and method of module_utils has type hints: each parameter but self / cls, and the
return (``__init__`` aside). Public: a module-level function not starting with "_", or any method of a class
not starting with "_", ``__init__`` included. That the hints are right is mypy's part: scripts/typecheck.py (mypy.ini)
checks every call against them."""
from __future__ import annotations

import ast

import pytest

from tests.unit.plugins.module_utils.test_layout import _sources


def _public_functions(tree):
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            yield node
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for member in node.body:
                if isinstance(member, ast.FunctionDef):
                    yield member


def _missing_hints(path):
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in _public_functions(tree):
        if node.name.startswith("_") and node.name != "__init__":
            continue
        params = [arg.arg for arg in node.args.args + node.args.kwonlyargs
                  if arg.arg not in ("self", "cls") and arg.annotation is None]
        if node.returns is None and node.name != "__init__":
            params.append("return")
        if params:
            yield "line %d %s: %s" % (node.lineno, node.name, ", ".join(params))


@pytest.mark.parametrize("name, path", sorted(_sources()))
def test_public_functions_have_type_hints(name, path):
    missing = list(_missing_hints(path))
    assert not missing, "%s: public functions without type hints (parameter or return):\n%s" % (name, "\n".join(missing))
