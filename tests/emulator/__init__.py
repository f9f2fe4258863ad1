# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local stand-in for the ECS task API (standard library only).

Run from the repository root with ``python -m tests.emulator``; see
``__main__.py`` for the options and ``harness.py`` for the test helper.
"""
