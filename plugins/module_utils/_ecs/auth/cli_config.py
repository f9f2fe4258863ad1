# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The aliyun CLI config file (``~/.aliyun/config.json``) as a credential
source: its profiles and their modes (AK, StsToken, RamRoleArn,
ChainableRamRoleArn, EcsRamRole). See docs/credentials.md.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.environment import ENV_ECS_ROLE_NAME, first_set, text
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import Credentials, CredentialsProvider, StaticCredentialsProvider
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.sts import role_duration
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping
    from typing import Protocol

    class ChainCallbacks(Protocol):
        """What the file sources use of the walk down the chain (chain.py's _Resolver, which imports them)."""

        env: Mapping[str, str]
        tried: list

        def metadata_provider(self, role: str | None, origin: str | None, source: str | None = None) -> CredentialsProvider:
            ...

        def sts_url(self, region: str | None, enable_vpc: object) -> str:
            ...

        def role_provider(self, base: CredentialsProvider, role_arn: str, session_name: str | None, duration: int,
                          policy: str | None, external_id: str | None, endpoint: str, source: str) -> CredentialsProvider:
            ...

CLI_MODES = ("AK", "StsToken", "RamRoleArn", "ChainableRamRoleArn", "EcsRamRole")


def load_cli_config(path: str) -> dict:
    """The parsed config; a ConfigError names the file and the position, never its contents."""
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


class CliConfig:
    """The CLI file under ``home``; ``chain`` (the walk down the chain) records what was tried and builds
    the metadata and AssumeRole providers that profiles ask for."""

    def __init__(self, home: str, chain: ChainCallbacks) -> None:
        self.path = os.path.join(home, ".aliyun", "config.json")
        self.chain = chain

    def provider(self, profile: str | None) -> CredentialsProvider | None:
        """Provider of ``profile`` (else ``current``) in the CLI file, or None when it does not apply."""
        path, tried = self.path, self.chain.tried
        if not os.path.exists(path):
            tried.append("CLI config %s (not found)" % path)
            return None
        config = load_cli_config(path)
        name = profile or text(config.get("current"))
        if not name:
            tried.append("CLI config %s (no profile chosen and no 'current')" % path)
            return None
        entry = _find_profile(config, name)
        if entry is None:
            if profile:
                tried.append("CLI config %s (no profile '%s')" % (path, name))
                return None
            raise ConfigError("The Alibaba Cloud CLI config %s names '%s' as current profile, but has no such profile." % (path, name))
        return self._profile_provider(config, entry, set())

    def _profile_provider(self, config, entry, seen):
        path, name, chain = self.path, entry.get("name"), self.chain
        mode = text(entry.get("mode")) or _guess_cli_mode(entry)
        source = "profile '%s' (mode %s) in %s" % (name, mode, path)

        def need(*fields):
            missing = [f for f in fields if not text(entry.get(f))]
            if missing:
                raise ConfigError("Profile '%s' in %s: mode %s needs %s, which %s empty or missing."
                                  % (name, path, mode, ", ".join(missing), "is" if len(missing) == 1 else "are"), option="profile")
            return [text(entry.get(f)) for f in fields]

        if mode == "AK":
            key, secret = need("access_key_id", "access_key_secret")
            return StaticCredentialsProvider(Credentials(key, secret, None, None, source))
        if mode == "StsToken":
            key, secret, token = need("access_key_id", "access_key_secret", "sts_token")
            return StaticCredentialsProvider(Credentials(key, secret, token, None, source))
        if mode == "EcsRamRole":
            return chain.metadata_provider(text(entry.get("ram_role_name")) or first_set(chain.env, ENV_ECS_ROLE_NAME)[1],
                                           None, source=source)
        if mode in ("RamRoleArn", "ChainableRamRoleArn"):
            role_arn = need("ram_role_arn")[0]
            if mode == "RamRoleArn":
                key, secret = need("access_key_id", "access_key_secret")
                base = StaticCredentialsProvider(Credentials(key, secret, text(entry.get("sts_token")), None, source))
            else:
                parent_name = need("source_profile")[0]
                parent = _find_profile(config, parent_name)
                if parent is None or parent_name in seen or parent_name == name:
                    raise ConfigError("Profile '%s' in %s: source_profile '%s' is missing or loops." % (name, path, parent_name),
                                      option="profile")
                base = self._profile_provider(config, parent, seen | {name})
            duration = role_duration(entry.get("expired_seconds"), "Profile '%s' in %s: expired_seconds" % (name, path))
            endpoint = chain.sts_url(text(entry.get("sts_region")), entry.get("enable_vpc"))
            return chain.role_provider(base, role_arn, text(entry.get("ram_session_name")), duration,
                                       text(entry.get("policy")), text(entry.get("external_id")), endpoint, source)
        raise ConfigError("Profile '%s' in %s has mode %s, which this collection does not support (use one of %s)."
                          % (name, path, mode, ", ".join(CLI_MODES)), option="profile")
