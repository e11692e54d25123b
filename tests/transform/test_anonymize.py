"""Anonymizing spans: overlaps, operators, literal look-alikes, exact restore."""

from __future__ import annotations

import pytest

from leakguard.errors import ScanError
from leakguard.masking import fingerprint
from leakguard.models import Action, Category, Decision, Finding, Severity
from leakguard.transform.anonymize import Target, anonymize, resolve, targets
from leakguard.transform.restore import restore
from leakguard.transform.vault import Vault


def finding(start: int, end: int, value: str, category: Category, entity: str | None,
            severity: Severity = Severity.MEDIUM) -> Finding:
    return Finding(
        rule_id="r", category=category, severity=severity, message="", path="x",
        start=start, end=end, line=1, column=start + 1, end_line=1, end_column=end + 1,
        masked="…", fingerprint=fingerprint("r", value), value=value, entity=entity,
    )


def test_overlapping_findings_most_severe_wins_no_double_replacement() -> None:
    text = "key=AKIA1234567890ABCDEF@acme-corp.com end"
    secret = Target(4, 24, "SECRET", rank=(2, 3))
    email = Target(8, 37, "EMAIL", rank=(2, 1))
    assert resolve([email, secret]) == [secret]
    vault = Vault("a3f9")
    redacted = anonymize(text, [email, secret], vault)
    assert redacted.text == "key=SECRET_1_a3f9@acme-corp.com end"
    assert restore(redacted.text, vault).text == text


def test_targets_follow_decisions_and_operators() -> None:
    text = "jane@acme-corp.com 10.1.2.3 ghp_x 555-0199"
    decisions = [
        Decision(finding(0, 18, text[0:18], Category.PII, "EMAIL_ADDRESS"), Action.ANONYMIZE),
        Decision(finding(19, 27, text[19:27], Category.PII, "IP_ADDRESS"), Action.ANONYMIZE),
        Decision(finding(28, 33, "ghp_x", Category.SECRET, None, Severity.HIGH),
                 Action.ANONYMIZE),
        Decision(finding(34, 42, "555-0199", Category.PII, "PHONE_NUMBER"), Action.WARN),
        Decision(finding(0, 4, "jane", Category.PII, "PERSON"), Action.ANONYMIZE,
                 suppressed_by="path"),
    ]
    chosen = targets(decisions, {"IP_ADDRESS": "mask"})
    assert [(t.start, t.type_name, t.operator) for t in chosen] == [
        (0, "EMAIL", "placeholder"), (19, "IP", "mask"), (28, "SECRET", "placeholder"),
    ]
    redacted = anonymize(text, chosen, Vault("a3f9"))
    assert redacted.text == "EMAIL_1_a3f9 ******** SECRET_1_a3f9 555-0199"  # short: all masked


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        ("mask", "call **********0199 now"),
        ("redact", "call  now"),
    ],
)
def test_irreversible_operators(operator: str, expected: str) -> None:
    text = "call (212) 555-0199 now"
    redacted = anonymize(text, [Target(5, 19, "PHONE", operator)], Vault("a3f9"))
    assert redacted.text == expected


def test_hash_operator_is_keyed_stable_and_identifier_safe() -> None:
    text = "a jane@acme-corp.com b jane@acme-corp.com"
    found = [Target(2, 20, "EMAIL", "hash"), Target(23, 41, "EMAIL", "hash")]
    redacted = anonymize(text, found, Vault("a3f9"))
    first, second = redacted.text.split()[1], redacted.text.split()[3]
    assert first == second and first.startswith("EMAIL_") and first.isidentifier()
    assert "jane" not in redacted.text


def test_unknown_operator_fails_closed() -> None:
    with pytest.raises(ScanError):
        anonymize("abc", [Target(0, 1, "X", "rot13")], Vault("a3f9"))


def test_text_that_already_holds_this_vaults_placeholders_round_trips() -> None:
    vault = Vault("a3f9")
    first = anonymize("mail jane@acme-corp.com", [Target(5, 23, "EMAIL")], vault)
    assert first.text == "mail EMAIL_1_a3f9"
    # A later text quotes the placeholder literally next to a new address.
    text = "the token EMAIL_1_a3f9 means kim@acme-corp.com"
    second = anonymize(text, [Target(29, 46, "EMAIL")], vault)
    assert "kim@" not in second.text
    assert restore(second.text, vault).text == text


def test_placeholders_are_valid_in_code() -> None:
    text = 'ADMIN = "jane@acme-corp.com"  # ask jane@acme-corp.com\n'
    redacted = anonymize(text, [Target(9, 27, "EMAIL"), Target(36, 54, "EMAIL")], Vault("a3f9"))
    assert redacted.text == 'ADMIN = "EMAIL_1_a3f9"  # ask EMAIL_1_a3f9\n'
    compile(redacted.text, "x.py", "exec")
    assert "EMAIL_1_a3f9".isidentifier()
