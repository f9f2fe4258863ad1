# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run ecs_task_wait on the controller, so progress lines can be shown while it waits.

Under ``async`` the task is handed to the module instead (same engine, on the
target), so ``async``/``poll``/``async_status`` behave as for any module.
"""

from __future__ import annotations

import os

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.alicloud.ecs.plugins.module_utils.common import build_client, resolve_common_options
from ansible_collections.alicloud.ecs.plugins.module_utils.progress import ProgressReporter
from ansible_collections.alicloud.ecs.plugins.module_utils.results import run_safely, secrets_for
from ansible_collections.alicloud.ecs.plugins.module_utils.specs import wait_argument_spec
from ansible_collections.alicloud.ecs.plugins.module_utils.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils.task_wait import check_list_options, prepare_wait, run_wait
from ansible_collections.alicloud.ecs.plugins.module_utils.timeutil import parse_duration

display = Display()


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    # Without this ActionBase refuses `async:` before run() can hand the task to the module.
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp  # unused

        if self._task.async_val:
            # The module runs the same engine on the target; no progress lines there.
            wrap_async = not self._connection.has_native_async
            result.update(self._execute_module(module_name="alicloud.ecs.ecs_task_wait", task_vars=task_vars, wrap_async=wrap_async))
            return result

        try:
            check_list_options(self._task.args)
        except ConfigError as error:
            result.update(error.to_dict(), changed=False, failed=True)
            return result
        _validation, args = self.validate_argument_spec(argument_spec=wait_argument_spec())
        host = (task_vars or {}).get("inventory_hostname", "localhost")
        state = {"client": None}

        def work():
            plan = prepare_wait(args)
            env = self._environment()
            state["client"] = build_client(resolve_common_options(args, env), env)
            interval = parse_duration(args.get("display_interval"), "display_interval")
            reporter = ProgressReporter(self._emit, interval=interval, prefix="[%s] ecs_task_wait" % host)
            try:
                result = run_wait(plan, state["client"], check_mode=bool(self._task.check_mode), on_progress=reporter)
                reporter.close(result)
                return result
            finally:
                # The worker process lives on for other tasks: give its connections back now.
                state["client"].close()

        outcome = run_safely(work, lambda: secrets_for(args, state["client"]))
        result.update(outcome)
        return result

    @staticmethod
    def _emit(line):
        display.display(line)

    def _environment(self):
        """The controller's environment with the task's ``environment:`` keyword on top."""
        env = dict(os.environ)
        for layer in self._task.environment or []:
            layer = self._templar.template(layer)
            if isinstance(layer, dict):
                env.update((str(key), str(value)) for key, value in layer.items() if value is not None)
        return env
