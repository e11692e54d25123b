"""A small "proprietary" code base for the fingerprint tests: part of the standard library."""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # fp_transforms

from leakguard.fingerprint.build import build
from leakguard.fingerprint.index import FingerprintIndex, save

STDLIB = Path(sysconfig.get_paths()["stdlib"])
_INDEXED = """argparse.py bisect.py calendar.py configparser.py csv.py difflib.py fnmatch.py
fractions.py ftplib.py gettext.py heapq.py netrc.py optparse.py pprint.py sched.py shlex.py
smtplib.py statistics.py string.py textwrap.py timeit.py wave.py"""
INDEXED = _INDEXED.split()
_UNRELATED = """json/decoder.py json/encoder.py email/_parseaddr.py xml/dom/minidom.py
html/parser.py http/cookies.py logging/handlers.py urllib/parse.py"""
UNRELATED = _UNRELATED.split()


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
