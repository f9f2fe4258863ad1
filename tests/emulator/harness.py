# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one launcher of the emulator: run it as a subprocess and drive its control API (urllib only).

    with Emulator(time_scale=10) as emu:
        ids = emu.create_tasks(count=3, duration=30)
        ... point the client at emu.url ...
        assert emu.task(ids[0])["status"] == "Processing"

The pytest fixtures, the benchmarks, scripts/demo.py (through scripts/_env.py) and the
setup_ecs_emulator integration target all start it here. See docs/architecture.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class EmulatorError(RuntimeError):
    """The emulator did not start, or a control call failed."""


class Emulator:
    """A running `python -m tests.emulator` on 127.0.0.1, port chosen by the OS."""

    def __init__(self, access_keys: list[str] | None = None, time_scale: float = 1.0, seed: int | None = None,
                 host: str = "127.0.0.1", start_timeout: float = 20.0, extra_args: tuple | list = (),
                 python: str | None = None, log_path: str | None = None, new_session: bool = False,
                 time_precision: str | None = None):
        """``log_path``: append stderr there (kept) rather than to a temporary file;
        ``new_session``: the emulator gets a session of its own, so it can outlive the caller;
        ``time_precision``: ``second`` for CreationTime / FinishedTime with seconds (default: to the minute,
        as the service sends them)."""
        self.access_keys = list(access_keys or [])
        self.time_scale = time_scale
        self.seed = seed
        self.host = host
        self.start_timeout = start_timeout
        self.extra_args = list(extra_args)
        self.python = python or sys.executable
        self.log_path = log_path
        self.new_session = new_session
        self.time_precision = time_precision
        self.url = None
        self.process = None
        self._log = None

    # -- life -----------------------------------------------------------------
    def command(self) -> list[str]:
        cmd = [self.python, "-m", "tests.emulator", "--host", self.host, "--port", "0", "--time-scale", str(self.time_scale)]
        for key in self.access_keys:
            cmd += ["--access-key", key]
        if self.seed is not None:
            cmd += ["--seed", str(self.seed)]
        if self.time_precision is not None:
            cmd += ["--time-precision", self.time_precision]
        return cmd + self.extra_args

    def start(self) -> Emulator:
        if self.process is not None:
            return self
        self._log = tempfile.TemporaryFile() if self.log_path is None else open(self.log_path, "ab+")
        self.process = subprocess.Popen(self.command(), cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=self._log,
                                        stdin=subprocess.DEVNULL, start_new_session=self.new_session)
        try:
            self.url = self._read_url()
        except Exception:
            self.stop()
            raise
        return self

    def _read_url(self) -> str:
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + self.start_timeout
        line = b""
        try:
            while not line.endswith(b"\n"):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    raise EmulatorError("the emulator printed no URL within %.0f s: %s" % (self.start_timeout, self.log_text()))
                chunk = os.read(self.process.stdout.fileno(), 1024)
                if not chunk:
                    raise EmulatorError("the emulator exited with %s: %s" % (self.process.wait(), self.log_text()))
                line += chunk
        finally:
            selector.close()
        url = line.decode("utf-8").strip()
        if not url.startswith("http://"):
            raise EmulatorError("unexpected first line from the emulator: %r" % url)
        return url

    def log_text(self) -> str:
        """What the emulator wrote on stderr so far."""
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(10)
            process.stdout.close()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- control API ----------------------------------------------------------
    def _call(self, method: str, path: str, body: dict | None = None, timeout: float = 30) -> dict:
        if self.url is None:
            raise EmulatorError("the emulator is not running")
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with _NO_PROXY.open(request, timeout=timeout) as answer:
                return json.loads(answer.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise EmulatorError("%s %s -> %s %s" % (method, path, exc.code, exc.read().decode("utf-8", "replace"))) from None

    def create_tasks(self, **fields) -> list[str]:
        """POST /_emulator/tasks; returns the new task ids."""
        return self._call("POST", "/_emulator/tasks", fields)["task_ids"]

    def tasks(self, region: str | None = None) -> list[dict]:
        path = "/_emulator/tasks" + ("?region=%s" % region if region else "")
        return self._call("GET", path)["tasks"]

    def task(self, task_id: str) -> dict:
        found = self._call("GET", "/_emulator/tasks?task_id=%s" % task_id)["tasks"]
        if not found:
            raise KeyError(task_id)
        return found[0]

    def create_images(self, **fields) -> list[str]:
        """POST /_emulator/images; returns the new image ids."""
        return self._call("POST", "/_emulator/images", fields)["image_ids"]

    def images(self, region: str | None = None) -> list[dict]:
        """The true state of every image (of one region)."""
        return self._call("GET", "/_emulator/images" + ("?region=%s" % region if region else ""))["images"]

    def image(self, image_id: str) -> dict:
        found = self._call("GET", "/_emulator/images?image_id=%s" % image_id)["images"]
        if not found:
            raise KeyError(image_id)
        return found[0]

    def create_disks(self, **fields) -> list[str]:
        """POST /_emulator/disks; returns the new disk ids."""
        return self._call("POST", "/_emulator/disks", fields)["disk_ids"]

    def disks(self, region: str | None = None) -> list[dict]:
        return self._call("GET", "/_emulator/disks" + ("?region=%s" % region if region else ""))["disks"]

    def disk(self, disk_id: str) -> dict:
        found = self._call("GET", "/_emulator/disks?disk_id=%s" % disk_id)["disks"]
        if not found:
            raise KeyError(disk_id)
        return found[0]

    def put_object(self, bucket: str, key: str | None = None, size: int = 1024, region: str | None = None,
                   deny: list[str] | None = None) -> dict:
        """POST /_emulator/oss: an object of ``size`` bytes (or, without ``key``, the bucket alone)."""
        body = {"bucket": bucket, "size": size}
        for name, value in (("key", key), ("region", region), ("deny", deny)):
            if value is not None:
                body[name] = value
        return self._call("POST", "/_emulator/oss", body)

    def objects(self, bucket: str | None = None) -> list[dict]:
        """Every OSS object the stand-in holds or will hold (``exists`` says which are there now)."""
        query = "?" + urllib.parse.urlencode({"bucket": bucket}) if bucket else ""
        return self._call("GET", "/_emulator/oss" + query)["objects"]

    def delete_object(self, bucket: str, key: str) -> bool:
        query = urllib.parse.urlencode({"bucket": bucket, "key": key})
        return self._call("DELETE", "/_emulator/oss?" + query)["deleted"]

    def set_actions(self, **settings: dict) -> dict:
        """PUT /_emulator/actions, e.g. ``set_actions(ImportImage={"duration": 30})``; returns every setting now."""
        return self._call("PUT", "/_emulator/actions", settings)

    def faults(self, **settings) -> dict:
        """PUT /_emulator/faults (partial update); returns the settings now."""
        return self._call("PUT", "/_emulator/faults", settings)

    def stats(self) -> dict:
        return self._call("GET", "/_emulator/stats")

    def calls(self, action: str) -> int:
        """How many times ``action`` was called since the last reset (the statistics' ``calls``)."""
        return self.stats()["calls"].get(action, 0)

    def reset(self) -> None:
        self._call("POST", "/_emulator/reset", {})

    def add_key(self, access_key_id: str, access_key_secret: str, security_token: str | None = None,
                expires_in: float | None = None) -> dict:
        """POST /_emulator/keys: accept these keys from now on (their token refused after ``expires_in`` s)."""
        return self._call("POST", "/_emulator/keys", {"access_key_id": access_key_id, "access_key_secret": access_key_secret,
                                                      "security_token": security_token, "expires_in": expires_in})

    def permissions(self, table: dict) -> dict:
        """PUT /_emulator/permissions: {AccessKeyId: {"deny": [Action, ...], "style": "403" | "empty"}}, replacing the table."""
        return self._call("PUT", "/_emulator/permissions", table)

    def advance(self, seconds: float) -> dict:
        """Jump the virtual clock forward (no real waiting)."""
        return self._call("POST", "/_emulator/advance", {"seconds": seconds})


@contextlib.contextmanager
def advance_when(emulator, ready, seconds):
    """While the block runs, move the emulator's clock on by ``seconds`` once ``ready(stats)`` is true.

    Yields a list that holds True once the clock was moved.
    """
    stop = threading.Event()
    fired = []

    def watch():
        while not stop.is_set():
            if ready(emulator.stats()):
                emulator.advance(seconds)
                fired.append(True)
                return
            stop.wait(0.1)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield fired
    finally:
        stop.set()
        thread.join(10)
