# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DescribeImages and DescribeDisks, shaped as the SDK models read them.

DescribeImages: `ImageId` (comma list, at most 100), `ImageName` (a
substring: the service's search is fuzzy), `Status` (comma list, default
Available only; `ALL` alone for every status; no default when `Usable` is
given), `Usable`, `ImageOwnerAlias` (every emulator image is `self`),
paging (`PageSize` 1-100, default 10). Newest first.
DescribeDisks: `DiskIds` (a JSON array string, at most 100), `Category`,
`Status` (default All), paging (`PageSize` 1-100, default 10). Newest first.
"""

from __future__ import annotations

import json

from tests.emulator import disks as disk_mod, images as image_mod
from tests.emulator.clock import format_api_time
from tests.emulator.errors import ApiError, invalid_parameter
from tests.emulator.params import flag, int_param, region

MAX_PAGE_SIZE = 100
MAX_IDS = 100


def _page(params, matches):
    page_number = int_param(params, "PageNumber", 1, 1)
    page_size = int_param(params, "PageSize", 10, 1, MAX_PAGE_SIZE)
    first = (page_number - 1) * page_size
    return page_number, page_size, matches[first:first + page_size]


def _answer(params, region_id, store, ids, keep, names, view):
    """The page of a Describe answer: the region's items (or those of `ids` in it) that `keep`, newest first."""
    if ids is not None:
        found = (store.get(i) for i in dict.fromkeys(ids))
        candidates = [item for item in found if item is not None and item.region == region_id]
    else:
        candidates = store.in_region(region_id)
    matches = sorted((item for item in candidates if keep(item)), key=lambda item: item.created, reverse=True)
    page_number, page_size, page = _page(params, matches)
    return {"RegionId": region_id, "PageNumber": page_number, "PageSize": page_size, "TotalCount": len(matches),
            names[0]: {names[1]: [view(item) for item in page]}}


def _comma_list(params, name):
    raw = params.get(name) or ""
    values = [v.strip() for v in raw.split(",") if v.strip()]
    if len(values) > MAX_IDS:
        raise invalid_parameter(name, "At most %d values are allowed." % MAX_IDS)
    return values


def image_view(image, now):
    """The DescribeImages `Image` of an image that exists at `now`."""
    status, progress, dummy = image.phase(now)
    mappings = []
    for index, disk in enumerate(image.disks):
        mappings.append({
            "Device": "/dev/xvd%s" % "abcdefghijklmnopq"[index],
            "Type": "system" if index == 0 else "data",
            "Size": str(disk["size"]),
            "Format": disk["format"],
            "ImportOSSBucket": disk["bucket"],
            "ImportOSSObject": disk["object"],
            "SnapshotId": "" if status in image_mod.TRANSITIONAL else "s-%s%d" % (image.image_id[2:], index),
            "Progress": "%d%%" % progress,
            "RemainTime": 0,
            "Encrypted": False,
        })
    return {
        "ImageId": image.image_id,
        "ImageName": image.image_name,
        "ImageFamily": "",
        "ImageVersion": "",
        "Description": image.description,
        "Status": status,
        "Progress": "%d%%" % progress,
        "Usable": image.usable(now),
        "Size": int(image.size),
        "CreationTime": format_api_time(image.created),
        "Architecture": image.architecture,
        "OSType": image.os_type,
        "Platform": image.platform,
        "OSName": image.platform,
        "OSNameEn": image.platform,
        "BootMode": image.boot_mode,
        "LicenseType": image.license_type,
        "ImageOwnerAlias": "self",
        "IsCopied": image.is_copied,
        "IsPublic": False,
        "IsSelfShared": "",
        "IsSubscribed": False,
        "IsSupportCloudinit": True,
        "IsSupportIoOptimized": True,
        "Usage": "none",
        "ProductCode": "",
        "ResourceGroupId": "",
        "DiskDeviceMappings": {"DiskDeviceMapping": mappings},
        "Tags": {"Tag": []},
    }


def disk_view(disk, now):
    """The DescribeDisks `Disk`."""
    category, level, status = disk.view(now)
    attached = status in (disk_mod.IN_USE, disk_mod.MODIFYING) and disk.status == disk_mod.IN_USE
    instance_id = "i-%s" % disk.disk_id[2:] if attached else ""
    return {
        "DiskId": disk.disk_id,
        "DiskName": "",
        "Description": "",
        "Category": category,
        "PerformanceLevel": level,
        "Status": status,
        "Size": int(disk.size),
        "RegionId": disk.region,
        "ZoneId": disk.region + "-a",
        "Type": "data",
        "InstanceId": instance_id,
        "Device": "/dev/xvdb" if attached else "",
        "Portable": True,
        "DeleteWithInstance": False,
        "DeleteAutoSnapshot": True,
        "EnableAutoSnapshot": False,
        "Encrypted": False,
        "DiskChargeType": "PostPaid",
        "CreationTime": format_api_time(disk.created),
        "AttachedTime": format_api_time(disk.created) if attached else "",
        "IOPS": 1800 + 50 * int(disk.size),
        "BurstingEnabled": False,
        "ProvisionedIops": 0,
        "MultiAttach": "Disabled",
        "Tags": {"Tag": []},
        "OperationLocks": {"OperationLock": []},
        "Attachments": {"Attachment": [{"InstanceId": instance_id, "Device": "/dev/xvdb",
                                        "AttachedTime": format_api_time(disk.created)}] if attached else []},
    }


class ProductReads:
    def __init__(self, image_store, disk_store, clock):
        self.images = image_store
        self.disks = disk_store
        self.clock = clock

    def actions(self):
        return {"DescribeImages": self.describe_images, "DescribeDisks": self.describe_disks}

    def describe_images(self, params):
        region_id = region(params)
        ids = _comma_list(params, "ImageId")
        name = params.get("ImageName") or ""
        usable = flag(params, "Usable", None)
        statuses = self._image_statuses(params, usable is not None)
        owner = params.get("ImageOwnerAlias") or ""
        now = self.clock.now()

        def keep(image):
            status = image.phase(now)[0]
            return (status is not None and (not statuses or status in statuses)
                    and name in image.image_name and owner in ("", "self")
                    and (usable is None or image.usable(now) == usable))

        return _answer(params, region_id, self.images, ids or None, keep, ("Images", "Image"),
                       lambda i: image_view(i, now))

    @staticmethod
    def _image_statuses(params, usable_given):
        """Statuses asked for (empty: every one)."""
        values = _comma_list(params, "Status")
        if not values:
            return () if usable_given else (image_mod.AVAILABLE,)
        if "ALL" in values:
            if len(values) > 1:
                raise invalid_parameter("Status", "ALL cannot be used with other values.")
            return ()
        return tuple(values)

    def describe_disks(self, params):
        region_id = region(params)
        ids = self._disk_ids(params.get("DiskIds"))
        category = params.get("Category") or "all"
        status = params.get("Status") or "All"
        now = self.clock.now()

        def keep(disk):
            disk_category, dummy, disk_status = disk.view(now)
            return category in ("all", disk_category) and status in ("All", disk_status)

        answer = _answer(params, region_id, self.disks, ids, keep, ("Disks", "Disk"), lambda d: disk_view(d, now))
        answer["NextToken"] = ""
        return answer

    @staticmethod
    def _disk_ids(raw):
        if raw is None or raw == "":
            return None
        try:
            ids = json.loads(raw)
        except ValueError:
            ids = None
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ApiError("InvalidDiskIds.Malformed", 'The specified parameter "DiskIds" is not a JSON array of disk ids.')
        if len(ids) > MAX_IDS:
            raise ApiError("InvalidDiskIds.Malformed", 'The specified parameter "DiskIds" holds more than %d ids.' % MAX_IDS)
        return ids
