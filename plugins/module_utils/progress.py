# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Progress lines while a wait goes on, like Terraform's "Still creating... [1m10s elapsed]".

The engine reports after every poll; this decides which reports become a
line: whenever the picture changes, and otherwise at a steady cadence, so a
long quiet wait shows it is alive without flooding the output.
"""

from __future__ import annotations

from ansible_collections.alicloud.ecs.plugins.module_utils.timeutil import format_duration


def format_progress(snapshot, prefix="ecs_task_wait"):
    """One line for a person, ending with the elapsed time in brackets."""
    total = snapshot.get("total", 0)
    parts = ["%d/%d finished" % (snapshot.get("succeeded", 0), total)]
    parts.append("%d failed" % snapshot.get("failed", 0))
    pending = snapshot.get("pending", 0)
    parts.append("%d pending" % pending)
    by_state = snapshot.get("by_state") or {}
    if by_state and pending:
        parts.append("states: " + " ".join("%s=%d" % (state, count) for state, count in sorted(by_state.items())))
    slowest = snapshot.get("slowest") or {}
    if pending and slowest.get("task_id"):
        detail = "slowest %s %s" % (slowest["task_id"], slowest.get("state") or "?")
        if slowest.get("progress") is not None:
            detail += " %s%%" % slowest["progress"]
        parts.append(detail)
    # Whole seconds, as Terraform shows them: sub-second noise helps nobody.
    return "%s: %s [%s elapsed]" % (prefix, ", ".join(parts), format_duration(int(snapshot.get("elapsed", 0))))


def _signature(snapshot):
    # Progress percentages move on nearly every poll: they are shown at the
    # cadence, not treated as a change of picture.
    return (
        snapshot.get("succeeded"), snapshot.get("failed"), snapshot.get("pending"),
        tuple(sorted((snapshot.get("by_state") or {}).items())),
    )


class ProgressReporter(object):
    """Turns engine snapshots into lines: on change, or every ``interval`` seconds."""

    def __init__(self, emit, interval=10.0, prefix="ecs_task_wait"):
        self.emit = emit
        self.interval = interval
        self.prefix = prefix
        self._last_signature = None
        self._last_emit_at = None
        self.lines = 0

    def __call__(self, snapshot):
        elapsed = snapshot.get("elapsed", 0.0)
        signature = _signature(snapshot)
        changed = signature != self._last_signature
        due = (self.interval and self._last_emit_at is not None and elapsed - self._last_emit_at >= self.interval)
        if changed or due:
            self._last_signature = signature
            self._last_emit_at = elapsed
            self.lines += 1
            self.emit(format_progress(snapshot, self.prefix))
