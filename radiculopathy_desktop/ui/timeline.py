"""The patient timeline: visits in order and the trend chart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget, QAbstractItemView

from radiculopathy_desktop.domain.characters import visible
from radiculopathy_desktop.domain.vocabulary import TREATMENTS, decision_sentence
from radiculopathy_desktop.ui.trend_chart import TrendChart, points_from_case


def _n(value) -> str:
    return "—" if value is None else f"{value:g}"


class TimelineView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        splitter = QSplitter(Qt.Vertical)
        self.chart = TrendChart()
        splitter.addWidget(self.chart)
        holder = QWidget()
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(QLabel("<b>Visits and decisions, oldest first</b>"))
        self.table = QTableWidget(0, 6)
        self.table.setAccessibleName("Visits and decisions")
        self.table.setHorizontalHeaderLabels(["Date", "Week", "What", "Leg pain", "Back pain", "Function / details"])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTabKeyNavigation(False)
        inner.addWidget(self.table)
        splitter.addWidget(holder)
        splitter.setSizes([320, 240])
        layout.addWidget(splitter)

    def show_case(self, case, settings, today) -> None:
        start = case.intake.care_start_date
        points, label = points_from_case(case, start)
        baseline_leg = case.intake.leg_nrs
        improved = max(baseline_leg - settings.mcid_leg_nrs_points, 0) if baseline_leg is not None else None
        self.chart.set_data(points, label, (settings.window_start_day, settings.window_end_day),
                            settings.resolved_leg_nrs_max, improved, (today - start).days / 7)
        rows = []
        i = case.intake
        func = i.function
        rows.append((i.visit_date, "Intake (baseline)", i.leg_nrs, i.back_nrs,
                     f"ODI {func.odi_percent:g}%" if func.odi_percent is not None else
                     (f"RMDQ {func.rmdq}" if func.rmdq is not None else "")))
        for v in case.visits:
            bits = []
            if v.odi_percent is not None:
                bits.append(f"ODI {v.odi_percent:g}%")
            if v.rmdq is not None:
                bits.append(f"RMDQ {v.rmdq}")
            if v.treatments_tried:
                bits.append("tried: " + ", ".join(TREATMENTS.get(t.code, t.code) for t in v.treatments_tried))
            if v.red_flags:
                yes = [k for k, a in v.red_flags.items() if a == "yes"]
                bits.append("red flag: " + ", ".join(yes) if yes else "red flags re-asked: none")
            if v.notes:
                bits.append(v.notes)
            rows.append((v.date, "Follow-up visit", v.leg_nrs, v.back_nrs, "; ".join(bits)))
        from radiculopathy_desktop.domain.followup import acknowledged_words
        for d in case.decisions:
            text = decision_sentence(d.kind, d.until)
            named = acknowledged_words(d)
            rows.append((d.date, "Decision", None, None, text + (f" ({named})" if named else "")
                         + (f" — {d.note}" if d.note else "")))
        rows.sort(key=lambda r: (r[0], r[1] == "Decision"))
        self.table.setRowCount(len(rows))
        for n, (day, what, leg, back, detail) in enumerate(rows):
            week = (day - start).days // 7
            for col, value in enumerate((day.isoformat(), str(week), what, _n(leg) if what != "Decision" else "",
                                         _n(back) if what != "Decision" else "", detail)):
                self.table.setItem(n, col, QTableWidgetItem(visible(value)))  # notes: never obeyed (rt8 F8)
        self.table.resizeColumnsToContents()
