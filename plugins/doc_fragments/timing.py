# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # The timing options of the waits on images and disks and of the modules that start work, as ecs_task_wait has them.
    DOCUMENTATION = r"""
options:
  timeout:
    description:
      - How long to wait at most, in seconds or as a duration (V(90s), V(20m), V(1h30m)).
      - For a module that starts work, its look-up and its start call count in this time too.
    type: raw
    default: 30m
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
  on_predicted_timeout:
    description:
      - What to do when progress predicts that the wait cannot end before O(timeout), as in
        M(alicloud.ecs.ecs_task_wait) (tasks and images report a progress while they run).
      - V(warn) says so at once and keeps waiting; V(fail) stops waiting at once and fails.
    type: str
    choices: [warn, fail]
    default: warn
"""
