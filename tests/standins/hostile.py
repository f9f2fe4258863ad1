# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Servers on loopback that answer the way a slow, broken or hostile endpoint (or proxy) would.

``RawServer(respond)`` reads each request (line, headers, Content-Length
body) and hands ``respond(request, conn, stop)`` the raw socket: the script
writes whatever bytes it likes, as slowly as it likes, until ``stop`` is set
at close. Each connection has a daemon thread; ``close()`` ends them all.
``tls`` (an ``ssl.SSLContext``) makes it an HTTPS server.
"""

from __future__ import annotations

import datetime
import json
import os
import socket
import threading
import time
import zlib


class Request(object):
    def __init__(self, method, target, headers, body):
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())


def _read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > 1024 * 1024:
            return None
    head, _sep, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target = (lines[0].split(" ") + ["", ""])[:2]
    headers = {}
    for line in lines[1:]:
        name, _colon, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length") or 0)
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    return Request(method, target, headers, rest[:length])


class RawServer(object):
    def __init__(self, respond, tls=None, greeting=None):
        self.respond = respond
        self.greeting = greeting  # bytes sent as soon as a connection opens (a server that speaks first)
        self.tls = tls
        self.requests = []
        self.connections = 0
        self._stop = threading.Event()
        self._conns = []
        self._lock = threading.Lock()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self):
        return "%s://127.0.0.1:%d" % ("https" if self.tls else "http", self.port)

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._conns.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        try:
            conn.settimeout(30)
            if self.greeting is not None:
                conn.sendall(self.greeting)
                return
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
                with self._lock:
                    self._conns.append(conn)
            while not self._stop.is_set():
                request = _read_request(conn)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                if self.respond(request, conn, self._stop) == "close":
                    return
        except (OSError, ValueError):
            return
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def close(self):
        self._stop.set()
        self._thread.join(5)
        with self._lock:
            for conn in self._conns:
                try:
                    conn.close()
                except OSError:
                    pass
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def http_answer(status, body=b"", content_type="application/json", headers=None, reason="OK"):
    data = body.encode("utf-8") if isinstance(body, str) else body
    lines = ["HTTP/1.1 %d %s" % (status, reason), "Content-Type: %s" % content_type, "Content-Length: %d" % len(data)]
    lines += ["%s: %s" % item for item in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data


def json_answer(status, document, **kwargs):
    return http_answer(status, json.dumps(document), **kwargs)


def answer_with(data):
    """A responder that sends ``data`` (bytes, or a callable of the request) at once, keeping the connection."""
    def respond(request, conn, stop):
        conn.sendall(data(request) if callable(data) else data)
    return respond


def trickle(data, every=1.0):
    """A responder that sends ``data`` one byte every ``every`` seconds."""
    def respond(request, conn, stop):
        for index in range(len(data)):
            if stop.wait(every if index else 0):
                return "close"
            conn.sendall(data[index:index + 1])
        return "close"
    return respond


def slow_body(answer, every=1.0):
    """A responder that sends the headers of ``answer`` (bytes, Content-Length set) at once, then its body one
    byte every ``every`` seconds: each byte comes well within any read timeout, the whole takes ``len(body)`` s."""
    head, sep, body = answer.partition(b"\r\n\r\n")

    def respond(request, conn, stop):
        conn.sendall(head + sep)
        for index in range(len(body)):
            if stop.wait(every):
                return "close"
            conn.sendall(body[index:index + 1])
        return "close"
    return respond


def endless_chunked(header_every=0.3, chunk_every=0.05):
    """Headers trickled one by one, then chunks for ever."""
    def respond(request, conn, stop):
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        for number in range(50):
            if stop.wait(header_every):
                return "close"
            conn.sendall(b"X-Padding-%d: %s\r\n" % (number, b"x" * 20))
        conn.sendall(b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        conn.sendall(b"1\r\n{\r\n")
        while not stop.wait(chunk_every):
            conn.sendall(b"4\r\n    \r\n")
        return "close"
    return respond


def gzip_bomb(inflated=200 * 1024 * 1024):
    """A gzip answer of a few hundred KB that inflates to ``inflated`` bytes of JSON white space."""
    # Compressed a MiB at a time: the bomb never exists inflated in the test's memory either.
    encoder = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [encoder.compress(b"{")]
    block = b" " * (1024 * 1024)
    for dummy in range(inflated // len(block)):
        parts.append(encoder.compress(block))
    parts.append(encoder.compress(b"}"))
    parts.append(encoder.flush())
    return http_answer(200, b"".join(parts), headers={"Content-Encoding": "gzip"})


def proxy_auth_required():
    """A proxy that wants credentials, for plain requests and CONNECT alike."""
    return answer_with(http_answer(407, "proxy credentials required", content_type="text/plain",
                                   headers={"Proxy-Authenticate": 'Basic realm="proxy"'}, reason="Proxy Authentication Required"))


def tasks_answer(tasks, total=None, request_id="R-1"):
    return {"RequestId": request_id, "TotalCount": len(tasks) if total is None else total,
            "PageNumber": 1, "PageSize": 100, "TaskSet": {"Task": tasks}}


def task(task_id, status="Finished", **extra):
    return dict({"TaskId": task_id, "TaskAction": "ExportImage", "TaskStatus": status, "SupportCancel": "false",
                 "CreationTime": "2026-01-01T00:00Z", "FinishedTime": "2026-01-01T00:01Z", "RegionId": "cn-hangzhou"},
                **extra)


def self_signed_context(directory):
    """An SSLContext serving a fresh self-signed certificate for 127.0.0.1 (made with cryptography)."""
    import ipaddress
    import ssl

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hostile test server")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path = os.path.join(directory, "cert.pem")
    key_path = os.path.join(directory, "key.pem")
    with open(cert_path, "wb") as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context, cert_path


def elapsed(func):
    """(result or exception, seconds) of ``func()``."""
    start = time.monotonic()
    try:
        value = func()
    except Exception as exc:  # pylint: disable=broad-except
        value = exc
    return value, time.monotonic() - start
