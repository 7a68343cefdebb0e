"""The case record (an intake plus its follow-up visits and decisions) and its validation.

The JSON case format is documented in ``resources/schemas/case.schema.json`` and
``docs/case-format.md``. :func:`parse_case` turns decoded JSON into frozen domain
objects or raises :class:`ValidationError` listing every problem with the field it
concerns ("visit_date is before onset_date"). It never raises anything else, whatever
the input: malformed input is the normal case for a parser fed by other programs.

Unknown is kept apart from no everywhere: a red-flag question not answered is
``"unknown"``, a condition not recorded is ``None``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Sequence

from radiculopathy_desktop.domain.care_facts import (  # issue 16: imaging, self-management
    ImagingRecord,
    SelfManagementRecord,
    imaging_to_dict,
    parse_imaging,
    parse_self_management,
    self_management_to_dict,
)
from radiculopathy_desktop.domain.characters import text_problems  # rt8 F8: hidden characters
from radiculopathy_desktop.domain.vocab import DecisionKind
from radiculopathy_desktop.domain.vocabulary import (
    ALCOHOL_USE,
    ANSWERS,
    BOOLEAN_CONDITIONS,
    MUSCLE_GROUPS,
    CLONUS_RESULTS,
    NERVE_TENSION_RESULTS,
    PAIN_CLASSIFICATIONS,
    PLANTAR_RESULTS,
    RED_FLAG_QUESTIONS,
    REFLEX_RESULTS,
    REFLEXES,
    SENSORY_RESULTS,
    SEXES,
    SIDES,
    SPECIAL_CONSIDERATIONS,
    SYMPTOM_REGIONS,
    TREATMENTS,
)

FORMAT_VERSION = 1
START_BACK_ITEM9 = ("not_at_all", "slightly", "moderately", "very_much", "extremely")
TREATMENT_RESPONSES = ("helped", "no_change", "worse", "not_tolerated", "unknown")
CREATININE_UNITS = ("mg/dL", "umol/L")
UMOL_PER_MG_DL = 88.42  # creatinine: 1 mg/dL = 88.42 umol/L
#: The serum creatinine an intake accepts, per unit (outside: refused with the range).
CREATININE_RANGES = {"mg/dL": (0.1, 25), "umol/L": (10, 2200)}


# --------------------------------------------------------------------------- errors
@dataclass(frozen=True)
class FieldError:
    """One problem with one field. ``field`` is a dotted path into the case JSON."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message


class ValidationError(ValueError):
    """The input is not a valid case; ``errors`` says which fields and why."""

    def __init__(self, errors: Iterable[FieldError], context: str = ""):
        # a lone surrogate quoted from the input (a key, a value) is written as its escape, so
        # the message can always be printed and logged (red-team rt10 F7)
        self.errors: list[FieldError] = [FieldError(_shown_path(e.field), _shown_path(e.message)) for e in errors]
        self.context = _shown_path(context)
        super().__init__(self.summary())

    def summary(self) -> str:
        prefix = f"{self.context}: " if self.context else ""
        return prefix + "; ".join(str(e) for e in self.errors)

    def with_context(self, context: str) -> "ValidationError":
        return ValidationError(self.errors, context)


# --------------------------------------------------------------------------- records
def age_on(birth_date: dt.date | None, age_years: int | None, day: dt.date | None) -> int | None:
    """A patient's age in whole years on ``day``: the one rule, wherever age is shown or used.

    The birth date wins over a typed age whenever both are given: it stays true as time
    passes, while a typed age is only true on the day it was typed (and is what a
    clinician types when the birth date is not known). With no birth date, or no day to
    count to, the typed age is the answer (``None`` when that is missing too).
    """
    if birth_date is not None and day is not None:
        years = day.year - birth_date.year
        if (day.month, day.day) < (birth_date.month, birth_date.day):
            years -= 1
        return years
    return age_years


def age_disagreement(birth_date: dt.date | None, age_years: int | None, day: dt.date | None) -> str | None:
    """Why a typed age and a birth date cannot both be right on ``day``, or ``None``.

    :func:`age_on` silently prefers the birth date; when a clinician typed both and they
    disagree, one of them is a typo, and age over 50 is a red-flag fact (fracture and
    cancer rules), so the intake asks which is right instead of choosing quietly.
    """
    if birth_date is None or age_years is None or day is None or birth_date > day:
        return None
    from_birth = age_on(birth_date, None, day)
    if from_birth == age_years:
        return None
    return (f"the birth date makes the patient {from_birth} on {day.isoformat()}, but the age typed is "
            f"{age_years}: correct the one that is wrong, or clear the age (the birth date is used)")


def answers_after_rescreen(standing: Mapping[str, str], asked: Mapping[str, str]) -> dict[str, str]:
    """The red-flag answers that stand once ``asked`` (a re-screen) is added to ``standing``.

    The one rule for which red flags still stand, used by the assessment, the
    surgical-review status, the window's visit dialog and the handouts: a question asked
    again and answered yes or no replaces the earlier answer (a yes answered no at a later
    re-screen is cleared; a no answered yes is raised). A question answered "unknown"
    keeps an earlier "yes" (unknown is never treated as no, so it must not clear a standing
    red flag) and otherwise replaces the earlier answer: an earlier "no" no longer excludes
    the flag once the patient cannot say now (redflag31, tryout31 D1: saddle numbness
    "unknown" at a visit after "no" at intake read "Routine: no red flags"), so the case
    asks the question now, as an "unknown" at intake does (NICE CKS Sciatica and Cauda
    equina syndrome: ask about the cauda equina red flags at every review). A question not
    asked again keeps its earlier answer.
    """
    merged = dict(standing)
    merged.update({k: a for k, a in asked.items() if a != "unknown" or merged.get(k) != "yes"})
    return merged


def red_flags_answered_on(intake, visits, day: dt.date) -> dict[str, tuple[str, dt.date]]:
    """Each red-flag question's standing answer on ``day`` (as :func:`answers_after_rescreen`
    walks the records) with the date of the record that gave it: what the visit dialog names
    beside "Not asked" ("last answered No on 6 Oct 2026"). A question no record answered is
    left out."""
    out = {k: (a, intake.visit_date) for k, a in intake.red_flags.items()}
    for v in visits:
        if v.date <= day and v.red_flags:
            after = answers_after_rescreen({k: a for k, (a, _) in out.items()}, v.red_flags)
            out.update({k: (a, v.date) for k, a in v.red_flags.items() if after[k] == a})  # the answer that took
    return out


#: Weeks of gestation a case may record (``patient.pregnancy_weeks``; 44 allows a late-term
#: pregnancy with a dating error). The case format and the intake window's field both use it.
PREGNANCY_WEEKS_RANGE = (0, 44)


#: The last week of a plausible pregnancy: "The international definition of prolonged
#: pregnancy, endorsed by the American College of Obstetricians and Gynecologists, is 42
#: completed weeks (294 days) or more from the first day of the last menstrual period"
#: (Williams Obstetrics, ch. Postterm pregnancy; ACOG Practice Bulletin 146: "reached or extended
#: beyond 42 0/7 weeks of gestation"; cited as ``acog-postterm`` in
#: resources/medicines/sources.toml). A pregnancy recorded earlier whose weeks on
#: a later date go past it (43 or more) is no longer taken as one that still runs:
#: :class:`PregnancyOnDate` asks the clinician.
PREGNANCY_PLAUSIBLE_END_WEEKS = 42


@dataclass(frozen=True)
class PregnancyOnDate:
    """A recorded pregnancy on a given day (pure: the day is passed in).

    ``patient.pregnancy_weeks`` is the gestation as recorded on the intake's visit date
    (``recorded_on``); on a later day it is those weeks plus the whole weeks elapsed
    (13 days after 18 weeks: 18; 14 days: 20 - 18 + 2). On a day before the record it is
    fewer (never below 0). The medicine rules read :attr:`rule_weeks`.

    When the weeks on the day go past :data:`PREGNANCY_PLAUSIBLE_END_WEEKS` (and the day is
    after the record) the pregnancy has most likely ended: :attr:`beyond_plausible_end`.
    It is then neither dropped (the warnings would vanish unseen) nor taken as running
    for ever: the rules keep the warnings of a pregnancy at its plausible end (the most
    cautious: NSAIDs contraindicated from 30 weeks) and :attr:`ask_text` asks the clinician
    whether she is still pregnant or breastfeeding.
    """

    recorded_weeks: int
    recorded_on: dt.date
    day: dt.date
    #: True when the weeks were recorded at a follow-up visit (``visits[].pregnancy``), not the intake
    at_visit: bool = False

    @property
    def weeks(self) -> int:
        """Completed weeks of gestation on :attr:`day`."""
        return max(0, self.recorded_weeks + (self.day - self.recorded_on).days // 7)

    @property
    def beyond_plausible_end(self) -> bool:
        return self.day > self.recorded_on and self.weeks > PREGNANCY_PLAUSIBLE_END_WEEKS

    @property
    def rule_weeks(self) -> int:
        """The weeks the medicine rules read: :attr:`weeks`, held at the plausible end once past it."""
        if self.beyond_plausible_end:
            return max(self.recorded_weeks, PREGNANCY_PLAUSIBLE_END_WEEKS)
        return self.weeks

    @property
    def label(self) -> str:
        """The weeks as the rule texts word them ("21", or "42+ (recorded 18 on 2026-01-05)")."""
        if self.beyond_plausible_end:
            return f"{PREGNANCY_PLAUSIBLE_END_WEEKS}+"
        return str(self.weeks)

    @property
    def ask_text(self) -> str | None:
        """What the clinician is asked once the pregnancy is past its plausible end (else None)."""
        if not self.beyond_plausible_end:
            return None
        return (f"Pregnancy recorded at {self.recorded_weeks} weeks on {self.recorded_on.isoformat()}: it would be "
                f"{self.weeks} weeks on {self.day.isoformat()}, past the end of a pregnancy "
                f"({PREGNANCY_PLAUSIBLE_END_WEEKS} weeks). Ask whether she is still pregnant or breastfeeding, "
                "and record the answer; until then the medicine checks keep the pregnancy warnings.")

    @property
    def words(self) -> str:
        """The pregnancy on the day, for a clinician ("Pregnant, 21 weeks on 2026-03-02 (18 at the intake
        on 2026-02-09)")."""
        if self.beyond_plausible_end:
            return self.ask_text or ""
        on = f"Pregnant, {self.weeks} weeks on {self.day.isoformat()}"
        where = "the visit" if self.at_visit else "the intake"
        if self.day == self.recorded_on:
            return f"{on} (at {where})"
        return f"{on} ({self.recorded_weeks} at {where} on {self.recorded_on.isoformat()})"


@dataclass(frozen=True)
class PregnancyUpdate:
    """A pregnancy recorded at a follow-up visit (``visits[].pregnancy``): the latest one on or
    before a date replaces the intake's answer from its visit's date on.

    ``pregnant`` True: pregnant, ``weeks`` completed weeks on the visit's date (they move on
    from it as the intake's do). False: no longer pregnant (birth or loss), or found not to
    be; ``ended_on`` the day the pregnancy ended when known (on or before the visit). The
    change takes effect on the visit's date, not on ``ended_on``: a rule applied on an
    earlier date reads what was recorded then.
    """

    pregnant: bool
    weeks: int | None = None
    ended_on: dt.date | None = None


@dataclass(frozen=True)
class PregnancyStatus:
    """The pregnancy answer standing on ``day``: from the latest visit recording one on or
    before it (:class:`PregnancyUpdate`), else the intake's."""

    day: dt.date
    answer: str  # "yes", "no" or "unknown" (never asked)
    on_date: PregnancyOnDate | None  # the weeks on ``day`` when pregnant
    recorded_on: dt.date | None  # the date of the record giving the answer (None: not asked)
    at_visit: bool  # recorded at a follow-up visit (else the intake)
    ended_on: dt.date | None = None  # a pregnancy recorded as ended at a visit: the day it ended, when known

    @property
    def words(self) -> str:
        """The answer on the day, for a clinician."""
        if self.on_date is not None:
            return self.on_date.words
        if self.answer == "no":
            if not self.at_visit:
                return f"Not pregnant (answered no at the intake, {self.recorded_on.isoformat()})"
            ended = f", ended {self.ended_on.isoformat()}" if self.ended_on else ""
            return f"Not pregnant (recorded at the visit of {self.recorded_on.isoformat()}{ended})"
        return "Pregnancy not recorded"


def pregnancy_status(patient: "Patient", visit_date: dt.date,
                     update: "tuple[dt.date, PregnancyUpdate] | None", day: dt.date) -> PregnancyStatus:
    """The one rule: the pregnancy standing on ``day`` given the intake's answer (``patient``,
    recorded on ``visit_date``) and the latest visit update on or before ``day`` (``update``:
    its visit date and what it recorded; None when no visit recorded one by then)."""
    if update is not None and update[0] <= day:
        on, u = update
        if u.pregnant:
            return PregnancyStatus(day, "yes", PregnancyOnDate(u.weeks, on, day, True), on, True)
        return PregnancyStatus(day, "no", None, on, True, u.ended_on)
    weeks = patient.pregnancy_weeks
    if weeks is not None:
        return PregnancyStatus(day, "yes", PregnancyOnDate(weeks, visit_date, day), visit_date, False)
    if patient.pregnant is False:
        return PregnancyStatus(day, "no", None, visit_date, False)
    return PregnancyStatus(day, "unknown", None, None, False)


def pregnancy_allowed(sex: str | None) -> bool:
    """Whether a pregnancy may be recorded for a patient of this recorded ``sex`` (not male:
    female, other and unknown may all be pregnant); the parser refuses one for a male patient."""
    return sex != "male"


@dataclass(frozen=True)
class Patient:
    id: str
    name: str | None = None
    birth_date: dt.date | None = None
    age_years: int | None = None
    sex: str = "unknown"
    weight_kg: float | None = None
    height_cm: float | None = None
    pregnancy_weeks: int | None = None
    #: The pregnancy question's answer: True (then ``pregnancy_weeks`` holds the weeks at
    #: the intake), False (asked: not pregnant), None (not asked or not recorded). A file
    #: that gives weeks without it (older files) reads True.
    pregnant: bool | None = None

    def age_on(self, day: dt.date) -> int | None:
        """Age in whole years on ``day`` (from the birth date when known): :func:`age_on`."""
        return age_on(self.birth_date, self.age_years, day)

    @property
    def pregnancy_answer(self) -> str:
        """"yes", "no" or "unknown" (not asked): the recorded answer in words."""
        if self.pregnancy_weeks is not None or self.pregnant:
            return "yes"
        return "no" if self.pregnant is False else "unknown"


@dataclass(frozen=True)
class Examination:
    slr: str = "not_tested"
    slr_angle_deg: int | None = None
    crossed_slr: str = "not_tested"
    femoral_stretch: str = "not_tested"
    power: Mapping[str, int] = field(default_factory=dict)  # muscle -> MRC 0-5; absent = not tested
    reflexes: Mapping[str, str] = field(default_factory=dict)  # reflex -> REFLEX_RESULTS
    sensation: str = "not_tested"  # SENSORY_RESULTS: "reduced" is a sensory deficit in the leg
    plantar: str = "not_tested"  # PLANTAR_RESULTS: "extensor" (Babinski sign) is an upper motor neurone sign
    clonus: str = "not_tested"  # CLONUS_RESULTS: sustained ankle clonus is an upper motor neurone sign

    def reflex(self, name: str) -> str:
        return self.reflexes.get(name, "not_tested")

    def weakest_power(self) -> int | None:
        return min(self.power.values()) if self.power else None


@dataclass(frozen=True)
class StartBack:
    """STarT Back Screening Tool: the nine answers, or the scores entered as numbers."""

    answers: tuple | None = None  # items 1-8 bool (agree), item 9 one of START_BACK_ITEM9
    total: int | None = None
    distress: int | None = None


@dataclass(frozen=True)
class FunctionScore:
    odi_percent: float | None = None
    rmdq: int | None = None
    odi_answers: tuple | None = None  # ten sections, each 0-5 or None (not answered)

    def baseline_odi_percent(self) -> float | None:
        """The ODI percent: from the section answers when at least 8 are answered, else as entered.

        Sum / (5 x sections answered) x 100 (Fairbank and Pynsent 2000), the same rule as
        ``instruments.odi_percent``; the parser has already checked the answers.
        """
        given = [a for a in (self.odi_answers or ()) if a is not None]
        if len(given) >= 8:
            return sum(given) * 100 / (5 * len(given))
        return self.odi_percent


@dataclass(frozen=True)
class Conditions:
    flags: Mapping[str, bool | None] = field(default_factory=dict)
    creatinine_value: float | None = None  # as entered
    creatinine_unit: str | None = None  # "mg/dL" or "umol/L"
    egfr: float | None = None
    alcohol_use: str = "unknown"
    #: the clinician's pain classification (PAIN_CLASSIFICATIONS); () = not recorded
    pain_classification: tuple[str, ...] = ()

    @property
    def serum_creatinine_mg_dl(self) -> float | None:
        if self.creatinine_value is None:
            return None
        if self.creatinine_unit == "umol/L":
            return self.creatinine_value / UMOL_PER_MG_DL
        return self.creatinine_value

    def has(self, name: str) -> bool | None:
        """True, False, or None when not recorded."""
        return self.flags.get(name)


@dataclass(frozen=True)
class Medicine:
    name: str  # generic name, lower case
    daily_dose_mg: float | None = None


@dataclass(frozen=True)
class TreatmentTried:
    code: str
    started: dt.date | None = None
    stopped: dt.date | None = None
    response: str = "unknown"


@dataclass(frozen=True)
class Intake:
    patient: Patient
    onset_date: dt.date
    visit_date: dt.date
    care_start_date: dt.date
    side: str
    regions: tuple[str, ...]
    leg_nrs: int
    back_nrs: int | None  # None: not recorded (a leg-pain-only presentation)
    red_flags: Mapping[str, str]
    examination: Examination = field(default_factory=Examination)
    start_back: StartBack | None = None
    function: FunctionScore = field(default_factory=FunctionScore)
    conditions: Conditions = field(default_factory=Conditions)
    medicines: tuple[Medicine, ...] = ()
    treatments_tried: tuple[TreatmentTried, ...] = ()
    would_consider_intervention: str = "unknown"
    prior_lumbar_surgery: bool | None = None
    clinician: str | None = None
    notes: str | None = None
    imaging: ImagingRecord | None = None  # None: not recorded
    self_management: SelfManagementRecord | None = None  # None: not recorded
    #: The latest pregnancy recorded at a follow-up visit (its date, what it recorded), set only
    #: by :meth:`Case.intake_as_of` for the day it is made for (never read from or written to a
    #: file): it replaces the intake's answer from that date on.
    pregnancy_update: tuple[dt.date, PregnancyUpdate] | None = None

    def red_flag(self, key: str) -> str:
        return self.red_flags.get(key, "unknown")

    def pregnancy_status(self, day: dt.date) -> PregnancyStatus:
        """The pregnancy answer standing on ``day`` (:func:`pregnancy_status`)."""
        return pregnancy_status(self.patient, self.visit_date, self.pregnancy_update, day)

    def pregnancy_on(self, day: dt.date) -> PregnancyOnDate | None:
        """The recorded pregnancy on ``day`` (:class:`PregnancyOnDate`; the weeks were recorded on
        the intake's visit date, or at the visit that updated them), or None when none is recorded."""
        return self.pregnancy_status(day).on_date


@dataclass(frozen=True)
class FollowUpVisit:
    date: dt.date
    leg_nrs: int | None = None
    back_nrs: int | None = None
    odi_percent: float | None = None
    rmdq: int | None = None
    treatments_tried: tuple[TreatmentTried, ...] = ()
    red_flags: Mapping[str, str] = field(default_factory=dict)  # only questions asked again
    power: Mapping[str, int] = field(default_factory=dict)
    clinician: str | None = None
    notes: str | None = None
    imaging: ImagingRecord | None = None  # None: not recorded
    self_management: SelfManagementRecord | None = None  # None: not recorded
    # The order in which the tracker's visits and decisions were entered (a per-tracker
    # increasing number given when the record is saved; see :func:`entry_key`). None: entered
    # before the tracker kept the order, or not yet saved. Not part of what was recorded: two
    # visits equal in everything else are equal.
    entry: int | None = field(default=None, compare=False)
    # A pregnancy recorded at this visit (preg17); None: not recorded at this visit. Left out of a
    # record's digest when None (storage.engine_common._canonical), so a visit saved with a write
    # key before the field existed is still the same record when retried.
    pregnancy: PregnancyUpdate | None = field(default=None, metadata={"digest_omit_none": True})


@dataclass(frozen=True)
class Decision:
    date: dt.date
    kind: DecisionKind
    until: dt.date | None = None  # for continue_conservative_care
    by: str | None = None
    note: str | None = None
    # The emergency/urgent red flags (triage fact codes, sorted) standing when the decision
    # was recorded: it acknowledges those and only those (domain.followup). None: a decision
    # stored before the field existed (it acknowledges by its date alone, as it did then).
    acknowledged_red_flags: tuple[str, ...] | None = None
    entry: int | None = field(default=None, compare=False)  # as FollowUpVisit.entry
    # What the decision was typed against: the largest entry order among the case's records
    # as the clinician saw them when typing it (0: none numbered). Set when records were entered
    # between the typing and the saving (a decision kept while the clinic server was away, saved
    # later): it acknowledges no red flag reported at a record entered after it was typed
    # (red-team rt14 F8). None: typed on the case as it stood when it was saved. Not part of
    # what was recorded (as ``entry``): a retry of the same decision is the same decision.
    typed_against: int | None = field(default=None, compare=False)


def last_entry(case) -> int:
    """The largest entry order among ``case``'s visits and decisions (0 when none carries
    one): what a decision typed on the case as shown is typed against
    (``Decision.typed_against``)."""
    return max((r.entry for r in (*case.visits, *case.decisions) if r.entry is not None), default=0)


def entry_key(record) -> tuple:
    """The order of a case's visits (or decisions): by date, and on one date in the order they
    were entered: those entered before the tracker kept the order (``entry`` None) first, as
    held, then by ``entry``."""
    entry = record.entry
    return (record.date, 0, 0) if entry is None else (record.date, 1, entry)


def entered_after(record, other) -> bool | None:
    """Whether ``record`` was entered after ``other`` (two visits or decisions of one case):
    True/False when the tracker knows, None when neither carries an entry order. A record
    with an order was entered after every record without one (the order is given to every
    record saved since the tracker kept it, and a migrated tracker gives it only to records
    entered after every record it could not order)."""
    a, b = record.entry, other.entry
    if a is None and b is None:
        return None
    if a is None:
        return False
    if b is None:
        return True
    return a > b


@dataclass(frozen=True)
class ScorePoint:
    """Scores on one date: the intake (baseline) or a follow-up visit."""

    date: dt.date
    leg_nrs: int | None
    back_nrs: int | None
    odi_percent: float | None
    rmdq: int | None
    is_baseline: bool


def baseline_scores(i: "Intake") -> ScorePoint:
    """An intake's scores. An ODI given as section answers counts like an entered percent
    (the answers win when both are given, as in the scored instruments)."""
    return ScorePoint(i.visit_date, i.leg_nrs, i.back_nrs, i.function.baseline_odi_percent(), i.function.rmdq, True)


#: The scores a record of the intake's day can re-record for the baseline.
BASELINE_SCORES = ("leg_nrs", "back_nrs", "odi_percent", "rmdq")


def day_baseline(i: "Intake", visits) -> ScorePoint:
    """The baseline Progress is judged from: the scores of the intake's own day, each the one
    recorded last that day (rt21 F5). The product's same-day rule
    (``visits.SAME_DAY_TREND``) is that of two records of one day the later's scores stand
    for that day; the intake's day is no exception, so a score re-recorded by a visit dated
    on the intake's day (a corrected or re-measured score) replaces the intake's. A score the
    later record leaves blank keeps the earlier one. ``visits`` in the order held (by date,
    then entry); those of other days are ignored, so the baseline is the same on every
    reading day from the intake's on."""
    base = baseline_scores(i)
    day = i.visit_date
    same_day = [v for v in visits if v.date == day]
    if not same_day:  # nothing re-recorded that day: the intake's own scores (issue 17: most cases)
        return base
    values = {a: getattr(base, a) for a in BASELINE_SCORES}
    for v in same_day:
        for a in BASELINE_SCORES:
            value = getattr(v, a)
            if value is not None:
                values[a] = value
    if all(values[a] == getattr(base, a) for a in BASELINE_SCORES):
        return base
    return ScorePoint(i.visit_date, values["leg_nrs"], values["back_nrs"], values["odi_percent"], values["rmdq"], True)


def baseline_rerecorded(i: "Intake", visits) -> tuple[tuple[str, Any, Any], ...]:
    """The baseline scores a later record of the intake's day replaced (:func:`day_baseline`):
    ``(score, at intake, re-recorded)`` for each that differs, in :data:`BASELINE_SCORES`
    order. Empty when the intake's own scores stand."""
    base, now = baseline_scores(i), day_baseline(i, visits)
    return tuple((a, getattr(base, a), getattr(now, a)) for a in BASELINE_SCORES
                 if getattr(base, a) != getattr(now, a))


@dataclass(frozen=True)
class Case:
    case_id: str
    intake: Intake
    visits: tuple[FollowUpVisit, ...] = ()
    decisions: tuple[Decision, ...] = ()

    @property
    def patient(self) -> Patient:
        return self.intake.patient

    def baseline_scores(self) -> ScorePoint:
        """The intake's own scores (the intake record): :func:`baseline_scores`."""
        return baseline_scores(self.intake)

    def review_baseline(self) -> ScorePoint:
        """The baseline Progress is judged from (the latest record of each score on the
        intake's day): :func:`day_baseline`."""
        return day_baseline(self.intake, self.visits)

    def score_timeline(self) -> list[ScorePoint]:
        points = [self.baseline_scores()]
        for v in self.visits:
            points.append(ScorePoint(v.date, v.leg_nrs, v.back_nrs, v.odi_percent, v.rmdq, False))
        return points

    def visits_on_or_before(self, day: dt.date) -> tuple[FollowUpVisit, ...]:
        return tuple(v for v in self.visits if v.date <= day)

    def decisions_on_or_before(self, day: dt.date) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.date <= day)

    def red_flags_as_of(self, day: dt.date) -> dict[str, str]:
        """Red-flag answers standing on ``day``: the intake's, updated by re-asked questions.

        Each visit's re-screen is added by :func:`answers_after_rescreen` (the same rule as
        the surgical-review status in :mod:`~radiculopathy_desktop.domain.followup` and the
        window's visit dialog, so the assessment, the worklist and the window always agree).
        """
        flags = dict(self.intake.red_flags)
        for v in self.visits:
            if v.date <= day:
                flags = answers_after_rescreen(flags, v.red_flags)
        return flags

    def red_flags_answered_on(self, day: dt.date) -> dict[str, tuple[str, dt.date]]:
        """:func:`red_flags_answered_on` of this case's intake and visits."""
        return red_flags_answered_on(self.intake, self.visits, day)

    def pregnancy_update_as_of(self, day: dt.date) -> tuple[dt.date, PregnancyUpdate] | None:
        """The latest pregnancy recorded at a visit on or before ``day`` (in the order the visits
        were entered on one date), with the visit's date; None when no visit recorded one."""
        found = None
        for v in self.visits:  # held in entry_key order
            if v.date > day:
                break
            if v.pregnancy is not None:
                found = (v.date, v.pregnancy)
        return found

    def pregnancy_status(self, day: dt.date) -> PregnancyStatus:
        """The pregnancy answer standing on ``day``: the latest visit update on or before it wins
        from its date on, else the intake's answer (:func:`pregnancy_status`)."""
        return pregnancy_status(self.patient, self.intake.visit_date, self.pregnancy_update_as_of(day), day)

    def pregnancy_on(self, day: dt.date) -> PregnancyOnDate | None:
        """The pregnancy on ``day`` (weeks moved on from their record), or None when not pregnant then."""
        return self.pregnancy_status(day).on_date

    def intake_as_of(self, day: dt.date) -> Intake:
        """The intake with the red-flag answers and the pregnancy standing on ``day`` (intake
        updated by visits).

        What the medicine rules read: a red flag answered yes at a follow-up visit (fever:
        steroid caution) must reach them, not only the intake's answers; so must a pregnancy
        recorded (or recorded as ended) at a visit.
        """
        return replace(self.intake, red_flags=self.red_flags_as_of(day),
                       pregnancy_update=self.pregnancy_update_as_of(day))

    def power_as_of(self, day: dt.date) -> dict[str, int]:
        """MRC grades standing on ``day``: the intake examination, updated at follow-ups."""
        power = dict(self.intake.examination.power)
        for v in self.visits:
            if v.date <= day:
                power.update(v.power)
        return power

    def all_treatments(self, until: dt.date | None = None) -> tuple[TreatmentTried, ...]:
        items = list(self.intake.treatments_tried)
        for v in self.visits:
            if until is None or v.date <= until:
                items.extend(v.treatments_tried)
        return tuple(items)

    def with_visit(self, visit: FollowUpVisit) -> "Case":
        """A new case with ``visit`` added (validated as the importer would; a visit recording
        nothing is refused, :func:`~radiculopathy_desktop.domain.visits.visit_records_something`)."""
        _refuse_empty_visit(visit, "visit")
        candidate = replace(self, visits=tuple(sorted(self.visits + (visit,), key=entry_key)))
        checked = parse_case(case_to_dict(candidate))
        added = [v for v in checked.visits if v == visit and v.entry == visit.entry][:1]
        problems = pregnancy_update_errors(checked, added)
        if problems:
            raise ValidationError(problems)
        return checked

    def with_decision(self, decision: Decision) -> "Case":
        candidate = replace(self, decisions=tuple(sorted(self.decisions + (decision,), key=entry_key)))
        return parse_case(case_to_dict(candidate))


# --------------------------------------------------------------------------- reader
class _Reader:
    """Collects field errors while reading untrusted JSON."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def obj(self, value: Any, path: str, required: bool = False) -> Mapping[str, Any] | None:
        if value is None:
            if required:
                self.error(path, f"{path} is required")
            return None
        if not isinstance(value, Mapping):
            self.error(path, f"{path} must be an object, not {_kind(value)}")
            return None
        return value

    def unknown_keys(self, data: Mapping[str, Any], allowed: Iterable[str], path: str) -> None:
        allowed = set(allowed)
        for key in data:
            if key not in allowed:
                where = f"{path}.{key}" if path else str(key)
                self.error(where, f"{where} is not a known field")

    def text(self, data: Mapping[str, Any], key: str, path: str, required=False, max_len=200) -> str | None:
        where = _join(path, key)
        value = data.get(key)
        if value is None:
            if required:
                self.error(where, f"{where} is required")
            return None
        if not isinstance(value, str):
            self.error(where, f"{where} must be text, not {_kind(value)}")
            return None
        value = value.strip()
        if required and not value:
            self.error(where, f"{where} must not be empty")
            return None
        if len(value) > max_len:
            self.error(where, f"{where} is longer than {max_len} characters")
            return None
        return value or None

    def choice(self, data: Mapping[str, Any], key: str, path: str, options: Iterable[str], default=None, required=False):
        where = _join(path, key)
        value = data.get(key)
        if value is None:
            if required:
                self.error(where, f"{where} is required (one of: {', '.join(options)})")
            return default
        if not isinstance(value, str) or value not in options:
            self.error(where, f"{where} must be one of: {', '.join(options)} (got {_show(value)})")
            return default
        return value

    def number(self, data: Mapping[str, Any], key: str, path: str, lo: float, hi: float,
               required=False, integer=False, unit="") -> Any:
        where = _join(path, key)
        value = data.get(key)
        if value is None:
            if required:
                self.error(where, f"{where} is required")
            return None
        return self.number_value(value, where, lo, hi, integer, unit)

    def number_value(self, value: Any, where: str, lo: float, hi: float, integer=False, unit="") -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(where, f"{where} must be a number, not {_kind(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.error(where, f"{where} must be a finite number")
            return None
        if integer and value != int(value):
            self.error(where, f"{where} must be a whole number (got {value})")
            return None
        if not lo <= value <= hi:
            suffix = f" {unit}" if unit else ""
            self.error(where, f"{where} must be between {_fmt(lo)} and {_fmt(hi)}{suffix} (got {_fmt(value)})")
            return None
        return int(value) if integer else float(value)

    def boolean(self, data: Mapping[str, Any], key: str, path: str) -> bool | None:
        where = _join(path, key)
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.error(where, f"{where} must be true, false or null (not recorded), not {_show(value)}")
            return None
        return value

    def date(self, data: Mapping[str, Any], key: str, path: str, required=False) -> dt.date | None:
        where = _join(path, key)
        value = data.get(key)
        if value is None:
            if required:
                self.error(where, f"{where} is required (YYYY-MM-DD)")
            return None
        return self.date_value(value, where)

    def date_value(self, value: Any, where: str) -> dt.date | None:
        if not isinstance(value, str):
            self.error(where, f"{where} must be a date as YYYY-MM-DD text, not {_kind(value)}")
            return None
        parts = value.split("-")
        if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
            self.error(where, f"{where} must be a date as YYYY-MM-DD (got {_show(value)})")
            return None
        try:
            day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            self.error(where, f"{where} is not a real calendar date: {_show(value)}")
            return None
        if day.year < 1900:
            self.error(where, f"{where} is before 1900: {_show(value)}")
            return None
        return day

    def array(self, data: Mapping[str, Any], key: str, path: str, max_items=500) -> list | None:
        where = _join(path, key)
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, list):
            self.error(where, f"{where} must be a list, not {_kind(value)}")
            return None
        if len(value) > max_items:
            self.error(where, f"{where} has more than {max_items} items")
            return None
        return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# --------------------------------------------------------------------------- parsing
_CASE_KEYS = {
    "format", "format_version", "case_id", "patient", "onset_date", "visit_date", "care_start_date",
    "side", "regions", "pain", "red_flags", "examination", "start_back", "function", "conditions",
    "medicines", "treatments_tried", "would_consider_intervention", "prior_lumbar_surgery",
    "clinician", "notes", "visits", "decisions", "imaging", "self_management",
}


def parse_case(data: Any, context: str = "", today: dt.date | None = None, new_input: bool = False,
               held_visits: Sequence[FollowUpVisit] | None = None) -> Case:
    """Validate decoded JSON and build a :class:`Case`; raise :class:`ValidationError`.

    With ``today`` (import and assess: a new record), the dates of what has happened (birth,
    onset, intake visit, care start, follow-up visits, decisions) cannot lie after it, and a
    typed age that contradicts the birth date on the intake visit date is refused
    (:func:`age_disagreement`, the window's patient page says the same). A stored case is
    read without it: a case stored before this check stays readable (``check --full`` warns).

    New input (``today`` given, or ``new_input``: the intake window) also refuses control
    characters and direction overrides in its names, identifiers and notes
    (:func:`new_text_errors`, red-team rt8 F8); a stored case holding them stays readable.

    ``held_visits`` (with ``today``: an import over a stored case): the visits the tracker
    already holds for this case; a visit recording nothing that is one of them (stored before
    the empty-visit rule, re-exported) is not new input and is accepted
    (:func:`empty_visit_errors`).
    """
    r = _Reader()
    try:
        case = _parse_case(r, data)
    except RecursionError:  # pathological nesting: report, never crash
        r.error("", "the case is nested too deeply to read")
        case = None
    problems = new_text_errors(data) + clinician_name_errors(data) if today is not None or new_input else []
    if r.errors or case is None:
        if not r.errors:
            r.error("", "the case could not be read")
        raise ValidationError(r.errors + problems, context)
    if today is not None or new_input:
        problems = new_case_dose_errors(case) + problems
    if today is not None:
        held = list(held_visits or ())
        new_visits = []
        for v in case.visits:  # the visits this input adds (a held one, re-exported, is not new)
            if v in held:
                held.remove(v)
            else:
                new_visits.append(v)
        problems = (dates_after_today(case, today) + new_case_age_errors(case)
                    + empty_visit_errors(case, held_visits or ()) + pregnancy_update_errors(case, new_visits)
                    + _record_clinician_errors(new_visits, case.decisions) + problems)
    if problems:
        raise ValidationError(problems, context)
    return case


#: The longest clinician name and role a new intake may record (gp21 F6): every handout page's
#: header prints it, and 153 characters took five lines of each page (four pages more). 60 holds
#: a name with a title and role ("Dr Anna-Maria Fernandez-Huerta, Consultant Physiotherapist").
#: A stored case with a longer one stays readable (only new input is checked).
MAX_CLINICIAN_NAME = 60


def clinician_name_problem(text: str | None) -> str | None:
    """Why a new intake's clinician is refused (None: accepted, or not recorded), naming the limit
    and the length typed (gp21 F6; control characters are refused by :func:`new_text_errors`)."""
    if text is None or len(text) <= MAX_CLINICIAN_NAME:
        return None
    return (f"clinician: at most {MAX_CLINICIAN_NAME} characters (this one has {len(text)}); it is printed on every "
            "handout page: a name and role, e.g. \"Dr A Patel, GP\"")


def record_clinician_problem(text: str | None, who: str = "the clinician's") -> str | None:
    """Why a new follow-up visit's clinician or a new decision's "decided by" is refused (None:
    accepted, or not recorded): the intake's bound, :data:`MAX_CLINICIAN_NAME` once spaces at
    either end are trimmed, in words without the field's name (the window says it beside the
    field, the CLI after its option: mmx22 leftover)."""
    if not isinstance(text, str) or len(text.strip()) <= MAX_CLINICIAN_NAME:
        return None
    return (f"at most {MAX_CLINICIAN_NAME} characters (this one has {len(text.strip())}): {who} name and role, "
            "e.g. \"Dr A Patel, GP\"")


def _record_clinician_errors(visits: Sequence[FollowUpVisit], decisions: Sequence["Decision"]) -> list[FieldError]:
    """A field error for each follow-up visit or decision of new input (import) whose clinician
    or "decided by" is longer than :data:`MAX_CLINICIAN_NAME` (mmx22 leftover)."""
    out = []
    for v in visits:
        problem = record_clinician_problem(v.clinician)
        if problem:
            out.append(FieldError("visits", f"the visit of {v.date.isoformat()}: clinician: {problem}"))
    for d in decisions:
        problem = record_clinician_problem(d.by, "the decider's")
        if problem:
            out.append(FieldError("decisions", f"the decision of {d.date.isoformat()}: by: {problem}"))
    return out


def clinician_name_errors(data: Any) -> list[FieldError]:
    """A new intake's clinician (decoded JSON), refused when longer than
    :data:`MAX_CLINICIAN_NAME` once spaces at either end are trimmed (gp21 F6). Read from the
    input itself, so the window's Patient step says it at Next while later steps are empty."""
    text = data.get("clinician") if isinstance(data, dict) else None
    problem = clinician_name_problem(text.strip()) if isinstance(text, str) else None
    return [FieldError("clinician", problem)] if problem else []


#: Two or more ordinary spaces in a row in a patient's name. Read as one space, as the ends
#: of every text are trimmed: a name typed "Ana  Lopez" by a slip of the thumb is stored,
#: searched, printed and compared as "Ana Lopez" (a search for "Ana Lopez" finds it), never
#: refused, since it is a name, not a key (an id refuses it: characters.identifier_shape).
_ONE_SPACE = re.compile(" {2,}")


def new_text_errors(data: Any, path: str = "") -> list[FieldError]:
    """A field error for each name, identifier or note of new input (decoded case, visit or
    decision JSON) holding a character :mod:`~radiculopathy_desktop.domain.characters`
    refuses, naming the field and the character ("U+202E RIGHT-TO-LEFT OVERRIDE")."""
    try:
        errors = not_text_errors(data, path)
        said = {e.field for e in errors}  # a lone surrogate is said once, by not_text_errors
        return errors + [FieldError(field, message) for field, message in text_problems(data, path)
                         if field not in said]
    except RecursionError:  # pathological nesting: the reader reports it
        return []


def _shown_path(path: str) -> str:
    """A field path that can be printed: a lone surrogate in a key written as ``\\udXXX``."""
    return path.encode("utf-8", "backslashreplace").decode("utf-8")


def not_text_errors(data: Any, path: str = "") -> list[FieldError]:
    """A field error for each key or text of decoded JSON holding a lone surrogate ("\\ud800":
    half of a UTF-16 pair, not a character; JSON lets a file write it but no text encoding
    can store it). Refused at parse, naming the field, so the import never fails later while
    writing it (red-team rt10 F7). The walk is only taken when the quick check finds one."""
    import json

    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
        return []
    except UnicodeEncodeError:
        pass
    except (TypeError, ValueError):  # not JSON-shaped (the reader reports it): look anyway
        pass
    out: list[FieldError] = []

    def bad(text: str, field: str) -> None:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            shown = _shown_path(field) or "the case"
            out.append(FieldError(shown, f"{shown} holds U+{ord(text[exc.start]):04X} (character {exc.start + 1}), "
                                         "half of a UTF-16 surrogate pair and not a character: the file was not "
                                         "written as valid text; correct the program that wrote it or type the "
                                         "text again"))

    stack: list[tuple[Any, str]] = [(data, path)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                field = f"{where}.{key}" if where else str(key)
                if isinstance(key, str):
                    bad(key, field)
                stack.append((item, field))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{n}]") for n, item in enumerate(value))
        elif isinstance(value, str):
            bad(value, where)
    return sorted(out, key=lambda e: e.field)


#: The smallest current daily dose new input accepts, in mg (10 micrograms a day). The
#: smallest real daily dose of a medicine in the app's medicine data is about 0.075 mg
#: (buprenorphine buccal film, 75 micrograms once a day); benzodiazepines, risperidone and
#: the other small-dose medicines start at 0.125-0.25 mg. A dose of 0, a negative dose or
#: one below this floor is a slip (or "none"), never a dose: the sheet would print "keep
#: taking gabapentin 0 mg a day" (red-team rt10 F16). A dose not known is left out.
MIN_DAILY_DOSE_MG = 0.01


def dose_floor_problem(name: str, dose: float | None) -> str | None:
    """Why ``dose`` (mg a day) of the medicine ``name`` is not a dose new input accepts, or None."""
    if dose is None or dose >= MIN_DAILY_DOSE_MG:
        return None
    return (f"{name} {dose:g} mg a day is not a dose: a current daily dose must be at least {MIN_DAILY_DOSE_MG:g} mg "
            "(10 micrograms). Leave the dose out if it is not known")


def new_case_dose_errors(case: Case) -> list[FieldError]:
    """A field error naming each current medicine of new input recorded at a daily dose of 0,
    below 0 or below :data:`MIN_DAILY_DOSE_MG`. A stored case holding one stays readable:
    its sheets say "dose not recorded" and ``check --full`` lists it."""
    out = []
    for n, med in enumerate(case.intake.medicines):
        problem = dose_floor_problem(med.name, med.daily_dose_mg)
        if problem:
            field = f"medicines[{n}].daily_dose_mg"
            out.append(FieldError(field, f"{field}: {problem}."))
    return out


def new_case_age_errors(case: Case) -> list[FieldError]:
    """The typed age against the birth date on the intake visit date (:func:`age_disagreement`),
    as a field error naming ``patient.age_years``: an empty list when they agree or only one
    is given."""
    p = case.intake.patient
    clash = age_disagreement(p.birth_date, p.age_years, case.intake.visit_date)
    return [FieldError("patient.age_years", f"patient.age_years: {clash}")] if clash else []


def dates_after_today(case: Case, today: dt.date) -> list[FieldError]:
    """Each recorded date of ``case`` after ``today`` (a slip of the year or month, not a plan)."""
    i = case.intake
    dated = [("patient.birth_date", i.patient.birth_date), ("onset_date", i.onset_date),
             ("visit_date", i.visit_date), ("care_start_date", i.care_start_date)]
    dated += [(f"visits[{n}].date", v.date) for n, v in enumerate(case.visits)]
    dated += [(f"decisions[{n}].date", d.date) for n, d in enumerate(case.decisions)]
    return [FieldError(field, f"{field}: {day.isoformat()} is after today ({today.isoformat()}): check the year "
                              "and month (a case records what has happened)")
            for field, day in dated if day is not None and day > today]


def parse_intake(data: Any) -> Intake:
    return parse_case(data).intake


def _parse_case(r: _Reader, data: Any) -> Case | None:
    root = r.obj(data, "case", required=True)
    if root is None:
        return None
    r.unknown_keys(root, _CASE_KEYS, "")
    version = root.get("format_version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        r.error("format_version", f"format_version {_show(version)} is not supported (this version reads {FORMAT_VERSION})")
    patient = _parse_patient(r, root.get("patient"))
    onset = r.date(root, "onset_date", "", required=True)
    visit = r.date(root, "visit_date", "", required=True)
    care_start_given = r.date(root, "care_start_date", "")
    care_start = care_start_given or visit
    side = r.choice(root, "side", "", SIDES, required=True)
    regions = _parse_regions(r, root)
    pain = r.obj(root.get("pain"), "pain", required=True) or {}
    if pain:
        r.unknown_keys(pain, {"leg_nrs", "back_nrs"}, "pain")
    leg = r.number(pain, "leg_nrs", "pain", 0, 10, required=True, integer=True)
    # back_nrs may be null ("not recorded"): leg pain is the primary outcome in sciatica.
    back = r.number(pain, "back_nrs", "pain", 0, 10, integer=True)
    red_flags = _parse_red_flags(r, root.get("red_flags"), "red_flags", complete=True)
    exam = _parse_examination(r, root.get("examination"))
    start_back = _parse_start_back(r, root.get("start_back"))
    function = _parse_function(r, root.get("function"))
    conditions = _parse_conditions(r, root.get("conditions"))
    medicines = _parse_medicines(r, root)
    treatments = _parse_treatments(r, root.get("treatments_tried"), "treatments_tried")
    consider = r.choice(root, "would_consider_intervention", "", ANSWERS, default="unknown")
    prior_surgery = r.boolean(root, "prior_lumbar_surgery", "")
    clinician = r.text(root, "clinician", "")
    notes = r.text(root, "notes", "", max_len=4000)
    case_id = r.text(root, "case_id", "", max_len=64)
    imaging = parse_imaging(r, root.get("imaging"), "imaging", visit)
    self_management = parse_self_management(r, root.get("self_management"), "self_management", visit)

    # Cross-field checks: only where both sides parsed.
    if onset and visit and visit < onset:
        r.error("visit_date", f"visit_date is before onset_date ({visit.isoformat()} < {onset.isoformat()})")
    if onset and care_start_given and care_start_given < onset:
        r.error("care_start_date", f"care_start_date is before onset_date ({care_start.isoformat()} < {onset.isoformat()})")
    if visit and care_start_given and care_start > visit:
        r.error("care_start_date", f"care_start_date is after visit_date ({care_start.isoformat()} > {visit.isoformat()})")
    if patient and onset and patient.birth_date and patient.birth_date > onset:
        r.error("patient.birth_date", "patient.birth_date is after onset_date")
    if patient and visit:
        age = patient.age_on(visit)
        if age is not None and not 0 <= age <= 120:
            r.error("patient.birth_date", f"patient age at the visit would be {age} years")
    if patient and not pregnancy_allowed(patient.sex) and (patient.pregnancy_weeks is not None
                                                           or patient.pregnant):  # 0 weeks too
        r.error("patient.pregnancy_weeks", "patient.pregnancy_weeks is set for a male patient: a pregnancy is "
                                           "recorded only for a patient whose sex is female, other or unknown; "
                                           "correct the sex or the pregnancy")
    if patient and not pregnancy_allowed(patient.sex):
        for v in visits_pregnant(root):
            r.error(f"visits[{v}].pregnancy", f"visits[{v}].pregnancy records a pregnancy for a male patient: a "
                                              "pregnancy is recorded only for a patient whose sex is female, other "
                                              "or unknown; correct the sex or the visit")
    if side and side != "bilateral" and red_flags.get("bilateral_leg_symptoms") == "yes":
        r.error("side", "side is one-sided but red_flags.bilateral_leg_symptoms is yes: set side to bilateral")
    if side == "bilateral" and red_flags.get("bilateral_leg_symptoms") == "no":
        r.error("red_flags.bilateral_leg_symptoms",
                "side is bilateral but red_flags.bilateral_leg_symptoms is no: symptoms in both legs are the "
                "bilateral_leg_symptoms red flag (possible cauda equina syndrome); correct side or the answer")
    _answer_bilateral_from_side(side, red_flags)
    _check_treatment_dates(r, treatments, "treatments_tried", onset, visit, after=False)

    visits = _parse_visits(r, root, visit)
    decisions = _parse_decisions(r, root, visit)

    if r.errors or patient is None or None in (onset, visit, side, leg):
        return None
    intake = Intake(
        patient=patient, onset_date=onset, visit_date=visit, care_start_date=care_start or visit,
        side=side, regions=regions, leg_nrs=leg, back_nrs=back, red_flags=red_flags,
        examination=exam, start_back=start_back, function=function, conditions=conditions,
        medicines=medicines, treatments_tried=treatments, would_consider_intervention=consider,
        prior_lumbar_surgery=prior_surgery, clinician=clinician, notes=notes,
        imaging=imaging, self_management=self_management,
    )
    return Case(case_id=case_id or f"{patient.id}-{onset.isoformat()}", intake=intake,
                visits=visits, decisions=decisions)


def visits_pregnant(root: Mapping[str, Any]) -> list[int]:
    """The positions of the visits in a case file that record ``pregnancy.pregnant: true``."""
    visits = root.get("visits")
    if not isinstance(visits, list):
        return []
    return [n for n, v in enumerate(visits) if isinstance(v, Mapping) and isinstance(v.get("pregnancy"), Mapping)
            and v["pregnancy"].get("pregnant") is True]


def _answer_bilateral_from_side(side: str | None, red_flags: dict[str, str]) -> None:
    """Recording symptoms in both legs answers the bilateral question: it is never left unknown."""
    if side == "bilateral" and red_flags.get("bilateral_leg_symptoms", "unknown") == "unknown":
        red_flags["bilateral_leg_symptoms"] = "yes"


@dataclass(frozen=True)
class IntakeDraft:
    """What triage reads from an intake still being entered (the wizard's pages so far)."""

    red_flags: Mapping[str, str]
    examination: Examination
    conditions: Conditions
    age: int | None
    radicular_pain: bool | None  # None: neither leg pain nor a symptom region entered yet


def read_intake_draft(data: Any) -> IntakeDraft:
    """The triage inputs of a case-JSON dict that may be incomplete or partly wrong.

    Read by the same field readers as :func:`parse_case`; a part that does not parse
    yet is left out (its page shows the error) rather than guessed. The age follows
    :func:`age_on` on the visit date, as the assessment does.
    """
    r = _Reader()
    root = data if isinstance(data, Mapping) else {}
    patient = root.get("patient") if isinstance(root.get("patient"), Mapping) else {}
    birth = r.date(patient, "birth_date", "patient")
    typed_age = r.number(patient, "age_years", "patient", 0, 120, integer=True, unit="years")
    visit = r.date(root, "visit_date", "")
    red_flags = _parse_red_flags(r, root.get("red_flags"), "red_flags", complete=False)
    _answer_bilateral_from_side(root.get("side"), red_flags)
    pain = root.get("pain") if isinstance(root.get("pain"), Mapping) else {}
    leg = r.number(pain, "leg_nrs", "pain", 0, 10, integer=True)
    regions = _parse_regions(r, root)
    radicular = None if leg is None and not regions else bool(leg) or bool(regions)
    return IntakeDraft(red_flags, _parse_examination(r, root.get("examination")),
                       _parse_conditions(r, root.get("conditions")), age_on(birth, typed_age, visit), radicular)


def _parse_patient(r: _Reader, value: Any) -> Patient | None:
    data = r.obj(value, "patient", required=True)
    if data is None:
        return None
    r.unknown_keys(data, {"id", "name", "birth_date", "age_years", "sex", "weight_kg", "height_cm",
                          "pregnant", "pregnancy_weeks"}, "patient")
    pid = r.text(data, "id", "patient", required=True, max_len=64)
    name = r.text(data, "name", "patient")
    if name and "  " in name:  # a double space typed by accident: one space (ids12 left; ids refuse it)
        name = _ONE_SPACE.sub(" ", name)
    birth = r.date(data, "birth_date", "patient")
    age = r.number(data, "age_years", "patient", 0, 120, integer=True, unit="years")
    if data.get("birth_date") is None and data.get("age_years") is None:
        r.error("patient.age_years", "patient.age_years or patient.birth_date is required")
    sex = r.choice(data, "sex", "patient", SEXES, default="unknown")
    weight = r.number(data, "weight_kg", "patient", 20, 350, unit="kg")
    height = r.number(data, "height_cm", "patient", 100, 250, unit="cm")
    pregnancy = r.number(data, "pregnancy_weeks", "patient", *PREGNANCY_WEEKS_RANGE, integer=True, unit="weeks")
    pregnant = r.boolean(data, "pregnant", "patient")
    if pregnant is False and data.get("pregnancy_weeks") is not None:
        r.error("patient.pregnant", "patient.pregnant is false but patient.pregnancy_weeks is set: a patient who "
                                    "is not pregnant has no weeks of pregnancy; correct the answer or the weeks")
    if pregnant is True and data.get("pregnancy_weeks") is None:
        r.error("patient.pregnancy_weeks", "patient.pregnant is true but patient.pregnancy_weeks is not given: the "
                                           "medicine checks depend on the weeks (an estimate is enough)")
    if pregnancy is not None:
        pregnant = True  # weeks without the answer (older files): pregnant
    if pid is None:
        return None
    return Patient(pid, name, birth, age, sex or "unknown", weight, height, pregnancy, pregnant)


def _parse_regions(r: _Reader, root: Mapping[str, Any]) -> tuple[str, ...]:
    items = r.array(root, "regions", "", max_items=50) or []
    out: list[str] = []
    for n, item in enumerate(items):
        if not isinstance(item, str) or item not in SYMPTOM_REGIONS:
            r.error(f"regions[{n}]", f"regions[{n}] is not a known region ({_show(item)}); known: {', '.join(SYMPTOM_REGIONS)}")
        elif item not in out:
            out.append(item)
    return tuple(out)


def _parse_red_flags(r: _Reader, value: Any, path: str, complete: bool) -> dict[str, str]:
    data = r.obj(value, path, required=complete)
    answers: dict[str, str] = {k: "unknown" for k in RED_FLAG_QUESTIONS} if complete else {}
    if data is None:
        return answers
    for key, answer in data.items():
        where = f"{path}.{key}"
        if key not in RED_FLAG_QUESTIONS:
            r.error(where, f"{where} is not a known red-flag question")
        elif answer not in ANSWERS:
            r.error(where, f"{where} must be yes, no or unknown (got {_show(answer)})")
        else:
            answers[key] = answer
    return answers


def _parse_power(r: _Reader, value: Any, path: str) -> dict[str, int]:
    data = r.obj(value, path) or {}
    power: dict[str, int] = {}
    for key, grade in data.items():
        where = f"{path}.{key}"
        if key not in MUSCLE_GROUPS:
            r.error(where, f"{where} is not a known muscle group; known: {', '.join(MUSCLE_GROUPS)}")
            continue
        if grade is None:
            continue
        parsed = r.number_value(grade, where, 0, 5, integer=True, unit="(MRC grade)")
        if parsed is not None:
            power[key] = parsed
    return power


def _parse_examination(r: _Reader, value: Any) -> Examination:
    data = r.obj(value, "examination")
    if data is None:
        return Examination()
    r.unknown_keys(data, {"slr", "slr_angle_deg", "crossed_slr", "femoral_stretch", "power", "reflexes",
                          "sensation", "plantar", "clonus"}, "examination")
    slr = r.choice(data, "slr", "examination", NERVE_TENSION_RESULTS, default="not_tested")
    angle = r.number(data, "slr_angle_deg", "examination", 0, 90, integer=True, unit="degrees")
    crossed = r.choice(data, "crossed_slr", "examination", NERVE_TENSION_RESULTS, default="not_tested")
    femoral = r.choice(data, "femoral_stretch", "examination", NERVE_TENSION_RESULTS, default="not_tested")
    power = _parse_power(r, data.get("power"), "examination.power")
    reflexes: dict[str, str] = {}
    rdata = r.obj(data.get("reflexes"), "examination.reflexes") or {}
    for key, result in rdata.items():
        where = f"examination.reflexes.{key}"
        if key not in REFLEXES:
            r.error(where, f"{where} is not a known reflex; known: {', '.join(REFLEXES)}")
        elif result not in REFLEX_RESULTS:
            r.error(where, f"{where} must be one of: {', '.join(REFLEX_RESULTS)} (got {_show(result)})")
        else:
            reflexes[key] = result
    sensation = r.choice(data, "sensation", "examination", SENSORY_RESULTS, default="not_tested")
    plantar = r.choice(data, "plantar", "examination", PLANTAR_RESULTS, default="not_tested")
    clonus = r.choice(data, "clonus", "examination", CLONUS_RESULTS, default="not_tested")
    return Examination(slr, angle, crossed, femoral, power, reflexes, sensation, plantar, clonus)


def _parse_start_back(r: _Reader, value: Any) -> StartBack | None:
    data = r.obj(value, "start_back")
    if data is None:
        return None
    r.unknown_keys(data, {"answers", "total", "distress"}, "start_back")
    answers = None
    raw = data.get("answers")
    if raw is not None:
        if not isinstance(raw, list) or len(raw) != 9:
            r.error("start_back.answers", "start_back.answers must be a list of the 9 answers")
        else:
            ok = True
            for n, item in enumerate(raw[:8]):
                if not isinstance(item, bool):
                    r.error(f"start_back.answers[{n}]", f"start_back.answers[{n}] (item {n + 1}) must be true (agree) or false (disagree)")
                    ok = False
            if raw[8] not in START_BACK_ITEM9:
                r.error("start_back.answers[8]", f"start_back.answers[8] (item 9) must be one of: {', '.join(START_BACK_ITEM9)}")
                ok = False
            if ok:
                answers = tuple(raw)
    total = r.number(data, "total", "start_back", 0, 9, integer=True)
    distress = r.number(data, "distress", "start_back", 0, 5, integer=True)
    if answers is None and raw is None:
        if total is None and data.get("total") is None:
            r.error("start_back.total", "start_back needs the 9 answers or the total and distress scores")
        elif distress is None and data.get("distress") is None:
            r.error("start_back.distress", "start_back.distress (items 5-9) is required with start_back.total")
        elif total is not None and distress is not None and distress > total:
            r.error("start_back.distress", "start_back.distress cannot be more than start_back.total")
    return StartBack(answers, total, distress)


def _parse_function(r: _Reader, value: Any) -> FunctionScore:
    data = r.obj(value, "function")
    if data is None:
        return FunctionScore()
    r.unknown_keys(data, {"odi_percent", "rmdq", "odi_answers"}, "function")
    odi = r.number(data, "odi_percent", "function", 0, 100, unit="%")
    rmdq = r.number(data, "rmdq", "function", 0, 24, integer=True)
    answers = None
    raw = data.get("odi_answers")
    if raw is not None:
        if not isinstance(raw, list) or len(raw) != 10:
            r.error("function.odi_answers", "function.odi_answers must be a list of 10 section scores (0-5 or null)")
        else:
            parsed = [None if a is None else r.number_value(a, f"function.odi_answers[{n}]", 0, 5, integer=True)
                      for n, a in enumerate(raw)]
            if sum(a is not None for a in parsed) < 8 and any(a is not None for a in raw):
                r.error("function.odi_answers", "function.odi_answers needs at least 8 of 10 sections answered to score")
            answers = tuple(parsed)
    return FunctionScore(odi, rmdq, answers)


def _parse_conditions(r: _Reader, value: Any) -> Conditions:
    data = r.obj(value, "conditions")
    if data is None:
        return Conditions()
    allowed = set(BOOLEAN_CONDITIONS) | {"serum_creatinine", "egfr", "alcohol_use"}
    allowed |= set(SPECIAL_CONSIDERATIONS) | {"pain_classification"}
    r.unknown_keys(data, allowed, "conditions")
    flags = {k: r.boolean(data, k, "conditions") for k in (*BOOLEAN_CONDITIONS, *SPECIAL_CONSIDERATIONS) if k in data}
    pain_classes = _parse_pain_classification(r, data.get("pain_classification"))
    creat_value = creat_unit = None
    sc = r.obj(data.get("serum_creatinine"), "conditions.serum_creatinine")
    if sc is not None:
        unit = r.choice(sc, "unit", "conditions.serum_creatinine", CREATININE_UNITS, required=True)
        if unit in CREATININE_RANGES:
            lo, hi = CREATININE_RANGES[unit]
            creat_value = r.number(sc, "value", "conditions.serum_creatinine", lo, hi, required=True, unit=unit)
        creat_unit = unit if creat_value is not None else None
    egfr = r.number(data, "egfr", "conditions", 0, 200, unit="mL/min/1.73m2")
    alcohol = r.choice(data, "alcohol_use", "conditions", ALCOHOL_USE, default="unknown")
    return Conditions(flags, creat_value, creat_unit, egfr, alcohol, pain_classes)


def _parse_pain_classification(r: _Reader, value: Any) -> tuple[str, ...]:
    """A list of PAIN_CLASSIFICATIONS codes, each once, kept in vocabulary order."""
    where = "conditions.pain_classification"
    if value is None:
        return ()
    if not isinstance(value, list):
        r.error(where, f"{where} must be a list such as [\"neuropathic\"], not {_show(value)}")
        return ()
    bad = [v for v in value if not isinstance(v, str) or v not in PAIN_CLASSIFICATIONS]
    if bad:
        r.error(where, f"{where} has {_show(bad[0])}; allowed: {', '.join(PAIN_CLASSIFICATIONS)}")
        return ()
    if len(set(value)) != len(value):
        r.error(where, f"{where} lists a classification twice")
        return ()
    return tuple(k for k in PAIN_CLASSIFICATIONS if k in value)


def _parse_medicines(r: _Reader, root: Mapping[str, Any]) -> tuple[Medicine, ...]:
    items = r.array(root, "medicines", "", max_items=100) or []
    out: list[Medicine] = []
    for n, item in enumerate(items):
        where = f"medicines[{n}]"
        data = r.obj(item, where, required=True)
        if data is None:
            continue
        r.unknown_keys(data, {"name", "daily_dose_mg"}, where)
        name = r.text(data, "name", where, required=True, max_len=80)
        dose = r.number(data, "daily_dose_mg", where, 0, 100000, unit="mg")
        if name:
            out.append(Medicine(name.lower(), dose))
    return tuple(out)


def _parse_treatments(r: _Reader, value: Any, path: str) -> tuple[TreatmentTried, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        r.error(path, f"{path} must be a list, not {_kind(value)}")
        return ()
    out: list[TreatmentTried] = []
    for n, item in enumerate(value[:200]):
        where = f"{path}[{n}]"
        if isinstance(item, str):  # shorthand: just the code
            item = {"code": item}
        data = r.obj(item, where, required=True)
        if data is None:
            continue
        r.unknown_keys(data, {"code", "started", "stopped", "response"}, where)
        code = r.choice(data, "code", where, tuple(TREATMENTS), required=True)
        started = r.date(data, "started", where)
        stopped = r.date(data, "stopped", where)
        response = r.choice(data, "response", where, TREATMENT_RESPONSES, default="unknown")
        if started and stopped and stopped < started:
            r.error(f"{where}.stopped", f"{where}.stopped is before {where}.started")
        if code:
            out.append(TreatmentTried(code, started, stopped, response))
    return tuple(out)


def _check_treatment_dates(r: _Reader, items, path: str, onset, last_date, after: bool) -> None:
    for n, t in enumerate(items):
        if last_date and t.started and t.started > last_date:
            r.error(f"{path}[{n}].started", f"{path}[{n}].started is after the visit date")


def _parse_visits(r: _Reader, root: Mapping[str, Any], baseline: dt.date | None) -> tuple[FollowUpVisit, ...]:
    items = r.array(root, "visits", "", max_items=500) or []
    out: list[FollowUpVisit] = []
    for n, item in enumerate(items):
        where = f"visits[{n}]"
        data = r.obj(item, where, required=True)
        if data is None:
            continue
        r.unknown_keys(data, {"date", "leg_nrs", "back_nrs", "odi_percent", "rmdq", "treatments_tried",
                              "red_flags", "power", "clinician", "notes", "imaging", "self_management", "entry",
                              "pregnancy"},
                       where)
        day = r.date(data, "date", where, required=True)
        leg = r.number(data, "leg_nrs", where, 0, 10, integer=True)
        back = r.number(data, "back_nrs", where, 0, 10, integer=True)
        odi = r.number(data, "odi_percent", where, 0, 100, unit="%")
        rmdq = r.number(data, "rmdq", where, 0, 24, integer=True)
        treatments = _parse_treatments(r, data.get("treatments_tried"), f"{where}.treatments_tried")
        flags = _parse_red_flags(r, data.get("red_flags"), f"{where}.red_flags", complete=False)
        power = _parse_power(r, data.get("power"), f"{where}.power")
        clinician = r.text(data, "clinician", where)
        notes = r.text(data, "notes", where, max_len=4000)
        imaging = parse_imaging(r, data.get("imaging"), f"{where}.imaging", day)
        advice = parse_self_management(r, data.get("self_management"), f"{where}.self_management", day)
        entry = _parse_entry(r, data, where)
        pregnancy = _parse_pregnancy_update(r, data.get("pregnancy"), f"{where}.pregnancy", day)
        if day and baseline and day < baseline:
            r.error(f"{where}.date", f"{where}.date is before visit_date, the intake's date ({day.isoformat()} < {baseline.isoformat()}): a visit comes on or after the intake")
        if day is not None:
            _check_treatment_dates(r, treatments, f"{where}.treatments_tried", None, day, after=True)
            out.append(FollowUpVisit(day, leg, back, odi, rmdq, treatments, flags, power, clinician, notes,
                                     imaging, advice, entry, pregnancy))
    return tuple(sorted(out, key=entry_key))


def _parse_pregnancy_update(r: _Reader, value: Any, where: str, day: dt.date | None) -> PregnancyUpdate | None:
    """A visit's ``pregnancy`` (docs/case-format.md): ``{"pregnant": true, "weeks": N}`` (weeks on
    the visit's date) or ``{"pregnant": false, "ended_on": "YYYY-MM-DD"}`` (``ended_on`` optional,
    not after the visit). Absent or null: the visit recorded no pregnancy answer."""
    data = r.obj(value, where)
    if data is None:
        return None
    before = len(r.errors)
    r.unknown_keys(data, {"pregnant", "weeks", "ended_on"}, where)
    pregnant = r.boolean(data, "pregnant", where)
    weeks = r.number(data, "weeks", where, *PREGNANCY_WEEKS_RANGE, integer=True, unit="weeks")
    ended = r.date(data, "ended_on", where)
    if data.get("pregnant") is None:
        r.error(f"{where}.pregnant", f"{where}.pregnant is required: true (pregnant, with the weeks on the visit "
                                     "date) or false (no longer pregnant)")
    elif pregnant is True:
        if data.get("weeks") is None:
            r.error(f"{where}.weeks", f"{where}.weeks is required when pregnant: the completed weeks of "
                                      "pregnancy on the visit date")
        if data.get("ended_on") is not None:
            r.error(f"{where}.ended_on", f"{where}.ended_on is set but {where}.pregnant is true: a pregnancy "
                                         "that has ended is recorded as pregnant: false")
    elif pregnant is False and data.get("weeks") is not None:
        r.error(f"{where}.weeks", f"{where}.weeks is set but {where}.pregnant is false: a patient who is no "
                                  "longer pregnant has no weeks of pregnancy; correct the answer or the weeks")
    if ended is not None and day is not None and ended > day:
        r.error(f"{where}.ended_on", f"{where}.ended_on is after the visit ({ended.isoformat()} > "
                                     f"{day.isoformat()}): record the day the pregnancy ended, on or before the visit")
    if len(r.errors) != before or pregnant is None:
        return None
    return PregnancyUpdate(pregnant, weeks if pregnant else None, None if pregnant else ended)


def _parse_decisions(r: _Reader, root: Mapping[str, Any], baseline: dt.date | None) -> tuple[Decision, ...]:
    items = r.array(root, "decisions", "", max_items=500) or []
    out: list[Decision] = []
    for n, item in enumerate(items):
        where = f"decisions[{n}]"
        data = r.obj(item, where, required=True)
        if data is None:
            continue
        r.unknown_keys(data, {"date", "kind", "until", "by", "note", "acknowledged_red_flags", "entry",
                              "typed_against"}, where)
        day = r.date(data, "date", where, required=True)
        kind = r.choice(data, "kind", where, tuple(DecisionKind), required=True)
        kind = DecisionKind(kind) if kind is not None else None
        until = r.date(data, "until", where)
        by = r.text(data, "by", where)
        note = r.text(data, "note", where, max_len=4000)
        acknowledged = _parse_acknowledged(r, data, where)
        entry = _parse_entry(r, data, where)
        typed_against = _parse_typed_against(r, data, where, entry)
        if kind == DecisionKind.CONTINUE_CONSERVATIVE_CARE and until is None and data.get("until") is None:
            r.error(f"{where}.until", f"{where}.until is required when continuing conservative care")
        if day and until and until <= day:
            r.error(f"{where}.until", f"{where}.until must be after {where}.date")
        if day and baseline and day < baseline:
            r.error(f"{where}.date", f"{where}.date is before visit_date, the intake's date ({day.isoformat()} < {baseline.isoformat()}): a visit comes on or after the intake")
        if day is not None and kind is not None:
            out.append(Decision(day, kind, until if kind == DecisionKind.CONTINUE_CONSERVATIVE_CARE else None, by, note,
                                acknowledged, entry, typed_against))
    return tuple(sorted(out, key=entry_key))


#: The largest entry order a file may give (JSON numbers are exact integers up to 2**53).
MAX_ENTRY = 2 ** 53 - 1


def _parse_entry(r: _Reader, data: Mapping[str, Any], where: str) -> int | None:
    """A visit's or decision's optional ``entry`` (the order the records were entered in: a
    positive whole number, larger for a record entered later), or None."""
    if "entry" not in data:
        return None
    value = data["entry"]
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ENTRY:
        r.error(f"{where}.entry", f"{where}.entry must be a whole number from 1 (the order the records were "
                                  f"entered in: larger for a record entered later)")
        return None
    return value


def _parse_typed_against(r: _Reader, data: Mapping[str, Any], where: str, entry: int | None) -> int | None:
    """A decision's optional ``typed_against`` (``Decision.typed_against``): a whole number from
    0, smaller than the decision's own ``entry`` when it has one (it was typed before it was
    saved), or None."""
    if "typed_against" not in data:
        return None
    value = data["typed_against"]
    field_name = f"{where}.typed_against"
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ENTRY:
        r.error(field_name, f"{field_name} must be a whole number from 0 (the largest entry order among the "
                            "case's records when the decision was typed)")
        return None
    if entry is not None and value >= entry:
        r.error(field_name, f"{field_name} ({value}) must be smaller than {where}.entry ({entry}): a decision "
                            "is typed before it is saved")
        return None
    return value


#: What a decision can acknowledge: the red-flag questions and the two examination facts
#: the triage fires (``TriageResult.fired``).
ACKNOWLEDGEABLE_FLAGS = frozenset(RED_FLAG_QUESTIONS) | {"severe_motor_deficit", "upper_motor_neurone_signs"}


def _parse_acknowledged(r: _Reader, data: Mapping[str, Any], where: str) -> tuple[str, ...] | None:
    """A decision's ``acknowledged_red_flags``: absent (None, a decision stored before the
    field) or a list of distinct red-flag codes, kept sorted. ``null`` is refused, as the
    JSON schema refuses it (red-team rt7 R6): it is not "absent", which means a decision of
    the earlier kind, nor ``[]``."""
    if "acknowledged_red_flags" not in data:
        return None
    field = f"{where}.acknowledged_red_flags"
    value = data["acknowledged_red_flags"]
    if value is None:
        r.error(field, f"{field} must be a list of red-flag codes ([] when the decision acknowledges none), "
                       "not null")
        return None
    if not isinstance(value, list) or len(value) > len(ACKNOWLEDGEABLE_FLAGS):
        r.error(field, f"{field} must be a list of red-flag codes")
        return None
    bad = [v for v in value if not isinstance(v, str) or v not in ACKNOWLEDGEABLE_FLAGS]
    if bad:
        r.error(field, f"{field}: not a red-flag code: " + ", ".join(repr(v) for v in bad[:5]))
        return None
    if len(set(value)) != len(value):
        r.error(field, f"{field} lists a red flag twice")
        return None
    return tuple(sorted(value))


def _parse_added(data: Any, case: Case, key: str, label: str) -> tuple:
    """Validate one new visit or decision in the context of its case.

    Returns the case's items of ``key`` after adding ``data``; errors are reported
    relative to the new item ("visit.date is not a real calendar date").
    """
    raw = case_to_dict(case)
    raw[key] = list(raw.get(key, [])) + [data]
    index = len(raw[key]) - 1
    prefix = f"{key}[{index}]"
    try:
        updated = parse_case(raw)
    except ValidationError as exc:
        mine = [e for e in exc.errors if e.field.startswith(prefix)] or exc.errors
        raise ValidationError([FieldError(e.field.replace(f"{prefix}.", f"{label}."),
                                          e.message.replace(f"{prefix}.", "")) for e in mine]) from None
    return getattr(updated, key)


def _the_added(items: tuple, before: tuple):
    """The one item of ``items`` that ``before`` does not hold (counting repeats: a visit the
    same as one already recorded is still the one added), wherever its date sorts it."""
    remaining = list(before)
    for item in items:
        if item in remaining:
            remaining.remove(item)
        else:
            return item
    return items[-1]  # pragma: no cover - _parse_added always adds one


def empty_visit_errors(case: Case, held: Sequence[FollowUpVisit] = ()) -> list[FieldError]:
    """A field error for each follow-up visit of new input (import) that records nothing
    (:func:`~radiculopathy_desktop.domain.visits.visit_records_something`, rt13 F7), but for
    one identical to a visit the tracker holds for the case (``held``, each matched once;
    the entry order aside): stored before this rule and re-exported, it is not new input."""
    from radiculopathy_desktop.domain.visits import EMPTY_VISIT_MESSAGE, visit_records_something

    empty = [v for v in case.visits if not visit_records_something(v)]
    if not empty:
        return []
    unmatched = [v for v in held if not visit_records_something(v)]
    out = []
    for v in empty:
        if v in unmatched:
            unmatched.remove(v)
        else:
            out.append(FieldError("visits", f"the visit of {v.date.isoformat()}: {EMPTY_VISIT_MESSAGE}"))
    return out


#: How far a pregnancy's weeks recorded again at a visit may differ from the weeks the record
#: standing before it gives on that date (a dating scan moves them by a week or two): further,
#: the answer contradicts the one before it unless that pregnancy's end was recorded first.
PREGNANCY_WEEKS_REVISION = 4


def pregnancy_update_errors(case: Case, new: Sequence[FollowUpVisit]) -> list[FieldError]:
    """A field error for each pregnancy answer of a visit in ``new`` (new input) that the answers
    recorded before it make impossible (red team rt17 F11, gp17 F8): an end dated before the
    pregnancy it ends was recorded; weeks more than :data:`PREGNANCY_WEEKS_REVISION` from those
    the pregnancy standing then gives on that date, with no end recorded between; a new
    pregnancy whose weeks date it from before the previous one ended. Stored answers stay
    readable (only new input is checked)."""
    out: list[FieldError] = []
    p = case.intake.patient
    # the pregnancy standing: ("yes", recorded on, weeks) / ("ended", end day) / None
    standing = ("yes", case.intake.visit_date, p.pregnancy_weeks) if p.pregnancy_weeks is not None else None
    for n, v in enumerate(case.visits):
        u = v.pregnancy
        if u is None:
            continue
        field = f"visits[{n}].pregnancy"
        if any(v is x for x in new):
            if not u.pregnant and u.ended_on is not None and standing and standing[0] == "yes" \
                    and u.ended_on < standing[1]:
                out.append(FieldError(f"{field}.ended_on", (
                    f"{field}.ended_on: {u.ended_on.isoformat()} is before the pregnancy it ends was recorded "
                    f"({standing[2]} weeks on {standing[1].isoformat()}): record the day it ended, on or after "
                    f"{standing[1].isoformat()}")))
            elif u.pregnant and standing and standing[0] == "yes":
                then = standing[2] + (v.date - standing[1]).days // 7
                if abs(u.weeks - then) > PREGNANCY_WEEKS_REVISION:
                    out.append(FieldError(f"{field}.weeks", (
                        f"{field}.weeks: {u.weeks} weeks on {v.date.isoformat()}, but the pregnancy recorded on "
                        f"{standing[1].isoformat()} ({standing[2]} weeks) is at {then} weeks that day: if that "
                        "pregnancy ended, record its end at a visit first; otherwise correct the weeks")))
            elif u.pregnant and standing and standing[0] == "ended":
                began = v.date - dt.timedelta(weeks=u.weeks)
                if began < standing[1] - dt.timedelta(days=14):
                    out.append(FieldError(f"{field}.weeks", (
                        f"{field}.weeks: {u.weeks} weeks on {v.date.isoformat()} dates this pregnancy from "
                        f"{began.isoformat()}, before the previous one ended ({standing[1].isoformat()}): check "
                        "the weeks and the end date")))
        if u.pregnant:
            standing = ("yes", v.date, u.weeks)
        else:
            standing = ("ended", u.ended_on or v.date)
    return out


def _refuse_empty_visit(visit: FollowUpVisit, field: str) -> None:
    from radiculopathy_desktop.domain.visits import EMPTY_VISIT_MESSAGE, visit_records_something

    if not visit_records_something(visit):
        raise ValidationError([FieldError(field, EMPTY_VISIT_MESSAGE[0].upper() + EMPTY_VISIT_MESSAGE[1:])])


def _not_after(day: dt.date, today: dt.date | None, field: str, what: str) -> None:
    """A record of what happened cannot be dated ahead of ``today`` (a typo, not a plan)."""
    if today is not None and day > today:
        raise ValidationError([FieldError(field, f"date is after today ({day.isoformat()} > {today.isoformat()}): "
                                                 f"{what} is recorded on or after the day it happened")])


def _refuse_hidden_characters(data: Any, label: str) -> None:
    """A new visit or decision is new input: its clinician, ``by`` and notes are checked
    (:func:`new_text_errors`), whatever the stored case already holds."""
    problems = new_text_errors(data, label)
    if problems:
        raise ValidationError(problems)


def _refuse_long_clinician(data: Any, key: str, field: str, who: str) -> None:
    """A new visit's clinician or decision's "decided by" (``data[key]``, as typed) past the
    intake's bound (mmx22 leftover), said with the bound before the reader's general 200-character
    limit of a text could name that one instead."""
    problem = record_clinician_problem(data.get(key) if isinstance(data, dict) else None, who)
    if problem:
        raise ValidationError([FieldError(field, problem)])


def parse_visit(data: Any, case: Case, today: dt.date | None = None) -> FollowUpVisit:
    """Validate one follow-up visit against its case (for the window and the CLI).

    With ``today``, a visit dated after it is refused (a follow-up visit has happened).
    """
    _refuse_long_clinician(data, "clinician", "visit.clinician", "the clinician's")  # before the reader's 200
    visit = _the_added(_parse_added(data, case, "visits", "visit"), case.visits)
    _refuse_hidden_characters(data, "visit")
    _refuse_empty_visit(visit, "visit")
    _not_after(visit.date, today, "visit.date", "a visit")
    return visit


#: The furthest ahead a "continue conservative care until" date may be set: one year after
#: the decision (red-team rt12 F11). A typing guard, not a clinical rule (no guideline sets
#: a longest re-review interval): a slip of the year would otherwise take a due case off the
#: surgical-review worklist for a decade.
UNTIL_LIMIT_DAYS = 365


def until_limit_error(until: dt.date | None, day: dt.date | None) -> str | None:
    """Why ``until`` (a new decision's review date) is refused for a decision dated ``day``, or None."""
    if until is None or day is None:
        return None
    latest = day + dt.timedelta(days=UNTIL_LIMIT_DAYS)
    if until <= latest:
        return None
    return (f"the review date {until.isoformat()} is more than one year after the decision of {day.isoformat()} "
            f"(latest {latest.isoformat()}): a slip of the year would keep the case off the surgical-review "
            f"worklist until then. Review within a year, and record another decision then if care continues")


def parse_decision(data: Any, case: Case, today: dt.date | None = None) -> Decision:
    """Validate one clinician decision against its case.

    With ``today``, a decision dated after it is refused; only its ``until`` date (review
    again on) lies ahead.
    """
    _refuse_long_clinician(data, "by", "decision.by", "the decider's")
    decision = _the_added(_parse_added(data, case, "decisions", "decision"), case.decisions)
    _refuse_hidden_characters(data, "decision")
    _not_after(decision.date, today, "decision.date", "a decision")
    too_far = until_limit_error(decision.until, decision.date)
    if too_far:
        raise ValidationError([FieldError("decision.until", too_far)])
    return decision


# --------------------------------------------------------------------------- writing
def _d(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _decision_dict(d: Decision) -> dict:
    out = _drop_none({"date": _d(d.date), "kind": d.kind, "until": _d(d.until), "by": d.by, "note": d.note})
    if d.acknowledged_red_flags is not None:  # kept when empty: [] (acknowledged none) is not absent
        out["acknowledged_red_flags"] = list(d.acknowledged_red_flags)
    if d.entry is not None:
        out["entry"] = d.entry
    if d.typed_against is not None:
        out["typed_against"] = d.typed_against
    return out


def _drop_none(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not None and v != {} and v != []}


def _treatment_dict(t: TreatmentTried) -> dict:
    return _drop_none({"code": t.code, "started": _d(t.started), "stopped": _d(t.stopped),
                       "response": None if t.response == "unknown" else t.response})


def pregnancy_update_to_dict(u: PregnancyUpdate | None) -> dict | None:
    """A visit's pregnancy as the case format writes it (None: not recorded)."""
    if u is None:
        return None
    if u.pregnant:
        return {"pregnant": True, "weeks": u.weeks}
    return _drop_none({"pregnant": False, "ended_on": _d(u.ended_on)})


def case_to_dict(case: Case) -> dict:
    """The canonical JSON form of a case; ``parse_case(case_to_dict(c)) == c``."""
    i = case.intake
    p = i.patient
    exam = i.examination
    sb = i.start_back
    c = i.conditions
    out = {
        "format_version": FORMAT_VERSION,
        "case_id": case.case_id,
        "patient": _drop_none({"id": p.id, "name": p.name, "birth_date": _d(p.birth_date), "age_years": p.age_years,
                               "sex": p.sex, "weight_kg": p.weight_kg, "height_cm": p.height_cm,
                               "pregnancy_weeks": p.pregnancy_weeks,
                               # "not pregnant" as answered; a pregnancy is its weeks (older files read the same)
                               "pregnant": False if p.pregnant is False else None}),
        "onset_date": _d(i.onset_date),
        "visit_date": _d(i.visit_date),
        "care_start_date": _d(i.care_start_date),
        "side": i.side,
        "regions": list(i.regions),
        "pain": {"leg_nrs": i.leg_nrs, "back_nrs": i.back_nrs},
        "red_flags": dict(i.red_flags),
        "examination": _drop_none({"slr": exam.slr, "slr_angle_deg": exam.slr_angle_deg, "crossed_slr": exam.crossed_slr,
                                   "femoral_stretch": exam.femoral_stretch, "power": dict(exam.power),
                                   "reflexes": dict(exam.reflexes),
                                   **{k: v for k, v in (("sensation", exam.sensation), ("plantar", exam.plantar),
                                                        ("clonus", exam.clonus)) if v != "not_tested"}}),
        "start_back": None if sb is None else _drop_none({
            "answers": list(sb.answers) if sb.answers is not None else None, "total": sb.total, "distress": sb.distress}),
        "function": _drop_none({"odi_percent": i.function.odi_percent, "rmdq": i.function.rmdq,
                                "odi_answers": list(i.function.odi_answers) if i.function.odi_answers else None}),
        "conditions": _drop_none({
            **{k: v for k, v in c.flags.items() if v is not None},
            "serum_creatinine": None if c.creatinine_value is None else
            {"value": c.creatinine_value, "unit": c.creatinine_unit},
            "egfr": c.egfr, "alcohol_use": c.alcohol_use,
            "pain_classification": list(c.pain_classification) or None}),
        "medicines": [_drop_none({"name": m.name, "daily_dose_mg": m.daily_dose_mg}) for m in i.medicines],
        "treatments_tried": [_treatment_dict(t) for t in i.treatments_tried],
        "would_consider_intervention": i.would_consider_intervention,
        "prior_lumbar_surgery": i.prior_lumbar_surgery,
        "clinician": i.clinician,
        "notes": i.notes,
        "imaging": imaging_to_dict(i.imaging),
        "self_management": self_management_to_dict(i.self_management),
        "visits": [_drop_none({"date": _d(v.date), "leg_nrs": v.leg_nrs, "back_nrs": v.back_nrs,
                               "odi_percent": v.odi_percent, "rmdq": v.rmdq,
                               "treatments_tried": [_treatment_dict(t) for t in v.treatments_tried],
                               "red_flags": dict(v.red_flags), "power": dict(v.power),
                               "clinician": v.clinician, "notes": v.notes,
                               "imaging": imaging_to_dict(v.imaging),
                               "self_management": self_management_to_dict(v.self_management),
                               "entry": v.entry, "pregnancy": pregnancy_update_to_dict(v.pregnancy)})
                   for v in case.visits],
        "decisions": [_decision_dict(d) for d in case.decisions],
    }
    return _drop_none(out)


# --------------------------------------------------------------------------- pregnancy records, stored
def pregnancy_records(case: Case) -> list[list] | None:
    """The case's pregnancy answers in the order they were recorded, for the store's
    ``cases.pregnancy`` column (what the cases CSV reads for its date without the case
    JSON): ``[date, weeks or false, 0 intake / 1 visit]`` each (the intake's first, when it
    records an answer; then each visit recording one, in entry order). None: none recorded."""
    out: list[list] = []
    p = case.intake.patient
    if p.pregnancy_weeks is not None:
        out.append([case.intake.visit_date.isoformat(), p.pregnancy_weeks, 0])
    elif p.pregnant is False:
        out.append([case.intake.visit_date.isoformat(), False, 0])
    for v in case.visits:
        if v.pregnancy is not None:
            out.append([v.date.isoformat(), v.pregnancy.weeks if v.pregnancy.pregnant else False, 1])
    return out or None


def pregnancy_status_from_records(records: Sequence, day: dt.date) -> PregnancyStatus:
    """:meth:`Case.pregnancy_status` on ``day`` from :func:`pregnancy_records` (the same rule,
    :func:`pregnancy_status`; the end date of a pregnancy is not kept there)."""
    weeks = pregnant = None
    visit_date = day
    update = None
    for on, value, at_visit in records or ():
        on = dt.date.fromisoformat(on)
        if not at_visit:
            visit_date = on
            weeks, pregnant = (None, False) if value is False else (int(value), True)
        elif on <= day:
            update = (on, PregnancyUpdate(False) if value is False else PregnancyUpdate(True, int(value)))
    return pregnancy_status(Patient("", pregnancy_weeks=weeks, pregnant=pregnant), visit_date, update, day)
