# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stand-in for the ECS instance metadata service (RAM role credentials only).

``token_mode``: ``"v2"`` issues tokens on PUT /latest/api/token and accepts
GETs with or without one; ``"v2_required"`` refuses GETs without a valid
token (401); ``"refuse_put"`` answers the PUT with 403 (an old or locked-down
service) and serves plain v1 GETs.
"""

from __future__ import annotations

import uuid

from tests.standins.server import StandinServer, json_answer, text_answer

TOKEN_PATH = "/latest/api/token"
ROLE_PATH = "/latest/meta-data/ram/security-credentials/"


class ImdsStandin(StandinServer):

    def __init__(self, roles=None, token_mode="v2"):
        super().__init__()
        # role name -> {"AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}
        self.roles = dict(roles or {})
        self.token_mode = token_mode
        self.tokens = set()
        self.fail_gets = []  # HTTP statuses answered to the next GETs, one each (a busy service)

    def handle(self, method, path, query, headers, body):
        if method == "GET" and self.fail_gets:
            return text_answer(self.fail_gets.pop(0), "busy")
        if path == TOKEN_PATH:
            if method != "PUT":
                return text_answer(405, "method not allowed")
            if self.token_mode == "refuse_put":
                return text_answer(403, "forbidden")
            if not headers.get("x-aliyun-ecs-metadata-token-ttl-seconds", "").isdigit():
                return text_answer(400, "missing ttl")
            token = uuid.uuid4().hex
            self.tokens.add(token)
            return text_answer(200, token)
        if method != "GET":
            return text_answer(405, "method not allowed")
        token = headers.get("x-aliyun-ecs-metadata-token")
        if token is not None and token not in self.tokens:
            return text_answer(401, "invalid token")
        if token is None and self.token_mode == "v2_required":
            return text_answer(401, "token required")
        if path == ROLE_PATH:
            if not self.roles:
                return text_answer(404, "not found")
            return text_answer(200, "\n".join(sorted(self.roles)))
        if path.startswith(ROLE_PATH):
            keys = self.roles.get(path[len(ROLE_PATH):])
            if keys is None:
                return text_answer(404, "not found")
            answer = {"Code": "Success", "LastUpdated": "2024-01-01T00:00:00Z"}
            answer.update(keys)
            return json_answer(200, answer)
        return text_answer(404, "not found")

    def paths(self, method=None):
        return [r["path"] for r in self.requests if method is None or r["method"] == method]
