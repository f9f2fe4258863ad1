# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A wait module's run (module_utils/wait_module.py): a job operation the action plugin asked for, or the wait."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.job.controller import handle_job
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.results import run_safely
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.running import run_wait_safely
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.stopping import StopToken
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import WAIT as TASK_WAIT

if TYPE_CHECKING:  # annotations only
    from typing import Protocol

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Session
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait_kind import WaitKind

    class ModuleLike(Protocol):
        """What run_module uses of an AlicloudModule (ansible_adapter.py, a higher layer)."""

        session: Session

        @property
        def params(self) -> dict:
            ...

        @property
        def check_mode(self) -> bool:
            ...

        @property
        def diff(self) -> bool:
            ...

        def answer(self, result: dict) -> None:
            ...


# The option the action plugin adds to reach the job operations (never set by users).
JOB_OPTION = {"_job": {"type": "dict"}}


def run_module(module: ModuleLike, kind: WaitKind = TASK_WAIT) -> None:
    """A wait module (an AlicloudModule) run: a job operation the action plugin asked for, or the wait itself.

    The wait itself runs here under the user's ``async``: SIGTERM, SIGHUP and
    SIGINT stop it with a JSON answer that keeps what it learned (async_status
    then shows that rather than the wrapper's "No start of json char found").
    """
    params = dict((key, value) for key, value in module.params.items() if key not in JOB_OPTION)
    job = module.params.get("_job")
    if job:
        result = run_safely(lambda: dict(handle_job(job, params, module.check_mode, kind, module.diff), changed=False),
                            module.session.secrets)
    else:
        token = StopToken()
        token.handle_signals()
        # No lines under async: its warnings stay in the result, for Ansible to show.
        result = run_wait_safely(params, os.environ, module.check_mode, token, None, kind.name,
                                 session=module.session, kind=kind, diff=module.diff)
    module.answer(result)
