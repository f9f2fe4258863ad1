# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ALIBABA_CLOUD_CREDENTIALS_URI: last in the chain, the answer's shape checked, refreshed before expiry,
retried on 5xx and throttling, and never a key or the URI's query in a message."""

from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError, CredentialError
from tests.standins.credentials_uri import CredentialsUriStandin
from tests.unit import fakes
from tests.unit.plugins.module_utils._ecs.auth.credential_files import NO_METADATA, resolve, write_cli

KEYS = {"AccessKeyId": "STS.NUuriissued001", "AccessKeySecret": "uri-issued-secret-1", "SecurityToken": "uri-issued-token-1",
        "Expiration": "2030-01-01T00:00:00Z"}


def iso(epoch):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


@pytest.fixture()
def server():
    with CredentialsUriStandin(KEYS) as standin:
        yield standin


def uri_env(uri, **extra):
    return dict(NO_METADATA, ALIBABA_CLOUD_CREDENTIALS_URI=uri, **extra)


def test_the_uri_gives_the_keys_of_its_answer(tmp_path, server):
    provider = resolve(env=uri_env(server.uri), home=tmp_path)
    assert provider.source == "credentials URI %s (environment ALIBABA_CLOUD_CREDENTIALS_URI)" % server.uri
    creds = provider.get()
    assert (creds.access_key_id, creds.access_key_secret, creds.security_token, creds.expiration) == (
        KEYS["AccessKeyId"], KEYS["AccessKeySecret"], KEYS["SecurityToken"], 1893456000.0)
    assert KEYS["AccessKeySecret"] not in repr(creds) + repr(provider)


def test_the_uri_is_the_last_source(tmp_path, server):
    write_cli(tmp_path, [{"name": "default", "mode": "AK", "access_key_id": "cliid", "access_key_secret": "x"}], "default")
    assert resolve(env=uri_env(server.uri), home=tmp_path).get().access_key_id == "cliid"
    assert server.gets() == []


def test_refreshed_before_expiry(tmp_path, server):
    clock = fakes.FakeClock(now=1700000000.0)
    server.keys["Expiration"] = iso(1700000000 + 3600)
    provider = resolve(env=uri_env(server.uri), home=tmp_path, clock=clock)
    assert provider.get().access_key_id == KEYS["AccessKeyId"]
    server.keys = dict(KEYS, AccessKeyId="STS.NUuriissued002", Expiration=iso(1700000000 + 7200))
    clock.now += 3000
    assert provider.get().access_key_id == KEYS["AccessKeyId"]
    clock.now += 400
    assert provider.get().access_key_id == "STS.NUuriissued002" and len(server.gets()) == 2


def test_5xx_and_throttling_are_retried_but_404_is_not(tmp_path, server):
    server.fail_gets = [500, 429, 503]
    assert resolve(env=uri_env(server.uri), home=tmp_path).get().access_key_id == KEYS["AccessKeyId"]
    assert len(server.gets()) == 4
    with pytest.raises(CredentialError) as info:
        resolve(env=uri_env(server.url + "/elsewhere"), home=tmp_path).get()
    assert "answered HTTP 404" in info.value.message and "attempts" not in info.value.message


@pytest.mark.parametrize("answer, why", [
    (dict(KEYS, Code="Failure"), "answered Code=Failure"),
    ({"Code": "Success", "AccessKeyId": "STS.x", "AccessKeySecret": "uri-issued-secret-1"}, "lacks SecurityToken, Expiration"),
    (dict(KEYS, Code="Success", Expiration="tomorrow"), "Expiration that is not an ISO 8601 time"),
    ("<html>login</html>", "is not a JSON object"),
])
def test_an_answer_that_is_not_keys_is_a_clear_error_without_secrets(tmp_path, server, answer, why):
    server.answer = answer
    with pytest.raises(CredentialError) as info:
        resolve(env=uri_env(server.uri), home=tmp_path).get()
    assert why in info.value.message and "credentials URI %s" % server.uri in info.value.message
    assert "uri-issued-secret-1" not in info.value.message


def test_messages_leave_out_the_query_and_password_of_the_uri(tmp_path, server):
    uri = server.uri.replace("http://", "http://user:pa55word@") + "?token=query-secret-0001"
    provider = resolve(env=uri_env(uri), home=tmp_path)
    assert provider.get().access_key_id == KEYS["AccessKeyId"]
    assert server.requests[-1]["query"] == "token=query-secret-0001"
    assert server.requests[-1]["headers"]["authorization"] == "Basic dXNlcjpwYTU1d29yZA=="  # user:pa55word
    server.answer = {"Code": "Denied"}
    with pytest.raises(CredentialError) as info:
        resolve(env=uri_env(uri), home=tmp_path).get()
    for text in (provider.source, info.value.message):
        assert "query-secret-0001" not in text and "pa55word" not in text and server.uri in text


@pytest.mark.parametrize("uri", ["file:///etc/passwd", "localhost:8080/credentials", "http://"])
def test_a_uri_that_is_not_http_is_refused(tmp_path, uri):
    with pytest.raises(ConfigError) as info:
        resolve(env=uri_env(uri), home=tmp_path)
    assert "ALIBABA_CLOUD_CREDENTIALS_URI must be an http:// or https:// URL" in info.value.message
