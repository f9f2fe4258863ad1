# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""RAM permissions an AccessKeyId lacks, and how the service tells it (PUT /_emulator/permissions).

Since 2025-12-20 a RAM identity that lacks the permission for an ECS query
(Describe) action gets ``Forbidden.RAM`` (HTTP 403, with an
``AccessDeniedDetail``); before, a 200 with an empty list ("empty" style). A
write action (CancelTask, ExportImage, ...) always got the 403.
"""

from __future__ import annotations

import threading

STYLES = ("403", "empty")


class PermissionSettingError(ValueError):
    """A permissions body that is not valid (the control API answers 400)."""


def _checked(body):
    if not isinstance(body, dict):
        raise PermissionSettingError('the body must be {"<AccessKeyId>": {"deny": ["<Action>", ...], "style": "403" | "empty"}}')
    table = {}
    for key_id, rule in body.items():
        if not isinstance(rule, dict) or set(rule) - {"deny", "style"}:
            raise PermissionSettingError('%s: give {"deny": ["<Action>", ...], "style": "403" | "empty"}' % key_id)
        deny = rule.get("deny", [])
        if not isinstance(deny, list) or not all(isinstance(action, str) and action for action in deny):
            raise PermissionSettingError("%s: deny must be a list of action names" % key_id)
        style = rule.get("style", "403")
        if style not in STYLES:
            raise PermissionSettingError("%s: style must be one of %s" % (key_id, ", ".join(STYLES)))
        table[key_id] = {"deny": list(deny), "style": style}
    return table


class Permissions:
    """Denied actions by AccessKeyId; a PUT replaces the whole table (``{}`` grants everything again)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._table = {}

    def replace(self, body):
        table = _checked(body)
        with self._lock:
            self._table = table
        return self.settings()

    def settings(self):
        with self._lock:
            return dict((key_id, dict(rule, deny=list(rule["deny"]))) for key_id, rule in self._table.items())

    def denial(self, access_key_id, action):
        """None when allowed; else "403" or "empty" (the latter for Describe actions only)."""
        with self._lock:
            rule = self._table.get(access_key_id)
        if rule is None or action not in rule["deny"]:
            return None
        return "empty" if rule["style"] == "empty" and action.startswith("Describe") else "403"

    def reset(self):
        with self._lock:
            self._table = {}


def access_denied_detail(access_key_id, action):
    """The diagnostic the 403 carries (AccessDeniedDetail, as the announcement of 2025-12-20 shows it)."""
    return {
        "AuthAction": "ecs:%s" % action,
        "AuthPrincipalType": "SubUser",
        "AuthPrincipalDisplayName": access_key_id,
        "NoPermissionType": "ImplicitDeny",
        "PolicyType": "AccountLevelIdentityBasedPolicy",
        "EncodedDiagnosticMessage": "AQEAAAAA-emulator",
    }
