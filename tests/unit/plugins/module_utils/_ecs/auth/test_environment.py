# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The environment-keys source: variable names, precedence, half-set pairs (through the chain)."""

from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError, CredentialError
from tests.unit.plugins.module_utils._ecs.auth.credential_files import KEY_ID, SECRET, TOKEN, NO_METADATA, assert_no_secret, resolve


# -- environment ---------------------------------------------------------------

def test_env_alibaba_cloud_keys_with_token(tmp_path):
    env = dict(NO_METADATA, ALIBABA_CLOUD_ACCESS_KEY_ID=KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET=SECRET,
               ALIBABA_CLOUD_SECURITY_TOKEN=TOKEN)
    provider = resolve(env=env, home=tmp_path)
    creds = provider.get()
    assert (creds.access_key_id, creds.access_key_secret, creds.security_token) == (KEY_ID, SECRET, TOKEN)
    assert provider.source == "environment ALIBABA_CLOUD_ACCESS_KEY_ID"


@pytest.mark.parametrize("key_var,secret_var,token_var", [
    ("ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN"),
    ("ALICLOUD_ACCESS_KEY_ID", "ALICLOUD_SECRET_ACCESS_KEY", "ALICLOUD_SECURITY_TOKEN"),
])
def test_env_alicloud_names(tmp_path, key_var, secret_var, token_var):
    env = dict(NO_METADATA, **{key_var: KEY_ID, secret_var: SECRET, token_var: TOKEN})
    provider = resolve(env=env, home=tmp_path)
    creds = provider.get()
    assert (creds.access_key_id, creds.access_key_secret, creds.security_token) == (KEY_ID, SECRET, TOKEN)
    assert provider.source == "environment %s" % key_var


def test_env_precedence_first_set_wins_and_empty_is_unset(tmp_path):
    env = dict(NO_METADATA, ALIBABA_CLOUD_ACCESS_KEY_ID="", ALICLOUD_ACCESS_KEY="second", ALICLOUD_ACCESS_KEY_ID="third",
               ALIBABA_CLOUD_ACCESS_KEY_SECRET=SECRET, ALICLOUD_SECRET_KEY="other",
               ALIBABA_CLOUD_SECURITY_TOKEN="", ALICLOUD_SECURITY_TOKEN=TOKEN)
    creds = resolve(env=env, home=tmp_path).get()
    assert (creds.access_key_id, creds.access_key_secret, creds.security_token) == ("second", SECRET, TOKEN)


def test_env_without_token_gives_none(tmp_path):
    env = dict(NO_METADATA, ALICLOUD_ACCESS_KEY=KEY_ID, ALICLOUD_SECRET_KEY=SECRET)
    assert resolve(env=env, home=tmp_path).get().security_token is None


@pytest.mark.parametrize("env,named", [
    ({"ALIBABA_CLOUD_ACCESS_KEY_ID": KEY_ID}, "ALIBABA_CLOUD_ACCESS_KEY_ID"),
    ({"ALICLOUD_SECRET_KEY": SECRET}, "ALICLOUD_SECRET_KEY"),
])
def test_half_set_env_pair_is_config_error(tmp_path, env, named):
    with pytest.raises(ConfigError) as info:
        resolve(env=dict(NO_METADATA, **env), home=tmp_path)
    assert named in info.value.message
    assert not isinstance(info.value, CredentialError)
    assert_no_secret(info.value.message)
