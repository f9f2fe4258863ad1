# -*- coding: utf-8 -*-
"""The main job, end to end against the local ECS emulator.

Sets up .venv, builds and installs the collection with ansible-galaxy, starts
the emulator, creates two ExportImage tasks on it (one finishes, one fails),
runs examples/demo.yml, which waits on them and shows what came back, then
stops the emulator. Exit code is ansible-playbook's.
"""
from __future__ import annotations

import json
import os
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _env  # noqa: E402  (scripts/ is not a package)

REGION = "cn-hangzhou"
PLAYBOOK = os.path.join(_env.ROOT, "examples", "demo.yml")
# Well-known test credentials the emulator accepts by default; not a secret.
DEMO_ENV = {
    "ALIBABA_CLOUD_ACCESS_KEY_ID": "testid",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "testsecret",
    "ALIBABA_CLOUD_REGION_ID": REGION,
}


def create_demo_tasks(emulator):
    ok = emulator.create_tasks(
        region=REGION, action="ExportImage", count=1, duration=6, outcome="Finished",
        related_items={"OSSBucket": "demo-exports", "OSSObject": "images/m-demo.qcow2", "ImageFormat": "qcow2"})
    bad = emulator.create_tasks(
        region=REGION, action="ExportImage", count=1, duration=3, outcome="Failed",
        error_code="InvalidOSSBucket.NotFound", error_msg="The specified OSS bucket does not exist.")
    return {"export_ok": ok[0], "export_bad": bad[0]}


def main():
    if not os.path.exists(PLAYBOOK):
        raise SystemExit("%s is missing" % os.path.relpath(PLAYBOOK, _env.ROOT))
    _env.ensure_venv()
    _env.say("==> building and installing the collection (ansible-galaxy's output: .build/logs/galaxy-*.log)")
    collections = _env.build_and_install_collection()
    with _env.Emulator() as emulator:
        _env.say("==> emulator at %s" % emulator.url)
        task_ids = create_demo_tasks(emulator)
        _env.say("==> tasks: %s" % json.dumps(task_ids))
        env = _env.venv_env(
            ANSIBLE_COLLECTIONS_PATH=collections,
            ANSIBLE_LOCALHOST_WARNING="false",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="false",
            **DEMO_ENV)
        argv = [_env.bin_path("ansible-playbook"), PLAYBOOK,
                "-e", "ecs_endpoint=%s" % emulator.url, "-e", json.dumps(task_ids)]
        # The command as it can be pasted into a shell while the emulator runs: quoted, with its environment.
        shown = dict(DEMO_ENV, ANSIBLE_COLLECTIONS_PATH=collections)
        _env.say("==> %s" % shlex.join(["env"] + ["%s=%s" % item for item in sorted(shown.items())] + argv))
        return _env.run(argv, env=env, check=False)


if __name__ == "__main__":
    sys.exit(main())
