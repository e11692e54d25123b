"""The base of leakguard's frozen records: equality, hashing and repr written once.

Every record is a frozen dataclass. Python 3.11 compiles each generated dataclass
method from source text at import (six per frozen class), about a third of a clean
scan's start-up; records declared ``@dataclass(frozen=True, eq=False, repr=False)``
on this base get ``__eq__``, ``__hash__`` and ``__repr__`` from here instead, with the
same meaning as the generated ones: fields with ``compare`` take part in equality and
hashing (``hash`` overriding), fields with ``repr`` are shown, recursion shows ``...``.
"""

from __future__ import annotations

import dataclasses
import reprlib
from typing import Any


class Record:
    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _compared(self) == _compared(other)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, f.name) for f in dataclasses.fields(self)  # type: ignore[arg-type]
                          if (f.compare if f.hash is None else f.hash)))

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}"
                          for f in dataclasses.fields(self) if f.repr)  # type: ignore[arg-type]
        return f"{self.__class__.__qualname__}({shown})"


def _compared(record: Any) -> tuple[Any, ...]:
    return tuple(getattr(record, f.name) for f in dataclasses.fields(record) if f.compare)
