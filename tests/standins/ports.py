# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A loopback port that refuses connections, held for as long as a test needs it."""

from __future__ import annotations

import contextlib
import socket


@contextlib.contextmanager
def refusing_port():
    """Yield a 127.0.0.1 port whose every connection is refused until the block ends.

    The socket is bound but never listens, so Linux answers each SYN with a
    reset. Holding it matters: a port bound and released at once can be taken
    by any other server on a shared machine, which then answers in its own way
    (CI once saw a 407 from whatever took the "dead" proxy's port).
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]
