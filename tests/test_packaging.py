"""The wheel carries every package and the rule packs; the README's contract holds."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import tomllib

from tests.conftest import REPO_ROOT


def test_every_package_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"
    ])
    present = {
        ".".join(p.parent.relative_to(REPO_ROOT).parts)
        for p in (REPO_ROOT / "leakguard").rglob("__init__.py")
    }
    assert present <= listed, f"add to pyproject packages: {sorted(present - listed)}"


def test_readme_opens_with_install_and_test_commands() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    blocks = [b.split("```", 1)[0].strip() for b in readme.split("```sh\n")[1:3]]
    assert blocks == ["pip install . && leakguard scan .", "pip install -e '.[test]' && pytest"]
    assert "pip install -e '.[test]' && pytest" in (REPO_ROOT / ".ci" / "run").read_text()


@pytest.mark.slow
def test_wheel_ships_rule_packs(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(tmp_path), str(REPO_ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = tmp_path.glob("leakguard-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    packs = sorted(p.name for p in (REPO_ROOT / "rules").glob("*.yaml"))
    assert packs
    assert sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("leakguard/rules/")) == packs
    assert "leakguard/py.typed" in names
