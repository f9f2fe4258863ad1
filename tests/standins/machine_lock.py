# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One test process at a time changes the machine (apt-get, useradd): dpkg and /etc/passwd refuse two at once,
and the pytest stage runs test files on several pytest-xdist workers."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile


@contextlib.contextmanager
def machine_lock():
    with open(os.path.join(tempfile.gettempdir(), "alicloud-ecs-machine.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
