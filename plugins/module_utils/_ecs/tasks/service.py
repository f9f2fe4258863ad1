# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The task service: DescribeTasks / DescribeTaskAttribute / CancelTask, batched and paged.

The only part of tasks/ that calls the API, through a client offering ``.region``
and ``.call(action, params, deadline)``; records come from records.py. See docs/architecture.md.
"""

from __future__ import annotations

import collections
import concurrent.futures
import itertools
import threading
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import FILTERABLE_STATES, NOT_FOUND_CODE
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import (
    parse_int, attribute_check, check_task_set, extract_tasks, names_no_task, normalize_action,
)

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Iterable, Sequence

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient

# DescribeTasks accepts at most 100 TaskIds and PageSize 100.
MAX_IDS_PER_CALL = 100
MAX_PAGE_SIZE = 100

Batch = collections.namedtuple("Batch", ["found", "missing", "errors"])
Batch.__doc__ = """Result of a batched look-up.

found: dict task id -> raw API dict, in the order asked (dicts keep order); missing: ids the
service does not know; errors: dict task id -> ApiError for ids whose look-up
failed in a way worth trying again later.
"""


def _is_permanent(error):
    """A failure that no other task id or later try would avoid (credentials, region, signature)."""
    return error.code != NOT_FOUND_CODE and not error.retryable


def _unique(ids):
    return list(dict.fromkeys(ids))


def _chunks(items, size):
    return [items[start:start + size] for start in range(0, len(items), size)]


def _page_size(answer, asked, tasks, first):
    """How many tasks a page holds: the PageSize the answer echoes (the service may serve fewer than asked).

    Without one, a ``first`` page shorter than asked while TotalCount says there are more tells the size.
    """
    echoed = parse_int(answer.get("PageSize"))
    if echoed is not None and echoed > 0:
        return echoed
    total = parse_int(answer.get("TotalCount"))
    if first and tasks and len(tasks) < asked and total is not None and total > len(tasks):
        return len(tasks)
    return asked


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

    @property
    def access_key_id(self) -> str | None:
        """The AccessKeyId the last call was signed with (who asked; no secret), or None."""
        return getattr(self._client, "last_access_key_id", None)

    def _call(self, action, params, deadline, check=None):
        params = dict(params)
        params.setdefault("RegionId", self._client.region)
        return self._client.call(action, params, deadline=deadline, check=check)

    def summaries(self, ids: Iterable[str], deadline: Deadline | None = None) -> Batch:
        """DescribeTasks for these ids, 100 per call (more pages when the service serves fewer). Raises ApiError if a call fails."""
        wanted = _unique(ids)
        seen: dict[str, dict] = {}
        for chunk in _chunks(wanted, MAX_IDS_PER_CALL):
            # No more than the ids asked for can match: once all are listed, no further page.
            for task in self._pages({"TaskIds": ",".join(chunk)}, deadline, max_results=len(chunk)):
                seen.setdefault(task.get("TaskId"), task)
        found = dict((task_id, seen[task_id]) for task_id in wanted if task_id in seen)
        missing = [task_id for task_id in wanted if task_id not in seen]
        return Batch(found, missing, {})

    def _pages(self, params, deadline, max_results=None, keep=None, first_only=False):
        """Every task a DescribeTasks query lists (those ``keep`` accepts), paged by TotalCount and the echoed PageSize.

        ``first_only``: return (tasks, complete) after the first page, complete when it held every match.
        """
        params = dict(params, PageSize=MAX_PAGE_SIZE)
        results: dict[object, dict] = {}  # by TaskId
        pages: dict[tuple[str, ...], int] = {}
        page = 1
        size = MAX_PAGE_SIZE
        while True:
            params["PageNumber"] = page
            answer = self._call("DescribeTasks", params, deadline, check_task_set)
            tasks = extract_tasks(answer)
            _check_new_page(pages, page, tasks)
            for task in tasks:
                # Tasks created while paging shift the pages: keep the first copy.
                if keep is None or keep(task):
                    results.setdefault(task.get("TaskId"), task)
            size = _page_size(answer, size, tasks, page == 1)
            total = parse_int(answer.get("TotalCount"))
            last = not tasks or (page * size >= total if total is not None else len(tasks) < size)
            enough = max_results is not None and len(results) >= max_results
            if first_only:
                return list(results.values()), last or enough
            if last or enough:
                return list(results.values())
            page += 1

    def search(self, task_action: str | None = None, task_status: str | None = None, start_time: str | None = None,
               end_time: str | None = None, resource_ids: Sequence[str] | None = None, max_results: int | None = None,
               deadline: Deadline | None = None) -> list[dict]:
        """DescribeTasks with filters, every page (or until ``max_results`` tasks).

        ``task_status`` is sent to DescribeTasks only while one page holds every match: a page is a
        snapshot, but the pages of a status filter shift as tasks leave it (a Processing task
        finishes), and offset paging would skip as many tasks as left before the page read. So when
        more than one page matches, the search pages without it (tasks never leave that list, and
        tasks that join it only repeat one already read) and keeps the status here. A state
        DescribeTasks does not filter on is always kept here.
        """
        params = {}
        if task_action:
            params["TaskAction"] = normalize_action(task_action)
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
        keep = None
        if task_status:
            if task_status in FILTERABLE_STATES:
                found, complete = self._pages(dict(params, TaskStatus=task_status), deadline, max_results, first_only=True)
                if complete:
                    return found[:max_results] if max_results is not None else found
            keep = _status_is(task_status)
        found = self._pages(params, deadline, max_results, keep)
        return found[:max_results] if max_results is not None else found

    def find(self, filters: dict, max_results: int | None = None, deadline: Deadline | None = None) -> list[dict]:
        """The raw DescribeTasks entries matching ``filters`` (checked: ops/info.prepare_filters), all pages.

        DescribeTasks filters on one state, and only on Finished, Processing or
        Failed; a ``task_status`` list of anything else (``[Waiting, Processing]``)
        is searched without it and filtered from the answers here.
        """
        filters = dict(filters)
        statuses = filters.pop("task_status", None)
        if isinstance(statuses, str):
            statuses = [statuses]
        keep = None
        if statuses:
            if len(statuses) == 1 and statuses[0] in FILTERABLE_STATES:
                filters["task_status"] = statuses[0]
            else:
                keep = set(statuses)
        found = self.search(max_results=None if keep else max_results, deadline=deadline, **filters)
        if keep:
            found = [raw for raw in found if raw.get("TaskStatus") in keep]
            if max_results is not None:
                found = found[:max_results]
        return found

    def attributes(self, ids: Iterable[str], deadline: Deadline | None = None) -> Batch:
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
        futures: dict[concurrent.futures.Future[dict | None], str] = {}
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
                        if answer is None:  # skipped: a call failed for good meanwhile
                            continue
                        if names_no_task(answer):
                            # A 200 without any task is no task: what the service said before 403s for RAM denials.
                            missing.add(task_id)
                        else:
                            results[task_id] = answer
        finally:
            stop.set()
            for future in futures:
                future.cancel()
            executor.shutdown(wait=True)
        return Batch(dict((task_id, results[task_id]) for task_id in wanted if task_id in results),
                     [task_id for task_id in wanted if task_id in missing],
                     dict((task_id, errors[task_id]) for task_id in wanted if task_id in errors))

    def _attribute(self, task_id: str, deadline: Deadline | None, stop: threading.Event) -> dict | None:
        # Checked in the worker, so no further call starts once one has failed
        # for good, even before the caller's thread gets to cancel the queue.
        if stop.is_set():
            return None
        try:
            return self._call("DescribeTaskAttribute", {"TaskId": task_id}, deadline, attribute_check(task_id))
        except ApiError as exc:
            if _is_permanent(exc):
                stop.set()
            raise

    def cancel(self, task_id: str, deadline: Deadline | None = None) -> dict:
        """CancelTask. Raises ApiError (e.g. InvalidTaskId.IncorrectTaskStatus) when refused."""
        return self._call("CancelTask", {"TaskId": task_id}, deadline)


def _status_is(status: str) -> Callable[[dict], bool]:
    """A filter of DescribeTasks entries in ``status`` (kept locally: see ``search``)."""
    def keep(task: dict) -> bool:
        return task.get("TaskStatus") == status
    return keep
