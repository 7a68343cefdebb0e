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
from radiculopathy_desktop.errors import UserError

__all__ = ["BIRTH_NEAR_DAYS", "EPISODE_EXISTS", "EpisodeExists", "StoredIdentity", "births_may_be_one",
           "clearly_someone_else", "describe_conflict", "describe_duplicate", "episode_duplicates", "folded_name",
           "identity_conflicts", "name_difference", "names_may_be_one", "same_episode", "same_name"]


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


def same_person(a: Patient, b: Patient) -> bool:
    """Whether two stored or typed patients are one person for the one-open-case rule, the
    pregnancy-contradiction check and the Patients list (rt19 F5, fxc18).

    The rule: the same patient ID is one person (a different name, birth date or sex under
    one ID is refused at input). Two different IDs are one person when they share the
    patient key (``domain.episodes.patient_key``: ``P-1``/``p-1``, ``PİD-1``/``pid-1``)
    **and** their patients agree on name, birth date and sex (unknown on either side is not a
    difference, as in :func:`identity_conflicts`). IDs whose patients differ are different
    people even when the key joins them: such IDs were stored apart before m011 made the
    Turkish-layout I one letter, and are never joined silently; ``check --full`` names them."""
    from radiculopathy_desktop.domain.episodes import patient_key

    if a.id == b.id:
        return True
    if patient_key(a.id) != patient_key(b.id):
        return False
    return not identity_conflicts(StoredIdentity(a.id, a.name, a.birth_date, a.sex), b)


#: Apostrophes as typed: ASCII, the typographic ones macOS and Word put in (U+2019, U+2018), the
#: modifier letter (U+02BC), the grave and acute accents and the prime often typed for one.
_APOSTROPHES = "'\u2019\u2018\u02bc\u0060\u00b4\u2032"
#: Birth dates this many days apart, or less, may be one date mistyped.
BIRTH_NEAR_DAYS = 31


def folded_name(name: str) -> tuple[str, ...]:
    """A name's words as compared by the open-case question only (rt22 F5), never by a join:
    accents dropped (``José``/``JOSE``), apostrophes dropped (``O'Brien``/``O’Brien``/``OBrien``),
    capitals and spaces aside, ``Surname, Given`` read as ``Given Surname``, hyphens and full stops
    as spaces; the words sorted, so their order does not matter."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for ch in _APOSTROPHES:
        text = text.replace(ch, "")
    if text.count(",") == 1:
        surname, given = text.split(",")
        text = f"{given} {surname}"
    for ch in ",.-\u2010\u2011\u2013":
        text = text.replace(ch, " ")
    return tuple(sorted(text.casefold().split()))


def _edits(a: str, b: str, limit: int) -> int:
    """Levenshtein distance between ``a`` and ``b``, or ``limit + 1`` once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
        if min(row) > limit:
            return limit + 1
    return row[-1]


def names_may_be_one(a: str, b: str) -> bool:
    """Whether two names may be one person's name typed two ways (the open-case question's
    reading, rt22 F5; never a silent join): :func:`folded_name` equal; or one slip apart (up to
    one letter per eight, at least one: ``Jos``/``José``, ``Smtih``/``Smith``); or a word of two
    letters or more in common (``Ann Lee``/``Ann Li``, a surname changed); or every word of the
    shorter name is, or begins, a word of the longer (``J O'Brien``, ``O'Brien``)."""
    fa, fb = folded_name(a), folded_name(b)
    if not fa or not fb or fa == fb:
        return True
    ja, jb = " ".join(fa), " ".join(fb)
    if _edits(ja, jb, max(1, min(len(ja), len(jb)) // 8)) <= max(1, min(len(ja), len(jb)) // 8):
        return True
    if any(len(w) > 1 for w in set(fa) & set(fb)):  # a word in common: a name changed, or one word mistyped
        return True
    short, long_ = (fa, fb) if len(fa) <= len(fb) else (fb, fa)
    left = list(long_)
    for word in short:
        match = next((w for w in left if w.startswith(word) or word.startswith(w)), None)
        if match is None:
            return False
        left.remove(match)
    return True


def births_may_be_one(a: dt.date, b: dt.date) -> bool:
    """Whether two birth dates may be one date mistyped: at most :data:`BIRTH_NEAR_DAYS` apart,
    day and month swapped, or one digit changed or two neighbouring digits swapped (YYYYMMDD)."""
    if abs((a - b).days) <= BIRTH_NEAR_DAYS or (a.year == b.year and a.month == b.day and a.day == b.month):
        return True
    da, db = a.strftime("%Y%m%d"), b.strftime("%Y%m%d")
    diff = [i for i, (x, y) in enumerate(zip(da, db)) if x != y]
    return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                               and da[diff[0]] == db[diff[1]] and da[diff[1]] == db[diff[0]])


def clearly_someone_else(stored: Patient, typed: Patient) -> bool:
    """For the open-case QUESTION only (rt22 F5): whether a typed patient whose ID shares a
    stored patient's key is clearly another person, so her cases are not asked about. A question
    errs towards asking: it is asked unless the names are clearly different
    (:func:`names_may_be_one` false, both typed) **and** no birth date says otherwise (unknown on
    either side, or far apart: not :func:`births_may_be_one`). Sex alone never makes another
    person (a sex mistyped under the same name and birth date is still asked). The silent joins
    (:func:`same_person`: pregnancy differs, the Patients list, an episode) are not loosened."""
    if stored.id == typed.id:
        return False
    if not (stored.name and typed.name) or names_may_be_one(stored.name, typed.name):
        return False
    return not (stored.birth_date and typed.birth_date and births_may_be_one(stored.birth_date, typed.birth_date))


def held_apart(patients) -> list[tuple[str, ...]]:
    """The stored patient IDs that share a patient key but whose patients differ (name, birth
    date or sex): each group of such IDs, sorted, the groups in key order. ``patients`` are
    :class:`~radiculopathy_desktop.domain.intake.Patient` (one per stored ID)."""
    from radiculopathy_desktop.domain.episodes import patient_key

    by_key: dict[str, dict[str, Patient]] = {}
    for p in patients:
        by_key.setdefault(patient_key(p.id), {})[p.id] = p
    out = []
    for key in sorted(by_key):
        group = list(by_key[key].values())
        if len(group) > 1 and any(not same_person(x, y) for i, x in enumerate(group) for y in group[i + 1:]):
            out.append(tuple(sorted(p.id for p in group)))
    return out


def cases_of_person(cases, patient_id: str, patient: Patient | None = None) -> list:
    """The cases among ``cases`` (those sharing ``patient_id``'s patient key) that are that
    patient's (:func:`same_person`): when ``patient_id`` itself is stored, the cases of the IDs
    whose patients differ from it are left out. A new ID is judged against ``patient``, the
    patient as typed (its name, birth date and sex; the window's intake passes it, so the
    open-case question is never asked about another person's case under a joined key, dup19),
    leaving out only the cases of a patient who is :func:`clearly_someone_else` (a question errs
    towards asking, rt22 F5: ``JOSE O'BRIEN``, ``O’Brien, José``, a birth date a day apart are
    asked); without it a new ID keeps them all.

    The ONE rule for "the same person with an open case" (sav21): the window's question (Next and
    Save), the store's save-time check and its ``new_episode_while_open`` audit entry
    (``engine_common.OpenCaseCheck``, which passes each new case's patient) and ``import`` all ask
    this function, so a person the question asked about is refused without a decision and audited
    with one, exactly once. It only chooses whom to ask about; it never joins two IDs (the silent
    joins stay :func:`same_person`)."""
    cases = list(cases)
    own = next((c.patient for c in cases if c.patient.id == patient_id), None)
    if own is None and patient is not None:
        typed = patient if patient.id == patient_id else Patient(patient_id, patient.name, patient.birth_date,
                                                                 sex=patient.sex)
        # a question errs towards asking (rt22 F5): only a clearly different person is left out
        return [c for c in cases if not clearly_someone_else(c.patient, typed)]
    if own is None:
        return cases
    return [c for c in cases if same_person(c.patient, own)]


def person_groups(items, patient_of) -> list[list]:
    """``items`` grouped into people (:func:`same_person` with the group's first item), each
    group in the order of its first item, within a group in the given order; ``patient_of``
    gives an item's :class:`Patient`."""
    groups: list[tuple[Patient, list]] = []
    for item in items:
        p = patient_of(item)
        for first, members in groups:
            if same_person(first, p):
                members.append(item)
                break
        else:
            groups.append((p, [item]))
    return [members for _first, members in groups]


def match_patient(match) -> Patient:
    """A stored patient search match (``patient_id``, ``name``, ``birth_date``, ``sex``) as a
    :class:`Patient`, for :func:`same_person`."""
    return Patient(id=match.patient_id, name=match.name, birth_date=match.birth_date, sex=match.sex)


# ---- one episode, one case (gp18 F5): the window's intake and ``import`` share this rule
def same_episode(a, b) -> bool:
    """Whether two cases are one episode of one illness, so one case: the same person
    (:func:`same_person`: one patient ID, or IDs sharing the patient key whose patients agree
    on name, birth date and sex) with the same onset date. The side is not compared: an
    episode is dated by its onset, and the intake's side may be corrected at a visit."""
    return a.intake.onset_date == b.intake.onset_date and same_person(a.patient, b.patient)


def episode_duplicates(case, others) -> list:
    """The cases among ``others`` (not ``case`` itself, by case ID) that are the same episode
    as ``case`` (:func:`same_episode`), by case ID."""
    return sorted((o for o in others if o.case_id != case.case_id and same_episode(case, o)),
                  key=lambda o: o.case_id)


def describe_duplicate(case_id: str, patient_id: str, onset: dt.date, existing_id: str, where: str) -> str:
    """One duplicate episode in words, the same on every path (window, ``import``)."""
    from radiculopathy_desktop.domain.characters import visible_id

    return (f"case {visible_id(case_id)}: patient {visible_id(patient_id)}, onset date {onset.isoformat()}, "
            f"is already case {visible_id(existing_id)}{where}")


class EpisodeExists(UserError):
    """A new case that is the same episode as another (:func:`same_episode`): nothing saved.
    ``found`` holds (new case id, patient id, onset date, existing case id, where), ``where``
    being :data:`IN_TRACKER` for a stored case or " earlier in this file"."""

    def __init__(self, found, path: str = "import"):
        self.found = tuple(found)
        lines = [describe_duplicate(*item) for item in self.found[:20]]
        if len(self.found) > 20:
            lines.append(f"... and {len(self.found) - 20} more")
        if path == "import":
            tail = ("nothing was imported. Give the case the existing case's ID to update it, or correct the patient "
                    "ID or onset date:")
        else:
            tail = ("nothing was saved. Open the existing case to add a follow-up visit, or correct the patient ID "
                    "or onset date:")
        super().__init__(EPISODE_EXISTS + "; " + tail + "\n  " + "\n  ".join(lines), exit_code=2)

    @property
    def existing(self) -> tuple[str, ...]:
        """The stored cases named, once each, in order."""
        return tuple(dict.fromkeys(item[3] for item in self.found if item[4] == IN_TRACKER))


IN_TRACKER = " in the tracker"

#: The rule in one sentence, at the head of every refusal (window and ``import``).
EPISODE_EXISTS = ("This case already exists: the same patient (one patient ID, or IDs differing only in capitals "
                  "whose name, birth date and sex agree) with the same onset date is one episode, one case")
