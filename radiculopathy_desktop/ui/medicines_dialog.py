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

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea

from radiculopathy_desktop.domain.characters import visible
from radiculopathy_desktop.ui.correction_dialog import CorrectionDialog, banner_style, open_correction
from radiculopathy_desktop.ui.dialog_size import available
from radiculopathy_desktop.ui.wizard import TypedMedicines

log = logging.getLogger("radiculopathy_desktop.ui")

TITLE = "Edit medicines"


def _list_words(medicines) -> str:
    return "; ".join(f"{m.name} {m.daily_dose_mg:g} mg a day" if m.daily_dose_mg is not None
                     else f"{m.name} (no dose recorded)" for m in medicines) or "none"


class EditMedicinesDialog(TypedMedicines, CorrectionDialog):
    TITLE, KIND, WHAT = TITLE, "medicines", "medicine list"

    def __init__(self, context, case, parent=None):
        from radiculopathy_desktop.ui.wizard import medicine_buttons, medicine_lines_label, medicine_table

        super().__init__(context, case, parent)
        #: the stored list the dialog opened with (or was last shown): a save is refused when the
        #: stored list is no longer this one (another workstation changed it)
        self.shown = tuple(case.intake.medicines)
        layout = self.begin(
            f"Current medicines recorded for this case (intake of {case.intake.visit_date.isoformat()}). "
            "Add, correct or remove them: generic name and total daily dose in mg a day. The change is "
            "kept in the case's access history with the list before and after.")
        # the list saved meanwhile on another workstation (shown after a refused save)
        self.add_meanwhile(layout, "Medicines saved meanwhile on another workstation")
        self.meds = medicine_table(self, rows=8, tip=(
            "Total milligrams (mg) a day, not grams: 4 g of paracetamol a day is 4000. Leave it empty when the dose "
            "is not known."))
        layout.addWidget(self.meds, 1)
        buttons, self.add_button, self.remove_button = medicine_buttons(self.add_medicine, self.remove_medicine)
        layout.addLayout(buttons)
        self.add_errors(layout, "Why the medicines are not saved")
        self.meds_unknown = medicine_lines_label("Medicines not recognised")
        layout.addWidget(self.meds_unknown)
        self.meds_verdicts = medicine_lines_label("The medicine check of the medicines as typed", selectable=True)
        # the live verdicts scroll past a quarter of the screen: ten rows' verdicts squeezed the
        # table to three rows (GP tryout 31 D8; dialog31, H-UI-511)
        self.meds_verdicts_area = QScrollArea()
        self.meds_verdicts_area.setWidgetResizable(True)
        self.meds_verdicts_area.setFrameShape(QScrollArea.NoFrame)
        self.meds_verdicts_area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.meds_verdicts_area.setFocusPolicy(Qt.NoFocus)
        self.meds_verdicts_area.setWidget(self.meds_verdicts)
        self.meds_verdicts_area.setMaximumHeight(max(self.fontMetrics().height() * 4, available(self).height() // 4))
        self.meds_verdicts_area.setVisible(False)
        layout.addWidget(self.meds_verdicts_area)
        self.add_buttons(layout, "Save medicines", "Save the medicines (Ctrl+Return)")
        self.follow_medicine_typing()
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
        row = self.append_medicine_row(name, dose)
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
        if label is self.meds_verdicts:
            self.meds_verdicts_area.setVisible(bool(lines))
        label.setStyleSheet(banner_style(verdict))

    def case_refreshed(self, case) -> None:
        """The case page read the case again (a save elsewhere seen by the watch, an import): when
        its medicines are no longer those shown, said above the table at once (what is typed stays;
        Save is then refused until the clinician has seen the new list)."""
        if not self.follows(case):
            return
        # the case's other answers as now (conditions corrected, a visit's pregnancy): the live
        # verdicts follow them; ``shown`` (the list the refusal compares with) does not move
        self.case = case
        self.check_medicines()
        if tuple(case.intake.medicines) != self.shown:
            self.say_meanwhile("Changed on another workstation since this window opened: "
                               + visible(_list_words(case.intake.medicines)) + ". Your list below is not saved.")

    # -- save
    def save(self) -> bool:
        """Save the rows as typed: said under the table (nothing saved, nothing typed changed)
        when a row cannot be saved or the list changed elsewhere meanwhile; True when saved."""
        from radiculopathy_desktop.domain.medicine_edit import MedicinesChangedMeanwhile, medicine_dicts, read_rows

        rows = self.typed_medicines()  # with the text of a cell still being typed in (Ctrl+Return mid-cell)
        if self._typing is not None:
            row, column, text = self._typing
            item = self.meds.item(row, column)
            if item is not None:
                item.setText(text)  # kept in the table, whatever happens to the open editor
        medicines, problems = read_rows(rows)
        if problems:
            self.error.show_lines("Not saved:", [p.message for p in problems])
            first = problems[0].field
            row = int(first[first.index("[") + 1:first.index("]")]) if "[" in first else 0
            self.meds.setCurrentCell(row, 0 if "name" in problems[0].message else 1)
            self.meds.setFocus(Qt.OtherFocusReason)
            return False
        case_id, user, shown = self.case.case_id, self.context.user, self.shown
        return self.save_with(lambda store: store.set_medicines(case_id, medicines, user, shown=shown),
                              MedicinesChangedMeanwhile,
                              lambda: {"medicines": medicine_dicts(medicines), "shown": medicine_dicts(shown)})

    def took_meanwhile(self, case) -> str:
        self.shown = tuple(case.intake.medicines)
        self.case = case
        return ("Saved meanwhile on another workstation: " + visible(_list_words(self.shown))
                + ". Your list is below, not saved: check it, then Save to replace that list.")


def open_medicines_dialog(parent, context, case) -> EditMedicinesDialog:
    return open_correction(EditMedicinesDialog, parent, context, case)
