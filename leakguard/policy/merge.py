"""Layering policy files: built-in defaults < organisation < repository.

Mappings merge key by key; lists and scalars from the later layer replace earlier
ones, except ``rules``, which merge by rule id (a later rule with the same id replaces
the earlier one). The organisation locks keys with a top-level ``locked:`` list of
dotted keys, ``locked: true`` (everything), or ``locked: true`` inside a section; a
locked key's effective value must be exactly the organisation's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leakguard.policy.schema import LOCKABLE_SECTIONS, TOP_LEVEL_KEYS

Raw = dict[str, Any]
_MISSING = object()


def merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> Raw:
    out: Raw = dict(base)
    for key, value in over.items():
        if key == "rules" and isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = _merge_rules(out[key], value)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def _merge_rules(base: list[Any], over: list[Any]) -> list[Any]:
    replaced = {r.get("id"): r for r in over if isinstance(r, Mapping)}
    kept = [replaced.pop(r.get("id"), r) if isinstance(r, Mapping) else r for r in base]
    return kept + [r for r in over if not isinstance(r, Mapping) or r.get("id") in replaced]


def locked_paths(raw: Mapping[str, Any]) -> tuple[str, ...]:
    """The dotted keys a policy locks, from every form ``locked`` takes."""
    top = raw.get("locked")
    if top is True:
        return tuple(k for k in TOP_LEVEL_KEYS if k not in ("version", "locked"))
    paths = list(top) if isinstance(top, list) else []
    for section in LOCKABLE_SECTIONS:
        value = raw.get(section)
        if isinstance(value, Mapping) and value.get("locked") is True:
            paths.append(section)
    destinations = raw.get("destinations")
    if isinstance(destinations, Mapping):
        for name, dest in destinations.items():
            if isinstance(dest, Mapping) and dest.get("locked") is True:
                paths.append(f"destinations.{name}")
    return tuple(dict.fromkeys(paths))


def strip_locks(raw: Mapping[str, Any]) -> Raw:
    """The policy without its ``locked`` markers (they say who may change what, not what)."""
    out: Raw = {k: v for k, v in raw.items() if k != "locked"}
    for section in LOCKABLE_SECTIONS:
        if isinstance(out.get(section), Mapping):
            out[section] = {k: v for k, v in out[section].items() if k != "locked"}
    if isinstance(out.get("destinations"), Mapping):
        out["destinations"] = {
            name: {k: v for k, v in d.items() if k != "locked"} if isinstance(d, Mapping) else d
            for name, d in out["destinations"].items()
        }
    return out


def get_path(raw: Any, path: tuple[str | int, ...]) -> Any:
    """The value at ``path``, or a sentinel when it is absent (distinct from None)."""
    for key in path:
        in_map = isinstance(raw, Mapping) and key in raw
        in_list = isinstance(raw, list) and isinstance(key, int) and key < len(raw)
        if in_map or in_list:
            raw = raw[key]
        else:
            return _MISSING
    return raw


def lock_conflicts(
    before: Mapping[str, Any], after: Mapping[str, Any], locked: tuple[str, ...]
) -> list[str]:
    """Locked dotted keys whose value the later layer changed."""
    return [
        key
        for key in locked
        if get_path(before, tuple(key.split("."))) != get_path(after, tuple(key.split(".")))
    ]
