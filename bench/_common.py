"""Helpers shared by the benchmarks: measured child processes and peer virtual envs.

Each tool runs in a fresh child process; wall time comes from a monotonic clock around
the child. Peak memory comes from a small launcher (GNU time, else ``python -S``) that
forks the tool and reads its rusage: Linux carries a parent's peak RSS over fork and exec
into the child's ru_maxrss, so measuring straight from this (corpus-holding) process
would report our own peak as a floor for every tool.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import venv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
TIMED_OUT = -999  # returncode of a run stopped by its timeout


@dataclass(frozen=True)
class Run:
    """One measured child process."""

    wall_s: float
    cpu_s: float  # user + system time of the tool and its children
    max_rss_mb: float
    returncode: int


_PY_LAUNCHER = (
    "import os, sys\n"
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    os.execvp(sys.argv[2], sys.argv[2:])\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "cpu = (usage.ru_utime, usage.ru_stime)\n"
    "open(sys.argv[1], 'w').write(f'{usage.ru_maxrss} {cpu[0]} {cpu[1]}')\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def _launcher(rss_file: Path) -> list[str]:
    """Argv prefix that runs a command and writes "peak-KiB user-s system-s" to ``rss_file``."""
    if Path("/usr/bin/time").exists():
        return ["/usr/bin/time", "-f", "%M %U %S", "-o", str(rss_file)]
    return [sys.executable, "-S", "-c", _PY_LAUNCHER, str(rss_file)]


def run_measured(
    argv: Sequence[str],
    *,
    cwd: Path,
    stdout_path: Path,
    stderr_path: Path,
    env: dict[str, str] | None = None,
    timeout_s: float | None = None,
) -> Run:
    """Run ``argv`` to completion; stdout/stderr go to files so big reports cost no pipes."""
    rss_file = stdout_path.with_suffix(".rss")
    rss_file.unlink(missing_ok=True)
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        start = time.perf_counter()
        argv = [*_launcher(rss_file), *argv]
        # Own session, so that a timeout can stop the tool and its workers and nothing else.
        proc = subprocess.Popen(
            argv, cwd=cwd, stdout=out, stderr=err, env=env, start_new_session=True
        )
        try:
            code = proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            code = TIMED_OUT
        wall = time.perf_counter() - start
    try:
        # GNU time writes "Command exited with non-zero status N" before the figures.
        kib, user, system = (float(x) for x in rss_file.read_text().splitlines()[-1].split())
    except (OSError, ValueError, IndexError):
        kib = user = system = float("nan")
    return Run(wall_s=wall, cpu_s=user + system, max_rss_mb=kib / 1024.0, returncode=code)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def net_isolation_prefix() -> list[str]:
    """``unshare -n`` when this machine allows it: the tools then cannot reach any network."""
    tool = shutil.which("unshare")
    if tool is None:
        return []
    probe = subprocess.run([tool, "-n", "true"], capture_output=True, check=False)
    return [tool, "-n"] if probe.returncode == 0 else []


def ensure_venv(name: str, requirement: str, executable: str) -> Path:
    """Return the path of ``executable`` inside bench/.venv-NAME, creating the env once.

    Peers live in their own environments because some pin exact versions of libraries
    leakguard also uses (trufflehog3 pins GitPython, PyYAML, attrs and Jinja2).
    This is the only step that talks to a network (the package index, through pip).
    """
    env_dir = BENCH_DIR / f".venv-{name}"
    exe = env_dir / "bin" / executable
    if exe.exists():
        return exe
    print(f"setting up {env_dir} (pip install {requirement}) ...", file=sys.stderr)
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", requirement],
        check=True,
    )
    if not exe.exists():
        raise SystemExit(f"{requirement} installed but {exe} is missing")
    return exe


def venv_package_version(exe: Path, dist: str) -> str:
    """The installed version of ``dist`` in the env that holds ``exe``."""
    python = exe.parent / "python"
    code = f"import importlib.metadata as m; print(m.version({dist!r}))"
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False)
    return out.stdout.strip() or "?"
