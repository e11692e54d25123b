"""Python's own regex parser, for reading rule patterns (widths, required characters)."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import re._parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_parse

__all__ = ["sre_parse"]
