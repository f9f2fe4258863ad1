#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecs_task_info
short_description: Query Alibaba Cloud ECS asynchronous tasks
version_added: 0.1.0
description:
  - Reads ECS asynchronous tasks (created by C(ImportImage), C(ExportImage), C(ModifyDiskSpec), ...)
    with C(DescribeTasks), and with O(details=true) also C(DescribeTaskAttribute).
  - Ask by O(task_ids) (any number; 100 ids per API call, input order kept, duplicates folded,
    ids ECS does not know are returned under RV(missing)), or by filters
    (O(task_action), O(resource_ids), O(task_status), O(start_time), O(end_time)) with automatic paging.
  - Read-only; never reports a change. To block until tasks reach a state, use M(alicloud.ecs.ecs_task_wait).
author:
  - alicloud.ecs maintainers (@alicloud-ecs)
options:
  task_ids:
    description:
      - The task ids to read, for example V(t-bp1hvgwromzv32iq****). Any number; they are sent 100 per call.
      - Cannot be combined with the filters O(task_action), O(resource_ids), O(task_status), O(start_time), O(end_time).
    type: list
    elements: str
    aliases: [task_id]
  task_action:
    description:
      - Only tasks created by this API operation, for example V(ImportImage), V(ExportImage) or V(ModifyDiskSpec).
      - The upper snake case spelling (V(IMPORT_IMAGE)) is accepted too.
      - A name a typo away from an action known to start tasks (V(ImportImage), V(ExportImage), V(ModifyDiskSpec),
        V(RedeployInstance), V(ArchiveSnapshot)), such as V(ExportImages), fails before any call, naming the one meant.
        Any other name is searched as given, with a warning when no task matched.
    type: str
  task_status:
    description:
      - Only tasks in this state. ECS filters on these three states only.
    type: str
    choices: [Finished, Processing, Failed]
  start_time:
    description:
      - Only tasks created at or after this time. ISO 8601 with any offset
        (V(2026-11-23T10:00:00+08:00), V(2026-11-23T02:00:00Z), V(2026-11-23)), or relative to now
        (V(-2h), V(30m), V(2h ago), V(now)). Sent to ECS in UTC.
    type: str
  end_time:
    description:
      - Only tasks created at or before this time; same forms as O(start_time), which must not be after it.
    type: str
  resource_ids:
    description:
      - Only tasks working on these resources (image or disk ids; C(DescribeTasks) C(ResourceIds)), at most 100.
    type: list
    elements: str
  details:
    description:
      - Also read each task's attributes with C(DescribeTaskAttribute), one call per task, for progress, counts,
        operation progress with its error code and message, and related items (such as the OSS bucket and
        object of an exported image). Fetched with a small bounded concurrency.
    type: bool
    default: false
  max_results:
    description:
      - Return at most this many tasks. Paging stops as soon as it has them.
    type: int
  timeout:
    description:
      - Wall-clock limit for the whole query (paging, retries and O(details) included), as seconds or a
        duration such as V(90s), V(5m) or V(1h). Each answer is read against it, however slowly the
        endpoint sends; when it runs out the task fails with C(DeadlineExceeded) or the last call's error.
      - An endpoint that repeats a page of its search answer is reported as an invalid answer
        rather than paged for ever.
    type: raw
    default: 5m
extends_documentation_fragment:
  - alicloud.ecs.common
attributes:
  check_mode:
    support: full
    description: Read-only, so check mode runs the query as usual.
  diff_mode:
    support: none
    description: Nothing changes, so there is nothing to diff.
notes:
  - Part of the action group C(alicloud.ecs.ecs), so C(module_defaults) can set the connection options once.
  - "Runs on the target host like any module, with that host's credentials, environment and network; add
    C(delegate_to: localhost) to query from the controller."
seealso:
  - module: alicloud.ecs.ecs_task_wait
"""

EXAMPLES = r"""
- name: Read three tasks
  alicloud.ecs.ecs_task_info:
    region: cn-hangzhou
    task_ids:
      - t-bp1hvgwromzv32iq0001
      - t-bp1hvgwromzv32iq0002
      - t-bp1hvgwromzv32iq0003
  register: found

- name: Show the state of each
  ansible.builtin.debug:
    msg: "{{ found.tasks | items2dict(key_name='task_id', value_name='task_status') }}"

- name: Image exports that failed in the last day, with their errors
  alicloud.ecs.ecs_task_info:
    region: cn-hangzhou
    task_action: ExportImage
    task_status: Failed
    start_time: -1d
    details: true
  register: failed_exports

- name: Is an export of this image still running (to wait on it instead of starting another)?
  alicloud.ecs.ecs_task_info:
    region: cn-hangzhou
    task_action: ExportImage
    resource_ids: [m-bp1g7004ksh0oeuc0001]
  register: exports

- name: Its unfinished exports
  ansible.builtin.debug:
    msg: "{{ exports.tasks | selectattr('task_status', 'in', ['Waiting', 'Processing', 'Paused']) | map(attribute='task_id') | list }}"

- name: Where did an export put its file?
  alicloud.ecs.ecs_task_info:
    region: cn-hangzhou
    task_ids: [t-bp1hvgwromzv32iq0001]
    details: true
  register: export

- name: Print the OSS object
  ansible.builtin.debug:
    msg: "oss://{{ export.tasks[0].related_items.OSSBucket }}/{{ export.tasks[0].related_items.OSSObject }}"
"""

RETURN = r"""
tasks:
  description:
    - One record per task found, in the order of O(task_ids) (or as ECS lists them for filters).
    - Fields that need O(details=true) are V(null) (or empty) without it.
  returned: always
  type: list
  elements: dict
  contains:
    task_id:
      description: The task id.
      returned: always
      type: str
      sample: t-bp1hvgwromzv32iq0001
    task_action:
      description: The operation that created the task, in CamelCase.
      returned: always
      type: str
      sample: ExportImage
    task_status:
      description: V(Waiting), V(Processing), V(Paused), V(Finished), V(Failed) or V(Deleted) (a cancelled task).
      returned: always
      type: str
      sample: Finished
    progress:
      description: Percent done, 0 to 100; V(null) when unknown (a finished task without details is 100).
      returned: always
      type: int
      sample: 100
    creation_time:
      description: When the task was created, ISO 8601 UTC with seconds.
      returned: always
      type: str
      sample: "2015-11-23T02:13:00Z"
    finished_time:
      description: When the task ended, ISO 8601 UTC with seconds; V(null) while it runs.
      returned: always
      type: str
      sample: "2015-11-23T02:19:00Z"
    support_cancel:
      description: Whether C(CancelTask) can cancel the task.
      returned: always
      type: bool
      sample: true
    total_count:
      description: Number of operations in the task (with O(details)).
      returned: always
      type: int
      sample: 1
    success_count:
      description: Number of operations that succeeded (with O(details)).
      returned: always
      type: int
      sample: 1
    failed_count:
      description: Number of operations that failed (with O(details)).
      returned: always
      type: int
      sample: 0
    resource_id:
      description: The resource the task works on, when ECS says.
      returned: always
      type: str
      sample: m-bp1g7004ksh0oeuc****
    region:
      description: The region of the task.
      returned: always
      type: str
      sample: cn-hangzhou
    related_items:
      description:
        - What the task produced, name to value (with O(details)).
        - One value a name, the first one listed. An export of an image with data disks names one C(OSSObject)
          per disk, the system disk's first; RV(tasks[].related_item_values) has every one.
      returned: always
      type: dict
      sample: {"OSSBucket": "image-temp", "OSSObject": "MYOSSPRE_m-23f8tcp8y_t-23ym6mvro.vhd", "ImageFormat": "vhd"}
    related_item_values:
      description:
        - Every value of each related item name, in the order listed, without repeats (with O(details)); for an
          export of an image with data disks, C(OSSObject) lists the object of each disk, the system disk's first.
      returned: always
      type: dict
      sample: {"OSSBucket": ["image-temp"], "OSSObject": ["PRE_m-23f8tcp8y_system.raw.tar.gz", "PRE_m-23f8tcp8y_data1.raw.tar.gz"]}
    operation_progress:
      description: The task's operations as ECS lists them (with O(details)).
      returned: always
      type: list
      elements: dict
      contains:
        operation_status:
          description: V(Success) or V(Failed).
          returned: always
          type: str
        error_code:
          description: The operation's error code.
          returned: always
          type: str
        error_msg:
          description: The operation's error message.
          returned: always
          type: str
        related_items:
          description: The operation's related items, name to value.
          returned: always
          type: dict
    error_code:
      description: The error code of the first failed operation (with O(details)), else V(null).
      returned: always
      type: str
      sample: InvalidOSSBucket.NotFound
    error_msg:
      description: The error message of the first failed operation (with O(details)), else V(null).
      returned: always
      type: str
      sample: The specified OSS bucket does not exist.
tasks_by_id:
  description: The records of RV(tasks), by task id.
  returned: always
  type: dict
  sample: {"t-bp1hvgwromzv32iq0001": {"task_id": "t-bp1hvgwromzv32iq0001", "task_status": "Finished"}}
missing:
  description: The O(task_ids) ECS does not know (mistyped, in another region, or too new to be listed).
  returned: always
  type: list
  elements: str
  sample: [t-doesnotexist]
api_calls:
  description: How many API requests the query made, retries included.
  returned: always
  type: int
  sample: 2
error_code:
  description: The code of the API error the query failed with (for instance V(SignatureDoesNotMatch), V(InvalidRegionId.NotFound)).
  returned: when the query failed on an API error
  type: str
error_message:
  description: The message of that error, as the API gave it.
  returned: when the query failed on an API error
  type: str
request_id:
  description: The request id of the failed API call, for Alibaba Cloud support.
  returned: when the query failed on an API error
  type: str
http_status:
  description: The HTTP status of the failed API call (null for a transport failure).
  returned: when the query failed on an API error
  type: int
attempts:
  description: How many times the failed API call was tried.
  returned: when the query failed on an API error
  type: int
server_string_to_sign:
  description:
    - The string to sign the service computed, when it refused the signature (C(SignatureDoesNotMatch)).
      Compare it with your client's to find the difference. Kept here, once, instead of in the message.
  returned: when the query failed on C(SignatureDoesNotMatch)
  type: str
option:
  description: The option at fault, when the query was refused for bad input.
  returned: when an option was wrong
  type: str
"""

from ansible_collections.alicloud.ecs.plugins.module_utils.ansible_adapter import AlicloudModule
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.specs import INFO_MUTUALLY_EXCLUSIVE, info_argument_spec
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.info import prepare_info, run_info


def work(module):
    query = prepare_info(module.params)
    result = run_info(query, module.client())
    result["changed"] = False
    return result


def main():
    module = AlicloudModule(info_argument_spec(), "alicloud.ecs.ecs_task_info", supports_check_mode=True,
                            mutually_exclusive=INFO_MUTUALLY_EXCLUSIVE)
    module.run(work)


if __name__ == "__main__":
    main()
