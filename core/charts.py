"""Server-side SVG charts: bar, stacked bar, line and sparkline, scatter, progress.

One module for every app (dashboard cards, briefings, power/interest grids). No
JavaScript and nothing the Content-Security-Policy forbids: colours, sizes and fonts are
SVG presentation attributes, never `style` attributes, so a chart looks the same in the
browser and in a WeasyPrint PDF. Each chart carries a `<title>` and a `<desc>`
(`role="img"`, `aria-labelledby`) and a data table for screen readers; templates render
both with `{% include "includes/chart.html" with chart=… %}`.

The functions know no app: they take labels and numbers and return a `Chart`.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

# Colour-blind-safe palette (Okabe–Ito, darkened where text sits on it).
PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#6f6f00",
    "#7f3c8d",
    "#1b7837",
    "#b2182b",
    "#4d4d4d",
    "#8c6d31",
)
TEXT = "#1b1f24"
MUTED = "#5c636a"
GRID = "#d0d7de"
TRACK = "#e9ecef"
FONT = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', 'Noto Sans', sans-serif"
WIDTH = 640


@dataclass
class Chart:
    """What a template needs: the SVG and its data table (caption, header, rows)."""

    title: str
    description: str
    svg: SafeString
    head: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    kind: str = ""

    def __str__(self) -> str:
        return self.svg


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    url: str = ""
    group: int = 0  # colour index


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _fmt(value: float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return number_format(round(value, 1), decimal_pos=1)
    return number_format(int(value))


def _nice_max(value: float) -> float:
    """A round upper bound for an axis (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        bound = step * 10**exponent
        if bound >= value:
            return bound
    return 10 ** (exponent + 1)


def _text(x, y, content, *, size=12, anchor="start", fill=TEXT, weight="normal", extra="") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-family={quoteattr(FONT)} '
        f'fill="{fill}" text-anchor="{anchor}" font-weight="{weight}"{extra}>'
        f"{escape(str(content))}</text>"
    )


def _attrs(**attrs) -> str:
    """SVG presentation attributes (underscores become dashes); floats with one decimal."""
    parts = []
    for name, value in attrs.items():
        if isinstance(value, float):
            value = f"{value:.1f}"
        parts.append(f"{name.rstrip('_').replace('_', '-')}={quoteattr(str(value))}")
    return " ".join(parts)


def _point_label(category, series, value) -> str:
    return gettext("%(category)s · %(series)s : %(value)s") % {
        "category": category,
        "series": series,
        "value": value,
    }


def _tip(text: str) -> str:
    """A tooltip (and accessible name) for one mark."""
    return f"<title>{escape(text)}</title>"


def _gridline(x1, y1, x2, y2, *, dashed: bool = False) -> str:
    extra = {"stroke_dasharray": "4 3"} if dashed else {"stroke_width": 1}
    return f"<line {_attrs(x1=x1, y1=y1, x2=x2, y2=y2, stroke=GRID, **extra)}/>"


def _truncate(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _svg(
    title: str, description: str, body: list[str], height: float, kind: str, role: str = "img"
) -> SafeString:
    """The chart's root: `role="img"`, or `"group"` when it holds links (an image's
    content is presentational, so links inside one would be unreachable)."""
    uid = uuid.uuid4().hex[:10]
    return mark_safe(  # noqa: S308 - every text and attribute is escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
        f'role="{role}" aria-labelledby="chart-{uid}-title chart-{uid}-desc" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="chart-{uid}-title">{escape(title)}</title>'
        f'<desc id="chart-{uid}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _legend(names: Sequence[str], y: float) -> tuple[list[str], float]:
    """Legend swatches wrapped over as many lines as needed; returns (parts, height)."""
    parts, x, line = [], 0.0, 0
    for index, name in enumerate(names):
        label = _truncate(name, 28)
        width = 22 + 6.6 * len(label)
        if x + width > WIDTH and x > 0:
            x, line = 0.0, line + 1
        top = y + line * 18
        parts.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="12" height="12" fill="{colour(index)}"/>'
        )
        parts.append(_text(x + 16, top + 10.5, label, size=11))
        x += width + 10
    return parts, (line + 1) * 18 if names else 0


# --- Bar -------------------------------------------------------------------------------


def bar_chart(
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float],
    unit: str = "",
    max_value: float | None = None,
    value_header: str = "",
) -> Chart:
    """Horizontal bars, one per label, with the value written at the end of each bar."""
    label_width, bar_height, gap = 190, 18, 8
    top = 6
    upper = max_value or _nice_max(max(values, default=0))
    span = WIDTH - label_width - 60
    body = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + index * (bar_height + gap)
        width = span * (value / upper) if upper else 0
        body.append(_text(label_width - 8, y + 13, _truncate(label, 28), size=11, anchor="end"))
        body.append(
            f'<rect x="{label_width}" y="{y}" width="{span}" height="{bar_height}" fill="{TRACK}"/>'
        )
        body.append(
            f'<rect x="{label_width}" y="{y}" width="{max(width, 0):.1f}" height="{bar_height}" '
            f'fill="{colour(0)}"/>'
        )
        body.append(_text(label_width + width + 6, y + 13, f"{_fmt(value)}{unit}", fill=MUTED))
    height = top + max(len(labels), 1) * (bar_height + gap)
    return Chart(
        title=title,
        description=description,
        svg=_svg(title, description, body, height, "bar"),
        head=["", value_header or title],
        rows=[[label, f"{_fmt(v)}{unit}"] for label, v in zip(labels, values, strict=True)],
        kind="bar",
    )


def stacked_bar_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    category_header: str = "",
) -> Chart:
    """Vertical bars, one per category (e.g. a week), stacked by series (e.g. a theme)."""
    left, right, top, plot_height = 40, 10, 10, 180
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    upper = _nice_max(max(totals, default=0))
    span = WIDTH - left - right
    slot = span / max(len(categories), 1)
    bar = slot * 0.7
    body = []
    for step in range(5):
        value = upper * step / 4
        y = top + plot_height - plot_height * step / 4
        body.append(_gridline(left, y, WIDTH - right, y))
        body.append(_text(left - 6, y + 4, _fmt(value), size=10, anchor="end", fill=MUTED))
    for index, category in enumerate(categories):
        x = left + index * slot + (slot - bar) / 2
        base = top + plot_height
        for s_index, s in enumerate(series):
            value = s.values[index]
            if not value:
                continue
            h = plot_height * value / upper
            base -= h
            body.append(
                f"<rect {_attrs(x=x, y=base, width=bar, height=h, fill=colour(s_index))}>"
                + _tip(_point_label(category, s.name, _fmt(value)))
                + "</rect>"
            )
        if len(categories) <= 16 or index % 2 == 0:
            body.append(
                _text(
                    x + bar / 2,
                    top + plot_height + 14,
                    category,
                    size=10,
                    anchor="middle",
                    fill=MUTED,
                )
            )
    legend, legend_height = _legend([s.name for s in series], top + plot_height + 26)
    body.extend(legend)
    height = top + plot_height + 30 + legend_height
    return Chart(
        title=title,
        description=description,
        svg=_svg(title, description, body, height, "stacked"),
        head=[category_header, *[s.name for s in series]],
        rows=[
            [category, *[_fmt(s.values[i]) for s in series]]
            for i, category in enumerate(categories)
        ],
        kind="stacked",
    )


# --- Line and sparkline ---------------------------------------------------------------


def line_chart(
    *,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    x_header: str = "",
) -> Chart:
    left, right, top, plot_height = 40, 10, 10, 160
    upper = _nice_max(max((v for s in series for v in s.values), default=0))
    span = WIDTH - left - right
    step_x = span / max(len(x_labels) - 1, 1)
    body = []
    for step in range(5):
        y = top + plot_height - plot_height * step / 4
        body.append(_gridline(left, y, WIDTH - right, y))
        body.append(
            _text(left - 6, y + 4, _fmt(upper * step / 4), size=10, anchor="end", fill=MUTED)
        )
    for s_index, s in enumerate(series):
        points = " ".join(
            f"{left + i * step_x:.1f},{top + plot_height - plot_height * v / upper:.1f}"
            for i, v in enumerate(s.values)
        )
        body.append(
            "<polyline "
            + _attrs(points=points, fill="none", stroke=colour(s_index), stroke_width=2.5)
            + "/>"
        )
        for i, v in enumerate(s.values):
            body.append(
                "<circle "
                + _attrs(
                    cx=left + i * step_x,
                    cy=top + plot_height - plot_height * v / upper,
                    r=3,
                    fill=colour(s_index),
                )
                + ">"
                + _tip(_point_label(x_labels[i], s.name, _fmt(v)))
                + "</circle>"
            )
    for i, label in enumerate(x_labels):
        if len(x_labels) <= 12 or i % 2 == 0:
            body.append(
                _text(
                    left + i * step_x,
                    top + plot_height + 14,
                    label,
                    size=10,
                    anchor="middle",
                    fill=MUTED,
                )
            )
    legend, legend_height = _legend([s.name for s in series], top + plot_height + 26)
    body.extend(legend)
    height = top + plot_height + 30 + legend_height
    return Chart(
        title=title,
        description=description,
        svg=_svg(title, description, body, height, "line"),
        head=[x_header, *[s.name for s in series]],
        rows=[[label, *[_fmt(s.values[i]) for s in series]] for i, label in enumerate(x_labels)],
        kind="line",
    )


def sparkline(
    *, title: str, description: str, labels: Sequence[str], values: Sequence[float]
) -> Chart:
    """A small trend line without axes (for a table cell or a card header)."""
    width, height = 120, 28
    upper = max(max(values, default=0), 1)
    step = width / max(len(values) - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{height - 2 - (height - 4) * v / upper:.1f}" for i, v in enumerate(values)
    )
    uid = uuid.uuid4().hex[:10]
    svg = mark_safe(  # noqa: S308 - texts escaped
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-spark" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="chart-{uid}-title chart-{uid}-desc">'
        f'<title id="chart-{uid}-title">{escape(title)}</title>'
        f'<desc id="chart-{uid}-desc">{escape(description)}</desc>'
        f'<polyline points="{points}" fill="none" stroke="{colour(0)}" stroke-width="2"/></svg>'
    )
    return Chart(
        title=title,
        description=description,
        svg=svg,
        head=["", title],
        rows=[[label, _fmt(v)] for label, v in zip(labels, values, strict=True)],
        kind="spark",
    )


# --- Scatter (power / interest grid) --------------------------------------------------------


def scatter_chart(
    *,
    title: str,
    description: str,
    points: Sequence[Point],
    x_label: str,
    y_label: str,
    x_max: float = 5,
    y_max: float = 5,
    x_min: float = 0,
    y_min: float = 0,
    quadrants: Sequence[str] = (),
    groups: Sequence[str] = (),
) -> Chart:
    """Dots on two axes, each a link when it has a `url`; optional quadrant names
    (top-left, top-right, bottom-left, bottom-right) and group legend."""
    left, right, top, size = 50, 20, 10, 300
    plot_width = WIDTH - left - right

    def sx(value):
        return left + plot_width * (value - x_min) / ((x_max - x_min) or 1)

    def sy(value):
        return top + size - size * (value - y_min) / ((y_max - y_min) or 1)

    body = [
        f"<rect {_attrs(x=left, y=top, width=plot_width, height=size, fill='none', stroke=GRID)}/>",
        _gridline(left + plot_width / 2, top, left + plot_width / 2, top + size, dashed=True),
        _gridline(left, top + size / 2, left + plot_width, top + size / 2, dashed=True),
    ]
    corners = [
        (left + 6, top + 16, "start"),
        (left + plot_width - 6, top + 16, "end"),
        (left + 6, top + size - 8, "start"),
        (left + plot_width - 6, top + size - 8, "end"),
    ]
    for (x, y, anchor), name in zip(corners, quadrants, strict=False):
        body.append(_text(x, y, name, size=11, anchor=anchor, fill=MUTED, weight="bold"))
    for p in points:
        dot = (
            f'<circle cx="{sx(p.x):.1f}" cy="{sy(p.y):.1f}" r="6" fill="{colour(p.group)}" '
            f'stroke="#ffffff" stroke-width="1.5"><title>{escape(p.label)}</title></circle>'
            + _text(sx(p.x) + 9, sy(p.y) + 4, _truncate(p.label, 24), size=10)
        )
        if p.url:
            dot = f"<a href={quoteattr(p.url)} aria-label={quoteattr(p.label)}>{dot}</a>"
        body.append(dot)
    body.append(
        _text(left + plot_width / 2, top + size + 18, x_label, size=11, anchor="middle", fill=MUTED)
    )
    body.append(
        _text(
            14,
            top + size / 2,
            y_label,
            size=11,
            anchor="middle",
            fill=MUTED,
            extra=f' transform="rotate(-90 14 {top + size / 2:.1f})"',
        )
    )
    legend, legend_height = _legend(list(groups), top + size + 28)
    body.extend(legend)
    height = top + size + 30 + legend_height
    return Chart(
        title=title,
        description=description,
        svg=_svg(
            title,
            description,
            body,
            height,
            "scatter",
            role="group" if any(p.url for p in points) else "img",
        ),
        head=["", x_label, y_label],
        rows=[[p.label, _fmt(p.x), _fmt(p.y)] for p in points],
        kind="scatter",
    )


# --- Progress ------------------------------------------------------------------------------


def progress_chart(
    *,
    title: str,
    description: str,
    rows: Sequence[tuple[str, float]],
    value_header: str = "%",
    threshold: float | None = None,
) -> Chart:
    """One bar per row from 0 to 100 %, the percentage written beside it; bars below
    `threshold` are drawn in the warning colour (and say so in the table)."""
    label_width, bar_height, gap, top = 210, 14, 12, 6
    span = WIDTH - label_width - 56
    body = []
    for index, (label, percent) in enumerate(rows):
        y = top + index * (bar_height + gap)
        clamped = max(0.0, min(100.0, float(percent)))
        fill = "#b35c00" if threshold is not None and clamped < threshold else colour(2)
        body.append(_text(label_width - 8, y + 11.5, _truncate(label, 30), size=11, anchor="end"))
        body.append(
            f"<rect {_attrs(x=label_width, y=y, width=span, height=bar_height, rx=3, fill=TRACK)}/>"
        )
        body.append(
            "<rect "
            + _attrs(
                x=label_width, y=y, width=span * clamped / 100, height=bar_height, rx=3, fill=fill
            )
            + "/>"
        )
        body.append(_text(label_width + span + 8, y + 11.5, f"{_fmt(clamped)} %", fill=MUTED))
    height = top + max(len(rows), 1) * (bar_height + gap)
    return Chart(
        title=title,
        description=description,
        svg=_svg(title, description, body, height, "progress"),
        head=["", value_header],
        rows=[[label, f"{_fmt(max(0.0, min(100.0, float(p))))} %"] for label, p in rows],
        kind="progress",
    )
