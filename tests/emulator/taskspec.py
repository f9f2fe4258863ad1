# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a new task looks like: regions, defaults and related items, as the cloud makes them.

Shared by the signed actions (ExportImage, ...) and the control API. A
related item value may hold `{task_id}`: it becomes the new task's id.
"""

from __future__ import annotations

REGIONS = frozenset((
    "cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "cn-qingdao", "cn-zhangjiakou",
    "cn-huhehaote", "cn-wulanchabu", "cn-chengdu", "cn-heyuan", "cn-guangzhou", "cn-nanjing",
    "cn-fuzhou", "cn-wuhan-lr", "cn-hongkong", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2",
    "ap-south-1", "us-west-1", "us-east-1", "eu-central-1", "eu-west-1", "me-east-1", "me-central-1",
    "na-south-1", "cn-shanghai-finance-1", "cn-shenzhen-finance-1", "cn-beijing-finance-1",
))

DEFAULT_REGION = "cn-hangzhou"
DEFAULT_DURATION = 60.0
DEFAULT_BUCKET = "emulator-bucket"
DEFAULT_IMAGE_FORMAT = "raw"
DEFAULT_ERROR_CODE = "OperationFailed"
DEFAULT_ERROR_MSG = "The task failed."

_ACTION_ALIASES = {
    "IMPORT_IMAGE": "ImportImage",
    "EXPORT_IMAGE": "ExportImage",
    "MODIFY_DISK_SPEC": "ModifyDiskSpec",
    "REDEPLOY_INSTANCE": "RedeployInstance",
    "ARCHIVE_SNAPSHOT": "ArchiveSnapshot",
}


def normalize_action(name):
    """IMPORT_IMAGE -> ImportImage; CamelCase names pass unchanged."""
    return _ACTION_ALIASES.get(name, name)


def export_items(image_id, bucket=DEFAULT_BUCKET, prefix="", image_format=DEFAULT_IMAGE_FORMAT):
    # The exported object is named <prefix>_<image>_<task>.<format> (API reference sample).
    stem = "%s_%s_{task_id}" % (prefix, image_id) if prefix else "%s_{task_id}" % image_id
    return [("OSSBucket", bucket), ("OSSObject", "%s.%s" % (stem, image_format)), ("ImageFormat", image_format)]


def default_bucket(region):
    """A bucket lives in one region: each region's default exports go to a bucket of their own."""
    return DEFAULT_BUCKET if region == DEFAULT_REGION else "%s-%s" % (DEFAULT_BUCKET, region)


def default_resource(action, new_resource_id, region=DEFAULT_REGION):
    """(resource_id, related items) the cloud would attach to a task of this action."""
    if action == "ExportImage":
        image_id = new_resource_id("m-")
        return image_id, export_items(image_id, default_bucket(region))
    if action == "ImportImage":
        image_id = new_resource_id("m-")
        return image_id, [("ImageId", image_id)]
    if action == "ModifyDiskSpec":
        return new_resource_id("d-"), []
    if action == "RedeployInstance":
        return new_resource_id("i-"), []
    return "", []


def merge_items(defaults, overrides):
    """Items of `overrides` replace same-named defaults; new names are appended."""
    merged = list(defaults)
    for name, value in overrides:
        for index, item in enumerate(merged):
            if item[0] == name:
                merged[index] = (name, value)
                break
        else:
            merged.append((name, value))
    return merged


def default_support_cancel(action):
    return action in ("ImportImage", "ExportImage")
