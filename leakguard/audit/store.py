"""Open the store a policy names: ``sqlite:///path`` (default) or ``postgresql://...``.

``sqlite:///rel/path`` is relative, ``sqlite:////abs/path`` absolute, ``~`` expands;
the default store lives under XDG_STATE_HOME (or ~/.local/state)/leakguard/audit.db.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from leakguard.audit.sqlbase import AuditStoreError, SqlStore
from leakguard.errors import ConfigError
from leakguard.policy.model import DEFAULT_AUDIT_STORE


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    state = env.get("XDG_STATE_HOME") or str(Path(env.get("HOME", "~")) / ".local" / "state")
    return Path(state).expanduser() / "leakguard" / "audit.db"


def open_store(
    url: str,
    key: bytes | None,
    create: bool = True,
    environ: Mapping[str, str] | None = None,
) -> SqlStore:
    """A connected store; AuditStoreError if it cannot be reached or is corrupt."""
    if url == DEFAULT_AUDIT_STORE:
        from leakguard.audit.sqlite import SqliteStore

        return SqliteStore(default_path(environ), key, create)
    if url.startswith("sqlite:///"):
        from leakguard.audit.sqlite import SqliteStore

        return SqliteStore(Path(url[len("sqlite:///") :]).expanduser(), key, create)
    if url.startswith(("postgresql://", "postgres://")):
        from leakguard.audit.postgres import PostgresStore

        return PostgresStore(url, key)
    raise ConfigError(
        f"audit.store must be sqlite:///PATH or postgresql://...: got {url.split(':')[0]}:..."
    )


__all__ = ["AuditStoreError", "default_path", "open_store"]
