# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # The reporting options of the waits on images and disks, as ecs_task_wait has them (their timing: timing.py).
    DOCUMENTATION = r"""
options:
  mode:
    description:
      - V(all) waits for every one to be ready and, with O(fail_on_failure), stops at the first failure.
      - V(any) stops as soon as one is ready, and fails only when all have failed.
    type: str
    choices: [all, any]
    default: all
  not_found_checks:
    description:
      - How many polls in a row may not find one (a new one can be invisible for a moment) before it fails as
        not found.
    type: int
    default: 20
  fail_on_failure:
    description:
      - Whether a failure fails this task. With V(false) the wait goes on for the others and the result lists
        the failed ones.
    type: bool
    default: true
"""
