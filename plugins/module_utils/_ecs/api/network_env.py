# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Proxies and the CA bundle, read from the environment the caller gives (the
task's, not necessarily the process's), as requests would read them. Pure
functions. See docs/architecture.md.
"""

from __future__ import annotations

import ipaddress
import os
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.urls import split_url

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping

CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


def strip_userinfo(url: str) -> str:
    """``http://user:pass@proxy:3128`` -> ``http://proxy:3128`` (for messages)."""
    parts = urlsplit(url if "://" in url else "http://" + url)
    host = parts.netloc.rpartition("@")[2]
    return "%s://%s" % (parts.scheme, host)


def _no_proxy_match(host, port, no_proxy):
    """Whether ``host`` is listed in a NO_PROXY value (names, .suffixes, host:port, CIDR, ``*``)."""
    host = (host or "").lower()
    for entry in (no_proxy or "").replace(" ", ",").split(","):
        entry = entry.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return True
        name, _sep, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
        if entry_port and entry_port != str(port):
            continue
        try:
            if ipaddress.ip_address(host) in ipaddress.ip_network(name, strict=False):
                return True
        except ValueError:
            pass
        name = name.lstrip(".")
        if host == name or host.endswith("." + name):
            return True
    return False


def environment_proxies(url: str, env: Mapping[str, str]) -> dict:
    """The proxy for ``url`` that HTTP(S)_PROXY / ALL_PROXY / NO_PROXY in ``env`` name, as requests would pick it.

    A proxy URL that cannot be read is a ConfigError naming its variable (its password masked).
    """
    def get(name):
        for variable in (name.lower(), name.upper()):
            if env.get(variable):
                return variable, env[variable]
        return None, None
    parts = urlsplit(url)
    if _no_proxy_match(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), get("no_proxy")[1]):
        return {}
    variable, proxy = get("%s_proxy" % parts.scheme)
    if not proxy:
        variable, proxy = get("all_proxy")
    if not proxy:
        return {}
    split_url(proxy if "://" in proxy else "http://" + proxy, variable,
              "a proxy URL such as http://proxy.example.com:3128", shown=_USERINFO.sub("//***@", proxy))
    return {parts.scheme: proxy}


# The user:password of a URL, masked in messages.
_USERINFO = re.compile(r"//[^/?#@]*@")


def resolve_verify(validate_certs: bool, env: Mapping[str, str], ca_bundle: str | None = None) -> bool | str:
    """What requests' ``verify`` must be: False, True or a CA bundle path that exists.

    ``validate_certs`` false wins over every variable (requests alone lets
    REQUESTS_CA_BUNDLE override a session's verify=False); a bundle named by
    a variable must exist, or the error names the variable.
    """
    if not validate_certs:
        return False
    named = [("ca_bundle", ca_bundle)] if ca_bundle else [(name, env[name]) for name in CA_BUNDLE_VARIABLES if env.get(name)]
    if not named:
        return True
    origin, path = named[0]
    if not os.path.exists(path):
        raise ConfigError("%s names the CA bundle %r, which does not exist: point it at a PEM file (or directory) of CA "
                          "certificates, or unset it to use the default bundle" % (origin, path), option="validate_certs")
    return path
