# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A wait module (ecs_task_wait, ecs_image_wait, ecs_disk_wait) runs where the task runs, with progress lines on the
controller's output: the action plugins' one class, each plugin naming its wait (ops/wait_kind.py).

On the controller when the connection is local and ``become`` keeps the user (the rule of kubernetes.core's
k8s_info); elsewhere as a background job on the target that this plugin starts, polls and cancels (the
pattern of ansible.windows' win_updates); under the user's own ``async`` as any module. See docs/where-it-runs.md.
"""

from __future__ import annotations

import os
import pwd
import time
from typing import TYPE_CHECKING

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.results import secrets_for
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.redact import redact_result
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.specs import check_list_options, unknown_options
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.job.controller import poll_every
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.job.folder import LEASE_SECONDS
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.running import run_wait_safely
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.partial import learned, stall_allowance, stalled_result
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.progress import format_closing
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.stopping import PARENT_GONE, StopToken, parent_check

if TYPE_CHECKING:  # annotations only
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait_kind import WaitKind

display = Display()


def runs_on_controller(transport: str, become: bool, become_user: str | None, current_user: str) -> bool:
    """The rule: a local connection whose become (if any) keeps the user."""
    if transport != "local":
        return False
    return not (become and become_user and become_user != current_user)


class WaitAction(ActionBase):
    """The action plugin of the wait ``WAIT`` (a WaitKind): plugins/action/<module>.py subclasses it."""

    WAIT: WaitKind
    TRANSFERS_FILES = False
    # Without this ActionBase refuses `async:` before run() can hand the task to the module.
    _supports_async = True

    def run(self, tmp: str | None = None, task_vars: dict | None = None) -> dict:
        result = super(WaitAction, self).run(tmp, task_vars)
        del tmp  # unused
        task_vars = task_vars or {}
        kind, module = self.WAIT, "alicloud.ecs." + self.WAIT.name

        # Before anything runs, on every path (controller, target, async): Ansible's own message lists every option.
        unknown = unknown_options(module, self._task.args, kind.spec())
        if unknown is not None:
            result.update(unknown.to_dict(), changed=False, failed=True)
            return result
        try:
            # The request is made here on every path, so a mistake gets the same message whichever way the
            # wait runs (the module makes it again where it runs, from the same options).
            check_list_options(self._task.args, kind.spec(), kind.examples)
            _validation, args = self.validate_argument_spec(argument_spec=kind.spec())
            request = kind.prepare(args)
        except ConfigError as error:
            result.update(error.to_dict(), changed=False, failed=True)
            return redact_result(result, secrets_for(self._task.args))

        if self._task.async_val:
            wrap_async = not self._connection.has_native_async
            result.update(self._execute_module(module_name=module, task_vars=task_vars, wrap_async=wrap_async))
            return result
        prefix = "[%s] %s" % (task_vars.get("inventory_hostname", "localhost"), kind.name)
        # Stop when ansible-playbook is gone (SIGKILL, SIGHUP, a lost terminal): this worker is its child.
        token = StopToken([parent_check()])
        # ansible-playbook passes a SIGTERM on to its workers: stop cleanly (and stop the job on the target).
        previous = token.handle_signals(["SIGTERM"])
        try:
            if self._on_controller():
                result.update(run_wait_safely(args, self._environment(), bool(self._task.check_mode), token,
                                              display.display, prefix, kind=kind, diff=bool(self._task.diff)))
            else:
                result.update(self._run_on_target(task_vars, prefix, token, request))
        finally:
            token.restore_signals(previous)
        if token.reason == PARENT_GONE:
            # Nobody can read this result: Ansible's worker would block for ever writing it
            # to the queue of the ansible-playbook process that is gone.
            os._exit(1)
        return result

    def _on_controller(self):
        # With delegate_to, the connection here is the delegated host's: `delegate_to: localhost` is local.
        return runs_on_controller(self._connection.transport, self._play_context.become,
                                  self._play_context.become_user, pwd.getpwuid(os.geteuid()).pw_name)

    def _job(self, task_vars, **job):
        args = dict(self._task.args, _job=job)
        return self._execute_module(module_name="alicloud.ecs." + self.WAIT.name, module_args=args, task_vars=task_vars)

    def _run_on_target(self, task_vars, prefix, token, request):
        start = self._job(task_vars, operation="start", prefix=prefix, lease=LEASE_SECONDS)
        if start.get("failed") or not start.get("job"):
            start.pop("invocation", None)
            return start
        path, offset, answer = start["job"], 0, {}
        every = poll_every(request.config.display_interval)
        # The controller's own deadline: a worker alive but stuck (stopped, hung) would be polled for ever.
        timeout = request.config.timeout
        began, allowed, stalled = time.monotonic(), stall_allowance(timeout, request.cancel_on_timeout), None
        try:
            while not token.stopped():
                if time.monotonic() - began > allowed:
                    stalled = time.monotonic() - began  # seconds waited when the controller gave up
                    break
                answer = self._job(task_vars, operation="poll", path=path, offset=offset, lease=LEASE_SECONDS)
                if answer.get("failed"):
                    break
                for line in answer.get("lines") or []:
                    display.display(line)
                offset = answer.get("offset", offset)
                if answer.get("done"):
                    break
                token.sleep(every)
        finally:
            # The poll that saw the end removed the job; otherwise (an interrupt, ansible-playbook
            # gone, a failed poll, a stuck worker) stop it and take what it learned.
            reason = "the controller stopped waiting: the wait had not ended %ds after it began" % allowed if stalled else None
            stop = None if answer.get("done") else self._cancel(task_vars, path, reason or token.reason or "the controller stopped waiting")
        final = answer.get("result") or (stop or {}).get("result")
        if final:
            return final
        partial = (stop or {}).get("partial")
        if stalled:
            host = task_vars.get("inventory_hostname", "the target")
            result = stalled_result(partial, host, (stop or {}).get("pid") or start.get("pid"), stalled, timeout,
                                    self.WAIT.noun)
            result["elapsed"] = round(time.monotonic() - began, 1)
            display.display(format_closing(result, prefix))
            return redact_result(result, secrets_for(self._task.args))
        return self._lost_job(answer, token, task_vars, partial)

    def _cancel(self, task_vars, path, reason):
        try:
            return self._job(task_vars, operation="cancel", path=path, reason=reason)
        except Exception as error:  # pylint: disable=broad-except
            # The connection is gone too: the job's lease lapses and it stops by itself.
            display.warning("could not stop the background wait (%s); it stops by itself within %ds"
                            % (error, LEASE_SECONDS))
            return None

    def _lost_job(self, answer, token, task_vars, partial=None):
        host = task_vars.get("inventory_hostname", "the target")
        if answer.get("failed"):
            msg = "could not read the progress of the wait on %s: %s" % (host, answer.get("msg"))
        elif token.reason:
            msg = "stopped waiting on %s: %s" % (host, token.reason)
        else:
            msg = "the background wait on %s ended without an answer%s" % (
                host, (": " + answer["stderr"].strip()) if answer.get("stderr") else "")
        result = dict(learned(partial, self.WAIT.noun), failed=True, changed=False, msg=msg)  # with whatever it had learned
        return redact_result(result, secrets_for(self._task.args))

    def _environment(self):
        """The controller's environment with the task's ``environment:`` keyword on top."""
        env = dict(os.environ)
        for layer in self._task.environment or []:
            layer = self._templar.template(layer)
            if isinstance(layer, dict):
                env.update((str(key), str(value)) for key, value in layer.items() if value is not None)
        return env
