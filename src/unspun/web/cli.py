"""`unspun serve` and `unspun token`: the web app's commands, added to the main app by
:func:`register`. FastAPI and uvicorn are imported inside the commands, so `unspun --help`
and `--version` never load them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from unspun.web.settings import DEFAULT_DB, DEFAULT_HOST, DEFAULT_PORT, default_tokens_path

if TYPE_CHECKING:
    from unspun.pipeline import Pipeline

token_app = typer.Typer(help="Make and list the tokens that writes to `unspun serve` need.", no_args_is_help=True)

Tokens = Annotated[
    Path | None,
    typer.Option("--tokens", envvar="UNSPUN_TOKENS", help="The token file (default: ~/.config/unspun/tokens.json)."),
]


def _store_url(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


def _seed_example(url: str, analyzers: tuple[str, ...] | None) -> Pipeline | None:
    """Store and analyse the bundled example in an empty store, so the first page shows it;
    return the pipeline that did it (warm, for the server to keep), or None if not empty."""
    from importlib.resources import as_file, files

    from unspun._api import analyze_many
    from unspun.errors import InputError
    from unspun.pipeline import Pipeline
    from unspun.store import open_store

    with open_store(url) as store:
        if store.article_count():
            return None
        pipeline = Pipeline.from_names(list(analyzers) if analyzers else None)
        with as_file(files("unspun") / "resources" / "example.md") as path:
            for item in analyze_many([path], pipeline=pipeline):
                if not isinstance(item, InputError):
                    store.add_article(item.article)
                    store.save_analysis(item)
    return pipeline


def serve(
    db: Annotated[
        str,
        typer.Option(
            "--db",
            envvar="UNSPUN_DB",
            help="The store: sqlite:///corpus.db (or a plain path) or postgresql://user@host/db.",
        ),
    ] = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it to this machine.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port to listen on.")] = DEFAULT_PORT,
    allow_writes: Annotated[
        bool, typer.Option("--allow-writes", help="Allow analyses and uploads (each needs a token).")
    ] = False,
    allow_fetch: Annotated[
        bool, typer.Option("--allow-fetch", help="Allow analysing a page by its URL (the server fetches it).")
    ] = False,
    tokens: Tokens = None,
    max_upload_mb: Annotated[float, typer.Option(help="Largest request body, in MB (413 past it).")] = 20.0,
    max_text_chars: Annotated[int, typer.Option(help="Longest text analysed at once (413 past it).")] = 100_000,
    rate_limit: Annotated[int, typer.Option(help="Analyses a client may start per minute (429 past it).")] = 30,
    time_limit: Annotated[float, typer.Option(help="Seconds an analysis or fetch may take (504 past it).")] = 60.0,
    analyzers: Annotated[
        str | None, typer.Option("--analyzers", "-a", help="Comma-separated analyzer names (default: the installed defaults).")
    ] = None,
    example: Annotated[
        bool, typer.Option("--example/--no-example", help="Put the bundled example in an empty store first.")
    ] = True,
) -> None:
    """Serve the web app and HTTP API over a store (read-only unless --allow-writes)."""
    import uvicorn

    from unspun.errors import UnspunError
    from unspun.web.app import create_app
    from unspun.web.settings import WebSettings

    url = _store_url(db)
    names = tuple(a.strip() for a in analyzers.split(",") if a.strip()) if analyzers else None
    try:
        pipeline = _seed_example(url, names) if example else None
        if pipeline is not None:
            typer.echo("The store was empty: added the bundled example article.", err=True)
        settings = WebSettings(
            db=url,
            allow_writes=allow_writes,
            allow_fetch=allow_fetch,
            tokens_path=tokens or default_tokens_path(),
            max_upload_bytes=int(max_upload_mb * 2**20),
            max_text_chars=max_text_chars,
            rate_limit=rate_limit,
            time_limit=time_limit,
            analyzers=names,
        )
        # A server that analyses keeps the pipeline that analysed the example (loading the
        # models twice costs seconds); a read-only one lets it go.
        app = create_app(settings, pipeline=pipeline if allow_writes else None)
    except UnspunError as exc:
        typer.echo(f"{exc.code}: {exc.message}\n{exc.hint}", err=True)
        raise typer.Exit(2) from exc
    mode = "read-write (writes need a token)" if allow_writes else "read-only"
    typer.echo(f"unspun serves {url} ({mode}) at http://{host}:{port}/", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Option(help="A name to tell tokens apart.")] = "default",
    tokens: Tokens = None,
) -> None:
    """Make a write token for `unspun serve` and print it (only its hash is kept)."""
    from unspun.web.tokens import create_token

    path = tokens or default_tokens_path()
    typer.echo(create_token(path, name))
    typer.echo(f"kept as a hash in {path}; send it as `Authorization: Bearer TOKEN`", err=True)


@token_app.command("list")
def token_list(tokens: Tokens = None) -> None:
    """List the tokens' names and creation times (never the tokens)."""
    from unspun.web.tokens import list_tokens

    for entry in list_tokens(tokens or default_tokens_path()):
        typer.echo(f"{entry['name']}\t{entry['created']}")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(token_app, name="token")


__all__ = ["register"]
