"""Small builders shared by the policy tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from leakguard.models import Category, Finding, Severity


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def finding(rule_id: str = "github-pat", category: Category = Category.SECRET) -> Finding:
    value = "ghp_" + "Zr8K" * 9
    return Finding(
        rule_id=rule_id,
        category=category,
        severity=Severity.HIGH,
        message="test finding",
        path="app.py",
        start=0,
        end=len(value),
        line=1,
        column=1,
        end_line=1,
        end_column=len(value) + 1,
        masked="ghp_…(40 chars)",
        fingerprint="sha256:" + "0" * 64,
        value=value,
    )
