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
import unicodedata
from dataclasses import dataclass

from radiculopathy_desktop.domain.intake import Patient


@dataclass(frozen=True)
class StoredIdentity:
    patient_id: str
    name: str | None
    birth_date: dt.date | None
    sex: str


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFC", " ".join(name.split())).casefold()


def same_name(a: str, b: str) -> bool:
    """True when two names are the same name: differing only in capitals, spaces, or the
    way an accented letter is typed (``é`` as one character or ``e`` + U+0301, as a Mac or
    some exports write it: rt11 F14; compared in Unicode's composed form, NFC)."""
    return a == b or _name_key(a) == _name_key(b)


def name_difference(a: str, b: str) -> str:
    """Where two names that are not :func:`same_name` first differ, code point by code point,
    when it may not be seen: the names hold a character other than ASCII and are as long as
    each other (a letter swapped for a look-alike; otherwise the difference shows as it is):
    `` (first difference at character 4: stored U+00E9 LATIN SMALL LETTER E WITH ACUTE, new
    U+0435 CYRILLIC SMALL LETTER IE)``, so two names that print alike are told apart."""
    if a.isascii() and b.isascii():
        return ""
    from radiculopathy_desktop.domain.characters import character_name

    a, b = _name_key(a), _name_key(b)
    if len(a) != len(b):
        return ""
    n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    stored = character_name(a[n]) if n < len(a) else "the end of the name"
    new = character_name(b[n]) if n < len(b) else "the end of the name"
    return f" (first difference at character {n + 1}, capitals aside: stored {stored}, new {new})"


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
