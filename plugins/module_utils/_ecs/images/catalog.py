# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ImportImage and ExportImage take: formats, architectures, OS types, boot modes, license types (the API
pages); and the case-insensitive reading of what a user wrote. Every other file reads these names from here.
See docs/architecture.md.
"""

from __future__ import annotations

import re

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.spelling import choose
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import kind_of

# ImportImage's DiskDeviceMapping.N.Format (the service also detects the format when none is given).
IMPORT_FORMATS = ("RAW", "VHD", "QCOW2")
# ExportImage's ImageFormat, raw by default.
EXPORT_FORMATS = ("raw", "vhd", "qcow2", "vmdk", "vdi")
DEFAULT_EXPORT_FORMAT = "raw"
ARCHITECTURES = ("x86_64", "i386", "arm64")
OS_TYPES = ("linux", "windows")
BOOT_MODES = ("BIOS", "UEFI", "UEFI-Preferred")
LICENSE_TYPES = ("Auto", "Aliyun", "BYOL")

# ImageName: 2-128 characters, a letter first, then letters, digits, '.', ':', '_', '-'; not acs: or aliyun first,
# no http:// or https:// (the ImportImage page).
IMAGE_NAME = re.compile(r"[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5.:_-]{1,127}\Z")
# OSSPrefix: 1-30 letters or digits (the ExportImage page).
OSS_PREFIX = re.compile(r"[A-Za-z0-9]{1,30}\Z")
# A bucket name: 3-63 lower-case letters, digits and hyphens, a letter or digit at each end.
BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9-]{1,61}[a-z0-9]\Z")


def choice(value: object, option: str, choices: tuple[str, ...], what: str) -> str | None:
    """``value`` as ECS spells it (case ignored: ``qcow2`` -> ``QCOW2``), None when not given."""
    if value is None:
        return None
    return choose(value, option, choices, what)


def validate_image_name(value: object, option: str = "image_name") -> str:
    """An image name ECS accepts, or a ConfigError saying the rule."""
    if not isinstance(value, str) or not IMAGE_NAME.match(value) or value.startswith(("acs:", "aliyun")) \
            or "http://" in value or "https://" in value:
        raise ConfigError("%s must be 2 to 128 characters, a letter first, then letters, digits, '.', ':', '_' or "
                          "'-', not starting with 'aliyun' or 'acs:'; got %s %r" % (option, kind_of(value), value),
                          option=option)
    return value


def validate_bucket(value: object, option: str = "oss_bucket") -> str:
    """An OSS bucket name (without oss:// or an endpoint), or a ConfigError saying the rule."""
    if not isinstance(value, str) or not BUCKET_NAME.match(value):
        raise ConfigError("%s must be a bucket name: 3 to 63 lower-case letters, digits and hyphens (no oss:// and "
                          "no endpoint); got %s %r" % (option, kind_of(value), value), option=option)
    return value


def validate_prefix(value: object, option: str = "oss_prefix") -> str:
    """An export's object prefix ('' for none), or a ConfigError saying the rule."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or not OSS_PREFIX.match(value):
        raise ConfigError("%s must be 1 to 30 letters or digits (ECS adds '_' and the image id after it); got %s %r"
                          % (option, kind_of(value), value), option=option)
    return value
