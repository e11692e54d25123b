"""Audit log append speed: events/s and per-event latency on SQLite and PostgreSQL.

The per-event figure of ``AuditLog.record`` is the latency the audit adds to each
proxied request (the event is written before the request is forwarded): building the
event (SHA-256 of an 8 KB payload, findings summary), the budget check inside the write
lock, and the chained append. Target: <= 1 ms p50 on SQLite.

    python bench/audit.py                        # SQLite only
    python bench/audit.py --pg postgresql://...  # also PostgreSQL (or LEAKGUARD_TEST_PG)
    python bench/audit.py --save bench/results/audit.txt
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leakguard.audit.record import AuditLog  # noqa: E402
from leakguard.masking import fingerprint, mask  # noqa: E402
from leakguard.models import Action, Category, Decision, Finding, Severity, Verdict  # noqa: E402
from leakguard.policy.model import AuditSettings, Budget, Policy  # noqa: E402

PAYLOAD = (b"def handler(event):\n    return process(event)\n" * 200)[:8192]


def _verdict() -> Verdict:
    value = "user" + "@corp.example"
    f = Finding(
        rule_id="email",
        category=Category.PII,
        severity=Severity.MEDIUM,
        message="e",
        path="-",
        start=0,
        end=len(value),
        line=1,
        column=1,
        end_line=1,
        end_column=len(value) + 1,
        masked=mask(value),
        fingerprint=fingerprint("email", value),
        value=value,
    )
    return Verdict(Action.ANONYMIZE, (Decision(f, Action.ANONYMIZE),))


def _request(i: int, verdict: Verdict) -> dict[str, Any]:
    return dict(
        door="proxy",
        tool="claude-code",
        destination="anthropic",
        payload_sent=PAYLOAD,
        bytes_received=2048,
        verdict=verdict,
        session_id="bench",
        request_id=f"r{i}",
    )


def _policy(store: str, budget: bool) -> Policy:
    caps = (
        Budget(requests_per_day={"*": 10**9}, anonymized_findings_per_day=10**9)
        if budget
        else Budget()
    )
    return Policy(audit=AuditSettings(store=store, content="none"), budget=caps)


def measure(store: str, n: int, budget: bool, key: str | None) -> dict[str, float]:
    if key:
        os.environ["LEAKGUARD_AUDIT_KEY"] = key
    else:
        os.environ.pop("LEAKGUARD_AUDIT_KEY", None)
    log = AuditLog(_policy(store, budget))
    verdict = _verdict()
    times = []
    start, cpu0 = time.perf_counter(), time.process_time()
    for i in range(n):
        t = time.perf_counter()
        log.record(**_request(i, verdict))
        times.append(time.perf_counter() - t)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu0
    log.close()
    times.sort()
    return {
        "events_per_s": n / wall,
        "p50_ms": statistics.median(times) * 1000,
        "p95_ms": times[int(n * 0.95)] * 1000,
        "p99_ms": times[int(n * 0.99)] * 1000,
        "cpu_ms": cpu / n * 1000,
    }


def concurrent(store: str, n: int, procs: int) -> float:
    """Events/s with several processes appending to one chain at once."""
    code = (
        f"import sys, json; sys.path.insert(0, {str(ROOT)!r}); from bench.audit import measure; "
        "print(json.dumps(measure(sys.argv[1], int(sys.argv[2]), False, None)))"
    )
    start = time.perf_counter()
    running = [
        subprocess.Popen(
            [sys.executable, "-c", code, store, str(n)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(procs)
    ]
    for p in running:
        p.communicate()
        if p.returncode != 0:
            raise SystemExit("a writer process failed")
    return procs * n / (time.perf_counter() - start)


def _fresh_pg(dsn: str) -> str:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    name = "lgbench_" + uuid.uuid4().hex[:8]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    p = conninfo_to_dict(dsn)
    return f"postgresql://{p.get('user', '')}@{p['host']}:{p['port']}/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=3000, help="events per measurement")
    parser.add_argument("--pg", default=os.environ.get("LEAKGUARD_TEST_PG"), help="PostgreSQL DSN")
    parser.add_argument("--save", help="also write the results to this file")
    args = parser.parse_args()
    lines = [
        f"leakguard audit append benchmark (Python {platform.python_version()},"
        f" {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f})",
        f"{args.n} events per row; payload 8 KB, one anonymized finding; audit.content none",
        "latency = AuditLog.record(): build event + budget check + chained append"
        " (one commit each)",
        "cpu ms = this process's CPU per event (least disturbed by other load on the machine)",
        "",
        f"{'store':<34} {'events/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'cpu ms':>7}",
    ]
    print("\n".join(lines), flush=True)
    rows: list[tuple[str, str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        stores = [("sqlite", f"sqlite:///{tmp}/a.db")]
        if args.pg:
            stores.append(("postgresql", _fresh_pg(args.pg)))
        for name, url in stores:
            for label, budget, key in (
                ("", False, None),
                (" +budget", True, None),
                (" +budget +HMAC key", True, "k" * 32),
            ):
                r = measure(url, args.n, budget, key)
                line = (
                    f"{name + label:<34} {r['events_per_s']:>9.0f} {r['p50_ms']:>8.3f}"
                    f" {r['p95_ms']:>8.3f} {r['p99_ms']:>8.3f} {r['cpu_ms']:>7.3f}"
                )
                print(line, flush=True)
                lines.append(line)
                rows.append((name, label, r))
            url2 = f"sqlite:///{tmp}/c.db" if name == "sqlite" else _fresh_pg(args.pg)
            rate = concurrent(url2, args.n // 2, 2)
            line = f"{name + ' 2 processes, one chain':<34} {rate:>9.0f}"
            print(line, flush=True)
            lines.append(line)
        if not args.pg:
            lines.append("postgresql: skipped (no --pg DSN / LEAKGUARD_TEST_PG)")
    p50 = rows[0][2]["p50_ms"]
    verdict = "meets" if p50 <= 1.0 else "MISSES"
    lines += ["", f"SQLite p50 {p50:.3f} ms per event: {verdict} the <= 1 ms target"]
    print(lines[-1])
    if args.save:
        Path(args.save).write_text("\n".join(lines) + "\n")
        print(json.dumps({"saved": args.save}))


if __name__ == "__main__":
    main()
