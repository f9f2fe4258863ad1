# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The disk service: DescribeDisks by id (100 per call, paged when the answer pages), in one region.

The only part of disks/ that calls the API, through a client offering ``.region`` and
``.call(action, params, deadline=, check=)``; records come from records.py. See docs/architecture.md.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.listing import MAX_PAGE_SIZE, list_pages, look_up
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.disks.records import check_disks, extract_disks
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import Batch

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline

ACTION = "DescribeDisks"
# DiskIds is a JSON array of at most 100 ids.
MAX_IDS_PER_CALL = 100


class DiskService(object):
    """DescribeDisks for one region's client. Status is left at its default (All), so a disk is found in any status.

    Paging is by PageNumber (the SDK calls it deprecated in favour of NextToken, which not every endpoint
    serves; 100 ids fit one page of 100 anyway). ``page_size``: tests only.
    """

    def __init__(self, client: EcsClient, page_size: int = MAX_PAGE_SIZE) -> None:
        self._client = client
        self.page_size = page_size

    @property
    def region(self) -> str:
        return self._client.region

    def _list(self, ids: list[str], deadline: Deadline | None) -> list[dict]:
        def call(params):
            params["RegionId"] = self._client.region
            return self._client.call(ACTION, params, deadline=deadline, check=check_disks)
        # Compact separators: the array travels in the query string.
        return list_pages(call, ACTION, {"DiskIds": json.dumps(ids, separators=(",", ":"))}, extract_disks, "DiskId",
                          self.page_size)

    def describe(self, ids: Iterable[str], deadline: Deadline | None = None) -> Batch:
        """The disks with these ids (checked: records.validate_disk_ids), one call per 100 ids and page.

        ``found``: id -> the raw ``Disk`` dict, in the order asked; ``missing``: ids the region does not list;
        ``errors`` stays empty: a failed call raises ApiError.
        """
        found, missing = look_up(ids, lambda chunk: self._list(chunk, deadline), "DiskId", MAX_IDS_PER_CALL)
        return Batch(found, missing, {})
