"""Module-level regexes compiled on first use: most scans never need most validators,
and compiling them all at import costs start-up on every run."""

from __future__ import annotations

import re
from typing import Any


class LazyRegex:
    """Behaves like the compiled pattern; compiles it the first time it is used."""

    __slots__ = ("_compiled", "_flags", "_pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._pattern, self._flags)
        return getattr(compiled, name)


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern compiled when first used; typed as the real thing for callers."""
    return LazyRegex(pattern, flags)  # type: ignore[return-value]
