"""What keeps a server safe by default: body caps, security headers, CSRF, sign-in, rate limits.

- Every response carries a strict Content-Security-Policy: scripts only from the app's own
  files (no inline script, no ``eval``), nothing from another origin.
- A request body over the cap is refused with 413 (E604) before the app reads it, or as soon
  as the bytes sent pass the cap when no length was declared.
- Writes need a token. The API takes it as ``Authorization: Bearer``; a browser signs in once
  with it and then holds a session cookie (HttpOnly, SameSite=Strict). Forms also carry a
  CSRF token that must match a cookie this site set, so another site cannot post them.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

from unspun.web.problems import PROBLEM_JSON, WebError, problem

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSRF_COOKIE = "unspun_csrf"
SESSION_COOKIE = "unspun_session"
CSRF_FIELD = "csrf_token"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


class _TooLarge(Exception):
    pass


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is as good as none
                return None
            if name in jar:
                return jar[name].value
    return None


class Guard:
    """ASGI middleware: the body cap, the security headers and the CSRF cookie, in one pass
    (a pure ASGI layer costs far less per request than Starlette's BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp, *, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        exceeded = False
        csrf = _cookie(scope, CSRF_COOKIE)
        fresh = csrf is None or len(csrf) != 43
        token = secrets.token_urlsafe(32) if fresh else csrf
        scope.setdefault("state", {})["csrf"] = token

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                # A body parser that caught the overflow answers its own error (a 400 for a
                # "malformed" multipart body); the client is told the real reason instead.
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await self._refuse(send_raw, f"more than {self.max_body}")
                return
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in _HEADERS if k not in present]
                if fresh:
                    cookie = f"{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
                    headers.append((b"set-cookie", cookie.encode()))
                message["headers"] = headers
            await send(message)

        async def send_raw(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + [(k, v) for k, v in _HEADERS]
            await send(message)

        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await self._refuse(guarded_send, declared.decode("latin-1"))
            return
        received = 0

        async def capped_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    exceeded = True
                    raise _TooLarge
            return message

        try:
            await self.app(scope, capped_receive, guarded_send)
        except _TooLarge:
            if not started:
                started = True
                await self._refuse(send_raw, f"more than {self.max_body}")

    async def _refuse(self, send: Send, size: str) -> None:
        body = json.dumps(
            problem("E604", f"the request body is {size} bytes; this server takes at most {self.max_body}")
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


def check_csrf(cookie: str | None, sent: str | None, *, fetch_site: str | None = None) -> None:
    """Refuse a form (E603) unless it carries the CSRF cookie's value and is not cross-site."""
    if fetch_site == "cross-site":
        raise WebError("E603", "the form was sent from another site")
    if not cookie or not sent or not hmac.compare_digest(cookie, sent):
        raise WebError("E603", "the form's CSRF token is missing or does not match this browser's")


class Sessions:
    """Browser sign-ins: a random session id per sign-in, mapped to the token's hash. Held in
    memory, so a restart signs everyone out, and checked against the token file at each use,
    so revoking a token ends its sessions."""

    def __init__(self) -> None:
        self._by_id: dict[str, str] = {}
        self._lock = threading.Lock()

    def open(self, digest: str) -> str:
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._by_id[sid] = digest
        return sid

    def digest(self, sid: str | None) -> str | None:
        if not sid:
            return None
        with self._lock:
            return self._by_id.get(sid)

    def close(self, sid: str | None) -> None:
        if sid:
            with self._lock:
                self._by_id.pop(sid, None)


class RateLimit:
    """At most ``per_minute`` hits per key in any sliding minute (E605 with Retry-After)."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - 60.0:
                hits.popleft()
            if len(hits) >= self.per_minute:
                wait = max(1, int(hits[0] + 60.0 - now) + 1)
                raise WebError(
                    "E605",
                    f"more than {self.per_minute} analyses in a minute from this client; try again in {wait} s",
                    headers={"Retry-After": str(wait)},
                )
            hits.append(now)


__all__ = ["CSP", "CSRF_COOKIE", "CSRF_FIELD", "SESSION_COOKIE", "Guard", "RateLimit", "Sessions", "check_csrf"]
