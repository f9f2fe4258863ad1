# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turning work into a result a person can read: errors as messages, secrets masked (redact.py).

See docs/architecture.md (One wiring).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import AlicloudError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.redact import redact_result

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Iterable, Mapping


def endpoint_password(endpoint: object) -> str | None:
    """The password of a ``scheme://user:password@host`` endpoint (refused, but echoed in ``invocation``), or None."""
    if not isinstance(endpoint, str) or "@" not in endpoint:
        return None
    userinfo = endpoint.partition("://")[2].rpartition("@")[0]
    return userinfo.partition(":")[2] or userinfo or None


def secrets_for(params: Mapping[str, object], handed_out: Iterable[str] = ()) -> set[str]:
    """Secrets to mask: those given as options, the endpoint's password, and those the credentials handed out."""
    secrets = set(handed_out)
    for name in ("secret_key", "security_token"):
        value = params.get(name)
        # A value that is not a string yet (the task's own args, before the argument spec) masks nothing.
        if isinstance(value, str) and value:
            secrets.add(value)
    password = endpoint_password(params.get("endpoint"))
    if password:
        secrets.add(password)
    return secrets


def run_safely(work: Callable[[], dict], secrets: Callable[[], Iterable[str]] | None = None) -> dict:
    """Call ``work()`` and return its result dict, or a ``failed`` one for any error.

    ``secrets`` is a callable giving the secret values to mask, asked after
    the work ran (credentials are only known once they were resolved).
    """
    try:
        result = work()
    except AlicloudError as error:
        result = dict(error.to_dict(), changed=False, failed=True)
    except Exception as error:  # pylint: disable=broad-except
        # Anything unforeseen still ends as a clear failure, never a traceback.
        result = {
            "msg": "Unexpected %s: %s. This is a bug in alicloud.ecs; please report it." % (type(error).__name__, error),
            "changed": False, "failed": True,
        }
    return redact_result(result, secrets() if secrets else ())
