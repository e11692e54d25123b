"""Per-conversation state: the vault (stable placeholders) and a scan cache.

AI tools resend the whole conversation every turn, so the same value must get the
same placeholder each time (prompt caches depend on it), and text already scanned
need not be scanned again: findings are cached by (label, digest of text). With
``proxy.vault: store`` the vault lives in a shared database (``vaultstore``) so every
instance gives a conversation the same placeholders; the one here is a copy.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from leakguard.models import Finding
from leakguard.proxy.vaultstore import StoredVault, VaultStore
from leakguard.transform.vault import Vault

_CACHE_ENTRIES = 4096
_MAX_SESSIONS = 512


class Session:
    def __init__(self, session_id: str, shared: VaultStore | None = None) -> None:
        self.id = session_id
        self.vault = Vault()
        self.lock = threading.Lock()  # scans of one session's requests may overlap
        self._cache: OrderedDict[tuple[str, bytes], tuple[Finding, ...]] = OrderedDict()
        self._shared = shared
        self._version = 0  # of the shared vault copied into ``vault``

    @contextmanager
    def updating(self) -> Iterator[Vault]:
        """The vault to make placeholders in, held against other writers: this
        session's lock, or the shared vault's row lock (saved if it changed)."""
        if self._shared is None:
            with self.lock:
                yield self.vault
            return
        with self._shared.updating(self.id) as stored:
            yield stored.vault
        self._adopt(stored)

    def refresh(self) -> None:
        """Catch up with placeholders other instances made (shared vault only)."""
        if self._shared is not None:
            newer = self._shared.newer(self.id, self._version)
            if newer is not None:
                self._adopt(newer)

    def _adopt(self, stored: StoredVault) -> None:
        with self.lock:  # never step back to an older copy
            if stored.version >= self._version:
                self.vault, self._version = stored.vault, stored.version

    @staticmethod
    def key(label: str, text: str) -> tuple[str, bytes]:
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16)
        return label, digest.digest()

    def cached(self, key: tuple[str, bytes]) -> tuple[Finding, ...] | None:
        with self.lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
            return found

    def remember(self, key: tuple[str, bytes], findings: tuple[Finding, ...]) -> None:
        with self.lock:
            self._cache[key] = findings
            if len(self._cache) > _CACHE_ENTRIES:
                self._cache.popitem(last=False)


class Sessions:
    """Sessions by id; the least recently used are forgotten past a bound."""

    def __init__(self, limit: int = _MAX_SESSIONS, shared: VaultStore | None = None) -> None:
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()
        self.shared = shared

    def get(self, session_id: str) -> Session:
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                session = self._sessions[session_id] = Session(session_id, self.shared)
                if len(self._sessions) > self._limit:
                    self._sessions.popitem(last=False)
            else:
                self._sessions.move_to_end(session_id)
            return session

    def close(self) -> None:
        if self.shared is not None:
            self.shared.close()
