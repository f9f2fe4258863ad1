# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A start call (ImportImage, ExportImage, CopyImage) answered 200 without the id of what it started, over real
signed HTTP from an endpoint that answers that way: a clear InvalidResponse that says what came back, through the
whole path that runs a start module (options, session, client, errors as results), never a crash."""
from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.running import run_wait_safely
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start import image_copy, image_export, image_import
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.stopping import StopToken
from tests.standins.hostile import RawServer, json_answer

SECRET = "start-Secret/Value+xyz=="
IMAGE = {"ImageId": "m-source1", "ImageName": "web", "Status": "Available", "Usable": True, "OSType": "linux"}


def listing(set_name, item_name, items):
    return {"RequestId": "R-1", "TotalCount": len(items), "PageNumber": 1, "PageSize": 100,
            set_name: {item_name: items}}


def endpoint(start_action, answer, images=()):
    """A server answering the look-ups (no task, ``images``) and ``start_action`` with ``answer``."""
    reads = {"DescribeImages": listing("Images", "Image", list(images)),
             "DescribeTasks": listing("TaskSet", "Task", [])}

    def respond(request, conn, stop):
        action = dict(parse_qsl(urlsplit(request.target).query)).get("Action")
        conn.sendall(json_answer(200, answer if action == start_action else reads[action]))
    return RawServer(respond)


def run(server, kind, **options):
    args = dict({"region": "cn-hangzhou", "access_key": "LTAIstarttestkey01", "secret_key": SECRET,
                 "endpoint": server.url, "request_timeout": 3, "timeout": 30}, **options)
    return run_wait_safely(args, {}, False, StopToken(), None, kind.name, kind=kind)


@pytest.mark.parametrize("kind, action, answer, options, images, why", [
    (image_import.WAIT, "ImportImage", {"RequestId": "R-2"},
     {"image_name": "web", "oss_bucket": "builds", "oss_object": "web.qcow2"}, [],
     "an ImportImage answer without TaskId or ImageId"),
    (image_import.WAIT, "ImportImage", {"RequestId": "R-2", "TaskId": 17, "ImageId": "m-new1"},
     {"image_name": "web", "oss_bucket": "builds", "oss_object": "web.qcow2"}, [],
     "an ImportImage answer whose TaskId is a number, not an id"),
    (image_export.WAIT, "ExportImage", {"RequestId": "R-2", "TaskId": " "},
     {"image_id": "m-source1", "oss_bucket": "exports"}, [IMAGE], "an ExportImage answer without TaskId"),
    (image_copy.WAIT, "CopyImage", {"RequestId": "R-2"},
     {"image_id": "m-source1", "destination_regions": ["eu-central-1"], "destination_image_name": "web"}, [],
     "a CopyImage answer without ImageId"),
], ids=["import-no-ids", "import-odd-ids", "export-no-task", "copy-no-image"])
def test_a_start_answer_without_the_id_of_what_it_started_is_an_invalid_response(kind, action, answer, options, images,
                                                                                 why):
    # Before: "Unexpected TypeError ... This is a bug" (import, export) or a wait on nothing (copy).
    with endpoint(action, answer, images) as server:
        result = run(server, kind, **options)
        sent = [dict(parse_qsl(urlsplit(request.target).query)).get("Action") for request in server.requests]
    text = json.dumps(result)
    assert "This is a bug" not in text and "Traceback" not in text and SECRET not in text, text
    assert result["failed"] is True and result["error_code"] == "InvalidResponse", result
    assert why in result["msg"] and server.url in result["msg"], result["msg"]
    assert "%s may have started the work all the same: run again" % action in result["msg"]
    assert result["action"] == "none" and result["changed"] is False
    # Sent once: the service may have started the work, so it is not sent again.
    assert sent.count(action) == 1, sent
