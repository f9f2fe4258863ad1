# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Answers in the shape the Tea SDK's models write (their from_map, then to_map), for the records' tests."""
from __future__ import annotations


def sdk_shaped(model: str, body: dict) -> dict:
    """``body`` read and written again by ``alibabacloud_ecs20140526.models.<model>``; as given without the SDK."""
    try:
        from alibabacloud_ecs20140526 import models
    except ImportError:
        return body
    return getattr(models, model)().from_map(body).to_map()
