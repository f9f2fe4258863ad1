# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Strict JSON of answers, as a pure function (issue 10); answers on the wire are in test_client.py."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api import responses


@pytest.mark.parametrize("text", ["1e999", "-1e999", "NaN", "Infinity", "-Infinity", "[" * 50000 + "]" * 50000, "{\"a\": 1e400}"])
def test_parse_json_refuses_what_is_not_strict_finite_json(text):
    with pytest.raises(ValueError):
        responses.parse_json(text.encode())


def test_parse_json_reads_ordinary_answers():
    assert responses.parse_json(b'{"a": 1.5, "b": [1, "x"], "c": null}') == {"a": 1.5, "b": [1, "x"], "c": None}
