# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A kind of wait (ecs_task_wait, ecs_image_wait, ecs_disk_wait; and the start modules, which find, start, wait) as
the paths that run it see it: its options, its request and its run. The action plugin, the module and the target's
worker (job.py) run any of them the same way. See docs/architecture.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, NamedTuple

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Mapping
    from typing import Protocol

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig

    class Request(Protocol):
        """What every kind's ``prepare`` returns (a frozen dataclass of its own) as the paths that run it read it:
        the engine's configuration, and whether a timeout cancels what is still running (a task wait's option)."""

        @property
        def config(self) -> WaitConfig:
            ...

        @property
        def cancel_on_timeout(self) -> bool:
            ...

PACKAGE = "ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops."


class WaitKind(NamedTuple):
    """``name``: the module's short name; ``noun``: what it waits on ("task"); ``spec()``: its argument spec;
    ``prepare(params)``: its frozen request (with ``config`` and ``cancel_on_timeout``); ``run(request, clients,
    check_mode=, clock=, sleep=, on_progress=)``: the wait, as a result; ``home``: the ops module defining it as
    ``WAIT``, relative to ops (how the target's worker finds it again from the module's payload); ``examples``: what a message shows
    for a list option given a mapping (ops/specs.check_list_options).

    A start module (ops/start/plan.py) is a kind too: ``starts`` true, its run also takes ``diff=`` (Ansible's
    ``--diff``) and ``say=`` (a line of what it did), and ``closing(result, prefix)`` words its last line. A wait
    only reads, so check mode and diff change nothing for it."""

    name: str
    noun: str
    spec: Callable[[], dict]
    prepare: Callable[[Mapping[str, object]], Request]
    run: Callable[..., dict]
    home: str
    examples: Mapping[str, str]
    starts: bool = False
    closing: Callable[[dict, str], str] | None = None


def find_wait(home: str) -> WaitKind:
    """The WaitKind ``WAIT`` of ops module ``home`` (the worker's spec names it); ConfigError for anything else."""
    # A dotted name reaches a package of ops (start.image_import); nothing outside ops.
    if not isinstance(home, str) or not all(part.isidentifier() for part in home.split(".")):
        raise ConfigError("the job names no wait it can run (%r); _job is set by the action plugin only" % (home,),
                          option="_job")
    try:
        return importlib.import_module(PACKAGE + home).WAIT
    except (ImportError, AttributeError):
        raise ConfigError("the job names a wait this collection does not have (%s)" % home, option="_job") from None
