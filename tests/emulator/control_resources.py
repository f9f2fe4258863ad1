# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The control API of images, disks, OSS objects and start-action settings.

POST /_emulator/images   {"region", "count", "image_id", "image_name", "status", "duration", "outcome",
                          "usable_after", "progress_curve"} -> {"image_ids": [...]}
GET  /_emulator/images   ?image_id=a,b&region=r -> {"images": [...]}
POST /_emulator/disks    {"region", "count", "disk_id", "category", "performance_level", "status"} -> {"disk_ids"}
GET  /_emulator/disks    ?disk_id=a,b&region=r -> {"disks": [...]}
POST /_emulator/oss      {"bucket", "key", "size", "region", "deny"} -> the object (or the bucket, without key)
GET  /_emulator/oss      ?bucket=b&key=k -> {"objects": [...], "buckets": [...]}
DELETE /_emulator/oss    ?bucket=b&key=k -> {"deleted": bool}
PUT  /_emulator/actions  {"<Action>": {...}} merged per action -> the settings now; GET: the settings
"""

from __future__ import annotations

from urllib.parse import parse_qs

from tests.emulator import curves, disks, images, objects, specs, taskspec
from tests.emulator.clock import format_api_time
from tests.emulator.objects import OssObject

IMAGE_FIELDS = ("region", "count", "image_id", "image_name", "status", "duration", "outcome", "usable_after",
                "progress_curve")
DISK_FIELDS = ("region", "count", "disk_id", "category", "performance_level", "status")
OBJECT_FIELDS = ("bucket", "key", "size", "region", "deny")
DEFAULT_OBJECT_SIZE = 1024


def _region(body):
    region = specs.string(body, "region", taskspec.DEFAULT_REGION)
    if region not in taskspec.REGIONS:
        raise specs.SpecError("unknown region %r" % region)
    return region


def _one_id(body, name, count, exists):
    value = specs.string(body, name, "")
    if value and count != 1:
        raise specs.SpecError("%s names one resource: count must be 1" % name)
    if value and exists(value):
        raise specs.SpecError("%s %r exists already" % (name, value))
    return value


def _query(query, whole=("key",)):
    """Query values; comma lists split, except the `whole` names (an object key may hold a comma)."""
    args = parse_qs(query, keep_blank_values=False)
    return {name: values if name in whole else [v for value in values for v in value.split(",") if v]
            for name, values in args.items()}


def _real(clock, virtual):
    return None if virtual is None else clock.real_time_of(virtual)


def _create(app, body, kwargs, store, kind, prefix, make):
    """`count` new resources of one spec; `kind` (image, disk) names the id field, `prefix` new ids."""
    count = specs.count(body)
    chosen = _one_id(body, kind + "_id", count, lambda i: store.get(i) is not None)
    now = app.clock.now()
    made = [store.add(make(chosen or app.store.new_resource_id(prefix), created=now, **kwargs))
            for dummy in range(count)]
    return {kind + "_ids": [getattr(item, kind + "_id") for item in made]}


def _list(app, query, store, kind, record):
    """The true state of resources, narrowed by ?<kind>_id=a,b and ?region=r."""
    args = _query(query)
    ids, regions = args.get(kind + "_id"), set(args.get("region", []))
    found = [store.get(i) for i in ids] if ids else store.all()
    now = app.clock.now()
    return {kind + "s": [record(item, app.clock, now) for item in found
                         if item is not None and (not regions or item.region in regions)]}


# -- images ------------------------------------------------------------------------------------------
def image_kwargs(body):
    """Validate a POST /_emulator/images body (without ids) into Image keyword arguments."""
    specs.obj(body)
    specs.known_fields(body, IMAGE_FIELDS)
    duration_given = "duration" in body
    duration = specs.number(body, "duration", 0.0)
    outcome = specs.choice(body, "outcome", images.AVAILABLE, images.OUTCOMES)
    default_status = images.CREATING if duration else outcome
    status = specs.choice(body, "status", default_status, images.STATUSES)
    if status in images.TRANSITIONAL:
        duration = duration if duration_given else taskspec.DEFAULT_DURATION
    elif duration:
        raise specs.SpecError("duration applies to a Creating or Waiting image; a %s image is so from the start" % status)
    try:
        curve = curves.check_curve(body.get("progress_curve", curves.DEFAULT_CURVE))
    except ValueError as exc:
        raise specs.SpecError(str(exc)) from None
    return {"region": _region(body), "image_name": specs.string(body, "image_name", ""), "status": status,
            "duration": duration, "outcome": outcome, "usable_after": specs.number(body, "usable_after", 0.0),
            "progress_curve": curve}


def create_images(app, body):
    return _create(app, body, image_kwargs(body), app.images, "image", "m-", images.Image)


def image_record(image, clock, now):
    status, progress, dummy = image.phase(now)
    return {
        "image_id": image.image_id, "region": image.region, "image_name": image.image_name, "status": status,
        "progress": progress, "usable": image.usable(now), "usable_at": _real(clock, image.usable_at(now)),
        "size": image.size, "creation_time": format_api_time(image.created),
        "task_id": image.task.task_id if image.task is not None else None,
        "is_copied": image.is_copied, "source_image_id": image.source_image_id or None,
    }


def list_images(app, query):
    return _list(app, query, app.images, "image", image_record)


# -- disks -------------------------------------------------------------------------------------------
def disk_kwargs(body):
    specs.obj(body)
    specs.known_fields(body, DISK_FIELDS)
    category = specs.choice(body, "category", disks.DEFAULT_CATEGORY, disks.CATEGORIES)
    level = specs.choice(body, "performance_level", "", disks.PERFORMANCE_LEVELS + ("",))
    if level and category != disks.ESSD:
        raise specs.SpecError("performance_level applies to cloud_essd disks only (category is %s)" % category)
    return {"region": _region(body), "category": category, "performance_level": level,
            "status": specs.choice(body, "status", disks.IN_USE, disks.STATUSES)}


def create_disks(app, body):
    return _create(app, body, disk_kwargs(body), app.disks, "disk", "d-", disks.Disk)


def disk_record(disk, clock, now):
    category, level, status = disk.view(now)
    pending = [c for c in disk.changes if now < c.settles_at()]
    return {"disk_id": disk.disk_id, "region": disk.region, "category": category, "performance_level": level,
            "status": status, "size": disk.size,
            "settles_at": _real(clock, pending[-1].settles_at()) if pending else None}


def list_disks(app, query):
    return _list(app, query, app.disks, "disk", disk_record)


# -- OSS ---------------------------------------------------------------------------------------------
def put_object(app, body):
    specs.obj(body)
    specs.known_fields(body, OBJECT_FIELDS)
    name = specs.string(body, "bucket", "")
    if not objects.valid_bucket(name):
        raise specs.SpecError("bucket must be 3-63 lower-case letters, digits or hyphens, got %r" % name)
    key = specs.string(body, "key", "")
    if key and not objects.valid_key(key):
        raise specs.SpecError("key must be 1-1023 bytes and not start with '/', got %r" % key)
    size = body.get("size", DEFAULT_OBJECT_SIZE)
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise specs.SpecError("size must be an integer >= 0 (bytes)")
    region = _region(body)
    deny = specs.strings(body, "deny") if "deny" in body else None
    existing = app.objects.bucket(name)
    if existing is not None and "region" in body and existing.region != region:
        raise specs.SpecError("bucket %r is in %s already: a bucket lives in one region" % (name, existing.region))
    bucket = app.objects.ensure_bucket(name, region, deny)
    if not key:
        return bucket_record(bucket)
    obj = app.objects.add(OssObject(name, key, size, app.clock.now()))
    return object_record(obj, bucket, app.clock, app.clock.now())


def bucket_record(bucket):
    return {"bucket": bucket.name, "region": bucket.region, "deny": sorted(bucket.deny)}


def object_record(obj, bucket, clock, now):
    return {"bucket": obj.bucket, "key": obj.key, "size": obj.size, "region": bucket.region if bucket else None,
            "exists": obj.exists(now), "appears_at": _real(clock, obj.appears_at(now)), "etag": obj.etag,
            "task_id": obj.task.task_id if obj.task is not None else None}


def list_objects(app, query):
    args = _query(query)
    buckets, keys = set(args.get("bucket", [])), set(args.get("key", []))
    now = app.clock.now()
    return {
        "objects": [object_record(o, app.objects.bucket(o.bucket), app.clock, now) for o in app.objects.all()
                    if (not buckets or o.bucket in buckets) and (not keys or o.key in keys)],
        "buckets": [bucket_record(b) for b in app.objects.buckets() if not buckets or b.name in buckets],
    }


def delete_object(app, query):
    args = _query(query)
    if len(args.get("bucket", [])) != 1 or len(args.get("key", [])) != 1:
        raise specs.SpecError("name one object: ?bucket=<bucket>&key=<key>")
    return {"deleted": app.objects.delete(args["bucket"][0], args["key"][0])}
