"""The start-up caches: parsed rule packs and the compiled Hyperscan database.

A cache may only ever save time: a changed pack, a touched pack, a damaged or foreign
entry all give exactly the rules the YAML says.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from leakguard import rulecache
from leakguard.detectors.secrets import SecretDetector
from leakguard.engine.hyperscan_engine import HyperscanEngine
from leakguard.rulepack import _from_row, _row, builtin_rules, load_pack_files, rule_from_mapping

PACK = """\
rules:
  - id: demo-token
    description: demo token
    keywords: [dmo_]
    pattern: '\\b(dmo_[A-Za-z0-9]{24})(?![A-Za-z0-9])'
    examples: [["x = dmo_", "Q8v2LmZ7kP4rT9wX1cN6bY3a"]]
    counterexamples: ["x = dmo_short"]
"""


def age(path: Path, when: float = 1_700_000_000.0) -> None:
    """Give a pack an old, fixed mtime (its ctime stays: only the kernel sets it)."""
    os.utime(path, (when, when))


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("LEAKGUARD_CACHE_DIR", str(folder))
    return folder


def test_rows_round_trip_every_builtin_rule() -> None:
    for rule in builtin_rules():
        assert _from_row(_row(rule)) == rule


def test_cached_rules_equal_parsed_rules(tmp_path: Path, cache: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK)
    first = load_pack_files([pack])
    assert list(cache.glob("rules-v9-full-*"))
    assert load_pack_files([pack]) == first
    assert first[0].id == "demo-token" and first[0].examples


def test_a_changed_pack_is_parsed_again(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rulecache, "_RACY_NS", 0)  # stamp even a file written just now
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK)
    age(pack)
    assert load_pack_files([pack])[0].description == "demo token"
    (entry,) = cache.glob("rules-v9-*")
    stamp = rulecache._read(entry.name)[0]  # type: ignore[index]
    assert stamp is not None
    time.sleep(0.01)
    pack.write_text(PACK.replace("demo token", "demo tokex"))  # same size
    age(pack)  # and the same mtime: only the ctime tells
    if rulecache._stamp([pack]) == stamp:
        pytest.skip("this file system's ctime is too coarse to tell the writes apart")
    assert load_pack_files([pack])[0].description == "demo tokex"


def test_a_fresh_pack_is_not_trusted_by_its_stamp(tmp_path: Path, cache: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK)
    load_pack_files([pack])
    (entry,) = cache.glob("rules-v9-*")
    assert rulecache._read(entry.name)[0] is None  # type: ignore[index]


def test_a_touched_pack_keeps_its_entry(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK)
    age(pack)
    rules = load_pack_files([pack])

    def no_parse(*args: object) -> None:
        raise AssertionError("parsed again although the content did not change")

    monkeypatch.setattr("leakguard.rulepack._parse_packs", no_parse)
    age(pack, 1_600_000_000.0)
    assert load_pack_files([pack]) == rules


def test_a_damaged_entry_is_rebuilt(tmp_path: Path, cache: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK)
    rules = load_pack_files([pack])
    for entry in cache.glob("rules-v9-*"):
        entry.write_bytes(b"\x00not marshal")
    assert load_pack_files([pack]) == rules
    for entry in cache.glob("rules-v9-*"):
        entry.write_bytes(__import__("marshal").dumps(
            (rulecache.FORMAT, None, rulecache._digest([(pack, pack.read_bytes())]),
             (("too", "short"),))))
    assert load_pack_files([pack]) == rules


def sample_rules() -> tuple:  # type: ignore[type-arg]
    raw = {"id": "demo-token", "description": "demo token", "keywords": ["dmo_"],
           "pattern": r"\b(dmo_[A-Za-z0-9]{24})(?![A-Za-z0-9])",
           "examples": ["x"], "counterexamples": ["y"]}
    return (rule_from_mapping(raw, "test"),)


def test_hyperscan_entry_counts_only_for_its_own_keywords(cache: Path) -> None:
    rules = sample_rules()
    HyperscanEngine(rules)
    (entry,) = cache.glob("hs-*")
    other = rule_from_mapping({"id": "other", "description": "other", "keywords": ["oth_"],
                               "pattern": r"oth_([a-z]{8})", "examples": ["x"],
                               "counterexamples": ["y"]}, "test")
    # an entry under this name but compiled from other keywords must not be used
    HyperscanEngine((other,))
    (other_entry,) = [p for p in cache.glob("hs-*") if p != entry]
    entry.write_bytes(other_entry.read_bytes())
    text = "x = dmo_" + "Q8v2LmZ7kP4rT9wX1cN6bY3a"
    found = SecretDetector(rules, HyperscanEngine(rules)).candidates(text)
    assert [c[3] for c in found] == ["dmo_Q8v2LmZ7kP4rT9wX1cN6bY3a"]
    entry.write_bytes(b"garbage")
    found = SecretDetector(rules, HyperscanEngine(rules)).candidates(text)
    assert [c[3] for c in found] == ["dmo_Q8v2LmZ7kP4rT9wX1cN6bY3a"]
