# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The framework of the modules that start ECS work (ecs_image_import, ecs_image_export, ecs_image_copy,
ecs_disk_spec), the way Terraform applies a resource. A run is:

- **find** what exists (read-only calls only);
- **decide**, a pure function of what was found: ``none`` (what was asked for exists), ``attached`` (work that makes
  it is in progress) or ``started`` (nothing makes it: start it), once per thing (one, or one per region for a copy);
- **act**: the start call, sent once (the client retries a non-Describe call only when the service surely did
  nothing), sent again with backoff while the service refuses for now (``errors.REFUSED_FOR_NOW``); in check mode
  the same call with ``DryRun=true``, which proves the parameters and the RAM permission and creates nothing;
- **wait** (``wait: true``) for the product, with the product waits (ops/wait.py, ops/image_wait.py...).

One Deadline (the ``timeout`` option) covers the four steps. Each module is a ``Start`` (one file per module in this
package) and becomes a WaitKind through ``start_kind``, so the action plugin, the module and the target's worker run
it as they run a wait. See docs/after-a-restart.md and docs/architecture.md.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import AlicloudError, ApiError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.options import build_argument_spec
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.specs import WAIT_OPTIONS
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.errors import NOTHING_TO_DO, REFUSED_FOR_NOW, explain
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import WaitRequest, run_wait
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait_kind import WaitKind
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.retry import Backoff
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import a_or_an, format_duration, kind_of
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from typing import Protocol

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient

    class StartRequest(Protocol):
        """What the framework reads of every start module's request (a frozen dataclass of its own)."""

        @property
        def config(self) -> WaitConfig:
            ...

        @property
        def wait(self) -> bool:
            ...

        @property
        def cancel_on_timeout(self) -> bool:
            ...

NONE, ATTACHED, STARTED = "none", "attached", "started"
# Weakest first: the action of several things is the strongest of theirs.
ACTIONS = (NONE, ATTACHED, STARTED)

# The timing options of ecs_task_wait a start module takes (DESIGN.md), with its defaults, and `wait`.
START_TIMING = ("timeout", "min_interval", "max_interval", "poll_interval", "display_interval", "on_predicted_timeout")
START_OPTIONS = dict(((name, WAIT_OPTIONS[name]) for name in START_TIMING),
                     wait={"type": "bool", "default": True})

# The start call sent again while the service refuses for now: full-jitter backoff from 2 s, at most 30 s apart.
REFUSED_BASE_DELAY = 2.0
REFUSED_MAX_DELAY = 30.0
# What a wait result carries up to the start module's result, as it is.
WAIT_KEYS = ("wait_status", "timed_out", "elapsed", "warnings", "error_code", "error_message", "request_id",
             "http_status", "attempts")


def strongest(actions: Iterable[str]) -> str:
    """The strongest of ``actions`` (started > attached > none); none for no action at all."""
    return max(actions, key=ACTIONS.index, default=NONE)


def start_timing(params: Mapping[str, object], wait_for: str = "product") -> WaitConfig:
    """The wait's configuration from a start module's timing options (checked: ConfigError naming the option)."""
    options = dict((name, params.get(name)) for name in START_TIMING if params.get(name) is not None)
    options["wait_for"] = wait_for
    return WaitConfig.from_options(options)


@dataclass(frozen=True)
class Decision:
    """What a run does about one thing: ``action`` (none | attached | started), ``why`` (one line: what was found
    or done), where (``region``), and the ids known (``task_id``: the task that makes it, None when nothing runs
    as a task; ``resource_id``: the image or disk)."""

    action: str
    why: str
    region: str
    task_id: str | None = None
    resource_id: str | None = None

    @property
    def changed(self) -> bool:
        """Started, or attached to work still in progress (Ansible's ``changed``)."""
        return self.action != NONE

    def but(self, **changes: Any) -> Decision:
        """This decision with some of its fields changed (``changes``: field name -> value)."""
        return dataclasses.replace(self, **changes)


class Refused(AlicloudError):
    """What was found forbids the run (a name taken by a failed image, another export running): ``decide`` raises
    it, and the result says so with what was found (``fields``: the ids)."""

    def __init__(self, message: str, **fields: object) -> None:
        super().__init__(message)
        self.fields = fields

    def to_dict(self) -> dict[str, object]:
        return dict(self.fields, msg=self.message)


@dataclass(frozen=True)
class StartCall:
    """The start call of one decision: ``action`` in ``region`` with ``params``; ``facts`` word its errors
    (errors.explain: image_id, disk_id, bucket, object, image_name, format, formats...); ``check(answer)``: why
    a 2xx answer is not one the module can go on from (None when it is; answer_names), an InvalidResponse then."""

    action: str
    region: str
    params: Mapping[str, object]
    facts: Mapping[str, object] = dataclasses.field(default_factory=dict)
    check: Callable[[dict], str | None] | None = None


def answer_names(action: str, *names: str) -> Callable[[dict], str | None]:
    """The ``check`` of a start call whose answer must name what it started: at least one of ``names`` (TaskId,
    ImageId) as a non-empty string. The call is not sent again (the service may have started the work): the run
    fails saying what came back, and a rerun finds the work by its identity."""

    def check(answer: dict) -> str | None:
        for name in names:
            value = answer.get(name)
            if value not in (None, "") and not isinstance(value, str):
                return "%s answer whose %s is %s, not an id" % (a_or_an(action), name, kind_of(value))
        if any(str(answer.get(name) or "").strip() for name in names):
            return None
        return "%s answer without %s" % (a_or_an(action), " or ".join(names))
    return check


# A start module's own request (a StartRequest) and what its ``find`` returns.
RequestT = TypeVar("RequestT", bound="StartRequest")
FoundT = TypeVar("FoundT")


class Start(Generic[RequestT, FoundT]):
    """One start module: a subclass per module (image_import.py, ...) fills these in, as a
    ``Start[its request, what its find returns]``.

    Its request (``prepare``) is a frozen dataclass with ``config`` (start_timing), ``wait`` and
    ``cancel_on_timeout`` False, every option checked before any call.
    """

    name = ""             # the module's short name, ecs_image_import
    noun = "task"         # what its wait holds records of (the closing line of a target's lost job)
    home = ""             # the ops module defining it as WAIT (ops/wait_kind.find_wait): "start.image_import"
    options: Mapping[str, dict] = {}  # its own options (START_OPTIONS are added)
    examples: Mapping[str, str] = {}  # list options' examples (ops/specs.check_list_options)

    def prepare(self, params: Mapping[str, object]) -> RequestT:
        raise NotImplementedError

    def find(self, request: RequestT, clients: Clients, deadline: Deadline) -> FoundT:
        """What exists, with read-only calls only."""
        raise NotImplementedError

    def decide(self, request: RequestT, found: FoundT) -> Sequence[Decision]:
        """A pure function of the request and what was found: one Decision per thing; Refused when what was found
        forbids the run."""
        raise NotImplementedError

    def call(self, request: RequestT, found: FoundT, decision: Decision) -> StartCall:
        """The start call of a ``started`` decision."""
        raise NotImplementedError

    def started(self, request: RequestT, found: FoundT, decision: Decision, answer: dict) -> Decision:
        """The decision once its start call answered (the task id, the image id it returned)."""
        raise NotImplementedError

    def wait(self, request: RequestT, clients: Clients, decisions: Sequence[Decision], config: WaitConfig,
             clock: Callable[[], float], sleep: Callable[[float], object],
             on_progress: Callable[[dict], object] | None) -> dict:
        """Wait for what the decisions make (``config.timeout``: what is left of the run's deadline); a wait's
        result (ops/wait_result.py)."""
        raise NotImplementedError

    def result(self, request: RequestT, found: FoundT, decisions: Sequence[Decision], waited: dict | None) -> dict:
        """The module's own return keys (image_id, image, objects, task, disk...), from the wait when it ran
        (no decisions: decide refused)."""
        raise NotImplementedError

    def diff(self, request: RequestT, found: FoundT, decisions: Sequence[Decision]) -> dict:
        """Ansible's ``diff``: {"before": ..., "after": ...}, what exists and what the run makes of it."""
        raise NotImplementedError

    def spec(self) -> dict[str, dict]:
        return build_argument_spec(dict(self.options, **START_OPTIONS))


def wait_for_tasks(task_ids: Iterable[str], clients: Clients, config: WaitConfig, clock: Callable[[], float],
                   sleep: Callable[[float], object], on_progress: Callable[[dict], object] | None) -> dict:
    """Wait for the tasks ``task_ids`` of the options' region and, as ``wait_for: product`` does, for what they
    make: ecs_task_wait's result."""
    return run_wait(WaitRequest(tuple(task_ids), dataclasses.replace(config, wait_for="product")), clients,
                    clock=clock, sleep=sleep, on_progress=on_progress)


def start_kind(start: Start[Any, Any]) -> WaitKind:
    """``start`` as the paths that run a wait see it (ops/wait_kind.py)."""

    def run(request, clients, check_mode=False, clock=time.monotonic, sleep=time.sleep, on_progress=None,
            diff=False, say=None):
        return run_start(start, request, clients, check_mode=check_mode, diff=diff, clock=clock, sleep=sleep,
                         on_progress=on_progress, say=say)

    return WaitKind(start.name, start.noun, start.spec, start.prepare, run, start.home, start.examples,
                    starts=True, closing=closing_line)


def run_start(start: Start[RequestT, FoundT], request: RequestT, client: EcsClient | Clients, check_mode: bool = False,
              diff: bool = False, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], object] = time.sleep,
              on_progress: Callable[[dict], object] | None = None, say: Callable[[str], object] | None = None) -> dict:
    """Find, decide, act, wait under one deadline; the module result, ``failed`` set.

    A start call that fails ends the run (the things after it are not started) with everything learned so far.
    """
    clients = Clients.of(client)
    say = say or (lambda text: None)
    deadline = Deadline.after(request.config.timeout, clock)
    found = start.find(request, clients, deadline)
    try:
        decisions = tuple(start.decide(request, found))
    except Refused as refused:
        result = start.result(request, found, (), None)
        result.update(changed=False, action=NONE, task_id=None, api_calls=clients.api_calls)
        result.update(refused.to_dict(), failed=True)  # its fields name what was found (a task id, say)
        return result
    decisions, error, notes = _act(start, request, clients, found, decisions, check_mode, deadline, sleep, say)
    waited = None
    if error is None and request.wait and not check_mode and any(decision.changed for decision in decisions):
        config = dataclasses.replace(request.config, timeout=max(0.0, deadline.left()))
        waited = start.wait(request, clients, decisions, config, clock, sleep, on_progress)
    result = start.result(request, found, decisions, waited)
    result.update(_summary(decisions, waited, error, check_mode, notes))
    if diff:
        result["diff"] = start.diff(request, found, decisions)
    result["api_calls"] = clients.api_calls
    return result


def _act(start, request, clients, found, decisions, check_mode, deadline, sleep, say):
    """The start calls of the ``started`` decisions: (decisions as they are now, the explained error or None,
    notes for the message)."""
    done, notes = [], []
    for index, decision in enumerate(decisions):
        if decision.action != STARTED:
            done.append(decision)
            continue
        call = start.call(request, found, decision)
        try:
            if check_mode:
                answer = dry_run(clients.ecs(call.region), call, deadline)
                if answer is None:
                    done.append(decision.but(why="%s; DryRun passed: %s would be called" % (decision.why, call.action)))
                    continue
                # The service ignored DryRun and did the work: say so, as it is.
                notes.append("%s in %s ignored DryRun and started the work" % (call.action, call.region))
            else:
                answer = send(clients.ecs(call.region), call, deadline, sleep)
        except ApiError as error:
            if error.code in NOTHING_TO_DO:
                done.append(decision.but(action=NONE, why=explain(error, call.facts).hint or decision.why))
                continue
            failed = decision.but(action=NONE, why="%s was refused: %s" % (call.action, error.code))
            rest = [other.but(action=NONE, why="not started: %s failed first" % call.action)
                    if other.action == STARTED else other for other in decisions[index + 1:]]
            return tuple(done + [failed] + rest), explain(error, call.facts), notes
        decision = start.started(request, found, decision, answer)
        say("started %s in %s%s" % (call.action, call.region, _made(call, decision)))
        done.append(decision)
    return tuple(done), None, notes


def _made(call, decision):
    """What a start call's line names: its task, else what it made (a copy: the image, in its own region)."""
    if decision.task_id:
        return ": task %s" % decision.task_id
    if decision.resource_id:
        return ": %s%s" % (decision.resource_id, " in %s" % decision.region if decision.region != call.region else "")
    return ""


def dry_run(client: EcsClient, call: StartCall, deadline: Deadline) -> dict | None:
    """``call`` with DryRun=true: None when the service says it would succeed (DryRunOperation); its answer when
    it did the work anyway; the ApiError of what it refused otherwise."""
    try:
        return client.call(call.action, dict(call.params, DryRun="true"), deadline=deadline, check=call.check)
    except ApiError as error:
        if error.code == "DryRunOperation":
            return None
        raise


def send(client: EcsClient, call: StartCall, deadline: Deadline, sleep: Callable[[float], object],
         backoff: Backoff | None = None) -> dict:
    """``call``, sent once; sent again, after a jittered backoff, while the service refuses it for now
    (errors.REFUSED_FOR_NOW: it did nothing), until the deadline would pass. The client itself never sends a
    non-Describe call again unless the service surely did nothing (api/client.retry_allowed)."""
    backoff = backoff or Backoff(base=REFUSED_BASE_DELAY, throttle_base=REFUSED_BASE_DELAY, cap=REFUSED_MAX_DELAY)
    began, tries = deadline.clock(), 0
    while True:
        tries += 1
        try:
            return client.call(call.action, dict(call.params), deadline=deadline, check=call.check)
        except ApiError as error:
            if error.code not in REFUSED_FOR_NOW:
                raise
            delay = backoff.delay(tries - 1)
            if deadline.left() <= delay:
                raise error.make_permanent("still refused after %d tries in %s" % (
                    tries, format_duration(deadline.clock() - began))) from None
            sleep(delay)


def _summary(decisions, waited, error, check_mode, notes):
    """The keys every start module returns: changed, action, task_id, msg, failed, and the wait's own keys."""
    action = strongest(decision.action for decision in decisions)
    task_ids = [decision.task_id for decision in decisions if decision.task_id]
    summary = {"changed": action != NONE, "action": action, "task_id": task_ids[0] if len(decisions) == 1 and task_ids else None,
               "failed": False}
    said = "; ".join(decision.why for decision in decisions)
    if check_mode:
        said = "check mode, nothing was changed: " + said
    if notes:
        said += "; " + "; ".join(notes)
    if error is not None:
        summary.update(error.to_dict(), failed=True)
        summary["msg"] = "%s; %s" % (said, error.message)
        return summary
    if waited is not None:
        summary.update((key, waited[key]) for key in WAIT_KEYS if key in waited)
        summary["failed"] = bool(waited.get("failed"))
        summary["msg"] = "%s; %s" % (said, waited.get("msg", ""))
    else:
        summary["msg"] = said
    return summary


def closing_line(result: dict, prefix: str) -> str:
    """The last line a start module shows: what it did, and how its wait ended."""
    action = result.get("action") or NONE
    words = {NONE: "nothing to start", ATTACHED: "attached", STARTED: "started"}[action] if action in ACTIONS else action
    if result.get("task_id"):
        words += " (task %s)" % result["task_id"]
    status = result.get("wait_status")
    if result.get("failed") and not status:
        status = "error %s" % (result.get("error_code") or "")
    elif not status:
        status = "not waited for" if action != NONE else "already there"
    elapsed = result.get("elapsed")
    return "%s: %s, %s%s" % (prefix, words, status.strip(), " [%s elapsed]" % format_duration(elapsed)
                             if isinstance(elapsed, (int, float)) else "")
