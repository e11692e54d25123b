"""Records on the Record base behave exactly like generated frozen dataclasses.

Each record is compared with a twin made by ``dataclasses.make_dataclass`` from the same
fields (plain ``frozen=True``): equality, hashing and repr must agree on equal, unequal
and differently-typed instances, and the records stay frozen.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from leakguard import models
from leakguard.audit import chain, content, event, sqlbase
from leakguard.detectors.pii import Hit
from leakguard.detectors.pii_prefilter import Prefilter
from leakguard.integrations import answer, hookfiles, install, shellread
from leakguard.models import Action, Category, Decision, Finding, Fragment, Severity, Skip, Verdict
from leakguard.policy import model as policy_model
from leakguard.record import Record
from leakguard.report.options import ReportOptions
from leakguard.rulepack import Rule
from leakguard.sources.files import WalkOptions
from leakguard.sources.git import Repo
from leakguard.sources.git_patch import RawEntry
from leakguard.sources.git_run import GitContext

FINDING = Finding(
    rule_id="demo", category=Category.SECRET, severity=Severity.HIGH, message="demo",
    path="a.py", start=4, end=12, line=1, column=5, end_line=1, end_column=13,
    masked="dmo_…(8 chars)", fingerprint="sha256:" + "0" * 64, value="dmo_" + "abcd",
)
SAMPLES: dict[str, dict[str, Any]] = {
    "Fragment": {"text": "x = 1\n", "path": "a.py"},
    "Skip": {"path": "b.bin", "reason": "binary"},
    "Finding": {f.name: getattr(FINDING, f.name) for f in dataclasses.fields(Finding)},
    "Decision": {"finding": FINDING, "action": Action.BLOCK},
    "Verdict": {"action": Action.BLOCK, "decisions": (Decision(FINDING, Action.BLOCK),)},
    "ScanResult": {"verdict": Verdict(Action.ALLOW, ()), "files": 1, "bytes": 6},
    "Destination": {"name": "anthropic", "upstream": "https://api.anthropic.com"},
    "PiiRecognizer": {"entity": "CUSTOMER_ID", "pattern": "C-[0-9]{6}"},
    "Hit": {"entity": "EMAIL_ADDRESS", "start": 3, "end": 20, "score": 0.85},
    "Prefilter": {"email": True, "digits": False, "iban": False, "ip": True, "terms": None,
                  "custom": ()},
    "GitContext": {"cwd": "/repo", "env": {"LC_ALL": "C"}},
    "Repo": {"ctx": GitContext("/repo", {"LC_ALL": "C"}), "git_dir": "/repo/.git",
             "toplevel": "/repo"},
    "RawEntry": {"status": "M", "old_mode": "100644", "new_mode": "100644", "old_sha": "a" * 40,
                 "new_sha": "b" * 40, "path": "a.py"},
    "AuditEvent": {"ts": "2026-01-01T00:00:00.000000Z", "user": "ann", "host": "h", "tool": "t",
                   "door": "hook", "destination": "anthropic", "verdict": "allow",
                   "findings": (event.FindingRecord("r", "secret", "block", "sha256:0"),)},
    "FindingRecord": {"rule_id": "r", "category": "secret", "action": "block",
                      "fingerprint": "sha256:0", "count": 2, "bytes": 9},
    "Problem": {"position": 2, "kind": "edited", "message": "event 2 was edited"},
    "VerifyResult": {"count": 3, "keyed": True},
    "Filters": {"since": "2026-01-01", "tool": "claude-code"},
    "Opened": {"status": "plain", "data": b"x"},
    "Leaf": {"path": ("content", 0), "text": "x"},
    "ReadCheck": {"verdict": None, "problems": ("too large",), "fragments": ()},
    "Change": {"path": "settings.json", "action": "installed"},
    "Read": {"path": "a.py", "recursive": True},
    "Rule": {"id": "demo", "description": "demo", "category": Category.SECRET,
             "severity": Severity.HIGH, "keywords": ("dmo_",), "pattern": "dmo_[a-z]+",
             "secret_group": 0, "ignore_case": False, "max_length": 64, "entropy": None,
             "validators": (), "allow": (), "examples": ("x",), "counterexamples": ("y",)},
}


def records() -> list[type[Record]]:
    found: list[type[Record]] = [Rule, Hit, Prefilter, ReportOptions, WalkOptions, Repo,
                                 RawEntry, GitContext]
    for module in (models, policy_model, event, chain, sqlbase, content, answer, hookfiles,
                   install, shellread):
        found += [v for v in vars(module).values()
                  if isinstance(v, type) and issubclass(v, Record) and v is not Record]
    return found


def twin(cls: type[Any]) -> type[Any]:
    """The same fields as a plain frozen dataclass (generated methods)."""
    specs = []
    for f in dataclasses.fields(cls):
        kwargs: dict[str, Any] = {"repr": f.repr, "compare": f.compare, "hash": f.hash}
        if f.default is not dataclasses.MISSING:
            kwargs["default"] = f.default
        if f.default_factory is not dataclasses.MISSING:
            kwargs["default_factory"] = f.default_factory
        specs.append((f.name, f.type, dataclasses.field(**kwargs)))
    made = dataclasses.make_dataclass(cls.__name__, specs, frozen=True)
    made.__qualname__ = cls.__qualname__
    return made


def outcome(call: Any) -> Any:
    try:
        return ("ok", call())
    except Exception as exc:  # hashing a record that holds a mapping raises
        return ("raises", type(exc))


def altered(values: dict[str, Any], cls: type[Any]) -> dict[str, Any]:
    """The same values with the first compared string, number or tuple field changed."""
    for f in dataclasses.fields(cls):
        value = values.get(f.name)
        if not f.compare or isinstance(value, bool):
            continue
        if isinstance(value, str | int | float):
            return {**values, f.name: value + (1 if isinstance(value, int | float) else "x")}
        if isinstance(value, tuple):
            return {**values, f.name: (*value, "x")}
    raise AssertionError(f"{cls.__name__}: no plain field to alter")


@pytest.mark.parametrize("cls", records(), ids=lambda c: c.__name__)
def test_record_matches_a_generated_dataclass(cls: type[Any]) -> None:
    assert dataclasses.is_dataclass(cls)
    values = SAMPLES.get(cls.__name__)
    if values is None:  # all defaults: spell them out so one can be changed
        default = cls()
        values = {f.name: getattr(default, f.name) for f in dataclasses.fields(cls) if f.init}
    ref = twin(cls)
    ours, theirs = cls(**values), ref(**values)
    assert repr(ours) == repr(theirs)
    assert outcome(lambda: hash(ours)) == outcome(lambda: hash(theirs))
    assert ours == cls(**values) and theirs == ref(**values)
    assert outcome(lambda: hash(ours) == hash(cls(**values))) == outcome(
        lambda: hash(theirs) == hash(ref(**values)))
    changed = altered(values, cls)
    assert (ours == cls(**changed)) == (theirs == ref(**changed)) is False
    assert ours != object() and ours.__eq__(object()) is NotImplemented
    first = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(ours, first, None)


def test_a_finding_never_shows_or_compares_its_value() -> None:
    other = dataclasses.replace(FINDING, value="dmo_" + "zzzz")
    assert other == FINDING and hash(FINDING) == hash(other)
    assert "abcd" not in repr(FINDING) and "value=" not in repr(FINDING)


def test_skip_equality_and_hash_follow_its_fields() -> None:
    assert {Skip("a", "binary"), Skip("a", "binary")} == {Skip("a", "binary")}
    assert Skip("a", "binary") != Skip("a", "too-large")
    assert Fragment("x", "a.py") != Skip("a.py", "x")


def test_no_record_falls_back_to_identity_equality() -> None:
    """Declared like a record (``eq=False, repr=False``) but without the Record base, a
    class would compare by identity. (``eq=False`` alone is a deliberate choice.)"""
    import importlib
    import pkgutil

    import leakguard

    for info in pkgutil.walk_packages(leakguard.__path__, "leakguard."):
        if info.name == "leakguard.__main__":
            continue  # runs the CLI
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (isinstance(value, type) and dataclasses.is_dataclass(value)
                    and value.__module__ == module.__name__
                    and not value.__dataclass_params__.eq  # type: ignore[attr-defined]
                    and not value.__dataclass_params__.repr):  # type: ignore[attr-defined]
                assert issubclass(value, Record), f"{info.name}.{value.__name__}"
