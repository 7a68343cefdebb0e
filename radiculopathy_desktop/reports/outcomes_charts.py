"""The Outcomes charts as pure paint functions (issue 16), in the style of reports/chart.py.

``paint_run_chart``, ``paint_weeks_to_decision`` and ``paint_leg_pain_by_group`` draw into a
rect on any QPainter, so the window and the audit report PDF draw the same pictures. They
read in black and white: series differ by pen (solid, dashed, dotted, dash-dot) and marker
(circle, square, triangle, diamond), bars are hatched, every series is named in the legend,
and a point based on fewer than 5 cases is not drawn (the gap is labelled "<5"). Each chart
has a text alternative (``*_text``) that says the same in words, for screen readers and
under the chart in print.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF

from radiculopathy_desktop.reports.chart import _marker

STYLES = ((Qt.SolidLine, "circle"), (Qt.DashLine, "square"), (Qt.DotLine, "triangle"), (Qt.DashDotLine, "diamond"))
QS_SHORT = {"qs1_risk_stratification": "1 Risk stratified (higher is better)",
            "qs2_imaging_without_serious_pathology": "2 Imaging, no serious pathology (lower is better)",
            "qs3_self_management": "3 Self-management advice (higher is better)"}
QS_LEGEND = {"qs1_risk_stratification": "1 Risk stratified",
             "qs2_imaging_without_serious_pathology": "2 Imaging without serious pathology",
             "qs3_self_management": "3 Self-management advice"}
GROUP_SHORT = {"low": "Low risk", "medium": "Medium risk", "high": "High risk", "not_recorded": "Not stratified"}


def _setup(painter: QPainter, font_px: float) -> tuple:
    painter.save()
    painter.setRenderHint(QPainter.Antialiasing)
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(int(font_px), 6))
    painter.setFont(font)
    return painter.fontMetrics(), max(font_px / 6, 1.0)


def _draw_marker(painter, shape, c, r, ink):
    if shape == "diamond":
        painter.setBrush(QBrush(ink))
        painter.drawPolygon(QPolygonF([QPointF(c.x(), c.y() - r * 1.2), QPointF(c.x() + r, c.y()),
                                       QPointF(c.x(), c.y() + r * 1.2), QPointF(c.x() - r, c.y())]))
        painter.setBrush(Qt.NoBrush)
    else:
        _marker(painter, shape, c, r, ink)


def _frame(painter, rect, fm, font_px, line_w, ink, y_max, y_step, y_label, x_title, legend_rows):
    legend_h = fm.height() * 1.4 * legend_rows
    left = rect.left() + fm.horizontalAdvance("100%") + font_px
    plot = QRectF(QPointF(left, rect.top() + fm.height() * 1.4),
                  QPointF(rect.right() - font_px, rect.bottom() - legend_h - fm.height() * 2.4))
    painter.setPen(ink)
    painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), fm.height() * 1.2), Qt.AlignLeft | Qt.AlignTop,
                     y_label)
    painter.setPen(QPen(ink, line_w * 0.6))
    painter.drawRect(plot)
    grid = QPen(QColor(0, 0, 0, 70), line_w * 0.4, Qt.DotLine)
    v = 0
    while v <= y_max + 1e-9:
        yy = plot.bottom() - plot.height() * v / y_max
        painter.setPen(grid)
        painter.drawLine(QPointF(plot.left(), yy), QPointF(plot.right(), yy))
        painter.setPen(ink)
        painter.drawText(QRectF(rect.left(), yy - fm.height() / 2, plot.left() - rect.left() - font_px * 0.4,
                                fm.height()), Qt.AlignRight | Qt.AlignVCenter, f"{v:g}")
        v += y_step
    painter.drawText(QRectF(plot.left(), plot.bottom() + fm.height() * 1.1, plot.width(), fm.height()),
                     Qt.AlignHCenter | Qt.AlignTop, x_title)
    return plot, rect.bottom() - legend_h


def _legend(painter, entries, x0, y0, width, fm, font_px, line_w, ink, one_per_row=False):
    """entries: (label, pen style, marker) laid out left to right, wrapping to new rows."""
    lx, ly = x0, y0 + fm.height() * 0.7
    for label, style, marker in entries:
        need = font_px * 2.8 + fm.horizontalAdvance(label) + font_px * 1.5
        if (one_per_row or lx + need > x0 + width) and lx > x0:
            lx, ly = x0, ly + fm.height() * 1.4
        painter.setPen(QPen(ink, line_w * 1.3, style))
        painter.drawLine(QPointF(lx, ly), QPointF(lx + font_px * 2.4, ly))
        painter.setPen(QPen(ink, line_w))
        _draw_marker(painter, marker, QPointF(lx + font_px * 1.2, ly), font_px * 0.38, ink)
        painter.setPen(ink)
        painter.drawText(QRectF(lx + font_px * 2.8, ly - fm.height() / 2, fm.horizontalAdvance(label) + 4,
                                fm.height()), Qt.AlignLeft | Qt.AlignVCenter, label)
        lx += need


def _lines(painter, plot, xs, series, y_max, line_w, font_px, ink, fm, small_label=True):
    """series: [(label, [value or None or 'small'], style, marker)] over x positions xs."""
    for label, values, style, marker in series:
        painter.setPen(QPen(ink, line_w * 1.3, style))
        path, started, pts = QPainterPath(), False, []
        for x, v in zip(xs, values):
            if v is None or v == "small":
                started = False  # a gap: no line through a suppressed point
                continue
            pt = QPointF(x, plot.bottom() - plot.height() * v / y_max)
            pts.append(pt)
            if started:
                path.lineTo(pt)
            else:
                path.moveTo(pt)
                started = True
        painter.setBrush(Qt.NoBrush)
        painter.drawPath(path)
        painter.setPen(QPen(ink, line_w))
        for pt in pts:
            _draw_marker(painter, marker, pt, font_px * 0.38, ink)
    if small_label:
        painter.setPen(ink)
        for i, x in enumerate(xs):
            if any(values[i] == "small" for _, values, _, _ in series):
                painter.drawText(QRectF(x - font_px * 2, plot.bottom() - fm.height() * 1.1, font_px * 4, fm.height()),
                                 Qt.AlignCenter, "<5")


def _short_month(month: str) -> str:
    names = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    y, m = month.split("-")
    return f"{names[int(m) - 1]} {y[2:]}"


# --------------------------------------------------------------------------- run chart
def paint_run_chart(painter: QPainter, rect: QRectF, run_charts: dict, font_px: float = 12.0,
                    ink: QColor | None = None) -> None:
    """Monthly percentage of each QS155 measure (months with fewer than 5 cases: no point)."""
    ink = ink or QColor(Qt.black)
    fm, line_w = _setup(painter, font_px)
    months = [m for m, _ in next(iter(run_charts.values()), [])]
    plot, legend_top = _frame(painter, rect, fm, font_px, line_w, ink, 100, 20, "% of cases",
                              "Month of the intake visit", max(len(run_charts), 1))
    n = max(len(months), 1)
    xs = [plot.left() + plot.width() * (i + 0.5) / n for i in range(len(months))]
    step = max(1, (len(months) + 11) // 12)
    painter.setPen(ink)
    for i, (x, mo) in enumerate(zip(xs, months)):
        if i % step == 0:
            painter.drawText(QRectF(x - font_px * 3, plot.bottom() + font_px * 0.2, font_px * 6, fm.height()),
                             Qt.AlignHCenter | Qt.AlignTop, _short_month(mo))
    series = []
    for (mid, points), (style, marker) in zip(run_charts.items(), STYLES):
        values = [("small" if p.denominator and p.percent is None else p.percent) for _, p in points]
        series.append((QS_LEGEND.get(mid, mid), values, style, marker))
    _lines(painter, plot, xs, series, 100, line_w, font_px, ink, fm)
    _legend(painter, [(s[0], s[2], s[3]) for s in series], plot.left(), legend_top, plot.width(), fm, font_px,
            line_w, ink, one_per_row=True)
    painter.restore()


def run_chart_text(run_charts: dict) -> str:
    parts = []
    for mid, points in run_charts.items():
        cells = []
        for month, p in points:
            if p.denominator == 0:
                cells.append(f"{_short_month(month)} no cases")
            elif p.percent is None:
                cells.append(f"{_short_month(month)} {p.numerator}/{p.denominator} (under 5)")
            else:
                cells.append(f"{_short_month(month)} {p.percent:.0f}% ({p.numerator}/{p.denominator})")
        parts.append(f"Statement {QS_SHORT.get(mid, mid)}: " + ("; ".join(cells) or "no months") + ".")
    return "Monthly run chart of the QS155 measures. " + " ".join(parts)


# --------------------------------------------------------------------------- weeks to decision
def paint_weeks_to_decision(painter: QPainter, rect: QRectF, histogram: dict[int, int],
                            window_weeks: tuple[float, float] = (6, 12), font_px: float = 12.0,
                            ink: QColor | None = None) -> None:
    """Number of cases by whole weeks from care start to the first decision (hatched bars)."""
    ink = ink or QColor(Qt.black)
    fm, line_w = _setup(painter, font_px)
    top = max(histogram.values(), default=0)
    y_step = max(1, _nice_step(top))
    y_max = max(y_step, ((top + y_step - 1) // y_step) * y_step)
    plot, legend_top = _frame(painter, rect, fm, font_px, line_w, ink, y_max, y_step, "Cases",
                              "Weeks from care start to the first decision", 1)
    last = max([int(window_weeks[1]) + 2, *histogram.keys()]) if histogram else int(window_weeks[1]) + 2
    bw = plot.width() / (last + 1)
    w0, w1 = window_weeks
    window = QRectF(QPointF(plot.left() + bw * w0, plot.top()), QPointF(plot.left() + bw * (w1 + 1), plot.bottom()))
    painter.fillRect(window, QBrush(QColor(0, 0, 0, 25), Qt.BDiagPattern))
    painter.setPen(ink)
    painter.drawText(QRectF(window.left(), plot.top(), window.width(), fm.height() * 1.2), Qt.AlignCenter,
                     "Review window")
    for week in range(last + 1):
        count = histogram.get(week, 0)
        x = plot.left() + bw * week
        if count:
            h = plot.height() * count / y_max
            bar = QRectF(x + bw * 0.12, plot.bottom() - h, bw * 0.76, h)
            painter.fillRect(bar, QBrush(Qt.white))
            painter.fillRect(bar, QBrush(ink, Qt.FDiagPattern))
            painter.setPen(QPen(ink, line_w))
            painter.drawRect(bar)
        step = 1 if last <= 20 else 2 if last <= 40 else 4
        if week % step == 0:
            painter.drawText(QRectF(x, plot.bottom() + font_px * 0.2, bw * step, fm.height()),
                             Qt.AlignLeft | Qt.AlignTop, str(week))
    painter.restore()


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if top / step <= 6:
            return step
    return 20000


def weeks_to_decision_text(histogram: dict[int, int]) -> str:
    if not histogram:
        return "Weeks to the first decision: no decisions recorded in the period."
    cells = [f"week {w}: {n}" for w, n in sorted(histogram.items())]
    return f"Weeks to the first decision ({sum(histogram.values())} cases): " + "; ".join(cells) + "."


# --------------------------------------------------------------------------- leg pain by group
def paint_leg_pain_by_group(painter: QPainter, rect: QRectF, by_group: dict, font_px: float = 12.0,
                            ink: QColor | None = None) -> None:
    """Median leg pain at each two-week bin of care, one line per STarT Back group."""
    ink = ink or QColor(Qt.black)
    fm, line_w = _setup(painter, font_px)
    weeks = [w for w, _ in next(iter(by_group.values()), [])]
    plot, legend_top = _frame(painter, rect, fm, font_px, line_w, ink, 10, 2, "Median leg pain (NRS 0-10)",
                              "Weeks since care started", 2)
    last = max(weeks) if weeks else 12
    xs = [plot.left() + plot.width() * w / max(last, 1) for w in weeks]
    painter.setPen(ink)
    for x, w in zip(xs, weeks):
        painter.drawText(QRectF(x - font_px * 2, plot.bottom() + font_px * 0.2, font_px * 4, fm.height()),
                         Qt.AlignHCenter | Qt.AlignTop, str(w))
    series = []
    for (group, points), (style, marker) in zip(by_group.items(), STYLES):
        values = [("small" if d.n and d.median is None else d.median) for _, d in points]
        series.append((GROUP_SHORT.get(group, group), values, style, marker))
    _lines(painter, plot, xs, series, 10, line_w, font_px, ink, fm)
    _legend(painter, [(s[0], s[2], s[3]) for s in series], plot.left(), legend_top, plot.width(), fm, font_px,
            line_w, ink)
    painter.restore()


def leg_pain_by_group_text(by_group: dict) -> str:
    parts = []
    for group, points in by_group.items():
        cells = []
        for week, d in points:
            if d.n == 0:
                continue
            cells.append(f"week {week} " + (f"{d.median:g} (n={d.n})" if d.median is not None else f"n={d.n}, under 5"))
        parts.append(f"{GROUP_SHORT.get(group, group)}: " + ("; ".join(cells) or "no scores") + ".")
    return "Median leg pain over time by STarT Back group. " + " ".join(parts)


def chart_image(paint, *args, width_px: int = 900, height_px: int = 600, font_div: float = 30, **kwargs):
    """A chart painted on a white QImage (for the PDF: drawn scaled into its box, so the
    text size is a fraction of the width: ``width_px / font_div``)."""
    from PySide6.QtGui import QImage

    img = QImage(width_px, height_px, QImage.Format_RGB32)
    img.fill(Qt.white)
    painter = QPainter(img)
    paint(painter, QRectF(0, 0, width_px, height_px), *args, font_px=width_px / font_div, **kwargs)
    painter.end()
    return img
