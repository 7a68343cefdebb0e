"""The patient timeline: visits and decisions in the order they happened, and the trend chart.

Rows are ordered by date and, on one date, in the order the records were entered (their
stored ``entry`` number, ``domain.intake.entry_key``; records from before the tracker kept
the order come first, visits before decisions, as stored), after the intake of that date
(gp14 G12: a decision entered before a same-day visit was shown after it). A visit's muscle
grades (MRC 0-5) that differ from the intake's are shown beside it, with the intake's grade.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget, QAbstractItemView

from radiculopathy_desktop.domain.characters import visible
from radiculopathy_desktop.domain.intake import entry_key
from radiculopathy_desktop.domain.vocabulary import MUSCLE_GROUPS, TREATMENTS, decision_sentence
from radiculopathy_desktop.ui.trend_chart import TrendChart, points_from_case


def _n(value) -> str:
    return "—" if value is None else f"{value:g}"


def _muscle(key: str) -> str:
    return MUSCLE_GROUPS.get(key, key.replace("_", " ").capitalize())


def intake_grades_words(power) -> str:
    """``MRC: Great-toe extension 4/5, ...`` for the intake's graded muscles ("" when none)."""
    graded = [f"{_muscle(k)} {power[k]}/5" for k in MUSCLE_GROUPS if k in power]
    graded += [f"{_muscle(k)} {g}/5" for k, g in power.items() if k not in MUSCLE_GROUPS]
    return "MRC: " + ", ".join(graded) if graded else ""


def visit_grades_words(visit_power, intake_power) -> str:
    """A visit's muscle grades that differ from the intake's, with the intake's grade
    (``MRC: Ankle dorsiflexion 3/5 (intake 5/5)``; a muscle not graded at the intake: "intake
    not graded"); "MRC as at the intake" when every grade is the intake's; "" when none graded."""
    if not visit_power:
        return ""
    keys = [k for k in MUSCLE_GROUPS if k in visit_power] + [k for k in visit_power if k not in MUSCLE_GROUPS]
    changed = []
    for key in keys:
        grade, before = visit_power[key], intake_power.get(key)
        if grade != before:
            was = f"intake {before}/5" if before is not None else "intake not graded"
            changed.append(f"{_muscle(key)} {grade}/5 ({was})")
    return "MRC: " + ", ".join(changed) if changed else "MRC as at the intake"


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
        # gp26 F2: the chart's and the table's minimum heights (eleven lines of text and more) were
        # the tab row's minimum, so at a large font the case page could give its medicine-safety
        # text only four lines, run under the tab row, and the window grew past the screen. In a
        # scroll area the timeline asks for no height of its own: it scrolls when the page is short.
        from PySide6.QtWidgets import QFrame, QScrollArea
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.scroll.setFocusPolicy(Qt.NoFocus)  # Tab goes to the table
        self.scroll.setWidget(splitter)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)

    def show_case(self, case, settings, today) -> None:
        start = case.intake.care_start_date
        points, label = points_from_case(case, start)
        baseline_leg = case.review_baseline().leg_nrs  # the intake's day's latest (rt21 F5)
        improved = max(baseline_leg - settings.mcid_leg_nrs_points, 0) if baseline_leg is not None else None
        self.chart.set_data(points, label, (settings.window_start_day, settings.window_end_day),
                            settings.resolved_leg_nrs_max, improved, (today - start).days / 7)
        rows = []  # (sort key, date, what, leg, back, detail)
        i = case.intake
        func = i.function
        power = i.examination.power
        intake_bits = [f"ODI {func.odi_percent:g}%" if func.odi_percent is not None else
                       (f"RMDQ {func.rmdq}" if func.rmdq is not None else ""), intake_grades_words(power)]
        from radiculopathy_desktop.domain.intake import baseline_rerecorded
        from radiculopathy_desktop.domain.visits import INTAKE_BASELINE_KIND, INTAKE_REPLACED_KIND, baseline_mark
        intake_mark = baseline_mark(i, case.visits, None)  # gp20 F11: "(baseline)" on the record that is
        intake_kind = (INTAKE_REPLACED_KIND + (f" {intake_mark}" if intake_mark else "")
                       if baseline_rerecorded(i, case.visits)  # rt21 F5: a later record of the intake's day stands
                       else INTAKE_BASELINE_KIND)
        intake_kind = intake_kind[0].upper() + intake_kind[1:]  # "ODI" keeps its capitals
        rows.append(((i.visit_date, 0), i.visit_date, intake_kind, i.leg_nrs, i.back_nrs,
                     "; ".join(b for b in intake_bits if b)))

        def order(record, n: int, kind: int) -> tuple:
            # by date, then as entered (entry_key); unnumbered records first, visits before decisions
            day, numbered, entry = entry_key(record)
            return (day, 1, numbered, entry, kind if not numbered else 0, n)

        from radiculopathy_desktop.domain.visits import INTAKE_DAY_KIND, is_intake_day_visit, rescreen_words
        for n, v in enumerate(case.visits):
            bits = []
            if v.odi_percent is not None:
                bits.append(f"ODI {v.odi_percent:g}%")
            if v.rmdq is not None:
                bits.append(f"RMDQ {v.rmdq}")
            if v.treatments_tried:
                bits.append("tried: " + ", ".join(TREATMENTS.get(t.code, t.code) for t in v.treatments_tried))
            bits.append(rescreen_words(v.red_flags))  # window31: all no, none asked and yes said apart
            grades = visit_grades_words(v.power, power)
            if grades:
                bits.append(grades)
            if v.notes:
                bits.append(v.notes)
            # rt21 F9: a record of the intake's own day is not a follow-up (nor counted as one)
            mark = baseline_mark(i, case.visits, n) if is_intake_day_visit(case, v) else ""
            what = INTAKE_DAY_KIND[0].upper() + INTAKE_DAY_KIND[1:] + (f" {mark}" if mark else "") \
                if is_intake_day_visit(case, v) else "Follow-up visit"
            rows.append((order(v, n, 0), v.date, what, v.leg_nrs, v.back_nrs, "; ".join(bits)))
        from radiculopathy_desktop.domain.followup import acknowledged_words
        for n, d in enumerate(case.decisions):
            text = decision_sentence(d.kind, d.until)
            named = acknowledged_words(d)
            rows.append((order(d, n, 1), d.date, "Decision", None, None, text + (f" ({named})" if named else "")
                         + (f" — {d.note}" if d.note else "")))
        rows.sort(key=lambda r: r[0])
        self.table.setRowCount(len(rows))
        for n, (_key, day, what, leg, back, detail) in enumerate(rows):
            week = (day - start).days // 7
            for col, value in enumerate((day.isoformat(), str(week), what, _n(leg) if what != "Decision" else "",
                                         _n(back) if what != "Decision" else "", detail)):
                self.table.setItem(n, col, QTableWidgetItem(visible(value)))  # notes: never obeyed (rt8 F8)
        self.table.resizeColumnsToContents()
