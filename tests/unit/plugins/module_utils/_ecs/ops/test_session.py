# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import Credentials
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops import session as session_module
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.options import COMMON_ARGUMENT_SPEC
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import RecordingProvider, Session, build_client


def params(**overrides):
    """Module params as AnsibleModule hands them over: every common option present."""
    values = {name: spec.get("default") for name, spec in COMMON_ARGUMENT_SPEC.items()}
    values.update(overrides)
    return values


def _env(tmp_path, **extra):
    return dict({"ALIBABA_CLOUD_ACCESS_KEY_ID": "key-id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s3cret-value",
                 "HOME": str(tmp_path), "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"}, **extra)


def test_build_client_uses_the_options_and_records_secrets_only_once_handed_out(tmp_path):
    record = set()
    client = build_client(params(region="cn-hangzhou", endpoint="http://127.0.0.1:9", request_timeout=5.0,
                                 signature_version="v3"), env=_env(tmp_path), record=record)
    assert client.region == "cn-hangzhou"
    assert not hasattr(client, "credentials")  # nothing is fastened onto the client
    assert record == set()
    assert client._credentials.get().access_key_secret == "s3cret-value"
    assert record == {"s3cret-value"}
    assert "s3cret-value" not in repr(client)


def test_a_session_resolves_the_options_builds_the_client_once_and_knows_every_secret(tmp_path):
    session = Session(params(endpoint="http://u:pa55word@127.0.0.1:9", secret_key=None), _env(tmp_path, ALIBABA_CLOUD_REGION_ID="cn-beijing"))
    assert session.secrets() == {"pa55word"}
    with pytest.raises(ConfigError):  # the endpoint with a password is refused when the client is built
        session.client  # pylint: disable=pointless-statement
    assert session.secrets() == {"pa55word"}  # still known after the failure

    session = Session(params(endpoint="http://127.0.0.1:9"), _env(tmp_path, ALIBABA_CLOUD_REGION_ID="cn-beijing"))
    client = session.client
    assert client is session.client and client.region == "cn-beijing"
    assert session.secrets() == set()
    client._credentials.get()
    assert session.secrets() == {"s3cret-value"}
    session.close()


def test_a_session_checks_the_options_before_building(monkeypatch, tmp_path):
    built = []
    monkeypatch.setattr(session_module, "build_client", lambda *args, **kwargs: built.append(args))
    with pytest.raises(ConfigError) as caught:
        Session(params(), _env(tmp_path)).client  # pylint: disable=expression-not-assigned
    assert caught.value.option == "region" and built == []


class _Inner(object):
    source = "test source"

    def __init__(self, credentials):
        self.credentials = credentials

    def get(self, deadline=None):
        return self.credentials


def test_recording_provider_records_secret_and_token_but_not_the_key_id():
    record = set()
    recorder = RecordingProvider(_Inner(Credentials("key-id", "the-secret", "the-token")), record)
    assert recorder.source == "test source"
    assert recorder.get().access_key_id == "key-id"
    assert record == {"the-secret", "the-token"}


def test_client_for_builds_one_client_per_region_sharing_the_one_credentials_provider(monkeypatch, tmp_path):
    resolved = []
    real = session_module.build_credentials

    def counting(*args, **kwargs):
        resolved.append(args[0]["region"])
        return real(*args, **kwargs)
    monkeypatch.setattr(session_module, "build_credentials", counting)
    session = Session(params(region="cn-hangzhou", endpoint="http://127.0.0.1:9"), _env(tmp_path))
    home = session.client
    beijing = session.client_for("cn-beijing")
    assert session.client_for("cn-beijing") is beijing and session.client_for("cn-hangzhou") is home
    assert (home.region, beijing.region) == ("cn-hangzhou", "cn-beijing")
    assert home.endpoint_url == beijing.endpoint_url == "http://127.0.0.1:9"  # an explicit endpoint serves every region
    assert beijing._credentials is home._credentials and resolved == ["cn-hangzhou"]
    beijing._credentials.get()
    assert session.secrets() == {"s3cret-value"}
    closed = []
    for client in (home, beijing):
        monkeypatch.setattr(client, "close", lambda client=client: closed.append(client.region))
    session.close()
    assert sorted(closed) == ["cn-beijing", "cn-hangzhou"]
    assert session.client_for("cn-beijing") is not beijing  # closed clients are not handed out again


def test_without_an_endpoint_each_region_goes_to_its_own(tmp_path):
    session = Session(params(region="cn-hangzhou"), _env(tmp_path))
    assert session.client.endpoint_url == "https://ecs-cn-hangzhou.aliyuncs.com"
    assert session.client_for("eu-central-1").endpoint_url == "https://ecs.eu-central-1.aliyuncs.com"
    session.close()


def test_client_for_refuses_a_region_that_is_not_one(tmp_path):
    session = Session(params(region="cn-hangzhou", endpoint="http://127.0.0.1:9"), _env(tmp_path))
    with pytest.raises(ConfigError) as caught:
        session.client_for("Hangzhou")
    assert caught.value.option == "region" and "Invalid region 'Hangzhou'" in caught.value.message
