"""The intake wizard: seven steps, one case, validated by the same parser as the CLI.

Each page contributes part of a case-JSON dict. "Next" validates the whole dict
with :func:`parse_case` and blocks only on errors that belong to the current page,
shown beside their fields. The red-flag page triages live (``domain.triage``) and
shows what to do now as soon as an answer makes the case emergency or urgent.
The symptoms page shows the suggested root live (``domain.roots``).

What is typed is kept: the form is saved as a draft at every step and, while the
user types within a step, 1.5 s after the last edit (``AUTOSAVE_MS``), so a crash or
a power cut loses at most a couple of seconds of typing. Closing half-way asks
whether to keep it, and a kept draft reopens on the step where it stopped.
:meth:`IntakeWizard.save_draft_now` writes the draft at once (for a crash handler;
it never raises) and :func:`pending_draft_summary` describes a waiting draft without
naming the patient (for a start-up prompt), unless it records an emergency.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from PySide6.QtCore import QThread, QTimer, Qt, Signal
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QFrame, QGridLayout, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton, QScrollArea, QStackedWidget,
                               QStyledItemDelegate, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from radiculopathy_desktop.domain.episodes import OpenCaseExists
from radiculopathy_desktop.domain.identity import EpisodeExists
from radiculopathy_desktop.domain.intake import (CREATININE_UNITS, MAX_CLINICIAN_NAME, PREGNANCY_WEEKS_RANGE, FieldError,
                                                 ValidationError, parse_case, pregnancy_allowed)
from radiculopathy_desktop.domain.medicine_step import typed_daily_dose, typed_dose_floor_problem
from radiculopathy_desktop.domain.vocabulary import (ALCOHOL_USE, BOOLEAN_CONDITIONS, CLONUS_RESULTS, MUSCLE_GROUPS,
                                                     NERVE_TENSION_RESULTS, PLANTAR_RESULTS, REFLEX_RESULTS, REFLEXES,
                                                     SENSORY_RESULTS, SEXES, SIDES, TREATMENTS)
from radiculopathy_desktop.ui.errors import describe, show_error
from radiculopathy_desktop.ui.forms import (ANSWER_OPTIONS, ActionBanner, ErrorLabel, FieldForm, RadioGroup, RedFlagScreen,
                                            MRC_HINT, MedicineAlertBanner, NumberField, StartBackEntry, combo, date_edit, date_value,
                                            dspin, dspin_value, number_errors, set_combo, set_spin, spin, spin_value)
from radiculopathy_desktop.ui.leg_diagram import LegDiagram, RegionChecklist
from radiculopathy_desktop.ui.steady import give_back_room, hold_content
from radiculopathy_desktop.ui import offline_drafts, shortcuts, style
from radiculopathy_desktop.ui.pathway_view import AssessmentBrowser, e

from typing import TYPE_CHECKING as _TYPE_CHECKING

if _TYPE_CHECKING:  # the store contract, for annotations only
    from radiculopathy_desktop.storage.contract import Store

log = logging.getLogger("radiculopathy_desktop.ui")

DRAFT_KEY = "intake-wizard"
AUTOSAVE_MS = 1500  # a draft is written this long after the last edit
#: The intake's pregnancy question. "Unknown" is the start: not asked is never "no". "Yes"
#: reaches the case as ``patient.pregnancy_weeks`` (the weeks on the visit date), "No" as
#: ``patient.pregnant: false`` (docs/case-format.md); the answer is kept in the draft too.
PREGNANCY_ANSWERS = {"unknown": "Unknown (not asked)", "no": "No", "yes": "Yes (type the weeks)"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _label(code: str) -> str:
    return code.replace("_", " ").capitalize()


def _takes_typing(widget) -> bool:
    """Whether ``widget`` types a printable key (an editable field, a cell editor)."""
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit
    if widget is None or not widget.isEnabled():
        return False
    if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)):
        return not widget.isReadOnly()
    return isinstance(widget, QComboBox) and widget.isEditable()


class Page(QScrollArea):
    title = ""
    key = ""  # how the wizard reaches the page (IntakeWizard.page), whatever its place in PAGES
    prefixes: tuple[str, ...] = ()

    def __init__(self, wizard):
        super().__init__()
        self.wizard = wizard
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        # Not a Tab stop of its own: Tab from the window's section list went to the bare page,
        # where nothing showed the focus and no key did anything. The fields take the focus and
        # the page scrolls to the focused one (as the visit and decision dialogs' forms do).
        self.setFocusPolicy(Qt.NoFocus)
        body = QWidget()
        self.body = QVBoxLayout(body)
        self.setWidget(body)
        self.form = FieldForm()
        QApplication.instance().focusChanged.connect(self._focus_moved)

    def _focus_moved(self, _old, new) -> None:
        """A field of this step given the focus while wholly out of sight (an Alt+letter: Serum
        creatinine is Alt+C from the top of step 6) is scrolled into view, with a row of room
        below it for what is said beside or under it (gp17 F10: typing blind)."""
        if new is None or not self.isVisible() or not self.widget().isAncestorOf(new):
            return
        view = self.viewport().rect()
        top = new.mapTo(self.viewport(), new.rect().topLeft())
        if view.intersects(new.rect().translated(top)):
            return  # in sight, if only in part: a click there never moves the page
        margin = self.fontMetrics().height() * 3
        self.ensureWidgetVisible(new, 0, margin)

    def owns(self, field: str) -> bool:
        return any(field == p or field.startswith(p + ".") or field.startswith(p + "[") for p in self.prefixes)

    def data(self) -> dict:
        return {}

    def load(self, data: dict) -> None:
        pass

    def extra_errors(self) -> list[FieldError]:
        """Checks the parser cannot make because it cannot see a blank (e.g. unanswered)."""
        return []

    def show_errors(self, errors) -> list:
        return self.form.show_errors(errors)

    def entered(self) -> None:
        first = self.first_input()
        if first is not None:
            first.setFocus()

    def first_input(self) -> QWidget | None:
        """The step's first field: where the focus goes on entering it, and where Tab goes from
        the pinned banner (Shift+Tab from it reaches the banner)."""
        return None

    # -- the wizard's one "what to do now" banner, pinned above this step's questions
    #: The most of the page's height the banner takes; a longer one scrolls within it.
    BANNER_SHARE = 0.5

    def holds_banner(self) -> bool:
        pinned = getattr(self.wizard, "pinned", None)
        return pinned is not None and pinned.parentWidget() is self

    def _place_banner(self) -> None:
        """The banner's room above the viewport: its height for the viewport's width, at most
        :data:`BANNER_SHARE` of the page (0 when hidden or held by another step)."""
        holding = self.holds_banner()
        banner = self.wizard.banner if holding else None
        shown = holding and not banner.isHidden()
        before = self.viewportMargins().top()
        # tryout36 F7 (H-UI-554): while this step is on screen its banner room never shrinks (a
        # shorter banner, or none, leaves it empty), and when it grows the form scrolls as far, so
        # the fields stay under the pointer (a grade aimed at plantar flexion went to great-toe
        # extension when an answer added a banner line). The room is measured afresh on entering a step.
        kept = self._banner_room if holding and self.isVisible() else 0
        if holding:
            self.wizard.pinned.setVisible(shown or kept > 0)
        height = 0
        for _ in range(3):  # the width can change once: a scroll bar shown or hidden by the new room
            width = self.viewport().width()
            if shown:
                pinned = self.wizard.pinned
                wanted = pinned.widget().heightForWidth(width)
                wanted = wanted if wanted > 0 else banner.sizeHint().height()
                height = min(wanted, int(self.height() * self.BANNER_SHARE))
            height = max(height, kept) if holding else height
            if shown:
                # a bar only when it does not fit (else one left from a smaller room keeps it narrow)
                pinned.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff if height == wanted
                                                  else Qt.ScrollBarAsNeeded)
            self.setViewportMargins(0, height, 0, 0)
            if self.viewport().width() == width:
                break
        if holding:
            room = self.viewport().geometry()
            self.wizard.pinned.setGeometry(room.left(), room.top() - height, room.width(), height)
            if self.isVisible():
                self._banner_room = height
                hold_content(self, height - before)

    _banner_room = 0  # the banner room's height while this step is on screen (never less: F7)

    def resizeEvent(self, event):  # noqa: N802 (Qt API)
        if event.oldSize().height() != event.size().height():
            self._banner_room = 0  # a new page height: the room is measured again for it
        super().resizeEvent(event)
        self._place_banner()

    def hideEvent(self, event):  # noqa: N802 (Qt API)
        super().hideEvent(event)
        self._banner_room = 0
        give_back_room(self)  # room added below the form by hold_content

    def focusNextPrevChild(self, next_: bool) -> bool:  # noqa: N802 (Qt API)
        """The banner held here comes just before the step's first field: Shift+Tab from that
        field reaches it and Tab from it goes back to the field. Done here rather than by
        ``setTabOrder``, which would unlink the field from the fields after it each time the
        banner moves on to the next step."""
        banner = self.wizard.banner
        first = self.first_input()
        if first is not None and self.holds_banner() and banner.isVisible():
            now = QApplication.focusWidget()
            if not next_ and now is first:
                banner.setFocus(Qt.BacktabFocusReason)
                self.ensureWidgetVisible(first)  # the field stays in view under the banner
                return True
            if next_ and now is banner:
                first.setFocus(Qt.TabFocusReason)
                self.ensureWidgetVisible(first)
                return True
        return super().focusNextPrevChild(next_)


class PatientPage(Page):
    title = "Patient"
    key = "patient"
    prefixes = ("patient", "onset_date", "visit_date", "care_start_date", "clinician")

    def __init__(self, wizard):
        super().__init__(wizard)
        f = self.form
        today = wizard.context.today()
        self.pid = f.add("Patient &ID (required):", QLineEdit(), "patient.id")
        self.pid.setAccessibleName("Patient ID (required)")
        self.name = f.add("Na&me:", QLineEdit(), "patient.name")
        self.name.setAccessibleName("Patient name")
        self.birth = f.add("Birth &date:", date_edit("Birth date, year-month-day"), "patient.birth_date")
        self.age = f.add("…or &age in years:", spin("Age in years", 0, 120, what="Age", unit="years"), "patient.age_years")
        self.sex = f.add("&Sex:", combo("Sex", SEXES, "unknown"), "patient.sex")
        # Pregnancy (gp14 G1): the medicine rules that depend on it (NSAIDs from 20 and 30 weeks,
        # opioids, steroids, gabapentinoids) fire only when it is recorded. Offered for a sex that
        # allows it (domain.intake.pregnancy_allowed); a "yes" kept when the sex is changed to male
        # stays on screen, where the parser's error names the clash (nothing typed is dropped).
        self.pregnant = f.add("P&regnant?", combo("Pregnant?", PREGNANCY_ANSWERS, "unknown"))
        self.weeks = f.add("Wee&ks of pregnancy:",
                           spin("Weeks of pregnancy (gestation)", *PREGNANCY_WEEKS_RANGE, what="Weeks of pregnancy",
                                unit="weeks"), "patient.pregnancy_weeks")
        # A "yes" the sex no longer allows is named beside the question, never dropped or kept silently
        # (gp17 F14: Female -> Male over Pregnant Yes, 33 weeks)
        self.pregnancy_clash = ErrorLabel()
        self.pregnancy_clash.setObjectName("pregnancyClash")
        self.pregnant.parentWidget().layout().addWidget(self.pregnancy_clash, 1)
        self.sex.currentIndexChanged.connect(self._show_pregnancy)
        self.pregnant.currentIndexChanged.connect(self._show_pregnancy)
        self.weeks.textChanged.connect(self._show_pregnancy)
        self.weight = f.add("Wei&ght (kg):", dspin("Weight in kilograms", 20, 350, 1, what="Weight", unit="kg"), "patient.weight_kg")
        self.height = f.add("H&eight (cm):", dspin("Height in centimetres", 100, 250, 0, what="Height", unit="cm"), "patient.height_cm")
        # Onset starts empty and is required: the phase and every duration count from it, and
        # a pre-filled "today" was carried on unread (red-team A8). The visit is today unless
        # changed; conservative care starts at this visit unless typed otherwise (it follows
        # the visit date until the care date itself is typed).
        self.onset = f.add("Symptoms s&tarted on (required):", date_edit("Date symptoms started (required)"),
                           "onset_date")
        self.visit = f.add("&Visit date:", date_edit("Visit date", today), "visit_date")
        self.care = f.add("&Conservative care started:", date_edit("Date conservative care started", today),
                          "care_start_date")
        self.care_follows_visit = True
        self.care.textEdited.connect(self._care_typed)
        self.visit.dateChanged.connect(self._visit_changed)
        self.clinician = f.add("C&linician:", QLineEdit(), "clinician")
        self.clinician.setAccessibleName("Clinician")
        # the limit is shown; a longer name is refused beside the field at Next and Save, never
        # cut (no maxLength: what was typed or pasted stays to be shortened; gp21 F6)
        self.clinician.setPlaceholderText(f"Name and role, at most {MAX_CLINICIAN_NAME} characters")
        self.clinician.setToolTip(f"Printed on every handout page: at most {MAX_CLINICIAN_NAME} characters")
        self.body.addLayout(f)
        self._show_pregnancy()  # once the rows have their parent (a row shown before would be a window)
        self.body.addStretch(1)

    def _care_typed(self, *_args) -> None:
        self.care_follows_visit = False

    def pregnancy_answer(self) -> str:
        """"unknown", "no" or "yes" as chosen (kept whatever the sex)."""
        return self.pregnant.currentData() or "unknown"

    def _show_pregnancy(self, *_args) -> None:
        """The question for a sex that allows a pregnancy (or once answered yes); the weeks for a yes."""
        asked = pregnancy_allowed(self.sex.currentData()) or self.pregnancy_answer() == "yes"
        self.form.setRowVisible(self.pregnant.parentWidget(), asked)
        self.form.setRowVisible(self.weeks.parentWidget(), asked and self.pregnancy_answer() == "yes")
        self.pregnancy_clash.show_message(self.pregnancy_clash_words())

    def pregnancy_clash_words(self) -> str | None:
        """A "yes" kept while the sex chosen allows no pregnancy, in words, or None."""
        if self.pregnancy_answer() != "yes" or pregnancy_allowed(self.sex.currentData()):
            return None
        weeks = spin_value(self.weeks)
        sex = self.sex.currentText().lower() or "this sex"
        return (f"Pregnant is “Yes”{f', {weeks} weeks' if weeks is not None else ''}, but the sex is now {sex}: a "
                "pregnancy is recorded only for a female, other or unknown sex. Correct the sex, or the pregnancy "
                "(not saved until one is corrected).")

    def pregnancy_weeks(self):
        """The weeks typed for a "yes" (as typed, even out of range: the parser names it), else None."""
        return spin_value(self.weeks) if self.pregnancy_answer() == "yes" else None

    def pregnancy_words(self) -> str | None:
        """The answer in words for the Review step, or None when the question is not offered."""
        answer = self.pregnancy_answer()
        clash = self.pregnancy_clash_words()
        if clash:
            return clash
        if answer == "yes":
            return (f"Pregnant, {spin_value(self.weeks)} weeks on the visit date (the medicine checks use it, "
                    "counting the weeks on from that date).")
        if not pregnancy_allowed(self.sex.currentData()):
            return None
        if answer == "no":
            return "Not pregnant (answered no; saved with the case)."
        return ("Pregnancy not asked: the medicine checks take the patient as not pregnant. Ask, and record it on "
                "the Patient step.")

    def set_pregnancy_answer(self, answer) -> None:
        """The answer kept in a draft (a yes with weeks comes back from the weeks themselves)."""
        if answer in PREGNANCY_ANSWERS and self.pregnancy_weeks() is None:
            set_combo(self.pregnant, answer)

    def _visit_changed(self) -> None:
        if self.care_follows_visit and self.visit.day() is not None:
            self.care.set_day(self.visit.day())

    def data(self) -> dict:
        patient = {"id": self.pid.text().strip() or None, "name": self.name.text().strip() or None,
                   "birth_date": self.birth.value(), "age_years": spin_value(self.age),
                   "sex": self.sex.currentData(), "weight_kg": dspin_value(self.weight),
                   "height_cm": dspin_value(self.height), "pregnancy_weeks": self.pregnancy_weeks(),
                   # "No" is kept as answered (not asked stays absent); only where the question is asked
                   "pregnant": False if (self.pregnancy_answer() == "no"
                                         and pregnancy_allowed(self.sex.currentData())) else None}
        return {"patient": {k: v for k, v in patient.items() if v is not None},
                "onset_date": date_value(self.onset), "visit_date": date_value(self.visit),
                "care_start_date": date_value(self.care), "clinician": self.clinician.text().strip() or None}

    def load(self, data: dict) -> None:
        p = data.get("patient", {})
        self.pid.setText(p.get("id", ""))
        self.name.setText(p.get("name", "") or "")
        self.birth.set_day(p.get("birth_date"))
        set_spin(self.age, p.get("age_years"))
        set_combo(self.sex, p.get("sex", "unknown"))
        # every field from ``data``, an absent value cleared: a new intake (load({})) must not keep the
        # previous patient's weight or height (gp16 F1: they were saved into the next patient's case)
        set_spin(self.weight, p.get("weight_kg"))
        set_spin(self.height, p.get("height_cm"))
        weeks = p.get("pregnancy_weeks")
        set_combo(self.pregnant, "yes" if weeks is not None or p.get("pregnant") is True
                  else "no" if p.get("pregnant") is False else "unknown")
        set_spin(self.weeks, weeks)
        self._show_pregnancy()
        for edit, key in ((self.onset, "onset_date"), (self.visit, "visit_date"), (self.care, "care_start_date")):
            if data.get(key):
                edit.set_day(str(data[key]))  # as typed, even a date that is not one: it is shown, not lost
        if data.get("care_start_date"):
            self.care_follows_visit = False  # a care start date from a draft or a file is kept as given
        self.clinician.setText(data.get("clinician") or "")

    def extra_errors(self):
        """The intake records what has happened: its dates cannot lie after today (a typo)."""
        today = self.wizard.context.today()
        out = []
        for edit, key in ((self.birth, "patient.birth_date"), (self.onset, "onset_date"), (self.visit, "visit_date"),
                          (self.care, "care_start_date")):
            day = edit.day()
            if day is not None and day > today:
                out.append(FieldError(key, f"{day.isoformat()} is after today ({today.isoformat()}): "
                                           "check the year and month"))
        from radiculopathy_desktop.domain.intake import age_disagreement

        clash = age_disagreement(self.birth.day(), spin_value(self.age), self.visit.day())
        if clash:
            out.append(FieldError("patient.age_years", clash))
        lookalike = self._lookalike_patient_id()
        if lookalike:
            out.append(FieldError("patient.id", lookalike))
        if self.pregnancy_answer() == "yes" and not self.weeks.text().strip():
            out.append(FieldError("patient.pregnancy_weeks",
                                  "Type the weeks of pregnancy (an estimate is enough): the medicine checks depend on "
                                  "them (NSAIDs from 20 weeks); or choose Unknown"))
        return out

    def _lookalike_patient_id(self) -> str | None:
        """The patient ID typed looks the same as a different stored one (an all-Cyrillic copy
        of a Latin ID): said at Next, beside the field, before the rest is typed. Only an ID
        with no other problem is compared (those are named first); Save checks again, with
        the case ID, as the store may have changed meanwhile."""
        from radiculopathy_desktop.domain.characters import LookalikeIds, lookalike_message, problem
        typed = self.pid.text().strip()
        if not typed or problem("patient.id", typed, identifier=True):
            return None
        try:
            patients, _cases = self.wizard.context.store.stored_ids()
        except Exception:  # noqa: BLE001 - the store's own failure is reported by Save, which reads it again
            return None
        other = LookalikeIds(patients).lookalike(typed)
        return None if other is None else lookalike_message("patient ID", typed, other)

    def entered(self) -> None:
        self.pid.setFocus()


class SymptomsPage(Page):
    title = "Symptoms"
    key = "symptoms"
    prefixes = ("side", "regions")

    def __init__(self, wizard):
        super().__init__(wizard)
        self.side = RadioGroup("Side of leg symptoms", tuple((s, _label(s)) for s in SIDES))
        self.form.add("Which &leg (required):", self.side, "side")
        self.body.addLayout(self.form)
        row = QHBoxLayout()
        self.diagram = LegDiagram()
        row.addWidget(self.diagram, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel("Or tick where the symptoms are:"))
        self.checklist = RegionChecklist()
        right.addWidget(self.checklist)
        self.regions_error = ErrorLabel()
        right.addWidget(self.regions_error)
        self.form.errors["regions"] = self.regions_error
        self.form.inputs["regions"] = self.checklist
        self.root = QLabel()
        self.root.setWordWrap(True)
        self.root.setAccessibleName("Suggested root")
        self.root.setFrameShape(QFrame.StyledPanel)
        right.addWidget(self.root)
        right.addStretch(1)
        row.addLayout(right, 1)
        self.body.addLayout(row, 1)
        self.regions: set[str] = set()
        self.diagram.toggled.connect(self._set_region)
        self.checklist.toggled.connect(self._set_region)
        self.side.group.buttonToggled.connect(self._side_changed)
        self.update_root()

    #: The red-flag answer "symptoms in both legs" had before Bilateral set it to yes (None: not
    #: set by the side, or changed by hand since); ``_UNSET`` when nothing is remembered.
    _UNSET = object()
    _bilateral_was = _UNSET

    def _side_changed(self, _button, checked: bool) -> None:
        """Symptoms in both legs answer the red-flag question "symptoms in both legs": yes. A side
        chosen on the way past Bilateral (the arrow keys choose as they move) or by mistake takes
        that answer back to what it was, unless it was answered by hand since."""
        if not checked or not self.wizard.ready:
            return
        red = next(p for p in self.wizard.pages if isinstance(p, RedFlagPage))
        question = red.groups["bilateral_leg_symptoms"]
        self._setting = True
        try:
            if self.side.value() == "bilateral":
                if question.value() != "yes":
                    was = question.value()
                    question.set_value("yes")
                    self._bilateral_was = was
            elif self._bilateral_was is not self._UNSET:
                if question.value() == "yes":
                    question.set_value(self._bilateral_was)
                self._bilateral_was = self._UNSET
        finally:
            self._setting = False

    _setting = False  # the side is setting the red-flag answer (not an answer by hand)

    def bilateral_answered(self, _button, checked: bool) -> None:
        """The red-flag question "symptoms in both legs" changed: by hand, the side forgets its yes."""
        if checked and not self._setting:
            self.forget_bilateral_answer()

    def forget_bilateral_answer(self, *_args) -> None:
        """The question was answered by hand (or the form loaded): the side no longer takes it back."""
        self._bilateral_was = self._UNSET

    def _set_region(self, code: str, on: bool) -> None:
        (self.regions.add if on else self.regions.discard)(code)
        self.diagram.set_selected(self.regions)
        self.checklist.set_selected(self.regions)
        self.update_root()

    def update_root(self) -> None:
        from radiculopathy_desktop.domain.roots import suggest_roots
        exam = self.wizard.page_data("examination").get("examination", {}) if self.wizard.ready else {}
        try:
            result = suggest_roots(tuple(r for r in self.diagram_order() if r in self.regions),
                                   power=exam.get("power"), reflexes=exam.get("reflexes"),
                                   femoral_stretch=exam.get("femoral_stretch"), slr=exam.get("slr"))
            text = result.summary()
        except Exception as exc:  # the hint must never stop the intake
            text = f"(not available: {type(exc).__name__})"
        self.root.setText(f"<b>Suggested root:</b> {e(text)}")

    @staticmethod
    def diagram_order():
        from radiculopathy_desktop.domain.vocabulary import SYMPTOM_REGIONS
        return tuple(SYMPTOM_REGIONS)

    def data(self) -> dict:
        return {"side": self.side.value(), "regions": [r for r in self.diagram_order() if r in self.regions]}

    def load(self, data: dict) -> None:
        self.side.set_value(data.get("side"))
        self.forget_bilateral_answer()
        self.regions = set(data.get("regions") or ())
        self.diagram.set_selected(self.regions)
        self.checklist.set_selected(self.regions)
        self.update_root()

    def extra_errors(self):
        out = []
        if self.side.value() is None:
            out.append(FieldError("side", "Choose the side of the leg symptoms"))
        if not self.regions:
            out.append(FieldError("regions", "Mark at least one region on the diagram or the list"))
        return out

    def entered(self) -> None:
        self.update_root()
        first = self.side.buttons[SIDES[0]]
        (self.side.group.checkedButton() or first).setFocus()


class RedFlagPage(Page):
    title = "Red flags"
    key = "red_flags"
    prefixes = ("red_flags",)

    def __init__(self, wizard):
        super().__init__(wizard)
        # Pinned above the scrolling questions (a child of the scroll area, outside its viewport,
        # in the room the viewport margins leave): once a flag is answered yes, what to do now
        # stays in view while the clinician answers the rest (ui13: it scrolled away after the
        # 16th answer). First in the page's Tab order, before the first question.
        # The banner sits in a small scroll area of its own (no frame, no bar while it fits), so
        # with large text on a small screen it takes at most BANNER_SHARE of the page and the
        # questions keep the rest.
        # The banner is the wizard's one banner (gp14 G2): this step holds it first, and each
        # later step takes it over (IntakeWizard._go), so what to do now stays in view until Save.
        self.banner = wizard.banner
        self.pinned = wizard.pinned
        self.pinned.setParent(self)
        self.pinned.hide()
        intro = QLabel("Ask every question. <b>Unknown</b> is an answer, and it is never treated as no. "
                       "Keys: <b>Y</b> yes, <b>N</b> no, <b>U</b> unknown (each answers and moves to the next "
                       "question).")
        intro.setWordWrap(True)
        self.body.addWidget(intro)
        self.flag_screen = RedFlagScreen("red_flags")
        self.groups: dict[str, RadioGroup] = self.flag_screen.groups
        self.form.errors.update(self.flag_screen.errors)
        self.form.inputs.update(self.flag_screen.inputs)
        self.flag_screen.changed.connect(self.update_banner)
        self.body.addWidget(self.flag_screen)
        self.body.addStretch(1)
        self.tier = "routine"

    def answers(self) -> dict[str, str]:
        return self.flag_screen.answers()

    def update_banner(self) -> None:
        """What the engine says of the intake entered so far (the wizard's :meth:`IntakeWizard.update_banner`)."""
        self.wizard.update_banner()

    def data(self) -> dict:
        return {"red_flags": self.answers()}

    def load(self, data: dict) -> None:
        self.flag_screen.set_answers(data.get("red_flags"))
        self.update_banner()

    def extra_errors(self):
        return [FieldError(f"red_flags.{k}", "Answer this question (Unknown is an answer)")
                for k in self.flag_screen.unanswered()]

    def first_input(self):
        return self.flag_screen.first_button()

    def entered(self) -> None:
        self.update_banner()
        self.flag_screen.first_button().setFocus()

    def answer_key(self, key: int) -> str | None:
        """Y, N or U pressed on this step with the focus off the questions (the banner, the page,
        Back or Next: gp16 F10): it answers the first question not answered yet and the focus goes
        to the next unanswered one (or Next). None when done; else why nothing was answered."""
        from radiculopathy_desktop.ui.forms import ANSWER_LETTERS
        if key not in {getattr(Qt, f"Key_{k.upper()}") for k in ANSWER_LETTERS}:
            return "not an answer key"
        open_ = [k for k in self.flag_screen.unanswered()]
        if not open_:
            return ("Every red-flag question is answered. To change an answer, move to it (Tab, or click it) and "
                    "press Y, N or U.")
        group = self.groups[open_[0]]
        group.answer_with(key)
        rest = self.flag_screen.unanswered()
        target = self.groups[rest[0]] if rest else self.wizard.next_button
        target.setFocus(Qt.TabFocusReason)
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            self.ensureWidgetVisible(focused)
        return None


class ExaminationPage(Page):
    title = "Examination"
    key = "examination"
    prefixes = ("examination",)

    def __init__(self, wizard):
        super().__init__(wizard)
        f = self.form
        tension = {r: _label(r).replace("Not tested", "Not tested") for r in NERVE_TENSION_RESULTS}
        self.slr = f.add("&Straight leg raise:", combo("Straight leg raise", tension, "not_tested"), "examination.slr")
        self.slr_angle = f.add("SLR &angle (degrees):", spin("Straight leg raise angle in degrees", 0, 90, what="SLR angle", unit="degrees"),
                               "examination.slr_angle_deg")
        self.crossed = f.add("&Crossed SLR:", combo("Crossed straight leg raise", tension, "not_tested"),
                             "examination.crossed_slr")
        self.femoral = f.add("Femo&ral stretch:", combo("Femoral stretch test", tension, "not_tested"),
                             "examination.femoral_stretch")
        self.body.addLayout(f)
        power_box = QGroupBox("Power (MRC 0-5; leave at 'Not recorded' when not tested)")
        pform = FieldForm(power_box)
        self.power = {}
        for key, label in MUSCLE_GROUPS.items():
            self.power[key] = pform.add(label + ":", spin(f"{label} power, MRC 0 to 5", 0, 5), f"examination.power.{key}")
            self.power[key].hint = MRC_HINT
            f.errors.update(pform.errors)
            f.inputs.update(pform.inputs)
        self.body.addWidget(power_box)
        reflex_box = QGroupBox("Reflexes")
        rform = FieldForm(reflex_box)
        self.reflexes = {}
        for key, label in REFLEXES.items():
            self.reflexes[key] = rform.add(label + ":", combo(label, {r: _label(r) for r in REFLEX_RESULTS},
                                                              "not_tested"), f"examination.reflexes.{key}")
        # Sensation and upper motor neurone signs (an extensor plantar or clonus is not radiculopathy).
        self.sensation = rform.add("Sensation in the leg:", combo("Sensation in the leg", {
            r: _label(r) for r in SENSORY_RESULTS}, "not_tested"), "examination.sensation")
        self.plantar = rform.add("Plantar response:", combo("Plantar response (extensor is the Babinski sign)", {
            r: _label(r) for r in PLANTAR_RESULTS}, "not_tested"), "examination.plantar")
        self.clonus = rform.add("Ankle clonus:", combo("Ankle clonus", {
            r: _label(r) for r in CLONUS_RESULTS}, "not_tested"), "examination.clonus")
        f.errors.update(rform.errors)
        f.inputs.update(rform.inputs)
        self.body.addWidget(reflex_box)
        self.body.addStretch(1)

    def data(self) -> dict:
        exam = {"slr": self.slr.currentData(), "slr_angle_deg": spin_value(self.slr_angle),
                "crossed_slr": self.crossed.currentData(), "femoral_stretch": self.femoral.currentData(),
                "power": {k: spin_value(b) for k, b in self.power.items() if spin_value(b) is not None},
                "reflexes": {k: b.currentData() for k, b in self.reflexes.items() if b.currentData() != "not_tested"},
                "sensation": self.sensation.currentData(), "plantar": self.plantar.currentData(),
                "clonus": self.clonus.currentData()}
        return {"examination": {k: v for k, v in exam.items() if v not in (None, {}, "not_tested")
                                or k in ("slr", "crossed_slr", "femoral_stretch")}}

    def load(self, data: dict) -> None:
        exam = data.get("examination") or {}
        set_combo(self.slr, exam.get("slr", "not_tested"))
        set_spin(self.slr_angle, exam.get("slr_angle_deg"))
        set_combo(self.crossed, exam.get("crossed_slr", "not_tested"))
        set_combo(self.femoral, exam.get("femoral_stretch", "not_tested"))
        for k, b in self.power.items():
            set_spin(b, (exam.get("power") or {}).get(k))
        for k, b in self.reflexes.items():
            set_combo(b, (exam.get("reflexes") or {}).get(k, "not_tested"))
        for key in ("sensation", "plantar", "clonus"):
            set_combo(getattr(self, key), exam.get(key, "not_tested"))

    def first_input(self):
        return self.slr


class ScoresPage(Page):
    title = "Scores"
    key = "scores"
    prefixes = ("pain", "function", "start_back")

    def __init__(self, wizard):
        super().__init__(wizard)
        f = self.form
        self.leg = f.add("&Leg pain, worst in last week (0-10, required):", spin("Leg pain, 0 to 10 (required)", 0, 10),
                         "pain.leg_nrs")
        self.back = f.add("Bac&k pain (0-10, required):", spin("Back pain, 0 to 10 (required)", 0, 10), "pain.back_nrs")
        self.odi = f.add("OD&I (%):", dspin("Oswestry Disability Index, percent", 0, 100, 0, what="ODI", unit="%"), "function.odi_percent")
        self.rmdq = f.add("&RMDQ (0-24):", spin("Roland-Morris Disability Questionnaire, 0 to 24", 0, 24, what="RMDQ"), "function.rmdq")
        self.body.addLayout(f)
        self.start_back = StartBackEntry("start_back")
        f.errors.update(self.start_back.errors)
        f.inputs.update(self.start_back.inputs)
        self.sb_total, self.sb_distress = self.start_back.total, self.start_back.distress
        self.body.addWidget(self.start_back)
        self.body.addStretch(1)

    def data(self) -> dict:
        out: dict[str, Any] = {"pain": {k: v for k, v in (("leg_nrs", spin_value(self.leg)),
                                                         ("back_nrs", spin_value(self.back))) if v is not None}}
        function = {k: v for k, v in (("odi_percent", dspin_value(self.odi)), ("rmdq", spin_value(self.rmdq)))
                    if v is not None}
        if function:
            out["function"] = function
        sb = self.start_back.data()
        if sb:
            out["start_back"] = sb
        return out

    def load(self, data: dict) -> None:
        pain = data.get("pain") or {}
        set_spin(self.leg, pain.get("leg_nrs"))
        set_spin(self.back, pain.get("back_nrs"))
        function = data.get("function") or {}
        set_spin(self.odi, function.get("odi_percent"))  # absent: cleared (gp16 F1, the baseline ODI)
        set_spin(self.rmdq, function.get("rmdq"))
        self.start_back.load(data.get("start_back"))

    def extra_errors(self):
        out = []
        if spin_value(self.leg) is None:
            out.append(FieldError("pain.leg_nrs", "Enter the leg pain score (0-10)"))
        if spin_value(self.back) is None:
            out.append(FieldError("pain.back_nrs", "Enter the back pain score (0-10)"))
        return out + self.start_back.extra_errors()

    def first_input(self):
        return self.leg


YES_NO = {"": "Not recorded", "yes": "Yes", "no": "No"}


#: Conditions with a keyboard shortcut of their own (Alt+letter), where it is unique on the page.
CONDITION_MNEMONICS = {"falls_history": "Histor&y of falls or fractures"}


class _MedicineTable(QTableWidget):
    """The intake's medicine table: Tab from the last cell while typing leaves the table (to
    "Add medicine"), Shift+Tab from the first cell goes back before it. Qt's editor moves on to
    the next cell and wraps to the first row, opening row 1's name with its text selected, so
    the next medicine typed replaced the first (gp17 F2: ibuprofen became "naproxen 1200")."""

    def closeEditor(self, editor, hint):  # noqa: N802 (Qt API)
        from PySide6.QtWidgets import QAbstractItemDelegate

        index = self.currentIndex()
        last = index.row() == self.rowCount() - 1 and index.column() == self.columnCount() - 1
        first = index.row() == 0 and index.column() == 0
        forward = hint == QAbstractItemDelegate.EndEditHint.EditNextItem
        backward = hint == QAbstractItemDelegate.EndEditHint.EditPreviousItem
        if (forward and last) or (backward and first):
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)  # the text is already committed
            self.focusNextPrevChild(forward)  # out of the table, in the step's Tab order
            return
        super().closeEditor(editor, hint)


#: How long after the last key typed in a medicine cell (or in another field of the step) the
#: step checks the medicines again (intakemed, H-UI-467). Measured: the check takes 1-2 ms for a
#: few medicines and 10-15 ms for 10 to 30 (a MedicineMemo per step; a new unknown spelling's
#: "did you mean" about 30 ms), so this only spares checking a word half typed. A cell
#: committed (Tab, Return) is checked at once.
MEDICINE_CHECK_TYPING_MS = 250


class _LiveCellDelegate(QStyledItemDelegate):
    """The medicine table's cell editor, reporting each key typed to the step (``typed(row,
    column, text)``) and the editor closing (``typed_done()``), so its check follows the typing,
    not only the committed cell."""

    def __init__(self, page):
        super().__init__(page.meds)
        self.page = page

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt API)
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            row, column = index.row(), index.column()
            editor.textEdited.connect(lambda text: self.page.medicine_typed(row, column, text))
        return editor

    def destroyEditor(self, editor, index):  # noqa: N802 (Qt API)
        self.page.medicine_typed_done()
        super().destroyEditor(editor, index)


def medicine_table(owner: QWidget, tip: str, rows: int) -> _MedicineTable:
    """The intake's medicine table (the medicines step's and Edit medicines'): generic name and
    daily dose, the unit in the column's own name (H-UI-442: milligrams a day, never grams), ``tip``
    on the dose's header, ``rows`` lines of ``owner``'s font high at least."""
    table = _MedicineTable(0, 2)
    table.setAccessibleName("Current medicines: generic name and daily dose in milligrams a day")
    table.setHorizontalHeaderLabels(["Generic name", "Daily dose (mg a day)"])
    table.horizontalHeaderItem(1).setToolTip(tip)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
    table.setTabKeyNavigation(False)
    table.setMinimumHeight(owner.fontMetrics().height() * rows)
    return table


def medicine_lines_label(name: str, selectable: bool = False) -> QLabel:
    """A label for the medicine check's lines as typed, under the table (the step's and Edit
    medicines'): word-wrapped, hidden until it has lines, and plain text: a name typed with "<" in
    it ("ibuprofen <s>") is shown as typed, never read as markup that hid it or struck the line
    through (dialogbase, H-UI-525; Edit conditions' lines were plain already)."""
    from radiculopathy_desktop.ui.correction_dialog import plain_label
    label = plain_label(name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    label.setVisible(False)
    return label


def medicine_buttons(add, remove) -> tuple[QHBoxLayout, QPushButton, QPushButton]:
    """"Add medicine" (Alt+M) and "Remove medicine" (Alt+V) under the table, calling ``add`` and
    ``remove``: their row, and the two buttons."""
    row = QHBoxLayout()
    add_button = QPushButton("Add &medicine")
    add_button.setAccessibleName("Add medicine row")
    remove_button = QPushButton("Remo&ve medicine")
    remove_button.setAccessibleName("Remove selected medicine row")
    add_button.clicked.connect(lambda: add())
    remove_button.clicked.connect(lambda: remove())
    row.addWidget(add_button)
    row.addWidget(remove_button)
    row.addStretch(1)
    return row, add_button, remove_button


class TypedMedicines:
    """The medicine table's rows as typed, with the text of the cell still being typed in, and its
    check following the typing (the medicines step's and Edit medicines'): the owner has ``meds``
    (:func:`medicine_table`) and ``check_medicines``."""

    def follow_medicine_typing(self) -> None:
        """Each key typed in a cell checked once typing pauses (``_LiveCellDelegate``), every
        typed medicine read once (``MedicineMemo``)."""
        from radiculopathy_desktop.domain.medications import MedicineMemo
        self._typing: tuple[int, int, str] | None = None  # the cell being typed in, and its text
        self.meds_memo = MedicineMemo(limit=512)  # each typed medicine read once (bounded; emptied when full)
        self.meds.setItemDelegate(_LiveCellDelegate(self))
        self.meds_timer = QTimer(self)
        self.meds_timer.setSingleShot(True)
        self.meds_timer.timeout.connect(self.check_medicines)

    def medicine_typed(self, row: int, column: int, text: str) -> None:
        """A key typed in a medicine cell (its editor still open): checked once typing pauses."""
        self._typing = (row, column, text)
        self.meds_timer.start(MEDICINE_CHECK_TYPING_MS)

    def medicine_typed_done(self) -> None:
        """The cell editor closed (committed or Escape): the table's own text is checked again."""
        if self._typing is not None:
            self._typing = None
            self.meds_timer.start(0)

    def append_medicine_row(self, name: str = "", dose=None) -> int:
        """A row at the end of the table holding ``name`` and ``dose`` (mg a day); its number."""
        row = self.meds.rowCount()
        self.meds.insertRow(row)
        self.meds.setItem(row, 0, QTableWidgetItem(name))
        self.meds.setItem(row, 1, QTableWidgetItem("" if dose is None else f"{dose:g}"))
        return row

    def typed_medicines(self) -> list[tuple[str, str]]:
        """(name, dose) of each row as typed, with the text of the cell being edited."""
        rows = []
        for row in range(self.meds.rowCount()):
            cells = [(self.meds.item(row, c).text() if self.meds.item(row, c) else "") for c in (0, 1)]
            if self._typing is not None and self._typing[0] == row and self._typing[1] in (0, 1):
                cells[self._typing[1]] = self._typing[2]
            rows.append((cells[0], cells[1]))
        return rows


class ConditionFields:
    """The intake's conditions fields (the conditions step's and Edit conditions'): the same
    labels, ranges and Alt+letters, the creatinine unit's question beside the unit, the pain type
    and special considerations (``intake_extras.PainTypeAndConsiderations``). The owner has
    ``question_creatinine_unit`` and ``default_creatinine_unit``."""

    def add_condition_fields(self, form: FieldForm, unit: str | None = None) -> None:
        """The conditions, creatinine (``unit`` chosen first), eGFR and alcohol, on ``form``."""
        f = form
        self.flags = {key: f.add(CONDITION_MNEMONICS.get(key, label) + ":", combo(label, YES_NO), f"conditions.{key}")
                      for key, label in BOOLEAN_CONDITIONS.items()}
        self.creat = f.add("Serum &creatinine:", dspin("Serum creatinine value", 0.1, 2200, 2, what="Serum creatinine"),
                           "conditions.serum_creatinine")
        self.creat_unit = f.add("Creatinine &unit:", combo("Creatinine unit", {"mg/dL": "mg/dL", "umol/L": "µmol/L"}))
        # the unit the clinic's laboratories report, first (gp17 F13: "80" under uk read as mg/dL),
        # and a value the unit chosen may misread questioned beside it (domain/lab_units.py)
        if unit is not None:
            set_combo(self.creat_unit, unit)
        self.creat_question = ErrorLabel()
        self.creat_question.setObjectName("creatinineUnitQuestion")
        self.creat_unit.parentWidget().layout().addWidget(self.creat_question, 1)
        self.creat.textChanged.connect(lambda _t: self.question_creatinine_unit())
        self.creat_unit.currentIndexChanged.connect(lambda _i: self.question_creatinine_unit())
        self.egfr = f.add("e&GFR (mL/min/1.73m²):", dspin("eGFR", 0, 200, 0, unit="mL/min/1.73m²"), "conditions.egfr")
        self.alcohol = f.add("&Alcohol:", combo("Alcohol use", {a: _label(a) for a in ALCOHOL_USE}, "unknown"),
                             "conditions.alcohol_use")

    def add_condition_extras(self, form: FieldForm, layout) -> None:
        """The pain type and special considerations (issue 18), their errors and inputs in ``form``'s."""
        from radiculopathy_desktop.ui.intake_extras import PainTypeAndConsiderations
        self.extras = PainTypeAndConsiderations()
        form.errors.update(self.extras.form.errors)
        form.inputs.update(self.extras.form.inputs)
        layout.addWidget(self.extras)

    def load_conditions(self, cond: dict) -> None:
        """The fields from a case file's ``conditions``. Absent: cleared, the unit back to the
        clinic's (gp16 F1: a previous patient's creatinine fed the next patient's CrCl and renal
        dose limits)."""
        for k, b in self.flags.items():
            set_combo(b, "" if cond.get(k) is None else ("yes" if cond[k] else "no"))
        sc = cond.get("serum_creatinine") or {}
        set_spin(self.creat, sc.get("value"))
        set_combo(self.creat_unit, sc.get("unit") or self.default_creatinine_unit())
        self.question_creatinine_unit()
        set_spin(self.egfr, cond.get("egfr"))
        set_combo(self.alcohol, cond.get("alcohol_use", "unknown"))
        self.extras.load(cond)

    def typed_conditions(self) -> dict:
        """The conditions as typed, in the case file's form."""
        cond: dict[str, Any] = {k: b.currentData() == "yes" for k, b in self.flags.items() if b.currentData()}
        creat = dspin_value(self.creat)
        if creat is not None:
            cond["serum_creatinine"] = {"value": creat, "unit": self.creat_unit.currentData()}
        egfr = dspin_value(self.egfr)
        if egfr is not None:
            cond["egfr"] = egfr
        cond["alcohol_use"] = self.alcohol.currentData()
        self.extras.fill(cond)
        return cond


class ConditionsPage(ConditionFields, TypedMedicines, Page):
    title = "Conditions and medicines"
    key = "conditions"
    prefixes = ("conditions", "medicines", "treatments_tried", "would_consider_intervention",
                "prior_lumbar_surgery", "notes", "imaging", "self_management")

    def __init__(self, wizard):
        super().__init__(wizard)
        f = self.form
        self.add_condition_fields(f, unit=self.default_creatinine_unit())
        self.creat.valueChanged.connect(lambda _v: self.question_creatinine_unit())
        self.consider = f.add("Would consider an &intervention:", combo("Would consider an intervention or surgery",
                                                                        {"unknown": "Unknown", "yes": "Yes", "no": "No"}),
                              "would_consider_intervention")
        self.prior = f.add("Prior &lumbar surgery:", combo("Prior lumbar surgery", YES_NO), "prior_lumbar_surgery")
        self.body.addLayout(f)
        self.add_condition_extras(f, self.body)  # issue 18: pain type, special considerations
        from radiculopathy_desktop.ui.care_facts_widgets import ImagingAndAdvice
        self.care_facts = ImagingAndAdvice()  # issue 16: imaging requested, self-management advice
        f.errors.update(self.care_facts.form.errors)
        f.inputs.update(self.care_facts.form.inputs)
        self.body.addWidget(self.care_facts)

        meds = QGroupBox("Current medicines (generic name and total daily dose in mg a day)")
        mlayout = QVBoxLayout(meds)
        # one number per product: for a combination product, the mg of one of its components (G17)
        self.meds = medicine_table(self, rows=7, tip=(
            "Total milligrams (mg) a day, not grams: 4 g of paracetamol a day is 4000. A dose far below any usual "
            "dose is asked about (Check the dose), never converted. For a combination product (co-codamol 30/500), write the strength in the name "
            "and the daily mg of one of its components: 8 tablets of 30/500 is 240 (codeine) or 4000 "
            "(paracetamol). Each component is then checked against its maximum."))
        mlayout.addWidget(self.meds)
        buttons, _add, _remove = medicine_buttons(
            lambda: self.add_medicine(show=True),
            lambda: self.meds.removeRow(self.meds.currentRow()) if self.meds.currentRow() >= 0 else None)
        mlayout.addLayout(buttons)
        self.meds_error = ErrorLabel()
        mlayout.addWidget(self.meds_error)
        # Names the medicine list does not know, with "did you mean" (never replaced for the user).
        self.meds_unknown = medicine_lines_label("Medicines not recognised")
        mlayout.addWidget(self.meds_unknown)
        # The medicine check's verdicts as typed (intakemed, H-UI-467: the Review step's own lines, in
        # its words: domain/medicine_step.py), then how each daily dose is read (G17, cmb17).
        self.meds_combination = medicine_lines_label("How each medicine's daily dose is read", selectable=True)
        mlayout.addWidget(self.meds_combination)
        # what the check could not read yet (an earlier step not finished): said, never assumed
        self.meds_checked_without = medicine_lines_label("What the medicine check could not read yet")
        mlayout.addWidget(self.meds_checked_without)
        self.follow_medicine_typing()
        self.meds.itemChanged.connect(lambda _item: self.medicine_changed())
        f.errors["medicines"] = self.meds_error
        f.inputs["medicines"] = self.meds
        self.body.addWidget(meds)

        tried = QGroupBox("Treatments already tried for this episode")
        grid = QGridLayout(tried)
        from PySide6.QtWidgets import QCheckBox
        self.tried = {}
        for n, (code, label) in enumerate(TREATMENTS.items()):
            box = QCheckBox(label)
            box.setAccessibleName(f"Already tried: {label}")
            grid.addWidget(box, n // 2, n % 2)
            self.tried[code] = box
        self.name_treatments()
        self.body.addWidget(tried)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.fontMetrics().height() * 5)
        nform = FieldForm()
        nform.add("No&tes:", self.notes, "notes")
        f.errors.update(nform.errors)
        f.inputs.update(nform.inputs)
        self.body.addLayout(nform)
        self.body.addStretch(1)

    def entered(self) -> None:
        self.name_treatments()  # the clinic's profile may have changed in Settings since
        self.check_medicines()  # and the patient's age, pregnancy... on the earlier steps
        super().entered()

    def name_treatments(self) -> None:
        """The treatments' labels in the clinic profile's medicine names (uk: "Paracetamol", not
        "Acetaminophen (paracetamol)": gp17 F13), by the medicine data's one naming rule."""
        from radiculopathy_desktop.domain.medications import load_medicine_data
        try:
            names = load_medicine_data().names_for(self.wizard.context.profile())
        except Exception:  # the store's error shows elsewhere; the data's names, as before
            names = None
        for code, box in self.tried.items():
            label = TREATMENTS[code]
            label = (names.text(label) if names else label) or label
            box.setText(label)
            box.setAccessibleName(f"Already tried: {label}")

    def default_creatinine_unit(self) -> str:
        """The unit the clinic's laboratories report creatinine in (its country, else its profile's)."""
        from radiculopathy_desktop.domain.lab_units import default_creatinine_unit
        try:
            clinic = self.wizard.context.clinic()
        except Exception:  # the store's error shows elsewhere; the first unit, as before
            return CREATININE_UNITS[0]
        return default_creatinine_unit(clinic.country, clinic.profile)

    def question_creatinine_unit(self) -> str | None:
        """Beside the unit: a typed creatinine the unit chosen cannot hold, or may misread."""
        from radiculopathy_desktop.domain.lab_units import creatinine_unit_question
        try:
            value = dspin_value(self.creat)
        except (TypeError, ValueError):
            value = None
        question = creatinine_unit_question(value, self.creat_unit.currentData())
        shown = self.creat_question.isVisibleTo(self)
        self.creat_question.show_message(question)
        if question and not shown and self.isVisible():  # in sight when it first shows (once laid out)
            QTimer.singleShot(0, self, lambda: self.creat_question.isVisible()
                              and self.ensureWidgetVisible(self.creat_question, 0, 4))
        return question

    def medicine_changed(self) -> None:
        """A cell committed: checked at once; while the form is filled from code (a draft's rows),
        once when it is filled."""
        if getattr(self.wizard, "_loading", False) or not getattr(self.wizard, "ready", False):
            self.schedule_medicine_check()
        else:
            self.check_medicines()

    def schedule_medicine_check(self, ms: int = 0) -> None:
        """Check the medicines ``ms`` after now (restarted by each edit: many edits at once, as
        a draft's rows filled in, are checked once)."""
        self.meds_timer.start(ms)

    def check_medicines(self):
        """Show the medicine check's verdicts for the medicines as typed: the same lines, in the same
        words, as the Review step (domain/medicine_step.medicine_step_feedback: its alerts, its
        "Check the dose" notes and its "Not recognised" line), then how each daily dose is read.
        Nothing typed is changed. Returns the feedback (None when there is nothing to check)."""
        from radiculopathy_desktop.domain.medicine_step import medicine_step_feedback

        self.meds_timer.stop()
        rows = self.typed_medicines()
        self.show_dose_problems(rows)
        feedback = None
        if self.wizard.ready and any(name.strip() or dose.strip() for name, dose in rows):
            try:
                feedback = medicine_step_feedback(self.wizard.case_dict(), rows, self.wizard.context.profile(),
                                                  self.wizard.context.today(), self.meds_memo)
            except Exception as exc:  # noqa: BLE001 - never in the way of typing; the Review step checks again
                log.warning("the medicines step could not check the medicines: %s", type(exc).__name__)
                self._show_medicine_lines(self.meds_combination, [
                    "The medicines could not be checked as typed (" + type(exc).__name__ + "): the Review step "
                    "checks them before the case is saved."])
                return None
        self._show_medicine_lines(self.meds_unknown, [line.shown for line in feedback.unrecognised] if feedback else [],
                                  verdict=True)
        lines = [line.shown for line in (*feedback.verdicts, *feedback.readings)] if feedback else []
        if feedback is not None and not feedback.checked:
            lines.insert(0, "The medicines could not be checked yet: the earlier steps are not complete; the Review "
                            "step checks them.")
        self._show_medicine_lines(self.meds_combination, lines, verdict=bool(feedback and feedback.verdicts))
        without = []
        if feedback is not None and feedback.checked_without:
            from radiculopathy_desktop.ui.forms import _plain  # field paths are for programs (gp20 F8)
            left = feedback.checked_without
            steps = list(dict.fromkeys(p.title for err in left for p in self.wizard.pages if p.owns(err.field)))
            said = "; ".join(_plain(err.message, err.field) for err in left[:3])
            more = f"; and {len(left) - 3} more" if len(left) > 3 else ""
            without = [f"Checked without what the step{'s' if len(steps) > 1 else ''} {', '.join(steps) or 'before'} "
                       f"do{'' if len(steps) > 1 else 'es'} not hold yet ({said}{more}): the Review step checks the "
                       "whole intake."]
        self._show_medicine_lines(self.meds_checked_without, without)
        return feedback

    def show_dose_problems(self, rows: list[tuple[str, str]]) -> None:
        """A daily dose of 0, below 0 or below the floor, said beside the table as it is typed (when
        typing pauses, and when the cell is left), naming the medicine; what was typed is kept
        (window31: said only at Next, without the medicine's name). Cleared once corrected; an
        error Next put there stays until the next Next."""
        said = []
        for row, (name, dose_text) in enumerate(rows):
            dose = typed_daily_dose(dose_text)
            floor = typed_dose_floor_problem(name, row, dose.value) if not dose.problem else None
            if floor:
                said.append(f"Row {row + 1}: {floor}.")
        text = " ".join(said)
        if text:
            self.meds_error.show_message(text)
            self._dose_error_shown = text
        elif getattr(self, "_dose_error_shown", None) and self.meds_error.text()[2:] == self._dose_error_shown:
            self.meds_error.show_message(None)
            self._dose_error_shown = None

    def _show_medicine_lines(self, label: QLabel, lines: list[str], verdict: bool = False) -> None:
        """``lines`` in ``label`` (hidden when none); ``verdict``: a line to act on is among them,
        shown as the Review step's banner is (colour and words), and brought into view when new
        (on a small screen the lines fell below the fold while the table was typed in)."""
        text = "\n".join(lines)
        changed = label.text() != text
        if changed:
            label.setText(text)
        label.setVisible(bool(lines))
        if bool(label.property("verdict")) != verdict:
            label.setProperty("verdict", verdict)
            label.setStyleSheet(style.banner_css("warning") + " QLabel { padding: 4px; }" if verdict else "")
        if changed and lines and self.isVisible():
            QTimer.singleShot(0, self, lambda: label.isVisible() and self._bring_into_view(label))

    def _bring_into_view(self, label: QLabel) -> None:
        """Scroll the step so the first lines of ``label`` are in view (never its whole height: the
        row being typed above it stays in view too)."""
        top = label.mapTo(self.widget(), label.rect().topLeft())
        # five lines' height, whatever the label's own (it may not be laid out for its new text yet)
        self.ensureVisible(top.x(), top.y() + label.fontMetrics().height() * 5 + 8, 0, 4)

    def add_medicine(self, name: str = "", dose=None, show: bool = False) -> None:
        """A row at the end, its name cell current with the focus. ``show`` (Add medicine, Alt+M):
        the new row is scrolled into view, in the table and on the page (gp17 F10: the row was
        added below the conditions, out of sight, and the clinician typed blind)."""
        row = self.append_medicine_row(name, dose)
        self.meds.setCurrentCell(row, 0)
        self.meds.setFocus(Qt.OtherFocusReason)
        if show:
            self.show_medicine_row(row)
            QTimer.singleShot(0, self, lambda: self.show_medicine_row(row))  # again once the layout has settled

    def show_medicine_row(self, row: int) -> None:
        """Scroll the table to ``row``'s name cell and the page to where that cell is."""
        item = self.meds.item(row, 0)
        if item is None:
            return
        self.meds.scrollToItem(item)
        cell = self.meds.visualItemRect(item)
        body = self.widget()
        top = self.meds.viewport().mapTo(body, cell.topLeft())
        bottom = self.meds.viewport().mapTo(body, cell.bottomLeft())
        margin = self.fontMetrics().height() * 2
        self.ensureVisible(bottom.x(), bottom.y(), 0, margin)
        self.ensureVisible(top.x(), top.y(), 0, margin)

    def medicines(self) -> tuple[list, list[FieldError]]:
        out, problems = [], []
        for row in range(self.meds.rowCount()):
            name = (self.meds.item(row, 0).text() if self.meds.item(row, 0) else "").strip()
            dose_text = (self.meds.item(row, 1).text() if self.meds.item(row, 1) else "").strip()
            if not name and not dose_text:
                continue
            item: dict[str, Any] = {"name": name}
            dose = typed_daily_dose(dose_text)  # as the step's check reads it (domain/medicine_step.py)
            floor = typed_dose_floor_problem(name, row, dose.value)
            if dose.problem:
                problems.append(FieldError(f"medicines[{row}]", f"Row {row + 1}: {dose.problem}"))
            elif floor:  # the medicine named (window31), as the step says it while typed (dose_problems)
                problems.append(FieldError(f"medicines[{row}].daily_dose_mg", f"Row {row + 1}: {floor}."))
                item["daily_dose_mg"] = dose.value  # (parse_case refuses it too: one error per field is said)
            elif dose.value is not None:
                item["daily_dose_mg"] = dose.value
            out.append(item)
        return out, problems

    def data(self) -> dict:
        cond = self.typed_conditions()
        meds, _ = self.medicines()
        out = {"conditions": cond, "medicines": meds,
               "treatments_tried": [{"code": c} for c, b in self.tried.items() if b.isChecked()],
               "would_consider_intervention": self.consider.currentData(),
               "notes": self.notes.toPlainText().strip() or None}
        if self.prior.currentData():
            out["prior_lumbar_surgery"] = self.prior.currentData() == "yes"
        self.care_facts.fill(out)
        return out

    def load(self, data: dict) -> None:
        self.load_conditions(data.get("conditions") or {})
        self.meds.setRowCount(0)
        for m in data.get("medicines") or ():
            self.add_medicine(m.get("name", ""), m.get("daily_dose_mg"))
        self.name_treatments()
        codes = {t["code"] if isinstance(t, dict) else t for t in data.get("treatments_tried") or ()}
        for c, b in self.tried.items():
            b.setChecked(c in codes)
        set_combo(self.consider, data.get("would_consider_intervention", "unknown"))
        prior = data.get("prior_lumbar_surgery")
        set_combo(self.prior, "" if prior is None else ("yes" if prior else "no"))
        self.notes.setPlainText(data.get("notes") or "")
        self.care_facts.load(data)

    def extra_errors(self):
        return self.medicines()[1]

    def first_input(self):
        return next(iter(self.flags.values()))


class ReviewPage(Page):
    title = "Review and save"
    key = "review"
    prefixes = ()

    def __init__(self, wizard):
        super().__init__(wizard)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.RichText)
        self.body.addWidget(self.summary)
        # what the case page shows after Save, shown before it (gp16 F2)
        self.medicine_alerts = MedicineAlertBanner()
        self.body.addWidget(self.medicine_alerts)
        self.browser = AssessmentBrowser(name="Assessment of this intake")
        self.browser.setMinimumHeight(self.fontMetrics().height() * 20)
        self.body.addWidget(self.browser, 1)

    def show_case(self, case) -> None:
        from radiculopathy_desktop.domain.triage import load_rules, triage_intake
        from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS
        p = case.patient
        pregnancy = self.wizard.page("patient").pregnancy_words()
        # the cauda equina questions answered Unknown, listed where the intake is checked (gp14 G19)
        unknown = IntakeWizard.unknown_emergency_questions(triage_intake(case.intake), case.intake.red_flags)
        self.unknown = unknown
        ask = (f"<p><b>⚠ {e(load_rules().ask_now_lead)}.</b> Answered Unknown, ask now: "
               + "; ".join(e(RED_FLAG_QUESTIONS.get(q, q)) for q in unknown)
               + ". Record the answers on the Red flags step (step 3: Alt+B goes back a step); if any is yes, this is an "
               "emergency.</p>") if unknown else ""
        self.summary.setText(f"<h3>{e(p.name or p.id)}</h3>"
                             + (f"<p><b>Pregnancy:</b> {e(pregnancy)}</p>" if pregnancy else "") + ask
                             + f"Case {e(case.case_id)}. Check the assessment, then press <b>Save case</b>.")
        try:
            from radiculopathy_desktop.domain.assess import assess_case
            w = self.wizard
            a = assess_case(case, case.intake.visit_date, profile=w.context.profile(),
                            settings=w.context.review_settings())
            self.wizard.assessment = a
            shown = a.to_dict()
            self.medicine_alerts.show_alerts(shown.get("medicine_alerts") or [],
                                             (shown.get("medications") or {}).get("unrecognised_detail") or [])
            self.browser.show_assessment(shown, case)
        except Exception as exc:
            self.wizard.assessment = None
            self.medicine_alerts.show_alerts([])
            self.browser.show_problem(f"The assessment could not be made ({type(exc).__name__}: {exc}). "
                                      "The case can still be saved.")

    def first_input(self):
        return self.browser


PAGES = (PatientPage, SymptomsPage, RedFlagPage, ExaminationPage, ScoresPage, ConditionsPage, ReviewPage)


def _when(moment: dt.datetime) -> str:
    """'21 Nov 2026 14:05' in local time (month names fixed, whatever the system locale)."""
    local = moment.astimezone() if moment.tzinfo else moment
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H:%M}"


#: The type each part of a draft's form data must have when present (a draft is the
#: wizard's own ``case_dict()``; anything else is a damaged or hand-edited file).
DRAFT_TYPES = {"patient": dict, "red_flags": dict, "examination": dict, "pain": dict, "function": dict,
               "conditions": dict, "start_back": dict, "regions": list, "medicines": list,
               "treatments_tried": list, "onset_date": str, "visit_date": str, "care_start_date": str,
               "clinician": str, "side": str, "notes": str}
_TYPE_WORDS = {dict: "a group of fields", list: "a list", str: "text"}


def draft_problem(draft) -> str | None:
    """Why a stored intake draft cannot be reopened, in words, or None."""
    if not isinstance(draft, dict):
        return "it is not a saved form"
    page = draft.get("page", 0)
    if isinstance(page, bool) or not isinstance(page, int) or not 0 <= page < len(PAGES):
        return f"its step {json.dumps(page, ensure_ascii=False)[:40]} is not one of steps 0-{len(PAGES) - 1}"
    data = draft.get("data", {})
    if not isinstance(data, dict):
        return "its fields are not a form's fields"
    for key, kind in DRAFT_TYPES.items():
        if data.get(key) is not None and not isinstance(data[key], kind):
            return f"its {key.replace('_', ' ')} is not {_TYPE_WORDS[kind]}"
    form = draft.get("form")
    typed = form.get("typed") if isinstance(form, dict) else None
    if typed is not None and not (isinstance(typed, dict)
                                  and all(isinstance(k, str) and isinstance(v, str) for k, v in typed.items())):
        return "its values typed as text are not text"
    answers = {code for code, _label in ANSWER_OPTIONS}
    odd = sorted(str(k) for k, v in (data.get("red_flags") or {}).items() if v is not None and v not in answers)
    if odd:  # never shown as unasked: an answer the screen cannot show is a damaged draft
        return f"its red-flag answer for {odd[0].replace('_', ' ')} is not yes, no or unknown"
    return None


def draft_alarm(result) -> str | None:
    """The words naming a triage above routine ("EMERGENCY - act now: suspected cauda equina
    syndrome"), as the banner leads with them (and says them to a screen reader), or None for a
    routine tier."""
    from radiculopathy_desktop.domain.vocab import Tier
    if result is None or result.tier == Tier.ROUTINE:
        return None
    return f"{Tier(result.tier).action_label}: {result.headline()}"


def _stored_draft(store: Store, data_dir):
    draft, unreadable = offline_drafts.read(data_dir, DRAFT_KEY)
    draft = draft or store.load_draft(DRAFT_KEY)
    if unreadable or (draft is not None and draft_problem(draft)) or not isinstance(draft, dict):
        return None
    return draft


def _alarm_for(data: dict) -> str | None:
    """:func:`draft_alarm` of intake data, naming the patient when it is an emergency: "EMERGENCY -
    act now: suspected cauda equina syndrome, for Bert Older (patient OLD-1)". The bar and the
    close prompt said the emergency but not whose it was (gp16 F5): a colleague at a shared
    workstation must know whom to call without opening the draft. An ordinary draft's words
    still name no one."""
    from radiculopathy_desktop.domain.characters import visible, visible_id
    from radiculopathy_desktop.domain.triage import triage_draft

    words = draft_alarm(triage_draft(data))
    if words is None:
        return None
    p = data.get("patient") if isinstance(data.get("patient"), dict) else {}
    name = str(p.get("name") or "").strip()
    pid = str(p.get("id") or "").strip()
    who = (f"{visible(name)} (patient {visible_id(pid)})" if name and pid else
           f"patient {visible_id(pid)}" if pid else visible(name))
    return f"{words}, for {who}" if who else words


def pending_draft_alarm(store: Store, data_dir=None) -> str | None:
    """:func:`_alarm_for` the waiting intake draft (the patient named only for an emergency), or
    None. Never raises."""
    try:
        draft = _stored_draft(store, data_dir)
        return None if draft is None else _alarm_for(draft.get("data") or {})
    except Exception as exc:
        log.warning("could not triage the intake draft: %s", getattr(exc, "kind", None) or type(exc).__name__)
        return None


#: How long closing the window waits to read the kept intake draft (sav21 leftover): a read held by
#: another program's write lock would otherwise wait the whole busy timeout with the window frozen.
CLOSE_DRAFT_READ_S = 0.5

#: :func:`pending_draft_alarm_promptly`'s answer when the draft could not be read in time.
NOT_READ_IN_TIME = object()


def pending_draft_alarm_promptly(store: Store, data_dir=None, wait_s: float = CLOSE_DRAFT_READ_S):
    """:func:`pending_draft_alarm`, read on a read-only store of its own (``Store.reader``) in a
    thread the caller waits for at most ``wait_s``: closing the window stays prompt while another
    program holds the write lock (sav21 leftover). Returns the alarm words, None (no draft, or one
    without an emergency), or :data:`NOT_READ_IN_TIME` (the read is interrupted; nothing is
    changed: the draft stays kept wherever it is). Never raises."""
    import threading

    box: dict = {"lock": threading.Lock()}
    done = threading.Event()

    def read() -> None:
        try:
            with store.reader() as reader:
                with box["lock"]:
                    if box.get("late"):
                        return
                    box["reader"] = reader
                try:
                    box["alarm"] = pending_draft_alarm(reader, data_dir)
                finally:
                    with box["lock"]:
                        box.pop("reader", None)
        except Exception as exc:  # noqa: BLE001 - pending_draft_alarm never raises; opening the reader can
            log.info("the intake draft could not be read at close: %s", getattr(exc, "kind", None) or type(exc).__name__)
            box["failed"] = True
        finally:
            done.set()

    thread = threading.Thread(target=read, name="close-draft-read", daemon=True)
    thread.start()
    if done.wait(wait_s):
        thread.join()
        return NOT_READ_IN_TIME if box.get("failed") else box.get("alarm")
    with box["lock"]:
        box["late"] = True
        reader = box.get("reader")
        if reader is not None:
            reader.interrupt()
    log.info("the intake draft was not read at close within %.1f s (the database is busy)", wait_s)
    return NOT_READ_IN_TIME


def pending_draft_summary(store: Store, data_dir=None) -> str | None:
    """A short description of a waiting intake draft, or None when there is none.

    For a start-up prompt: "an unfinished intake from 21 Nov 2026 14:05, step 3 of 7".
    It names no patient (no name, identifier or typed text) unless the draft records an emergency
    (then :func:`_alarm_for` names whose it is). Never raises: a store that
    cannot be read gives None (the failure is logged by type only). A draft kept on this
    computer while the clinic server could not be reached (``data_dir``) comes first.
    """
    try:
        draft, unreadable = offline_drafts.read(data_dir, DRAFT_KEY)
        draft = draft or store.load_draft(DRAFT_KEY)
        if unreadable or (draft is not None and draft_problem(draft)):
            return None  # not offered as an unfinished intake: New intake sets it aside and says where
        if not isinstance(draft, dict):
            return None
        try:
            step = min(max(int(draft.get("page", 0)), 0), len(PAGES) - 1) + 1
        except (TypeError, ValueError):
            step = 1
        moment = None
        try:
            moment = dt.datetime.fromisoformat(str(draft["saved_at"]))
        except (KeyError, TypeError, ValueError):
            # drafts from before autosave carry no time: the store's record of the write (UTC)
            try:
                stamp = dict(store.list_drafts()).get(DRAFT_KEY)
                moment = dt.datetime.fromisoformat(stamp) if stamp else None
            except Exception:
                moment = None
        when = f" from {_when(moment)}" if moment is not None else ""
        alarm = pending_draft_alarm(store, data_dir)  # an emergency in a draft is named wherever it is offered
        holds = draft.get("kept_holds") if draft.get("kept_because") else None
        kept = (f", kept after its answers were carried into a visit, for what did not reach the case ({holds})"
                if isinstance(holds, str) and holds.strip() else "")  # gp18 F6: the bar said nothing of it
        return f"an unfinished intake{when}, step {step} of {len(PAGES)}" + kept + (
            f", that records {alarm} (not saved: it is on no list)" if alarm else "")
    except Exception as exc:
        log.warning("could not read the intake draft: %s", getattr(exc, "kind", None) or type(exc).__name__)
        return None


def show_saved_notice(parent, case_id: str, problems: list[str]) -> QMessageBox:
    """Say, without blocking, that the case was saved although a follow-up step failed."""
    box = QMessageBox(QMessageBox.Warning, "The case was saved",
                      f"The case {case_id} was saved.\n\n" + "\n\n".join(problems), QMessageBox.Ok, parent)
    box.setAccessibleName("The case was saved")
    box.setAttribute(Qt.WA_DeleteOnClose)
    box.setModal(False)
    box.show()
    return box


def ask_start_over(parent) -> bool:
    """True when the user confirms discarding the intake. Tests monkeypatch this."""
    box = QMessageBox(QMessageBox.Warning, "Discard this intake?",
                      "Start over discards everything typed in this intake, and its draft. This cannot be undone.",
                      QMessageBox.Discard | QMessageBox.Cancel, parent)
    box.button(QMessageBox.Discard).setText("&Discard the intake")
    box.setDefaultButton(QMessageBox.Cancel)
    return box.exec() == QMessageBox.Discard


def keep_draft_box(parent, alarm: str | None = None) -> QMessageBox:
    """The keep-or-discard question. "Keep draft" is the default (Return keeps) and Escape stays;
    with ``alarm`` (the intake triages above routine, :func:`draft_alarm`) the question names the
    emergency and discarding it is a button of its own, pressed on purpose (gp14 G2)."""
    if alarm:
        box = QMessageBox(QMessageBox.Warning, "Keep this intake? It records an emergency",
                          f"This unfinished intake records {alarm}.\n\nIt is not saved: the patient is on no list "
                          "yet. Act on it now (what to do is on the red-flag step), and keep the draft so the record "
                          "is not lost. It will reopen at the step where you stopped.",
                          QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, parent)
        box.button(QMessageBox.Save).setText("&Keep draft (recommended)")
        box.button(QMessageBox.Discard).setText("&Discard the emergency intake")
        box.button(QMessageBox.Discard).setAccessibleName("Discard the emergency intake: it cannot be undone")
    else:
        box = QMessageBox(QMessageBox.Question, "Keep this intake as a draft?",
                          "The intake is not finished. Keep it as a draft? It will reopen at the step where you "
                          "stopped.", QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, parent)
        box.button(QMessageBox.Save).setText("&Keep draft")
        box.button(QMessageBox.Discard).setText("&Discard")
    box.setDefaultButton(QMessageBox.Save)
    box.setEscapeButton(QMessageBox.Cancel)
    return box


def ask_keep_draft(parent) -> str:
    """'keep', 'discard' or 'cancel'. The emergency, if any, is the wizard's own (``parent``).
    Tests monkeypatch this."""
    alarm = parent.alarm_words() if hasattr(parent, "alarm_words") else None
    box = keep_draft_box(parent, alarm)
    result = box.exec()
    return {QMessageBox.Save: "keep", QMessageBox.Discard: "discard"}.get(result, "cancel")


def open_cases_differ(found, cases: dict, day: dt.date, profile: str | None) -> list[str]:
    """For each open case in ``found`` that another case of the patient contradicts on pregnancy
    (``domain.episodes.pregnancy_differs``, the one rule; ``cases``: the patient's stored cases by
    ID), its few words ("Case X: PREGNANCY DIFFERS between cases: ..."): the open-case question
    names them (gp18 F1). [] when none, or the cases could not be read."""
    from radiculopathy_desktop.domain.characters import visible_id
    from radiculopathy_desktop.domain.episodes import pregnancy_differs

    out = []
    for o in found:
        case = cases.get(o.case_id)
        if case is None:
            continue
        try:
            d = pregnancy_differs(case, list(cases.values()), day, profile)
        except Exception as exc:  # noqa: BLE001 - the question is asked all the same
            log.warning("pregnancy between cases not assessed: %s", type(exc).__name__)
            continue
        if d is not None:
            out.append(f"Case {visible_id(o.case_id)}: {d.short()}")
    return out


def person_lines(typed, cases, found) -> list[str]:
    """For the open-case question (rt22 F5): when an open case in ``found`` is stored under
    another patient ID than ``typed``'s (one patient key joins them) or its patient's name,
    birth date or sex is not exactly as typed, one line naming both, so the clinician decides
    whether they are one person. ``cases``: the stored cases by ID."""
    from radiculopathy_desktop.domain.characters import visible, visible_id

    def who(p) -> str:
        return ", ".join([visible(p.name) if p.name else "no name",
                          f"born {p.birth_date.isoformat()}" if p.birth_date else "birth date not given",
                          p.sex if p.sex != "unknown" else "sex not given"])

    out, seen = [], set()
    for o in found:
        case = cases.get(o.case_id)
        if case is None or case.patient.id in seen:
            continue
        stored = case.patient
        seen.add(stored.id)
        exact = (stored.id == typed.id and (stored.name or "") == (typed.name or "")
                 and stored.birth_date == typed.birth_date and stored.sex == typed.sex)
        if exact:
            continue
        out.append(f"Stored under {visible_id(stored.id)}: {who(stored)}. Typed now under "
                   f"{visible_id(typed.id)}: {who(typed)}. Check that this is the same person; if not, Cancel "
                   "and correct the patient ID")
    return out


def ask_open_case(parent, patient_id: str, found, answered, differs=(), persons=(), typed_differs=()) -> QMessageBox:
    """Opened (not run), window-modal: the patient already has an open case (gp14 G10).
    ``answered("open" | "new" | "cancel")``; Cancel is the default and Esc. ``differs``: the
    open cases another case contradicts on pregnancy (:func:`open_cases_differ`), named first.
    ``persons``: :func:`person_lines`, the stored and typed person side by side (rt22 F5).
    ``typed_differs``: where the pregnancy answer typed contradicts a stored case of the patient
    (``PregnancyContradiction``), in the Save question's own words (gp20 F12: the first question
    said nothing of it; only Save, six steps later, did)."""
    from radiculopathy_desktop.domain.characters import visible_id

    first = found[0]
    from radiculopathy_desktop.domain.episodes import count_words
    what = "an open case" if len(found) == 1 else f"{count_words(len(found))} open cases"  # as the chooser says
    box = QMessageBox(QMessageBox.Warning, "This patient has an open case", "", QMessageBox.NoButton, parent)
    box.setAccessibleName("This patient has an open case")
    box.setText(f"Patient {visible_id(patient_id)} already has {what}: "
                + "; ".join(o.describe() for o in found) + "."
                + "".join(f"\n{line}." for line in persons)
                + ("".join(f"\n⚠ {line}. Ask her before relying on either case's medicine advice." for line in differs))
                + "".join(f"\n\n⚠ {c.text()}." for c in typed_differs))
    several = len(found) > 1
    from radiculopathy_desktop.domain.episodes import ordinal_words
    box.setInformativeText(
        f"A new intake starts a {ordinal_words(len(found) + 1)} open episode beside {'them' if several else 'it'}, "
        "with its own row on the worklist. "
        + ("Open one of them (you choose which) to add a follow-up visit" if several else
           f"Open case {visible_id(first.case_id)} to add a follow-up visit")
        + ", or start a new episode deliberately (for example a recurrence: it is recorded as such in the audit). "
        "Cancel keeps this intake as typed.")
    open_button = box.addButton("&Open a case (add a visit)…" if several else
                                f"&Open case {visible_id(first.case_id)} (add a visit)", QMessageBox.AcceptRole)
    new_button = box.addButton("Start a &new episode", QMessageBox.DestructiveRole)
    cancel = box.addButton("&Cancel", QMessageBox.RejectRole)
    box.setDefaultButton(cancel)  # the safe answer is the default
    box.setEscapeButton(cancel)

    def clicked(button):
        answered("open" if button is open_button else "new" if button is new_button else "cancel")
    box.buttonClicked.connect(clicked)
    box.setAttribute(Qt.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModal)
    box.open()
    return box


#: What a clinician reads for an intake field the visit did not take (rt18 F1): every field the
#: intake can hold that a case keeps; one not listed is named by its key in words.
CARRY_FIELD_WORDS = {
    ("patient", "name"): "name", ("patient", "birth_date"): "birth date", ("patient", "age_years"): "age",
    ("patient", "sex"): "sex", ("patient", "weight_kg"): "weight", ("patient", "height_cm"): "height",
    ("onset_date",): "onset date", ("care_start_date",): "care start date", ("side",): "side",
    ("regions",): "pain regions", ("examination",): "the examination other than muscle power",
    ("start_back",): "STarT Back", ("function",): "ODI/RMDQ answers", ("conditions",): "conditions",
    ("treatments_tried",): "treatments tried", ("would_consider_intervention",): "would consider intervention",
    ("prior_lumbar_surgery",): "prior lumbar surgery", ("imaging",): "imaging",
    ("self_management",): "self-management advice", ("medicines",): "medicines",
}
_CARRY_IGNORED = {("format_version",), ("case_id",), ("patient", "id"), ("visits",), ("decisions",)}


def _carry_leaves(value, path=()):
    """(path, value) for every answered leaf of an intake part (:func:`_typed_any`); a list is one leaf."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _carry_leaves(v, path + (k,))
    elif _typed_any(value):
        yield path, value


def _same_value(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if all(not isinstance(x, (dict, list)) for x in [*a, *b]):
            return sorted(map(str, a)) == sorted(map(str, b))
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        keys = {k for k, v in a.items() if _typed_any(v)} | {k for k, v in b.items() if _typed_any(v)}
        return all(_same_value(a.get(k), b.get(k)) for k in keys)
    return a == b


def carry_left_behind(data: dict, held: dict, carried: set) -> list[tuple[str, ...]]:
    """The intake fields (paths into :meth:`IntakeWizard.case_dict`) answered on the intake that
    the visit does not take (``carried``) and the open case (``held``, its JSON form) does not
    already hold the same (rt18 F1: conditions, creatinine, a failed NSAID, weight and side were
    discarded with the draft). Compared field by field; an empty list: everything reached the case."""
    left = []
    for path, value in _carry_leaves(data):
        if path in carried or any(path[:n] in _CARRY_IGNORED for n in range(1, len(path) + 1)):
            continue
        if path[:1] == ("red_flags",) and value not in ("yes", "no"):
            continue
        there = held
        for k in path:
            there = there.get(k) if isinstance(there, dict) else None
        if not _same_value(value, there):
            left.append(path)
    return left


def carry_left_words(left, data: dict, held: dict) -> list[str]:
    """Each field left behind (:func:`carry_left_behind`) in words, grouped as the intake's steps
    name them; a side or weight the case records otherwise says both."""
    words: list[str] = []
    for path in left:
        key = path[:2] if path[:1] == ("patient",) else path[:1]
        text = CARRY_FIELD_WORDS.get(key) or " ".join(key[-1].split("_"))
        if key == ("conditions",):
            names = [" ".join(p[1].split("_")) for p in left if p[:1] == ("conditions",) and len(p) > 1]
            text = "conditions (" + ", ".join(dict.fromkeys(names)) + ")"
        if key in (("side",), ("patient", "weight_kg")):
            before = held.get(key[0]) if len(key) == 1 else (held.get("patient") or {}).get(key[1])
            now = data.get(key[0]) if len(key) == 1 else (data.get("patient") or {}).get(key[1])
            unit = " kg" if key == ("patient", "weight_kg") else ""
            text += (f" ({now}{unit}; the case records {before}{unit})" if before is not None
                     else f" ({now}{unit}; the case records none)")
        if text not in words:
            words.append(text)
    return words


def _typed_any(value) -> bool:
    """Whether an intake part holds anything answered ("unknown", "not_tested", empty: nothing)."""
    if isinstance(value, dict):
        return any(_typed_any(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_typed_any(v) for v in value)
    return value not in (None, "", "unknown", "not_tested", False, {}, [])


def open_case_row(o, case, day: dt.date, profile: str | None, others=()) -> str:
    """One open case as the chooser lists it (gp17 F12: two rows read alike): its ID, onset and
    side, intake and care start, the last visit with its leg pain (or the intake's), the status,
    and its pregnancy and medicine alerts on ``day``, so two episodes of one patient can be told
    apart; and, while another of the patient's cases (``others``) contradicts its pregnancy, that
    and the alerts its medicines would carry at the other case's weeks
    (``domain.episodes.pregnancy_differs``; gp18 F1: the row read "not pregnant; medicines: no
    alert" beside a case at 31 weeks). ``case`` None (not read): what the open-case rule gave."""
    from radiculopathy_desktop.domain.characters import visible_id

    started = (f"care started {o.care_start_date.isoformat()}" if o.care_start_date != o.intake_date
               else "care started the same day")
    if case is None:
        return (f"Case {visible_id(o.case_id)}: intake {o.intake_date.isoformat()}, {started}; status {o.status.label}"
                " (details could not be read)")
    intake = case.intake
    side = {"left": "left leg", "right": "right leg", "bilateral": "both legs"}.get(intake.side, intake.side or "")
    last = next((v for v in reversed(case.visits) if v.date <= day), None)
    if last is not None:
        seen = f"last visit {last.date.isoformat()}" + (f", leg pain {last.leg_nrs}/10" if last.leg_nrs is not None
                                                        else ", leg pain not recorded")
    else:
        leg = intake.leg_nrs
        seen = "no visit yet" + (f", leg pain {leg}/10 at the intake" if leg is not None else "")
    parts = [f"Case {visible_id(o.case_id)}: onset {intake.onset_date.isoformat()}, {side}",
             f"intake {o.intake_date.isoformat()}, {started}", seen, f"status {o.status.label}"]
    try:
        status = case.pregnancy_status(day)
        if status.on_date is not None:
            parts.append("PREGNANT " + (f"{status.on_date.weeks} weeks" if not status.on_date.beyond_plausible_end
                                        else "(past 42 weeks: ask)"))
        elif status.answer == "no":
            parts.append("not pregnant")
        from radiculopathy_desktop.domain.worklist_marks import alert_marks
        marks = alert_marks(case, day, profile) if profile else ()
        parts.append("medicine alerts: " + "; ".join(f"{m.label} {m.named()}" for m in marks)
                     if marks else ("medicines: no alert" if intake.medicines else "no medicines recorded"))
        from radiculopathy_desktop.domain.episodes import pregnancy_differs
        differs = pregnancy_differs(case, others, day, profile)
        if differs is not None:
            parts.append(differs.short())
    except Exception as exc:  # noqa: BLE001 - the row keeps what was read
        log.warning("open case details not assessed: %s", type(exc).__name__)
        parts.append("medicine alerts could not be assessed")
    return "; ".join(parts)


class WhichOpenCase(QDialog):
    """Which of the patient's open cases the visit is for (older clinic data can hold several):
    each with what tells it apart (:func:`open_case_row`). Nothing is chosen when it opens
    (gp17 F12: "the newest is chosen" landed a visit on the episode without the pregnancy): the
    clinician picks a row (Up/Down), and Open (Return) with none picked says so and stays.
    Opened (not run), window-modal; ``chosen(case_id)`` on Open, ``chosen(None)`` on Cancel (Esc).
    ``cases``: case ID -> the stored case (missing: its row says only what ``found`` holds)."""

    def __init__(self, parent, patient_id: str, found, chosen, cases=None, day=None, profile=None):
        from radiculopathy_desktop.domain.characters import visible_id
        from radiculopathy_desktop.domain.episodes import count_words
        super().__init__(parent)
        self.found = list(found)
        cases = cases or {}
        day = day or max(o.intake_date for o in self.found)
        self.setWindowTitle("Which open case?")
        self.setAccessibleName("Which open case?")
        layout = QVBoxLayout(self)
        intro = QLabel(f"Patient {visible_id(patient_id)} has {count_words(len(self.found))} open cases. Choose the "
                       "one this follow-up visit belongs to (Up and Down choose; nothing is chosen for you):")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.PlainText)
        layout.addWidget(intro)
        self.intro = intro
        self.list = QListWidget()
        self.list.setAccessibleName("Open cases of the patient, newest first: none chosen")
        self.list.setSelectionMode(QListWidget.SingleSelection)
        for o in self.found:
            others = [c for cid, c in cases.items() if cid != o.case_id]
            item = QListWidgetItem(open_case_row(o, cases.get(o.case_id), day, profile, others))
            item.setData(Qt.UserRole, o.case_id)
            self.list.addItem(item)
        self.list.setCurrentRow(-1)
        self.list.clearSelection()
        # every row readable whole (no sideways scrolling), within the screen
        widest = max(self.list.fontMetrics().horizontalAdvance(self.list.item(i).text())
                     for i in range(self.list.count()))
        screen = (parent.screen() if parent is not None else None) or QApplication.primaryScreen()
        room = screen.availableGeometry().width() * 9 // 10 if screen is not None else 1200
        self.list.setMinimumWidth(min(widest + 4 * self.list.frameWidth() + 24, room))
        self.list.setWordWrap(True)
        self.list.setMinimumHeight(self.list.sizeHintForRow(0) * (min(len(self.found), 8) + 1))
        intro.setBuddy(self.list)
        layout.addWidget(self.list, 1)
        self.error = style.message_label("Choose a case first")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton("&Open this case (add a visit)", QDialogButtonBox.AcceptRole)
        self.cancel_button = buttons.addButton("&Cancel", QDialogButtonBox.RejectRole)
        self.open_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.itemActivated.connect(lambda _item: self.accept())  # Return or a double click on a row
        self.list.itemSelectionChanged.connect(lambda: self.error.hide() if self.case_id() else None)
        self.list.installEventFilter(self)  # the first Down picks the first row, Up the last
        self._chosen = chosen
        self.finished.connect(self._answered)
        self.setAttribute(Qt.WA_DeleteOnClose)
        self.setWindowModality(Qt.WindowModal)
        self.list.setFocus()

    #: Keys the list keeps whatever is picked: moving between rows, and leaving or answering it.
    _MOVES = (Qt.Key_Down, Qt.Key_Up, Qt.Key_Home, Qt.Key_End, Qt.Key_PageDown, Qt.Key_PageUp)
    _PASS = (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Escape, Qt.Key_Tab, Qt.Key_Backtab)

    def eventFilter(self, watched, event):  # noqa: N802
        """Only moving to a row picks it (rt18 F7: "C", the keyboard search matching every row's
        "Case", picked the last row; PageDown the last; Space the resting row 0). With nothing
        picked, Down (or Home) picks the first row and Up (or End) the last, wherever the focus
        rests: the first key never skips a row; PageDown/PageUp, Space, typed letters and Ctrl+A
        pick nothing. Once a row is picked the usual moves move the pick; typed letters and Space
        still do nothing (every row starts alike, so a search would pick by accident)."""
        from PySide6.QtCore import QEvent
        if watched is not self.list or event.type() != QEvent.KeyPress:
            return super().eventFilter(watched, event)
        key, mods = event.key(), event.modifiers() & ~Qt.KeypadModifier
        if key in self._PASS or mods & Qt.AltModifier:
            return super().eventFilter(watched, event)
        if not self.list.selectedItems():
            if key in (Qt.Key_Down, Qt.Key_Up, Qt.Key_Home, Qt.Key_End) and not mods:
                self.list.setCurrentRow(0 if key in (Qt.Key_Down, Qt.Key_Home) else self.list.count() - 1)
            return True  # anything else picks nothing
        if key in self._MOVES and not mods:
            return super().eventFilter(watched, event)
        return True  # letters (keyboard search), Space, Ctrl+Space, Ctrl+A: no pick by accident

    def case_id(self) -> str | None:
        """The case picked (a selected row; the focus resting on a row does not pick it)."""
        items = self.list.selectedItems()
        return items[0].data(Qt.UserRole) if items else None

    def accept(self) -> None:
        if self.case_id() is None:  # nothing picked: never chosen for the clinician (gp17 F12)
            self.error.setText("No case chosen: press Up or Down to choose the case this visit belongs to, then "
                               "Return. Esc goes back to the intake.")
            self.error.show()
            self.list.setFocus()
            return
        super().accept()

    def _answered(self, result: int) -> None:
        """Once: Return on a row both activates it and presses the default button."""
        chosen, self._chosen = self._chosen, None
        if chosen is not None:
            chosen(self.case_id() if result == QDialog.Accepted else None)


def ask_which_open_case(parent, patient_id: str, found, chosen, cases=None, day=None, profile=None) -> WhichOpenCase:
    dialog = WhichOpenCase(parent, patient_id, found, chosen, cases, day, profile)
    dialog.open()
    return dialog


def ask_close_with_alarm(parent, alarm: str) -> bool:
    """The window is closing while a kept intake draft records ``alarm``: True to close (the
    draft stays kept), False to stay. Staying is the default: Return and Escape stay.
    Tests monkeypatch this."""
    box = QMessageBox(QMessageBox.Warning, "An unfinished intake records an emergency",
                      f"The unfinished intake kept as a draft records {alarm}.\n\nIt is not saved: the patient is on "
                      "no list yet. Act on it now. If you close, the draft is kept and reopens with New intake "
                      "(Ctrl+3).", QMessageBox.NoButton, parent)
    close = box.addButton("&Close, keep the draft", QMessageBox.AcceptRole)
    stay = box.addButton("&Stay and open the intake", QMessageBox.RejectRole)
    box.setDefaultButton(stay)
    box.setEscapeButton(stay)
    box.exec()
    return box.clickedButton() is close


class IntakeWizard(QWidget):
    saved = Signal(str)
    #: the clinician chose to open this existing open case (add a visit) instead of a new episode
    open_existing = Signal(str)
    #: (patient ID, ids of the open cases) the clinician chose to start a new episode beside (G10)
    _new_episode: tuple[str, frozenset] | None = None
    open_case_question: QMessageBox | None = None  # the question on screen, if any
    _fixing: int | None = None  # the step whose errors Next showed (they go as they are answered)
    _fixing_left: frozenset = frozenset()  # those of them said only in the step's message (no field)

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.ready = False
        self.assessment = None
        self.notice = None  # the last "saved, but..." notice, if any
        self.dirty = False  # anything typed since the wizard was last empty or reopened
        self._unsaved = False  # edits not yet in the stored draft
        self._has_draft = False  # the form's content is kept as the stored draft
        self._loading = False  # filling the form from code: not an edit
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self._autosave)
        self.setAccessibleName("New intake")
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.RichText)
        layout.addWidget(self.heading)
        self.steps_label = QLabel()
        self.steps_label.setWordWrap(True)
        layout.addWidget(self.steps_label)
        self.stack = QStackedWidget()
        # The one "what to do now" banner (ActionBanner), in a small scroll area of its own (no
        # frame, no bar while it fits) pinned above the questions of the step that holds it: the
        # red-flag step and every later one (gp14 G2). With large text on a small screen it takes
        # at most Page.BANNER_SHARE of the page and the fields keep the rest.
        self.banner = ActionBanner()
        self.banner.setFocusPolicy(Qt.TabFocus)
        self.pinned = QScrollArea()
        self.pinned.setObjectName("pinnedBanner")
        self.pinned.setFrameShape(QFrame.NoFrame)
        self.pinned.setWidgetResizable(True)
        self.pinned.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        holder = QWidget()  # a layout, so the scroll area sizes the word-wrapped banner by its height for width
        holding = QVBoxLayout(holder)
        holding.setContentsMargins(0, 0, 0, 0)
        holding.addWidget(self.banner)
        holding.addStretch(1)  # a room kept taller than the banner (F7) stays empty below it
        self.pinned.setWidget(holder)
        self.pinned.setFocusPolicy(Qt.NoFocus)  # the banner takes the focus, not its frame
        self.triage = None  # the engine's triage of the intake as entered (update_banner)
        self.index = 0
        self.pages = [cls(self) for cls in PAGES]
        self.page_index = {page.key: n for n, page in enumerate(self.pages)}  # pages by name
        for page in self.pages:
            self.stack.addWidget(page)
        layout.addWidget(self.stack, 1)
        self.page_error = ErrorLabel()
        layout.addWidget(self.page_error)
        buttons = QHBoxLayout()
        self.discard_button = QPushButton("Start &over")
        self.discard_button.setAccessibleName("Start over: discard this intake")
        self.back_button = QPushButton("< &Back")
        self.back_button.setAccessibleName("Back to the previous step")
        self.back_button.setToolTip("Back to the previous step (Alt+B or Alt+Left)")
        self.next_button = QPushButton("&Next >")
        self.next_button.setAccessibleName("Next step")
        self.next_button.setToolTip("Next step (Alt+N, Alt+Right or Ctrl+Return)")
        self.save_button = QPushButton("&Save case")
        self.save_button.setAccessibleName("Save case")
        buttons.addWidget(self.discard_button)
        self.draft_status = QLabel()
        self.draft_status.setAccessibleName("Draft status")
        self.draft_status.setWordWrap(True)
        buttons.addWidget(self.draft_status, 1)
        buttons.addStretch(1)
        for b in (self.back_button, self.next_button, self.save_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.start_over)
        # The last red-flag question answered with Y/N/U: on to Next (walk-through ui11: the focus
        # went on to "Start over", where the next Space asked to discard the intake).
        last_question = list(self.page("red_flags").groups.values())[-1]
        last_question.after_answer = self.next_button
        self.page("red_flags").groups["bilateral_leg_symptoms"].group.buttonToggled.connect(
            self.page("symptoms").bilateral_answered)
        shortcuts.bind(self, "intake.next", self.next)
        shortcuts.bind(self, "intake.primary", self._primary)
        self.ready = True
        for page in self.pages:
            page.installEventFilter(self)
            for w in page.findChildren(QWidget):
                sig = next((getattr(w, s) for s in ("textChanged", "valueChanged", "currentIndexChanged", "toggled",
                                                    "dateChanged", "cellChanged") if hasattr(w, s)), None)
                if sig is not None:
                    try:
                        sig.connect(self._mark_dirty)
                    except (RuntimeError, TypeError):
                        pass
        self.page("symptoms").diagram.toggled.connect(self._mark_dirty)
        self.index = 0
        self._go("patient")
        self.restore_draft()
        self.dirty = False

    # -- data
    def _mark_dirty(self, *_args) -> None:
        if self._loading:
            return
        self.dirty = True
        self._unsaved = True
        self.autosave_timer.start()  # restarts: the draft is written AUTOSAVE_MS after the last edit
        self._recheck_shown_errors()
        if self.ready and self.index == self.page_index["conditions"]:
            # kidney function, conditions, notes typed: the verdicts follow once the typing pauses
            self.page("conditions").schedule_medicine_check(MEDICINE_CHECK_TYPING_MS)
        if self.ready and self.index > self.page_index["red_flags"]:
            self.update_banner()  # a grade or a condition typed on a later step can change what to do now

    # -- what to do now: one banner, from the red-flag step to Save
    def update_banner(self) -> None:
        """Show what the engine says of the intake entered so far (``triage.triage_draft``: the
        answers with the examination, conditions, age and leg pain once entered) on the banner
        of the step that holds it. An emergency or urgent tier shows its actions; a routine tier
        resting on cauda equina questions answered Unknown says that cauda equina syndrome has
        not been excluded and which to ask now (gp14 G19). A question not answered yet is not
        "Unknown": the screen is still being filled in, and Next names it."""
        from radiculopathy_desktop.domain.triage import triage_draft
        from radiculopathy_desktop.domain.vocab import Tier
        red = self.page("red_flags") if self.ready else next(p for p in self.pages if isinstance(p, RedFlagPage))
        data = self.case_dict() if self.ready else {"red_flags": red.answers()}
        result = self.triage = triage_draft(data)
        red.tier = result.tier
        answers = data.get("red_flags") or {}
        unknown = self.unknown_emergency_questions(result, answers)
        later = self.ready and self.index > self.page_index["red_flags"]
        lead = "From the red-flag step, not saved yet: " if later else ""
        if result.tier != Tier.ROUTINE:
            self.banner.show_triage(result, "You can finish the intake afterwards; once it is saved the worklist "
                                            "shows this case as Immediate (until then it is on no list).", lead)
        elif unknown:
            self.banner.show_not_excluded(result, unknown, lead)
        else:
            self.banner.show_triage(result)  # routine: hidden
        holder = self.pinned.parentWidget()
        if isinstance(holder, Page):
            holder._place_banner()

    @staticmethod
    def unknown_emergency_questions(result, answers) -> tuple[str, ...]:
        """The cauda equina questions the engine asks now (``ask_now``) that were answered Unknown."""
        return tuple(q for q in result.ask_now if answers.get(q) == "unknown")

    def alarm_words(self) -> str | None:
        """"EMERGENCY - act now: suspected cauda equina syndrome, for Bert Older (patient OLD-1)" when
        the intake as entered triages above routine (the words the banner leads with, and whose), else None."""
        try:
            return _alarm_for(self.case_dict())
        except Exception as exc:  # noqa: BLE001 - the prompt that asks must still be asked
            log.warning("the intake could not be triaged for the prompt: %s", type(exc).__name__)
            return None

    def _pin_banner(self, page: Page) -> None:
        """The banner to ``page`` from the red-flag step on (before it, the red-flag step keeps it, hidden)."""
        red_index = self.page_index["red_flags"]
        holder = page if self.pages.index(page) >= red_index else self.pages[red_index]
        before = self.pinned.parentWidget()
        if before is not holder:
            self.pinned.setParent(holder)
            if isinstance(before, Page):
                before._place_banner()  # gives its room back


    # -- errors shown by Next go as they are answered (a stale "Choose the side" beside a chosen side misleads)
    @staticmethod
    def _error_key(form, field: str) -> str | None:
        if field in form.errors:
            return field
        return next((k for k in form.errors if field.startswith(k + ".") or field.startswith(k + "[")), None)

    def _say_errors(self, errors, left) -> None:
        """The line under the step: how many messages the user sees (gp18 F12: "3 things to fix"
        beside two messages), counted as shown: each field's message beside it (two problems of
        one field are one message there), and each listed in this line (``left``: no field here)."""
        from radiculopathy_desktop.ui.forms import _plain  # field paths are for programs (gp20 F8)
        page = self.pages[self.index]
        beside = sum(1 for label in page.form.errors.values() if not label.isHidden())
        if errors and not beside and not left:
            left = list(errors)  # none could be shown beside a field: each is listed here, never lost
        n = beside + len(left)
        self._fix_words = (f"{n} thing{'s' if n > 1 else ''} to fix on this step before going on"
                           + (" (" + ("shown beside each field" if not left else
                                      f"{beside} shown beside {'its field' if beside == 1 else 'their fields'}")
                              + ")" if beside else "")
                           + (": " + "; ".join(_plain(x.message, x.field) for x in left) if left else "."))
        self.page_error.show_message(self._fix_words)

    _fix_words = ""  # what _say_errors said last (a key said not typed repeats it)

    def _recheck_shown_errors(self) -> None:
        """After Next showed this step's errors: take away those now answered and say how many
        are left. Nothing new is shown while typing (a half-typed date is not an error yet):
        Next checks the whole step again."""
        if self._fixing is None or self._fixing != self.index:
            return
        page = self.pages[self.index]
        try:
            still = self._errors_for(page)
        except Exception:  # noqa: BLE001 - never in the way of typing; Next checks again
            return
        from radiculopathy_desktop.ui.forms import _plain
        shown = {k for k, label in page.form.errors.items() if not label.isHidden()}
        now: dict[str, list[str]] = {}
        for error in still:
            now.setdefault(self._error_key(page.form, error.field), []).append(_plain(error.message, error.field))
        for key in shown:  # answered: gone; still wrong: says what is wrong with the text there now
            page.form.errors[key].show_message("; ".join(now[key]) if key in now else None)
        remaining = [e for e in still if self._error_key(page.form, e.field) in shown]
        left = [e for e in still if self._error_key(page.form, e.field) is None
                and e.field in self._fixing_left]
        if not remaining and not left:
            self.page_error.show_message(None)
            self._fixing = None
        else:
            self._say_errors(remaining + left, left)

    def page(self, name: str) -> Page:
        """The page called ``name`` ("patient", "symptoms", "red_flags", "examination", "scores",
        "conditions", "review")."""
        return self.pages[self.page_index[name]]

    def page_data(self, key: str) -> dict:
        return self.page(key).data() if key == "examination" else {}

    def age(self) -> int | None:
        """The patient's age on the visit date, by the engine's rule (``intake.age_on``)."""
        from radiculopathy_desktop.domain.intake import age_on
        p = self.page("patient")
        return age_on(p.birth.day(), spin_value(p.age), p.visit.day())

    def case_dict(self) -> dict:
        data: dict[str, Any] = {"format_version": 1}
        for page in self.pages:
            data.update(page.data())
        return {k: v for k, v in data.items() if v is not None}

    def _errors_for(self, page: Page) -> list[FieldError]:
        # a number typed out of its range (or not a number) first: it is named as typed
        errors = number_errors(page)
        typed = {e.field for e in errors}  # "7a" is named once, not also as "enter the leg pain score"
        errors += [e for e in page.extra_errors() if e.field not in typed]
        seen = {e.field for e in errors}
        try:
            parse_case(self.case_dict(), new_input=True)
        except ValidationError as exc:
            errors += [err for err in exc.errors if page.owns(err.field) and err.field not in seen]
        return errors

    # -- navigation
    def _go(self, where: int | str) -> None:
        """Show a page, by name (or by its number, as a stored draft keeps it)."""
        index = self.page_index[where] if isinstance(where, str) else where
        self.index = index
        self.stack.setCurrentIndex(index)
        page = self.pages[index]
        self.heading.setText(f"<h2>New intake — step {index + 1} of {len(self.pages)}: {e(page.title)}</h2>")
        self.steps_label.setText(" › ".join((f"<b>{e(p.title)}</b>" if n == index else e(p.title))
                                           for n, p in enumerate(self.pages)))
        self.back_button.setEnabled(index > 0)
        last = index == len(self.pages) - 1
        self.next_button.setVisible(not last)
        self.save_button.setVisible(last)
        self.page_error.show_message(None)
        self._fixing = None
        self._pin_banner(page)
        if self.ready:
            self.update_banner()
        if last:
            try:
                self.page("review").show_case(parse_case(self.case_dict(), new_input=True))
            except ValidationError as exc:  # every page was checked: a clash left on one (the sex changed over
                # a pregnancy "yes", gp17 F14) is said in words first, then the parser's reasons
                clash = self.page("patient").pregnancy_clash_words()
                self.page_error.show_message((f"{clash} " if clash else "") + exc.summary())
        page.entered()

    def _primary(self) -> None:
        (self.save if self.index == len(self.pages) - 1 else self.next)()

    def keyPressEvent(self, event):  # noqa: N802 (Qt API)
        """A typed character no field of the step took (the focus on a tick box, a radio button,
        a push button, the banner) comes here (gp16 F10). On the red-flag step Y, N and U answer the
        first unanswered question wherever the focus is; elsewhere the key is not dropped without a
        word: the line under the step says it was not typed, where the focus is and which step this
        is (a Next refused by an error leaves the clinician on the step they thought they had left)."""
        text = event.text()
        plain = not event.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier)
        if not plain or not text or not text.isprintable() or text.isspace():
            super().keyPressEvent(event)
            return
        page = self.pages[self.index]
        said = None
        if isinstance(page, RedFlagPage):
            said = page.answer_key(event.key())
            if said is None:
                event.accept()
                return
            if said == "not an answer key":
                said = f"“{text}” answers nothing here: the keys are Y yes, N no, U unknown."
        if said is None:
            focus = QApplication.focusWidget()
            if _takes_typing(focus):
                # The key reached a field: a table opens its cell editor with the first letter and
                # passes the letter to it, then lets the key go on up here (gp17 F10: "“i” was not
                # typed" under "ibuprofen", typed in full). Not a lost key: nothing to say.
                event.accept()
                return
            where = (focus.accessibleName() or getattr(focus, "text", lambda: "")() or "").replace("&", "") \
                if focus is not None else ""
            said = (f"“{text}” was not typed: the focus is on {('“' + where + '”') if where else 'no field'}, "
                    "which takes no typing.")
        said += f" This is step {self.index + 1} of {len(self.pages)}: {page.title}."
        if self._fixing == self.index and self._fix_words:
            said += " " + self._fix_words
        self.page_error.show_message(said)
        event.accept()

    def next(self) -> None:
        if self.index >= len(self.pages) - 1:
            return
        page = self.pages[self.index]
        page.form.clear_errors()
        errors = self._errors_for(page)
        if errors:
            left = page.show_errors(errors)
            self._say_errors(errors, left)
            self._fixing, self._fixing_left = self.index, {e.field for e in left}
            return
        if self.index == self.page_index["patient"] and not self._capitals_said():
            return
        if self.index == self.page_index["patient"] and not self._identity_at_patient_step():
            self._keep_draft_quietly()
            return  # another person's ID: refused now, before any question offers that person's case (gp20 F1)
        if self.index == self.page_index["patient"] and not self._episode_at_patient_step():
            self._keep_draft_quietly()
            return  # asked now, not after six more steps (gp19 F12); Save still asks
        if self.index == self.page_index["patient"] and not self._open_cases_settled(
                lambda: self._go(self.index + 1), at_save=False):
            self._keep_draft_quietly()
            return
        self._keep_draft_quietly()
        self._go(self.index + 1)

    # -- one patient ID, one person (domain.identity): refused at Next as Save refuses it (gp20 F1)
    _INTAKE_PROBE = " (this intake) "  # no case ID has spaces at its ends: every stored case is "another case"

    def _identity_at_patient_step(self) -> bool:
        """True unless the typed patient ID already belongs to a different person (a name, birth
        date or sex that differs from the stored patient's; unknown is no difference): the rule
        Save refuses by (``store.patient_conflicts``). gp20 F1: typing Gina Grey under Gordon
        Green's stored ID got the open-case question offering "Open case" on HIS case, without a
        word that the person differs; her leg pain was saved into his case as his baseline. The
        question is never reached for another person's ID: the clinician corrects the ID (or the
        details); everything typed is kept."""
        from types import SimpleNamespace

        patient_id = self.page("patient").pid.text().strip()
        if not patient_id:
            return True
        probe = SimpleNamespace(case_id=self._INTAKE_PROBE, patient=self._typed_patient(patient_id))
        try:
            conflicts = self.context.store.patient_conflicts([probe])
        except Exception as exc:  # noqa: BLE001 - Save checks again, in the store, before writing
            log.warning("patient identity could not be read: %s", getattr(exc, "kind", None) or type(exc).__name__)
            return True
        if not conflicts:
            return True
        prefix = f"case {self._INTAKE_PROBE}: "
        said = "; ".join(c[len(prefix):] if c.startswith(prefix) else c for c in conflicts)
        message = (f"This patient ID already belongs to someone else ({said}). Correct the patient ID (or the "
                   "details): this intake must not go into another person's case.")
        page = self.page("patient")
        page.show_errors([FieldError("patient.id", message)])
        self.page_error.show_message(message)
        page.pid.setFocus(Qt.OtherFocusReason)
        return False

    # -- a patient ID differing from a stored one only in capitals (rt16 F2): said once, at Next
    _capitals_warned: str | None = None

    def _capitals_said(self) -> bool:
        """False (staying on the patient step, the ID focused) the first time Next is pressed
        with a new patient ID that differs from a stored patient's only in capitals: patient IDs
        are kept as typed, so this would be a second patient in the list (though one patient for
        the open-case rule). Next again goes on with the ID as typed."""
        from radiculopathy_desktop.domain.episodes import patient_id_variants_warning

        patient_id = self.page("patient").pid.text().strip()
        if not patient_id or self._capitals_warned == patient_id:
            return True
        try:
            stored_patients, _cases = self.context.store.stored_ids()
        except Exception as exc:  # not read: nothing said (the open-case rule is the store's own)
            log.warning("stored ids could not be read: %s", getattr(exc, "kind", None) or type(exc).__name__)
            return True
        text = patient_id_variants_warning(patient_id, stored_patients)
        if not text:
            return True
        self._capitals_warned = patient_id
        text = text[len("warning: "):]
        self.page_error.show_message(text[:1].upper() + text[1:] + ". Press Next again to go on with the ID as typed.")
        self.page("patient").pid.setFocus(Qt.OtherFocusReason)
        return False

    # -- one open case per patient (gp14 G10): asked before the intake goes on, and again at Save
    def _open_cases_settled(self, go_on, at_save: bool, found=None) -> bool:
        """True when nothing stands in the way: the patient has no open case, or the clinician
        already chose a new episode beside exactly those open cases. Otherwise the question is
        opened and False returned; ``go_on`` runs if a new episode is chosen."""
        patient_id = self.page("patient").pid.text().strip()
        if found is None:
            if not patient_id:
                return True
            try:  # the patient as typed: a new ID is asked only about its own person's cases (dup19)
                found = self.context.store.open_cases(patient_id, self.context.today(),
                                                      patient=self._typed_patient(patient_id))
            except Exception as exc:  # the save checks again in the store, in its transaction
                log.warning("open cases could not be read: %s", getattr(exc, "kind", None) or type(exc).__name__)
                return True
        if not found:
            return True
        ids = frozenset(o.case_id for o in found)
        if self._new_episode == (patient_id, ids):
            return True
        if self.open_case_question is not None:
            return False

        def answered(choice: str) -> None:
            self.open_case_question = None
            if choice == "new":
                self._new_episode = (patient_id, ids)
                self.page_error.show_message(None)
                go_on()
            elif choice == "open" and len(found) > 1:  # several (older data): which one, the clinician chooses
                self.open_case_question = ask_which_open_case(self, patient_id, found, chosen,
                                                              self._open_cases_read(patient_id),
                                                              self.context.today(), self._profile())
            elif choice == "open":
                chosen(found[0].case_id)
            else:
                if at_save:
                    self._go("patient")
                    if self._unsaved:
                        self.autosave_timer.start()
                several = len(found) > 1
                self.page_error.show_message(
                    f"Not {'saved' if at_save else 'started'}: patient {patient_id} already has "
                    + (f"{len(found)} open cases ({'; '.join(o.describe() for o in found)})" if several
                       else f"an open case ({found[0].describe()})")
                    + f". Correct the patient ID, open {'one of them' if several else 'that case'} from Patients, "
                    "or start a new episode.")
                self.page("patient").pid.setFocus(Qt.OtherFocusReason)  # the patient ID, to check or correct
        def chosen(case_id: str | None) -> None:
            self.open_case_question = None
            if case_id is None:
                answered("cancel")
                return
            self._keep_draft_quietly()
            # the step is done (the case chosen): an earlier "Not started: ... already has an open case"
            # from a Cancel must not stay under it (gp18 F6: it was still there after the visit was saved)
            self.page_error.show_message(None)
            self.draft_status.setText("This intake is kept as typed (a draft): Start over (Alt+O) discards it.")
            self.open_existing.emit(case_id)

        read = self._open_cases_read(patient_id)
        self.open_case_question = ask_open_case(
            self, patient_id, found, answered,
            open_cases_differ(found, read, self.context.today(), self._profile()),
            person_lines(self._typed_patient(patient_id), read, found),
            self._typed_pregnancy_contradictions(patient_id, read))
        return False

    def _typed_pregnancy_contradictions(self, patient_id: str, cases: dict) -> list:
        """Where the pregnancy answer typed on the Patient step contradicts a stored case of the
        patient (``cases``, by ID): the rule and the words of the Save question
        (``domain.episodes.pregnancy_contradictions``, :meth:`_pregnancy_settled`), asked of the
        intake as typed so far. That rule reads only the patient, the intake's date and the
        pregnancy answer, so those alone are put in (the case ID is the one the intake will be
        saved under, as the Save question names it). [] when the answer is not given (or "yes"
        without weeks), or nothing could be compared."""
        from dataclasses import replace

        from radiculopathy_desktop.domain.episodes import pregnancy_contradictions
        from radiculopathy_desktop.domain.intake import Case, Intake

        page = self.page("patient")
        answer = page.pregnancy_answer()
        weeks = page.pregnancy_weeks() if answer == "yes" else None
        if not cases or answer not in ("yes", "no") or (answer == "yes" and not isinstance(weeks, int)):
            return []
        try:
            day = page.visit.day() or self.context.today()
            data = page.data()
            try:
                onset = dt.date.fromisoformat(data.get("onset_date") or "")
            except (TypeError, ValueError):
                onset = day
            patient = replace(self._typed_patient(patient_id), pregnant=answer == "yes", pregnancy_weeks=weeks)
            case_id = self.case_dict().get("case_id") or f"{patient_id}-{onset.isoformat()}"  # as parse_case names it
            typed = Case(case_id, Intake(patient, onset, day, day, "", (), 0, None, {}))
            # the intake being typed is "this intake (not saved yet)", never a case ID (gp21 F7)
            return [replace(c, unsaved_case=case_id)
                    for c in pregnancy_contradictions(typed, [c for c in cases.values() if c.case_id != case_id])]
        except Exception as exc:  # noqa: BLE001 - the question is asked all the same; Save asks again
            log.warning("typed pregnancy not compared: %s", type(exc).__name__)
            return []

    # -- one episode, one case (gp18 F5): the rule ``import`` applies (domain.identity.same_episode)
    episode_question = None  # the question on screen, if any

    def _episode_settled(self, store, case) -> bool:
        """True when no stored case is the same episode as this intake (the same person, by
        patient key and then name, birth date and sex, with the same onset date:
        ``domain.identity.episode_duplicates``, the rule ``import`` refuses by). Otherwise the
        question is opened (open the existing case, or go back to the Patient step with the
        onset date focused; nothing typed is lost either way) and False returned."""
        from radiculopathy_desktop.domain.identity import same_episode

        try:
            others = store.patient_cases(case.patient.id)
        except Exception as exc:  # not read: the store refuses it in the save's own transaction
            log.warning("patient cases could not be read: %s", getattr(exc, "kind", None) or type(exc).__name__)
            return True
        # a stored case with this very ID is the same episode too (an import would update it)
        found = sorted((o for o in others if same_episode(case, o)), key=lambda o: o.case_id)
        if not found:
            return True
        self._ask_episode_exists(case, [o.case_id for o in found])
        return False

    def _episode_at_patient_step(self) -> bool:
        """At Next on the Patient step: :meth:`_episode_settled` for the patient and onset date
        as typed (gp19 F12: "Start a new episode" for the same person and onset let the GP type
        all seven steps, then Save refused). The same question and choices as at Save; Save
        still checks (another workstation may save the episode meanwhile). True when there is
        nothing to ask, or the page's own checks will name a date it cannot read."""
        from types import SimpleNamespace

        from radiculopathy_desktop.domain.intake import Patient

        data = self.page("patient").data()
        p = data.get("patient", {})
        pid = (p.get("id") or "").strip()
        if not pid or not data.get("onset_date"):
            return True
        try:
            birth = dt.date.fromisoformat(p["birth_date"]) if p.get("birth_date") else None
            onset = dt.date.fromisoformat(data["onset_date"])
        except (TypeError, ValueError):
            return True
        typed = SimpleNamespace(
            case_id=self.case_dict().get("case_id") or f"{pid}-{onset.isoformat()}",  # as parse_case names it
            patient=Patient(pid, p.get("name"), birth, sex=p.get("sex") or "unknown"),
            intake=SimpleNamespace(onset_date=onset))
        return self._episode_settled(self.context.store, typed)

    def _ask_episode_exists(self, case, existing: list[str]) -> None:
        """The question for a new case that is the same episode as stored ``existing``: "Open
        case X" (the first) or "Go back" (the default and Esc); the intake is kept as typed."""
        from radiculopathy_desktop.domain.characters import visible_id
        from radiculopathy_desktop.domain.identity import IN_TRACKER, EpisodeExists
        from radiculopathy_desktop.ui.dialogs import ask_before_saving

        if self.episode_question is not None or not existing:
            return
        onset = case.intake.onset_date
        refusal = EpisodeExists([(case.case_id, case.patient.id, onset, cid, IN_TRACKER) for cid in existing],
                                path="window")
        first = existing[0]
        box, open_button = ask_before_saving(
            self, "This case already exists", refusal.message,
            f"Open case {visible_id(first)} to add this as a follow-up visit there (this intake is kept as a draft), "
            "or go back to check the patient ID and the date symptoms started.", f"&Open case {visible_id(first)}")
        box.setAccessibleName("This case already exists")

        def answered(button) -> None:
            self.episode_question = None
            if button is open_button:
                self._keep_draft_quietly()
                self.draft_status.setText("This intake is kept as typed (a draft): Start over (Alt+O) discards it.")
                self.open_existing.emit(first)
                return
            self._go("patient")
            self.page_error.show_message(
                f"Not saved: patient {visible_id(case.patient.id)} already has case {visible_id(first)} with "
                f"symptoms started on {onset.isoformat()} (one episode, one case). Open it from Patients to add a "
                "follow-up visit, or correct the patient ID or the date symptoms started.")
            self.page("patient").onset.setFocus(Qt.OtherFocusReason)
            if self._unsaved:
                self.autosave_timer.start()
        box.buttonClicked.connect(answered)
        box.setWindowModality(Qt.WindowModal)
        self.episode_question = box
        box.open()

    # -- a pregnancy answer another case of the patient contradicts (gp17 F5): asked at Save
    _pregnancy_confirmed: tuple | None = None  # the contradictions the clinician chose to save beside
    pregnancy_question = None  # the question on screen, if any

    def _pregnancy_settled(self, store, case) -> bool:
        """True when no other case of the patient contradicts this intake's pregnancy answer
        (``domain.episodes.pregnancy_differs_made``: the worklist's rule on the intake's day, so a
        closed case's old "not pregnant" does not count and its recorded pregnancy does), or the clinician chose to save beside
        exactly these contradictions. Otherwise the question is opened (Go back the default and
        Esc: to the Patient step, the pregnancy answer focused) and False returned. Saved, the
        contradictions are kept in the import's audit entry and named on both cases' pages."""
        from radiculopathy_desktop.domain.episodes import pregnancy_differs_made
        from radiculopathy_desktop.ui.dialogs import ask_before_saving

        try:
            others = store.patient_cases(case.patient.id, exclude=case.case_id)
        except Exception as exc:  # not read: the store names it in the audit when it can
            log.warning("patient cases could not be read: %s", getattr(exc, "kind", None) or type(exc).__name__)
            return True
        found = pregnancy_differs_made(case, others, case.intake.visit_date, today=self.context.today())
        if not found:
            return True
        from dataclasses import replace

        found = [replace(c, unsaved_case=case.case_id) for c in found]  # "this intake (not saved yet)" (gp21 F7)
        key = tuple(json.dumps(c.to_audit(), sort_keys=True) for c in found)
        if self._pregnancy_confirmed == key:
            return True
        if self.pregnancy_question is not None:
            return False
        box, accept = ask_before_saving(
            self, "The pregnancy differs from another case of this patient",
            "\n\n".join(c.text() + "." for c in found),
            "Go back to check the pregnancy answer on the Patient step. Save anyway only if this intake's answer is "
            "right: the other case keeps its own answer until a visit on it records the change. Once saved, both "
            "case pages name the difference and the audit keeps it.", "&Save anyway")
        box.setAccessibleName("The pregnancy differs from another case of this patient")

        def answered(button) -> None:
            self.pregnancy_question = None
            if button is accept:
                self._pregnancy_confirmed = key
                self.save()
                return
            self._go("patient")
            self.page_error.show_message("Not saved: the pregnancy answer differs from another case of this patient ("
                                         + "; ".join(f"case {c.other_case if c.other_case != case.case_id else c.pregnant_case}"
                                                     for c in found)
                                         + "). Check it with the patient, then save again.")
            self.page("patient").pregnant.setFocus(Qt.OtherFocusReason)
            if self._unsaved:
                self.autosave_timer.start()
        box.buttonClicked.connect(answered)
        box.setWindowModality(Qt.WindowModal)
        self.pregnancy_question = box
        box.open()
        return False

    def visit_carry(self, case=None):
        """What this intake, as typed, holds that a follow-up visit records (gp17 F5), for the
        visit dialog opened from the open-case question on ``case`` (the open case chosen): the
        pregnancy answer and weeks above all, the visit date, leg and back pain, ODI or RMDQ,
        muscle grades, the red-flag answers given, the clinician and the notes. Every other field
        typed is compared, field by field, with what ``case`` already holds (rt18 F1): each one
        the case does not hold is named as not carried, and the intake draft is kept after the
        visit is saved unless nothing was left behind.

        An intake's "not pregnant" beside a case whose pregnancy stands that day is not carried
        (rt18 F2): it is not an observed end of that pregnancy. The visit's pregnancy answer is
        left unanswered with a note saying both answers, for the clinician to ask."""
        from radiculopathy_desktop.domain.intake import case_to_dict
        from radiculopathy_desktop.ui.dialogs import VisitCarry

        data = self.case_dict()
        page = self.page("patient")
        values: dict[str, Any] = {}
        said: list[str] = []
        said_for: list[str] = []  # the visit field each entry of ``said`` was carried into (VisitCarry.said_for)

        def say(key: str, words: str) -> None:
            said.append(words)
            said_for.append(key)
        carried: set[tuple[str, ...]] = set()  # the intake's fields this visit takes
        pregnancy_note = ""
        today = self.context.today()
        day = page.visit.day()
        if day is not None and day <= today:
            values["date"] = day.isoformat()
            say("date", f"visit date {day.isoformat()} (the intake's)")
            carried.add(("visit_date",))
            if page.care_follows_visit:  # the care start was not typed: it follows the visit date
                carried.add(("care_start_date",))
        answer = page.pregnancy_answer()
        from radiculopathy_desktop.domain.visits import same_day_pregnancy_change
        changed = None
        if case is not None and answer in ("yes", "no"):  # gp18 F4: 31 weeks replaced the 29 of that morning
            changed = same_day_pregnancy_change(case, day or today, answer == "yes",
                                                page.pregnancy_weeks() if answer == "yes" else None)
        if changed:
            # A different answer for a day the case already answers is a typing error or a dating
            # correction: never carried over it; both named, for the clinician to ask her.
            pregnancy_note = (changed.replace("this answer says", "the intake you were typing says", 1)
                              + ": ask her. The pregnancy answer is left unanswered; record the right one here")
        elif pregnancy_allowed(page.sex.currentData()) or answer == "yes":
            if answer == "yes":
                weeks = page.pregnancy_weeks()
                values["pregnancy"] = {"pregnant": True, "weeks": weeks}
                say("pregnancy", f"pregnant, {weeks} weeks" if weeks is not None else "pregnant (weeks not typed yet)")
                carried.update({("patient", "pregnant"), ("patient", "pregnancy_weeks")})
            elif answer == "no":
                status = case.pregnancy_status(day or today) if case is not None else None
                if status is not None and status.answer == "yes":
                    recorded = status.words[:1].lower() + status.words[1:]
                    pregnancy_note = (f"the intake said not pregnant; the case records {recorded}: ask her. "
                                      "The pregnancy answer is left unanswered: a pregnancy that ended is recorded "
                                      "here as no longer pregnant with the date it ended")
                else:
                    values["pregnancy"] = {"pregnant": False}
                    say("pregnancy", "not pregnant")
                    carried.add(("patient", "pregnant"))
        pain = data.get("pain") or {}
        function = data.get("function") or {}
        for key, part, source, words in (("leg_nrs", "pain", pain, "leg pain {}/10"),
                                         ("back_nrs", "pain", pain, "back pain {}/10"),
                                         ("odi_percent", "function", function, "ODI {}%"),
                                         ("rmdq", "function", function, "RMDQ {}")):
            if source.get(key) is not None:
                values[key] = source[key]
                say(key, words.format(source[key]))
                carried.add((part, key))
        power = (data.get("examination") or {}).get("power") or {}
        if power:
            values["power"] = dict(power)
            say("power", "muscle power " + ", ".join(f"{MUSCLE_GROUPS.get(k, k).lower()} {v}/5"
                                                    for k, v in power.items()))
            carried.update(("examination", "power", k) for k in power)
        flags = {k: v for k, v in (data.get("red_flags") or {}).items() if v in ("yes", "no")}
        if flags:
            values["red_flags"] = flags
            yes = [k for k, v in flags.items() if v == "yes"]
            say("red_flags", f"red-flag answers ({len(flags)} asked"
                        + (f", {len(yes)} answered yes" if yes else ", none yes") + ")")
            carried.update(("red_flags", k) for k in flags)
        for key, words in (("clinician", "clinician"), ("notes", "notes")):
            if data.get(key):
                values[key] = data[key]
                say(key, words)
                carried.add((key,))
        try:
            held = case_to_dict(case) if case is not None else {}
        except Exception as exc:  # noqa: BLE001 - compared with nothing: every field typed is named
            log.warning("open case not compared: %s", type(exc).__name__)
            held = {}
        left = carry_left_behind(data, held, carried)
        not_carried: list[str] = []
        medicines = [m for m in data.get("medicines") or () if (m.get("name") or "").strip()]
        if ("medicines",) in {path[:1] for path in left} and medicines:
            names = ", ".join(m["name"].strip() + (f" {m['daily_dose_mg']:g} mg a day"
                                                    if isinstance(m.get("daily_dose_mg"), (int, float)) else "")
                              for m in medicines)
            not_carried.append(f"the medicines typed ({names}): a visit does not record medicines, and this case's "
                               "medicine checks read its own intake's list")
        other = carry_left_words([path for path in left if path[:1] != ("medicines",)], data, held)
        if other:
            not_carried.append(", ".join(other))
        if pregnancy_note:
            typed = (f"pregnant, {page.pregnancy_weeks()} weeks" if answer == "yes" and page.pregnancy_weeks() is not None
                     else "pregnant" if answer == "yes" else "not pregnant")
            # said in full here: this list is also the kept draft's banner, where nothing is above
            # it (gp19 F13: "...; see above)")
            from radiculopathy_desktop.domain.characters import visible_id
            on = (day or today).isoformat()
            not_carried.append(f"the pregnancy answer ({typed}: case {visible_id(case.case_id)} records another answer "
                               f"for {on}; ask her, and record the right one on the case)"
                               if case is not None else f"the pregnancy answer ({typed}; ask her)")
        return VisitCarry(values, tuple(said), tuple(not_carried), keeps_draft=bool(left) or bool(pregnancy_note),
                          pregnancy_note=pregnancy_note, said_for=tuple(said_for))

    def carried_visit_saved(self, carry, case_id: str | None = None) -> str:
        """The visit carrying this intake's answers was saved (on case ``case_id``): the intake
        draft goes unless it holds what the visit could not take (``carry.keeps_draft``). Returns
        what was done, in words."""
        self.page_error.show_message(None)  # the step was completed: no stale error under it (gp18 F6)
        if carry is not None and carry.keeps_draft:
            # the draft itself says what it holds and why it was kept, also when reopened later, and
            # what already reached the case (gp18 F6: once the visit dialog was gone, nothing said it)
            where = f"case {case_id}" if case_id else "the case"
            self.kept_holds = "; ".join(carry.not_carried)
            reached = (f" Already on {where}, from this intake: {', '.join(carry.said)}." if carry.said else "")
            self.kept_because = ("Kept after the visit carrying this intake's answers was saved: it holds what the "
                                 f"visit did not take and {where} does not hold ({self.kept_holds})." + reached
                                 + f" Record them on {where}, or save this intake as a new episode; Start over "
                                 f"(Alt+O) discards it (everything else is in {where}).")
            try:
                self._write_draft()
            except Exception as exc:  # noqa: BLE001 - the form still holds it; said on the page
                self._draft_failed(exc)
            why = self.kept_because.removeprefix("Kept after the visit carrying this intake's answers was saved: ")
            self.draft_status.setText("Visit saved. This intake is kept as a draft: " + why)
            self.draft_status.setAccessibleDescription(self.draft_status.text())
            return "kept"
        self.autosave_timer.stop()
        done = self.context.ops.run(lambda store: store.delete_draft(DRAFT_KEY), parent=self, initiator=self,
                                    kept_input=True)
        if not done.ok:
            self.draft_status.setText("⚠ Visit saved, but the intake draft could not be discarded (said above): "
                                      "Start over (Alt+O) discards it.")
            return "failed"
        offline_drafts.discard(self.context.data_dir, DRAFT_KEY)
        self.reset()
        self.draft_status.setText("The visit carrying this intake's answers was saved; the intake draft was "
                                  "discarded.")
        return "discarded"

    def _typed_patient(self, patient_id: str):
        """The patient as typed on the Patient step (name, birth date, sex; a birth date not
        read is unknown, so no difference), whose ID is ``patient_id``: the person a new ID's
        open-case question is about (``domain.identity.cases_of_person``)."""
        from radiculopathy_desktop.domain.intake import Patient

        p = self.page("patient").data().get("patient", {})
        try:
            birth = dt.date.fromisoformat(p["birth_date"]) if p.get("birth_date") else None
        except (TypeError, ValueError):
            birth = None
        return Patient(patient_id, (p.get("name") or "").strip() or None, birth, sex=p.get("sex") or "unknown")

    def _open_cases_read(self, patient_id: str) -> dict:
        """The patient's stored cases by ID, for the chooser's rows ({} when they cannot be read)."""
        try:
            return {c.case_id: c for c in self.context.store.patient_cases(
                patient_id, patient=self._typed_patient(patient_id))}
        except Exception as exc:  # the rows say what the open-case rule gave
            log.warning("patient cases could not be read: %s", getattr(exc, "kind", None) or type(exc).__name__)
            return {}

    def _profile(self) -> str | None:
        try:
            return self.context.profile()
        except Exception:  # noqa: BLE001 - no medicine alerts in the rows then
            return None

    def takes_alt_left(self) -> bool:
        """Alt+Left in the intake is its Back (the window's Alt+Left asks first): one step back,
        nothing on the first step, where Back is disabled too (Ctrl+1 goes to the worklist)."""
        self.back()
        return True

    def back(self) -> None:
        if self.index > 0:
            self._go(self.index - 1)
            if self.dirty:
                self._keep_draft_quietly()

    def save(self) -> None:
        for n, page in enumerate(self.pages):  # a number that cannot be kept is named as typed, first
            mine = number_errors(page)
            if mine:
                self._go(n)
                page.show_errors(mine)
                self.page_error.show_message("Please fix the fields shown before saving.")
                return
        try:
            case = parse_case(self.case_dict(), new_input=True)
        except ValidationError as exc:
            # send the user to the first page that owns a problem
            for n, page in enumerate(self.pages):
                mine = [err for err in exc.errors if page.owns(err.field)]
                if mine:
                    self._go(n)
                    page.show_errors(mine)
                    self.page_error.show_message("Please fix the fields shown before saving.")
                    return
            self.page_error.show_message(exc.summary())
            return
        # The checks the parser cannot make (a date after today, an unanswered red flag, a
        # typed age against the birth date) run again at Save: a draft reopened at its last
        # step never went through Next on the earlier pages (red-team rt5 F2).
        for n, page in enumerate(self.pages):
            mine = number_errors(page) + list(page.extra_errors())
            if mine:
                self._go(n)
                page.show_errors(mine)
                self.page_error.show_message("Please fix the fields shown before saving.")
                return
        store = self.context.store
        self.autosave_timer.stop()  # no draft write between the case and the draft clean-up
        try:
            conflicts = store.patient_conflicts([case])
            if conflicts:  # one patient ID, two people (domain.identity): refuse, keep everything typed
                self._go("patient")
                message = ("This patient ID already belongs to someone else (" + "; ".join(conflicts)
                           + "). Correct the patient ID (or the details) before saving.")
                self.page("patient").show_errors([FieldError("patient.id", message)])
                self.page_error.show_message(message)
                if self._unsaved:
                    self.autosave_timer.start()
                return
            lookalikes = self._lookalike_ids(store, case)
            if lookalikes:  # an id that looks the same as a different one stored: refuse, keep everything typed
                self._go("patient")
                self.page("patient").show_errors([FieldError("patient.id", lookalikes[0])])
                self.page_error.show_message(lookalikes[0] + ".")
                if self._unsaved:
                    self.autosave_timer.start()
                return
            if not self._episode_settled(store, case):
                return  # asked: the same episode is already a case (gp18 F5), open it or go back
            if store.has_case(case.case_id):
                self.page_error.show_message(
                    f"A case with ID {case.case_id} already exists. Open it from Patients to add a follow-up visit, "
                    "or correct the patient ID or onset date.")
                if self._unsaved:
                    self.autosave_timer.start()
                return
            if not self._open_cases_settled(self.save, at_save=True):
                return  # asked; a new episode chosen saves again
            if not self._pregnancy_settled(store, case):
                return  # asked; "Save anyway" saves again
            user, today = self.context.user, self.context.today()
            # beside exactly the open cases the clinician was shown: one opened since is refused and asked about
            new_episode = (self._new_episode[1] if self._new_episode is not None
                           and self._new_episode[0] == case.patient.id else False)
            self.context.ops.run(lambda s: s.import_cases([case], user=user, open_case_as_of=today,
                                                          new_episode=new_episode,
                                                          one_case_per_episode=True),  # import's rule (gp18 F5)
                                 initiator=self, errors="raise")
        except EpisodeExists as exc:  # another workstation saved the same episode since it was checked
            self._ask_episode_exists(case, list(exc.existing))
            return
        except OpenCaseExists as exc:  # another workstation opened one since it was asked: asked again
            self._new_episode = None
            self._open_cases_settled(self.save, at_save=True, found=list(exc.open_cases))
            return
        except Exception as exc:
            show_error(self, exc, kept_input=True)
            if self._unsaved:
                self.autosave_timer.start()
            return
        # The case is saved from here on (its own transaction): a later failure must not say
        # "nothing was changed", and must not keep the form for a save that would be refused.
        problems: list[str] = []
        if self.assessment is not None:
            try:
                record, version = self.assessment.to_dict(), self.assessment.content_version
                self.context.ops.run(lambda s: s.save_assessment(
                    case.case_id, record, visit_date=case.intake.visit_date, content_version=version, user=user),
                    initiator=self, errors="raise")
            except Exception as exc:
                log.warning("intake assessment record not saved: %s", getattr(exc, "kind", None) or type(exc).__name__)
                problems.append(f"The record of this first assessment could not be stored ({describe(exc)[0]}); "
                                "the patient view makes the assessment again whenever it is opened.")
        try:
            offline_drafts.discard(self.context.data_dir, DRAFT_KEY)
            self.context.ops.run(lambda s: s.delete_draft(DRAFT_KEY), initiator=self, errors="raise")
        except Exception as exc:
            log.warning("intake draft not removed: %s", getattr(exc, "kind", None) or type(exc).__name__)
            problems.append(f"The unfinished-intake draft could not be removed ({describe(exc)[0]}); if New intake "
                            "reopens it, press Start over.")
        self.reset()
        self.saved.emit(case.case_id)
        if problems:
            self.notice = show_saved_notice(self, case.case_id, problems)

    # -- drafts
    def draft(self) -> dict:
        # the pregnancy answer beside the case data: a "yes" whose weeks are still to be typed (or an
        # answer hidden by the sex) is not in the case data, and must not come back as "not asked"
        out = {"page": self.index, "data": self.case_dict(),
               "form": {"pregnant": self.page("patient").pregnancy_answer()},
               "saved_at": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
        typed = self.typed_not_numbers()
        if typed:  # tryout36 F3: text that is not a number is kept as typed, beside the case data
            out["form"]["typed"] = typed
        if self.kept_because:  # rt18 F1: kept after a carried visit, and why
            out["kept_because"] = self.kept_because
            if self.kept_holds:  # what did not reach the case, for the bar offering the draft (gp18 F6)
                out["kept_holds"] = self.kept_holds
        return out

    def typed_not_numbers(self) -> dict[str, str]:
        """Each number field holding text that is not a number ("7o" typed as the weight), by its
        case-JSON path, as typed. The case data has no value for it (``NumberField.value`` is
        None), so without this a draft dropped it and the field reopened empty, "Not recorded"
        (tryout36 F3), while a number out of its range came back flagged. Kept whether or not the
        field is shown now (hidden by the sex, say): a draft keeps exactly what was typed."""
        return {box.field: box.text() for box in self.findChildren(NumberField)
                if box.field and box.text().strip() and box.value() is None}

    #: Why this draft was kept after a visit carrying its answers was saved (rt18 F1), or None.
    kept_because: str | None = None
    #: What of it did not reach the case, in words (gp18 F6), or None.
    kept_holds: str | None = None

    def _write_draft(self, wait: str = "thread") -> None:
        """Store the form as the draft now; raises what the store raises."""
        draft = self.draft()
        try:
            self.context.ops.run(lambda store: store.save_draft(DRAFT_KEY, draft), initiator=self, errors="raise",
                                 wait=wait)
        except Exception as exc:  # the clinic server cannot be reached: kept on this computer instead
            if getattr(exc, "kind", None) != "unreachable" or not offline_drafts.keep(self.context.data_dir,
                                                                                       DRAFT_KEY, draft):
                raise
            self._unsaved = False
            self._has_draft = True
            self.draft_status.setText(f"Draft kept on this computer at {dt.datetime.now():%H:%M:%S}: the clinic "
                                      "server cannot be reached. Nothing typed is lost.")
            return
        offline_drafts.discard(self.context.data_dir, DRAFT_KEY)  # the server has the newest copy
        self._unsaved = False
        self._has_draft = True
        # a draft kept after its visit keeps saying what it holds (gp18 F6: the autosave line replaced it)
        self.draft_status.setText(f"Draft saved at {dt.datetime.now():%H:%M:%S}."
                                  + (f" {self.kept_because}" if self.kept_because else ""))

    def _draft_failed(self, exc: BaseException) -> None:
        log.warning("intake draft not saved: %s", getattr(exc, "kind", None) or type(exc).__name__)
        try:
            title = describe(exc)[0]
        except Exception:
            title = "an unexpected problem"
        self.draft_status.setText(f"⚠ Draft not saved ({title}). What you typed is still in the form; "
                                  "it is tried again as you go on.")

    def _autosave(self) -> None:
        """The debounced save while typing: quiet, never a dialog (that would interrupt typing)."""
        if not self._unsaved:
            return
        try:
            self._write_draft()
        except Exception as exc:
            self._draft_failed(exc)

    def _keep_draft_quietly(self) -> None:
        self.autosave_timer.stop()
        try:
            self._write_draft()
        except Exception as exc:  # the explicit "Keep draft" reports failures; stepping on must not be blocked
            self._draft_failed(exc)

    @staticmethod
    def _lookalike_ids(store, case) -> list[str]:
        """Why the new case's patient ID or case ID is refused: it looks the same as a different
        stored one (``domain.characters.NewIdCheck``, as ``import`` checks). The case ID is
        made from the patient ID, so the patient ID is what the clinician corrects."""
        from radiculopathy_desktop.domain.characters import NewIdCheck
        return [message for _field, message in NewIdCheck(*store.stored_ids()).problems(case.patient.id, case.case_id)]

    def save_draft_now(self) -> bool:
        """Write any unsaved input to the draft at once, e.g. from a crash handler.

        Returns True when the unfinished intake is kept as a draft (written now, or
        already written by the autosave or a step change); False when there is nothing
        to keep (an empty form) or the write failed. Never raises and never opens a
        dialog. Call it on the GUI thread: from another thread it touches no widget and
        only says whether a draft (up to the last autosave) is kept.
        """
        try:
            if QThread.currentThread() is not self.thread():
                return bool(self._has_draft)
            self.autosave_timer.stop()
            if not self._unsaved:
                return self._has_draft
            self._write_draft(wait="here")  # from a crash handler: no event loop
            return True
        except Exception as exc:
            try:
                self._draft_failed(exc)
            except Exception:
                pass
            return False

    def keep_draft(self) -> bool:
        self.autosave_timer.stop()
        try:
            self._write_draft()
        except Exception as exc:
            show_error(self, exc, kept_input=True)
            return False
        self.dirty = False
        return True

    def restore_draft(self) -> bool:
        """Reopen the kept draft where it stopped. A draft that cannot be read (not JSON, wrong
        types, a step that does not exist) is refused in words, set aside as a file (renamed,
        owner-only, never deleted) and New intake opens empty and usable (red-team rt8 F6); a
        number out of its range is shown as kept, with its problem beside it."""
        data_dir = self.context.data_dir
        refused: list[str] = []
        draft, unreadable = offline_drafts.read(data_dir, DRAFT_KEY)  # kept here while the server was away
        if unreadable:
            refused.append(self._set_aside_words(f"the intake draft kept on this computer cannot be read: "
                                                 f"{unreadable}", offline_drafts.set_aside(data_dir, DRAFT_KEY)))
        elif draft is not None:
            problem = draft_problem(draft) or self._fill(draft)
            if problem is None:
                return self._reopened(draft, refused)
            refused.append(self._set_aside_words(f"the intake draft kept on this computer cannot be used: {problem}",
                                                 offline_drafts.set_aside(data_dir, DRAFT_KEY)))
        try:
            draft = self.context.store.load_draft(DRAFT_KEY)
        except Exception as exc:
            log.warning("the intake draft could not be read: %s", getattr(exc, "kind", None) or type(exc).__name__)
            draft = None
        if draft is not None:
            problem = draft_problem(draft) or self._fill(draft)
            if problem is None:
                return self._reopened(draft, refused)
            where = offline_drafts.set_aside(data_dir, DRAFT_KEY, draft)
            if where is not None:  # a copy is kept: the unusable draft stops blocking New intake
                try:
                    self.context.ops.run(lambda s: s.delete_draft(DRAFT_KEY), initiator=self, errors="raise")
                except Exception as exc:
                    log.warning("an unusable intake draft was not removed: %s",
                                getattr(exc, "kind", None) or type(exc).__name__)
            refused.append(self._set_aside_words(f"the saved intake draft cannot be used: {problem}", where))
        if refused:
            self.page_error.show_message(" ".join(refused) + " New intake starts empty.")
        return False

    @staticmethod
    def _set_aside_words(problem: str, where) -> str:
        problem = problem[0].upper() + problem[1:]
        if where is None:
            return f"{problem}; it could not be set aside, so it was left where it is."
        return f"{problem}; it was set aside as {where} (nothing in it was deleted)."

    def _fill(self, draft: dict) -> str | None:
        """Fill the form from ``draft``; on a failure, empty it again and say why (None when filled)."""
        try:
            self.load(draft.get("data") or {})
            form = draft.get("form")
            if isinstance(form, dict):
                self._loading = True  # not an edit
                try:
                    self.page("patient").set_pregnancy_answer(form.get("pregnant"))
                    self._fill_typed(form.get("typed"))
                finally:
                    self._loading = False
        except Exception as exc:  # noqa: BLE001 - a value of a type no field takes
            log.info("an intake draft could not be filled in: %s", type(exc).__name__)  # said on screen
            self.reset()
            return f"one of its values is not of a kind its field takes ({type(exc).__name__})"
        return None

    def _fill_typed(self, typed) -> None:
        """Put back the text kept by :meth:`typed_not_numbers`, as typed: its field shows it with
        its problem beside it ("'7o' is not a number"), and Next / Save refuse until it is fixed.
        A path no field has (a hand-edited draft) is logged by name only and left out."""
        if not typed:
            return
        boxes = {box.field: box for box in self.findChildren(NumberField) if box.field}
        for field, text in typed.items():
            box = boxes.get(field)
            if box is None:
                log.info("a kept typed value has no field here: %s", field)
                continue
            box.setValue(text)

    def _reopened(self, draft: dict, refused: list[str]) -> bool:
        page = draft.get("page", 0)
        # a number kept out of its range on an earlier step: open there, so its problem is seen first
        first = next((n for n, p in enumerate(self.pages[:page]) if number_errors(p)), page)
        self._go(first)
        self.page_error.show_message(" ".join(refused) or None)
        if first != page:
            self.page_error.show_message(" ".join(refused + ["A number kept in the draft is out of its range or "
                                                             "is not a number: it is shown as typed, beside its "
                                                             "field."]))
        self.steps_label.setText(self.steps_label.text() + "<br><i>Draft reopened where you stopped.</i>")
        kept = draft.get("kept_because")
        self.kept_because = kept if isinstance(kept, str) and kept.strip() else None
        holds = draft.get("kept_holds")
        self.kept_holds = holds if self.kept_because and isinstance(holds, str) and holds.strip() else None
        if self.kept_because:
            self.draft_status.setText(self.kept_because)
        self._has_draft = True
        return True

    def load(self, data: dict) -> None:
        """Fill the form from case-JSON data (a draft or a case); not counted as an edit."""
        self._loading = True
        try:
            for page in self.pages:
                page.load(data)
        finally:
            self._loading = False
        self.autosave_timer.stop()
        self._unsaved = False

    def has_input(self) -> bool:
        return self.dirty

    def confirm_leave(self) -> bool:
        """Called when the window closes: keep a draft, discard it, or stay. A kept draft with
        nothing typed since that records an emergency is named too: close (kept) or stay."""
        if not self.has_input():
            if not self._has_draft:
                return True
            alarm = self.alarm_words()
            if alarm is None or ask_close_with_alarm(self, alarm):
                return True
            self._show_me()
            return False
        choice = ask_keep_draft(self)
        if choice == "keep":
            return self.keep_draft()
        if choice == "discard":
            self.autosave_timer.stop()
            self._unsaved = False
            self._has_draft = False
            offline_drafts.discard(self.context.data_dir, DRAFT_KEY)
            try:  # the window is closing: here, no event loop
                self.context.ops.run(lambda store: store.delete_draft(DRAFT_KEY), initiator=self, errors="raise",
                                     wait="here")
            except Exception:
                pass
            return True
        self._show_me()
        return False

    def start_over(self) -> bool:
        """Discard this intake and its draft, after asking (nothing typed is lost by a stray key)."""
        if self.has_input() or self._has_draft:
            if not ask_start_over(self):
                return False
        self.autosave_timer.stop()
        done = self.context.ops.run(lambda store: store.delete_draft(DRAFT_KEY), parent=self, initiator=self,
                                    kept_input=True)
        if not done.ok:  # the draft is still stored: clearing the form would only hide it until the next start
            self.draft_status.setText("⚠ Not started over: the draft could not be discarded (said above). "
                                      "The form is kept as it was; try Start over again.")
            if self.has_input():
                self.autosave_timer.start()
            return False
        offline_drafts.discard(self.context.data_dir, DRAFT_KEY)  # only once the stored draft is gone
        self.reset()
        return True

    def reset(self) -> None:
        self.load({})
        today = self.context.today()
        p = self.page("patient")
        self._loading = True
        try:
            p.onset.set_day(None)  # required, typed: never a pre-filled today (see PatientPage)
            p.onset.check()
            for edit in (p.visit, p.care):
                edit.set_day(today)
                edit.check()
            p.care_follows_visit = True
        finally:
            self._loading = False
        self.page("red_flags").update_banner()
        self.assessment = None
        self._go("patient")
        self.autosave_timer.stop()
        self.dirty = False
        self._unsaved = False
        self._has_draft = False
        self._new_episode = None
        self._capitals_warned = None
        self._pregnancy_confirmed = None
        self.kept_because = None
        self.kept_holds = None
        self.draft_status.clear()

    def activated(self) -> None:
        self.pages[self.index].entered()

    def _show_me(self) -> None:
        """Bring the intake to the front of its window (the clinician chose to stay with it)."""
        window = self.window()
        show = getattr(window, "show_view", None)
        if show is not None and getattr(window, "views", {}).get("intake") is self:
            show("intake")
