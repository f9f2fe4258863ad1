# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading one answer of the RPC API: strict JSON, the service's error codes
(with request id, host id, recommendation, the credential source for key
errors) and anything else as ``InvalidResponse`` with a short, redacted
excerpt. See docs/architecture.md.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.wire_errors import PROXY_AUTH_HINT
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, is_throttling

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable
    from typing import Any

AUTH_ERROR_PREFIXES = ("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidSecurityToken")
EXCERPT_CHARS = 160


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("the number %s is out of range" % text[:20])
    return value


def _no_constant(name):
    raise ValueError("%s is not a JSON number" % name)


def parse_json(content: bytes) -> object:
    """The JSON value of ``content``; ValueError for anything that is not strict, finite JSON."""
    try:
        return json.loads(content.decode("utf-8"), parse_float=_finite_float, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply") from None


def _short(value):
    return value[:100] if isinstance(value, str) else None


def _excerpt(content):
    text = content[:EXCERPT_CHARS * 2].decode("utf-8", "replace")
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text[:EXCERPT_CHARS] + ("..." if len(text) > EXCERPT_CHARS or len(content) > EXCERPT_CHARS * 2 else "")


class Decoded:
    """An HTTP answer's status and JSON: ``data`` (None with ``why`` when not JSON) and the service's ``code``."""

    def __init__(self, status: int, content: bytes) -> None:
        self.status = status
        try:
            self.data, self.why = parse_json(content), None
        except ValueError as exc:  # UnicodeDecodeError is a ValueError too
            self.data, self.why = None, "a body that is not valid JSON (%s)" % str(exc)[:80]
        self.ok = 200 <= status < 300
        self.code = self.data.get("Code") if isinstance(self.data, dict) else None

    @property
    def throttled(self) -> bool:
        return bool(not self.ok and is_throttling(self.code))

    @property
    def service_error(self) -> bool:
        """The service refused the call with its own error code: an answer of the API, but a failure."""
        return not self.ok and isinstance(self.code, str) and bool(self.code)


def permission_hint(code: str, action: str, data: dict, access_key_id: str | None) -> str | None:
    """For a RAM denial (Forbidden.RAM, ...): the permission to grant and the identity to grant it to; else None.

    The action comes from the answer's AccessDeniedDetail when it names one, else from the call.
    The AccessKeyId names the identity; it is no secret (the secret is never shown).
    """
    if not code.startswith("Forbidden"):
        return None
    detail = data.get("AccessDeniedDetail")
    wanted = detail.get("AuthAction") if isinstance(detail, dict) else None
    if not isinstance(wanted, str) or not wanted.startswith("ecs:") or len(wanted) > 80:
        wanted = "ecs:%s" % action
    who = "the RAM user or role of AccessKeyId %s" % access_key_id if access_key_id else "the RAM user or role"
    return ("grant %s to %s; the modules call ecs:DescribeTasks and ecs:DescribeTaskAttribute "
            "(ecs:CancelTask to cancel)" % (wanted, who))


class AnswerReader:
    """Answers of one endpoint turned into their JSON object or an ApiError.

    ``response`` is a ``requests.Response``; ``redact`` masks the request's secrets in a text; ``advice`` ends
    the message of an answer that is not the API's (the OSS client names its own option).
    """

    def __init__(self, endpoint_url: str, proxy: str | None = None, advice: str = "check that the endpoint is the ECS API") -> None:
        self.endpoint_url = endpoint_url
        self.proxy = proxy
        self.advice = advice

    def refuse_unfollowable(self, response: Any, action: str, redact: Callable[[str], str]) -> None:
        """Raise for a 407 or a redirect, which come from a proxy or a server that is not the API."""
        status = response.status_code
        if status == 407:
            raise ApiError("ProxyAuthenticationRequired", "the proxy %s refused the request to %s (HTTP 407)" % (
                self.proxy or "(from the environment)", self.endpoint_url), http_status=status, action=action,
                endpoint=self.endpoint_url, hint=PROXY_AUTH_HINT + "; retrying cannot help")
        if 300 <= status < 400:
            # Never followed: the signed request, and the V3 token header, would go to whoever is named.
            location = redact(_excerpt((response.headers.get("Location") or "").encode("utf-8", "replace")) or "nowhere")
            raise self.invalid(action, response, b"", "a redirect to %s, which is not followed" % location, redact)

    @staticmethod
    def problem(decoded: Decoded, check: Callable[[dict], str | None] | None = None) -> str | None:
        """Why ``decoded`` (not a service error) is not a valid answer, or None when it is one."""
        if decoded.ok and isinstance(decoded.data, dict):
            if decoded.code is not None:
                return "an error code %r in an HTTP %s answer" % (str(decoded.code)[:60], decoded.status)
            return check(decoded.data) if check is not None else None
        if decoded.data is not None:
            return "a JSON document that is not an answer of the API"
        return decoded.why

    def service_error(self, decoded: Decoded, action: str, redact: Callable[[str], str], source: str | None,
                      access_key_id: str | None = None) -> ApiError:
        """The service's own error; key errors name where the keys came from, a RAM denial what to grant to whom."""
        # Asked only of a Decoded whose service_error is true: a JSON object with a Code that is a non-empty string.
        data = decoded.data if isinstance(decoded.data, dict) else {}
        code = str(decoded.code)
        message = redact(str(data.get("Message") or ""))
        hint = permission_hint(code, action, data, access_key_id)
        return ApiError(
            code, message, request_id=_short(data.get("RequestId")), http_status=decoded.status, action=action,
            endpoint=self.endpoint_url, host_id=_short(data.get("HostId")),
            recommend=redact(str(data.get("Recommend") or "")) or None, hint=hint,
            credential_source=source if code.startswith(AUTH_ERROR_PREFIXES) else None)

    def invalid(self, action: str, response: Any, content: bytes, why: str, redact: Callable[[str], str]) -> ApiError:
        """An InvalidResponse: what came back instead of an answer, in a short redacted excerpt."""
        status = getattr(response, "status_code", None)
        headers = getattr(response, "headers", None) or {}
        excerpt = redact(_excerpt(content)) if content else ""
        message = "%s answered HTTP %s with %s (content type %s)%s; %s" % (
            self.endpoint_url, status, why, redact(headers.get("Content-Type", "none")[:80]),
            ": %r" % excerpt if excerpt else "", self.advice)
        return ApiError("InvalidResponse", message, http_status=status, action=action, endpoint=self.endpoint_url)
