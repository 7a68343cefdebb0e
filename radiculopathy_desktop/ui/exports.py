"""Printing and exporting from the window: handouts, the referral summary, FHIR, CSV.

The reports themselves live in :mod:`radiculopathy_desktop.reports` (they write through
the checked writer, :mod:`radiculopathy_desktop.outputs`: owner-only, every write
checked, read back, renamed into place, so a failed export leaves nothing behind);
this module only asks where to save, calls them and shows failures in plain words.
A saved file is recorded in the audit table once it is complete and before it is put
in place: an export the audit cannot record is not saved, and the user is told.

The system file dialog asks before replacing the file chosen; when the app adds the
suffix (``summary`` becomes ``summary.pdf``) and that file exists, :func:`confirm_overwrite`
asks too. Modal dialogs are reached through small module-level functions a test can
replace: :func:`ask_save_path` and :func:`confirm_overwrite` here,
``reports.printing.open_dialog`` for the print preview.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, Qt, QTimer
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QScrollArea, QStyle, QVBoxLayout, QWidget)

from radiculopathy_desktop.domain.vocab import MedicineStatus, member
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.ui.errors import show_error

log = logging.getLogger("radiculopathy_desktop.ui")

LANGUAGES = (("en", "English"), ("es", "Español (Spanish)"))
PAPERS = (("a4", "A4"), ("letter", "US Letter"))


LAST_FOLDER_KEY = "files/last_folder"


def start_folder() -> Path:
    """Where a save dialog opens: the last folder used, else Documents, else the home folder."""
    from PySide6.QtCore import QSettings, QStandardPaths
    last = QSettings().value(LAST_FOLDER_KEY, "")
    if last and Path(str(last)).is_dir():
        return Path(str(last))
    documents = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def ask_save_path(parent: QWidget | None, title: str, suggested: str, file_filter: str) -> Path | None:
    """Ask where to save (the system dialog, in the last folder used); None when cancelled."""
    from PySide6.QtCore import QSettings
    name, _ = QFileDialog.getSaveFileName(parent, title, str(start_folder() / suggested), file_filter)
    if not name:
        return None
    QSettings().setValue(LAST_FOLDER_KEY, str(Path(name).parent))
    return Path(name)


def confirm_unrecognised_doses(parent: QWidget | None, message: str) -> bool:
    """Ask the clinician to confirm printing doses while a medicine is unrecognised (a test replaces this)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Warning, "Medicine not recognised", message, QMessageBox.NoButton, parent)
    box.setInformativeText("Print the medicine sheets with their doses anyway?")
    yes = box.addButton("Print with doses", QMessageBox.AcceptRole)
    box.addButton("Go back", QMessageBox.RejectRole)
    box.setDefaultButton(box.buttons()[-1])  # the safe answer is the default
    box.exec()
    return box.clickedButton() is yes


def confirm_pregnancy_differs(parent: QWidget | None, message: str) -> bool:
    """Ask before printing or saving a handout while another case of the patient contradicts
    this case's pregnancy answer (gp18 F1): Go back is the default and Esc; True only when the
    clinician chooses to print anyway."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Warning, "The pregnancy differs from another case of this patient", message,
                      QMessageBox.NoButton, parent)
    box.setAccessibleName("The pregnancy differs from another case of this patient")
    box.setInformativeText("This handout's medicine advice reads this case's answer. Go back, ask her, and record the "
                           "right answer at a visit on the case that is wrong. Print anyway only if this case's answer "
                           "is right.")
    yes = box.addButton("&Print anyway", QMessageBox.AcceptRole)
    back = box.addButton("&Go back", QMessageBox.RejectRole)
    box.setDefaultButton(back)  # the safe answer is the default
    box.setEscapeButton(back)
    box.exec()
    return box.clickedButton() is yes


def pregnancy_differs_for(context, case, profile: str | None = None):
    """``domain.episodes.pregnancy_differs`` for ``case`` today against the patient's other cases as
    stored (gp18 F1; rt20 F1/F2: a stale "not pregnant" or a question never asked beside a case
    recording her pregnant now); None when nothing differs or they cannot be read (logged without
    the patient)."""
    from radiculopathy_desktop.domain.episodes import pregnancy_differs

    try:
        others = context.store.patient_cases(case.patient.id, exclude=case.case_id)
    except Exception as exc:
        log.warning("patient cases could not be read: %s", getattr(exc, "kind", None) or type(exc).__name__)
        return None
    return pregnancy_differs(case, others, context.today(), profile)


def pregnancy_warning(context, case) -> str | None:
    """The advice warning of :func:`pregnancy_differs_for` (``PregnancyDiffers.warning``), or None."""
    found = pregnancy_differs_for(context, case)
    return found.warning if found is not None else None


def confirm_overwrite(parent: QWidget | None, path: Path) -> bool:
    """Ask before replacing an existing file the file dialog did not ask about. Tests replace this."""
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(parent, "Replace the file?",
                                  f"{path.name} already exists in {path.parent}. Replace it?",
                                  QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
    return answer == QMessageBox.Yes


def _with_suffix(path: Path, suffix: str, parent: QWidget | None = None) -> Path | None:
    """``path`` with ``suffix``; None when that adds a suffix, the file exists and the user
    would rather not replace it (the file dialog only asked about the name typed)."""
    if path.suffix.lower() == suffix:
        return path
    path = path.with_name(path.name + suffix)
    if path.exists() and not confirm_overwrite(parent, path):
        return None
    return path


def _audit_on_complete(context, action: str, case_id: str | None, detail: dict, key: str):
    """``on_complete`` for a writer: the export's audit row, raised on failure so the file
    is not put in place without its record."""
    def record(count: int) -> None:  # inside the file's atomic write: here, not in a worker
        user = context.user
        context.ops.run(lambda store: store.record_audit(user, action, case_id, {**detail, key: count}),
                        errors="raise", wait="here")
    return record


def default_paper() -> str:
    country = QLocale.system().territory()
    letter = {QLocale.UnitedStates, QLocale.Canada, QLocale.Mexico, QLocale.Philippines}
    return "letter" if country in letter else "a4"


def record_export(context, action: str, case_id: str | None, detail: dict) -> bool:
    """Write ``action`` (a print, which leaves no file) to the store's audit log; False when
    it could not be written (logged without patient identifiers). Saved files are audited
    through the writers' ``on_complete`` instead, so a file is never kept without its record.
    """
    store = context.store
    for name in ("record_audit", "append_audit", "audit_event", "log_export"):
        method = getattr(store, name, None)
        if callable(method):
            try:
                method(context.user, action, case_id, detail)
                return True
            except Exception:  # an audit failure must not undo a file already written
                log.exception("audit of %s failed", action)
                return False
    log.info("%s done (the store has no audit-append API)", action)
    return False


def _clinic(context) -> tuple[str, str]:
    try:
        clinic = context.clinic()
    except Exception:  # noqa: BLE001 - a handout still prints without the clinic's details
        return "", ""
    return clinic.name, clinic.address


def _notify(parent: QWidget | None, path: Path, what: str) -> None:
    window = parent.window() if parent is not None else None
    bar = getattr(window, "statusBar", None)
    if callable(bar):
        bar().showMessage(f"Saved {what} to {path}", 10000)


# --------------------------------------------------------------------------- case exports
def export_summary_pdf(parent: QWidget, context, case, paper: str | None = None) -> Path | None:
    """Ask for a file name and write the referral summary PDF there."""
    path = ask_save_path(parent, "Export referral summary (PDF)", f"referral-summary-{case.case_id}.pdf",
                         "PDF documents (*.pdf)")
    if path is None:
        return None
    path = _with_suffix(path, ".pdf", parent)
    if path is None:
        return None
    try:
        from radiculopathy_desktop.reports.summary import SummaryRequest, write_summary_pdf
        name, contact = _clinic(context)
        differs = pregnancy_differs_for(context, case, context.profile())
        write_summary_pdf(SummaryRequest(case, context.today(), name, contact, context.review_settings(),
                                         paper=paper or default_paper(), profile=context.profile(),
                                         pregnancy_warning=differs.warning if differs else None,
                                         pregnancy_differs=differs), path,
                          on_complete=_audit_on_complete(context, "summary_pdf_exported", case.case_id, {}, "pages"))
    except Exception as exc:
        show_error(parent, exc)
        return None
    _notify(parent, path, "the referral summary")
    return path


def export_fhir(parent: QWidget, context, case) -> Path | None:
    path = ask_save_path(parent, "Export FHIR bundle", f"fhir-{case.case_id}.json", "FHIR JSON (*.json)")
    if path is None:
        return None
    path = _with_suffix(path, ".json", parent)
    if path is None:
        return None
    try:
        from radiculopathy_desktop.reports.fhir import write_bundle
        write_bundle(case, context.today(), path, context.review_settings(),
                     on_complete=_audit_on_complete(context, "fhir_exported", case.case_id, {}, "resources"),
                     profile=context.profile())
    except Exception as exc:
        show_error(parent, exc)
        return None
    _notify(parent, path, "the FHIR bundle")
    return path


def export_worklist_csv(parent: QWidget, context, statuses, search: str | None,
                        medicines_only: bool = False, as_of: dt.date | None = None,
                        profile: str | None = None) -> Path | None:
    """The worklist under its current filter (statuses, the Medicine alerts filter and search)
    on ``as_of`` (the date the list shows; default today) as CSV: ``export cases``'s columns,
    through its code path (``csv_export.export_cases_csv``), the medicine columns under
    ``profile`` (the list's; default the clinic's), as the list shows them."""
    as_of = as_of or context.today()
    path = ask_save_path(parent, "Export worklist (CSV)", f"worklist-{as_of.isoformat()}.csv",
                         "CSV files (*.csv)")
    if path is None:
        return None
    path = _with_suffix(path, ".csv", parent)
    if path is None:
        return None
    try:
        from radiculopathy_desktop.reports.common import guideline_content_version
        from radiculopathy_desktop.reports.csv_export import export_audit_detail, export_cases_csv
        profile = profile or context.profile()
        # the list's date and profile, as the command line records them (rt19 F9)
        detail = export_audit_detail(as_of, profile, medicines_only, statuses=list(statuses))
        n = export_cases_csv(context.store, path, as_of, statuses, profile=profile, search=search,
                             medicine_alerts_only=medicines_only, content_version=guideline_content_version(),
                             on_complete=_audit_on_complete(context, "worklist_csv_exported", None, detail, "rows"))
    except Exception as exc:
        show_error(parent, exc)
        return None
    _notify(parent, path, f"{n} cases")
    return path


class WorklistExportRead:
    """The Medicine alerts filter's "Export CSV..." read in a worker (st21 leftover): its rows and
    the pregnancy answers are read on a read-only store of its own (``Store.reader``), so another
    program's lock or a slow clinic server never freezes the window; the file is then written
    and audited on the window's thread through the one path of ``export cases``
    (``csv_export.export_worklist_csv``: whole or not at all). A read that fails writes no file
    and says so, with what to do; none is reported saved until it is whole. ``finished(path or
    None)`` when it has ended."""

    def __init__(self, parent: QWidget, context, path: Path, statuses, search: str | None, medicines_only: bool,
                 as_of: dt.date, profile: str, finished=None):
        import threading

        from radiculopathy_desktop.ui.workers import Worker

        self.parent, self.context, self.path = parent, context, path
        self.statuses, self.search, self.medicines_only = list(statuses), search, medicines_only
        self.as_of, self.profile, self._finished = as_of, profile, finished
        self.box: dict = {"lock": threading.Lock()}
        store = context.store
        box = self.box

        def read():
            with store.reader() as reader:
                with box["lock"]:
                    if box.get("stopped"):
                        raise UserError("The export was stopped: the window is closing.")
                    box["reader"] = reader
                try:
                    rows = list(reader.worklist(as_of, statuses=list(statuses), search=search or None,
                                                profile=profile, medicine_alerts_only=medicines_only))
                    return rows, reader.pregnancy_records()
                finally:
                    with box["lock"]:
                        box.pop("reader", None)

        self.worker = Worker(read)
        self.worker.succeeded.connect(self._read)
        self.worker.failed.connect(self._failed)
        _say(parent, "Exporting the worklist: reading the cases... (no file is written until they are all read)")
        self.worker.start()

    @property
    def running(self) -> bool:
        return self.worker is not None

    def stop(self) -> None:
        """The window is closing: the read is interrupted and waited for; no file is written."""
        worker, self.worker = self.worker, None
        if worker is None:
            return
        with self.box["lock"]:
            self.box["stopped"] = True
            reader = self.box.get("reader")
            if reader is not None:
                reader.interrupt()
        worker.wait()
        worker.deleteLater()

    def _ended(self) -> bool:
        worker, self.worker = self.worker, None
        if worker is None:
            return False  # stopped: the window is closing
        worker.wait()
        worker.deleteLater()
        return True

    def _read(self, result) -> None:
        if not self._ended():
            return
        rows, pregnancy = result
        saved = None
        try:
            from radiculopathy_desktop.reports.common import guideline_content_version
            from radiculopathy_desktop.reports.csv_export import export_audit_detail, export_worklist_csv as write
            detail = export_audit_detail(self.as_of, self.profile, self.medicines_only, statuses=self.statuses)
            n = write(rows, self.path, content_version=guideline_content_version(), pregnancy=pregnancy,
                      profile=self.profile,
                      on_complete=_audit_on_complete(self.context, "worklist_csv_exported", None, detail, "rows"))
        except Exception as exc:
            _say(self.parent, "")
            show_error(self.parent, exc)
        else:
            _notify(self.parent, self.path, f"{n} cases")
            saved = self.path
        self._done(saved)

    def _failed(self, exc: BaseException) -> None:
        if not self._ended():
            return
        log.warning("worklist export could not be read: %s", getattr(exc, "kind", None) or type(exc).__name__)
        from radiculopathy_desktop.ui.worklist import read_error_cause
        _say(self.parent, "")
        show_error(self.parent, UserError(
            f"The worklist was not exported: the cases could not be read, so no file was written ({self.path}). "
            + read_error_cause(exc) + " What to do: press Export CSV again (Ctrl+Shift+X). If it keeps failing, close "
            "and reopen Radiculopathy Desktop, or ask IT to run `radiculopathy-desktop check`."))
        self._done(None)

    def _done(self, saved) -> None:
        if self._finished is not None:
            self._finished(saved)


def _say(parent: QWidget | None, text: str) -> None:
    window = parent.window() if parent is not None else None
    bar = getattr(window, "statusBar", None)
    if callable(bar):
        if text:
            bar().showMessage(text)
        else:
            bar().clearMessage()


def ask_worklist_csv_path(parent: QWidget, as_of: dt.date) -> Path | None:
    """The file the worklist CSV goes to, asked for as :func:`export_worklist_csv` does (None: cancelled)."""
    path = ask_save_path(parent, "Export worklist (CSV)", f"worklist-{as_of.isoformat()}.csv", "CSV files (*.csv)")
    if path is None:
        return None
    return _with_suffix(path, ".csv", parent)


def clinic_country_code(context) -> str:
    """The clinic's country (Settings), else the one the guideline profile implies."""
    from radiculopathy_desktop.storage.clinic_settings import clinic_country
    try:
        return clinic_country(context.store, context.profile()).code
    except Exception:  # the handout still prints, with "your local emergency number"
        return "other"


# --------------------------------------------------------------------------- handout dialog
class HandoutDialog(QDialog):
    """Choose language, print size, sheets, paper and the next visit; then print or save.

    Non-blocking: :func:`open_handout_dialog` shows it and returns it.
    """

    def __init__(self, context, case, parent: QWidget | None = None):
        super().__init__(parent)
        from radiculopathy_desktop.reports import handouts
        self.context = context
        self.case = case
        self.setWindowTitle("Print handout")
        self.setAccessibleName("Print handout")
        p = case.patient
        layout = QVBoxLayout(self)
        heading = QLabel(f"Handout for <b>{_e(p.name or p.id)}</b>")
        heading.setTextFormat(Qt.RichText)
        layout.addWidget(heading)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.DontWrapRows)
        self.lang = QComboBox()
        for code, label in LANGUAGES:
            self.lang.addItem(label, code)
        self.lang.setAccessibleName("Handout language")
        form.addRow(_buddy("&Language:", self.lang), self.lang)
        self.large_print = QCheckBox("La&rge print (16 pt)")
        self.large_print.setAccessibleName("Large print")
        form.addRow("", self.large_print)
        self.self_care = QCheckBox("Self-care sheet (over-the-counter doses)")
        self.self_care.setAccessibleName("Self-care sheet: over-the-counter doses")
        self.self_care.setToolTip("Medicine sheets give the over-the-counter dose (ibuprofen at most 1200 mg a day).")
        form.addRow("", self.self_care)
        self.paper = QComboBox()
        for code, label in PAPERS:
            self.paper.addItem(label, code)
        self.paper.setCurrentIndex(self.paper.findData(default_paper()))
        self.paper.setAccessibleName("Paper size")
        form.addRow(_buddy("Paper si&ze:", self.paper), self.paper)
        from radiculopathy_desktop.ui.forms import DateField, ErrorLabel
        today = context.today()
        from radiculopathy_desktop.domain.monitoring import NEXT_VISIT_RED_FLAG_NOW, next_visit_decision
        from radiculopathy_desktop.domain.vocabulary import clinic_date
        #: redflag36 (H-UI-548): the case's one next-visit decision (the triage tier and the referral
        #: awaited), as on the case page, in the visit form and in the ``handout`` command; never the sheets
        visit = next_visit_decision(case, today, profile=context.profile())
        #: path34: the referral awaited (the case's last decision): no routine visit is booked, so the
        #: field starts empty and may stay so (the sheets then say the patient waits for the opinion)
        self.awaiting = visit.referred_on
        #: redsheet35 (H-UI-542): nor while an emergency or urgent red flag stands without a referral
        #: (its action is now or the same day; window35 gives no next visit then): the field starts
        #: empty, may stay so (the sheets then send the patient to the red-flag sheet first), and a
        #: date the clinician types is printed as booked
        self.red_flag_first = (visit if visit.kind == NEXT_VISIT_RED_FLAG_NOW and self.awaiting is None
                               else None)
        #: the routine date the field was filled with (None: none), so that a red flag saved elsewhere while
        #: the dialog is open takes that date out, never one the clinician typed (case_refreshed)
        self._routine_date = None
        if visit.date is not None:
            self._routine_date = max(visit.date, today)
            self.next_visit = DateField("Next follow-up date: a date ahead, today or later", self._routine_date)
        elif self.awaiting is not None:
            self.next_visit = DateField("Next follow-up date: empty while awaiting the surgical opinion, or a "
                                        "date ahead you booked")
        else:
            self.next_visit = DateField("Next follow-up date: empty while the red flag is acted on, or a "
                                        "date ahead you booked")
        self.next_visit.error_label = ErrorLabel()  # an impossible or past date is named here, never changed
        # under the field, the row's whole width: beside it, half the row, the reason was cut off at
        # "is not a real date:" at 1366x768 (tryout36 F14, H-UI-557); it wraps to the lines it needs
        next_row = QVBoxLayout()
        next_row.setContentsMargins(0, 0, 0, 0)
        next_row.addWidget(self.next_visit)
        next_row.addWidget(self.next_visit.error_label)
        form.addRow(_buddy("&Next follow-up (a date ahead):", self.next_visit), next_row)
        self.awaiting_note = None
        if self.awaiting is not None:
            self.awaiting_note = QLabel(
                f"Referred for a surgical opinion on {clinic_date(self.awaiting)}: no routine visit is booked. "
                "Left empty, the sheets say the patient is waiting for the surgical opinion, to call sooner if "
                "worse and not to wait if a warning sign starts. Type a date only if you booked a visit.")
            self.awaiting_note.setAccessibleName("Next follow-up after a referral")
        elif self.red_flag_first is not None:
            self.awaiting_note = QLabel(self._red_flag_visit_words(self.red_flag_first))
            self.awaiting_note.setAccessibleName("Next follow-up while a red flag stands")
        self._form = form
        if self.awaiting_note is not None:
            self.awaiting_note.setWordWrap(True)
            self.awaiting_note.setTextFormat(Qt.PlainText)
            form.addRow("", self.awaiting_note)
        layout.addLayout(form)

        sheets_label = QLabel("&Sheets to print:")
        self.sheets = QListWidget()
        self.sheets.setAccessibleName("Sheets to print")
        sheets_label.setBuddy(self.sheets)
        layout.addWidget(sheets_label)
        # What changed since the dialog opened (a red flag saved by another program): said
        # above the list, which has been rebuilt for it (red-team rt9 F8).
        self.changed_note = QLabel()
        self.changed_note.setWordWrap(True)
        self.changed_note.setTextFormat(Qt.PlainText)
        self.changed_note.setAccessibleName("Changed since this dialog opened")
        from radiculopathy_desktop.ui import style
        self.changed_note.setStyleSheet(style.banner_css("danger") + " QLabel { padding: 4px; font-weight: bold; }")
        self.changed_note.hide()

        # another case of the patient contradicts this case's pregnancy answer (gp18 F1): said
        # here while the dialog is open, and asked again before printing or saving
        self.pregnancy_note = QLabel()
        self.pregnancy_note.setWordWrap(True)
        self.pregnancy_note.setTextFormat(Qt.PlainText)
        self.pregnancy_note.setAccessibleName("The pregnancy differs from another case of this patient")
        self.pregnancy_note.setStyleSheet(style.banner_css("danger") + " QLabel { padding: 4px; font-weight: bold; }")
        # Both warnings whole where the screen has room, else they scroll (gp19 F8: at 1366x768
        # the dialog took the full height and its note ran under the buttons).
        from radiculopathy_desktop.ui.safety_area import SafetyTextArea
        self.warnings_area = SafetyTextArea(self.changed_note, self.pregnancy_note, share=0.25,
                                            name="Warnings on this handout",
                                            page_height=lambda: self._available().height())
        layout.addWidget(self.warnings_area)
        self._show_pregnancy_warning()
        layout.addWidget(self.sheets, 1)
        # The note (not offered, above the maximum, taken together, kidney not checked, a red
        # flag) can be longer than the dialog: it scrolls, and the dialog grows to show it all
        # where the screen allows (showEvent), so its end is never cut off and Print stays in view.
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.note_area = QScrollArea()
        self.note_area.setWidgetResizable(True)
        self.note_area.setFrameShape(QFrame.NoFrame)
        self.note_area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.note_area.setFocusPolicy(Qt.StrongFocus)  # Tab reaches it; Page Down and the arrows scroll it
        self.note_area.setAccessibleName("Note on this handout")
        self.note_area.setWidget(self.note)
        layout.addWidget(self.note_area)

        self.buttons = QDialogButtonBox()
        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print with preview")
        self.pdf_button = QPushButton("Save as P&DF…")
        self.pdf_button.setAccessibleName("Save handout as PDF")
        self.buttons.addButton(self.print_button, QDialogButtonBox.AcceptRole)
        self.buttons.addButton(self.pdf_button, QDialogButtonBox.ActionRole)
        self.buttons.addButton(QDialogButtonBox.Close)
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_handout)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._doses: dict = {}
        self._note_text = ""  # the note on the sheets (kept under "Saved to ..." after a save)
        self._flags = None  # the standing red flags the sheet list was built for
        self.lang.currentIndexChanged.connect(lambda *_: self._fill_sheets())
        self.self_care.toggled.connect(lambda *_: self._fill_sheets())
        self._fill_sheets()
        fm = self.fontMetrics()
        self.resize(fm.horizontalAdvance("M") * 40, fm.height() * 30)

    # -- the note read in full
    def _available(self):
        from PySide6.QtCore import QRect
        from PySide6.QtGui import QGuiApplication
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)

    def fit_note(self) -> None:
        """Grow the dialog until the whole note shows unscrolled, never beyond the screen's
        available height (then the note scrolls, at least four lines shown); keep it on the screen.
        Measured again after each resize until the note's width settles: a resize can change the
        width the note wraps at (a narrower dialog, shorter sheet titles: hd16), and so its height."""
        for _ in range(4):
            before = (self.note_area.viewport().width(), self.height())
            self._fit_note_once()
            self.layout().activate()
            if (self.note_area.viewport().width(), self.height()) == before:
                break

    def _fit_awaiting_note(self) -> None:
        """redsheet35: the note beside the next follow-up (after a referral, under a red flag) read whole: its
        height for its width (the form gave it one line and cut the rest off)."""
        label = self.awaiting_note
        if label is None or label.isHidden() or label.width() <= 0:
            return
        label.setMinimumHeight(max(label.heightForWidth(label.width()), 0))

    def _fit_note_once(self) -> None:
        lines = self.note.fontMetrics().lineSpacing()
        self.warnings_area.fit()
        self.layout().activate()  # measured at the width the note has now, not at a first guess
        self._fit_awaiting_note()
        self.layout().activate()
        needed = self._note_height()
        self.note_area.setMaximumHeight(needed)  # no empty band under a short note: the list takes the room
        room = self._available()
        decoration = max(0, self.frameGeometry().height() - self.height())
        height_room = room.height() - decoration
        # The sheet list shows up to ten sheets without scrolling before the note takes the room
        # (gp18 F13: a long note left about four rows, the ticked medicine sheets out of sight).
        row = self.sheets.sizeHintForRow(0) if self.sheets.count() else 0
        frame = 2 * self.sheets.frameWidth()
        listed = row * min(self.sheets.count(), 10) + frame if row > 0 else 0
        self.sheets.setMinimumHeight(listed)
        self.note_area.setMinimumHeight(needed)
        wanted = self.layout().totalMinimumSize().height()
        if wanted > height_room:  # the screen is too small for all of it: the note scrolls first
            self.note_area.setMinimumHeight(max(min(needed, 4 * lines), needed - (wanted - height_room)))
            wanted = self.layout().totalMinimumSize().height()
        if wanted > height_room and listed:  # still too small: the list scrolls too, four rows kept
            floor = row * min(self.sheets.count(), 4) + frame
            self.sheets.setMinimumHeight(max(floor, listed - (wanted - height_room)))
            wanted = self.layout().totalMinimumSize().height()
        self.resize(self.width(), min(max(self.height(), wanted), max(height_room, wanted)))
        frame = self.frameGeometry()
        if frame.bottom() > room.bottom() or frame.top() < room.top():  # grown off the screen: moved up onto it
            self.move(self.x(), max(room.top(), room.bottom() - frame.height() + 1))

    def _note_height(self) -> int:
        """The height the whole note takes at the scroll area's present width."""
        width = self.note_area.viewport().width()
        needed = self.note.heightForWidth(width) if width > 0 else -1
        return needed if needed > 0 else self.note.sizeHint().height()

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        self.fit_note()

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        # Narrower, the note wraps onto more lines: room for them where there is some (else it
        # scrolls); wider, fewer lines: no empty band under it. The dialog is not resized here.
        self._fit_awaiting_note()
        needed = self._note_height()
        self.note_area.setMinimumHeight(min(self.note_area.minimumHeight(), needed))
        self.note_area.setMaximumHeight(max(needed, self.note_area.minimumHeight()))

    # -- sheets
    def _fill_sheets(self, fresh: bool = False) -> None:
        """List the sheets; the ticks made are kept, unless ``fresh`` (ticked as on opening)."""
        from radiculopathy_desktop.reports import handout_content as hc
        from radiculopathy_desktop.reports import handouts
        lang = self.lang.currentData()
        previous = set(self.selected_sheets()) if self.sheets.count() and not fresh else None
        try:
            self._doses = handouts.doses_from_engine(self.case, self.context.today(), lang,
                                                     profile=self.context.profile(),
                                                     self_care=self.self_care.isChecked(),
                                                     unsettled=handouts.pregnancy_unsettled_medicines(
                                                         pregnancy_differs_for(self.context, self.case,
                                                                               self.context.profile())))
            sheets = hc.list_sheets(lang)
        except Exception as exc:
            self._doses = {}
            sheets = []
            self.note.setText(f"The handout sheets could not be loaded ({type(exc).__name__}).")
        statuses = self._class_statuses()
        tried = set(handouts.medicine_classes_for(self.case, self.context.today()))
        # ticked on opening: the sheets the command prints when none are named (one rule)
        ticked = set(handouts.default_sheets(self.case, self.context.today(), self._doses)[0])
        # A standing emergency/urgent red flag: its sheet leads, always printed; the routine
        # sheets (reassurance, exercise, medicines) are not ticked unless the clinician ticks them.
        flags = self._flags = handouts.standing_red_flags(self.case, self.context.today())
        lead = hc.RED_FLAG_SHEETS[flags.tier] if flags is not None else None
        # each title as the printed sheet words it (uk: "paracetamol", gp18 F7)
        country = clinic_country_code(self.context)
        sheets = [dataclasses.replace(sheet, title=handouts.country_words(sheet.title, lang, country))
                  for sheet in sheets]
        self.sheets.clear()
        unsuitable = []
        for sheet in sheets:
            if sheet.id in hc.RED_FLAG_SHEETS.values():
                if sheet.id != lead:
                    continue  # never offered to a patient without that red flag
                item = QListWidgetItem(f"{sheet.title} (always printed: {flags.tier} red flag)")
                item.setData(Qt.UserRole, sheet.id)
                item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
                item.setCheckState(Qt.Checked)
                item.setToolTip(f"{flags.tier.upper()}: {flags.headline}. This sheet tells the patient what to do "
                                "now; it leads the handout and cannot be left out.")
                self.sheets.addItem(item)
                continue
            item = QListWidgetItem(sheet.title)
            item.setData(Qt.UserRole, sheet.id)
            cls = sheet.medicine_class
            usable = cls is None or cls in self._doses
            if usable:
                item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsUserCheckable)
                status = statuses.get(cls) if cls is not None else None
                if status not in (None, MedicineStatus.OK):
                    # sheetwords F8 (H-UI-486): the label follows the dose check's direction (a dose far too low
                    # is "dose to check: far below usual", never "reduce dose")
                    label = handouts.sheet_status_words(status.label, self._doses.get(cls))
                    item.setText(f"{sheet.title} ({label})")
                    item.setToolTip(f"The medicine table says “{label}” for this medicine for this patient.")
                if previous is not None:
                    checked = sheet.id in previous
                elif lead is not None:  # "Will it get better? Yes" is not for this patient today
                    checked = False
                else:  # general sheets, extra care when needed, the medicines taken or given
                    checked = sheet.id in ticked
                item.setCheckState(Qt.Checked if checked else Qt.Unchecked)
            else:
                unsuitable.append((sheet.title, cls))
                item.setText(f"{sheet.title} (not offered)")
                item.setToolTip("Not offered: the medicine table advises against it or gives no dose for "
                                "this patient.")
                item.setFlags(Qt.ItemIsSelectable)
                item.setCheckState(Qt.Unchecked)
            self.sheets.addItem(item)
        if self.sheets.count():
            self.sheets.setCurrentRow(0)
            # wide enough for every title (no clipped sheet names, whatever the language or scaling)
            frame = 2 * self.sheets.frameWidth() + self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
            self.sheets.setMinimumWidth(self.sheets.sizeHintForColumn(0) + frame + 8)
        if sheets:
            # One item a line (gp17 F13: one unbroken paragraph of about 40 lines), each sheet by
            # its title, never its id ("med_nsaid: ..."), each clause without a doubled stop.
            class_title, sheet_title = self._medicine_names(sheets)
            extra = (", the extra-care sheet (65 or over, or a special consideration recorded)"
                     if "extra_care" in ticked else "")
            opening = (f"Medicine sheets print this patient's dose. Ticked: the general sheets{extra} and the medicines "
                    "this patient takes or was given; tick another medicine's sheet when you prescribe it.")
            items = []
            if unsuitable:
                # which and why, as the command says it (rt11 F3)
                why = handouts.no_dose_reasons(self.case, self.context.today(), [c for _t, c in unsuitable],
                                               self.context.profile(), short=True)
                for title, cls in unsuitable:  # named as the list above names it
                    reason = handouts.as_clause(why.get(hc.MEDICINE_SHEETS.get(cls), "no dose for this patient"))
                    items.append(f"Not offered: {title} ({reason}): the medicine table advises against this medicine "
                                 "or gives no dose for this patient.")
            # what is over, by ingredient and limit (gp18 F8: "Paracetamol, Opioid ... is above this
            # patient's maximum" when only the codeine was), and the sheets that say so
            # (a sheet led by its "taken together" box, stronger than the dose's Reduce dose,
            # says the dose under that box: fxl20)
            over: dict[tuple[str, bool], list[str]] = {}
            for cls, dose in self._doses.items():
                under = bool(dose.together_box and dose.over and not dose.above_max)
                if dose.above_max or under:
                    what = dose.over or f"the current dose of {handouts.mid_sentence(class_title(cls))}"
                    over.setdefault((what, under), []).append(handouts.mid_sentence(class_title(cls)))
            for (what, under), sheets_over in over.items():
                said = handouts.and_joined(sheets_over)
                several = len(sheets_over) > 1
                items.append(f"{what[0].upper()}{what[1:]}: the {said} sheet" + ("s say" if several else " says")
                             + (" so under the \"taken together\" box (no \"take no more than\") and give"
                                if under else " so first and give")
                             + ("" if several else "s") + " no starting dose.")
            # taken now at or below the maximum (rt9 F2), advised against, together, kidneys, pregnancy
            items += handouts.taken_now_notes(self._doses, tried, sheet_name=sheet_title)
            possible = handouts.possible_opioid_patches(self.case, self.context.today())
            if possible:  # printed as a patch: the clinician records the form if it is not one (rt21 F4)
                items.append(handouts.possible_patch_note(possible))
            form_unknown = handouts.form_not_known_medicines(self.case, self.context.today())
            if form_unknown:  # written in mg: not printed as a patch, form to record (rt22 F6)
                items.append(handouts.form_not_known_note(form_unknown))
            heads = []
            unknown = handouts.unrecognised_note(handouts.unrecognised_current(self.case, self.context.today()))
            if unknown:  # whichever sheets are ticked, the red-flag sheet too (rt22 F2)
                heads.append(unknown)
            if flags is None:
                try:
                    ask = handouts.red_flag_notice(self.request())
                except Exception:  # the print itself reports a request that cannot be made
                    ask = None
                if ask:
                    heads.append(f"{ask[0].upper()}{ask[1:]}")
            if flags is not None:
                opening = (f"{flags.tier.upper()} red flag standing ({flags.headline}): the handout leads with "
                           f"\u201c{hc.load_sheet(lead, lang).title}\u201d. The routine sheets are not ticked; "
                           "tick one only if it is right for this patient today. Act on the red flag now: "
                           "the handout does not replace that.")
                items = []
                decided = handouts.decided_despite_flag(self.case, flags, self.context.today())  # rt9 F4
                if decided:
                    items.append(f"{decided[0].upper()}{decided[1:]}.")
            note = "\n".join(heads + [opening] + [f"• {item}" for item in items])
            self.note.setText(note)
            self._note_text = note
            if self.isVisible():  # a language change or a refresh can lengthen it
                self.fit_note()

    def _medicine_names(self, sheets):
        """(class -> name, sheet id -> name) for the note: the medicine class as the intake's
        "Treatments already tried" names it, in the profile's medicine names (uk: Paracetamol),
        else the sheet's title; never an internal id ("med_nsaid": gp17 F13)."""
        from radiculopathy_desktop.domain.medications import load_medicine_data
        from radiculopathy_desktop.domain.vocabulary import TREATMENTS
        from radiculopathy_desktop.reports import handout_content as hc
        try:
            names = load_medicine_data().names_for(self.context.profile())
        except Exception:  # the data's error shows elsewhere: the names as the data spells them
            names = None
        titles = {sheet.id: sheet.title for sheet in sheets}
        by_sheet = {sheet_id: cls for cls, sheet_id in hc.MEDICINE_SHEETS.items()}

        def class_name(cls: str) -> str:
            label = TREATMENTS.get(cls) or titles.get(hc.MEDICINE_SHEETS.get(cls, ""), cls.replace("_", " "))
            return (names.text(label) if names else label) or label

        def sheet_name(sheet_id: str) -> str:
            return class_name(by_sheet[sheet_id]) if sheet_id in by_sheet else titles.get(sheet_id, sheet_id)

        return class_name, sheet_name

    @staticmethod
    def _red_flag_visit_words(flags) -> str:
        return (f"{flags.tier.upper()} red flag ({flags.headline}): no routine visit is booked; act on the red flag "
                "now. Left empty, the sheets print no visit date and send the patient to the red-flag sheet first. "
                "Type a date only if you booked a visit.")

    def _next_visit_follows(self) -> None:
        """redsheet35 (H-UI-542): the red flags changed while the dialog is open (no referral awaited): a red
        flag now standing takes out the routine date the field was filled with (a date the clinician typed is
        kept) and says why; one no longer standing fills the routine date again into an empty field.
        redflag36 (H-UI-548): decided again by ``next_visit_decision`` on the case as read now."""
        if self.awaiting is not None:
            return
        from radiculopathy_desktop.domain.monitoring import NEXT_VISIT_RED_FLAG_NOW, next_visit_decision
        visit = next_visit_decision(self.case, self.context.today(), profile=self.context.profile())
        flags = self.red_flag_first = visit if visit.kind == NEXT_VISIT_RED_FLAG_NOW else None
        if flags is not None:
            if self._routine_date is not None and self.next_visit.day() == self._routine_date:
                self.next_visit.clear()
            self._routine_date = None
            if self.awaiting_note is None:
                self.awaiting_note = QLabel()
                self.awaiting_note.setWordWrap(True)
                self.awaiting_note.setTextFormat(Qt.PlainText)
                self.awaiting_note.setAccessibleName("Next follow-up while a red flag stands")
                self._form.addRow("", self.awaiting_note)
            self.awaiting_note.setText(self._red_flag_visit_words(flags))
            self.awaiting_note.show()
            self.fit_note()
        else:
            if self.awaiting_note is not None:
                self.awaiting_note.hide()
            if not self.next_visit.text().strip() and visit.date is not None:
                self._routine_date = max(visit.date, self.context.today())
                self.next_visit.set_day(self._routine_date)

    # -- the case read again (the watch saw another program's write, or a print found it changed)
    def case_refreshed(self, case) -> None:
        """Take the case as just read from the store. When its standing red flags differ from
        those the list was built for, the list is built again as on opening (an emergency or
        urgent sheet leads, ticked and fixed; the routine sheets unticked) and the clinician is
        told what changed; otherwise the ticks made are kept (rt9 F8)."""
        if case is None or case.case_id != self.case.case_id:
            return
        before = self._flags
        self.case = case
        from radiculopathy_desktop.reports import handouts
        after = handouts.standing_red_flags(case, self.context.today())
        self._fill_sheets(fresh=after != before)
        if after != before:
            self._next_visit_follows()
            closed = self._close_previews()
            self._say_flags_changed(before, after, prefix="The print preview was closed: nothing was printed. "
                                    if closed else "")

    def _close_previews(self) -> bool:
        """Close a print preview of the handout as it was (its pages are out of date); True if one was open."""
        from PySide6.QtPrintSupport import QPrintPreviewDialog
        open_ = [d for d in self.findChildren(QPrintPreviewDialog) if d.isVisible()]
        for preview in open_:
            preview.reject()
        return bool(open_)

    def _say_flags_changed(self, before, after, prefix: str = "") -> None:
        if after is None:
            text = ("The red flag standing when this dialog opened no longer stands (a later record answered it): "
                    "the sheets are listed again as for this patient today. Check the ticks before printing.")
        else:
            what = "A red flag was recorded" if before is None else "The red flags changed"
            text = (f"{what} for this patient since this dialog opened: {after.describe()}. The handout now "
                    "leads with what to do now (ticked, cannot be left out); the routine sheets are unticked. "
                    "Act on the red flag now.")
        self.changed_note.setText(prefix + text)
        self.changed_note.show()

    def still_current(self, shown) -> bool:
        """Just before printing or saving: the standing red flags read again from the store (as
        the command line reads them) are ``shown``, those the request was made with. Else nothing
        is printed, the list is built again and the dialog says why (rt9 F8)."""
        from radiculopathy_desktop.reports import handouts
        try:
            fresh = self.context.store.get_case(self.case.case_id)
        except Exception as exc:  # cannot check: print nothing rather than a possibly stale handout
            self.note.setText("Not printed: the patient's red flags could not be checked against the tracker.")
            show_error(self, exc, kept_input=True)
            return False
        now = handouts.standing_red_flags(fresh, self.context.today())
        if now == shown and now == self._flags:
            return True
        self.case = fresh
        self._fill_sheets(fresh=True)
        self._next_visit_follows()  # redsheet35: a routine date filled in is taken out under a red flag
        self._say_flags_changed(shown, now, prefix="Nothing was printed. ")
        return False

    def _show_pregnancy_warning(self) -> str | None:
        warning = pregnancy_warning(self.context, self.case)
        self.pregnancy_note.setText(f"⚠ {warning}." if warning else "")
        self.pregnancy_note.setVisible(bool(warning))
        return warning

    def pregnancy_confirmed(self) -> bool:
        """Just before printing or saving: read again, the pregnancy contradiction (if any) is
        asked, Go back the default; False (nothing printed, the note says why) unless the
        clinician chose to print anyway."""
        warning = self._show_pregnancy_warning()
        if warning is None:
            return True
        if confirm_pregnancy_differs(self, warning + "."):
            return True
        self.note.setText("Not printed: the pregnancy differs from another case of this patient. Ask her, and record "
                          "the right answer at a visit on the case that is wrong." +
                          (f"\n\n{self._note_text}" if self._note_text else ""))
        self.fit_note()
        return False

    def _class_statuses(self) -> dict[str, MedicineStatus]:
        """Per medicine class, the engine's most favourable row status ("ok" before "caution")."""
        from radiculopathy_desktop.domain import medications
        try:
            today = self.context.today()
            report = medications.assess_medications(self.case.intake_as_of(today), today,
                                                    profile=self.context.profile())
            rows = report.to_dict()["rows"] if hasattr(report, "to_dict") else list(report.rows)
        except Exception:
            return {}
        out: dict[str, MedicineStatus] = {}
        for row in rows:
            row = row if isinstance(row, dict) else vars(row)
            cls, status = row.get("treatment_code"), member(MedicineStatus, row.get("status"))
            if cls and status is not None and (cls not in out or status.rank < out[cls].rank):
                out[cls] = status
        return out

    def selected_sheets(self) -> list[str]:
        return [self.sheets.item(i).data(Qt.UserRole) for i in range(self.sheets.count())
                if self.sheets.item(i).checkState() == Qt.Checked]

    def request(self, confirm_unrecognised: bool = False):
        from radiculopathy_desktop.reports import handouts
        name, contact = _clinic(self.context)
        return handouts.request_for_case(
            self.case, self.context.today(), clinic_name=name, clinic_contact=contact,
            lang=self.lang.currentData(), sheets=self.selected_sheets(), large_print=self.large_print.isChecked(),
            paper=self.paper.currentData(), next_follow_up=self.next_visit.day(), doses=self._doses,
            profile=self.context.profile(), confirm_unrecognised=confirm_unrecognised,
            country=clinic_country_code(self.context))

    def next_visit_ok(self) -> bool:
        """The next follow-up is a real date, today or later; else say so beside it and print nothing."""
        if not self.next_visit.check():
            self.next_visit.setFocus()
            return False
        if (self.awaiting is not None or self.red_flag_first is not None) and not self.next_visit.text().strip():
            return True  # path34/redsheet35: no routine visit after a referral or under a red flag; the sheets say why
        if self.next_visit.day() is None or self.next_visit.day() < self.context.today():
            self.next_visit.error_label.show_message(
                "Enter the next follow-up date, today or later" if self.next_visit.day() is None else
                f"{self.next_visit.day().isoformat()} is before today: the next follow-up is a date ahead")
            self.next_visit.setFocus()
            return False
        return True

    def confirmed_request(self):
        """The request; while a medicine is unrecognised, only if the clinician confirms (else None)."""
        from radiculopathy_desktop.reports import handouts
        try:
            return self.request()
        except handouts.UnrecognisedMedicineError as exc:
            if not confirm_unrecognised_doses(self, str(exc)):
                self.note.setText("Not printed: a current medicine is not recognised. Correct its name, or untick "
                                  "the medicine sheets.")
                return None
            return self.request(confirm_unrecognised=True)

    def _detail(self, req) -> dict:
        return {"lang": req.lang, "sheets": list(req.sheets), "large_print": req.large_print, "paper": req.paper}

    # -- outputs
    def _focus_back(self, button) -> None:
        """After the print preview or the save dialog closed: the focus on the button that opened
        it (gp20 F13: it landed on Large print, so Tab, Space ticked Large print and Self-care).
        Again once the closed window is deleted (its focus handed on in the Tab chain then)."""
        if not self.isVisible():
            return
        button.setFocus(Qt.OtherFocusReason)

        def again() -> None:
            focused = QApplication.focusWidget()
            if self.isVisible() and (focused is None or focused.window() is self):
                button.setFocus(Qt.OtherFocusReason)
        QTimer.singleShot(0, self, again)

    def print_handout(self) -> bool:
        from radiculopathy_desktop.reports import handouts, printing
        if not self.next_visit_ok() or not self.pregnancy_confirmed():
            return False
        try:
            shown = self._flags
            req = self.confirmed_request()
            if req is None or not self.still_current(shown):
                return False
            document = handouts.build_document(req)
            try:
                printed = printing.print_with_preview(document, self, req.paper)
            finally:
                self._focus_back(self.print_button)
        except Exception as exc:
            show_error(self, exc)
            return False
        if printed:
            record_export(self.context, "handout_printed", self.case.case_id, self._detail(req))
            if self._flags != shown:  # the red flags changed while the system print dialog was open
                self._say_flags_changed(shown, self._flags, prefix=(
                    "The handout was printed as it was before this change: do not give it to the patient; "
                    "print the updated one. "))
        return printed

    def save_pdf(self) -> Path | None:
        from radiculopathy_desktop.reports import handouts
        if not self.next_visit_ok() or not self.pregnancy_confirmed():
            return None
        shown = self._flags  # the red flags the request is made with
        try:
            req = self.confirmed_request()
        except Exception as exc:
            show_error(self, exc)
            return None
        if req is None:
            return None
        try:
            path = ask_save_path(self, "Save handout as PDF", f"handout-{self.case.case_id}-{self.lang.currentData()}.pdf",
                                 "PDF documents (*.pdf)")
        finally:
            self._focus_back(self.pdf_button)
        if path is None:
            return None
        path = _with_suffix(path, ".pdf", self)
        if path is None:
            return None
        if not self.still_current(shown):  # checked after the file dialog: the watch runs meanwhile
            return None
        try:
            handouts.write_handout_pdf(req, path, on_complete=_audit_on_complete(
                self.context, "handout_saved", self.case.case_id, self._detail(req), "pages"))
        except Exception as exc:
            show_error(self, exc)
            return None
        _notify(self.parentWidget(), path, "the handout")
        # said first, the note on the sheets kept below it (walk-through ui11: it was replaced, so a
        # second print or save went out with the "kidney maximum not checked" note no longer shown)
        self.note.setText(f"Saved to {path}" + (f"\n\n{self._note_text}" if self._note_text else ""))
        self.fit_note()
        return path


def open_handout_dialog(parent: QWidget, context, case) -> HandoutDialog:
    dialog = HandoutDialog(context, case, parent)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModal)
    dialog.show()
    return dialog


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _e(text: str) -> str:
    from radiculopathy_desktop.domain.characters import visible_html
    return visible_html(str(text))
