# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The start actions: ImportImage, ExportImage, CopyImage, ModifyDiskSpec.

Each checks its parameters as the API pages say (codes in errors.py), then
the resources it works on, then the error `PUT /_emulator/actions` provokes,
then DryRun (`DryRunOperation`, nothing created), and only then starts the
work with the action's settings (duration, outcome, product lags).
"""

from __future__ import annotations

import re

from tests.emulator import disks as disk_mod, images as image_mod, objects, state, taskspec
from tests.emulator.errors import ApiError, missing_parameter
from tests.emulator.params import dry_run, indexed, int_param, region, required

IMAGE_NAME = re.compile(r"[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5.:_-]{1,127}")
OSS_PREFIX = re.compile(r"[A-Za-z0-9]{1,30}")
IMPORT_FORMATS = ("RAW", "VHD", "QCOW2", "VMDK")
EXPORT_FORMATS = ("raw", "vhd", "qcow2", "vmdk", "vdi")
ARCHITECTURES = ("i386", "x86_64", "arm64")
OS_TYPES = ("windows", "linux")
BOOT_MODES = ("BIOS", "UEFI", "UEFI-Preferred")
LICENSE_TYPES = ("Auto", "Aliyun", "BYOL")
MAX_MAPPINGS = 17
# DiskDeviceMapping.N.DiskImageSize in GiB (API page, 2025).
DISK_SIZE_RANGE = (1, 2048)


def _image_name(params, name):
    value = params.get(name) or ""
    if value and (not IMAGE_NAME.fullmatch(value) or value.startswith(("acs:", "aliyun"))
                  or "http://" in value or "https://" in value):
        raise ApiError("InvalidImageName.Malformed")
    return value


def _description(params, name):
    value = params.get(name) or ""
    if value and (not 2 <= len(value) <= 256 or value.startswith(("http://", "https://"))):
        raise ApiError("InvalidDescription.Malformed")
    return value


def _choice(params, name, choices, default, code, fold=False):
    value = params.get(name) or ""
    if not value:
        return default
    for candidate in choices:
        if value == candidate or (fold and value.lower() == candidate.lower()):
            return candidate
    raise ApiError(code)


class StartActions:
    def __init__(self, task_store, image_store, disk_store, object_store, products, settings, clock):
        self.tasks = task_store
        self.images = image_store
        self.disks = disk_store
        self.objects = object_store
        self.products = products
        self.settings = settings
        self.clock = clock

    def actions(self):
        return {"ImportImage": self.import_image, "ExportImage": self.export_image,
                "CopyImage": self.copy_image, "ModifyDiskSpec": self.modify_disk_spec}

    # -- shared ----------------------------------------------------------------
    @staticmethod
    def _provoked(settings):
        """The error PUT /_emulator/actions asks every call to answer (not when it describes a failed task)."""
        if settings["error_code"] and settings["outcome"] != state.FAILED:
            raise ApiError(settings["error_code"], settings["error_msg"] or None)

    def _start_task(self, region_id, action, resource_id, items, settings, now):
        failed = settings["outcome"] == state.FAILED
        spec = {
            "region": region_id, "action": action, "duration": settings["duration"],
            "outcome": state.FAILED if failed else state.FINISHED,
            "error_code": (settings["error_code"] or taskspec.DEFAULT_ERROR_CODE) if failed else "",
            "error_msg": (settings["error_msg"] or taskspec.DEFAULT_ERROR_MSG) if failed else "",
            "related_items": items, "support_cancel": taskspec.default_support_cancel(action),
            "resource_id": resource_id,
        }
        return self.tasks.add([spec], now)[0]

    def _image_in(self, region_id, image_id, now):
        image = self.images.get(image_id)
        if image is None or image.region != region_id or not image.exists(now):
            raise ApiError("InvalidImageId.NotFound")
        return image

    @staticmethod
    def _image_outcome(settings):
        outcome = settings["outcome"]
        if outcome in (image_mod.CREATE_FAILED, image_mod.UNAVAILABLE):
            return outcome
        return image_mod.CREATE_FAILED if outcome == state.FAILED else image_mod.AVAILABLE

    # -- ImportImage -------------------------------------------------------------
    def _mappings(self, params):
        mappings = indexed(params, "DiskDeviceMapping", 1, MAX_MAPPINGS)
        if not mappings:
            raise ApiError("MissingParameter.DiskDeviceMapping")
        disks = []
        for index in sorted(mappings):
            mapping = mappings[index]
            prefix = "DiskDeviceMapping.%d." % index
            for name in ("OSSBucket", "OSSObject"):
                if not mapping.get(name):
                    raise missing_parameter(prefix + name)
            if not objects.valid_bucket(mapping["OSSBucket"]):
                raise ApiError("InvalidOSSBucket.Malformed")
            fmt = _choice(mapping, "Format", IMPORT_FORMATS, "", "InvalidImageFormat.Malformed", fold=True)
            size_name = "DiskImageSize" if mapping.get("DiskImageSize") else "DiskImSize"
            size = int_param(mapping, size_name, image_mod.DEFAULT_SIZE_GIB, *DISK_SIZE_RANGE,
                             code="InvalidImageSize" if index == 1 else "InvalidDataDiskSize")
            disks.append({"size": size, "format": fmt, "bucket": mapping["OSSBucket"], "object": mapping["OSSObject"]})
        return disks

    def _source_objects(self, region_id, disks, now):
        for disk in disks:
            bucket = self.objects.bucket(disk["bucket"])
            if bucket is None or bucket.region != region_id:
                raise ApiError("InvalidOSSBucket.NotFound")
            found = self.objects.current(disk["bucket"], disk["object"], now)
            if found is None:
                raise ApiError("InvalidOSSObject.NotFound")
            if found.size <= 0:
                raise ApiError("InvalidOSSObject.Size")

    def import_image(self, params):
        region_id = region(params)
        disks = self._mappings(params)
        name = _image_name(params, "ImageName")
        description = _description(params, "Description")
        architecture = _choice(params, "Architecture", ARCHITECTURES, "x86_64", "InvalidArchitecture.Malformed")
        os_type = _choice(params, "OSType", OS_TYPES, "linux", "InvalidOSType.Malformed", fold=True)
        boot_mode = _choice(params, "BootMode", BOOT_MODES, "UEFI" if architecture == "arm64" else "BIOS",
                            "InvalidBootMode.Malformed")
        license_type = _choice(params, "LicenseType", LICENSE_TYPES, "Auto", "InvalidLicenseType.NotSupported")
        settings = self.settings.get("ImportImage")
        now = self.clock.now()
        # The role is what lets ECS read OSS: its absence shows before anything is read.
        self._provoked(settings)
        self._source_objects(region_id, disks, now)
        if name and self.images.named(region_id, name, now):
            raise ApiError("InvalidImageName.Duplicated")
        dry_run(params)
        image = self.images.add(image_mod.Image(
            self.tasks.new_resource_id("m-"), region_id, now, image_name=name, status=image_mod.CREATING,
            size=disks[0]["size"], description=description, architecture=architecture, os_type=os_type,
            platform=params.get("Platform") or "Others Linux", boot_mode=boot_mode, license_type=license_type,
            disks=disks))
        task = self._start_task(region_id, "ImportImage", image.image_id, [("ImageId", image.image_id)], settings, now)
        self.products.attach([task], {"outcome": self._image_outcome(settings),
                                      "usable_after": settings["usable_after"]})
        return {"RegionId": region_id, "ImageId": image.image_id, "TaskId": task.task_id}

    # -- ExportImage -------------------------------------------------------------
    def _exporting(self, region_id, image_id, now):
        return any(t.action == "ExportImage" and t.resource_id == image_id
                   and t.status(now) in (state.WAITING, state.PROCESSING) for t in self.tasks.in_region(region_id))

    @staticmethod
    def _export_items(image, bucket, prefix, fmt):
        if len(image.disks) == 1:
            return taskspec.export_items(image.image_id, bucket, prefix, fmt)
        # One object per disk of an image with data disks.
        stem = "%s_%s_{task_id}" % (prefix, image.image_id) if prefix else "%s_{task_id}" % image.image_id
        keys = ["%s_%s.%s" % (stem, "system" if i == 0 else "data%d" % i, fmt) for i in range(len(image.disks))]
        return [("OSSBucket", bucket)] + [("OSSObject", k) for k in keys] + [("ImageFormat", fmt)]

    def export_image(self, params):
        region_id = region(params)
        image_id = required(params, "ImageId")
        bucket_name = required(params, "OSSBucket")
        if not objects.valid_bucket(bucket_name):
            raise ApiError("InvalidOSSBucket.Malformed")
        prefix = params.get("OSSPrefix") or ""
        if prefix and not OSS_PREFIX.fullmatch(prefix):
            raise ApiError("InvalidOSSPrefix.Malformed")
        fmt = _choice(params, "ImageFormat", EXPORT_FORMATS, taskspec.DEFAULT_IMAGE_FORMAT,
                      "InvalidImageFormat.Malformed", fold=True)
        now = self.clock.now()
        image = self._image_in(region_id, image_id, now)
        if image.phase(now)[0] != image_mod.AVAILABLE:
            raise ApiError("IncorrectImageStatus")
        bucket = self.objects.bucket(bucket_name)
        if bucket is not None and bucket.region != region_id:
            raise ApiError("InvalidOSSBucket.NotFound")
        settings = self.settings.get("ExportImage")
        self._provoked(settings)
        if self._exporting(region_id, image_id, now):
            raise ApiError("ImageIsExporting")
        dry_run(params)
        items = self._export_items(image, bucket_name, prefix, fmt)
        task = self._start_task(region_id, "ExportImage", image_id, items, settings, now)
        self.products.attach([task], {"object_after": settings["object_after"],
                                      "object_missing": settings["object_missing"]})
        return {"RegionId": region_id, "TaskId": task.task_id}

    # -- CopyImage -----------------------------------------------------------------
    def copy_image(self, params):
        region_id = region(params)
        image_id = required(params, "ImageId")
        destination = required(params, "DestinationRegionId")
        if destination not in taskspec.REGIONS:
            raise ApiError("DestinationRegion.NotFound")
        name = _image_name(params, "DestinationImageName")
        description = _description(params, "DestinationDescription")
        now = self.clock.now()
        source = self._image_in(region_id, image_id, now)
        if source.phase(now)[0] != image_mod.AVAILABLE:
            raise ApiError("IncorrectImageStatus", "The image not available.")
        if name and self.images.named(destination, name, now):
            raise ApiError("InvalidImageName.Duplicated")
        settings = self.settings.get("CopyImage")
        self._provoked(settings)
        dry_run(params)
        copy = self.images.add(image_mod.Image(
            self.tasks.new_resource_id("m-"), destination, now, image_name=name, status=image_mod.CREATING,
            duration=settings["duration"], outcome=self._image_outcome(settings),
            usable_after=settings["usable_after"], size=source.size, description=description,
            architecture=source.architecture, os_type=source.os_type, platform=source.platform,
            boot_mode=source.boot_mode, license_type=source.license_type, is_copied=True,
            source_image_id=source.image_id, disks=[dict(d) for d in source.disks]))
        return {"ImageId": copy.image_id}

    # -- ModifyDiskSpec --------------------------------------------------------------
    def modify_disk_spec(self, params):
        # ModifyDiskSpec has no RegionId in the SDK models: the disk's own region, checked when given.
        disk_id = required(params, "DiskId")
        region_id = params.get("RegionId") or ""
        if region_id and region_id not in taskspec.REGIONS:
            raise ApiError("InvalidRegionId.NotFound")
        category = _choice(params, "DiskCategory", disk_mod.TARGET_CATEGORIES, "",
                           "InvalidDiskCategory.ValueNotSupported")
        level = _choice(params, "PerformanceLevel", disk_mod.PERFORMANCE_LEVELS, "", "InvalidPerformanceLevel.Malformed")
        now = self.clock.now()
        disk = self.disks.get(disk_id)
        if disk is None or (region_id and disk.region != region_id):
            raise ApiError("InvalidDiskId.NotFound")
        current_category, current_level, status = disk.view(now)
        new_category = category or current_category
        if level and new_category != disk_mod.ESSD:
            raise ApiError("InvalidPerformanceLevelParam.Mismatch")
        new_level = disk_mod.level_for(new_category, level or (current_level if new_category == current_category else ""))
        if status not in disk_mod.MODIFIABLE:
            raise ApiError("InvalidStatus.DiskNotReady")
        if (new_category, new_level) == (current_category, current_level):
            raise ApiError("NoChangeInDiskCategoryAndPerformanceLevel")
        settings = self.settings.get("ModifyDiskSpec")
        self._provoked(settings)
        dry_run(params)
        if new_category == current_category:
            # The performance level alone: no task, only the disk shows the change.
            disk.add_change(disk_mod.DiskChange(now, new_category, new_level, settings["settle_after"],
                                                ends=now + settings["duration"]))
            return {}
        task = self._start_task(disk.region, "ModifyDiskSpec", disk.disk_id, [], settings, now)
        disk.add_change(disk_mod.DiskChange(task.started, new_category, new_level, settings["settle_after"], task=task))
        return {"TaskId": task.task_id}
