"""The code the fingerprint tests index and query: part of this machine's standard library."""

from __future__ import annotations

import sysconfig
from pathlib import Path

STDLIB = Path(sysconfig.get_paths()["stdlib"])
_INDEXED = """argparse.py bisect.py calendar.py configparser.py csv.py difflib.py fnmatch.py
fractions.py ftplib.py gettext.py heapq.py netrc.py optparse.py pprint.py sched.py shlex.py
smtplib.py statistics.py string.py textwrap.py timeit.py wave.py"""
INDEXED = _INDEXED.split()
_UNRELATED = """json/decoder.py json/encoder.py email/_parseaddr.py xml/dom/minidom.py
html/parser.py http/cookies.py logging/handlers.py urllib/parse.py"""
UNRELATED = _UNRELATED.split()
