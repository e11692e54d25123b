"""The click-free parser of `leakguard scan` agrees with click, or leaves the call to it."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from leakguard.cli.scan_args import parse
from leakguard.cli.scan_cmd import scan_command
from leakguard.cli.scan_run import scan
from tests.helpers import run_cli

DEFAULTS = {
    name: p.default for name, p in inspect.signature(scan).parameters.items() if name != "paths"
}


def by_click(args: list[str]) -> dict[str, object]:
    ctx = scan_command.make_context("scan", list(args))
    return dict(ctx.params)


def by_fast_parser(args: list[str]) -> dict[str, object] | None:
    parsed = parse(list(args))
    if parsed is None:
        return None
    paths, options = parsed
    return {"paths": paths, **DEFAULTS, **options}


@pytest.fixture()
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "policy.yaml").write_text("version: 1\n")
    return tmp_path


ACCEPTED = [
    [],
    ["a.py"],
    ["-"],
    ["a.py", "sub", "-"],
    ["--staged"],
    ["--staged", "sub"],
    ["--format", "json", "a.py"],
    ["--format=sarif", "a.py"],
    ["a.py", "--format", "text"],
    ["-o", "out.json", "--format", "json", "a.py"],
    ["--output", "out.txt", "a.py"],
    ["--output=out.txt", "a.py"],
    ["--policy", "policy.yaml", "a.py"],
    ["--policy=policy.yaml", "a.py"],
    ["--destination", "anthropic", "a.py"],
    ["--destination="],
    ["--color", "a.py"],
    ["--no-color", "a.py"],
    ["--github-annotations", "--diff", "main...HEAD"],
    ["--diff=HEAD~1"],
    ["missing.py"],
]


@pytest.mark.parametrize("args", ACCEPTED, ids=lambda a: " ".join(a) or "(none)")
def test_fast_parser_matches_click(here: Path, args: list[str]) -> None:
    fast = by_fast_parser(args)
    assert fast is not None, "the fast parser should take these"
    assert fast == by_click(args)


DECLINED = [
    ["--help"],
    ["-h"],
    ["--history"],
    ["--history", "main..HEAD"],
    ["--", "a.py"],
    ["-ojson"],
    ["-o=out.json"],
    ["--form", "json"],
    ["--format", "xml"],
    ["--format", "JSON"],
    ["--format"],
    ["-o"],
    ["--output", "-"],
    ["--output", "sub"],
    ["--policy", "sub"],
    ["--staged=yes"],
    ["--color", "--no-color"],
    ["--format", "json", "--format", "text"],
    ["--staged", "--staged"],
    ["-x"],
    ["a\0b"],
]


@pytest.mark.parametrize("args", DECLINED, ids=lambda a: " ".join(a))
def test_fast_parser_leaves_the_rest_to_click(here: Path, args: list[str]) -> None:
    assert parse(list(args)) is None


def test_policy_from_the_environment(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEAKGUARD_POLICY", "policy.yaml")
    assert by_fast_parser(["a.py"]) == by_click(["a.py"])
    assert by_fast_parser(["--policy", "other.yaml", "a.py"]) == by_click(
        ["--policy", "other.yaml", "a.py"]
    )
    monkeypatch.setenv("LEAKGUARD_POLICY", "")
    assert by_fast_parser(["a.py"]) == by_click(["a.py"])
    monkeypatch.setenv("LEAKGUARD_POLICY", "sub")  # a folder: click's error, not ours
    assert parse(["a.py"]) is None


def test_both_doors_answer_alike(here: Path) -> None:
    """The same scan through the fast path and through click (an abbreviation-free
    spelling only click takes: the `--` separator)."""
    fast = run_cli("scan", "--format", "json", "a.py", cwd=here)
    slow = run_cli("scan", "--format", "json", "--", "a.py", cwd=here)
    assert (fast.returncode, fast.stdout, fast.stderr) == (slow.returncode, slow.stdout,
                                                           slow.stderr)


def test_usage_errors_still_come_from_click(here: Path) -> None:
    result = run_cli("scan", "--format", "xml", "a.py", cwd=here)
    assert result.returncode == 2
    assert "Invalid value for '--format'" in result.stderr
    result = run_cli("scan", "--output", "sub", "a.py", cwd=here)
    assert result.returncode == 2
    assert "is a directory" in result.stderr
