"""Keys kept outside the data they protect: read from owner-only files, base64url.

One reader for every key leakguard takes from a file (vault, audit content, PII
encryption), so the permission check and its advice read the same everywhere.
"""

from __future__ import annotations

import base64
import binascii
import stat
from pathlib import Path

from leakguard.errors import ConfigError


def read_private(path: Path, what: str) -> str:
    """The text of a key file that only its owner can read; ConfigError otherwise."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(f"cannot read {what} {path}: {detail}") from None
    if mode & 0o077:
        raise ConfigError(
            f"{what} {path} is readable by others (mode {mode:o}); run: chmod 600 {path}"
        )
    return text.strip()


def base64url(text: str) -> bytes | None:
    """Bytes of base64url (or standard base64) text, padding optional; None if it is not."""
    text = text.strip().replace("+", "-").replace("/", "_").rstrip("=")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, binascii.Error):
        return None
