#!/usr/bin/env python3
"""What the guarding proxy adds to a request, measured against the same fake upstream.

Three processes, so no two share a GIL: the fake upstream (tests/fakeupstream.py),
`leakguard serve` in front of it, and this client. In one run, each figure is the
difference between the same request sent directly to the fake and through leakguard:

1. latency of an ~80 KB Claude-Code-shaped request (system blocks, tool definitions,
   a history with file contents from tool results) with no findings: "cold" (a new
   session every request, nothing cached: every byte scanned) and "resent" (the same
   conversation again in one session, as AI tools do every turn);
2. the same with 10 values anonymized (e-mail addresses: PII, anonymize by default);
3. time to the first byte of a streamed answer, for a short prompt and for the 80 KB one;
4. requests per second with 20 concurrent clients (80 KB, clean, cold).

    python bench/proxy.py                 # 200 requests per figure
    python bench/proxy.py --requests 50 --save bench/results/proxy.txt
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import subprocess
import sys
import sysconfig
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["json/decoder.py", "textwrap.py", "string.py", "shlex.py", "heapq.py", "bisect.py",
           "colorsys.py", "fnmatch.py", "glob.py", "keyword.py", "linecache.py", "queue.py"]
HEADERS = {"content-type": "application/json", "x-api-key": "sk-ant-bench",
           "anthropic-version": "2023-06-01", "anthropic-beta": "bench-2026"}
FAKE_MAIN = """
import sys, time
sys.path.insert(0, sys.argv[1])
from tests.fakeupstream import FakeUpstream
up = FakeUpstream(default_text="done", chunk_size=16)
up.start()
print(up.url, flush=True)
while True:
    time.sleep(3600)
"""


def _code_text(rng: random.Random, size: int) -> str:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    text = ""
    names = SOURCES[:]
    rng.shuffle(names)
    for name in names:
        # Keep the code, drop header comments (authors' e-mail addresses are PII).
        body = "\n".join(
            line for line in (stdlib / name).read_text().splitlines()
            if "@" not in line and "http" not in line
        )
        text += body + "\n"
        if len(text) >= size:
            break
    return text[:size]


def claude_shaped(size: int, emails: int, seed: int) -> dict[str, object]:
    """An Anthropic Messages body shaped like Claude Code's, ``size`` bytes of JSON
    give or take 2%: mostly file contents from Read tool results."""
    low, high = size // 4, size
    body = _claude_shaped(high, emails, seed)
    for _ in range(12):  # line numbers and JSON escaping add to the code: search
        middle = (low + high) // 2
        body = _claude_shaped(middle, emails, seed)
        actual = len(json.dumps(body))
        if abs(actual - size) < size * 0.02:
            break
        low, high = (middle, high) if actual < size else (low, middle)
    return body


def _claude_shaped(size: int, emails: int, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    tools = [{"name": f"Tool{i}", "description": "Runs a step of the task. " * 20,
              "input_schema": {"type": "object",
                               "properties": {"path": {"type": "string"}}}} for i in range(12)]
    system = [{"type": "text", "text": "You are a coding assistant. " * 10},
              {"type": "text", "text": "Follow the project's conventions. " * 60}]
    messages: list[dict[str, object]] = [
        {"role": "user", "content": [{"type": "text", "text": "Please refactor the parser."}]}
    ]
    budget = size - len(json.dumps({"tools": tools, "system": system}))
    files = 6
    for i in range(files):
        code = _code_text(rng, max(budget // files, 1000))
        if emails:
            lines = code.split("\n")
            for k in range(emails // files + (1 if i < emails % files else 0)):
                at = rng.randrange(len(lines))
                lines[at] += f"  # owner: dev{i}{k}.person@acme-payments.io"
            code = "\n".join(lines)
        numbered = "\n".join(f"{n + 1:6}\t{line}" for n, line in enumerate(code.split("\n")))
        messages.append({"role": "assistant", "content": [
            {"type": "tool_use", "id": f"toolu_{i:02d}", "name": "Read",
             "input": {"file_path": f"/repo/src/module{i}.py"}}]})
        messages.append({"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": f"toolu_{i:02d}", "content": numbered}]})
    return {"model": "claude-bench", "max_tokens": 64, "system": system, "tools": tools,
            "messages": messages}


def start(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


async def wait_health(session: aiohttp.ClientSession, url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            async with session.get(url + "/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("leakguard serve did not answer /healthz within 60 s")
        await asyncio.sleep(0.1)


async def timed_post(
    session: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str],
    first_byte: bool = False,
) -> float:
    began = time.perf_counter()
    async with session.post(url, data=body, headers=headers) as response:
        if first_byte:
            await response.content.readany()
            elapsed = time.perf_counter() - began
            await response.read()
            return elapsed
        await response.read()
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}: {(await response.text())[:300]}")
        return time.perf_counter() - began


async def series(
    session: aiohttp.ClientSession, url: str, make: Callable[[int], tuple[bytes, dict[str, str]]],
    count: int, first_byte: bool = False,
) -> list[float]:
    out = []
    for i in range(count):
        body, headers = make(i)
        out.append(await timed_post(session, url, body, headers, first_byte))
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def main_async(args: argparse.Namespace, fake_url: str, proxy_url: str) -> list[str]:
    size = args.kb * 1024
    clean = claude_shaped(size, 0, 1)
    dirty = claude_shaped(size, 10, 2)
    clean_body, dirty_body = json.dumps(clean).encode(), json.dumps(dirty).encode()
    short = json.dumps({"model": "m", "max_tokens": 8, "stream": True,
                        "messages": [{"role": "user", "content": "hi"}]}).encode()
    big_stream = json.dumps({**clean, "stream": True}).encode()
    direct = fake_url + "/v1/messages"
    through = proxy_url + "/anthropic/v1/messages"
    lines: list[str] = []
    n = args.requests

    def fresh(body: bytes) -> Callable[[int], tuple[bytes, dict[str, str]]]:
        return lambda i: (body, {**HEADERS, "x-claude-code-session-id": uuid.uuid4().hex})

    def same(body: bytes) -> Callable[[int], tuple[bytes, dict[str, str]]]:
        return lambda i: (body, {**HEADERS, "x-claude-code-session-id": "one-conversation"})

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        await wait_health(session, proxy_url)
        # Warm-up: engines, connections, the PII engine (first candidate builds it).
        for url in (direct, through):
            await series(session, url, fresh(dirty_body), 5)
        figures = [
            ("80 KB, no findings, cold", clean_body, fresh, False, 15.0),
            ("80 KB, no findings, resent", clean_body, same, False, None),
            ("80 KB, 10 anonymized, cold", dirty_body, fresh, False, 30.0),
            ("80 KB, 10 anonymized, resent", dirty_body, same, False, None),
            ("first byte, short stream", short, fresh, True, 5.0),
            ("first byte, 80 KB stream, cold", big_stream, fresh, True, None),
        ]
        lines.append(f"{'request':34} {'direct p50':>10} {'proxy p50':>10} {'added p50':>10} "
                     f"{'added p99':>10} {'target':>8}")
        for name, body, maker, ttfb, target in figures:
            base = await series(session, direct, maker(body), n, ttfb)
            via = await series(session, through, maker(body), n, ttfb)
            added50 = pct(via, 0.5) - pct(base, 0.5)
            added99 = pct(via, 0.99) - pct(base, 0.99)
            goal = f"<= {target:g}" if target is not None else ""
            lines.append(f"{name:34} {pct(base, .5):10.2f} {pct(via, .5):10.2f} "
                         f"{added50:10.2f} {added99:10.2f} {goal:>8}")
        for label, url in (("direct", direct), ("through leakguard", through)):
            began = time.perf_counter()
            total = n * 2

            async def worker(count: int, target_url: str = url) -> None:
                await series(session, target_url, fresh(clean_body), count)

            await asyncio.gather(*(worker(total // 20) for _ in range(20)))
            rate = (total // 20 * 20) / (time.perf_counter() - began)
            lines.append(f"20 concurrent clients, 80 KB clean, {label:18}: {rate:8.1f} req/s")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--kb", type=int, default=80)
    parser.add_argument("--save", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="leakguard-bench-proxy-"))
    env = {**os.environ, "HOME": str(work), "XDG_STATE_HOME": str(work / "state"),
           "XDG_CACHE_HOME": str(work / "cache")}
    fake = start([sys.executable, "-c", FAKE_MAIN, str(ROOT)], work, env)
    assert fake.stdout is not None
    fake_url = fake.stdout.readline().strip()
    port = 18000 + random.randrange(2000)
    (work / ".leakguard.yaml").write_text(
        f"version: 1\ndestinations:\n  anthropic: {{upstream: '{fake_url}'}}\n")
    leakguard = Path(sys.executable).with_name("leakguard")
    command = [str(leakguard)] if leakguard.exists() else [sys.executable, "-m", "leakguard"]
    serve = start([*command, "serve", "--port", str(port)], work, env)
    try:
        lines = asyncio.run(main_async(args, fake_url, f"http://127.0.0.1:{port}"))
    finally:
        serve.terminate()
        fake.terminate()
        serve.wait(10)
        fake.wait(10)
    size = len(json.dumps(claude_shaped(args.kb * 1024, 0, 1)))
    header = [
        f"leakguard proxy benchmark, {time.strftime('%Y-%m-%d %H:%M')}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load {os.getloadavg()[0]:.2f}",
        f"request body {size / 1024:.0f} KB, {args.requests} requests per figure; "
        "times in ms; added = through leakguard minus direct",
        "",
    ]
    report = "\n".join(header + lines)
    print(report)
    if args.save:
        args.save.write_text(report + "\n")


if __name__ == "__main__":
    main()
