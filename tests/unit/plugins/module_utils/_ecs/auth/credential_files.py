# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the credential tests: files in a temporary HOME, an explicit environment, secrets that must never show."""

from __future__ import annotations

import json

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import RpcClient
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth import chain as cr

KEY_ID = "LTAI5tKeyIdForTests1234"
SECRET = "S3cr3t-never-shown-0001"
TOKEN = "T0ken-never-shown-0001"
SECRETS = (SECRET, TOKEN, "issued-secret-1", "issued-token-1", "meta-secret-1", "meta-token-1", "meta-secret-2", "meta-token-2")
NO_METADATA = {"ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"}
NONE = {}


def assert_no_secret(text):
    for secret in SECRETS:
        assert secret not in text


def resolve(options=None, env=None, home=None, **kwargs):
    """The chain as the session wires it: STS calls through the real RPC client."""
    env = dict(NO_METADATA if env is None else env)
    kwargs.setdefault("rpc", RpcClient)
    return cr.resolve_credentials(dict(NONE if options is None else options), env=env, home=str(home), **kwargs)


def write_cli(home, profiles, current=None):
    path = home / ".aliyun" / "config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"profiles": profiles}
    if current is not None:
        data["current"] = current
    path.write_text(json.dumps(data))
    return path


def write_ini(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def default_ini(home, text):
    return write_ini(home / ".alibabacloud" / "credentials.ini", text)
