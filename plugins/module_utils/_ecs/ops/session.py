# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One run's connection: options resolved, the client built, and the secrets to mask.

The module, the action plugin's controller path and the event source open a
``Session`` the same way; nothing is fastened onto the client. See docs/architecture.md.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import CredentialsProvider
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.options import CREDENTIAL_OPTIONS, resolve_common_options
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.results import secrets_for

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Mapping

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.oss import OssClient
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import Credentials
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline


class Session(object):
    """The options of one run and, built on first use, its ECS clients: one per region, sharing one credentials
    provider (one STS AssumeRole or metadata read for every region, one set of recorded secrets).

    ``client`` is the client of the options' region; ``client_for(region)`` reaches any other. An explicit
    ``endpoint`` serves every region (the emulator, a proxy, the central ``ecs.aliyuncs.com``); without one each
    region's client goes to that region's endpoint. ``secrets()`` works at any point, before or after a client
    failed to build: the options' secrets, the endpoint's password, and every secret the credentials provider
    has handed out (environment, file, STS, metadata). ``close()`` closes every client.
    """

    def __init__(self, params: dict, env: Mapping[str, str] | None = None) -> None:
        self.params = params
        self.env = os.environ if env is None else env
        self._handed_out: set[str] = set()
        self._resolved: dict | None = None
        self._credentials: RecordingProvider | None = None
        self._clients: dict[str, EcsClient] = {}
        self._oss: dict[str, OssClient] = {}
        # Sources of several regions may ask for their clients from several threads.
        self._lock = threading.RLock()

    def _options(self) -> dict:
        if self._resolved is None:
            self._resolved = resolve_common_options(self.params, self.env)
        return self._resolved

    @property
    def region(self) -> str:
        """The options' region (raises ConfigError when none is given)."""
        return self._options()["region"]

    @property
    def client(self) -> EcsClient:
        """The client for these options (raises ConfigError / CredentialError naming what is wrong)."""
        return self.client_for(self.region)

    def client_for(self, region: str) -> EcsClient:
        """The client of ``region`` (validated: api/endpoints.validate_region), built once, with the session's
        one credentials provider."""
        with self._lock:
            client = self._clients.get(region)
            if client is None:
                options = dict(self._options(), region=region)
                client = build_client(options, self.env, record=self._handed_out,
                                      credentials=lambda: self._shared_credentials(options))
                self._clients[region] = client
            return client

    def oss_for(self, region: str) -> OssClient:
        """The OSS client of ``region`` (``oss_endpoint``, else that region's public endpoint), built once, with the
        session's one credentials provider, TLS setting, timeouts and environment."""
        from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.oss import OssClient

        with self._lock:
            client = self._oss.get(region)
            if client is None:
                options = self._options()
                timeout = float(options.get("request_timeout") or 20.0)
                client = OssClient(region, self._shared_credentials(options), endpoint=options.get("oss_endpoint"),
                                   validate_certs=options.get("validate_certs", True), read_timeout=timeout,
                                   connect_timeout=min(timeout, 10.0), env=self.env)
                self._oss[region] = client
            return client

    @property
    def api_calls(self) -> int:
        """Requests sent by every client of the session, retries included."""
        with self._lock:
            return sum(client.api_calls for client in list(self._clients.values()) + list(self._oss.values()))

    def _shared_credentials(self, options: dict) -> RecordingProvider:
        with self._lock:
            if self._credentials is None:
                self._credentials = build_credentials(options, self.env, self._handed_out)
            return self._credentials

    def secrets(self) -> set[str]:
        return secrets_for(self.params, self._handed_out)

    def close(self) -> None:
        with self._lock:
            clients = list(self._clients.values()) + list(self._oss.values())
            self._clients, self._oss = {}, {}
        for client in clients:
            client.close()


def build_credentials(params: dict, env: Mapping[str, str] | None = None, record: set[str] | None = None) -> RecordingProvider:
    """The credentials provider for resolved common options; the secrets it hands out are added to ``record``."""
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import RpcClient
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.chain import resolve_credentials

    env = os.environ if env is None else env
    options = {name: params.get(name) for name in CREDENTIAL_OPTIONS}
    # The STS call of a RamRoleArn profile honours the same TLS setting.
    options["validate_certs"] = params.get("validate_certs", True)
    # HOME from the given environment: on the controller, a task's `environment:` may set it.
    return RecordingProvider(resolve_credentials(options, env=env, home=env.get("HOME") or None, rpc=RpcClient), record)


def build_client(params: dict, env: Mapping[str, str] | None = None, record: set[str] | None = None,
                 credentials: Callable[[], CredentialsProvider] | None = None, **client_kwargs: object) -> EcsClient:
    """The ECS client for resolved common options; the secrets its credentials hand out are added to ``record``.

    ``credentials`` gives the provider to use (a session's, shared by its clients); without it one is resolved
    from ``params``. It is called here, so a stand-in for this function resolves nothing.
    """
    # Imported here so that option checks work (and fail clearly) even when
    # requests is missing: the adapter reports the missing library.
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient

    env = os.environ if env is None else env
    provider = credentials() if credentials is not None else build_credentials(params, env, record)
    timeout = float(params.get("request_timeout") or 20.0)
    return EcsClient(
        region=params["region"],
        credentials=provider,
        endpoint=params.get("endpoint"),
        signature_version=params.get("signature_version") or "v1",
        validate_certs=params.get("validate_certs", True),
        read_timeout=timeout,
        connect_timeout=min(timeout, 10.0),
        # CA bundle and proxy variables from the same environment (the task's, on the controller).
        env=env,
        **client_kwargs
    )


class RecordingProvider(CredentialsProvider):
    """Wraps a credentials provider and adds the secrets it hands out (and read: an OIDC token) to ``record``."""

    def __init__(self, inner: CredentialsProvider, record: set[str] | None = None) -> None:
        self.inner = inner
        self.record = set() if record is None else record
        self.source = inner.source  # a provider's source is set when it is made

    def get(self, deadline: Deadline | None = None) -> Credentials:
        try:
            credentials = self.inner.get(deadline)
        finally:
            # Also when the fetch failed: its error may echo what was read.
            self.record.update(getattr(self.inner, "secrets", ()))
        for value in (credentials.access_key_secret, credentials.security_token):
            if value:
                self.record.add(value)
        return credentials


class Clients(object):
    """What a run calls through: the ECS client of any region, the OSS client of any region, and their count.

    Over a Session (each client wrapped by ``wrap``, e.g. to refuse calls once the run is stopped), or over one
    client alone (``Clients.of(client)``: its region only, no OSS).
    """

    # wrap: Any, as what it returns stands in for the client it is given (ops/stopping.StoppableClient).
    def __init__(self, session: Session | None = None, wrap: Callable[[Any], Any] | None = None,
                 client: EcsClient | None = None) -> None:
        self._session = session
        self._wrap = wrap or (lambda client: client)
        self._client = client
        self._wrapped: dict = {}

    @classmethod
    def of(cls, client: EcsClient | Clients) -> Clients:
        """``client`` as Clients: already Clients, or one ECS client."""
        return client if isinstance(client, Clients) else cls(client=client)

    @property
    def _alone(self) -> EcsClient:
        """The one client of Clients made without a session (``Clients.of(client)``)."""
        if self._client is None:
            raise ValueError("Clients needs a session or an ECS client")
        return self._client

    @property
    def region(self) -> str:
        return self._session.region if self._session is not None else self._alone.region

    def _get(self, kind, region, build):
        with_key = (kind, region)
        if with_key not in self._wrapped:
            self._wrapped[with_key] = self._wrap(build(region))
        return self._wrapped[with_key]

    def ecs(self, region: str | None = None) -> EcsClient:
        """The ECS client of ``region`` (the options' region by default)."""
        region = region or self.region
        if self._session is None:
            client = self._alone
            if region != client.region:
                raise ConfigError("this run reaches region %s only, not %s" % (client.region, region))
            return client
        return self._get("ecs", region, self._session.client_for)

    def oss(self, region: str | None = None) -> OssClient:
        """The OSS client of ``region`` (the options' region by default: an item a source names without one)."""
        if self._session is None:
            raise ConfigError("this run has no OSS client: it was given one ECS client")
        return self._get("oss", region or self.region, self._session.oss_for)

    @property
    def api_calls(self) -> int:
        return self._session.api_calls if self._session is not None else self._alone.api_calls
