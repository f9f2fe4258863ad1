# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A wait that can be stopped: the reasons to stop (signals, the parent gone, a lease), and a client that
refuses the next call once one is set. See docs/architecture.md (Operations and the event source).
"""

from __future__ import annotations

import os
import signal
import time
from typing import TYPE_CHECKING, Any

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Iterable

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline

STOPPED_CODE = "WaitStopped"
TICK = 0.5
STOP_SIGNALS = ("SIGTERM", "SIGHUP", "SIGINT")


class WaitStopped(ApiError):
    """The wait was told to stop: permanent, so the engine ends at once and keeps its records."""

    def __init__(self, reason: str) -> None:
        super().__init__(STOPPED_CODE, reason)

    def _compose(self):
        # The engine's message reads "stopped waiting after 2s: <this>".
        return self.api_message


class StopToken(object):
    """Reasons to stop, checked at every tick of the engine's sleep and before every API call.

    Signal handlers only set ``reason`` (no lock is taken in a handler).
    """

    def __init__(self, checks: Iterable[Callable[[], str | None]] = (), clock: Callable[[], float] = time.monotonic,
                 tick: float = TICK) -> None:
        self.reason: str | None = None
        self._checks = list(checks)
        self._clock = clock
        self._tick = tick

    def stop(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason

    def stopped(self) -> str | None:
        if self.reason is None:
            for check in self._checks:
                reason = check()
                if reason:
                    self.stop(reason)
                    break
        return self.reason

    def sleep(self, seconds: float) -> None:
        end = self._clock() + seconds
        while not self.stopped():
            left = end - self._clock()
            if left <= 0:
                return
            time.sleep(min(self._tick, left))

    def handle_signals(self, names: Iterable[str] = STOP_SIGNALS) -> dict:
        """Turn these signals into a stop (the wait then answers with what it learned); returns the old handlers."""
        def handler(signum, _frame):
            self.stop("received %s" % signal.Signals(signum).name)
        previous = {}
        for name in names:
            number = getattr(signal, name)
            previous[number] = signal.signal(number, handler)
        return previous

    @staticmethod
    def restore_signals(previous: dict) -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)


PARENT_GONE = "the process that started it (ansible-playbook) has ended"


def parent_check(ppid: int | None = None) -> Callable[[], str | None]:
    """A stop check: the process that started us (ansible-playbook's worker parent) has gone."""
    ppid = os.getppid() if ppid is None else ppid

    def check():
        if os.getppid() != ppid:
            return PARENT_GONE
        return None
    return check


class StoppableClient(object):
    """The client (an ECS client, or an OSS client), except that once the token says stop, the next call raises
    WaitStopped; everything else is the client's own."""

    # Any: it stands in for either client (api/client.EcsClient, api/oss.OssClient), whose calls differ.
    def __init__(self, client: Any, token: StopToken) -> None:
        self._client = client
        self._token = token

    def _check(self):
        reason = self._token.stopped()
        if reason:
            raise WaitStopped(reason)

    def call(self, action: str, params: dict | None = None, **kwargs: Any) -> dict:
        self._check()
        return self._client.call(action, params, **kwargs)

    def head_object(self, bucket: str, key: str, deadline: Deadline | None = None) -> dict | None:
        """An OSS client's read (api/oss.py), refused the same way."""
        self._check()
        return self._client.head_object(bucket, key, deadline)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)
