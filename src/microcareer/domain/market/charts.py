"""Demand and trend charts as standalone SVG documents (issue 19): the web pages inline them, the API
and ``market chart`` write them as files. Plain strings, text escaped; no script, no library."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from microcareer.domain.market.demand import SkillShare
from microcareer.domain.market.trends import SkillTrend

WIDTH = 640
LABEL_WIDTH = 250
ROW = 22
LINE_HEIGHT = 240
MARGIN = 36
COLOURS = ("#1b6ac9", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#b7950b")


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="market-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label={quoteattr(title)} '
        'font-family="sans-serif" font-size="12" fill="#222">'  # attributes, not <style>: the pages' CSP
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def demand_chart(skills: Sequence[SkillShare], title: str = "Share of postings naming each skill") -> str:
    """Horizontal bars: each skill's share of postings, labelled with the percentage."""
    height = max(1, len(skills)) * ROW + 10
    peak = max((s.share for s in skills), default=0.0) or 1.0
    span = WIDTH - LABEL_WIDTH - 60
    body = []
    for i, skill in enumerate(skills):
        y = i * ROW + 5
        width = span * skill.share / peak
        label = skill.label if len(skill.label) <= 38 else skill.label[:37] + "…"
        body.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>')
        body.append(
            f'<rect class="bar" fill="#1b6ac9" x="{LABEL_WIDTH}" y="{y + 3}" '
            f'width="{width:.1f}" height="{ROW - 6}"/>'
        )
        body.append(f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{y + 14}">{100 * skill.share:.1f}%</text>')
    return _svg(WIDTH, height, title, body)


def trend_chart(trends: Sequence[SkillTrend], title: str = "Monthly share of postings") -> str:
    """One line per skill: its share of each month's postings; months on the x axis, a legend below."""
    months = [m.month for m in trends[0].series] if trends else []
    legend_rows = (len(trends) + 1) // 2
    height = LINE_HEIGHT + 2 * MARGIN + legend_rows * 18
    peak = max((m.share for t in trends for m in t.series), default=0.0) or 1.0
    left, right, top, bottom = 48, WIDTH - 12, 12, LINE_HEIGHT + 12
    step = (right - left) / max(1, len(months) - 1)
    body = [
        f'<line class="axis" stroke="#888" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}"/>',
        f'<line class="axis" stroke="#888" x1="{left}" y1="{top}" x2="{left}" y2="{bottom}"/>',
        f'<text x="{left - 4}" y="{top + 10}" text-anchor="end">{100 * peak:.0f}%</text>',
        f'<text x="{left - 4}" y="{bottom}" text-anchor="end">0%</text>',
    ]
    for i, month in enumerate(months):
        if i % max(1, len(months) // 6) == 0 or i == len(months) - 1:
            x = left + i * step
            body.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">{escape(month)}</text>')
    for n, trend in enumerate(trends):
        colour = COLOURS[n % len(COLOURS)]
        points = " ".join(
            f"{left + i * step:.1f},{bottom - (bottom - top) * m.share / peak:.1f}"
            for i, m in enumerate(trend.series)
        )
        body.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        lx = 12 + (n % 2) * (WIDTH // 2)
        ly = bottom + MARGIN + (n // 2) * 18
        body.append(f'<rect x="{lx}" y="{ly - 9}" width="12" height="4" fill="{colour}"/>')
        body.append(
            f'<text x="{lx + 18}" y="{ly - 3}">{escape(trend.label)} ({trend.direction.value})</text>'
        )
    return _svg(WIDTH, height, title, body)
