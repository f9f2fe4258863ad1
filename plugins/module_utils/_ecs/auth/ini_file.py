# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared credentials ini file of the official libraries
(``ALIBABA_CLOUD_CREDENTIALS_FILE`` else ``~/.alibabacloud/credentials.ini``)
as a credential source: sections of type access_key, ram_role_arn,
ecs_ram_role. See docs/credentials.md.
"""

from __future__ import annotations

import configparser
import os
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.environment import ENV_CREDENTIALS_FILE, ENV_ECS_ROLE_NAME, first_set
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import Credentials, CredentialsProvider, StaticCredentialsProvider
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.sts import role_duration
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.cli_config import ChainCallbacks

INI_TYPES = ("access_key", "ram_role_arn", "ecs_ram_role")


def load_ini_file(path: str) -> dict:
    """{section: {key: value}}; values lose '#' comments, as in the official library."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, "r", encoding="utf-8") as handle:
            content = handle.read()
    except UnicodeDecodeError:
        raise ConfigError("The credentials file %s is not UTF-8 text" % path) from None
    except OSError as exc:
        raise ConfigError("Cannot read the credentials file %s: %s" % (path, exc.strerror or exc))
    try:
        parser.read_string(content, source=path)
    except configparser.Error as exc:
        # The parser's own message quotes the offending line, which may hold a secret.
        lines = [str(n) for n, _line in getattr(exc, "errors", [])] or [str(getattr(exc, "lineno", "?"))]
        raise ConfigError("The credentials file %s is not a valid ini file (%s at line %s)"
                          % (path, type(exc).__name__, ", ".join(lines))) from None
    return {name: {k: v.split("#")[0].strip() for k, v in parser.items(name)} for name in parser.sections()}


class IniFile:
    """The ini file for ``env`` and ``home``; ``chain`` as for the CLI file (cli_config.py)."""

    def __init__(self, env: Mapping[str, str], home: str, chain: ChainCallbacks) -> None:
        self.default_path = os.path.join(home, ".alibabacloud", "credentials.ini")
        var, path = first_set(env, ENV_CREDENTIALS_FILE)
        # (the file to read, the variable that named it or None for the default)
        self.path, self.variable = (os.path.expanduser(path), var) if path else (self.default_path, None)
        self.chain = chain

    def provider(self, path: str, section: str, required: bool, origin: str | None) -> CredentialsProvider | None:
        """Provider of ``section`` of the ini file ``path``, or None (noted as tried) unless ``required``."""
        tried = self.chain.tried
        if not os.path.exists(path):
            if required:
                raise ConfigError("The credentials file %s (%s) does not exist." % (path, origin),
                                  option="shared_credentials_file" if origin and origin.startswith("option") else None)
            tried.append("credentials file %s (not found)" % path)
            return None
        sections = load_ini_file(path)
        values = sections.get(section)
        if values is None:
            if required:
                raise ConfigError("The credentials file %s has no section [%s]." % (path, section),
                                  option="profile" if section != "default" else None)
            tried.append("credentials file %s (no section [%s])" % (path, section))
            return None
        return self._section_provider(path, section, values)

    def _section_provider(self, path, section, values):
        chain = self.chain
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
            return chain.metadata_provider(values.get("role_name") or first_set(chain.env, ENV_ECS_ROLE_NAME)[1], None, source=source)
        if kind == "ram_role_arn":
            key, secret, role_arn = need("access_key_id", "access_key_secret", "role_arn")
            base = StaticCredentialsProvider(Credentials(key, secret, None, None, source))
            duration = role_duration(values.get("duration_seconds"), "Section [%s] of %s: duration_seconds" % (section, path))
            return chain.role_provider(base, role_arn, values.get("role_session_name"), duration, values.get("policy"),
                                       values.get("external_id"), chain.sts_url(values.get("sts_region"), None), source)
        raise ConfigError("Section [%s] of %s has type '%s', which this collection does not support (use one of %s)."
                          % (section, path, kind or "(none)", ", ".join(INI_TYPES)))
