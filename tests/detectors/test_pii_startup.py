"""`leakguard scan` on a clean file must not import Presidio (nor spaCy), with PII on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CLEAN = "\n".join(
    f"def handler_{i}(request, retries=3):\n    return request.get('/v1/items', timeout=30)\n"
    for i in range(12)
)


def imported_modules(path: Path, cwd: Path) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "leakguard", "scan", "--no-color", str(path)],
        cwd=cwd, capture_output=True, text=True, timeout=120, env={**os.environ},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    modules = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            modules.add(line.rsplit("|", 1)[1].strip())
    return modules


def test_clean_scan_does_not_import_presidio(tmp_path: Path) -> None:
    source = tmp_path / "clean.py"
    source.write_text(CLEAN, encoding="utf-8")
    assert 900 <= len(CLEAN) <= 1200
    (tmp_path / ".leakguard.yaml").write_text(
        "version: 1\npii:\n  entities: [EMAIL_ADDRESS, PHONE_NUMBER, CREDIT_CARD, IBAN_CODE,"
        " US_SSN, IP_ADDRESS]\n  deny_lists: {CUSTOMER: [Globex]}\n",
        encoding="utf-8",
    )
    modules = imported_modules(source, tmp_path)
    assert "leakguard.detectors.pii" in modules  # PII rules are on...
    assert "presidio_analyzer" not in modules  # ...and yet nothing heavy loads
    assert "spacy" not in modules


def test_a_candidate_does_import_presidio(tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text(CLEAN + "\n# ask jane.roe@acme-corp.com\n", encoding="utf-8")
    modules = imported_modules(source, tmp_path)
    assert "presidio_analyzer" in modules
