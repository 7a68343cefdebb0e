"""The "Imaging and self-management advice" group (issue 16), on the intake and the visit form.

Every answer starts at "Not recorded", so a form saved without touching the group records
nothing (the audit then reads "not recorded", never "no"). Widgets only: the format and its
validation are in domain/care_facts.py.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout

from radiculopathy_desktop.domain.care_facts import IMAGING_MODALITIES, IMAGING_REASONS
from radiculopathy_desktop.ui.forms import FieldForm, combo, set_combo

_REQUESTED = {"": "Not recorded", "no": "No imaging requested", "yes": "Imaging requested"}
_BY = {"": "Not recorded", "no": "Non-specialist service (e.g. primary care)",
       "yes": "Specialist service (e.g. spinal surgery, MSK interface)"}
_ADVICE = {"": "Not recorded", "yes": "Given", "no": "Not given"}
_HANDOUT = {"": "Not recorded", "yes": "Yes, a printed handout", "no": "No printed handout"}


class ImagingAndAdvice(QGroupBox):
    """Fills ``imaging`` and ``self_management`` of an intake or a visit (``prefix`` names the record)."""

    def __init__(self, prefix: str = "", parent=None):
        super().__init__("Imaging and self-management advice", parent)
        self.setAccessibleName("Imaging and self-management advice")
        self.prefix = prefix
        where = f"{prefix}." if prefix else ""
        layout = QVBoxLayout(self)
        self.form = FieldForm()
        f = self.form
        self.imaging = f.add("Imaging:", combo("Imaging requested", _REQUESTED), f"{where}imaging")
        self.modality = f.add("Modality:", combo("Imaging modality", {"": "Choose", **IMAGING_MODALITIES}),
                              f"{where}imaging.modality")
        self.by_specialist = f.add("Requested by:", combo("Imaging requested by", _BY), f"{where}imaging.by_specialist")
        self.reason = f.add("Reason:", combo("Reason for imaging",
                                             {"": "Not recorded", **{k: v.split(" (")[0] for k, v in IMAGING_REASONS.items()}}),
                            f"{where}imaging.reason")
        self.advice = f.add("Self-management advice:", combo("Self-management advice and information", _ADVICE),
                            f"{where}self_management")
        self.handout = f.add("Printed handout:", combo("Printed handout given", _HANDOUT),
                             f"{where}self_management.printed_handout")
        layout.addLayout(f)
        hint = QLabel("A printed handout counts as information given: print the patient handout from the "
                      "case view. Imaging from a non-specialist service is for suspected serious pathology "
                      "(NICE QS155 statement 2).")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.imaging.currentIndexChanged.connect(self._update)
        self.advice.currentIndexChanged.connect(self._update)
        self._update()

    def _update(self, *_args) -> None:
        requested = self.imaging.currentData() == "yes"
        for box in (self.modality, self.by_specialist, self.reason):
            box.setEnabled(requested)
        self.handout.setEnabled(self.advice.currentData() == "yes")

    def fill(self, data: dict[str, Any]) -> None:
        """Add this group's answers to the record's JSON; nothing when not recorded."""
        imaging = self.imaging.currentData()
        if imaging == "no":
            data["imaging"] = {"requested": False}
        elif imaging == "yes":
            rec: dict[str, Any] = {"requested": True}
            if self.modality.currentData():
                rec["modality"] = self.modality.currentData()
            if self.by_specialist.currentData():
                rec["by_specialist"] = self.by_specialist.currentData() == "yes"
            if self.reason.currentData():
                rec["reason"] = self.reason.currentData()
            data["imaging"] = rec
        advice = self.advice.currentData()
        if advice == "no":
            data["self_management"] = {"given": False}
        elif advice == "yes":
            rec = {"given": True}
            if self.handout.currentData():
                rec["printed_handout"] = self.handout.currentData() == "yes"
            data["self_management"] = rec

    def load(self, data: dict[str, Any]) -> None:
        imaging = data.get("imaging") or None
        set_combo(self.imaging, "" if imaging is None else ("yes" if imaging.get("requested") else "no"))
        imaging = imaging or {}
        set_combo(self.modality, imaging.get("modality") or "")
        by = imaging.get("by_specialist")
        set_combo(self.by_specialist, "" if by is None else ("yes" if by else "no"))
        set_combo(self.reason, imaging.get("reason") or "")
        advice = data.get("self_management") or None
        set_combo(self.advice, "" if advice is None else ("yes" if advice.get("given") else "no"))
        printed = (advice or {}).get("printed_handout")
        set_combo(self.handout, "" if printed is None else ("yes" if printed else "no"))
        self._update()
