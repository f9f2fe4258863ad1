# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small local HTTP stand-ins (standard library only) for the credential sources:
the ECS instance metadata service and STS AssumeRole."""
