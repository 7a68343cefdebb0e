"""One open case per patient: the rule for "this patient already has an open case".

A new intake for a patient who already has an open case made a second open episode
silently (gp14 G10): the worklist showed two rows for one person, and a visit could be
added to the wrong one. Whoever makes a new case (the window's intake, the ``import``
command) asks this module, on both storage engines, and then either stops or goes on
deliberately (a recurrence, say), which is recorded as such.

A case is **open** on a date when its surgical-review status that day
(:func:`~radiculopathy_desktop.domain.followup.surgical_review`) is anything but
``closed``: no decision closed it (referred, patient declined, resolved/discharged), or a
red flag raised after its closing decision stands unacknowledged (the worklist shows it
as Immediate: it is open work). A case whose intake is dated after the date is not yet
counted (the worklist as of that date does not hold it either).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from radiculopathy_desktop.domain.characters import visible_id
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.errors import UserError

if TYPE_CHECKING:  # pragma: no cover
    from radiculopathy_desktop.domain.intake import Case
    from radiculopathy_desktop.domain.settings import ReviewSettings

__all__ = ["OpenCase", "OpenCaseExists", "open_case", "open_cases", "describe_open_cases", "NEW_EPISODE_AUDIT_KEY",
           "patient_key", "patient_id_variants_warning", "closed_case_visit_warning", "same_patient", "may_reopen", "reopens", "ReopenRefused"]

#: The key under which an import's (or an intake's) audit entry lists the cases that were open
#: when a new episode was started deliberately for the same patient.
NEW_EPISODE_AUDIT_KEY = "new_episode_while_open"


@dataclass(frozen=True)
class OpenCase:
    """An open case of a patient, as the clinician is told about it."""

    case_id: str
    patient_id: str
    intake_date: dt.date
    care_start_date: dt.date
    status: ReviewStatus

    def describe(self) -> str:
        """``case EX-1 (intake 2026-05-01, status Due)``."""
        return (f"case {visible_id(self.case_id)} (intake {self.intake_date.isoformat()}, "
                f"status {self.status.label})")

    def to_audit(self) -> dict:
        return {"case_id": self.case_id, "intake_date": self.intake_date.isoformat(), "status": self.status.value}


def open_case(case: "Case", as_of: dt.date, settings: "ReviewSettings | None" = None) -> OpenCase | None:
    """``case`` as an :class:`OpenCase` when it is open on ``as_of`` (module docstring), else None."""
    from radiculopathy_desktop.domain.followup import surgical_review

    if case.intake.visit_date > as_of:
        return None
    status = surgical_review(case, as_of, settings).status
    if status is ReviewStatus.CLOSED:
        return None
    return OpenCase(case.case_id, case.patient.id, case.intake.visit_date, case.intake.care_start_date, status)


def patient_key(patient_id: str) -> str:
    """A patient ID with capitals and compatibility forms aside: ``p-oc-1`` and ``P-OC-1`` are
    one patient for the open-case rule (rt16 F2). A patient ID is stored as typed; only this
    rule, the look-up by ``cases.patient_key`` (m009, m011), the patient list's grouping and
    the warning on a new patient ID that differs from a stored one only so compare them this way.

    The key: NFKC, Unicode ``str.casefold``, NFKC again, and then the four Turkish-layout
    letters I, ı, İ, i made one (id18, rt17 F14). Two IDs are one patient when one becomes
    the other by changing capitals under Unicode's own case mappings: ``İ`` (U+0130, what a
    Turkish keyboard types for capital i) lowers to ``i``, and ``ı`` (U+0131) uppers to ``I``.
    Plain ``casefold`` misses both: it turns ``İ`` into ``i`` plus a combining dot above
    (U+0307) and leaves ``ı`` alone. So a dot above that stands on an ``i`` is dropped, and
    ``ı`` is read as ``i``. Nothing else is dropped: an accent is part of the ID, so
    ``JOSÉ-1`` is not ``JOSE-1``, and ``ė`` (a dot above on another letter) stays. Digits and
    ASCII letters (hospital numbers, NHS numbers) are unchanged by this step. Look-alike IDs
    from other scripts are warned about (UTS #39 skeleton), not merged."""
    if patient_id.isascii():
        return patient_id.lower()  # what the steps below give for ASCII, at a fraction of the cost
    key = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", patient_id).casefold())
    if "\u0307" in key or "\u0131" in key:
        key = unicodedata.normalize("NFKC", _turkish_i_as_i(key))
    return key


def _turkish_i_as_i(text: str) -> str:
    """``text`` (case-folded) with ``ı`` read as ``i`` and a combining dot above (U+0307) left out
    wherever its base letter is ``i`` (other combining marks between them kept: ``İ`` with a
    dot below too)."""
    out: list[str] = []
    base = ""
    for ch in unicodedata.normalize("NFD", text.replace("\u0131", "i")):
        if unicodedata.combining(ch):
            if ch == "\u0307" and base == "i":
                continue
        else:
            base = ch
        out.append(ch)
    return "".join(out)


def patient_id_variants_warning(patient_id: str, others: Sequence[str]) -> str | None:
    """The warning for a new patient ID that differs from stored ones (``others``) only in
    capitals (or compatibility forms): said, not refused, as case IDs are (rt16 F2)."""
    others = sorted({o for o in others if o != patient_id and patient_key(o) == patient_key(patient_id)})
    if not others:
        return None
    return (f"warning: patient {visible_id(patient_id)} differs from stored patient "
            f"{', '.join(visible_id(o) for o in others)} only in capitals: patient IDs are kept as typed, and "
            "these are one patient (the patient list shows them together; one open case per patient); type the "
            "stored ID with its capitals if this is the same person")


def closed_case_visit_warning(case_id: str, patient_id: str, found: Sequence[OpenCase]) -> str | None:
    """What a visit on a closed case says when the patient has another open case (rt16 F2):
    the visit is kept, but its scores and red flags do not reach the open case's review."""
    if not found:
        return None
    return (f"warning: case {visible_id(case_id)} is closed and {describe_open_cases(patient_id, found)}. "
            "This visit is kept on the closed case; its scores and red flags do not count for the open case's "
            "review: record the visit on the open case if it belongs to this episode")


def same_patient(a: str, b: str) -> bool:
    """Whether two patient IDs are one patient for the open-case rule (:func:`patient_key`)."""
    return a == b or patient_key(a) == patient_key(b)


def may_reopen(after: "Case", as_of: dt.date) -> bool:
    """A cheap first look: ``after``'s latest decision on ``as_of`` does not close the case and
    an earlier one did (only then can :func:`reopens` be true)."""
    decided = [d for d in after.decisions if d.date <= as_of]
    return bool(decided) and not decided[-1].kind.closes_case and any(d.kind.closes_case for d in decided[:-1])


def reopens(before: "Case", after: "Case", as_of: dt.date, settings: "ReviewSettings | None" = None) -> bool:
    """Whether a decision re-opens the case: ``after`` (the case with a decision added, or as
    imported) is open on ``as_of`` by a latest decision that does not close it, where ``before``
    (the same case as stored) was closed. A "continue conservative care" recorded on a
    discharged case, say (rt16 F2). A red flag raised at a visit after the closing decision
    re-opens it as open work too (Immediate), but is never refused: it is not this."""
    return (may_reopen(after, as_of) and open_case(before, as_of, settings) is None
            and open_case(after, as_of, settings) is not None)


def open_cases(cases: Iterable["Case"], as_of: dt.date, settings: "ReviewSettings | None" = None,
               exclude: str | None = None) -> list[OpenCase]:
    """The open cases among ``cases`` (all of one patient), but ``exclude``, newest intake first."""
    found = [o for c in cases if c.case_id != exclude for o in [open_case(c, as_of, settings)] if o is not None]
    return sorted(found, key=lambda o: (o.intake_date, o.case_id), reverse=True)


def describe_open_cases(patient_id: str, found: Sequence[OpenCase]) -> str:
    """``patient P-1 already has an open case: case EX-1 (intake ..., status Due)``."""
    what = "an open case" if len(found) == 1 else f"{len(found)} open cases"
    return f"patient {visible_id(patient_id)} already has {what}: " + "; ".join(o.describe() for o in found)


class OpenCaseExists(UserError):
    """A new case for a patient who has an open case, not started deliberately as a new episode:
    nothing saved. ``found`` holds, per refused new case id, the open cases of its patient."""

    def __init__(self, found: Sequence[tuple[str, str, Sequence[OpenCase]]], where: str = "import"):
        self.found = tuple((case_id, patient_id, tuple(opens)) for case_id, patient_id, opens in found)
        self.where = where
        lines = [f"new case {visible_id(case_id)}: {describe_open_cases(patient_id, opens)}"
                 for case_id, patient_id, opens in self.found[:20]]
        if len(self.found) > 20:
            lines.append(f"... and {len(self.found) - 20} more")
        go_on = ("import again with --new-episode" if where == "import"
                 else "choose to start a new episode")
        super().__init__(
            "A new case was given for a patient who already has an open case (not discharged, declined or "
            "referred); nothing was saved. Add the visit to the open case instead, or, if this is deliberately "
            f"a new episode (a recurrence), {go_on}: it is recorded as such in the audit.\n  "
            + "\n  ".join(lines), exit_code=2)

    @property
    def open_cases(self) -> tuple[OpenCase, ...]:
        """Every open case named, once each."""
        seen: dict[str, OpenCase] = {}
        for _cid, _pid, opens in self.found:
            for o in opens:
                seen.setdefault(o.case_id, o)
        return tuple(seen.values())


class ReopenRefused(OpenCaseExists):
    """A decision (or an imported update) that would re-open a closed case while its patient
    has another open case (rt16 F2): nothing saved. ``where``: ``decide`` (the command line's
    ``--new-episode``), ``window`` (the decision dialog asks) or ``import``."""

    def __init__(self, found: Sequence[tuple[str, str, Sequence[OpenCase]]], where: str = "decide"):
        self.found = tuple((case_id, patient_id, tuple(opens)) for case_id, patient_id, opens in found)
        self.where = where
        lines = [f"closed case {visible_id(case_id)} would be re-opened: {describe_open_cases(patient_id, opens)}"
                 for case_id, patient_id, opens in self.found[:20]]
        if len(self.found) > 20:
            lines.append(f"... and {len(self.found) - 20} more")
        go_on = {"decide": "record it again with --new-episode", "import": "import again with --new-episode",
                 "window": "choose to re-open it as a new episode"}.get(where, "choose to re-open it as a new episode")
        UserError.__init__(
            self,
            "This would re-open a closed case while the same patient has another open case; nothing was saved. "
            "Record the decision or visit on the open case instead, or, if re-opening this case is deliberate "
            f"(a new episode of care), {go_on}: it is recorded as such in the audit.\n  " + "\n  ".join(lines),
            exit_code=2)
