# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The aliyun CLI config file as a credential source: profiles, modes, malformed files (through the chain)."""

from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from tests.unit.plugins.module_utils._ecs.auth.credential_files import KEY_ID, SECRET, TOKEN, NO_METADATA, assert_no_secret, resolve, write_cli


# -- the CLI file -----------------------------------------------------------------

def test_cli_current_profile_ak(tmp_path):
    path = write_cli(tmp_path, [{"name": "default", "mode": "AK", "access_key_id": KEY_ID, "access_key_secret": SECRET}], "default")
    provider = resolve(home=tmp_path)
    assert provider.get().access_key_secret == SECRET
    assert provider.source == "profile 'default' (mode AK) in %s" % path


@pytest.mark.parametrize("var", ["ALIBABA_CLOUD_PROFILE", "ALICLOUD_PROFILE"])
def test_cli_profile_from_env(tmp_path, var):
    write_cli(tmp_path, [
        {"name": "default", "mode": "AK", "access_key_id": "def", "access_key_secret": "x"},
        {"name": "prod", "mode": "AK", "access_key_id": KEY_ID, "access_key_secret": SECRET},
    ], "default")
    assert resolve(env=dict(NO_METADATA, **{var: "prod"}), home=tmp_path).get().access_key_id == KEY_ID


def test_cli_env_profile_precedence(tmp_path):
    write_cli(tmp_path, [
        {"name": "a", "mode": "AK", "access_key_id": "a", "access_key_secret": "x"},
        {"name": "b", "mode": "AK", "access_key_id": "b", "access_key_secret": "x"},
    ], "a")
    env = dict(NO_METADATA, ALIBABA_CLOUD_PROFILE="b", ALICLOUD_PROFILE="a")
    assert resolve(env=env, home=tmp_path).get().access_key_id == "b"


def test_cli_mode_guessed_when_missing(tmp_path):
    write_cli(tmp_path, [{"name": "default", "access_key_id": KEY_ID, "access_key_secret": SECRET, "sts_token": TOKEN}], "default")
    provider = resolve(home=tmp_path)
    assert provider.get().security_token == TOKEN
    assert "(mode StsToken)" in provider.source


def test_cli_env_profile_missing_everywhere_is_config_error(tmp_path):
    write_cli(tmp_path, [{"name": "default", "mode": "AK", "access_key_id": "def", "access_key_secret": "x"}], "default")
    with pytest.raises(ConfigError) as info:
        resolve(env=dict(NO_METADATA, ALIBABA_CLOUD_PROFILE="ghost"), home=tmp_path)
    assert "'ghost'" in info.value.message and "ALIBABA_CLOUD_PROFILE" in info.value.message


def test_cli_current_names_missing_profile(tmp_path):
    path = write_cli(tmp_path, [{"name": "default", "mode": "AK", "access_key_id": "d", "access_key_secret": "x"}], "gone")
    with pytest.raises(ConfigError) as info:
        resolve(home=tmp_path)
    assert str(path) in info.value.message and "'gone'" in info.value.message


def test_cli_malformed_json_names_file_not_contents(tmp_path):
    path = tmp_path / ".aliyun" / "config.json"
    path.parent.mkdir()
    path.write_text('{"current": "default", "profiles": [{"access_key_secret": "%s",, }]}' % SECRET)
    with pytest.raises(ConfigError) as info:
        resolve(home=tmp_path)
    assert str(path) in info.value.message and "not valid JSON" in info.value.message
    assert_no_secret(info.value.message)
    assert "Traceback" not in info.value.message


def test_cli_unreadable_file(tmp_path):
    path = tmp_path / ".aliyun" / "config.json"
    path.mkdir(parents=True)  # a directory where a file should be
    with pytest.raises(ConfigError) as info:
        resolve(home=tmp_path)
    assert str(path) in info.value.message


def test_cli_profile_missing_fields(tmp_path):
    path = write_cli(tmp_path, [{"name": "prod", "mode": "StsToken", "access_key_id": KEY_ID, "access_key_secret": SECRET}], "prod")
    with pytest.raises(ConfigError) as info:
        resolve(home=tmp_path)
    message = info.value.message
    assert "sts_token" in message and "'prod'" in message and str(path) in message
    assert_no_secret(message)


def test_cli_unsupported_mode(tmp_path):
    write_cli(tmp_path, [{"name": "sso", "mode": "CloudSSO"}], "sso")
    with pytest.raises(ConfigError) as info:
        resolve(home=tmp_path)
    assert "CloudSSO" in info.value.message and "RamRoleArn" in info.value.message
