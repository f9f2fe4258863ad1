# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Region (or an explicit endpoint) -> the base URL of the ECS API. See docs/architecture.md."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError

REGION_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$")

# The ECS product's own endpoint map; regions not listed use ecs.<region>.aliyuncs.com.
PRODUCT_ENDPOINTS = {
    "cn-hangzhou": "ecs-cn-hangzhou.aliyuncs.com",
    "cn-wuhan": "ecs.aliyuncs.com",
    "cn-zhangbei": "ecs.aliyuncs.com",
}
CENTRAL_ENDPOINT = "ecs.aliyuncs.com"
ENDPOINT_EXAMPLE = "a URL such as https://ecs.cn-hangzhou.aliyuncs.com or http://127.0.0.1:8080"


def validate_region(region: str) -> str:
    """Return the region if it has the form of a region id, else raise ConfigError(option="region")."""
    if not isinstance(region, str) or not REGION_RE.match(region):
        raise ConfigError(
            "Invalid region %r: a region id is lower-case letters and digits in hyphen-separated parts, "
            "e.g. cn-hangzhou or ap-southeast-1" % (region,), option="region")
    return region


def _bad_endpoint(value, why, option="endpoint", example=ENDPOINT_EXAMPLE):
    return ConfigError("Invalid %s %r: %s; expected %s (scheme http or https, a host, an optional port, "
                       "no path, query or fragment)" % (option, value, why, example), option=option)


def normalize_endpoint(endpoint: str, option: str = "endpoint", example: str = ENDPOINT_EXAMPLE) -> str:
    """An explicit endpoint -> ``scheme://host[:port]``; errors name ``option`` and show ``example``.

    A bare host is refused rather than guessed: ``127.0.0.1:8080`` made
    https would fail with a TLS error that points at the wrong fix.
    """
    def bad(value, why):
        return _bad_endpoint(value, why, option, example)
    value = endpoint.strip() if isinstance(endpoint, str) else endpoint
    if not value or not isinstance(value, str):
        raise bad(endpoint, "it is empty")
    if any(c.isspace() for c in value):
        raise bad(endpoint, "it contains white space")
    scheme, colon, rest = value.partition(":")
    if "://" not in value and colon and rest.startswith("/"):
        # 'http:/host' or 'htp:/host': a mistyped scheme, not a bare host with a path.
        raise bad(endpoint, "%r does not start with http:// or https://" % (value,))
    if "://" not in value:
        bare = value.rstrip("/")
        raise ConfigError("Invalid %s %r: it has no scheme; write http://%s for a plain-HTTP endpoint (such as the "
                          "emulator) or https://%s for a TLS one" % (option, value, bare, bare), option=option)
    url = value
    authority = re.split(r"[/?#]", value.partition("://")[2], maxsplit=1)[0]
    if "@" in authority:
        # A user:password in the URL would end up in error messages (checked before any other message quotes it).
        raise bad("%s://***@%s" % (scheme, authority.rpartition("@")[2]), "credentials in the URL are not supported")
    try:
        parts = urlsplit(url)
        parts.hostname  # noqa: B018 - raises ValueError for an unclosed IPv6 bracket or a bad IP in brackets
    except ValueError as error:
        raise bad(endpoint, "it cannot be read as a URL (%s)" % error) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise bad(endpoint, "the scheme must be http or https")
    if not parts.hostname:
        raise bad(endpoint, "it has no host")
    try:
        parts.port
    except ValueError:
        raise bad(endpoint, "the port is not a number from 0 to 65535") from None
    if parts.path not in ("", "/"):
        raise bad(endpoint, "it has a path")
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise bad(endpoint, "it has a query or a fragment")
    return "%s://%s" % (parts.scheme.lower(), parts.netloc)


def resolve_endpoint(region: str, endpoint: str | None = None) -> str:
    """The base URL (no trailing slash) for ``region``: explicit endpoint, product map, then the default pattern.

    A VPC endpoint (``https://ecs-vpc.<region>.aliyuncs.com``) is given as ``endpoint``.
    """
    if endpoint:
        return normalize_endpoint(endpoint)
    validate_region(region)
    host = PRODUCT_ENDPOINTS.get(region)
    if host is None:
        host = CENTRAL_ENDPOINT if region.endswith("-gov-1") else "ecs.%s.aliyuncs.com" % region
    return "https://" + host
