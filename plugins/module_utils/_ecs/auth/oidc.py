# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""STS AssumeRoleWithOIDC: the keys of a RAM role for an OIDC identity, such as a pod's service
account token under RRSA on ACK. An anonymous call; the token file is read again at every refresh
(the kubelet rotates it). See docs/credentials.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.sts import DEFAULT_ROLE_DURATION, call_sts, sts_client
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import CredentialError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.retry import DEFAULT_MAX_ATTEMPTS

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import Credentials
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.sts import RpcCaller, RpcFactory
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline

ACTION = "AssumeRoleWithOIDC"
# A service account token is a JWT of a few hundred bytes; anything far larger is not one.
MAX_TOKEN_BYTES = 64 * 1024


class AssumeRoleWithOidc(object):
    """Temporary keys of ``role_arn`` for the OIDC token in ``token_file``.

    ``tokens`` holds every token read, so that whoever masks secrets can mask them too.
    """

    def __init__(self, rpc: RpcFactory, endpoint_url: str, role_arn: str, provider_arn: str, token_file: str,
                 session_name: str, duration: int = DEFAULT_ROLE_DURATION, validate_certs: bool = True,
                 max_attempts: int = DEFAULT_MAX_ATTEMPTS, env: Mapping[str, str] | None = None) -> None:
        self.rpc = rpc
        self.endpoint_url = endpoint_url
        self.role_arn = role_arn
        self.provider_arn = provider_arn
        self.token_file = token_file
        self.session_name = session_name
        self.duration = duration
        self.validate_certs = validate_certs
        self.max_attempts = max_attempts
        # Proxies and CA bundle from the environment the ECS calls read, as for AssumeRole.
        self.env = env
        self.tokens: set[str] = set()
        self._client: RpcCaller | None = None

    def read_token(self, source: str) -> str:
        """The token, read now; the error names the file, never what it holds."""
        try:
            with open(self.token_file, "rb") as handle:
                raw = handle.read(MAX_TOKEN_BYTES + 1)
        except OSError as exc:
            raise CredentialError("%s: cannot read the OIDC token file %s: %s" % (source, self.token_file, exc.strerror or exc),
                                  tried=[source]) from None
        try:
            token = raw.decode("ascii").strip()
        except UnicodeDecodeError:
            token = None
        if not token or len(raw) > MAX_TOKEN_BYTES or any(ord(char) < 33 for char in token):
            raise CredentialError("%s: the OIDC token file %s does not hold a token (one line of ASCII, a JWT)"
                                  % (source, self.token_file), tried=[source])
        self.tokens.add(token)
        return token

    def fetch(self, source: str, deadline: Deadline | None = None) -> Credentials:
        """New keys of the role for the token the file holds now, within ``deadline``."""
        token = self.read_token(source)
        client = self._client
        if client is None:
            client = self._client = sts_client(self.rpc, self.endpoint_url, None, ACTION, self.validate_certs,
                                               self.max_attempts, self.env, secret_params=("OIDCToken",))
        params = {"RoleArn": self.role_arn, "OIDCProviderArn": self.provider_arn, "OIDCToken": token,
                  "RoleSessionName": self.session_name, "DurationSeconds": str(self.duration)}
        what = "%s: STS %s of %s at %s" % (source, ACTION, self.role_arn, self.endpoint_url)
        return call_sts(client, ACTION, params, what, source, deadline)
