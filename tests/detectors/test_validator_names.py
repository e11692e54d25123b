"""The names rules are checked against before the validators load are the registry's."""

from __future__ import annotations

import pytest

from leakguard.detectors import validators
from leakguard.detectors.secrets import SecretDetector
from leakguard.errors import ConfigError
from leakguard.rulepack import rule_from_mapping


def test_names_are_the_registry() -> None:
    assert set(validators.registry()) == validators.NAMES


def test_an_unknown_validator_is_refused_up_front() -> None:
    raw = {"id": "demo", "description": "demo", "keywords": ["dmo_"],
           "pattern": r"dmo_([a-z]{8})", "validators": ["no-such-check"],
           "examples": ["x"], "counterexamples": ["y"]}
    with pytest.raises(ConfigError, match="unknown validator no-such-check"):
        SecretDetector((rule_from_mapping(raw, "test"),))
