#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ecs_task_wait
short_description: Wait until Alibaba Cloud ECS asynchronous tasks reach a state
version_added: 0.1.0
description:
  - Declare the state ECS asynchronous tasks (image import and export, disk-spec changes, ...)
    must reach; the task blocks until they do, fails fast when one fails (with the task's own
    error code and message), or times out with a message that says what was still pending.
  - Whatever the ending, the result holds everything learned, so C(register) with
    C(ignore_errors) or C(failed_when) can act on it; finished tasks come with their related
    items (for an export, the OSS bucket and object).
  - Waits on the tasks of O(task_ids), or on those a search by O(task_action), O(resource_ids), O(task_status),
    O(start_time) and O(end_time) finds at the first poll (to re-attach after a restart, when the task id is lost).
  - Polls all pending tasks with C(DescribeTasks), 100 per call, and reads
    C(DescribeTaskAttribute) once per task when it ends (see O(details)); throttling, 5xx answers and reset
    connections are retried inside the timeout and never end the wait; bad credentials or an
    unknown region end it at once.
  - "Runs where the task runs, like any module: on the target host, with that host's credentials,
    environment, network and C(become); on the controller when the connection is local (C(hosts: localhost),
    C(connection: local), C(delegate_to: localhost)) and C(become) does not change the user."
  - "Either way it prints progress lines while it waits, at least one every O(display_interval), and a closing line
    that says how it ended (succeeded, failed, timed out, error). With C(async) it runs as a plain module, so
    C(async_status) works. A progress line reads:"
  # Plain text: C() ends at the first closing parenthesis, which cut this line short in ansible-doc and on the site.
  - "[builder1] ecs_task_wait: 2/5 succeeded, 3 pending (Processing), slowest at 40%, ETA 3m20s [1m10s elapsed]"
  - When the tasks' progress says they cannot end before O(timeout), a warning says so at once
    (C(task t-... is predicted to end in 2h10m, after the timeout of 1h)); see O(on_predicted_timeout).
author:
  - alicloud.ecs maintainers (@alicloud-ecs)
requirements:
  - jmespath (for O(success_condition) and O(failure_condition))
options:
  task_ids:
    description:
      - The ids of the tasks to wait for.
      - Give O(task_ids), the filters O(task_action), O(resource_ids), O(task_status), O(start_time) and O(end_time)
        (the tasks they find at the first poll are waited on), or both (the ids and the tasks found).
    type: list
    elements: str
    aliases: [task_id]
  task_action:
    description:
      - Search filter. Wait on the tasks created by this API operation, for example V(ExportImage) or
        V(ImportImage) (V(EXPORT_IMAGE) is accepted too), as in M(alicloud.ecs.ecs_task_info); a typo of an action known
        to start tasks (V(ExportImages)) fails before any call, naming the one meant.
      - "The search (C(DescribeTasks) with all filters given, every page) runs at the first poll. When it finds
        nothing it is repeated on the poll schedule, up to O(not_found_checks) times more (a task just created
        can be invisible for a moment), then the wait fails with a message naming the filters, the region and
        the creation times searched. Its polls count toward O(timeout)."
      - The tasks found are then waited on as if their ids had been given, together with O(task_ids) when given
        (the search must find a task either way); tasks created after the search are not added. Each record says
        in RV(tasks[].found_by) what selected it.
      - To re-attach to a task after a restart, search for the unfinished task of that action on that resource,
        for example O(task_action=ExportImage), O(resource_ids=[m-...]), O(task_status=[Waiting, Processing, Paused]).
    type: str
  resource_ids:
    description:
      - Search filter (see O(task_action)). Wait on the tasks working on these resources (image or disk ids;
        C(DescribeTasks) C(ResourceIds)), at most 100.
    type: list
    elements: str
  task_status:
    description:
      - Search filter (see O(task_action)). Wait on the tasks found in one of these states at the first poll.
      - C(DescribeTasks) filters on one of V(Finished), V(Processing) or V(Failed) only; for a list of states or
        any other state the search asks without a state filter and keeps the tasks in the listed states.
      - This only selects tasks; which states end the wait is O(target_states) and O(failure_states).
    type: list
    elements: str
    choices: [Waiting, Processing, Paused, Finished, Failed, Deleted]
  start_time:
    description:
      - Search filter (see O(task_action)). Only tasks created at or after this time. ISO 8601 with any offset
        (V(2026-11-23T10:00:00+08:00), V(2026-11-23)), or relative to now (V(-2h), V(30m), V(2h ago), V(now)).
    type: str
  end_time:
    description:
      - Search filter (see O(task_action)). Only tasks created at or before this time; same forms as O(start_time).
    type: str
  target_states:
    description:
      - A task has succeeded once it is in one of these states (or O(success_condition) is true).
    type: list
    elements: str
    default: [Finished]
  failure_states:
    description:
      - A task has failed once it is in one of these states (or O(failure_condition) is true).
        V(Deleted) is what a cancelled task shows.
    type: list
    elements: str
    default: [Failed, Deleted]
  pending_states:
    description:
      - States in which to keep waiting. When given, a state in none of O(target_states),
        O(failure_states) and O(pending_states) fails the task as unexpected (strict).
      - When not given, V(Waiting), V(Processing), V(Paused) and V(Pending) (older API metadata) are pending and an unknown state
        keeps the wait going with a warning (lenient), since ECS may add states.
      - Either way, a task in an end state (V(Finished), V(Failed), V(Deleted)) that none of the three
        lists names fails at once, since it can never change again (for instance a misspelt target state).
    type: list
    elements: str
  success_condition:
    description:
      - A JMESPath expression over the task's API answer (the fields of C(DescribeTasks), plus those
        of C(DescribeTaskAttribute) when the expression names them, such as C(TaskProcess)). The
        task succeeds when it is true (not null, false or empty).
      - Besides JMESPath's own functions, a condition can call V(percent(value\)), which gives the whole number
        in a percentage. For example V(percent(TaskProcess\)) is V(45) when C(TaskProcess) is V(45%), and null
        when the field is absent or not a percentage; so V(percent(TaskProcess\) >= `50`) is true once the task
        is half done.
      - Checked before the first call, including the names of the functions it calls. Naming a field only
        C(DescribeTaskAttribute) has costs one call per pending task per poll.
      - At most 100 levels deep, which is checked before the first call; one evaluation handles at most
        250000 items (values built out of whole answers, or copied over and over, go past that within
        milliseconds), after which the condition is false for the rest of the wait, with a warning.
    type: str
  failure_condition:
    description:
      - A JMESPath expression like O(success_condition); the task fails when it is true. Checked first.
    type: str
  mode:
    description:
      - V(all) waits for every task to succeed and, with O(fail_on_failure), stops at the first failure.
      - V(any) stops as soon as one task succeeds, and fails only when all have failed.
    type: str
    choices: [all, any]
    default: all
  timeout:
    description:
      - How long to wait at most, in seconds or as a duration (V(90s), V(20m), V(1h30m)).
    type: raw
    default: 30m
  delay:
    description:
      - Wait this long before the first poll (seconds or a duration).
    type: raw
    default: 0
  min_interval:
    description:
      - The shortest time between two polls (seconds or a duration). Defaults to 1s.
      - Between O(min_interval) and O(max_interval) the interval grows with the time waited
        (O(backoff_factor) of it, with jitter), so a short task is seen to end quickly and a long
        one costs few calls.
      - When the progress of every task still waited for is read each poll (one task left, or a condition on a
        field only DescribeTaskAttribute returns), a task whose progress moves gets a predicted end from its rate
        and the interval is half the time left to it, still between O(min_interval) and O(max_interval), so there are few
        polls while the end is far, dense near it. A prediction that passes without the task ending (a task stuck
        at 99%) is dropped for the rest of the wait.
    type: raw
  max_interval:
    description:
      - The longest time between two polls (seconds or a duration), so also the longest a task's end
        can go unnoticed, whatever its progress predicts. Defaults to 30s.
    type: raw
  poll_interval:
    description:
      - Poll at this fixed interval instead (seconds or a duration). Cannot be combined with
        O(min_interval) or O(max_interval).
    type: raw
  backoff_factor:
    description:
      - The interval between polls as a fraction of the time waited so far, kept between
        O(min_interval) and O(max_interval). 0.1 keeps the delay in noticing a task's end near
        10% of its age. Defaults to 0.1.
      - Used whenever no prediction from the task's progress applies (see O(min_interval)).
      - Cannot be combined with O(poll_interval).
    type: float
  continuous_target_occurrence:
    description:
      - How many polls in a row must see a task succeed before it counts, for eventually consistent reads.
    type: int
    default: 1
  not_found_checks:
    description:
      - How many polls in a row may not find a task (a new task can be invisible for a moment)
        before it fails as not found.
    type: int
    default: 20
  progress_interval:
    description:
      - With several tasks pending, how often to read the progress of the slowest one (one extra
        call each time) for the progress lines; V(0) turns it off.
    type: raw
    default: 60s
  display_interval:
    description:
      - How often a progress line is printed when nothing changes (a line is printed at once when
        tasks end or change state); V(0) prints only on change. The wait wakes between polls to print,
        so lines keep this cadence however far apart the polls are. Not used under C(async).
    type: raw
    default: 10s
  fail_on_failure:
    description:
      - Whether a failed task fails this task. With V(false) the wait goes on for the others and the
        result lists the failed ones under RV(failed_task_ids).
    type: bool
    default: true
  details:
    description:
      - Which tasks that ended get their C(DescribeTaskAttribute) read, for their related items (for an
        export, the OSS bucket and object), progress and their own error code and message.
      - V(all) reads it for every task that ended, V(failed) only for the failed ones (their error is
        what says why), V(none) never; the records of the others then carry the C(DescribeTasks) fields
        only (RV(tasks[].related_items) empty, RV(tasks[].error_code) and RV(tasks[].progress) null).
      - The cost is one call per task at the end, so with many tasks that succeed V(failed) saves
        nearly half the calls of a wait. A single task polled alone, or a condition on a
        C(DescribeTaskAttribute) field, reads it anyway.
    type: str
    choices: [all, failed, none]
    default: all
  cancel_on_timeout:
    description:
      - On timeout, cancel (C(CancelTask)) the tasks still V(Waiting), V(Processing), V(Paused) or V(Pending) that ECS
        says can be cancelled. The result lists them under RV(cancelled) and reports a change. In check mode
        nothing is cancelled and RV(would_cancel) says what would be.
    type: bool
    default: false
  on_predicted_timeout:
    description:
      - What to do when the tasks' progress predicts that the wait cannot end before O(timeout), that is when
        the earliest end their progress allows comes after it (in mode V(all) for one task, in mode V(any)
        for every task still waited for), even if the progress keeps speeding up as it has.
      - Only steady progress is judged, read at least 3 times rising over at least 5 points; never progress that
        came in steps, stood still since it last rose, or slowed down (it may speed up again), so a wait that
        would end in time is not stopped.
      - V(warn) says so at once, in a progress line and in the result's warnings, and keeps waiting.
      - V(fail) stops waiting at once and fails, with RV(wait_status) V(predicted_timeout) and
        RV(error_code) V(PredictedTimeout), instead of holding a CI runner until the timeout. Nothing is
        cancelled, whatever O(cancel_on_timeout) says.
    type: str
    choices: [warn, fail]
    default: warn
  wait_for:
    description:
      - V(task) waits for the tasks' own states, as above.
      - V(product) goes on, once a task reached a target state, until what it produced is ready, on the same clock
        (O(timeout)), with the same progress lines and fail-fast rules. An C(ImportImage) task's image (its
        C(ResourceId)) must be C(Available) with C(Usable) not false; an C(ExportImage) task's OSS objects (every
        C(OSSObject) of its related items, one per disk) must exist with a size above 0 (C(HeadObject), signed with
        the same credentials; see O(oss_endpoint)); a C(ModifyDiskSpec) task's disk (its C(ResourceId)) must not be
        C(Modifying). Other actions produce nothing to check; their end is the end, with a warning.
      - An image that is C(CreateFailed) or C(UnAvailable) fails its task at once, naming that status; a product
        that never becomes ready (an object that never appears) keeps the wait going until O(timeout), whose
        message names it. Each record's RV(tasks[].products) says what was checked.
      - Images and disks are read 100 per C(DescribeImages) / C(DescribeDisks) call per region; each object with
        one C(HeadObject) per poll from its task's end until it is ready, never again after.
    type: str
    choices: [task, product]
    default: task
  product_condition:
    description:
      - With O(wait_for=product), a JMESPath expression that must also hold for each product to be ready. It reads
        the product's own answer, the C(DescribeImages) C(Image), the C(DescribeDisks) C(Disk) (for example
        V(Category == 'cloud_essd'), since a disk can report its old category for a while), or for an OSS object
        the fields C(Bucket), C(Key), C(ContentLength), C(ETag) and C(LastModified).
    type: str
extends_documentation_fragment:
  - alicloud.ecs.common
attributes:
  check_mode:
    support: full
    description: Waits as usual; only O(cancel_on_timeout) is not carried out.
  diff_mode:
    support: none
    description: Nothing to diff.
  async:
    support: full
    description: With C(async) the wait runs as a plain module (no progress lines), so C(async_status) works.
notes:
  - Part of the action group C(alicloud.ecs.ecs), so C(module_defaults) can set the connection options once.
  - "Where it runs: on the target host, unless the connection is local and C(become) keeps the user. Use
    C(delegate_to: localhost) to wait on the controller with the controller's credentials; run it on a
    build host to use that host's RAM role (metadata service), proxies and VPC endpoint."
  - On a target host the action plugin starts the wait there in the background, reads its progress every
    one to three seconds (each read renews a 10 second lease) and stops it when the task ends or is
    interrupted; a wait whose lease lapses, because ansible-playbook died, stops itself.
  - SIGTERM, SIGHUP or SIGINT stop a wait with a failed result that says so and keeps the task records
    (RV(tasks), RV(pending)); error_code is C(WaitStopped). Under C(async) that result is what C(async_status) returns.
  - The task's C(environment) (C(HTTPS_PROXY), C(NO_PROXY), C(REQUESTS_CA_BUNDLE), credentials, C(HOME))
    applies to every API call on either path. Under C(async) there are no progress lines.
seealso:
  - module: alicloud.ecs.ecs_task_info
"""

EXAMPLES = r"""
- name: Wait for an image export and use the file it wrote
  alicloud.ecs.ecs_task_wait:
    region: cn-hangzhou
    task_ids: ["{{ export.task_id }}"]
    timeout: 1h
  register: exported

- name: Show where the image went
  ansible.builtin.debug:
    msg: "oss://{{ exported.tasks[0].related_items.OSSBucket }}/{{ exported.tasks[0].related_items.OSSObject }}"

- name: Wait for many imports, cancel whatever is still running after 2 hours
  alicloud.ecs.ecs_task_wait:
    region: cn-hangzhou
    task_ids: "{{ imports | map(attribute='task_id') | list }}"
    timeout: 2h
    cancel_on_timeout: true
    fail_on_failure: false
  register: imported

- name: Wait until a task is at least half done (a JMESPath condition on DescribeTaskAttribute)
  alicloud.ecs.ecs_task_wait:
    region: cn-hangzhou
    task_ids: [t-bp1hvgwromzv32iq0001]
    success_condition: "percent(TaskProcess) >= `50`"

- name: Stop waiting as soon as an operation of the task reports an error
  alicloud.ecs.ecs_task_wait:
    region: cn-hangzhou
    task_ids: [t-bp1hvgwromzv32iq0001]
    failure_condition: "length(OperationProgressSet.OperationProgress[?OperationStatus == 'Failed'] || `[]`) > `0`"

- name: Wait on the export of this image started by an earlier run, whatever its task id
  alicloud.ecs.ecs_task_wait:
    region: cn-hangzhou
    task_action: ExportImage
    resource_ids: [m-bp1g7004ksh0oeuc0001]
    task_status: [Waiting, Processing, Paused]
    start_time: -1d
    not_found_checks: 2
  register: exported

- name: One wait for every host's task; each host reads its own record
  alicloud.ecs.ecs_task_wait:
    region: cn-hangzhou
    task_ids: "{{ ansible_play_hosts | map('extract', hostvars, 'export_task_id') | list }}"
    fail_on_failure: false
  run_once: true
  register: exports
  failed_when: exports.tasks_by_id is not defined or exports.error_code is defined

- name: This host's export
  ansible.builtin.assert:
    that: exports.tasks_by_id[export_task_id].wait_outcome == 'succeeded'

- name: In a CI pipeline, run the wait in the background and check on it later
  alicloud.ecs.ecs_task_wait:
    region: cn-hangzhou
    task_ids: "{{ task_ids }}"
    timeout: 45m
  async: 3000
  poll: 0
  register: waiting

- name: Collect the result
  ansible.builtin.async_status:
    jid: "{{ waiting.ansible_job_id }}"
  register: waited
  until: waited.finished
  retries: 300
  delay: 10
"""

RETURN = r"""
tasks:
  description:
    - One record per task, in the order of O(task_ids) then as the search found them, with the fields of
      M(alicloud.ecs.ecs_task_info) (details included for tasks that ended, as O(details) says)
      plus C(elapsed), C(wait_outcome) and C(found_by).
  returned: always
  type: list
  elements: dict
  contains:
    task_id:
      description: The task id.
      returned: always
      type: str
    task_status:
      description: The last state seen.
      returned: always
      type: str
      sample: Finished
    progress:
      description: Percent done when known.
      returned: always
      type: int
    related_items:
      description:
        - What the task produced, name to value (for an export, C(OSSBucket), C(OSSObject), C(ImageFormat)).
        - One value a name, the first one listed. An export of an image with data disks names one C(OSSObject)
          per disk, the system disk's first; RV(tasks[].related_item_values) has every one.
        - Empty for a task whose details were not read (O(details)).
      returned: always
      type: dict
    related_item_values:
      description:
        - Every value of each related item name, in the order listed, without repeats (for an export of an image
          with data disks, C(OSSObject) lists the object of each disk, the system disk's first).
        - Empty for a task whose details were not read (O(details)).
      returned: always
      type: dict
      sample: {"OSSBucket": ["image-temp"], "OSSObject": ["PRE_m-23f8tcp8y_system.raw.tar.gz", "PRE_m-23f8tcp8y_data1.raw.tar.gz"]}
    error_code:
      description: The task's own error code, from its failed operation; null when its details were not read (O(details)).
      returned: always
      type: str
    error_msg:
      description: The task's own error message, from its failed operation; null when its details were not read (O(details)).
      returned: always
      type: str
    elapsed:
      description: Seconds from the start of the wait until this task was decided (or the whole wait, if it was not).
      returned: always
      type: float
    wait_outcome:
      description: V(succeeded), V(failed), V(not_found) or V(pending).
      returned: always
      type: str
    found_by:
      description:
        - What selected this task for the wait, as option names. V([task_ids]) for an id given in O(task_ids);
          the search filters given (for example V([task_action, resource_ids, task_status])) for a task the search
          found (every filter given, since filters combine); both when a given id was also found.
      returned: always
      type: list
      elements: str
      sample: [task_action, resource_ids]
    products:
      description:
        - What the task produced and was checked with O(wait_for=product); empty otherwise, and for a task that did
          not reach a target state.
      returned: always
      type: list
      elements: dict
      contains:
        kind:
          description: V(image), V(disk) or V(oss_object).
          type: str
        region:
          description: Its region (the task's).
          type: str
        id:
          description: The image id, the disk id, or V(oss://<bucket>/<key>).
          type: str
        status:
          description:
            - The image's or disk's C(Status); an object's V(present), V(empty) or V(absent).
          type: str
        ready:
          description: Whether it was ready when the wait ended.
          type: bool
        details:
          description:
            - What was read of it, as M(alicloud.ecs.ecs_image_wait) and M(alicloud.ecs.ecs_disk_wait) return
              images and disks; for an object C(Bucket), C(Key), C(ContentLength), C(ETag), C(LastModified), C(status).
          type: dict
tasks_by_id:
  description:
    - The records of RV(tasks), by task id, so that each host of a play can read its own task's record from one
      wait (V(result.tasks_by_id[my_task_id])), failed and pending ones included.
  returned: always
  type: dict
  sample: {"t-bp1hvgwromzv32iq0001": {"task_id": "t-bp1hvgwromzv32iq0001", "task_status": "Finished", "wait_outcome": "succeeded"}}
search:
  description: The search of a wait by filters.
  returned: when a search filter (O(task_action), O(resource_ids), O(task_status), O(start_time), O(end_time)) was given
  type: dict
  contains:
    filters:
      description: The filters as sent, times in UTC (V(task_status) as given; see O(task_status)).
      returned: always
      type: dict
      sample: {"task_action": "ExportImage", "resource_ids": ["m-bp1g7004ksh0oeuc0001"], "start_time": "2026-11-23T02:00:00Z"}
    region:
      description: The region searched.
      returned: always
      type: str
    polls:
      description: How many times the search ran before it found tasks (or gave up).
      returned: always
      type: int
    found:
      description: The ids the search found and the wait waited on; empty when it found none.
      returned: always
      type: list
      elements: str
succeeded:
  description: Ids of the tasks that reached a target state.
  returned: always
  type: list
  elements: str
failed:
  description:
    - Whether this task failed. Ansible reserves this key for its failure flag (C(failed_when) replaces it),
      so the ids of the failed tasks are in RV(failed_task_ids).
  returned: always
  type: bool
failed_task_ids:
  description: Ids of the tasks that failed (failure state, failure condition, unexpected state, or never found).
  returned: always
  type: list
  elements: str
pending:
  description: Ids of the tasks not decided when the wait ended.
  returned: always
  type: list
  elements: str
elapsed:
  description: Seconds the wait took.
  returned: always
  type: float
  sample: 70.2
api_calls:
  description: API requests made, retries included.
  returned: always
  type: int
  sample: 12
timed_out:
  description: Whether the wait ended because O(timeout) ran out.
  returned: always
  type: bool
wait_status:
  description:
    - How the wait ended, V(succeeded), V(failed) (a task failed, or, waiting by filters, no task matched),
      V(timed_out), V(error) (an API error that retrying cannot mend; RV(error_code) says which) or
      V(predicted_timeout) (see O(on_predicted_timeout)).
  returned: always
  type: str
  sample: succeeded
error_code:
  description:
    - The code of the error the wait stopped on (for instance V(SignatureDoesNotMatch),
      V(InvalidRegionId.NotFound), V(PredictedTimeout)), or of the last API error when no poll was ever
      answered before the timeout.
  returned: when the wait stopped on an error
  type: str
error_message:
  description: The message of that error, as the API gave it.
  returned: when the wait stopped on an error
  type: str
request_id:
  description: The request id of the failed API call, for Alibaba Cloud support.
  returned: when the wait stopped on an API error
  type: str
http_status:
  description: The HTTP status of the failed API call (null for a transport failure).
  returned: when the wait stopped on an API error
  type: int
attempts:
  description: How many times the failed API call was tried.
  returned: when the wait stopped on an API error
  type: int
server_string_to_sign:
  description:
    - The string to sign the service computed, when it refused the signature (C(SignatureDoesNotMatch)).
      Compare it with your client's to find the difference. Kept here, once, instead of in the message.
  returned: when the wait stopped on C(SignatureDoesNotMatch)
  type: str
option:
  description: The option at fault, when the wait was refused for bad input.
  returned: when an option was wrong
  type: str
not_cancellable:
  description: Tasks still pending at the timeout that O(cancel_on_timeout) could not cancel (ECS says they cannot be).
  returned: when O(cancel_on_timeout) acted and some tasks could not be cancelled
  type: list
  elements: str
cancel_errors:
  description: Task id to the error its C(CancelTask) call failed with.
  returned: when a cancel failed
  type: dict
cancelled:
  description: Tasks cancelled because of O(cancel_on_timeout).
  returned: when O(cancel_on_timeout) acted
  type: list
  elements: str
would_cancel:
  description: In check mode, the tasks O(cancel_on_timeout) would have cancelled.
  returned: in check mode, when the wait timed out with O(cancel_on_timeout)
  type: list
  elements: str
warnings:
  description: Things worth knowing that did not stop the wait (an unknown state, a passing API error).
  returned: when there are any
  type: list
  elements: str
"""

from ansible_collections.alicloud.ecs.plugins.module_utils.wait_module import run_wait_module
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import WAIT


def main():
    run_wait_module(WAIT)


if __name__ == "__main__":
    main()
