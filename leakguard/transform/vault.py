"""The vault: placeholder -> original value, encrypted at rest (AES-256-GCM).

The key comes from LEAKGUARD_VAULT_KEY (base64url of 32 bytes, or a passphrase) or
from a key file created on first use with mode 0600 under the user state directory,
where the vault file lives by default too. A wrong key, another user's vault or a
changed byte all fail authentication: the error says so and the file is left as is.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
from collections.abc import Iterator, Mapping
from pathlib import Path

from leakguard.errors import ConfigError
from leakguard.keyfile import base64url, read_private
from leakguard.transform import placeholders

KEY_ENV = "LEAKGUARD_VAULT_KEY"
MAGIC = b"LGVAULT1"
_NONCE = 12


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    base = env.get("XDG_STATE_HOME") or str(Path(env.get("HOME", "~")) / ".local" / "state")
    return Path(base).expanduser() / "leakguard"


def default_vault_path(environ: Mapping[str, str] | None = None) -> Path:
    return state_dir(environ) / "vault.bin"


class Vault:
    """The mapping in memory: stable placeholders per value, and back."""

    def __init__(self, tag: str | None = None, values: Mapping[str, str] | None = None) -> None:
        self.tag = tag or secrets.token_hex(placeholders.TAG_LENGTH // 2)
        if not placeholders.valid_tag(self.tag):
            raise ConfigError("vault: malformed placeholder tag")
        self._values: dict[str, str] = dict(values or {})  # placeholder -> original
        self._placeholders = {v: p for p, v in self._values.items()}  # original -> placeholder
        self._counters: dict[str, int] = {}
        for placeholder in self._values:
            type_name, number = _split(placeholder, self.tag)
            self._counters[type_name] = max(self._counters.get(type_name, 0), number)
        self.changed = False

    def __len__(self) -> int:
        return len(self._values)

    @property
    def values(self) -> Mapping[str, str]:
        return self._values

    def lookup(self, placeholder: str) -> str | None:
        return self._values.get(placeholder)

    def placeholder_for(self, value: str, type_name: str, avoid: str = "") -> str:
        """The value's placeholder, made on first sight; never one found in ``avoid``."""
        known = self._placeholders.get(value)
        if known is not None:
            return known
        number = self._counters.get(type_name, 0)
        while True:
            number += 1
            candidate = placeholders.make(type_name, number, self.tag)
            if candidate not in avoid and candidate not in self._values:
                break
        self._counters[type_name] = number
        self._values[candidate] = value
        self._placeholders[value] = candidate
        self.changed = True
        return candidate

    def to_bytes(self) -> bytes:
        return json.dumps({"version": 1, "tag": self.tag, "values": self._values}).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Vault:
        try:
            raw = json.loads(data)
            values = raw["values"]
            if raw.get("version") != 1 or not isinstance(values, dict):
                raise ValueError
            return cls(str(raw["tag"]), {str(k): str(v) for k, v in values.items()})
        except (ValueError, KeyError, TypeError):
            raise ConfigError("vault: unexpected content (newer leakguard?)") from None


def _split(placeholder: str, tag: str) -> tuple[str, int]:
    head, _, rest = placeholder.rpartition("_" + tag)
    type_name, _, number = head.rpartition("_")
    if rest or not type_name or not number.isdigit():
        raise ConfigError("vault: malformed placeholder in the vault")
    return type_name, int(number)


# -- keys ---------------------------------------------------------------------------


def vault_key(environ: Mapping[str, str] | None = None) -> bytes:
    """The 32-byte key: from LEAKGUARD_VAULT_KEY, else the user's key file."""
    env = os.environ if environ is None else environ
    given = env.get(KEY_ENV)
    if given:
        try:
            decoded = base64.urlsafe_b64decode(given + "=" * (-len(given) % 4))
        except ValueError:
            decoded = b""
        # Anything that is not a base64 32-byte key is taken as a passphrase.
        return decoded if len(decoded) == 32 else hashlib.sha256(given.encode()).digest()
    return _key_file(state_dir(env) / "vault.key")


def new_key_text() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def _key_file(path: Path) -> bytes:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key_file(path)
    except OSError as exc:
        raise ConfigError(f"cannot create vault key {path}: {exc.strerror}") from None
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(new_key_text() + "\n")
    return _read_key_file(path)


def _read_key_file(path: Path) -> bytes:
    key = base64url(read_private(path, "vault key"))
    if key is None or len(key) != 32:
        raise ConfigError(f"vault key {path} is not a leakguard key (32 bytes, base64url)")
    return key


# -- storage ------------------------------------------------------------------------


def seal(vault: Vault, key: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(_NONCE)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, vault.to_bytes(), MAGIC)


def unseal(data: bytes, key: bytes, shown: str = "vault") -> Vault:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + _NONCE + 16:
        raise ConfigError(f"{shown} is not a leakguard vault (or is truncated)")
    nonce = data[len(MAGIC) : len(MAGIC) + _NONCE]
    try:
        plain = AESGCM(key).decrypt(nonce, data[len(MAGIC) + _NONCE :], MAGIC)
    except InvalidTag:
        raise ConfigError(
            f"{shown} cannot be decrypted: wrong key ({KEY_ENV} or the key file), another "
            "user's vault, or the file was modified. It was left untouched."
        ) from None
    return Vault.from_bytes(plain)


def load(path: Path, key: bytes) -> Vault:
    """The vault at ``path``, or a new empty one when there is no file yet."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Vault()
    except OSError as exc:
        raise ConfigError(f"cannot read vault {path}: {exc.strerror}") from None
    return unseal(data, key, f"vault {path}")


def save(vault: Vault, path: Path, key: bytes) -> None:
    """Write atomically (temp file + rename), readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(seal(vault, key))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise ConfigError(f"cannot write vault {path}: {exc.strerror}") from None
    vault.changed = False


@contextlib.contextmanager
def opened(path: Path, key: bytes) -> Iterator[Vault]:
    """Load under an exclusive lock, yield, and save if new placeholders were made."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "a+b") as lock:
        _lock(lock.fileno())
        vault = load(path, key)
        yield vault
        if vault.changed:
            save(vault, path, key)


def _lock(descriptor: int) -> None:
    try:
        import fcntl
    except ImportError:  # not POSIX: a single writer is assumed
        return
    fcntl.flock(descriptor, fcntl.LOCK_EX)
