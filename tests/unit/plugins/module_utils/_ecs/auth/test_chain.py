# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The credential chain: every source, the precedence, the errors.

Files live in a temporary HOME, the environment is an explicit dict, the
metadata service and STS are real local HTTP stand-ins (tests/standins).
"""

from __future__ import annotations

import re
import threading

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth import chain as cr
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import mask_key_id
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError, CredentialError
from tests.standins.imds import ImdsStandin
from tests.standins.ports import refusing_port
from tests.standins.sts import StsStandin, v1_signature, v1_string_to_sign
from tests.unit import fakes
from tests.unit.plugins.module_utils._ecs.auth.credential_files import (
    KEY_ID, NO_METADATA, SECRET, TOKEN, assert_no_secret, default_ini, resolve, write_cli, write_ini,
)


def iso(epoch):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def meta_keys(n, expiration):
    return {"AccessKeyId": "STS.meta%d" % n, "AccessKeySecret": "meta-secret-%d" % n,
            "SecurityToken": "meta-token-%d" % n, "Expiration": expiration}


# -- Credentials -----------------------------------------------------------

def test_repr_masks_id_and_hides_secret_and_token():
    creds = cr.Credentials("LTAI5tAbcdEfGhabcd", SECRET, TOKEN, 1.0, "somewhere")
    for text in (repr(creds), str(creds)):
        assert "LTAI****abcd" in text
        assert "LTAI5tAbcdEfGhabcd" not in text
        assert_no_secret(text)
    assert "security_token=set" in repr(creds)


def test_mask_short_id_shows_nothing():
    assert mask_key_id("testid") == "****"
    assert mask_key_id(None) == "****"


def test_provider_repr_has_no_secret(tmp_path):
    provider = resolve({"access_key": KEY_ID, "secret_key": SECRET, "security_token": TOKEN}, home=tmp_path)
    assert_no_secret(repr(provider))
    assert_no_secret(repr(provider.get()))


# -- module options ----------------------------------------------------------

def test_module_options_win_over_everything(tmp_path):
    write_cli(tmp_path, [{"name": "default", "mode": "AK", "access_key_id": "cli", "access_key_secret": "x"}], "default")
    env = dict(NO_METADATA, ALIBABA_CLOUD_ACCESS_KEY_ID="envid", ALIBABA_CLOUD_ACCESS_KEY_SECRET="envsecret")
    provider = resolve({"access_key": KEY_ID, "secret_key": SECRET, "security_token": TOKEN, "profile": "default"},
                       env=env, home=tmp_path)
    creds = provider.get()
    assert (creds.access_key_id, creds.access_key_secret, creds.security_token) == (KEY_ID, SECRET, TOKEN)
    assert provider.source == "module options access_key/secret_key"
    assert creds.expiration is None


@pytest.mark.parametrize("given,missing", [("access_key", "secret_key"), ("secret_key", "access_key")])
def test_half_set_module_options_is_config_error(tmp_path, given, missing):
    with pytest.raises(ConfigError) as info:
        resolve({given: SECRET}, home=tmp_path)
    assert info.value.option == missing
    assert missing in info.value.message
    assert not isinstance(info.value, CredentialError)
    assert_no_secret(info.value.message)


def test_token_without_keys_is_config_error(tmp_path):
    with pytest.raises(ConfigError) as info:
        resolve({"security_token": TOKEN}, home=tmp_path)
    assert "security_token" in info.value.message
    assert_no_secret(info.value.message)


def test_blank_options_count_as_unset(tmp_path):
    env = dict(NO_METADATA, ALIBABA_CLOUD_ACCESS_KEY_ID=KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET=SECRET)
    provider = resolve({"access_key": "", "secret_key": "  ", "profile": None}, env=env, home=tmp_path)
    assert provider.source == "environment ALIBABA_CLOUD_ACCESS_KEY_ID"


def test_env_keys_beat_files(tmp_path):
    write_cli(tmp_path, [{"name": "default", "mode": "AK", "access_key_id": "cli", "access_key_secret": "x"}], "default")
    default_ini(tmp_path, "[default]\ntype = access_key\naccess_key_id = ini\naccess_key_secret = y\n")
    env = dict(NO_METADATA, ALICLOUD_ACCESS_KEY=KEY_ID, ALICLOUD_SECRET_KEY=SECRET)
    assert resolve(env=env, home=tmp_path).get().access_key_id == KEY_ID


# -- explicit options go first to their own source ----------------------------

ENV_KEYS = dict(NO_METADATA, ALIBABA_CLOUD_ACCESS_KEY_ID="envid", ALIBABA_CLOUD_ACCESS_KEY_SECRET="envsecret")


def test_explicit_profile_option_beats_env_keys(tmp_path):
    path = write_cli(tmp_path, [
        {"name": "default", "mode": "AK", "access_key_id": "def", "access_key_secret": "x"},
        {"name": "prod", "mode": "StsToken", "access_key_id": KEY_ID, "access_key_secret": SECRET, "sts_token": TOKEN},
    ], "default")
    provider = resolve({"profile": "prod"}, env=ENV_KEYS, home=tmp_path)
    creds = provider.get()
    assert (creds.access_key_id, creds.access_key_secret, creds.security_token) == (KEY_ID, SECRET, TOKEN)
    assert provider.source == "profile 'prod' (mode StsToken) in %s" % path


def test_explicit_profile_option_falls_back_to_ini_section(tmp_path):
    write_cli(tmp_path, [{"name": "default", "mode": "AK", "access_key_id": "def", "access_key_secret": "x"}], "default")
    ini = default_ini(tmp_path, "[prod]\ntype = access_key\naccess_key_id = %s\naccess_key_secret = %s\n" % (KEY_ID, SECRET))
    provider = resolve({"profile": "prod"}, env=ENV_KEYS, home=tmp_path)
    assert provider.get().access_key_id == KEY_ID
    assert provider.source == "section [prod] of %s" % ini


def test_explicit_profile_not_found_is_config_error(tmp_path):
    write_cli(tmp_path, [{"name": "default", "mode": "AK", "access_key_id": "def", "access_key_secret": "x"}], "default")
    with pytest.raises(ConfigError) as info:
        resolve({"profile": "nope"}, env=ENV_KEYS, home=tmp_path)
    assert info.value.option == "profile"
    assert "'nope'" in info.value.message and "config.json" in info.value.message and "credentials.ini" in info.value.message


def test_explicit_shared_credentials_file(tmp_path):
    ini = write_ini(tmp_path / "elsewhere" / "creds.ini",
                    "[default]\ntype = access_key\naccess_key_id = other\naccess_key_secret = o\n"
                    "[team]\ntype = access_key\naccess_key_id = %s # a comment\naccess_key_secret = %s\n" % (KEY_ID, SECRET))
    provider = resolve({"shared_credentials_file": str(ini), "profile": "team"}, env=ENV_KEYS, home=tmp_path)
    creds = provider.get()
    assert (creds.access_key_id, creds.access_key_secret) == (KEY_ID, SECRET)
    assert provider.source == "section [team] of %s" % ini
    assert resolve({"shared_credentials_file": str(ini)}, env=ENV_KEYS, home=tmp_path).get().access_key_id == "other"


def test_explicit_shared_credentials_file_missing(tmp_path):
    missing = tmp_path / "nope.ini"
    with pytest.raises(ConfigError) as info:
        resolve({"shared_credentials_file": str(missing)}, env=ENV_KEYS, home=tmp_path)
    assert str(missing) in info.value.message
    assert info.value.option == "shared_credentials_file"


def test_explicit_ecs_role_name_beats_env_and_does_no_io(tmp_path):
    calls = []

    def http(*args):
        calls.append(args)
        raise OSError("no network in this test")

    env = dict(ENV_KEYS)
    del env["ALIBABA_CLOUD_ECS_METADATA_DISABLED"]
    provider = resolve({"ecs_role_name": "myrole"}, env=env, home=tmp_path, http=http)
    assert provider.source == "ECS RAM role 'myrole' from the instance metadata service"
    assert calls == []


def test_explicit_ecs_role_name_with_metadata_disabled(tmp_path):
    with pytest.raises(ConfigError) as info:
        resolve({"ecs_role_name": "myrole"}, home=tmp_path)
    assert "ALIBABA_CLOUD_ECS_METADATA_DISABLED" in info.value.message
    assert info.value.option == "ecs_role_name"


def test_cli_beats_ini(tmp_path):
    write_cli(tmp_path, [{"name": "default", "mode": "AK", "access_key_id": "cli", "access_key_secret": "x"}], "default")
    default_ini(tmp_path, "[default]\ntype = access_key\naccess_key_id = ini\naccess_key_secret = y\n")
    assert resolve(home=tmp_path).get().access_key_id == "cli"


def test_cli_without_current_falls_to_ini(tmp_path):
    write_cli(tmp_path, [{"name": "x", "mode": "AK", "access_key_id": "cli", "access_key_secret": "x"}], "")
    default_ini(tmp_path, "[default]\ntype = access_key\naccess_key_id = ini\naccess_key_secret = y\n")
    assert resolve(home=tmp_path).get().access_key_id == "ini"


# -- nothing found ----------------------------------------------------------------------

def test_nothing_found_lists_every_source_in_order(tmp_path):
    with pytest.raises(CredentialError) as info:
        resolve(home=tmp_path)
    err = info.value
    tried = err.tried
    assert len(tried) == 7
    assert tried[0].startswith("module options")
    assert tried[1].startswith("environment ALIBABA_CLOUD_ACCESS_KEY_ID")
    assert tried[2] == ("OIDC role federation (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, "
                        "ALIBABA_CLOUD_OIDC_TOKEN_FILE not set)")
    assert tried[3].startswith("CLI config") and "config.json" in tried[3]
    assert tried[4].startswith("credentials file") and "credentials.ini" in tried[4]
    assert "disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED" in tried[5]
    assert tried[6] == "environment ALIBABA_CLOUD_CREDENTIALS_URI (not set)"
    for entry in tried:
        assert entry in err.message
    for hint in ("access_key", "ALIBABA_CLOUD_ACCESS_KEY_ID", "profile", "aliyun configure"):
        assert hint in err.message
    assert err.to_dict()["credential_sources_tried"] == tried


# -- metadata service ---------------------------------------------------------------

def meta_env(url, **extra):
    env = {"ALIBABA_CLOUD_IMDS_ENDPOINT": url}
    env.update(extra)
    return env


def test_metadata_v2_token_flow_with_discovery(tmp_path):
    with ImdsStandin({"myrole": meta_keys(1, "2030-01-01T00:00:00Z")}, token_mode="v2_required") as imds:
        provider = resolve(env=meta_env(imds.url), home=tmp_path)
        assert provider.source == "ECS RAM role 'myrole' from the instance metadata service"
        creds = provider.get()
        assert (creds.access_key_id, creds.access_key_secret, creds.security_token) == ("STS.meta1", "meta-secret-1", "meta-token-1")
        assert creds.expiration == 1893456000.0
        gets = [r for r in imds.requests if r["method"] == "GET"]
        assert [r["path"] for r in gets] == ["/latest/meta-data/ram/security-credentials/",
                                             "/latest/meta-data/ram/security-credentials/myrole"]
        assert all(r["headers"]["x-aliyun-ecs-metadata-token"] in imds.tokens for r in gets)
        put = imds.requests[0]
        assert put["method"] == "PUT" and put["headers"]["x-aliyun-ecs-metadata-token-ttl-seconds"] == "21600"


def test_metadata_v1_fallback_when_put_refused(tmp_path):
    with ImdsStandin({"r": meta_keys(1, "2030-01-01T00:00:00Z")}, token_mode="refuse_put") as imds:
        creds = resolve(env=meta_env(imds.url), home=tmp_path).get()
        assert creds.access_key_id == "STS.meta1"
        assert all("x-aliyun-ecs-metadata-token" not in r["headers"] for r in imds.requests if r["method"] == "GET")


def test_metadata_v1_disabled_refuses_fallback(tmp_path):
    with ImdsStandin({"r": meta_keys(1, "2030-01-01T00:00:00Z")}, token_mode="refuse_put") as imds:
        with pytest.raises(CredentialError) as info:
            resolve(env=meta_env(imds.url, ALIBABA_CLOUD_IMDSV1_DISABLED="true"), home=tmp_path)
        assert "ALIBABA_CLOUD_IMDSV1_DISABLED" in info.value.message
        assert imds.paths("GET") == []


@pytest.mark.parametrize("var", ["ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_ECS_METADATA"])
def test_metadata_role_from_env_skips_discovery(tmp_path, var):
    with ImdsStandin({"a": meta_keys(1, "2030-01-01T00:00:00Z"), "b": meta_keys(2, "2030-01-01T00:00:00Z")}) as imds:
        provider = resolve(env=meta_env(imds.url, **{var: "b"}), home=tmp_path)
        assert imds.requests == []  # building the provider did no I/O
        assert provider.get().access_key_id == "STS.meta2"
        assert imds.paths("GET") == ["/latest/meta-data/ram/security-credentials/b"]


def test_metadata_url_argument_beats_env(tmp_path):
    with ImdsStandin({"r": meta_keys(1, "2030-01-01T00:00:00Z")}) as imds:
        env = {"ALIBABA_CLOUD_ECS_METADATA_ENDPOINT": "http://127.0.0.1:9"}
        assert resolve(env=env, home=tmp_path, metadata_url=imds.url + "/").get().access_key_id == "STS.meta1"


def test_metadata_refresh_before_expiry_with_injected_clock(tmp_path):
    clock = fakes.FakeClock(now=1700000000.0)
    with ImdsStandin({"r": meta_keys(1, iso(1700000000 + 3600))}) as imds:
        provider = resolve({"ecs_role_name": "r"}, env=meta_env(imds.url), home=tmp_path, clock=clock)
        assert provider.get().access_key_id == "STS.meta1"
        imds.roles["r"] = meta_keys(2, iso(1700000000 + 7200))
        clock.now += 3000  # 10 minutes left: still outside the refresh margin
        assert provider.get().access_key_id == "STS.meta1"
        clock.now += 400   # inside the margin, not yet expired
        assert provider.get().access_key_id == "STS.meta2"
        role_gets = [p for p in imds.paths("GET") if p.endswith("/r")]
        assert len(role_gets) == 2


def test_metadata_refresh_failure_keeps_valid_keys_then_raises(tmp_path):
    clock = fakes.FakeClock(now=1700000000.0)
    with ImdsStandin({"r": meta_keys(1, iso(1700000000 + 3600))}) as imds:
        provider = resolve({"ecs_role_name": "r"}, env=meta_env(imds.url), home=tmp_path, clock=clock)
        provider.get()
        del imds.roles["r"]
        clock.now += 3500  # refresh due, refresh fails, keys still valid
        assert provider.get().access_key_id == "STS.meta1"
        clock.now += 200   # expired
        with pytest.raises(CredentialError) as info:
            provider.get()
        assert "ECS RAM role 'r'" in info.value.message and "HTTP 404" in info.value.message
        assert_no_secret(info.value.message)


def test_metadata_bad_answer_code(tmp_path):
    keys = dict(meta_keys(1, "2030-01-01T00:00:00Z"))
    with ImdsStandin({"r": keys}) as imds:
        keys["Code"] = "Failed"
        provider = resolve({"ecs_role_name": "r"}, env=meta_env(imds.url), home=tmp_path)
        with pytest.raises(CredentialError) as info:
            provider.get()
        assert "Code=Failed" in info.value.message
        assert_no_secret(info.value.message)


def test_metadata_without_role_is_credential_error(tmp_path):
    with ImdsStandin({}) as imds:
        with pytest.raises(CredentialError) as info:
            resolve(env=meta_env(imds.url), home=tmp_path)
        assert "HTTP 404" in info.value.tried[-2] and imds.url in info.value.tried[-2]


def test_metadata_unreachable_is_credential_error(tmp_path):
    with ImdsStandin({}) as imds:
        url = imds.url
    # The stand-in is stopped: its port refuses connections.
    with pytest.raises(CredentialError) as info:
        resolve(env=meta_env(url), home=tmp_path)
    assert url in info.value.tried[-2]


def test_cli_ecs_ram_role_profile(tmp_path):
    path = write_cli(tmp_path, [{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "r"}], "ecs")
    with ImdsStandin({"r": meta_keys(1, "2030-01-01T00:00:00Z")}) as imds:
        provider = resolve(env=meta_env(imds.url), home=tmp_path)
        assert provider.source == "profile 'ecs' (mode EcsRamRole) in %s, ECS RAM role 'r'" % path
        assert provider.get().security_token == "meta-token-1"


def test_ini_ecs_ram_role_discovers_role(tmp_path):
    default_ini(tmp_path, "[default]\ntype = ecs_ram_role\n")
    with ImdsStandin({"found": meta_keys(1, "2030-01-01T00:00:00Z")}) as imds:
        assert resolve(env=meta_env(imds.url), home=tmp_path).get().access_key_id == "STS.meta1"
        assert "/latest/meta-data/ram/security-credentials/found" in imds.paths("GET")


# -- refreshing provider, alone ----------------------------------------------------------

def test_refreshing_provider_is_thread_safe():
    clock = fakes.FakeClock(now=0.0)
    fetched = []
    release = threading.Event()

    def fetch(deadline=None):
        fetched.append(1)
        release.wait(5)
        return cr.Credentials("id", "s", "t", 3600.0, "src")

    provider = cr.RefreshingCredentialsProvider(fetch, "src", clock=clock)
    results = []
    threads = [threading.Thread(target=lambda: results.append(provider.get())) for _ignored in range(8)]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(5)
    assert len(results) == 8 and len(fetched) == 1


def test_nearly_expired_keys_are_not_fetched_on_every_call():
    clock = fakes.FakeClock(now=0.0)
    fetched = []

    def fetch(deadline=None):
        fetched.append(1)
        return cr.Credentials("id", "s", "t", clock.now + 120.0, "src")

    provider = cr.RefreshingCredentialsProvider(fetch, "src", clock=clock)
    provider.get()
    clock.now += 30
    provider.get()
    assert len(fetched) == 1
    clock.now += 40
    provider.get()
    assert len(fetched) == 2


# -- STS -------------------------------------------------------------------------------------

def test_standin_signature_check_matches_the_published_known_answer():
    params = {"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
              "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0",
              "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26"}
    assert v1_string_to_sign("GET", params).startswith("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions")
    assert v1_signature("GET", params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


@pytest.mark.parametrize("region,vpc,env,expected", [
    (None, None, {}, "https://sts.aliyuncs.com"),
    ("cn-beijing", None, {}, "https://sts.cn-beijing.aliyuncs.com"),
    ("cn-beijing", True, {}, "https://sts-vpc.cn-beijing.aliyuncs.com"),
    (None, None, {"ALIBABA_CLOUD_STS_REGION": "cn-shanghai", "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED": "true"},
     "https://sts-vpc.cn-shanghai.aliyuncs.com"),
    ("cn-beijing", None, {"ALIBABA_CLOUD_STS_ENDPOINT": "sts-vpc.cn-hangzhou.aliyuncs.com"}, "https://sts-vpc.cn-hangzhou.aliyuncs.com"),
    (None, None, {"ALIBABA_CLOUD_STS_ENDPOINT": "http://127.0.0.1:8080/"}, "http://127.0.0.1:8080"),
])
def test_sts_endpoint_selection(tmp_path, region, vpc, env, expected):
    resolver = cr._Resolver({}, env, str(tmp_path), fakes.FakeClock(now=1700000000.0), None, None, None, None)
    assert resolver.sts_url(region, vpc) == expected


@pytest.mark.parametrize("env, needle", [
    ({"ALIBABA_CLOUD_STS_ENDPOINT": "http://[::1"}, "ALIBABA_CLOUD_STS_ENDPOINT 'http://[::1' is not a URL"),
    ({"ALIBABA_CLOUD_STS_ENDPOINT": "::"}, "ALIBABA_CLOUD_STS_ENDPOINT 'https://::' is not a URL"),
])
def test_an_sts_endpoint_that_cannot_be_read_names_its_variable(tmp_path, env, needle):
    resolver = cr._Resolver({}, env, str(tmp_path), fakes.FakeClock(now=1700000000.0), None, None, None, None)
    with pytest.raises(ConfigError, match=re.escape(needle)):
        resolver.sts_url(None, None)


def test_a_metadata_endpoint_that_cannot_be_read_names_its_variable(tmp_path):
    with pytest.raises(ConfigError, match=re.escape("ALIBABA_CLOUD_IMDS_ENDPOINT 'http://[::1' is not a URL")):
        resolve(env=meta_env("http://[::1"), home=tmp_path)


def ram_role_profile(**extra):
    profile = {"name": "role", "mode": "RamRoleArn", "access_key_id": KEY_ID, "access_key_secret": SECRET,
               "ram_role_arn": "acs:ram::123456:role/deployer", "ram_session_name": "ansible", "expired_seconds": 1800,
               "sts_region": "cn-hangzhou"}
    profile.update(extra)
    return profile


def test_sts_cli_ram_role_arn_builds_without_io(tmp_path):
    path = write_cli(tmp_path, [ram_role_profile()], "role")
    provider = resolve(home=tmp_path, sts_endpoint="http://127.0.0.1:9")
    assert provider.source == "profile 'role' (mode RamRoleArn) in %s" % path


def test_sts_bad_expired_seconds(tmp_path):
    write_cli(tmp_path, [ram_role_profile(expired_seconds=60)], "role")
    with pytest.raises(ConfigError) as info:
        resolve(home=tmp_path)
    assert "expired_seconds" in info.value.message and "900" in info.value.message


@pytest.mark.parametrize("value", [float("inf"), float("nan"), [1800], "30m"])
def test_sts_expired_seconds_not_a_number(tmp_path, value):
    # JSON reads Infinity and NaN as floats: int() of the first raises OverflowError, not ValueError.
    write_cli(tmp_path, [ram_role_profile(expired_seconds=value)], "role")
    with pytest.raises(ConfigError) as info:
        resolve(home=tmp_path)
    assert "expired_seconds must be a whole number of seconds, got %r." % (value,) in info.value.message


@pytest.fixture()
def rpc_client():
    return pytest.importorskip("ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client")


def test_sts_cli_ram_role_arn_against_standin(tmp_path, rpc_client):
    write_cli(tmp_path, [ram_role_profile()], "role")
    clock = fakes.FakeClock(now=1700000000.0)
    with StsStandin({KEY_ID: (SECRET, None)}, expiration=iso(1700000000 + 1800)) as sts:
        provider = resolve(env=dict(NO_METADATA, ALIBABA_CLOUD_STS_ENDPOINT=sts.url), home=tmp_path, clock=clock)
        creds = provider.get()
        assert (creds.access_key_id, creds.access_key_secret, creds.security_token) == (
            "STS.NUissuedkey0001", "issued-secret-1", "issued-token-1")
        assert creds.expiration == 1700000000 + 1800
        call = sts.calls[0]
        assert call["RoleArn"] == "acs:ram::123456:role/deployer"
        assert call["RoleSessionName"] == "ansible" and call["DurationSeconds"] == "1800"
        assert call["AccessKeyId"] == KEY_ID
        # Refresh a few minutes before expiry.
        sts.issued = {"AccessKeyId": "STS.second", "AccessKeySecret": "issued-secret-1", "SecurityToken": "issued-token-1"}
        clock.now += 1000
        assert provider.get().access_key_id == "STS.NUissuedkey0001"
        clock.now += 600
        assert provider.get().access_key_id == "STS.second"
        assert len(sts.calls) == 2


def test_sts_ini_ram_role_arn_with_session_from_env(tmp_path, rpc_client):
    default_ini(tmp_path, "[default]\ntype = ram_role_arn\naccess_key_id = %s\naccess_key_secret = %s\n"
                          "role_arn = acs:ram::1:role/x\n" % (KEY_ID, SECRET))
    with StsStandin({KEY_ID: (SECRET, None)}) as sts:
        env = dict(NO_METADATA, ALIBABA_CLOUD_ROLE_SESSION_NAME="from-env")
        assert resolve(env=env, home=tmp_path, sts_endpoint=sts.url).get().security_token == "issued-token-1"
        assert sts.calls[0]["RoleSessionName"] == "from-env" and sts.calls[0]["DurationSeconds"] == "3600"


def test_sts_chainable_profile_uses_source_token(tmp_path, rpc_client):
    write_cli(tmp_path, [
        {"name": "base", "mode": "StsToken", "access_key_id": KEY_ID, "access_key_secret": SECRET, "sts_token": TOKEN},
        {"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "base", "ram_role_arn": "acs:ram::1:role/y"},
    ], "chain")
    with StsStandin({KEY_ID: (SECRET, TOKEN)}) as sts:
        assert resolve(home=tmp_path, sts_endpoint=sts.url).get().access_key_id == "STS.NUissuedkey0001"
        assert sts.calls[0]["SecurityToken"] == TOKEN


def test_sts_failure_names_source_and_hides_secrets(tmp_path, rpc_client):
    path = write_cli(tmp_path, [ram_role_profile()], "role")
    with StsStandin({KEY_ID: (SECRET, None)}) as sts:
        sts.fail_with = (403, "NoPermission", "You are not authorized to do this action.")
        provider = resolve(home=tmp_path, sts_endpoint=sts.url)
        with pytest.raises(CredentialError) as info:
            provider.get()
        message = info.value.message
        assert "profile 'role' (mode RamRoleArn) in %s" % path in message
        assert "NoPermission" in message and "AssumeRole" in message and sts.url in message
        assert_no_secret(message)


def test_sts_leaves_through_the_proxy_of_the_given_environment(tmp_path, rpc_client):
    # Before: STS read the process's proxy variables while the ECS calls read the task's `environment:`.
    write_cli(tmp_path, [ram_role_profile()], "role")
    with refusing_port() as port, StsStandin({KEY_ID: (SECRET, None)}) as sts:
        proxy = "http://127.0.0.1:%d" % port
        provider = resolve(env=dict(NO_METADATA, HTTP_PROXY=proxy), home=tmp_path, sts_endpoint=sts.url)
        with pytest.raises(CredentialError) as info:
            provider.get()
        assert proxy in info.value.message and "proxy" in info.value.message and sts.calls == []
        # NO_PROXY in the same environment sends it straight to STS.
        direct = resolve(env=dict(NO_METADATA, HTTP_PROXY=proxy, NO_PROXY="127.0.0.1"), home=tmp_path, sts_endpoint=sts.url)
        assert direct.get().security_token == "issued-token-1" and len(sts.calls) == 1


def test_sts_wrong_secret_is_signature_error(tmp_path, rpc_client):
    write_cli(tmp_path, [ram_role_profile(access_key_secret="wrong-secret")], "role")
    with StsStandin({KEY_ID: (SECRET, None)}) as sts:
        with pytest.raises(CredentialError) as info:
            resolve(home=tmp_path, sts_endpoint=sts.url).get()
        assert "SignatureDoesNotMatch" in info.value.message
        assert "wrong-secret" not in info.value.message


# ---------------------------------------------------------------- key text and expiration (issue 10)

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import Credentials as _Credentials  # noqa: E402
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import parse_expiration as _parse_expiration  # noqa: E402


@pytest.mark.parametrize("field, value, why", [
    ("security_token", "tok\r\nX: 1", "line break"), ("access_key", "LTAI\tx", "control"),
    ("security_token", "t\u20ac", "Latin-1"), ("secret_key", "s\n", "line break"),
])
def test_keys_no_request_can_carry_are_refused_naming_the_option(field, value, why):
    keys = {"access_key": "LTAIok", "secret_key": "secret", "security_token": None}
    keys[field] = value
    with pytest.raises(CredentialError) as info:
        _Credentials(keys["access_key"], keys["secret_key"], keys["security_token"], source="environment variables")
    assert info.value.option == field and why in info.value.message and "environment variables" in info.value.message
    assert value not in info.value.message


@pytest.mark.parametrize("text, expected", [
    ("2024-05-01T10:00:00Z", 1714557600.0), ("2024-05-01T10:00:00+00:00", 1714557600.0),
    ("2024-05-01T18:00:00+08:00", 1714557600.0), ("2024-05-01T05:00:00-05:00", 1714557600.0),
    ("2024-05-01T10:00:00.250Z", 1714557600.25), ("2024-05-01T18:00:00+0800", 1714557600.0),
    ("2024-05-01T10:00Z", 1714557600.0), ("garbage", None), ("", None), (None, None), ("2024-13-01T00:00:00Z", None),
])
def test_parse_expiration_reads_any_iso_8601_offset(text, expected):
    assert _parse_expiration(text) == expected


def test_metadata_retries_keep_to_the_deadline_of_the_call_that_needs_keys():
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.imds import MetadataService
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline

    clock = fakes.FakeClock()
    timeouts = []

    def http(method, url, headers, timeout):
        timeouts.append(timeout)
        return (200, "token") if method == "PUT" else (503, "busy")

    class Highest(object):
        def uniform(self, low, high):
            return high

    service = MetadataService("http://169.254.0.1", http=http, sleep=clock.sleep, attempts=10, rng=Highest())
    with pytest.raises(CredentialError) as info:
        service.fetch("role", "the instance's RAM role", deadline=Deadline(clock() + 0.35, clock))
    # Backoffs of 0.1 and 0.2 fit in 0.35 s; the next (0.4) would end past the deadline: three GETs, not ten,
    # each no longer than the time left (at least 0.1 s).
    assert clock.sleeps == pytest.approx([0.1, 0.2]) and timeouts[0] == pytest.approx(0.35)
    assert timeouts[-1] == pytest.approx(0.1)
    assert "HTTP 503 (after 3 attempts)" in info.value.message


def test_metadata_is_retried_on_throttling_and_5xx_but_not_on_404():
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.imds import MetadataService

    keys = {"AccessKeyId": "STS.NUretry0001", "AccessKeySecret": "retry-secret", "SecurityToken": "retry-token",
            "Expiration": "2030-01-01T00:00:00+00:00"}
    slept = []
    with ImdsStandin({"role": keys}) as imds:
        imds.fail_gets = [503, 429, 500]
        service = MetadataService(imds.url, sleep=slept.append)
        credentials = service.fetch("role", "the instance's RAM role")
        assert credentials.access_key_id == "STS.NUretry0001" and credentials.expiration == 1893456000.0
        assert len(slept) == 3
        imds.fail_gets = [503] * 4
        with pytest.raises(CredentialError) as info:
            MetadataService(imds.url, sleep=slept.append).fetch("role", "the instance's RAM role")
        assert "HTTP 503 (after 4 attempts)" in info.value.message
        gets = len(imds.paths("GET"))
        with pytest.raises(CredentialError) as info:
            MetadataService(imds.url, sleep=slept.append).fetch("other-role", "the instance's RAM role")
        assert len(imds.paths("GET")) == gets + 1 and "HTTP 404" in info.value.message
