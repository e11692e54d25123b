"""AI-tool hook latency: what each prompt and each tool call costs with leakguard's hooks.

Two calls, as Claude Code makes them: a clean UserPromptSubmit, and a PreToolUse Read
of a 50 KB source file (clean, so the whole file is scanned and allowed). Three ways:

- command: ``python -m leakguard hook claude-code`` per call (what `install` writes);
- http: one POST per call (new connection) to `leakguard serve` (Claude Code's native
  ``http`` hook type);
- curl: the installer's ``--http`` command, ``curl ... || exit 2``, via ``sh -c``.

Targets (issue #8): command p50 <= 120 ms, http p50 <= 20 ms. ``python -c pass`` and
``python -S -c pass`` are measured in the same run for scale: on a machine whose
site-packages run start-up code (.pth files), the first is well above a bare start.

    python bench/hooks.py                      # 30 calls of each
    python bench/hooks.py --runs 60 --save bench/results/hooks.txt
    python bench/hooks.py --instructions       # plus callgrind counts of the command hook

Run it with the interpreter that has leakguard installed (not a pyenv shim, which adds
~50 ms to every start). Everything runs under a temporary HOME (audit log included).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leakguard.integrations.install import curl_command  # noqa: E402

CODE = "".join(
    f"def handler_{i}(request, retries=3):\n    return request.get('/v1/items', timeout=30)\n"
    for i in range(600)
)  # ~50 KB


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(call: Callable[[], None], runs: int) -> tuple[list[float], float]:
    """(wall ms per call, CPU ms per call of child processes)."""
    call()  # warm: bytecode caches, the audit database, the server's detectors
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        walls.append((time.perf_counter() - start) * 1000)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
    return walls, cpu / runs


def command_call(argv: list[str], stdin: bytes, env: dict[str, str]) -> Callable[[], None]:
    def call() -> None:
        done = subprocess.run(argv, input=stdin, capture_output=True, env=env, timeout=60)
        if done.returncode != 0 or done.stdout.strip() not in (b"", b"{}"):
            raise SystemExit(f"unexpected hook answer: {done.returncode} {done.stderr[-300:]!r}")
    return call


def instructions(argv: list[str], stdin: bytes, env: dict[str, str]) -> int | None:
    """callgrind's count of instructions for one call: exact, whatever the load."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    done = subprocess.run([valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
                          input=stdin, capture_output=True, env={**env, "PYTHONHASHSEED": "0"},
                          timeout=600, check=False)
    for line in done.stderr.decode(errors="replace").splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1])
    return None


def http_call(url: str, body: bytes) -> Callable[[], None]:
    def call() -> None:
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            if json.loads(answer.read()) != {}:
                raise SystemExit("unexpected http hook answer")
    return call


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_serve(env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "leakguard", "serve", "--port", str(port)],
                              env=env, cwd=cwd, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    line = server.stdout.readline() if server.stdout else ""
    if "serving on" not in line:
        server.kill()
        raise SystemExit(f"leakguard serve did not start: {line!r}")
    return server, f"http://127.0.0.1:{port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--save", type=Path)
    parser.add_argument("--instructions", action="store_true",
                        help="also count the command hook's instructions (valgrind)")
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="lg-hooks-") as tmp:
        base = Path(tmp)
        project = base / "project"
        (project / ".git").mkdir(parents=True)
        big = project / "handlers.py"
        big.write_text(CODE)
        home = base / "home"
        env = {**os.environ, "HOME": str(home), "XDG_STATE_HOME": str(home / ".state"),
               "XDG_CACHE_HOME": str(home / ".cache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # a warm bytecode cache, as installed
        env.pop("LEAKGUARD_POLICY", None)
        common = {"session_id": "bench", "transcript_path": str(base / "t.jsonl"),
                  "cwd": str(project), "permission_mode": "default"}
        events: dict[str, dict[str, Any]] = {
            "UserPromptSubmit (clean)": {**common, "hook_event_name": "UserPromptSubmit",
                                         "prompt": "fix the flaky test in handlers.py"},
            f"PreToolUse Read {len(CODE) // 1000} KB": {
                **common, "hook_event_name": "PreToolUse", "tool_name": "Read",
                "tool_input": {"file_path": str(big)}, "tool_use_id": "toolu_1"},
        }
        rows: list[tuple[str, str, list[float], float]] = []
        counts: dict[str, int | None] = {}
        for label, argv in (("python -c pass", [python, "-c", "pass"]),
                            ("python -S -c pass", [python, "-S", "-c", "pass"])):
            walls, cpu = timed(command_call(argv, b"", env), args.runs)
            rows.append(("baseline", label, walls, cpu))
            if args.instructions:
                counts[f"baseline {label}"] = instructions(argv, b"", env)
        server, url = start_serve(env, project)
        try:
            for label, event in events.items():
                body = json.dumps(event).encode()
                hook = [python, "-m", "leakguard", "hook", "claude-code"]
                rows.append(("command", label, *timed(command_call(hook, body, env), args.runs)))
                if args.instructions:
                    counts[f"command {label}"] = instructions(hook, body, env)
                rows.append(("http", label, *timed(http_call(url + "/hooks/claude-code", body),
                                                   args.runs)))
                curl = ["sh", "-c", curl_command("claude-code", url)]
                rows.append(("curl", label, *timed(command_call(curl, body, env), args.runs)))
        finally:
            server.terminate()
            server.wait(10)
    stamp = time.strftime("%Y-%m-%d %H:%M")
    lines = [f"# bench/hooks.py  {stamp}  python {platform.python_version()}"
             f"  {platform.machine()}  {os.cpu_count()} cpus  load {os.getloadavg()[0]:.2f}"
             f"  runs {args.runs}",
             f"{'way':9} {'call':28} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'cpu ms':>8}"]
    for way, label, walls, cpu in rows:
        shown = "-" if way == "http" else f"{cpu:.1f}"
        lines.append(f"{way:9} {label:28} {statistics.median(walls):8.1f} "
                     f"{percentile(walls, 0.95):8.1f} {statistics.fmean(walls):8.1f} {shown:>8}")
    lines.append("cpu ms: user+system time of the child processes per call (http: served "
                 "by the resident `leakguard serve`, not measured per call)")
    if counts:
        lines.append("instructions per call (callgrind, the process itself): " + "; ".join(
            f"{label} {n / 1e6:.1f} M" if n else f"{label} -" for label, n in counts.items()))
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.save:
        args.save.write_text(re.sub(r" +\n", "\n", text), encoding="utf-8")


if __name__ == "__main__":
    main()
