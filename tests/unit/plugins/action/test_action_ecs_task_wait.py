# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the action plugin runs the wait (the real runs are in tests/system/test_wait_where.py)."""

from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.plugin_utils.wait_action import runs_on_controller


@pytest.mark.parametrize("transport, become, become_user, expected", [
    ("local", False, None, True),            # hosts: localhost, connection: local, delegate_to: localhost
    ("local", True, "root", True),           # become keeps the user
    ("local", True, "builder", False),       # become changes the user: run as that user
    ("ssh", False, None, False),             # any other connection: on the target
    ("ssh", True, "root", False),
    ("ansible.netcommon.network_cli", False, None, False),
])
def test_the_controller_only_for_a_local_connection_that_keeps_the_user(transport, become, become_user, expected):
    assert runs_on_controller(transport, become, become_user, "root") is expected
