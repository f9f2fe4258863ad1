# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The environment variables the credential chain reads (names in order of
precedence, first set wins, blank counts as unset) and the environment-keys
source. See docs/credentials.md and docs/architecture.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import Credentials, StaticCredentialsProvider
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable, Mapping

ENV_ACCESS_KEY = ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY", "ALICLOUD_ACCESS_KEY_ID")
ENV_SECRET_KEY = ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECRET_ACCESS_KEY")
ENV_SECURITY_TOKEN = ("ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN")
ENV_PROFILE = ("ALIBABA_CLOUD_PROFILE", "ALICLOUD_PROFILE")
ENV_CREDENTIALS_FILE = ("ALIBABA_CLOUD_CREDENTIALS_FILE",)
ENV_ECS_ROLE_NAME = ("ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_ECS_METADATA")
ENV_METADATA_URL = ("ALIBABA_CLOUD_IMDS_ENDPOINT", "ALIBABA_CLOUD_ECS_METADATA_ENDPOINT")
ENV_METADATA_DISABLED = "ALIBABA_CLOUD_ECS_METADATA_DISABLED"
ENV_STS_ENDPOINT = ("ALIBABA_CLOUD_STS_ENDPOINT",)
ENV_STS_REGION = ("ALIBABA_CLOUD_STS_REGION",)
ENV_VPC_ENDPOINT = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"
ENV_ROLE_SESSION_NAME = ("ALIBABA_CLOUD_ROLE_SESSION_NAME",)
# OIDC role federation (RRSA on ACK injects these into a pod), all three or none.
ENV_ROLE_ARN = ("ALIBABA_CLOUD_ROLE_ARN",)
ENV_OIDC_PROVIDER_ARN = ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN",)
ENV_OIDC_TOKEN_FILE = ("ALIBABA_CLOUD_OIDC_TOKEN_FILE",)
ENV_CREDENTIALS_URI = ("ALIBABA_CLOUD_CREDENTIALS_URI",)


def first_set(env: Mapping[str, str], names: Iterable[str]) -> tuple[str | None, str | None]:
    """(name, value) of the first variable in ``names`` that is set and not blank."""
    for name in names:
        value = env.get(name)
        if value is not None and str(value).strip():
            return name, str(value).strip()
    return None, None


def is_true(value: object) -> bool:
    return str(value or "").strip().lower() in ("true", "1", "yes", "on")


def text(value: object) -> str | None:
    """An option / file value as a stripped string, or None when blank."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def env_keys_provider(env: Mapping[str, str], tried: list) -> StaticCredentialsProvider | None:
    """The keys of the environment variables, or None (noted in ``tried``) when none is set."""
    key_var, key = first_set(env, ENV_ACCESS_KEY)
    secret_var, secret = first_set(env, ENV_SECRET_KEY)
    if key and secret:
        token = first_set(env, ENV_SECURITY_TOKEN)[1]
        return StaticCredentialsProvider(Credentials(key, secret, token, None, "environment %s" % key_var))
    if key or secret:
        given, wanted = (key_var, ENV_SECRET_KEY) if key else (secret_var, ENV_ACCESS_KEY)
        raise ConfigError("The environment variable %s is set but none of %s is: set the pair (or unset it)."
                          % (given, ", ".join(wanted)))
    tried.append("environment %s / %s (not set)" % ("|".join(ENV_ACCESS_KEY), "|".join(ENV_SECRET_KEY)))
    return None
