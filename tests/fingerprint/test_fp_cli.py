"""`leakguard index build|update|stats` through the click group."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from fp_corpus import STDLIB

from leakguard.cli import index_cmd


@pytest.fixture()
def cli() -> click.Group:
    group = click.Group("leakguard")
    index_cmd.register(group)
    return group


def test_build_stats_update(
    cli: click.Group, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    for name in ("heapq.py", "bisect.py"):
        (tmp_path / "src" / name).write_text((STDLIB / name).read_text("utf-8"), "utf-8")
    runner = CliRunner()
    built = runner.invoke(cli, ["index", "build", "src"])
    assert built.exit_code == 0, built.output
    assert "2 files fingerprinted" in built.output
    assert (tmp_path / ".leakguard" / "index").is_file()

    shown = runner.invoke(cli, ["index", "stats", "--json"])
    figures = json.loads(shown.output)
    assert figures["files"] == 2 and figures["fingerprints"] > 100

    (tmp_path / "src" / "bisect.py").write_text("def f():\n    pass\n", "utf-8")
    updated = runner.invoke(cli, ["index", "update"])
    assert "1 files fingerprinted, 1 unchanged, 0 removed" in updated.output


def test_stats_without_an_index_is_a_config_error(
    cli: click.Group, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["index", "stats"])
    assert result.exit_code != 0
    assert "cannot read fingerprint index" in str(result.exception)


def test_build_with_the_key_kept_outside(
    cli: click.Group, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "heapq.py").write_text((STDLIB / "heapq.py").read_text("utf-8"), "utf-8")
    runner = CliRunner()
    monkeypatch.setenv("ACME_FP_KEY", "ab" * 32)
    built = runner.invoke(cli, ["index", "build", "src", "--key-env", "ACME_FP_KEY"])
    assert built.exit_code == 0, built.output
    assert b"ab" * 32 not in (tmp_path / ".leakguard" / "index").read_bytes()
    shown = runner.invoke(cli, ["index", "stats", "--json"])
    assert json.loads(shown.output)["key"] == "from $ACME_FP_KEY"
    monkeypatch.setenv("ACME_FP_KEY", "short")
    refused = runner.invoke(cli, ["index", "build", "src", "--key-env", "ACME_FP_KEY"])
    assert refused.exit_code != 0
