# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API answers -> one normalised task record, the checks of an answer, and the task-id check.

Pure and tolerant: every shape the documentation pages and the SDK models show is
accepted, and odd data from the service gives ``None`` rather than an exception.
See docs/architecture.md (Task records).
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.listing import extract_set, items_of, parse_int, set_problem
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import a_or_an, kind_of, normalize_api_time

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable
    from typing import Any

# The raw fields DescribeTasks returns: a condition reading only these needs no
# DescribeTaskAttribute call.
SUMMARY_FIELDS = frozenset([
    "TaskId", "TaskAction", "TaskStatus", "SupportCancel", "CreationTime",
    "FinishedTime", "ResourceId", "RegionId",
])

RECORD_KEYS = (
    "task_id", "task_action", "task_status", "progress", "creation_time",
    "finished_time", "support_cancel", "total_count", "success_count",
    "failed_count", "resource_id", "region", "related_items",
    "operation_progress", "error_code", "error_msg", "related_item_values",
)

KNOWN_ACTIONS = ("ImportImage", "ExportImage", "ModifyDiskSpec", "RedeployInstance", "ArchiveSnapshot")
_KNOWN_BY_KEY = dict((name.lower(), name) for name in KNOWN_ACTIONS)
_SEPARATORS = re.compile(r"[\s_\-]+")


# ---------------------------------------------------------------- field parsing

def normalize_action(action: object) -> object:
    """``IMPORT_IMAGE`` -> ``ImportImage``; CamelCase is kept; None/empty -> None."""
    if not isinstance(action, str):
        return action
    text = action.strip()
    if not text:
        return None
    return action_name(text)


def action_name(text: str) -> str:
    """The action ``text`` (not blank) names, spelt as ECS spells it: ``IMPORT_IMAGE`` -> ``ImportImage``."""
    text = text.strip()
    known = _KNOWN_BY_KEY.get(_SEPARATORS.sub("", text).lower())
    if known:
        return known
    words = [word for word in _SEPARATORS.split(text) if word]
    if len(words) > 1 or text.isupper() or text.islower():
        return "".join(word[:1].upper() + word[1:].lower() for word in words)
    return text[:1].upper() + text[1:]


def extract_tasks(answer: object) -> list[dict]:
    """The task dicts of a DescribeTasks answer, whatever shape its TaskSet takes."""
    return extract_set(answer, "TaskSet", "Task", "TaskId")


def parse_progress(value: object) -> int | None:
    """45 from ``"45%"``, ``"45.5%"``, ``45``, ``"45"``; clamped to 0..100; None when absent or garbage."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        text = value.strip().rstrip("%").strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            return None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return int(min(100, max(0, math.floor(value))))


def parse_bool(value: object) -> bool | None:
    """True/False from a JSON boolean or the SDK models' ``"true"``/``"false"``; None otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "yes", "1"):
            return True
        if text in ("false", "no", "0"):
            return False
    return None


def text(value: object) -> object:
    """A string field, with the empty strings the service sends for 'nothing' as None."""
    if value is None or value == "":
        return None
    return value


def _item_pairs(operation):
    """(name, value) of each named RelatedItem of an operation, in order."""
    return [(item.get("Name"), item.get("Value")) for item in items_of(operation.get("RelatedItemSet"), "RelatedItem")
            if item.get("Name")]


def _first_values(pairs):
    """name -> the first value given for it (an export's first OSSObject is its system disk's)."""
    items: dict[str, object] = {}
    for name, value in pairs:
        items.setdefault(name, value)
    return items


def _every_value(pairs):
    """name -> every distinct value given for it, in order: all the OSSObject keys of an export of several disks."""
    values: dict[str, list[object]] = {}
    for name, value in pairs:
        seen = values.setdefault(name, [])
        if value not in seen:
            seen.append(value)
    return values


def _operations(raw):
    operations = []
    for operation in items_of(raw.get("OperationProgressSet"), "OperationProgress"):
        operations.append({
            "operation_status": text(operation.get("OperationStatus")),
            "error_code": text(operation.get("ErrorCode")),
            "error_msg": text(operation.get("ErrorMsg")),
            "related_items": _first_values(_item_pairs(operation)),
        })
    return operations


def _first_error(operations):
    # The documented sample carries ErrorCode on a Success operation: only an
    # operation that did not succeed explains a failure.
    for operation in operations:
        status = (operation["operation_status"] or "").lower()
        if status != "success" and operation["error_code"]:
            return operation["error_code"], operation["error_msg"]
    return None, None


def merge_raw(summary: dict | None = None, attribute: dict | None = None) -> dict:
    """The raw API view of one task: the DescribeTasks entry updated with DescribeTaskAttribute's answer.

    A None in the attribute answer does not erase a summary value.
    """
    merged = dict(summary or {})
    for key, value in (attribute or {}).items():
        if value is not None:
            merged[key] = value
    merged.pop("RequestId", None)
    return merged


def task_record(summary: dict | None = None, attribute: dict | None = None, region: str | None = None) -> dict[str, Any]:
    """One task as the modules return it (snake_case keys, see RECORD_KEYS; the types ecs_task_info's RETURN says)."""
    raw = merge_raw(summary, attribute)
    status = text(raw.get("TaskStatus"))
    # The SDK models say TaskProcess; one page says Progress.
    progress = parse_progress(raw.get("TaskProcess"))
    if progress is None:
        progress = parse_progress(raw.get("Progress"))
    if progress is None and status == "Finished":
        progress = 100
    operations = _operations(raw)
    pairs = [pair for operation in items_of(raw.get("OperationProgressSet"), "OperationProgress")
             for pair in _item_pairs(operation)]
    error_code, error_msg = _first_error(operations)
    return {
        "task_id": text(raw.get("TaskId")),
        "task_action": normalize_action(raw.get("TaskAction")),
        "task_status": status,
        "progress": progress,
        "creation_time": normalize_api_time(raw.get("CreationTime")),
        "finished_time": normalize_api_time(raw.get("FinishedTime")),
        "support_cancel": parse_bool(raw.get("SupportCancel")),
        "total_count": parse_int(raw.get("TotalCount")),
        "success_count": parse_int(raw.get("SuccessCount")),
        "failed_count": parse_int(raw.get("FailedCount")),
        "resource_id": text(raw.get("ResourceId")),
        "region": text(raw.get("RegionId")) or region,
        # One value a name (the first) keeps related_items.OSSObject what it always was; every value is in
        # related_item_values, and each operation's own in operation_progress.
        "related_items": _first_values(pairs),
        "operation_progress": operations,
        "error_code": error_code,
        "error_msg": error_msg,
        "related_item_values": _every_value(pairs),
    }


# ---------------------------------------------------------------- answer checks
# An answer that fails these is not taken for a verdict: the client raises
# InvalidResponse (a passing failure) instead of "not found" or a task in state None.

def _task_problem(task):
    task_id = task.get("TaskId")
    if not isinstance(task_id, str) or not task_id.strip():
        return "a task without a TaskId string"
    status = task.get("TaskStatus")
    if status is not None and not isinstance(status, str):
        return "task %s with a TaskStatus that is %s, not a string" % (task_id[:40], kind_of(status))
    for name in ("TaskProcess", "Progress"):
        value = task.get(name)
        # Text that is not "N%" (the service may send "N/A") is progress unknown, not a broken answer.
        if value is not None and not isinstance(value, str) and parse_progress(value) is None:
            return "task %s with %s that is %s, not a percentage" % (task_id[:40], name, kind_of(value))
    return None


def check_task_set(answer: dict) -> str | None:
    """Why a DescribeTasks answer is not one (None when it is)."""
    problem = set_problem(answer, "DescribeTasks", "TaskSet", "Task")
    if problem:
        return problem
    for task in extract_tasks(answer):
        problem = _task_problem(task)
        if problem:
            return "a DescribeTasks answer with " + problem
    return None


def names_no_task(answer: dict) -> bool:
    """A DescribeTaskAttribute answer without a TaskId at all: no such task (what a RAM identity without
    ecs:DescribeTaskAttribute got before 2025-12-20, as DescribeTasks gave it an empty list)."""
    return answer.get("TaskId") in (None, "")


def attribute_check(task_id: str) -> Callable[[dict], str | None]:
    """A check of a DescribeTaskAttribute answer for ``task_id`` (one without any TaskId passes: names_no_task)."""
    def check(answer):
        if names_no_task(answer):
            return None
        if answer.get("TaskId") != task_id:
            return "a DescribeTaskAttribute answer for %s whose TaskId is %r" % (task_id, str(answer.get("TaskId"))[:40])
        problem = _task_problem(answer)
        return "a DescribeTaskAttribute answer with " + problem if problem else None
    return check


# ---------------------------------------------------------------- input

def validate_task_ids(ids: object, option: str = "task_ids") -> list[str]:
    """Stripped ids, duplicates folded (first order kept); ConfigError naming the bad entry otherwise."""
    return validate_ids(ids, option, "task", "ASCII letters, digits and hyphens (such as t-bp1hvgwromzv32iq0001)")


def validate_ids(ids: object, option: str, noun: str, alphabet: str) -> list[str]:
    """A list option of ``noun`` ids: stripped, duplicates folded (first order kept); ConfigError naming the bad entry.

    ``alphabet`` says what the ids are made of, with an example, for the message about a non-ASCII id.
    """
    if ids is None:
        return []
    if isinstance(ids, (str, bytes, dict)) or not isinstance(ids, (list, tuple)):
        raise ConfigError("%s must be a list of %s ids, got %s" % (option, noun, kind_of(ids)), option=option)
    result = []
    seen = set()
    for index, entry in enumerate(ids):
        if not isinstance(entry, str):
            raise ConfigError("%s[%d] must be a string %s id, got %s %r"
                              % (option, index, noun, kind_of(entry), entry), option=option)
        item_id = entry.strip()
        if not item_id:
            raise ConfigError("%s[%d] is empty" % (option, index), option=option)
        if "," in item_id or re.search(r"\s", item_id):
            raise ConfigError("%s[%d] %r is not %s id: ids contain no commas or spaces; give one id per list item"
                              % (option, index, entry, a_or_an(noun)), option=option)
        if not all(" " < char < "\x7f" for char in item_id):
            # ECS ids are ASCII; asking for another id would only poll until not_found_checks run out.
            raise ConfigError("%s[%d] %r is not %s id: ids are %s" % (option, index, entry, a_or_an(noun), alphabet),
                              option=option)
        if item_id not in seen:
            seen.add(item_id)
            result.append(item_id)
    return result
