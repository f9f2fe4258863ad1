# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options every module shares and their environment fallbacks.

The argument spec is plain data so the modules, the action plugin and the
unit tests all use the same one (the hashi_vault pattern: one builder, common
options documented once in the doc fragment ``alicloud.ecs.common``).
See docs/architecture.md and docs/credentials.md.
"""

from __future__ import annotations

import copy
import os
from typing import TYPE_CHECKING, Any

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.oss import resolve_oss_endpoint
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.environment import first_set
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping

# An argument spec as Ansible has it: option name -> its settings (type, aliases, default...).
COMMON_ARGUMENT_SPEC: dict[str, dict[str, Any]] = {
    "region": {"type": "str", "aliases": ["region_id", "alicloud_region"]},
    "access_key": {"type": "str", "aliases": ["access_key_id", "alicloud_access_key"], "no_log": False},
    "secret_key": {"type": "str", "aliases": ["access_key_secret", "alicloud_secret_key"], "no_log": True},
    "security_token": {"type": "str", "aliases": ["alicloud_security_token"], "no_log": True},
    "profile": {"type": "str"},
    "shared_credentials_file": {"type": "path"},
    "ecs_role_name": {"type": "str"},
    "endpoint": {"type": "str"},
    "validate_certs": {"type": "bool", "default": True},
    "signature_version": {"type": "str", "choices": ["v1", "v3"], "default": "v1"},
    "request_timeout": {"type": "float", "default": 20.0},
    # Read by the modules that read OSS objects; every module takes it, so module_defaults may set it for the group.
    "oss_endpoint": {"type": "str"},
}

# First variable set (and not empty) wins, in this order.
ENV_FALLBACKS = {
    "region": ("ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION", "ALICLOUD_REGION_ID"),
    "endpoint": ("ALIBABA_CLOUD_ECS_ENDPOINT",),
    "oss_endpoint": ("ALIBABA_CLOUD_OSS_ENDPOINT",),
}

CREDENTIAL_OPTIONS = ("access_key", "secret_key", "security_token", "profile", "shared_credentials_file", "ecs_role_name")


def build_argument_spec(extra: Mapping[str, dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """The common options plus a module's own, as a fresh dict."""
    spec = copy.deepcopy(COMMON_ARGUMENT_SPEC)
    for name, value in (extra or {}).items():
        if name in spec:
            raise ValueError("option %s is already a common option" % name)
        spec[name] = copy.deepcopy(value)
    return spec


def resolve_common_options(params: dict, env: Mapping[str, str] | None = None) -> dict:
    """Apply the environment fallbacks and check the connection options.

    Returns a new dict; raises ConfigError naming the option at fault.
    """
    env = os.environ if env is None else env
    resolved = dict(params)
    for option, names in ENV_FALLBACKS.items():
        value = resolved.get(option)
        if value is None or str(value).strip() == "":
            resolved[option] = first_set(env, names)[1]
    region = resolved.get("region")
    if not region:
        raise ConfigError(
            "No region given: set the region option (for example region: cn-hangzhou) "
            "or one of the environment variables %s." % ", ".join(ENV_FALLBACKS["region"]),
            option="region",
        )
    resolved["region"] = region.strip()
    timeout = resolved.get("request_timeout")
    if timeout is not None and not 0 < float(timeout) <= 600:
        raise ConfigError(
            "request_timeout must be between 0 and 600 seconds, got %r." % (timeout,),
            option="request_timeout",
        )
    if resolved.get("oss_endpoint"):
        # Checked with the rest, before any call: a bad one would otherwise only show once a task had ended.
        resolved["oss_endpoint"] = resolve_oss_endpoint(resolved["region"], resolved["oss_endpoint"])
    return resolved
