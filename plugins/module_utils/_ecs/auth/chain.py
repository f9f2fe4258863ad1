# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Alibaba Cloud credential chain, as users already configure it.

``resolve_credentials(options)`` picks ONE source and returns a provider whose
``.get()`` gives :class:`Credentials`. The first source that applies wins:

1. Module options ``access_key`` + ``secret_key`` (+ ``security_token``).
   One without the other is a ConfigError.
2. An explicit ``shared_credentials_file``, ``profile`` or ``ecs_role_name``
   module option. These are more specific than keys found in the environment
   (someone wrote them into this very task), so they go first, straight to
   their own source: ``shared_credentials_file`` -> that ini file (section
   ``profile`` or ``default``); ``profile`` -> that profile of the CLI file,
   else that section of the ini file; ``ecs_role_name`` -> the metadata service.
   A profile that cannot be found is a ConfigError, never a silent fall-through.
3. Environment keys, first set wins for each, an empty variable counts as unset:
   ``ALIBABA_CLOUD_ACCESS_KEY_ID``, ``ALICLOUD_ACCESS_KEY``, ``ALICLOUD_ACCESS_KEY_ID``;
   ``ALIBABA_CLOUD_ACCESS_KEY_SECRET``, ``ALICLOUD_SECRET_KEY``, ``ALICLOUD_SECRET_ACCESS_KEY``;
   ``ALIBABA_CLOUD_SECURITY_TOKEN``, ``ALICLOUD_SECURITY_TOKEN``.
4. The CLI file ``~/.aliyun/config.json``: profile from ``ALIBABA_CLOUD_PROFILE``,
   ``ALICLOUD_PROFILE``, else its ``current``; modes AK, StsToken, RamRoleArn,
   ChainableRamRoleArn, EcsRamRole.
5. The ini file: ``ALIBABA_CLOUD_CREDENTIALS_FILE`` else
   ``~/.alibabacloud/credentials.ini``; section from the profile variables else
   ``default``; ``type`` access_key, ram_role_arn, ecs_ram_role.
6. The ECS instance metadata service (only when nothing else applies): role
   from ``ALICLOUD_ECS_ROLE_NAME``, ``ALIBABA_CLOUD_ECS_METADATA``, else the one
   attached to the instance. Off by ``ALIBABA_CLOUD_ECS_METADATA_DISABLED=true``;
   ``ALIBABA_CLOUD_IMDSV1_DISABLED=true`` forbids the fallback to IMDSv1.

Endpoints, overridable for odd networks and for tests (argument first, then
the environment):
- metadata service base URL: ``ALIBABA_CLOUD_IMDS_ENDPOINT`` (the name
  Alibaba's ack-ram-tool reads) or ``ALIBABA_CLOUD_ECS_METADATA_ENDPOINT`` (this
  collection's), default ``http://100.100.100.200``;
- STS: ``ALIBABA_CLOUD_STS_ENDPOINT`` (read by the aliyun CLI; a host or a
  URL), else ``sts.<region>.aliyuncs.com`` from the profile's ``sts_region`` or
  ``ALIBABA_CLOUD_STS_REGION`` (``sts-vpc.`` with ``enable_vpc`` or
  ``ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true``, as the official credentials
  library does), else ``https://sts.aliyuncs.com``.

Credentials that expire (STS, metadata) are refreshed a few minutes before
they do. Nothing here ever puts a secret or a token into a message.
"""

from __future__ import annotations

import configparser
import json
import os
import time

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import (
    Credentials,
    RefreshingCredentialsProvider,
    StaticCredentialsProvider,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError, CredentialError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.imds import DEFAULT_METADATA_URL, ENV_IMDSV1_DISABLED, MetadataService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.sts import DEFAULT_STS_ENDPOINT, AssumeRole

DEFAULT_ROLE_DURATION = 3600
MIN_ROLE_DURATION = 900

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

CLI_MODES = ("AK", "StsToken", "RamRoleArn", "ChainableRamRoleArn", "EcsRamRole")
INI_TYPES = ("access_key", "ram_role_arn", "ecs_ram_role")


def first_set(env, names):
    """(name, value) of the first variable in ``names`` that is set and not blank."""
    for name in names:
        value = env.get(name)
        if value is not None and str(value).strip():
            return name, str(value).strip()
    return None, None


def _is_true(value):
    return str(value or "").strip().lower() in ("true", "1", "yes", "on")


def _text(value):
    """An option / file value as a stripped string, or None when blank."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _load_json_file(path):
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise ConfigError("Cannot read the Alibaba Cloud CLI config %s: %s" % (path, exc.strerror or exc))
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError("The Alibaba Cloud CLI config %s is not UTF-8 text" % path) from None
    except ValueError as exc:
        raise ConfigError("The Alibaba Cloud CLI config %s is not valid JSON (line %s, column %s: %s)"
                          % (path, getattr(exc, "lineno", "?"), getattr(exc, "colno", "?"), getattr(exc, "msg", "syntax error"))) from None
    if not isinstance(data, dict) or not isinstance(data.get("profiles", []), list):
        raise ConfigError("The Alibaba Cloud CLI config %s does not hold an object with a list of profiles" % path)
    return data


def _load_ini_file(path):
    """{section: {key: value}}; values lose '#' comments, as in the official library."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, "r", encoding="utf-8") as handle:
            text = handle.read()
    except UnicodeDecodeError:
        raise ConfigError("The credentials file %s is not UTF-8 text" % path) from None
    except OSError as exc:
        raise ConfigError("Cannot read the credentials file %s: %s" % (path, exc.strerror or exc))
    try:
        parser.read_string(text, source=path)
    except configparser.Error as exc:
        # The parser's own message quotes the offending line, which may hold a secret.
        lines = [str(n) for n, _line in getattr(exc, "errors", [])] or [str(getattr(exc, "lineno", "?"))]
        raise ConfigError("The credentials file %s is not a valid ini file (%s at line %s)"
                          % (path, type(exc).__name__, ", ".join(lines))) from None
    return {name: {k: v.split("#")[0].strip() for k, v in parser.items(name)} for name in parser.sections()}


class _Resolver(object):
    """One walk down the chain; ``tried`` records every source looked at."""

    def __init__(self, options, env, home, clock, http, metadata_url, sts_endpoint):
        self.options = dict(options or {})
        self.env = env
        self.home = home
        self.clock = clock
        self.http = http
        self.metadata_url = metadata_url
        self.sts_endpoint = sts_endpoint
        self.tried = []
        self.cli_path = os.path.join(home, ".aliyun", "config.json")
        self.metadata = None

    def opt(self, name):
        return _text(self.options.get(name))

    # -- the chain ---------------------------------------------------------

    def resolve(self):
        for step in (self.from_options, self.from_explicit_options, self.from_env,
                     self.from_cli_file, self.from_ini_file, self.from_metadata):
            provider = step()
            if provider is not None:
                return provider
        raise CredentialError(
            "No Alibaba Cloud credentials found. Tried, in order: %s. Fix: set the access_key and secret_key "
            "options; or the environment variables ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET "
            "(plus ALIBABA_CLOUD_SECURITY_TOKEN for STS keys); or a profile (option profile or ALIBABA_CLOUD_PROFILE) "
            "in %s (run 'aliyun configure') or in %s; or attach a RAM role to this ECS instance."
            % ("; ".join("%d) %s" % (i + 1, t) for i, t in enumerate(self.tried)), self.cli_path, self.default_ini_path()),
            tried=self.tried,
        )

    def from_options(self):
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

    def from_explicit_options(self):
        ini_file, profile, role = self.opt("shared_credentials_file"), self.opt("profile"), self.opt("ecs_role_name")
        if ini_file:
            path = os.path.expanduser(ini_file)
            section = profile or self.env_profile()[1] or "default"
            return self.ini_provider(path, section, required=True, origin="option shared_credentials_file")
        if profile:
            provider = self.cli_provider(profile, origin="option profile", required=False)
            if provider is None:
                provider = self.ini_provider(self.ini_path()[0], profile, required=False, origin="option profile")
            if provider is None:
                raise ConfigError("The profile '%s' (option profile) was not found: looked in %s and %s."
                                  % (profile, self.cli_path, self.ini_path()[0]), option="profile")
            return provider
        if role:
            return self.metadata_provider(role, "option ecs_role_name")
        return None

    def from_env(self):
        key_var, key = first_set(self.env, ENV_ACCESS_KEY)
        secret_var, secret = first_set(self.env, ENV_SECRET_KEY)
        if key and secret:
            token = first_set(self.env, ENV_SECURITY_TOKEN)[1]
            return StaticCredentialsProvider(Credentials(key, secret, token, None, "environment %s" % key_var))
        if key or secret:
            given, wanted = (key_var, ENV_SECRET_KEY) if key else (secret_var, ENV_ACCESS_KEY)
            raise ConfigError("The environment variable %s is set but none of %s is: set the pair (or unset it)."
                              % (given, ", ".join(wanted)))
        self.tried.append("environment %s / %s (not set)" % ("|".join(ENV_ACCESS_KEY), "|".join(ENV_SECRET_KEY)))
        return None

    def from_cli_file(self):
        var, profile = self.env_profile()
        provider = self.cli_provider(profile, origin=var, required=False)
        if provider is None and var:
            provider = self.ini_provider(self.ini_path()[0], profile, required=False, origin=var)
            if provider is None:
                raise ConfigError("The profile '%s' (environment %s) was not found: looked in %s and %s."
                                  % (profile, var, self.cli_path, self.ini_path()[0]))
        return provider

    def from_ini_file(self):
        path, var = self.ini_path()
        return self.ini_provider(path, "default", required=bool(var), origin=var)

    def from_metadata(self):
        if _is_true(self.env.get(ENV_METADATA_DISABLED)):
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

    # -- helpers -----------------------------------------------------------

    def env_profile(self):
        return first_set(self.env, ENV_PROFILE)

    def default_ini_path(self):
        return os.path.join(self.home, ".alibabacloud", "credentials.ini")

    def ini_path(self):
        var, path = first_set(self.env, ENV_CREDENTIALS_FILE)
        if path:
            return os.path.expanduser(path), var
        return self.default_ini_path(), None

    def cli_provider(self, profile, origin, required):
        """Provider of ``profile`` (else ``current``) in the CLI file, or None when it does not apply."""
        path = self.cli_path
        if not os.path.exists(path):
            self.tried.append("CLI config %s (not found)" % path)
            return None
        config = _load_json_file(path)
        name = profile or _text(config.get("current"))
        if not name:
            self.tried.append("CLI config %s (no profile chosen and no 'current')" % path)
            return None
        entry = _find_profile(config, name)
        if entry is None:
            if profile:
                self.tried.append("CLI config %s (no profile '%s')" % (path, name))
                return None
            raise ConfigError("The Alibaba Cloud CLI config %s names '%s' as current profile, but has no such profile." % (path, name))
        return self.cli_profile_provider(config, entry, set())

    def cli_profile_provider(self, config, entry, seen):
        path, name = self.cli_path, entry.get("name")
        mode = _text(entry.get("mode")) or _guess_cli_mode(entry)
        source = "profile '%s' (mode %s) in %s" % (name, mode, path)

        def need(*fields):
            missing = [f for f in fields if not _text(entry.get(f))]
            if missing:
                raise ConfigError("Profile '%s' in %s: mode %s needs %s, which %s empty or missing."
                                  % (name, path, mode, ", ".join(missing), "is" if len(missing) == 1 else "are"), option="profile")
            return [_text(entry.get(f)) for f in fields]

        if mode == "AK":
            key, secret = need("access_key_id", "access_key_secret")
            return StaticCredentialsProvider(Credentials(key, secret, None, None, source))
        if mode == "StsToken":
            key, secret, token = need("access_key_id", "access_key_secret", "sts_token")
            return StaticCredentialsProvider(Credentials(key, secret, token, None, source))
        if mode == "EcsRamRole":
            return self.metadata_provider(_text(entry.get("ram_role_name")) or first_set(self.env, ENV_ECS_ROLE_NAME)[1],
                                          None, source=source)
        if mode in ("RamRoleArn", "ChainableRamRoleArn"):
            role_arn = need("ram_role_arn")[0]
            if mode == "RamRoleArn":
                key, secret = need("access_key_id", "access_key_secret")
                base = StaticCredentialsProvider(Credentials(key, secret, _text(entry.get("sts_token")), None, source))
            else:
                parent_name = need("source_profile")[0]
                parent = _find_profile(config, parent_name)
                if parent is None or parent_name in seen or parent_name == name:
                    raise ConfigError("Profile '%s' in %s: source_profile '%s' is missing or loops." % (name, path, parent_name),
                                      option="profile")
                base = self.cli_profile_provider(config, parent, seen | {name})
            duration = _duration(entry.get("expired_seconds"), "Profile '%s' in %s: expired_seconds" % (name, path))
            endpoint = self.sts_url(_text(entry.get("sts_region")), entry.get("enable_vpc"))
            return self.role_provider(base, role_arn, _text(entry.get("ram_session_name")), duration,
                                      _text(entry.get("policy")), _text(entry.get("external_id")), endpoint, source)
        raise ConfigError("Profile '%s' in %s has mode %s, which this collection does not support (use one of %s)."
                          % (name, path, mode, ", ".join(CLI_MODES)), option="profile")

    def ini_provider(self, path, section, required, origin):
        if not os.path.exists(path):
            if required:
                raise ConfigError("The credentials file %s (%s) does not exist." % (path, origin),
                                  option="shared_credentials_file" if origin.startswith("option") else None)
            self.tried.append("credentials file %s (not found)" % path)
            return None
        sections = _load_ini_file(path)
        values = sections.get(section)
        if values is None:
            if required:
                raise ConfigError("The credentials file %s has no section [%s]." % (path, section),
                                  option="profile" if section != "default" else None)
            self.tried.append("credentials file %s (no section [%s])" % (path, section))
            return None
        source = "section [%s] of %s" % (section, path)
        kind = values.get("type") or ("access_key" if values.get("access_key_id") else "")

        def need(*fields):
            missing = [f for f in fields if not values.get(f)]
            if missing:
                raise ConfigError("Section [%s] of %s: type %s needs %s, which %s empty or missing."
                                  % (section, path, kind, ", ".join(missing), "is" if len(missing) == 1 else "are"))
            return [values[f] for f in fields]

        if kind == "access_key":
            key, secret = need("access_key_id", "access_key_secret")
            return StaticCredentialsProvider(Credentials(key, secret, None, None, source))
        if kind == "ecs_ram_role":
            return self.metadata_provider(values.get("role_name") or first_set(self.env, ENV_ECS_ROLE_NAME)[1], None, source=source)
        if kind == "ram_role_arn":
            key, secret, role_arn = need("access_key_id", "access_key_secret", "role_arn")
            base = StaticCredentialsProvider(Credentials(key, secret, None, None, source))
            duration = _duration(values.get("duration_seconds"), "Section [%s] of %s: duration_seconds" % (section, path))
            return self.role_provider(base, role_arn, values.get("role_session_name"), duration, values.get("policy"),
                                      values.get("external_id"), self.sts_url(values.get("sts_region"), None), source)
        raise ConfigError("Section [%s] of %s has type '%s', which this collection does not support (use one of %s)."
                          % (section, path, kind or "(none)", ", ".join(INI_TYPES)))

    def metadata_service(self):
        if self.metadata is None:
            base = self.metadata_url or first_set(self.env, ENV_METADATA_URL)[1] or DEFAULT_METADATA_URL
            self.metadata = MetadataService(base, http=self.http, clock=self.clock,
                                            imdsv1_disabled=_is_true(self.env.get(ENV_IMDSV1_DISABLED)))
        return self.metadata

    def metadata_provider(self, role, origin, source=None):
        if _is_true(self.env.get(ENV_METADATA_DISABLED)):
            raise ConfigError("%s asks for an ECS RAM role but %s=true disables the metadata service."
                              % (source or origin, ENV_METADATA_DISABLED), option="ecs_role_name" if origin == "option ecs_role_name" else None)
        service = self.metadata_service()
        if source is None:
            source = "ECS RAM role '%s' from the instance metadata service" % role
        elif role:
            source = "%s, ECS RAM role '%s'" % (source, role)
        return RefreshingCredentialsProvider(lambda: service.fetch(role, source), source, clock=self.clock)

    def sts_url(self, region, enable_vpc):
        endpoint = self.sts_endpoint or first_set(self.env, ENV_STS_ENDPOINT)[1]
        if not endpoint:
            region = region or first_set(self.env, ENV_STS_REGION)[1]
            if not region:
                return DEFAULT_STS_ENDPOINT
            vpc = _is_true(enable_vpc) if enable_vpc is not None else _is_true(self.env.get(ENV_VPC_ENDPOINT))
            endpoint = "%s.%s.aliyuncs.com" % ("sts-vpc" if vpc else "sts", region)
        if "://" not in endpoint:
            endpoint = "https://" + endpoint
        return endpoint.rstrip("/")

    def role_provider(self, base, role_arn, session_name, duration, policy, external_id, endpoint, source):
        session = session_name or first_set(self.env, ENV_ROLE_SESSION_NAME)[1] or "ansible-alicloud-ecs-%d" % int(self.clock())
        assume = AssumeRole(base, endpoint, role_arn, session, duration, policy, external_id,
                            validate_certs=self.options.get("validate_certs", True) is not False)
        return RefreshingCredentialsProvider(lambda: assume.fetch(source), source, clock=self.clock)


def _find_profile(config, name):
    for entry in config.get("profiles") or []:
        if isinstance(entry, dict) and entry.get("name") == name:
            return entry
    return None


def _guess_cli_mode(entry):
    """What the CLI itself infers when a profile has no mode."""
    if entry.get("ram_role_arn"):
        return "RamRoleArn"
    if entry.get("sts_token"):
        return "StsToken"
    if entry.get("access_key_id"):
        return "AK"
    if entry.get("ram_role_name"):
        return "EcsRamRole"
    return "(none)"


def _duration(value, what):
    if value in (None, "", 0, "0"):
        return DEFAULT_ROLE_DURATION
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        raise ConfigError("%s must be a whole number of seconds, got %r." % (what, value)) from None
    if seconds < MIN_ROLE_DURATION:
        raise ConfigError("%s must be at least %d seconds, got %d." % (what, MIN_ROLE_DURATION, seconds))
    return seconds


def resolve_credentials(options, env=None, home=None, clock=time.time, http=None, metadata_url=None, sts_endpoint=None):
    """The provider of the first credential source that applies (see the module docstring).

    ``options``: access_key, secret_key, security_token, profile,
    shared_credentials_file, ecs_role_name (any may be None; validate_certs is
    honoured for STS when present). ``env`` defaults to os.environ, ``home`` to
    the user's home. ``http(method, url, headers, timeout) -> (status, text)``
    replaces the metadata transport; ``metadata_url`` / ``sts_endpoint``
    override the base URLs. No network I/O happens here except the metadata
    role discovery, tried only when nothing else applies.
    Raises ConfigError for half-set or unreadable configuration, CredentialError
    when no source applies.
    """
    env = os.environ if env is None else env
    home = os.path.expanduser("~") if home is None else home
    return _Resolver(options, env, home, clock, http, metadata_url, sts_endpoint).resolve()
