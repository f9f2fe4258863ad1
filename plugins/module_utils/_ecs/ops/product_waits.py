# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ecs_image_wait and ecs_disk_wait share: their timing and reporting options (those of ecs_task_wait, with
its defaults: ops/specs.py), and the result of a wait on images or disks. See docs/waiting-for-products.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait_result import wait_result
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.specs import WAIT_OPTIONS
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.outcome import WaitOutcome

# The timing and reporting options of ecs_task_wait that a wait on images or disks takes, as ecs_task_wait has them.
TIMING_OPTIONS = ("timeout", "mode", "min_interval", "max_interval", "poll_interval", "display_interval",
                  "not_found_checks", "fail_on_failure", "on_predicted_timeout")
PRODUCT_WAIT_OPTIONS = dict((name, WAIT_OPTIONS[name]) for name in TIMING_OPTIONS)


def timing(params: Mapping[str, object]) -> WaitConfig:
    """The engine's configuration from the timing options (checked; ConfigError naming the option)."""
    return WaitConfig.from_options(dict((name, params.get(name)) for name in TIMING_OPTIONS if params.get(name) is not None))


def product_result(outcome: WaitOutcome, clients: Clients, noun: str, fail_on_failure: bool) -> dict:
    """The module result of a wait on images or disks (ops/results.wait_result), with every client's calls."""
    result = wait_result(outcome, noun, fail_on_failure)
    result["api_calls"] = clients.api_calls
    return result
