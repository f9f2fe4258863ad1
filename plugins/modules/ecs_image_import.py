#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecs_image_import
short_description: Import an image file from OSS as an Alibaba Cloud ECS custom image, once, and wait until it is usable
version_added: 0.3.0
description:
  - Makes the custom image O(image_name) in O(region) from the image file O(oss_object) in the bucket O(oss_bucket)
    (C(ImportImage)), the way Terraform applies a resource. The name is the identity, so C(ImportImage) is called
    only when the account has no image of that name in the region.
  - "First it looks (C(DescribeImages), the account's own images, every status). An image of the name that is
    V(Available) and usable means there is nothing to do (RV(action=none), not changed). One being made
    (V(Creating), V(Waiting), or V(Available) but not yet usable) is attached to (RV(action=attached), changed),
    with its C(ImportImage) task when C(DescribeTasks) lists it. Only without any image of the name is
    C(ImportImage) called (RV(action=started)). A name held only by an image that failed (V(CreateFailed),
    V(UnAvailable)) fails at once: delete that image or choose another name."
  - So a second run changes nothing, and a run killed after its C(ImportImage) call and run again attaches to the
    image the first run started instead of importing it twice. ECS takes no client token for C(ImportImage); the
    guide docs/after-a-restart.md says what window is left.
  - With O(wait) (the default) it then waits until the image is V(Available) and usable, on its task and the
    image as M(alicloud.ecs.ecs_task_wait) does with O(alicloud.ecs.ecs_task_wait#module:wait_for=product), with
    the same progress lines; a task that fails, or an image that ends V(CreateFailed), fails the module at once.
  - Runs where the task runs (on the controller for a local connection, otherwise on the target), as
    M(alicloud.ecs.ecs_task_wait) does.
author:
  - alicloud.ecs maintainers (@alicloud-ecs)
options:
  image_name:
    description:
      - The name of the image, which identifies it in O(region) (2 to 128 characters, a letter first).
    type: str
    required: true
  oss_bucket:
    description:
      - The OSS bucket that holds the image file, in O(region).
    type: str
    required: true
  oss_object:
    description:
      - The key of the image file in O(oss_bucket).
    type: str
    required: true
  format:
    description:
      - The format of the image file, in any case (V(RAW), V(VHD), V(QCOW2)). Without it ECS detects the format.
    type: str
  disk_image_size:
    description:
      - The size in GiB of the system disk made from the file (C(DiskDeviceMapping.1.DiskImageSize)).
    type: int
  architecture:
    description:
      - V(x86_64), V(i386) or V(arm64), in any case. ECS defaults to V(x86_64).
    type: str
  platform:
    description:
      - The operating system distribution, as ECS names it (V(Ubuntu), V(CentOS), V(Aliyun), V(Others Linux)...).
    type: str
  os_type:
    description:
      - V(linux) or V(windows), in any case.
    type: str
  boot_mode:
    description:
      - V(BIOS), V(UEFI) or V(UEFI-Preferred), in any case.
    type: str
  license_type:
    description:
      - V(Auto), V(Aliyun) or V(BYOL), in any case.
    type: str
  description:
    description:
      - The image's description.
    type: str
  role_name:
    description:
      - The RAM role ECS assumes to read the bucket. Without it ECS uses C(AliyunECSImageImportDefaultRole), which
        must exist (the message of C(NoSetRoletoECSServiceAcount) says how to make it).
    type: str
extends_documentation_fragment:
  - alicloud.ecs.common
  - alicloud.ecs.timing
  - alicloud.ecs.start
attributes:
  check_mode:
    support: full
    description:
      - Looks as usual, then sends C(ImportImage) with C(DryRun=true) when it would start one, which checks the
        parameters and the RAM permission and creates nothing; RV(changed) and RV(action) say what a real run
        would do. It does not wait.
  diff_mode:
    support: full
    description: RV(diff) shows the image before (none, or its status) and after.
  async:
    support: full
    description: With C(async) it runs as a plain module (no progress lines), so C(async_status) works.
notes:
  - Part of the action group C(alicloud.ecs.ecs), so C(module_defaults) can set the connection options once.
  - The account's own images only count (C(ImageOwnerAlias=self)); an image shared with the account under the
    same name makes C(ImportImage) answer C(InvalidImageName.Duplicated), which the message explains.
  - Errors of the service are explained with their fix, among them C(NoSetRoletoECSServiceAcount) (the RAM role ECS
    needs to read OSS), C(InvalidOSSObject.NotFound) (no such object in the region) and
    C(InvalidImageFormat.Malformed).
seealso:
  - module: alicloud.ecs.ecs_image_export
  - module: alicloud.ecs.ecs_image_wait
  - module: alicloud.ecs.ecs_task_wait
"""

EXAMPLES = r"""
- name: Import an image file once, and wait until the image is usable
  alicloud.ecs.ecs_image_import:
    region: cn-hangzhou
    image_name: web-2026-12
    oss_bucket: builds-hangzhou
    oss_object: images/web-2026-12.qcow2
    format: qcow2
    platform: Ubuntu
    timeout: 1h
  register: imported

- name: Start the import and go on; wait for its task later
  alicloud.ecs.ecs_image_import:
    region: cn-hangzhou
    image_name: web-2026-12-raw
    oss_bucket: builds-hangzhou
    oss_object: images/web-2026-12.raw
    format: RAW
    wait: false
  register: started

- name: Wait for it where convenient (no task when an earlier run had imported it already)
  alicloud.ecs.ecs_task_wait:
    region: cn-hangzhou
    task_ids: ["{{ started.task_id }}"]
    wait_for: product
  when: started.task_id is not none
"""

RETURN = r"""
action:
  description:
    - V(started) (this run called C(ImportImage)), V(attached) (an image of the name was being made; this run waited
      for it) or V(none) (the image exists and is usable).
    - In check mode, what a real run would do.
  returned: always
  type: str
  sample: started
changed:
  description: True when this run started the import or attached to one still in progress.
  returned: always
  type: bool
task_id:
  description: The C(ImportImage) task started or attached to; null when there is none (V(none), or an image being
    made whose task C(DescribeTasks) does not list).
  returned: always
  type: str
  sample: t-bp1hvgwromzv32iq0001
image_id:
  description: The id of the image (null when it does not exist yet, as in check mode).
  returned: always
  type: str
  sample: m-bp1g7004ksh0oeuc0001
image:
  description: The image as M(alicloud.ecs.ecs_image_wait) returns it, when known.
  returned: always
  type: dict
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
  description: The image before and after, when C(--diff) asks for it.
  returned: with --diff
  type: dict
"""

from ansible_collections.alicloud.ecs.plugins.module_utils.wait_module import run_wait_module
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.image_import import WAIT


def main():
    run_wait_module(WAIT)


if __name__ == "__main__":
    main()
