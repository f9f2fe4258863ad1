# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The EXAMPLES of ecs_image_import and ecs_image_export run, as written, against the emulator (the image and the
image files they name made first), then again: the second run starts nothing."""

from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.modules import ecs_image_export, ecs_image_import
from tests.system.ansible_run import examples_playbook


def play(module):
    return examples_playbook(module.EXAMPLES)[0]


@pytest.mark.parametrize("module, action", [(ecs_image_import, "ImportImage"), (ecs_image_export, "ExportImage")],
                         ids=["ecs_image_import", "ecs_image_export"])
def test_examples_run_and_a_second_run_starts_nothing(ansible, emulator, module, action):
    emulator.create_images(image_id="m-bp1g7004ksh0oeuc0002", status="Available")
    for key in ("images/web-2026-12.qcow2", "images/web-2026-12.raw"):
        emulator.put_object("builds-hangzhou", key, size=4096)
    emulator.set_actions(**{action: {"duration": 3}})
    env = {"ALIBABA_CLOUD_OSS_ENDPOINT": emulator.url}
    first = ansible.playbook(play(module), env=env)
    assert first.rc == 0, first
    started = emulator.stats()["calls"][action]
    assert started >= 1 and all(entry["status"] in ("ok", "changed", "skipped") for entry in first.results)
    again = ansible.playbook(play(module), env=env)
    assert again.rc == 0, again
    assert emulator.stats()["calls"][action] == started
    results = [entry["result"] for entry in again.results if "action" in entry["result"]]
    assert results and all(result["action"] == "none" and not result["changed"] for result in results), results
