# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Last line of defence: scrub known secret values from anything about to be shown.

Messages are built never to hold a secret; this catches what a third-party
library might echo back (a URL with a security token in it, say).
"""

from __future__ import annotations

MASK = "********"
MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words


def secrets_of(client):
    """The secret values the client has used, if any."""
    provider = getattr(client, "credentials", None)
    current = getattr(provider, "current", None) if provider is not None else None
    values = set()
    for item in (current,):
        if item is None:
            continue
        for name in ("access_key_secret", "security_token"):
            value = getattr(item, name, None)
            if value:
                values.add(value)
    return values


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
        return {key: redact_result(item, secrets) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_result(item, secrets) for item in value]
    return value
