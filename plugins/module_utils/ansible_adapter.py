# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one place that knows Ansible modules: argument parsing in, results and failures out."""

from __future__ import annotations

import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.alicloud.ecs.plugins.module_utils.client import HAS_REQUESTS
from ansible_collections.alicloud.ecs.plugins.module_utils.common import build_client, resolve_common_options
from ansible_collections.alicloud.ecs.plugins.module_utils.results import run_safely, secrets_for


class AlicloudModule(object):
    """AnsibleModule plus the collection's client and error handling."""

    def __init__(self, argument_spec, **kwargs):
        kwargs.setdefault("supports_check_mode", True)
        self.module = AnsibleModule(argument_spec=argument_spec, **kwargs)
        self._client = None

    @property
    def params(self):
        return self.module.params

    @property
    def check_mode(self):
        return self.module.check_mode

    def client(self):
        """The ECS client for the resolved connection options (built once)."""
        if self._client is None:
            if not HAS_REQUESTS:
                self.module.fail_json(msg=missing_required_lib("requests"))
            params = resolve_common_options(self.module.params, os.environ)
            self._client = build_client(params, os.environ)
        return self._client

    def run(self, work):
        """Call ``work(self)`` and answer with its result, or a clear failure.

        Errors of the library become ``failed`` results with a message a person
        can act on; no traceback, and no secret, at any verbosity.
        """
        result = run_safely(lambda: work(self), self._collect_secrets)
        # A `warnings` key in exit_json is deprecated (ansible-core 2.19, removed in 2.23): warn() is the API.
        for warning in result.pop("warnings", None) or ():
            self.module.warn(warning)
        if result.pop("failed", False):
            self.module.fail_json(**result)
        self.module.exit_json(**result)

    def _collect_secrets(self):
        return secrets_for(self.module.params, self._client)
