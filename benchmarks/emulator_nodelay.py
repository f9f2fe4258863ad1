# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``python -m tests.emulator`` with TCP_NODELAY on its connections, for the benchmarks.

The emulator writes an answer's headers and body in two sends; with Nagle's
algorithm on, the body then waits for the client's delayed ACK (about 40 ms
on Linux), which caps one keep-alive connection at about 22 requests a second.
The benchmarks count calls and measure lag on a virtual clock, so that stall
would only make them slow: this wrapper switches Nagle off and changes nothing
else. Remove it once tests/emulator/server.py sets TCP_NODELAY itself.
"""

from __future__ import annotations

import socket
import sys

from tests.emulator import server
from tests.emulator.__main__ import main

_setup = server.Handler.setup


def _setup_nodelay(self):
    _setup(self)
    try:
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:  # not a TCP socket: nothing to switch off
        pass


server.Handler.setup = _setup_nodelay

if __name__ == "__main__":
    sys.exit(main())
