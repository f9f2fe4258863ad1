# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_image_copy runs where the task runs (on the controller when the connection's transport is local, else on the
target), with progress lines on the controller's output: plugin_utils/wait_action.py.

See docs/where-it-runs.md.
"""

from __future__ import annotations

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.image_copy import WAIT
from ansible_collections.alicloud.ecs.plugins.plugin_utils.wait_action import WaitAction


class ActionModule(WaitAction):

    WAIT = WAIT
