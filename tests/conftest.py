# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures: the ECS emulator."""

from __future__ import annotations

import pytest

from tests.emulator.harness import Emulator


@pytest.fixture(scope="session")
def emulator_server():
    """One emulator subprocess for the whole session (default key testid:testsecret, time scale 1)."""
    with Emulator() as server:
        yield server


@pytest.fixture
def emulator(emulator_server):
    """The session emulator, reset (no tasks, faults, stats or nonces) before the test."""
    emulator_server.reset()
    return emulator_server
