# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ECS says about a task: its states, which of them can still change, and the not-found code.

Every other file reads these names from here. See docs/architecture.md.
"""

from __future__ import annotations

# States the service documents. A task in one of IN_PROGRESS_STATES is still
# running whatever the user listed; one in TERMINAL_STATES never changes again;
# any other state is "unknown". Pending appears in older API metadata only: queued, like Waiting.
IN_PROGRESS_STATES = ("Waiting", "Processing", "Paused", "Pending")
TERMINAL_STATES = ("Finished", "Failed", "Deleted")
KNOWN_STATES = TERMINAL_STATES + IN_PROGRESS_STATES

# CancelTask applies to a task that has not ended, which is every in-progress state.
CANCELLABLE_STATES = IN_PROGRESS_STATES

# DescribeTasks' TaskStatus filter takes only these; others are filtered locally. The pages say it
# "only retrieves tasks in" these states: a queued task (Waiting, Paused, Pending) may not be listed at
# all, though DescribeTaskAttribute answers for it.
FILTERABLE_STATES = ("Finished", "Processing", "Failed")
SEARCHABLE_STATES = ("Waiting", "Processing", "Paused", "Finished", "Failed", "Deleted")

# The code DescribeTasks / DescribeTaskAttribute answer for an id ECS does not know (yet).
NOT_FOUND_CODE = "InvalidTaskId.NotFound"
