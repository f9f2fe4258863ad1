# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP: one ThreadingHTTPServer serving the signed API at /, the control API at /_emulator/
and the OSS stand-in at /<bucket>/<key> (any other path, or / with an OSS signature).

HTTP/1.1 keep-alive; every answer carries Content-Length. A request that
cannot be understood gets an error answer, never a crash: bodies are
capped, chunked bodies are refused, bad encodings get a 400.
"""

from __future__ import annotations

import json
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from tests.emulator import faults as faults_mod, oss as oss_mod
from tests.emulator.action_settings import ActionSettings
from tests.emulator.api import EcsApi
from tests.emulator.auth import SignedRequest, Verifier
from tests.emulator.clock import DEFAULT_PRECISION, VirtualClock
from tests.emulator.control import PREFIX, Control, is_loopback_client
from tests.emulator.disks import DiskStore
from tests.emulator.errors import ApiError, error_body, new_request_id, to_xml
from tests.emulator.faults import Faults, Stats
from tests.emulator.images import ImageStore
from tests.emulator.objects import ObjectStore
from tests.emulator.permissions import Permissions, access_denied_detail
from tests.emulator.product_reads import ProductReads
from tests.emulator.products import Products
from tests.emulator.start_actions import StartActions
from tests.emulator.state import TaskStore

MAX_BODY = 1024 * 1024
JSON_TYPE = "application/json;charset=utf-8"
XML_TYPE = "text/xml;charset=utf-8"


def answer_format(request):
    """"xml" or "json": Format as sent (any case); without it a V1 call gets the service's default, XML."""
    fmt = (request.params().get("Format") or "").strip().lower()
    if fmt:
        return "xml" if fmt == "xml" else "json"
    return "json" if request.is_v3() else "xml"


class EmulatorApp:
    """Everything the handlers share."""

    def __init__(self, credentials, time_scale=1.0, seed=None, verbose=False, time_precision=DEFAULT_PRECISION):
        self.clock = VirtualClock(time_scale)
        self.store = TaskStore(seed)
        self.faults = Faults(seed)
        self.stats = Stats()
        self.permissions = Permissions()
        self.verifier = Verifier(credentials)
        self.images = ImageStore()
        self.disks = DiskStore()
        self.objects = ObjectStore()
        self.actions = ActionSettings()
        self.products = Products(self.images, self.disks, self.objects)
        start = StartActions(self.store, self.images, self.disks, self.objects, self.products, self.actions, self.clock)
        reads = ProductReads(self.images, self.disks, self.clock)
        self.api = EcsApi(self.store, self.clock, dict(start.actions(), **reads.actions()), time_precision,
                          self.faults.page_size_cap)
        self.oss = oss_mod.OssStandIn(self.objects, self.verifier, self.clock)
        self.control = Control(self)
        self.verbose = verbose

    def reset(self):
        self.store.clear()
        self.faults.reset()
        self.stats.reset()
        self.permissions.reset()
        self.verifier.nonces.clear()
        self.images.clear()
        self.disks.clear()
        self.objects.clear()
        self.actions.clear()

    def answer(self, access_key_id, action, params):
        """The signed call's answer, for this identity: its RAM permissions first."""
        denial = self.permissions.denial(access_key_id, action)
        if denial == "empty":
            return self.api.empty_answer(action, params)
        if denial:
            raise ApiError("Forbidden.RAM", extra={"AccessDeniedDetail": access_denied_detail(access_key_id, action)})
        return self.api.call(action, params)


class _BadRequest(Exception):
    def __init__(self, status, error):
        super().__init__(error.code)
        self.status = status
        self.error = error


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ecs-emulator"
    sys_version = ""
    timeout = 120  # idle keep-alive connections release their thread

    # -- entry points --------------------------------------------------------
    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def setup(self):
        super().setup()
        # Headers and body leave in two sends; with Nagle on, the body would
        # wait for the client's delayed ACK (~40 ms) on every keep-alive call.
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def version_string(self):
        return self.server_version

    @property
    def app(self):
        return self.server.app

    def _dispatch(self):
        try:
            split = urlsplit(self.path)
            path, query = split.path or "/", split.query
            if path.startswith(PREFIX.rstrip("/")):
                self._control(path, query)
            elif path == "/" and not self._oss_signed():
                self._signed(query)
            else:
                self._oss(path, query)
        except (ConnectionError, socket.timeout):
            self.close_connection = True
        except Exception as exc:  # pylint: disable=broad-except
            # Last resort: answer 500 rather than drop the connection silently.
            self.log_error("unexpected error: %r", exc)
            self.close_connection = True
            try:
                self._send_error_body(ApiError("InternalError"), new_request_id(), close=True)
            except OSError:
                pass

    # -- bodies ---------------------------------------------------------------
    def _read_body(self):
        if self.headers.get("Transfer-Encoding"):
            raise _BadRequest(411, ApiError("InvalidParameter", "Chunked request bodies are not supported; send Content-Length.", 411))
        raw = self.headers.get("Content-Length")
        if raw is None:
            return b""
        try:
            length = int(raw)
        except ValueError:
            length = -1
        if length < 0:
            raise _BadRequest(400, ApiError("InvalidParameter", "Content-Length is not valid.", 400))
        if length > MAX_BODY:
            raise _BadRequest(413, ApiError("InvalidParameter", "The request body is larger than %d bytes." % MAX_BODY, 413))
        body = self.rfile.read(length)
        if len(body) != length:
            raise ConnectionError("client closed before sending the whole body")
        return body

    # -- control API ----------------------------------------------------------
    def _control(self, path, query):
        if not is_loopback_client(self.client_address[0]):
            self._send_json(403, {"message": "the control API answers loopback clients only"}, close=True)
            return
        try:
            body = self._read_body()
        except _BadRequest as bad:
            self._send_json(bad.status, {"message": bad.error.message}, close=True)
            return
        status, answer = self.app.control.handle(self.command, path, query, body)
        self._send_json(status, answer)

    # -- signed API -----------------------------------------------------------
    def _signed(self, query):
        app = self.app
        request_id = new_request_id()
        self._answer_as = "json"
        # HostId names the host that was called, as the service's does.
        self._host_id = (self.headers.get("Host") or "").strip()[:255] or None
        try:
            body = self._read_body()
        except _BadRequest as bad:
            app.stats.call("")
            app.stats.error(bad.error.code)
            self._send_error_body(bad.error, request_id, close=True)
            return
        try:
            request = self._signed_request(query, body)
        except ApiError as error:
            app.stats.call("")
            app.stats.error(error.code)
            self._send_error_body(error, request_id)
            return
        self._answer_as = answer_format(request)
        params = request.params()
        app.stats.call(request.action_hint(), params.get("RegionId") or "",
                       dry_run=(params.get("DryRun") or "").strip().lower() == "true")
        fault, code, delay = app.faults.decide()
        if delay:
            time.sleep(delay)
        if fault == faults_mod.RESET:
            app.stats.error("ConnectionReset")
            self._drop_connection()
            return
        try:
            if fault:
                raise ApiError(code)
            if self.command not in ("GET", "POST"):
                raise ApiError("UnsupportedHTTPMethod")
            action, params = app.verifier.verify(request)
            app.stats.access_key(request.access_key_hint())
            answer = app.answer(request.access_key_hint(), action, params)
        except ApiError as error:
            app.stats.error(error.code)
            self._send_error_body(error, request_id)
            return
        answer = dict({"RequestId": request_id}, **answer)
        if self._answer_as == "xml":
            self._send_data(200, to_xml(action + "Response", answer).encode("utf-8"), XML_TYPE, request_id=request_id)
        else:
            self._send_json(200, answer, request_id=request_id)

    # -- OSS stand-in ------------------------------------------------------------
    def _oss_signed(self):
        """An OSS request at / (no bucket in the path): its Authorization names an OSS signature."""
        auth = (self.headers.get("Authorization") or "").strip()
        return auth.startswith(("OSS ", "OSS4-"))

    def _oss(self, path, query):
        """A request with a bucket in its path (or an OSS signature) goes to the OSS stand-in."""
        app = self.app
        try:
            self._read_body()
        except _BadRequest:
            self.close_connection = True
        headers = {}
        for name, value in self.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        query_pairs = parse_qsl(query, keep_blank_values=True)
        bucket, key = oss_mod.split_path(path)
        name = oss_mod.operation(self.command, bucket, key, query_pairs)
        fault, code, delay = app.faults.decide()
        if delay:
            time.sleep(delay)
        if fault == faults_mod.RESET:
            app.stats.call(name)
            app.stats.error("ConnectionReset")
            self._drop_connection()
            return
        host = (self.headers.get("Host") or "").strip()[:255]
        answer, key_id, region = app.oss.handle(self.command, urlsplit(self.path).path, query_pairs, headers, host,
                                                fault, code)
        app.stats.call(name, region)
        if key_id:
            app.stats.access_key(key_id)
        if answer.code:
            app.stats.error(answer.code)
        self._send_oss(answer)

    def _send_oss(self, answer):
        self.send_response(answer.status)
        # An object's answer names its own length (HEAD sends no body); an error's is its XML.
        length = answer.headers.pop("Content-Length", None) or str(len(answer.body))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", length)
        self.end_headers()
        if self.command == "HEAD":
            return
        if answer.body:
            self.wfile.write(answer.body)
        remaining = answer.stream
        chunk = b"\0" * 65536
        while remaining > 0:
            self.wfile.write(chunk[:remaining])
            remaining -= len(chunk)

    def _signed_request(self, query, body):
        headers = {}
        for name, value in self.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        try:
            query_pairs = parse_qsl(query, keep_blank_values=True, errors="strict")
            form_pairs = []
            content_type = (self.headers.get("Content-Type") or "").lower()
            if body and content_type.startswith("application/x-www-form-urlencoded"):
                form_pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise ApiError("InvalidParameter.Encoding") from None
        return SignedRequest(self.command, "/", query_pairs, form_pairs, headers, body)

    def _drop_connection(self):
        # The reset fault: close without a byte of answer.
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # -- writing --------------------------------------------------------------
    def _send_error_body(self, error, request_id, close=False):
        body = error_body(error, request_id, getattr(self, "_host_id", None))
        if getattr(self, "_answer_as", "json") == "xml":
            self._send_data(error.status, to_xml("Error", body).encode("utf-8"), XML_TYPE, request_id=request_id, close=close)
        else:
            self._send_json(error.status, body, request_id=request_id, close=close)

    def _send_json(self, status, obj, request_id=None, close=False):
        self._send_data(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), JSON_TYPE, request_id, close)

    def _send_data(self, status, data, content_type, request_id=None, close=False):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if request_id:
            self.send_header("x-acs-request-id", request_id)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_error(self, code, message=None, explain=None):
        """Malformed request lines and headers (raised inside http.server) get a JSON answer too."""
        self.close_connection = True
        # An unparsable request line leaves HTTP/0.9 (no status line): answer as HTTP/1.1 anyway.
        self.request_version = self.protocol_version
        data = json.dumps({"message": message or explain or "bad request"}).encode("utf-8")
        try:
            self.send_response(code)
            self.send_header("Content-Type", JSON_TYPE)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            if getattr(self, "command", None) != "HEAD" and code >= 200 and code not in (204, 304):
                self.wfile.write(data)
        except OSError:
            pass

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.app.verbose:
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))

    def log_error(self, format, *args):  # pylint: disable=redefined-builtin
        sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, app):
        self.app = app
        super().__init__(address, Handler)

    def handle_error(self, request, client_address):
        # A client that vanished is normal under fault injection: no traceback spam.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, socket.timeout)):
            return
        super().handle_error(request, client_address)


class EmulatorHTTPServer6(EmulatorHTTPServer):
    address_family = socket.AF_INET6


def make_server(app, host="127.0.0.1", port=0):
    cls = EmulatorHTTPServer6 if ":" in host else EmulatorHTTPServer
    return cls((host, port), app)


def base_url(server):
    host, port = server.server_address[:2]
    return "http://%s:%d" % ("[%s]" % host if ":" in host else host, port)
