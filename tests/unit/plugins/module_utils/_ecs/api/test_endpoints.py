# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.endpoints import resolve_endpoint
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.urls import split_url
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError


@pytest.mark.parametrize("region, url", [
    ("cn-hangzhou", "https://ecs-cn-hangzhou.aliyuncs.com"),
    ("cn-wuhan", "https://ecs.aliyuncs.com"),
    ("cn-zhangbei", "https://ecs.aliyuncs.com"),
    ("cn-north-2-gov-1", "https://ecs.aliyuncs.com"),
    ("cn-beijing", "https://ecs.cn-beijing.aliyuncs.com"),
    ("ap-southeast-1", "https://ecs.ap-southeast-1.aliyuncs.com"),
])
def test_product_map_and_default_pattern(region, url):
    assert resolve_endpoint(region) == url


@pytest.mark.parametrize("endpoint, url", [
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
    ("HTTPS://ecs.example.com", "https://ecs.example.com"),
    (" https://ecs.example.com:8443 ", "https://ecs.example.com:8443"),
    ("http://[::1]:9000", "http://[::1]:9000"),
])
def test_explicit_endpoint_wins(endpoint, url):
    # Explicit endpoint comes first, even over an invalid region.
    assert resolve_endpoint("cn-hangzhou", endpoint=endpoint) == url
    assert resolve_endpoint(None, endpoint=endpoint) == url


@pytest.mark.parametrize("endpoint", [
    "ftp://ecs.example.com",
    "http://",
    "https://:8080",
    "http://127.0.0.1:99999",
    "http://127.0.0.1:port",
    "http://127.0.0.1:8080/api",
    "http://127.0.0.1:8080/?a=b",
    "http://127.0.0.1:8080#frag",
    "http://user:pw@127.0.0.1:8080",
    "http://user:pw@[::1",
    "http://127.0.0.1 :8080",
    "   ",
    # Python cannot read these at all (before: "Unexpected ValueError ... This is a bug").
    "http://[::1",
    "http://[zz]:80",
])
def test_invalid_endpoint(endpoint):
    with pytest.raises(ConfigError) as info:
        resolve_endpoint("cn-hangzhou", endpoint=endpoint)
    assert info.value.option == "endpoint"
    assert "http://127.0.0.1:8080" in info.value.message
    assert "pw" not in info.value.message


def test_an_endpoint_python_cannot_read_says_why():
    with pytest.raises(ConfigError) as info:
        resolve_endpoint("cn-hangzhou", endpoint="http://[::1")
    assert info.value.message.startswith("Invalid endpoint 'http://[::1': it cannot be read as a URL (Invalid IPv6 URL)")


@pytest.mark.parametrize("variable, value", [("ALIBABA_CLOUD_IMDS_ENDPOINT", "http://[::1"), ("HTTPS_PROXY", "http://h:99999")])
def test_split_url_names_the_variable(variable, value):
    with pytest.raises(ConfigError) as info:
        split_url(value, variable)
    assert info.value.message.startswith("%s %r is not a URL that can be read (" % (variable, value)), info.value.message
    assert info.value.option is None  # a variable, not an option


@pytest.mark.parametrize("endpoint, fix", [
    ("127.0.0.1:8080", "http://127.0.0.1:8080"),
    ("ecs.example.com", "https://ecs.example.com"),
])
def test_endpoint_without_scheme_is_refused_showing_the_fix(endpoint, fix):
    with pytest.raises(ConfigError) as info:
        resolve_endpoint("cn-hangzhou", endpoint=endpoint)
    assert info.value.option == "endpoint"
    assert "no scheme" in info.value.message and fix in info.value.message


@pytest.mark.parametrize("region", ["", None, "CN-Hangzhou", "cn_hangzhou", "cn-", "-cn", "hangzhou", "cn--hangzhou", "cn-hangzhou/x", 42])
def test_invalid_region(region):
    with pytest.raises(ConfigError) as info:
        resolve_endpoint(region)
    assert info.value.option == "region"
    assert "cn-hangzhou" in info.value.message
