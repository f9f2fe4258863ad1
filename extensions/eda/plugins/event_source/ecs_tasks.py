# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event-Driven Ansible source: an event each time an Alibaba Cloud ECS task changes.

The loop is here; what to poll and which changes become events is in
plugins/module_utils/_ecs/events/ (unit-tested without asyncio). See docs/eda.md.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys

DOCUMENTATION = r"""
---
short_description: Events when Alibaba Cloud ECS asynchronous tasks start, change state and end.
description:
  - An ansible-rulebook event source plugin that polls ECS asynchronous tasks (ImportImage, ExportImage,
    ModifyDiskSpec, ...) and puts one event on the queue per change that matters. A task seen for the first
    time, a change of its status, and its end (Finished, Failed, Deleted) each give exactly one event.
    A change in progress alone gives none.
  - >-
    Each event is C({"ecs_task": RECORD, "previous_status": STATUS_OR_NULL, "region": REGION}). RECORD is the
    task as M(alicloud.ecs.ecs_task_info) returns it (C(task_id), C(task_action), C(task_status), C(progress),
    C(related_items), C(error_code), C(error_msg), ...). The event for a task's end carries the full record,
    read with one C(DescribeTaskAttribute) call: related items (such as the OSS bucket and object of an
    exported image), operation progress, and the task's own error code and message if it failed.
  - >-
    With O(wait_for=product), what a task that ended C(Finished) produced is watched too, as
    M(alicloud.ecs.ecs_task_wait) waits for it: an import's image (C(Available) and usable), an export's OSS objects
    (present, with a size), a converted disk (not C(Modifying)). Each gives one more event once it is ready, failed
    (an image C(CreateFailed) or C(UnAvailable)), or still not ready O(product_timeout) after its task's end, when it
    is read no more. That event is the task's end event with a C(product) key added,
    C({"ecs_task": RECORD, "previous_status": "Finished", "region": REGION, "product": PRODUCT}), PRODUCT being an
    entry of the module's C(products) (C(kind), C(region), C(id), C(status), C(ready), C(details)) with
    C(wait_outcome) (C(succeeded), C(failed), or C(pending) when given up on). Images and disks are read 100 per call
    per region, each object with one C(HeadObject) per poll, from the poll that announced the task's end until it is
    decided.
  - Watch either the tasks named in O(task_ids) (looked up with C(DescribeTasks), 100 ids per call) or the
    tasks that match O(task_action), O(task_status) and O(resource_ids) (one filtered C(DescribeTasks) search
    per O(interval), paged). With neither, every task of the region is watched.
  - Connection and credentials work as for the modules (see the doc fragment C(alicloud.ecs.common)),
    first set wins. The options, then the C(ALIBABA_CLOUD_*) and C(ALICLOUD_*) environment variables, then the CLI profile file,
    the credentials file, and the ECS instance RAM role. The same client signs the calls, retries throttling,
    5xx answers and reset connections with jittered backoff, and limits its own rate when throttled.
  - A poll that still fails after the client's retries is logged as a warning (never with a secret) and the
    source keeps watching. A bad option, a missing region or credentials, or a permanent API error before
    any poll got through (such as a wrong key) stops the source at start with a message that says what to
    fix. Once a poll got through, any failure is logged and the source keeps watching.
options:
  region:
    description:
      - The region of the tasks, for example C(cn-hangzhou). Aliases C(region_id), C(alicloud_region).
      - Environment fallback C(ALIBABA_CLOUD_REGION_ID), C(ALICLOUD_REGION), C(ALICLOUD_REGION_ID).
    type: str
  access_key:
    description:
      - AccessKey ID. Aliases C(access_key_id), C(alicloud_access_key).
      - Environment fallback C(ALIBABA_CLOUD_ACCESS_KEY_ID), C(ALICLOUD_ACCESS_KEY), C(ALICLOUD_ACCESS_KEY_ID).
    type: str
  secret_key:
    description:
      - AccessKey secret. Aliases C(access_key_secret), C(alicloud_secret_key). Never logged.
      - Environment fallback C(ALIBABA_CLOUD_ACCESS_KEY_SECRET), C(ALICLOUD_SECRET_KEY),
        C(ALICLOUD_SECRET_ACCESS_KEY).
    type: str
  security_token:
    description:
      - STS security token for temporary keys. Alias C(alicloud_security_token). Never logged.
      - Environment fallback C(ALIBABA_CLOUD_SECURITY_TOKEN), C(ALICLOUD_SECURITY_TOKEN).
    type: str
  profile:
    description:
      - Profile of C(~/.aliyun/config.json) or the credentials file to use.
      - Environment fallback C(ALIBABA_CLOUD_PROFILE), C(ALICLOUD_PROFILE).
    type: str
  shared_credentials_file:
    description:
      - Path of a credentials file (C(~/.alibabacloud/credentials.ini) format).
    type: str
  ecs_role_name:
    description:
      - RAM role of the ECS instance the rulebook runs on; its keys come from the metadata service.
    type: str
  endpoint:
    description:
      - Full URL of the ECS API, for example C(http://127.0.0.1:8080). Default is the region's public endpoint.
      - Environment fallback C(ALIBABA_CLOUD_ECS_ENDPOINT).
    type: str
  validate_certs:
    description:
      - Check the endpoint's TLS certificate.
    type: bool
    default: true
  signature_version:
    description:
      - Signature of the API calls, C(v1) (HMAC-SHA1) or C(v3) (ACS3-HMAC-SHA256).
    type: str
    choices: [v1, v3]
    default: v1
  request_timeout:
    description:
      - Seconds one HTTP request may take (0 to 600).
    type: float
    default: 20
  task_ids:
    description:
      - The tasks to watch, by id. A list, or one string of ids separated by commas.
      - Ids not found yet (the service is eventually consistent) are looked up again at every poll.
      - Ended tasks are not polled again. Cannot be combined with the filters.
    type: list
    elements: str
  task_action:
    description:
      - Watch the tasks of this action, such as C(ExportImage) or C(ImportImage) (C(EXPORT_IMAGE) works too).
    type: str
  task_status:
    description:
      - Watch only tasks the service reports in this status (C(DescribeTasks) C(TaskStatus)), for example
        C(Failed). A task that leaves it is no longer seen, so its later changes give no event.
    type: str
  resource_ids:
    description:
      - Watch the tasks of these resources (image or disk ids; C(DescribeTasks) C(ResourceIds), at most 100).
    type: list
    elements: str
  since:
    description:
      - Tasks that ended before this time are old news and give no event; tasks still running at this time are
        announced when first seen. An ISO 8601 time (C(2026-05-01T10:00:00Z)), C(now), or a time relative to
        now (C(-2h), C(2h ago)).
      - Default is when the source starts, so a restarted rulebook does not announce old tasks again.
    type: str
  interval:
    description:
      - Time between two polls, in seconds or as a duration (C(30s), C(1m)). At least 0.1 seconds.
    type: str
    default: 30
  wait_for:
    description:
      - V(task) gives the events of the tasks alone; V(product) also one event per thing an ended task produced, once
        it is ready (see above).
    type: str
    choices: [task, product]
    default: task
  product_condition:
    description:
      - With O(wait_for=product), a JMESPath expression over the product's own answer (the C(DescribeImages)
        C(Image), the C(DescribeDisks) C(Disk), an object's C(Bucket), C(Key), C(ContentLength), C(ETag),
        C(LastModified)) that must also hold for it to be ready, for example V(Category == 'cloud_essd').
    type: str
  oss_endpoint:
    description:
      - With O(wait_for=product), where exported objects are read (C(HeadObject), signed with the source's keys).
        Default V(https://oss-<region>.aliyuncs.com); an IP address or V(localhost) endpoint is used path style.
      - Environment fallback C(ALIBABA_CLOUD_OSS_ENDPOINT).
    type: str
  product_timeout:
    description:
      - With O(wait_for=product), how long after its task's end a product is watched. One still not ready then gives
        its event with C(ready) false and C(wait_outcome) V(pending), and is read no more. Seconds or a duration.
    type: str
    default: 1h
  lookback:
    description:
      - With filters, the search covers tasks created during this time before each poll (a sliding window;
        the first poll also reaches back to O(since) if that is older). A task that runs longer than this is
        not followed to its end. Seconds or a duration (C(12h), C(2d)).
    type: str
    default: 1d
"""

EXAMPLES = r"""
- name: React to image exports
  hosts: localhost
  sources:
    - alicloud.ecs.ecs_tasks:
        region: cn-hangzhou
        task_action: ExportImage
        interval: 30s
  rules:
    - name: Export finished
      condition: event.ecs_task.task_status == "Finished"
      action:
        run_playbook:
          name: publish_image.yml
    - name: Export failed
      condition: event.ecs_task.task_status == "Failed"
      action:
        run_playbook:
          name: report_failure.yml

- name: Launch from an imported image once it is usable, not only once its import ended
  hosts: localhost
  sources:
    - alicloud.ecs.ecs_tasks:
        region: cn-hangzhou
        task_action: ImportImage
        wait_for: product
  rules:
    - name: Image usable
      condition: event.product is defined and event.product.kind == "image" and event.product.ready
      action:
        run_playbook:
          name: launch_from_image.yml
"""


def _make_collection_importable():
    """Put the folder holding ansible_collections/ on sys.path.

    ansible-rulebook loads this file with runpy.run_path, so the collection's
    own module_utils are only importable once their root is on the path.
    """
    path = os.path.abspath(__file__)
    for _level in range(8):
        path = os.path.dirname(path)
    if os.path.isdir(os.path.join(path, "ansible_collections", "alicloud", "ecs")) and path not in sys.path:
        sys.path.append(path)


_make_collection_importable()

# pylint: disable-next=wrong-import-position
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.events.watcher import TaskWatcher  # noqa: E402


async def main(queue: asyncio.Queue, args: dict) -> None:
    """Poll ECS tasks and put an event on ``queue`` for each change (runs until cancelled)."""
    logger = logging.getLogger(__name__)
    # Building the client may read files or call STS: off the event loop, like every HTTP call.
    watcher = await asyncio.to_thread(TaskWatcher.from_args, args, logger)
    try:
        while True:
            for event in await asyncio.to_thread(watcher.poll):
                await queue.put(event)
            await asyncio.sleep(watcher.config.interval)
    finally:
        watcher.close()


if __name__ == "__main__":

    class _PrintQueue(object):
        """Prints the events: ``python ecs_tasks.py`` watches the tasks of the environment's region."""

        async def put(self, event: dict) -> None:
            print(event)  # noqa: T201

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(_PrintQueue(), {"interval": 5}))
