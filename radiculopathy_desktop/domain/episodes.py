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
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Sequence

from radiculopathy_desktop.domain.characters import visible_id
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.errors import UserError

if TYPE_CHECKING:  # pragma: no cover
    from radiculopathy_desktop.domain.intake import Case
    from radiculopathy_desktop.domain.settings import ReviewSettings

__all__ = ["OpenCase", "OpenCaseExists", "open_case", "open_cases", "describe_open_cases", "NEW_EPISODE_AUDIT_KEY",
           "patient_key", "patient_id_variants_warning", "closed_case_visit_warning", "same_patient", "may_reopen", "reopens", "ReopenRefused",
           "PREGNANCY_KNOWN_WEEKS", "PregnancyContradiction", "pregnancy_contradictions", "pregnancy_differs_made",
           "pregnancy_contradictions_text", "new_pregnancy_contradictions", "pregnancy_advice_warning",
           "PREGNANCY_DIFFERS_REASON", "PREGNANCY_DIFFERS_MARK", "PregnancyDiffers", "pregnancy_differs", "count_words", "ordinal_words"]

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
    stored = "stored patient" if len(others) == 1 else "stored patients"
    return (f"warning: patient {visible_id(patient_id)} differs from {stored} "
            f"{', '.join(visible_id(o) for o in others)} only in capitals: patient IDs are kept as typed, and "
            "these are one patient (the patient list shows them together; one open case per patient); type the "
            "stored ID with its capitals if this is the same person")


_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ORDINALS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def count_words(n: int) -> str:
    """``3`` -> "three" (digits from 11 on)."""
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)


def ordinal_words(n: int) -> str:
    """``3`` -> "third" (``11th`` and on)."""
    if 0 < n < len(_ORDINALS):
        return _ORDINALS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def a_ordinal(n: int) -> str:
    """``ordinal_words(n)`` with its article as spoken: "a third", "an eighth", "an 11th", "an 18th",
    "an 80th" (a visit warning said "a eighth record")."""
    spoken_vowel = n in (11, 18) or str(n).startswith("8")
    return f"{'an' if spoken_vowel else 'a'} {ordinal_words(n)}"


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


# --------------------------------------------------------------------------- pregnancy across one patient's cases
class PregnancyRulesError(ValueError):
    """resources/rules/pregnancy.toml holds a threshold that is missing, out of range or unsourced."""


def load_pregnancy_rules(path=None) -> dict[str, tuple[int, str]]:
    """resources/rules/pregnancy.toml: name -> (weeks, source). Each value must be a whole number
    of weeks from 1 to 42 with its source; anything else is refused by name, never guessed."""
    import tomllib

    from radiculopathy_desktop.resources import resource_path

    with open(path or resource_path("rules", "pregnancy.toml"), "rb") as fh:
        raw = tomllib.load(fh)
    out: dict[str, tuple[int, str]] = {}
    for name in ("known_weeks",):
        entry = raw.get(name)
        where = f"pregnancy.toml [{name}]"
        if not isinstance(entry, dict):
            raise PregnancyRulesError(f"{where}: missing")
        weeks, source = entry.get("weeks"), entry.get("source")
        if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 42:
            raise PregnancyRulesError(f"{where}: weeks must be a whole number from 1 to 42, not {weeks!r}")
        if not isinstance(source, str) or not source.strip():
            raise PregnancyRulesError(f"{where}: has no source")
        out[name] = (weeks, source.strip())
    return out


@lru_cache(maxsize=1)
def pregnancy_rules() -> dict[str, tuple[int, str]]:
    return load_pregnancy_rules()


def __getattr__(name: str):
    #: ``PREGNANCY_KNOWN_WEEKS``: completed weeks of gestation (counted, as every recorded weeks
    #: are, from the first day of the last period) from which a pregnancy can be taken as known to
    #: the patient (a home test from the first day of a missed period: NHS, [unverified] copies):
    #: data, resources/rules/pregnancy.toml ``[known_weeks]`` with its source (src19; f5p18 had
    #: it here in the code). A "not pregnant" answered on a day when another case's record puts
    #: her at fewer weeks is no contradiction (she may not have known); from these weeks on it is.
    if name == "PREGNANCY_KNOWN_WEEKS":
        return pregnancy_rules()["known_weeks"][0]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class PregnancyContradiction:
    """Two cases of one patient (:func:`patient_key`) disagreeing on her pregnancy on ``day``:
    ``pregnant_case`` records a pregnancy giving ``weeks`` completed weeks that day, and
    ``other_case`` records "not pregnant" on it (``other_weeks`` None) or a pregnancy of
    ``other_weeks`` weeks, more than :data:`~radiculopathy_desktop.domain.intake.PREGNANCY_WEEKS_REVISION`
    apart. ``pregnant_words`` / ``other_words`` say what each case recorded, and where."""

    day: dt.date
    pregnant_case: str
    weeks: int
    pregnant_words: str
    other_case: str
    other_weeks: int | None
    other_words: str
    #: "" for two answers disagreeing on a day one of them was recorded; "stale": the other case's
    #: standing "not pregnant" (or fewer weeks) was recorded before this pregnancy and is still what
    #: its medicine checks read on ``day`` (rt20 F1); "not_asked": the other case never asked, so
    #: its checks take her as not pregnant on ``day`` (rt20 F2). Both from :func:`pregnancy_differs`.
    kind: str = ""
    #: The pregnant case's weeks on the reading day (:func:`pregnancy_differs`'s ``day``, today for
    #: every reader but an as-of one) when ``day`` is an earlier day: "18 weeks on 2026-09-01" alone
    #: hid that she is 31 weeks today, which is what makes an NSAID dangerous now (gp19 F2).
    now_weeks: int | None = None
    now_day: dt.date | None = None
    #: Whether the reading day (``now_day``) is today: False for a reading of a past date (an
    #: ``--as-of`` before today), which says "29 weeks on 2026-11-16", never "today" (rt21 F6).
    now_is_today: bool = True
    #: The case ID of an intake still being typed (the window's open-case and Save questions;
    #: gp21 F7): it is said as "this intake (not saved yet)", never "case P-2026-11-20" (an ID the
    #: clinician has never seen, carrying the onset date beside the visit date), and its record as
    #: "on its visit date, DAY". "" for stored cases.
    unsaved_case: str = ""

    @property
    def cases(self) -> tuple[str, str]:
        return (self.pregnant_case, self.other_case)

    def _named(self, case_id: str) -> str:
        return "this intake (not saved yet)" if case_id == self.unsaved_case else f"case {visible_id(case_id)}"

    def _words(self, case_id: str, words: str) -> str:
        """What a case recorded; for the intake being typed, its date said as its visit date."""
        return words.replace(" at the intake of ", " on its visit date, ") if case_id == self.unsaved_case else words

    def now_words(self) -> str:
        """", 31 weeks today (2026-11-30)" when ``day`` is earlier than the reading day, " (today)" when it
        is the reading day; "" when the reading day is not known. A reading day that is not today (a
        past ``--as-of``) is named by its date: ", 29 weeks on 2026-11-16", and nothing when it is
        ``day`` itself (rt21 F6: "29 weeks today (2026-11-16)" was printed on 2026-12-01)."""
        if self.now_day is None:
            return ""
        if self.now_day == self.day:
            return " (today)" if self.now_is_today else ""
        if not self.now_weeks:
            return ""
        if not self.now_is_today:
            return f", {_weeks_words(self.now_weeks)} on {self.now_day.isoformat()}"
        return f", {_weeks_words(self.now_weeks)} today ({self.now_day.isoformat()})"

    def text(self) -> str:
        """The contradiction in words, with what to do."""
        pregnant, other = self._named(self.pregnant_case), self._named(self.other_case)
        pregnant_words = self._words(self.pregnant_case, self.pregnant_words)
        other_words = self._words(self.other_case, self.other_words)
        if self.kind:
            return (f"The pregnancy differs between two cases of this patient: {pregnant} "
                    f"records {pregnant_words}, so she is {_weeks_words(self.weeks)} pregnant on "
                    f"{self.day.isoformat()}{self.now_words()}; {other} {other_words}, and its "
                    "medicine checks read that answer on this day: ask her, and record the answer at a visit on "
                    "the case that is wrong")
        if self.other_weeks is None:
            what = (f"{pregnant} records {pregnant_words}, so she was "
                    f"{_weeks_words(self.weeks)} pregnant on {self.day.isoformat()}{self.now_words()}; "
                    f"{other} records her not pregnant that day ({other_words})")
        else:
            what = (f"{pregnant} records {pregnant_words}, {_weeks_words(self.weeks)} "
                    f"on {self.day.isoformat()}{self.now_words()}; {other} records {other_words}, "
                    f"{_weeks_words(self.other_weeks)} that day")
        return (f"The pregnancy differs between two cases of this patient: {what}. Each case's medicine checks read "
                "its own answer: ask her, and record the answer at a visit on the case that is wrong")

    def to_audit(self) -> dict:
        return {"day": self.day.isoformat(), "pregnant_case": self.pregnant_case, "weeks": self.weeks,
                "other_case": self.other_case, "other_weeks": self.other_weeks, **({"kind": self.kind} if self.kind else {})}


def _pregnancy_records(case: "Case") -> list[tuple[dt.date, bool, int | None, bool]]:
    """The case's pregnancy answers, intake first then each visit recording one in the order the
    case holds them: (date, pregnant, weeks, at a visit)."""
    p = case.intake.patient
    out: list[tuple[dt.date, bool, int | None, bool]] = []
    if p.pregnancy_weeks is not None:
        out.append((case.intake.visit_date, True, p.pregnancy_weeks, False))
    elif p.pregnant is False:
        out.append((case.intake.visit_date, False, None, False))
    for v in case.visits:
        if v.pregnancy is not None:
            out.append((v.date, v.pregnancy.pregnant, v.pregnancy.weeks, True))
    return out


def _standing_record(case: "Case") -> tuple[dt.date, bool, int | None, bool] | None:
    """The case's latest pregnancy answer (the latest date; on one date the one entered last, the
    order the case holds them): the answer that stands, as everywhere else in the product. An
    earlier answer it supersedes is no longer compared with other cases (rt18 F4: recording the
    right answer on the wrong case clears the contradiction)."""
    records = _pregnancy_records(case)
    if not records:
        return None
    # max() keeps the first of equal keys; the index makes the one held last win on a date.
    return max(enumerate(records), key=lambda r: (r[1][0], r[0]))[1]


def _weeks_words(weeks: int) -> str:
    return f"{weeks} week" if weeks == 1 else f"{weeks} weeks"


def _where(day: dt.date, weeks: int | None, at_visit: bool) -> str:
    where = f"the visit of {day.isoformat()}" if at_visit else f"the intake of {day.isoformat()}"
    return f"pregnant, {_weeks_words(weeks)} at {where}" if weeks is not None else f"not pregnant at {where}"


def _weeks_said(case: "Case", day: dt.date) -> tuple[int, str] | None:
    """The weeks ``case`` gives on ``day`` and which record gave them: its pregnancy standing that
    day (the one rule, ``Case.pregnancy_status``), or, when it gives no answer for the day, its
    first record of a pregnancy after ``day`` counted back. None when it records no pregnancy for
    the day, or one past its plausible end (then it asks;
    :class:`~radiculopathy_desktop.domain.intake.PregnancyOnDate`).
    A pregnancy recorded as ended stands no further from its end date (the visit's "ended on"),
    or the visit's date when the end date is not known (rt18 F5). A case that answers "not
    pregnant" for the day is not counted back from a later pregnancy (rt18 F6)."""
    for v in case.visits:
        u = v.pregnancy
        if u is not None and not u.pregnant and (u.ended_on or v.date) <= day:
            later = [r for r in _pregnancy_records(case) if r[1] and r[0] > (u.ended_on or v.date) and r[0] <= day]
            if not later:
                return None
    status = case.pregnancy_status(day)
    if status.recorded_on is not None and status.recorded_on <= day:
        if status.answer == "no":
            return None
        if status.answer == "yes":
            on = status.on_date
            if on is None or on.beyond_plausible_end:
                return None
            return on.weeks, _where(on.recorded_on, on.recorded_weeks, status.at_visit)
    for on, pregnant, weeks, at_visit in _pregnancy_records(case):
        if on > day and pregnant:
            counted = weeks + (day - on).days // 7  # completed weeks, counted back
            return (counted, _where(on, weeks, at_visit)) if counted >= 0 else None
    return None


def pregnancy_contradictions(case: "Case", others: Iterable["Case"]) -> list[PregnancyContradiction]:
    """Where ``case`` and the patient's other cases (``others``; the same :func:`patient_key`,
    ``case`` itself left out) disagree on her pregnancy, on the date of a record of either
    (gp17 F5: a new episode saved "not pregnant" beside a case recording 33 weeks that day).

    On each day a pregnancy answer is recorded on one of the two cases:

    * "not pregnant" recorded on one, while the other gives at least
      :data:`PREGNANCY_KNOWN_WEEKS` weeks that day: from its pregnancy standing then (weeks
      counted on from the record's date, as the medicine checks count them, up to the plausible
      end, past which it asks), or from its later record of a pregnancy counted back to the day.
      A pregnancy recorded as ended (a visit's "no longer pregnant", its end date or the visit's
      date) stands no further: a later "not pregnant" elsewhere agrees with it.
    * pregnant on both, the weeks more than ``PREGNANCY_WEEKS_REVISION`` apart (the visit's own
      rule for weeks recorded again: a dating scan moves them by a week or two).

    Only each case's standing answer (its latest, :func:`_standing_record`) is compared, on its
    own date, with what the other case gives that day: an answer superseded on its own case no
    longer counts (rt18 F4), and two "not pregnant" answers never contradict each other.

    Pure; each pair of cases is named once, on the later of the two standing answers' days
    (both ways round compare the same two answers), the earliest day first."""
    from radiculopathy_desktop.domain.intake import PREGNANCY_WEEKS_REVISION

    known_weeks = pregnancy_rules()["known_weeks"][0]
    found: list[PregnancyContradiction] = []
    for other in others:
        if other.case_id == case.case_id or not same_patient(other.patient.id, case.patient.id):
            continue
        for a, b in ((case, other), (other, case)):  # a's standing answer, b read on its day
            record = _standing_record(a)
            if record is None:
                continue
            on, pregnant, weeks, at_visit = record
            said = _weeks_said(b, on)
            if said is None:
                continue
            b_weeks, b_words = said
            if not pregnant and b_weeks >= known_weeks:
                item = PregnancyContradiction(on, b.case_id, b_weeks, b_words, a.case_id, None,
                                              _where(on, None, at_visit))
            elif pregnant and abs(weeks - b_weeks) > PREGNANCY_WEEKS_REVISION:
                item = PregnancyContradiction(on, b.case_id, b_weeks, b_words, a.case_id, weeks,
                                              _where(on, weeks, at_visit))
            else:
                continue
            found.append(item)
    # Both ways round compare the same two standing answers: name the pair once, on the later day
    # (the nearer to now; the other day is the same disagreement counted back).
    latest: dict[tuple[str, ...], PregnancyContradiction] = {}
    for item in found:
        pair = tuple(sorted(item.cases))
        if pair not in latest or item.day > latest[pair].day:
            latest[pair] = item
    return sorted(latest.values(), key=lambda c: (c.day, c.other_case, c.pregnant_case))


def new_pregnancy_contradictions(before: Sequence[PregnancyContradiction],
                                 after: Sequence[PregnancyContradiction]) -> list[PregnancyContradiction]:
    """The contradictions in ``after`` not already in ``before``: compared as contradictions
    (which cases, which records, which day, which weeks), never as pairs of cases, so a new
    contradiction between two cases already named once is asked, warned and audited too (rt18 F3)."""
    had = set(before)
    return [c for c in after if c not in had]


def _with_now(c: PregnancyContradiction, pregnant: "Case | None", day: dt.date,
              today: dt.date | None = None) -> PregnancyContradiction:
    """``c`` with the pregnant case's weeks on ``day`` when ``c`` is about an earlier day;
    ``today``: the date today, when ``day`` may be another (None: ``day`` is today)."""
    is_today = today is None or today == day
    if c.day == day:
        return replace(c, now_weeks=c.weeks, now_day=day, now_is_today=is_today)
    if pregnant is None or c.day > day:
        return c
    said = _weeks_said(pregnant, day)
    return replace(c, now_weeks=said[0], now_day=day, now_is_today=is_today) if said is not None else c


def pregnancy_advice_warning(case_id: str, found: Sequence[PregnancyContradiction]) -> str | None:
    """What every output giving medicine advice from case ``case_id`` (a handout, a referral
    summary) says while a pregnancy contradiction naming it stands (gp18 F1: the "not pregnant"
    case's sheet said "keep taking ibuprofen" beside a case at 31 weeks). Neither answer is
    assumed: the advice is read from this case's own answer, and the words say which answer that
    is and that the clinician must resolve it before relying on it. None when none names it."""
    mine = [c for c in found if case_id in c.cases]
    if not mine:
        return None
    lines = []
    for c in mine:
        if c.kind and c.other_case == case_id:
            lines.append(f"case {visible_id(case_id)} {c.other_words}, but case {visible_id(c.pregnant_case)} gives "
                         f"{_weeks_words(c.weeks)} of pregnancy on {c.day.isoformat()}{c.now_words()}: this case's "
                         "medicine advice is read from its own answer "
                         "(a medicine unsafe at her weeks in the other case is not rated so here; its sheet asks her to "
                         "check before her next dose)")
        elif c.kind:
            lines.append(f"case {visible_id(case_id)} gives {_weeks_words(c.weeks)} of pregnancy on "
                         f"{c.day.isoformat()}{c.now_words()}, but case {visible_id(c.other_case)} {c.other_words}: "
                         "this case's medicine advice is read as if she were pregnant")
        elif c.other_case == case_id and c.other_weeks is None:
            lines.append(f"case {visible_id(case_id)} records her NOT pregnant, but case "
                         f"{visible_id(c.pregnant_case)} gives {_weeks_words(c.weeks)} of pregnancy on "
                         f"{c.day.isoformat()}{c.now_words()}: this case's medicine advice is read as if she were "
                         "not pregnant "
                         "(a medicine unsafe at her weeks in the other case is not rated so here; its sheet asks her to "
                         "check before her next dose)")
        elif c.pregnant_case == case_id and c.other_weeks is None:
            lines.append(f"case {visible_id(case_id)} gives {_weeks_words(c.weeks)} of pregnancy on "
                         f"{c.day.isoformat()}{c.now_words()}, but case {visible_id(c.other_case)} records her not "
                         "pregnant: "
                         "this case's medicine advice is read as if she were pregnant")
        else:
            mine_weeks = c.weeks if c.pregnant_case == case_id else c.other_weeks
            theirs = c.other_weeks if c.pregnant_case == case_id else c.weeks
            other = c.other_case if c.pregnant_case == case_id else c.pregnant_case
            lines.append(f"case {visible_id(case_id)} gives {_weeks_words(mine_weeks)} of pregnancy on "
                         f"{c.day.isoformat()}, but case {visible_id(other)} gives {_weeks_words(theirs)}: "
                         "this case's medicine advice is read from its own weeks")
    return ("The pregnancy is not settled: " + "; ".join(lines) + ". Ask her, and record the right answer at a "
            "visit on the case that is wrong, before relying on this advice")


def pregnancy_contradictions_text(found: Sequence[PregnancyContradiction]) -> str:
    """Each contradiction on a line of its own."""
    return "\n".join(c.text() + "." for c in found)


#: The reason the Medicine alerts filter (window and ``worklist --medicine-alerts``, both engines)
#: gives for a case listed because another case of the patient records her pregnant (gp18 F1).
PREGNANCY_DIFFERS_REASON = "pregnancy differs between cases"
#: The reason for a case whose pregnancy was never asked beside a case recording her pregnant on
#: the day (rt20 F2).
PREGNANCY_NOT_ASKED_REASON = "pregnancy not asked on this case; another case records her pregnant"
#: The worklist's short mark on both cases' rows while the contradiction stands.
PREGNANCY_DIFFERS_MARK = "Pregnancy differs"


@dataclass(frozen=True)
class PregnancyDiffers:
    """What one case carries while another case of the patient contradicts its pregnancy answer
    (:func:`pregnancy_differs`): the contradictions naming it, the advice warning
    (:func:`pregnancy_advice_warning`), and, when the other case gives more weeks of pregnancy
    than this one (her "not pregnant", or fewer weeks), those weeks on the day (``if_weeks``, as
    case ``if_case`` records them) and the medicine alerts this case's own medicines would carry
    if she were pregnant so (``if_pregnant``: ``domain.medicine_alerts.MedicineAlert``, worst
    first; the very rule of the case page, run with the other case's pregnancy)."""

    case_id: str
    found: tuple[PregnancyContradiction, ...]
    warning: str
    if_case: str | None = None
    if_weeks: int | None = None
    if_pregnant: tuple = ()

    @property
    def reason(self) -> str:
        """Why Medicine alerts lists it: :data:`PREGNANCY_NOT_ASKED_REASON` when this case never
        asked and another case records her pregnant on the day, else :data:`PREGNANCY_DIFFERS_REASON`."""
        if any(c.kind == "not_asked" and c.other_case == self.case_id for c in self.found):
            return PREGNANCY_NOT_ASKED_REASON
        return PREGNANCY_DIFFERS_REASON

    @property
    def listed(self) -> bool:
        """Whether Medicine alerts lists the case for it: her medicines would carry an alert if she
        were pregnant as the other case records (the "not pregnant" case must not read as safe)."""
        return bool(self.if_pregnant)

    def alerts_words(self) -> str:
        """The alerts she would have if pregnant, one sentence each ("" when none)."""
        return " ".join(f"{a.status_label}: {a.named()}." + (f" {a.action}" if a.action else "")
                        for a in self.if_pregnant)

    def text(self) -> str:
        """The case page's banner: each contradiction (the other case and its weeks), then the
        alerts her medicines would carry at the other case's weeks, or that they carry none."""
        lines = [c.text() + "." for c in self.found]
        if self.if_weeks is not None:
            head = (f"If she is pregnant as case {visible_id(self.if_case)} records ({_weeks_words(self.if_weeks)} "
                    "on this day), this case's medicines")
            lines.append(f"{head} carry: {self.alerts_words()}" if self.if_pregnant
                         else f"{head} carry no alert.")
        return "\n".join(lines)

    #: What to do while it stands, the last words of the worklist's marks.
    ASK = "Ask her, and record the right answer at a visit on the case that is wrong."

    def if_words(self) -> str:
        """"If pregnant as case X records (31 weeks)": the pregnancy the if-pregnant alerts read."""
        return f"If pregnant as case {visible_id(self.if_case)} records ({_weeks_words(self.if_weeks)})"

    def mark_action(self) -> str:
        """The worklist's alert text for a listed case (:attr:`listed`): which case, which weeks,
        what the medicines would carry, and what to do."""
        return f"{self.if_words()}: {self.alerts_words()} {self.ASK}"

    def mark_words(self) -> str:
        """The one wording of the mark where a clinician looks first (gp19 F11: the window's Why,
        the cases CSV and the summary's page 1 each said it differently, or not at all):
        "Pregnancy differs: case X records her not pregnant on D" on the pregnant case's row,
        "Pregnancy differs: case X records 18 weeks pregnant on D, 31 weeks today (D)" on the other."""
        return f"{PREGNANCY_DIFFERS_MARK}: {'; '.join(self._other_records())}"

    def _other_records(self) -> list[str]:
        parts = []
        for c in self.found:
            if c.pregnant_case == self.case_id:
                theirs = ("not pregnant" if c.other_weeks is None
                          else f"{_weeks_words(c.other_weeks)}")
                other = c.other_case
            else:
                theirs, other = f"{_weeks_words(c.weeks)} pregnant", c.pregnant_case
            now = c.now_words() if other == c.pregnant_case else ""  # her weeks today (gp19 F2)
            parts.append(f"case {visible_id(other)} records {theirs} on {c.day.isoformat()}{now}")
        return parts

    def short(self) -> str:
        """A row's few words (the chooser, the open-case question): the other case and its answer."""
        text = "PREGNANCY DIFFERS between cases: " + "; ".join(self._other_records())
        if self.if_pregnant:
            text += (f"; if pregnant {_weeks_words(self.if_weeks)}: "
                     + "; ".join(f"{a.status_label} {a.named()}" for a in self.if_pregnant))
        return text


def _as_of_day(case: "Case", day: dt.date) -> "Case":
    """``case`` as it stood on ``day``: its visits dated after it left out (rt20 F7: a worklist as
    of an earlier date cited a visit recorded later)."""
    if all(v.date <= day for v in case.visits):
        return case
    return replace(case, visits=tuple(v for v in case.visits if v.date <= day))


def _checks_read(case: "Case", day: dt.date) -> tuple[int | None, str] | None:
    """What ``case``'s medicine checks read on ``day``: (weeks, its words), weeks None for "not
    pregnant" (its standing answer, whatever its date) or never asked (the checks take her as not
    pregnant: the intake says so). None when its checks read a pregnancy they cannot count on
    (past its plausible end: they keep the pregnancy warnings and ask)."""
    status = case.pregnancy_status(day)
    if status.answer == "yes":
        on = status.on_date
        if on is None or on.beyond_plausible_end:
            return None
        return on.weeks, _where(on.recorded_on, on.recorded_weeks, status.at_visit)
    if status.answer == "no":
        return None, f"records her NOT pregnant (its standing answer: {_where(status.recorded_on, None, status.at_visit)})"
    return None, "never asked about a pregnancy"


def _reads_below(low: "Case", high: "Case", day: dt.date) -> PregnancyContradiction | None:
    """rt20 F1/F2: what the app believes about ``day``. ``high`` gives her at least
    :data:`PREGNANCY_KNOWN_WEEKS` weeks pregnant on ``day`` from a record on or before it, while
    ``low``'s medicine checks read her not pregnant that day (a standing "not pregnant" recorded
    before this pregnancy began, or the question never asked) or at fewer weeks, more than
    ``PREGNANCY_WEEKS_REVISION`` fewer. Then ``low`` is read as a contradiction is. None otherwise:
    ``high`` no longer pregnant on the day (ended, or past its plausible end), or ``low`` pregnant
    at about the same weeks; two "not pregnant" never differ (``high`` must be pregnant)."""
    from radiculopathy_desktop.domain.intake import PREGNANCY_WEEKS_REVISION

    status = high.pregnancy_status(day)
    if status.answer != "yes" or status.recorded_on is None or status.recorded_on > day:
        return None
    said = _weeks_said(high, day)
    if said is None or said[0] < pregnancy_rules()["known_weeks"][0]:
        return None
    reads = _checks_read(low, day)
    if reads is None:
        return None
    weeks, words = reads
    if weeks is not None:
        if said[0] - weeks <= PREGNANCY_WEEKS_REVISION:
            return None
        words = f"records {words}, {_weeks_words(weeks)} on {day.isoformat()}"
    kind = "not_asked" if low.pregnancy_status(day).answer == "unknown" else "stale"
    return PregnancyContradiction(day, high.case_id, said[0], said[1], low.case_id, weeks, words, kind)


#: The kinds of :class:`PregnancyContradiction` made from a case's *standing* answer (recorded
#: before the other case's pregnancy, or never asked), not from a record dated when she was
#: pregnant by the other case.
STANDING_KINDS = ("stale", "not_asked")


def _closed_history(c: PregnancyContradiction, case: "Case", others: Sequence["Case"], day: dt.date) -> bool:
    """Whether ``c`` is made only by a closed case's standing answer (misc20): a case closed on
    ``day`` (discharged, declined, referred: ``open_case`` None, as the open-case rule reads it)
    whose "not pregnant" (or fewer weeks, or never asked) was recorded before the other case's
    pregnancy advises on no medicine now; its old answer is history, not a difference to settle
    (a visit on a closed case to "correct" it would be refused or warned about). Kept: a closed
    case's recorded pregnancy, which outlives the case (rt20: it still marks her open
    "not pregnant" case), and any answer a closed case recorded on a day another case records
    her pregnant (``kind`` "")."""
    if c.kind not in STANDING_KINDS:
        return False
    low = case if case.case_id == c.other_case else next((o for o in others if o.case_id == c.other_case), None)
    return low is not None and open_case(low, day) is None


def pregnancy_differs_made(after: "Case", others: Iterable["Case"], day: dt.date,
                           before: "Case | None" = None, today: dt.date | None = None) -> list[PregnancyContradiction]:
    """What a save makes differ (sav21): the contradictions naming ``after`` that the worklist,
    the case page and Medicine alerts show on ``day`` (:func:`pregnancy_differs`, the one rule:
    a closed case's standing "not pregnant" or never-asked question is history and does not
    count, a closed case's recorded pregnancy still does, misc20), less those ``before`` (the
    case as stored, None for a new case) already shows (:func:`new_pregnancy_contradictions`).
    Every save-time surface asks this: the intake's and the visit dialog's "The pregnancy differs"
    question, ``import``'s warning and audit entry, ``visit``'s warning and audit entry; so what
    is asked at Save is what the worklist then marks, no more and no less. ``day``: the day the
    saved record is dated (the import's date for ``import``); ``today``: the date today when
    ``day`` may be an earlier one (the words then say "on DATE"; None: ``day`` is today). Only
    ``after``'s own person's cases count (``domain.identity.same_person``, as the worklist reads
    them once saved): another person under a joined patient key is never compared."""
    from radiculopathy_desktop.domain.identity import same_person

    others = [o for o in others if same_person(o.patient, after.patient)]
    now = pregnancy_differs(after, others, day, None, today)
    found = list(now.found) if now is not None else []
    if before is not None and found:
        had = pregnancy_differs(before, others, day, None, today)
        found = new_pregnancy_contradictions(had.found if had is not None else (), found)
    return found


def pregnancy_differs(case: "Case", others: Iterable["Case"], day: dt.date,
                      profile: str | None, today: dt.date | None = None) -> PregnancyDiffers | None:
    """The one decision every reader asks (gp18 F1: the "not pregnant" case of a patient whose other
    case recorded 31 weeks read as safe to keep ibuprofen, on its page, the worklist, Medicine alerts
    and the chooser): None when no pregnancy contradiction (:func:`pregnancy_contradictions`)
    names ``case``. Otherwise the contradictions, the advice warning, and, when another case gives
    her more weeks of pregnancy on ``day`` than ``case`` does (the most, when several do), the
    alerts of ``case``'s medicines on ``day`` under ``profile`` with that pregnancy in place of its
    own answer (``assess_medications`` on ``Case.intake_as_of(day)`` with that pregnancy standing
    on ``day``; ``medicine_alerts`` of it: the case page's rule, never a copy). ``profile`` None:
    no medicine assessment."""
    day_cases = [_as_of_day(o, day) for o in others
                 if o.case_id != case.case_id and o.intake.visit_date <= day]
    others = [o for o in day_cases if same_patient(o.patient.id, case.patient.id)]
    case = _as_of_day(case, day)
    found = [c for c in pregnancy_contradictions(case, others) if case.case_id in c.cases]
    named = {tuple(sorted(c.cases)) for c in found}
    for other in others:
        for low, high in ((case, other), (other, case)):
            if tuple(sorted((low.case_id, high.case_id))) in named:
                continue
            item = _reads_below(low, high, day)
            if item is not None:
                found.append(item)
                named.add(tuple(sorted(item.cases)))
    found = tuple(sorted((c for c in found if not _closed_history(c, case, others, day)),
                         key=lambda c: (c.day, c.other_case, c.pregnant_case)))
    if not found:
        return None
    by_id = {o.case_id: o for o in (case, *others)}
    found = tuple(_with_now(c, by_id.get(c.pregnant_case), day, today) for c in found)
    warning = pregnancy_advice_warning(case.case_id, found) or ""
    mine = _weeks_said(case, day)
    own = mine[0] if mine is not None else None
    by_id = {o.case_id: o for o in others}
    best: tuple[int, str] | None = None
    for c in found:
        other = by_id.get(c.pregnant_case if c.other_case == case.case_id else c.other_case)
        if other is None:
            continue
        said = _weeks_said(other, day)
        if said is None:
            continue
        if (own is None or said[0] > own) and (best is None or said[0] > best[0]):
            best = (said[0], other.case_id)
    if best is None:
        return PregnancyDiffers(case.case_id, found, warning)
    alerts: tuple = ()
    if profile and case.intake.medicines:
        from radiculopathy_desktop.domain.intake import PregnancyUpdate
        from radiculopathy_desktop.domain.medications import assess_medications
        from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

        intake = replace(case.intake_as_of(day), pregnancy_update=(day, PregnancyUpdate(pregnant=True,
                                                                                        weeks=best[0])))
        alerts = tuple(medicine_alerts(assess_medications(intake, day, profile=profile)))
    return PregnancyDiffers(case.case_id, found, warning, best[1], best[0], alerts)
