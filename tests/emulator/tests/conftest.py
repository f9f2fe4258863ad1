# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the emulator's own tests (the emulator itself: tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def no_proxy(monkeypatch):
    """The official SDKs honour proxy variables: the emulator is on loopback."""
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
