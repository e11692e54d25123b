"""The encrypt operator: Presidio's AES in an identifier-safe, authenticated wrapper."""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leakguard.errors import ConfigError
from leakguard.transform import encrypt
from leakguard.transform.anonymize import Target, anonymize
from leakguard.transform.restore import restore
from leakguard.transform.vault import Vault

KEY = bytes(range(32))
EMAIL = "jane.roe@acme-corp.com"


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def opened(token: str, key: bytes) -> str | None:
    match = encrypt.TOKEN.fullmatch(token)
    assert match is not None, token
    return encrypt.open_token(match, key)


@pytest.mark.parametrize("size", [16, 24, 32])
def test_seal_and_open_with_each_aes_key_size(size: int) -> None:
    key = os.urandom(size)
    token = encrypt.seal(EMAIL, "EMAIL", key)
    assert token.startswith("ENC_EMAIL_") and EMAIL not in token
    assert opened(token, key) == EMAIL
    assert opened(token, os.urandom(size)) is None  # another key: does not verify


def test_token_is_identifier_safe_and_survives_in_code() -> None:
    token = encrypt.seal("zoë@exämple-corp.de", "EMAIL", KEY)
    assert token.isidentifier() and re.fullmatch(r"[A-Za-z0-9_]+", token)
    source = f'ADMIN = "{token}"  # mail {token}\n{token} = 1\n'
    compile(source, "x.py", "exec")
    assert opened(token, KEY) == "zoë@exämple-corp.de"


def test_fresh_iv_per_seal_but_one_token_per_value_within_a_text() -> None:
    assert encrypt.seal(EMAIL, "EMAIL", KEY) != encrypt.seal(EMAIL, "EMAIL", KEY)
    text = f"{EMAIL} and {EMAIL}"
    redacted = anonymize(text, [Target(0, 22, "EMAIL", "encrypt"),
                                Target(27, 49, "EMAIL", "encrypt")], Vault("a3f9"), KEY)
    first, _, second = redacted.text.split()
    assert first == second and EMAIL not in redacted.text


def test_a_changed_character_or_type_does_not_verify() -> None:
    token = encrypt.seal(EMAIL, "EMAIL", KEY)
    type_name, payload, tag = encrypt.TOKEN.fullmatch(token).groups()  # type: ignore[union-attr]
    flipped = payload[:10] + ("a" if payload[10] != "a" else "b") + payload[11:]
    assert opened(f"ENC_{type_name}_{flipped}_{tag}", KEY) is None
    assert opened(f"ENC_PHONE_{payload}_{tag}", KEY) is None


def test_anonymize_encrypt_restores_exactly_with_the_key_only() -> None:
    text = f'to = "{EMAIL}"  # call (212) 555-0199\n'
    found = [Target(6, 28, "EMAIL", "encrypt"), Target(37, 51, "PHONE")]
    vault = Vault("a3f9")
    redacted = anonymize(text, found, vault, KEY)
    assert EMAIL not in redacted.text and "PHONE_1_a3f9" in redacted.text
    assert [a.operator for a in redacted.applied] == ["encrypt", "placeholder"]
    back = restore(redacted.text, vault, key=KEY)
    assert back.text == text and (back.decrypted, back.restored) == (1, 1)
    # No vault at all: the encrypted value still opens.
    alone = restore(redacted.text, Vault("0000"), key=KEY)
    assert EMAIL in alone.text and alone.decrypted == 1


def test_restore_without_the_key_or_with_another_leaves_the_text() -> None:
    redacted = anonymize(f"mail {EMAIL}", [Target(5, 27, "EMAIL", "encrypt")], Vault("a3f9"), KEY)
    no_key = restore(redacted.text, Vault("a3f9"))
    assert no_key.text == redacted.text and (no_key.sealed, no_key.unverified) == (1, 0)
    wrong = restore(redacted.text, Vault("a3f9"), key=os.urandom(32))
    assert wrong.text == redacted.text and (wrong.sealed, wrong.unverified) == (0, 1)


def test_encrypt_without_a_key_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no key"):
        anonymize(f"mail {EMAIL}", [Target(5, 27, "EMAIL", "encrypt")], Vault("a3f9"))


def test_encrypted_look_alikes_already_in_the_input_come_back_as_they_were() -> None:
    vault = Vault("a3f9")
    earlier = encrypt.seal("kim@globex.io", "EMAIL", KEY)  # genuine, same key
    text = f"quoted {earlier} and ENC_X_{earlier} and new {EMAIL}"
    at = text.index(EMAIL)
    redacted = anonymize(text, [Target(at, at + 22, "EMAIL", "encrypt")], vault, KEY)
    assert earlier not in redacted.text  # escaped as literals, never opened by restore
    assert restore(redacted.text, vault, key=KEY).text == text


def test_a_real_token_behind_a_bogus_prefix_is_still_found() -> None:
    token = encrypt.seal(EMAIL, "EMAIL", KEY)
    back = restore(f"ENC_X_{token}!", Vault("a3f9"), key=KEY)
    assert back.text == f"ENC_X_{EMAIL}!" and (back.decrypted, back.unverified) == (1, 0)


def test_keys_from_env_and_file(tmp_path: Path) -> None:
    assert encrypt.load_key(None, {}) is None
    assert encrypt.load_key(None, {encrypt.KEY_ENV: b64(KEY)}) == KEY
    assert encrypt.load_key(None, {encrypt.KEY_ENV: "0123456789abcdef"}) == b"0123456789abcdef"
    path = tmp_path / "pii.key"
    path.write_text(b64(KEY[:24]) + "\n", encoding="ascii")
    path.chmod(0o600)
    assert encrypt.load_key(str(path), {}) == KEY[:24]
    assert encrypt.load_key(str(path), {encrypt.KEY_ENV: b64(KEY)}) == KEY  # env wins
    path.chmod(0o644)
    with pytest.raises(ConfigError, match="readable by others"):
        encrypt.load_key(str(path), {})
    with pytest.raises(ConfigError, match="16, 24 or 32"):
        encrypt.load_key(None, {encrypt.KEY_ENV: "too short"})
    with pytest.raises(ConfigError, match="no key"):
        encrypt.require_key(None, {})


PIECES = st.sampled_from(
    [EMAIL, "ENC_", "ENC_EMAIL_", "_", "a3f9", "EMAIL_1_a3f9", " ", "\n", '"', "é", "x"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=12), st.booleans())
def test_round_trip_with_encrypt_and_look_alikes(pieces: list[str], real: bool) -> None:
    earlier = encrypt.seal("kim@globex.io", "EMAIL", KEY)
    text = "".join(pieces) + (earlier if real else "")
    found = []
    at = text.find(EMAIL)
    while at >= 0:
        found.append(Target(at, at + len(EMAIL), "EMAIL", "encrypt"))
        at = text.find(EMAIL, at + len(EMAIL))
    vault = Vault("a3f9")
    vault.placeholder_for("10.1.2.3", "IP")
    redacted = anonymize(text, found, vault, KEY)
    assert EMAIL not in redacted.text
    assert restore(redacted.text, vault, key=KEY).text == text
