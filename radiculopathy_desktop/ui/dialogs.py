"""Add a follow-up visit and record a decision: non-blocking dialogs.

Both validate through the domain (``parse_visit`` / ``parse_decision``, the same
rules as the importer and the CLI), save through the store, and announce the
change on the event hub so the worklist and timeline update at once. A store
failure keeps the dialog open with everything typed still in it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout

from radiculopathy_desktop.domain.intake import ValidationError, parse_decision, parse_visit
from radiculopathy_desktop.domain.vocabulary import DECISIONS, RED_FLAG_QUESTIONS
from radiculopathy_desktop.ui import errors as ui_errors
from radiculopathy_desktop.ui.forms import (ErrorLabel, FieldForm, combo, date_edit, date_value, dspin, dspin_value,
                                            spin, spin_value)


class _CaseDialog(QDialog):
    saved = Signal(str)
    title = ""

    def __init__(self, context, case, parent=None):
        super().__init__(parent)
        self.context = context
        self.case = case
        self.setWindowTitle(f"{self.title} — {case.patient.name or case.patient.id}")
        self.setAccessibleName(self.title)
        layout = QVBoxLayout(self)
        self.form = FieldForm()
        layout.addLayout(self.form)
        self.general_error = ErrorLabel()
        layout.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setAccessibleName(f"Save {self.title.lower()}")
        self.buttons.button(QDialogButtonBox.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def data(self) -> dict:
        raise NotImplementedError

    def validate(self, data):
        raise NotImplementedError

    def store_it(self, item):
        raise NotImplementedError

    def save(self) -> None:
        self.form.clear_errors()
        self.general_error.show_message(None)
        try:
            item = self.validate(self.data())
        except ValidationError as exc:
            left = self.form.show_errors(exc.errors)
            if left:
                self.general_error.show_message("; ".join(e.message for e in left))
            return
        try:
            self.store_it(item)
        except Exception as exc:  # locked, read-only, disk full...: keep what was typed
            ui_errors.show_error(self, exc, kept_input=True)
            return
        self.context.hub.case_changed.emit(self.case.case_id)
        self.saved.emit(self.case.case_id)
        self.accept()


class VisitDialog(_CaseDialog):
    title = "Follow-up visit"

    def __init__(self, context, case, parent=None):
        super().__init__(context, case, parent)
        f = self.form
        self.date = f.add("Visit &date:", date_edit("Visit date", context.today()), "visit.date")
        self.leg = f.add("&Leg pain now (0-10):", spin("Leg pain now, 0 to 10", 0, 10), "visit.leg_nrs")
        self.back = f.add("&Back pain now (0-10):", spin("Back pain now, 0 to 10", 0, 10), "visit.back_nrs")
        uses_rmdq = case.intake.function.odi_percent is None and case.intake.function.rmdq is not None
        self.odi = f.add("&ODI (%):", dspin("Oswestry Disability Index, percent", 0, 100, 0), "visit.odi_percent")
        self.rmdq = f.add("&RMDQ (0-24):", spin("Roland-Morris score, 0 to 24", 0, 24), "visit.rmdq")
        (self.rmdq if uses_rmdq else self.odi).setToolTip("The function score used at intake")
        self.flag_note = QLabel("Ask the cauda equina questions again at every visit:")
        f.addRow(self.flag_note)
        self.flags = {}
        for key in ("saddle_anaesthesia", "urinary_retention_or_incontinence",
                    "faecal_incontinence_or_loss_of_rectal_sensation", "progressive_neurological_deficit"):
            self.flags[key] = f.add(RED_FLAG_QUESTIONS[key] + ":",
                                    combo(RED_FLAG_QUESTIONS[key], {"": "Not asked", "no": "No", "yes": "Yes",
                                                                    "unknown": "Unknown"}),
                                    f"visit.red_flags.{key}")
        self.clinician = f.add("Cli&nician:", QLineEdit(), "visit.clinician")
        self.clinician.setAccessibleName("Clinician")
        self.notes = f.add("&Notes:", QPlainTextEdit(), "visit.notes")
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.fontMetrics().height() * 5)

    def data(self) -> dict:
        data = {"date": date_value(self.date), "leg_nrs": spin_value(self.leg), "back_nrs": spin_value(self.back),
                "odi_percent": dspin_value(self.odi), "rmdq": spin_value(self.rmdq),
                "red_flags": {k: box.currentData() for k, box in self.flags.items() if box.currentData()},
                "clinician": self.clinician.text().strip() or None,
                "notes": self.notes.toPlainText().strip() or None}
        return {k: v for k, v in data.items() if v not in (None, {})}

    def validate(self, data):
        return parse_visit(data, self.case)

    def store_it(self, item):
        self.context.store.add_visit(self.case.case_id, item, user=self.context.user)


class DecisionDialog(_CaseDialog):
    title = "Decision"

    def __init__(self, context, case, parent=None):
        super().__init__(context, case, parent)
        f = self.form
        self.kind = f.add("&Decision:", combo("Decision", DECISIONS), "decision.kind")
        self.date = f.add("&Date:", date_edit("Decision date", context.today()), "decision.date")
        self.until = f.add("Continue &until:", date_edit("Continue conservative care until"),
                           "decision.until")
        self.until.setDate(self.date.date().addDays(28))
        self.by = f.add("Decided &by:", QLineEdit(), "decision.by")
        self.by.setAccessibleName("Decided by")
        self.note = f.add("&Note:", QPlainTextEdit(), "decision.note")
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(self.fontMetrics().height() * 5)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        self.until.setEnabled(self.kind.currentData() == "continue_conservative_care")

    def data(self) -> dict:
        data = {"date": date_value(self.date), "kind": self.kind.currentData(),
                "by": self.by.text().strip() or None, "note": self.note.toPlainText().strip() or None}
        if self.kind.currentData() == "continue_conservative_care":
            data["until"] = date_value(self.until)
        return {k: v for k, v in data.items() if v is not None}

    def validate(self, data):
        return parse_decision(data, self.case)

    def store_it(self, item):
        self.context.store.record_decision(self.case.case_id, item, user=self.context.user)


def open_visit_dialog(parent, context, case) -> VisitDialog:
    dialog = VisitDialog(context, case, parent)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    dialog.show()
    return dialog


def open_decision_dialog(parent, context, case) -> DecisionDialog:
    dialog = DecisionDialog(context, case, parent)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    dialog.show()
    return dialog
