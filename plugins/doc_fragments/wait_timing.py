# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # The timing and reporting options of the waits on images and disks, as ecs_task_wait has them.
    DOCUMENTATION = r"""
options:
  timeout:
    description:
      - How long to wait at most, in seconds or as a duration (V(90s), V(20m), V(1h30m)).
    type: raw
    default: 30m
  mode:
    description:
      - V(all) waits for every one to be ready and, with O(fail_on_failure), stops at the first failure.
      - V(any) stops as soon as one is ready, and fails only when all have failed.
    type: str
    choices: [all, any]
    default: all
  min_interval:
    description:
      - The shortest time between two polls (seconds or a duration). Defaults to 1s.
      - Between O(min_interval) and O(max_interval) the interval grows with the time waited, so something ready
        soon is seen soon and a long wait costs few calls.
    type: raw
  max_interval:
    description:
      - The longest time between two polls (seconds or a duration), so also the longest a change can go
        unnoticed. Defaults to 30s.
    type: raw
  poll_interval:
    description:
      - Poll at this fixed interval instead (seconds or a duration). Cannot be combined with
        O(min_interval) or O(max_interval).
    type: raw
  display_interval:
    description:
      - How often a progress line is printed when nothing changes (a line is printed at once when something
        changes state); V(0) prints only on change. Not used under C(async).
    type: raw
    default: 10s
  not_found_checks:
    description:
      - How many polls in a row may not find one (a new one can be invisible for a moment) before it fails as
        not found.
    type: int
    default: 20
  fail_on_failure:
    description:
      - Whether a failure fails this task. With V(false) the wait goes on for the others and the result lists
        the failed ones.
    type: bool
    default: true
  on_predicted_timeout:
    description:
      - What to do when progress predicts that the wait cannot end before O(timeout), as in
        M(alicloud.ecs.ecs_task_wait) (images report a progress while they are made).
      - V(warn) says so at once and keeps waiting; V(fail) stops waiting at once and fails.
    type: str
    choices: [warn, fail]
    default: warn
"""
