# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An OSS client for one endpoint, for what a wait needs: HeadObject of ``/<bucket>/<key>``.

It shares the ECS client's transport (transport.py: deadline, caps, proxies and CA bundle
from the given environment), credentials provider, retries (retry.py) and wrong-endpoint
rule. The endpoint is ``oss_endpoint`` or ``https://oss-<region>.aliyuncs.com`` with the
bucket as a virtual host; an IP or ``localhost`` endpoint is addressed path style
(``<endpoint>/<bucket>/<key>``), as Alibaba's SDKs do. A HEAD answer has no body: OSS
says what went wrong in ``x-oss-err`` (the error document, base64) or ``x-oss-ec``.
See docs/architecture.md.
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import ipaddress
import os
import re
import time
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import unescape

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import DEADLINE_GRACE, WRONG_ENDPOINT_CODES, CountingClient
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.endpoints import REGION_RE, normalize_endpoint, validate_region
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.http_lib import HAS_REQUESTS
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.oss_signing import SIGNATURE_VERSIONS, sign_request
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.responses import AnswerReader
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.transport import Transport
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import mask_key_id
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.redact import Redactor
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.retry import DEFAULT_MAX_ATTEMPTS, Backoff, retry_with_backoff
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import API_TIME_FORMAT

if TYPE_CHECKING:  # annotations only
    import random
    from collections.abc import Callable, Mapping
    from typing import Any

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import CredentialsProvider
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline

HEAD_OBJECT = "HeadObject"
# What HeadObject needs in a RAM or bucket policy (OSS's own action list).
HEAD_OBJECT_PERMISSION = "oss:GetObject"
OPTION = "oss_endpoint"
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
MAX_KEY_BYTES = 1023
TROUBLESHOOT = "https://api.aliyun.com/troubleshoot?q="
MAX_ERROR_HEADER = 16 * 1024  # x-oss-err holds a short XML document; anything longer is not read
# Error codes by OSS's EC number, for a HEAD answer without x-oss-err (each has a page on OSS's site);
# families by prefix: 0003 access denied, 0015 the bucket, 0026 the object.
EC_CODES = {
    "0002-00000002": "InvalidAccessKeyId", "0002-00000004": "InvalidSecurityToken",
    "0002-00000006": "InvalidSecurityToken", "0002-00000007": "SecurityTokenExpired",
    "0002-00000040": "SignatureDoesNotMatch", "0026-00000001": "NoSuchKey",
}
EC_FAMILIES = {"0003-": "AccessDenied", "0015-": "NoSuchBucket", "0026-": "NoSuchKey"}
HINTS = {
    "InvalidAccessKeyId": "OSS does not know this AccessKey ID: check the keys, and give STS keys with their security token",
    "InvalidSecurityToken": "the STS security token does not belong to these keys: give the token issued with them",
    "SecurityTokenExpired": "the STS keys expired: renew them (or use a source that refreshes them, such as a RAM role)",
    "RequestTimeTooSkewed": "this machine's clock is more than 15 minutes off: sync it (NTP)",
    "NoSuchBucket": "check the region and oss_endpoint: the bucket must be in the region whose endpoint is called",
}
_XML_FIELD = re.compile(r"<(Code|Message|EC|AuthAction|Endpoint)>([^<]{0,500})</\1>")


def default_oss_endpoint(region: str) -> str:
    """``https://oss-<region>.aliyuncs.com``: OSS's public endpoint of the region."""
    return "https://oss-%s.aliyuncs.com" % validate_region(region)


def resolve_oss_endpoint(region: str, endpoint: str | None = None) -> str:
    """The base URL (``scheme://host[:port]``) for ``region``: ``endpoint`` (the oss_endpoint option) or the default.

    Raises ConfigError naming ``oss_endpoint`` for an endpoint without a scheme, with a path, and so on.
    """
    if endpoint is None or (isinstance(endpoint, str) and not endpoint.strip()):
        return default_oss_endpoint(region)
    usual = default_oss_endpoint(region) if isinstance(region, str) and REGION_RE.match(region) else \
        "https://oss-cn-hangzhou.aliyuncs.com"
    example = "a URL such as %s or http://127.0.0.1:8080 (never the bucket or the key)" % usual
    return normalize_endpoint(endpoint, option=OPTION, example=example)


def is_path_style(endpoint_url: str) -> bool:
    """An IP address or ``localhost`` cannot carry the bucket as a host name: such endpoints are path style."""
    host = urlsplit(endpoint_url).hostname or ""
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def check_object_name(bucket: str, key: str) -> None:
    """Refuse what OSS would refuse: a bucket name outside its rules, an empty or too long key, a leading slash."""
    if not isinstance(bucket, str) or not BUCKET_RE.match(bucket):
        raise ConfigError("Invalid OSS bucket name %r: 3 to 63 lower-case letters, digits and hyphens, starting and "
                          "ending with a letter or a digit" % (bucket,))
    if not isinstance(key, str) or not key or len(key.encode("utf-8")) > MAX_KEY_BYTES or key.startswith(("/", "\\")):
        raise ConfigError("Invalid OSS object key %r: 1 to %d bytes of UTF-8, not starting with / or \\" % (
            key if not isinstance(key, str) else key[:80], MAX_KEY_BYTES))


def _http_time(value):
    """An HTTP date -> ``2026-12-06T08:30:15Z``; None when absent or unreadable."""
    try:
        moment = email.utils.parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return time.strftime(API_TIME_FORMAT, time.gmtime(moment.timestamp()))


def _error_fields(headers):
    """Code, Message, EC, AuthAction, Endpoint from the base64 error document of ``x-oss-err`` (empty when absent)."""
    raw = headers.get("x-oss-err") or ""
    if not raw or len(raw) > MAX_ERROR_HEADER:
        return {}
    try:
        text = base64.b64decode(raw, validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return {}
    if "<!" in text:  # a DOCTYPE or an entity: not an OSS error document
        return {}
    return dict((name, unescape(value).strip()) for name, value in _XML_FIELD.findall(text))


def _code_of(status, fields, ec):
    """OSS's error code: from the error document, else its EC number or family, else the HTTP status."""
    if fields.get("Code"):
        return fields["Code"][:100]
    if ec in EC_CODES:
        return EC_CODES[ec]
    family = next((code for prefix, code in EC_FAMILIES.items() if ec.startswith(prefix)), None)
    if family and (family != "NoSuchBucket" or status == 404):
        return family
    if status == 403 and not ec:
        return "AccessDenied"
    return {400: "BadRequest", 403: "Forbidden", 404: "NoSuchKey", 500: "InternalError",
            503: "ServiceUnavailable"}.get(status, "HTTP%d" % status)


def _signature_of(authorization):
    """The signature alone (masked wherever an answer might echo it)."""
    if "Signature=" in authorization:
        return authorization.rpartition("Signature=")[2]
    return authorization.rpartition(":")[2]


class OssClient(CountingClient):
    """HeadObject on one OSS endpoint, signed with the run's credentials; safe to share between threads.

    ``region``: the buckets' region (V4 scopes signatures to it; the default endpoint is its own).
    ``endpoint``: the oss_endpoint option, or None. ``signature_version``: ``v4`` (default) or ``v1``.
    ``env``, ``proxies``, ``ca_bundle``, ``validate_certs``, ``session``: as the ECS client's.
    ``wall``: the clock requests are dated with.
    """

    def __init__(self, region: str, credentials: CredentialsProvider, endpoint: str | None = None,
                 signature_version: str = "v4", validate_certs: bool = True, connect_timeout: float = 5.0,
                 read_timeout: float = 20.0, max_attempts: int = DEFAULT_MAX_ATTEMPTS, session: Any = None,
                 sleep: Callable[[float], object] = time.sleep, rng: random.Random | None = None,
                 wall: Callable[[], float] = time.time, env: Mapping[str, str] | None = None,
                 proxies: dict | None = None, ca_bundle: str | None = None, user_agent: str | None = None) -> None:
        if not HAS_REQUESTS:
            raise ConfigError("The Python library 'requests' is required to call OSS: install it where the module "
                              "runs (pip install requests).")
        if signature_version not in SIGNATURE_VERSIONS:
            raise ConfigError("Invalid OSS signature version %r: use v4 or v1" % (signature_version,))
        super().__init__()
        self.region = validate_region(region)
        self.endpoint_url = resolve_oss_endpoint(region, endpoint)
        self.path_style = is_path_style(self.endpoint_url)
        self.signature_version = signature_version
        self.transport = Transport(self.endpoint_url, os.environ if env is None else env, validate_certs=validate_certs,
                                   ca_bundle=ca_bundle, proxies=proxies, connect_timeout=connect_timeout,
                                   read_timeout=read_timeout, session=session, user_agent=user_agent)
        self._reader = AnswerReader(self.endpoint_url, self.transport.proxy,
                                    advice="check that oss_endpoint is an OSS endpoint")
        self._credentials = credentials
        self.max_attempts = max(1, int(max_attempts))
        self._sleep = sleep
        self._wall = wall
        self._backoff = Backoff(rng=rng)

    def __repr__(self) -> str:
        return "OssClient(endpoint_url=%r, region=%r, path_style=%r)" % (self.endpoint_url, self.region, self.path_style)

    def close(self) -> None:
        self.transport.close()

    # Calls ----------------------------------------------------------------
    def object_url(self, bucket: str, key: str) -> str:
        """Where the object is asked for: ``https://<bucket>.<endpoint host>/<key>``, or path style."""
        check_object_name(bucket, key)
        # Every character but the unreserved ones encoded, "/" too (as oss2): no dot segment for a URL parser to fold.
        path = quote(key, safe="")
        if self.path_style:
            return "%s/%s/%s" % (self.endpoint_url, bucket, path)
        scheme, dummy, host = self.endpoint_url.partition("://")
        return "%s://%s.%s/%s" % (scheme, bucket, host, path)

    def head_object(self, bucket: str, key: str, deadline: Deadline | None = None) -> dict[str, object] | None:
        """``{"Bucket", "Key", "ContentLength", "ETag", "LastModified"}`` of the object, or None when it does not exist.

        Raises ApiError for anything else: 403 (the message names the permission missing, or the key
        problem, and the masked AccessKey ID), a missing bucket, 5xx and connection trouble (retried
        within ``deadline`` first), an answer that is not OSS's.
        """
        url = self.object_url(bucket, key)
        if deadline is not None and deadline.passed(DEADLINE_GRACE):
            raise ApiError("DeadlineExceeded", "the time allowed ran out %.1fs before this HeadObject of oss://%s/%s "
                           "could start" % (-deadline.left(), bucket, key), action=HEAD_OBJECT, endpoint=self.endpoint_url)
        attempt = retry_with_backoff(max_attempts=self.max_attempts, backoff=self._backoff,
                                     should_retry=lambda e: isinstance(e, ApiError) and e.retryable, sleep=self._sleep,
                                     on_retry=lambda *a: self._count("_retries"),
                                     retry_on=(ApiError,))(self._attempt)
        try:
            return attempt(url, bucket, key, deadline=deadline)
        except ApiError as error:
            if not self.answered and error.code in WRONG_ENDPOINT_CODES:
                error.make_permanent("no answer of OSS has come from %s yet: check oss_endpoint and the region"
                                     % self.endpoint_url)
            raise

    def _attempt(self, url, bucket, key, deadline=None):
        creds = self._credentials_for(HEAD_OBJECT, deadline)
        headers = sign_request("HEAD", bucket, key, creds.access_key_id, creds.access_key_secret, creds.security_token,
                               self.region, self._wall(), self.signature_version)
        answer = self.transport.post(url, headers, HEAD_OBJECT, deadline, on_send=lambda: self._count("_api_calls", HEAD_OBJECT),
                                     method="HEAD")
        redact = Redactor.for_credentials(creds, _signature_of(headers["Authorization"]))
        if answer.unreadable is not None:
            raise self._reader.invalid(HEAD_OBJECT, answer.response, b"", answer.unreadable, redact)
        return self._read(answer.response, bucket, key, creds, redact)

    def _read(self, response, bucket, key, creds, redact):
        self._reader.refuse_unfollowable(response, HEAD_OBJECT, redact)
        headers = response.headers
        status = response.status_code
        request_id = (headers.get("x-oss-request-id") or "")[:100] or None
        if request_id is None:
            # Every answer of OSS carries its request id; a server without one is something else.
            raise self._reader.invalid(HEAD_OBJECT, response, b"", "an answer without x-oss-request-id", redact)
        self.answered = True
        if status == 200:
            return self._object(response, bucket, key, redact)
        fields = _error_fields(headers)
        ec = (fields.get("EC") or headers.get("x-oss-ec") or "").strip()[:40]
        code = _code_of(status, fields, ec)
        if status == 404 and code != "NoSuchBucket":
            return None
        raise self._error(code, status, fields, ec, request_id, bucket, key, creds, redact)

    def _object(self, response, bucket, key, redact):
        length = (response.headers.get("Content-Length") or "").strip()
        if not length.isdigit():
            raise self._reader.invalid(HEAD_OBJECT, response, b"", "an object without a Content-Length", redact)
        return {
            "Bucket": bucket,
            "Key": key,
            "ContentLength": int(length),
            "ETag": (response.headers.get("ETag") or "").strip().strip('"') or None,
            "LastModified": _http_time(response.headers.get("Last-Modified")),
        }

    def _error(self, code, status, fields, ec, request_id, bucket, key, creds, redact):
        """The ApiError of a refused HeadObject, saying who was refused what and what to do."""
        where = "oss://%s/%s" % (bucket, key)
        source = getattr(creds, "source", "") or "the options"
        identity = "AccessKey ID %s (credentials from %s)" % (mask_key_id(creds.access_key_id), source)
        said = "; ".join(part for part in (redact(fields.get("Message") or ""), "EC %s" % ec if ec else "") if part)
        detail = " (OSS says: %s)" % said if said else ""
        refused = "OSS refused %s of %s to the %s" % (HEAD_OBJECT, where, identity)
        hint = HINTS.get(code)
        if code == "AccessDenied" and fields.get("Endpoint"):
            message = "%s: the bucket answers at its own endpoint %s%s" % (refused, fields["Endpoint"][:100], detail)
            hint = "set oss_endpoint (or the region) to the bucket's endpoint"
        elif code == "AccessDenied":
            permission = fields.get("AuthAction") or HEAD_OBJECT_PERMISSION
            resource = "acs:oss:*:*:%s/%s" % (bucket, key)
            message = "%s: it lacks %s on %s, which HeadObject needs%s" % (refused, permission, resource, detail)
            hint = "grant %s on %s (or on acs:oss:*:*:%s/*) to that identity, in its RAM policy or the bucket policy" % (
                permission, resource, bucket)
        elif code == "NoSuchBucket":
            message = "the bucket %s does not exist at %s%s" % (bucket, self.endpoint_url, detail)
        elif code == "SignatureDoesNotMatch":
            message = "%s: OSS computed another signature%s" % (refused, detail)
        else:
            message = refused + detail
            if hint is None and ec.startswith("0002-"):
                hint = ("OSS did not accept the keys: check the AccessKey ID, the secret, the STS token (STS keys need "
                        "theirs) and this machine's clock; EC %s is explained at %s%s" % (ec, TROUBLESHOOT, ec))
            elif hint is None and status < 500:
                # Never the ECS advice a bare code would get (errors.hint_for): OSS's own, or what to check.
                hint = "EC %s is explained at %s%s" % (ec, TROUBLESHOOT, ec) if ec else \
                    "OSS said no more than HTTP %d: check oss_endpoint, the keys and their OSS permissions" % status
        return ApiError(code, message, request_id=request_id, http_status=status, action=HEAD_OBJECT,
                        endpoint=self.endpoint_url, hint=hint)
