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

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.listing import RegionalLister
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.disks.records import check_disks, extract_disks
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import Batch

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline


class DiskService(RegionalLister):
    """DescribeDisks for one region's client (DiskIds: a JSON array of at most 100 ids). Status is left at its
    default (All), so a disk is found in any status.

    Paging is by PageNumber (the SDK calls it deprecated in favour of NextToken, which not every endpoint
    serves; 100 ids fit one page of 100 anyway).
    """

    action = "DescribeDisks"
    id_name = "DiskId"

    def check(self, answer: dict) -> str | None:
        return check_disks(answer)

    def extract(self, answer: object) -> list[dict]:
        return extract_disks(answer)

    def describe(self, ids: Iterable[str], deadline: Deadline | None = None) -> Batch:
        """The disks with these ids (checked: records.validate_disk_ids), one call per 100 ids and page.

        ``found``: id -> the raw ``Disk`` dict, in the order asked; ``missing``: ids the region does not list;
        ``errors`` stays empty: a failed call raises ApiError.
        """
        # Compact separators: the array travels in the query string.
        found, missing = self.look_up(ids, lambda chunk: {"DiskIds": json.dumps(chunk, separators=(",", ":"))}, deadline)
        return Batch(found, missing, {})
