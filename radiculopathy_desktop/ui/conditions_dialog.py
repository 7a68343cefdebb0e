"""Edit conditions: correct a saved case's conditions from the case page (medfix2, H-UI-500).

Before, the intake's conditions (serum creatinine and eGFR, chronic kidney disease, dialysis, GI
bleed or ulcer history, hepatic impairment, heart failure...) were fixed once the case was
saved, so the medicine check went on using a kidney function that had since changed (an eGFR
of 75 at the intake, 28 now: an NSAID still not flagged).

The dialog holds the intake's conditions fields, built as the intake's conditions step builds
them (the same labels, ranges and Alt+letters, the creatinine unit's question, the pain type and
special considerations group ``intake_extras.PainTypeAndConsiderations``) and validated as the
case is (``parse_case``). Save goes through the operation runner to ``store.set_conditions``
(audited ``conditions_changed``, the stored dose alerts derived again); its announcement reloads
the case page, its banner, the worklist marks and the pathway.

Pregnancy is not edited here: it is recorded at a follow-up visit (the visit's pregnancy
question), and the dialog shows the answer standing today, read-only, so the two never differ.

Keys: Ctrl+Return saves, Esc cancels (asking first when something was changed). A save that
cannot reach the clinic server keeps what was typed in the dialog and on this computer
(``offline_drafts.keep_correction``), offered for saving when the server is back, as the visit
and decision dialogs' are (H-DATA-904).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from radiculopathy_desktop.domain.characters import visible
from radiculopathy_desktop.ui import style
from radiculopathy_desktop.ui.forms import ErrorLabel

log = logging.getLogger("radiculopathy_desktop.ui")

TITLE = "Edit conditions"


class EditConditionsDialog(QDialog):
    saved = Signal(str)

    def __init__(self, context, case, parent=None):
        from radiculopathy_desktop.domain.conditions_edit import conditions_dict
        from radiculopathy_desktop.domain.vocabulary import ALCOHOL_USE, BOOLEAN_CONDITIONS
        from radiculopathy_desktop.ui.choice import combo, set_combo
        from radiculopathy_desktop.ui.forms import FieldForm, dspin, set_spin
        from radiculopathy_desktop.ui.intake_extras import PainTypeAndConsiderations
        from radiculopathy_desktop.ui.wizard import CONDITION_MNEMONICS, YES_NO, _label

        super().__init__(parent)
        self.context = context
        #: the stored case the dialog opened with (or was last shown): a save is refused when its
        #: stored conditions are no longer these (another workstation changed them)
        self.case = case
        self.setWindowTitle(f"{TITLE} — {visible(case.patient.name or case.patient.id)}")
        self.setAccessibleName(TITLE)
        layout = QVBoxLayout(self)
        intro = QLabel(f"Conditions recorded for this case (intake of {case.intake.visit_date.isoformat()}). "
                       "Correct them when they change (a new creatinine or eGFR, kidney disease, a GI bleed): the "
                       "medicine check uses them. The change is kept in the case's access history with the "
                       "conditions before and after.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.pregnancy = QLabel(self._pregnancy_words(case))
        self.pregnancy.setWordWrap(True)
        self.pregnancy.setTextFormat(Qt.PlainText)
        self.pregnancy.setAccessibleName("Pregnancy (recorded at a follow-up visit, not here)")
        layout.addWidget(self.pregnancy)
        self.meanwhile = QLabel()
        self.meanwhile.setWordWrap(True)
        self.meanwhile.setTextFormat(Qt.PlainText)
        self.meanwhile.setAccessibleName("Conditions saved meanwhile on another workstation")
        self.meanwhile.setStyleSheet(style.banner_css("warning") + " QLabel { padding: 4px; }")
        self.meanwhile.setVisible(False)
        layout.addWidget(self.meanwhile)
        body = QWidget()
        blayout = QVBoxLayout(body)
        f = self.form = FieldForm()
        # the intake's conditions step's fields (wizard.ConditionsPage), same labels and ranges
        self.flags = {key: f.add(CONDITION_MNEMONICS.get(key, label) + ":", combo(label, YES_NO), f"conditions.{key}")
                      for key, label in BOOLEAN_CONDITIONS.items()}
        self.creat = f.add("Serum &creatinine:", dspin("Serum creatinine value", 0.1, 2200, 2, what="Serum creatinine"),
                           "conditions.serum_creatinine")
        self.creat_unit = f.add("Creatinine &unit:", combo("Creatinine unit", {"mg/dL": "mg/dL", "umol/L": "µmol/L"}))
        self.creat_question = ErrorLabel()
        self.creat_question.setObjectName("creatinineUnitQuestion")
        self.creat_unit.parentWidget().layout().addWidget(self.creat_question, 1)
        self.creat.textChanged.connect(lambda _t: self.question_creatinine_unit())
        self.creat_unit.currentIndexChanged.connect(lambda _i: self.question_creatinine_unit())
        self.egfr = f.add("e&GFR (mL/min/1.73m²):", dspin("eGFR", 0, 200, 0, unit="mL/min/1.73m²"), "conditions.egfr")
        self.alcohol = f.add("&Alcohol:", combo("Alcohol use", {a: _label(a) for a in ALCOHOL_USE}, "unknown"),
                             "conditions.alcohol_use")
        blayout.addLayout(f)
        self.extras = PainTypeAndConsiderations()
        f.errors.update(self.extras.form.errors)
        f.inputs.update(self.extras.form.inputs)
        blayout.addWidget(self.extras)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        self.error = ErrorLabel()
        self.error.setAccessibleName("Why the conditions are not saved")
        layout.addWidget(self.error)
        # the medicine check of the case's current medicines with the conditions as typed, as the
        # case page will check them once saved (today, the pregnancy standing now: H-MED-631)
        self.meds_verdicts = QLabel()
        self.meds_verdicts.setWordWrap(True)
        self.meds_verdicts.setTextFormat(Qt.PlainText)
        self.meds_verdicts.setAccessibleName("The medicine check with the conditions as typed")
        self.meds_verdicts.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.meds_verdicts.setVisible(False)
        layout.addWidget(self.meds_verdicts)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.Save)
        self.save_button.setAccessibleName("Save conditions")
        self.save_button.setToolTip("Save the conditions (Ctrl+Return)")
        self.buttons.button(QDialogButtonBox.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, self.save)
        self._saving = False
        self._kept_key: str | None = None  # the copy kept on this computer after an unreachable server
        self._set_combo, self._set_spin = set_combo, set_spin
        self.load(conditions_dict(case))
        self._initial = self.typed()
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QCheckBox, QComboBox
        from radiculopathy_desktop.ui.wizard import MEDICINE_CHECK_TYPING_MS
        self.check_timer = QTimer(self)
        self.check_timer.setSingleShot(True)
        self.check_timer.timeout.connect(self.check_medicines)
        for box in self.findChildren(QComboBox):
            box.currentIndexChanged.connect(lambda _i: self.check_timer.start(0))
        for box in self.findChildren(QCheckBox):
            box.toggled.connect(lambda _b: self.check_timer.start(0))
        for field in (self.creat, self.egfr):
            field.textChanged.connect(lambda _t: self.check_timer.start(MEDICINE_CHECK_TYPING_MS))
        self.check_medicines()
        first = next(iter(self.flags.values()))
        first.setFocus(Qt.OtherFocusReason)

    def _pregnancy_words(self, case) -> str:
        """The pregnancy standing today (the intake's answer, or a later visit's), read-only here."""
        try:
            words = case.pregnancy_status(self.context.today()).words()
        except Exception:  # noqa: BLE001 - the case page says the pregnancy; this line is a reminder
            words = "see the case page"
        return (f"Pregnancy: {words}. A change of pregnancy is recorded at a follow-up visit (its pregnancy "
                "question), not here.")

    def load(self, cond: dict) -> None:
        """The fields from the case file's ``conditions`` (as ``ConditionsPage.load``)."""
        for k, b in self.flags.items():
            self._set_combo(b, "" if cond.get(k) is None else ("yes" if cond[k] else "no"))
        sc = cond.get("serum_creatinine") or {}
        self._set_spin(self.creat, sc.get("value"))
        self._set_combo(self.creat_unit, sc.get("unit") or self._default_unit())
        self._set_spin(self.egfr, cond.get("egfr"))
        self._set_combo(self.alcohol, cond.get("alcohol_use", "unknown"))
        self.extras.load(cond)
        self.question_creatinine_unit()

    def _default_unit(self) -> str:
        from radiculopathy_desktop.domain.intake import CREATININE_UNITS
        from radiculopathy_desktop.domain.lab_units import default_creatinine_unit
        try:
            clinic = self.context.clinic()
            return default_creatinine_unit(clinic.country, clinic.profile)
        except Exception:  # noqa: BLE001 - the store's error shows elsewhere
            return CREATININE_UNITS[0]

    def question_creatinine_unit(self):
        from radiculopathy_desktop.domain.lab_units import creatinine_unit_question
        from radiculopathy_desktop.ui.forms import dspin_value
        try:
            value = dspin_value(self.creat)
        except (TypeError, ValueError):
            value = None
        question = creatinine_unit_question(value, self.creat_unit.currentData())
        self.creat_question.show_message(question)
        return question

    def typed(self) -> dict:
        """The conditions as typed, in the case file's form (as ``ConditionsPage.data``)."""
        from radiculopathy_desktop.ui.forms import dspin_value
        cond: dict = {k: b.currentData() == "yes" for k, b in self.flags.items() if b.currentData()}
        try:
            creat = dspin_value(self.creat)
        except (TypeError, ValueError):
            creat = self.creat.text()
        if creat is not None and creat != "":
            cond["serum_creatinine"] = {"value": creat, "unit": self.creat_unit.currentData()}
        try:
            egfr = dspin_value(self.egfr)
        except (TypeError, ValueError):
            egfr = self.egfr.text()
        if egfr is not None and egfr != "":
            cond["egfr"] = egfr
        cond["alcohol_use"] = self.alcohol.currentData()
        self.extras.fill(cond)
        return cond

    def check_medicines(self):
        """The medicine check's verdicts for the case's current medicines with the conditions as
        typed (the Edit medicines dialog's lines, ``medicine_step_feedback``). None when the case
        has no medicines or the conditions cannot be read yet (then nothing is shown)."""
        from radiculopathy_desktop.domain.intake import case_to_dict
        from radiculopathy_desktop.domain.medicine_step import medicine_step_feedback

        self.check_timer.stop()
        rows = [(m.name, "" if m.daily_dose_mg is None else f"{m.daily_dose_mg:g}") for m in self.case.intake.medicines]
        feedback = None
        if rows:
            try:
                data = case_to_dict(self.case)
                data.pop("visits", None)
                data.pop("decisions", None)
                data["conditions"] = self.typed()
                feedback = medicine_step_feedback(data, rows, self.context.profile(), self.context.today(),
                                                  saved_case=self.case)
            except Exception as exc:  # noqa: BLE001 - never in the way of typing; the case page checks again
                log.warning("the medicines could not be checked with the conditions: %s", type(exc).__name__)
                feedback = None
        lines = [line.shown for line in feedback.verdicts] if feedback and feedback.checked else []
        if lines:
            lines.insert(0, "The medicine check with these conditions (the case page's, once saved):")
        self.meds_verdicts.setText("\n".join(lines))
        self.meds_verdicts.setVisible(bool(lines))
        self.meds_verdicts.setStyleSheet(style.banner_css("warning") + " QLabel { padding: 4px; }" if lines else "")
        return feedback

    def has_changes(self) -> bool:
        return self.typed() != self._initial

    def case_refreshed(self, case) -> None:
        """The case page read the case again: conditions changed elsewhere are said at once."""
        if case is None or case.case_id != self.case.case_id or self.isHidden() or self._saving:
            return
        self.pregnancy.setText(self._pregnancy_words(case))
        if case.intake.conditions == self.case.intake.conditions:
            self.case = case  # its medicines and pregnancy as now; the conditions shown are still these
            self.check_medicines()
            return
        if case.intake.conditions != self.case.intake.conditions:
            self.meanwhile.setText("Changed on another workstation since this window opened: "
                                   + self._words(case) + ". Your conditions below are not saved.")
            self.meanwhile.setVisible(True)

    @staticmethod
    def _words(case) -> str:
        from radiculopathy_desktop.domain.conditions_edit import conditions_dict
        from radiculopathy_desktop.domain.vocabulary import BOOLEAN_CONDITIONS
        c = conditions_dict(case)
        bits = [BOOLEAN_CONDITIONS.get(k, k) + (" yes" if v else " no") for k, v in c.items() if isinstance(v, bool)]
        sc = c.get("serum_creatinine")
        if sc:
            bits.append(f"creatinine {sc['value']:g} {sc['unit']}")
        if c.get("egfr") is not None:
            bits.append(f"eGFR {c['egfr']:g}")
        return visible("; ".join(bits) or "none recorded")

    def save(self) -> bool:
        """Save the conditions as typed: a value that cannot be kept, or conditions changed
        elsewhere meanwhile, is said (nothing saved, nothing typed changed); True when saved."""
        from radiculopathy_desktop.domain.conditions_edit import ConditionsChangedMeanwhile
        from radiculopathy_desktop.domain.intake import ValidationError
        from radiculopathy_desktop.ui import errors as ui_errors
        from radiculopathy_desktop.ui.forms import number_errors

        problems = number_errors(self)
        if problems:
            self.error.show_message("Not saved: " + visible("; ".join(p.message for p in problems)) + ".")
            return False
        conditions = self.typed()
        case_id, user, shown = self.case.case_id, self.context.user, self.case
        self._saving = True  # its own announcement reloads the page: not a change made elsewhere
        try:
            outcome = self.context.ops.run(lambda store: store.set_conditions(case_id, conditions, user, shown=shown),
                                           parent=self, initiator=self, errors="quiet")
        finally:
            self._saving = False
        if not outcome.ok:
            error = outcome.error
            if isinstance(error, ConditionsChangedMeanwhile):
                self.case = error.case
                self.meanwhile.setText("Saved meanwhile on another workstation: " + self._words(error.case)
                                       + ". Your conditions are below, not saved: check them, then Save to replace "
                                         "those.")
                self.meanwhile.setVisible(True)
                self.error.show_message(str(error))
                return False
            if isinstance(error, ValidationError):
                self.error.show_message("Not saved: " + visible("; ".join(e.message for e in error.errors)))
                return False
            ui_errors.show_error(self, error, kept_input=True)
            if getattr(error, "kind", None) == "unreachable":  # kept on this computer too (medfix2, H-DATA-904)
                from radiculopathy_desktop.ui import offline_drafts
                from radiculopathy_desktop.domain.conditions_edit import conditions_dict
                typed = {"conditions": conditions, "shown": conditions_dict(shown)}
                self._kept_key = offline_drafts.keep_correction(self.context, "conditions", self.case, typed,
                                                                self._kept_key)
                self.error.show_message(offline_drafts.CORRECTION_KEPT.format(what="change of conditions")
                                        if self._kept_key
                                        else offline_drafts.CORRECTION_NOT_KEPT)  # what is typed stays in the dialog
            return False
        if self._kept_key:  # saved here after all: its kept copy is not offered
            from radiculopathy_desktop.ui import offline_drafts
            offline_drafts.forget_correction(self.context, self._kept_key)
            self._kept_key = None
        self.saved.emit(case_id)
        self.accept()
        return True

    def reject(self) -> None:
        from radiculopathy_desktop.ui import dialogs

        if self.has_changes() and not dialogs.ask_discard(self, "change of conditions"):
            return
        super().reject()


def open_conditions_dialog(parent, context, case) -> EditConditionsDialog:
    dialog = EditConditionsDialog(context, case, parent)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    dialog.show()
    dialog.activateWindow()
    return dialog
