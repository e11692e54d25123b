"""`leakguard redact` and `leakguard restore` as a user runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from leakguard.transform.vault import KEY_ENV, new_key_text
from tests.helpers import fake_github_pat


def run(*args: str, stdin: bytes = b"", cwd: Path, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[bytes]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "leakguard", *args], input=stdin, capture_output=True,
        cwd=cwd, env={**os.environ, **(env or {})}, timeout=120,
    )


TEXT = (
    b"Hi team,\nplease mail jane.roe@acme-corp.com or call (212) 555-0199.\n"
    b'DB_HOST = "52.14.201.7"  # not 127.0.0.1\n'
) + b"raw byte \xff kept\n"


def test_redact_then_restore_round_trips_bytes(tmp_path: Path) -> None:
    vault = tmp_path / "v.bin"
    redacted = run("redact", "-", "--vault", str(vault), stdin=TEXT, cwd=tmp_path)
    assert redacted.returncode == 0, redacted.stderr
    out = redacted.stdout
    for value in (b"jane.roe@acme-corp.com", b"555-0199", b"52.14.201.7"):
        assert value not in out
    assert b"127.0.0.1" in out and b"\xff" in out
    assert b"replaced 3 value(s)" in redacted.stderr
    restored = run("restore", "-", "--vault", str(vault), stdin=out, cwd=tmp_path)
    assert restored.returncode == 0
    assert restored.stdout == TEXT
    assert restored.stderr == b""


def test_placeholders_are_stable_across_calls_and_files(tmp_path: Path) -> None:
    vault = tmp_path / "v.bin"
    (tmp_path / "a.txt").write_text("ask jane.roe@acme-corp.com\n", encoding="utf-8")
    first = run("redact", "a.txt", "--vault", str(vault), cwd=tmp_path).stdout
    again = b"cc: jane.roe@acme-corp.com, kim@globex.io"
    second = run("redact", "--vault", str(vault), stdin=again, cwd=tmp_path).stdout
    placeholder = first.split()[1]
    assert second.split()[1] == placeholder + b","
    assert second.split()[2] != placeholder


def test_a_block_prints_nothing_of_the_input_and_exits_1(tmp_path: Path) -> None:
    token = fake_github_pat()
    text = f"mail jane.roe@acme-corp.com\ntoken = '{token}'\n".encode()
    result = run("redact", "--vault", str(tmp_path / "v.bin"), stdin=text, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == b""
    assert token.encode() not in result.stderr
    assert b"blocked" in result.stderr
    assert not (tmp_path / "v.bin").exists()


def test_restore_reports_unknown_placeholders_and_leaves_them(tmp_path: Path) -> None:
    vault = tmp_path / "v.bin"
    out = run("redact", "--vault", str(vault), stdin=b"jane.roe@acme-corp.com", cwd=tmp_path).stdout
    tag = out.decode().rsplit("_", 1)[1]
    reply = f"Sure, {out.decode()} and EMAIL_9_{tag} and EMAIL_1_0000".encode()
    result = run("restore", "--vault", str(vault), stdin=reply, cwd=tmp_path)
    assert result.returncode == 0
    expected = f"Sure, jane.roe@acme-corp.com and EMAIL_9_{tag} and EMAIL_1_0000"
    assert result.stdout == expected.encode()
    assert f"EMAIL_9_{tag}".encode() in result.stderr and b"unknown" in result.stderr


def test_tampered_vault_and_wrong_key_are_clear_errors(tmp_path: Path) -> None:
    vault = tmp_path / "v.bin"
    key = {KEY_ENV: new_key_text()}
    out = run("redact", "--vault", str(vault), stdin=b"jane.roe@acme-corp.com", cwd=tmp_path,
              env=key).stdout
    wrong = run("restore", "--vault", str(vault), stdin=out, cwd=tmp_path,
                env={KEY_ENV: new_key_text()})
    assert wrong.returncode == 2 and wrong.stdout == b""
    assert b"wrong key" in wrong.stderr
    data = bytearray(vault.read_bytes())
    data[-5] ^= 0x40
    vault.write_bytes(bytes(data))
    tampered = run("redact", "--vault", str(vault), stdin=b"kim@globex.io", cwd=tmp_path, env=key)
    assert tampered.returncode == 2 and tampered.stdout == b""
    assert b"modified" in tampered.stderr
    assert vault.read_bytes() == bytes(data)  # left as it was


def test_restore_without_a_vault_is_an_error(tmp_path: Path) -> None:
    result = run("restore", "--vault", str(tmp_path / "none.bin"), stdin=b"x", cwd=tmp_path)
    assert result.returncode == 2 and b"no vault" in result.stderr


def test_default_vault_lives_in_the_state_dir(tmp_path: Path) -> None:
    state = tmp_path / "state"
    result = run("redact", stdin=b"kim@globex.io", cwd=tmp_path, env={"XDG_STATE_HOME": str(state)})
    assert result.returncode == 0
    assert (state / "leakguard" / "vault.bin").exists()
    assert (state / "leakguard" / "vault.key").stat().st_mode & 0o077 == 0
