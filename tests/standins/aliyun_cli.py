# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stand-in for the Alibaba Cloud CLI's RPC form, for tests: ``aliyun ecs <Action> --Name value ...``.

The collection has no module that starts tasks (ExportImage, ImportImage,
...); the docs start them with the CLI a user already has. Tests put
``tests/standins/bin`` (whose ``aliyun`` runs this file) first on PATH, so
the same command reaches the emulator: it signs the call (V1, standard
library only) with the keys of the environment (ALIBABA_CLOUD_ACCESS_KEY_ID /
_SECRET), sends it to ``--endpoint`` or ALIBABA_CLOUD_ECS_ENDPOINT, and
prints the JSON answer as the CLI does; an error answer goes to stderr with
exit status 1.
"""

from __future__ import annotations

import json
import os
import sys

if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from tests.emulator.client import SignedClient  # noqa: E402


def main(argv):
    if len(argv) < 2 or argv[0] != "ecs" or len(argv[2:]) % 2:
        sys.stderr.write("usage: aliyun ecs <Action> [--Name value ...]\n")
        return 2
    action, pairs = argv[1], argv[2:]
    params = {}
    for name, value in zip(pairs[::2], pairs[1::2]):
        if not name.startswith("--"):
            sys.stderr.write("ERROR: expected --Name, got %r\n" % name)
            return 2
        params[name[2:]] = value
    endpoint = params.pop("endpoint", None) or os.environ.get("ALIBABA_CLOUD_ECS_ENDPOINT")
    if not endpoint:
        sys.stderr.write("ERROR: no endpoint: give --endpoint or set ALIBABA_CLOUD_ECS_ENDPOINT\n")
        return 2
    client = SignedClient(endpoint, key_id=os.environ.get("ALIBABA_CLOUD_ACCESS_KEY_ID", "testid"),
                          secret=os.environ.get("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "testsecret"),
                          region=params.get("RegionId", "cn-hangzhou"))
    try:
        answer = client.call(action, params)
    finally:
        client.close()
    if answer.status != 200:
        sys.stderr.write("ERROR: SDK.ServerError\nErrorCode: %s\n%s\n" % (answer.code, answer.raw.decode("utf-8", "replace")))
        return 1
    print(json.dumps(answer.json, indent="\t"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
