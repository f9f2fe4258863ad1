# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""python -m tests.emulator [--host 127.0.0.1] [--port 0] [--access-key ID:SECRET[:TOKEN] ...] [--time-scale F] [--seed N]
                           [--time-precision minute|second]

Prints exactly one line on stdout, the base URL, as soon as it listens;
logs go to stderr. Stops on SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from tests.emulator.auth import parse_access_key
from tests.emulator.clock import DEFAULT_PRECISION, PRECISIONS
from tests.emulator.server import EmulatorApp, base_url, make_server

DEFAULT_ACCESS_KEY = "testid:testsecret"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.emulator", description="Local ECS task API emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--access-key", action="append", dest="access_keys", metavar="ID:SECRET[:TOKEN]",
                        help="accepted key (repeatable); with :TOKEN the key is an STS key needing that token")
    parser.add_argument("--time-scale", type=float, default=1.0, help="virtual seconds per real second (>= 0)")
    parser.add_argument("--seed", type=int, default=None, help="seed of ids and fault decisions")
    parser.add_argument("--time-precision", choices=sorted(PRECISIONS), default=DEFAULT_PRECISION,
                        help="CreationTime / FinishedTime to the minute, as the service sends them (default), or to the second")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    try:
        args.credentials = [parse_access_key(k) for k in (args.access_keys or [DEFAULT_ACCESS_KEY])]
    except ValueError as exc:
        parser.error(str(exc))
    if args.time_scale < 0:
        parser.error("--time-scale must be >= 0")
    return args


def main(argv=None):
    args = parse_args(argv)
    app = EmulatorApp(args.credentials, time_scale=args.time_scale, seed=args.seed, verbose=args.verbose,
                      time_precision=args.time_precision)
    server = make_server(app, args.host, args.port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    sys.stdout.write(base_url(server) + "\n")
    sys.stdout.flush()
    sys.stderr.write("ecs emulator listening on %s (time scale %s)\n" % (base_url(server), args.time_scale))
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
