# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turning work into a result a person can read: errors as messages, never secrets.

Messages are built never to hold a secret; the redaction here is the last
line of defence against what a third-party library might echo back (a URL
with a security token in it, say).
"""

from __future__ import annotations

from ansible_collections.alicloud.ecs.plugins.module_utils.errors import AlicloudError

MASK = "********"
MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words


def secrets_of(client):
    """The secret values the client's credentials provider has handed out, if any."""
    provider = getattr(client, "credentials", None)
    secrets = getattr(provider, "secrets", None)
    return secrets() if callable(secrets) else set()


def secrets_for(params, client):
    """Secrets to mask: those given as options plus those the client was handed."""
    secrets = set(secrets_of(client))
    for name in ("secret_key", "security_token"):
        if params.get(name):
            secrets.add(params[name])
    return secrets


def redact_text(text, secrets):
    for secret in sorted(secrets, key=len, reverse=True):
        if secret and len(secret) >= MIN_SECRET_LENGTH and secret in text:
            text = text.replace(secret, MASK)
    return text


def redact_result(value, secrets):
    """A copy of ``value`` (dicts, lists, strings) with every secret masked."""
    secrets = [s for s in secrets if s]
    if not secrets:
        return value
    if isinstance(value, str):
        return redact_text(value, secrets)
    if isinstance(value, dict):
        return {redact_result(key, secrets): redact_result(item, secrets) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_result(item, secrets) for item in value]
    return value


def run_safely(work, secrets=None):
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
