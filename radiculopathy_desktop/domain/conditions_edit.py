"""Correcting a saved case's conditions (medfix2, H-MED-630, H-DATA-903..905).

Before, the intake's conditions (kidney function: serum creatinine, eGFR, CKD, dialysis; GI
bleed or ulcer history; hepatic impairment; heart failure...) were fixed once the intake was
saved, so a medicine check kept using a kidney function that had since changed. This module is
the Qt-free part of the window's "Edit conditions": the case with its new conditions (validated
as the importer validates the case, ``parse_case``), what changed (kept in the audit entry
``conditions_changed`` with the conditions before and after), and the refusal when another
workstation changed them since the editor opened.

Pregnancy is not a condition here: it is the patient's (``patient.pregnancy_weeks``), and a
change is recorded at a follow-up visit (``visits[].pregnancy``, one rule:
``intake.pregnancy_status``). The editor shows that standing answer and does not write it, so
the two can never say different things.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

from radiculopathy_desktop.domain.intake import Case, ValidationError, case_to_dict, parse_case
from radiculopathy_desktop.domain.vocabulary import BOOLEAN_CONDITIONS, SPECIAL_CONSIDERATIONS
from radiculopathy_desktop.errors import UserError

#: The audit action of corrected conditions (both stores, the access history's words).
CONDITIONS_CHANGED = "conditions_changed"


class ConditionsChangedMeanwhile(UserError):
    """The case's conditions, read again at Save, are not those the dialog opened with: nothing
    is saved, what was typed stays in the dialog (the rule of Edit medicines)."""

    def __init__(self, case: Case):
        self.case = case
        super().__init__("Not saved: this case's conditions were changed on another workstation (or by an import) "
                         "since this window opened. Nothing typed is lost: the conditions saved now are shown above "
                         "yours; check them and save again.")


def conditions_dict(case: Case) -> dict:
    """The case's conditions as the case file writes them (``case_to_dict``'s ``conditions``)."""
    return dict(case_to_dict(case).get("conditions") or {})


def with_conditions(case: Case, conditions: Mapping[str, Any]) -> Case:
    """``case`` with its conditions replaced by ``conditions`` (the case file's form, as the
    intake step writes it), validated as the importer validates a case (``ValidationError``
    naming the field: a creatinine out of its unit's range, an eGFR above 200...)."""
    data = case_to_dict(case)
    data["conditions"] = dict(conditions)
    return parse_case(data)


def _scalar(conditions: Mapping[str, Any], key: str):
    value = conditions.get(key)
    if key == "pain_classification":
        return list(value or [])
    if key == "alcohol_use":
        return value or "unknown"
    return value


def audit_detail(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict:
    """The ``conditions_changed`` entry's detail: the conditions before and after, and each key
    that changed with its value before and after (None: not recorded)."""
    keys = list(dict.fromkeys([*BOOLEAN_CONDITIONS, "serum_creatinine", "egfr", "alcohol_use",
                               *SPECIAL_CONSIDERATIONS, "pain_classification", *before, *after]))
    changed = [{"field": k, "before": _scalar(before, k), "after": _scalar(after, k)}
               for k in keys if _scalar(before, k) != _scalar(after, k)]
    return {"before": dict(before), "after": dict(after), "changed": changed}


def check_unchanged(stored: Case, shown: "Case | Mapping[str, Any]") -> None:
    """Refuse (:class:`ConditionsChangedMeanwhile`) when the stored case's conditions are not
    those the editor opened with: ``shown`` is that case, or its conditions in the case file's
    form (a copy kept on this computer while the server could not be reached)."""
    if isinstance(shown, Mapping):
        try:
            same = with_conditions(stored, shown).intake.conditions == stored.intake.conditions
        except ValidationError:
            same = False
    else:
        same = stored.intake.conditions == shown.intake.conditions
    if not same:
        raise ConditionsChangedMeanwhile(stored)


def replaced(case: Case, updated: Case) -> Case:
    """``case`` with only the conditions of ``updated`` (nothing else of the case changes)."""
    return replace(case, intake=replace(case.intake, conditions=updated.intake.conditions))


def correction(case: Case, shown: "Case | Mapping[str, Any]", conditions: Mapping[str, Any],
               case_id: str) -> "tuple[Case, dict] | None":
    """What both stores write for an "Edit conditions" save, read under the case's lock: the case with
    ``conditions`` and the audit detail (before and after), or None when nothing changed (nothing is
    then written or audited). Raises :class:`ConditionsChangedMeanwhile` (``check_unchanged``) when the
    stored conditions are no longer those ``shown``, and ``ValidationError`` naming ``case_id`` for a
    value the intake refuses."""
    from .intake import ValidationError

    check_unchanged(case, shown)
    try:
        updated = replaced(case, with_conditions(case, conditions))
    except ValidationError as exc:
        raise exc.with_context(f"case {case_id}") from None
    if updated.intake.conditions == case.intake.conditions:
        return None
    return updated, audit_detail(conditions_dict(case), conditions_dict(updated))


_LABELS = {**BOOLEAN_CONDITIONS, **SPECIAL_CONSIDERATIONS, "serum_creatinine": "Serum creatinine",
           "egfr": "eGFR", "alcohol_use": "Alcohol", "pain_classification": "Pain type"}


def _value_words(key: str, value) -> str:
    if value is None or value == []:
        return "not recorded"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key == "serum_creatinine" and isinstance(value, dict):
        return f"{value.get('value'):g} {value.get('unit')}" if isinstance(value.get("value"), (int, float)) \
            else str(value)
    if key == "egfr" and isinstance(value, (int, float)):
        return f"{value:g} mL/min/1.73m²"
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ") for v in value)
    return str(value).replace("_", " ")


def change_words(detail: dict) -> str:
    """The access history's words for a ``conditions_changed`` entry ("eGFR 75 mL/min/1.73m² → 28
    mL/min/1.73m²; Chronic kidney disease not recorded → yes")."""
    d = detail if isinstance(detail, dict) else {}
    bits = []
    for c in d.get("changed") or ():
        if isinstance(c, dict):
            key = str(c.get("field"))
            bits.append(f"{_LABELS.get(key, key)} {_value_words(key, c.get('before'))} → "
                        f"{_value_words(key, c.get('after'))}")
    return "; ".join(bits) or "no change"


__all__ = ["CONDITIONS_CHANGED", "ConditionsChangedMeanwhile", "audit_detail", "change_words", "check_unchanged",
           "conditions_dict", "replaced", "with_conditions"]
