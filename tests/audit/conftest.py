"""A real PostgreSQL server for the audit store tests.

LEAKGUARD_TEST_PG (set by .ci/start-postgres.sh) names one; otherwise the session starts
a throwaway server itself (initdb + pg_ctl in a temp dir). Only outside CI, and only
when no server can be started here, are PostgreSQL tests skipped.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


def _bin_dir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if all(os.access(Path(candidate) / b, os.X_OK) for b in ("initdb", "pg_ctl", "postgres")):
            return Path(candidate)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(base: Path) -> tuple[str, list[str]]:
    bin_dir = _bin_dir()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl) found")
    run: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        run = ["runuser", "-u", "postgres", "--"]
        base.chmod(0o755)
        shutil.chown(base, "postgres")
    port = _free_port()
    data = base / "data"
    subprocess.run(
        [*run, str(bin_dir / "initdb"), "-D", str(data), "-U", "leakguard", "--auth=trust"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off"
    subprocess.run(
        [
            *run,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(base / "log"),
            "-w",
            "-o",
            options,
            "start",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    stop = [*run, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
    return f"postgresql://leakguard@127.0.0.1:{port}/postgres", stop


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A DSN of a database on a real server whose user may create databases."""
    dsn = os.environ.get("LEAKGUARD_TEST_PG")
    if dsn:
        yield dsn
        return
    stop: list[str] = []
    try:
        import psycopg  # noqa: F401  (a missing driver is a failure in CI, like a missing server)

        # Not under pytest's tmp dirs: those are private to root, and the server
        # runs as the postgres user when we are root.
        base = Path(tempfile.mkdtemp(prefix="leakguard-pg-"))
        dsn, stop = _start_server(base)
    except Exception as exc:
        detail = (
            exc.stderr.decode(errors="replace")[-500:]
            if isinstance(exc, subprocess.CalledProcessError)
            else ""
        )
        message = (
            "PostgreSQL tests need a server: set LEAKGUARD_TEST_PG or install postgresql"
            f" ({exc}) {detail}"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield dsn
    finally:
        subprocess.run(stop, capture_output=True, timeout=60, check=False)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the test server for one test."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = "lgtest_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    params = conninfo_to_dict(pg_server)
    url = f"postgresql://{params.get('user', '')}@{params['host']}:{params['port']}/{name}"
    assert make_conninfo(url)
    yield url
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
