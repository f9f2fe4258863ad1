# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request assembly without I/O: parameters flattened (signed requests on the wire are in test_client.py)."""
from __future__ import annotations

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.request import flatten_params


def test_flatten_params():
    assert flatten_params({"ResourceIds": ["a", "b"], "Flag": True, "Skip": None, "PageSize": 5}) == {
        "ResourceIds.1": "a", "ResourceIds.2": "b", "Flag": "true", "PageSize": "5"}
