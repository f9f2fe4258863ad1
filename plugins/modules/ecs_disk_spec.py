#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecs_disk_spec
short_description: Give an Alibaba Cloud ECS disk a category and performance level, once, and wait until it shows them
version_added: 0.3.0
description:
  - Makes the disk O(disk_id) of O(region) of the category O(disk_category) and the performance level
    O(performance_level) (C(ModifyDiskSpec)), the way Terraform applies a resource. The disk's own category and
    level are the identity, so C(ModifyDiskSpec) is called only when the disk does not show them.
  - First it looks (C(DescribeDisks)). A disk that shows what is asked for and is not V(Modifying) means nothing to
    do (RV(action=none), not changed). A disk that is V(Modifying), or whose C(ModifyDiskSpec) task
    C(DescribeTasks) lists as running, is attached to (RV(action=attached), changed), with that task. Otherwise
    C(ModifyDiskSpec) is called with what changes (RV(action=started)).
  - So a second run changes nothing, and a run killed after its C(ModifyDiskSpec) call and run again attaches to
    the change the first run started instead of sending it twice. ECS takes no client token for C(ModifyDiskSpec);
    the guide docs/after-a-restart.md says what window is left.
  - With O(wait) (the default) it then waits until the disk is no longer V(Modifying) and shows the category and
    level asked for (a disk can show its old category for a while after its task ended). A change of category has
    a task, waited on first as M(alicloud.ecs.ecs_task_wait) does with
    O(alicloud.ecs.ecs_task_wait#module:wait_for=product), so a failed conversion fails the module at once; a change
    of the performance level alone has none, and the disk is waited on as M(alicloud.ecs.ecs_disk_wait) does.
  - While ECS refuses another change of the disk for now (C(DiskInCoolingPeriod)) or too many run at once
    (C(Throttling.ConcurrentLimitExceeded)), the call is sent again with a growing pause until O(timeout) would
    pass; the service did nothing on those answers, so nothing is sent twice.
  - Runs where the task runs (on the controller for a local connection, otherwise on the target), as
    M(alicloud.ecs.ecs_task_wait) does.
author:
  - alicloud.ecs maintainers (@alicloud-ecs)
options:
  disk_id:
    description:
      - The disk, in O(region).
    type: str
    required: true
  disk_category:
    description:
      - The category the disk must have, in any case and with C(-) or C(_) (V(cloud_essd), V(cloud_auto),
        V(cloud_ssd), V(cloud_essd_entry), V(cloud_efficiency)); a typo fails before any call, naming the category
        meant.
      - Without it the disk keeps its category (give O(performance_level)).
    type: str
  performance_level:
    description:
      - The performance level the disk must have, V(PL0) to V(PL3) in any case; for V(cloud_essd) disks only.
      - Without it a disk's level is not looked at; a disk converted to V(cloud_essd) gets the level ECS gives by
        default (V(PL1)).
    type: str
extends_documentation_fragment:
  - alicloud.ecs.common
  - alicloud.ecs.timing
  - alicloud.ecs.start
attributes:
  check_mode:
    support: full
    description:
      - Looks as usual, then sends C(ModifyDiskSpec) with C(DryRun=true) when it would change the disk, which
        checks the parameters and the RAM permission and changes nothing; RV(changed) and RV(action) say what a
        real run would do. It does not wait.
  diff_mode:
    support: full
    description: RV(diff) shows the disk's category and level before and after.
  async:
    support: full
    description: With C(async) it runs as a plain module (no progress lines), so C(async_status) works.
notes:
  - Part of the action group C(alicloud.ecs.ecs), so C(module_defaults) can set the connection options once.
  - A disk that is V(Modifying) towards another category or level than the one asked for is attached to all the
    same (what it will become cannot be read); the wait then ends at O(timeout), naming what the disk shows. Run
    again once that change is over to start this one.
  - Errors of the service are explained with their fix, among them C(InvalidDiskId.NotFound), C(DiskInCoolingPeriod)
    and C(InvalidStatus.DiskNotReady); C(NoChangeInDiskCategoryAndPerformanceLevel) means there is nothing to do
    (V(none)).
seealso:
  - module: alicloud.ecs.ecs_disk_wait
  - module: alicloud.ecs.ecs_task_wait
"""

EXAMPLES = r"""
- name: Convert a disk to an enterprise SSD at PL1, once, and wait until it shows it
  alicloud.ecs.ecs_disk_spec:
    region: cn-hangzhou
    disk_id: d-bp1g7004ksh0oeuc0001
    disk_category: cloud_essd
    performance_level: PL1
    timeout: 1h
  register: converted

- name: What was done
  ansible.builtin.debug:
    msg: "{{ converted.action }}: {{ converted.disk.disk_id }} is {{ converted.disk.category }} {{ converted.disk.performance_level }}"

- name: Raise its performance level later (no task; the disk is waited on)
  alicloud.ecs.ecs_disk_spec:
    region: cn-hangzhou
    disk_id: d-bp1g7004ksh0oeuc0001
    performance_level: pl2
"""

RETURN = r"""
action:
  description:
    - V(started) (this run called C(ModifyDiskSpec)), V(attached) (the disk was being changed; this run waited for
      it) or V(none) (the disk shows what was asked for).
    - In check mode, what a real run would do.
  returned: always
  type: str
  sample: started
changed:
  description: True when this run started a change or attached to one still in progress.
  returned: always
  type: bool
task_id:
  description: The C(ModifyDiskSpec) task started or attached to; null when there is none (V(none), a change of the
    performance level alone, or a change whose task C(DescribeTasks) does not list).
  returned: always
  type: str
  sample: t-bp1hvgwromzv32iq0001
disk:
  description: The disk as M(alicloud.ecs.ecs_disk_wait) returns it (after the wait, when it waited; as found,
    otherwise). Null when the region has no such disk.
  returned: always
  type: dict
  contains:
    disk_id:
      description: The disk id.
      type: str
    region:
      description: Its region.
      type: str
    category:
      description: The category it shows.
      type: str
      sample: cloud_essd
    performance_level:
      description: The performance level it shows (null for categories without one).
      type: str
      sample: PL1
    status:
      description: Its C(Status), V(Modifying) while a change goes on.
      type: str
    size:
      description: Its size in GiB.
      type: int
    zone_id:
      description: Its zone.
      type: str
    instance_id:
      description: The instance it is attached to (null when detached).
      type: str
    disk_name:
      description: Its name.
      type: str
    type:
      description: V(system) or V(data).
      type: str
    elapsed:
      description: Seconds from the start of the wait until it settled, when it waited.
      type: float
    wait_outcome:
      description: V(succeeded), V(failed), V(not_found) or V(pending), when it waited.
      type: str
    predicted_end:
      description: When the task (or the change) was predicted to end (ISO 8601 UTC), or null, when it waited.
      type: str
msg:
  description: What was found and done, and how the wait ended.
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
  description: The disk's category and performance level before and after, when C(--diff) asks for it.
  returned: with --diff
  type: dict
"""

from ansible_collections.alicloud.ecs.plugins.module_utils.wait_module import run_wait_module
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.disk_spec import WAIT


def main():
    run_wait_module(WAIT)


if __name__ == "__main__":
    main()
