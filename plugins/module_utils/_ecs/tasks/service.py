# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ECS asynchronous tasks: API answers -> one normalised record; batched look-ups.

The parsing half is pure and tolerant: every shape the documentation pages and
the SDK models show is accepted, and odd data from the service gives ``None``
rather than an exception. ``TaskService`` is the only part that calls the API,
through a client offering ``.region`` and ``.call(action, params, deadline)``.
See docs/architecture.md (Task records).
"""

from __future__ import annotations

import collections
import concurrent.futures
import itertools
import math
import re
import threading
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import NOT_FOUND_CODE
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import kind_of, normalize_api_time

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Iterable, Sequence

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient

# DescribeTasks accepts at most 100 TaskIds and PageSize 100.
MAX_IDS_PER_CALL = 100
MAX_PAGE_SIZE = 100
_SKIPPED = object()

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
    "operation_progress", "error_code", "error_msg",
)

KNOWN_ACTIONS = ("ImportImage", "ExportImage", "ModifyDiskSpec", "RedeployInstance", "ArchiveSnapshot")
_KNOWN_BY_KEY = dict((name.lower(), name) for name in KNOWN_ACTIONS)
_SEPARATORS = re.compile(r"[\s_\-]+")

Batch = collections.namedtuple("Batch", ["found", "missing", "errors"])
Batch.__doc__ = """Result of a batched look-up.

found: dict task id -> raw API dict, in the order asked (dicts keep order); missing: ids the
service does not know; errors: dict task id -> ApiError for ids whose look-up
failed in a way worth trying again later.
"""


# ---------------------------------------------------------------- field parsing

def normalize_action(action: object) -> object:
    """``IMPORT_IMAGE`` -> ``ImportImage``; CamelCase is kept; None/empty -> None."""
    if not isinstance(action, str):
        return action
    text = action.strip()
    if not text:
        return None
    known = _KNOWN_BY_KEY.get(_SEPARATORS.sub("", text).lower())
    if known:
        return known
    words = [word for word in _SEPARATORS.split(text) if word]
    if len(words) > 1 or text.isupper() or text.islower():
        return "".join(word[:1].upper() + word[1:].lower() for word in words)
    return text[:1].upper() + text[1:]


def _as_list(value, key):
    """Items of an API set that may be ``{key: [...]}``, ``{key: {...}}``, a list, a dict or missing."""
    if isinstance(value, dict):
        if key in value:
            value = value[key]
        else:
            # A lone item without its wrapper.
            return [value] if value else []
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def extract_tasks(answer: object) -> list[dict]:
    """The task dicts of a DescribeTasks answer, whatever shape its TaskSet takes."""
    if not isinstance(answer, dict):
        return []
    task_set = answer.get("TaskSet")
    tasks = []
    # The doc sample wraps the set in a list: [{"Task": [...]}].
    wrappers = task_set if isinstance(task_set, list) else [task_set]
    for wrapper in wrappers:
        if isinstance(wrapper, dict) and "Task" not in wrapper and "TaskId" in wrapper:
            tasks.append(wrapper)
        else:
            tasks.extend(_as_list(wrapper, "Task"))
    return tasks


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


def _parse_int(value):
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _text(value):
    """A string field, with the empty strings the service sends for 'nothing' as None."""
    if value is None or value == "":
        return None
    return value


def _related_items(operation):
    items = {}
    for item in _as_list(operation.get("RelatedItemSet"), "RelatedItem"):
        name = item.get("Name")
        if name:
            items[name] = item.get("Value")
    return items


def _operations(raw):
    operations = []
    for operation in _as_list(raw.get("OperationProgressSet"), "OperationProgress"):
        operations.append({
            "operation_status": _text(operation.get("OperationStatus")),
            "error_code": _text(operation.get("ErrorCode")),
            "error_msg": _text(operation.get("ErrorMsg")),
            "related_items": _related_items(operation),
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


def task_record(summary: dict | None = None, attribute: dict | None = None, region: str | None = None) -> dict[str, object]:
    """One task as the modules return it (snake_case keys, see RECORD_KEYS)."""
    raw = merge_raw(summary, attribute)
    status = _text(raw.get("TaskStatus"))
    # The SDK models say TaskProcess; one page says Progress.
    progress = parse_progress(raw.get("TaskProcess"))
    if progress is None:
        progress = parse_progress(raw.get("Progress"))
    if progress is None and status == "Finished":
        progress = 100
    operations = _operations(raw)
    related = {}
    for operation in operations:
        related.update(operation["related_items"])
    error_code, error_msg = _first_error(operations)
    return {
        "task_id": _text(raw.get("TaskId")),
        "task_action": normalize_action(raw.get("TaskAction")),
        "task_status": status,
        "progress": progress,
        "creation_time": normalize_api_time(raw.get("CreationTime")),
        "finished_time": normalize_api_time(raw.get("FinishedTime")),
        "support_cancel": parse_bool(raw.get("SupportCancel")),
        "total_count": _parse_int(raw.get("TotalCount")),
        "success_count": _parse_int(raw.get("SuccessCount")),
        "failed_count": _parse_int(raw.get("FailedCount")),
        "resource_id": _text(raw.get("ResourceId")),
        "region": _text(raw.get("RegionId")) or region,
        "related_items": related,
        "operation_progress": operations,
        "error_code": error_code,
        "error_msg": error_msg,
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
        if value not in (None, "") and parse_progress(value) is None:
            return "task %s with %s %r, not a percentage" % (task_id[:40], name, str(value)[:20])
    return None


def check_task_set(answer: dict) -> str | None:
    """Why a DescribeTasks answer is not one (None when it is)."""
    task_set = answer.get("TaskSet")
    if task_set is None:
        return "a DescribeTasks answer without TaskSet"
    if not isinstance(task_set, (dict, list)) or (isinstance(task_set, dict) and not isinstance(task_set.get("Task", []), (list, dict))):
        return "a DescribeTasks answer whose TaskSet is %s" % kind_of(task_set)
    if answer.get("TotalCount") is not None and _parse_int(answer.get("TotalCount")) is None:
        return "a DescribeTasks answer whose TotalCount %r is not a number" % (str(answer.get("TotalCount"))[:20],)
    for task in extract_tasks(answer):
        problem = _task_problem(task)
        if problem:
            return "a DescribeTasks answer with " + problem
    return None


def attribute_check(task_id: str) -> Callable[[dict], str | None]:
    """A check of a DescribeTaskAttribute answer for ``task_id``."""
    def check(answer):
        if answer.get("TaskId") != task_id:
            return "a DescribeTaskAttribute answer for %s whose TaskId is %r" % (task_id, str(answer.get("TaskId"))[:40])
        problem = _task_problem(answer)
        return "a DescribeTaskAttribute answer with " + problem if problem else None
    return check


# ---------------------------------------------------------------- input

def validate_task_ids(ids: object, option: str = "task_ids") -> list[str]:
    """Stripped ids, duplicates folded (first order kept); ConfigError naming the bad entry otherwise."""
    if ids is None:
        return []
    if isinstance(ids, (str, bytes, dict)) or not isinstance(ids, (list, tuple)):
        raise ConfigError("%s must be a list of task ids, got %s" % (option, kind_of(ids)), option=option)
    result = []
    seen = set()
    for index, entry in enumerate(ids):
        if not isinstance(entry, str):
            raise ConfigError("%s[%d] must be a string task id, got %s %r"
                              % (option, index, kind_of(entry), entry), option=option)
        task_id = entry.strip()
        if not task_id:
            raise ConfigError("%s[%d] is empty" % (option, index), option=option)
        if "," in task_id or re.search(r"\s", task_id):
            raise ConfigError("%s[%d] %r is not a task id: ids contain no commas or spaces; give one id per list item"
                              % (option, index, entry), option=option)
        if not all(" " < char < "\x7f" for char in task_id):
            # ECS ids are ASCII; asking for another id would only poll until not_found_checks run out.
            raise ConfigError("%s[%d] %r is not a task id: ids are ASCII letters, digits and hyphens (such as t-bp1hvgwromzv32iq0001)"
                              % (option, index, entry), option=option)
        if task_id not in seen:
            seen.add(task_id)
            result.append(task_id)
    return result


def _is_permanent(error):
    """A failure that no other task id or later try would avoid (credentials, region, signature)."""
    return error.code != NOT_FOUND_CODE and not error.retryable


def _unique(ids):
    return list(dict.fromkeys(ids))


def _chunks(items, size):
    return [items[start:start + size] for start in range(0, len(items), size)]


def _check_new_page(pages, page, tasks):
    """A server that repeats a page would be paged for ever: refuse a page seen before."""
    ids = tuple(task.get("TaskId") for task in tasks)
    if ids and ids in pages:
        raise ApiError("InvalidResponse", "DescribeTasks answered page %d with the same tasks as page %d: the "
                       "endpoint repeats pages, so the search stopped" % (page, pages[ids]), action="DescribeTasks")
    pages[ids] = page


# ---------------------------------------------------------------- the service

class TaskService(object):
    """DescribeTasks / DescribeTaskAttribute / CancelTask with as few calls as the API allows."""

    def __init__(self, client: EcsClient, concurrency: int = 8) -> None:
        if not isinstance(concurrency, int) or isinstance(concurrency, bool) or concurrency < 1:
            raise ConfigError("concurrency must be a positive integer, got %r" % (concurrency,), option="concurrency")
        self._client = client
        self.concurrency = concurrency

    @property
    def region(self) -> str:
        return self._client.region

    def _call(self, action, params, deadline, check=None):
        params = dict(params)
        params.setdefault("RegionId", self._client.region)
        return self._client.call(action, params, deadline=deadline, check=check)

    def summaries(self, ids: Iterable[str], deadline: float | None = None) -> Batch:
        """DescribeTasks for these ids, 100 per call. Raises ApiError if a call fails."""
        wanted = _unique(ids)
        seen = {}
        for chunk in _chunks(wanted, MAX_IDS_PER_CALL):
            answer = self._call("DescribeTasks", {
                "TaskIds": ",".join(chunk), "PageSize": MAX_PAGE_SIZE, "PageNumber": 1,
            }, deadline, check_task_set)
            for task in extract_tasks(answer):
                seen.setdefault(task.get("TaskId"), task)
        found = dict((task_id, seen[task_id]) for task_id in wanted if task_id in seen)
        missing = [task_id for task_id in wanted if task_id not in seen]
        return Batch(found, missing, {})

    def search(self, task_action: str | None = None, task_status: str | None = None, start_time: str | None = None,
               end_time: str | None = None, resource_ids: Sequence[str] | None = None, max_results: int | None = None,
               deadline: float | None = None) -> list[dict]:
        """DescribeTasks with filters, paging until TotalCount or ``max_results`` tasks."""
        params = {"PageSize": MAX_PAGE_SIZE}
        if task_action:
            params["TaskAction"] = normalize_action(task_action)
        if task_status:
            params["TaskStatus"] = task_status
        if start_time:
            params["StartTime"] = start_time
        if end_time:
            params["EndTime"] = end_time
        resource_ids = list(resource_ids or [])
        if len(resource_ids) > 100:
            raise ConfigError("resource_ids takes at most 100 ids, got %d" % len(resource_ids), option="resource_ids")
        for index, resource_id in enumerate(resource_ids, 1):
            params["ResourceIds.%d" % index] = resource_id
        if max_results is not None and max_results <= 0:
            return []

        results = {}
        pages = {}
        page = 1
        while True:
            params["PageNumber"] = page
            answer = self._call("DescribeTasks", params, deadline, check_task_set)
            tasks = extract_tasks(answer)
            _check_new_page(pages, page, tasks)
            for task in tasks:
                # Tasks created while paging shift the pages: keep the first copy.
                results.setdefault(task.get("TaskId"), task)
            if max_results is not None and len(results) >= max_results:
                break
            total = _parse_int(answer.get("TotalCount")) if isinstance(answer, dict) else None
            if not tasks or len(tasks) < MAX_PAGE_SIZE or (total is not None and page * MAX_PAGE_SIZE >= total):
                break
            page += 1
        found = list(results.values())
        return found[:max_results] if max_results is not None else found

    def attributes(self, ids: Iterable[str], deadline: float | None = None) -> Batch:
        """DescribeTaskAttribute per id, ``concurrency`` calls at a time.

        Unknown ids go to ``missing``, retryable failures to ``errors``; any
        other failure (credentials, region, signature) is raised at once and
        the calls not yet started are dropped.
        """
        wanted = _unique(ids)
        if not wanted:
            return Batch({}, [], {})
        results = {}
        missing = set()
        errors = {}
        stop = threading.Event()
        executor = concurrent.futures.ThreadPoolExecutor(max_workers=min(self.concurrency, len(wanted)))
        futures = {}
        queue = iter(wanted)
        # A few calls queued per worker, not one future per id: 10,000 futures
        # at once cost more memory than their answers.
        in_flight = 2 * self.concurrency
        try:
            while True:
                for task_id in itertools.islice(queue, in_flight - len(futures)):
                    futures[executor.submit(self._attribute, task_id, deadline, stop)] = task_id
                if not futures:
                    break
                done, dummy = concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_COMPLETED)
                for future in done:
                    task_id = futures.pop(future)
                    try:
                        answer = future.result()
                    except ApiError as exc:
                        if exc.code == NOT_FOUND_CODE:
                            missing.add(task_id)
                        elif _is_permanent(exc):
                            raise
                        else:
                            errors[task_id] = exc
                    else:
                        if answer is not _SKIPPED:
                            results[task_id] = answer
        finally:
            stop.set()
            for future in futures:
                future.cancel()
            executor.shutdown(wait=True)
        return Batch(dict((task_id, results[task_id]) for task_id in wanted if task_id in results),
                     [task_id for task_id in wanted if task_id in missing],
                     dict((task_id, errors[task_id]) for task_id in wanted if task_id in errors))

    def _attribute(self, task_id, deadline, stop):
        # Checked in the worker, so no further call starts once one has failed
        # for good, even before the caller's thread gets to cancel the queue.
        if stop.is_set():
            return _SKIPPED
        try:
            return self._call("DescribeTaskAttribute", {"TaskId": task_id}, deadline, attribute_check(task_id))
        except ApiError as exc:
            if _is_permanent(exc):
                stop.set()
            raise

    def cancel(self, task_id: str, deadline: float | None = None) -> dict:
        """CancelTask. Raises ApiError (e.g. InvalidTaskId.IncorrectTaskStatus) when refused."""
        return self._call("CancelTask", {"TaskId": task_id}, deadline)
