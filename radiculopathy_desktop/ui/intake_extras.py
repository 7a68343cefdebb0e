"""The intake's "pain type and special considerations" group (issue 18), on the conditions page.

Records the clinician's pain classification (nociceptive, neuropathic, nociplastic; more
than one for mixed pain) and the special considerations that add cautions to the pathway
(connective tissue disorder, pelvic floor dysfunction). Widgets only: what these change in
the pathway is decided in domain/ (guideline cautions).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout

from radiculopathy_desktop.domain.vocabulary import PAIN_CLASSIFICATIONS, SPECIAL_CONSIDERATIONS
from radiculopathy_desktop.ui.forms import FieldForm, combo, set_combo

YES_NO = {"": "Not recorded", "yes": "Yes", "no": "No"}


class PainTypeAndConsiderations(QGroupBox):
    """Fills ``conditions.pain_classification`` and the SPECIAL_CONSIDERATIONS flags."""

    def __init__(self, parent=None):
        super().__init__("Pain type and special considerations", parent)
        self.setAccessibleName("Pain type and special considerations")
        layout = QVBoxLayout(self)
        hint = QLabel("Pain type (tick all that apply; leave blank if not assessed):")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        row = QHBoxLayout()
        self.pain_types: dict[str, QCheckBox] = {}
        for code, label in PAIN_CLASSIFICATIONS.items():
            box = QCheckBox(label.split(" (")[0])
            box.setToolTip(label)
            box.setAccessibleName(f"Pain type: {label}")
            row.addWidget(box)
            self.pain_types[code] = box
        row.addStretch(1)
        layout.addLayout(row)
        self.form = FieldForm()
        self.special = {key: self.form.add(label + ":", combo(label, YES_NO), f"conditions.{key}")
                        for key, label in SPECIAL_CONSIDERATIONS.items()}
        layout.addLayout(self.form)
        note = QLabel("New bladder, bowel or sexual symptoms are red flags: record them on the red-flag page, not here.")
        note.setWordWrap(True)
        layout.addWidget(note)

    def fill(self, conditions: dict[str, Any]) -> None:
        """Add this group's answers to the ``conditions`` object of the case JSON."""
        chosen = [code for code, box in self.pain_types.items() if box.isChecked()]
        if chosen:
            conditions["pain_classification"] = chosen
        for key, box in self.special.items():
            if box.currentData():
                conditions[key] = box.currentData() == "yes"

    def load(self, conditions: dict[str, Any]) -> None:
        chosen = set(conditions.get("pain_classification") or ())
        for code, box in self.pain_types.items():
            box.setChecked(code in chosen)
        for key, box in self.special.items():
            value = conditions.get(key)
            set_combo(box, "" if value is None else ("yes" if value else "no"))


class MonitoringReminder(QGroupBox):
    """The follow-up visit's reminder of what to monitor (issue 18): the profile's monitoring
    items from domain.monitoring.visit_prompts, shown read-only.

    redflag36 (H-UI-547): its next-visit line is the case's next-visit decision
    (``domain.monitoring.next_visit_decision``): the same as the case page's monitoring, the handout
    dialog's and the ``handout`` command's; :meth:`follow` takes the triage tier with this visit's
    answers as typed, so the line says what the assessment will say once the visit is saved."""

    def __init__(self, profile: str, age: int | None, parent=None, *, case=None, day=None):
        super().__init__("At this visit", parent)
        self.setAccessibleName("At this visit: what to monitor")
        from radiculopathy_desktop.domain.guideline import load_guideline

        layout = QVBoxLayout(self)
        self._guideline = load_guideline(profile)
        self._age = age
        self._case = case
        self.visit = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.PlainText)
        self.label.setAccessibleName("What to monitor at this visit")
        self._show()
        if case is not None and day is not None:
            self.follow(day)
        layout.addWidget(self.label)

    def _show(self) -> None:
        from radiculopathy_desktop.domain.monitoring import visit_prompts

        self.lines = visit_prompts(self._guideline, self._age, self.visit)
        self.label.setText("\n".join(f"• {line}" for line in self.lines))

    def follow(self, day, triage=None) -> None:
        """The next-visit line for the visit dated ``day``, from ``triage`` (the triage with the answers as
        typed; None: the case as recorded)."""
        if self._case is None:
            return
        from radiculopathy_desktop.domain.monitoring import next_visit_decision

        self._age = self._case.patient.age_on(day)
        visit = next_visit_decision(self._case, day, triage=triage, guideline=self._guideline)
        if visit != self.visit:
            self.visit = visit
            self._show()
