"""The NER path for real: a spaCy pipeline built in the test (blank English plus an
entity ruler), saved to a folder and named by path in the policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.detectors.pii import PiiDetector
from leakguard.errors import ConfigError
from leakguard.models import Fragment
from leakguard.policy import load_policy
from leakguard.policy.model import PiiSettings


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(  # type: ignore[attr-defined]
        [
            {"label": "PERSON", "pattern": [{"LOWER": "ada"}, {"LOWER": "lovelace"}]},
            {"label": "ORG", "pattern": "Wayne Enterprises"},
            {"label": "GPE", "pattern": "Gotham"},
        ]
    )
    folder = tmp_path_factory.mktemp("ner") / "pipeline"
    nlp.to_disk(folder)
    return folder


def test_ner_entities_are_found_through_the_policy(pipeline: Path, tmp_path: Path) -> None:
    (tmp_path / ".leakguard.yaml").write_text(
        f"version: 1\npii:\n  ner_model: {str(pipeline)!r}\n"
        "  entities: [EMAIL_ADDRESS, PERSON, ORGANIZATION, LOCATION]\n",
        encoding="utf-8",
    )
    detector = PiiDetector(load_policy(tmp_path, None).pii)
    text = (
        "# TODO ask Ada Lovelace why Wayne Enterprises in Gotham\n"
        "# still mails ada@wayne-enterprises.co\n"
    )
    found = [(f.entity, f.value) for f in detector.detect(Fragment(text, "x.py"))]
    assert found == [
        ("PERSON", "Ada Lovelace"),
        ("ORGANIZATION", "Wayne Enterprises"),
        ("LOCATION", "Gotham"),
        ("EMAIL_ADDRESS", "ada@wayne-enterprises.co"),
    ]


def test_ner_reads_text_without_pattern_candidates(pipeline: Path) -> None:
    detector = PiiDetector(PiiSettings(entities=("PERSON",), ner_model=str(pipeline)))
    found = detector.detect(Fragment("written by ada lovelace\n", "x.md"))
    assert [(f.entity, f.value) for f in found] == [("PERSON", "ada lovelace")]


def test_a_named_but_missing_model_is_a_config_error_naming_the_install() -> None:
    with pytest.raises(ConfigError) as caught:
        PiiDetector(PiiSettings(ner_model="xx_leakguard_missing_model"))
    message = str(caught.value)
    assert "xx_leakguard_missing_model" in message
    assert "python -m spacy download xx_leakguard_missing_model" in message


def test_policy_check_says_when_only_patterns_run(tmp_path: Path) -> None:
    from leakguard.policy.summary import summary_lines

    policy = load_policy(tmp_path, None)
    assert any("pattern recognizers only" in line for line in summary_lines(policy))
