"""No report format ever shows a detected value whole, however findings sit together."""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.textpos import masked_context
from tests.helpers import fake_aws_key_id, fake_github_pat, run_cli


def secrets() -> list[str]:
    slack = "xoxb-" + "2048" + "1953" + "-" + "7730" + "4413" + "-" + "Zq8Lm2Vx9pRt4Kw6Nb3Hd7Fs"
    return [fake_github_pat(), fake_aws_key_id(), slack]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_findings_on_neighbouring_and_shared_lines_stay_masked(tmp_path: Path, fmt: str) -> None:
    pat, aws, slack = secrets()
    body = (
        f'TOKEN = "{pat}"\n'
        f'AWS_ACCESS_KEY_ID = "{aws}"  # and {pat}\n'
        f"SLACK = '{slack}'\n"
        "contact = 'jane.doe@acme-corp.com'\n"
        f'pair = ["{aws}", "{pat}", "{slack}"]\n'
    )
    (tmp_path / "app.py").write_text(body)
    result = run_cli("scan", str(tmp_path), "--format", fmt, "--no-color")
    assert result.returncode == 1, result.stderr
    for value in (pat, aws, slack, "jane.doe@acme-corp.com"):
        assert value not in result.stdout + result.stderr
        assert value[4:16] not in result.stdout, "a masked value must not show its middle"


def test_masked_context_only_touches_its_own_line() -> None:
    text = "aa SECRET1\nbb SECRET2 cc SECRET3\ndd\n"
    spans = [(3, 10, "S1…"), (14, 21, "S2…"), (25, 32, "S3…")]
    assert masked_context(text, 11, 32, spans, 14) == "bb S2… cc S3…"
    assert masked_context(text, 0, 10, spans, 3) == "aa S1…"


def test_masked_context_hides_overlapping_spans_whole() -> None:
    text = "k = ABCDEFGHIJKLMNOP\n"
    spans = [(4, 12, "A…"), (8, 20, "E…")]
    context = masked_context(text, 0, 20, spans, 4)
    assert "IJKL" not in context and "MNOP" not in context


def test_a_url_password_is_one_secret_finding_not_also_an_email(tmp_path: Path) -> None:
    import json

    url = "postgres://app:" + "Vq7Lz2Kp9Rw4Tx" + "@db.acme-corp.com:5432/orders"
    (tmp_path / "settings.py").write_text(f'DATABASE_URL = "{url}"\n')
    result = run_cli("scan", str(tmp_path), "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert [f["category"] for f in findings] == ["secret"], findings
