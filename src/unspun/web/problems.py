"""Errors as RFC 9457 problem documents (``application/problem+json``) carrying unspun's codes.

Every failure a client meets is one of unspun's coded errors with its hint; a stack trace
never leaves the server. An HTML page gets the same facts as a page of its own.
"""

from __future__ import annotations

from typing import Any

from unspun.errors import CODES, UnspunError

PROBLEM_JSON = "application/problem+json"

#: The HTTP status each code is answered with; unlisted input codes are 422, the rest 400.
_STATUS = {
    "E104": 413,
    "E402": 503,
    "E403": 503,
    "E600": 500,
    "E601": 403,
    "E602": 401,
    "E603": 403,
    "E604": 413,
    "E605": 429,
    "E606": 504,
    "E607": 403,
    "E608": 502,
    "E609": 404,
    "E610": 422,
}


def status_for(code: str) -> int:
    if code in _STATUS:
        return _STATUS[code]
    if code.startswith(("E1", "W1")):
        return 422
    return 400


class WebError(UnspunError):
    """An error of a web request, with its HTTP status and any headers (Retry-After ...)."""

    def __init__(
        self, code: str, message: str, *, status: int | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(code, message)
        self.status = status or status_for(code)
        self.headers = headers or {}


def problem(code: str, detail: str, *, status: int | None = None, hint: str | None = None, **extra: Any) -> dict[str, Any]:
    """The problem document for a coded error."""
    known = CODES.get(code)
    return {
        "type": f"/errors#{code}",
        "title": known.title if known else "error",
        "status": status or status_for(code),
        "detail": detail,
        "code": code,
        "hint": hint if hint is not None else (known.hint if known else ""),
        **extra,
    }


def problem_of(exc: UnspunError) -> dict[str, Any]:
    status = exc.status if isinstance(exc, WebError) else status_for(exc.code)
    return problem(exc.code, exc.message, status=status, hint=exc.hint)


__all__ = ["PROBLEM_JSON", "WebError", "problem", "problem_of", "status_for"]
