# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A thread-safe store of resources by id and by region in creation order (images, disks)."""

from __future__ import annotations

import threading


class RegionalStore:
    def __init__(self, id_attribute):
        self._id = id_attribute
        self._lock = threading.Lock()
        self._by_id = {}
        self._by_region = {}

    def add(self, item):
        with self._lock:
            self._by_id[getattr(item, self._id)] = item
            self._by_region.setdefault(item.region, []).append(item)
        return item

    def get(self, item_id):
        return self._by_id.get(item_id)

    def in_region(self, region):
        with self._lock:
            return list(self._by_region.get(region, ()))

    def all(self):
        with self._lock:
            return list(self._by_id.values())

    def clear(self):
        with self._lock:
            self._by_id.clear()
            self._by_region.clear()
