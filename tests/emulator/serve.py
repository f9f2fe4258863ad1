# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start the emulator by its path, from a checkout or an installed collection (no cwd needed):

    python3 ~/.ansible/collections/ansible_collections/alicloud/ecs/tests/emulator/serve.py --port 0

Same options and output as ``python -m tests.emulator``; standard library only.
"""

from __future__ import annotations

import os
import sys

# The emulator's modules import each other as tests.emulator.*: put the folder holding tests/ first.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from tests.emulator.__main__ import main  # noqa: E402  (needs the path above)

if __name__ == "__main__":
    sys.exit(main())
