"""redact | restore gives back the input byte for byte: property-based over mixed text
(code, prose, PII, secrets, placeholder look-alikes) and over a corpus of real files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leakguard.detectors import Detector
from leakguard.detectors.build import build_detectors
from leakguard.models import Fragment
from leakguard.policy import load_policy
from leakguard.policy.model import Policy
from leakguard.scan import run_pipeline
from leakguard.transform.anonymize import anonymize, targets
from leakguard.transform.restore import restore
from leakguard.transform.vault import Vault
from tests.helpers import fake_aws_key_id

REPO = Path(__file__).resolve().parents[2]
TAG = "a3f9"


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Policy, list[Detector]]]:
    root = tmp_path_factory.mktemp("policy")
    # Secrets anonymized too, so they share the placeholder mechanism in this test.
    (root / ".leakguard.yaml").write_text(
        "version: 1\ndefault_action: {secret: anonymize, pii: anonymize, proprietary: warn}\n"
        "pii:\n  deny_lists: {CUSTOMER: [Globex]}\n",
        encoding="utf-8",
    )
    policy = load_policy(root, None)
    yield policy, build_detectors(policy)


def redact(text: str, vault: Vault, setup: tuple[Policy, list[Detector]]) -> str:
    policy, detectors = setup
    result = run_pipeline([Fragment(text, "t")], detectors, policy)
    return anonymize(text, targets(result.verdict.decisions, policy.pii.operators), vault).text


def prefilled_vault() -> Vault:
    vault = Vault(TAG)
    vault.placeholder_for("jane.roe@acme-corp.com", "EMAIL")
    vault.placeholder_for("10.20.30.40", "IP")
    return vault


PIECES = [
    "jane.roe@acme-corp.com", "kim@globex.io", "(212) 555-0199", "+44 20 7946 0958",
    "4532 0151 1283 0366", "536-22-8745", "DE89 3704 0044 0532 0130 00", "10.20.30.40",
    "8.8.4.4", "Globex", "globex", fake_aws_key_id(), "127.0.0.1", "v1.2.3.4",
    "2024-01-15 14:22:31", "noreply@example.com",
    # placeholder look-alikes: this vault's tag, other tags, partial shapes
    f"EMAIL_1_{TAG}", f"IP_1_{TAG}", f"EMAIL_2_{TAG}", f"PHONE_7_{TAG}", "EMAIL_1_beef",
    f"LITERAL_1_{TAG}", f"_1_{TAG}", "EMAIL_", f"X{'EMAIL_1_'}{TAG}",
    'def f(x):\n    return x + 1\n', "# comment: call me\n", "phone: ", "ssn ", " ", "\n",
    '"', "'", "=", ",", "é", "日本",
]


@settings(
    max_examples=150, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(parts=st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=40))
def test_redact_then_restore_is_identity(
    parts: list[str], setup: tuple[Policy, list[Detector]]
) -> None:
    text = "".join(parts)
    vault = prefilled_vault()
    redacted = redact(text, vault, setup)
    assert restore(redacted, vault).text == text
    # Glued pieces can make new words; kept apart, the values must not get through.
    apart = "\n".join(parts)
    redacted = redact(apart, vault, setup)
    assert restore(redacted, vault).text == apart
    for value in ("jane.roe@acme-corp.com", "536-22-8745", fake_aws_key_id(), "Globex"):
        if value in parts:
            assert value not in redacted


def corpus() -> list[Path]:
    files = sorted((REPO / "leakguard").rglob("*.py"))[:40]
    files += sorted((REPO / "rules").glob("*.yaml"))[:5]
    files += [p for p in (REPO / "DESIGN.md", REPO / "README.md") if p.exists()]
    return files


def test_round_trip_on_a_corpus_of_real_files(setup: tuple[Policy, list[Detector]]) -> None:
    vault = prefilled_vault()
    mixed = "\n".join(PIECES * 3)
    texts = [p.read_text(encoding="utf-8") for p in corpus()] + [mixed]
    assert len(texts) > 20
    for text in texts:
        assert restore(redact(text, vault, setup), vault).text == text
    assert "jane.roe@acme-corp.com" not in redact(mixed, vault, setup)
