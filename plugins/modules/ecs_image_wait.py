#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecs_image_wait
short_description: Wait until Alibaba Cloud ECS images are Available and usable, in any number of regions
version_added: 0.3.0
description:
  - Waits until images reach a target status (V(Available)) and are usable, fails fast when one fails
    (V(CreateFailed), V(UnAvailable)), or times out with a message naming what is still pending.
  - "Made for what C(CopyImage) leaves, which has no task to wait on: the copies of an image in many regions
    (O(images)), and for images made otherwise (O(image_ids) in O(region)). An image can be V(Available) before it
    is usable (terraform-provider-alicloud PR 10176); O(usable) waits for both."
  - One C(DescribeImages) call per region per poll for up to 100 images (every status asked for, since its default
    filter is V(Available) only); images that are ready are not read again.
  - Runs where the task runs and prints progress lines while it waits, as M(alicloud.ecs.ecs_task_wait) does.
author:
  - alicloud.ecs maintainers (@alicloud-ecs)
requirements:
  - jmespath (for O(condition))
options:
  image_ids:
    description:
      - Ids of images in O(region) to wait for.
      - Give O(image_ids), O(images), or both.
    type: list
    elements: str
    aliases: [image_id]
  images:
    description:
      - Images in any regions, each as C(region) and C(image_id), for example what C(CopyImage) answered in each
        destination region. One C(DescribeImages) call per region per poll.
    type: list
    elements: dict
  target_states:
    description:
      - An image is ready once its C(Status) is one of these (and it is usable, see O(usable), and O(condition)
        holds).
      - A typo of a status ECS reports fails before any call, naming the status meant.
    type: list
    elements: str
    default: [Available]
  failure_states:
    description:
      - An image in one of these fails at once, naming its status.
    type: list
    elements: str
    default: [CreateFailed, UnAvailable]
  usable:
    description:
      - Whether an image must also be usable (C(Usable) not false), not only V(Available).
    type: bool
    default: true
  condition:
    description:
      - A JMESPath expression over the C(DescribeImages) C(Image) that must also hold, for example
        V(Size >= `40`).
    type: str
extends_documentation_fragment:
  - alicloud.ecs.common
  - alicloud.ecs.timing
  - alicloud.ecs.wait_timing
attributes:
  check_mode:
    support: full
    description: Waits as usual; it changes nothing.
  diff_mode:
    support: none
    description: Nothing to diff.
  async:
    support: full
    description: With C(async) the wait runs as a plain module (no progress lines), so C(async_status) works.
notes:
  - Part of the action group C(alicloud.ecs.ecs), so C(module_defaults) can set the connection options once.
  - Where it runs, and what stops it, are as for M(alicloud.ecs.ecs_task_wait).
seealso:
  - module: alicloud.ecs.ecs_task_wait
  - module: alicloud.ecs.ecs_disk_wait
"""

EXAMPLES = r"""
- name: Wait for the copies of an image in three regions (CopyImage has no task)
  alicloud.ecs.ecs_image_wait:
    images:
      - {region: cn-beijing, image_id: "{{ copy_beijing.image_id }}"}
      - {region: eu-central-1, image_id: "{{ copy_frankfurt.image_id }}"}
      - {region: us-west-1, image_id: "{{ copy_siliconvalley.image_id }}"}
    timeout: 2h
  register: copies

- name: Wait for images in the play's region until usable, with a condition on their size
  alicloud.ecs.ecs_image_wait:
    region: cn-hangzhou
    image_ids: [m-bp1g7004ksh0oeuc0001]
    condition: "Size >= `40`"
"""

RETURN = r"""
images:
  description: One record per image, in the order given (O(image_ids) then O(images)).
  returned: always
  type: list
  elements: dict
  contains:
    image_id:
      description: The image id.
      type: str
    region:
      description: Its region.
      type: str
    image_name:
      description: Its name.
      type: str
    status:
      description: The last C(Status) seen.
      type: str
      sample: Available
    progress:
      description: Percent done while it is made, when known.
      type: int
    usable:
      description: Whether ECS says it is usable.
      type: bool
    size:
      description: Its size in GiB.
      type: int
    creation_time:
      description: When it was created (ISO 8601, UTC).
      type: str
    elapsed:
      description: Seconds from the start of the wait until this image was decided (or the whole wait).
      type: float
    predicted_end:
      description: When its progress predicts it will be ready (ISO 8601, UTC), or null.
      type: str
    wait_outcome:
      description: V(succeeded), V(failed), V(not_found) or V(pending).
      type: str
    error_code:
      description: V(InvalidImageId.NotFound) for an image never found.
      returned: when the image was never found
      type: str
    error_msg:
      description: Where it was looked for, and how many times.
      returned: when the image was never found
      type: str
images_by_id:
  description: The records of RV(images), by image id.
  returned: always
  type: dict
succeeded:
  description: Ids of the images that became ready.
  returned: always
  type: list
  elements: str
failed_image_ids:
  description: Ids of the images that failed (a failure status, or never found).
  returned: always
  type: list
  elements: str
pending:
  description: Ids of the images not decided when the wait ended.
  returned: always
  type: list
  elements: str
elapsed:
  description: Seconds the wait took.
  returned: always
  type: float
api_calls:
  description: Requests sent, retries included.
  returned: always
  type: int
timed_out:
  description: Whether the wait ended at its timeout.
  returned: always
  type: bool
wait_status:
  description: V(succeeded), V(failed), V(timed_out), V(error) or V(predicted_timeout).
  returned: always
  type: str
"""

from ansible_collections.alicloud.ecs.plugins.module_utils.wait_module import run_wait_module
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.image_wait import WAIT


def main():
    run_wait_module(WAIT)


if __name__ == "__main__":
    main()
