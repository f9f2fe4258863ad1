# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No two test modules share an SSH target's local users: pytest runs files on two workers at once, and each
module's sshd rewrites its users' authorized key and ~/.ssh/environment (a shared user once failed CI with
"Permission denied (publickey)")."""

from __future__ import annotations

import ast
import glob
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SITE_CALLS = ("site_fixtures", "ssh_site")


def _users_named(path):
    """(function called, user names) for every call of site_fixtures / ssh_site with literal names in a file."""
    with open(path) as handle:
        tree = ast.parse(handle.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in SITE_CALLS:
            values = list(node.args) + [keyword.value for keyword in node.keywords]
            if values and all(isinstance(value, ast.Constant) for value in values):
                yield node.func.id, [value.value for value in values]


def test_every_ssh_test_module_names_users_of_its_own():
    owners = {}
    for path in sorted(glob.glob(os.path.join(HERE, "test_*.py"))):
        for _called, users in _users_named(path):
            for user in users:
                owners.setdefault(user, []).append(os.path.basename(path))
    shared = dict((user, files) for user, files in owners.items() if len(files) > 1)
    assert not shared, "users named by more than one test module (give each its own): %s" % shared
    # The four modules that drive plays on the SSH target, two users each.
    assert len(owners) == 8, owners


def test_the_site_takes_no_default_users():
    with open(os.path.join(HERE, "ssh_site.py")) as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in SITE_CALLS:
            assert not node.args.defaults, "%s must not default its users: a default is shared" % node.name
