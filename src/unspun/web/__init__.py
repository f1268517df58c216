"""The web app and HTTP API (`unspun serve`): server-rendered pages with JSON twins over the
store the CLI uses. FastAPI loads only when an app is made, never with the CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from unspun.web.app import create_app
    from unspun.web.settings import WebSettings


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from unspun.web.app import create_app

        return create_app
    if name == "WebSettings":
        from unspun.web.settings import WebSettings

        return WebSettings
    raise AttributeError(f"module 'unspun.web' has no attribute {name!r}")


__all__ = ["WebSettings", "create_app"]
