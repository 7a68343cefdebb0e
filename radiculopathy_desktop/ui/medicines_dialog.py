"""Edit medicines: correct a saved case's current medicines from the case page (medfix).

Before, the list typed at the intake was fixed once the case was saved: "naproxen 500 mg bd"
typed on the wrong patient, or a medicine the patient stopped, could be corrected only by
``import --replace-records``, and the medicine check, the pathway, the worklist marks and the
handouts kept the stale list (GP tryout, H-UI-489).

The dialog is the intake's medicines step: the same table (``wizard._MedicineTable``: Tab from
the last cell leaves it), the same reading of a daily dose and the same live verdicts of the
medicine check as typed (``domain.medicine_step.medicine_step_feedback``, the Review step's own
lines). Save goes through the operation runner to ``store.set_medicines`` (audited
``medicines_changed``, the stored dose alerts derived again); its announcement reloads the case
page, its banner, the worklist marks and the pathway.

* A row that cannot be saved (a dose without a name, a dose that is not a number of mg, 0 or
  below the floor, above any daily dose) is said under the table, naming the row; nothing typed
  is changed and nothing is saved.
* Another workstation changed the list since the dialog opened: nothing is saved, the list
  saved now is shown above the table, what was typed stays; a second Save replaces the list
  shown now (``domain.medicine_edit.MedicinesChangedMeanwhile``).
* The clinic server cannot be reached: what was typed stays in the dialog and is kept on this
  computer (``offline_drafts.keep_correction``), offered for saving when the server is back
  (medfix2, H-DATA-904).
* Keys: Alt+M adds a row, Alt+V removes the current one, Ctrl+Return saves (the intake's
  convention), Esc cancels (asking first when the list was changed, as the visit dialog does).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidgetItem, QVBoxLayout)

from radiculopathy_desktop.domain.characters import visible
from radiculopathy_desktop.ui import style
from radiculopathy_desktop.ui.forms import ErrorLabel

log = logging.getLogger("radiculopathy_desktop.ui")

TITLE = "Edit medicines"


def _list_words(medicines) -> str:
    return "; ".join(f"{m.name} {m.daily_dose_mg:g} mg a day" if m.daily_dose_mg is not None
                     else f"{m.name} (no dose recorded)" for m in medicines) or "none"


class EditMedicinesDialog(QDialog):
    saved = Signal(str)

    def __init__(self, context, case, parent=None):
        from radiculopathy_desktop.domain.medications import MedicineMemo
        from radiculopathy_desktop.ui.wizard import MEDICINE_CHECK_TYPING_MS, _LiveCellDelegate, _MedicineTable

        super().__init__(parent)
        self.context = context
        self.case = case
        #: the stored list the dialog opened with (or was last shown): a save is refused when the
        #: stored list is no longer this one (another workstation changed it)
        self.shown = tuple(case.intake.medicines)
        self.typing_ms = MEDICINE_CHECK_TYPING_MS
        self.setWindowTitle(f"{TITLE} — {visible(case.patient.name or case.patient.id)}")
        self.setAccessibleName(TITLE)
        layout = QVBoxLayout(self)
        intro = QLabel(f"Current medicines recorded for this case (intake of {case.intake.visit_date.isoformat()}). "
                       "Add, correct or remove them: generic name and total daily dose in mg a day. The change is "
                       "kept in the case's access history with the list before and after.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        # the list saved meanwhile on another workstation (shown after a refused save)
        self.meanwhile = QLabel()
        self.meanwhile.setWordWrap(True)
        self.meanwhile.setTextFormat(Qt.PlainText)
        self.meanwhile.setAccessibleName("Medicines saved meanwhile on another workstation")
        self.meanwhile.setStyleSheet(style.banner_css("warning") + " QLabel { padding: 4px; }")
        self.meanwhile.setVisible(False)
        layout.addWidget(self.meanwhile)
        self.meds = _MedicineTable(0, 2)
        self.meds.setAccessibleName("Current medicines: generic name and daily dose in milligrams a day")
        self.meds.setHorizontalHeaderLabels(["Generic name", "Daily dose (mg a day)"])
        self.meds.horizontalHeaderItem(1).setToolTip(
            "Total milligrams (mg) a day, not grams: 4 g of paracetamol a day is 4000. Leave it empty when the dose "
            "is not known.")
        self.meds.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.meds.setTabKeyNavigation(False)
        self.meds.setMinimumHeight(self.fontMetrics().height() * 8)
        layout.addWidget(self.meds, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add &medicine")
        self.add_button.setAccessibleName("Add medicine row")
        self.remove_button = QPushButton("Remo&ve medicine")
        self.remove_button.setAccessibleName("Remove selected medicine row")
        self.add_button.clicked.connect(lambda: self.add_medicine())
        self.remove_button.clicked.connect(self.remove_medicine)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.error = ErrorLabel()
        self.error.setAccessibleName("Why the medicines are not saved")
        layout.addWidget(self.error)
        self.meds_unknown = QLabel()
        self.meds_unknown.setWordWrap(True)
        self.meds_unknown.setAccessibleName("Medicines not recognised")
        self.meds_unknown.setVisible(False)
        layout.addWidget(self.meds_unknown)
        self.meds_verdicts = QLabel()
        self.meds_verdicts.setWordWrap(True)
        self.meds_verdicts.setAccessibleName("The medicine check of the medicines as typed")
        self.meds_verdicts.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.meds_verdicts.setVisible(False)
        layout.addWidget(self.meds_verdicts)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.Save)
        self.save_button.setAccessibleName("Save medicines")
        self.save_button.setToolTip("Save the medicines (Ctrl+Return)")
        self.buttons.button(QDialogButtonBox.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, self.save)
        self._typing: tuple[int, int, str] | None = None
        self._saving = False
        self._kept_key: str | None = None  # the copy kept on this computer after an unreachable server
        self.meds_memo = MedicineMemo(limit=512)
        self.meds.setItemDelegate(_LiveCellDelegate(self))
        self.meds_timer = QTimer(self)
        self.meds_timer.setSingleShot(True)
        self.meds_timer.timeout.connect(self.check_medicines)
        self._filling = True
        for m in self.shown:
            self.add_medicine(m.name, m.daily_dose_mg)
        self._filling = False
        self.meds.itemChanged.connect(lambda _item: self.check_medicines())
        self._initial = self.typed_medicines()
        self.check_medicines()
        if self.meds.rowCount():
            self.meds.setCurrentCell(0, 0)
        self.meds.setFocus(Qt.OtherFocusReason)

    # -- the table, as the intake's medicines step
    def add_medicine(self, name: str = "", dose=None) -> None:
        row = self.meds.rowCount()
        self.meds.insertRow(row)
        self.meds.setItem(row, 0, QTableWidgetItem(name))
        self.meds.setItem(row, 1, QTableWidgetItem("" if dose is None else f"{dose:g}"))
        if not self._filling:
            self.meds.setCurrentCell(row, 0)
            self.meds.setFocus(Qt.OtherFocusReason)
            self.meds.scrollToItem(self.meds.item(row, 0))

    def remove_medicine(self) -> None:
        row = self.meds.currentRow()
        if row < 0:
            return
        self.meds.removeRow(row)
        if self.meds.rowCount():
            self.meds.setCurrentCell(min(row, self.meds.rowCount() - 1), 0)
        self.meds.setFocus(Qt.OtherFocusReason)
        self.check_medicines()

    def medicine_typed(self, row: int, column: int, text: str) -> None:
        self._typing = (row, column, text)
        self.meds_timer.start(self.typing_ms)

    def medicine_typed_done(self) -> None:
        if self._typing is not None:
            self._typing = None
            self.meds_timer.start(0)

    def typed_medicines(self) -> list[tuple[str, str]]:
        rows = []
        for row in range(self.meds.rowCount()):
            cells = [(self.meds.item(row, c).text() if self.meds.item(row, c) else "") for c in (0, 1)]
            if self._typing is not None and self._typing[0] == row and self._typing[1] in (0, 1):
                cells[self._typing[1]] = self._typing[2]
            rows.append((cells[0], cells[1]))
        return rows

    def has_changes(self) -> bool:
        return [(n.strip(), d.strip()) for n, d in self.typed_medicines()] != \
            [(n.strip(), d.strip()) for n, d in self._initial]

    def check_medicines(self):
        """The medicine check's verdicts for the rows as typed, in the intake step's words (the
        case's other answers as they stand today, as the case page checks them: its conditions now, the
        pregnancy and red flags a visit updated). Returns the feedback (None: nothing typed)."""
        from radiculopathy_desktop.domain.intake import case_to_dict
        from radiculopathy_desktop.domain.medicine_step import medicine_step_feedback

        self.meds_timer.stop()
        rows = self.typed_medicines()
        feedback = None
        if any(name.strip() or dose.strip() for name, dose in rows):
            try:
                data = case_to_dict(self.case)
                data.pop("visits", None)  # the intake's answers, as the step reads them
                data.pop("decisions", None)
                # as the case page checks it: today, with the pregnancy and red flags standing now
                # (a visit's update) and the case's current conditions (medfix2, H-MED-631)
                feedback = medicine_step_feedback(data, rows, self.context.profile(), self.context.today(),
                                                  self.meds_memo, saved_case=self.case)
            except Exception as exc:  # noqa: BLE001 - never in the way of typing; the case page checks again
                log.warning("the medicines could not be checked as typed: %s", type(exc).__name__)
                self._show(self.meds_verdicts, ["The medicines could not be checked as typed (" + type(exc).__name__
                                                + "): the case page checks them once saved."])
                return None
        self._show(self.meds_unknown, [line.shown for line in feedback.unrecognised] if feedback else [], True)
        lines = [line.shown for line in (*feedback.verdicts, *feedback.readings)] if feedback else []
        self._show(self.meds_verdicts, lines, bool(feedback and feedback.verdicts))
        return feedback

    def _show(self, label: QLabel, lines: list[str], verdict: bool = False) -> None:
        label.setText("\n".join(lines))
        label.setVisible(bool(lines))
        label.setStyleSheet(style.banner_css("warning") + " QLabel { padding: 4px; }" if verdict else "")

    def case_refreshed(self, case) -> None:
        """The case page read the case again (a save elsewhere seen by the watch, an import): when
        its medicines are no longer those shown, said above the table at once (what is typed stays;
        Save is then refused until the clinician has seen the new list)."""
        if case is None or case.case_id != self.case.case_id or self.isHidden() or self._saving:
            return
        # the case's other answers as now (conditions corrected, a visit's pregnancy): the live
        # verdicts follow them; ``shown`` (the list the refusal compares with) does not move
        self.case = case
        self.check_medicines()
        if tuple(case.intake.medicines) != self.shown:
            self.meanwhile.setText("Changed on another workstation since this window opened: "
                                   + visible(_list_words(case.intake.medicines))
                                   + ". Your list below is not saved.")
            self.meanwhile.setVisible(True)

    # -- save and cancel
    def save(self) -> bool:
        """Save the rows as typed: said under the table (nothing saved, nothing typed changed)
        when a row cannot be saved or the list changed elsewhere meanwhile; True when saved."""
        from radiculopathy_desktop.domain.intake import ValidationError
        from radiculopathy_desktop.domain.medicine_edit import MedicinesChangedMeanwhile, read_rows
        from radiculopathy_desktop.ui import errors as ui_errors

        rows = self.typed_medicines()  # with the text of a cell still being typed in (Ctrl+Return mid-cell)
        if self._typing is not None:
            row, column, text = self._typing
            item = self.meds.item(row, column)
            if item is not None:
                item.setText(text)  # kept in the table, whatever happens to the open editor
        medicines, problems = read_rows(rows)
        if problems:
            self.error.show_message("Not saved: " + "; ".join(p.message for p in problems) + ".")
            first = problems[0].field
            row = int(first[first.index("[") + 1:first.index("]")]) if "[" in first else 0
            self.meds.setCurrentCell(row, 0 if "name" in problems[0].message else 1)
            self.meds.setFocus(Qt.OtherFocusReason)
            return False
        case_id, user, shown = self.case.case_id, self.context.user, self.shown
        self._saving = True  # its own announcement reloads the page: not a change made elsewhere
        try:
            outcome = self.context.ops.run(lambda store: store.set_medicines(case_id, medicines, user, shown=shown),
                                           parent=self, initiator=self, errors="quiet")
        finally:
            self._saving = False
        if not outcome.ok:
            error = outcome.error
            if isinstance(error, MedicinesChangedMeanwhile):
                self.shown = tuple(error.case.intake.medicines)
                self.case = error.case
                self.meanwhile.setText("Saved meanwhile on another workstation: " + visible(_list_words(self.shown))
                                       + ". Your list is below, not saved: check it, then Save to replace that list.")
                self.meanwhile.setVisible(True)
                self.error.show_message(str(error))
                return False
            if isinstance(error, ValidationError):
                self.error.show_message("Not saved: " + visible("; ".join(e.message for e in error.errors)))
                return False
            ui_errors.show_error(self, error, kept_input=True)
            if getattr(error, "kind", None) == "unreachable":  # kept on this computer too (medfix2, H-DATA-904)
                from radiculopathy_desktop.ui import offline_drafts
                from radiculopathy_desktop.domain.medicine_edit import medicine_dicts
                typed = {"medicines": medicine_dicts(medicines), "shown": medicine_dicts(shown)}
                self._kept_key = offline_drafts.keep_correction(self.context, "medicines", self.case, typed,
                                                                self._kept_key)
                self.error.show_message(offline_drafts.CORRECTION_KEPT.format(what="medicine list") if self._kept_key
                                        else offline_drafts.CORRECTION_NOT_KEPT)
            return False
        if self._kept_key:  # saved here after all: its kept copy is not offered
            from radiculopathy_desktop.ui import offline_drafts
            offline_drafts.forget_correction(self.context, self._kept_key)
            self._kept_key = None
        self.saved.emit(case_id)
        self.accept()
        return True

    def reject(self) -> None:
        """Cancel (Esc): nothing is saved; when the list was changed, asked first (the visit
        dialog's question, ``dialogs.ask_discard``)."""
        from radiculopathy_desktop.ui import dialogs

        if self.has_changes() and not dialogs.ask_discard(self, "medicine list"):
            return
        super().reject()


def open_medicines_dialog(parent, context, case) -> EditMedicinesDialog:
    dialog = EditMedicinesDialog(context, case, parent)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    dialog.show()
    dialog.activateWindow()
    return dialog
