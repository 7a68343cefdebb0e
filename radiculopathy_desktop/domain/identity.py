"""One patient ID, one person: the identity fields a new case must agree on.

A patient ID (a hospital or clinic number) that already belongs to a patient may come
in again with a new case for the same person. If the name, birth date or sex differ,
the ID was probably mistyped, and storing it would merge two people's records (their
exports would carry the same identifier). Such a case is refused, naming every
difference; what is unknown on either side (no name, no birth date, sex "unknown")
is not a difference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from radiculopathy_desktop.domain.characters import name_difference, same_name
from radiculopathy_desktop.domain.intake import Patient

__all__ = ["StoredIdentity", "describe_conflict", "identity_conflicts", "name_difference", "same_name"]


@dataclass(frozen=True)
class StoredIdentity:
    patient_id: str
    name: str | None
    birth_date: dt.date | None
    sex: str


def identity_conflicts(stored: StoredIdentity, new: Patient) -> list[str]:
    """Each difference between the stored patient and ``new``, in words (empty: the same person)."""
    out = []
    if stored.name and new.name and not same_name(stored.name, new.name):
        out.append(f"name: stored {stored.name!r}, new {new.name!r}{name_difference(stored.name, new.name)}")
    if stored.birth_date and new.birth_date and stored.birth_date != new.birth_date:
        out.append(f"birth date: stored {stored.birth_date.isoformat()}, new {new.birth_date.isoformat()}")
    if stored.sex != "unknown" and new.sex != "unknown" and stored.sex != new.sex:
        out.append(f"sex: stored {stored.sex}, new {new.sex}")
    return out


def describe_conflict(case_id: str, patient_id: str, conflicts: list[str], where: str) -> str:
    return (f"case {case_id}: patient ID {patient_id} already belongs to {where} with a different "
            + "; ".join(conflicts))
