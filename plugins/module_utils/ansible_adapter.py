# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one place that knows Ansible modules: argument parsing in, results and failures out.

See docs/architecture.md.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ansible.module_utils import basic
from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import HAS_REQUESTS
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.results import run_safely
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Session
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.specs import unknown_options

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient


def given_options() -> set[str]:
    """The option names the module was called with, read before its argument spec is built.

    Ansible's ``_load_params`` is there for that ("very dynamic custom modules"); AnsibleModule reads the
    same cached arguments again. ansible-test's validate-modules replaces it with one that returns None.
    """
    return set(basic._load_params() or ())


class _Module(AnsibleModule):
    """AnsibleModule whose failure for unknown options names the options meant (ops/specs.unknown_options).

    Only the failure is reworded, so a task without a typo pays nothing for it.
    """

    def __init__(self, fqcn: str, **kwargs: object) -> None:
        self.fqcn = fqcn
        super().__init__(**kwargs)

    def fail_json(self, msg: str | None = None, **kwargs: object) -> None:
        try:
            first = self.validation_result.errors[0]  # as AnsibleModule tells its own unsupported-options failure
        except (AttributeError, IndexError):
            first = None
        if isinstance(first, UnsupportedError):
            error = unknown_options(self.fqcn, self.params, self.argument_spec)
            if error is not None:
                msg = error.message
                kwargs.setdefault("option", error.option)
        super().fail_json(msg=msg, **kwargs)


class AlicloudModule(object):
    """AnsibleModule plus the collection's client and error handling; ``fqcn`` names the module in messages."""

    def __init__(self, argument_spec: dict[str, dict], fqcn: str, **kwargs: object) -> None:
        kwargs.setdefault("supports_check_mode", True)
        self.module = _Module(fqcn, argument_spec=argument_spec, **kwargs)
        self.session = Session(self.module.params, os.environ)

    @property
    def params(self) -> dict:
        return self.module.params

    @property
    def check_mode(self) -> bool:
        return self.module.check_mode

    @property
    def diff(self) -> bool:
        """Whether Ansible asks for a diff (``--diff``, ``diff: true``)."""
        return bool(self.module._diff)

    def client(self) -> EcsClient:
        """The ECS client for the resolved connection options (built once)."""
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib("requests"))
        return self.session.client

    def run(self, work: Callable[[AlicloudModule], dict]) -> None:
        """Call ``work(self)`` and answer with its result, or a clear failure.

        Errors of the library become ``failed`` results with a message a person
        can act on; no traceback, and no secret, at any verbosity.
        """
        result = run_safely(lambda: work(self), self._collect_secrets)
        self.answer(result)

    def answer(self, result: dict) -> None:
        """Exit with ``result``: its secrets masked, its warnings shown, failed or not."""
        # AnsibleModule masks these in everything it returns, invocation.module_args included.
        self.module.no_log_values.update(self._collect_secrets())
        # AnsibleModule shows warnings given with warn(); a `warnings` key is deprecated in 2.19.
        for warning in result.pop("warnings", None) or []:
            self.module.warn(warning)
        if result.pop("failed", False):
            self.module.fail_json(**result)
        self.module.exit_json(**result)

    def _collect_secrets(self):
        return self.session.secrets()
