#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecs_image_export
short_description: Export an Alibaba Cloud ECS custom image to OSS, once, and wait until its files are there
version_added: 0.3.0
description:
  - "Writes the image O(image_id) of O(region) to the bucket O(oss_bucket) (C(ExportImage)), the way Terraform applies
    a resource. An export is the image, the bucket, the prefix and the format: C(ExportImage) is called only when no
    such export is running or finished with its files still in the bucket."
  - First it looks (C(DescribeImages), then C(DescribeTasks) and C(DescribeTaskAttribute) of the image's
    C(ExportImage) tasks, the newest 20, and C(HeadObject) of the files of a finished one). Such an export running
    is attached to (RV(action=attached), changed); finished with every file it wrote still in the bucket and not
    empty, there is nothing to do (RV(action=none), not changed). Otherwise (none yet, its files deleted, or it
    failed) C(ExportImage) is called (RV(action=started)).
  - An export is recognised by its task's related items (C(OSSBucket), C(ImageFormat)) and the names of its files,
    which ECS makes from the prefix and the image id (C(<prefix>_<image id>...), or C(<image id>...) without a
    prefix).
  - "Refused before any start, with the fix, as C(ExportImage) would refuse them: an image the region does not hold,
    an image not V(Available), another export of the image still running."
  - So a second run changes nothing, and a run killed after its C(ExportImage) call and run again attaches to the
    export the first run started. ECS takes no client token for C(ExportImage); the guide
    docs/after-a-restart.md says what window is left.
  - With O(wait) (the default) it then waits until the task finished and every file it names is in the bucket with
    a size above 0 (C(HeadObject), signed with the same credentials), as M(alicloud.ecs.ecs_task_wait) does with
    O(alicloud.ecs.ecs_task_wait#module:wait_for=product), with the same progress lines.
  - Runs where the task runs (on the controller for a local connection, otherwise on the target), as
    M(alicloud.ecs.ecs_task_wait) does.
author:
  - alicloud.ecs maintainers (@alicloud-ecs)
options:
  image_id:
    description:
      - The custom image to export, in O(region).
    type: str
    required: true
  oss_bucket:
    description:
      - The OSS bucket to write to, in O(region).
    type: str
    required: true
  oss_prefix:
    description:
      - The prefix of the files' names (1 to 30 letters or digits); ECS adds C(_), the image id and more.
    type: str
  image_format:
    description:
      - The format of the files, in any case (V(raw), V(vhd), V(qcow2), V(vmdk), V(vdi)). Some regions write
        V(raw) whatever is asked (the C(ExportImage) page lists the others).
    type: str
    default: raw
  role_name:
    description:
      - The RAM role ECS assumes to write to the bucket. Without it ECS uses C(AliyunECSImageExportDefaultRole),
        which must exist (the message of C(NoSetRoletoECSServiceAcount) says how to make it).
    type: str
extends_documentation_fragment:
  - alicloud.ecs.common
  - alicloud.ecs.timing
  - alicloud.ecs.start
attributes:
  check_mode:
    support: full
    description:
      - Looks as usual, then sends C(ExportImage) with C(DryRun=true) when it would start one, which checks the
        parameters and the RAM permission and creates nothing; RV(changed) and RV(action) say what a real run
        would do. It does not wait.
  diff_mode:
    support: full
    description: RV(diff) lists the export's files in the bucket before and after.
  async:
    support: full
    description: With C(async) it runs as a plain module (no progress lines), so C(async_status) works.
notes:
  - Part of the action group C(alicloud.ecs.ecs), so C(module_defaults) can set the connection options once.
  - The credentials need C(oss:GetObject) on the files (C(HeadObject)) for the look-up of a finished export and for
    the wait.
seealso:
  - module: alicloud.ecs.ecs_image_import
  - module: alicloud.ecs.ecs_task_wait
"""

EXAMPLES = r"""
- name: Export an image to OSS once, and wait until its file is there
  alicloud.ecs.ecs_image_export:
    region: cn-hangzhou
    image_id: m-bp1g7004ksh0oeuc0002
    oss_bucket: exports-hangzhou
    oss_prefix: web
    image_format: qcow2
    timeout: 2h
  register: exported

- name: Where the file went
  ansible.builtin.debug:
    msg: "oss://{{ exported.objects[0].bucket }}/{{ exported.objects[0].key }} ({{ exported.objects[0].size }} bytes)"
"""

RETURN = r"""
action:
  description:
    - V(started) (this run called C(ExportImage)), V(attached) (the same export was running; this run waited for it)
      or V(none) (it finished and its files are in the bucket).
    - In check mode, what a real run would do.
  returned: always
  type: str
  sample: started
changed:
  description: True when this run started the export or attached to one still running.
  returned: always
  type: bool
task_id:
  description: The C(ExportImage) task started or attached to; null when nothing runs (V(none)).
  returned: always
  type: str
  sample: t-bp1hvgwromzv32iq0001
image_id:
  description: The image exported.
  returned: always
  type: str
objects:
  description: The files the export wrote, when known (after the wait, or of the finished export found).
  returned: always
  type: list
  elements: dict
  contains:
    bucket:
      description: The bucket.
      type: str
    key:
      description: The file's key.
      type: str
      sample: web_m-bp1g7004ksh0oeuc0001_system.qcow2
    size:
      description: Its size in bytes, when read.
      type: int
task:
  description:
    - The export's task as M(alicloud.ecs.ecs_task_wait) returns it (with C(products), the files), or the finished
      export found (V(none)); null when not known (O(wait=false)).
  returned: always
  type: dict
image:
  description: The image, as M(alicloud.ecs.ecs_image_wait) returns it (without the wait's fields), when found.
  returned: always
  type: dict
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
  description: The export's files in the bucket before and after, when C(--diff) asks for it.
  returned: with --diff
  type: dict
"""

from ansible_collections.alicloud.ecs.plugins.module_utils.wait_module import run_wait_module
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.image_export import WAIT


def main():
    run_wait_module(WAIT)


if __name__ == "__main__":
    main()
