# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A RAM denial's advice names the permission of the action that was refused."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError


@pytest.mark.parametrize("action", ["DescribeImages", "DescribeDisks"])
def test_a_denied_product_read_names_its_own_permission(action):
    error = ApiError("Forbidden.RAM", "User not authorized to operate on the specified resource.", http_status=403,
                     action=action)
    assert error.message.endswith("To fix: the RAM user or role lacks permission: grant ecs:%s." % action)


@pytest.mark.parametrize("action", ["DescribeTasks", "DescribeTaskAttribute", None])
def test_a_denied_task_read_keeps_the_advice_for_every_task_permission(action):
    error = ApiError("Forbidden", "denied", http_status=403, action=action)
    assert "grant ecs:DescribeTasks and ecs:DescribeTaskAttribute (ecs:CancelTask to cancel)" in error.message
