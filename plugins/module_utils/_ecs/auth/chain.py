# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Alibaba Cloud credential chain: ``resolve_credentials(options)`` walks
the sources in their order and returns the provider of the first that
applies (module options, explicit profile / file / role options, environment
keys, OIDC role federation, the CLI file, the ini file, the instance metadata
service, a credentials URI), the order of Alibaba's default chain. The order,
variables and endpoints are in docs/credentials.md; the sources live in
environment.py, oidc.py, cli_config.py, ini_file.py, imds.py, credentials_uri.py
and sts.py. Nothing here
ever puts a secret or a token into a message. See docs/architecture.md.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.cli_config import CliConfig
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.credentials_uri import CredentialsUri
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.environment import (
    ENV_CREDENTIALS_URI, ENV_ECS_ROLE_NAME, ENV_METADATA_DISABLED, ENV_METADATA_URL, ENV_OIDC_PROVIDER_ARN,
    ENV_OIDC_TOKEN_FILE, ENV_PROFILE, ENV_ROLE_ARN, ENV_ROLE_SESSION_NAME, ENV_STS_ENDPOINT, ENV_STS_REGION,
    ENV_VPC_ENDPOINT, env_keys_provider, first_set, is_true, text,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.imds import DEFAULT_METADATA_URL, ENV_IMDSV1_DISABLED, MetadataService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.ini_file import IniFile
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.oidc import AssumeRoleWithOidc
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import (
    Credentials,
    CredentialsProvider,
    RefreshingCredentialsProvider,
    StaticCredentialsProvider,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.sts import DEFAULT_STS_ENDPOINT, AssumeRole
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError, CredentialError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.urls import split_url

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Mapping

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.imds import HttpCall
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.sts import RpcFactory

__all__ = ("Credentials", "RefreshingCredentialsProvider", "StaticCredentialsProvider", "first_set", "resolve_credentials")


class _Resolver(object):
    """One walk down the chain; ``tried`` records every source looked at.

    The file sources call back ``metadata_provider``, ``role_provider`` and
    ``sts_url`` for the profiles that ask for a RAM role.
    """

    def __init__(self, options, env, home, clock, http, metadata_url, sts_endpoint, rpc):
        self.options = dict(options or {})
        self.rpc = rpc
        self.env = env
        self.clock = clock
        self.http = http
        self.metadata_url = metadata_url
        self.sts_endpoint = sts_endpoint
        self.tried = []
        self.cli = CliConfig(home, self)
        self.ini = IniFile(env, home, self)
        self.metadata = None

    def opt(self, name: str) -> str | None:
        return text(self.options.get(name))

    # -- the chain ---------------------------------------------------------

    def resolve(self) -> CredentialsProvider:
        for step in (self.from_options, self.from_explicit_options, self.from_env, self.from_oidc,
                     self.from_cli_file, self.from_ini_file, self.from_metadata, self.from_credentials_uri):
            provider = step()
            if provider is not None:
                return provider
        raise CredentialError(
            "No Alibaba Cloud credentials found. Tried, in order: %s. Fix: set the access_key and secret_key "
            "options; or the environment variables ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET "
            "(plus ALIBABA_CLOUD_SECURITY_TOKEN for STS keys); or a profile (option profile or ALIBABA_CLOUD_PROFILE) "
            "in %s (run 'aliyun configure') or in %s; or attach a RAM role to this ECS instance."
            % ("; ".join("%d) %s" % (i + 1, t) for i, t in enumerate(self.tried)), self.cli.path, self.ini.default_path),
            tried=self.tried,
        )

    def from_options(self) -> CredentialsProvider | None:
        key, secret, token = self.opt("access_key"), self.opt("secret_key"), self.opt("security_token")
        if key and secret:
            return StaticCredentialsProvider(Credentials(key, secret, token, None, "module options access_key/secret_key"))
        if key or secret:
            missing = "secret_key" if key else "access_key"
            given = "access_key" if key else "secret_key"
            raise ConfigError("The option %s is set but %s is not: set both (or neither, to use the environment or a profile)."
                              % (given, missing), option=missing)
        if token:
            raise ConfigError("The option security_token is set without access_key and secret_key: "
                              "STS keys need all three.", option="access_key")
        self.tried.append("module options access_key/secret_key (not set)")
        return None

    def from_explicit_options(self) -> CredentialsProvider | None:
        ini_file, profile, role = self.opt("shared_credentials_file"), self.opt("profile"), self.opt("ecs_role_name")
        if ini_file:
            path = os.path.expanduser(ini_file)
            section = profile or first_set(self.env, ENV_PROFILE)[1] or "default"
            return self.ini.provider(path, section, required=True, origin="option shared_credentials_file")
        if profile:
            provider = self.cli.provider(profile)
            if provider is None:
                provider = self.ini.provider(self.ini.path, profile, required=False, origin="option profile")
            if provider is None:
                raise ConfigError("The profile '%s' (option profile) was not found: looked in %s and %s."
                                  % (profile, self.cli.path, self.ini.path), option="profile")
            return provider
        if role:
            return self.metadata_provider(role, "option ecs_role_name")
        return None

    def from_env(self) -> CredentialsProvider | None:
        return env_keys_provider(self.env, self.tried)

    def from_oidc(self) -> CredentialsProvider | None:
        """OIDC role federation (RRSA): applies when the role, the provider and the token file are all named."""
        names = (ENV_ROLE_ARN, ENV_OIDC_PROVIDER_ARN, ENV_OIDC_TOKEN_FILE)
        role, provider, token_file = (first_set(self.env, variables)[1] for variables in names)
        if not (role and provider and token_file):
            unset = [variables[0] for variables, value in zip(names, (role, provider, token_file)) if not value]
            self.tried.append("OIDC role federation (%s not set)" % ", ".join(unset))
            return None
        source = "OIDC role %s (environment %s, token file %s)" % (role, ENV_ROLE_ARN[0], token_file)
        oidc = AssumeRoleWithOidc(self.sts_rpc(source, "AssumeRoleWithOIDC"), self.sts_url(None, None), role, provider,
                                  token_file, self.session_name(None),
                                  validate_certs=self.options.get("validate_certs", True) is not False, env=self.env)
        return RefreshingCredentialsProvider(lambda deadline: oidc.fetch(source, deadline), source, clock=self.clock,
                                             secrets=oidc.tokens)

    def from_cli_file(self) -> CredentialsProvider | None:
        var, profile = first_set(self.env, ENV_PROFILE)
        provider = self.cli.provider(profile)
        if provider is None and var and profile:  # (first_set gives both or neither)
            provider = self.ini.provider(self.ini.path, profile, required=False, origin=var)
            if provider is None:
                raise ConfigError("The profile '%s' (environment %s) was not found: looked in %s and %s."
                                  % (profile, var, self.cli.path, self.ini.path))
        return provider

    def from_ini_file(self) -> CredentialsProvider | None:
        return self.ini.provider(self.ini.path, "default", required=bool(self.ini.variable), origin=self.ini.variable)

    def from_metadata(self) -> CredentialsProvider | None:
        if is_true(self.env.get(ENV_METADATA_DISABLED)):
            self.tried.append("ECS instance metadata service (disabled by %s)" % ENV_METADATA_DISABLED)
            return None
        var, role = first_set(self.env, ENV_ECS_ROLE_NAME)
        if role:
            return self.metadata_provider(role, "environment %s" % var)
        service = self.metadata_service()
        try:
            role = service.discover_role()
        except CredentialError as exc:
            self.tried.append("ECS RAM role from %s" % exc.message)
            return None
        return self.metadata_provider(role, "discovered")

    def from_credentials_uri(self) -> CredentialsProvider | None:
        var, uri = first_set(self.env, ENV_CREDENTIALS_URI)
        if not uri:
            self.tried.append("environment %s (not set)" % ENV_CREDENTIALS_URI[0])
            return None
        server = CredentialsUri(uri, var or ENV_CREDENTIALS_URI[0], http=self.http)
        source = "credentials URI %s (environment %s)" % (server.shown, var)
        return RefreshingCredentialsProvider(lambda deadline: server.fetch(source, deadline), source, clock=self.clock)

    # -- the providers a source may ask for --------------------------------

    def metadata_service(self) -> MetadataService:
        if self.metadata is None:
            variable, base = first_set(self.env, ENV_METADATA_URL)
            if variable and base and not self.metadata_url:
                split_url(base, variable, "a URL such as http://100.100.100.200")
            base = self.metadata_url or base or DEFAULT_METADATA_URL
            self.metadata = MetadataService(base, http=self.http, clock=self.clock,
                                            imdsv1_disabled=is_true(self.env.get(ENV_IMDSV1_DISABLED)))
        return self.metadata

    def metadata_provider(self, role: str | None, origin: str | None, source: str | None = None) -> CredentialsProvider:
        if is_true(self.env.get(ENV_METADATA_DISABLED)):
            raise ConfigError("%s asks for an ECS RAM role but %s=true disables the metadata service."
                              % (source or origin, ENV_METADATA_DISABLED), option="ecs_role_name" if origin == "option ecs_role_name" else None)
        service = self.metadata_service()
        if source is None:
            source = "ECS RAM role '%s' from the instance metadata service" % role
        elif role:
            source = "%s, ECS RAM role '%s'" % (source, role)
        return RefreshingCredentialsProvider(lambda deadline: service.fetch(role, source, deadline), source, clock=self.clock)

    def sts_url(self, region: str | None, enable_vpc) -> str:
        variable, endpoint = (None, self.sts_endpoint) if self.sts_endpoint else first_set(self.env, ENV_STS_ENDPOINT)
        if not endpoint:
            region = region or first_set(self.env, ENV_STS_REGION)[1]
            if not region:
                return DEFAULT_STS_ENDPOINT
            vpc = is_true(enable_vpc) if enable_vpc is not None else is_true(self.env.get(ENV_VPC_ENDPOINT))
            endpoint = "%s.%s.aliyuncs.com" % ("sts-vpc" if vpc else "sts", region)
        if "://" not in endpoint:
            endpoint = "https://" + endpoint
        if variable:
            split_url(endpoint, variable, "a URL such as https://sts.cn-hangzhou.aliyuncs.com")
        return endpoint.rstrip("/")

    def session_name(self, configured: str | None) -> str:
        """RoleSessionName: the profile's, else ALIBABA_CLOUD_ROLE_SESSION_NAME, else one with the time."""
        return configured or first_set(self.env, ENV_ROLE_SESSION_NAME)[1] or "ansible-alicloud-ecs-%d" % int(self.clock())

    def sts_rpc(self, source: str, action: str) -> RpcFactory:
        """The RPC client factory STS calls go through; a ConfigError when the caller gave none."""
        if self.rpc is None:
            raise ConfigError("%s asks for STS %s, which this caller cannot make (no RPC client given)" % (source, action))
        return self.rpc

    def role_provider(self, base: CredentialsProvider, role_arn: str, session_name: str | None, duration: int, policy: str | None,
                      external_id: str | None, endpoint: str, source: str) -> CredentialsProvider:
        assume = AssumeRole(self.sts_rpc(source, "AssumeRole"), base, endpoint, role_arn, self.session_name(session_name),
                            duration, policy, external_id,
                            validate_certs=self.options.get("validate_certs", True) is not False, env=self.env)
        return RefreshingCredentialsProvider(lambda deadline: assume.fetch(source, deadline), source, clock=self.clock)


def resolve_credentials(options: dict | None, env: Mapping[str, str] | None = None, home: str | None = None,
                        clock: Callable[[], float] = time.time, http: HttpCall | None = None,
                        metadata_url: str | None = None, sts_endpoint: str | None = None,
                        rpc: RpcFactory | None = None) -> CredentialsProvider:
    """The provider (``.get() -> Credentials``, ``.source``) of the first credential source that applies.

    ``options``: access_key, secret_key, security_token, profile,
    shared_credentials_file, ecs_role_name (any may be None; validate_certs is
    honoured for STS when present). ``env`` defaults to os.environ, ``home`` to
    the user's home. ``http(method, url, headers, timeout) -> (status, text)``
    replaces the transport of the metadata service and the credentials URI; ``metadata_url`` / ``sts_endpoint``
    override the base URLs; ``rpc`` builds the signed client STS calls go through
    (api/client.py's RpcClient: injected, as auth sits below api). No network I/O happens here except the metadata
    role discovery, tried only when nothing else applies.
    Raises ConfigError for half-set or unreadable configuration, CredentialError
    when no source applies.
    """
    env = os.environ if env is None else env
    home = os.path.expanduser("~") if home is None else home
    return _Resolver(options, env, home, clock, http, metadata_url, sts_endpoint, rpc).resolve()
