# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stand-in for STS AssumeRole (RPC, version 2015-04-01) that checks the V1 signature.

The check is written here from the public algorithm, independently of the
collection's signing code, so a bug there cannot hide itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse
import uuid

from tests.standins.server import StandinServer, json_answer


def percent_encode(value):
    return urllib.parse.quote(str(value), safe="-_.~")


def v1_string_to_sign(method, params):
    canonical = "&".join("%s=%s" % (percent_encode(k), percent_encode(v)) for k, v in sorted(params.items()))
    return "%s&%s&%s" % (method, percent_encode("/"), percent_encode(canonical))


def v1_signature(method, params, secret):
    digest = hmac.new((secret + "&").encode("utf-8"), v1_string_to_sign(method, params).encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


class StsStandin(StandinServer):
    """``keys``: {access key id: (secret, security token or None)} accepted as callers."""

    def __init__(self, keys, issued=None, expiration="2030-01-01T00:00:00Z"):
        super().__init__()
        self.keys = dict(keys)
        # What AssumeRole hands out; the test may change it between calls.
        self.issued = dict(issued or {"AccessKeyId": "STS.NUissuedkey0001", "AccessKeySecret": "issued-secret-1",
                                      "SecurityToken": "issued-token-1"})
        self.expiration = expiration
        self.fail_with = None  # (http status, code, message)
        self.calls = []

    def _error(self, status, code, message):
        return json_answer(status, {"RequestId": uuid.uuid4().hex.upper(), "HostId": "sts.aliyuncs.com",
                                    "Code": code, "Message": message})

    def handle(self, method, path, query, headers, body):
        params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        if body and "x-www-form-urlencoded" in headers.get("content-type", ""):
            params.update(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        signature = params.pop("Signature", None)
        if params.get("Action") != "AssumeRole" or params.get("Version") != "2015-04-01":
            return self._error(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
        if not signature or params.get("SignatureMethod") != "HMAC-SHA1" or params.get("SignatureVersion") != "1.0":
            return self._error(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
        key = self.keys.get(params.get("AccessKeyId"))
        if key is None:
            return self._error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        secret, token = key
        expected = v1_signature(method, params, secret)
        if not hmac.compare_digest(expected, signature):
            return self._error(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. "
                               "server string to sign is:%s" % v1_string_to_sign(method, params))
        if token is not None and params.get("SecurityToken") != token:
            return self._error(400, "InvalidSecurityToken.Mismatch", "The security token does not match the access key.")
        for name in ("RoleArn", "RoleSessionName"):
            if not params.get(name):
                return self._error(400, "MissingParameter", 'An input parameter "%s" that is mandatory for processing '
                                   "the request is not supplied." % name)
        self.calls.append(params)
        if self.fail_with:
            return self._error(*self.fail_with)
        answer = {
            "RequestId": uuid.uuid4().hex.upper(),
            "AssumedRoleUser": {"Arn": params["RoleArn"] + "/" + params["RoleSessionName"], "AssumedRoleId": "3000:session"},
            "Credentials": dict(self.issued, Expiration=self.expiration),
        }
        return json_answer(200, answer)
