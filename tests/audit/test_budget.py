"""Egress budget: caps per user per day, counted from the store across processes."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from leakguard.audit.record import AuditLog
from leakguard.models import Action, Category
from leakguard.policy.model import Budget
from tests.audit.audit_helpers import (
    T0,
    finding,
    fixed_clock,
    plain_request,
    sqlite_policy,
    verdict,
)
from tests.audit.test_sqlite_store import writer


def _two_writers(store_url: str, cap: int, per_writer: int, now: str) -> int:
    spec = {
        "store": store_url,
        "count": per_writer,
        "now": now,
        "budget": {"requests_per_day": {"anthropic": cap}},
    }
    procs = [writer({**spec, "tag": tag}) for tag in ("a", "b")]
    blocked = 0
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        blocked += json.loads(out.splitlines()[-1])["blocked"]
    return blocked


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_cap_holds_across_two_processes_and_resets_next_day(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'audit.db'}"
        if backend == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    cap = 25
    # 2 x 20 requests on one day against a cap of 25: exactly 15 blocked
    assert _two_writers(url, cap, 20, T0.isoformat()) == 40 - cap
    # the next day's window allows again
    assert _two_writers(url, cap, 5, (T0 + timedelta(days=1)).isoformat()) == 0


def test_block_message_names_cap_and_reset(tmp_path: Path) -> None:
    policy = sqlite_policy(tmp_path / "a.db", budget=Budget(requests_per_day={"*": 2}))
    log = AuditLog(policy, clock=fixed_clock(T0))
    verdicts = [log.record(**plain_request(i)).verdict for i in range(3)]
    third = log.record(**plain_request(9))
    other_user = log.record(**{**plain_request(10), "user": "bob"})
    log.close()
    assert verdicts == ["allow", "allow", "block"]
    assert third.reason == "budget: requests_per_day[*] 2 reached; resets at 2026-11-29T00:00:00Z"
    assert (third.bytes_sent, third.payload_sha256) == (0, "")
    assert other_user.verdict == "allow"  # caps are per user


def _proprietary(n_bytes: int) -> dict[str, object]:
    code = "x" * n_bytes
    f = finding("proprietary-path", Category.PROPRIETARY, code)
    return {
        **plain_request(),
        "payload_sent": code.encode(),
        "verdict": verdict(Action.WARN, (f, Action.WARN)),
    }


def test_proprietary_bytes_cap(tmp_path: Path) -> None:
    policy = sqlite_policy(tmp_path / "a.db", budget=Budget(proprietary_bytes_per_day=1000))
    log = AuditLog(policy, clock=fixed_clock(T0))
    first = log.record(**_proprietary(600))
    second = log.record(**_proprietary(600))
    third = log.record(**_proprietary(400))
    log.close()
    assert (first.verdict, first.proprietary_bytes) == ("warn", 600)
    assert second.verdict == "block" and "proprietary_bytes_per_day 1000" in second.reason
    assert "600 sent today" in second.reason
    assert third.verdict == "warn"  # 600 + 400 fits; a blocked request counted nothing


def test_anonymized_findings_cap(tmp_path: Path) -> None:
    policy = sqlite_policy(tmp_path / "a.db", budget=Budget(anonymized_findings_per_day=3))
    log = AuditLog(policy, clock=fixed_clock(T0))

    def request(n: int) -> dict[str, object]:
        found = [
            (finding("email", Category.PII, f"u{i}@corp.example", i * 20), Action.ANONYMIZE)
            for i in range(n)
        ]
        return {**plain_request(), "verdict": verdict(Action.ANONYMIZE, *found)}

    results = [log.record(**request(2)).verdict for _ in range(2)]
    log.close()
    assert results == ["anonymize", "block"]


def test_warn_only_budget_never_blocks(tmp_path: Path) -> None:
    policy = sqlite_policy(
        tmp_path / "a.db", budget=Budget(requests_per_day={"*": 1}, on_exceeded=Action.WARN)
    )
    log = AuditLog(policy, clock=fixed_clock(T0))
    assert [log.record(**plain_request(i)).verdict for i in range(3)] == ["allow"] * 3
    log.close()


def test_policy_file_keys(tmp_path: Path) -> None:
    from leakguard.policy import load_policy_file

    path = tmp_path / "org.yaml"
    path.write_text(
        "budget: {proprietary_bytes_per_day: 5, anonymized_findings_per_day: 7,"
        " requests_per_day: {anthropic: 9, '*': 20}}\n"
        "audit: {store: 'sqlite:///a.db', key_file: /etc/leakguard/audit.key}\n"
        "values: {currency: EUR, per_category: {secret: 5000, pii: 150},"
        " per_rule: {aws-access-key: 50000}, proprietary_per_kb: 200}\n"
    )
    policy = load_policy_file(path)
    assert policy.budget.anonymized_findings_per_day == 7
    assert dict(policy.budget.requests_per_day) == {"anthropic": 9, "*": 20}
    assert policy.audit.key_file == "/etc/leakguard/audit.key"
    assert policy.values.currency == "EUR" and policy.values.per_rule["aws-access-key"] == 50000
    assert dict(policy.values.per_category) == {"secret": 5000, "pii": 150}
    assert policy.values.proprietary_per_kb == 200
