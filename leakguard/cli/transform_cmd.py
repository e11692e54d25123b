"""`leakguard redact` and `leakguard restore`: text to an AI tool and real values back.

redact: the whole pipeline on one text, then every finding whose action is anonymize
is replaced (placeholders kept in the vault); any block prints nothing of the input
and exits 1. restore: the vault's placeholders back to their values; unknown ones are
left as they are and listed on stderr; values the encrypt operator sealed are opened
with the key (LEAKGUARD_PII_ENCRYPT_KEY or pii.encrypt_key_file), or left and reported.
Bytes that are not UTF-8 pass through as they were, so `redact | restore` gives back
the input byte for byte.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leakguard.errors import ConfigError
from leakguard.models import Action, Decision, Fragment, Verdict

if TYPE_CHECKING:
    from leakguard.policy.model import Policy

_ENCODING = "utf-8"
_ERRORS = "surrogateescape"  # undecodable bytes survive the round trip


def _read(path: str) -> str:
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    return data.decode(_ENCODING, _ERRORS)


def _write(text: str) -> None:
    sys.stdout.buffer.write(text.encode(_ENCODING, _ERRORS))
    sys.stdout.buffer.flush()


def _vault_path(vault: str | None) -> Path:
    from leakguard.transform.vault import default_vault_path

    return Path(vault).expanduser() if vault else default_vault_path()


@click.command("redact")
@click.argument("path", default="-", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--vault", "vault_file", type=click.Path(dir_okay=False),
              help="Vault file (default: the user state directory).")
@click.option("--destination", help="Apply this destination's rules from the policy.")
@click.option("--policy", "policy_file", type=click.Path(dir_okay=False),
              envvar="LEAKGUARD_POLICY", help="Organisation policy file (also LEAKGUARD_POLICY).")
def redact_command(
    path: str, vault_file: str | None, destination: str | None, policy_file: str | None
) -> int:
    """Print PATH (or stdin) with PII and other anonymize findings replaced.

    Placeholders such as EMAIL_1_a3f9 are stable within a vault; `leakguard restore`
    puts the values back. Exit 1, printing nothing of the input, if anything is blocked.
    """
    from leakguard.detectors.build import build_detectors
    from leakguard.policy import load_policy
    from leakguard.scan import run_pipeline
    from leakguard.transform import vault as vaults
    from leakguard.transform.anonymize import anonymize, targets

    text = _read(path)
    root = Path(path).resolve().parent if path != "-" else Path.cwd()
    policy = load_policy(root, Path(policy_file) if policy_file else None)
    encrypt_key = None
    if "encrypt" in policy.pii.operators.values():  # refuse before any work without a key
        from leakguard.transform.encrypt import require_key

        encrypt_key = require_key(policy.pii.encrypt_key_file)
    fragment = Fragment(text=text, path=path, kind="stdin" if path == "-" else "file")
    result = run_pipeline([fragment], build_detectors(policy), policy, destination)
    verdict = result.verdict
    if verdict.action is Action.BLOCK:
        _audit(policy, destination, b"", verdict)
        _report_block(verdict.active, destination)
        return 1
    vault_path = _vault_path(vault_file)
    with vaults.opened(vault_path, vaults.vault_key()) as vault:
        found = targets(verdict.decisions, policy.pii.operators)
        redacted = anonymize(text, found, vault, encrypt_key)
    payload = redacted.text.encode(_ENCODING, _ERRORS)
    if _audit(policy, destination, payload, verdict):
        click.echo("leakguard: blocked: the audit budget for today is used up", err=True)
        return 1
    _write(redacted.text)
    if redacted.applied:
        click.echo(f"leakguard: replaced {len(redacted.applied)} value(s)", err=True)
    return 0


def _audit(policy: Policy, destination: str | None, payload: bytes, verdict: Verdict) -> bool:
    """Record the decision in the audit log; True if the log turned it into a block
    (a daily budget used up)."""
    from leakguard.audit.record import record

    event = record(
        policy, door="redact", tool="leakguard", destination=destination or "",
        payload_sent=payload, bytes_received=0, verdict=verdict,
    )
    return verdict.action is not Action.BLOCK and event.verdict == "block"


def _report_block(decisions: Sequence[Decision], destination: str | None) -> None:
    blocked = [d for d in decisions if d.action is Action.BLOCK]
    if not blocked:
        click.echo(f"leakguard: blocked: destination {destination!r} is not allowed", err=True)
        return
    click.echo(f"leakguard: blocked: {len(blocked)} finding(s); nothing was output", err=True)
    for decision in blocked[:10]:
        f = decision.finding
        click.echo(f"  {f.path}:{f.line}:{f.column} {f.rule_id} {f.masked}", err=True)


@click.command("restore")
@click.argument("path", default="-", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--vault", "vault_file", type=click.Path(dir_okay=False),
              help="Vault file (default: the user state directory).")
@click.option("--policy", "policy_file", type=click.Path(dir_okay=False),
              envvar="LEAKGUARD_POLICY",
              help="Policy naming pii.encrypt_key_file (also LEAKGUARD_POLICY).")
def restore_command(path: str, vault_file: str | None, policy_file: str | None) -> int:
    """Print PATH (or stdin) with the vault's placeholders replaced by their values.

    Placeholder-shaped strings the vault does not know are left untouched and listed
    on stderr. Encrypted values (ENC_...) are opened with the encrypt key; without
    it, or when one does not verify, they are left as they are and reported.
    """
    from leakguard.transform import encrypt
    from leakguard.transform import vault as vaults
    from leakguard.transform.restore import restore

    text = _read(path)
    vault_path = _vault_path(vault_file)
    sealed = bool(encrypt.candidates(text))
    if vault_path.exists():
        vault = vaults.load(vault_path, vaults.vault_key())
    elif sealed:  # encrypted values need the key only, not a vault
        vault = vaults.Vault()
    else:
        raise ConfigError(f"no vault at {vault_path}")
    key = _encrypt_key(path, policy_file) if sealed else None
    restored = restore(text, vault, key=key)
    _write(restored.text)
    _report_sealed(restored.sealed, restored.unverified, restored.decrypted)
    if restored.unknown:
        shown = ", ".join(restored.unknown[:10])
        click.echo(
            f"leakguard: {len(restored.unknown)} unknown placeholder(s) left as they are: "
            f"{shown}",
            err=True,
        )
    return 0


def _encrypt_key(path: str, policy_file: str | None) -> bytes | None:
    """The encrypt key from the environment, else from the policy (loaded only then)."""
    from leakguard.transform import encrypt

    key = encrypt.load_key(None)
    if key is not None:
        return key
    from leakguard.policy import load_policy

    root = Path(path).resolve().parent if path != "-" else Path.cwd()
    policy = load_policy(root, Path(policy_file) if policy_file else None)
    return encrypt.load_key(policy.pii.encrypt_key_file)


def _report_sealed(sealed: int, unverified: int, decrypted: int) -> None:
    from leakguard.transform.encrypt import KEY_ENV

    if sealed:
        click.echo(
            f"leakguard: {sealed} encrypted value(s) left as they are: no key "
            f"(set {KEY_ENV} or pii.encrypt_key_file)", err=True,
        )
    if unverified:
        cause = "most likely the wrong key" if not decrypted else "changed, or another key"
        click.echo(
            f"leakguard: {unverified} encrypted value(s) left as they are: they do not "
            f"verify with this key ({cause})", err=True,
        )


def register(cli: click.Group) -> None:
    cli.add_command(redact_command)
    cli.add_command(restore_command)
