"""PII detection with real Presidio: entity types in code and prose, look-alikes, policy
deny lists and custom recognizers, and the offline guarantees."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from leakguard.detectors.pii import PiiDetector, analysed_entities
from leakguard.models import Category, Fragment, Severity
from leakguard.policy import load_policy
from leakguard.policy.model import PiiRecognizer, PiiSettings


@pytest.fixture(scope="module")
def detector() -> Iterator[PiiDetector]:
    yield PiiDetector(PiiSettings())


def found(detector: PiiDetector, text: str) -> list[tuple[str, str]]:
    return [(f.entity or "", f.value) for f in detector.detect(Fragment(text, "t.txt"))]


# Card numbers are built at test time so no card-shaped literal sits in the source.
CARD = " ".join(["4532", "0151", "1283", "0366"])
CARD_2_SERIES = " ".join(["2720", "4817", "3915", "6203"])  # Mastercard 2221-2720
CARD_MIR = "-".join(["2200", "9876", "5432", "1019"])
SSN = "-".join(["536", "22", "8745"])
IBAN = "DE89 3704 0044 0532 0130 00"

POSITIVES = [
    # prose
    ("Please email jane.roe@acme-corp.com about the invoice.", "EMAIL_ADDRESS",
     "jane.roe@acme-corp.com"),
    ("You can reach me at (212) 555-0199 after five.", "PHONE_NUMBER", "(212) 555-0199"),
    ("<a href=\"tel:+44 20 7946 0958\">call</a>", "PHONE_NUMBER", "+44 20 7946 0958"),
    ("QQ: 12345678@qq.com", "EMAIL_ADDRESS", "12345678@qq.com"),
    ("Her mobile is +44 20 7946 0958.", "PHONE_NUMBER", "+44 20 7946 0958"),
    ("my number is 4155552671", "PHONE_NUMBER", "4155552671"),
    # a section word earlier in the sentence does not make the number a section
    ("Step 2: call 212-555-0199 to confirm.", "PHONE_NUMBER", "212-555-0199"),
    ("See table 3, or phone (212) 555-0199.", "PHONE_NUMBER", "(212) 555-0199"),
    (f"Charge it to {CARD} please", "CREDIT_CARD", CARD),
    (f"His SSN is {SSN}.", "US_SSN", SSN),
    ("ssn: 536228745", "US_SSN", "536228745"),
    (f"Wire the money to {IBAN} today", "IBAN_CODE", IBAN),
    ("The office router is 10.20.30.40 now", "IP_ADDRESS", "10.20.30.40"),
    ("client connected from 8.8.4.4", "IP_ADDRESS", "8.8.4.4"),
    ("DNS is 1.1.1.1", "IP_ADDRESS", "1.1.1.1"),
    ("IP=172.16.254.1;", "IP_ADDRESS", "172.16.254.1"),  # an assignment, not a version pin
    ("Text me on +44 7700 900123", "PHONE_NUMBER", "+44 7700 900123"),
    ("NL91ABNA0417164300 is the account", "IBAN_CODE", "NL91ABNA0417164300"),
    # a documented test number written as someone's card in prose still counts
    ("My Visa is 4111 1111 1111 1111, expiry 04/27", "CREDIT_CARD", "4111 1111 1111 1111"),
    (f"card: {CARD} exp 04/27 cvc 123", "CREDIT_CARD", CARD),
    (f"Mastercard {CARD_2_SERIES}, exp 11/28", "CREDIT_CARD", CARD_2_SERIES),
    (f"payment card {CARD_MIR}", "CREDIT_CARD", CARD_MIR),
    ("peer 2a00:1450:4001:81c::200e dropped", "IP_ADDRESS", "2a00:1450:4001:81c::200e"),
    # code
    ('ADMIN = "ops.lead@globex.io"  # on call', "EMAIL_ADDRESS", "ops.lead@globex.io"),
    ("    send_sms('+1 415-555-2671', body)", "PHONE_NUMBER", "+1 415-555-2671"),
    (f'CUSTOMER_CARD = "{CARD}"', "CREDIT_CARD", CARD),
    (f"{{'ssn': '{SSN}', 'name': x}}", "US_SSN", SSN),
    (f'iban = "{IBAN.replace(" ", "")}"', "IBAN_CODE", IBAN.replace(" ", "")),
    ('DB_HOST = "52.14.201.7"', "IP_ADDRESS", "52.14.201.7"),
    ("// fallback: 192.168.1.23", "IP_ADDRESS", "192.168.1.23"),
]


@pytest.mark.parametrize(("text", "entity", "value"), POSITIVES)
def test_each_entity_is_found_in_code_and_prose(
    detector: PiiDetector, text: str, entity: str, value: str
) -> None:
    assert (entity, value) in found(detector, text)


LOOKALIKES = [
    'version = "1.2.3.4"',
    "requires = ['requests>=2.31.0.1']",
    "pip install 'pkg==1.20.30.4' and 'other~=2.10.11.12'",
    "released v10.12.0.1 on 2023-11-28 12:30:45",
    "timestamp: 2024-01-15 14:22:31",
    "date 15/01/2024 and 2024.01.15",
    "commit 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39",
    "id 123e4567-e89b-12d3-a456-426614174000",
    "uuid 9b2c8d21-5550-4199-8f1e-2d5a33f7c9b0",
    "sha256: 536228745a9f0e17c3b5d6e7f8091a2b3c4d5e6f70819a2b3c4d5e6f7081",
    "send to noreply@acme-corp.com",
    "From: no-reply@github.com",
    "contact user@example.com or admin@mail.example.org",
    "bob@test and alice@service.localhost",
    "git clone git@github.com:acme/widgets.git",
    "icon@2x.png and logo@3x.webp",
    "npm i @types/node@20.1.0",
    "Stripe test card 4242 4242 4242 4242 works",
    "card = '4111111111111111'  # braintree sandbox",
    "stripe.charge(number='5555555555554444')",
    "Use 6011 1111 1111 1117 in the sandbox",
    "bind 127.0.0.1:8080 and 0.0.0.0",
    "docs use 192.0.2.10 and 2001:db8::1 and ::1",
    "oid 1.3.6.1.4.1.311",
    "self.assertEqual(b[::5], 'a') and x[1::2]",
    "# the HTML 5 spec, section 8.1.2.2, says",
    "versions 2.7.2.2 and 3.1.1.6, e.g. ['7.1.4.34', 1806]",
    "netmask 255.255.255.224, hostmask 0.0.0.31",
    "IPv6Address('ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0')",
    "timeout_ms = 3600000",
    "MAX_INT = 2147483647",
    "buffer = bytearray(65536)",
    "port 5432, pid 12345, size 1048576",
    # A row of code points: four groups that pass the Luhn check, in a longer row.
    "5592 5593 5594 5595 5596 5597 5598 5599 559A 559B 559C 559D",
    " * @jvms 4.7.16.1 The {@code element_value} structure",
    " * Inc., 51 Franklin St, Fifth Floor, Boston, MA 02110-1301 USA.",
    "log1000 log -0.0 0.0 -> -inf 3.1415926535897931         divide-by-zero",
    "fmax3011 fma  1   '0.4444444444'  '0.5555555555' -> '1.00000000' Inexact Rounded",
    # Long numbers that pass the Luhn check but start where no card network does.
    "ddsub624 subtract 0.4 '1231234567456789' -> '-1231234567456789' Inexact Rounded",
    "ddor045 or 111110000000 1000010000000000 -> 1000111110000000",
    # Code point ranges, collation weights, the fraction of a timestamp's seconds.
    "            0x0951,   // 0951..0954; INHERITED",
    "0FAD  ; [.3309.0020.0002] # TIBETAN SUBJOINED LETTER WA",
    "            ('2020-06-01T04:05:06.111111-04:00',",
    "5414 5415 5416 5417 20BBF 20BC6 56DD 56DE 56DF 56E0",
    # Message-IDs: a UUID or a hash before the '@'.
    '    "<f30c0419-f549-4218-848f-d7d0131da931@y3g2000vbm.googlegroups.com>",',
    "Message-ID: <5d41402abc4b2a76b9719d911017c592@mail.gmail.com>",
    # Certificate extension OIDs and serial bytes.
    '        byte[] extVal = xcert.getExtensionValue("2.5.29.14");',
    "                    cb:2d:80:99:5a:69:52:5f",
    # A contract clause, a negative number next to the word "number", an id in a URL.
    "in Clause 252.227-7013 (c) (1) of DFARs.  Notwithstanding the",
    "as required by section 212-555-0199 of the code",
    "see § 415.555.2671 for details",
    # Bare numbers with a phone word near them that are ids or made-up values.
    "// is a cell editor in JTable. See 6348946.",
    "// faster than 8 individual write() calls (see 6347575 for details).",
    "// workaround for cancelling a phone entry (bug 4530953)",
    "* Typically one hour (3600000); call it again after 1800000.",
    'bigDataList.setPrototypeCellValue("phone 1234567890");',
    "the cell holds the number 999999999",
    "external_exports2.number().int().min(-2147483648, {",
    "* [Array copy](https://chromestatus.com/feature/5068609911521280)",
    "ddcan002 apply 0                      -> #2238000000000000",
]


@pytest.mark.parametrize("text", LOOKALIKES)
def test_code_lookalikes_are_not_reported(detector: PiiDetector, text: str) -> None:
    assert found(detector, text) == []


def test_finding_records_offsets_masked_value_and_category(detector: PiiDetector) -> None:
    text = "line one\ncall (212) 555-0199 now\n"
    findings = detector.detect(Fragment(text, "notes.md", line_start=10))
    assert len(findings) == 1
    finding = findings[0]
    assert text[finding.start : finding.end] == "(212) 555-0199"
    assert (finding.line, finding.column, finding.end_column) == (11, 6, 20)
    assert finding.category is Category.PII
    assert finding.rule_id == "pii-phone-number"
    assert "555-0199" not in finding.masked
    assert finding.fingerprint.startswith("sha256:")


def test_severe_entities_rank_high(detector: PiiDetector) -> None:
    findings = detector.detect(Fragment(f"SSN {SSN}", "x"))
    assert [f.severity for f in findings] == [Severity.HIGH]


def test_fragment_line_filter_applies(detector: PiiDetector) -> None:
    text = "a 10.20.30.40\nb 10.20.30.41\n"
    findings = detector.detect(Fragment(text, "x", lines=frozenset({2})))
    assert [f.value for f in findings] == ["10.20.30.41"]


def test_policy_allow_lists(tmp_path: Path) -> None:
    settings = PiiSettings(
        allow=("support@acme-corp.com",),
        allow_patterns=(r"qa-\d+@acme-corp\.com",),
        allow_networks=("10.0.0.0/8",),
    )
    detector = PiiDetector(settings)
    text = "support@acme-corp.com qa-7@acme-corp.com 10.1.2.3 jane@acme-corp.com"
    assert found(detector, text) == [("EMAIL_ADDRESS", "jane@acme-corp.com")]


def test_entities_restrict_what_is_reported() -> None:
    detector = PiiDetector(PiiSettings(entities=("EMAIL_ADDRESS",)))
    assert found(detector, "jane@acme-corp.com 10.20.30.40") == [
        ("EMAIL_ADDRESS", "jane@acme-corp.com")
    ]


def test_deny_lists_and_custom_recognizers_from_a_policy_file(tmp_path: Path) -> None:
    (tmp_path / ".leakguard.yaml").write_text(
        "version: 1\n"
        "pii:\n"
        "  deny_lists:\n"
        "    CUSTOMER: [Globex, Initech Corp]\n"
        "    PROJECT: [BLUEBIRD]\n"
        "  recognizers:\n"
        "    - entity: EMPLOYEE_ID\n"
        "      pattern: '\\bEMP-\\d{6}\\b'\n"
        "      score: 0.3\n"
        "      context: [employee, badge]\n"
        "    - entity: TICKET\n"
        "      pattern: '\\bTCK-[0-9]{5}\\b'\n",
        encoding="utf-8",
    )
    policy = load_policy(tmp_path, None)
    assert policy.pii.recognizers[0] == PiiRecognizer(
        "EMPLOYEE_ID", r"\bEMP-\d{6}\b", 0.3, ("employee", "badge")
    )
    detector = PiiDetector(policy.pii)
    text = (
        "# Project Bluebird: migrate globex and Initech Corp by Friday\n"
        "other = 'EMP-654321'\n"
        "owner = employee_badge('EMP-123456')\n"
        "see TCK-12345\n"
    )
    assert found(detector, text) == [
        ("PROJECT", "Bluebird"),
        ("CUSTOMER", "globex"),
        ("CUSTOMER", "Initech Corp"),
        ("EMPLOYEE_ID", "EMP-123456"),  # 0.3 + a context word before it: reported
        ("TICKET", "TCK-12345"),
    ]  # EMP-654321 has no context word: 0.3 stays under min_score


def test_analysed_entities_add_deny_lists_custom_and_ner() -> None:
    settings = PiiSettings(
        entities=("EMAIL_ADDRESS", "PERSON"),
        deny_lists={"CUSTOMER": ("Globex",)},
        recognizers=(PiiRecognizer("TICKET", "T-1"),),
        ner_model="some-model",
    )
    assert analysed_entities(settings) == ("EMAIL_ADDRESS", "CUSTOMER", "TICKET", "PERSON")


def test_email_validation_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    detector = PiiDetector(PiiSettings(entities=("EMAIL_ADDRESS",)))
    assert found(detector, "mail kim.lee@acme-corp.co.uk now") == [
        ("EMAIL_ADDRESS", "kim.lee@acme-corp.co.uk")
    ]
    assert found(detector, "not an address: kim@acme.notatld") == []
    assert attempts == []


def test_a_clean_fragment_never_builds_the_engine() -> None:
    detector = PiiDetector(PiiSettings())
    assert detector.detect(Fragment("def add(a, b):\n    return a + b\n", "x.py")) == []
    assert detector.detect(Fragment("bind('127.0.0.1', 8080)\n", "x.py")) == []
    assert detector._engine is None
