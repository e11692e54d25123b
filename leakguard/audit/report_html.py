"""`leakguard report --html FILE`: one self-contained page with inline SVG charts.

No scripts, fonts or images from anywhere: the file opens offline. Each chart has its
own colour so a screenshot test can tell that every chart drew.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from leakguard.audit.report import VERDICTS, Group, Report, money

VERDICT_COLOURS = {
    "allow": "#2e7d32",
    "warn": "#f9a825",
    "anonymize": "#1565c0",
    "block": "#c62828",
}
CHART_COLOURS = {"destination": "#6a1b9a", "category": "#00838f", "rule": "#ef6c00"}
_W = 560


def _hbars(items: list[tuple[str, int]], colour: str, unit: str) -> str:
    if not items:
        return "<p class=empty>No data.</p>"
    top = max(v for _, v in items) or 1
    row, label_w = 28, 170
    height = row * len(items) + 10
    parts = [f'<svg width="{_W}" height="{height}" viewBox="0 0 {_W} {height}" role="img">']
    for i, (label, value) in enumerate(items):
        y = 5 + i * row
        width = max(2, int((_W - label_w - 70) * value / top))
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(label[:24])}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{width}" height="{row - 8}" fill="{colour}"/>'
            f'<text x="{label_w + width + 6}" y="{y + 17}">{value} {unit}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _timeline(days: dict[str, Counter[str]]) -> str:
    if not days:
        return "<p class=empty>No data.</p>"
    ordered = sorted(days.items())
    height, base, left = 240, 200, 40
    top = max(sum(c.values()) for _, c in ordered) or 1
    slot = (_W - left - 10) / len(ordered)
    bar = max(4.0, min(40.0, slot * 0.7))
    parts = [
        f'<svg width="{_W}" height="{height}" viewBox="0 0 {_W} {height}" role="img">',
        f'<line x1="{left}" y1="{base}" x2="{_W - 5}" y2="{base}" stroke="#999"/>',
        f'<text x="{left - 6}" y="24" text-anchor="end">{top}</text>',
    ]
    for i, (day, counts) in enumerate(ordered):
        x, y = left + i * slot + (slot - bar) / 2, float(base)
        for verdict in VERDICTS:
            h = (base - 20) * counts[verdict] / top
            if h <= 0:
                continue
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}"'
                f' fill="{VERDICT_COLOURS[verdict]}">'
                f"<title>{day} {verdict}: {counts[verdict]}</title></rect>"
            )
        if len(ordered) <= 14 or i % max(1, len(ordered) // 7) == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{base + 16}" text-anchor="middle">{day[5:]}</text>'
            )
    legend_x = left
    for verdict in VERDICTS:
        parts.append(
            f'<rect x="{legend_x}" y="{height - 14}" width="10" height="10"'
            f' fill="{VERDICT_COLOURS[verdict]}"/>'
            f'<text x="{legend_x + 14}" y="{height - 5}">{verdict}</text>'
        )
        legend_x += 100
    parts.append("</svg>")
    return "".join(parts)


def _rows(groups: dict[str, Group], currency: str, by_findings: bool) -> str:
    out = []
    for name, g in sorted(
        groups.items(), key=lambda kv: -(kv[1].findings if by_findings else kv[1].events)
    ):
        counts = " ".join(f"{v} {g.verdicts[v]}" for v in VERDICTS if g.verdicts[v])
        out.append(
            f"<tr><td>{escape(name)}</td><td>{g.events if not by_findings else g.findings}</td>"
            f"<td>{g.bytes_sent if not by_findings else ''}</td><td>{escape(counts)}</td>"
            f"<td>{escape(money(g.at_risk, currency))}</td>"
            f"<td>{escape(money(g.protected, currency))}</td></tr>"
        )
    return "".join(out)


_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;
color:#222;background:#fff}
h1{font-size:22px} h2{font-size:16px;margin:0 0 8px}
.tiles{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:16px}
.tile{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:150px}
.tile b{display:block;font-size:20px}
.charts{display:grid;grid-template-columns:repeat(2,600px);gap:16px;margin-bottom:20px}
.chart{border:1px solid #ddd;border-radius:6px;padding:12px}
svg text{font-size:12px;fill:#333}
table{border-collapse:collapse;margin:8px 0 20px}
td,th{border-bottom:1px solid #eee;padding:4px 10px;text-align:left}
"""


def render_html(report: Report, title: str = "leakguard audit report") -> str:
    t, c = report.total, report.currency
    tiles = [
        ("events", str(t.events)),
        ("blocked", str(t.verdicts["block"])),
        ("anonymized", str(t.verdicts["anonymize"])),
        ("allowed / warned", str(t.verdicts["allow"] + t.verdicts["warn"])),
        ("bytes sent", str(t.bytes_sent)),
        ("value at risk", money(t.at_risk, c)),
        ("value protected", money(t.protected, c)),
    ]
    top = sorted(report.by_rule.items(), key=lambda kv: (-kv[1].findings, kv[0]))[:10]
    charts = [
        ("Events over time by verdict", "chart-timeline", _timeline(report.by_day)),
        (
            "Events by destination",
            "chart-destination",
            _hbars(
                [
                    (k, g.events)
                    for k, g in sorted(report.by_destination.items(), key=lambda kv: -kv[1].events)
                ],
                CHART_COLOURS["destination"],
                "events",
            ),
        ),
        (
            "Findings by category",
            "chart-category",
            _hbars(
                [
                    (k, g.findings)
                    for k, g in sorted(report.by_category.items(), key=lambda kv: -kv[1].findings)
                ],
                CHART_COLOURS["category"],
                "findings",
            ),
        ),
        (
            "Top rules",
            "chart-rules",
            _hbars([(k, g.findings) for k, g in top], CHART_COLOURS["rule"], "findings"),
        ),
    ]
    period = f"{report.first[:19]}Z to {report.last[:19]}Z" if t.events else "no events"
    head = (
        "<tr>"
        + "".join(
            f"<th>{h}</th>"
            for h in ("name", "count", "bytes sent", "verdicts", "at risk", "protected")
        )
        + "</tr>"
    )
    tables = "".join(
        f"<h2>{name}</h2><table>{head}{_rows(groups, c, by_findings)}</table>"
        for name, groups, by_findings in (
            ("By destination", report.by_destination, False),
            ("By tool", report.by_tool, False),
            ("By person", report.by_person, False),
            ("By category", report.by_category, True),
            ("By rule", report.by_rule, True),
        )
    )
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1><p>{escape(period)}</p>"
        "<div class=tiles>"
        + "".join(f"<div class=tile>{escape(k)}<b>{escape(v)}</b></div>" for k, v in tiles)
        + "</div><div class=charts>"
        + "".join(
            f'<div class=chart id="{cid}"><h2>{escape(name)}</h2>{svg}</div>'
            for name, cid, svg in charts
        )
        + f"</div>{tables}</body></html>\n"
    )
