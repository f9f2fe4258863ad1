# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The exceptions of the library, the retryable error codes and the advice for each code.

Every message here is meant for a person and is safe to show: callers must
never put a secret (access key secret, security token) into one. See docs/architecture.md.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable


class AlicloudError(Exception):
    """Base class: anything the library raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, object]:
        return {"msg": self.message}


class ConfigError(AlicloudError):
    """Bad input: an option, a file, a duration. ``option`` names the culprit."""

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.option = option

    def to_dict(self) -> dict[str, object]:
        result: dict[str, object] = {"msg": self.message}
        if self.option:
            result["option"] = self.option
        return result


class CredentialError(ConfigError):
    """No usable credentials. ``tried`` lists the sources looked at, in order."""

    def __init__(self, message: str, tried: Iterable[str] | None = None, option: str | None = None) -> None:
        super().__init__(message, option=option)
        self.tried = list(tried or [])

    def to_dict(self) -> dict[str, object]:
        result = super().to_dict()
        if self.tried:
            result["credential_sources_tried"] = list(self.tried)
        return result


# Codes the service or the transport reports that are worth another try.
RETRYABLE_CODES = frozenset([
    "Throttling", "Throttling.User", "Throttling.Api", "Throttling.Resource",
    "ServiceUnavailable", "InternalError", "UnknownError",
    "ConnectionError", "ReadTimeout", "ConnectTimeout", "ProxyError",
    # Not the API's answer (garbled, cut, an error page): worth another poll, within the deadline.
    "InvalidResponse",
])


# What to do about a code, said once for every caller. Prefix match on the
# part before the first dot covers families (Throttling.User, ...).
HINTS = {
    "InvalidRegionId.NotFound": "check the region option (or ALIBABA_CLOUD_REGION_ID): it must be a region id ECS knows, such as cn-hangzhou",
    "MissingParameter": "a required parameter was empty; check the options of the task",
    "InvalidAccessKeyId.NotFound": "the AccessKey ID is unknown: check access_key or the credential source named above",
    "InvalidAccessKeyId.Inactive": "the AccessKey is disabled: enable it in the RAM console or use another",
    "SignatureDoesNotMatch": "the secret does not match the AccessKey ID: check secret_key or the credential source named above",
    "IncompleteSignature": "the request signature was refused: check the keys, and try signature_version v1",
    "InvalidTimeStamp.Expired": "this machine's clock is more than 15 minutes off: sync it (NTP)",
    "InvalidSecurityToken": "the STS security token is wrong or expired: refresh security_token (or the profile) with its keys",
    "MissingSecurityToken": "these are STS keys: also give their security_token",
    "Forbidden": "the RAM user or role lacks permission: grant ecs:DescribeTasks and ecs:DescribeTaskAttribute (ecs:CancelTask to cancel)",
    "Throttling": "ECS is limiting the request rate: wait less often (max_interval, poll_interval) or fewer waits at once",
    "ConnectionError": "could not reach the endpoint: check the endpoint option, DNS, proxies and the network",
    "ConnectTimeout": "the endpoint did not accept a connection in time: check the endpoint option and the network",
    "ReadTimeout": "the endpoint accepted the request but did not answer in time: raise request_timeout or check the endpoint",
    "SSLError": "TLS verification failed: fix the certificate chain, or set validate_certs false for a private test endpoint",
    "InvalidResponse": "the endpoint did not answer like the ECS API: check that the endpoint option points at ECS",
    "ProxyError": "check the proxy named above (HTTPS_PROXY / HTTP_PROXY), or list the endpoint in NO_PROXY",
    "ProxyAuthenticationRequired": "fix the proxy credentials (user:password in HTTPS_PROXY / HTTP_PROXY); retrying cannot help",
    "DeadlineExceeded": "the task's timeout ran out: raise the timeout option, or ask for less (filters, max_results)",
    "CredentialRefreshFailed": "the temporary keys could not be refreshed: check the STS endpoint or metadata service named above",
}


# Codes the client makes up for transport failures, with advice in their message.
TRANSPORT_CODES = frozenset(["ConnectionError", "ConnectTimeout", "ReadTimeout", "SSLError", "InvalidResponse"])


# The actions a task wait calls, whose RAM denial the Forbidden hint above answers in full.
TASK_ACTIONS = ("DescribeTasks", "DescribeTaskAttribute", "CancelTask")


def hint_for(code: str | None, action: str | None = None) -> str | None:
    """The advice for an error code (of a call to ``action``, when known), or None."""
    code = code or ""
    if code.split(".", 1)[0] == "Forbidden" and action and action not in TASK_ACTIONS:
        # A RAM denial of DescribeImages or DescribeDisks is fixed by that action's permission, not the tasks'.
        return "the RAM user or role lacks permission: grant ecs:%s" % action
    return HINTS.get(code) or HINTS.get(code.split(".", 1)[0])


class ApiError(AlicloudError):
    """One failed API call (after any retries).

    ``code`` is the service's error code, or for transport failures one of
    ``ConnectionError``, ``ConnectTimeout``, ``ReadTimeout`` (retryable),
    ``SSLError`` (not retryable: a bad certificate will not get better) and
    ``InvalidResponse`` (an answer that is not the API's JSON, retryable).
    ``hint`` replaces the code's usual advice; ``make_permanent`` marks an
    error final whatever its code (a wrong endpoint, say). ``credential_source``
    names where the keys came from, for key errors: it is added to the message
    after the server's string to sign was split off (the source has parentheses
    of its own, so it cannot be told apart from the server's text afterwards).
    """

    def __init__(self, code: str | None, message: str | None, request_id: str | None = None, http_status: int | None = None,
                 action: str | None = None, endpoint: str | None = None, attempts: int = 1, host_id: str | None = None,
                 recommend: str | None = None, hint: str | None = None, credential_source: str | None = None) -> None:
        self.code = code or "Unknown"
        # The server's string to sign (hundreds of characters) is kept apart: shown once, in its own field.
        self.api_message, self.server_string_to_sign = _split_string_to_sign(message or "")
        self.credential_source = credential_source
        if credential_source:
            self.api_message += " (credentials from %s)" % credential_source
        self.request_id = request_id
        self.http_status = http_status
        self.action = action
        self.endpoint = endpoint
        self.attempts = attempts
        self.host_id = host_id
        self.recommend = recommend
        self.hint = hint
        self.permanent: str | None = None
        # False only when the transport knows the request never reached the service (api/wire_errors.py).
        self.request_sent = True
        super().__init__(self._compose())

    @property
    def retryable(self) -> bool:
        return not self.permanent and is_retryable(self.code, self.http_status)

    def make_permanent(self, why: str) -> ApiError:
        """Mark the error final, saying ``why`` in its message."""
        self.permanent = why
        self.message = self._compose()
        self.args = (self.message,)
        return self

    def _compose(self):
        parts = []
        if self.action:
            parts.append("%s failed" % self.action)
        else:
            parts.append("API call failed")
        detail = "%s: %s" % (self.code, self.api_message) if self.api_message else self.code
        parts.append(detail)
        extra = []
        if self.http_status:
            extra.append("HTTP %s" % self.http_status)
        if self.request_id:
            extra.append("request id %s" % self.request_id)
        if self.attempts and self.attempts > 1:
            extra.append("after %d attempts" % self.attempts)
        text = ": ".join(parts)
        if extra:
            text += " (%s)" % ", ".join(extra)
        if self.permanent:
            text += "; %s" % self.permanent
        # The client's own transport messages already say what to check: one piece of advice is enough.
        hint = self.hint or (None if self.code in TRANSPORT_CODES and "check" in self.api_message else hint_for(self.code, self.action))
        if hint:
            text += ". To fix: %s." % hint
        return text

    def with_hint(self, hint: str) -> ApiError:
        """Return the same error, its advice replaced by ``hint`` (what the caller knows: the image, the region)."""
        self.hint = hint
        self.message = self._compose()
        self.args = (self.message,)
        return self

    def with_attempts(self, attempts: int) -> ApiError:
        """Return the same error, noting how many attempts were made."""
        self.attempts = attempts
        self.message = self._compose()
        self.args = (self.message,)
        return self

    def to_dict(self) -> dict[str, object]:
        result = {
            "msg": self.message,
            "error_code": self.code,
            "error_message": self.api_message,
            "request_id": self.request_id,
            "http_status": self.http_status,
            "attempts": self.attempts,
        }
        if self.server_string_to_sign:
            result["server_string_to_sign"] = self.server_string_to_sign
        return result


_STRING_TO_SIGN = re.compile(r"^(?P<head>.*?)[. ]*server string to sign is:(?P<sts>.*)$", re.DOTALL)


def _split_string_to_sign(message):
    """(the service's message without the server's string to sign, the string to sign or None)."""
    match = _STRING_TO_SIGN.match(message)
    if not match:
        return message, None
    head = match.group("head").rstrip(" .")
    return "%s (the server's string to sign is in server_string_to_sign)" % head, match.group("sts")


def is_throttling(code: object) -> bool:
    """True for the service's rate-limit codes (Throttling, Throttling.User, ...)."""
    return str(code or "").startswith("Throttling")


def is_retryable(code: str | None, http_status: int | None = None) -> bool:
    """True when a failure with this code / HTTP status may succeed if tried again."""
    if code in RETRYABLE_CODES or is_throttling(code):
        return True
    if http_status is not None and http_status >= 500:
        return True
    return False
