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

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from radiculopathy_desktop.domain.characters import visible
from radiculopathy_desktop.ui.correction_dialog import CorrectionDialog, banner_style, open_correction, plain_label
from radiculopathy_desktop.ui.wizard import ConditionFields, medicine_lines_label

log = logging.getLogger("radiculopathy_desktop.ui")

TITLE = "Edit conditions"


class EditConditionsDialog(ConditionFields, CorrectionDialog):
    TITLE, KIND, WHAT = TITLE, "conditions", "change of conditions"

    def __init__(self, context, case, parent=None):
        from PySide6.QtWidgets import QCheckBox, QComboBox

        from radiculopathy_desktop.domain.conditions_edit import conditions_dict
        from radiculopathy_desktop.ui.forms import FieldForm
        from radiculopathy_desktop.ui.wizard import MEDICINE_CHECK_TYPING_MS

        # ``self.case``: the stored case the dialog opened with (or was last shown): a save is
        # refused when its stored conditions are no longer these (another workstation changed them)
        super().__init__(context, case, parent)
        layout = self.begin(
            f"Conditions recorded for this case (intake of {case.intake.visit_date.isoformat()}). "
            "Correct them when they change (a new creatinine or eGFR, kidney disease, a GI bleed): the "
            "medicine check uses them. The change is kept in the case's access history with the "
            "conditions before and after.")
        self.pregnancy = plain_label("Pregnancy (recorded at a follow-up visit, not here)")
        self.pregnancy.setText(self._pregnancy_words(case))
        layout.addWidget(self.pregnancy)
        self.add_meanwhile(layout, "Conditions saved meanwhile on another workstation")
        body = QWidget()
        blayout = QVBoxLayout(body)
        self.form = FieldForm()
        self.add_condition_fields(self.form)  # the intake's conditions step's (wizard.ConditionsPage)
        blayout.addLayout(self.form)
        self.add_condition_extras(self.form, blayout)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        self.add_errors(layout, "Why the conditions are not saved")
        # the medicine check of the case's current medicines with the conditions as typed, as the
        # case page will check them once saved (today, the pregnancy standing now: H-MED-631)
        self.meds_verdicts = medicine_lines_label("The medicine check with the conditions as typed", selectable=True)
        layout.addWidget(self.meds_verdicts)
        self.add_buttons(layout, "Save conditions", "Save the conditions (Ctrl+Return)")
        self.load(conditions_dict(case))
        self._initial = self.typed()
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
        self.load_conditions(cond)

    def default_creatinine_unit(self) -> str:
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
        return self.typed_conditions()

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
        self.meds_verdicts.setStyleSheet(banner_style(bool(lines)))
        return feedback

    def has_changes(self) -> bool:
        return self.typed() != self._initial

    def case_refreshed(self, case) -> None:
        """The case page read the case again: conditions changed elsewhere are said at once."""
        if not self.follows(case):
            return
        self.pregnancy.setText(self._pregnancy_words(case))
        if case.intake.conditions == self.case.intake.conditions:
            self.case = case  # its medicines and pregnancy as now; the conditions shown are still these
            self.check_medicines()
            return
        self.say_meanwhile("Changed on another workstation since this window opened: "
                           + self._words(case) + ". Your conditions below are not saved.")

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
        from radiculopathy_desktop.domain.conditions_edit import ConditionsChangedMeanwhile, conditions_dict
        from radiculopathy_desktop.ui.forms import number_errors

        problems = number_errors(self)
        if problems:
            self.error.show_lines("Not saved:", [visible(p.message) for p in problems])
            return False
        conditions = self.typed()
        case_id, user, shown = self.case.case_id, self.context.user, self.case
        return self.save_with(lambda store: store.set_conditions(case_id, conditions, user, shown=shown),
                              ConditionsChangedMeanwhile,
                              lambda: {"conditions": conditions, "shown": conditions_dict(shown)})

    def took_meanwhile(self, case) -> str:
        self.case = case
        return ("Saved meanwhile on another workstation: " + self._words(case)
                + ". Your conditions are below, not saved: check them, then Save to replace those.")


def open_conditions_dialog(parent, context, case) -> EditConditionsDialog:
    return open_correction(EditConditionsDialog, parent, context, case)
