# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Paging and look-ups by id over Describe answers (api/listing.py), with answers the emulator does not give:
a service that pages smaller than asked, one that repeats a page, one without TotalCount."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.listing import extract_set, list_pages, look_up
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError


def extract(answer):
    return extract_set(answer, "Disks", "Disk", "DiskId")


class Pager(object):
    """Answers pages of ``items`` as a service that uses ``served_size`` whatever PageSize it is asked for."""

    def __init__(self, count, served_size=None, total=True, repeat=False):
        self.items = [{"DiskId": "d-%03d" % number} for number in range(count)]
        self.served_size = served_size
        self.total = total
        self.repeat = repeat
        self.asked = []

    def __call__(self, params):
        self.asked.append(dict(params))
        size = self.served_size or params["PageSize"]
        page = 1 if self.repeat else params["PageNumber"]
        answer = {"PageSize": size, "PageNumber": page, "Disks": {"Disk": self.items[(page - 1) * size:page * size]}}
        if self.total:
            answer["TotalCount"] = len(self.items)
        return answer


@pytest.mark.parametrize("count, calls", [(0, 1), (1, 1), (100, 1), (101, 2), (250, 3)])
def test_one_call_per_page(count, calls):
    pager = Pager(count)
    found = list_pages(pager, "DescribeDisks", {"DiskIds": "[]"}, extract, "DiskId")
    assert [item["DiskId"] for item in found] == [item["DiskId"] for item in pager.items]
    assert len(pager.asked) == calls
    assert [params["PageNumber"] for params in pager.asked] == list(range(1, calls + 1))
    assert all(params["PageSize"] == 100 and params["DiskIds"] == "[]" for params in pager.asked)


def test_a_service_that_pages_smaller_than_asked_is_paged_to_the_end():
    pager = Pager(120, served_size=50)
    assert len(list_pages(pager, "DescribeDisks", {}, extract, "DiskId")) == 120
    assert len(pager.asked) == 3


def test_without_total_count_a_short_page_ends_the_listing():
    pager = Pager(150, total=False)
    assert len(list_pages(pager, "DescribeDisks", {}, extract, "DiskId")) == 150
    assert len(pager.asked) == 2


def test_a_repeated_page_is_refused_not_paged_for_ever():
    pager = Pager(150, repeat=True)
    with pytest.raises(ApiError) as caught:
        list_pages(pager, "DescribeDisks", {}, extract, "DiskId")
    assert caught.value.code == "InvalidResponse" and caught.value.retryable
    assert "DescribeDisks answered page 2 with the same items as page 1" in caught.value.message
    assert len(pager.asked) == 2


def test_look_up_keeps_the_order_asked_folds_duplicates_and_names_the_missing():
    chunks = []

    def list_chunk(chunk):
        chunks.append(chunk)
        return [{"DiskId": item_id} for item_id in reversed(chunk) if not item_id.endswith("x")]
    ids = ["d-%03d" % number for number in range(205)] + ["d-000", "d-x"]
    found, missing = look_up(ids, list_chunk, "DiskId")
    assert [len(chunk) for chunk in chunks] == [100, 100, 6]
    assert list(found) == ids[:205] and missing == ["d-x"]
