# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scatter chart on log-log axes as SVG, written by hand (no plotting library): calls against lag.

``scatter_svg(series, title, x_label, y_label)`` returns the SVG text; each series is
``{"name", "color", "points": [(x, y, label or None)], "line": bool, "marker": "circle"|"square"|"diamond"}``.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 760, 470
LEFT, RIGHT, TOP, BOTTOM = 70, 220, 40, 60


def _ticks(low, high):
    """1, 2, 5 x powers of ten between low and high (log axis)."""
    ticks = []
    for power in range(int(math.floor(math.log10(low))), int(math.ceil(math.log10(high))) + 1):
        for step in (1, 2, 5):
            value = step * 10 ** power
            if low <= value <= high:
                ticks.append(value)
    return ticks


def _label(value):
    if value >= 1:
        return "%g" % value
    return ("%.2f" % value).rstrip("0")


def _bounds(values):
    low, high = min(values), max(values)
    return 10 ** math.floor(math.log10(low) - 0.05), 10 ** math.ceil(math.log10(high) + 0.05)


def _marker(kind, x, y, color):
    if kind == "square":
        return '<rect x="%.1f" y="%.1f" width="9" height="9" fill="%s"/>' % (x - 4.5, y - 4.5, color)
    if kind == "diamond":
        return '<path d="M%.1f %.1f l6 6 l-6 6 l-6 -6 z" fill="%s"/>' % (x, y - 6, color)
    return '<circle cx="%.1f" cy="%.1f" r="4.5" fill="%s"/>' % (x, y, color)


def scatter_svg(series, title, x_label, y_label):
    points = [point for item in series for point in item["points"]]
    x_low, x_high = _bounds([p[0] for p in points])
    y_low, y_high = _bounds([p[1] for p in points])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(value):
        return LEFT + plot_w * (math.log10(value) - math.log10(x_low)) / (math.log10(x_high) - math.log10(x_low))

    def sy(value):
        return TOP + plot_h * (1 - (math.log10(value) - math.log10(y_low)) / (math.log10(y_high) - math.log10(y_low)))

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="sans-serif" font-size="12">' % (WIDTH, HEIGHT, WIDTH, HEIGHT),
           '<title>%s</title>' % escape(title),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="22" font-size="15" font-weight="bold">%s</text>' % (LEFT, escape(title))]
    for value in _ticks(x_low, x_high):
        x = sx(value)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>' % (x, TOP, x, TOP + plot_h))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (x, TOP + plot_h + 16, _label(value)))
    for value in _ticks(y_low, y_high):
        y = sy(value)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (LEFT, y, LEFT + plot_w, y))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (LEFT - 6, y + 4, _label(value)))
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#444"/>' % (LEFT, TOP, plot_w, plot_h))
    out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (LEFT + plot_w / 2.0, HEIGHT - 18, escape(x_label)))
    out.append('<text transform="translate(18 %.1f) rotate(-90)" text-anchor="middle">%s</text>'
               % (TOP + plot_h / 2.0, escape(y_label)))
    for index, item in enumerate(series):
        color, marker = item["color"], item.get("marker", "circle")
        coords = [(sx(p[0]), sy(p[1]), p[2] if len(p) > 2 else None) for p in item["points"]]
        if item.get("line") and len(coords) > 1:
            out.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="1.5"/>'
                       % (" ".join("%.1f,%.1f" % (x, y) for x, y, _label_ in coords), color))
        for x, y, label in coords:
            out.append(_marker(marker, x, y, color))
            if label:
                out.append('<text x="%.1f" y="%.1f" fill="%s" font-size="10">%s</text>' % (x + 7, y - 6, color, escape(label)))
        legend_y = TOP + 10 + 22 * index
        out.append(_marker(marker, LEFT + plot_w + 20, legend_y, color))
        out.append('<text x="%d" y="%.1f">%s</text>' % (LEFT + plot_w + 32, legend_y + 4, escape(item["name"])))
    out.append("</svg>")
    return "\n".join(out) + "\n"
