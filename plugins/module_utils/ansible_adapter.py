# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one place that knows Ansible modules: argument parsing in, results and failures out.

See docs/architecture.md.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import HAS_REQUESTS
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.results import run_safely
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Session

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient


class AlicloudModule(object):
    """AnsibleModule plus the collection's client and error handling."""

    def __init__(self, argument_spec: dict[str, dict], **kwargs: object) -> None:
        kwargs.setdefault("supports_check_mode", True)
        self.module = AnsibleModule(argument_spec=argument_spec, **kwargs)
        self.session = Session(self.module.params, os.environ)

    @property
    def params(self) -> dict:
        return self.module.params

    @property
    def check_mode(self) -> bool:
        return self.module.check_mode

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
