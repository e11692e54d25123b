"""Dispatch by format name, and the promise that no format prints a value."""

from __future__ import annotations

import dataclasses
import itertools
import json

import pytest
from report_samples import make_finding, sample_result, sample_values

from leakguard.errors import ConfigError
from leakguard.models import Action, Category, Decision, ScanResult, Severity, Verdict
from leakguard.report import FORMATS, ReportOptions, render_report


def test_registry_names() -> None:
    assert set(FORMATS) == {"text", "json", "sarif"}


def test_unknown_format_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="html") as info:
        render_report(sample_result(), "html", ReportOptions())
    assert info.value.exit_code == 2


def test_default_options() -> None:
    assert render_report(sample_result(), "json") == render_report(
        sample_result(), "json", ReportOptions()
    )


def forms(text: str) -> set[str]:
    """The ways a string can appear in an output: as is, or JSON-escaped."""
    return {text, json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]}


def appears(text: str, rendered: str) -> bool:
    return any(form in rendered for form in forms(text))


ALL_OPTIONS = [
    ReportOptions(color=c, width=w, show_suppressed=s)
    for c, w, s in itertools.product([False, True], [None, 40], [False, True])
]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("options", ALL_OPTIONS)
def test_no_value_in_any_output(fmt: str, options: ReportOptions) -> None:
    rendered = render_report(sample_result(), fmt, options)
    for value in sample_values().values():
        assert not appears(value, rendered)
    assert appears("ghp_…(40 chars)", rendered)  # the masked form is there instead


def test_value_leaked_into_context_or_message_is_masked() -> None:
    # A detector bug must not become a leak: renderers re-mask display strings.
    value = "sk-" + "Lk9" * 10
    f = make_finding("k", Category.SECRET, Severity.HIGH, "m", "a.py", value, 1, 1)
    f = dataclasses.replace(f, context=f"key = {value}", message=f"found {value}")
    result = ScanResult(Verdict(Action.BLOCK, (Decision(f, Action.BLOCK),)), 1, 1)
    for fmt in FORMATS:
        rendered = render_report(result, fmt, ReportOptions(show_suppressed=True))
        assert not appears(value, rendered)
        assert appears(f.masked, rendered)
