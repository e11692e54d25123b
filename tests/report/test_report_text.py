"""The text report: readable, safe for a terminal, and cheap when clean."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from report_samples import make_finding, sample_result

from leakguard.models import Action, Category, Decision, ScanResult, Severity, Skip, Verdict
from leakguard.report import ReportOptions, render_report
from leakguard.report.text import human_bytes, safe

ANSI = re.compile(r"\x1b\[[0-9;]*m")
REPO = Path(__file__).parents[2]


def text(result: ScanResult, **options: object) -> str:
    return render_report(result, "text", ReportOptions(**options))  # type: ignore[arg-type]


def test_finding_block() -> None:
    out = text(sample_result())
    assert (
        "src/app.py:12:9  HIGH  github-pat  GitHub personal access token\n"
        "    action block, value ghp_…(40 chars)\n"
        '    > token = "ghp_…(40 chars)"\n'
    ) in out
    assert "commit 0123456789ab\n" in out  # shortened for people


def test_summary_line_and_decision() -> None:
    lines = text(sample_result()).splitlines()
    assert lines[-2] == (
        "6 findings (2 blocked, 2 anonymized, 1 warned, 1 allowed) in 10 files, "
        "48.2 KB scanned; 2 suppressed; 2 skipped (not scanned); 1 stale suppression"
    )
    assert lines[-1] == "Decision: block"


def test_clean_headline() -> None:
    clean = ScanResult(Verdict(Action.ALLOW, ()), files=1, bytes=1)
    assert text(clean) == "No findings in 1 file, 1 byte scanned\n"


def test_clean_but_skipped_lists_every_skip() -> None:
    skips = (Skip("a.bin", "binary"), Skip("b.txt", "unreadable", "permission denied"))
    out = text(ScanResult(Verdict(Action.BLOCK, ()), files=3, bytes=2048, skipped=skips))
    assert "  a.bin: binary\n" in out
    assert "  b.txt: unreadable (permission denied)\n" in out
    assert "No findings in 3 files, 2.0 KB scanned; 2 skipped (not scanned)\n" in out
    assert out.endswith("Decision: block\n")  # the policy failed closed: say so


def test_suppressed_only_counted_unless_asked() -> None:
    assert "config/old.env" not in text(sample_result())
    out = text(sample_result(), show_suppressed=True)
    assert "Suppressed (2):\nconfig/old.env:7:15" in out
    assert "suppressed by inline" in out


def test_width_clips_context_only() -> None:
    value = "tok_" + "Q" * 20
    f = make_finding("r", Category.SECRET, Severity.HIGH, "m" * 90, "a.py", value, 1, 1,
                     "x = " + "y" * 200 + " ", "")
    result = ScanResult(Verdict(Action.BLOCK, (Decision(f, Action.BLOCK),)), 1, 1)
    lines = text(result, width=40).splitlines()
    context = next(line for line in lines if line.startswith("    > "))
    assert len(context) == 40 and context.endswith("…")
    assert any("m" * 90 in line for line in lines)  # the message is never cut
    assert len(next(ln for ln in text(result).splitlines() if ln.startswith("    > "))) > 200


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain.py", "plain.py"),
        ("evil\x1b[2Jname", "evil\\x1b[2Jname"),
        ("line\nbreak", "line\\x0abreak"),
        ("tab\there", "tab here"),
        ("bidi\u202eoverride", "bidi\\u202eoverride"),
        ("raw\udcffbyte", "raw\\udcffbyte"),
        ("zoë", "zoë"),
    ],
)
def test_safe(raw: str, shown: str) -> None:
    assert safe(raw) == shown


def test_escapes_reach_the_output() -> None:
    f = make_finding("r", Category.SECRET, Severity.HIGH, "m", "a\x1b[31m.py", "v" * 16, 1, 1,
                     "k = \x1b]0;pwned\x07", "")
    result = ScanResult(Verdict(Action.BLOCK, (Decision(f, Action.BLOCK),)), 1, 1)
    out = text(result)
    assert "\x1b" not in out and "\x07" not in out
    assert "a\\x1b[31m.py:1:1" in out


@pytest.mark.parametrize(
    ("n", "shown"),
    [(0, "0 bytes"), (1, "1 byte"), (999, "999 bytes"), (1000, "1.0 KB"), (48213, "48.2 KB"),
     (999_949, "999.9 KB"), (999_950, "1.0 MB"), (31_600_000, "31.6 MB"), (5 * 10**12, "5.0 TB")],
)  # fmt: skip
def test_human_bytes(n: int, shown: str) -> None:
    assert human_bytes(n) == shown


def test_colour_paints_the_same_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    for width in (None, 40):
        for show in (False, True):
            plain = text(sample_result(), width=width, show_suppressed=show)
            painted = text(sample_result(), width=width, show_suppressed=show, color=True)
            assert ANSI.search(painted)
            assert ANSI.sub("", painted) == plain


def test_clean_colour_stays_plain() -> None:
    clean = ScanResult(Verdict(Action.ALLOW, ()), files=1, bytes=1)
    assert text(clean, color=True) == text(clean)


def _modules_after(code: str) -> set[str]:
    """Modules that running ``code`` adds (site hooks may import some at start-up)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["PYTHONPATH"] = str(REPO)
    wrapped = f"import sys\nbefore = set(sys.modules)\n{code}\n" + (
        "print('\\n'.join(set(sys.modules) - before))"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapped],
        capture_output=True, text=True, check=True, env=env, cwd=REPO,
    )  # fmt: skip
    return set(out.stdout.split())


def test_importing_the_package_is_cheap() -> None:
    modules = _modules_after("import leakguard.report")
    assert not {"json", "rich", "urllib.parse", "leakguard.report.text"} & modules


def test_clean_text_report_does_not_import_rich() -> None:
    code = (
        "from leakguard.models import *\n"
        "from leakguard.report import ReportOptions, render_report\n"
        "r = ScanResult(Verdict(Action.ALLOW, ()), files=1, bytes=1)\n"
        "render_report(r, 'text', ReportOptions(color=True))\n"
        "render_report(r, 'json', ReportOptions())\n"
        "render_report(r, 'sarif', ReportOptions())\n"
    )
    modules = _modules_after(code)
    assert "leakguard.report.text" in modules
    assert not any(m == "rich" or m.startswith("rich.") for m in modules)
    assert "jsonschema" not in modules
