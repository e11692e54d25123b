#!/usr/bin/env python3
"""Start-up of leakguard's hot commands, as ratios to a bare interpreter and to peers.

What a commit hook and an AI-tool command hook pay on every call, on clean input:

- ``leakguard scan FILE`` on a clean 1 KB file (issue #2/#4 target: <= 120 ms median);
- the same with ``--format json``, and through ``python -m leakguard``;
- ``leakguard scan --staged`` on a one-file commit in a small temporary repository
  (issue #3 target for a typical commit: <= 150 ms; bench/git_staged.py measures the
  10-file commit in a 20,000-file repository);
- ``leakguard hook claude-code`` answering a clean UserPromptSubmit (issue #8:
  <= 120 ms p50; bench/hooks.py measures hooks in full);
- ``python -c pass`` with the same interpreter, for scale, and the peers installed by
  bench/scan_throughput.py (detect-secrets, trufflehog3) or found on PATH (gitleaks).
  Peers are never installed here.

Runs are interleaved (one of each case per round) so a change of load on a shared
machine hits every case alike; medians and CPU time (user + system of the process and
the git processes it waits for) are reported. ``--instructions`` adds callgrind
instruction counts, which do not depend on load at all. Caches and byte-code are warmed
first: a hook runs warm. This is not a timed test.

    python bench/startup.py                        # 30 rounds
    python bench/startup.py --runs 60 --save bench/results/startup.txt
    python bench/startup.py --instructions         # plus valgrind instruction counts
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CLEAN = "".join(f"def handler_{i}(request, items):\n    return [x for x in items if x]\n\n"
                for i in range(20))[:1024]
PROMPT = {"session_id": "bench", "transcript_path": "t.jsonl", "cwd": ".",
          "permission_mode": "default", "hook_event_name": "UserPromptSubmit",
          "prompt": "fix the flaky test in handlers.py"}
HEAVY = ("presidio_analyzer", "presidio_anonymizer", "spacy", "rich", "jsonschema", "yaml",
         "click", "git", "hashlib")


@dataclass(frozen=True)
class Case:
    label: str
    argv: list[str]
    cwd: Path
    stdin: bytes = b""
    kind: str = "leakguard"  # leakguard | baseline | peer
    target_ms: float | None = None


def leakguard_argv() -> list[str]:
    exe = Path(sys.executable).parent / "leakguard"  # not a pyenv shim: that adds ~50 ms
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "leakguard"]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**clean_env(cwd), "GIT_AUTHOR_NAME": "Bench",
                        "GIT_AUTHOR_EMAIL": "bench@example.com",
                        "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com"})


def clean_env(work: Path) -> dict[str, str]:
    drop = ("XDG_", "GIT_", "LEAKGUARD_", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update(HOME=str(work / "home"), LEAKGUARD_CACHE_DIR=str(work / "cache"),
               GIT_CONFIG_NOSYSTEM="1")
    return env


def setup(work: Path) -> dict[str, Path]:
    (work / "home").mkdir()
    files = work / "files"
    files.mkdir()
    (files / "clean.py").write_text(CLEAN)
    repo = work / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for n in range(20):
        (repo / f"mod_{n}.py").write_text(CLEAN)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "initial")
    (repo / "handlers.py").write_text(CLEAN)
    git(repo, "add", "handlers.py")
    return {"file": files / "clean.py", "files": files, "repo": repo}


def cases(paths: dict[str, Path], peers: bool) -> list[Case]:
    lg, file = leakguard_argv(), str(paths["file"])
    out = [
        Case("python -c pass", [sys.executable, "-c", "pass"], paths["files"], kind="baseline"),
        Case("leakguard scan FILE (1 KB, clean)", [*lg, "scan", file], paths["files"],
             target_ms=120),
        Case("leakguard scan --format json FILE", [*lg, "scan", "--format", "json", file],
             paths["files"]),
        Case("python -m leakguard scan FILE", [sys.executable, "-m", "leakguard", "scan", file],
             paths["files"]),
        Case("leakguard scan --staged (1 file)", [*lg, "scan", "--staged"], paths["repo"],
             target_ms=150),
        Case("leakguard hook claude-code (clean prompt)", [*lg, "hook", "claude-code"],
             paths["repo"], stdin=json.dumps(PROMPT).encode(), target_ms=120),
    ]
    if peers:
        out += peer_cases(paths)
    return out


def peer_cases(paths: dict[str, Path]) -> list[Case]:
    found: list[Case] = []
    ds = BENCH / ".venv-detect-secrets" / "bin"
    if (ds / "detect-secrets").exists():
        found.append(Case("detect-secrets scan FILE", [str(ds / "detect-secrets"), "scan",
                                                       str(paths["file"])], paths["files"],
                          kind="peer"))
        found.append(Case("detect-secrets-hook FILE", [str(ds / "detect-secrets-hook"),
                                                       str(paths["file"])], paths["files"],
                          kind="peer"))
    th = BENCH / ".venv-trufflehog3" / "bin" / "trufflehog3"
    if th.exists():  # reads a file target as its config: give it the file's folder
        found.append(Case("trufflehog3 DIR (1 file)", [str(th), "-z", "--no-history",
                                                       str(paths["files"])], paths["files"],
                          kind="peer"))
    gitleaks = shutil.which("gitleaks")
    if gitleaks:
        found.append(Case("gitleaks dir FILE", [gitleaks, "dir", str(paths["file"])],
                          paths["files"], kind="peer"))
    return found


def run_once(case: Case, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall and CPU milliseconds, and the exit code, of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(case.argv, cwd=case.cwd, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert proc.stdin is not None
    try:
        proc.stdin.write(case.stdin)
        proc.stdin.close()
    except BrokenPipeError:
        pass
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, (usage.ru_utime + usage.ru_stime) * 1000, proc.returncode


def measure(all_cases: list[Case], env: dict[str, str], runs: int,
            warmup: int) -> dict[str, tuple[list[float], list[float], set[int]]]:
    results: dict[str, tuple[list[float], list[float], set[int]]] = {
        c.label: ([], [], set()) for c in all_cases}
    for round_ in range(warmup + runs):
        for case in all_cases:
            wall, cpu, code = run_once(case, env)
            if round_ >= warmup:
                walls, cpus, codes = results[case.label]
                walls.append(wall)
                cpus.append(cpu)
                codes.add(code)
    return results


def instructions(case: Case, env: dict[str, str]) -> int | None:
    """callgrind's instruction count of the process itself (not of git children)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    proc = subprocess.run([valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           *case.argv], cwd=case.cwd, env={**env, "PYTHONHASHSEED": "0"},
                          input=case.stdin, capture_output=True, check=False)
    for line in proc.stderr.decode(errors="replace").splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1])
    return None


def loaded_modules(paths: dict[str, Path], env: dict[str, str]) -> list[str]:
    """Heavy or avoidable modules a clean `scan FILE` loads (beyond the bare interpreter)."""
    code = ("import sys\nfrom leakguard.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(sys.modules)))")
    bare = "import sys; print(' '.join(sorted(sys.modules)))"
    run = [sys.executable, "-c"]
    seen = subprocess.run([*run, code, "scan", str(paths["file"])], env=env, text=True,
                          capture_output=True, check=False).stdout.split()
    base = set(subprocess.run([*run, bare], env=env, text=True, capture_output=True,
                              check=False).stdout.split())
    return sorted(m for m in set(seen) - base if m.split(".")[0] in HEAVY)


def source_state() -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BENCH.parent,
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=BENCH.parent, capture_output=True, text=True,
                               check=True).stdout.strip()
        return sha + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "?"


def render(all_cases: list[Case], results: dict[str, tuple[list[float], list[float], set[int]]],
           counts: dict[str, int | None], heavy: list[str], runs: int, loads: tuple[str, str]
           ) -> str:
    base = statistics.median(results["python -c pass"][0])
    scan = statistics.median(results["leakguard scan FILE (1 KB, clean)"][0])
    lines = [
        f"leakguard start-up at {source_state()}; {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores, load {loads[0]} -> {loads[1]}",
        f"median of {runs} interleaved runs, warm caches and byte-code (ms)",
        "",
        f"{'case':44} {'wall':>7} {'min':>7} {'p90':>7} {'cpu':>7} {'x pass':>7}"
        + ("  instructions" if counts else ""),
    ]
    for case in all_cases:
        walls, cpus, codes = results[case.label]
        wall = statistics.median(walls)
        p90 = sorted(walls)[int(0.9 * (len(walls) - 1))]
        row = (f"{case.label:44} {wall:7.1f} {min(walls):7.1f} {p90:7.1f} "
               f"{statistics.median(cpus):7.1f} {wall / base:7.2f}")
        if counts:
            n = counts.get(case.label)
            row += f"  {n / 1e6:8.1f} M" if n else "         -"
        if codes - {0, 1}:
            row += f"  (exit {sorted(codes)})"
        lines.append(row)
    peers = [c for c in all_cases if c.kind == "peer"]
    if peers:
        lines += ["", "peers, as multiples of `leakguard scan FILE`:"]
        lines += [f"  {c.label:42} {statistics.median(results[c.label][0]) / scan:6.1f}x"
                  for c in peers]
    lines += ["", "targets (median wall):"]
    for case in all_cases:
        if case.target_ms is not None:
            wall = statistics.median(results[case.label][0])
            verdict = "PASS" if wall <= case.target_ms else "FAIL"
            lines.append(f"  [{verdict}] {case.label:42} <= {case.target_ms:.0f} ms: "
                         f"{wall:.0f} ms")
    lines.append(f"heavy modules on the clean path: {', '.join(heavy) or 'none'}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=30, help="measured rounds (30)")
    ap.add_argument("--warmup", type=int, default=3, help="rounds not counted (3)")
    ap.add_argument("--no-peers", action="store_true", help="leave the peers out")
    ap.add_argument("--instructions", action="store_true",
                    help="also count instructions with valgrind (slow; exact under load)")
    ap.add_argument("--save", type=Path, help="also write the report to this file")
    args = ap.parse_args(argv)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is dropped for the runs (byte-code must be warm)",
              file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="lg-startup-") as tmp:
        work = Path(tmp)
        paths = setup(work)
        env = clean_env(work)
        all_cases = cases(paths, peers=not args.no_peers)
        before = f"{os.getloadavg()[0]:.1f}"
        results = measure(all_cases, env, args.runs, args.warmup)
        after = f"{os.getloadavg()[0]:.1f}"
        counts = ({c.label: instructions(c, env) for c in all_cases if c.kind != "peer"}
                  if args.instructions else {})
        report = render(all_cases, results, counts, loaded_modules(paths, env), args.runs,
                        (before, after))
    print(report, end="")
    if args.save:
        args.save.write_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
