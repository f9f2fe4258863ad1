# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one guarded import of requests (and the urllib3 exceptions it raises):
``HAS_REQUESTS`` false lets a module say what to install instead of failing on
import. See docs/architecture.md.
"""

from __future__ import annotations

import traceback

# Imported here for transport.py and wire_errors.py.
__all__ = ("HAS_REQUESTS", "REQUESTS_IMPORT_ERROR", "HTTPAdapter", "NewConnectionError", "ProtocolError", "ReadTimeoutError", "requests")

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import NewConnectionError, ProtocolError, ReadTimeoutError
except ImportError:
    # Never used then: a module checks HAS_REQUESTS first. mypy cannot follow that, hence the ignore.
    requests = HTTPAdapter = NewConnectionError = ProtocolError = ReadTimeoutError = None  # type: ignore[assignment, misc]
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR: str | None = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
