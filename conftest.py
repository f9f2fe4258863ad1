# -*- coding: utf-8 -*-
"""Make the checkout importable as ansible_collections.alicloud.ecs for plain pytest.

ansible-test runs from a real ansible_collections/alicloud/ecs tree; plain
pytest runs from the checkout, so a symlinked tree under .build/ stands in.
"""
from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
COLLECTIONS = os.path.join(ROOT, ".build", "collections")


def _link_collection():
    parts = ROOT.split(os.sep)
    if len(parts) >= 3 and parts[-3] == "ansible_collections":
        # Already inside a real collection tree (ansible-test).
        return os.sep.join(parts[:-3])
    target = os.path.join(COLLECTIONS, "ansible_collections", "alicloud")
    os.makedirs(target, exist_ok=True)
    link = os.path.join(target, "ecs")
    if not os.path.islink(link):
        try:
            os.symlink(ROOT, link)
        except FileExistsError:
            pass
    return COLLECTIONS


_PATH = _link_collection()
if _PATH not in sys.path:
    sys.path.insert(0, _PATH)
os.environ.setdefault("ANSIBLE_COLLECTIONS_PATH", _PATH)
