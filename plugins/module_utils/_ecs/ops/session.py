# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One run's connection: options resolved, the client built, and the secrets to mask.

The module, the action plugin's controller path and the event source open a
``Session`` the same way; nothing is fastened onto the client. See docs/architecture.md.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.options import CREDENTIAL_OPTIONS, resolve_common_options
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.results import secrets_for

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import Credentials, CredentialsProvider
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline


class Session(object):
    """The options of one run and, built on first use, its ECS client.

    ``secrets()`` works at any point, before or after the client failed to
    build: the options' secrets, the endpoint's password, and every secret the
    credentials provider has handed out (environment, file, STS, metadata).
    """

    def __init__(self, params: dict, env: Mapping[str, str] | None = None) -> None:
        self.params = params
        self.env = os.environ if env is None else env
        self._handed_out: set[str] = set()
        self._client = None

    @property
    def client(self) -> EcsClient:
        """The client for these options (raises ConfigError / CredentialError naming what is wrong)."""
        if self._client is None:
            resolved = resolve_common_options(self.params, self.env)
            self._client = build_client(resolved, self.env, record=self._handed_out)
        return self._client

    def secrets(self) -> set[str]:
        return secrets_for(self.params, self._handed_out)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def build_client(params: dict, env: Mapping[str, str] | None = None, record: set[str] | None = None,
                 **client_kwargs: object) -> EcsClient:
    """The ECS client for resolved common options; the secrets its credentials hand out are added to ``record``."""
    # Imported here so that option checks work (and fail clearly) even when
    # requests is missing: the adapter reports the missing library.
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient, RpcClient
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.chain import resolve_credentials

    env = os.environ if env is None else env
    options = {name: params.get(name) for name in CREDENTIAL_OPTIONS}
    # The STS call of a RamRoleArn profile honours the same TLS setting.
    options["validate_certs"] = params.get("validate_certs", True)
    # HOME from the given environment: on the controller, a task's `environment:` may set it.
    credentials = RecordingProvider(resolve_credentials(options, env=env, home=env.get("HOME") or None, rpc=RpcClient),
                                    record)
    timeout = float(params.get("request_timeout") or 20.0)
    return EcsClient(
        region=params["region"],
        credentials=credentials,
        endpoint=params.get("endpoint"),
        signature_version=params.get("signature_version") or "v1",
        validate_certs=params.get("validate_certs", True),
        read_timeout=timeout,
        connect_timeout=min(timeout, 10.0),
        # CA bundle and proxy variables from the same environment (the task's, on the controller).
        env=env,
        **client_kwargs
    )


class RecordingProvider(object):
    """Wraps a credentials provider and adds the secrets it hands out to ``record``."""

    def __init__(self, inner: CredentialsProvider, record: set[str] | None = None) -> None:
        self.inner = inner
        self.record = set() if record is None else record

    @property
    def source(self) -> str | None:
        return getattr(self.inner, "source", None)

    def get(self, deadline: Deadline | None = None) -> Credentials:
        credentials = self.inner.get(deadline)
        for value in (credentials.access_key_secret, credentials.security_token):
            if value:
                self.record.add(value)
        return credentials
