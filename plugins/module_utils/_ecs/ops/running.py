# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The wait as every path runs it (``run_wait_safely``): in the module, in the action plugin on the controller,
and in a target's background job (job/worker.py); stoppable through stopping.py, errors as results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.partial import PartialKeeper
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.results import run_safely
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients, Session
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.stopping import StoppableClient
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import WAIT as TASK_WAIT
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.redact import redact_result
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.progress import ProgressReporter

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Mapping

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.stopping import StopToken
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait_kind import WaitKind


def run_wait_safely(args: dict, env: Mapping[str, str], check_mode: bool, token: StopToken,
                    emit: Callable[[str], object] | None, prefix: str, session: Session | None = None,
                    keep: Callable[[dict], object] | None = None, kind: WaitKind = TASK_WAIT, diff: bool = False) -> dict:
    """The whole wait (of ``kind``: ops/wait_kind.py) as both paths run it: options checked, client built, engine
    run, errors as results. ``diff``: Ansible's ``--diff``, for a kind that starts work.

    ``session``: the run's one session when the caller has opened it (the module's); else one is opened here.
    ``keep(partial)``, at each progress report: the result so far, secrets masked (ops/partial.py).
    ``emit`` None: no progress lines (under async), so warnings stay in the result for Ansible to show.
    """
    session = Session(args, env) if session is None else session

    def work():
        plan = kind.prepare(args)
        reporter = ProgressReporter(emit, interval=plan.config.display_interval, prefix=prefix)
        reporter.warn(plan.config.warnings)  # before the first poll: a misspelt state, say
        clients = Clients(session, wrap=lambda client: StoppableClient(client, token))
        on_progress: Callable[[dict], object] = reporter
        if keep is not None:
            keeper = PartialKeeper(lambda partial: keep(redact_result(partial, session.secrets())), kind.noun)

            def report_and_keep(snapshot):
                reporter(snapshot)
                keeper(snapshot, clients.api_calls)
            on_progress = report_and_keep
        extra = {"diff": diff, "say": reporter.say} if kind.starts else {}
        try:
            result = kind.run(plan, clients, check_mode=check_mode, sleep=token.sleep, on_progress=on_progress, **extra)
            reporter.close(result, kind.closing)
            return result
        finally:
            session.close()

    return run_safely(work, session.secrets)
