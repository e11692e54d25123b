"""`leakguard redact` / `restore` with the encrypt operator chosen by a policy file."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from leakguard.transform.encrypt import KEY_ENV

TEXT = (
    b"Hi team,\nplease mail jane.roe@acme-corp.com or call (212) 555-0199.\n"
    b'OWNER = "kim@globex.io"  # jane.roe@acme-corp.com again\n'
) + b"raw byte \xff kept\n"
EMAILS = (b"jane.roe@acme-corp.com", b"kim@globex.io")


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def run(*args: str, cwd: Path, stdin: bytes = b"", env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[bytes]:
    full = {k: v for k, v in os.environ.items() if k != KEY_ENV}
    return subprocess.run(
        [sys.executable, "-m", "leakguard", *args], input=stdin, capture_output=True,
        cwd=cwd, env={**full, **(env or {})}, timeout=120,
    )


def write_policy(root: Path, key_file: Path | None = None) -> None:
    lines = ["version: 1", "pii:", "  operators: {EMAIL_ADDRESS: encrypt}"]
    if key_file is not None:
        lines.append(f"  encrypt_key_file: {key_file}")
    (root / ".leakguard.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def keyed(tmp_path: Path) -> Path:
    """A directory whose policy encrypts e-mail addresses with a key file (mode 0600)."""
    key_file = tmp_path / "keys" / "pii.key"
    key_file.parent.mkdir()
    key_file.write_text(new_key() + "\n", encoding="ascii")
    key_file.chmod(0o600)
    work = tmp_path / "work"
    work.mkdir()
    write_policy(work, key_file)
    return work


def test_redact_encrypts_emails_and_restore_gives_the_bytes_back(keyed: Path) -> None:
    vault = str(keyed / "v.bin")
    redacted = run("redact", "-", "--vault", vault, stdin=TEXT, cwd=keyed)
    assert redacted.returncode == 0, redacted.stderr
    out = redacted.stdout
    for value in (*EMAILS, b"555-0199"):
        assert value not in out
    assert out.count(b"ENC_EMAIL_") == 3 and b"PHONE_1_" in out and b"\xff" in out
    assert b"replaced 4 value(s)" in redacted.stderr
    restored = run("restore", "-", "--vault", vault, stdin=out, cwd=keyed)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout == TEXT and restored.stderr == b""


def test_restore_without_the_key_says_so_and_leaves_the_text(keyed: Path, tmp_path: Path
                                                             ) -> None:
    vault = str(keyed / "v.bin")
    out = run("redact", "--vault", vault, stdin=TEXT, cwd=keyed).stdout
    elsewhere = tmp_path / "elsewhere"  # no policy here: no key file named
    elsewhere.mkdir()
    result = run("restore", "--vault", vault, stdin=out, cwd=elsewhere)
    assert result.returncode == 0
    assert b"PHONE_1_" not in result.stdout and b"555-0199" in result.stdout  # vault still used
    assert result.stdout.count(b"ENC_EMAIL_") == 3 and not any(e in result.stdout for e in EMAILS)
    assert b"3 encrypted value(s) left as they are: no key" in result.stderr


def test_a_wrong_key_is_reported_and_the_text_left(keyed: Path) -> None:
    vault = str(keyed / "v.bin")
    out = run("redact", "--vault", vault, stdin=TEXT, cwd=keyed).stdout
    result = run("restore", "--vault", vault, stdin=out, cwd=keyed, env={KEY_ENV: new_key()})
    assert result.returncode == 0
    assert result.stdout.count(b"ENC_EMAIL_") == 3 and not any(e in result.stdout for e in EMAILS)
    assert b"do not verify" in result.stderr and b"wrong key" in result.stderr


def test_restore_needs_no_vault_for_encrypted_values(tmp_path: Path) -> None:
    key = {KEY_ENV: new_key()}
    write_policy(tmp_path)
    text = b"ask kim@globex.io\n"
    out = run("redact", "--vault", str(tmp_path / "v.bin"), stdin=text, cwd=tmp_path, env=key)
    assert out.returncode == 0 and b"kim@" not in out.stdout
    result = run("restore", "--vault", str(tmp_path / "none.bin"), stdin=out.stdout,
                 cwd=tmp_path, env=key)
    assert result.returncode == 0 and result.stdout == text


def test_encrypt_without_a_key_is_refused_by_redact_and_policy_check(tmp_path: Path) -> None:
    write_policy(tmp_path)
    redact = run("redact", "--vault", str(tmp_path / "v.bin"), stdin=TEXT, cwd=tmp_path)
    assert redact.returncode == 2 and redact.stdout == b""
    assert b"encrypt" in redact.stderr and KEY_ENV.encode() in redact.stderr
    check = run("policy", "check", cwd=tmp_path)
    assert check.returncode == 2 and b"ok" not in check.stdout
    assert b"no key" in check.stderr
    good = run("policy", "check", cwd=tmp_path, env={KEY_ENV: new_key()})
    assert good.returncode == 0
    assert f"PII encrypt: EMAIL_ADDRESS; key from ${KEY_ENV}".encode() in good.stdout


def test_a_key_file_others_can_read_is_refused(keyed: Path, tmp_path: Path) -> None:
    (tmp_path / "keys" / "pii.key").chmod(0o644)
    result = run("redact", "--vault", str(keyed / "v.bin"), stdin=TEXT, cwd=keyed)
    assert result.returncode == 2 and result.stdout == b""
    assert b"readable by others" in result.stderr


PROBE = """
import sys
from leakguard.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
loaded = sorted({m.split(".")[0] for m in sys.modules if m.startswith("presidio")})
print("loaded:", ",".join(loaded), file=sys.stderr)
"""


@pytest.mark.parametrize(("encrypted", "expected"), [
    (False, b"loaded: presidio_analyzer\n"),
    (True, b"loaded: presidio_analyzer,presidio_anonymizer\n"),
])
def test_presidio_anonymizer_is_imported_only_when_encrypt_is_used(
    tmp_path: Path, encrypted: bool, expected: bytes
) -> None:
    if encrypted:
        write_policy(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "redact", "--vault", str(tmp_path / "v.bin")],
        input=b"mail jane.roe@acme-corp.com\n", capture_output=True, cwd=tmp_path, timeout=120,
        env={**os.environ, KEY_ENV: new_key()},
    )
    assert b"ENC_EMAIL_" in result.stdout if encrypted else b"EMAIL_1_" in result.stdout
    assert result.stderr.endswith(expected), result.stderr
