"""`leakguard report` against a hand-computed fixture, and the HTML in headless Chromium."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from collections import Counter
from pathlib import Path

import pytest

from leakguard.audit.event import AuditEvent, FindingRecord
from leakguard.audit.report_html import CHART_COLOURS, VERDICT_COLOURS
from leakguard.audit.store import open_store
from tests.helpers import run_cli

VALUES = (
    "values: {currency: USD, per_category: {secret: 1000, pii: 10},"
    " per_rule: {aws-access-key: 5000}, proprietary_per_kb: 100}\n"
)


def _f(rule: str, cat: str, action: str, count: int = 1, size: int = 0) -> FindingRecord:
    return FindingRecord(rule, cat, action, "sha256:" + rule[:4].ljust(64, "0"), count, size)


def _e(
    day: int, user: str, tool: str, dest: str, verdict: str, sent: int, *f: FindingRecord
) -> AuditEvent:
    return AuditEvent(
        ts=f"2026-11-{day:02d}T10:00:00.000000Z",
        user=user,
        host="h",
        tool=tool,
        door="proxy",
        destination=dest,
        verdict=verdict,
        bytes_sent=sent,
        findings=f,
    )


FIXTURE = [
    _e(20, "alice", "claude-code", "anthropic", "allow", 100),
    _e(
        20,
        "alice",
        "claude-code",
        "anthropic",
        "anonymize",
        200,
        _f("email", "pii", "anonymize", 3),
    ),
    _e(
        21,
        "bob",
        "codex",
        "openai",
        "block",
        0,
        _f("aws-access-key", "secret", "block"),
        _f("github-pat", "secret", "block"),
    ),
    _e(
        22,
        "bob",
        "codex",
        "openai",
        "warn",
        300,
        _f("github-pat", "secret", "warn", 2),
        _f("email", "pii", "allow"),
    ),
    _e(
        22,
        "carol",
        "cursor",
        "anthropic",
        "warn",
        4096,
        _f("proprietary-path", "proprietary", "warn", 1, 2048),
    ),
    _e(
        23,
        "carol",
        "cursor",
        "internal",
        "block",
        0,
        _f("proprietary-path", "proprietary", "allow", 1, 1024),
    ),
]

# Worked by hand: at risk = github-pat warn 2x1000 + email allow 1x10 + 2 KB x 100 = 2210;
# protected = email anonymized 3x10 + aws 5000 + github-pat blocked 1000 + 1 KB x 100 in a
# blocked request = 6130.
EXPECTED = (Path(__file__).parent / "golden" / "report.txt").read_text()


@pytest.fixture
def fixture_log(tmp_path: Path) -> tuple[list[str], Path]:
    db = tmp_path / "audit.db"
    store = open_store(f"sqlite:///{db}", None)
    for event in FIXTURE:
        store.append(event)
    store.close()
    policy = tmp_path / "org.yaml"
    policy.write_text(VALUES)
    return ["--store", f"sqlite:///{db}", "--policy", str(policy)], tmp_path


def test_report_matches_hand_computed_fixture(fixture_log: tuple[list[str], Path]) -> None:
    args, cwd = fixture_log
    result = run_cli("report", *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED


def test_report_since_filters(fixture_log: tuple[list[str], Path]) -> None:
    args, cwd = fixture_log
    result = run_cli("report", *args, "--since", "2026-11-22", cwd=cwd)
    assert "3 events" in result.stdout.splitlines()[0]
    assert "Value at risk (left in clear): 2,210.00 USD" in result.stdout
    assert "Value protected (blocked or anonymized): 100.00 USD" in result.stdout


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit, non-interlaced RGB/RGBA PNG into rows (enough for Chromium's)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, chunk = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and interlace == 0 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw, stride, rows = zlib.decompress(idat), width * channels, []
    prev = bytearray(stride)
    for y in range(height):
        ftype, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(
            bytes(line) if channels == 3 else bytes(v for j, v in enumerate(line) if j % 4 != 3)
        )
        prev = line
    return width, height, rows


def _colours(rows: list[bytes]) -> Counter[bytes]:
    counts: Counter[bytes] = Counter()
    for row in rows:
        counts.update(row[x : x + 3] for x in range(0, len(row), 3))
    return counts


def _count(counts: Counter[bytes], hex_colour: str) -> int:
    """Pixels of this colour, give or take a little colour-management drift."""
    rgb = bytes.fromhex(hex_colour[1:])
    return sum(n for px, n in counts.items() if all(abs(px[i] - rgb[i]) <= 6 for i in range(3)))


def _chromium() -> str | None:
    return (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


@pytest.mark.slow
def test_html_report_renders_with_charts(fixture_log: tuple[list[str], Path]) -> None:
    args, cwd = fixture_log
    html = cwd / "report.html"
    result = run_cli("report", *args, "--html", str(html), cwd=cwd)
    assert result.returncode == 0, result.stderr
    page = html.read_text()
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert page.count("<svg") == 4 and "6,130.00 USD" in page
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium not installed (apt-get install chromium): HTML render not checked")
    shot = cwd / "shot.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1300,1100",
            f"--user-data-dir={cwd / 'chrome-profile'}",
            f"--screenshot={shot}",
            html.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
        env={"HOME": str(cwd), "PATH": "/usr/bin:/bin"},
    )
    assert shot.exists(), "chromium wrote no screenshot"
    _w, _h, rows = _png_pixels(shot.read_bytes())
    counts = _colours(rows)
    # every chart drew: each has its own colour, and the timeline shows each verdict
    for name, colour in {**CHART_COLOURS, **VERDICT_COLOURS}.items():
        assert _count(counts, colour) > 200, f"{name} chart not visible"
