#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecs_image_copy
short_description: Copy an Alibaba Cloud ECS image to other regions, once per region, and wait until the copies are usable
version_added: 0.3.0
description:
  - Puts a copy of the image O(image_id) of O(region) in each of O(destination_regions), named
    O(destination_image_name) (C(CopyImage)), the way Terraform applies a resource. The name is the identity of a
    copy in its region, so C(CopyImage) is called only for the regions where the account has no image of that name.
  - "First it looks in every destination region (C(DescribeImages), the account's own images, every status). There,
    an image of the name that is V(Available) and usable means nothing to do (V(none)); one being made
    (V(Creating), V(Waiting), or V(Available) but not yet usable) is attached to (V(attached)); without one,
    C(CopyImage) is called (V(started)). Each region's record in RV(images) says which; RV(action) is the strongest
    of them (V(started) > V(attached) > V(none)). A name held only by an image that failed (V(CreateFailed),
    V(UnAvailable)) fails the run before any copy starts: delete that image or choose another name."
  - So a second run changes nothing, and a run killed after a C(CopyImage) call and run again attaches to the copy
    the first run started instead of copying twice. ECS takes no client token for C(CopyImage); the guide
    docs/after-a-restart.md says what window is left.
  - C(CopyImage) has no task. With O(wait) (the default) the module waits until every copy started or attached to
    is V(Available) and usable, all regions in one wait as M(alicloud.ecs.ecs_image_wait) does (one
    C(DescribeImages) per region per poll), with the same progress lines; a copy that ends V(CreateFailed) or
    V(UnAvailable) fails the module at once.
  - The source image is not read; C(CopyImage) says when it does not exist in O(region) or is not V(Available), and
    the message explains either.
  - Runs where the task runs (on the controller for a local connection, otherwise on the target), as
    M(alicloud.ecs.ecs_task_wait) does.
author:
  - alicloud.ecs maintainers (@alicloud-ecs)
options:
  image_id:
    description:
      - The image to copy, in O(region).
    type: str
    required: true
  destination_regions:
    description:
      - The regions to put a copy in, for example V([eu-central-1, ap-southeast-1]). O(region) itself may be one
        of them (a copy in the same region).
    type: list
    elements: str
    required: true
    aliases: [destination_region]
  destination_image_name:
    description:
      - The name of the copy in each destination region, which identifies it there (2 to 128 characters, a letter
        first).
    type: str
    required: true
  description:
    description:
      - The description of the copies (C(DestinationDescription), 2 to 256 characters).
    type: str
extends_documentation_fragment:
  - alicloud.ecs.common
  - alicloud.ecs.timing
  - alicloud.ecs.start
attributes:
  check_mode:
    support: full
    description:
      - Looks as usual, then sends C(CopyImage) with C(DryRun=true) for each region it would copy to, which checks
        the parameters and the RAM permission and creates nothing; RV(changed) and RV(action) say what a real run
        would do. It does not wait.
  diff_mode:
    support: full
    description: RV(diff) shows, per destination region, the copy before (none, or its status) and after.
  async:
    support: full
    description: With C(async) it runs as a plain module (no progress lines), so C(async_status) works.
notes:
  - Part of the action group C(alicloud.ecs.ecs), so C(module_defaults) can set the connection options once.
  - The account's own images only count (C(ImageOwnerAlias=self)) in each destination region.
  - Copies to several regions are started one after the other; when one C(CopyImage) call fails, the regions after
    it are not started, and the result says which were (a rerun attaches to them).
seealso:
  - module: alicloud.ecs.ecs_image_wait
  - module: alicloud.ecs.ecs_image_import
"""

EXAMPLES = r"""
- name: Copy an image to two regions, once, and wait until both copies are usable
  alicloud.ecs.ecs_image_copy:
    region: cn-hangzhou
    image_id: m-bp1g7004ksh0oeuc0001
    destination_regions: [eu-central-1, ap-southeast-1]
    destination_image_name: web-2026-12
    description: The web image of December
    timeout: 2h
  register: copied

- name: The copy in Frankfurt
  ansible.builtin.debug:
    msg: "{{ copied.images_by_region['eu-central-1'].image_id }} is {{ copied.images_by_region['eu-central-1'].status }}"

- name: Start a copy and go on; wait for it later with ecs_image_wait
  alicloud.ecs.ecs_image_copy:
    region: cn-hangzhou
    image_id: m-bp1g7004ksh0oeuc0001
    destination_regions: [us-west-1]
    destination_image_name: web-2026-12
    wait: false
  register: started

- name: Wait for that copy where convenient
  alicloud.ecs.ecs_image_wait:
    region: us-west-1
    image_ids: ["{{ started.images_by_region['us-west-1'].image_id }}"]
"""

RETURN = r"""
action:
  description:
    - The strongest action of the regions' (RV(images[].action)), V(started) (this run called C(CopyImage) for at
      least one region), V(attached) (a copy of the name was being made; this run waited for it) or V(none) (every
      copy exists and is usable).
    - In check mode, what a real run would do.
  returned: always
  type: str
  sample: started
changed:
  description: True when this run started a copy or attached to one still being made.
  returned: always
  type: bool
task_id:
  description: Always null (C(CopyImage) has no task); kept so every start module returns it.
  returned: always
  type: str
images:
  description: One record per destination region, in the order of O(destination_regions), as
    M(alicloud.ecs.ecs_image_wait) returns them, each with its own RV(images[].action).
  returned: always
  type: list
  elements: dict
  contains:
    action:
      description: V(started), V(attached) or V(none), for this region.
      type: str
    image_id:
      description: The id of the copy in its region (null when it does not exist yet, as in check mode).
      type: str
    region:
      description: The destination region.
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
      description: Seconds from the start of the wait until this copy was ready, when it waited for it.
      type: float
    wait_outcome:
      description: V(succeeded), V(failed), V(not_found) or V(pending), when it waited for it.
      type: str
    predicted_end:
      description: When the copy was predicted to be ready (ISO 8601 UTC), or null, when it waited for it.
      type: str
images_by_region:
  description: The records of RV(images), by destination region.
  returned: always
  type: dict
msg:
  description: What was found and done in each region, and how the wait ended.
  returned: always
  type: str
wait_status:
  description: V(succeeded), V(failed), V(timed_out), V(error) or V(predicted_timeout), when it waited.
  returned: when it waited
  type: str
timed_out:
  description: Whether the wait ended at its timeout.
  returned: when it waited
  type: bool
elapsed:
  description: Seconds the wait took.
  returned: when it waited
  type: float
api_calls:
  description: Requests sent, retries included.
  returned: always
  type: int
diff:
  description: The copies before and after, by destination region, when C(--diff) asks for it.
  returned: with --diff
  type: dict
"""

from ansible_collections.alicloud.ecs.plugins.module_utils.wait_module import run_wait_module
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.image_copy import WAIT


def main():
    run_wait_module(WAIT)


if __name__ == "__main__":
    main()
