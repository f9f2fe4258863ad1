# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The image service: DescribeImages by id (100 per call) and by exact name, in one region.

The only part of images/ that calls the API, through a client offering ``.region`` and
``.call(action, params, deadline=, check=)``; records come from records.py. See docs/architecture.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.listing import RegionalLister
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.records import check_images, extract_images
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.states import EVERY_STATUS
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import Batch

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline


class ImageService(RegionalLister):
    """DescribeImages for one region's client (ImageId takes at most 100 ids).

    Every status is asked for (the default is Available only, which would hide an image still Creating or
    one that failed). ``ImageOwnerAlias`` is left unset on look-ups by id, so the user's own, shared and
    public images are found (unset means system, self and others); marketplace images are not, and a wait
    has no reason to watch one (they are Available for good).
    """

    action = "DescribeImages"
    id_name = "ImageId"

    def check(self, answer: dict) -> str | None:
        return check_images(answer)

    def extract(self, answer: object) -> list[dict]:
        return extract_images(answer)

    def list_all(self, params: dict, deadline: Deadline | None) -> list[dict]:
        return super().list_all(dict(params, Status=EVERY_STATUS), deadline)

    def describe(self, ids: Iterable[str], deadline: Deadline | None = None) -> Batch:
        """The images with these ids (checked: records.validate_image_ids), one call per 100 ids.

        ``found``: id -> the raw ``Image`` dict, in the order asked; ``missing``: ids the region does not list
        (unknown, of another region, or deleted); ``errors`` stays empty: a failed call raises ApiError.
        """
        found, missing = self.look_up(ids, lambda chunk: {"ImageId": ",".join(chunk)}, deadline)
        return Batch(found, missing, {})

    def find_by_name(self, name: str, deadline: Deadline | None = None) -> list[dict]:
        """The raw ``Image`` dicts of the caller's own images named exactly ``name``, in any status, as listed
        (newest first).

        DescribeImages' ImageName matches a part of the name, so the names are compared here. Only the
        account's own images (``ImageOwnerAlias=self``) count: an image another account shares may carry the
        same name, and it is not the one an import of that name made.
        """
        images = self.list_all({"ImageName": name, "ImageOwnerAlias": "self"}, deadline)
        return [image for image in images if image.get("ImageName") == name]
