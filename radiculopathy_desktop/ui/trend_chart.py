"""Leg pain, back pain and function over weeks since care started, drawn with QPainter.

The review window (default weeks 6-12) is shaded; the resolution line (leg pain at
or below the threshold) and the improvement line (baseline leg pain minus the
MCID) are drawn and labelled in words. Function is ODI % or RMDQ scaled to 0-10
(RMDQ x 10/24, ODI / 10) so all three share one axis; the legend says so.
Lines differ by dash pattern and marker shape as well as colour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from radiculopathy_desktop.ui import style


@dataclass(frozen=True)
class TrendPoint:
    week: float
    leg: float | None
    back: float | None
    function: float | None  # 0-10 scale


def points_from_case(case, care_start: dt.date) -> tuple[list[TrendPoint], str]:
    """Chart points from the case's score timeline; returns (points, function label)."""
    timeline = case.score_timeline()
    use_odi = any(p.odi_percent is not None for p in timeline)
    label = "Function (ODI % ÷ 10)" if use_odi else "Function (RMDQ × 10/24)"
    out = []
    for p in timeline:
        if use_odi:
            func = None if p.odi_percent is None else p.odi_percent / 10
        else:
            func = None if p.rmdq is None else p.rmdq * 10 / 24
        out.append(TrendPoint((p.date - care_start).days / 7, p.leg_nrs, p.back_nrs, func))
    return out, label


class TrendChart(QWidget):
    SERIES = (("leg", "Leg pain (0-10)", Qt.SolidLine, "circle"),
              ("back", "Back pain (0-10)", Qt.DashLine, "square"),
              ("function", "Function", Qt.DotLine, "triangle"))

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Trend chart of leg pain, back pain and function")
        self.setFocusPolicy(Qt.StrongFocus)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.points: list[TrendPoint] = []
        self.function_label = "Function"
        self.window_weeks = (6.0, 12.0)
        self.resolved_max: float | None = None
        self.improvement_line: float | None = None
        self.today_week: float | None = None

    def set_data(self, points, function_label, window_days, resolved_leg_max, improvement_line, today_week):
        self.points = list(points)
        self.function_label = function_label
        self.window_weeks = (window_days[0] / 7, window_days[1] / 7)
        self.resolved_max = resolved_leg_max
        self.improvement_line = improvement_line
        self.today_week = today_week
        self.setAccessibleDescription(self.describe())
        self.update()

    def describe(self) -> str:
        if not self.points:
            return "No scores recorded."
        parts = []
        for p in self.points:
            bits = [f"week {p.week:.0f}"]
            if p.leg is not None:
                bits.append(f"leg pain {p.leg:g}")
            if p.back is not None:
                bits.append(f"back pain {p.back:g}")
            if p.function is not None:
                bits.append(f"function {p.function:.1f}")
            parts.append(", ".join(bits))
        return "; ".join(parts)

    def sizeHint(self) -> QSize:
        em = self.fontMetrics().height()
        return QSize(em * 36, em * 16)

    def minimumSizeHint(self) -> QSize:
        em = self.fontMetrics().height()
        return QSize(em * 20, em * 11)

    def _series_colour(self, key: str) -> QColor:
        dark = style.is_dark(self.palette())
        colours = {"leg": ("#c0392b", "#ff8a80"), "back": ("#1f5fa8", "#82b1ff"), "function": ("#2e7d32", "#a5d6a7")}
        return QColor(colours[key][1 if dark else 0])

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.WindowText)
        fm = self.fontMetrics()
        em = fm.height()
        painter.fillRect(self.rect(), pal.color(QPalette.Base))
        legend_h = em * 1.6
        plot = QRectF(em * 2.6, em * 0.8, self.width() - em * 3.6, self.height() - em * 3.4 - legend_h)
        if plot.width() < 40 or plot.height() < 40:
            return
        max_week = max([12.0, self.window_weeks[1] + 1] + [p.week + 1 for p in self.points]
                       + ([self.today_week + 0.5] if self.today_week is not None else []))

        def x(week: float) -> float:
            return plot.left() + plot.width() * max(week, 0) / max_week

        def y(value: float) -> float:
            return plot.bottom() - plot.height() * value / 10

        # review window
        shade = QColor(style.status_colours("due")[0])
        painter.fillRect(QRectF(QPointF(x(self.window_weeks[0]), plot.top()),
                                QPointF(x(self.window_weeks[1]), plot.bottom())), shade)
        painter.setPen(text)
        painter.drawText(QRectF(x(self.window_weeks[0]), plot.top(), x(self.window_weeks[1]) - x(self.window_weeks[0]),
                                em * 1.2), Qt.AlignCenter, "Review window")
        # axes and grid
        grid = QColor(text)
        grid.setAlpha(50)
        for v in range(0, 11, 2):
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), y(v)), QPointF(plot.right(), y(v)))
            painter.setPen(text)
            painter.drawText(QRectF(0, y(v) - em / 2, plot.left() - 6, em), Qt.AlignRight | Qt.AlignVCenter, str(v))
        step = 2 if max_week <= 26 else 4
        for w in range(0, int(max_week) + 1, step):
            painter.drawText(QRectF(x(w) - em * 1.5, plot.bottom() + 4, em * 3, em), Qt.AlignHCenter, str(w))
        painter.drawText(QRectF(plot.left(), plot.bottom() + em * 1.1, plot.width(), em), Qt.AlignHCenter,
                         "Weeks since care started")
        painter.setPen(QPen(text, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        # threshold lines
        for value, label, colour in ((self.resolved_max, "Resolved at or below", "#2e7d32"),
                                     (self.improvement_line, "Improved at or below", "#1f5fa8")):
            if value is None:
                continue
            pen = QPen(QColor(colour) if not style.is_dark(pal) else text, 1.5, Qt.DashDotLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(plot.left(), y(value)), QPointF(plot.right(), y(value)))
            painter.drawText(QRectF(plot.right() - em * 14, y(value) - em * 1.1, em * 14, em),
                             Qt.AlignRight, f"{label} {value:g} (leg)")
        if self.today_week is not None:
            painter.setPen(QPen(text, 1, Qt.DotLine))
            painter.drawLine(QPointF(x(self.today_week), plot.top()), QPointF(x(self.today_week), plot.bottom()))
            tx = x(self.today_week)
            width = fm.horizontalAdvance("today")
            painter.drawText(QPointF(tx + 3 if tx + 3 + width < plot.right() else tx - 3 - width,
                                     plot.bottom() - 4), "today")
        # series
        for key, label, dash, marker in self.SERIES:
            colour = self._series_colour(key)
            pts = [(p.week, getattr(p, key)) for p in self.points if getattr(p, key) is not None]
            if not pts:
                continue
            path = QPainterPath()
            path.moveTo(x(pts[0][0]), y(pts[0][1]))
            for w, v in pts[1:]:
                path.lineTo(x(w), y(v))
            painter.setPen(QPen(colour, 2.5, dash))
            painter.setBrush(Qt.NoBrush)
            painter.drawPath(path)
            painter.setBrush(colour)
            painter.setPen(QPen(colour, 1))
            r = em * 0.3
            for w, v in pts:
                self._marker(painter, marker, QPointF(x(w), y(v)), r)
        # legend
        lx = plot.left()
        ly = self.height() - legend_h * 0.7
        for key, label, dash, marker in self.SERIES:
            colour = self._series_colour(key)
            label = self.function_label if key == "function" else label
            painter.setPen(QPen(colour, 2.5, dash))
            painter.drawLine(QPointF(lx, ly), QPointF(lx + em * 1.6, ly))
            painter.setBrush(colour)
            self._marker(painter, marker, QPointF(lx + em * 0.8, ly), em * 0.28)
            painter.setPen(text)
            painter.drawText(QPointF(lx + em * 2, ly + fm.ascent() / 2 - 1), label)
            lx += em * 2.6 + fm.horizontalAdvance(label)
        painter.end()

    @staticmethod
    def _marker(painter: QPainter, shape: str, c: QPointF, r: float) -> None:
        if shape == "circle":
            painter.drawEllipse(c, r, r)
        elif shape == "square":
            painter.drawRect(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r))
        else:
            path = QPainterPath()
            path.moveTo(c.x(), c.y() - r * 1.2)
            path.lineTo(c.x() + r * 1.1, c.y() + r)
            path.lineTo(c.x() - r * 1.1, c.y() + r)
            path.closeSubpath()
            painter.drawPath(path)
