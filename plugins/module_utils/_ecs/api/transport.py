# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP side of the client: one ``requests.Session`` (keep-alive, proxies
and CA bundle from the given environment, never the process's), timeouts cut
to the caller's deadline, a wall-clock bound on each whole exchange, streamed
reads capped before and after decompression, redirects never followed.
See docs/architecture.md.
"""

from __future__ import annotations

import socket
import threading
import zlib
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.http_lib import HTTPAdapter, requests
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.network_env import (
    environment_proxies, resolve_verify, strip_userinfo,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.wire_errors import WireFailure, timeout_error, transport_error

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Mapping
    from typing import Any

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline

# Never wait less than this for a connection or an answer, even right at the deadline.
MIN_TIMEOUT = 0.5
POOL_SIZE = 16  # the task service calls from a small thread pool
MAX_ANSWER_BYTES = 10 * 1024 * 1024  # no ECS answer comes near this; a bigger one is hostile or not ECS
READ_CHUNK = 64 * 1024


class AnswerError(Exception):
    """The answer cannot be read as an answer (too large, bad compression)."""


def read_body(response: Any, cancelled: threading.Event | None = None, limit: int = MAX_ANSWER_BYTES) -> bytes:
    """The decoded body of a streamed ``response`` (a ``requests.Response``), at most ``limit`` bytes before and after decompression."""
    encoding = (response.headers.get("Content-Encoding") or "").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    elif encoding in ("", "identity"):
        decoder = None
    else:
        raise AnswerError("a content encoding %r the client did not ask for" % encoding[:40])
    parts, raw_size, size = [], 0, 0
    while not (cancelled is not None and cancelled.is_set()):
        chunk = response.raw.read(READ_CHUNK, decode_content=False)
        if not chunk:
            break
        raw_size += len(chunk)
        if decoder is not None:
            try:
                # max_length: a small compressed chunk never inflates past the cap in memory.
                chunk = decoder.decompress(chunk, limit + 1 - size)
            except zlib.error:
                raise AnswerError("a body whose %s compression is corrupt" % encoding) from None
        size += len(chunk)
        if size > limit or raw_size > limit:
            raise AnswerError("an answer larger than %d MiB" % (limit // (1024 * 1024)))
        parts.append(chunk)
    return b"".join(parts)


class _Exchange(object):
    """One HTTP exchange, request and whole answer, in a thread the caller waits for at most ``limit`` seconds.

    requests' read timeout bounds each wait for bytes, not the answer: a
    server trickling headers or a body would hold a plain call for ever. On
    time-out the caller returns at once; the socket is shut down, which wakes
    a reader blocked in it (closing the response instead would wait for that
    reader's lock, as long as the body takes to come), and the reader closes
    the response itself. The thread is a daemon: an abandoned exchange never
    keeps the process alive.
    """

    def __init__(self, send):
        self._send = send
        self._done = threading.Event()
        self._cancelled = threading.Event()
        self.response: Any = None
        self.body = b""  # read only when the exchange ended without error
        self.error: BaseException | None = None

    def run(self, limit):
        thread = threading.Thread(target=self._work, name="alicloud-ecs-http", daemon=True)
        thread.start()
        if self._done.wait(limit):
            return True
        self._cancelled.set()
        if self.response is not None:
            abort_connection(self.response)
        return False

    def _work(self):
        try:
            self.response = self._send()
            if self._cancelled.is_set():
                # The headers came after the caller gave up: nobody reads this answer.
                abort_connection(self.response)
            self.body = read_body(self.response, self._cancelled)
        except BaseException as exc:  # pylint: disable=broad-except
            self.error = exc
        finally:
            self._done.set()
            if self._cancelled.is_set() and self.response is not None:
                try:
                    self.response.close()
                except Exception:  # pylint: disable=broad-except
                    pass  # a connection already shut down may complain; it is gone either way


def _socket_of(response):
    """The socket under a streamed ``requests.Response``, or None (urllib3 1.26 and 2.x keep it in ``_connection``)."""
    raw = getattr(response, "raw", None)
    sock = getattr(getattr(raw, "_connection", None), "sock", None)
    if sock is None:
        # http.client's file over the socket: HTTPResponse.fp (a BufferedReader) -> SocketIO -> socket.
        sock = getattr(getattr(getattr(getattr(raw, "_fp", None), "fp", None), "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def abort_connection(response: Any) -> None:
    """Shut down the connection of ``response`` without blocking: a reader blocked on it wakes up at once."""
    sock = _socket_of(response)
    if sock is None:
        return
    try:
        # socket.socket's own shutdown, also for an SSLSocket: its override drops the TLS state under the reader's feet.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, ValueError):
        pass  # already closed


class Answer:
    """What came back: the response (a ``requests.Response``) and its body, or ``unreadable`` saying why the body
    could not be read."""

    def __init__(self, response: Any, body: bytes, unreadable: str | None = None) -> None:
        self.response = response
        self.body = body
        self.unreadable = unreadable


class Transport:
    """HTTP POSTs (or HEADs) to one endpoint; safe to share between threads.

    ``env`` is where the CA bundle and proxy variables are read; ``proxies``
    ({scheme: url}) and ``ca_bundle`` given explicitly win over it;
    ``validate_certs`` false wins over all. ``session``: a ``requests.Session`` to use instead of a new one.
    """

    def __init__(self, endpoint_url: str, env: Mapping[str, str], validate_certs: bool = True, ca_bundle: str | None = None,
                 proxies: dict | None = None, connect_timeout: float = 5.0, read_timeout: float = 20.0,
                 session: Any = None, user_agent: str | None = None) -> None:
        self.endpoint_url = endpoint_url
        self.verify = resolve_verify(validate_certs, env, ca_bundle)
        self.proxies = dict(proxies) if proxies is not None else environment_proxies(endpoint_url, env)
        self.connect_timeout = float(connect_timeout)
        self.read_timeout = float(read_timeout)
        self.session = session or self._new_session(user_agent)

    def _new_session(self, user_agent):
        session = requests.Session()
        session.verify = self.verify
        # Proxies and CA bundle come from self: the process environment must not
        # override what the task's own environment and options said (nor .netrc add a password).
        session.trust_env = False
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=POOL_SIZE)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        session.headers["User-Agent"] = user_agent or "alicloud.ecs-ansible python-requests/%s" % requests.__version__
        session.headers["Accept"] = "application/json"
        return session

    @property
    def proxy(self) -> str | None:
        """The proxy in use for the endpoint, without any password; None when direct."""
        proxy = self.proxies.get(urlsplit(self.endpoint_url).scheme)
        return strip_userinfo(proxy) if proxy else None

    def close(self) -> None:
        self.session.close()

    def timeouts(self, deadline: Deadline | None = None) -> tuple[float, float]:
        """(connect, read) timeouts for one attempt, cut to the time left before ``deadline``.

        Each is at least MIN_TIMEOUT, the margin past the deadline an attempt
        may take. The whole attempt (connect, headers and body) is also bounded
        by ``connect + read`` seconds, whatever pace the server sends at.
        """
        connect, read = self.connect_timeout, self.read_timeout
        if deadline is not None:
            connect, read = deadline.cap(connect, MIN_TIMEOUT), deadline.cap(read, MIN_TIMEOUT)
        return connect, read

    def post(self, url: str, headers: dict, action: str, deadline: Deadline | None = None,
             on_send: Callable[[], object] | None = None, method: str = "POST") -> Answer:
        """POST (or ``method``: OSS's HEAD) an empty body to ``url``; the whole answer, or an ApiError for a failure on the wire.

        ``on_send()`` runs just before the request goes out (the client counts it).
        """
        timeout = self.timeouts(deadline)
        limit = sum(timeout)
        if deadline is not None:
            limit = deadline.cap(limit, MIN_TIMEOUT)
        if on_send is not None:
            on_send()
        exchange = _Exchange(lambda: self.session.request(
            method, url, data=b"", headers=headers, timeout=timeout, stream=True, allow_redirects=False,
            verify=self.verify, proxies=self.proxies))
        failure = None
        if not exchange.run(limit):
            failure = timeout_error(self.endpoint_url, action, limit, exchange.response is not None)
        elif isinstance(exchange.error, AnswerError):
            return Answer(exchange.response, b"", str(exchange.error))
        elif exchange.error is not None:
            failure = transport_error(WireFailure(exchange.error), self.endpoint_url, action, timeout,
                                      self.proxy, self.verify is False)
        # Raised outside any except block so the requests exception, whose text
        # holds the signed URL, is not chained to what callers see.
        if failure is not None:
            raise failure
        return Answer(exchange.response, exchange.body)
