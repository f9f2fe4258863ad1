# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The OSS stand-in: HEAD and GET of objects, path style (`/<bucket>/<key>`), signatures checked.

Checks, in order: the bucket name and the bucket (NoSuchBucket), the
Authorization header (none: AccessDenied, as for a private bucket), its
date (RequestTimeTooSkewed beyond 15 minutes), for V4 the credential scope
(region: known and the bucket's), the AccessKeyId (InvalidAccessKeyId),
the signature (SignatureDoesNotMatch, with the server's string to sign),
the STS token in `x-oss-security-token`, the bucket's refused keys
(AccessDenied), then the object (NoSuchKey). Errors are OSS XML on GET; on
HEAD the status and headers alone, as OSS answers.
"""

from __future__ import annotations

import email.utils
import time
import uuid
from datetime import datetime, timezone
from urllib.parse import unquote
from xml.sax.saxutils import escape

from tests.emulator import faults as faults_mod, objects as objects_mod, oss_signing, signing, taskspec

TIME_WINDOW = 15 * 60
XML_TYPE = "application/xml"
V4_TIME_FORMAT = "%Y%m%dT%H%M%SZ"

ERRORS = {
    "AccessDenied": (403, "You have no right to access this object because of bucket acl.", "0003-00000001"),
    "InvalidAccessKeyId": (403, "The OSS Access Key Id you provided does not exist in our records.", "0002-00000902"),
    "SignatureDoesNotMatch": (403, "The request signature we calculated does not match the signature you provided. "
                                   "Check your key and signing method.", "0002-00000040"),
    "InvalidSecurityToken": (403, "The security token you provided is invalid.", "0002-00000006"),
    "SecurityTokenExpired": (403, "The security token you provided has expired.", "0002-00000008"),
    "RequestTimeTooSkewed": (403, "The difference between the request time and the current time is too large.",
                             "0002-00000504"),
    "InvalidArgument": (400, "Authorization header is invalid.", "0002-00000001"),
    "InvalidBucketName": (400, "The specified bucket is not valid.", "0015-00000101"),
    "InvalidObjectName": (400, "The specified object is not valid.", "0016-00000005"),
    "NoSuchBucket": (404, "The specified bucket does not exist.", "0015-00000101"),
    "NoSuchKey": (404, "The specified key does not exist.", "0026-00000001"),
    "MethodNotAllowed": (405, "The specified method is not allowed against this resource.", "0016-00000101"),
    "NotImplemented": (400, "A header or operation you provided implies functionality that is not implemented.",
                       "0016-00000102"),
    "InternalError": (500, "We encountered an internal error. Please try again.", "0016-00000601"),
    "ServiceUnavailable": (503, "Please reduce your request rate.", "0016-00000602"),
}


class OssError(Exception):
    def __init__(self, code, message=None, **details):
        status, default_message, ec = ERRORS[code]
        super().__init__(code)
        self.code = code
        self.status = status
        self.message = message or default_message
        self.ec = ec
        self.details = details  # extra elements of the XML body (Key, StringToSign, ...)


class OssAnswer:
    """What to send: status, headers, and either a body or `stream` bytes of object content."""

    def __init__(self, status, headers, body=b"", stream=0, code=""):
        self.status = status
        self.headers = headers
        self.body = body
        self.stream = stream
        self.code = code  # the error code, "" on success


def new_request_id():
    return uuid.uuid4().hex[:24].upper()


def http_date(epoch):
    return email.utils.formatdate(epoch, usegmt=True)


def error_xml(error, request_id, host_id):
    elements = [("Code", error.code), ("Message", error.message), ("RequestId", request_id), ("HostId", host_id)]
    elements += list(error.details.items())
    elements += [("EC", error.ec), ("RecommendDoc", "https://api.aliyun.com/troubleshoot?q=%s" % error.ec)]
    body = "".join("<%s>%s</%s>" % (name, escape(str(value)), name) for name, value in elements)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Error>%s</Error>\n' % body).encode("utf-8")


def split_path(raw_path):
    """/bucket/key... -> (bucket, key) decoded; key "" for a bucket-level request."""
    bucket, dummy, key = raw_path.lstrip("/").partition("/")
    return unquote(bucket), unquote(key)


def operation(method, bucket, key, query_pairs):
    if not key:
        return "GetBucket" if method == "GET" else method.capitalize() + "Bucket"
    if method == "HEAD":
        return "GetObjectMeta" if any(name == "objectMeta" for name, dummy in query_pairs) else "HeadObject"
    return "GetObject" if method == "GET" else method.capitalize() + "Object"


class OssStandIn:
    def __init__(self, object_store, verifier, clock, wall=time.time):
        self.objects = object_store
        self.verifier = verifier
        self.clock = clock
        self._wall = wall

    def handle(self, method, raw_path, query_pairs, headers, host, fault=None, fault_code=None):
        """OssAnswer for one request; headers: lower-case name -> [values].

        Returns (answer, access key id that signed it or "", bucket region or "").
        """
        request_id = new_request_id()
        bucket_name, key = split_path(raw_path)
        state = {"key_id": "", "region": ""}
        try:
            if fault:
                raise OssError("ServiceUnavailable" if fault == faults_mod.THROTTLE else fault_code)
            answer = self._answer(method, bucket_name, key, query_pairs, headers, state)
        except OssError as error:
            answer = OssAnswer(error.status, {"Content-Type": XML_TYPE, "x-oss-ec": error.ec},
                               error_xml(error, request_id, host or "oss-emulator"), code=error.code)
        answer.headers.update({"x-oss-request-id": request_id, "Date": http_date(self._wall()), "Server": "AliyunOSS"})
        return answer, state["key_id"], state["region"]

    # -- the checks ---------------------------------------------------------------
    def _answer(self, method, bucket_name, key, query_pairs, headers, state):
        if method not in ("GET", "HEAD"):
            raise OssError("MethodNotAllowed", Method=method, ResourceType="Object")
        if not objects_mod.valid_bucket(bucket_name):
            raise OssError("InvalidBucketName", BucketName=bucket_name)
        bucket = self.objects.bucket(bucket_name)
        if bucket is None:
            raise OssError("NoSuchBucket", BucketName=bucket_name)
        state["region"] = bucket.region
        key_id = self._authenticate(method, bucket, key, query_pairs, headers)
        state["key_id"] = key_id
        if key_id in bucket.deny:
            raise OssError("AccessDenied", "You are forbidden to oss:GetObject on this object.", Key=key)
        if not key:
            raise OssError("NotImplemented", "The stand-in serves objects only (HEAD and GET of /<bucket>/<key>).")
        if not objects_mod.valid_key(key):
            raise OssError("InvalidObjectName", ObjectName=key)
        now = self.clock.now()
        found = self.objects.current(bucket.name, key, now)
        if found is None:
            raise OssError("NoSuchKey", Key=key)
        headers_out = {
            "Content-Type": "application/octet-stream",
            "Content-Length": str(found.size),
            "ETag": found.etag,
            "Last-Modified": http_date(found.appears_at(now)),
            "x-oss-object-type": "Normal",
            "x-oss-storage-class": "Standard",
        }
        return OssAnswer(200, headers_out, stream=found.size if method == "GET" else 0)

    def _authenticate(self, method, bucket, key, query_pairs, headers):
        authorization = (headers.get("authorization") or [""])[-1].strip()
        if not authorization:
            raise OssError("AccessDenied", Key=key)
        if authorization.startswith(oss_signing.V4_ALGORITHM):
            return self._verify_v4(method, bucket, key, query_pairs, headers, authorization)
        if authorization.startswith(oss_signing.V1_PREFIX):
            return self._verify_v1(method, bucket, key, query_pairs, headers, authorization)
        raise OssError("InvalidArgument")

    def _check_skew(self, stamp):
        if abs(self._wall() - stamp) > TIME_WINDOW:
            raise OssError("RequestTimeTooSkewed", RequestTime=http_date(stamp), ServerTime=http_date(self._wall()))

    def _credential(self, key_id):
        credential = self.verifier.lookup(key_id)
        if credential is None:
            raise OssError("InvalidAccessKeyId", OSSAccessKeyId=key_id)
        return credential

    def _check_token(self, credential, headers):
        # alibabacloud-oss-v2 sends the token of a V1 request as `security-token` (unsigned); OSS takes both.
        token = (headers.get("x-oss-security-token") or headers.get("security-token") or [""])[-1].strip()
        if credential.token is None:
            if token:
                raise OssError("InvalidSecurityToken")
            return
        if not token:
            # An STS AccessKeyId alone is unknown to OSS.
            raise OssError("InvalidAccessKeyId", OSSAccessKeyId=credential.key_id)
        if not signing.constant_time_equal(token, credential.token):
            raise OssError("InvalidSecurityToken")
        if credential.expires is not None and self._wall() >= credential.expires:
            raise OssError("SecurityTokenExpired")

    def _verify_v1(self, method, bucket, key, query_pairs, headers, authorization):
        parsed = oss_signing.parse_v1_authorization(authorization)
        if parsed is None:
            raise OssError("InvalidArgument")
        key_id, provided = parsed
        date = (headers.get("date") or [""])[-1].strip()
        if not date:
            raise OssError("AccessDenied", "Missing Date header.")
        try:
            stamp = email.utils.parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError):
            raise OssError("AccessDenied", "Invalid Date header.") from None
        self._check_skew(stamp)
        credential = self._credential(key_id)
        string_to_sign = oss_signing.v1_string_to_sign(method, headers, bucket.name, key, query_pairs)
        if not signing.constant_time_equal(oss_signing.v1_signature(credential.secret, string_to_sign), provided):
            raise OssError("SignatureDoesNotMatch", OSSAccessKeyId=key_id, SignatureProvided=provided,
                           StringToSign=string_to_sign)
        self._check_token(credential, headers)
        return key_id

    def _verify_v4(self, method, bucket, key, query_pairs, headers, authorization):
        parsed = oss_signing.parse_v4_authorization(authorization)
        if parsed is None or parsed["service"] != oss_signing.V4_SERVICE or parsed["terminator"] != oss_signing.V4_TERMINATOR:
            raise OssError("InvalidArgument", "The Credential parameter in the Authorization header is invalid.")
        if not (headers.get("x-oss-content-sha256") or [""])[-1].strip():
            raise OssError("InvalidArgument", "Missing the x-oss-content-sha256 header of a V4 signature.")
        timestamp = (headers.get("x-oss-date") or [""])[-1].strip()
        try:
            stamp = datetime.strptime(timestamp, V4_TIME_FORMAT).replace(tzinfo=timezone.utc).timestamp()
        except ValueError:
            raise OssError("InvalidArgument", "The x-oss-date header of a V4 signature is missing or malformed.") from None
        self._check_skew(stamp)
        if parsed["date"] != timestamp[:8]:
            raise OssError("InvalidArgument", "Invalid signing date in Authorization header.")
        if parsed["region"] not in taskspec.REGIONS or parsed["region"] != bucket.region:
            raise OssError("InvalidArgument", "Invalid signing region in Authorization header: the bucket is in %s."
                           % bucket.region)
        credential = self._credential(parsed["key_id"])
        canonical = oss_signing.v4_canonical_request(method, bucket.name, key, query_pairs, headers, parsed["additional"])
        string_to_sign = oss_signing.v4_string_to_sign(timestamp, oss_signing.v4_scope(parsed["date"], parsed["region"]),
                                                       canonical)
        expected = oss_signing.v4_signature(credential.secret, parsed["date"], parsed["region"], string_to_sign)
        if not signing.constant_time_equal(expected, parsed["signature"].lower()):
            raise OssError("SignatureDoesNotMatch", OSSAccessKeyId=parsed["key_id"],
                           SignatureProvided=parsed["signature"], StringToSign=string_to_sign,
                           CanonicalRequest=canonical)
        self._check_token(credential, headers)
        return parsed["key_id"]
