# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for tests that run real ansible commands against the emulator."""

from __future__ import annotations

import pytest

from tests.system.ansible_run import Ansible


@pytest.fixture
def ansible(emulator):
    """Runs ansible-playbook / ansible with the collection installed and the emulator's URL and keys set."""
    return Ansible(emulator)
