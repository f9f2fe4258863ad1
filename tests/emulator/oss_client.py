# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A minimal OSS client (V1 / V4 header signatures, path style) for protocol tests of the stand-in.

`overrides` changes headers before signing (None removes one), `after_sign`
after it, so tests can build each request the checks must refuse.
"""

from __future__ import annotations

import email.utils
import http.client
import time
from urllib.parse import quote, urlsplit

from tests.emulator import oss_signing


class OssReply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def __repr__(self):
        return "OssReply(%s, %r)" % (self.status, self.body[:300])


class OssClient:
    def __init__(self, url, key_id="testid", secret="testsecret", token=None, region="cn-hangzhou", timeout=30):
        split = urlsplit(url)
        self.host, self.port, self.netloc = split.hostname, split.port, split.netloc
        self.key_id, self.secret, self.token, self.region = key_id, secret, token, region
        self.timeout = timeout

    @staticmethod
    def path(bucket, key):
        return "/%s/%s" % (quote(bucket, safe=""), quote(key, safe="/"))

    def _base_headers(self, when):
        headers = {"date": email.utils.formatdate(when, usegmt=True), "host": self.netloc}
        if self.token:
            headers["x-oss-security-token"] = self.token
        return headers

    @staticmethod
    def _apply(headers, overrides):
        for name, value in (overrides or {}).items():
            if value is None:
                headers.pop(name, None)
            else:
                headers[name] = value
        return headers

    def v1(self, method, bucket, key, overrides=None, after_sign=None, query=()):
        headers = self._apply(self._base_headers(time.time()), overrides)
        lists = {k: [v] for k, v in headers.items()}
        string_to_sign = oss_signing.v1_string_to_sign(method, lists, bucket, key, list(query))
        headers["authorization"] = "OSS %s:%s" % (self.key_id, oss_signing.v1_signature(self.secret, string_to_sign))
        return self.send(method, bucket, key, self._apply(headers, after_sign), query)

    def v4(self, method, bucket, key, overrides=None, after_sign=None, region=None, additional=(), query=(),
           when=None):
        when = time.time() if when is None else when
        region = region or self.region
        headers = self._base_headers(when)
        headers["x-oss-date"] = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(when))
        headers["x-oss-content-sha256"] = oss_signing.UNSIGNED_PAYLOAD
        headers = self._apply(headers, overrides)
        lists = {k: [v] for k, v in headers.items()}
        timestamp = headers.get("x-oss-date", "")
        date = timestamp[:8]
        canonical = oss_signing.v4_canonical_request(method, bucket, key, list(query), lists, list(additional))
        string_to_sign = oss_signing.v4_string_to_sign(timestamp, oss_signing.v4_scope(date, region), canonical)
        signature = oss_signing.v4_signature(self.secret, date, region, string_to_sign)
        extra = ",AdditionalHeaders=%s" % ";".join(sorted(additional)) if additional else ""
        headers["authorization"] = "%s Credential=%s/%s/%s/oss/aliyun_v4_request%s,Signature=%s" % (
            oss_signing.V4_ALGORITHM, self.key_id, date, region, extra, signature)
        return self.send(method, bucket, key, self._apply(headers, after_sign), query)

    def send(self, method, bucket, key, headers, query=()):
        path = self.path(bucket, key)
        if query:
            path += "?" + "&".join(k if v == "" else "%s=%s" % (quote(k, safe=""), quote(v, safe="")) for k, v in query)
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, headers=headers)
            response = conn.getresponse()
            return OssReply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            conn.close()
