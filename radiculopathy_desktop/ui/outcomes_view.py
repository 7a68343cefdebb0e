"""The Outcomes view (issue 16): how is the clinic's sciatica care doing, against NICE QS155
and its own numbers, for a chosen period.

Widgets only: every number comes from domain.outcomes (the same call as
``radiculopathy-desktop outcomes``: commands.outcomes.compute_from_store). The computation
runs off the GUI thread, on its own database connection, with a progress bar: the numbers
(counted in the database over the per-case facts stored on write: the table, charts and
exports), after which ``computed`` is emitted. Changing the period starts a new computation,
and an older one still running stops at its next progress report (so on a large clinic
database successive period changes do not pile up computations competing with the window).

The lists of cases behind the numbers are read only when one is opened: Enter or a click on
a measure reads that one row's cases off the GUI thread ("Listing…";
commands.outcomes.measure_cases_from_store, the same measure definition as the whole report),
and a newer period, profile or measure supersedes a listing still running, which then shows
nothing. Enter or a double-click on a case opens the patient.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from PySide6.QtCore import QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem,
    QProgressBar, QPushButton, QScrollArea, QSizePolicy, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from radiculopathy_desktop.domain.characters import visible, visible_id
from radiculopathy_desktop.ui.forms import combo, date_edit

log = logging.getLogger("radiculopathy_desktop.ui")

PROFILES = {"uk": "NICE QS155 (UK)", "us": "QS155 wording (US profile)"}


class _Relay(QObject):
    """Carries the worker thread's news to the GUI thread (queued signals)."""

    progress = Signal(int, int, int, str)  # generation, done, total, what is being done (the bar's text)
    numbers = Signal(int, object)  # the report's numbers, without the case lists
    done = Signal(int, object)
    failed = Signal(int, object)
    listed = Signal(int, int, object)  # generation, listing number, the row with its case lists
    list_failed = Signal(int, int, object)


class _Superseded(Exception):
    """A newer period was asked for: this computation stops and reports nothing."""


def compute_in_thread(data_dir, start, end, as_of, profile, relay: _Relay, generation: int,
                      is_current=None) -> threading.Thread:
    """Compute on a fresh connection in a daemon thread; report through ``relay``.

    ``is_current`` (optional, called from the worker thread) says whether this computation
    is still wanted; when it answers False at a progress report, the computation stops."""

    def emit(signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the view was closed meanwhile: nobody to tell
            pass

    def run() -> None:
        from radiculopathy_desktop.commands.outcomes import compute_from_store
        from radiculopathy_desktop.storage.store import CaseStore

        try:
            with CaseStore.open(data_dir, create=False) as store:
                from radiculopathy_desktop.domain.outcomes import MEASURE_STEPS

                # the bar's range at once (the period's cases, then the groups of measures)
                cases = store.case_count(start, min(end, as_of)) if min(end, as_of) >= start else 0
                emit(relay.progress, generation, 0, cases + MEASURE_STEPS, f"Reading cases: 0 of {cases}")

                def checked(text_of):
                    def progress(n: int, total: int, phase: str) -> None:
                        if is_current is not None and not is_current():
                            raise _Superseded
                        emit(relay.progress, generation, n, total, text_of(n, total, phase))
                    return progress

                def counting_text(n, total, phase):
                    read = total - MEASURE_STEPS
                    return (f"Counting: {min(n, read)} of {read}" if phase == "reading"
                            else f"Counting: measures {n - read} of {MEASURE_STEPS}")

                numbers = compute_from_store(store, start, end, as_of, profile, progress=checked(counting_text),
                                             with_cases=False)
                emit(relay.numbers, generation, numbers)
            emit(relay.done, generation, numbers)
        except _Superseded:
            log.info("outcomes computation superseded by a newer period")
        except Exception as exc:  # noqa: BLE001 - shown in the view, never lost
            log.warning("outcomes computation failed: %s", type(exc).__name__)
            emit(relay.failed, generation, exc)

    thread = threading.Thread(target=run, name="outcomes", daemon=True)
    thread.start()
    return thread


def list_in_thread(data_dir, start, end, as_of, measure_id: str, group: str, relay: _Relay, generation: int,
                   token: int, is_current) -> threading.Thread:
    """Read one row's case lists (a drill-down) on a fresh connection in a daemon thread;
    report through ``relay.listed`` / ``relay.list_failed``. ``is_current`` (called from the
    worker thread) says whether this list is still wanted; when it answers False at a progress
    report, or once the list is made, the thread stops and reports nothing."""

    def emit(signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the view was closed meanwhile
            pass

    def run() -> None:
        from radiculopathy_desktop.commands.outcomes import measure_cases_from_store
        from radiculopathy_desktop.storage.store import CaseStore

        def progress(n: int, total: int, phase: str) -> None:
            if not is_current():
                raise _Superseded

        try:
            with CaseStore.open(data_dir, create=False) as store:
                row = measure_cases_from_store(store, start, end, as_of, measure_id, group, progress=progress)
            if is_current():
                emit(relay.listed, generation, token, row)
        except _Superseded:
            log.info("outcomes case list superseded")
        except Exception as exc:  # noqa: BLE001 - shown in the view, never lost
            log.warning("outcomes case list failed: %s", type(exc).__name__)
            emit(relay.list_failed, generation, token, exc)

    thread = threading.Thread(target=run, name="outcomes-list", daemon=True)
    thread.start()
    return thread


class ChartBox(QWidget):
    """One chart drawn with a paint function from reports/outcomes_charts.py; its words in
    the accessible description (and the tooltip)."""

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.paint_fn = None
        self.args: tuple = ()

    def set_chart(self, paint_fn, args: tuple, text: str) -> None:
        self.paint_fn, self.args = paint_fn, args
        self.setAccessibleDescription(text)
        self.setToolTip(text)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        h = self.fontMetrics().height()
        return QSize(h * 26, h * 16)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        h = self.fontMetrics().height()
        return QSize(h * 18, h * 13)

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.Base))
        if self.paint_fn is not None:
            ink = self.palette().color(QPalette.Text)
            self.paint_fn(painter, QRectF(self.rect()).adjusted(4, 4, -4, -4), *self.args,
                          font_px=self.fontMetrics().height() * 0.8, ink=ink)
        if self.hasFocus():
            painter.setPen(self.palette().color(QPalette.Highlight))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()


class OutcomesView(QWidget):
    open_case = Signal(str)
    computed = Signal(object)  # the OutcomesReport shown (tests wait on it)

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.setAccessibleName("Outcomes and audit")
        self.report = None
        self.generation = 0
        self.threads: list[threading.Thread] = []
        self.relay = _Relay(self)
        self.relay.progress.connect(self._progress)
        self.relay.numbers.connect(self._numbers)
        self.relay.done.connect(self._done)
        self.relay.failed.connect(self._failed)
        self.relay.listed.connect(self._listed)
        self.relay.list_failed.connect(self._list_failed)
        self.list_token = 0  # the drill-down asked for last (a newer one supersedes it)
        self._listing: tuple[int, str, str] | None = None  # (generation, measure, group) being read
        self._lists: dict[tuple[str, str], object] = {}  # rows read for the shown numbers
        self._debounce = QTimer(self, singleShot=True, interval=400)
        self._debounce.timeout.connect(self.recompute)

        # Everything but the progress bar scrolls, so the view never forces the window wider
        # than the screen (200 % text, small screens).
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Calculating outcomes")
        self.progress.setTextVisible(True)
        self.progress.hide()
        outer.addWidget(self.progress)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        body = QWidget()
        self.body = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        heading = QLabel("<h2>Outcomes and audit</h2>")
        heading.setTextFormat(Qt.RichText)
        self.body.addWidget(heading)
        bar = QHBoxLayout()
        today = context.today()
        self.date_from = date_edit("Period from (first intake date)", today - dt.timedelta(days=364))
        self.date_to = date_edit("Period to (last intake date)", today)
        self.profile = combo("Standard", PROFILES, "uk" if context.profile() == "uk" else "us")
        for text, widget in (("Intake visits from", self.date_from), ("to", self.date_to), ("Standard", self.profile)):
            label = QLabel(text + ":")
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addStretch(1)
        self.body.addLayout(bar)
        buttons = QHBoxLayout()
        self.pdf_button = QPushButton("Save audit report (PDF)…")
        self.pdf_button.setAccessibleName("Save the audit report as PDF")
        self.csv_button = QPushButton("Save table (CSV)…")
        self.csv_button.setAccessibleName("Save the outcomes table as CSV")
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.csv_button)
        buttons.addStretch(1)
        self.body.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.PlainText)
        self.status.setAccessibleName("Outcomes status")
        self.body.addWidget(self.status)

        tables = QHBoxLayout()
        self.table = QTableWidget(0, 2)
        self.table.setAccessibleName("Measures: Enter or a click lists the cases behind the chosen one")
        self.table.setHorizontalHeaderLabels(["Measure (group)", "Result"])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)  # the result always in view; long titles elide
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.ElideMiddle)
        self.table.setMinimumHeight(self.fontMetrics().height() * 16)
        tables.addWidget(self.table, 5)
        right = QVBoxLayout()
        self.cases_label = QLabel("Cases behind the chosen number:")
        self.cases = QListWidget()
        self.cases.setAccessibleName("Cases behind the chosen number: Enter opens the patient")
        self.cases_label.setBuddy(self.cases)
        right.addWidget(self.cases_label)
        right.addWidget(self.cases, 1)
        self.definition = QLabel()
        self.definition.setWordWrap(True)
        self.definition.setTextFormat(Qt.PlainText)
        self.definition.setAccessibleName("Definition of the chosen measure")
        right.addWidget(self.definition)
        tables.addLayout(right, 2)
        self.cases.setMaximumWidth(self.fontMetrics().horizontalAdvance("x") * 60)
        self.cases_label.setWordWrap(True)
        self.cases_label.setMaximumWidth(self.fontMetrics().horizontalAdvance("x") * 60)
        self.table.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 70)
        self.definition.setMaximumWidth(self.fontMetrics().horizontalAdvance("x") * 60)
        self.body.addLayout(tables)

        charts = QGridLayout()
        self.run_chart = ChartBox("Run chart of the QS155 measures by month")
        self.decision_chart = ChartBox("Weeks from care start to the first decision")
        self.leg_chart = ChartBox("Leg pain over time by STarT Back group")
        self.chart_notes: list[QLabel] = []
        for col, chart in enumerate((self.run_chart, self.decision_chart, self.leg_chart)):
            title = QLabel(f"<b>{chart.accessibleName()}</b>")
            title.setTextFormat(Qt.RichText)
            note = QLabel()
            note.setWordWrap(True)
            note.setTextFormat(Qt.PlainText)
            note.setAccessibleName(f"Definition: {chart.accessibleName()}")
            charts.addWidget(title, 0, col)
            charts.addWidget(chart, 1, col)
            charts.addWidget(note, 2, col, Qt.AlignTop)
            self.chart_notes.append(note)
        self.body.addLayout(charts)

        self.table.currentCellChanged.connect(lambda row, *_: self._show_cases(row))
        self.table.cellActivated.connect(lambda row, _col: self.list_cases(row))
        self.table.cellClicked.connect(lambda row, _col: self.list_cases(row))
        self.cases.itemActivated.connect(self._open_item)
        self.date_from.dateChanged.connect(self._period_changed)
        self.date_to.dateChanged.connect(self._period_changed)
        self.profile.currentIndexChanged.connect(self._period_changed)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.csv_button.clicked.connect(self.save_csv)
        self._rows: list = []
        hub = getattr(context, "hub", None)
        if hub is not None and hasattr(hub, "changed"):  # visits, decisions and new cases change the outcomes
            hub.changed.connect(lambda changes, _i: self._period_changed()
                                if changes.worklist and self.isVisible() else None)

    # -- computing
    def activated(self) -> None:
        """Shown from the navigation: compute for the current period; the keyboard starts on the
        measures (arrows move between them and list their cases; Shift+Tab reaches the period)."""
        self.table.setFocus()
        self.recompute()

    def period(self) -> tuple[dt.date | None, dt.date | None]:
        """The period as typed: a field that does not hold a real date gives None."""
        return self.date_from.day(), self.date_to.day()

    def set_period(self, start: dt.date, end: dt.date) -> None:
        self.date_from.set_day(start)
        self.date_to.set_day(end)

    def _period_changed(self, *_args) -> None:
        self._debounce.start()

    def recompute(self) -> None:
        self._debounce.stop()
        start, end = self.period()
        for field, day, label in ((self.date_from, start, "from"), (self.date_to, end, "to")):
            if day is None:  # kept as typed, never corrected: say what is wrong and compute nothing
                self.status.setText(f"Period {label}: {field.problem() or 'type a date as YYYY-MM-DD'}.")
                self.progress.hide()
                return
        if end < start:
            self.status.setText(f"The period ends ({end.isoformat()}) before it starts ({start.isoformat()}): "
                                "change one of the dates.")
            self.progress.hide()
            return
        self.generation += 1
        self.list_token += 1  # a list still being read is for the old numbers: it shows nothing
        self._listing = None
        self.threads = [t for t in self.threads if t.is_alive()]
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText(f"Calculating outcomes for intake visits {start.isoformat()} to {end.isoformat()}…")
        self.pdf_button.setEnabled(False)
        self.csv_button.setEnabled(False)
        generation = self.generation
        self.threads.append(compute_in_thread(self.context.store.data_dir, start, end, self.context.today(),
                                              self.profile.currentData(), self.relay, generation,
                                              is_current=lambda: self.generation == generation))

    def _progress(self, generation: int, done: int, total: int, text: str) -> None:
        if generation != self.generation:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))
        self.progress.setFormat(text)

    def _failed(self, generation: int, exc) -> None:
        if generation != self.generation:
            return
        self.progress.hide()
        self.status.setText(f"The outcomes could not be calculated: {exc}")

    def _numbers(self, generation: int, report) -> None:
        """The numbers are ready (no case lists yet): table, charts and exports."""
        if generation != self.generation:
            return
        self.report = report
        self._lists = {}  # lists are kept only for the numbers they were read for
        self.list_token += 1  # one started against the numbers shown before is dropped
        self._listing = None
        self.pdf_button.setEnabled(True)
        self.csv_button.setEnabled(True)
        self._fill(report)

    def _done(self, generation: int, report) -> None:
        if generation != self.generation:
            return  # a newer period was asked for meanwhile
        self.progress.hide()
        if report is not self.report:  # (the numbers signal always comes first)
            self._numbers(generation, report)
        self.computed.emit(report)

    # -- showing
    def _fill(self, report) -> None:
        from radiculopathy_desktop.domain.outcomes import definitions, min_cases, standard
        from radiculopathy_desktop.reports import outcomes_charts as oc

        d = definitions()
        std = standard(report.profile)
        self.status.setText(
            f"{report.cohort_size} cases with an intake visit from {report.period_from.isoformat()} to "
            f"{report.period_to.isoformat()}, records up to {report.as_of.isoformat()}. {std['name']}: "
            f"{std['citation']} Cells based on fewer than {min_cases()} cases show no percentage or median.")
        self._rows = report.all_rows()
        self.table.setRowCount(len(self._rows))
        section_names = {"qs155": std["name"], "pathway": "Pathway", "outcomes": "Outcomes"}
        for r, (section, m) in enumerate(self._rows):
            entry = d["by_id"][m.id]
            title = m.title
            if section == "qs155":
                title = f"QS155 statement {entry['statement']}: {m.title}"
                if entry.get("direction") == "lower":
                    title += " (lower is better)"
            else:
                title = f"{section_names[section]}: {title}"
            if m.group != "all":
                title += f" ({m.group})"
            for c, text in enumerate((title, m.display())):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{title}: {m.display()}. " + entry["numerator"] + " Out of: " + entry["denominator"])
                self.table.setItem(r, c, item)
        self.table.setCurrentCell(0, 0)
        self._show_cases(0)
        ww = (report.settings.window_start_day / 7, report.settings.window_end_day / 7)
        self.run_chart.set_chart(oc.paint_run_chart, (report.run_charts,), oc.run_chart_text(report.run_charts))
        self.decision_chart.set_chart(oc.paint_weeks_to_decision, (report.weeks_to_decision, ww),
                                      oc.weeks_to_decision_text(report.weeks_to_decision))
        self.leg_chart.set_chart(oc.paint_leg_pain_by_group, (report.leg_pain_by_group,),
                                 oc.leg_pain_by_group_text(report.leg_pain_by_group))
        notes = (
            "Each line is one QS155 statement: the monthly percentage of cases with an intake visit in that month. "
            "A month with fewer than 5 cases has no point (<5). " + " ".join(
                f"{m['title']}: {m['numerator']}" for m in d["measure"] if m["section"] == "qs155"),
            d["by_id"]["time_to_decision"]["numerator"] + " Out of: " + d["by_id"]["time_to_decision"]["denominator"]
            + " The hatched band is the review window.",
            "Median leg pain (0-10) of the cases in each STarT Back group, in two-week bins of care (the latest score "
            "in each bin per case); bins with fewer than 5 cases have no point.",
        )
        for label, text in zip(self.chart_notes, notes):
            label.setText(text)

    def _show_cases(self, row: int) -> None:
        from radiculopathy_desktop.domain.outcomes import Proportion, definitions

        self.cases.clear()
        if not 0 <= row < len(self._rows):
            self.definition.clear()
            return
        _section, m = self._rows[row]
        entry = definitions()["by_id"][m.id]
        self.definition.setText(f"{m.title}. Counts: {entry['numerator']} Out of: {entry['denominator']}"
                                + (f" Note: {entry['caveat']}" if entry.get("caveat") else ""))
        if self.report is not None and not self.report.has_cases:
            listed = self._lists.get((m.id, m.group))
            if listed is None:
                listing = self._listing == (self.generation, m.id, m.group)
                note = QListWidgetItem("Listing the cases behind this number…" if listing
                                       else "Press Enter (or click the measure) to list the cases behind it.")
                note.setFlags(Qt.ItemIsEnabled)
                self.cases.addItem(note)
                self.cases_label.setText(f"Cases behind “{m.title}” ({m.display()}):")
                return
            m = listed
        groups = ((("In the numerator", m.cases_in_numerator), ("In the denominator only", m.cases_not_in_numerator),
                   ("Not recorded", m.cases_not_recorded)) if isinstance(m, Proportion)
                  else (("Cases", m.cases),))
        for heading, refs in groups:
            if not refs:
                continue
            head = QListWidgetItem(f"{heading} ({len(refs)})")
            head.setFlags(Qt.ItemIsEnabled)
            self.cases.addItem(head)
            for ref in refs:
                name = visible(ref.patient_name or ref.patient_id)  # never obeyed (rt8 F8)
                item = QListWidgetItem(f"  {name} — case {visible_id(ref.case_id)}"
                                       + (f" — {visible(ref.detail)}" if ref.detail else ""))
                item.setData(Qt.UserRole, ref.case_id)
                self.cases.addItem(item)
        self.cases_label.setText(f"Cases behind “{m.title}” ({m.display()}):")

    def list_cases(self, row: int) -> None:
        """Read the cases behind one measure (off the GUI thread), unless already read or being read."""
        if self.report is None or self.report.has_cases or not 0 <= row < len(self._rows):
            return
        _section, m = self._rows[row]
        if (m.id, m.group) in self._lists:
            self._show_cases(row)
            self.cases.setFocus()
            return
        if self._listing == (self.generation, m.id, m.group):
            return
        self.list_token += 1
        self._listing = (self.generation, m.id, m.group)
        generation, token = self.generation, self.list_token
        r = self.report
        self.threads = [t for t in self.threads if t.is_alive()]
        self.threads.append(list_in_thread(
            self.context.store.data_dir, r.period_from, r.period_to, r.as_of, m.id, m.group, self.relay,
            generation, token, is_current=lambda: self.generation == generation and self.list_token == token))
        self._show_cases(row)

    def _listed(self, generation: int, token: int, row) -> None:
        if generation != self.generation or token != self.list_token:
            return  # superseded: a newer period or measure was asked for
        self._listing = None
        self._lists[(row.id, row.group)] = row
        current = self.table.currentRow()
        if 0 <= current < len(self._rows) and (self._rows[current][1].id, self._rows[current][1].group) \
                == (row.id, row.group):
            self._show_cases(current)
            if self.table.hasFocus():  # Enter on a measure goes on to its cases: Enter again opens the first
                self.cases.setFocus()
                first = next((i for i in range(self.cases.count()) if self.cases.item(i).data(Qt.UserRole)), None)
                if first is not None:
                    self.cases.setCurrentRow(first)

    def _list_failed(self, generation: int, token: int, exc) -> None:
        if generation != self.generation or token != self.list_token:
            return
        failed, self._listing = self._listing, None
        current = self.table.currentRow()
        shown = ((self._rows[current][1].id, self._rows[current][1].group)
                 if 0 <= current < len(self._rows) else None)
        if failed is not None and shown != failed[1:]:
            # Another measure is shown now: its list stays; the failure is said where it is
            # seen, and Enter on the failed measure tries again (red-team rt5 F5).
            self.status.setText(f"The cases behind another measure could not be listed: {exc}. "
                                "Select it and press Enter to try again.")
            return
        self.cases.clear()
        self.cases.addItem(QListWidgetItem(f"The cases could not be listed: {exc}"))

    def _open_item(self, item: QListWidgetItem) -> None:
        case_id = item.data(Qt.UserRole)
        if case_id:
            self.open_case.emit(case_id)

    # -- exports
    def save_pdf(self):
        from radiculopathy_desktop.ui import exports
        from radiculopathy_desktop.ui.errors import show_error

        if self.report is None:
            return None
        path = exports.ask_save_path(self, "Save audit report (PDF)", "outcomes-audit.pdf", "PDF documents (*.pdf)")
        if path is None:
            return None
        path = exports._with_suffix(path, ".pdf", self)
        if path is None:
            return None
        try:
            from radiculopathy_desktop.reports.outcomes_report import write_outcomes_pdf
            pages = write_outcomes_pdf(self.report, path, clinic=self.context.store.get_clinic_name() or "")
        except Exception as exc:
            show_error(self, exc)
            return None
        # Counts only, no patient identifiers: logged, not an access to a patient's record.
        log.info("outcomes audit report saved (%d pages, %d cases)", pages, self.report.cohort_size)
        exports._notify(self, path, "the audit report")
        return path

    def save_csv(self):
        from radiculopathy_desktop.ui import exports
        from radiculopathy_desktop.ui.errors import show_error

        if self.report is None:
            return None
        path = exports.ask_save_path(self, "Save outcomes table (CSV)", "outcomes.csv", "CSV files (*.csv)")
        if path is None:
            return None
        path = exports._with_suffix(path, ".csv", self)
        if path is None:
            return None
        try:
            import csv
            import io

            from radiculopathy_desktop import outputs
            from radiculopathy_desktop.commands.outcomes import format_csv
            text = format_csv(self.report)
            rows = sum(1 for _ in csv.reader(io.StringIO(text))) - 1
            with outputs.checked_output(path, text=True, encoding="utf-8-sig", newline="",
                                        verify=outputs.verify_csv_rows(lambda: rows)) as fh:
                fh.write(text)
        except Exception as exc:
            show_error(self, exc)
            return None
        log.info("outcomes table saved (%d cases)", self.report.cohort_size)
        exports._notify(self, path, "the outcomes table")
        return path

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Join finished worker threads (tests, and the window before it closes)."""
        for t in self.threads:
            t.join(timeout)
