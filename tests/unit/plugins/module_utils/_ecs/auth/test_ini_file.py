# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared credentials ini file as a credential source: sections, types, malformed files (through the chain)."""

from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError, CredentialError
from tests.unit.plugins.module_utils._ecs.auth.credential_files import KEY_ID, SECRET, NO_METADATA, assert_no_secret, resolve, write_ini, default_ini


# -- the ini file -------------------------------------------------------------------

def test_ini_default_section(tmp_path):
    ini = default_ini(tmp_path, "[default]\ntype = access_key\naccess_key_id = %s\naccess_key_secret = %s\n" % (KEY_ID, SECRET))
    provider = resolve(home=tmp_path)
    creds = provider.get()
    assert (creds.access_key_id, creds.access_key_secret, creds.security_token) == (KEY_ID, SECRET, None)
    assert provider.source == "section [default] of %s" % ini


def test_ini_file_from_env_and_section_from_env_profile(tmp_path):
    ini = write_ini(tmp_path / "x.ini", "[default]\ntype = access_key\naccess_key_id = d\naccess_key_secret = d\n"
                                        "[ci]\ntype = access_key\naccess_key_id = %s\naccess_key_secret = %s\n" % (KEY_ID, SECRET))
    env = dict(NO_METADATA, ALIBABA_CLOUD_CREDENTIALS_FILE=str(ini))
    assert resolve(env=env, home=tmp_path).get().access_key_id == "d"
    env["ALICLOUD_PROFILE"] = "ci"
    assert resolve(env=env, home=tmp_path).get().access_key_id == KEY_ID


def test_ini_env_file_missing_is_config_error(tmp_path):
    env = dict(NO_METADATA, ALIBABA_CLOUD_CREDENTIALS_FILE=str(tmp_path / "gone.ini"))
    with pytest.raises(ConfigError) as info:
        resolve(env=env, home=tmp_path)
    assert "gone.ini" in info.value.message and "ALIBABA_CLOUD_CREDENTIALS_FILE" in info.value.message


def test_ini_malformed_does_not_quote_the_line(tmp_path):
    ini = default_ini(tmp_path, "[default]\ntype = access_key\naccess_key_id = x\n%s\n" % SECRET)
    with pytest.raises(ConfigError) as info:
        resolve(home=tmp_path)
    assert str(ini) in info.value.message and "line 4" in info.value.message
    assert_no_secret(info.value.message)


def test_ini_no_section_header(tmp_path):
    default_ini(tmp_path, "access_key_secret = %s\n" % SECRET)
    with pytest.raises(ConfigError) as info:
        resolve(home=tmp_path)
    assert "line 1" in info.value.message
    assert_no_secret(info.value.message)


def test_ini_missing_fields_and_unknown_type(tmp_path):
    default_ini(tmp_path, "[default]\ntype = access_key\naccess_key_id = %s\n" % KEY_ID)
    with pytest.raises(ConfigError) as info:
        resolve(home=tmp_path)
    assert "access_key_secret" in info.value.message and "[default]" in info.value.message
    default_ini(tmp_path, "[default]\ntype = rsa_key_pair\n")
    with pytest.raises(ConfigError) as info:
        resolve(home=tmp_path)
    assert "rsa_key_pair" in info.value.message


def test_ini_without_default_section_is_skipped(tmp_path):
    default_ini(tmp_path, "[other]\ntype = access_key\naccess_key_id = a\naccess_key_secret = b\n")
    with pytest.raises(CredentialError) as info:
        resolve(home=tmp_path)
    assert any("no section [default]" in t for t in info.value.tried)
