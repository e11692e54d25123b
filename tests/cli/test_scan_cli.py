"""`leakguard scan` end to end: exit codes, formats, skips and bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import fake_aws_key_id, fake_github_pat, run_cli


@pytest.fixture()
def leaky(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(f'TOKEN = "{fake_github_pat()}"\nprint("hi")\n')
    (tmp_path / "clean.py").write_text("def add(a, b):\n    return a + b\n")
    return tmp_path


def test_blocked_secret_exits_1_and_is_masked(leaky: Path) -> None:
    result = run_cli("scan", str(leaky), "--no-color")
    assert result.returncode == 1, result.stderr
    assert "app.py:1:10" in result.stdout
    assert "ghp_…(40 chars)" in result.stdout
    assert fake_github_pat() not in result.stdout + result.stderr


def test_clean_file_exits_0(leaky: Path) -> None:
    result = run_cli("scan", str(leaky / "clean.py"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_stdin(leaky: Path) -> None:
    result = run_cli("scan", "-", "--format", "json", stdin=f"id = {fake_aws_key_id()}\n".encode())
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["decision"] == "block"
    (finding,) = report["findings"]
    assert finding["path"] == "-"
    assert (finding["start"], finding["end"]) == (5, 25)
    assert finding["rule_id"].startswith("aws")


def test_json_contract_keys(leaky: Path) -> None:
    result = run_cli("scan", str(leaky), "--format", "json")
    report = json.loads(result.stdout)
    assert list(report)[:4] == ["version", "decision", "findings", "summary"]
    (finding,) = report["findings"]
    expected = {
        "rule_id", "category", "severity", "action", "path", "line", "column", "end_line",
        "end_column", "start", "end", "masked", "fingerprint", "commit", "message",
    }
    assert expected <= set(finding)
    assert finding["path"].endswith("app.py")
    assert (finding["line"], finding["column"], finding["end_column"]) == (1, 10, 50)
    assert finding["fingerprint"].startswith("sha256:")
    assert report["summary"]["files"] == 2
    assert report["summary"]["blocked"] == 1


def test_output_file(leaky: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    result = run_cli("scan", str(leaky), "--format", "sarif", "--output", str(out))
    assert result.returncode == 1
    assert result.stdout == ""
    assert json.loads(out.read_text())["version"] == "2.1.0"


def test_inline_allow_suppresses(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(f'TOKEN = "{fake_github_pat()}"  # leakguard:allow\n')
    result = run_cli("scan", str(tmp_path), "--format", "json")
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["summary"]["suppressed"] == 1


def test_gitignore_and_binary_skips(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("ignored/\n")
    (tmp_path / "ignored").mkdir()
    (tmp_path / "ignored" / "x.env").write_text(f"T={fake_github_pat()}\n")
    (tmp_path / "blob.bin").write_bytes(b"\0\1\2" + fake_github_pat().encode())
    result = run_cli("scan", str(tmp_path), "--format", "json")
    assert result.returncode == 0, result.stdout
    skipped = json.loads(result.stdout)["summary"]["skipped"]
    assert [s["reason"] for s in skipped] == ["binary"]


def test_named_ignored_file_is_still_scanned(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.env\n")
    (tmp_path / "x.env").write_text(f"T={fake_github_pat()}\n")
    assert run_cli("scan", str(tmp_path / "x.env")).returncode == 1


def test_undecodable_bytes_and_late_nul_still_scanned(tmp_path: Path) -> None:
    data = b"\xff\xfe\xfa garbage\n" + b"x" * 9000 + b"\0\n" + f"k = {fake_github_pat()}\n".encode()
    (tmp_path / "weird.txt").write_bytes(data)
    result = run_cli("scan", str(tmp_path / "weird.txt"), "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["findings"][0]["line"] == 3


def test_huge_minified_line(tmp_path: Path) -> None:
    chunk = "var a=function(b){return b*2};" * 1000
    body = chunk * 60 + f'var k="{fake_github_pat()}";' + chunk * 60
    (tmp_path / "app.min.js").write_text(body)
    assert len(body) > 3_000_000
    result = run_cli("scan", str(tmp_path), "--format", "json")
    assert result.returncode == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["line"] == 1


def test_broken_symlink_fails_closed(tmp_path: Path) -> None:
    (tmp_path / "gone").symlink_to(tmp_path / "does-not-exist")
    result = run_cli("scan", str(tmp_path))
    assert result.returncode == 3
    assert "could not be read" in result.stderr


def test_symlink_loop_is_reported_not_followed(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    result = run_cli("scan", str(tmp_path), "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["summary"]["skipped"][0]["reason"] == "symlink"


def test_missing_path_is_usage_error(tmp_path: Path) -> None:
    result = run_cli("scan", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_bad_policy_is_reported_with_line(tmp_path: Path) -> None:
    (tmp_path / ".leakguard.yaml").write_text("version: 1\ndefault_action:\n  secret: explode\n")
    (tmp_path / "a.py").write_text("x = 1\n")
    result = run_cli("scan", str(tmp_path))
    assert result.returncode == 2
    assert ".leakguard.yaml:3" in result.stderr
    assert "Traceback" not in result.stderr


def test_policy_with_invalid_regex(tmp_path: Path) -> None:
    (tmp_path / ".leakguard.yaml").write_text("version: 1\nallow:\n  values: ['(unclosed']\n")
    result = run_cli("scan", str(tmp_path))
    assert result.returncode == 2
    assert ".leakguard.yaml:3" in result.stderr


def test_policy_yaml_syntax_error(tmp_path: Path) -> None:
    (tmp_path / ".leakguard.yaml").write_text("version: 1\nallow: [unclosed\n")
    result = run_cli("scan", str(tmp_path))
    assert result.returncode == 2
    assert ".leakguard.yaml:" in result.stderr


def test_detector_crash_fails_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from leakguard import cli
    from leakguard.detectors import build

    class Exploding:
        name = "exploding"

        def detect(self, fragment: object) -> list[object]:
            raise RuntimeError("boom")

    monkeypatch.setattr(build, "build_detectors", lambda policy: [Exploding()])
    (tmp_path / "a.py").write_text("x = 1\n")
    with pytest.raises(SystemExit) as exited:
        cli.main(["scan", str(tmp_path)])
    assert exited.value.code == 3
    err = capsys.readouterr().err
    assert "detector exploding failed" in err
    assert "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_fails_closed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    secret.chmod(0)
    assert run_cli("scan", str(tmp_path)).returncode == 3


def test_utf16_file_is_decoded(tmp_path: Path) -> None:
    text = f"token = {fake_github_pat()}\n"
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16"))
    result = run_cli("scan", str(tmp_path / "u16.txt"), "--format", "json")
    assert result.returncode == 1
