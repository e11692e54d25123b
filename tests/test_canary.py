"""`leakguard canary new` registers a keyed hash in the policy and the token then blocks."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_cli


def new_canary(cwd: Path, label: str) -> str:
    result = run_cli("canary", "new", "--label", label, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_new_canary_is_registered_by_hash_and_blocks(tmp_path: Path) -> None:
    original = "version: 1\n# kept as it is\nproprietary:\n  markers: [ACME]  # comment\n"
    (tmp_path / ".leakguard.yaml").write_text(original)
    token = new_canary(tmp_path, "billing")
    policy = (tmp_path / ".leakguard.yaml").read_text()
    assert token.startswith("lgcanary") and token not in policy
    assert "# kept as it is" in policy and "markers: [ACME]  # comment" in policy
    assert 'label: "billing"' in policy
    scan = run_cli("scan", "-", "--format", "json", cwd=tmp_path, stdin=f"x = '{token}'\n".encode())
    assert scan.returncode == 1
    assert '"canary-token"' in scan.stdout and token not in scan.stdout


def test_new_canary_creates_a_policy_and_appends(tmp_path: Path) -> None:
    first = new_canary(tmp_path, "a")
    second = new_canary(tmp_path, "b")
    assert first != second
    assert (tmp_path / ".leakguard.yaml").read_text().count("hash: ") == 2


def test_inline_canaries_are_refused_and_the_file_is_untouched(tmp_path: Path) -> None:
    original = "version: 1\nproprietary:\n  canaries: []\n"
    (tmp_path / ".leakguard.yaml").write_text(original)
    result = run_cli("canary", "new", cwd=tmp_path)
    assert result.returncode == 2
    assert (tmp_path / ".leakguard.yaml").read_text() == original
