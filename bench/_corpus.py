"""The benchmark corpus: standard-library sources with fake secrets at known positions.

Secrets go in before top-level statements only, so every injected file still parses,
and only into UTF-8 files without form feeds or CR, so that every tool numbers the
lines the same way. Other files stay in the corpus as plain load.
"""

from __future__ import annotations

import ast
import os
import random
import re
import sysconfig
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from _fakes import ALL_FORMATS, Snippet, make_snippet


@dataclass(frozen=True)
class Injected:
    path: str  # relative to the corpus root, with "/"
    fmt: str
    first_line: int  # 1-based, inclusive
    last_line: int


@dataclass
class Corpus:
    root: Path
    files: int
    bytes: int
    injected: list[Injected] = field(default_factory=list)


def stdlib_sources() -> tuple[Path, list[Path]]:
    root = Path(sysconfig.get_paths()["stdlib"]).resolve()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d for d in dirnames if d not in ("site-packages", "dist-packages", "__pycache__")
        )
        found.extend(Path(dirpath, n) for n in sorted(filenames) if n.endswith(".py"))
    return root, [p for p in found if p.is_file() and not p.is_symlink()]


_ODD_BREAKS = re.compile(r"[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _insertion_points(data: bytes) -> list[int]:
    """0-based line indexes of top-level statements: inserting before one keeps valid Python.

    Files whose line numbering could differ between tools (form feeds, CR, non-UTF-8)
    get no injections; they stay in the corpus as plain load.
    """
    try:
        text = data.decode("utf-8")
        if _ODD_BREAKS.search(text):
            return []
        tree = ast.parse(text)
    except (UnicodeDecodeError, SyntaxError, ValueError):
        return []
    points = []
    for node in tree.body:
        decorators = getattr(node, "decorator_list", [])
        first = min([node.lineno] + [d.lineno for d in decorators])
        if first > 2:  # keep shebang and encoding cookie lines first
            points.append(first - 1)
    return points


def build_corpus(dest: Path, limit_mb: float, n_secrets: int, seed: int) -> Corpus:
    rng = random.Random(seed)
    src_root, sources = stdlib_sources()
    if limit_mb > 0:
        order = sources[:]
        rng.shuffle(order)
        picked, total = [], 0
        for p in order:
            if total >= limit_mb * 1e6:
                break
            picked.append(p)
            total += p.stat().st_size
        sources = sorted(picked)
    contents = {p.relative_to(src_root).as_posix(): p.read_bytes() for p in sources}

    candidates = [rel for rel, data in contents.items() if 1_000 <= len(data) <= 300_000]
    rng.shuffle(candidates)
    points: dict[str, list[int]] = {}
    plan: dict[str, list[tuple[int, Snippet]]] = defaultdict(list)
    n_done, fmt_cycle = 0, list[str]()
    cursor = 0
    while n_done < n_secrets and candidates:
        if not fmt_cycle:
            fmt_cycle = ALL_FORMATS[:]
            rng.shuffle(fmt_cycle)
        rel = candidates[cursor % len(candidates)]
        cursor += 1
        if rel not in points:
            points[rel] = _insertion_points(contents[rel])
        if not points[rel]:
            continue
        snippet = make_snippet(fmt_cycle.pop(), rng)
        plan[rel].append((rng.choice(points[rel]), snippet))
        n_done += len(snippet.secrets)

    corpus = Corpus(root=dest, files=len(contents), bytes=0)
    for rel, data in contents.items():
        if rel in plan:
            data = _inject(rel, data, plan[rel], corpus.injected)
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        corpus.bytes += len(data)
    return corpus


def _inject(
    rel: str, data: bytes, inserts: list[tuple[int, Snippet]], out: list[Injected]
) -> bytes:
    lines = data.decode("utf-8").split("\n")
    by_point: dict[int, list[Snippet]] = defaultdict(list)
    for point, snippet in inserts:
        by_point[point].append(snippet)
    result: list[str] = []
    for index, line in enumerate(lines):
        for snippet in by_point.get(index, []):
            base = len(result) + 1  # 1-based number of the snippet's first line
            for fmt, lo, hi in snippet.secrets:
                out.append(Injected(rel, fmt, base + lo, base + hi))
            result.extend(snippet.lines)
            result.append("")
        result.append(line)
    return "\n".join(result).encode("utf-8")
