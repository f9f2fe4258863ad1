# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What went wrong on the wire (proxy, TLS, connect, read, reset), told as an
``ApiError`` with what to check, never with the URL (it holds the signature).
See docs/architecture.md.
"""

from __future__ import annotations

import socket
import ssl

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.http_lib import (
    NewConnectionError, ProtocolError, ReadTimeoutError, requests,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError

PROXY_AUTH_HINT = "fix the proxy credentials (user:password in HTTPS_PROXY / HTTP_PROXY)"


def _exception_chain(exc):
    """Every exception reachable from ``exc`` through causes, contexts, args and ``.reason``."""
    seen: list[BaseException] = []
    stack = [exc]
    while stack:
        item = stack.pop()
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        stack.extend([item.__cause__, item.__context__, getattr(item, "reason", None)])
        stack.extend(a for a in item.args if isinstance(a, BaseException))
    return seen


class WireFailure:
    """One exception of requests or below, classified: proxy, TLS, timeouts, whether anything was sent, why."""

    def __init__(self, exc: BaseException) -> None:
        chain = _exception_chain(exc)

        def has(*types):
            return any(isinstance(e, types) for e in chain)
        self.proxy = has(requests.exceptions.ProxyError)
        # The proxy refused our (missing) credentials: urllib3 says so only in text.
        self.proxy_auth = self.proxy and any("407" in str(e) for e in chain)
        self.tls = not self.proxy and has(requests.exceptions.SSLError, ssl.SSLError)
        self.connect_timeout = has(requests.exceptions.ConnectTimeout)
        self.read_timeout = not self.connect_timeout and has(requests.exceptions.ReadTimeout, ReadTimeoutError)
        # Nothing reached the server when the connection never opened.
        self.sent = not (self.connect_timeout or has(NewConnectionError, ConnectionRefusedError, socket.gaierror))
        verify = [e for e in chain if isinstance(e, ssl.SSLCertVerificationError)]
        if self.proxy_auth:
            self.reason = "the proxy answered 407 Proxy Authentication Required"
        elif verify:
            self.reason = "certificate verification failed: %s" % (verify[0].verify_message or "untrusted certificate")
        elif self.tls:
            self.reason = "the TLS handshake failed"
        elif has(ConnectionRefusedError):
            self.reason = "connection refused"
        elif has(socket.gaierror) or "NameResolution" in " ".join(type(e).__name__ for e in chain):
            self.reason = "the host name could not be resolved"
        elif has(ConnectionResetError):
            self.reason = "the connection was reset"
        elif has(ProtocolError, requests.exceptions.ChunkedEncodingError):
            self.reason = "the server closed the connection without a complete answer"
        else:
            self.reason = type(exc).__name__


def timeout_error(endpoint: str, action: str, limit: float, answering: bool) -> ApiError:
    """The whole exchange took longer than ``limit`` seconds (``answering``: the answer had begun)."""
    if answering:
        what = "began an answer but did not finish it within %.1fs (it sends too slowly or without end)" % limit
    else:
        what = "accepted the connection but sent no answer within %.1fs" % limit
    error = ApiError("ReadTimeout", "%s %s: the service may be overloaded, or the endpoint is not the ECS API"
                     % (endpoint, what), action=action, endpoint=endpoint)
    error.request_sent = True
    return error


def transport_error(failure: WireFailure, endpoint: str, action: str, timeout: tuple, proxy: str | None,
                    verify_off: bool) -> ApiError:
    """The ApiError for a classified failure; ``request_sent`` says whether the service may have acted."""
    hint = None
    if failure.proxy:
        code = "ProxyAuthenticationRequired" if failure.proxy_auth else "ProxyError"
        message = "the proxy %s failed for %s (%s)" % (proxy or "(from the environment)", endpoint, failure.reason)
        if failure.proxy_auth:
            hint = PROXY_AUTH_HINT + " or use a proxy that needs none; retrying cannot help"
    elif failure.tls:
        code = "SSLError"
        if verify_off:
            message = ("the TLS handshake with %s failed (%s) although certificates are not checked: the endpoint "
                       "may not speak TLS" % (endpoint, failure.reason))
            hint = "if the endpoint is plain HTTP, write it with http://, e.g. %s" % endpoint.replace("https://", "http://", 1)
        else:
            message = ("TLS verification of %s failed (%s): check the endpoint's certificate and CA bundle; "
                       "validate_certs=false turns the check off, for trusted test endpoints only" % (endpoint, failure.reason))
    elif failure.connect_timeout:
        code = "ConnectTimeout"
        message = ("could not connect to %s within %.1fs: check the endpoint or region, DNS, proxy settings "
                   "(HTTPS_PROXY, NO_PROXY) and firewalls" % (endpoint, timeout[0]))
    elif failure.read_timeout:
        code = "ReadTimeout"
        message = ("%s accepted the connection but sent no answer within %.1fs: the service may be overloaded, "
                   "or the endpoint is not the ECS API" % (endpoint, timeout[1]))
    else:
        code = "ConnectionError"
        message = ("could not talk to %s (%s): check the endpoint or region, the network and any proxy "
                   "(HTTPS_PROXY, NO_PROXY)" % (endpoint, failure.reason))
    error = ApiError(code, message, action=action, endpoint=endpoint, hint=hint)
    error.request_sent = failure.sent
    return error
