"""Alerts for medicines the patient takes now that must be stopped or changed.

A current medicine whose row in the medication report is *contraindicated*, *avoid* or
*reduce dose*, an interaction between current medicines rated avoid or worse, and a
profile note about a current medicine without a row (rated avoid or worse) each become one
alert. The list is derived from the :class:`~radiculopathy_desktop.domain.medications.MedicationReport`
only (no rule of its own), so the medicine table, the CLI headline, the window banner and the
referral summary cannot disagree: every surface shows this list, none recomputes it.
"""

from __future__ import annotations

from typing import NamedTuple

from radiculopathy_desktop.domain.medications import MedicationReport, MedicationRow
from radiculopathy_desktop.domain.vocab import MedicineStatus

#: Row statuses that make a medicine the patient takes now an alert (worst first).
ALERT_STATUSES = (MedicineStatus.CONTRAINDICATED, MedicineStatus.AVOID, MedicineStatus.REDUCE_DOSE)
_ORDER = {s: i for i, s in enumerate(ALERT_STATUSES)}
_ACTION = {
    MedicineStatus.CONTRAINDICATED: "Stop it and choose another option.",
    MedicineStatus.AVOID: "Review now: stop or change it unless there is a clear reason to continue.",
    MedicineStatus.REDUCE_DOSE: "Reduce the dose to the adjusted maximum or below.",
}
_CHECK_ACTION = "Confirm the dose with the prescriber and correct the record if it is a slip."


class MedicineAlert(NamedTuple):
    """One current medicine (or combination) that must be stopped, changed or reduced."""

    kind: str  # "medicine" (a row), "interaction" or "note"
    medicines: tuple[str, ...]  # as the clinician recorded them
    status: MedicineStatus  # one of ALERT_STATUSES
    text: str  # the whole alert, one line: what, why, what to do
    reasons: tuple[str, ...]
    action: str
    source: str

    @property
    def status_label(self) -> str:
        return MedicineStatus(self.status).label

    def to_dict(self) -> dict:
        return {"kind": self.kind, "medicines": list(self.medicines), "status": self.status,
                "status_label": self.status_label, "text": self.text, "reasons": list(self.reasons),
                "action": self.action, "source": self.source}


def _dose(mg: float | None) -> str:
    return f" {mg:g} mg/day" if mg else ""


def _row_alert(row: MedicationRow) -> MedicineAlert:
    names = row.current_medicines or (row.label,)
    # the reasons that make it this serious (reduce-dose reasons are kept under avoid: both apply)
    shown = row.reasons_at_least(MedicineStatus.REDUCE_DOSE)
    reasons = tuple(dict.fromkeys(r.text for r in shown))
    source = "; ".join(dict.fromkeys(r.source for r in shown if r.source))
    label = MedicineStatus(row.status).label  # the reasons say who advises it (e.g. "NICE does not offer this")
    action = _ACTION[row.status]
    if row.status == MedicineStatus.REDUCE_DOSE and shown and all(r.rule == "check-dose" for r in shown):
        # far above any usual dose where the label states no maximum (drugs.toml dose_checks):
        # there is no maximum to reduce to; the record is what to check (rt14 F1)
        action = _CHECK_ACTION
    text = (f"Taking {', '.join(names)}{_dose(row.current_daily_dose_mg)}: {label.lower()} for this patient: "
            f"{' '.join(reasons)} {action}")
    return MedicineAlert("medicine", tuple(names), row.status, " ".join(text.split()), reasons, action, source)


def medicine_alerts(report: MedicationReport) -> tuple[MedicineAlert, ...]:
    """The alerts for ``report``, worst first; empty when nothing the patient takes needs changing."""
    rows: list[MedicineAlert] = []
    for row in report.rows:
        if row.currently_taking and row.status in _ORDER:
            rows.append(_row_alert(row))
    rows.sort(key=lambda a: _ORDER[a.status])
    out = list(rows)
    for inter in report.interactions:
        if inter.severity in _ORDER:
            action = _ACTION[inter.severity]
            out.append(MedicineAlert(
                "interaction", tuple(inter.medicines), inter.severity,
                f"Taking {' with '.join(inter.medicines)}: {inter.text} {action}", (inter.text,), action, inter.source))
    covered = {n for a in rows for n in a.medicines}
    for note in report.current_notes:
        if note.severity in _ORDER and not set(note.medicines) <= covered:
            out.append(MedicineAlert("note", tuple(note.medicines), note.severity, note.text, (note.text,),
                                     "", note.source))
    return tuple(out)


__all__ = ["ALERT_STATUSES", "MedicineAlert", "medicine_alerts"]
