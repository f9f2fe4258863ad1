# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stand-in for the server ``ALIBABA_CLOUD_CREDENTIALS_URI`` names: GET ``path`` answers
``{Code, AccessKeyId, AccessKeySecret, SecurityToken, Expiration}``, as Alibaba's credential
libraries expect (credentials-python ``provider/uri.py``).
"""

from __future__ import annotations

from tests.standins.server import StandinServer, json_answer, text_answer


class CredentialsUriStandin(StandinServer):
    """``keys``: the answer's fields besides Code (the test may change them, or set ``answer`` whole)."""

    def __init__(self, keys, path="/credentials"):
        super().__init__()
        self.path = path
        self.keys = dict(keys)
        self.answer = None  # a whole answer to send instead (a dict, or text that is not JSON)
        self.fail_gets = []  # HTTP statuses answered to the next GETs, one each (a busy server)

    @property
    def uri(self):
        return self.url + self.path

    def handle(self, method, path, query, headers, body):
        if method != "GET":
            return text_answer(405, "method not allowed")
        if path != self.path:
            return text_answer(404, "not found")
        if self.fail_gets:
            return text_answer(self.fail_gets.pop(0), "busy")
        if isinstance(self.answer, str):
            return text_answer(200, self.answer)
        return json_answer(200, self.answer if self.answer is not None else dict(self.keys, Code="Success"))

    def gets(self):
        return [r for r in self.requests if r["method"] == "GET"]
