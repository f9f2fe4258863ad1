# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OSS objects as a wait knows them: ``oss://bucket/key`` ids, the objects an export task names, what an
object's answer says. Pure functions; the answer is what ``api/oss.py``'s ``head_object`` returns
(``{"Bucket", "Key", "ContentLength", "ETag", "LastModified"}``, None for no object). See docs/architecture.md.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.oss import check_object_name
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping
    from typing import Any

SCHEME = "oss://"
# An object's status: no object yet, an object of 0 bytes (an export still writing), an object with content.
ABSENT, EMPTY, PRESENT = "absent", "empty", "present"


def _needs_escape(char):
    # "%" so that decoding is exact; white space and control or format characters so that an id is one visible token.
    return char == "%" or char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def format_object_id(bucket: str, key: str) -> str:
    """``oss://<bucket>/<key>``, the key as written except ``%``, white space and control characters (%XX of UTF-8)."""
    check_object_name(bucket, key)
    encoded = "".join("".join("%%%02X" % byte for byte in char.encode("utf-8")) if _needs_escape(char) else char
                      for char in key)
    return SCHEME + bucket + "/" + encoded


def parse_object_id(object_id: str) -> tuple[str, str]:
    """``oss://<bucket>/<key>`` -> (bucket, key), %XX decoded; ConfigError saying how to write it otherwise."""
    if not isinstance(object_id, str) or not object_id.startswith(SCHEME) or "/" not in object_id[len(SCHEME):]:
        raise ConfigError("Invalid OSS object %r: write it as oss://<bucket>/<key>, e.g. "
                          "oss://my-bucket/exports/image.raw" % (object_id,))
    bucket, dummy, key = object_id[len(SCHEME):].partition("/")
    key = unquote(key)
    check_object_name(bucket, key)
    return bucket, key


def object_status(answer: Mapping[str, object] | None) -> str:
    """ABSENT (no object), EMPTY (0 bytes) or PRESENT."""
    if answer is None:
        return ABSENT
    length = answer.get("ContentLength")
    return PRESENT if isinstance(length, int) and length > 0 else EMPTY


def _text(value):
    return value if isinstance(value, str) and value else None


def export_objects(record: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(bucket, key) of every ``OSSObject`` an export task's record names, in order, without repeats.

    Each operation (one per disk of the image) names its object and, usually, the bucket; an operation
    without a bucket takes the task's. ``related_item_values`` (every value of each name, when the record
    has it) adds objects no operation kept, in the task's bucket.
    """
    related = record.get("related_items") or {}
    task_bucket = _text(related.get("OSSBucket"))
    pairs = []
    for operation in record.get("operation_progress") or []:
        items = operation.get("related_items") or {}
        bucket, key = _text(items.get("OSSBucket")) or task_bucket, _text(items.get("OSSObject"))
        if bucket and key:
            pairs.append((bucket, key))
    values = record.get("related_item_values") or {}
    buckets = [b for b in (values.get("OSSBucket") or []) if _text(b)] or ([task_bucket] if task_bucket else [])
    keys = [k for k in (values.get("OSSObject") or [related.get("OSSObject")]) if _text(k)]
    named = set(key for dummy, key in pairs)
    if buckets:
        pairs.extend((buckets[0], key) for key in keys if key not in named)
    return list(dict.fromkeys(pairs))
