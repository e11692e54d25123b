#!/usr/bin/env python3
"""Git doors: `scan --staged` on a big repository, and `--history` on a long one.

1. A generated repository of --files (>= 20,000) small source files, one commit; then a
   staged change of 10 files, ~500 lines, with two fake AWS keys. Measured in the same
   run: `leakguard scan --staged` (wall, median of --runs) and `detect-secrets-hook` on
   the same 10 files (how the pre-commit framework calls it), plus the git door alone
   (in process) to show what git costs inside the total.
2. A generated history of --commits (>= 2,000) commits through `git fast-import`, each
   touching a few files; `leakguard scan --history` reports commits/s, MB/s of added
   text, and peak RSS, also for a history half as long, to show memory does not grow
   with history length.

    python bench/git_staged.py                    # full sizes
    python bench/git_staged.py --files 2000 --commits 300 --runs 3   # quick look
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ensure_venv, median, run_measured

GIT_ENV = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
           "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str, data: bytes | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | GIT_ENV
    proc = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, env=env,
                          check=True)
    return proc.stdout.decode().strip()


def fake_key(rng: random.Random) -> str:
    return "AKIA" + "".join(rng.choice(string.ascii_uppercase + "234567") for _ in range(16))


def source_file(rng: random.Random, n: int, lines: int) -> str:
    body = [f'"""Module {n}."""', "", "import os", ""]
    for i in range(lines):
        body.append(f"def f_{n}_{i}(x):\n    return x * {rng.randint(1, 999)} + len(os.sep)")
    return "\n".join(body) + "\n"


def fast_import_blob(text: str) -> bytes:
    data = text.encode()
    return b"data %d\n" % len(data) + data + b"\n"


def build_big_repo(root: Path, files: int, rng: random.Random) -> Path:
    repo = root / "big"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    stream = [b"commit refs/heads/main\n",
              b"committer Bench <bench@example.com> 1700000000 +0000\n",
              fast_import_blob("initial")]
    for n in range(files):
        path = f"pkg{n % 200:03d}/sub{n % 7}/mod_{n}.py"
        stream.append(f"M 100644 inline {path}\n".encode())
        stream.append(fast_import_blob(source_file(rng, n, 3)))
    git(repo, "fast-import", "--quiet", data=b"".join(stream))
    git(repo, "checkout", "-q", "-f", "main")
    return repo


def stage_change(repo: Path, rng: random.Random) -> list[str]:
    """10 files, ~500 added lines, two fake keys."""
    names = []
    for n in range(10):
        if n < 5:
            name = f"pkg{n:03d}/sub{n % 7}/mod_{n}.py"
            text = (repo / name).read_text() + source_file(rng, 90000 + n, 24)
        else:
            name = f"feature/new_{n}.py"
            text = source_file(rng, 91000 + n, 24)
        if n in (2, 7):
            text += f"AWS_ACCESS_KEY_ID = '{fake_key(rng)}'\n"
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
        names.append(name)
    git(repo, "add", "--", *names)
    return names


def build_history(root: Path, commits: int, rng: random.Random, name: str) -> Path:
    repo = root / name
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    stream = []
    for c in range(commits):
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer Bench <bench@example.com> {1700000000 + c} +0000\n".encode())
        stream.append(fast_import_blob(f"change {c}"))
        for k in range(3):
            path = f"src/m{rng.randrange(300)}.py"
            text = source_file(rng, c * 3 + k, rng.randint(5, 40))
            if rng.random() < 0.01:
                text += f"KEY = '{fake_key(rng)}'\n"
            stream.append(f"M 100644 inline {path}\n".encode())
            stream.append(fast_import_blob(text))
    git(repo, "fast-import", "--quiet", data=b"".join(stream))
    return repo


# Runs the CLI in process and reports the peak RSS of leakguard itself and, separately,
# of the git processes it started (GNU time's figure would mix the two).
_DRIVER = (
    "import atexit, resource, sys\n"
    "from leakguard.cli import main\n"
    "def report():\n"
    "    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "    sys.stderr.write(f'maxrss-kib {own} {kids}\\n')\n"
    "atexit.register(report)\n"
    "main(sys.argv[1:])\n"
)


def rss_split(stderr: str) -> tuple[float, float]:
    for line in stderr.splitlines():
        if line.startswith("maxrss-kib "):
            own, kids = line.split()[1:]
            return int(own) / 1024, int(kids) / 1024
    return float("nan"), float("nan")


def leakguard_argv() -> list[str]:
    """The installed entry point beside this interpreter (not a version-manager shim)."""
    exe = Path(sys.executable).parent / "leakguard"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "leakguard"]


def cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(argv: list[str], cwd: Path, runs: int, work: Path) -> tuple[float, float, int]:
    """Median wall, peak RSS and last exit code of ``runs`` runs; prints mean CPU time,
    which a busy machine distorts far less than wall time."""
    walls, rss, code = [], [], 0
    cpu_before = cpu_children()
    for _ in range(runs):
        run = run_measured(argv, cwd=cwd, stdout_path=work / "out.txt",
                           stderr_path=work / "err.txt")
        walls.append(run.wall_s)
        rss.append(run.max_rss_mb)
        code = run.returncode
    cpu = (cpu_children() - cpu_before) / runs
    print(f"    ({Path(argv[0]).name} ... : mean CPU {cpu * 1000:.1f} ms per run)")
    return median(walls), max(rss), code


def door_only(repo: Path, runs: int) -> float:
    """The git door alone, in process: what git plumbing costs inside the total."""
    from leakguard.sources.git import staged_fragments

    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        list(staged_fragments(repo))
        walls.append(time.perf_counter() - start)
    return median(walls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=20000)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-history", action="store_true")
    args = parser.parse_args()
    rng = random.Random(20261128)
    lg = leakguard_argv()
    with tempfile.TemporaryDirectory(prefix="leakguard-git-bench-") as tmp:
        root = Path(tmp)
        work = root / "work"
        work.mkdir()
        os.environ["XDG_CACHE_HOME"] = str(root / "cache")  # same warm cache for all runs
        # Installed packages have byte-code; let the warm-up runs write it (for every tool).
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

        t0 = time.perf_counter()
        big = build_big_repo(root, args.files, rng)
        names = stage_change(big, rng)
        files_in_repo = len(git(big, "ls-files").splitlines())
        added = sum(1 for ln in git(big, "diff", "--cached", "-U0").splitlines()
                    if ln.startswith("+") and not ln.startswith("+++"))
        print(f"# staged: repo of {files_in_repo} files (built in {time.perf_counter() - t0:.1f}"
              f" s); change: {len(names)} files, {added} added lines")
        measure([*lg, "scan", "--staged"], big, 1, work)  # warm the rule cache once
        wall, rss, code = measure([*lg, "scan", "--staged"], big, args.runs, work)
        print(f"leakguard scan --staged      median {wall * 1000:7.1f} ms  peak {rss:6.1f} MB"
              f"  exit {code}")
        door = door_only(big, args.runs)
        print(f"  of which the git door      median {door * 1000:7.1f} ms (in process)")
        baseline_py = measure([sys.executable, "-c", "pass"], big, args.runs, work)[0]
        print(f"  python -c pass             median {baseline_py * 1000:7.1f} ms")
        if not args.skip_peers:
            hook = ensure_venv("detect-secrets", "detect-secrets==1.5.0", "detect-secrets-hook")
            measure([str(hook), *names], big, 1, work)  # warm-up, as for leakguard
            ds_wall, ds_rss, ds_code = measure([str(hook), *names], big, args.runs, work)
            print(f"detect-secrets-hook (10 files) median {ds_wall * 1000:5.1f} ms  peak "
                  f"{ds_rss:6.1f} MB  exit {ds_code}")
            print(f"ratio detect-secrets-hook / leakguard: {ds_wall / wall:.2f}x")

        for commits in () if args.skip_history else (args.commits // 2, args.commits,
                                                     args.commits * 2):
            repo = build_history(root, commits, rng, f"hist{commits}")
            start = time.perf_counter()
            run = run_measured([sys.executable, "-c", _DRIVER, "scan", "--history", "--format",
                                "json"], cwd=repo, stdout_path=work / "hist.json",
                               stderr_path=work / "hist.err")
            wall = time.perf_counter() - start
            report = json.loads((work / "hist.json").read_text())
            own, kids = rss_split((work / "hist.err").read_text())
            mb = report["summary"]["bytes"] / 1e6
            print(f"# history: {commits} commits, {mb:.1f} MB added text, "
                  f"{len(report['findings'])} findings, exit {run.returncode}")
            print(f"leakguard scan --history     {wall:6.2f} s  {commits / wall:7.0f} commits/s"
                  f"  {mb / wall:6.2f} MB/s  peak RSS leakguard {own:6.1f} MB, git {kids:6.1f} MB")

if __name__ == "__main__":
    main()
