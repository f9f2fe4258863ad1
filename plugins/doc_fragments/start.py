# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # What every module that starts work takes besides its timing (timing.py): whether to wait.
    DOCUMENTATION = r"""
options:
  wait:
    description:
      - Whether to wait, once the work is started (or found in progress), until what it makes is ready, with the
        product waits of M(alicloud.ecs.ecs_task_wait) (O(alicloud.ecs.ecs_task_wait#module:wait_for=product)) and
        their progress lines.
      - With V(false) the module returns as soon as the service answered the start call, with RV(task_id) for a
        later M(alicloud.ecs.ecs_task_wait).
    type: bool
    default: true
"""
