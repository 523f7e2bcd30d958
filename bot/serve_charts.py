"""The web UI's two charts as plain SVG, drawn on the server: a brief's campaign timeline
(matched videos and accounts so far, over time) and briefs per week per channel.

Plain SVG needs no JavaScript library and no plugin from outside the registry, renders in every
browser, and each data point is a `<circle class="point">` with a `<title>` a reader can hover
(and a test can count). Pure functions: rows in, markup out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

WIDTH, HEIGHT = 760, 320
_LEFT, _RIGHT, _TOP, _BOTTOM = 60, 20, 20, 50
# Colour-blind-safe (Okabe–Ito), one per series in order.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[tuple[float, float, str], ...]  # x, y, the hover text


def _scale(lo: float, hi: float, a: float, b: float) -> tuple[float, float]:
    span = (hi - lo) or 1.0
    return (b - a) / span, a - lo * (b - a) / span


def line_chart(series: Sequence[Series], *, x_labels: Sequence[tuple[float, str]], y_label: str,
               title: str) -> str:
    """Lines with a marked point per datum; `x_labels` are (x, text) ticks under the axis."""
    xs = [x for s in series for x, _, _ in s.points] or [0.0]
    ys = [y for s in series for _, y, _ in s.points] or [0.0]
    kx, bx = _scale(min(xs), max(xs), _LEFT, WIDTH - _RIGHT)
    ky, by = _scale(0.0, max(ys) or 1.0, HEIGHT - _BOTTOM, _TOP)
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" class="briefwatch-chart" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">'),
           f'<title>{escape(title)}</title>',
           f'<line x1="{_LEFT}" y1="{HEIGHT - _BOTTOM}" x2="{WIDTH - _RIGHT}" y2="{HEIGHT - _BOTTOM}" stroke="#444"/>',
           f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{HEIGHT - _BOTTOM}" stroke="#444"/>',
           (f'<text x="14" y="{(HEIGHT - _BOTTOM + _TOP) / 2:.0f}" font-size="12" '
           f'transform="rotate(-90 14 {(HEIGHT - _BOTTOM + _TOP) / 2:.0f})" text-anchor="middle">{escape(y_label)}</text>')]
    top = max(ys) or 1.0
    for tick in (0.0, top / 2, top):
        y = ky * tick + by
        out.append(f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{tick:,.0f}</text>')
    for x, label in x_labels:
        px = kx * x + bx
        out.append(f'<text x="{px:.1f}" y="{HEIGHT - _BOTTOM + 16}" font-size="11" text-anchor="middle">'
                   f'{escape(label)}</text>')
    for i, s in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        coords = [(kx * x + bx, ky * y + by, text) for x, y, text in s.points]
        if len(coords) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in coords)
            out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        for px, py, text in coords:
            out.append(f'<circle class="point" cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}">'
                       f'<title>{escape(s.name)}: {escape(text)}</title></circle>')
        out.append(f'<text x="{_LEFT + 8 + 150 * i}" y="{HEIGHT - 12}" font-size="12" fill="{colour}">'
                   f'■ {escape(s.name)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _ticks(times: Sequence[datetime], n: int = 5) -> list[tuple[float, str]]:
    if not times:
        return []
    lo, hi = min(times), max(times)
    same_day = lo.date() == hi.date()
    steps = [lo + (hi - lo) * (i / (n - 1)) for i in range(n)] if hi > lo else [lo]
    return [(t.timestamp(), t.strftime("%H:%M" if same_day else "%Y-%m-%d")) for t in steps]


def campaign_chart(brief_id: int, videos: Sequence[tuple[datetime, str | None, int | None]]) -> str:
    """Matched videos (posted_at, author, views) of one brief: videos and accounts so far."""
    timed = sorted((t, a, v) for t, a, v in videos if t is not None)
    seen: set[str] = set()
    video_points, account_points = [], []
    for n, (when, author, views) in enumerate(timed, start=1):
        seen.add(author or "?")
        label = f"{when:%Y-%m-%d %H:%M} UTC, {author or '?'}, {views or 0:,} views"
        video_points.append((when.timestamp(), float(n), f"{n} videos, {label}"))
        account_points.append((when.timestamp(), float(len(seen)), f"{len(seen)} accounts, {label}"))
    return line_chart([Series("videos", tuple(video_points)), Series("accounts", tuple(account_points))],
                      x_labels=_ticks([t for t, _, _ in timed]), y_label="so far (UTC)",
                      title=f"Brief {brief_id}: matched videos over time")


def weekly_chart(rows: Sequence[tuple[str, str | None, int]]) -> str:
    """(week, channel, briefs) rows: one line per channel over the weeks."""
    weeks = sorted({w for w, _, _ in rows})
    index = {w: i for i, w in enumerate(weeks)}
    by_channel: dict[str, list[tuple[float, float, str]]] = {}
    for week, channel, n in rows:
        by_channel.setdefault(channel or "?", []).append((float(index[week]), float(n), f"week of {week}: {n}"))
    series = [Series(name, tuple(sorted(points))) for name, points in sorted(by_channel.items())]
    step = max(1, len(weeks) // 6)
    labels = [(float(i), w) for i, w in enumerate(weeks) if i % step == 0]
    return line_chart(series, x_labels=labels, y_label="briefs per week", title="Briefs per week per channel")
