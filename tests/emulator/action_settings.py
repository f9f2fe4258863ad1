# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How later calls of each start action behave (PUT /_emulator/actions), merged per action.

- `duration`: seconds the work lasts (the task; for CopyImage the copy;
  for a ModifyDiskSpec of the performance level alone, the change).
- `outcome`: `Finished` or `Failed` (the task; a failed import leaves a
  CreateFailed image, a failed copy is CreateFailed); for ImportImage and
  CopyImage also `CreateFailed` / `UnAvailable`: the task finishes, the
  image ends in that status.
- `error_code` / `error_msg`: with `outcome: Failed`, the failed task's
  error; otherwise the call itself answers that error and starts nothing
  (e.g. NoSetRoletoECSServiceAcount, DiskInCoolingPeriod). "" clears it.
- `usable_after`, `object_after`, `object_missing`, `settle_after`: as the
  `product` of POST /_emulator/tasks.
"""

from __future__ import annotations

import threading

from tests.emulator import images, specs, state, taskspec

ACTIONS = ("ImportImage", "ExportImage", "CopyImage", "ModifyDiskSpec")
FIELDS = ("duration", "outcome", "error_code", "error_msg", "usable_after", "object_after", "object_missing",
          "settle_after")
_IMAGE_ACTIONS = ("ImportImage", "CopyImage")


def outcomes(action):
    if action in _IMAGE_ACTIONS:
        return state.OUTCOMES + (images.CREATE_FAILED, images.UNAVAILABLE)
    return state.OUTCOMES


def _check(action, changes):
    specs.obj(changes, "the settings of %s" % action)
    specs.known_fields(changes, FIELDS, action)
    clean = {}
    for name in ("duration", "usable_after", "object_after", "settle_after"):
        if name in changes:
            clean[name] = specs.number(changes, name, 0.0)
    if "outcome" in changes:
        clean["outcome"] = specs.choice(changes, "outcome", state.FINISHED, outcomes(action))
    for name in ("error_code", "error_msg"):
        if name in changes:
            clean[name] = specs.string(changes, name)
    if "object_missing" in changes:
        clean["object_missing"] = specs.boolean(changes, "object_missing")
    return clean


class ActionSettings:
    def __init__(self):
        self._lock = threading.Lock()
        self._settings = {}

    def update(self, body):
        """Merge {"<Action>": {...}} into the settings; nothing changes if any part is invalid."""
        specs.obj(body)
        unknown = sorted(set(body) - set(ACTIONS))
        if unknown:
            raise specs.SpecError("unknown action(s): %s (known: %s)" % (", ".join(unknown), ", ".join(ACTIONS)))
        clean = {action: _check(action, changes) for action, changes in body.items()}
        with self._lock:
            for action, changes in clean.items():
                self._settings.setdefault(action, {}).update(changes)
            return self._snapshot()

    def _snapshot(self):
        return {action: dict(values) for action, values in self._settings.items()}

    def snapshot(self):
        with self._lock:
            return self._snapshot()

    def get(self, action):
        """The settings of one action with every default filled in."""
        with self._lock:
            values = dict(self._settings.get(action, {}))
        values.setdefault("duration", taskspec.DEFAULT_DURATION)
        values.setdefault("outcome", state.FINISHED)
        values.setdefault("error_code", "")
        values.setdefault("error_msg", "")
        for name in ("usable_after", "object_after", "settle_after"):
            values.setdefault(name, 0.0)
        values.setdefault("object_missing", False)
        return values

    def clear(self):
        with self._lock:
            self._settings.clear()
