# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ECS says about an image: its statuses, which of them still change, and the not-found code.

Every other file reads these names from here. See docs/architecture.md.
"""

from __future__ import annotations

# The statuses DescribeImages documents (its Status parameter; the SDK model's list).
IN_PROGRESS_STATES = ("Creating", "Waiting")
AVAILABLE = "Available"
# An image that failed to be made, or that ECS marked unusable: DESIGN.md fails a product wait on these at once.
FAILED_STATES = ("CreateFailed", "UnAvailable")
KNOWN_STATES = IN_PROGRESS_STATES + (AVAILABLE,) + FAILED_STATES + ("Deprecated",)

# DescribeImages' Status defaults to Available alone: a look-up by id asks for every status.
# (``ALL`` says the same on today's service; the explicit list is what every version documents.)
EVERY_STATUS = ",".join(KNOWN_STATES)

# The code the start actions answer for an image the region does not hold; DescribeImages simply omits it.
NOT_FOUND_CODE = "InvalidImageId.NotFound"
