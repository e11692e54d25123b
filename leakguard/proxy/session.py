"""Per-conversation state: the vault (stable placeholders) and a scan cache.

AI tools resend the whole conversation every turn, so the same value must get the
same placeholder each time (prompt caches depend on it), and text already scanned
need not be scanned again: findings are cached by (label, digest of text).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from leakguard.models import Finding
from leakguard.transform.vault import Vault

_CACHE_ENTRIES = 4096
_MAX_SESSIONS = 512


class Session:
    def __init__(self, session_id: str) -> None:
        self.id = session_id
        self.vault = Vault()
        self.lock = threading.Lock()  # scans of one session's requests may overlap
        self._cache: OrderedDict[tuple[str, bytes], tuple[Finding, ...]] = OrderedDict()

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

    def __init__(self, limit: int = _MAX_SESSIONS) -> None:
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def get(self, session_id: str) -> Session:
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                session = self._sessions[session_id] = Session(session_id)
                if len(self._sessions) > self._limit:
                    self._sessions.popitem(last=False)
            else:
                self._sessions.move_to_end(session_id)
            return session
