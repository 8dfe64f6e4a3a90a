"""Bar charts drawn on the server as SVG.

The staff pages must work without JavaScript and be readable by screen
readers, so a chart is plain markup: an `<svg role="img">` named by its
`<title>` and `<desc>`, with the figures also in `data-` attributes for
tests and in a text table the template puts under every chart.
"""

import math
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join

# Brand blue, success green and warning brown from site.css: each has a
# contrast ratio above 4.5:1 on white, so the bars also read as text colours.
COLOURS = ("#0b5cad", "#1f6f3f", "#8a4b00", "#5b3a9c")
ROW_HEIGHT = 18
GAP = 10
FONT_WIDTH = 7  # an estimate: the server cannot measure text


@dataclass(frozen=True)
class Series:
    """One set of bars: its legend name and a value per category."""

    name: str
    values: tuple
    key: str = ""


def bar_chart(*, name, title, description, categories, series, category_attribute="category", width=640):
    """Horizontal grouped bars: one group per category, one bar per series.

    `categories` is a list of (key, label) pairs; the key goes into a
    `data-<category_attribute>` attribute of every bar, the value into
    `data-value`. Horizontal bars leave room for long labels such as a pair
    of city names in any script.
    """
    label_width = min(260, max(60, max((_text_width(label) for _, label in categories), default=0) + 12))
    value_width = 48
    plot_width = width - label_width - value_width
    legend_height = 24 if len(series) > 1 else 0
    group_height = ROW_HEIGHT * len(series) + GAP
    top = legend_height + 4
    plot_height = group_height * len(categories)
    height = top + plot_height + 28
    highest = max((value for one in series for value in one.values), default=0)
    step = _axis_step(highest)
    top_value = step * math.ceil(highest / step) if step else 0

    parts = [_legend(series)] if legend_height else []
    for index, (key, label) in enumerate(categories):
        y = top + index * group_height
        parts.append(format_html(
            '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
            label_width - 8, y + (group_height - GAP) / 2, label,
        ))
        for position, one in enumerate(series):
            value = one.values[index]
            bar_y = y + position * ROW_HEIGHT
            bar_width = plot_width * value / top_value if top_value else 0
            parts.append(format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" data-{}="{}" data-series="{}" data-value="{}">'
                "<title>{}: {}</title></rect>"
                '<text x="{}" y="{}" dominant-baseline="middle">{}</text>',
                label_width, bar_y + 2, f"{bar_width:.1f}", ROW_HEIGHT - 4, COLOURS[position % len(COLOURS)],
                category_attribute, key, one.key, _raw(value), label, _shown(value),
                f"{label_width + bar_width + 4:.1f}", bar_y + ROW_HEIGHT / 2, _shown(value),
            ))
    parts.append(_value_axis(label_width, plot_width, top + plot_height, top_value, step))
    return format_html(
        '<svg class="chart" role="img" data-chart="{name}" viewBox="0 0 {width} {height}" width="{width}" '
        'height="{height}" aria-labelledby="chart-{name}-title chart-{name}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="chart-{name}-title">{title}</title><desc id="chart-{name}-desc">{description}</desc>{parts}</svg>',
        name=name, width=width, height=height, title=title, description=description,
        parts=format_html_join("", "{}", ((part,) for part in parts)),
    )


def _legend(series):
    return format_html_join("", (
        '<rect x="{}" y="4" width="12" height="12" fill="{}"></rect>'
        '<text x="{}" y="10" dominant-baseline="middle">{}</text>'
    ), ((8 + i * 160, COLOURS[i % len(COLOURS)], 24 + i * 160, one.name) for i, one in enumerate(series)))


def _value_axis(left, plot_width, baseline, top_value, step):
    """The axis line and its ticks, so a bar's length can be read against a scale."""
    ticks = [step * index for index in range(round(top_value / step) + 1)] if step else [0]
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#4a5565"></line>{}',
        left, baseline, left + plot_width, baseline,
        format_html_join("", '<text x="{}" y="{}" text-anchor="middle">{}</text>', (
            (f"{left + (plot_width * tick / top_value if top_value else 0):.1f}", baseline + 18, _shown(tick))
            for tick in ticks
        )),
    )


def _axis_step(value, ticks=4):
    """A round tick interval (1, 2 or 5 times a power of ten) giving at most
    `ticks` intervals up to `value`; whole numbers for counts."""
    if value <= 0:
        return 0
    power = 10 ** math.floor(math.log10(value / ticks))
    step = next(power * multiple for multiple in (1, 2, 5, 10) if power * multiple * ticks >= value)
    return max(step, 1) if float(value).is_integer() else step


def _raw(value):
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _shown(value):
    """A figure as the reader's language writes it."""
    return number_format(value, decimal_pos=0 if float(value).is_integer() else 2, use_l10n=True)


def _text_width(text):
    # CJK and Ethiopic glyphs are about twice as wide as Latin ones.
    return sum(FONT_WIDTH * 2 if ord(char) > 0x1200 else FONT_WIDTH for char in str(text))
