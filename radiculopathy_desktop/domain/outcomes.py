"""Clinic outcomes and audit (issue 16): NICE QS155 statements 1-3, pathway measures and
patient outcomes for a period, with the list of cases behind every number.

Pure Python (no Qt). The definitions (the words under every chart) are data in
``resources/rules/outcome_measures.toml``; this module computes them. "Today" is passed in
as ``as_of``; only records dated on or before it count, as on the worklist.

Small numbers: a percentage or a median based on fewer than ``min_cases`` (5) cases is not
given (``percent`` / ``median`` are ``None`` and ``suppressed`` is True); the counts and the
cases behind them still are.

Not recorded is kept apart from no: a case whose imaging or self-management advice was
never recorded is counted in ``not_recorded``, outside the denominator.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable, NamedTuple, Sequence

from radiculopathy_desktop.domain.build import collector_paused
from radiculopathy_desktop.domain.followup import TERMINAL_DECISIONS
from radiculopathy_desktop.domain.instruments import improvement, score_start_back, InstrumentError
from radiculopathy_desktop.domain.intake import Case, ScorePoint, day_baseline
from radiculopathy_desktop.domain.settings import ReviewSettings, default_review_settings
from radiculopathy_desktop.resources import resource_path

RISK_GROUPS = ("low", "medium", "high", "not_recorded")
RISK_LABELS = {"low": "Low risk", "medium": "Medium risk", "high": "High risk", "not_recorded": "STarT Back not recorded"}


# --------------------------------------------------------------------------- definitions
@lru_cache(maxsize=1)
def definitions() -> dict[str, Any]:
    with open(resource_path("rules", "outcome_measures.toml"), "rb") as fh:
        data = tomllib.load(fh)
    data["by_id"] = {m["id"]: m for m in data["measure"]}
    data["timepoint_days"] = {int(k): tuple(v) for k, v in data["timepoints"].items()}
    return data


def min_cases() -> int:
    return int(definitions()["min_cases"])


def standard(profile: str) -> dict[str, str]:
    """The name and citation of the standard the QS155 measures are shown under."""
    return definitions()["standard"].get(profile, definitions()["standard"]["uk"])


# --------------------------------------------------------------------------- results
class CaseRef(NamedTuple):
    """One case behind a number: enough to list it and open it (a tuple: 100,000 of them are cheap)."""

    case_id: str
    patient_id: str
    patient_name: str | None
    detail: str = ""

    def to_dict(self) -> dict:
        return {"case_id": self.case_id, "patient_id": self.patient_id, "patient_name": self.patient_name,
                "detail": self.detail}


def _ref(case: Case, detail: str = "") -> CaseRef:
    p = case.intake.patient
    return CaseRef(case.case_id, p.id, p.name, detail)


@dataclass(frozen=True)
class Proportion:
    """numerator / denominator, with the percentage only when the denominator is large enough."""

    id: str
    title: str
    numerator: int
    denominator: int
    not_recorded: int = 0
    group: str = "all"  # a STarT Back group, a time point, or "all"
    cases_in_numerator: tuple[CaseRef, ...] = ()
    cases_not_in_numerator: tuple[CaseRef, ...] = ()
    cases_not_recorded: tuple[CaseRef, ...] = ()
    min_cases: int = 5

    @property
    def suppressed(self) -> bool:
        return self.denominator < self.min_cases

    @property
    def percent(self) -> float | None:
        if self.suppressed:
            return None
        return round(100.0 * self.numerator / self.denominator, 1)

    def display(self) -> str:
        """The cell as a clinician reads it: "12/40 (30.0%)" or why there is no percentage."""
        counts = f"{self.numerator}/{self.denominator}"
        if self.denominator == 0:
            text = "no cases"
        elif self.suppressed:
            text = f"{counts} (fewer than {self.min_cases} cases: no percentage)"
        else:
            text = f"{counts} ({self.percent:.1f}%)"
        if self.not_recorded:
            text += f"; not recorded: {self.not_recorded}"
        return text

    def to_dict(self, with_cases: bool = True) -> dict:
        out = {"id": self.id, "title": self.title, "group": self.group, "numerator": self.numerator,
               "denominator": self.denominator, "percent": self.percent, "suppressed": self.suppressed,
               "not_recorded": self.not_recorded, "display": self.display()}
        if with_cases:
            out["cases"] = {"numerator": [c.to_dict() for c in self.cases_in_numerator],
                            "denominator_only": [c.to_dict() for c in self.cases_not_in_numerator],
                            "not_recorded": [c.to_dict() for c in self.cases_not_recorded]}
        return out


@dataclass(frozen=True)
class Distribution:
    """Median and interquartile range of values, one per case (suppressed below min_cases)."""

    id: str
    title: str
    values: tuple[float, ...]
    unit: str
    group: str = "all"
    cases: tuple[CaseRef, ...] = ()
    min_cases: int = 5

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def suppressed(self) -> bool:
        return self.n < self.min_cases

    @property
    def median(self) -> float | None:
        return None if self.suppressed else float(statistics.median(self.values))

    @property
    def quartiles(self) -> tuple[float, float] | None:
        """Q1 and Q3 by the inclusive method (as spreadsheet QUARTILE.INC)."""
        if self.suppressed:
            return None
        q = statistics.quantiles(sorted(self.values), n=4, method="inclusive")
        return float(q[0]), float(q[2])

    def display(self) -> str:
        if self.n == 0:
            return "no cases"
        if self.suppressed:
            return f"n={self.n} (fewer than {self.min_cases} cases: no median)"
        q1, q3 = self.quartiles
        return (f"median {round(self.median, 1):g} {self.unit} (IQR {round(q1, 1):g} to {round(q3, 1):g}), "
                f"n={self.n}")

    def to_dict(self, with_cases: bool = True) -> dict:
        q = self.quartiles
        out = {"id": self.id, "title": self.title, "group": self.group, "n": self.n, "unit": self.unit,
               "median": self.median, "q1": q[0] if q else None, "q3": q[1] if q else None,
               "suppressed": self.suppressed, "display": self.display()}
        if with_cases:
            out["cases"] = [c.to_dict() for c in self.cases]
        return out


@dataclass(frozen=True)
class OutcomesReport:
    period_from: dt.date
    period_to: dt.date
    as_of: dt.date
    profile: str
    cohort_size: int
    qs155: tuple[Proportion, ...]
    pathway: tuple[Proportion | Distribution, ...]
    outcomes: tuple[Proportion | Distribution, ...]  # every row carries its group and time point in ``group``
    run_charts: dict[str, list[tuple[str, Proportion]]]  # measure id -> [(YYYY-MM, proportion)]
    weeks_to_decision: dict[int, int]  # whole weeks -> number of cases
    leg_pain_by_group: dict[str, list[tuple[int, Distribution]]]  # risk group -> [(week, distribution)]
    settings: ReviewSettings = field(default_factory=default_review_settings)
    #: False for a report made from counts only (:func:`report_from_counts`): the numbers are
    #: all there, the lists of cases behind them are not (the full report gives them).
    has_cases: bool = True

    def definition(self, measure_id: str) -> dict[str, Any]:
        return definitions()["by_id"][measure_id]

    def all_rows(self) -> list[tuple[str, Proportion | Distribution]]:
        return ([("qs155", m) for m in self.qs155] + [("pathway", m) for m in self.pathway]
                + [("outcomes", m) for m in self.outcomes])

    def to_dict(self, with_cases: bool = True) -> dict:
        """JSON-ready; ``with_cases`` False leaves out the case lists (counts only)."""
        if with_cases and not self.has_cases:
            raise ValueError("this outcomes report was made from counts only: it has no case lists")
        d = definitions()
        return {
            "period": {"from": self.period_from.isoformat(), "to": self.period_to.isoformat()},
            "as_of": self.as_of.isoformat(), "profile": self.profile, "cohort_size": self.cohort_size,
            "min_cases": d["min_cases"], "cohort_definition": d["cohort"],
            "standard": standard(self.profile),
            "qs155": [m.to_dict(with_cases) for m in self.qs155],
            "pathway": [m.to_dict(with_cases) for m in self.pathway],
            "outcomes": [m.to_dict(with_cases) for m in self.outcomes],
            "charts": {
                "run_charts": {k: [{"month": month, "numerator": p.numerator, "denominator": p.denominator,
                                    "percent": p.percent} for month, p in v] for k, v in self.run_charts.items()},
                "weeks_to_decision": {str(k): v for k, v in sorted(self.weeks_to_decision.items())},
                "leg_pain_by_group": {g: [{"week": w, "n": dist.n, "median": dist.median} for w, dist in v]
                                      for g, v in self.leg_pain_by_group.items()},
            },
            "definitions": {m["id"]: {k: v for k, v in m.items() if k != "id"} for m in d["measure"]},
            "timepoints": {str(k): list(v) for k, v in d["timepoint_days"].items()},
        }


# --------------------------------------------------------------------------- per-case facts
@dataclass(frozen=True)
class _Timepoint:
    """One case at one time point (6 or 12 weeks): what the outcome rows need."""

    leg_change: float | None
    leg_ref: CaseRef | None  # the case with "baseline -> score on date" (None: no score in range)
    odi_change: float | None
    odi_ref: CaseRef | None
    scored: bool  # a follow-up score in the range
    improving: bool | None


@dataclass(frozen=True)
class _CaseFacts:
    """What the measures need from one case, reduced once in one pass over its records
    (so 100,000 cases are read once, not once per measure and group). It keeps the case's
    references (one per detail text, shared by every measure and month that lists the
    case), not the case itself, so a cohort's cases are freed as they are read."""

    ref: CaseRef  # the case with no detail
    visit_date: dt.date  # the intake visit (the run chart's month)
    risk: str
    stratified: bool
    imaging: str  # "not_recorded", "inappropriate", "appropriate_or_none"
    imaging_detail: str
    advice: str  # "not_recorded", "given", "not_given"
    risk_ref: CaseRef  # detail: the STarT Back group
    imaging_ref: CaseRef  # detail: the imaging state
    advice_ref: CaseRef  # detail: the advice state
    first_decision_days: int | None
    decision_ref: CaseRef | None  # detail: "N days" to the first decision
    referred: bool
    reached_day84: bool
    unresolved_day84: bool
    window_closed: bool
    reviewed_in_window: bool
    lost: bool
    last_contact: str
    lost_ref: CaseRef  # detail: the last contact
    followed: bool
    resolved: bool
    timepoints: dict  # week -> _Timepoint
    leg_by_bin: dict  # two-week bin -> latest leg NRS in it


def _risk_group(case: Case) -> str:
    sb = case.intake.start_back
    if sb is None:
        return "not_recorded"
    try:
        return score_start_back(sb).risk
    except InstrumentError:
        return "not_recorded"


def _imaging_state(case: Case, as_of: dt.date) -> tuple[str, str]:
    records = [(case.intake.visit_date, case.intake.imaging)]
    records += [(v.date, v.imaging) for v in case.visits if v.date <= as_of]
    recorded = [(day, rec) for day, rec in records if rec is not None]
    if not recorded:
        return "not_recorded", "imaging not recorded"
    requests = [(day, rec) for day, rec in recorded if rec.requested and (rec.date or day) <= as_of]
    if any(rec.by_specialist is None for _, rec in requests):
        return "not_recorded", "imaging requested, requester not recorded"
    for day, rec in requests:
        if rec.by_specialist or rec.reason == "suspected_serious_pathology":
            continue
        when = rec.date or day
        yes = [k for k, a in case.red_flags_as_of(when).items() if a == "yes"]
        if not yes:
            return "inappropriate", f"{rec.modality} requested {when.isoformat()} by a non-specialist service, " \
                                    "no red flag, reason not suspected serious pathology"
    return "appropriate_or_none", "no imaging without suspected serious pathology"


def _advice_state(case: Case, as_of: dt.date) -> str:
    records = [case.intake.self_management] + [v.self_management for v in case.visits if v.date <= as_of]
    recorded = [r for r in records if r is not None]
    if not recorded:
        return "not_recorded"
    return "given" if any(r.given for r in recorded) else "not_given"


def _nearest(points: Sequence[ScorePoint], start: dt.date, rng: tuple[int, int], attr: str | None) -> ScorePoint | None:
    """The follow-up in the range of days of care nearest the range's middle (ties: earlier)."""
    lo, hi = rng
    mid = (lo + hi) / 2
    best, best_d = None, None
    for p in points:
        day = (p.date - start).days
        if not lo <= day <= hi:
            continue
        if attr is not None and getattr(p, attr) is None:
            continue
        if attr is None and p.leg_nrs is None and p.back_nrs is None and p.odi_percent is None and p.rmdq is None:
            continue
        if best is None or abs(day - mid) < best_d:
            best, best_d = p, abs(day - mid)
    return best


def follow_up_visits(intake, visits) -> list:
    """The visits that are follow-ups: those dated after the intake's own day. A visit on
    the intake's day is not a follow-up (``visits.SAME_DAY_TREND``, as on the worklist:
    ``followup.facts_from_events``); its scores re-record the baseline instead."""
    return [v for v in visits if v.date > intake.visit_date]


def review_dates(intake, visits, decisions) -> list[dt.date]:
    """The dates that can count as a review for "Reviewed inside the 6-12 week window": each
    follow-up visit (:func:`follow_up_visits`: after the intake's day) and each decision on or
    after the intake's day. A decision made at the intake visit is the clinician's review of
    conservative care: when care started weeks before the intake and the intake's day is inside
    the window (a patient first seen at week 6-12), that decision counts (rt23 F9, srv22). A
    visit record of the intake's own day without a decision (a re-recorded baseline, a red flag
    re-asked) is the initial assessment, not a review (oc20, pg21). ``visits`` and ``decisions``:
    those counted (the caller cuts them at "as of"); the caller keeps the dates inside the window."""
    return [v.date for v in follow_up_visits(intake, visits)] + \
        [x.date for x in decisions if x.date >= intake.visit_date]


def _baseline_and_follow_ups(case: Case, visits) -> tuple[ScorePoint, list[ScorePoint]]:
    """The baseline the outcomes measure change from and the follow-up scores, as the worklist
    judges Progress (rt21 F5, oc20): the baseline is :func:`~.intake.day_baseline` (each
    score's latest record on the intake's day), and only visits after that day are
    follow-ups. ``visits``: the case's visits counted (those up to "as of")."""
    baseline = day_baseline(case.intake, visits)
    return baseline, day_records(follow_up_visits(case.intake, visits))


def day_records(visits) -> list[ScorePoint]:
    """One score point per day of ``visits`` (in the order held: by date, then entry), each score
    the one recorded last that day, a score a later record leaves blank keeping the earlier
    (``visits.SAME_DAY_TREND``: of two records of one day the later's scores stand for that day,
    as the worklist's Progress reads them and as :func:`~.intake.day_baseline` reads the
    intake's day). Without it the time point took the earlier record of a day (rt22 F4: leg
    3 then 7 on day 35 counted "improved" while the worklist said "not improving 7->7")."""
    points: dict[dt.date, dict] = {}
    for v in visits:
        day = points.setdefault(v.date, {"leg_nrs": None, "back_nrs": None, "odi_percent": None, "rmdq": None})
        for a in day:
            value = getattr(v, a)
            if value is not None:
                day[a] = value
    return [ScorePoint(d, x["leg_nrs"], x["back_nrs"], x["odi_percent"], x["rmdq"], False) for d, x in points.items()]


def _facts(case: Case, as_of: dt.date, s: ReviewSettings, timepoint_days: dict, day12: int) -> _CaseFacts:
    intake = case.intake
    ref = _ref(case)
    start = intake.care_start_date
    decisions = case.decisions_on_or_before(as_of)
    visits = case.visits_on_or_before(as_of)
    baseline, follow = _baseline_and_follow_ups(case, visits)
    first = (decisions[0].date - start).days if decisions else None
    imaging, detail = _imaging_state(case, as_of)

    # pathway
    cut84 = start + dt.timedelta(days=day12)
    reached84 = cut84 <= as_of
    unresolved84 = False
    judged_all = None  # the judgement of every follow-up, when the day-84 one already is
    if reached84 and not any(d.date <= cut84 for d in decisions):
        upto84 = [p for p in follow if p.date <= cut84]
        judged = improvement(baseline, upto84, s)
        unresolved84 = not judged.resolved
        if len(upto84) == len(follow):  # the same follow-ups: the same judgement
            judged_all = judged
    w_lo = start + dt.timedelta(days=s.window_start_day)
    w_hi = start + dt.timedelta(days=s.window_end_day)
    reviewed = any(w_lo <= day <= min(w_hi, as_of) for day in review_dates(intake, visits, decisions))
    last_seen = max([intake.visit_date] + [v.date for v in visits])
    lost = False
    if not any(x.kind in TERMINAL_DECISIONS for x in decisions):
        snoozed = bool(decisions) and decisions[-1].kind == "continue_conservative_care" \
            and decisions[-1].until is not None and decisions[-1].until > as_of
        lost = not snoozed and (as_of - last_seen).days > s.window_end_day

    # outcomes
    resolved = any(x.kind == "resolved_discharged" for x in decisions) or (
        bool(follow) and (judged_all if judged_all is not None else improvement(baseline, follow, s)).resolved)
    tps = {}
    for week, rng in timepoint_days.items():
        leg_p = _nearest(follow, start, rng, "leg_nrs") if baseline.leg_nrs is not None else None
        odi_p = _nearest(follow, start, rng, "odi_percent") if baseline.odi_percent is not None else None
        any_p = _nearest(follow, start, rng, None)
        tps[week] = _Timepoint(
            leg_change=None if leg_p is None else float(leg_p.leg_nrs - baseline.leg_nrs),
            leg_ref=None if leg_p is None else
            _with(ref, f"{baseline.leg_nrs} -> {leg_p.leg_nrs} on {leg_p.date.isoformat()}"),
            odi_change=None if odi_p is None else float(odi_p.odi_percent - baseline.odi_percent),
            odi_ref=None if odi_p is None else
            _with(ref, f"{baseline.odi_percent:g} -> {odi_p.odi_percent:g} on {odi_p.date.isoformat()}"),
            scored=any_p is not None,
            improving=None if any_p is None else improvement(baseline, [any_p], s).improving,
        )
    bins: dict[int, float] = {}
    for p in [baseline] + follow:
        if p.leg_nrs is None:
            continue
        w = max((p.date - start).days, 0) // 7
        bins[w - w % 2] = float(p.leg_nrs)  # two-week bins: the latest score in the bin
    risk, advice = _risk_group(case), _advice_state(case, as_of)
    last_contact = f"last seen {last_seen.isoformat()} ({(as_of - last_seen).days} days before)"
    return _CaseFacts(
        ref=ref, visit_date=intake.visit_date, risk=risk, stratified=intake.start_back is not None,
        imaging=imaging, imaging_detail=detail, advice=advice,
        risk_ref=_with(ref, RISK_LABELS[risk]), imaging_ref=_with(ref, detail),
        advice_ref=_with(ref, _ADVICE_DETAIL[advice]),
        first_decision_days=first, decision_ref=None if first is None else _with(ref, f"{first} days"),
        referred=any(d.kind == "referred_for_surgical_opinion" for d in decisions),
        reached_day84=reached84, unresolved_day84=unresolved84,
        window_closed=w_hi <= as_of, reviewed_in_window=reviewed, lost=lost,
        last_contact=last_contact, lost_ref=_with(ref, last_contact),
        followed=bool(follow_up_visits(intake, visits) or decisions), resolved=resolved, timepoints=tps,
        leg_by_bin=bins,
    )


# --------------------------------------------------------------------------- stored per-case facts
#: Bump when :func:`case_outcome_facts` changes what it stores: the store's one-time
#: upgrade then rewrites every case's row (``derived_version``), and until then rows made
#: by another version take the exact path (their key differs).
#: 2 (oc20, rt21 F5): change is measured from the intake's day's latest scores
#: (``intake.day_baseline``, as the worklist), and a visit on the intake's day is not a
#: follow-up (not in the time points, "resolved" or "followed").
#: 3 (rt22 F4): of two records of one later day the later's scores stand (:func:`day_records`),
#: as on the worklist; the time points took the earlier one.
#: 4 (pg21, oc20 leftover): "reviewed in the window" (``first_review_day``) counts a follow-up
#: visit or a decision after the intake's day (:func:`review_dates`), not a record of the
#: intake's own day that fell inside the window because care started weeks before the intake.
#: 5 (srv22, rt23 F9): a decision made ON the intake's day counts when that day is inside the
#: window (a patient first seen at week 6-12: the decision is the review of conservative care);
#: a visit record of the intake's day without a decision still does not.
OUTCOME_FACTS_VERSION = 5
#: The review settings the stored facts depend on: improvement and resolution (through
#: ``instruments.improvement``; the store's review-facts settings, ``storage.facts.FACT_SETTINGS``)
#: and the review window (the first visit or decision inside it). The store rewrites the
#: facts when any of them changes.
OUTCOME_FACT_SETTINGS = ("mcid_leg_nrs_points", "mcid_nrs_percent", "mcid_odi_points", "mcid_rmdq_points",
                         "resolved_leg_nrs_max", "resolved_odi_max", "resolved_rmdq_max",
                         "window_start_day", "window_end_day")
#: The two-week bins of the leg pain chart (weeks of care), one stored column each.
LEG_BIN_WEEKS = tuple(range(0, 14, 2))
#: The time points the stored facts have columns for (``[timepoints]`` of outcome_measures.toml).
STORED_WEEKS = (6, 12)


class OutcomeFacts(NamedTuple):
    """What every measure needs from one case, stored beside it on every write (table
    ``outcome_facts``, one column per field, in this order) so a period's outcomes read
    narrow rows instead of every case's document.

    It holds for any "as of" date on or after ``valid_from_ord`` (the case's latest dated
    record: intake, visits, decisions, imaging requests) and for the settings and
    definitions named by ``facts_key``; anything that depends on the "as of" date itself or
    on the review window (reached day 84, lost to follow-up, reviewed in the window) is
    stored as the dates it is decided from. Booleans are 0/1 (as stored). Made only by
    :func:`case_outcome_facts`; read by :func:`compute_outcomes_from_facts`.
    """

    case_id: str
    patient_id: str
    patient_name: str | None
    intake_ord: int  # the intake visit (the cohort's period)
    intake_month: str  # its month, YYYY-MM (the run charts)
    valid_from_ord: int
    facts_key: str
    care_start_ord: int
    risk: str  # STarT Back group at the first visit, or "not_recorded"
    stratified: int  # STarT Back recorded at the first visit (QS155 statement 1)
    imaging: str  # "not_recorded", "inappropriate", "appropriate_or_none" (statement 2)
    imaging_detail: str
    advice: str  # "not_recorded", "given", "not_given" (statement 3)
    first_decision_days: int | None  # days of care to the first decision
    referred: int  # a referral for surgical opinion
    unresolved_84: int  # not resolved at day 84 and no decision by then (counted once day 84 is reached)
    first_review_day: int | None  # the first day of care with a follow-up visit or decision (after the intake's day) inside the review window
    last_seen_ord: int  # the last intake or follow-up visit
    open_ended: int  # no closing decision (referred, declined, resolved)
    snooze_until_ord: int | None  # the last decision's "continue until" date, when it is one
    followed: int  # any follow-up visit or decision
    resolved: int
    w6_leg_change: float | None  # 6 weeks: leg NRS change and its detail text, ODI change and its text,
    w6_leg_detail: str | None    # a score in the range, improved by the MCID (1/0, None: not judged)
    w6_odi_change: float | None
    w6_odi_detail: str | None
    w6_scored: int
    w6_improving: int | None
    w12_leg_change: float | None
    w12_leg_detail: str | None
    w12_odi_change: float | None
    w12_odi_detail: str | None
    w12_scored: int
    w12_improving: int | None
    leg_w0: int | None  # leg NRS in each two-week bin of care (LEG_BIN_WEEKS): the latest score in it
    leg_w2: int | None
    leg_w4: int | None
    leg_w6: int | None
    leg_w8: int | None
    leg_w10: int | None
    leg_w12: int | None


OUTCOME_FACT_COLUMNS = OutcomeFacts._fields


def outcome_facts_key(s: ReviewSettings) -> str:
    """Fingerprint of what the stored facts depend on besides the case: the settings in
    ``OUTCOME_FACT_SETTINGS``, the time points and day-84 definition, the facts version."""
    import hashlib
    import json

    d = definitions()
    values = {"settings": {k: getattr(s, k) for k in OUTCOME_FACT_SETTINGS}, "version": OUTCOME_FACTS_VERSION,
              "timepoints": {str(k): list(v) for k, v in sorted(d["timepoint_days"].items())},
              "day12": d["by_id"]["unresolved_12_weeks_no_decision"]["days"]}
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:16]


def outcome_valid_from(case: Case) -> dt.date:
    """The case's latest dated record (the stored facts hold for an "as of" on or after it)."""
    dates = [case.intake.visit_date] + [v.date for v in case.visits] + [x.date for x in case.decisions]
    for rec in [case.intake.imaging] + [v.imaging for v in case.visits]:
        if rec is not None and rec.date is not None:
            dates.append(rec.date)
    return max(dates)


def _b(value: bool | None) -> int | None:
    return None if value is None else int(value)


def case_outcome_facts(case: Case, settings: ReviewSettings | None = None, key: str | None = None) -> OutcomeFacts:
    """The one function that makes a case's stored outcome facts (see :class:`OutcomeFacts`):
    the same rules as the exact per-case path, evaluated with every record counted."""
    s = settings or default_review_settings()
    d = definitions()
    timepoint_days = d["timepoint_days"]
    day12 = int(d["by_id"]["unresolved_12_weeks_no_decision"]["days"])
    intake = case.intake
    valid = outcome_valid_from(case)
    start = intake.care_start_date
    decisions = case.decisions
    baseline, follow = _baseline_and_follow_ups(case, case.visits)
    imaging, detail = _imaging_state(case, valid)
    cut84 = start + dt.timedelta(days=day12)
    unresolved84 = False
    if not any(x.date <= cut84 for x in decisions):
        unresolved84 = not improvement(baseline, [p for p in follow if p.date <= cut84], s).resolved
    last = decisions[-1] if decisions else None
    snooze = last.until.toordinal() if last is not None and last.kind == "continue_conservative_care" \
        and last.until is not None else None
    resolved = any(x.kind == "resolved_discharged" for x in decisions) or (
        bool(follow) and improvement(baseline, follow, s).resolved)
    tps: list[Any] = []
    for week in STORED_WEEKS:
        rng = timepoint_days[week]
        leg_p = _nearest(follow, start, rng, "leg_nrs") if baseline.leg_nrs is not None else None
        odi_p = _nearest(follow, start, rng, "odi_percent") if baseline.odi_percent is not None else None
        any_p = _nearest(follow, start, rng, None)
        tps += [None if leg_p is None else float(leg_p.leg_nrs - baseline.leg_nrs),
                None if leg_p is None else f"{baseline.leg_nrs} -> {leg_p.leg_nrs} on {leg_p.date.isoformat()}",
                None if odi_p is None else float(odi_p.odi_percent - baseline.odi_percent),
                None if odi_p is None else
                f"{baseline.odi_percent:g} -> {odi_p.odi_percent:g} on {odi_p.date.isoformat()}",
                int(any_p is not None),
                None if any_p is None else _b(improvement(baseline, [any_p], s).improving)]
    bins: dict[int, int] = {}
    for p in [baseline] + follow:
        if p.leg_nrs is None:
            continue
        w = max((p.date - start).days, 0) // 7
        bins[w - w % 2] = p.leg_nrs
    risk = _risk_group(case)
    in_window = [day for day in ((x - start).days for x in review_dates(intake, case.visits, decisions))
                 if s.window_start_day <= day <= s.window_end_day]
    return OutcomeFacts(
        case.case_id, intake.patient.id, intake.patient.name, intake.visit_date.toordinal(),
        _month(intake.visit_date), valid.toordinal(),
        key if key is not None else outcome_facts_key(s), start.toordinal(), risk, int(intake.start_back is not None),
        imaging, detail, _advice_state(case, valid),
        (decisions[0].date - start).days if decisions else None,
        int(any(x.kind == "referred_for_surgical_opinion" for x in decisions)), int(unresolved84),
        min(in_window) if in_window else None,
        max([intake.visit_date] + [v.date for v in case.visits]).toordinal(),
        int(not any(x.kind in TERMINAL_DECISIONS for x in decisions)), snooze,
        int(bool(follow_up_visits(intake, case.visits) or decisions)), int(resolved), *tps,
        *(bins.get(w) for w in LEG_BIN_WEEKS),
    )


def _facts_from_stored(o: OutcomeFacts, as_of: dt.date, as_of_ord: int, s: ReviewSettings, day12: int,
                       risk_refs: dict, dates: dict) -> _CaseFacts:
    """The per-case facts of :func:`_facts` from a stored row (which holds for ``as_of``)."""
    ref = tuple.__new__(CaseRef, (o[0], o[1], o[2], ""))
    start = o.care_start_ord
    reviewed = o.first_review_day is not None and o.first_review_day <= as_of_ord - start
    last_seen = o.last_seen_ord
    quiet = as_of_ord - last_seen
    lost = bool(o.open_ended) and not (o.snooze_until_ord is not None and o.snooze_until_ord > as_of_ord) \
        and quiet > s.window_end_day
    seen = dates.get(last_seen)
    if seen is None:
        seen = dates[last_seen] = dt.date.fromordinal(last_seen).isoformat()
    last_contact = f"last seen {seen} ({quiet} days before)"
    visit_date = dates.get(-o.intake_ord)
    if visit_date is None:
        visit_date = dates[-o.intake_ord] = dt.date.fromordinal(o.intake_ord)
    first = o.first_decision_days
    reached84 = start + day12 <= as_of_ord
    tps = {
        6: _Timepoint(o.w6_leg_change, None if o.w6_leg_detail is None else _with(ref, o.w6_leg_detail),
                      o.w6_odi_change, None if o.w6_odi_detail is None else _with(ref, o.w6_odi_detail),
                      bool(o.w6_scored), None if o.w6_improving is None else bool(o.w6_improving)),
        12: _Timepoint(o.w12_leg_change, None if o.w12_leg_detail is None else _with(ref, o.w12_leg_detail),
                       o.w12_odi_change, None if o.w12_odi_detail is None else _with(ref, o.w12_odi_detail),
                       bool(o.w12_scored), None if o.w12_improving is None else bool(o.w12_improving)),
    }
    bins = {w: float(v) for w, v in zip(LEG_BIN_WEEKS, o[-len(LEG_BIN_WEEKS):]) if v is not None}
    return _CaseFacts(
        ref=ref, visit_date=visit_date, risk=o.risk, stratified=bool(o.stratified),
        imaging=o.imaging, imaging_detail=o.imaging_detail, advice=o.advice,
        risk_ref=_with(ref, risk_refs[o.risk]), imaging_ref=_with(ref, o.imaging_detail),
        advice_ref=_with(ref, _ADVICE_DETAIL[o.advice]),
        first_decision_days=first, decision_ref=None if first is None else _with(ref, f"{first} days"),
        referred=bool(o.referred), reached_day84=reached84, unresolved_day84=reached84 and bool(o.unresolved_84),
        window_closed=start + s.window_end_day <= as_of_ord, reviewed_in_window=reviewed, lost=lost,
        last_contact=last_contact, lost_ref=_with(ref, last_contact),
        followed=bool(o.followed), resolved=bool(o.resolved), timepoints=tps, leg_by_bin=bins,
    )


_ADVICE_DETAIL = {"given": "advice given", "not_given": "advice not given", "not_recorded": "advice not recorded"}


def _with(ref: CaseRef, detail: str) -> CaseRef:
    """``ref`` with ``detail`` (a plain tuple build: CaseRef._replace is several times slower)."""
    return tuple.__new__(CaseRef, (ref[0], ref[1], ref[2], detail))


def _plain_ref(f: _CaseFacts) -> CaseRef:
    return f.ref


def _proportion(mid: str, items: Sequence[_CaseFacts], in_num: Callable[[_CaseFacts], bool],
                in_den: Callable[[_CaseFacts], bool] | None = None,
                not_recorded: Callable[[_CaseFacts], bool] | None = None,
                ref: Callable[[_CaseFacts], CaseRef] = _plain_ref, group: str = "all",
                title: str | None = None) -> Proportion:
    """``ref`` gives the case's reference with the measure's detail (the facts hold them ready)."""
    num, den_only, nr = [], [], []
    for f in items:
        if not_recorded is not None and not_recorded(f):
            nr.append(ref(f))
        elif in_den is None or in_den(f):
            (num if in_num(f) else den_only).append(ref(f))
    return Proportion(mid, title or definitions()["by_id"][mid]["title"], len(num), len(num) + len(den_only),
                      len(nr), group, tuple(num), tuple(den_only), tuple(nr), min_cases())


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months(start: dt.date, end: dt.date) -> list[str]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


#: The measures of the QS155 section and of the pathway section, in the report's order.
QS155_IDS = ("qs1_risk_stratification", "qs2_imaging_without_serious_pathology", "qs3_self_management")
PATHWAY_IDS = ("time_to_decision", "unresolved_12_weeks_no_decision", "reviewed_in_window",
               "referred_surgical_opinion", "lost_to_follow_up")
#: The per-time-point outcome rows, in the report's order (each for every group).
TIMEPOINT_IDS = ("leg_pain_change", "function_change", "improved_mcid")


def _outcome_groups() -> list[tuple[str, int | None, str]]:
    """(the row's group label, its week or None for "resolved", its risk group or "all"),
    in the report's order."""
    groups = ["all"] + list(RISK_GROUPS)
    out: list[tuple[str, int | None, str]] = []
    for week in sorted(definitions()["timepoint_days"]):
        out += [(f"{week} weeks, {'all cases' if g == 'all' else RISK_LABELS[g]}", week, g) for g in groups]
    out += [("all cases" if g == "all" else RISK_LABELS[g], None, g) for g in groups]
    return out


def _row(mid: str, items: Sequence[_CaseFacts], group: str = "all", week: int | None = None):
    """THE definition of one measure's row and its case lists, over the per-case facts of
    the cases it is about (the cohort, a month of it, or a STarT Back group of it). Both the
    whole report (:func:`_report`) and one list on demand (:func:`measure_row`) call it."""
    d = definitions()["by_id"]
    m = min_cases()
    if mid == "qs1_risk_stratification":
        return _proportion(mid, items, lambda f: f.stratified, group=group, ref=lambda f: f.risk_ref)
    if mid == "qs2_imaging_without_serious_pathology":
        return _proportion(mid, items, lambda f: f.imaging == "inappropriate",
                           not_recorded=lambda f: f.imaging == "not_recorded", ref=lambda f: f.imaging_ref,
                           group=group)
    if mid == "qs3_self_management":
        return _proportion(mid, items, lambda f: f.advice == "given", not_recorded=lambda f: f.advice == "not_recorded",
                           ref=lambda f: f.advice_ref, group=group)
    if mid == "time_to_decision":
        with_decision = [f for f in items if f.first_decision_days is not None]
        return Distribution(mid, d[mid]["title"], tuple(round(f.first_decision_days / 7, 1) for f in with_decision),
                            "weeks", cases=tuple(f.decision_ref for f in with_decision), min_cases=m)
    if mid == "unresolved_12_weeks_no_decision":
        return _proportion(mid, items, lambda f: f.unresolved_day84, in_den=lambda f: f.reached_day84)
    if mid == "reviewed_in_window":
        return _proportion(mid, items, lambda f: f.reviewed_in_window,
                           in_den=lambda f: f.window_closed or f.reviewed_in_window)
    if mid == "referred_surgical_opinion":
        return _proportion(mid, items, lambda f: f.referred)
    if mid == "lost_to_follow_up":
        return _proportion(mid, items, lambda f: f.lost, ref=lambda f: f.lost_ref)
    if mid == "leg_pain_change":
        leg = [t for t in (f.timepoints[week] for f in items) if t.leg_change is not None]
        return Distribution(mid, d[mid]["title"], tuple(t.leg_change for t in leg), "points", group,
                            tuple(t.leg_ref for t in leg), m)
    if mid == "function_change":
        odi = [t for t in (f.timepoints[week] for f in items) if t.odi_change is not None]
        return Distribution(mid, d[mid]["title"], tuple(t.odi_change for t in odi), "points", group,
                            tuple(t.odi_ref for t in odi), m)
    if mid == "improved_mcid":
        return _proportion(mid, items, lambda f: f.timepoints[week].improving is True,
                           in_den=lambda f: f.timepoints[week].scored, group=group)
    if mid == "resolved":
        return _proportion(mid, items, lambda f: f.resolved, in_den=lambda f: f.followed, group=group)
    raise KeyError(f"no such outcome measure: {mid}")


def measure_scope(mid: str, group: str = "all") -> tuple[str | None, str, int | None]:
    """Which cases one row of the report is about: (intake month YYYY-MM or None, STarT Back
    group or "all", week or None). A row that is not in the report raises KeyError."""
    if mid in QS155_IDS and group != "all":
        if len(group) != 7 or group[4] != "-":
            raise KeyError(f"no row {mid} ({group})")
        return group, "all", None
    if mid in QS155_IDS or mid in PATHWAY_IDS:
        if group != "all":
            raise KeyError(f"no row {mid} ({group})")
        return None, "all", None
    for label, week, risk in _outcome_groups():
        if label == group and ((week is None) == (mid == "resolved")) and (mid == "resolved" or mid in TIMEPOINT_IDS):
            return None, risk, week
    raise KeyError(f"no row {mid} ({group})")


def measure_row(items: Sequence[_CaseFacts], mid: str, group: str = "all"):
    """One row of the report (``mid`` and its ``group`` as in the report) with its case
    lists, from the cohort's per-case facts: the same row as the whole report's."""
    month, risk, week = measure_scope(mid, group)
    if month is not None:
        items = [f for f in items if _month(f.visit_date) == month]
    if risk != "all":
        items = [f for f in items if f.risk == risk]
    return _row(mid, items, group, week)


def qs155_measures(items: Sequence[_CaseFacts], group: str = "all") -> tuple[Proportion, ...]:
    return tuple(_row(mid, items, group) for mid in QS155_IDS)


def _pathway(items: Sequence[_CaseFacts]) -> tuple:
    return tuple(_row(mid, items) for mid in PATHWAY_IDS)


def _outcomes(items: Sequence[_CaseFacts]) -> tuple:
    by_risk = {"all": list(items)}
    by_risk.update({g: [f for f in items if f.risk == g] for g in RISK_GROUPS})
    rows: list[Proportion | Distribution] = []
    for label, week, risk in _outcome_groups():
        for mid in (TIMEPOINT_IDS if week is not None else ("resolved",)):
            rows.append(_row(mid, by_risk[risk], label, week))
    return tuple(rows)


def _leg_pain_by_group(items: Sequence[_CaseFacts], weeks: Iterable[int]) -> dict:
    """Leg pain at each two-week bin of care (0 = intake), per STarT Back group."""
    out: dict[str, list[tuple[int, Distribution]]] = {}
    m = min_cases()
    weeks = list(weeks)
    for g in RISK_GROUPS:
        per_week: dict[int, list[float]] = {w: [] for w in weeks}
        for f in items:
            if f.risk != g:
                continue
            for w, v in f.leg_by_bin.items():
                if w in per_week:
                    per_week[w].append(v)
        out[g] = [(w, Distribution("leg_pain", "Leg pain (NRS)", tuple(v), "points", f"week {w}", (), m))
                  for w, v in sorted(per_week.items())]
    return out


def compute_outcomes(cases: Iterable[Case], period_from: dt.date, period_to: dt.date, as_of: dt.date,
                     profile: str = "uk", settings: ReviewSettings | None = None,
                     progress: Callable[[int], None] | None = None) -> OutcomesReport:
    """Every measure for the cases whose intake visit is in [period_from, period_to], from
    the whole cases (the exact path; the store's path is :func:`compute_outcomes_from_facts`).

    ``progress`` (optional) is called with the number of cases read so far, every 200.
    """
    if period_to < period_from:
        raise ValueError(f"the period ends ({period_to}) before it starts ({period_from})")
    s = settings or default_review_settings()
    timepoint_days = definitions()["timepoint_days"]
    day12 = int(definitions()["by_id"]["unresolved_12_weeks_no_decision"]["days"])
    items: list[_CaseFacts] = []
    for n, case in enumerate(cases, start=1):
        if progress is not None and n % 200 == 0:
            progress(n)
        if period_from <= case.intake.visit_date <= period_to and case.intake.visit_date <= as_of:
            items.append(_facts(case, as_of, s, timepoint_days, day12))
    return _report(items, period_from, period_to, as_of, profile, s)


def compute_outcomes_from_facts(rows: Iterable[tuple[str, OutcomeFacts | None]], load_case: Callable[[str], Case],
                                period_from: dt.date, period_to: dt.date, as_of: dt.date, profile: str = "uk",
                                settings: ReviewSettings | None = None,
                                progress: Callable[[int, int, str], None] | None = None,
                                every: int = 200) -> OutcomesReport:
    """:func:`compute_outcomes` from the stored per-case facts: ``rows`` gives each case's
    id with its stored :class:`OutcomeFacts` (None when it has none), in case order. A
    stored row that does not hold for this "as of" date and these settings (a record dated
    after ``as_of``, facts made under other settings or by another version, or no row) is
    replaced by the exact path on the whole case (``load_case``), so the numbers are the
    same either way.

    ``progress`` (optional) is called as ``progress(done, total, phase)``: with phase
    "reading" every ``every`` rows, then "measures" as each group of measures is made
    (``total`` is the rows plus those groups, so the bar ends full).
    """
    if period_to < period_from:
        raise ValueError(f"the period ends ({period_to}) before it starts ({period_from})")
    with collector_paused():
        return _from_facts(rows, load_case, period_from, period_to, as_of, profile, settings, progress, every)




def _from_facts(rows, load_case, period_from, period_to, as_of, profile, settings, progress, every):
    s = settings or default_review_settings()
    rows = rows if isinstance(rows, (list, tuple)) else list(rows)
    total = len(rows) + MEASURE_STEPS
    items = _items_from_facts(rows, load_case, period_from, period_to, as_of, s, progress, every, total)
    step = None
    if progress is not None:
        done = iter(range(len(rows) + 1, total + 1))

        def step() -> None:
            progress(next(done), total, "measures")
    return _report(items, period_from, period_to, as_of, profile, s, step)


def _items_from_facts(rows, load_case, period_from, period_to, as_of, s, progress, every, total,
                      keep: Callable[[OutcomeFacts], bool] | None = None) -> list[_CaseFacts]:
    """The per-case facts of the period's cases, in ``rows``' order: from the stored row when
    it holds, else from the whole case (the exact path). ``keep`` (optional) leaves out, before
    any work, stored rows of cases the caller does not need (a month, a STarT Back group)."""
    d = definitions()
    timepoint_days = d["timepoint_days"]
    day12 = int(d["by_id"]["unresolved_12_weeks_no_decision"]["days"])
    key = outcome_facts_key(s)
    as_of_ord = as_of.toordinal()
    lo, hi = period_from.toordinal(), min(period_to, as_of).toordinal()
    stored_weeks = tuple(sorted(timepoint_days)) == STORED_WEEKS
    risk_refs = RISK_LABELS
    dates: dict[int, Any] = {}
    items: list[_CaseFacts] = []
    if progress is not None:
        progress(0, total, "reading")
    for n, (case_id, o) in enumerate(rows, start=1):
        if progress is not None and n % every == 0:
            progress(n, total, "reading")
        if o is not None and o.facts_key == key and o.valid_from_ord <= as_of_ord and stored_weeks:
            if lo <= o.intake_ord <= hi and (keep is None or keep(o)):
                items.append(_facts_from_stored(o, as_of, as_of_ord, s, day12, risk_refs, dates))
            continue
        case = load_case(case_id)
        if period_from <= case.intake.visit_date <= period_to and case.intake.visit_date <= as_of:
            items.append(_facts(case, as_of, s, timepoint_days, day12))
    return items


def measure_cases_from_facts(rows: Iterable[tuple[str, OutcomeFacts | None]], load_case: Callable[[str], Case],
                             measure_id: str, group: str, period_from: dt.date, period_to: dt.date,
                             as_of: dt.date, settings: ReviewSettings | None = None,
                             progress: Callable[[int, int, str], None] | None = None, every: int = 200):
    """One row of the report with its case lists (a drill-down), from the same stored facts
    and the same exact-path fallback as :func:`compute_outcomes_from_facts`, through the
    same measure definition (:func:`measure_row`): the same cases in the same order as the
    whole report lists, without building every other list. ``progress`` as there (phase
    "reading"; the total is the rows)."""
    if period_to < period_from:
        raise ValueError(f"the period ends ({period_to}) before it starts ({period_from})")
    month, risk, _week = measure_scope(measure_id, group)  # an unknown row fails before any reading

    def keep(o: OutcomeFacts) -> bool:
        return (month is None or o.intake_month == month) and (risk == "all" or o.risk == risk)

    s = settings or default_review_settings()
    rows = rows if isinstance(rows, (list, tuple)) else list(rows)
    with collector_paused():
        items = _items_from_facts(rows, load_case, period_from, period_to, as_of, s, progress, every, len(rows),
                                  keep)
        return measure_row(items, measure_id, group)


MEASURE_STEPS = 5  # the calls of ``step`` in _report


def _report(items: list[_CaseFacts], period_from: dt.date, period_to: dt.date, as_of: dt.date, profile: str,
            s: ReviewSettings, step: Callable[[], None] | None = None) -> OutcomesReport:
    step = step or (lambda: None)
    qs = qs155_measures(items)
    step()
    months = _months(period_from, min(period_to, as_of))
    run: dict[str, list[tuple[str, Proportion]]] = {p.id: [] for p in qs}
    by_month: dict[str, list[_CaseFacts]] = {mo: [] for mo in months}
    for f in items:
        by_month.setdefault(_month(f.visit_date), []).append(f)
    for mo in months:
        for p in qs155_measures(by_month[mo], group=mo):
            run[p.id].append((mo, p))
    weeks_hist: dict[int, int] = {}
    for f in items:
        if f.first_decision_days is not None:
            w = max(f.first_decision_days, 0) // 7
            weeks_hist[w] = weeks_hist.get(w, 0) + 1
    step()
    pathway = _pathway(items)
    step()
    outcomes = _outcomes(items)
    step()
    leg_pain = _leg_pain_by_group(items, range(0, 14, 2))
    step()
    return OutcomesReport(
        period_from=period_from, period_to=period_to, as_of=as_of, profile=profile, cohort_size=len(items),
        qs155=qs, pathway=pathway, outcomes=outcomes,
        run_charts=run, weeks_to_decision=weeks_hist,
        leg_pain_by_group=leg_pain, settings=s,
    )


# --------------------------------------------------------------------------- from counts
#: The pathway's counts, in the order the store's SQL gives them.
PATHWAY_COUNTS = ("referred", "reached_day84", "unresolved_day84", "window_closed_or_reviewed", "reviewed", "lost")


@dataclass
class OutcomeCounts:
    """The cohort as a few group-by tables (each a Counter of key tuples), enough for every
    number of the report but not the lists of cases. The store fills them with SQL over the
    stored facts (``storage/outcome_counts.py``, the same keys); :meth:`add_case` adds one
    case's per-case facts (a case taking the exact path). The key of each table:

    * ``qs``: (intake month YYYY-MM, stratified 0/1, imaging state, advice state)
    * ``decision_days``: days of care to the first decision (cases with a decision)
    * ``pathway``: how many cases were referred, reached day 84, were unresolved at day 84
      without a decision, had their review window closed or were reviewed in it, were
      reviewed in it, are lost to follow-up (keys: those words, see :data:`PATHWAY_COUNTS`)
    * ``weeks[6|12]``: (risk group, leg NRS change or None, ODI change or None, scored 0/1,
      improved by the MCID 1/0/None)
    * ``resolved``: (risk group, followed 0/1, resolved 0/1)
    * ``bins[week]``: (risk group, leg NRS) for the cases with a score in that two-week bin
    """

    qs: Counter = field(default_factory=Counter)
    decision_days: Counter = field(default_factory=Counter)
    pathway: Counter = field(default_factory=Counter)
    weeks: dict = field(default_factory=lambda: {w: Counter() for w in STORED_WEEKS})
    resolved: Counter = field(default_factory=Counter)
    bins: dict = field(default_factory=lambda: {w: Counter() for w in LEG_BIN_WEEKS})

    def add_case(self, f: _CaseFacts) -> None:
        self.qs[(_month(f.visit_date), int(f.stratified), f.imaging, f.advice)] += 1
        if f.first_decision_days is not None:
            self.decision_days[f.first_decision_days] += 1
        for name, yes in zip(PATHWAY_COUNTS, (f.referred, f.reached_day84, f.unresolved_day84,
                                              f.window_closed or f.reviewed_in_window, f.reviewed_in_window, f.lost)):
            self.pathway[name] += int(yes)
        for w in STORED_WEEKS:
            t = f.timepoints[w]
            self.weeks[w][(f.risk, t.leg_change, t.odi_change, int(t.scored),
                           None if t.improving is None else int(t.improving))] += 1
        self.resolved[(f.risk, int(f.followed), int(f.resolved))] += 1
        for w in LEG_BIN_WEEKS:
            v = f.leg_by_bin.get(w)
            if v is not None:
                self.bins[w][(f.risk, v)] += 1


def _count_proportion(mid: str, num: int, den: int, nr: int = 0, group: str = "all") -> Proportion:
    return Proportion(mid, definitions()["by_id"][mid]["title"], num, den, nr, group, min_cases=min_cases())


def _qs_from(counts: dict, group: str) -> tuple[Proportion, ...]:
    """QS155 statements 1-3 from {(stratified, imaging, advice): n} (as qs155_measures)."""
    total = sum(counts.values())
    strat = sum(n for (st, _, _), n in counts.items() if st)
    img_nr = sum(n for (_, im, _), n in counts.items() if im == "not_recorded")
    img_num = sum(n for (_, im, _), n in counts.items() if im == "inappropriate")
    adv_nr = sum(n for (_, _, ad), n in counts.items() if ad == "not_recorded")
    adv_num = sum(n for (_, _, ad), n in counts.items() if ad == "given")
    return (_count_proportion("qs1_risk_stratification", strat, total, 0, group),
            _count_proportion("qs2_imaging_without_serious_pathology", img_num, total - img_nr, img_nr, group),
            _count_proportion("qs3_self_management", adv_num, total - adv_nr, adv_nr, group))


def _expand(pairs: Iterable[tuple[Any, int]]) -> tuple:
    out: list = []
    for value, n in pairs:
        out.extend([value] * n)
    return tuple(out)


def report_from_counts(counts: OutcomeCounts, period_from: dt.date, period_to: dt.date, as_of: dt.date,
                       profile: str = "uk", settings: ReviewSettings | None = None,
                       step: Callable[[], None] | None = None) -> OutcomesReport:
    """The report's numbers from :class:`OutcomeCounts`: the same numbers as
    :func:`compute_outcomes` (tests compare them), without the lists of cases
    (``has_cases`` False)."""
    s = settings or default_review_settings()
    step = step or (lambda: None)
    d = definitions()
    by_id = d["by_id"]
    m = min_cases()
    all_qs: Counter = Counter()
    per_month: dict[str, Counter] = {}
    for (month, st, im, ad), n in counts.qs.items():
        all_qs[(st, im, ad)] += n
        per_month.setdefault(month, Counter())[(st, im, ad)] += n
    qs = _qs_from(all_qs, "all")
    run: dict[str, list[tuple[str, Proportion]]] = {p.id: [] for p in qs}
    for mo in _months(period_from, min(period_to, as_of)):
        for p in _qs_from(per_month.get(mo, {}), mo):
            run[p.id].append((mo, p))
    step()
    weeks_hist: dict[int, int] = {}
    for days, n in sorted(counts.decision_days.items()):
        w = max(days, 0) // 7
        weeks_hist[w] = weeks_hist.get(w, 0) + n
    step()
    total = sum(all_qs.values())
    path = counts.pathway
    pathway = (
        Distribution("time_to_decision", by_id["time_to_decision"]["title"],
                     _expand((round(days / 7, 1), n) for days, n in counts.decision_days.items()), "weeks",
                     min_cases=m),
        _count_proportion("unresolved_12_weeks_no_decision", path["unresolved_day84"], path["reached_day84"]),
        _count_proportion("reviewed_in_window", path["reviewed"], path["window_closed_or_reviewed"]),
        _count_proportion("referred_surgical_opinion", path["referred"], total),
        _count_proportion("lost_to_follow_up", path["lost"], total),
    )
    step()
    rows: list[Proportion | Distribution] = []
    groups = ["all"] + list(RISK_GROUPS)
    for week in sorted(d["timepoint_days"]):
        table = counts.weeks[week]
        for gname in groups:
            label = f"{week} weeks, {'all cases' if gname == 'all' else RISK_LABELS[gname]}"
            mine = [(k, n) for k, n in table.items() if gname == "all" or k[0] == gname]
            rows.append(Distribution("leg_pain_change", by_id["leg_pain_change"]["title"],
                                     _expand((k[1], n) for k, n in mine if k[1] is not None), "points", label,
                                     (), m))
            rows.append(Distribution("function_change", by_id["function_change"]["title"],
                                     _expand((k[2], n) for k, n in mine if k[2] is not None), "points", label,
                                     (), m))
            rows.append(_count_proportion("improved_mcid", sum(n for k, n in mine if k[3] and k[4] == 1),
                                          sum(n for k, n in mine if k[3]), 0, label))
    for gname in groups:
        label = "all cases" if gname == "all" else RISK_LABELS[gname]
        mine = [(k, n) for k, n in counts.resolved.items() if gname == "all" or k[0] == gname]
        rows.append(_count_proportion("resolved", sum(n for k, n in mine if k[1] and k[2]),
                                      sum(n for k, n in mine if k[1]), 0, label))
    step()
    leg_pain: dict[str, list[tuple[int, Distribution]]] = {}
    for g in RISK_GROUPS:
        leg_pain[g] = [(w, Distribution("leg_pain", "Leg pain (NRS)",
                                        _expand((float(v), n) for (risk, v), n in counts.bins[w].items()
                                                if risk == g), "points", f"week {w}", (), m))
                       for w in LEG_BIN_WEEKS]
    step()
    return OutcomesReport(
        period_from=period_from, period_to=period_to, as_of=as_of, profile=profile, cohort_size=total,
        qs155=qs, pathway=pathway, outcomes=tuple(rows), run_charts=run, weeks_to_decision=weeks_hist,
        leg_pain_by_group=leg_pain, settings=s, has_cases=False,
    )


def compute_outcome_counts(counts: OutcomeCounts, stale: Iterable[str], load_case: Callable[[str], Case],
                           period_from: dt.date, period_to: dt.date, as_of: dt.date, profile: str = "uk",
                           settings: ReviewSettings | None = None,
                           progress: Callable[[int, int, str], None] | None = None) -> OutcomesReport:
    """The report's numbers (no case lists) from the store's counts over the stored facts that
    hold (``counts``) and the exact path for the other cases of the period (``stale``: case
    ids, read whole with ``load_case``). ``progress`` as for :func:`compute_outcomes_from_facts`."""
    if period_to < period_from:
        raise ValueError(f"the period ends ({period_to}) before it starts ({period_from})")
    s = settings or default_review_settings()
    d = definitions()
    timepoint_days = d["timepoint_days"]
    day12 = int(d["by_id"]["unresolved_12_weeks_no_decision"]["days"])
    stale = list(stale)
    total = len(stale) + MEASURE_STEPS
    if progress is not None:
        progress(0, total, "reading")
    for n, case_id in enumerate(stale, start=1):
        if progress is not None and n % 200 == 0:
            progress(n, total, "reading")
        case = load_case(case_id)
        if period_from <= case.intake.visit_date <= period_to and case.intake.visit_date <= as_of:
            counts.add_case(_facts(case, as_of, s, timepoint_days, day12))
    step = None
    if progress is not None:
        done = iter(range(len(stale) + 1, total + 1))

        def step() -> None:
            progress(next(done), total, "measures")
    return report_from_counts(counts, period_from, period_to, as_of, profile, s, step)


def report_rows(report: OutcomesReport) -> list[dict[str, Any]]:
    """The table as flat rows (CSV and the view's table): one row per measure and group."""
    rows = []
    for section, m in report.all_rows():
        base = {"section": section, "measure": m.id, "title": m.title, "group": m.group}
        if isinstance(m, Proportion):
            rows.append({**base, "numerator": m.numerator, "denominator": m.denominator,
                         "percent": m.percent, "not_recorded": m.not_recorded, "n": m.denominator,
                         "median": None, "q1": None, "q3": None, "suppressed": m.suppressed,
                         "display": m.display()})
        else:
            q = m.quartiles
            rows.append({**base, "numerator": None, "denominator": None, "percent": None, "not_recorded": None,
                         "n": m.n, "median": m.median, "q1": q[0] if q else None, "q3": q[1] if q else None,
                         "suppressed": m.suppressed, "display": m.display()})
    return rows
