# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A wait longer than its keys live: a RamRoleArn profile, the STS stand-in issuing short-lived
keys (Expiration written with a ``+00:00`` offset), and the emulator refusing each token once it
expired. The wait must refresh the keys on its own and succeed; the emulator must really refuse
the old keys, or the test proves nothing.
"""

from __future__ import annotations

import datetime
import json
import os

from tests.emulator.client import SignedClient
from tests.emulator.harness import Emulator
from tests.reliability.conftest import assert_no_traceback, fast_ansible, run_playbook
from tests.standins.sts import StsStandin

KEY_ID = "LTAI5tLongWaitRole01"
SECRET = "long-wait-role-secret"
LIFETIME = 8  # seconds the issued keys live, in the emulator and in Expiration
TASK_SECONDS = 22  # the task runs for well over two lifetimes


class IssuingSts(StsStandin):
    """Issues fresh keys on every AssumeRole and tells the emulator to accept them for LIFETIME seconds."""

    def __init__(self, emulator):
        super().__init__({KEY_ID: (SECRET, None)})
        self.emulator = emulator
        self.issued_keys = []

    def handle(self, method, path, query, headers, body):
        number = len(self.issued_keys) + 1
        keys = {"AccessKeyId": "STS.NUlongwait%04d" % number, "AccessKeySecret": "lw-secret-%04d" % number,
                "SecurityToken": "lw-token-%04d-CAIS" % number}
        expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=LIFETIME)
        self.issued = keys
        self.expiration = expires.replace(microsecond=0).isoformat()  # 2026-...T..:..:..+00:00
        self.emulator.add_key(keys["AccessKeyId"], keys["AccessKeySecret"], keys["SecurityToken"], expires_in=LIFETIME)
        answer = super().handle(method, path, query, headers, body)
        if answer[0] == 200:
            self.issued_keys.append(keys)
        return answer


def test_a_wait_outlives_its_keys_and_refreshes_them():
    with Emulator() as emulator, IssuingSts(emulator) as sts:
        runner = fast_ansible(emulator)
        home = runner.env["HOME"]
        os.makedirs(os.path.join(home, ".aliyun"), exist_ok=True)
        with open(os.path.join(home, ".aliyun", "config.json"), "w", encoding="utf-8") as handle:
            json.dump({"current": "deploy", "profiles": [{
                "name": "deploy", "mode": "RamRoleArn", "access_key_id": KEY_ID, "access_key_secret": SECRET,
                "ram_role_arn": "acs:ram::1234567890:role/waiter", "ram_session_name": "long-wait"}]}, handle)
        task_id = emulator.create_tasks(region="cn-hangzhou", count=1, action="ExportImage",
                                        duration=TASK_SECONDS, outcome="Finished")[0]
        play = [{"hosts": "localhost", "gather_facts": False, "tasks": [
            {"name": "wait longer than the keys live", "alicloud.ecs.ecs_task_wait": {
                "task_ids": [task_id], "profile": "deploy", "timeout": "3m", "poll_interval": 2}},
        ]}]
        run = run_playbook(runner, json.dumps(play), env={"ALIBABA_CLOUD_STS_ENDPOINT": sts.url}, timeout=240)

        result = run.result("wait longer than the keys live")
        assert run.rc == 0, run
        assert result["succeeded"] == [task_id] and result["elapsed"] > 2 * LIFETIME, result
        # Fresh keys were fetched as the old ones ran out, not once per call.
        assert 3 <= len(sts.issued_keys) <= TASK_SECONDS, len(sts.issued_keys)
        assert_no_traceback(run)
        for keys in sts.issued_keys:
            assert keys["AccessKeySecret"] not in run.output and keys["SecurityToken"] not in run.output

        # The emulator did enforce the expiry: the first keys are refused now.
        first = sts.issued_keys[0]
        client = SignedClient(emulator.url, key_id=first["AccessKeyId"], secret=first["AccessKeySecret"],
                              token=first["SecurityToken"])
        try:
            answer = client.call("DescribeTasks")
        finally:
            client.close()
        assert answer.status == 400 and answer.code == "InvalidSecurityToken.Expired", answer
