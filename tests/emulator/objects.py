# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OSS buckets and objects of the stand-in, on the virtual clock.

A bucket lives in one region (the first that named it). An object is there
from its creation, or, when an ExportImage task makes it, `object_after`
seconds after the task finished (never if the task failed or was
cancelled, or with `object_missing`). A later object under the same key
replaces an earlier one once it exists.
"""

from __future__ import annotations

import hashlib
import re
import threading

from tests.emulator import state

# Bucket names: 3-63 lower-case letters, digits and hyphens, not starting or ending with a hyphen.
BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")
MAX_KEY_BYTES = 1023


def valid_bucket(name):
    return bool(BUCKET_NAME.fullmatch(name or ""))


def valid_key(key):
    return bool(key) and len(key.encode("utf-8")) <= MAX_KEY_BYTES and not key.startswith("/")


class Bucket:
    __slots__ = ("name", "region", "deny")

    def __init__(self, name, region, deny=()):
        self.name = name
        self.region = region
        self.deny = set(deny)  # AccessKeyIds refused with AccessDenied (a RAM policy without oss:GetObject)


class OssObject:
    __slots__ = ("bucket", "key", "size", "created", "task", "object_after", "object_missing", "deleted")

    def __init__(self, bucket, key, size, created, task=None, object_after=0.0, object_missing=False):
        self.bucket = bucket
        self.key = key
        self.size = size
        self.created = created
        self.task = task
        self.object_after = object_after
        self.object_missing = object_missing
        self.deleted = False

    def appears_at(self, now):
        """Virtual time it exists from; None: not known yet, or never."""
        if self.deleted:
            return None
        task = self.task
        if task is None:
            return self.created
        if self.object_missing or task.status(now) != state.FINISHED:
            return None
        return task.end_time() + self.object_after

    def exists(self, now):
        at = self.appears_at(now)
        return at is not None and now >= at

    @property
    def etag(self):
        # OSS gives the MD5 of the content, upper-case hex in quotes; the content here is implied.
        digest = hashlib.md5(("%s/%s/%d" % (self.bucket, self.key, self.size)).encode("utf-8")).hexdigest()
        return '"%s"' % digest.upper()


class ObjectStore:
    """Buckets and objects. Thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self._buckets = {}
        self._objects = {}  # (bucket, key) -> [OssObject, ...] oldest first

    def bucket(self, name):
        return self._buckets.get(name)

    def ensure_bucket(self, name, region, deny=None):
        """The bucket, made in `region` if new; `deny` (when given) replaces its refused keys."""
        with self._lock:
            bucket = self._buckets.get(name)
            if bucket is None:
                bucket = self._buckets[name] = Bucket(name, region)
            if deny is not None:
                bucket.deny = set(deny)
            return bucket

    def add(self, obj):
        with self._lock:
            self._objects.setdefault((obj.bucket, obj.key), []).append(obj)
        return obj

    def current(self, bucket, key, now):
        """The object under that key now, or None."""
        with self._lock:
            candidates = list(self._objects.get((bucket, key), ()))
        present = [o for o in candidates if o.exists(now)]
        return max(present, key=lambda o: o.appears_at(now)) if present else None

    def delete(self, bucket, key):
        """Remove what the key holds now and whatever a task would still put there; False if nothing."""
        with self._lock:
            found = self._objects.pop((bucket, key), [])
        for obj in found:
            obj.deleted = True
        return bool(found)

    def all(self):
        with self._lock:
            return [o for objects in self._objects.values() for o in objects]

    def buckets(self):
        with self._lock:
            return list(self._buckets.values())

    def clear(self):
        with self._lock:
            self._buckets.clear()
            self._objects.clear()
