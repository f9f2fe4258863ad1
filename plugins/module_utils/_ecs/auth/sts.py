# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""STS AssumeRole: temporary keys of a RAM role, for RamRoleArn profiles; the STS client and the answer
reading that oidc.py shares. See docs/credentials.md.

The RPC client is injected (``rpc``: api/client.py's RpcClient, or a stand-in): auth sits below api.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import Credentials, parse_expiration
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError, CredentialError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.retry import DEFAULT_MAX_ATTEMPTS

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping
    from typing import Protocol

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import CredentialsProvider
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline

    class RpcCaller(Protocol):
        """What STS needs of a signed RPC client."""

        def call(self, action: str, params: dict | None = None, deadline: Deadline | None = None) -> dict:
            ...

    class RpcFactory(Protocol):
        """Builds an RpcCaller: api/client.py's RpcClient(endpoint_url, version, credentials, **options), given the
        options STS calls set; anonymous when ``credentials`` is None."""

        def __call__(self, endpoint_url: str, version: str, credentials: CredentialsProvider | None, *,
                     signature_version: str, validate_certs: bool, max_attempts: int, connect_timeout: float,
                     read_timeout: float, idempotent_actions: tuple, env: Mapping[str, str] | None,
                     secret_params: tuple = ()) -> RpcCaller:
            ...

DEFAULT_STS_ENDPOINT = "https://sts.aliyuncs.com"
STS_API_VERSION = "2015-04-01"
DEFAULT_ROLE_DURATION = 3600
MIN_ROLE_DURATION = 900


def role_duration(value: object, what: str) -> int:
    """DurationSeconds of a role profile: the default when unset, else whole seconds, at least the STS minimum."""
    if value in (None, "", 0, "0"):
        return DEFAULT_ROLE_DURATION
    seconds = None
    if isinstance(value, (str, int, float)):
        try:
            seconds = int(value)
        except (ValueError, OverflowError):  # OverflowError: JSON reads Infinity as a float
            pass
    if seconds is None:
        raise ConfigError("%s must be a whole number of seconds, got %r." % (what, value))
    if seconds < MIN_ROLE_DURATION:
        raise ConfigError("%s must be at least %d seconds, got %d." % (what, MIN_ROLE_DURATION, seconds))
    return seconds


def sts_client(rpc: RpcFactory, endpoint_url: str, credentials: CredentialsProvider | None, action: str,
               validate_certs: bool = True, max_attempts: int = DEFAULT_MAX_ATTEMPTS, env: Mapping[str, str] | None = None,
               secret_params: tuple = ()) -> RpcCaller:
    """A client of STS (RPC, V1 signature; anonymous without ``credentials``) for ``action``.

    Retried on throttling, 5xx and network errors like a Describe: a long wait whose keys expire must
    not end on one STS hiccup. Each attempt is bounded (connect + read).
    """
    return rpc(endpoint_url, STS_API_VERSION, credentials, signature_version="v1", validate_certs=validate_certs,
               max_attempts=max_attempts, connect_timeout=5.0, read_timeout=10.0, idempotent_actions=(action,), env=env,
               secret_params=secret_params)


def call_sts(client: RpcCaller, action: str, params: dict, what: str, source: str, deadline: Deadline | None) -> Credentials:
    """The keys STS issues for ``action``, within ``deadline``; a CredentialError starting with ``what`` when it fails."""
    try:
        answer = client.call(action, params, deadline=deadline)
    except ApiError as exc:
        raise CredentialError("%s failed: %s" % (what, exc.message), tried=[source]) from None
    keys = (answer or {}).get("Credentials") or {}
    missing = [k for k in ("AccessKeyId", "AccessKeySecret", "SecurityToken") if not keys.get(k)]
    if missing:
        raise CredentialError("%s: the answer lacks Credentials.%s" % (what, ", Credentials.".join(missing)), tried=[source])
    return Credentials(keys["AccessKeyId"], keys["AccessKeySecret"], keys["SecurityToken"],
                       parse_expiration(keys.get("Expiration")), source)


class AssumeRole(object):
    """STS AssumeRole (RPC, V1 signature) with the keys of another provider."""

    def __init__(self, rpc: RpcFactory, source_provider: CredentialsProvider, endpoint_url: str, role_arn: str,
                 session_name: str, duration: int, policy: str | None = None, external_id: str | None = None,
                 validate_certs: bool = True, max_attempts: int = DEFAULT_MAX_ATTEMPTS, env: Mapping[str, str] | None = None) -> None:
        self.rpc = rpc
        self.source_provider = source_provider
        self.endpoint_url = endpoint_url
        self.role_arn = role_arn
        self.session_name = session_name
        self.duration = duration
        self.policy = policy
        self.external_id = external_id
        self.validate_certs = validate_certs
        self.max_attempts = max_attempts
        # Where the proxy and CA bundle variables are read: the same environment as the ECS calls'
        # (a task's `environment:` on the controller), or STS would leave through another route.
        self.env = env
        self._client: RpcCaller | None = None

    def fetch(self, source: str, deadline: Deadline | None = None) -> Credentials:
        """New keys of the role; within ``deadline``, the end of the call that needed them (None outside one)."""
        if self._client is None:
            self._client = sts_client(self.rpc, self.endpoint_url, self.source_provider, "AssumeRole", self.validate_certs,
                                      self.max_attempts, self.env)
        params = {"RoleArn": self.role_arn, "RoleSessionName": self.session_name, "DurationSeconds": str(self.duration)}
        if self.policy:
            params["Policy"] = self.policy
        if self.external_id:
            params["ExternalId"] = self.external_id
        what = "%s: STS AssumeRole of %s at %s" % (source, self.role_arn, self.endpoint_url)
        return call_sts(self._client, "AssumeRole", params, what, source, deadline)
