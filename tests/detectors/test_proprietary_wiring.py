"""Proprietary detectors reached through a policy file and `leakguard scan`."""

from __future__ import annotations

import json
import shutil
import sysconfig
from pathlib import Path

from tests.helpers import run_cli


def scan_json(*args: str, cwd: Path, stdin: bytes | None = None) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = run_cli("scan", *args, "--format", "json", cwd=cwd, stdin=stdin)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def test_marker_and_protected_path(tmp_path: Path) -> None:
    (tmp_path / ".leakguard.yaml").write_text(
        "version: 1\nproprietary:\n  markers: ['ACME CONFIDENTIAL']\n  paths: ['src/core/**']\n"
    )
    (tmp_path / "src" / "core").mkdir(parents=True)
    (tmp_path / "src" / "core" / "engine.py").write_text("def run():\n    return 42\n")
    (tmp_path / "notes.md").write_text("# Plan\nThis is ACME Confidential material.\n")
    (tmp_path / "ok.md").write_text("nothing to see\n")
    code, report = scan_json(".", cwd=tmp_path)
    assert code == 1
    found = {(f["path"], f["rule_id"]) for f in report["findings"]}
    assert found == {
        ("src/core/engine.py", "proprietary-protected-path"),
        ("notes.md", "proprietary-marker"),
    }
    assert all(f["category"] == "proprietary" for f in report["findings"])


def test_canary_in_stdin_always_blocks(tmp_path: Path) -> None:
    from leakguard.detectors.markers import new_canary
    from leakguard.masking import value_hash

    token = new_canary()
    (tmp_path / ".leakguard.yaml").write_text(
        "version: 1\ndefault_action: {proprietary: allow}\n"
        f"proprietary:\n  canaries: [{{label: demo, hash: '{value_hash(token)}'}}]\n"
    )
    code, report = scan_json("-", cwd=tmp_path, stdin=f"// copied {token} here\n".encode())
    assert code == 1
    (finding,) = report["findings"]
    assert (finding["rule_id"], finding["severity"], finding["action"]) == (
        "canary-token", "critical", "block"
    )
    assert token not in json.dumps(report)


def test_fingerprint_index_named_by_policy(tmp_path: Path) -> None:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    code_dir = tmp_path / "corp"
    code_dir.mkdir()
    shutil.copy(stdlib / "textwrap.py", code_dir / "textwrap.py")
    built = run_cli("index", "build", str(code_dir), "--index", str(tmp_path / "idx"), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    policy = f"version: 1\nproprietary:\n  index: {tmp_path / 'idx'}\n"
    (tmp_path / ".leakguard.yaml").write_text(policy)
    lines = (code_dir / "textwrap.py").read_text().splitlines()
    snippet = "\n".join(lines[250:300]) + "\n"
    (tmp_path / "prompt.txt").write_text("Please refactor this:\n\n" + snippet)
    code, report = scan_json("prompt.txt", cwd=tmp_path)
    assert code == 1
    (finding,) = report["findings"]
    assert finding["rule_id"] == "proprietary-code-match"
    assert "textwrap.py" in finding["message"]


def test_missing_named_index_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / ".leakguard.yaml").write_text("version: 1\nproprietary:\n  index: nowhere/idx\n")
    (tmp_path / "a.txt").write_text("x\n")
    result = run_cli("scan", "a.txt", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
