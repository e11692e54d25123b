"""`leakguard log show|verify|export` and `leakguard report`: read the audit log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from leakguard.audit.content import Opened
    from leakguard.audit.event import AuditEvent
    from leakguard.audit.sqlbase import Filters, SqlStore
    from leakguard.policy import Policy

EXIT_TAMPERED = 1


def _store_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option(
        "--store", "store_url", help="Audit store URL (default: the policy's audit.store)."
    )(func)
    func = click.option(
        "--key-file",
        type=click.Path(dir_okay=False),
        help="Chain key file (also LEAKGUARD_AUDIT_KEY).",
    )(func)
    return click.option(
        "--policy",
        "policy_file",
        type=click.Path(dir_okay=False),
        help="Organisation policy file (also LEAKGUARD_POLICY).",
    )(func)


def _content_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option(
        "--content-key-file",
        type=click.Path(dir_okay=False),
        help="Content key file (also LEAKGUARD_AUDIT_CONTENT_KEY, audit.content_key_file).",
    )(func)
    return click.option(
        "--content",
        "with_content",
        is_flag=True,
        help="Also show each event's stored content, decrypting it with the content key.",
    )(func)


def _contents(
    events: list[AuditEvent], policy: Policy, key_file: str | None, wanted: bool
) -> dict[int, Opened] | None:
    from leakguard.audit.content import open_all

    return open_all(events, policy.audit, key_file) if wanted else None


def _content_exit(contents: dict[int, Opened] | None) -> int:
    """1 when some sealed content does not authenticate (altered, moved, wrong key)."""
    from leakguard.audit.content import UNAUTHENTIC

    bad = sorted(seq for seq, o in (contents or {}).items() if o.status == "unauthentic")
    if not bad:
        return 0
    shown = ", ".join(str(seq) for seq in bad)
    click.echo(f"leakguard: content of event(s) {shown} {UNAUTHENTIC}", err=True)
    return EXIT_TAMPERED


def _load_policy(policy_file: str | None) -> Policy:
    from leakguard.policy import load_policy

    return load_policy(Path.cwd(), Path(policy_file) if policy_file else None)


def _filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for name, text in (
        ("--since", "From this time: 2026-11-01, 2026-11-01T12:00Z, or 7d / 24h / 30m ago."),
        ("--until", "Before this time (same forms)."),
        ("--tool", "Only this tool (claude-code, codex...)."),
        ("--destination", "Only this destination."),
        ("--category", "Only events with a finding of this category."),
        ("--verdict", "Only this verdict (allow, warn, anonymize, block)."),
        ("--user", "Only this person."),
    ):
        func = click.option(name, help=text)(func)
    return func


def _open(
    policy_file: str | None,
    store_url: str | None,
    key_file: str | None,
    policy: Policy | None = None,
) -> SqlStore:
    from leakguard.audit.chain import load_key
    from leakguard.audit.store import open_store
    from leakguard.policy import load_policy

    if policy is None:
        policy = load_policy(Path.cwd(), Path(policy_file) if policy_file else None)
    key = load_key(key_file or policy.audit.key_file)
    return open_store(store_url or policy.audit.store, key, create=False)


def _filters(opts: dict[str, Any]) -> Filters:
    from datetime import datetime, timezone

    from leakguard.audit.sqlbase import Filters
    from leakguard.audit.timespec import parse_time

    now = datetime.now(timezone.utc)
    return Filters(
        since=parse_time(opts["since"], now) if opts.get("since") else None,
        until=parse_time(opts["until"], now) if opts.get("until") else None,
        tool=opts.get("tool"),
        destination=opts.get("destination"),
        verdict=opts.get("verdict"),
        user=opts.get("user"),
        category=opts.get("category"),
    )


@click.group("log")
def log_group() -> None:
    """Show, verify or export the audit log of what was sent."""


@log_group.command("verify")
@_store_options
@click.option(
    "--checkpoint",
    type=click.Path(exists=True, dir_okay=False),
    help="Also check against a head saved by `log checkpoint` (kept outside the log).",
)
def verify_command(
    policy_file: str | None, store_url: str | None, key_file: str | None, checkpoint: str | None
) -> int:
    """Check the hash chain: exit 0 if intact, 1 at the first edited, deleted,
    inserted or reordered event (with its position), or a truncated tail."""
    from leakguard.audit.chain import VerifyResult, check_anchor, verify

    store = _open(policy_file, store_url, key_file)
    try:
        events = store.events()
        result = verify(events, store.head(), store.key)
        mismatch = store.index_mismatch() if result.ok else None
    finally:
        store.close()
    if result.ok and checkpoint:
        anchor = _read_checkpoint(Path(checkpoint))
        problem = check_anchor(events, anchor[0], anchor[1])
        if problem is not None:
            result = VerifyResult(result.count, result.keyed, problem)
    mode = "keyed (HMAC)" if result.keyed else "unkeyed"
    if result.problem is not None:
        p = result.problem
        click.echo(
            f"leakguard: log verify: FAILED at position {p.position} ({p.kind}): {p.message}",
            err=True,
        )
        click.echo(f"{result.count} events verified before the break; chain {mode}", err=True)
        return EXIT_TAMPERED
    if mismatch is not None:
        click.echo(
            f"leakguard: log verify: FAILED at position {mismatch} (edited): its query columns"
            " were changed outside the hashed event",
            err=True,
        )
        return EXIT_TAMPERED
    click.echo(f"ok: {result.count} events, chain intact, {mode}")
    return 0


def _read_checkpoint(path: Path) -> tuple[int, str]:
    import json

    from leakguard.errors import ConfigError

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return int(raw["count"]), str(raw["last_hash"])
    except (OSError, ValueError, KeyError, TypeError):
        raise ConfigError(f"{path}: not a leakguard checkpoint") from None


@log_group.command("checkpoint")
@_store_options
def checkpoint_command(policy_file: str | None, store_url: str | None, key_file: str | None) -> int:
    """Print the chain head as JSON, to keep somewhere the log's writers cannot edit
    (a SIEM, a ticket, another host); `log verify --checkpoint FILE` checks against it."""
    import json
    from datetime import datetime, timezone

    store = _open(policy_file, store_url, key_file)
    try:
        head = store.head()
    finally:
        store.close()
    taken = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    click.echo(json.dumps({"count": head.count, "last_hash": head.last_hash, "taken": taken}))
    return 0


@log_group.command("show")
@_store_options
@_filter_options
@_content_options
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--limit", type=int, default=0, help="Only the last N events.")
def show_command(
    policy_file: str | None,
    store_url: str | None,
    key_file: str | None,
    as_json: bool,
    limit: int,
    with_content: bool,
    content_key_file: str | None,
    **opts: Any,
) -> int:
    """List events (most recent last); --content also prints what they kept of the
    payload (exit 1 if encrypted content does not authenticate)."""
    policy = _load_policy(policy_file)
    store = _open(policy_file, store_url, key_file, policy)
    try:
        events = store.events(_filters(opts))
    finally:
        store.close()
    if limit > 0:
        events = events[-limit:]
    contents = _contents(events, policy, content_key_file, with_content)
    if as_json:
        from leakguard.audit.export import jsonl

        for line in jsonl(events, contents):
            click.echo(line)
        return _content_exit(contents)
    from leakguard.audit.show import print_contents, print_table

    print_table(events)
    if contents is not None:
        print_contents(events, contents)
    return _content_exit(contents)


@log_group.command("export")
@_store_options
@_filter_options
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "cef"]), default="jsonl", show_default=True
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout."
)
@_content_options
def export_command(
    policy_file: str | None,
    store_url: str | None,
    key_file: str | None,
    fmt: str,
    output: str | None,
    with_content: bool,
    content_key_file: str | None,
    **opts: Any,
) -> int:
    """Export events as JSON Lines or CEF lines for a SIEM (--content: JSON Lines with
    each event's content decrypted, as content_text)."""
    from leakguard.audit.export import cef, jsonl

    if with_content and fmt != "jsonl":
        raise click.UsageError("--content goes with --format jsonl")
    policy = _load_policy(policy_file)
    store = _open(policy_file, store_url, key_file, policy)
    try:
        events = store.events(_filters(opts))
    finally:
        store.close()
    contents = _contents(events, policy, content_key_file, with_content)
    lines = jsonl(events, contents) if fmt == "jsonl" else cef(events)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            for line in lines:
                handle.write(line + "\n")
    else:
        for line in lines:
            click.echo(line)
    return _content_exit(contents)


@click.command("report")
@_store_options
@_filter_options
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False),
    help="Also write a self-contained HTML report.",
)
def report_command(
    policy_file: str | None,
    store_url: str | None,
    key_file: str | None,
    html_file: str | None,
    **opts: Any,
) -> int:
    """Totals by category, destination, tool, rule and person; blocked vs anonymized vs
    allowed; value at risk and value protected (from the policy's `values`)."""
    from leakguard.audit.report import build_report, text_lines
    from leakguard.policy import load_policy

    policy = load_policy(Path.cwd(), Path(policy_file) if policy_file else None)
    store = _open(policy_file, store_url, key_file, policy)
    try:
        events = store.events(_filters(opts))
    finally:
        store.close()
    report = build_report(events, policy.values)
    for line in text_lines(report):
        click.echo(line)
    if html_file:
        from leakguard.audit.report_html import render_html

        Path(html_file).write_text(render_html(report), encoding="utf-8")
        click.echo(f"HTML report written to {html_file}")
    return 0


def register(cli: click.Group) -> None:
    cli.add_command(log_group)
    cli.add_command(report_command)
