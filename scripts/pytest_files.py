# -*- coding: utf-8 -*-
"""A pytest plugin for scripts/test.py: a line when each test file starts, so a person sees what runs.

    [pytest 1m05s] tests/system/test_wait_runs.py (12 tests, 140/790)

Loaded with ``-p scripts.pytest_files``; the slowest tests come from pytest's own ``--durations``. Under
pytest-xdist (``-n``) the workers' files interleave: each file gets its line when its first test starts.
"""
from __future__ import annotations

import collections
import time

import pytest


class FileLines(object):
    def __init__(self, config):
        self.config = config
        self.started = time.monotonic()
        self.per_file = collections.OrderedDict()
        self.seen = set()
        self.done = 0

    def pytest_collection_modifyitems(self, items):
        self.per_file.clear()
        for item in items:
            path = item.nodeid.split("::", 1)[0]
            self.per_file[path] = self.per_file.get(path, 0) + 1

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        """Under xdist the workers collect, each the same tests: the counts come from the first."""
        if not self.per_file:
            for nodeid in ids:
                path = nodeid.split("::", 1)[0]
                self.per_file[path] = self.per_file.get(path, 0) + 1

    def pytest_runtest_logstart(self, nodeid, location):
        path = nodeid.split("::", 1)[0]
        if path not in self.seen:
            self.seen.add(path)
            reporter = self.config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                total = sum(self.per_file.values())
                count = self.per_file.get(path, 0)
                # -q writes its dots on one line: end it, so the file's name starts a line of its own.
                if getattr(reporter._tw, "width_of_current_line", 0):
                    reporter._tw.line()
                reporter.write_line("[pytest %s] %s (%d test%s, %d/%d)" % (
                    _duration(time.monotonic() - self.started), path, count, "" if count == 1 else "s",
                    self.done, total))
        self.done += 1


def _duration(seconds):
    minutes, seconds = divmod(int(seconds), 60)
    return "%dm%02ds" % (minutes, seconds) if minutes else "%ds" % seconds


def pytest_configure(config):
    if hasattr(config, "workerinput"):
        return  # an xdist worker: the controller prints the lines
    config.pluginmanager.register(FileLines(config), "alicloud-ecs-file-lines")
