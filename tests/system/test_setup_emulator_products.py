# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The setup_ecs_emulator target's task files for images, disks, OSS objects and start-action settings,
run by ansible-playbook against the emulator (what a target for the 0.3 modules will include)."""

from __future__ import annotations

import os

from tests.system.ansible_run import REPO_ROOT

# ansible-test's targets, whose setup_ecs_emulator role this play uses.
TARGETS = os.path.join(REPO_ROOT, "tests", "integration", "targets")

PLAYBOOK = """
- name: Make products with the setup target
  hosts: localhost
  gather_facts: false
  vars:
    ecs_emulator_url: "{{ url }}"
  tasks:
    - name: Two images, one still being made
      ansible.builtin.include_role:
        name: setup_ecs_emulator
        tasks_from: create_images
      vars:
        setup_ecs_emulator_images: {count: 2, image_name: setup-made, duration: 600, usable_after: 30}
        setup_ecs_emulator_images_register: image_ids

    - name: A disk
      ansible.builtin.include_role:
        name: setup_ecs_emulator
        tasks_from: create_disks
      vars:
        setup_ecs_emulator_disks: {category: cloud_ssd, region: cn-beijing}
        setup_ecs_emulator_disks_register: disk_ids

    - name: An object and a bucket alone
      ansible.builtin.include_role:
        name: setup_ecs_emulator
        tasks_from: put_objects
      vars:
        setup_ecs_emulator_objects:
          - {bucket: setup-bucket, key: images/disk.raw, size: 2048}
          - {bucket: denied-bucket, region: cn-shanghai, deny: [testid]}

    - name: Imports take 30 s from now on
      ansible.builtin.include_role:
        name: setup_ecs_emulator
        tasks_from: set_actions
      vars:
        setup_ecs_emulator_actions: {ImportImage: {duration: 30, usable_after: 5}}

    - name: Read it all back
      ansible.builtin.include_role:
        name: setup_ecs_emulator
        tasks_from: product_truth
      vars:
        setup_ecs_emulator_product_truth_register: truth

    - name: Show it
      ansible.builtin.debug:
        msg: "{{ {'ids': image_ids + disk_ids, 'truth': truth} }}"
"""


def test_setup_target_makes_images_disks_objects_and_settings(ansible, emulator):
    run = ansible.playbook(PLAYBOOK, extra_vars={"url": emulator.url}, timeout=180,
                           env={"ANSIBLE_ROLES_PATH": TARGETS})
    assert run.rc == 0, run
    shown = run.result("Show it")["msg"]
    truth, ids = shown["truth"], shown["ids"]
    images = [truth["images"][i] for i in ids[:2]]
    assert [(i["image_name"], i["status"], i["usable"]) for i in images] == [("setup-made", "Creating", False)] * 2
    disk = truth["disks"][ids[2]]
    assert (disk["category"], disk["region"], disk["status"]) == ("cloud_ssd", "cn-beijing", "In_use")
    obj = truth["objects"]["setup-bucket/images/disk.raw"]
    assert (obj["size"], obj["exists"], obj["region"]) == (2048, True, "cn-hangzhou")
    assert emulator.put_object("denied-bucket") == {"bucket": "denied-bucket", "region": "cn-shanghai", "deny": ["testid"]}
    assert emulator.set_actions() == {"ImportImage": {"duration": 30.0, "usable_after": 5.0}}
