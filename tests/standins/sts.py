# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stand-in for STS (RPC, version 2015-04-01): AssumeRole, which checks the V1 signature, and
AssumeRoleWithOIDC, an anonymous call that checks the OIDC token and the provider instead.

The signature check is written here from the public algorithm, independently of the
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


OIDC_MANDATORY = ("RoleArn", "OIDCProviderArn", "OIDCToken")


class StsStandin(StandinServer):
    """``keys``: {access key id: (secret, security token or None)} accepted as callers of AssumeRole;
    ``oidc``: {OIDC token: OIDCProviderArn} accepted by AssumeRoleWithOIDC (the test may change it)."""

    def __init__(self, keys=None, issued=None, expiration="2030-01-01T00:00:00Z", oidc=None):
        super().__init__()
        self.keys = dict(keys or {})
        self.oidc = dict(oidc or {})
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
        if params.get("Action") == "AssumeRoleWithOIDC" and params.get("Version") == "2015-04-01":
            return self._assume_role_with_oidc(params)
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
        return self._missing(params, ("RoleArn", "RoleSessionName")) or self._issue(params)

    def _missing(self, params, names):
        """The service's error for the first mandatory parameter not given, or None."""
        for name in names:
            if not params.get(name):
                return self._error(400, "MissingParameter", 'An input parameter "%s" that is mandatory for processing '
                                   "the request is not supplied." % name)
        return None

    def _assume_role_with_oidc(self, params):
        missing = self._missing(params, OIDC_MANDATORY)
        if missing:
            return missing
        if "Signature" in params or "AccessKeyId" in params:
            return self._error(400, "InvalidParameter", "AssumeRoleWithOIDC is called without an AccessKey.")
        provider = self.oidc.get(params["OIDCToken"])
        if provider is None:
            return self._error(400, "AuthenticationFail.OIDCToken.Invalid", "The OIDC token is invalid or expired.")
        if provider != params["OIDCProviderArn"]:
            return self._error(400, "AuthenticationFail.OIDCToken.IssuerNotMatch",
                               "The OIDC token was not issued by the OIDC provider %s." % params["OIDCProviderArn"])
        return self._issue(params)

    def _issue(self, params):
        self.calls.append(params)
        if self.fail_with:
            return self._error(*self.fail_with)
        answer = {
            "RequestId": uuid.uuid4().hex.upper(),
            "AssumedRoleUser": {"Arn": params["RoleArn"] + "/" + params.get("RoleSessionName", ""),
                                "AssumedRoleId": "3000:session"},
            "Credentials": dict(self.issued, Expiration=self.expiration),
        }
        return json_answer(200, answer)
