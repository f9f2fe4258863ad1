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
- OIDC role federation (RRSA) and the credentials URI: the official
  credentials library, from the same environment, sends the same
  AssumeRoleWithOIDC and gets the same keys; a playbook in such a pod waits
  and never shows the token or the keys, even at -vvvv.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.emulator.harness import Emulator
from tests.standins.credentials_uri import CredentialsUriStandin
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


# ---------------------------------------------------------------- OIDC role federation and the credentials URI

ROLE = "acs:ram::1234567890:role/ack-ee"
PROVIDER = "acs:ram::1234567890:oidc-provider/ack-rrsa-c0ffee"
OIDC_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YXd4OmVlIn0.integration-signature"
URI_KEYS = dict(META, AccessKeyId="STS.NUuriintegration")
NEVER_SHOWN = SECRETS + (OIDC_TOKEN,)

# The official library (alibabacloud-credentials) in a fresh process, from the same environment: what it sends
# and what it gets. It reads the environment at import; ALIBABA_CLOUD_STS_ENDPOINT it does not read, so the
# stand-in's URL goes in as an argument (the scheme in the host is how its HTTP layer takes a plain-HTTP endpoint).
OFFICIAL = """
import hashlib, json, sys
from alibabacloud_credentials.provider import OIDCRoleArnCredentialsProvider, DefaultCredentialsProvider
if sys.argv[1] == "oidc":
    creds = OIDCRoleArnCredentialsProvider(sts_endpoint=sys.argv[2]).get_credentials()
else:
    creds = DefaultCredentialsProvider().get_credentials()
keys = creds.get_access_key_id(), creds.get_access_key_secret(), creds.get_security_token()
print(json.dumps([keys[0], hashlib.sha256(repr(keys).encode()).hexdigest(), creds.get_provider_name()]))
"""

OURS = """
import hashlib, json
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import RpcClient
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.chain import resolve_credentials
provider = resolve_credentials({}, rpc=RpcClient)
creds = provider.get()
keys = creds.access_key_id, creds.access_key_secret, creds.security_token
print(json.dumps([keys[0], hashlib.sha256(repr(keys).encode()).hexdigest(), provider.source]))
"""


def fresh_process(script, home, extra_env, *args):
    """Run ``script`` in a fresh interpreter from a clean environment plus ``extra_env``; its JSON line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALIBABA_CLOUD_", "ALICLOUD_"))}
    env.update(extra_env, HOME=str(home), PYTHONPATH=os.pathsep.join([os.path.join(ROOT, ".build", "collections"), ROOT]))
    done = subprocess.run([sys.executable, "-c", script] + list(args), env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False)
    for secret in NEVER_SHOWN:
        assert secret not in done.stdout + done.stderr
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture()
def rrsa(tmp_path):
    """The environment ACK's RRSA gives a pod, its token file, and the STS stand-in that accepts the token."""
    token_file = tmp_path / "rrsa" / "token"
    token_file.parent.mkdir()
    token_file.write_text(OIDC_TOKEN)
    with StsStandin(oidc={OIDC_TOKEN: PROVIDER}, issued=ISSUED) as sts:
        yield sts, {"ALIBABA_CLOUD_ROLE_ARN": ROLE, "ALIBABA_CLOUD_OIDC_PROVIDER_ARN": PROVIDER,
                    "ALIBABA_CLOUD_OIDC_TOKEN_FILE": str(token_file), "ALIBABA_CLOUD_ROLE_SESSION_NAME": "oracle",
                    "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"}


def test_oidc_sends_what_the_official_library_sends_and_gets_the_same_keys(tmp_path, rrsa):
    pytest.importorskip("alibabacloud_credentials")
    sts, env = rrsa
    official = fresh_process(OFFICIAL, tmp_path, env, "oidc", sts.url)
    ours = fresh_process(OURS, tmp_path, dict(env, ALIBABA_CLOUD_STS_ENDPOINT=sts.url))
    assert official[:2] == ours[:2] and official[0] == ISSUED["AccessKeyId"], (official, ours)
    assert ours[2].startswith("OIDC role %s" % ROLE)
    theirs, mine = ({k: v for k, v in call.items() if k != "Timestamp"} for call in sts.calls)
    assert theirs == mine, (theirs, mine)


def test_the_credentials_uri_gives_what_the_official_default_chain_gives(tmp_path):
    pytest.importorskip("alibabacloud_credentials")
    with CredentialsUriStandin(URI_KEYS) as server:
        env = {"ALIBABA_CLOUD_CREDENTIALS_URI": server.uri, "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"}
        official = fresh_process(OFFICIAL, tmp_path, env, "default")
        ours = fresh_process(OURS, tmp_path, env)
        assert official[:2] == ours[:2] and official[0] == URI_KEYS["AccessKeyId"], (official, ours)
        assert official[2] == "default/credential_uri" and ours[2].startswith("credentials URI %s" % server.uri)


def test_environment_keys_win_over_oidc_in_both_chains(tmp_path, rrsa):
    pytest.importorskip("alibabacloud_credentials")
    sts, env = rrsa
    env = dict(env, ALIBABA_CLOUD_ACCESS_KEY_ID=KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET=SECRET)
    official = fresh_process(OFFICIAL, tmp_path, env, "default")
    ours = fresh_process(OURS, tmp_path, dict(env, ALIBABA_CLOUD_STS_ENDPOINT=sts.url))
    assert official[:2] == ours[:2] and official[0] == KEY_ID and sts.calls == []


WAIT_AND_INFO = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Wait
      alicloud.ecs.ecs_task_wait: {task_ids: "{{ ids }}", timeout: 60, poll_interval: 1}
    - name: Info
      alicloud.ecs.ecs_task_info: {task_ids: "{{ ids }}", details: true}
"""


def test_a_playbook_in_an_rrsa_pod_waits_and_never_shows_the_token_or_the_keys(emulator_with_sts_keys, rrsa):
    from tests.system.ansible_run import Ansible

    sts, env = rrsa
    emulator = emulator_with_sts_keys
    emulator.reset()
    ids = emulator.create_tasks(action="ExportImage", duration=2)
    run_env = dict(env, ALIBABA_CLOUD_STS_ENDPOINT=sts.url, ALIBABA_CLOUD_ACCESS_KEY_ID=None,
                   ALIBABA_CLOUD_ACCESS_KEY_SECRET=None)
    run = Ansible(emulator).playbook(WAIT_AND_INFO, extra_vars={"ids": ids}, env=run_env, verbosity=4)
    assert run.rc == 0, run
    assert run.result("Info")["tasks"][0]["task_status"] == "Finished"
    assert set(emulator.stats()["access_keys"]) == {ISSUED["AccessKeyId"]}
    assert sts.calls and all(call["OIDCToken"] == OIDC_TOKEN for call in sts.calls)
    for secret in NEVER_SHOWN:
        assert secret not in run.output
    # STS refuses the token: the task fails naming the source and the code, still without the token.
    sts.oidc.clear()
    run = Ansible(emulator).playbook(WAIT_AND_INFO, extra_vars={"ids": ids}, env=run_env, verbosity=4)
    assert run.rc != 0
    message = run.result("Wait")["msg"]
    assert "AssumeRoleWithOIDC of %s" % ROLE in message and "AuthenticationFail.OIDCToken.Invalid" in message, message
    for secret in NEVER_SHOWN:
        assert secret not in run.output
