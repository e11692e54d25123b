"""`leakguard log show` as a table (the only rich importer for audit events)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from leakguard.audit.content import UNAUTHENTIC, Opened
from leakguard.audit.event import AuditEvent


def print_table(events: Sequence[AuditEvent]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"leakguard audit log ({len(events)} events)")
    for column in (
        "#",
        "time (UTC)",
        "user",
        "tool",
        "door",
        "destination",
        "verdict",
        "sent",
        "findings",
    ):
        table.add_column(column, justify="right" if column in ("#", "sent") else "left")
    for e in events:
        findings = ", ".join(f"{f.rule_id}:{f.action}x{f.count}" for f in e.findings)
        if e.reason:
            findings = f"{findings} [{e.reason}]" if findings else e.reason
        table.add_row(
            str(e.seq),
            e.ts[:19].replace("T", " "),
            e.user,
            e.tool,
            e.door,
            e.destination,
            f"{e.verdict} (CANARY)" if e.canary else e.verdict,
            str(e.bytes_sent),
            findings,
        )
    Console().print(table)


def print_contents(events: Sequence[AuditEvent], contents: Mapping[int, Opened]) -> None:
    """`log show --content`: each event's content under a header, exactly as stored
    (printed plainly: no markup or emoji codes are interpreted)."""
    for e in events:
        opened = contents.get(e.seq, Opened("none"))
        if opened.status == "none":
            continue
        if opened.status == "unauthentic":
            print(f"--- event {e.seq} content: encrypted, {UNAUTHENTIC} ---")
            continue
        label = "decrypted" if opened.status == "decrypted" else "redacted"
        text = opened.text or ""
        print(f"--- event {e.seq} content ({label}, {len(opened.data or b'')} bytes) ---")
        print(text, end="" if text.endswith("\n") else "\n")
