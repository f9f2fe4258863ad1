# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the module tests: a clean environment and a fake ECS client."""

from __future__ import annotations

import os
import signal

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops import session as session_module
from tests.unit.fakes import FakeEcs


@pytest.fixture(autouse=True)
def signal_handlers():
    """The module turns SIGTERM, SIGHUP and SIGINT into a stop of its wait (it exits afterwards):
    give pytest its own handlers back, or Ctrl-C and a stage timeout's SIGTERM would be swallowed."""
    saved = dict((number, signal.getsignal(number)) for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT))
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No region, endpoint or credentials from the machine running the tests."""
    for name in list(os.environ):
        if name.startswith(("ALIBABA_CLOUD_", "ALICLOUD_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")


@pytest.fixture
def client(monkeypatch, clean_env):
    """The client the module builds, replaced by a FakeEcs so nothing leaves the process."""
    fake = FakeEcs()

    def build_client(params, env=None, **kwargs):
        fake.built.append(params)
        return fake
    # Every path (module, action plugin's controller path, job) opens its client through a Session.
    monkeypatch.setattr(session_module, "build_client", build_client)
    return fake
