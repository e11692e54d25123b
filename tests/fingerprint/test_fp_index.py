"""The index file: round trip, no code inside, incremental update, damage reported."""

from __future__ import annotations

import io
import json
import struct
import tokenize
import zlib
from pathlib import Path

import numpy as np
import pytest
from fp_corpus import STDLIB

from leakguard.errors import ConfigError
from leakguard.fingerprint.build import build
from leakguard.fingerprint.index import FingerprintIndex, load, save, stats
from leakguard.fingerprint.match import Matcher


def test_round_trip(stdlib_index: tuple[FingerprintIndex, Path]) -> None:
    index, path = stdlib_index
    again = load(path)
    assert again.files == index.files and again.key == index.key
    assert np.array_equal(again.hashes, index.hashes)
    assert np.array_equal(again.first_lines, index.first_lines)
    assert np.array_equal(again.spans, index.spans)
    figures = stats(again, path.stat().st_size)
    assert figures["files"] == len(index.files)
    assert 0 < float(figures["index_share_of_source"]) < 0.15  # type: ignore[arg-type]


def test_the_index_holds_no_identifier_or_literal_of_the_code(
    stdlib_index: tuple[FingerprintIndex, Path],
) -> None:
    index, path = stdlib_index
    data = path.read_bytes()
    (length,) = struct.unpack_from("<I", data, 8)
    header = json.loads(zlib.decompress(data[12 : 12 + length]))
    # The header names files (path, digest, profile) and parameters; nothing else.
    expected = {"format", "normalizer", "k", "w", "roots", "common", "files", "sections", "key"}
    assert set(header) == expected
    for path_name, digest, _, _, profile, _ in header["files"]:
        assert (path_name, profile) in {(f.path, f.profile) for f in index.files}
        assert len(bytes.fromhex(digest)) == 16
    body = data[12 + length :]
    named_in_paths = " ".join(f.path for f in index.files)
    words: set[str] = set()
    for entry in index.files:
        source = (STDLIB / entry.path).read_text(encoding="utf-8")
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.NAME and len(tok.string) >= 5:
                words.add(tok.string)
            elif tok.type == tokenize.STRING and len(tok.string) >= 8:
                words.add(tok.string.strip("'\"rbfRBF")[:40])
    words = {w for w in words if len(w) >= 5 and w not in named_in_paths}
    assert len(words) > 1000
    leaked = [w for w in words if w.encode() in body]
    assert leaked == []


def test_update_refingerprints_only_changed_files(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("fractions.py", "heapq.py", "shlex.py"):
        (src / name).write_text((STDLIB / name).read_text(encoding="utf-8"), encoding="utf-8")
    index, report = build(["src"], base=tmp_path)
    assert (report.indexed, report.reused) == (3, 0)
    (src / "heapq.py").write_text("def f(x):\n    return x\n", encoding="utf-8")
    (src / "shlex.py").unlink()
    (src / "new.c").write_text("int main(void) { return 0; }\n", encoding="utf-8")
    updated, report = build(index.roots, previous=index, base=tmp_path)
    assert (report.indexed, report.reused, report.removed) == (2, 1, 1)
    assert updated.key == index.key
    paths = sorted(f.path for f in updated.files)
    assert paths == ["src/fractions.py", "src/heapq.py", "src/new.c"]
    old = {f.path: f for f in index.files}
    new = {f.path: f for f in updated.files}
    assert new["src/fractions.py"] == old["src/fractions.py"]
    assert new["src/heapq.py"].digest != old["src/heapq.py"].digest


@pytest.mark.parametrize("damage", [b"", b"not an index", b"LGFPIDX2\x05\x00\x00\x00{bad}"])
def test_a_damaged_index_is_a_config_error(tmp_path: Path, damage: bytes) -> None:
    path = tmp_path / "index"
    path.write_bytes(damage)
    with pytest.raises(ConfigError):
        load(path)


def test_an_index_of_an_older_format_asks_for_a_rebuild(tmp_path: Path) -> None:
    path = tmp_path / "index"
    path.write_bytes(b"LGFPIDX1\x02\x00\x00\x00{}")
    with pytest.raises(ConfigError, match="rebuild it"):
        load(path)


def test_a_missing_index_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load(tmp_path / "absent")


def test_a_key_kept_outside_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stdlib_index: tuple[FingerprintIndex, Path]
) -> None:
    from dataclasses import replace

    index, _ = stdlib_index
    path = tmp_path / "index"
    save(replace(index, key_env="ACME_INDEX_KEY"), path)
    assert index.key.hex().encode() not in path.read_bytes()
    with pytest.raises(ConfigError, match="not set"):
        load(path)
    monkeypatch.setenv("ACME_INDEX_KEY", "00" * 32)
    with pytest.raises(ConfigError, match="does not hold"):
        load(path)
    monkeypatch.setenv("ACME_INDEX_KEY", index.key.hex())
    assert load(path).key == index.key


def test_common_code_is_left_out(tmp_path: Path) -> None:
    own = (STDLIB / "fractions.py").read_text(encoding="utf-8")
    public = (STDLIB / "heapq.py").read_text(encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "public").mkdir()
    # Our file = our code + a stretch that public code also has.
    (tmp_path / "src" / "ours.py").write_text(own + "\n" + public, encoding="utf-8")
    (tmp_path / "public" / "lib.py").write_text(public, encoding="utf-8")
    plain, _ = build(["src"], base=tmp_path, key=b"c" * 32)
    filtered, report = build(["src"], base=tmp_path, key=b"c" * 32, common=["public"])
    assert report.common_dropped > 0
    assert len(filtered.hashes) == len(plain.hashes) - report.common_dropped
    assert filtered.common == ("public",)
    matcher = Matcher(filtered)
    assert matcher.match(public) == []
    assert Matcher(plain).match(public) != []
    lines = own.splitlines(keepends=True)
    assert matcher.match("".join(lines[100:140])) != []
