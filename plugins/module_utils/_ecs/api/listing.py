# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every Describe answer of the RPC API shares: a set of items whatever shape it takes, the check of that
set, and paging by PageNumber until TotalCount.

``{"TaskSet": {"Task": [...]}}``, ``{"Images": {"Image": [...]}}``, ``{"Disks": {"Disk": [...]}}``: the SDK
models' shape; the pages also show the set as a list (``[{"Task": [...]}]`` or the items themselves) and an
XML answer turned JSON makes a lone item a dict. See docs/architecture.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import a_or_an, kind_of

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Iterable

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline

# The most items a Describe call returns per page (and most ids it takes).
MAX_PAGE_SIZE = 100


def items_of(value: object, item_name: str) -> list[dict]:
    """Items of an API set that may be ``{item: [...]}``, ``{item: {...}}``, a list, a lone item or missing."""
    if isinstance(value, dict):
        if item_name in value:
            value = value[item_name]
        else:
            # A lone item without its wrapper.
            return [value] if value else []
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def extract_set(answer: object, set_name: str, item_name: str, id_name: str) -> list[dict]:
    """The item dicts of ``answer[set_name]``, whatever shape the set takes (see the module's docstring)."""
    if not isinstance(answer, dict):
        return []
    value = answer.get(set_name)
    items = []
    wrappers = value if isinstance(value, list) else [value]
    for wrapper in wrappers:
        if isinstance(wrapper, dict) and item_name not in wrapper and id_name in wrapper:
            items.append(wrapper)
        else:
            items.extend(items_of(wrapper, item_name))
    return items


def set_problem(answer: dict, action: str, set_name: str, item_name: str) -> str | None:
    """Why ``answer`` has no readable ``set_name`` (None when it has one, possibly empty)."""
    value = answer.get(set_name)
    if value is None:
        return "a %s answer without %s" % (action, set_name)
    if not isinstance(value, (dict, list)):
        return "a %s answer whose %s is %s" % (action, set_name, kind_of(value))
    if isinstance(value, dict) and not isinstance(value.get(item_name, []), (list, dict)):
        return "a %s answer whose %s.%s is %s" % (action, set_name, item_name, kind_of(value[item_name]))
    total = answer.get("TotalCount")
    if total is not None and parse_int(total) is None:
        return "a %s answer whose TotalCount %r is not a number" % (action, str(total)[:20])
    return None


def id_problem(item: dict, id_name: str, noun: str) -> str | None:
    """Why ``item`` has no usable id (None when it has one)."""
    value = item.get(id_name)
    if not isinstance(value, str) or not value.strip():
        return "%s without %s string" % (a_or_an(noun), a_or_an(id_name))
    return None


def answer_problem(answer: dict, action: str, set_name: str, item_name: str, id_name: str, noun: str,
                   string_fields: tuple[str, ...] = ()) -> str | None:
    """Why a 200 answer is not a list answer of ``action`` (None when it is): no readable set, a TotalCount that is
    not a number, an item without an id, or an item whose ``string_fields`` (its status, say) are not strings."""
    problem = set_problem(answer, action, set_name, item_name)
    if problem:
        return problem
    for item in extract_set(answer, set_name, item_name, id_name):
        problem = id_problem(item, id_name, noun)
        for name in string_fields:
            value = item.get(name)
            if problem is None and value is not None and not isinstance(value, str):
                problem = "%s %s with a %s that is %s, not a string" % (noun, item[id_name][:40], name, kind_of(value))
        if problem:
            return "a %s answer with %s" % (action, problem)
    return None


def parse_int(value: object) -> int | None:
    """An integer field sent as a number or a string; None when absent or garbage."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def list_pages(call: Callable[[dict], dict], action: str, params: dict, extract: Callable[[dict], list[dict]],
               id_name: str, page_size: int = MAX_PAGE_SIZE) -> list[dict]:
    """Every item ``action`` lists for ``params``, one ``call(params)`` per page (PageNumber from 1), the first copy
    of each id kept.

    ``call`` makes the signed call (the caller binds its deadline and answer check). Paging stops at an empty or
    short page (shorter than the PageSize the answer says it used, which may be less than asked) or once TotalCount
    items were listed. A page that repeats an earlier one is refused: an endpoint that ignores PageNumber would be
    paged for ever.
    """
    params = dict(params, PageSize=page_size)
    found: dict[object, dict] = {}  # by id
    pages: dict[tuple[object, ...], int] = {}  # the ids of a page -> its number
    page = 1
    while True:
        params["PageNumber"] = page
        answer = call(dict(params))
        items = extract(answer)
        ids = tuple(item.get(id_name) for item in items)
        if ids and ids in pages:
            raise ApiError("InvalidResponse", "%s answered page %d with the same items as page %d: the endpoint "
                           "repeats pages, so the listing stopped" % (action, page, pages[ids]), action=action)
        pages[ids] = page
        for item in items:
            # Items made while paging shift the pages: keep the first copy.
            found.setdefault(item.get(id_name), item)
        size = parse_int(answer.get("PageSize")) or page_size
        total = parse_int(answer.get("TotalCount"))
        if not items or len(items) < size or (total is not None and page * size >= total):
            return list(found.values())
        page += 1


def look_up(ids: Iterable[str], list_chunk: Callable[[list[str]], list[dict]], id_name: str,
            per_call: int = MAX_PAGE_SIZE) -> tuple[dict[str, dict], list[str]]:
    """(found: id -> item in the order asked, missing ids) for ``ids``, ``list_chunk`` called once per ``per_call`` ids."""
    wanted = list(dict.fromkeys(ids))
    seen: dict[object, dict] = {}  # by id
    for start in range(0, len(wanted), per_call):
        for item in list_chunk(wanted[start:start + per_call]):
            seen.setdefault(item.get(id_name), item)
    found = dict((item_id, seen[item_id]) for item_id in wanted if item_id in seen)
    return found, [item_id for item_id in wanted if item_id not in seen]


class RegionalLister(object):
    """A Describe action of one region's client, listed with as few calls as the API allows; the services of
    images/ and disks/ are one each. ``page_size``: tests only."""

    action = ""       # the Describe action
    id_name = ""      # its items' id field

    def __init__(self, client: EcsClient, page_size: int = MAX_PAGE_SIZE) -> None:
        self._client = client
        self.page_size = page_size
        self.requests = 0  # calls asked of the client (pages included, the client's retries not)

    @property
    def region(self) -> str:
        return self._client.region

    def check(self, answer: dict) -> str | None:
        """Why a 200 answer is not one of ``action`` (None when it is)."""
        raise NotImplementedError

    def extract(self, answer: object) -> list[dict]:
        """The items of an answer of ``action``."""
        raise NotImplementedError

    def list_all(self, params: dict, deadline: Deadline | None) -> list[dict]:
        """Every item listed for ``params`` in the client's region, all pages."""
        def call(page_params):
            page_params["RegionId"] = self._client.region
            self.requests += 1
            return self._client.call(self.action, page_params, deadline=deadline, check=self.check)
        return list_pages(call, self.action, params, self.extract, self.id_name, self.page_size)

    def look_up(self, ids: Iterable[str], params_for: Callable[[list[str]], dict],
                deadline: Deadline | None) -> tuple[dict[str, dict], list[str]]:
        """(found: id -> item in the order asked, missing ids): one listing of ``params_for(chunk)`` per 100 ids."""
        return look_up(ids, lambda chunk: self.list_all(params_for(chunk), deadline), self.id_name, MAX_PAGE_SIZE)
