# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OIDC role federation (RRSA): its place in the chain, the anonymous AssumeRoleWithOIDC against the
STS stand-in, the token file read again at every refresh, and no token or key in any message."""

from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import CredentialError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Session
from tests.standins.ports import refusing_port
from tests.standins.sts import StsStandin
from tests.unit import fakes
from tests.unit.plugins.module_utils._ecs.auth.credential_files import NO_METADATA, assert_no_secret, resolve, write_cli

pytest.importorskip("requests")  # the STS call goes through the API client

ROLE = "acs:ram::1234567890:role/ack-ee"
PROVIDER = "acs:ram::1234567890:oidc-provider/ack-rrsa-c0ffee"
TOKEN_1 = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YXd4OmVlIn0.first-signature-part"
TOKEN_2 = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YXd4OmVlIn0.rotated-signature-part"
ISSUED = {"AccessKeyId": "STS.NUoidcissued01", "AccessKeySecret": "oidc-issued-secret-1", "SecurityToken": "oidc-issued-token-1"}


def iso(epoch):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def oidc_env(token_file, **extra):
    env = dict(NO_METADATA, ALIBABA_CLOUD_ROLE_ARN=ROLE, ALIBABA_CLOUD_OIDC_PROVIDER_ARN=PROVIDER,
               ALIBABA_CLOUD_OIDC_TOKEN_FILE=str(token_file))
    env.update(extra)
    return env


@pytest.fixture()
def token_file(tmp_path):
    path = tmp_path / "token"
    path.write_text(TOKEN_1 + "\n")  # the kubelet's file ends with a newline
    return path


@pytest.fixture()
def sts():
    with StsStandin(oidc={TOKEN_1: PROVIDER, TOKEN_2: PROVIDER}, issued=ISSUED) as server:
        yield server


def assert_nothing_secret(text):
    assert_no_secret(text)
    for secret in (TOKEN_1, TOKEN_2, ISSUED["AccessKeySecret"], ISSUED["SecurityToken"]):
        assert secret not in text


def test_oidc_calls_assume_role_with_oidc_anonymously_with_the_token_of_the_file(tmp_path, token_file, sts):
    env = oidc_env(token_file, ALIBABA_CLOUD_STS_ENDPOINT=sts.url, ALIBABA_CLOUD_ROLE_SESSION_NAME="awx-job-42")
    provider = resolve(env=env, home=tmp_path)
    assert provider.source == "OIDC role %s (environment ALIBABA_CLOUD_ROLE_ARN, token file %s)" % (ROLE, token_file)
    creds = provider.get()
    assert (creds.access_key_id, creds.access_key_secret, creds.security_token) == (
        ISSUED["AccessKeyId"], ISSUED["AccessKeySecret"], ISSUED["SecurityToken"])
    call = sts.calls[0]
    assert {k: call[k] for k in ("Action", "Version", "RoleArn", "OIDCProviderArn", "OIDCToken", "RoleSessionName",
                                 "DurationSeconds", "Format")} == {
        "Action": "AssumeRoleWithOIDC", "Version": "2015-04-01", "RoleArn": ROLE, "OIDCProviderArn": PROVIDER,
        "OIDCToken": TOKEN_1, "RoleSessionName": "awx-job-42", "DurationSeconds": "3600", "Format": "JSON"}
    # Anonymous: no key, no signature.
    assert not {"AccessKeyId", "Signature", "SignatureMethod", "SecurityToken"} & set(call)
    assert_nothing_secret(repr(provider) + repr(creds))


def test_oidc_default_session_name_and_sts_endpoint_argument(tmp_path, token_file, sts):
    clock = fakes.FakeClock(now=1700000000.0)
    resolve(env=oidc_env(token_file), home=tmp_path, sts_endpoint=sts.url, clock=clock).get()
    assert sts.calls[0]["RoleSessionName"] == "ansible-alicloud-ecs-1700000000"


def test_oidc_refreshes_before_expiry_reading_the_rotated_token(tmp_path, token_file, sts):
    clock = fakes.FakeClock(now=1700000000.0)
    sts.expiration = iso(1700000000 + 3600)
    provider = resolve(env=oidc_env(token_file, ALIBABA_CLOUD_STS_ENDPOINT=sts.url), home=tmp_path, clock=clock)
    assert provider.get().expiration == 1700000000 + 3600
    token_file.write_text(TOKEN_2)  # the kubelet rotated it
    sts.issued = dict(ISSUED, AccessKeyId="STS.NUoidcissued02")
    clock.now += 3000  # 10 minutes before expiry: the cached keys are still used
    assert provider.get().access_key_id == ISSUED["AccessKeyId"] and len(sts.calls) == 1
    clock.now += 400  # within the refresh margin (5 minutes)
    assert provider.get().access_key_id == "STS.NUoidcissued02"
    assert [call["OIDCToken"] for call in sts.calls] == [TOKEN_1, TOKEN_2]


@pytest.mark.parametrize("env_keys, cli, expected", [
    (True, True, "environment ALIBABA_CLOUD_ACCESS_KEY_ID"),  # environment keys come first
    (False, True, "OIDC role "),                               # then OIDC, before the CLI profile
])
def test_oidc_sits_after_environment_keys_and_before_the_cli_profile(tmp_path, token_file, env_keys, cli, expected):
    write_cli(tmp_path, [{"name": "default", "mode": "AK", "access_key_id": "cliid", "access_key_secret": "x"}], "default")
    env = oidc_env(token_file)
    if env_keys:
        env.update(ALIBABA_CLOUD_ACCESS_KEY_ID="envid", ALIBABA_CLOUD_ACCESS_KEY_SECRET="envsecret")
    assert resolve(env=env, home=tmp_path).source.startswith(expected)


def test_oidc_needs_all_three_variables_else_the_chain_goes_on_naming_what_is_missing(tmp_path, token_file):
    write_cli(tmp_path, [{"name": "default", "mode": "AK", "access_key_id": "cliid", "access_key_secret": "x"}], "default")
    env = oidc_env(token_file, ALIBABA_CLOUD_OIDC_PROVIDER_ARN=" ")  # blank counts as unset
    assert resolve(env=env, home=tmp_path).get().access_key_id == "cliid"
    (tmp_path / ".aliyun" / "config.json").unlink()
    with pytest.raises(CredentialError) as info:
        resolve(env=env, home=tmp_path)
    assert "OIDC role federation (ALIBABA_CLOUD_OIDC_PROVIDER_ARN not set)" in info.value.tried


@pytest.mark.parametrize("content, why", [(None, "cannot read the OIDC token file"), ("", "does not hold a token"),
                                          ("two words", "does not hold a token"), (b"\xff\xfe", "does not hold a token")])
def test_a_token_file_that_gives_no_token_is_a_clear_error(tmp_path, sts, content, why):
    path = tmp_path / "token"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    provider = resolve(env=oidc_env(path, ALIBABA_CLOUD_STS_ENDPOINT=sts.url), home=tmp_path)
    with pytest.raises(CredentialError) as info:
        provider.get()
    assert why in info.value.message and str(path) in info.value.message and "OIDC role" in info.value.message
    assert "two words" not in info.value.message and sts.calls == []


def test_sts_refusal_names_the_code_and_masks_a_token_the_answer_echoes(tmp_path, token_file, sts):
    sts.fail_with = (400, "AuthenticationFail.OIDCToken.Expired", "The token %s has expired." % TOKEN_1)
    provider = resolve(env=oidc_env(token_file, ALIBABA_CLOUD_STS_ENDPOINT=sts.url), home=tmp_path)
    with pytest.raises(CredentialError) as info:
        provider.get()
    message = info.value.message
    assert "AuthenticationFail.OIDCToken.Expired" in message and "AssumeRoleWithOIDC of %s" % ROLE in message
    assert "token file %s" % token_file in message
    assert_nothing_secret(message)
    assert TOKEN_1[:20] not in message  # nor a part of it


def test_a_token_for_another_provider_is_refused(tmp_path, token_file, sts):
    sts.oidc[TOKEN_1] = "acs:ram::1234567890:oidc-provider/other-cluster"
    with pytest.raises(CredentialError) as info:
        resolve(env=oidc_env(token_file, ALIBABA_CLOUD_STS_ENDPOINT=sts.url), home=tmp_path).get()
    assert "AuthenticationFail.OIDCToken.IssuerNotMatch" in info.value.message


def test_sts_region_and_vpc_variables_choose_the_endpoint(tmp_path, token_file):
    # Through a proxy that refuses: the call fails at once, and the message names the endpoint it was for.
    with refusing_port() as port:
        env = oidc_env(token_file, ALIBABA_CLOUD_STS_REGION="cn-shanghai", ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED="true",
                       HTTPS_PROXY="http://127.0.0.1:%d" % port)
        with pytest.raises(CredentialError) as info:
            resolve(env=env, home=tmp_path).get()
    assert "at https://sts-vpc.cn-shanghai.aliyuncs.com" in info.value.message


def test_the_session_masks_the_token_and_what_sts_handed_out(tmp_path, token_file, sts):
    params = {"region": "cn-hangzhou", "endpoint": "http://127.0.0.1:9"}
    session = Session(params, env=oidc_env(token_file, ALIBABA_CLOUD_STS_ENDPOINT=sts.url, HOME=str(tmp_path)))
    session.client._credentials.get()
    assert {TOKEN_1, ISSUED["AccessKeySecret"], ISSUED["SecurityToken"]} <= session.secrets()
    # A refusal too: the token was read, so it is masked even though nothing was handed out.
    sts.fail_with = (400, "AuthenticationFail.OIDCToken.Invalid", "invalid")
    failing = Session(params, env=oidc_env(token_file, ALIBABA_CLOUD_STS_ENDPOINT=sts.url, HOME=str(tmp_path)))
    with pytest.raises(CredentialError):
        failing.client._credentials.get()
    assert TOKEN_1 in failing.secrets()
