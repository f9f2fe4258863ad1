#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecs_disk_wait
short_description: Wait until Alibaba Cloud ECS disks have settled into a category and performance level
version_added: 0.3.0
description:
  - Waits until disks are no longer V(Modifying) and are of the category (O(disk_category)), performance level
    (O(performance_level)) and JMESPath O(condition) asked for, or times out with a message naming what each disk
    still shows.
  - A C(ModifyDiskSpec) of the performance level alone returns no task id, so only the disk can be waited on; and
    during a category change a disk can show V(Modifying), then its old category for a while after its task ended
    (terraform-provider-alicloud PR 10303, bosh-alicloud-cpi issues 224 and 230).
  - One C(DescribeDisks) call per poll for up to 100 disks; disks that are ready are not read again.
  - Runs where the task runs and prints progress lines while it waits, as M(alicloud.ecs.ecs_task_wait) does.
author:
  - alicloud.ecs maintainers (@alicloud-ecs)
requirements:
  - jmespath (for O(condition))
options:
  disk_ids:
    description:
      - Ids of the disks in O(region) to wait for.
    type: list
    elements: str
    aliases: [disk_id]
  disk_category:
    description:
      - The category each disk must show, for example V(cloud_essd) (V(cloud_auto), V(cloud_ssd),
        V(cloud_essd_entry), V(cloud_efficiency), V(cloud)). Case and separators do not matter; a typo fails before
        any call, naming the category meant.
    type: str
  performance_level:
    description:
      - The performance level each disk must show, V(PL0) to V(PL3) (of a V(cloud_essd) disk).
    type: str
  condition:
    description:
      - A JMESPath expression over the C(DescribeDisks) C(Disk) that must also hold, for example
        V(Size >= `100`).
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
  - module: alicloud.ecs.ecs_image_wait
"""

EXAMPLES = r"""
- name: Wait until a disk changed to ESSD PL1 has settled
  alicloud.ecs.ecs_disk_wait:
    region: cn-hangzhou
    disk_ids: [d-bp1g7004ksh0oeuc0001]
    disk_category: cloud_essd
    performance_level: PL1
    timeout: 1h
"""

RETURN = r"""
disks:
  description: One record per disk, in the order of O(disk_ids).
  returned: always
  type: list
  elements: dict
  contains:
    disk_id:
      description: The disk id.
      type: str
    region:
      description: Its region.
      type: str
    category:
      description: The category it shows now.
      type: str
      sample: cloud_essd
    performance_level:
      description: The performance level it shows now (null for categories without one).
      type: str
    status:
      description: Its C(Status), V(Modifying) while a change goes on.
      type: str
    size:
      description: Its size in GiB.
      type: int
    elapsed:
      description: Seconds from the start of the wait until this disk was decided (or the whole wait).
      type: float
    zone_id:
      description: Its zone.
      type: str
    instance_id:
      description: The instance it is attached to, or null.
      type: str
    disk_name:
      description: Its name, or null.
      type: str
    type:
      description: V(system) or V(data).
      type: str
    predicted_end:
      description: Always null (a disk sends no progress to predict from); kept for the same keys as the other waits.
      type: str
    wait_outcome:
      description: V(succeeded), V(failed), V(not_found) or V(pending).
      type: str
    error_code:
      description: V(InvalidDiskId.NotFound) for a disk never found.
      returned: when the disk was never found
      type: str
    error_msg:
      description: Where it was looked for, and how many times.
      returned: when the disk was never found
      type: str
disks_by_id:
  description: The records of RV(disks), by disk id.
  returned: always
  type: dict
succeeded:
  description: Ids of the disks that settled as asked.
  returned: always
  type: list
  elements: str
failed_disk_ids:
  description: Ids of the disks never found.
  returned: always
  type: list
  elements: str
pending:
  description: Ids of the disks not settled when the wait ended.
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
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.disk_wait import WAIT


def main():
    run_wait_module(WAIT)


if __name__ == "__main__":
    main()
