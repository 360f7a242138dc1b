"""The report's figures, drawn once as a list of shapes and written as inline SVG (HTML) or PNG (Word).

No system binary is needed: SVG is text, and the PNG is drawn with Pillow from the same shapes, with a
CJK font when one is installed. Every text that reaches a figure is escaped here.

Figures: the structural model with standardized paths (:func:`path_diagram`), stacked bars of the
answers to each item (:func:`likert_bars`), the importance–performance map (:func:`ipma_map`) and group means
with their confidence intervals (:func:`means_plot`).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import escape

# --------------------------------------------------------------------------------------------- canvas

FONT_CANDIDATES = [
    # Linux (fonts-noto-cjk, wqy), macOS, Windows
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
]


def text_width(text: str, size: float) -> float:
    """Approximate advance width of ``text`` (CJK and full-width characters 1 em, others about 0.56 em)."""
    wide = sum(1 for ch in text if ord(ch) >= 0x2E80)
    return size * (wide + 0.56 * (len(text) - wide))


@dataclass
class Shape:
    kind: str  # rect | line | curve | circle | polygon | text
    attrs: dict = field(default_factory=dict)


class Canvas:
    """A drawing in user units (1 unit = 1 CSS pixel at 100 %)."""

    def __init__(self, width: float, height: float, label: str):
        self.width, self.height, self.label = width, height, label
        self.shapes: list[Shape] = []

    # --- drawing
    def rect(self, x, y, w, h, fill="#fff", stroke=None, width=1.0, rx=0.0):
        self.shapes.append(Shape("rect", dict(x=x, y=y, w=w, h=h, fill=fill, stroke=stroke, width=width, rx=rx)))

    def line(self, x1, y1, x2, y2, stroke="#222", width=1.0, dash=None, arrow=False):
        self.shapes.append(Shape("line", dict(x1=x1, y1=y1, x2=x2, y2=y2, stroke=stroke, width=width, dash=dash)))
        if arrow:
            self._arrow(x1, y1, x2, y2, stroke)

    def curve(self, x1, y1, cx, cy, x2, y2, stroke="#222", width=1.0, dash=None, arrow=False):
        """Quadratic Bézier from (x1, y1) to (x2, y2) with control point (cx, cy)."""
        self.shapes.append(Shape("curve", dict(x1=x1, y1=y1, cx=cx, cy=cy, x2=x2, y2=y2, stroke=stroke,
                                               width=width, dash=dash)))
        if arrow:
            self._arrow(cx, cy, x2, y2, stroke)

    def circle(self, cx, cy, r, fill="#222", stroke=None):
        self.shapes.append(Shape("circle", dict(cx=cx, cy=cy, r=r, fill=fill, stroke=stroke)))

    def polygon(self, points, fill="#222"):
        self.shapes.append(Shape("polygon", dict(points=list(points), fill=fill)))

    def text(self, x, y, s, size=13.0, anchor="start", fill="#111", bold=False):
        """Text with its baseline at y; anchor: start | middle | end."""
        self.shapes.append(Shape("text", dict(x=x, y=y, s=str(s), size=size, anchor=anchor, fill=fill, bold=bold)))

    def _arrow(self, x1, y1, x2, y2, fill, length=9.0, half=4.0):
        d = math.hypot(x2 - x1, y2 - y1) or 1.0
        ux, uy = (x2 - x1) / d, (y2 - y1) / d
        bx, by = x2 - ux * length, y2 - uy * length
        self.polygon([(x2, y2), (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half)], fill=fill)

    # --- output
    def to_svg(self, css_class: str = "figure") -> str:
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width:.0f} {self.height:.0f}" '
               f'width="{self.width:.0f}" height="{self.height:.0f}" role="img" class="{css_class}" '
               f'aria-label="{escape(self.label)}">']
        for s in self.shapes:
            a = s.attrs
            if s.kind == "rect":
                stroke = f' stroke="{a["stroke"]}" stroke-width="{a["width"]}"' if a["stroke"] else ""
                out.append(f'<rect x="{a["x"]:.1f}" y="{a["y"]:.1f}" width="{a["w"]:.1f}" height="{a["h"]:.1f}" '
                           f'rx="{a["rx"]:.1f}" fill="{a["fill"]}"{stroke}/>')
            elif s.kind == "line":
                dash = f' stroke-dasharray="{a["dash"][0]} {a["dash"][1]}"' if a["dash"] else ""
                out.append(f'<line x1="{a["x1"]:.1f}" y1="{a["y1"]:.1f}" x2="{a["x2"]:.1f}" y2="{a["y2"]:.1f}" '
                           f'stroke="{a["stroke"]}" stroke-width="{a["width"]}"{dash}/>')
            elif s.kind == "curve":
                dash = f' stroke-dasharray="{a["dash"][0]} {a["dash"][1]}"' if a["dash"] else ""
                out.append(f'<path d="M{a["x1"]:.1f},{a["y1"]:.1f} Q{a["cx"]:.1f},{a["cy"]:.1f} {a["x2"]:.1f},'
                           f'{a["y2"]:.1f}" fill="none" stroke="{a["stroke"]}" stroke-width="{a["width"]}"{dash}/>')
            elif s.kind == "circle":
                stroke = f' stroke="{a["stroke"]}"' if a["stroke"] else ""
                out.append(f'<circle cx="{a["cx"]:.1f}" cy="{a["cy"]:.1f}" r="{a["r"]:.1f}" fill="{a["fill"]}"{stroke}/>')
            elif s.kind == "polygon":
                pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in a["points"])
                out.append(f'<polygon points="{pts}" fill="{a["fill"]}"/>')
            elif s.kind == "text":
                weight = ' font-weight="bold"' if a["bold"] else ""
                out.append(f'<text x="{a["x"]:.1f}" y="{a["y"]:.1f}" font-size="{a["size"]:.1f}" '
                           f'text-anchor="{a["anchor"]}" fill="{a["fill"]}"{weight}>{escape(a["s"])}</text>')
        out.append("</svg>")
        return "".join(out)

    def to_png(self, scale: float = 2.0) -> bytes:
        """The drawing as PNG (for the Word file), drawn with Pillow."""
        from PIL import Image, ImageDraw

        img = Image.new("RGB", (int(math.ceil(self.width * scale)), int(math.ceil(self.height * scale))), "white")
        draw = ImageDraw.Draw(img)
        k = scale
        for s in self.shapes:
            a = s.attrs
            if s.kind == "rect":
                box = [a["x"] * k, a["y"] * k, (a["x"] + a["w"]) * k, (a["y"] + a["h"]) * k]
                outline = a["stroke"] if a["stroke"] else None
                draw.rounded_rectangle(box, radius=a["rx"] * k, fill=a["fill"] if a["fill"] != "none" else None,
                                       outline=outline, width=max(1, round(a["width"] * k)) if outline else 0)
            elif s.kind in ("line", "curve"):
                if s.kind == "line":
                    pts = [(a["x1"], a["y1"]), (a["x2"], a["y2"])]
                else:
                    pts = [((1 - t) ** 2 * a["x1"] + 2 * (1 - t) * t * a["cx"] + t ** 2 * a["x2"],
                            (1 - t) ** 2 * a["y1"] + 2 * (1 - t) * t * a["cy"] + t ** 2 * a["y2"])
                           for t in (i / 40 for i in range(41))]
                pts = [(x * k, y * k) for x, y in pts]
                width = max(1, round(a["width"] * k))
                for seg in _dashed(pts, a["dash"], k) if a["dash"] else [pts]:
                    draw.line(seg, fill=a["stroke"], width=width)
            elif s.kind == "circle":
                r = a["r"] * k
                draw.ellipse([a["cx"] * k - r, a["cy"] * k - r, a["cx"] * k + r, a["cy"] * k + r], fill=a["fill"],
                             outline=a["stroke"])
            elif s.kind == "polygon":
                draw.polygon([(x * k, y * k) for x, y in a["points"]], fill=a["fill"])
            elif s.kind == "text":
                font = _font(a["size"] * k, a["bold"])
                anchor = {"start": "ls", "middle": "ms", "end": "rs"}[a["anchor"]]
                draw.text((a["x"] * k, a["y"] * k), a["s"], fill=a["fill"], font=font, anchor=anchor)
        buf = io.BytesIO()
        img.save(buf, format="PNG", compress_level=6)  # optimize=True took 3x as long for 3 % smaller files
        return buf.getvalue()


def _dashed(points, dash, k):
    on, off = dash[0] * k, dash[1] * k
    segments, current, drawing, left = [], [points[0]], True, on
    for (x1, y1), (x2, y2) in zip(points, points[1:]):
        d = math.hypot(x2 - x1, y2 - y1)
        pos = 0.0
        while d - pos > left:
            pos += left
            p = (x1 + (x2 - x1) * pos / d, y1 + (y2 - y1) * pos / d)
            if drawing:
                current.append(p)
                segments.append(current)
            current = [p]
            drawing = not drawing
            left = on if drawing else off
        left -= d - pos
        if drawing:
            current.append((x2, y2))
        else:
            current = [(x2, y2)]
    if drawing and len(current) > 1:
        segments.append(current)
    return segments


_FONTS: dict = {}


def _font(size: float, bold: bool = False):
    from PIL import ImageFont

    key = (round(size), bold)
    if key not in _FONTS:
        font = None
        for path in FONT_CANDIDATES:
            candidate = path.replace("-Regular", "-Bold") if bold else path
            for p in (candidate, path):
                if Path(p).is_file():
                    try:
                        font = ImageFont.truetype(p, round(size))
                        break
                    except OSError:
                        continue
            if font is not None:
                break
        _FONTS[key] = font or ImageFont.load_default(round(size))
    return _FONTS[key]


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Break a label into lines no wider than ``width`` (at spaces, or anywhere in CJK text)."""
    if text_width(text, size) <= width:
        return [text]
    lines, current = [], ""
    tokens = text.split(" ") if " " in text else list(text)
    sep = " " if " " in text else ""
    for tok in tokens:
        trial = f"{current}{sep}{tok}" if current else tok
        if current and text_width(trial, size) > width:
            lines.append(current)
            current = tok
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


# --------------------------------------------------------------------------------------------- figures

def path_diagram(codes: list[str], labels: dict[str, str], paths: list[dict], r2: dict[str, float],
                 aria: str, legend: tuple[str, str] | None) -> Canvas:
    """The structural model: constructs left to right by causal order, standardized paths with stars,
    R² under each endogenous construct; non-significant paths dashed.

    paths: ``{"from", "to", "label", "significant"}`` per hypothesised path.
    legend: texts for a solid and a dashed line; None: no legend (paths not judged, ``significant`` None).
    """
    causes: dict[str, list[str]] = {c: [] for c in codes}
    for p in paths:
        causes[p["to"]].append(p["from"])
    level: dict[str, int] = {}

    def depth(c: str, seen=()) -> int:
        if c in level:
            return level[c]
        if c in seen:
            return 0
        level[c] = 0 if not causes[c] else 1 + max(depth(x, seen + (c,)) for x in causes[c])
        return level[c]

    for c in codes:
        depth(c)
    columns: dict[int, list[str]] = {}
    for c in codes:
        columns.setdefault(level[c], []).append(c)
    box_w, box_h, gap_x, gap_y = 150, 58, 110, 60
    skips = [p for p in paths if abs(level[p["to"]] - level[p["from"]]) > 1]
    arc = 30
    span = max((abs(level[p["to"]] - level[p["from"]]) for p in skips), default=0)
    margin = 30 + arc * span
    width = len(columns) * box_w + (len(columns) - 1) * gap_x + 40
    rows_h = max(len(v) for v in columns.values()) * (box_h + gap_y) - gap_y
    height = rows_h + 2 * margin + 30
    pos = {}
    for col, members in columns.items():
        total = len(members) * box_h + (len(members) - 1) * gap_y
        for k, c in enumerate(members):
            pos[c] = (20 + col * (box_w + gap_x), margin + (rows_h - total) / 2 + k * (box_h + gap_y))
    cv = Canvas(width, height, aria)
    label_spots = []
    for i, p in enumerate(paths):
        (x1, y1), (x2, y2) = pos[p["from"]], pos[p["to"]]
        dash = None if p["significant"] in (True, None) else (6, 4)  # None: not judged, drawn plain
        if p in skips:
            above = skips.index(p) % 2 == 0
            ax, bx = x1 + box_w / 2, x2 + box_w / 2
            ay = y1 if above else y1 + box_h
            by = y2 if above else y2 + box_h
            lift = arc * abs(level[p["to"]] - level[p["from"]]) * (-1 if above else 1)
            cx = (ax + bx) / 2
            cy = (min(ay, by) if above else max(ay, by)) + 2 * lift
            cv.curve(ax, ay, cx, cy, bx, by, width=1.4, dash=dash, arrow=True)
            mx, my = (ax + 2 * cx + bx) / 4, (ay + 2 * cy + by) / 4 + (-5 if above else 14)
        else:
            ax, ay, bx, by = x1 + box_w, y1 + box_h / 2, x2, y2 + box_h / 2
            if x2 <= x1:  # same column: bottom to top
                ax, ay, bx, by = x1 + box_w / 2, y1 + box_h, x2 + box_w / 2, y2
            cv.line(ax, ay, bx, by, width=1.4, dash=dash, arrow=True)
            mx, my = (ax + bx) / 2, (ay + by) / 2 - 6
        label_spots.append((mx, my, p["label"]))
    for c, (x, y) in pos.items():
        cv.rect(x, y, box_w, box_h, fill="#fff", stroke="#222", width=1.4, rx=box_h / 2)
        lines = _wrap(labels[c], 14, box_w - 22)[:2]
        extra = 1 if c in r2 else 0
        first = y + box_h / 2 + 5 - 8 * (len(lines) - 1 + extra)
        for k, line in enumerate(lines):
            cv.text(x + box_w / 2, first + 16 * k, line, size=14, anchor="middle")
        if c in r2:
            cv.text(x + box_w / 2, first + 16 * len(lines), r2[c], size=12, anchor="middle", fill="#333")
    for mx, my, text in label_spots:  # labels last, on a white ground, so lines do not cross them
        w = text_width(text, 12.5) + 6
        cv.rect(mx - w / 2, my - 12, w, 16, fill="#fff")
        cv.text(mx, my, text, size=12.5, anchor="middle")
    if legend is None:  # an improper model: the hypothesised paths only, nothing judged
        return cv
    ly = height - 12
    cv.line(20, ly - 4, 60, ly - 4, width=1.4)
    cv.text(66, ly, legend[0], size=12)
    x2 = 86 + text_width(legend[0], 12)
    cv.line(x2, ly - 4, x2 + 40, ly - 4, width=1.4, dash=(6, 4))
    cv.text(x2 + 46, ly, legend[1], size=12)
    return cv


def diverging_colors(n: int) -> list[str]:
    """n colours from red (disagree) through light grey to blue (agree)."""
    low, mid, high = (178, 24, 43), (224, 224, 224), (33, 102, 172)
    out = []
    for i in range(n):
        t = i / (n - 1) if n > 1 else 0.5
        a, b, u = (low, mid, t * 2) if t <= 0.5 else (mid, high, t * 2 - 1)
        rgb = [round(a[j] + (b[j] - a[j]) * u) for j in range(3)]
        out.append("#{:02x}{:02x}{:02x}".format(*rgb))
    return out


def _dark(color: str) -> bool:
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b < 140


def likert_bars(groups: list[tuple[str, list[str]]], shares, point_labels: list[str], aria: str) -> Canvas:
    """Stacked horizontal bars of the answers to each item, grouped by construct.

    groups: ``(construct label, [item codes])``; shares: DataFrame items x scale points (0–1).
    """
    colors = diverging_colors(len(point_labels))
    label_w, bar_w, row_h, gap = 70, 600, 17, 4
    rows = sum(1 + len(items) for _, items in groups)
    # legend: wrap the point labels into lines of swatches
    legend, line, x = [], [], 0.0
    for i, text in enumerate(point_labels):
        w = 16 + text_width(text, 11) + 14
        if line and x + w > label_w + bar_w:
            legend.append(line)
            line, x = [], 0.0
        line.append((x, i, text))
        x += w
    legend.append(line)
    height = 10 + rows * (row_h + gap) + 26 + 18 * len(legend) + 10
    width = label_w + bar_w + 20
    cv = Canvas(width, height, aria)
    y = 10
    for title, items in groups:
        cv.text(0, y + row_h - 4, title, size=12.5, bold=True)
        y += row_h + gap
        for code in items:
            cv.text(label_w - 8, y + row_h - 4, code, size=11.5, anchor="end")
            x = float(label_w)
            for i, share in enumerate(shares.loc[code]):
                w = bar_w * float(share)
                if w > 0:
                    cv.rect(x, y, w, row_h, fill=colors[i])
                    if share >= 0.07:
                        cv.text(x + w / 2, y + row_h - 4.5, f"{100 * share:.0f}", size=10, anchor="middle",
                                fill="#fff" if _dark(colors[i]) else "#111")
                x += w
            y += row_h + gap
    # axis: 0, 25, 50, 75, 100 %
    for k in range(5):
        ax = label_w + bar_w * k / 4
        cv.line(ax, y, ax, y + 4, stroke="#555", width=1)
        cv.text(ax, y + 16, f"{25 * k}%", size=10.5, anchor="middle", fill="#333")
    y += 26
    for line in legend:
        for x, i, text in line:
            cv.rect(label_w + x, y + 2, 12, 12, fill=colors[i])
            cv.text(label_w + x + 16, y + 12, text, size=11)
        y += 18
    return cv


def _nice_step(span: float, target: int = 5) -> float:
    raw = span / target if span > 0 else 1.0
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def ipma_map(points: list[dict], importance_cut: float, performance_cut: float, texts: dict[str, str],
             aria: str) -> Canvas:
    """Importance (total effect, y) against performance (0–100, x), with the quadrants cut at the means.

    points: ``{"label", "importance", "performance"}``; texts: axis titles ``x``, ``y`` and the quadrant
    names ``concentrate``, ``keep``, ``low``, ``overkill``.
    """
    left, top, pw, ph = 70, 34, 520, 330
    width, height = left + pw + 30, top + ph + 60
    perf = [p["performance"] for p in points] + [performance_cut]
    imp = [p["importance"] for p in points] + [importance_cut]
    xs = _nice_step(max(perf) - min(perf) + 10)
    x0 = max(0.0, math.floor((min(perf) - 5) / xs) * xs)
    x1 = min(100.0, math.ceil((max(perf) + 5) / xs) * xs)
    if x1 <= x0:
        x0, x1 = 0.0, 100.0
    span = max(imp) - min(imp) or 0.1
    ys = _nice_step(span * 1.4)
    y0 = math.floor((min(imp) - 0.2 * span) / ys) * ys
    y1 = math.ceil((max(imp) + 0.2 * span) / ys) * ys
    if y1 <= y0:
        y1 = y0 + ys

    def px(v):
        return left + pw * (v - x0) / (x1 - x0)

    def py(v):
        return top + ph * (1 - (v - y0) / (y1 - y0))

    cv = Canvas(width, height, aria)
    cv.rect(left, top, pw, ph, fill="#fff", stroke="#222", width=1)
    cv.rect(left, top, px(performance_cut) - left, py(importance_cut) - top, fill="#fdecea")  # concentrate
    cv.line(px(performance_cut), top, px(performance_cut), top + ph, stroke="#666", width=1, dash=(5, 4))
    cv.line(left, py(importance_cut), left + pw, py(importance_cut), stroke="#666", width=1, dash=(5, 4))
    v = x0
    while v <= x1 + 1e-9:
        cv.line(px(v), top + ph, px(v), top + ph + 4, stroke="#222")
        cv.text(px(v), top + ph + 17, f"{v:g}", size=11, anchor="middle")
        v += xs
    v = y0
    # as many decimals as the tick step needs, so that neighbouring ticks never print the same number
    decimals = max(2, -int(math.floor(math.log10(ys))) if ys > 0 else 2)
    while v <= y1 + 1e-9:
        cv.line(left - 4, py(v), left, py(v), stroke="#222")
        cv.text(left - 7, py(v) + 4, f"{v:.{decimals}f}", size=11, anchor="end")
        v += ys
    cv.text(left + pw / 2, height - 12, texts["x"], size=12.5, anchor="middle")
    cv.text(left - 60, top - 12, texts["y"], size=12.5, anchor="start")
    pad = 6
    cv.text(left + pad, top + 16, texts["concentrate"], size=11.5, fill="#b91c1c")
    cv.text(left + pw - pad, top + 16, texts["keep"], size=11.5, anchor="end", fill="#333")
    cv.text(left + pad, top + ph - pad, texts["low"], size=11.5, fill="#333")
    cv.text(left + pw - pad, top + ph - pad, texts["overkill"], size=11.5, anchor="end", fill="#333")
    for p in points:
        x, y = px(p["performance"]), py(p["importance"])
        cv.circle(x, y, 5.5, fill="#1d4ed8", stroke="#fff")
        anchor = "end" if x > left + pw * 0.75 else "start"
        cv.text(x + (-9 if anchor == "end" else 9), y - 7, p["label"], size=12.5, anchor=anchor)
    return cv


# Okabe & Ito's colour-blind-safe palette, then greys: one colour per group of a background question
GROUP_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999",
                "#7F3C8D", "#11A579", "#3969AC", "#F2B701"]


def means_plot(outcomes: list[str], groups: list[str], means: dict[str, list[tuple[float, float, float] | None]],
               axis_label: str, aria: str) -> Canvas:
    """Group means with their 95 % confidence intervals, outcome by outcome (a grouped dot plot).

    ``means[outcome]`` holds one ``(mean, ci_lower, ci_upper)`` per group, in the order of ``groups``, or
    None for a group that was not tested (left out, or the outcome skipped).
    """
    k = max(len(groups), 1)
    left, top, ph = 58, 30, 260
    # a band per outcome: room for its groups' whiskers and for the longest word of its name
    longest = max((text_width(word, 11) for o in outcomes for word in (o.split() if " " in o else [o[:6]])),
                  default=40.0)
    band = max(64.0, min(16.0 * k + 34, 760.0 / max(len(outcomes), 1)), longest + 10)
    width = left + band * len(outcomes) + 16
    # legend: groups as coloured swatches, wrapped into lines
    legend, line, x = [], [], 0.0
    for i, text in enumerate(groups):
        w = 18 + text_width(text, 11) + 14
        if line and x + w > width - left:
            legend.append(line)
            line, x = [], 0.0
        line.append((x, i, text))
        x += w
    legend.append(line)
    labels = [_wrap(o, 11, band - 6)[:4] for o in outcomes]
    label_rows = max((len(l) for l in labels), default=1)
    height = top + ph + 10 + 14 * label_rows + 14 + 18 * len(legend) + 8
    values = [v for rows in means.values() for r in rows if r is not None for v in r if math.isfinite(v)]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    step = _nice_step((hi - lo) or 1.0, 5)
    y0, y1 = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if y1 <= y0:
        y1 = y0 + step

    def py(v):
        return top + ph * (1 - (v - y0) / (y1 - y0))

    cv = Canvas(width, height, aria)
    v = y0
    while v <= y1 + 1e-9:
        cv.line(left, py(v), width - 16, py(v), stroke="#e5e5e5", width=1)
        cv.line(left - 4, py(v), left, py(v), stroke="#222")
        cv.text(left - 7, py(v) + 4, f"{v:.{2 if step < 0.1 else 1}f}", size=11, anchor="end")
        v += step
    cv.line(left, top, left, top + ph, stroke="#222")
    cv.line(left, top + ph, width - 16, top + ph, stroke="#222")
    cv.text(4, top - 14, axis_label, size=11, anchor="start", fill="#333")
    for j, outcome in enumerate(outcomes):
        x0 = left + band * j
        if j:
            cv.line(x0, top + ph, x0, top + ph + 4, stroke="#222")
        spacing = (band - 20) / k
        for i, r in enumerate(means.get(outcome, [])):
            if r is None or not all(math.isfinite(t) for t in r):
                continue
            m, a, b = r
            x = x0 + 10 + spacing * (i + 0.5)
            color = GROUP_COLORS[i % len(GROUP_COLORS)]
            cv.line(x, py(a), x, py(b), stroke=color, width=1.6)
            cv.line(x - 3, py(a), x + 3, py(a), stroke=color, width=1.6)
            cv.line(x - 3, py(b), x + 3, py(b), stroke=color, width=1.6)
            cv.circle(x, py(m), 3.6, fill=color, stroke="#fff")
        for n, text in enumerate(labels[j]):
            cv.text(x0 + band / 2, top + ph + 18 + 14 * n, text, size=11, anchor="middle")
    y = top + ph + 10 + 14 * label_rows + 14
    for line in legend:
        for x, i, text in line:
            color = GROUP_COLORS[i % len(GROUP_COLORS)]
            cv.line(left + x, y + 8, left + x + 12, y + 8, stroke=color, width=1.6)
            cv.circle(left + x + 6, y + 8, 3.6, fill=color, stroke="#fff")
            cv.text(left + x + 18, y + 12, text, size=11)
        y += 18
    return cv
