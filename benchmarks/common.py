# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the benchmarks share: import paths, the emulator, clients, clocks, statistics, printing."""

from __future__ import annotations

import math
import os
import sys
import time
from types import SimpleNamespace

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

import conftest  # noqa: E402  (links .build/collections and puts it on sys.path, as for pytest)

from tests.emulator.harness import Emulator  # noqa: E402

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient  # noqa: E402

COLLECTIONS = conftest.COLLECTIONS
REGION = "cn-hangzhou"
ACCESS_KEY = "testid"
SECRET_KEY = "testsecret"
# Loopback only: a proxy from the environment must never see these requests.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"


# The emulator sets TCP_NODELAY itself now; the name stays for the benchmarks that use it.
FastEmulator = Emulator


class StaticCredentials(object):
    source = "benchmark keys"

    def get(self, deadline=None):
        return SimpleNamespace(access_key_id=ACCESS_KEY, access_key_secret=SECRET_KEY, security_token=None)


def make_client(url, **kw):
    return EcsClient(REGION, StaticCredentials(), endpoint=url, **kw)


class SteppedClock(object):
    """Virtual seconds for an emulator started with time_scale=0: sleeping advances both sides, instantly.

    The benchmark and the emulator agree on the time exactly, nothing sleeps
    for real, and a run gives the same calls every time.
    """

    def __init__(self, emulator):
        self.emulator = emulator
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        if seconds > 0:
            self.now += seconds
            self.emulator.advance(seconds)


class ScaledClock(object):
    """time.monotonic in virtual seconds of an emulator running ``scale`` times faster than real time."""

    def __init__(self, scale):
        self.scale = float(scale)

    def __call__(self):
        return time.monotonic() * self.scale

    def sleep(self, seconds):
        if seconds > 0:
            time.sleep(seconds / self.scale)


def log_spread(count, low, high):
    """``count`` durations spread evenly on a log scale from ``low`` to ``high`` (quantile midpoints)."""
    ratio = float(high) / low
    return [low * ratio ** ((index + 0.5) / count) for index in range(count)]


def percentile(values, fraction):
    """Linear-interpolated percentile (fraction 0..1) of a non-empty list."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    below = int(math.floor(position))
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def median(values):
    return percentile(values, 0.5)


def ratio(baseline, value):
    """baseline / value as 'x12.3' (how many times fewer), or 'n/a'."""
    if not value:
        return "n/a"
    return "x%.1f" % (float(baseline) / value)


def seconds(value):
    if value is None:
        return "-"
    if value >= 120:
        return "%.1fmin" % (value / 60.0)
    return "%.2fs" % value if value < 10 else "%.1fs" % value


def section(title):
    print("")
    print("== %s" % title)
    sys.stdout.flush()


def table(headers, rows):
    """Print rows (lists of values) under headers, columns aligned."""
    text = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(str(head)), *(len(row[index]) for row in text)) if text else len(str(head))
              for index, head in enumerate(headers)]
    print("  ".join(str(head).ljust(width) for head, width in zip(headers, widths)).rstrip())
    for row in text:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    sys.stdout.flush()


def note(text):
    print("   " + text)
    sys.stdout.flush()


def target(label, met):
    print("   target %s: %s" % (label, "MET" if met else "NOT MET"))
    sys.stdout.flush()
    return bool(met)
