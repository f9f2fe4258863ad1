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
