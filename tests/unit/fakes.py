# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test doubles shared by the unit tests."""

from __future__ import annotations


class FakeClock(object):
    """clock() and sleep() in one: time moves only when someone sleeps.

    Subclasses set START when their tests read absolute times.
    """

    START = 1000.0

    def __init__(self, now=None):
        self.now = self.START if now is None else now
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0, "slept a negative time: %r" % (seconds,)
        self.sleeps.append(seconds)
        self.now += seconds
