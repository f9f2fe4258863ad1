# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The object service: one HeadObject per ``oss://bucket/key`` id, through an OSS client of one region
(``api/oss.py``). OSS has no batch read of object metadata, so the cost is one call per object asked;
asking only for objects not yet ready is the caller's part. See docs/architecture.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.objects.records import parse_object_id

if TYPE_CHECKING:  # annotations only
    from collections.abc import Sequence

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.oss import OssClient
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline


class Heads(NamedTuple):
    """found: id -> the object's answer (in the order asked); missing: ids with no object (yet);
    errors: id -> ApiError for a read that failed in a way worth trying again later."""

    found: dict
    missing: list
    errors: dict


class ObjectService(object):
    """HeadObject of objects named by id, with the client's retries and the caller's deadline."""

    def __init__(self, client: OssClient) -> None:
        self._client = client

    @property
    def region(self) -> str:
        return self._client.region

    def head(self, object_ids: Sequence[str], deadline: Deadline | None = None) -> Heads:
        """Read each object once. A failure no other object or later try would avoid (keys, permission,
        a missing bucket, the deadline) is raised at once; a passing one (5xx, the network, after the
        client's retries) is kept for that id and the others are still read."""
        found, missing, errors = {}, [], {}
        for object_id in dict.fromkeys(object_ids):
            bucket, key = parse_object_id(object_id)
            try:
                answer = self._client.head_object(bucket, key, deadline)
            except ApiError as error:
                if not error.retryable:
                    raise
                errors[object_id] = error
                continue
            if answer is None:
                missing.append(object_id)
            else:
                found[object_id] = answer
        return Heads(found, missing, errors)
