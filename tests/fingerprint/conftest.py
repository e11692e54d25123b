"""A small "proprietary" code base for the fingerprint tests: part of the standard library."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # fp_transforms

from fp_corpus import INDEXED, STDLIB

from leakguard.fingerprint.build import build
from leakguard.fingerprint.index import FingerprintIndex, save


@pytest.fixture(scope="session")
def stdlib_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[FingerprintIndex, Path]:
    present = [name for name in INDEXED if (STDLIB / name).is_file()]
    assert len(present) >= 15, "the standard library sources are not installed here"
    # Public code (leakguard's own dependencies) whose idioms are left out, as a
    # deployment would with its virtualenv's site-packages.
    import click
    import rich

    common = [str(Path(click.__file__).parent), str(Path(rich.__file__).parent)]
    index, _ = build(present, base=STDLIB, key=b"fingerprint-tests" * 2, common=common)
    path = tmp_path_factory.mktemp("index") / "index"
    save(index, path)
    return index, path
