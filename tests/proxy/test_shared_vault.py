"""``proxy.vault: store``: several proxy instances, one conversation, one set of placeholders.

Two real ``leakguard serve`` processes share a PostgreSQL database (audit log and
session vaults) and one fake upstream; a conversation hops between them. Then the
same with two in-process proxies on a SQLite store.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from leakguard.audit.store import open_store
from leakguard.errors import ConfigError
from leakguard.policy import load_policy
from leakguard.policy.model import AuditSettings, Policy, ProxySettings
from leakguard.proxy import vaultstore
from leakguard.proxy.guard import Guard
from leakguard.proxy.runner import ProxyThread, build_guard
from leakguard.proxy.server import ProxyOptions
from leakguard.proxy.vaultstore import VaultStore, open_vault_store
from leakguard.transform.vault import KEY_ENV, new_key_text
from tests.audit import conftest as audit_pg
from tests.fakeupstream import FakeUpstream
from tests.helpers import run_cli

pg_server = audit_pg.pg_server  # the real PostgreSQL fixtures of the audit tests
pg_url = audit_pg.pg_url

SESSION = "x-claude-code-session-id"
PLACEHOLDER = re.compile(r"SECRET_\d+_[0-9a-f]{4}")


def fake_keys(count: int) -> list[str]:
    """Distinct fake AWS access key IDs, built at run time."""
    letters = "BCDFGHJKLMNPQRSTVWXZ"
    return ["AKIA" + "Q3ZL7WX2" + "M5TN4R" + a + b for a in letters for b in letters][:count]


def policy_yaml(upstream: str, store: str) -> str:
    return (
        "version: 1\n"
        f"destinations:\n  anthropic: {{upstream: '{upstream}', actions: {{secret: anonymize}}}}\n"
        f"audit: {{store: '{store}'}}\n"
        "proxy: {vault: store}\n"
    )


def ask(base: str, session: str, turns: list[str]) -> httpx.Response:
    """One Anthropic Messages call; ``turns`` alternate user / assistant, user last."""
    messages = [
        {"role": "user" if i % 2 == 0 else "assistant", "content": text}
        for i, text in enumerate(turns)
    ]
    body = {"model": "m", "max_tokens": 50, "messages": messages}
    return httpx.post(
        base + "/anthropic/v1/messages",
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json", "x-api-key": "k", SESSION: session},
        timeout=60,
    )


def answer(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text[:300]
    return "".join(b.get("text", "") for b in response.json()["content"])


def placeholders_by_label(upstream: FakeUpstream) -> dict[tuple[str, str], set[str]]:
    """(session, label) -> placeholders the upstream saw after ``label=``."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for post in upstream.posts:
        session, body = post.headers.get(SESSION, ""), post.json
        assert body is not None
        for message in body["messages"]:
            for label, placeholder in re.findall(r"(k\d+)=(\S+)", message["content"]):
                seen[session, label].add(placeholder)
    return seen


def assert_one_to_one(seen: dict[tuple[str, str], set[str]]) -> None:
    """Per session: one placeholder per value, and no placeholder for two values."""
    owners: dict[tuple[str, str], str] = {}
    for (session, label), placeholders in seen.items():
        assert len(placeholders) == 1, f"{session} {label}: {sorted(placeholders)}"
        placeholder = next(iter(placeholders))
        assert PLACEHOLDER.fullmatch(placeholder), placeholder
        assert owners.setdefault((session, placeholder), label) == label, placeholder


# -- two `leakguard serve` processes on PostgreSQL ------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Serve:
    """``python -m leakguard serve`` in a subprocess, until ``stop``."""

    def __init__(self, repo: Path, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "leakguard", "serve", "--port", str(self.port)],
            cwd=repo, env=env, stderr=subprocess.PIPE, text=True,
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 90
        while True:
            try:
                httpx.get(self.url + "/healthz", timeout=1).raise_for_status()
                return
            except httpx.TransportError:
                if self.proc.poll() is not None:
                    raise AssertionError(self.stop()) from None
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return self.proc.stderr.read() if self.proc.stderr else ""


@pytest.fixture
def two_instances(
    pg_url: str, tmp_path: Path, upstream: FakeUpstream
) -> Iterator[tuple[Serve, Serve]]:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".leakguard.yaml").write_text(policy_yaml(upstream.url, pg_url))
    env = {**os.environ, KEY_ENV: new_key_text()}
    servers = [Serve(repo, env) for _ in range(2)]
    try:
        for server in servers:
            server.wait_ready()
        yield servers[0], servers[1]
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def upstream() -> Iterator[FakeUpstream]:
    with FakeUpstream(echo=True) as fake:
        yield fake


@pytest.mark.slow
def test_two_serve_instances_share_placeholders_and_one_audit_chain(
    two_instances: tuple[Serve, Serve], upstream: FakeUpstream, pg_url: str, tmp_path: Path
) -> None:
    a, b = two_instances
    keys = fake_keys(80)
    requests = 0

    # A conversation whose turns alternate between the instances.
    turns = [f"first k0={keys[0]} ok"]
    turns.append(answer(ask(a.url, "conv", turns)))
    turns.append(f"then k1={keys[1]} and k0={keys[0]} again")
    turns.append(answer(ask(b.url, "conv", turns)))
    turns.append(f"last k1={keys[1]} k2={keys[2]}")
    turns.append(answer(ask(a.url, "conv", turns)))
    requests += 3
    # Answers came back restored on both instances (the fake echoes the placeholders).
    assert turns[1] == turns[0] and turns[3] == turns[2] and turns[5] == turns[4]
    seen = placeholders_by_label(upstream)
    assert_one_to_one(seen)
    assert {label for _s, label in seen} == {"k0", "k1", "k2"}
    assert all(k not in upstream.received_text() for k in keys)

    # A placeholder made on A comes back restored from B, in a request without findings.
    (k2_placeholder,) = seen["conv", "k2"]
    upstream.reply(f"recall {k2_placeholder}")
    assert answer(ask(b.url, "conv", ["nothing secret here"])) == f"recall {keys[2]}"
    requests += 1

    # Many concurrent requests on both instances into two sessions, each bringing a new
    # value (so each must add a placeholder) and two values seen before.
    def one(i: int) -> tuple[str, str]:
        picked = [(j, keys[j]) for j in (10 + i, i % 5, (i * 7 + 3) % 10)]
        text = " ".join(f"k{j}={key}" for j, key in picked)
        server = (a, b)[i % 2]
        return text, answer(ask(server.url, f"s{(i // 2) % 2}", [text]))

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(one, range(64)))
    requests += 64
    assert sum(sent != back for sent, back in results) == 0  # restored on both instances
    assert_one_to_one(placeholders_by_label(upstream))
    assert all(k not in upstream.received_text() for k in keys)
    assert len(upstream.posts) == requests

    # Every request left one event, on one verifiable chain.
    a.stop()
    b.stop()
    check = run_cli("log", "verify", "--store", pg_url, cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert f"{requests} events" in check.stdout, check.stdout
    store = open_store(pg_url, None)
    try:
        events = store.events()
    finally:
        store.close()
    assert len(events) == requests
    assert {e.door for e in events} == {"proxy"}
    assert {e.verdict for e in events} == {"anonymize", "allow"}


def test_an_instance_with_another_vault_key_refuses_to_start(
    pg_url: str, tmp_path: Path, upstream: FakeUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".leakguard.yaml").write_text(policy_yaml(upstream.url, pg_url))
    monkeypatch.setenv(KEY_ENV, new_key_text())
    _guard(repo).close()
    other = run_cli("serve", "--port", "0", cwd=repo, env={KEY_ENV: new_key_text()})
    assert other.returncode == 2
    assert "same LEAKGUARD_VAULT_KEY" in other.stderr, other.stderr


# -- two in-process proxies on SQLite --------------------------------------------------


def _guard(repo: Path) -> Guard:
    policy = load_policy(repo, None)
    return build_guard(policy, ProxyOptions(tool="test", log=lambda _m: None))


def test_two_proxies_on_one_sqlite_store_share_placeholders(
    tmp_path: Path, upstream: FakeUpstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    db = tmp_path / "audit.db"
    (repo / ".leakguard.yaml").write_text(policy_yaml(upstream.url, f"sqlite:///{db}"))
    monkeypatch.setenv(KEY_ENV, new_key_text())
    keys = fake_keys(6)
    with ProxyThread(_guard(repo), ProxyOptions()) as a, ProxyThread(
        _guard(repo), ProxyOptions()
    ) as b:

        def one(i: int) -> tuple[str, str]:
            text = f"k{i % 6}={keys[i % 6]} k{(i + 1) % 6}={keys[(i + 1) % 6]}"
            return text, answer(ask((a, b)[i % 2].url, "one", [text]))

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(one, range(24)))
    assert sum(sent != back for sent, back in results) == 0
    seen = placeholders_by_label(upstream)
    assert_one_to_one(seen)
    assert len(seen) == 6
    files = [db, db.with_name(db.name + "-wal")]
    stored = b"".join(f.read_bytes() for f in files if f.exists())
    assert all(k.encode() not in stored for k in keys)  # sealed, never in clear


def test_memory_is_the_default_and_store_needs_a_sql_audit_store() -> None:
    assert open_vault_store(Policy()) is None
    policy = Policy(audit=AuditSettings(store="mysql://db"), proxy=ProxySettings(vault="store"))
    with pytest.raises(ConfigError, match=r"proxy\.vault: store needs audit\.store"):
        open_vault_store(policy)


# -- how long stored vaults are kept ---------------------------------------------------


def _store_policy(store: str, keep_days: int | None = 30) -> Policy:
    return Policy(
        audit=AuditSettings(store=store),
        proxy=ProxySettings(vault="store", vault_keep_days=keep_days),
    )


def _fill(store: VaultStore, sessions: list[str]) -> None:
    for number, session in enumerate(sessions):
        with store.updating(session) as stored:
            stored.vault.placeholder_for(f"person{number}@example.com", "EMAIL")


def _backdate(store: str, session: str, days: int) -> None:
    """Make a vault look as if its last placeholder was made ``days`` ago."""
    stamp = (datetime.now(timezone.utc) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if store.startswith("sqlite:///"):
        with sqlite3.connect(store[len("sqlite:///") :]) as conn:
            conn.execute(
                "UPDATE proxy_vaults SET updated = ? WHERE session_id = ?", (stamp, session)
            )
        return
    import psycopg

    with psycopg.connect(store, autocommit=True) as conn:
        conn.execute(
            "UPDATE proxy_vaults SET updated = %s WHERE session_id = %s", (stamp, session)
        )


def _kept(store: VaultStore, sessions: list[str]) -> list[str]:
    return [s for s in sessions if store.newer(s, -1) is not None]


@pytest.fixture
def sqlite_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(KEY_ENV, new_key_text())
    return f"sqlite:///{tmp_path / 'audit.db'}"


def _expiry_at_start(store: str) -> None:
    sessions = ["old", "month", "recent"]
    first = open_vault_store(_store_policy(store))
    assert first is not None and first.expired == 0
    _fill(first, sessions)
    first.close()
    _backdate(store, "old", 45)
    _backdate(store, "month", 31)
    _backdate(store, "recent", 29)
    second = open_vault_store(_store_policy(store))
    assert second is not None
    assert second.expired == 2
    assert _kept(second, sessions) == ["recent"]
    second.close()


def test_vaults_idle_past_vault_keep_days_are_deleted_at_start_sqlite(sqlite_store: str) -> None:
    _expiry_at_start(sqlite_store)


def test_vaults_idle_past_vault_keep_days_are_deleted_at_start_postgres(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, new_key_text())
    _expiry_at_start(pg_url)


def test_a_running_store_expires_vaults_again_after_an_interval(
    sqlite_store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_vault_store(_store_policy(sqlite_store, keep_days=7))
    assert store is not None
    _fill(store, ["old", "new"])
    _backdate(sqlite_store, "old", 8)
    _fill(store, ["third"])  # within the hour since start: nothing expires yet
    assert _kept(store, ["old", "new", "third"]) == ["old", "new", "third"]
    monkeypatch.setattr(vaultstore, "_EXPIRE_EVERY_S", 0.0)
    _fill(store, ["fourth"])
    assert _kept(store, ["old", "new", "third", "fourth"]) == ["new", "third", "fourth"]
    store.close()


def test_vault_keep_days_null_keeps_every_vault(sqlite_store: str) -> None:
    store = open_vault_store(_store_policy(sqlite_store, keep_days=None))
    assert store is not None
    _fill(store, ["old"])
    store.close()
    _backdate(sqlite_store, "old", 4000)
    again = open_vault_store(_store_policy(sqlite_store, keep_days=None))
    assert again is not None and again.expired == 0
    assert _kept(again, ["old"]) == ["old"]
    again.close()


def test_policy_reads_vault_keep_days_and_rejects_zero(tmp_path: Path) -> None:
    (tmp_path / ".leakguard.yaml").write_text("version: 1\nproxy: {vault_keep_days: 3}\n")
    assert load_policy(tmp_path, None).proxy.vault_keep_days == 3
    (tmp_path / ".leakguard.yaml").write_text("version: 1\nproxy: {vault_keep_days: null}\n")
    assert load_policy(tmp_path, None).proxy.vault_keep_days is None
    assert Policy().proxy.vault_keep_days == 30
    (tmp_path / ".leakguard.yaml").write_text("version: 1\nproxy: {vault_keep_days: 0}\n")
    with pytest.raises(ConfigError, match="vault_keep_days"):
        load_policy(tmp_path, None)
