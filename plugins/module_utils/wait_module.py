# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``main()`` of every wait module (ecs_task_wait, ecs_image_wait, ecs_disk_wait): its argument spec, the
action plugin's internal ``_job`` when given, and the run (job/module_run.run_module). Apart from ansible_adapter.py, so
that ecs_task_info ships no job. See docs/architecture.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils.ansible_adapter import AlicloudModule, given_options
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.job.module_run import JOB_OPTION, run_module

if TYPE_CHECKING:  # annotations only
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait_kind import WaitKind


def run_wait_module(wait: WaitKind) -> None:
    """Run the wait module of ``wait`` with the arguments Ansible gave it."""
    spec = wait.spec()
    if "_job" in given_options():
        # The action plugin's start, poll and cancel of a wait on a target host: internal, so left out of
        # DOCUMENTATION (and ansible-doc), and accepted only when given.
        spec.update(JOB_OPTION)
    run_module(AlicloudModule(spec, "alicloud.ecs." + wait.name, supports_check_mode=True), wait)
