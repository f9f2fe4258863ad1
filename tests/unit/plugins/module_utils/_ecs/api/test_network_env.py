# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Proxies and CA bundles from a given environment, as pure functions (issue 10)."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api import network_env
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError


@pytest.mark.parametrize("env, url, expected", [
    ({"HTTPS_PROXY": "http://p:3128"}, "https://ecs.example.com", {"https": "http://p:3128"}),
    ({"https_proxy": "http://low:1", "HTTPS_PROXY": "http://up:2"}, "https://e.com", {"https": "http://low:1"}),
    ({"HTTP_PROXY": "http://p:3128"}, "https://ecs.example.com", {}),
    ({"ALL_PROXY": "socks5://p:1080"}, "http://127.0.0.1:8080", {"http": "socks5://p:1080"}),
    ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "example.com"}, "https://ecs.example.com", {}),
    ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": ".example.com"}, "https://ecs.example.com", {}),
    ({"HTTPS_PROXY": "http://p:1", "NO_PROXY": "other.com"}, "https://ecs.example.com", {"https": "http://p:1"}),
    ({"HTTP_PROXY": "http://p:1", "no_proxy": "127.0.0.0/8"}, "http://127.0.0.1:8080", {}),
    ({"HTTP_PROXY": "http://p:1", "NO_PROXY": "127.0.0.1:9999"}, "http://127.0.0.1:8080", {"http": "http://p:1"}),
    ({"HTTP_PROXY": "http://p:1", "NO_PROXY": "*"}, "http://127.0.0.1:8080", {}),
])
def test_environment_proxies(env, url, expected):
    assert network_env.environment_proxies(url, env) == expected


def test_resolve_verify(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("x")
    assert network_env.resolve_verify(False, {"REQUESTS_CA_BUNDLE": "/missing"}) is False
    assert network_env.resolve_verify(True, {}) is True
    assert network_env.resolve_verify(True, {"CURL_CA_BUNDLE": str(bundle)}) == str(bundle)
    with pytest.raises(ConfigError) as info:
        network_env.resolve_verify(True, {"REQUESTS_CA_BUNDLE": "/missing/ca.pem"})
    assert "REQUESTS_CA_BUNDLE" in info.value.message and info.value.option == "validate_certs"


@pytest.mark.parametrize("env, shown", [
    ({"HTTPS_PROXY": "http://[::1"}, "HTTPS_PROXY 'http://[::1'"),
    ({"https_proxy": "http://user:s3cret@[::1"}, "https_proxy 'http://***@[::1'"),
    ({"ALL_PROXY": "proxy:99999"}, "ALL_PROXY 'proxy:99999'"),
])
def test_a_proxy_url_that_cannot_be_read_names_its_variable(env, shown):
    with pytest.raises(ConfigError) as info:
        network_env.environment_proxies("https://ecs.example.com", env)
    assert info.value.message.startswith(shown + " is not a URL that can be read"), info.value.message
    assert "s3cret" not in info.value.message and "http://proxy.example.com:3128" in info.value.message
