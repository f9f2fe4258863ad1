# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every wait returns (ecs_task_wait, ecs_image_wait, ecs_disk_wait), from the engine's outcome.

Apart from results.py, which every module ships: ecs_task_info ships no waiter. See docs/architecture.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.outcome import WaitOutcome


PREDICTED_TIMEOUT_CODE = "PredictedTimeout"


def error_fields(error: ApiError) -> dict[str, object]:
    """The result keys of an API error the wait stopped on (its message is the result's msg)."""
    fields = error.to_dict()
    fields.pop("msg", None)
    return fields


def wait_result(outcome: WaitOutcome, noun: str, fail_on_failure: bool, failed_anyway: bool = False) -> dict:
    """What every wait returns, from its outcome: ``<noun>s`` and ``<noun>s_by_id``, ``failed_<noun>_ids``,
    succeeded, pending, elapsed, timed_out, wait_status, msg, warnings, the error it stopped on, changed and failed.

    Ansible owns the ``failed`` key (the task's failure flag; failed_when overwrites it), so the ids of the failed
    items travel under a key of their own. A failure fails the task unless fail_on_failure is false (or
    ``failed_anyway``); a timeout, an error or a predicted timeout always does.
    """
    result = outcome.to_result()
    result["%ss_by_id" % noun] = dict((record["%s_id" % noun], record) for record in result["%ss" % noun])
    result["failed_%s_ids" % noun] = list(outcome.failed)
    result["changed"] = False
    if outcome.error is not None:
        result.update(error_fields(outcome.error))
    elif outcome.timed_out and not outcome.answered and outcome.last_error is not None:
        # Every poll failed (an endpoint down, say): the error is what the user must fix, not the timeout.
        result.update(error_fields(outcome.last_error))
    elif outcome.status == "predicted_timeout":
        result.update(error_code=PREDICTED_TIMEOUT_CODE, error_message=outcome.message)
    if outcome.status in ("timed_out", "error", "predicted_timeout"):
        result["failed"] = True
    else:
        result["failed"] = outcome.status == "failed" and (fail_on_failure or failed_anyway)
    return result
