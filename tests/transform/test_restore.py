"""Restoring placeholders: whole texts, unknown placeholders, and streams cut anywhere."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from leakguard.transform.restore import StreamingRestorer, restore
from leakguard.transform.vault import Vault


def sample_vault() -> Vault:
    vault = Vault("a3f9")
    vault.placeholder_for("jane@acme-corp.com", "EMAIL")
    vault.placeholder_for("(212) 555-0199", "PHONE")
    for number in range(12):
        vault.placeholder_for(f"10.0.0.{number}", "IP")
    return vault


def test_restore_known_and_report_unknown() -> None:
    vault = sample_vault()
    text = 'to = "EMAIL_1_a3f9"  # PHONE_1_a3f9, EMAIL_7_a3f9, EMAIL_1_beef, IP_12_a3f9'
    restored = restore(text, vault)
    assert restored.text == (
        'to = "jane@acme-corp.com"  # (212) 555-0199, EMAIL_7_a3f9, EMAIL_1_beef, 10.0.0.11'
    )
    assert restored.restored == 3
    assert restored.unknown == ("EMAIL_7_a3f9",)


def test_glued_placeholders_restore() -> None:
    vault = sample_vault()
    assert restore("xEMAIL_1_a3f9y IP_1_a3f9IP_2_a3f9", vault).text == (
        "xjane@acme-corp.comy 10.0.0.010.0.0.1"
    )


def stream(text: str, cuts: list[int], vault: Vault) -> tuple[str, StreamingRestorer]:
    restorer = StreamingRestorer(vault)
    out, start = [], 0
    for cut in sorted(set(cuts)):
        out.append(restorer.feed(text[start:cut]))
        start = cut
    out.append(restorer.feed(text[start:]))
    out.append(restorer.finish())
    return "".join(out), restorer


def test_a_placeholder_split_across_chunks_is_restored() -> None:
    vault = sample_vault()
    text = "mail EMAIL_1_a3f9 now"
    for cut in range(len(text) + 1):
        restored, _ = stream(text, [cut], vault)
        assert restored == "mail jane@acme-corp.com now"


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(
            ["EMAIL_1_a3f9", "PHONE_1_a3f9", "IP_11_a3f9", "IP_1_a3f9", "EMAIL_9_a3f9", "_a3f9",
             "EMAIL_", " ", "\n", "x", "é", "IP_1", "_1_a3f9"]
        )
        | st.text(max_size=6),
        max_size=30,
    ),
    cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=12),
)
def test_streaming_equals_whole_text_restore(parts: list[str], cuts: list[int]) -> None:
    vault = sample_vault()
    text = "".join(parts)
    restored, restorer = stream(text, [c for c in cuts if c <= len(text)], vault)
    whole = restore(text, vault)
    assert restored == whole.text
    assert restorer.restored == whole.restored
