"""A throwaway PostgreSQL server in a temporary folder, for tests and benchmarks.

It runs the distribution's own binaries (``initdb``, ``pg_ctl``) on a free loopback port with
trust authentication and no Unix socket, and removes everything when stopped. PostgreSQL
refuses to run as root, so as root the server runs as the ``postgres`` user.
``UNSPUN_PG_BINDIR`` names the binaries' folder when it is not under /usr/lib/postgresql.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from types import TracebackType
from typing import Self

import sqlalchemy as sa


def find_bindir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl`` (newest installed version), if any."""
    if os.environ.get("UNSPUN_PG_BINDIR"):
        given = Path(os.environ["UNSPUN_PG_BINDIR"])
        return given if (given / "initdb").exists() else None
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
    )
    for path in reversed(candidates):
        if (Path(path) / "initdb").exists():
            return Path(path)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TemporaryPostgres:
    """``with TemporaryPostgres() as pg: pg.create_database()`` gives a URL to a fresh database."""

    def __init__(self, bindir: Path | None = None) -> None:
        found = bindir or find_bindir()
        if found is None:
            raise FileNotFoundError("PostgreSQL is not installed (no initdb found)")
        self.bindir = found
        self.port = 0
        self.root = Path(tempfile.mkdtemp(prefix="unspun-pg-"))
        self.data = self.root / "data"
        self._as: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        self._started = False

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self._as, *args], check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd="/"
        )

    def start(self) -> Self:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        # A port can be taken between choosing and binding it; try a few.
        for attempt in range(5):
            self.port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -c port={self.port} "
                "-c unix_socket_directories='' -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off -c max_connections=50"
            )
            try:
                self._run(
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-o",
                    options,
                    "-l",
                    str(self.root / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                )
                break
            except subprocess.CalledProcessError:
                if attempt == 4:
                    raise
                time.sleep(0.2)
        self._started = True
        return self

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database and return its URL."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        engine = sa.create_engine(
            self.admin_url.replace("postgresql://", "postgresql+psycopg://"),
            isolation_level="AUTOCOMMIT",
        )
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        engine.dispose()
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def drop_database(self, url: str) -> None:
        """Drop a database made by :meth:`create_database`, closing its connections."""
        name = sa.make_url(url).database
        engine = sa.create_engine(
            self.admin_url.replace("postgresql://", "postgresql+psycopg://"),
            isolation_level="AUTOCOMMIT",
        )
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()

    def stop(self) -> None:
        if self._started:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
            self._started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.stop()


__all__ = ["TemporaryPostgres", "find_bindir"]
