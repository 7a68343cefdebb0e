"""The worklist: who needs a surgical-review decision, most urgent first.

Model/view over the store. Rows come a page at a time (``canFetchMore`` /
``fetchMore`` ask the store for the next ``PAGE`` rows), so 100,000 cases cost one
query per page, never one per row. Status is shown in words and colour.

Start-up order: the first page of rows is loaded while the window is built; the
status counts on the filter buttons (one indexed query over every case) and the
buttons' colours are filled in straight after the first paint, so the table is on
screen as early as possible and the counts follow a moment later.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QItemSelection, QItemSelectionModel, QModelIndex, QTimer, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QFrame, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QStackedWidget, QTableView, QVBoxLayout, QWidget)

from radiculopathy_desktop.domain.followup import STATUS_ORDER, WORKLIST_STATUSES, ReviewStatus
from radiculopathy_desktop.ui import shortcuts, style
from radiculopathy_desktop.ui.safety_area import SafetyTextArea
from radiculopathy_desktop.ui.errors import show_error
from radiculopathy_desktop.ui.flow import FlowLayout
from radiculopathy_desktop.ui.lazy_qt import PLAIN_TEXT, USER_ROLE, WIDGET_SHORTCUT, Qt
from radiculopathy_desktop.domain.characters import visible, visible_id  # rt8 F8: hidden characters shown
from radiculopathy_desktop.domain.vocab import WOULD_NOT_CONSIDER_SURGERY_SENTENCE, says_would_not_consider

from typing import TYPE_CHECKING as _TYPE_CHECKING

if _TYPE_CHECKING:  # the store contract, for annotations only
    from radiculopathy_desktop.storage.contract import Store

PAGE = 200
#: A sort by a column first reads up to this many rows (sorting one page would mislead).
SORT_LOADS = 5000

log = logging.getLogger("radiculopathy_desktop.ui")


def field(row: Any, name: str, default: Any = None) -> Any:
    """A value from a store row, whether the store returns mappings or objects."""
    if isinstance(row, dict):
        return row.get(name, default)
    return getattr(row, name, default)


def _status_code(row: Any) -> str:
    status = field(row, "status")
    return str(getattr(status, "value", status) or "")


def _says_would_not_consider(row: Any) -> bool:
    """The row's status says the patient would not consider surgery (path33), never beside a red
    flag standing or unanswered nor on a closed case (path34: ``vocab.says_would_not_consider``)."""
    try:
        return says_would_not_consider(_status_code(row), bool(field(row, "would_not_consider_surgery", False)))
    except ValueError:  # a status this version does not know: say nothing more
        return False


def _improving_words(value: Any) -> str:
    if value is None:
        return "No follow-up yet"
    return "Improving" if value else "Not improving"


def _weeks(row: Any) -> int | None:
    weeks = field(row, "weeks_since_care_start")
    if weeks is None:
        days = field(row, "days_since_care_start")
        weeks = None if days is None else max(int(days), 0) // 7
    return weeks


#: What the "In care" column counts, said by its header's tooltip and each cell's (gp19 F13: a
#: "Weeks" column reading "0 wk" on a row whose Why said "PREGNANT 31 WK" was read as her weeks).
CARE_WEEKS_TIP = "Whole weeks of conservative care on the list's date, counted from the day it started (not weeks of pregnancy)"

#: window35 (H-UI-540): the intake's "would not consider surgery" in a narrow column of its own, beside the
#: status, in place of "Overdue; would not consider surgery" in the Status cell (GP tryout 35: at 1366x768
#: that Status column left the Why column too narrow to read). The cell says it in two words ("Patient
#: wish: No surgery"); its tooltip, what a screen reader says, the Status and Why tooltips and the detail
#: pane under the table say the whole sentence.
WISH_HEADER = "Patient wish"
WISH_CELL = "No surgery"
WISH_TIP = ("The patient's answer at the intake: \"No surgery\" when they would not consider an injection or "
            "surgery. Never shown beside a red flag (standing or unanswered: red flags override it) nor on a "
            "closed case (its decision says what happened).")

COLUMNS = (
    ("status", "Status"),
    ("wish", WISH_HEADER),  # window35: the patient would not consider surgery (path33), short
    ("name", "Patient"),
    ("patient_id", "Patient ID"),
    ("weeks", "In care"),  # weeks of conservative care, never of pregnancy (gp19 F13: "0 wk" beside "PREGNANT 31 WK")
    ("leg", "Leg pain"),
    ("trend", "Progress"),
    ("last_seen", "Last seen"),
    ("reason", "Why"),
)

#: The header tooltips, by column key.
_HEADER_TIPS = {"weeks": CARE_WEEKS_TIP + ".", "wish": WISH_TIP}

#: The filter of the cases whose current medicines carry an alert on the date (wl17).
MEDICINES = "medicines"
#: The statuses the medicine-alerts filter lists: every status but Closed (a snoozed or not-due
#: case may still be taking a contraindicated medicine).
OPEN_STATUSES = tuple(s.value for s in STATUS_ORDER if s != ReviewStatus.CLOSED)
#: What the default filter counts, said on it: the surgical-review clock, not medicine safety
#: (gp16 F6: "Needs attention (0)" read as nothing to do beside a contraindicated NSAID).
REVIEW_FILTER_TIP = ("Cases whose surgical-review status needs a look: "
                     + ", ".join(s.label for s in WORKLIST_STATUSES)
                     + ". It does not count medicine-safety alerts: see Medicine alerts.")
#: What the Medicine alerts button says while its count runs in the worker, and when it failed.
ALERTS_COUNTING = "Medicine alerts (counting...)"
ALERTS_NOT_COUNTED = "Medicine alerts (not counted)"
#: What the list area says while the Medicine alerts list is read in its worker (st21).
LIST_READING = "Reading the cases with a medicine-safety alert..."
LIST_READING_MORE = "Reading more cases with a medicine-safety alert: the list above is not complete yet..."
#: The same while a search typed under the Medicine alerts filter is read in its worker (st21 leftover).
SEARCH_READING = "Searching every case..."
SEARCH_READING_MORE = "Searching more cases: the list above is not complete yet..."
#: The Medicine alerts counts and list reads running, held until each has ended (a QThread must not be deleted
#: while it runs, whatever happens to the view that asked).
_LIVE_COUNTS: set = set()
MEDICINES_FILTER_TIP = ("Cases (any status but Closed) whose current medicines carry an alert today: "
                        "contraindicated, avoid, reduce dose or check the dose, as the case page shows them; "
                        "or a medicine whose name is not recognised but close to a known one (a likely misspelling: its "
                        "interactions and dose were not checked).")


def _check_names(label: str, names) -> str:
    """unrec34 (H-UI-531): what the Why says after the medicines of a name not recognised ("NOT RECOGNISED: naproxn
    500mg bd (check the name)."), so the mark reads as a name to check, not a rating; "" for any other label."""
    from radiculopathy_desktop.domain.vocab import NOT_RECOGNISED_LABEL

    if label != NOT_RECOGNISED_LABEL:
        return ""
    return f" (check the name{'s' if len(names) > 1 else ''})"


def safety_text(row: Any) -> str:
    """The row's medicine-safety and pregnancy marks, as its Why leads with them: each alert's
    label and medicines, worst first ("CONTRAINDICATED: ibuprofen."; a dose above the maximum is
    said by the "REDUCE DOSE" text with its numbers instead), then a recorded pregnancy
    ("PREGNANT 33 WK.", or "ASK: STILL PREGNANT?" past 42 weeks)."""
    alerts = field(row, "dose_alerts") or ()
    said = _dose_lines_by_label(alerts) if alerts else {}  # said with their numbers instead
    by_label: dict[str, list[str]] = {}  # one label once: "AVOID: ibuprofen, tramadol."
    kept: list[str] = []  # avoidside (H-UI-480): an anticoagulant beside an NSAID is never listed as to avoid
    # mtxavoid (H-UI-528): a pair reviewed with the prescriber (methotrexate beside an NSAID) is said as the combination,
    # in its place among the labels: "AVOID: ibuprofen 400mg tds and methotrexate 15mg once weekly together (review both
    # with the prescriber).", never "AVOID: ibuprofen 400mg tds, methotrexate 15mg once weekly."
    order: list = []  # a label (its medicines in by_label) or a pair's own words, strongest first
    for m in field(row, "medicine_alerts") or ():
        if m.label not in said:
            if getattr(m, "both", False):
                words = f"{m.label.upper()}: {m.named()}."
                if words not in order:
                    order.append(words)
                continue
            own_kept = getattr(m, "kept", ())
            kept.extend(n for n in own_kept if n not in kept)
            if m.label not in by_label:
                order.append(m.label)
            by_label.setdefault(m.label, []).extend(n for n in m.medicines
                                                    if n not in by_label.get(m.label, ()) and n not in own_kept)
    parts = [(f"{item.upper()}: {', '.join(by_label[item])}{_check_names(item, by_label[item])}." if item in by_label
              else item) for item in order if item not in by_label or by_label[item]]
    listed = {n for names in by_label.values() for n in names}
    keep = [n for n in kept if n not in listed]
    if keep:
        parts.append(f"KEEP: {', '.join(keep)} (do not stop without {'their' if len(keep) > 1 else 'its'} "
                     f"prescriber).")
    totals = [m for m in field(row, "medicine_alerts") or () if getattr(m, "total", "")]
    if totals:
        # the patient's own opioid total with its label, whatever else rates the medicine (mme23:
        # "AVOID: mezolar matrix 50, diazepam." hid its 120 MME/day); the one sentence of worklist_marks
        from radiculopathy_desktop.domain.worklist_marks import total_sentence

        for sentence in dict.fromkeys(total_sentence(m.label, m.total) for m in totals):
            own, sep, rest = sentence.partition(": ")
            parts.append(f"{own.upper()}: {rest}" if sep else sentence)
    pregnancy = field(row, "pregnancy") or ("", "")
    short = pregnancy[0].upper()
    if field(row, "pregnancy_differs") is not None:
        # gp19 F11: said at the start of the Why, not at its cut end; once (rt21 F7)
        from radiculopathy_desktop.domain.episodes import PREGNANCY_DIFFERS_MARK

        mark = PREGNANCY_DIFFERS_MARK.upper()
        parts.insert(0, mark + ".")
        short = short.replace(f"; {mark}", "").replace(mark, "")
    if short:
        parts.append(short if short.endswith("?") else short + ".")
    return " ".join(parts)


def safety_tip(row: Any) -> str:
    """The whole of it: each alert with its medicines and action, and the pregnancy's sentence;
    while another case contradicts its pregnancy, first the other case's record ("Pregnancy
    differs: case X records ...", the words of the cases CSV and the summary)."""
    marks = tuple(field(row, "medicine_alerts") or ())
    # a mark with no action of its own whose label and medicines another mark says with its action
    # (Arthrotec at 32 weeks: misoprostol's Contraindicated, whose action is in its reason, and the
    # NSAID's "Stop it and choose another option") is said once: two "Contraindicated: arthrotec"
    # lines read as two problems, or as a repeat of one with the action missing (gptry, H-UI-436)
    said = {(m.label, tuple(m.medicines)) for m in marks if m.action}
    lines = list(dict.fromkeys(m.words() for m in marks
                               if m.action or (m.label, tuple(m.medicines)) not in said))
    differs = field(row, "pregnancy_differs")
    if differs is not None:
        lines.insert(0, differs.mark_words() + ".")
    if lines:
        lines.append("Open the case for the reasons and sources.")
    pregnancy = field(row, "pregnancy") or ("", "")
    if pregnancy[1]:
        lines.append(pregnancy[1])
    return "\n".join(lines)


# Item roles as plain ints: the view asks data() for several roles per visible cell on
# every paint, and comparing an int with a PySide6 enum member costs microseconds each. Written
# as numbers, so this module names no Qt enum before the first paint (lazy_qt; the values are
# checked against Qt.ItemDataRole by tests/ui/test_startup_qt_enums.py).
_DISPLAY = 0  # Qt.ItemDataRole.DisplayRole
_ACCESSIBLE_TEXT = 11  # AccessibleTextRole
_TOOLTIP = 3  # ToolTipRole
_BACKGROUND = 8  # BackgroundRole
_FOREGROUND = 9  # ForegroundRole
_CASE_ID = USER_ROLE + 1
_STATUS = USER_ROLE + 2
_ANSWERED_ROLES = frozenset({_DISPLAY, _ACCESSIBLE_TEXT, _TOOLTIP, _BACKGROUND, _FOREGROUND, _CASE_ID, _STATUS})


def dose_alert_text(alerts) -> str:
    """The dose marks of a row's Why, each line under its own label (empty when none): "REDUCE
    DOSE: ..." for a dose above the maximum, "CHECK THE DOSE: ..." for a likely slip or a regimen
    that cannot be read (gp19 F4: both were "REDUCE DOSE")."""
    if not alerts:
        return ""
    return " ".join(f"{label.upper()}: {'; '.join(lines)}." for label, lines in _dose_lines_by_label(alerts).items())


def _dose_lines_by_label(alerts) -> dict:
    """``domain.worklist_marks.dose_lines_by_label``, loaded at the first row with a dose alert: the
    marks' module loads the case rules (domain.intake), which the first paint of a list without
    one never needs (tests/ui/test_startup_lazy.py)."""
    from radiculopathy_desktop.domain.worklist_marks import dose_lines_by_label

    return dose_lines_by_label(alerts)


#: The statuses ranked above every status of the review clock (the domain's worklist
#: order): a red flag standing (Immediate) or a cauda equina question not answered. Their
#: reason leads the Why column and a dose alert follows it (red-team rt8 F2: "REDUCE DOSE:
#: gabapentin…" hid the cauda equina reason in the column). For every other status the dose
#: alert, a dose above this patient's maximum now, leads.
REASON_BEFORE_DOSE = frozenset(s.value for s in STATUS_ORDER[:STATUS_ORDER.index(ReviewStatus.OVERDUE)])


def why_text(status: str, reason: str, alerts, safety: str = "") -> str:
    """A row's Why: the most urgent first (see :data:`REASON_BEFORE_DOSE`); ``safety``: the row's
    medicine-safety and pregnancy marks (:func:`safety_text`), before the dose alert."""
    alert = " ".join(a for a in (safety, dose_alert_text(alerts)) if a)
    if not alert:
        return reason
    if status in REASON_BEFORE_DOSE:
        return f"{reason} {alert}" if reason else alert
    return f"{alert} {reason}" if reason else alert


def _iso(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")


def why_shown(row: Any) -> str:
    """A row's Why as its cell shows it. A snoozed row (the clinician chose to continue
    conservative care until a date) says that date first, "Until 2027-01-10: continue
    conservative care, decided 2026-11-29.": the engine's sentence put it after 45 characters
    and a column cut it to "...until 2027-0" (rt12 F11). The date is the row's own stored
    ``continue_until``, the one the engine's sentence names; the tooltip and the screen
    reader's text keep the engine's sentence (:func:`why_text`)."""
    status = _status_code(row)
    until = field(row, "continue_until")
    if status != ReviewStatus.SNOOZED.value or not until:
        return why_text(status, str(field(row, "reason") or ""), field(row, "dose_alerts") or (), safety_text(row))
    decided = field(row, "last_decision_date")
    short = f"Until {_iso(until)}: continue conservative care" + (f", decided {_iso(decided)}." if decided else ".")
    return why_text(status, short, field(row, "dose_alerts") or (), safety_text(row))


class WorklistModel(QAbstractTableModel):
    """Rows from ``store.worklist(as_of, statuses, search, limit, offset)``, fetched lazily."""

    loaded = Signal()
    CaseIdRole = _CASE_ID
    StatusRole = _STATUS

    def __init__(self, store: Store, as_of: dt.date, parent=None, columns: bool = True):
        super().__init__(parent)
        self._columns = len(COLUMNS) if columns else 0  # columns=False: none until show_columns()
        self.store = store
        self.as_of = as_of
        self.statuses: tuple[str, ...] = tuple(s.value for s in WORKLIST_STATUSES)
        self.search = ""
        self.medicines_only = False  # the Medicine alerts filter (statuses: OPEN_STATUSES)
        self.profile = "us"  # the guideline profile whose dose maxima the "Reduce dose" marks use
        self.rows: list[Any] = []
        self._more = True
        self.error: BaseException | None = None
        # The Medicine alerts list is read in a worker, a page at a time, on a read-only store of its
        # own (``Store.reader``), as its count is (st21, issue 17: each page checks every patient with a
        # standing pregnancy and another case; at 100,000 cases the window froze while it did). Reads
        # are numbered: a reload supersedes the read running (interrupted, its page never shown) and
        # only the latest request's page is added. ``loading``: a page is being read; until it comes,
        # the rows shown are not the whole list, and the view says so.
        self.loading = False
        self._asked = 0  # reads asked for, reloads included: a page is added only for the latest
        self._read_running: tuple | None = None  # (number, worker, reader box) of the read running
        self._read_next: tuple | None = None  # the read waiting for the running (superseded) one to end
        # superseded reads still running beside a search started without waiting for them (their
        # page is dropped when they end; closing interrupts and waits for them too)
        self._superseded: list[tuple] = []
        self._sort_spec: tuple | None = None  # (column, order) of a sort asked for while the list is read

    # -- loading
    def reload(self, as_of: dt.date | None = None) -> None:
        self.beginResetModel()
        if as_of is not None:
            self.as_of = as_of
        self.rows = []
        self._more = True
        self.error = None
        self._supersede_read()
        self._sort_spec = None
        self.endResetModel()
        self.fetchMore(QModelIndex())

    @property
    def reads_in_background(self) -> bool:
        """The rows shown now are read in a worker: the Medicine alerts list, and a search typed
        while that filter is on (st21 leftover: it read on the window's thread, which froze under
        another program's lock or a slow server; a search still finds a patient whatever the filter)."""
        return self.medicines_only

    def _supersede_read(self) -> None:
        """No page asked for until now is wanted any more: the running read is interrupted (SQLite;
        its page is dropped when it ends) and a waiting one forgotten."""
        self._asked += 1
        self._read_next = None
        self.loading = False
        running = self._read_running
        if running is not None:
            _interrupt(running[2])

    @property
    def searched_statuses(self) -> tuple[str, ...]:
        """The statuses the rows come from: the filter's, or every status while searching (a
        search finds a patient whatever filter is on)."""
        return tuple(s.value for s in STATUS_ORDER) if self.search else self.statuses

    def outside_filter(self) -> int:
        """How many of the rows shown are outside the status filter (only while searching)."""
        if not self.search:
            return 0
        return sum(1 for r in self.rows if r.status.value not in self.statuses
                   or (self.medicines_only and not field(r, "medicine_alerts")))

    def set_filter(self, statuses: tuple[str, ...] | None = None, search: str | None = None,
                   medicines_only: bool | None = None) -> None:
        if statuses is not None:
            self.statuses = tuple(statuses)
        if medicines_only is not None:
            self.medicines_only = medicines_only
        if search is not None:
            self.search = search.strip()
        self.reload()

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and self._more and not self.loading

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or not self._more or self.loading:
            return
        if self.reads_in_background:
            self._ask_page()
            return
        # a search finds a patient whatever the filter is (the medicine one too)
        only = {"medicine_alerts_only": True} if self.medicines_only and not self.search else {}
        try:
            page = list(self.store.worklist(self.as_of, statuses=list(self.searched_statuses),
                                            search=self.search or None,
                                            limit=PAGE, offset=len(self.rows), profile=self.profile, **only))
        except Exception as exc:
            self._more = False
            self.error = exc
            self.loaded.emit()
            raise
        self._more = len(page) == PAGE
        if page:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()
        self.loaded.emit()

    def _ask_page(self) -> None:
        """Read the Medicine alerts list's next page in a worker (one read runs at a time; a
        request made while a superseded read still runs waits for it to end)."""
        self._asked += 1
        self.loading = True
        request = (self._asked, self.store, self.as_of, list(self.searched_statuses), len(self.rows), self.profile,
                   self.search)
        running = self._read_running
        if running is not None and self.search:  # (a read running here is always superseded: see fetchMore)
            # a new search never waits behind a superseded read (interrupted; it may be held by a lock
            # for a slice yet): the window answers a search at once; the old read's page is dropped
            self._superseded.append(running)
            self._read_running = None
            self._start_read(request)
        elif running is not None:
            self._read_next = request
        else:
            self._start_read(request)
        self.loaded.emit()  # the view says the list is being read

    def _start_read(self, request: tuple) -> None:
        import threading

        from radiculopathy_desktop.ui.workers import Worker

        number, store, as_of, statuses, offset, profile, search = request
        box: dict[str, Any] = {"lock": threading.Lock()}  # the reader while it reads, for an interrupt
        # a search finds a patient whatever the filter is (the medicine one too): every status, no filter
        only = {"search": search} if search else {"medicine_alerts_only": True}

        def read() -> tuple:
            try:
                with store.reader() as reader:
                    with box["lock"]:
                        if box.get("stopped"):
                            return number, None, None
                        box["reader"] = reader
                    try:
                        return number, list(reader.worklist(as_of, statuses=statuses, limit=PAGE, offset=offset,
                                                            profile=profile, **only)), None
                    finally:
                        with box["lock"]:
                            box.pop("reader", None)
            except BaseException as exc:  # noqa: BLE001 - said in the list area, with Try again
                return number, None, exc

        for ended in [w for w in _LIVE_COUNTS if w.isFinished()]:
            _LIVE_COUNTS.discard(ended)
        worker = Worker(read)
        worker.succeeded.connect(self._page_read)
        self._read_running = (number, worker, box)
        _LIVE_COUNTS.add(worker)
        worker.start()

    def _page_read(self, result: tuple) -> None:
        """A read has ended (``(number, rows, None)`` or ``(number, None, exception)``). Its page
        is added only when it is the latest request's; a superseded read's page or failure is
        dropped, and the read waiting for it is started."""
        number, page, exc = result
        running = self._read_running
        superseded = next((r for r in self._superseded if r[0] == number), None)
        if superseded is not None:  # ended beside a newer search: dropped
            self._superseded.remove(superseded)
            superseded[1].wait()
            _LIVE_COUNTS.discard(superseded[1])
            superseded[1].deleteLater()
            return
        if running is None or running[0] != number:
            return  # stopped (the window closing)
        self._read_running = None
        worker = running[1]
        worker.wait()  # it has handed over its result: only returning is left
        _LIVE_COUNTS.discard(worker)
        worker.deleteLater()
        waiting, self._read_next = self._read_next, None
        if waiting is not None and waiting[0] == self._asked:
            self._start_read(waiting)
        if number != self._asked:
            return  # superseded: the list was asked for again since (another filter, date or change)
        self.loading = False
        if exc is not None:
            log.warning("worklist medicine alerts list could not be read: %s", type(exc).__name__)
            self._more = False
            self.error = exc
            self.loaded.emit()
            return
        self._more = len(page) == PAGE
        if page:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()
        if self._sort_spec is not None:
            self._sort_loaded(*self._sort_spec)
            if self._more and len(self.rows) < SORT_LOADS:
                self.fetchMore()  # the sort asked for a meaningful set: read on (loaded follows from there)
                return
            self._sort_spec = None
        self.loaded.emit()

    @property
    def reading(self) -> bool:
        """A page of the Medicine alerts list is being read, or a read still has to end."""
        return self.loading or self._read_running is not None or bool(self._superseded)

    def stop_reading(self) -> None:
        """The window is closing: no page is wanted any more. A read still running is interrupted
        (SQLite) and waited for, so no thread outlives the window."""
        self._supersede_read()
        running, self._read_running = self._read_running, None
        ended, self._superseded = self._superseded + ([running] if running is not None else []), []
        for _number, worker, box in ended:
            _interrupt(box)
            worker.wait()
            _LIVE_COUNTS.discard(worker)
            worker.deleteLater()

    # -- model
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self._columns

    def show_columns(self) -> None:
        """Announce the columns (a model made with ``columns=False``; see WorklistView)."""
        if self._columns != len(COLUMNS):
            self.beginInsertColumns(QModelIndex(), 0, len(COLUMNS) - 1)
            self._columns = len(COLUMNS)
            self.endInsertColumns()

    def headerData(self, section, orientation, role=_DISPLAY):
        # Called with a Qt.Orientation: PySide6 has built the Qt namespace by now.
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1]
        if role == _TOOLTIP and orientation == Qt.Orientation.Horizontal:
            return _HEADER_TIPS.get(COLUMNS[section][0])
        return None

    def case_id(self, row: int) -> str:
        return str(field(self.rows[row], "case_id"))

    def text(self, row: Any, key: str) -> str:
        if key == "status":
            code = _status_code(row)
            try:
                status = ReviewStatus(code)
            except ValueError:
                return code
            # window35: the status alone; the patient's wish not to consider surgery (path33) has a
            # column of its own ("wish"), so the status stays short enough to read beside the Why
            return status.label
        if key == "wish":
            # "No surgery" (path34: never beside a red flag standing or unanswered, nor on a closed case)
            return WISH_CELL if _says_would_not_consider(row) else ""
        if key == "name":
            return visible(field(row, "name") or field(row, "patient_name")) or "(no name recorded)"
        if key == "patient_id":
            return visible_id(str(field(row, "patient_id") or ""))
        if key == "weeks":
            weeks = _weeks(row)
            return "" if weeks is None else f"{weeks} wk"
        if key == "leg":
            leg = field(row, "latest_leg_nrs")
            return "" if leg is None else f"{leg}/10"
        if key == "trend":
            return _improving_words(field(row, "improving"))
        if key == "last_seen":
            day = field(row, "last_visit_date") or field(row, "intake_date")
            return str(day or "")
        if key == "reason":
            return why_shown(row)
        return ""

    @staticmethod
    def care_words(row: Any) -> str:
        """The "In care" cell in words: "0 weeks of conservative care (started 2026-11-30)"."""
        weeks = _weeks(row)
        if weeks is None:
            return ""
        start = field(row, "care_start_date")
        return (f"{weeks} {'week' if weeks == 1 else 'weeks'} of conservative care"
                + (f" (started {_iso(start)})" if start else "") + ", not weeks of pregnancy")

    @staticmethod
    def wish_words(row: Any) -> str:
        """The "Patient wish" cell in words (its tooltip and what a screen reader says): the whole
        sentence, or "" when the row says nothing of it (window35)."""
        return WOULD_NOT_CONSIDER_SURGERY_SENTENCE if _says_would_not_consider(row) else ""

    def full_why(self, row: Any) -> str:
        """The engine's whole sentence for the row (the tooltip, and what a screen reader says), then
        each medicine alert with its action and the pregnancy's sentence (:func:`safety_tip`)."""
        why = why_text(_status_code(row), str(field(row, "reason") or ""), field(row, "dose_alerts") or (),
                       safety_text(row))
        tip = safety_tip(row)
        # path33; path34: never beside a red flag standing or unanswered, nor on a closed case
        if _says_would_not_consider(row):
            why = f"{why}\n{WOULD_NOT_CONSIDER_SURGERY_SENTENCE}"
        return f"{why}\n{tip}" if tip else why

    def data(self, index: QModelIndex, role=_DISPLAY):
        if role not in _ANSWERED_ROLES or not index.isValid():
            return None
        row = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == _DISPLAY:
            return self.text(row, key)
        if role == _ACCESSIBLE_TEXT:
            if key == "weeks":
                return self.care_words(row)
            if key == "wish":
                return self.wish_words(row)
            return self.full_why(row) if key == "reason" else self.text(row, key)
        if role == _TOOLTIP:
            if key == "weeks":
                return self.care_words(row)
            if key == "wish":
                return self.wish_words(row) or None
            return self.full_why(row) if key in ("reason", "status") else None
        if role == _CASE_ID:
            return str(field(row, "case_id"))
        if role == _STATUS:
            return _status_code(row)
        if key == "status":  # background or foreground
            bg, fg = style.status_colours(_status_code(row))
            return bg if role == _BACKGROUND else fg
        return None

    def sort(self, column: int, order=None) -> None:
        """Sort the rows loaded so far (the store's own order is the clinical one); ``order`` is a
        Qt.SortOrder, ascending when not given."""
        if self.reads_in_background and self._more:
            # the Medicine alerts list reads on in its worker: what is there is sorted now, and again
            # as each page comes, up to the same meaningful set (_page_read)
            self._sort_spec = (column, order)
            self._sort_loaded(column, order)
            if not self.loading and len(self.rows) < SORT_LOADS:
                self.fetchMore()
            return
        while self.canFetchMore() and len(self.rows) < SORT_LOADS:  # sort a meaningful set, not just one page
            self.fetchMore()
        self._sort_loaded(column, order)

    def _sort_loaded(self, column: int, order=None) -> None:
        key = COLUMNS[column][0]
        self.layoutAboutToBeChanged.emit()

        def sort_key(row):
            if key == "status":
                code = _status_code(row)
                return STATUS_ORDER.index(ReviewStatus(code)) if code in ReviewStatus._value2member_map_ else 99
            if key == "weeks":
                return _weeks(row) or 0
            if key == "wish":  # ascending: the patients who would not consider surgery first
                return 0 if _says_would_not_consider(row) else 1
            if key == "leg":
                leg = field(row, "latest_leg_nrs")
                return -1 if leg is None else leg
            return self.text(row, key).lower()
        self.rows.sort(key=sort_key, reverse=order is not None and order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()


class WorklistView(QWidget):
    """Counts per status as filter buttons, a search box, and the table."""

    open_case = Signal(str)
    painted = Signal()
    counts_shown = Signal()  # the status counts on the filter buttons were filled in
    start_intake = Signal()
    open_demo = Signal()
    country_chosen = Signal(str)  # the clinic's country, chosen here or left at the profile's
    painted = Signal()  # after each paint, as the table's (the window offers a kept draft after the first)
    export_finished = Signal(object)  # an export read in a worker has ended: its file's path, or None

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.export_read = None  # the Medicine alerts filter's export, read in a worker (exports.WorklistExportRead)
        self.setObjectName("worklist")
        layout = QVBoxLayout(self)
        title = QLabel("<h2>Worklist</h2>")
        title.setAccessibleName("Worklist")
        layout.addWidget(title)
        self.as_of_label = QLabel()
        self.as_of_label.setWordWrap(True)
        layout.addWidget(self.as_of_label)

        self.filter_bar = QWidget()
        self.filter_bar.setObjectName("status_filters")
        # The buttons wrap onto a second line when the window is narrow (200% text).
        filters = FlowLayout(self.filter_bar)
        filters.setContentsMargins(0, 0, 0, 0)
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[str, QPushButton] = {}
        bold = _bold_button_metrics()  # the labels' bold widths, before the first paint without a QFont
        self.all_button = self._filter_button("worklist", "Surgical review", bold)
        self.all_button.setToolTip(REVIEW_FILTER_TIP)
        filters.addWidget(self.all_button)
        self.medicines_button = self._filter_button(MEDICINES, "Medicine alerts", bold)
        self.medicines_button.setToolTip(MEDICINES_FILTER_TIP)
        filters.addWidget(self.medicines_button)
        for status in STATUS_ORDER:
            button = self._filter_button(status.value, status.label, bold)
            filters.addWidget(button)
        self.all_button.setChecked(True)
        layout.addWidget(self.filter_bar)

        search_row = QHBoxLayout()
        search_label = QLabel("&Search:")
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Patient ID or name")
        self.search_box.setAccessibleName("Search worklist by patient ID or name")
        self.search_box.setClearButtonEnabled(True)
        search_label.setBuddy(self.search_box)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search_box, 1)
        self.export_button = QPushButton("E&xport CSV…")
        self.export_button.setAccessibleName("Export worklist as CSV")
        self.export_button.setToolTip("The cases shown, with this status filter and search, as CSV (Ctrl+Shift+X)")
        self.export_button.clicked.connect(self.export_csv)
        search_row.addWidget(self.export_button)
        layout.addLayout(search_row)
        self.search_note = QLabel()
        self.search_note.setWordWrap(True)
        self.search_note.setAccessibleName("Search note")
        self.search_note.hide()
        layout.addWidget(self.search_note)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self._apply_search)
        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        # From the search to the patient by keyboard, as in Patients' Find box (walk-through ui11:
        # Enter and Down did nothing more there; the list was two Tabs away, past Export): Enter
        # searches now (the first match highlighted), Enter again opens the highlighted patient;
        # Up and Down move the highlight while the typing stays in the box.
        self.search_box.returnPressed.connect(self._enter_in_search)
        # Up and Down: this view's event filter on the box, installed just after the first paint
        # (_after_first_paint), before anyone can type: an event filter hands every event of the
        # box to Python, and the first one makes PySide6 build its event classes (~6 M
        # instructions before the first paint, issue 17).

        # The column header shows its labels from a QStandardItemModel (held by Qt) until just after
        # the first paint, then from the model as any header does (_header_follows_model). A view
        # set on a model with columns asks its headerData at once, and a Python headerData is
        # called with a Qt.Orientation, which makes PySide6 build its whole Qt namespace: ~115 M
        # instructions before the first paint (issue 17). So the model's columns are announced
        # only once the header holds the labels.
        self.model = WorklistModel(context.store, context.today(), self, columns=False)
        self.model.profile = context.profile()
        self.table = _PaintNotifyingTable(self)
        self.table.setModel(self.model)
        self._header_labels: QStandardItemModel | None = QStandardItemModel(0, len(COLUMNS), self)
        self._header_labels.setHorizontalHeaderLabels([label for _key, label in COLUMNS])
        # the "In care" and "Patient wish" tooltips from the first paint, as the model's headerData gives them after
        for n, (key, _label) in enumerate(COLUMNS):
            if key in _HEADER_TIPS:
                self._header_labels.horizontalHeaderItem(n).setToolTip(_HEADER_TIPS[key])
        self.table.horizontalHeader().setModel(self._header_labels)
        self.model.show_columns()
        # Meanwhile the header's sections are highlighted (bold) as the table's selection would
        # make them: the labels model mirrors it (_mirror_selection_on_header).
        self.table.selectionModel().selectionChanged.connect(self._mirror_selection_on_header)
        self.model.loaded.connect(self._mirror_selection_on_header)
        self.model.modelReset.connect(self._mirror_selection_on_header)
        self.table.setAccessibleName("Worklist table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSortingEnabled(False)
        self.table.horizontalHeader().setSectionsClickable(True)
        self.table.horizontalHeader().sectionClicked.connect(self._sort_by)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self._sized = False
        self.table.doubleClicked.connect(lambda idx: self._open(idx.row()))
        self.table.painted.connect(self.painted)
        # The getting-started panel (a database with no case at all) is built the first time it is
        # needed (the first_run property), so a worklist with cases paints without it.
        self._first_run: FirstRunPanel | None = None
        # A read that failed (the rows or the counts) is said here, in the list area: an empty
        # list after a failed read must never read as "no cases need attention" (red-team rt7 R3).
        self.read_error = QLabel()
        self.read_error.setWordWrap(True)
        self.read_error.setProperty("textFormat", PLAIN_TEXT)  # Qt.PlainText: patient text is never markup
        self.read_error.setObjectName("worklist_read_error")
        self.read_error.setAccessibleName("The worklist could not be read")
        self.read_error.setStyleSheet("QLabel { border: 2px solid #b00020; padding: 6px; }")
        self.read_error.hide()
        layout.addWidget(self.read_error)
        self.retry_button = QPushButton("&Try again")
        self.retry_button.setAccessibleName("Read the worklist again")
        self.retry_button.clicked.connect(self.refresh)
        self.retry_button.hide()
        retry_row = QHBoxLayout()  # at the left at its own width (as AlignLeft, which names a Qt enum)
        retry_row.addWidget(self.retry_button)
        retry_row.addStretch(1)
        layout.addLayout(retry_row)
        # Stored review settings that could not all be used (the defaults stand in): said here too.
        self.settings_note = QLabel()
        self.settings_note.setWordWrap(True)
        self.settings_note.setProperty("textFormat", PLAIN_TEXT)
        self.settings_note.setAccessibleName("Stored settings not used")
        self.settings_note.hide()
        layout.addWidget(self.settings_note)
        self.counts_error: BaseException | None = None
        # "Medicine alerts (N)" is counted in a worker thread on a read-only connection of its own
        # (st20: 150-230 ms at 100,000 cases under load, on the window's thread until then). One count
        # runs at a time; a newer request waits for it and the older figure is dropped (_alerts_counted).
        self.alerts_error: BaseException | None = None  # the last count failed: no number on the button
        self._alerts_asked = 0  # requests made; a figure is shown only for the latest
        self._alerts_running: tuple | None = None  # (request, worker, reader box) of the count running
        self._alerts_next: tuple | None = None  # the request waiting for the running count to end
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        layout.addWidget(self.body, 1)
        shortcuts.bind(self.table, "worklist.open", self._open_current, WIDGET_SHORTCUT)
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)
        # The highlighted patient's whole "Why", however narrow the column.
        self.why_label = QLabel()
        self.why_label.setWordWrap(True)
        self.why_label.setProperty("textFormat", PLAIN_TEXT)  # Qt.PlainText
        self.why_label.setAccessibleName("Why, for the highlighted patient")
        # Whole where there is room, scrolling past a third of the page so the list keeps its
        # rows (gp19 F7: it took the list down to 2 rows and still stopped mid-sentence).
        self.why_area = SafetyTextArea(self.why_label, share=0.33, name="Why, for the highlighted patient (scrolls)")
        self.why_area.watch_page(self)
        layout.addWidget(self.why_area)
        self.table.selectionModel().currentRowChanged.connect(self._show_why)
        self.model.modelReset.connect(self.why_label.clear)
        self._sort_order = None  # a Qt.SortOrder from the first click on a column's header (_sort_by)
        self._sort_column = -1
        self._painted_once = False
        self._counts_pending: dt.date | None = None  # counts asked for before the first paint
        self._colours_applied = False
        self.counts_as_of: dt.date | None = None  # the date of the counts on the buttons (None: none yet)
        # The counts follow every reload of the list, whatever asked for it (a refresh, a
        # filter, a search): read again unless nothing can have changed since they were
        # (same date, no announcement, no other program's commit; see _counts_stamp).
        self._changes_seen = 0  # announcements of changes to the rows since the view was built
        self._counts_stamp_read: tuple | None = None
        self._counts_timer = QTimer(self, singleShot=True, interval=0)
        self._counts_timer.timeout.connect(self._counts_follow_list)
        self.model.modelReset.connect(self._list_reloaded)

        self.model.loaded.connect(self._update_empty)
        context.hub.changed.connect(self._changed)
        replaced = getattr(context.hub, "store_replaced", None)
        if replaced is not None:  # a restore put a new store in context.store (cases_changed follows)
            replaced.connect(self._store_replaced)
        self.refresh()

    def _filter_button(self, code: str, label: str, bold=None) -> QPushButton:
        button = _FilterButton(label)
        _fit_bold(button, bold)
        button.setCheckable(True)
        button.setProperty("status_code", code)
        button.setAccessibleName(f"Show {label}")
        self.filter_group.addButton(button)
        self.filter_buttons[code] = button
        button.clicked.connect(lambda _c=False, c=code: self.set_status_filter(c))
        return button

    # -- actions
    def set_status_filter(self, code: str) -> None:
        self.filter_buttons[code].setChecked(True)
        if code == MEDICINES:
            self._guarded(lambda: self.model.set_filter(statuses=OPEN_STATUSES, medicines_only=True))
            return
        statuses = tuple(s.value for s in WORKLIST_STATUSES) if code == "worklist" else (code,)
        self._guarded(lambda: self.model.set_filter(statuses=statuses, medicines_only=False))

    def _apply_search(self) -> None:
        self._search_timer.stop()
        if self.context.ops.defer_while_writing((self, "search"), self._apply_search):
            return
        if self.search_box.text().strip() != self.model.search:
            self._guarded(lambda: self.model.set_filter(search=self.search_box.text()))

    def _sort_by(self, column: int) -> None:
        if column == self._sort_column:
            self._sort_order = Qt.DescendingOrder if self._sort_order == Qt.AscendingOrder else Qt.AscendingOrder
        else:
            self._sort_column, self._sort_order = column, Qt.AscendingOrder
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(column, self._sort_order)
        self._guarded(lambda: self.model.sort(column, self._sort_order))

    def _store_replaced(self) -> None:
        self.model.store = self.context.store

    def _changed(self, changes, _initiator=None) -> None:
        """The operation runner's announcement: reload when the rows or the rules that sort them changed."""
        if changes.worklist or changes.settings:
            self._changes_seen += 1
            self.refresh()

    def refresh(self) -> None:
        if self.context.ops.defer_while_writing((self, "refresh"), self.refresh):
            return  # a write is running on the store's connection: read once it has committed
        as_of = self.context.today()
        self.as_of_label.setText(f"As of {as_of:%A %d %B %Y}. Most urgent first; within a status, "
                                 "not improving first, then longest waiting.")
        self._guarded(lambda: self._reload(as_of))  # the counts follow (_list_reloaded)

    def _reload(self, as_of: dt.date) -> None:
        """The rows again, under the clinic's profile as stored now (wl18: it was read once at start-up,
        so a clinic changing its profile saw the old profile's Reduce dose and Avoid marks, counts and
        export until a restart). Every reload reads it: a save in Settings, and any change announced."""
        self.model.profile = self.context.profile()
        self.model.reload(as_of)

    def _list_reloaded(self) -> None:
        """The list was emptied to be read again: the counts are read again with it. They go
        through every case, so just after the table is on screen (the first time, once the
        view has painted; see paintEvent), once however many reloads came meanwhile."""
        if self._painted_once:
            self._counts_timer.start()
            QTimer.singleShot(0, self, self._update_settings_note)
        else:
            self._counts_pending = self.model.as_of

    def _counts_stamp(self) -> tuple | None:
        """What the counts were read against: the date, the announcements seen, and another
        program's commits (SQLite's data_version); None when the store cannot say (the clinic
        server: every reload reads them again)."""
        from radiculopathy_desktop.storage.elsewhere import data_version
        try:
            version = data_version(self.context.store)
        except Exception:  # the read that follows reports the database's problem
            return None
        if version is None:
            return None
        return (self.model.as_of, self._changes_seen, version)

    def _counts_follow_list(self) -> None:
        stamp = self._counts_stamp()
        if stamp is not None and stamp == self._counts_stamp_read and self.counts_as_of == self.model.as_of:
            return  # nothing can have changed since the counts on the buttons were read
        self._update_counts(self.model.as_of)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted_once:
            self._painted_once = True
            QTimer.singleShot(0, self, self._after_first_paint)

    def _after_first_paint(self) -> None:
        self.search_box.installEventFilter(self)  # Up and Down in the search box
        self._header_follows_model()
        self._apply_status_colours()
        as_of, self._counts_pending = self._counts_pending, None
        if as_of is not None:
            self._update_counts(as_of)
            self._update_settings_note()  # after the first paint too: one small read, off the start-up path

    def _mirror_selection_on_header(self, *_args) -> None:
        """Until the header follows the model: the labels model's selection is what the header
        would read from the table's. The header draws a section highlighted (bold) when it meets
        the selection, and pressed when its whole column is selected, so the labels model has
        as many rows as the table up to two, and its first row is selected when a row is."""
        labels = self._header_labels
        if labels is None:
            return
        rows = min(self.model.rowCount(), 2)
        if labels.rowCount() != rows:
            labels.setRowCount(rows)
        header_selection = self.table.horizontalHeader().selectionModel()
        if rows and self.table.selectionModel().hasSelection():
            whole_row = QItemSelection(labels.index(0, 0), labels.index(0, len(COLUMNS) - 1))
            header_selection.select(whole_row, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        else:
            header_selection.clearSelection()

    def _header_follows_model(self) -> None:
        """Just after the first paint: the header reads its labels from the model and follows the
        table's selection, as a table's header does. Same number of sections, so their widths,
        resize modes and sort indicator stay; the labels are the same words."""
        if self._header_labels is None:
            return
        self.table.selectionModel().selectionChanged.disconnect(self._mirror_selection_on_header)
        self.model.loaded.disconnect(self._mirror_selection_on_header)
        self.model.modelReset.disconnect(self._mirror_selection_on_header)
        header = self.table.horizontalHeader()
        header.setModel(self.model)
        header.setSelectionModel(self.table.selectionModel())
        self._header_labels.deleteLater()
        self._header_labels = None

    def _apply_status_colours(self) -> None:
        """Each status button's colour (words first; colour reinforces), one style sheet for all."""
        if self._colours_applied:
            return
        self._colours_applied = True
        rules = []
        for status in STATUS_ORDER:
            bg, fg = style.status_colours(status.value)
            selector = f'QPushButton[status_code="{status.value}"]'
            rules.append(f"{selector} {{ border-left: 6px solid {fg.name()}; padding: 4px 8px; }}"
                         f" {selector}:checked {{ background-color: {bg.name()}; color: {fg.name()};"
                         f" font-weight: bold; }}")
        # the medicine-safety filter in the most urgent status's colour (words first; colour reinforces)
        bg, fg = style.status_colours(ReviewStatus.IMMEDIATE.value)
        selector = f'QPushButton[status_code="{MEDICINES}"]'
        rules.append(f"{selector} {{ border-left: 6px solid {fg.name()}; padding: 4px 8px; }}"
                     f" {selector}:checked {{ background-color: {bg.name()}; color: {fg.name()}; font-weight: bold; }}")
        self.filter_bar.setStyleSheet("\n".join(rules))

    def _update_counts(self, as_of: dt.date) -> None:
        if self.context.ops.defer_while_writing((self, "counts"), lambda: self._update_counts(as_of)):
            return
        self._counts_stamp_read = None
        self.counts_as_of = None  # set again once every button has its figure (_alerts_counted)
        try:
            stamp = self._counts_stamp()  # before the read: a commit in between makes the next reload read again
            counts = self.context.store.status_counts(as_of)
        except Exception as exc:
            # No number rather than a wrong one: "Immediate (0)" must never stand for "unknown".
            log.warning("worklist status counts could not be read: %s", type(exc).__name__)
            self._alerts_asked += 1  # a count still running for the old figures is not shown either
            self._alerts_next = None
            self.all_button.setText("Surgical review")
            self.all_button.setAccessibleName("Show surgical review")
            self.medicines_button.setText("Medicine alerts")
            self.medicines_button.setAccessibleName("Show medicine alerts")
            for status in STATUS_ORDER:
                self.filter_buttons[status.value].setText(status.label)
                self.filter_buttons[status.value].setAccessibleName(f"Show {status.label}")
            self.counts_error = exc
            self._show_read_error()
            return
        if self.counts_error is not None:
            self.counts_error = None
            self._show_read_error()
        counts = {str(getattr(k, "value", k)): v for k, v in dict(counts).items()}
        total = sum(counts.get(s.value, 0) for s in WORKLIST_STATUSES)
        self.all_button.setText(f"Surgical review ({total})")
        _fit_bold(self.all_button)
        self.all_button.setAccessibleName(f"Show surgical review: {total} cases")
        for status in STATUS_ORDER:
            n = counts.get(status.value, 0)
            button = self.filter_buttons[status.value]
            button.setText(f"{status.label} ({n})")
            _fit_bold(button)
            button.setAccessibleName(f"Show {status.label}: {n} cases")
        # The medicine alerts follow from the worker: until then the button says so, never an old figure.
        self.medicines_button.setText(ALERTS_COUNTING)
        _fit_bold(self.medicines_button)
        self.medicines_button.setAccessibleName("Show medicine alerts: still counting")
        self._count_alerts(as_of, stamp)

    # -- the Medicine alerts count, off the window's thread
    def _count_alerts(self, as_of: dt.date, stamp: tuple | None) -> None:
        """Count the Medicine alerts filter's cases in a worker, on a read-only connection of the
        store's own (``Store.reader``), so the window never waits for it. A request made while a
        count runs waits for that one to end (one connection, one thread at a time) and
        supersedes it: only the latest request's figure is ever shown."""
        self._alerts_asked += 1
        request = (self._alerts_asked, self.context.store, as_of, self.model.profile, stamp)
        if self._alerts_running is not None:
            self._alerts_next = request
            return
        self._start_alerts(request)

    def _start_alerts(self, request: tuple) -> None:
        from radiculopathy_desktop.ui.workers import Worker

        asked, store, as_of, profile, _stamp = request
        import threading

        # the reader while it counts, for stop_counting's interrupt (never once it is being closed)
        box: dict[str, Any] = {"lock": threading.Lock()}

        def count() -> tuple:
            try:
                with store.reader() as reader:
                    with box["lock"]:
                        box["reader"] = reader
                        if box.get("stopped"):  # closed while the reader opened: stop at once (sav21)
                            reader.interrupt()
                    try:
                        return asked, reader.medicine_alert_count(as_of, list(OPEN_STATUSES), profile=profile), None
                    finally:
                        with box["lock"]:
                            box.pop("reader", None)
            except BaseException as exc:  # noqa: BLE001 - said on the button and in the list area
                return asked, None, exc

        for ended in [w for w in _LIVE_COUNTS if w.isFinished()]:  # let go of counts whose view went away
            _LIVE_COUNTS.discard(ended)
        worker = Worker(count)
        worker.succeeded.connect(self._alerts_counted)
        self._alerts_running = (request, worker, box)
        _LIVE_COUNTS.add(worker)
        worker.start()

    def _alerts_counted(self, result: tuple) -> None:
        """A count has ended (``(request number, figure, None)`` or ``(number, None, exception)``).
        A count that is no longer running here (stopped by stop_counting) is ignored; the
        running one's request is started next if one waits; the figure or failure is shown only
        for the latest request."""
        asked, alerted, exc = result
        running = self._alerts_running
        if running is None or running[0][0] != asked:
            return
        self._alerts_running = None
        request, worker, _box = running
        worker.wait()  # it has handed over its result: only returning is left
        _LIVE_COUNTS.discard(worker)
        worker.deleteLater()
        waiting, self._alerts_next = self._alerts_next, None
        if waiting is not None and waiting[0] == self._alerts_asked:
            self._start_alerts(waiting)
        if asked != self._alerts_asked:
            return  # superseded: a newer request has been made since this one
        if exc is not None:
            # A clear "not counted", never a number: "Medicine alerts (0)" must never stand for "unknown".
            log.warning("worklist medicine alerts could not be counted: %s", type(exc).__name__)
            self.medicines_button.setText(ALERTS_NOT_COUNTED)
            _fit_bold(self.medicines_button)
            self.medicines_button.setAccessibleName("Show medicine alerts: the number could not be counted")
            self.alerts_error = exc
            self._show_read_error()
            return
        if self.alerts_error is not None:
            self.alerts_error = None
            self._show_read_error()
        self.medicines_button.setText(f"Medicine alerts ({alerted})")
        _fit_bold(self.medicines_button)
        self.medicines_button.setAccessibleName(f"Show medicine alerts: {alerted} cases")
        self.counts_as_of = request[2]
        self._counts_stamp_read = request[4]
        self.counts_shown.emit()

    @property
    def counting_alerts(self) -> bool:
        """A Medicine alerts count is running or waiting to."""
        return self._alerts_running is not None or self._alerts_next is not None

    def stop_counting(self) -> None:
        """The window is closing: no figure or page is wanted any more. A count or a Medicine
        alerts list read still running is interrupted and waited for, so no thread outlives the
        window; one waiting for another program's lock stops waiting within a slice
        (``Store.reader``, sav21), not the busy timeout."""
        self.model.stop_reading()  # and the Medicine alerts list's read
        if self.export_read is not None:  # and an export's read: no file is written
            self.export_read.stop()
        self._alerts_asked += 1
        self._alerts_next = None
        running, self._alerts_running = self._alerts_running, None
        if running is None:
            return
        _request, worker, box = running
        with box["lock"]:
            box["stopped"] = True  # a reader opened after this is interrupted as it opens
            reader = box.get("reader")
            if reader is not None:
                reader.interrupt()
        worker.wait()
        _LIVE_COUNTS.discard(worker)
        worker.deleteLater()

    def _show_why(self, current, _previous=None) -> None:
        if not current.isValid() or current.row() >= self.model.rowCount():
            self.why_label.clear()
            return
        row = self.model.rows[current.row()]
        text = f"Why ({self.model.text(row, 'name')}): {self.model.text(row, 'reason')}"
        if _says_would_not_consider(row):  # window35: the "Patient wish" cell's whole sentence
            text += f"\n{WISH_HEADER}: {WOULD_NOT_CONSIDER_SURGERY_SENTENCE}"
        safety = safety_tip(row)  # each alert's action and the pregnancy's sentence
        self.why_label.setText(f"{text}\n{safety}" if safety else text)
        self.why_area.fit()

    def _country_chosen(self, code: str) -> None:
        from radiculopathy_desktop.storage import clinic_settings
        user = self.context.user
        self.context.ops.run(lambda store: clinic_settings.set_clinic_country(store, code, user=user),
                             parent=self, initiator=self, kept_input=False)

    @property
    def first_run(self) -> FirstRunPanel:
        """The panel shown instead of an empty table when the database has no case at all, built
        on first use (a worklist with cases never needs it: its country list, combo box and
        texts are not built before the first paint)."""
        if self._first_run is None:
            panel = FirstRunPanel(self)
            panel.start_intake.connect(self.start_intake)
            panel.open_demo.connect(self.open_demo)
            panel.country_chosen.connect(self._country_chosen)
            # The welcome page is the worklist's page when there is no case: its paint is the
            # worklist's (tryout36 F2: only the table's paint was, so a database with no patient
            # never offered the kept intake draft, even one recording an EMERGENCY)
            panel.painted.connect(self.painted)
            self.body.addWidget(panel)
            self._first_run = panel
        return self._first_run

    def is_first_run(self) -> bool:
        """No case in the store at all (not just none under this filter)."""
        try:
            return self.context.store.case_count() == 0
        except Exception:
            return False

    def _filter_label(self) -> str:
        checked = self.filter_group.checkedButton()
        code = checked.property("status_code") if checked is not None else "worklist"
        if code == MEDICINES:
            return "Medicine alerts"
        return "Surgical review" if code == "worklist" else ReviewStatus(code).label

    def _update_search_note(self) -> None:
        if not self.model.search:
            self.search_note.hide()
            return
        outside = self.model.outside_filter()
        n = self.model.rowCount()
        text = f"Searching all cases, whatever the status filter ({self._filter_label()})."
        if outside:
            text += (f" {outside} of the {n} match{'es' if n != 1 else ''} shown "
                     f"{'are' if outside != 1 else 'is'} outside this filter: see the Status column.")
        self.search_note.setText(text)
        self.search_note.show()

    def _update_settings_note(self) -> None:
        from radiculopathy_desktop.storage.engine_common import review_settings_problems
        from radiculopathy_desktop.ui.settings_view import settings_words

        if self.context.ops.defer_while_writing((self, "settings_note"), self._update_settings_note):
            return  # a write is running on the store's connection: read once it has committed
        try:
            problems = review_settings_problems(self.context.store)
        except Exception as exc:  # noqa: BLE001 - the note is extra; a failed read is said by the list itself
            log.info("stored settings not checked: %s", type(exc).__name__)
            problems = ()
        self.settings_note.setText(" ".join(settings_words(p.sentence(
            "the settings are saved in Settings" if p.whole_row else "a value is saved in Settings"))
            for p in problems))
        self.settings_note.setVisible(bool(problems))

    def _show_read_error(self) -> None:
        """The failed reads, in words, where the list is: what failed and what to do."""
        parts = []
        if self.model.error is not None:
            shown = self.model.rowCount()
            if self.model.reads_in_background and self.model.search:  # a search read in the worker
                parts.append(("The search could not be read, so the list below is not complete: it does not mean "
                              "that no case matches. " if not shown else
                              f"Only the first {shown} cases found by the search could be read; the rest are "
                              "missing. ") + read_error_cause(self.model.error))
            elif self.model.reads_in_background:  # the Medicine alerts list
                parts.append(("The cases with a medicine-safety alert could not be read, so the list below is not "
                              "complete: it does not mean that no case has one. " if not shown else
                              f"Only the first {shown} cases with a medicine-safety alert could be read; the rest "
                              "are missing. ") + read_error_cause(self.model.error))
            else:
                parts.append(("The worklist could not be read, so the list below is not complete: it does not "
                              "mean that no case needs attention. " if not shown else
                              f"Only the first {shown} rows of the worklist could be read; the rest are missing. ")
                             + read_error_cause(self.model.error))
        if self.counts_error is not None:
            parts.append("The number of cases with each status could not be read, so the buttons above show no "
                         "numbers. " + read_error_cause(self.counts_error))
        elif self.alerts_error is not None:
            parts.append("The cases with a medicine-safety alert could not be counted, so the Medicine alerts "
                         "button shows no number: it does not mean that no case has one (the list itself is read "
                         "when you press it). " + read_error_cause(self.alerts_error))
        if parts:
            parts.append("What to do: press Try again. If it keeps failing, close and reopen Radiculopathy Desktop, "
                         "or ask IT to run `radiculopathy-desktop check`.")
        self.read_error.setText("\n\n".join(parts))
        self.read_error.setVisible(bool(parts))
        self.retry_button.setVisible(bool(parts))
        if parts:
            self.empty_label.hide()

    def _update_empty(self) -> None:
        self._update_search_note()
        first_run = False
        if self.model.error is not None or self.counts_error is not None or self.alerts_error is not None:
            self._show_read_error()
            if self.model.rowCount() == 0:
                self.body.setCurrentWidget(self.table)
                return
        else:
            self._show_read_error()
        if self.model.loading and self.read_error.isHidden():
            # the Medicine alerts list is being read in its worker: never "no case" for a list not read
            # yet, and rows already shown are said to be only the first of it
            if self.model.search:
                self.empty_label.setText(SEARCH_READING if self.model.rowCount() == 0 else SEARCH_READING_MORE)
            else:
                self.empty_label.setText(LIST_READING if self.model.rowCount() == 0 else LIST_READING_MORE)
            self.empty_label.show()
        elif self.model.rowCount() == 0 and self.read_error.isHidden():
            first_run = not self.model.search and self.is_first_run()
            if self.model.search:
                text = "No case matches this search, under any status."
            elif self.model.medicines_only:
                text = "No case has a medicine-safety alert today."
            elif set(self.model.statuses) == {s.value for s in WORKLIST_STATUSES}:
                text = ("No case needs a surgical-review look today (medicine alerts are counted under Medicine "
                        "alerts). Choose a status above to see the others.")
            else:
                text = "No cases with this status."
            self.empty_label.setText(text)
            self.empty_label.setVisible(not first_run)
        else:
            self.empty_label.hide()
        if first_run:
            from radiculopathy_desktop.storage import clinic_settings
            from radiculopathy_desktop.ui.choice import set_combo
            try:
                set_combo(self.first_run.country,
                          clinic_settings.clinic_country(self.context.store, self.context.profile()).code)
            except Exception:  # the database's own problem is reported where it is opened
                pass
        self.body.setCurrentWidget(self.first_run if first_run else self.table)
        if not self._sized:
            self._sized = True  # widths from the font, not by measuring rows (fast at any size, any scaling)
            fm = self.table.fontMetrics()
            # Narrow fixed columns leave the Why column (stretched last) room to be read; each fits its
            # header and the longest words it shows (window35: "No follow-up yet" was cut in Progress).
            samples = {"status": ReviewStatus.NEEDS_FOLLOW_UP.label, "wish": WISH_HEADER, "name": "Firstname Surname",
                       "patient_id": "DEMO-P1-0000000", "weeks": dict(COLUMNS)["weeks"], "leg": "Leg pain",
                       "trend": _improving_words(None), "last_seen": "2026-12-31"}
            for column, (key, _label) in enumerate(COLUMNS):
                if key in samples:
                    self.table.setColumnWidth(column, fm.horizontalAdvance(samples[key]) + fm.height())
        self._fit_status_columns()
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _fit_status_columns(self) -> None:
        """Widen the Status column to the longest status the rows loaded say ("Improving: keep under
        review"), never narrower than it is (the user may have widened it); show the "Patient wish"
        column only while a row loaded says "No surgery" (window35, H-UI-540: GP tryout 35 read "Overdue;
        would not consider su..." beside a Why too narrow to read; a column of blanks would take the
        Why's room on a small screen, e.g. 1024x600). The words are short, so the Why column (stretched
        last) keeps the rest of the table."""
        # the rows on screen first: a page or so is enough to size a column (100,000 rows stay fast)
        rows = self.model.rows[:500]
        wish = next(n for n, (key, _label) in enumerate(COLUMNS) if key == "wish")
        self.table.setColumnHidden(wish, not any(_says_would_not_consider(r) for r in rows))
        if not rows:
            return
        fm = self.table.fontMetrics()
        status = next(n for n, (key, _label) in enumerate(COLUMNS) if key == "status")
        width = max(fm.horizontalAdvance(self.model.text(r, "status")) for r in rows) + fm.height()
        if self.table.columnWidth(status) < width:
            self.table.setColumnWidth(status, width)

    def export_csv(self):
        """The worklist as it is filtered now (status and search) to a CSV file. Under the Medicine
        alerts filter (a search over it too) the cases are read in a worker, as that list is (st21
        leftover): the window answers meanwhile, and the status bar says the file is written once
        they are all read; a second Export CSV while one runs says so and starts none."""
        from radiculopathy_desktop.ui import exports
        self._apply_search()
        model = self.model
        if not model.medicines_only:
            return exports.export_worklist_csv(self, self.context, model.searched_statuses, model.search,
                                               medicines_only=False, as_of=model.as_of, profile=model.profile)
        if self.export_read is not None and self.export_read.running:
            exports._say(self, "The worklist export is still reading its cases: its file is written when they are "
                               "all read.")
            return None
        path = exports.ask_worklist_csv_path(self, model.as_of)
        if path is None:
            return None
        self.export_read = exports.WorklistExportRead(
            self, self.context, path, model.searched_statuses, model.search or None,
            medicines_only=not model.search, as_of=model.as_of, profile=model.profile or self.context.profile(),
            finished=self.export_finished.emit)
        return None

    def _guarded(self, action) -> None:
        try:
            action()
        except Exception as exc:
            show_error(self, exc)

    def _enter_in_search(self) -> None:
        """Enter in the search: searches when the list is not for this text yet (the first match
        highlighted), else opens the highlighted patient."""
        if self._search_timer.isActive() or self.search_box.text().strip() != self.model.search:
            self._apply_search()
            self._highlight(0)
        elif self.body.currentWidget() is self.table:
            self._open_current()

    def _highlight(self, row: int) -> None:
        rows = self.model.rowCount()
        if self.body.currentWidget() is self.table and rows:
            self.table.selectRow(min(max(row, 0), rows - 1))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if obj is self.search_box and event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Up, Qt.Key_Down):
            if self._search_timer.isActive() or self.search_box.text().strip() != self.model.search:
                self._apply_search()  # the list for this text first, its first match highlighted
                self._highlight(0)
                return True
            current = self.table.currentIndex().row() if self.table.currentIndex().isValid() else -1
            self._highlight(current + (1 if event.key() == Qt.Key_Down else -1) if current >= 0 else 0)
            return True
        return super().eventFilter(obj, event)

    def list_follows_search(self) -> bool:
        """The list shown is the list for the text typed in the search: a search still waiting for
        its timer is run now (window31: typed, Tab, Tab, Enter inside the 250 ms opened the patient
        highlighted BEFORE the search). False while the search cannot run yet (a write is running:
        it runs once that commits), so nothing acts on the old list's row meanwhile."""
        if self._search_timer.isActive() or self.search_box.text().strip() != self.model.search:
            self._apply_search()
        return not self._search_timer.isActive() and self.search_box.text().strip() == self.model.search

    def current_case_id(self) -> str | None:
        """The highlighted patient's case in the list for the typed text (None: no row, or the
        search could not run yet). Whatever acts on "the highlighted patient" asks here."""
        if not self.list_follows_search():
            return None
        index = self.table.currentIndex()
        if index.isValid() and 0 <= index.row() < self.model.rowCount():
            return self.model.case_id(index.row())
        return None

    def _open_current(self) -> None:
        case_id = self.current_case_id()
        if case_id:
            self.open_case.emit(case_id)

    def _open(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.open_case.emit(self.model.case_id(row))


def _interrupt(box: dict) -> None:
    """Stop the statement a worker's reader is running (SQLite; it then raises in the worker), and
    keep a worker that has not opened its reader yet from starting its read."""
    with box["lock"]:
        box["stopped"] = True
        reader = box.get("reader")
        if reader is not None:
            reader.interrupt()


def read_error_cause(exc: BaseException) -> str:
    """Why a read failed, in the words the error dialog uses (``ui.errors.describe``)."""
    from radiculopathy_desktop.ui.errors import describe

    _title, message, _details = describe(exc)
    return message


def _fit_bold(button: QPushButton, bold=None) -> None:
    """Wide enough for its label in bold (the checked button's style) with the style's padding
    and coloured edge: the active filter's label is never clipped. The bar wraps (FlowLayout),
    so counts arriving never widen the window.

    ``bold``: the metrics of the button's font in bold when the caller has them
    (:func:`_bold_button_metrics`, for buttons not yet in a window); else they are read from
    the button's own font."""
    if bold is None:
        from PySide6.QtGui import QFont, QFontMetrics
        font = QFont(button.font())
        font.setBold(True)
        bold = QFontMetrics(font)
    button.setMinimumWidth(bold.horizontalAdvance(button.text()) + 2 * 8 + 6 + 12)


def _bold_button_metrics():
    """The font metrics of a push button not yet in a window (its class's font: what a new
    filter button has until it is placed in the bar) in bold, made without a Python ``QFont``.

    Issue 17: the first ``QFont`` made in Python makes PySide6 build its eight enums (~7.5 M
    instructions, about 1 % of the start-up to the painted worklist), and the filter buttons are
    sized before the first paint. A style sheet's ``font-weight: bold`` on a probe button gives
    Qt's own bold of the same font (``QFont.setBold(True)``: weight 700, as CSS ``bold``); the
    metrics keep their font, so the probe is dropped at once (it is never shown).
    ``tests/ui/test_worklist_startup_fonts.py`` compares the two for every label."""
    probe = QPushButton()
    probe.setStyleSheet("font-weight: bold")
    probe.ensurePolished()
    return probe.fontMetrics()


class _FilterButton(QPushButton):
    """A status filter button: Left and Right move through all the bar's buttons in reading order
    (the order they were added, which the flow layout keeps), whatever the width.

    wl18: when the bar wrapped, Qt's arrow keys (nearest button in that direction) stuck at the
    end of a row: from "Closed", Right stuck on "Upcoming" and Left on "Not due"; only Up and Down
    changed rows. Now Right from the last button of a row goes to the first of the next, and Left
    back. As Qt does within a group, the focus moves and, when the button left was the checked
    one, the filter follows it; at the first or last button the arrow stays. Up and Down keep Qt's
    move to the row above or below. Only a key press reaches Python here (issue 17: nothing before
    the first paint)."""

    def keyPressEvent(self, event):  # noqa: N802 (Qt API)
        key = event.key()
        if key not in (Qt.Key_Left, Qt.Key_Right) or event.modifiers() & ~Qt.KeypadModifier:
            super().keyPressEvent(event)
            return
        group = self.group()
        order = [b for b in (group.buttons() if group is not None else [self])
                 if b is self or (b.isVisibleTo(self.window()) and b.isEnabled())]
        at = order.index(self) + (1 if key == Qt.Key_Right else -1)
        if not 0 <= at < len(order):
            event.accept()  # the first or last: stays (a key leaving the bar would be a surprise)
            return
        target = order[at]
        if self.isChecked() and target.isCheckable():
            target.click()
        target.setFocus(Qt.TabFocusReason if key == Qt.Key_Right else Qt.BacktabFocusReason)
        event.accept()


class FirstRunPanel(QFrame):
    """Shown instead of an empty table when the database has no cases at all."""

    start_intake = Signal()
    open_demo = Signal()
    country_chosen = Signal(str)  # the clinic's country, chosen here or left at the profile's
    painted = Signal()  # after each paint, as the table's (the window offers a kept draft after the first)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.StyledPanel)
        self.setAccessibleName("Getting started")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QVBoxLayout()
        self.heading = QLabel("<h2>Welcome — there are no patients yet</h2>")
        self.heading.setTextFormat(Qt.RichText)
        self.text = QLabel(
            "The worklist shows who needs a surgical-review decision, most urgent first. It fills in as you "
            "record patients.\n\n"
            "• Start a new intake to record your first patient: symptoms, red-flag screen, examination and "
            "scores. The app then suggests the next step of stepped care with its sources.\n"
            "• Or open the demo cohort to look around first: invented patients in a separate window and a "
            "temporary folder. Nothing is added to this database.")
        self.text.setWordWrap(True)
        self.text.setAccessibleName("What to do next")
        box.addWidget(self.heading)
        box.addWidget(self.text)
        buttons = QHBoxLayout()
        self.intake_button = QPushButton("Start a new &intake")
        self.intake_button.setAccessibleName("Start a new intake")
        self.intake_button.setDefault(True)
        self.demo_button = QPushButton("Open the &demo cohort")
        self.demo_button.setAccessibleName("Open the demo cohort")
        self.intake_button.clicked.connect(self.start_intake)
        self.demo_button.clicked.connect(self.open_demo)
        buttons.addWidget(self.intake_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        from radiculopathy_desktop.domain.emergency import COUNTRIES
        from radiculopathy_desktop.ui.choice import combo  # not ui.forms: not needed before the first paint
        country_label = QLabel("Your clinic's &country, for the emergency number on handouts (you can change it "
                               "in Settings):")
        country_label.setWordWrap(True)
        self.country = combo("Clinic's country (sets the emergency number)",
                             {c.code: c.label for c in COUNTRIES.values()})
        country_label.setBuddy(self.country)
        country_row = QHBoxLayout()
        country_row.addWidget(self.country)
        country_row.addStretch(1)
        box.addSpacing(self.fontMetrics().height())
        box.addWidget(country_label)
        box.addLayout(country_row)
        self.country.activated.connect(lambda _i: self.country_chosen.emit(self.country.currentData()))
        row = QHBoxLayout()
        row.addStretch(1)
        inner = QWidget()
        inner.setLayout(box)
        inner.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 48)
        row.addWidget(inner, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def paintEvent(self, event):  # noqa: N802 (Qt API)
        super().paintEvent(event)
        self.painted.emit()


class _PaintNotifyingTable(QTableView):
    painted = Signal()

    def paintEvent(self, event):
        super().paintEvent(event)
        self.painted.emit()
