"""The fingerprint index on real code in other languages: Java and Perl (issue 7).

bench/fingerprint.py measures Python. Here the same index runs on whatever real code of
other languages this machine holds: the JDK's Java sources (``lib/src.zip`` of an
installed JDK) and Perl's core library (``/usr/share/perl``). A language whose code is
missing is skipped and says so.

- Java: ``java.util`` is the "proprietary" code; ``java.net``, ``java.io`` and
  ``java.time`` are unrelated; ``java.lang``, ``java.nio``, ``java.security`` and ``sun``
  are the public code of the common-code pass (``index build --common``), run once
  without it and once with it.
- Perl: modules under some top-level namespaces are indexed (not Unicode::, whose files
  are collation tables), the others are unrelated.
  There is no public Perl corpus apart from this one, so there is no common-code pass.

Windows of 10/20/40 lines (at least 80% code lines) are queried verbatim, re-indented
(two spaces a level) and with variables renamed: Java's lower-case local names (not
after a dot, not called), Perl's ``$``/``@``/``%`` variables. Unrelated files are
counted as flagged, not as false positives: code of one project copies itself between
packages (the Permission classes' path matching, stream read loops); read the listed
matches before calling them false.

    python bench/fingerprint_languages.py [--files 150] [--seed 7]
"""

from __future__ import annotations

import argparse
import glob
import random
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leakguard.fingerprint.build import build  # noqa: E402
from leakguard.fingerprint.match import Matcher  # noqa: E402

LENGTHS = (10, 20, 40)
JAVA_INDEXED = ("java/util",)
JAVA_UNRELATED = ("java/net", "java/io", "java/time")
JAVA_COMMON = ("java/lang", "java/nio", "java/security", "sun")
_JAVA_KEYWORDS = """abstract assert boolean break byte case catch char class const
continue default do double else enum extends final finally float for goto if implements
import instanceof int interface long native new package private protected public return
short static strictfp super switch synchronized this throw throws transient try void
volatile while var record yield null true false"""
JAVA_KEYWORDS = frozenset(_JAVA_KEYWORDS.split())
_PERL_INDEXED = "IO TAP Test2 Math Pod Encode Locale Archive Module"  # code, not tables
PERL_INDEXED = frozenset(_PERL_INDEXED.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=150, help="indexed files to sample")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        java = _java_sources(Path(temp))
        if java is None:
            print("java: no JDK src.zip found (lib/src.zip under /usr/lib/jvm); skipped")
        else:
            common = [str(java / p) for p in JAVA_COMMON]
            for label, public in (("no common-code pass", None), ("common: JDK", common)):
                run_language(f"java, {label}", java, JAVA_INDEXED, JAVA_UNRELATED, public,
                             "*.java", _java_renamed, args)
    perl = _perl_library()
    if perl is None:
        print("perl: no core library under /usr/share/perl; skipped")
    else:
        names = sorted({p.name for p in perl.iterdir() if p.is_dir()})
        indexed = tuple(n for n in names if n in PERL_INDEXED)
        unrelated = tuple(n for n in names if n not in PERL_INDEXED)
        run_language("perl, no common-code pass", perl, indexed, unrelated, None, "*.pm",
                     _perl_renamed, args)


def run_language(title: str, base: Path, roots: tuple[str, ...], unrelated: tuple[str, ...],
                 common: list[str] | None, pattern: str, renamed: Callable[[str], str],
                 args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    cpu = time.process_time()
    index, report = build(roots, base=base, common=common)
    seconds = time.process_time() - cpu
    size = sum(f.size for f in index.files)
    print(f"\n{title}: indexed {len(index.files)} files, {size / 1e6:.1f} MB "
          f"({', '.join(roots)}), {len(index.hashes)} fingerprints, built in {seconds:.1f} s "
          f"of CPU{f', {report.common_dropped} left out as idioms' if common else ''}")
    matcher = Matcher(index)
    transforms: dict[str, Callable[[str], str]] = {
        "verbatim": lambda text: text, "re-indented": _reindented, "renamed": renamed,
    }
    print(f"{'lines':>6}{'n':>6}" + "".join(f"{name:>14}" for name in transforms))
    sample = rng.sample(list(index.files), min(args.files, len(index.files)))
    for length in LENGTHS:
        windows = []
        for entry in sample:
            text = (base / entry.path).read_text("utf-8", "replace")
            windows += [(entry.path, start, snippet) for start, snippet in
                        _windows(text, length, rng)]
        row = []
        for transform in transforms.values():
            found = sum(
                any(m.path == path and m.source_start <= start + length
                    and m.source_end >= start for m in matcher.match(transform(snippet)))
                for path, start, snippet in windows
            )
            row.append(f"{found / max(len(windows), 1):>14.1%}")
        print(f"{length:>6}{len(windows):>6}{''.join(row)}")
    files = sorted(p for root in unrelated for p in (base / root).rglob(pattern))
    flagged = []
    for path in files:
        matches = matcher.match(path.read_text("utf-8", "replace"), fenced=False)
        if matches:
            flagged.append((path.relative_to(base), max(matches, key=lambda m: m.fingerprints)))
    print(f"unrelated files ({', '.join(unrelated)[:60]}): {len(files)}, flagged "
          f"{len(flagged)} ({len(flagged) / max(len(files), 1):.1%})")
    for name, match in flagged[:12]:
        kind = "imports only" if match.matched_tokens == 0 else f"{match.matched_tokens} tokens"
        print(f"    {name}: {match.describe()} ({kind}, {match.fingerprints} fingerprints)")
    if len(flagged) > 12:
        print(f"    ... and {len(flagged) - 12} more")


def _windows(text: str, length: int, rng: random.Random) -> list[tuple[int, str]]:
    """Up to two windows of ``length`` lines, at least 80% of them code (not comments,
    blank lines, Perl's POD or what follows ``__END__``)."""
    lines = text.splitlines(keepends=True)
    code, documentation = [], False
    for line in lines:
        if line.startswith(("__END__", "__DATA__")):
            documentation = True
        elif line.startswith("="):
            documentation = not line.startswith("=cut")
            code.append(False)
            continue
        code.append(not documentation and _is_code(line))
    starts = [i for i in range(len(lines) - length) if sum(code[i : i + length]) >= 0.8 * length]
    rng.shuffle(starts)
    return [(i + 1, "".join(lines[i : i + length])) for i in starts[:2]]


def _is_code(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith(("//", "*", "/*", "#"))


def _reindented(text: str) -> str:
    return "".join(re.sub(r"^[ \t]+", lambda m: "  " * (len(m.group().expandtabs(4)) // 4), line)
                   for line in text.splitlines(keepends=True))


_JAVA_NAME = re.compile(r"(?<![.\w])[a-z]\w*\b(?!\s*\()")
_JAVA_LITERALS = re.compile(r"""//[^\n]*|/\*[\s\S]*?\*/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""")


def _java_renamed(text: str) -> str:
    """Lower-case names outside strings and comments, not after a dot, not called."""
    names: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        word = match.group()
        return word if word in JAVA_KEYWORDS else names.setdefault(word, f"v{len(names)}")

    out, done = [], 0
    for literal in _JAVA_LITERALS.finditer(text):
        out += [_JAVA_NAME.sub(rename, text[done : literal.start()]), literal.group()]
        done = literal.end()
    out.append(_JAVA_NAME.sub(rename, text[done:]))
    return "".join(out)


def _perl_renamed(text: str) -> str:
    names: dict[str, str] = {}
    return re.sub(r"(?<=[$@%])[A-Za-z_]\w*",
                  lambda m: names.setdefault(m.group(), f"v{len(names)}"), text)


def _java_sources(temp: Path) -> Path | None:
    """java.base's packages this bench uses, extracted from the first JDK src.zip found."""
    for candidate in sorted(glob.glob("/usr/lib/jvm/*/lib/src.zip")):
        try:
            with zipfile.ZipFile(candidate) as archive:
                wanted = [n for n in archive.namelist() if n.endswith(".java") and any(
                    n.startswith(f"java.base/{p}/")
                    for p in JAVA_INDEXED + JAVA_UNRELATED + JAVA_COMMON)]
                if wanted:
                    archive.extractall(temp, wanted)
                    return temp / "java.base"
        except (OSError, zipfile.BadZipFile):
            continue
    return None


def _perl_library() -> Path | None:
    found = sorted(glob.glob("/usr/share/perl/5.*"))
    return Path(found[-1]) if found else None


if __name__ == "__main__":
    main()
