"""Correcting a saved case's current medicines (medfix, H-MED-620..622).

Before, a case's medicines were fixed once the intake was saved: a medicine typed on the wrong
patient, or one the patient stopped, could only be corrected by ``import --replace-records``,
so the medicine check, the pathway, the worklist marks and the handouts kept using the stale
list. This module is the Qt-free part of the window's "Edit medicines": reading the rows as
typed (the intake step's own reading of a daily dose, :func:`~.medicine_step.typed_daily_dose`),
the case with its new list (validated as the importer validates new input), what changed
between two lists (kept in the audit entry), and the refusal when another workstation changed
the list since it was shown.

The medicines live on the intake (``Intake.medicines``): the corrected list replaces the
intake's list; the audit entry ``medicines_changed`` keeps the list before and after, who and
when (the audit table's own columns), so the intake as first typed can always be read back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from radiculopathy_desktop.domain.intake import (Case, FieldError, Medicine, ValidationError, case_to_dict,
                                                 dose_floor_problem, parse_case)
from radiculopathy_desktop.domain.medicine_step import typed_daily_dose
from radiculopathy_desktop.errors import UserError

#: The audit action of a corrected medicine list (both stores, the access history's words).
MEDICINES_CHANGED = "medicines_changed"
#: The intake's own limits (domain.intake._parse_medicines): a name of at most 80 characters, a
#: daily dose of at most 100000 mg, at most 100 medicines.
MAX_NAME = 80
MAX_DOSE_MG = 100000
MAX_MEDICINES = 100


class MedicinesChangedMeanwhile(UserError):
    """The case's medicines, read again at Save, are not those the dialog opened with (another
    workstation or an import changed them): nothing is saved, what was typed stays in the dialog
    (the same rule as a decision's red flags read again at Save, rt9 F5)."""

    def __init__(self, case: Case):
        self.case = case
        super().__init__("Not saved: this case's medicines were changed on another workstation (or by an import) "
                         "since this window opened. Nothing typed is lost: the list saved now is shown above yours; "
                         "check it and save again.")


def medicine_dicts(medicines: Sequence[Medicine]) -> list[dict]:
    """The list as the case file and the audit entry write it (name, and the dose when recorded)."""
    return [{"name": m.name, **({"daily_dose_mg": m.daily_dose_mg} if m.daily_dose_mg is not None else {})}
            for m in medicines]


def read_rows(rows: Sequence[tuple[str, str]]) -> tuple[tuple[Medicine, ...], list[FieldError]]:
    """The medicines of the table rows ((name, dose) as typed; empty rows skipped) and a field
    error naming each row that cannot be saved: a dose without a name, a dose that is not a
    number of mg, a dose of 0 or below the floor (``intake.dose_floor_problem``) or above the
    intake's maximum, a name too long. Names are kept in lower case, as the intake keeps them."""
    out: list[Medicine] = []
    problems: list[FieldError] = []
    for n, (name, dose_text) in enumerate(rows):
        name, dose_text = (name or "").strip(), (dose_text or "").strip()
        if not name and not dose_text:
            continue
        field = f"medicines[{n}]"
        where = f"Row {n + 1}"
        dose = typed_daily_dose(dose_text)
        if not name:
            problems.append(FieldError(field, f"{where}: type the medicine's generic name (a dose of {dose_text} "
                                              "is typed without one)"))
            continue
        if len(name) > MAX_NAME:
            problems.append(FieldError(field, f"{where}: the name is longer than {MAX_NAME} characters"))
            continue
        if dose.problem:
            problems.append(FieldError(field, f"{where}: {dose.problem} (“{dose_text}” is not)"))
            continue
        value = dose.value
        floor = dose_floor_problem(name, value)
        if floor:
            problems.append(FieldError(field, f"{where}: {floor}"))
            continue
        if value is not None and value > MAX_DOSE_MG:
            problems.append(FieldError(field, f"{where}: {name} {value:g} mg a day is more than any daily dose "
                                              f"({MAX_DOSE_MG} mg): check the unit (mg, not micrograms)"))
            continue
        out.append(Medicine(name.lower(), value))
    if len(out) > MAX_MEDICINES:
        problems.append(FieldError("medicines", f"at most {MAX_MEDICINES} medicines can be recorded"))
    return tuple(out), problems


def with_medicines(case: Case, medicines: Sequence[Medicine]) -> Case:
    """``case`` with its current medicines replaced by ``medicines``, validated as the importer
    validates the case (``ValidationError``) and as new input (no dose below the floor)."""
    problems = [FieldError(f"medicines[{n}]", f"medicines[{n}]: the medicine's name is empty")
                for n, m in enumerate(medicines) if not (m.name or "").strip()]
    problems += [FieldError(f"medicines[{n}].daily_dose_mg", f"medicines[{n}].daily_dose_mg: {why}.")
                 for n, m in enumerate(medicines) if (why := dose_floor_problem(m.name, m.daily_dose_mg))]
    if problems:
        raise ValidationError(problems)
    candidate = replace(case, intake=replace(case.intake, medicines=tuple(medicines)))
    return parse_case(case_to_dict(candidate))


def medicine_changes(before: Sequence[Medicine], after: Sequence[Medicine]) -> dict[str, list]:
    """What changed, by medicine name: ``added`` and ``removed`` (name and dose) and ``changed``
    (the name with its dose before and after). A name listed twice is compared in order."""
    left = list(before)
    added, changed = [], []
    for med in after:
        same = next((m for m in left if m == med), None)
        if same is not None:
            left.remove(same)
            continue
        named = next((m for m in left if m.name == med.name), None)
        if named is not None:
            left.remove(named)
            changed.append({"name": med.name, "daily_dose_mg_before": named.daily_dose_mg,
                            "daily_dose_mg_after": med.daily_dose_mg})
        else:
            added.append(medicine_dicts([med])[0])
    return {"added": added, "removed": medicine_dicts(left), "changed": changed}


def audit_detail(before: Sequence[Medicine], after: Sequence[Medicine]) -> dict:
    """The ``medicines_changed`` audit entry's detail: the lists before and after, and what changed."""
    return {"before": medicine_dicts(before), "after": medicine_dicts(after), **medicine_changes(before, after)}


def check_unchanged(stored: Case, shown: Sequence[Medicine]) -> None:
    """Refuse (:class:`MedicinesChangedMeanwhile`) when the stored case's medicines are not the
    list the editor opened with."""
    if tuple(stored.intake.medicines) != tuple(shown):
        raise MedicinesChangedMeanwhile(stored)


def _dose(value) -> str:
    return "no dose recorded" if value is None else f"{value:g} mg a day"


def change_words(detail: dict) -> str:
    """The access history's words for a ``medicines_changed`` entry."""
    d = detail if isinstance(detail, dict) else {}
    bits = []
    for m in d.get("added") or ():
        if isinstance(m, dict):
            bits.append(f"added {m.get('name')} ({_dose(m.get('daily_dose_mg'))})")
    for m in d.get("changed") or ():
        if isinstance(m, dict):
            bits.append(f"{m.get('name')} {_dose(m.get('daily_dose_mg_before'))} → "
                        f"{_dose(m.get('daily_dose_mg_after'))}")
    for m in d.get("removed") or ():
        if isinstance(m, dict):
            bits.append(f"removed {m.get('name')} ({_dose(m.get('daily_dose_mg'))})")
    return "; ".join(bits) or "no change"


__all__ = ["MEDICINES_CHANGED", "MedicinesChangedMeanwhile", "audit_detail", "change_words", "check_unchanged",
           "medicine_changes", "medicine_dicts", "read_rows", "with_medicines"]
