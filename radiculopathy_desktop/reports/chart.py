"""The score trend chart as a pure paint function: leg pain, back pain and function
over weeks since conservative care started, on any QPainter.

``paint_trend_chart(painter, rect, series)`` draws into ``rect`` and touches nothing
else, so the window (``ui/trend_chart.py``) and the referral summary can draw the
same chart. It reads in black and white: the three lines differ by pen (solid, dashed,
dotted) and marker (circle, square, triangle), the review window is hatched, and every
line is named in the legend - colour carries no meaning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF


@dataclass(frozen=True)
class TrendSeries:
    weeks: tuple[float, ...]
    leg: tuple[float | None, ...]
    back: tuple[float | None, ...]
    function: tuple[float | None, ...]  # 0-10 scale (ODI/10 or RMDQ*10/24)
    function_label: str = "Function (ODI % / 10)"
    window_weeks: tuple[float, float] = (6.0, 12.0)
    resolved_leg_max: float | None = 2.0


def series_from_case(case, window_days: tuple[int, int] = (42, 84),
                     resolved_leg_max: float | None = 2.0, as_of: dt.date | None = None) -> TrendSeries:
    """The chart data for ``case`` (visits after ``as_of`` left out)."""
    timeline = [p for p in case.score_timeline() if as_of is None or p.date <= as_of]
    start = case.intake.care_start_date
    use_odi = any(p.odi_percent is not None for p in timeline)
    weeks, leg, back, func = [], [], [], []
    for p in timeline:
        weeks.append((p.date - start).days / 7)
        leg.append(p.leg_nrs)
        back.append(p.back_nrs)
        if use_odi:
            func.append(None if p.odi_percent is None else p.odi_percent / 10)
        else:
            func.append(None if p.rmdq is None else p.rmdq * 10 / 24)
    return TrendSeries(tuple(weeks), tuple(leg), tuple(back), tuple(func),
                       "Function (ODI % / 10)" if use_odi else "Function (RMDQ x 10/24)",
                       (window_days[0] / 7, window_days[1] / 7), resolved_leg_max)


LINES = (  # key, label, pen style, marker
    ("leg", "Leg pain (NRS 0-10)", Qt.SolidLine, "circle"),
    ("back", "Back pain (NRS 0-10)", Qt.DashLine, "square"),
    ("function", None, Qt.DotLine, "triangle"),
)


def paint_trend_chart(painter: QPainter, rect: QRectF, series: TrendSeries, font_px: float = 12.0,
                      ink: QColor | None = None) -> None:
    """Draw the chart inside ``rect`` (painter units); ``font_px`` is the label size."""
    ink = ink or QColor(Qt.black)
    painter.save()
    painter.setRenderHint(QPainter.Antialiasing)
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(int(font_px), 6))
    painter.setFont(font)
    fm = painter.fontMetrics()
    line_w = max(font_px / 6, 1.0)

    legend_h = fm.height() * 1.6
    left = rect.left() + fm.horizontalAdvance("10") + font_px
    right = rect.right() - font_px
    top = rect.top() + font_px * 0.5
    bottom = rect.bottom() - legend_h - fm.height() * 2.2
    plot = QRectF(QPointF(left, top), QPointF(right, bottom))

    max_week = max([series.window_weeks[1] + 1, *series.weeks]) if series.weeks else series.window_weeks[1] + 1
    max_week = float(int(max_week + 0.999))

    def x(week: float) -> float:
        return plot.left() + plot.width() * max(week, 0) / max_week

    def y(value: float) -> float:
        return plot.bottom() - plot.height() * value / 10

    # review window, hatched (reads on any printer)
    w0, w1 = series.window_weeks
    window = QRectF(QPointF(x(w0), plot.top()), QPointF(x(min(w1, max_week)), plot.bottom()))
    painter.fillRect(window, QBrush(QColor(0, 0, 0, 40), Qt.BDiagPattern))
    painter.setPen(QPen(ink, line_w * 0.5, Qt.DashDotLine))
    painter.drawLine(QPointF(window.left(), plot.top()), QPointF(window.left(), plot.bottom()))
    painter.drawLine(QPointF(window.right(), plot.top()), QPointF(window.right(), plot.bottom()))
    painter.setPen(ink)
    painter.drawText(QRectF(window.left(), plot.top(), window.width(), fm.height() * 1.2),
                     Qt.AlignCenter, "Review window")

    # axes and grid
    painter.setPen(QPen(ink, line_w * 0.6))
    painter.drawRect(plot)
    grid = QPen(QColor(0, 0, 0, 70), line_w * 0.4, Qt.DotLine)
    for v in range(0, 11, 2):
        painter.setPen(grid)
        painter.drawLine(QPointF(plot.left(), y(v)), QPointF(plot.right(), y(v)))
        painter.setPen(ink)
        painter.drawText(QRectF(rect.left(), y(v) - fm.height() / 2, plot.left() - rect.left() - font_px * 0.4,
                                fm.height()), Qt.AlignRight | Qt.AlignVCenter, str(v))
    step = 1 if max_week <= 16 else 2 if max_week <= 32 else 4
    wk = 0
    while wk <= max_week:
        painter.drawText(QRectF(x(wk) - font_px * 2, plot.bottom() + font_px * 0.2, font_px * 4, fm.height()),
                         Qt.AlignHCenter | Qt.AlignTop, str(wk))
        wk += step
    painter.drawText(QRectF(plot.left(), plot.bottom() + fm.height() * 1.1, plot.width(), fm.height()),
                     Qt.AlignHCenter | Qt.AlignTop, "Weeks since conservative care started")

    # resolution threshold
    if series.resolved_leg_max is not None:
        painter.setPen(QPen(ink, line_w * 0.6, Qt.DashDotDotLine))
        ry = y(series.resolved_leg_max)
        painter.drawLine(QPointF(plot.left(), ry), QPointF(plot.right(), ry))
        painter.drawText(QRectF(plot.left() + font_px * 0.3, ry - fm.height() * 1.1, plot.width(), fm.height()),
                         Qt.AlignLeft | Qt.AlignBottom, f"Resolved: leg pain {series.resolved_leg_max:g} or less")

    # the three lines
    data = {"leg": series.leg, "back": series.back, "function": series.function}
    for key, label, style, marker in LINES:
        pen = QPen(ink, line_w * (1.6 if key == "leg" else 1.1), style)
        pen.setCapStyle(Qt.FlatCap)
        painter.setPen(pen)
        path = QPainterPath()
        started = False
        pts = []
        for week, value in zip(series.weeks, data[key]):
            if value is None:
                continue
            pt = QPointF(x(week), y(value))
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
            _marker(painter, marker, pt, font_px * 0.38, ink)

    # legend, one row under the axis title
    lx = plot.left()
    ly = rect.bottom() - legend_h / 2
    for key, label, style, marker in LINES:
        label = label or series.function_label
        pen = QPen(ink, line_w * (1.6 if key == "leg" else 1.1), style)
        painter.setPen(pen)
        painter.drawLine(QPointF(lx, ly), QPointF(lx + font_px * 2.4, ly))
        painter.setPen(QPen(ink, line_w))
        _marker(painter, marker, QPointF(lx + font_px * 1.2, ly), font_px * 0.38, ink)
        painter.setPen(ink)
        tx = lx + font_px * 2.8
        painter.drawText(QRectF(tx, ly - fm.height() / 2, fm.horizontalAdvance(label) + 4, fm.height()),
                         Qt.AlignLeft | Qt.AlignVCenter, label)
        lx = tx + fm.horizontalAdvance(label) + font_px * 1.5
    painter.restore()


def _marker(painter: QPainter, shape: str, c: QPointF, r: float, ink: QColor) -> None:
    if shape == "circle":
        painter.setBrush(QBrush(ink))
        painter.drawEllipse(c, r, r)
    elif shape == "square":
        painter.setBrush(QBrush(Qt.white))
        painter.drawRect(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r))
    else:
        painter.setBrush(QBrush(Qt.white))
        painter.drawPolygon(QPolygonF([QPointF(c.x(), c.y() - r * 1.2), QPointF(c.x() + r * 1.1, c.y() + r * 0.8),
                                       QPointF(c.x() - r * 1.1, c.y() + r * 0.8)]))
    painter.setBrush(Qt.NoBrush)


def chart_image(series: TrendSeries, width_px: int = 2100, height_px: int = 900):
    """The chart painted on a white QImage (for documents: drawn scaled into its box)."""
    from PySide6.QtGui import QImage

    img = QImage(width_px, height_px, QImage.Format_RGB32)
    img.fill(Qt.white)
    painter = QPainter(img)
    paint_trend_chart(painter, QRectF(0, 0, width_px, height_px), series, font_px=width_px / 58)
    painter.end()
    return img
