# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The credential chain end to end, over real loopback HTTP.

- The official (old) Python SDK signs AssumeRole for the STS stand-in: the
  stand-in's signature check agrees with an official signer, so the unit
  tests that rely on it prove something.
- A fresh Python process resolves credentials from its real environment
  (HOME, ALIBABA_CLOUD_PROFILE, ALIBABA_CLOUD_STS_ENDPOINT,
  ALIBABA_CLOUD_IMDS_ENDPOINT): the documented variable names work.
- Keys obtained from the STS and metadata stand-ins sign ECS calls that the
  emulator accepts, security token included.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.emulator.harness import Emulator
from tests.standins.imds import ImdsStandin
from tests.standins.sts import StsStandin

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KEY_ID = "LTAI5tIntegration0001"
SECRET = "integration-secret-0001"
ISSUED = {"AccessKeyId": "STS.NUintegration01", "AccessKeySecret": "issued-int-secret", "SecurityToken": "issued-int-token"}
META = {"AccessKeyId": "STS.NUmetadata0001", "AccessKeySecret": "meta-int-secret", "SecurityToken": "meta-int-token",
        "Expiration": "2030-01-01T00:00:00Z"}
SECRETS = (SECRET, ISSUED["AccessKeySecret"], ISSUED["SecurityToken"], META["AccessKeySecret"], META["SecurityToken"])


def write_cli(home, profiles, current):
    path = home / ".aliyun" / "config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"current": current, "profiles": profiles}))
    return path


ROLE_PROFILE = {"name": "deploy", "mode": "RamRoleArn", "access_key_id": KEY_ID, "access_key_secret": SECRET,
                "ram_role_arn": "acs:ram::1234567890:role/deployer", "ram_session_name": "integration"}
ECS_PROFILE = {"name": "onecs", "mode": "EcsRamRole", "ram_role_name": ""}


@pytest.fixture(scope="module")
def emulator_with_sts_keys():
    keys = ["%s:%s:%s" % (k["AccessKeyId"], k["AccessKeySecret"], k["SecurityToken"]) for k in (ISSUED, META)]
    with Emulator(access_keys=keys) as server:
        yield server


def test_official_sdk_signature_is_accepted_by_the_sts_standin():
    acs = pytest.importorskip("aliyunsdkcore.client")
    request_mod = pytest.importorskip("aliyunsdkcore.request")
    exceptions = pytest.importorskip("aliyunsdkcore.acs_exception.exceptions")
    with StsStandin({KEY_ID: (SECRET, None)}, issued=ISSUED) as sts:
        def assume(secret):
            client = acs.AcsClient(KEY_ID, secret, "cn-hangzhou", auto_retry=False, timeout=5, connect_timeout=5)
            request = request_mod.CommonRequest(domain=sts.url.split("://", 1)[1], version="2015-04-01", action_name="AssumeRole")
            request.set_protocol_type("http")
            request.set_method("POST")
            request.add_query_param("RoleArn", "acs:ram::1:role/x y*")
            request.add_query_param("RoleSessionName", "sdk-oracle")
            return json.loads(client.do_action_with_exception(request))

        answer = assume(SECRET)
        assert answer["Credentials"]["AccessKeyId"] == ISSUED["AccessKeyId"]
        assert sts.calls[-1]["RoleArn"] == "acs:ram::1:role/x y*"
        with pytest.raises(exceptions.ServerException) as info:
            assume("not-the-secret")
        assert info.value.get_error_code() == "SignatureDoesNotMatch"


def run_resolver(home, extra_env):
    """Resolve in a fresh interpreter from its real os.environ; print source and masked repr only."""
    script = (
        "from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import RpcClient\n"
        "from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.chain import resolve_credentials\n"
        "p = resolve_credentials({}, rpc=RpcClient)\n"
        "c = p.get()\n"
        "print(p.source)\n"
        "print(repr(c))\n"
        "print(c.access_key_id == %r or c.access_key_id == %r)\n" % (ISSUED["AccessKeyId"], META["AccessKeyId"])
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALIBABA_CLOUD_", "ALICLOUD_"))}
    env.update(extra_env)
    env["HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join([os.path.join(ROOT, ".build", "collections"), ROOT])
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    for secret in SECRETS:
        assert secret not in done.stdout + done.stderr
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.splitlines()


def test_subprocess_profile_env_and_sts_endpoint_env(tmp_path):
    path = write_cli(tmp_path, [ROLE_PROFILE, ECS_PROFILE], "onecs")
    with StsStandin({KEY_ID: (SECRET, None)}, issued=ISSUED) as sts:
        lines = run_resolver(tmp_path, {"ALIBABA_CLOUD_PROFILE": "deploy", "ALIBABA_CLOUD_STS_ENDPOINT": sts.url,
                                        "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"})
        assert lines[0] == "profile 'deploy' (mode RamRoleArn) in %s" % path
        assert "STS.****on01" in lines[1] and lines[2] == "True"
        assert sts.calls[0]["RoleSessionName"] == "integration"


def test_subprocess_current_profile_and_imds_endpoint_env(tmp_path):
    write_cli(tmp_path, [ROLE_PROFILE, ECS_PROFILE], "onecs")
    with ImdsStandin({"discovered-role": META}, token_mode="v2_required") as imds:
        lines = run_resolver(tmp_path, {"ALIBABA_CLOUD_IMDS_ENDPOINT": imds.url})
        assert lines[0].endswith("(mode EcsRamRole) in %s" % (tmp_path / ".aliyun" / "config.json"))
        assert lines[2] == "True"
        assert "/latest/meta-data/ram/security-credentials/discovered-role" in imds.paths("GET")


@pytest.mark.parametrize("signature_version", ["v1", "v3"])
def test_sts_keys_sign_calls_the_emulator_accepts(tmp_path, emulator_with_sts_keys, signature_version):
    client_mod = pytest.importorskip("ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client")
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.chain import resolve_credentials

    write_cli(tmp_path, [ROLE_PROFILE], "deploy")
    with StsStandin({KEY_ID: (SECRET, None)}, issued=ISSUED) as sts:
        provider = resolve_credentials({}, env={"ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"}, home=str(tmp_path),
                                       sts_endpoint=sts.url, rpc=client_mod.RpcClient)
        ecs = client_mod.EcsClient("cn-hangzhou", provider, endpoint=emulator_with_sts_keys.url,
                                   signature_version=signature_version, max_attempts=1)
        answer = ecs.call("DescribeTasks", {"RegionId": "cn-hangzhou"})
        assert "RequestId" in answer
        assert len(sts.calls) == 1


def test_metadata_keys_sign_calls_the_emulator_accepts(tmp_path, emulator_with_sts_keys):
    client_mod = pytest.importorskip("ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client")
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.chain import resolve_credentials

    with ImdsStandin({"role": META}) as imds:
        provider = resolve_credentials({"ecs_role_name": "role"}, env={}, home=str(tmp_path), metadata_url=imds.url)
        ecs = client_mod.EcsClient("cn-hangzhou", provider, endpoint=emulator_with_sts_keys.url, max_attempts=1)
        assert "RequestId" in ecs.call("DescribeTasks", {"RegionId": "cn-hangzhou"})
