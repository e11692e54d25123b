"""What a clean `leakguard scan` loads: none of the heavy or click-only libraries.

Each case runs the real CLI entry point in a fresh interpreter and reads its
``sys.modules`` afterwards, so an eager import anywhere on the path shows up here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gitutil import git, init_repo

# Never on the clean path: NLP, reports for people, validation of a changed policy,
# YAML (the policy and rules caches are read instead), git bindings, click itself.
HEAVY = (
    "presidio_analyzer", "presidio_anonymizer", "spacy", "rich", "jsonschema", "yaml",
    "git", "click", "pygments", "numpy", "cryptography", "aiohttp", "phonenumbers",
    "tldextract", "pathspec",
)
# Cheap to avoid, and each costs milliseconds at every start.
AVOIDABLE = (
    "hashlib", "tempfile", "json", "leakguard.suppressions", "leakguard.policy.files",
    "dataclasses", "inspect",  # records are @record (leakguard/record.py)
    # value checks, allow-lists: loaded with the first candidate or finding
    "leakguard.detectors.filters", "leakguard.detectors.formats", "leakguard.detectors.finding",
    "leakguard.detectors.pii_validators", "leakguard.allowlist", "leakguard.sources.stdin",
)

RUNNER = """
import sys
from leakguard.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
loaded = sorted(sys.modules)
import json
print(json.dumps([code, loaded]))
"""


def loaded_by(args: list[str], cwd: Path) -> tuple[int, set[str]]:
    """Exit code and the modules leakguard loaded (beyond what the bare interpreter and
    its site hooks load: this test environment may preload some)."""
    proc = subprocess.run([sys.executable, "-c", RUNNER, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False)
    last = proc.stdout.strip().splitlines()[-1]
    code, modules = json.loads(last)
    return code, set(modules) - interpreter_modules()


def interpreter_modules() -> set[str]:
    code = "import sys, json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True)
    return set(json.loads(out.stdout)) - {"json", "json.decoder", "json.scanner",
                                          "json.encoder", "_json"}  # the probe's own


def top_level(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def assert_lean(modules: set[str], needed: tuple[str, ...] = ()) -> None:
    heavy = sorted(set(HEAVY) & top_level(modules))
    assert not heavy, f"imported on the clean path: {heavy}"
    avoidable = sorted((set(AVOIDABLE) - set(needed)) & modules)
    assert not avoidable, f"imported on the clean path: {avoidable}"


@pytest.fixture()
def warm(tmp_path: Path) -> Path:
    """A clean 1 KB file, scanned once so the caches exist (the state hooks run in)."""
    clean = tmp_path / "clean.py"
    clean.write_text("def add(a, b):\n    return a + b\n" * 32)
    code, _ = loaded_by(["scan", str(clean)], tmp_path)
    assert code == 0
    return clean


def test_clean_file_scan_stays_lean(warm: Path) -> None:
    code, modules = loaded_by(["scan", str(warm)], warm.parent)
    assert code == 0
    assert_lean(modules)
    assert "threading" not in modules  # no git child processes here (staged needs them)


def test_clean_scan_in_json_stays_lean(warm: Path) -> None:
    code, modules = loaded_by(["scan", "--format", "json", str(warm)], warm.parent)
    assert code == 0
    assert_lean(modules, needed=("json",))  # the report itself


def test_clean_staged_scan_stays_lean(tmp_path: Path, warm: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    (repo / "a.py").write_text(warm.read_text())
    git(repo, "add", "a.py")
    code, modules = loaded_by(["scan", "--staged"], repo)
    assert code == 0
    assert_lean(modules)


def test_help_still_goes_through_click(tmp_path: Path) -> None:
    code, modules = loaded_by(["scan", "--help"], tmp_path)
    assert code == 0
    assert "click" in top_level(modules)
