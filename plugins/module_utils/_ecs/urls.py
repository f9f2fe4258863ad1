# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""URLs from options and variables (endpoint, proxies, metadata and STS endpoints) read, or refused naming where
they came from: Python's own ValueError ("Invalid IPv6 URL") would reach the user as a bug. See docs/architecture.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError

if TYPE_CHECKING:  # annotations only
    from urllib.parse import SplitResult

URL_EXAMPLE = "a URL such as https://ecs.cn-hangzhou.aliyuncs.com or http://127.0.0.1:8080"


def split_url(url: str, origin: str, expected: str = URL_EXAMPLE, shown: str | None = None) -> SplitResult:
    """``url`` split, its host and port read; ConfigError naming ``origin`` (the variable it came from) when
    Python cannot read it (``http://[::1``: an unclosed IPv6 bracket, a port that is not a number, ...).

    ``shown`` is the value to quote in the message (the URL with any password masked).
    """
    try:
        parts = urlsplit(url)
        parts.hostname, parts.port  # noqa: B018 - each raises ValueError for a URL it cannot read
    except ValueError as error:
        raise ConfigError("%s %r is not a URL that can be read (%s); expected %s"
                          % (origin, url if shown is None else shown, error, expected)) from None
    return parts
