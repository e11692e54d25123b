"""The vault: stable placeholders, encryption at rest, key handling, tampering."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from leakguard.errors import ConfigError
from leakguard.transform import vault as vaults
from leakguard.transform.vault import Vault

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def test_same_value_same_placeholder_distinct_values_distinct() -> None:
    vault = Vault("a3f9")
    first = vault.placeholder_for("jane@acme-corp.com", "EMAIL")
    assert first == "EMAIL_1_a3f9"
    assert vault.placeholder_for("jane@acme-corp.com", "EMAIL") == first
    assert vault.placeholder_for("kim@acme-corp.com", "EMAIL") == "EMAIL_2_a3f9"
    assert vault.placeholder_for("10.1.2.3", "IP") == "IP_1_a3f9"
    assert vault.lookup(first) == "jane@acme-corp.com"


def test_a_placeholder_already_in_the_text_is_never_chosen() -> None:
    vault = Vault("a3f9")
    text = "EMAIL_1_a3f9 and EMAIL_2_a3f9 are someone's identifiers"
    assert vault.placeholder_for("jane@acme-corp.com", "EMAIL", avoid=text) == "EMAIL_3_a3f9"


def test_placeholders_are_stable_across_calls_sharing_a_vault_file(tmp_path: Path) -> None:
    path = tmp_path / "vault.bin"
    with vaults.opened(path, KEY) as vault:
        first = vault.placeholder_for("jane@acme-corp.com", "EMAIL")
    with vaults.opened(path, KEY) as vault:
        assert vault.placeholder_for("jane@acme-corp.com", "EMAIL") == first
        assert vault.placeholder_for("kim@acme-corp.com", "EMAIL") == "EMAIL_2_" + vault.tag


def test_the_file_reveals_nothing_and_is_private(tmp_path: Path) -> None:
    path = tmp_path / "vault.bin"
    with vaults.opened(path, KEY) as vault:
        vault.placeholder_for("jane@acme-corp.com", "EMAIL")
    data = path.read_bytes()
    assert b"jane" not in data and b"EMAIL" not in data and b"acme" not in data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_wrong_key_and_tampering_are_clear_errors_and_nothing_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "vault.bin"
    with vaults.opened(path, KEY) as vault:
        vault.placeholder_for("jane@acme-corp.com", "EMAIL")
    original = path.read_bytes()
    with pytest.raises(ConfigError, match="cannot be decrypted: wrong key"):
        vaults.load(path, OTHER_KEY)
    with pytest.raises(ConfigError, match="cannot be decrypted"), vaults.opened(path, OTHER_KEY):
        pass
    assert path.read_bytes() == original
    for position in (len(vaults.MAGIC) + 3, len(original) // 2, len(original) - 1):
        tampered = bytearray(original)
        tampered[position] ^= 0x01
        path.write_bytes(bytes(tampered))
        with pytest.raises(ConfigError, match="was modified"):
            vaults.load(path, KEY)
    path.write_bytes(original[:20])
    with pytest.raises(ConfigError, match="not a leakguard vault"):
        vaults.load(path, KEY)
    path.write_bytes(original)
    assert vaults.load(path, KEY).lookup("EMAIL_1_" + vaults.load(path, KEY).tag)


def test_key_file_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    env = {"XDG_STATE_HOME": str(tmp_path / "state"), "HOME": str(tmp_path)}
    key = vaults.vault_key(env)
    key_file = tmp_path / "state" / "leakguard" / "vault.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert vaults.vault_key(env) == key and len(key) == 32
    assert vaults.default_vault_path(env) == tmp_path / "state" / "leakguard" / "vault.bin"


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    env = {"XDG_STATE_HOME": str(tmp_path), "HOME": str(tmp_path)}
    vaults.vault_key(env)
    key_file = tmp_path / "leakguard" / "vault.key"
    os.chmod(key_file, 0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        vaults.vault_key(env)


def test_key_from_environment(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), vaults.KEY_ENV: vaults.new_key_text()}
    key = vaults.vault_key(env)
    assert len(key) == 32
    assert not (tmp_path / ".local").exists()  # no key file made
    passphrase = {"HOME": str(tmp_path), vaults.KEY_ENV: "correct horse battery staple"}
    assert len(vaults.vault_key(passphrase)) == 32
    assert vaults.vault_key(passphrase) != key


def test_malformed_vault_content_is_an_error() -> None:
    with pytest.raises(ConfigError):
        Vault.from_bytes(b'{"version": 1, "tag": "a3f9", "values": {"EMAIL_x": "v"}}')
    with pytest.raises(ConfigError):
        Vault.from_bytes(b"[]")
    with pytest.raises(ConfigError):
        Vault("NOPE")
