# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The unsigned control API under /_emulator/, for loopback clients only.

POST /_emulator/tasks     create tasks            -> {"task_ids": [...]}
GET  /_emulator/tasks     true state (?task_id=a,b&region=r to narrow) -> {"tasks": [...]}
PUT  /_emulator/faults    partial fault settings  -> the settings now
GET  /_emulator/faults    the settings now
GET  /_emulator/stats     {"calls": {...}, "errors": {...}, "access_keys": {AccessKeyId: authenticated calls}}
PUT  /_emulator/permissions  {"<AccessKeyId>": {"deny": [...], "style": "403" | "empty"}} (replaces the table)
GET  /_emulator/permissions  the table now
POST /_emulator/reset     clear tasks, faults, stats, nonces
POST /_emulator/advance   {"seconds": n}: jump the virtual clock forward
Images, disks, OSS objects and start-action settings: control_resources.py.
"""

from __future__ import annotations

import ipaddress
import json
import math
import time
from urllib.parse import parse_qs

from tests.emulator import control_resources as resources, curves, products, state, taskspec
from tests.emulator.auth import Credential
from tests.emulator.clock import format_api_time
from tests.emulator.faults import FaultError
from tests.emulator.specs import SpecError
from tests.emulator.permissions import PermissionSettingError

PREFIX = "/_emulator/"
MAX_COUNT = 100000
_TASK_FIELDS = frozenset((
    "region", "action", "count", "duration", "durations", "wait", "outcome", "error_code", "error_msg",
    "related_items", "support_cancel", "visible_after", "resource_id", "task_id",
    # What the 0.2 emulator never sent: other queued states, TaskProcess text, several operations.
    "queued_status", "process_text", "operations", "progress_curve",
))


class ControlError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def is_loopback_client(address):
    """True for 127.0.0.0/8, ::1 and IPv4-mapped loopback; False for anything else or garbage."""
    try:
        ip = ipaddress.ip_address(str(address).split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


def _number(body, name, default, low=0.0):
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < low:
        raise ControlError(400, "%s must be a number >= %s" % (name, low))
    return float(value)


def _string(body, name, default):
    value = body.get(name, default)
    if not isinstance(value, str):
        raise ControlError(400, "%s must be a string" % name)
    return value


def _related_items(value):
    """Accept {"Name": "Value"} or [{"Name": .., "Value": ..}]."""
    if value is None:
        return []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list) and all(isinstance(i, dict) and set(i) == {"Name", "Value"} for i in value):
        items = [(i["Name"], i["Value"]) for i in value]
    else:
        raise ControlError(400, 'related_items must be {"Name": "Value"} or [{"Name": ..., "Value": ...}]')
    for name, item_value in items:
        if not isinstance(name, str) or not isinstance(item_value, (str, int, float)) or isinstance(item_value, bool):
            raise ControlError(400, "related item names and values must be strings")
    return [(name, str(item_value)) for name, item_value in items]


def task_specs(body, new_resource_id):
    """Validate a POST /_emulator/tasks body into Task keyword dicts."""
    if not isinstance(body, dict):
        raise ControlError(400, "the body must be a JSON object")
    unknown = sorted(set(body) - _TASK_FIELDS)
    if unknown:
        raise ControlError(400, "unknown field(s): %s" % ", ".join(unknown))
    region = _string(body, "region", taskspec.DEFAULT_REGION)
    if region not in taskspec.REGIONS:
        raise ControlError(400, "unknown region %r" % region)
    action = taskspec.normalize_action(_string(body, "action", "ExportImage"))
    if not action:
        raise ControlError(400, "action must not be empty")
    count = body.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise ControlError(400, "count must be an integer from 1 to %d" % MAX_COUNT)
    duration = _number(body, "duration", taskspec.DEFAULT_DURATION)
    durations = body.get("durations")
    if durations is not None:
        if not isinstance(durations, list) or len(durations) != count:
            raise ControlError(400, "durations must be a list with one number per task (count)")
        durations = [_number({"durations": d}, "durations", 0) for d in durations]
    outcome = _string(body, "outcome", state.FINISHED)
    if outcome not in state.OUTCOMES:
        raise ControlError(400, "outcome must be one of %s" % ", ".join(state.OUTCOMES))
    failed = outcome == state.FAILED
    error_code = _string(body, "error_code", taskspec.DEFAULT_ERROR_CODE if failed else "")
    error_msg = _string(body, "error_msg", taskspec.DEFAULT_ERROR_MSG if failed else "")
    support_cancel = body.get("support_cancel", taskspec.default_support_cancel(action))
    if not isinstance(support_cancel, bool):
        raise ControlError(400, "support_cancel must be true or false")
    overrides = _related_items(body.get("related_items"))
    wait = _number(body, "wait", 0.0)
    visible_after = _number(body, "visible_after", 0.0)
    resource_id = _string(body, "resource_id", "")
    answers = _answer_fields(body)
    task_id = _task_id(body, count)

    specs = []
    for index in range(count):
        default_resource, default_items = taskspec.default_resource(action, new_resource_id, region)
        specs.append({
            "region": region, "action": action, "wait": wait,
            "duration": durations[index] if durations is not None else duration,
            "outcome": outcome, "error_code": error_code, "error_msg": error_msg,
            "related_items": taskspec.merge_items(default_items, overrides),
            "support_cancel": support_cancel, "visible_after": visible_after,
            "resource_id": resource_id or default_resource,
        })
        specs[-1].update(answers)
        if answers["operations"]:
            # Each operation's items over the task's own: an export of several disks names one object each.
            specs[-1]["operations"] = [taskspec.merge_items(specs[-1]["related_items"], items) for items in answers["operations"]]
        if task_id:
            specs[-1]["task_id"] = task_id
    return specs


def _answer_fields(body):
    """queued_status, process_text, operations, progress_curve: how a task's answers differ from the 0.2 emulator's."""
    queued_status = _string(body, "queued_status", state.WAITING)
    if queued_status not in state.QUEUED_STATES:
        raise ControlError(400, "queued_status must be one of %s" % ", ".join(state.QUEUED_STATES))
    process_text = body.get("process_text")
    if process_text is not None and not isinstance(process_text, str):
        raise ControlError(400, "process_text must be a string (what TaskProcess says instead of N%, such as N/A)")
    operations = body.get("operations") or []
    if not isinstance(operations, list) or not all(isinstance(entry, dict) for entry in operations):
        raise ControlError(400, 'operations must be a list of related-item dicts, one per OperationProgress: [{"OSSObject": "..."}, ...]')
    try:
        curve = curves.check_curve(body.get("progress_curve", curves.DEFAULT_CURVE))
    except ValueError as exc:
        raise ControlError(400, str(exc)) from None
    return {"queued_status": queued_status, "process_text": process_text, "progress_curve": curve,
            "operations": [_related_items(entry) for entry in operations]}


def _task_id(body, count):
    """A chosen id (the docs' t-bp1hvgwromzv32iq0001), for one task; "" to have one made up."""
    task_id = _string(body, "task_id", "")
    if task_id and count != 1:
        raise ControlError(400, "task_id names one task: give count 1 (or leave task_id out)")
    if task_id and (not task_id.startswith("t-") or len(task_id) > 64 or not task_id[2:].replace("-", "").isalnum()):
        raise ControlError(400, "task_id must look like an ECS task id: t- then letters and digits, e.g. t-bp1hvgwromzv32iq0001")
    return task_id


def task_view(task, clock, now):
    status = task.status(now)
    return {
        "task_id": task.task_id,
        "region": task.region,
        "action": task.action,
        "status": status,
        "progress": task.progress(now),
        "creation_time": format_api_time(task.created),
        "finished_time": format_api_time(task.finished_at(now)) or None,
        "ends_at": clock.real_time_of(task.end_time()),
        "visible": task.visible(now),
        "support_cancel": task.support_cancel,
        "resource_id": task.resource_id,
        "related_items": dict(task.related_items),
        "operations": [dict(items) for items in task.operations],
        "progress_curve": task.progress_curve,
        "error_code": task.error_code if status == state.FAILED else None,
        "error_msg": task.error_msg if status == state.FAILED else None,
    }


class Control:
    def __init__(self, emulator):
        self.emulator = emulator

    def handle(self, method, path, query, body_bytes):
        """(status, JSON-able body) for a control request."""
        route = path[len(PREFIX):].strip("/")
        handler = {
            ("POST", "tasks"): self._create_tasks,
            ("GET", "tasks"): self._list_tasks,
            ("PUT", "faults"): self._put_faults,
            ("GET", "faults"): self._get_faults,
            ("GET", "stats"): self._stats,
            ("POST", "reset"): self._reset,
            ("POST", "advance"): self._advance,
            ("POST", "keys"): self._add_key,
            ("POST", "images"): lambda q, b: resources.create_images(self.emulator, self._json(b)),
            ("GET", "images"): lambda q, b: resources.list_images(self.emulator, q),
            ("POST", "disks"): lambda q, b: resources.create_disks(self.emulator, self._json(b)),
            ("GET", "disks"): lambda q, b: resources.list_disks(self.emulator, q),
            ("POST", "oss"): lambda q, b: resources.put_object(self.emulator, self._json(b)),
            ("GET", "oss"): lambda q, b: resources.list_objects(self.emulator, q),
            ("DELETE", "oss"): lambda q, b: resources.delete_object(self.emulator, q),
            ("PUT", "actions"): lambda q, b: self.emulator.actions.update(self._json(b)),
            ("GET", "actions"): lambda q, b: self.emulator.actions.snapshot(),
            ("PUT", "permissions"): self._put_permissions,
            ("GET", "permissions"): self._get_permissions,
        }.get((method, route))
        if handler is None:
            known = route in ("tasks", "faults", "stats", "reset", "advance", "keys", "images", "disks", "oss",
                              "actions", "permissions")
            return (405, {"message": "method not allowed"}) if known else (404, {"message": "unknown control path"})
        try:
            return 200, handler(query, body_bytes)
        except ControlError as exc:
            return exc.status, {"message": exc.message}
        except SpecError as exc:
            return 400, {"message": str(exc)}

    @staticmethod
    def _json(body_bytes):
        if not body_bytes.strip():
            return {}
        try:
            return json.loads(body_bytes.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ControlError(400, "the body is not valid JSON: %s" % exc) from None

    def _create_tasks(self, query, body_bytes):
        em = self.emulator
        body = self._json(body_bytes)
        product = products.take_product(body)  # what the tasks produce: products.py
        specs = task_specs(body, em.store.new_resource_id)
        try:
            tasks = em.store.add(specs, em.clock.now())
        except ValueError as exc:  # a chosen task_id that exists
            raise ControlError(409, str(exc)) from None
        em.products.attach(tasks, product)
        return {"task_ids": [t.task_id for t in tasks]}

    def _list_tasks(self, query, body_bytes):
        em = self.emulator
        args = parse_qs(query, keep_blank_values=False)
        ids = [i for value in args.get("task_id", []) for i in value.split(",") if i]
        regions = set(args.get("region", []))
        tasks = [em.store.get(i) for i in ids] if ids else em.store.all()
        now = em.clock.now()
        return {"tasks": [task_view(t, em.clock, now) for t in tasks if t is not None and (not regions or t.region in regions)]}

    def _put_faults(self, query, body_bytes):
        try:
            return self.emulator.faults.update(self._json(body_bytes))
        except FaultError as exc:
            raise ControlError(400, str(exc)) from None

    def _get_faults(self, query, body_bytes):
        return self.emulator.faults.settings()

    def _put_permissions(self, query, body_bytes):
        try:
            return self.emulator.permissions.replace(self._json(body_bytes))
        except PermissionSettingError as exc:
            raise ControlError(400, str(exc)) from None

    def _get_permissions(self, query, body_bytes):
        return self.emulator.permissions.settings()

    def _stats(self, query, body_bytes):
        return self.emulator.stats.snapshot()

    def _reset(self, query, body_bytes):
        self.emulator.reset()
        return {"reset": True}

    def _add_key(self, query, body_bytes):
        """Accept another access key from now on; ``expires_in`` (s, wall clock) makes its token expire."""
        body = self._json(body_bytes)
        if not isinstance(body, dict) or not body.get("access_key_id") or not body.get("access_key_secret"):
            raise ControlError(400, "give access_key_id and access_key_secret (and security_token, expires_in)")
        expires_in = body.get("expires_in")
        expires = None if expires_in is None else time.time() + _number(body, "expires_in", 0.0)
        self.emulator.verifier.add(Credential(str(body["access_key_id"]), str(body["access_key_secret"]),
                                              body.get("security_token") or None, expires))
        return {"added": body["access_key_id"], "expires": expires}

    def _advance(self, query, body_bytes):
        body = self._json(body_bytes)
        if not isinstance(body, dict):
            raise ControlError(400, "the body must be a JSON object")
        seconds = _number(body, "seconds", 0.0)
        self.emulator.clock.advance(seconds)
        return {"virtual_now": format_api_time(self.emulator.clock.now())}
