"""Without a policy file, load_policy returns the defaults without merging anything: the
shortcut must be exactly what merging nothing over the defaults gives."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from leakguard.policy import load_policy
from leakguard.policy.convert import from_raw, to_raw
from leakguard.policy.files import combine
from leakguard.policy.model import Policy


def same(a: Any, b: Any, where: str = "policy") -> None:
    """Equal, and of the same types all the way down (a dict is not a read-only map)."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
    if dataclasses.is_dataclass(a):
        for field in dataclasses.fields(a):
            same(getattr(a, field.name), getattr(b, field.name), f"{where}.{field.name}")
    elif isinstance(a, Mapping):
        assert list(a) == list(b), where
        for key in a:
            same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, tuple | list):
        assert len(a) == len(b), where
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{index}]")
    else:
        assert a == b, where


def test_defaults_equal_an_empty_merge() -> None:
    merged = from_raw(to_raw(Policy()), locked=(), sources=(), root=None, warnings=())
    same(Policy(), merged)
    same(combine(None, None), merged)


def test_no_policy_file_gives_the_defaults(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    same(load_policy(tmp_path, None, environ={}), Policy())
