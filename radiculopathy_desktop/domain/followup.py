"""The surgical-review rule: the single owner of the 6-12 week clock.

A case's status on a date is decided here and only here; the tracker's worklist,
the window and the exports all call :func:`surgical_review` (or, for bulk
queries, :func:`review_facts` plus :func:`status_from_facts`, which together are
exactly :func:`surgical_review`).

Only what was known on ``as_of`` counts: visits and decisions dated after it are
ignored, so a worklist "as of" a past date shows what the clinic saw then.

Order of precedence (first match wins):

1. ``immediate``: a red flag or severe/progressive motor deficit (triage tier
   emergency or urgent) that no decision has acknowledged since it appeared (a decision
   acknowledges the flags it names, those standing when it was recorded, and not a flag
   reported at a visit entered after it: records carry the order they were entered in).
   Red flags override every clock, snooze and threshold.
2. ``closed``: the latest decision is referred, patient declined, or resolved/discharged.
3. ``ask_red_flags``: cauda equina questions still unanswered (unknown is not no): ask
   them now. Only answering them clears it; a decision does not.
4. ``snoozed``: the latest decision is "continue conservative care until" a date
   not yet reached.
5. ``not_due`` (resolved): the latest follow-up meets the resolution thresholds.
6. The clock, in days since conservative care started (``d``), with the window
   ``[start, end]`` (default 42-84) and lead ``L`` (default 14):
   ``d < start - L``: not_due; ``start - L <= d < start``: upcoming;
   from ``d >= start``: ``improving`` ("improving: keep under review") while the
   case is improving (see ``instruments.improvement``) and the improvement was seen at
   a scored follow-up within the last ``improving_recheck_days`` (a visit without a score
   does not re-confirm it, nor one scoring only back pain:
   :func:`~radiculopathy_desktop.domain.visits.visit_judges_improvement`); otherwise
   ``start <= d <= end``: due, or needs_follow_up when there is no follow-up visit
   holding a score since baseline (:func:`~radiculopathy_desktop.domain.visits.visit_has_score`:
   a red-flag re-screen by phone or a muscle grade alone does not say whether the patient
   improved; its answers still count for red flags); ``d > end``: overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Mapping, NamedTuple

from radiculopathy_desktop.domain.build import fast_init
from radiculopathy_desktop.domain.frozen import FrozenRecord
from radiculopathy_desktop.domain.settings import ReviewSettings, default_review_settings, review_rule_sources
from radiculopathy_desktop.domain.vocab import REVIEW_STATUS_LABELS, DecisionKind, ReviewStatus
from radiculopathy_desktop.domain.vocabulary import DECISIONS, HISTORY_QUESTIONS

if TYPE_CHECKING:  # pragma: no cover
    from radiculopathy_desktop.domain.instruments import Improvement
    from radiculopathy_desktop.domain.intake import Case
    from radiculopathy_desktop.domain.triage import TriageResult

# The statuses and status_from_facts (all the worklist needs) use only the settings
# and vocabulary modules; the case format and the instruments are imported by the
# functions that work on a whole case, so the window can show the worklist without
# loading them.

#: (instruments, intake, triage, visits): the modules of the instruments, the case format,
#: triage and visits that the functions working on a whole case use, imported at the first
#: such call (above) and then kept, so a call runs no import statement (issue 17: seven per
#: assessment). Each name is read from its module at each call, as the ``from ... import``
#: statements they replace read it.
_CASE_MODULES: tuple | None = None


def _case_modules() -> tuple:
    global _CASE_MODULES
    from radiculopathy_desktop.domain import instruments, intake, triage, visits  # no cycle at call time

    _CASE_MODULES = (instruments, intake, triage, visits)
    return _CASE_MODULES


# Bumped whenever what the stored review facts mean changes (2: improving means "not
# stalled", ask-red-flags facts; 3: holding at the resolution level is not a stall; 4: a
# decision acknowledges only the red flags it names, rt6 F1; 5: a decision stored without
# that list no longer clears a flag raised the same day, rt7 R2; 6: a flag answered yes again
# at a visit needs a decision after that visit, rt11 F1; 7: so does a muscle graded weaker, to
# MRC 3 or less, rt12 F10; 8: on the decision's own date, a decision acknowledges only the
# flags of records entered before it, by the records' entry order, rt12 F2; 9: a history
# question answered yes again is not a new report, rt13 F9; 10: only a visit holding a score
# is a follow-up, a red-flag re-screen alone leaves "Needs follow-up", vis13; 11: nor does such
# a visit re-confirm "Improving": last_follow_up_date is the newest visit holding a score, fu16;
# 12: ... holding a score the improvement rule judges (leg pain, ODI or RMDQ), not back pain
# alone, rt16 F3); 13: a visit dated on the intake's day is not a follow-up (no trend over zero
# days), and a same-day pair of visits is one day of the stalled check, gp19 F5: stored facts of
# another version are recomputed; 14: the baseline is the intake's day's latest record of each
# score (a visit dated on the intake's day re-records it), rt21 F5; 15: a red-flag question
# answered "unknown" at a visit replaces an earlier "no" (a cauda equina one asks the question
# now, "Ask red-flag questions"), redflag31 H-TRI-900.
REVIEW_FACTS_VERSION = 15

TERMINAL_DECISIONS = frozenset(k for k in DecisionKind if k.closes_case)


STATUS_LABELS = REVIEW_STATUS_LABELS  # the one label table, under its old name here
STATUS_ORDER = list(ReviewStatus)  # worklist order: the enum's own order
# Shown on the worklist by default (the rest are found through Patients or a filter).
WORKLIST_STATUSES = (ReviewStatus.IMMEDIATE, ReviewStatus.ASK_RED_FLAGS, ReviewStatus.OVERDUE, ReviewStatus.DUE,
                     ReviewStatus.NEEDS_FOLLOW_UP, ReviewStatus.IMPROVING, ReviewStatus.UPCOMING)


@fast_init
@dataclass(frozen=True)
class ReviewFacts:
    """Everything the rule needs about one case on one date, already reduced.

    Storage keeps these per case so the worklist can apply
    :func:`status_from_facts` to many cases without loading their visits.
    """

    care_start_date: dt.date
    has_follow_up: bool  # a follow-up visit holding a score (visits.visit_has_score) considered
    improving: bool | None
    resolved: bool
    immediate: bool
    immediate_reason: str | None
    last_decision_kind: str | None
    last_decision_date: dt.date | None
    continue_until: dt.date | None
    latest_event_date: dt.date  # the newest intake, visit or decision date considered
    ask_red_flags_reason: str | None = None  # cauda equina questions unanswered: what to ask
    # the newest follow-up visit holding a score (visits.visit_has_score) considered, None while
    # none does: what re-confirms "Improving" (a red-flag re-screen alone does not, fu16)
    last_follow_up_date: dt.date | None = None


class SurgicalReview(FrozenRecord):
    """A case's surgical-review status on a date, with what it was worked out from.

    A hand-written frozen record (domain/frozen.py), not a ``@dataclass(frozen=True)``: the
    window's start-up imports this module, and a dataclass's methods are generated and compiled
    at every start (issue 17; ``tests/storage/test_frozen_records.py`` holds it against the
    dataclass it was)."""

    _fields = ("status", "reason", "days_since_care_start", "window_opens", "window_closes", "improvement",
               "facts", "settings")

    status: ReviewStatus
    reason: str
    days_since_care_start: int
    window_opens: dt.date
    window_closes: dt.date
    improvement: Improvement
    facts: ReviewFacts
    settings: ReviewSettings

    def __init__(self, status: ReviewStatus, reason: str, days_since_care_start: int, window_opens: dt.date,
                 window_closes: dt.date, improvement: Improvement, facts: ReviewFacts, settings: ReviewSettings):
        self.__dict__.update({"status": status, "reason": reason, "days_since_care_start": days_since_care_start,
                              "window_opens": window_opens, "window_closes": window_closes,
                              "improvement": improvement, "facts": facts, "settings": settings})

    @property
    def weeks_since_care_start(self) -> int:
        return max(self.days_since_care_start, 0) // 7

    @property
    def improving(self) -> bool | None:
        return self.improvement.improving

    def to_dict(self) -> dict:
        sources = review_rule_sources()
        return {
            "status": self.status.value,
            "label": self.status.label,
            "reason": self.reason,
            "days_since_care_start": self.days_since_care_start,
            "weeks_since_care_start": self.weeks_since_care_start,
            "window_opens": self.window_opens.isoformat(),
            "window_closes": self.window_closes.isoformat(),
            "improving": self.improvement.improving,
            "resolved": self.improvement.resolved,
            "improvement": self.improvement.to_dict(),
            "last_decision": None if self.facts.last_decision_kind is None else {
                "kind": self.facts.last_decision_kind,
                "label": DECISIONS[self.facts.last_decision_kind],
                "date": self.facts.last_decision_date.isoformat(),
                "until": self.facts.continue_until.isoformat() if self.facts.continue_until else None,
            },
            "settings": {
                "window_start_day": self.settings.window_start_day,
                "window_end_day": self.settings.window_end_day,
                "upcoming_lead_days": self.settings.upcoming_lead_days,
                "resolved_leg_nrs_max": self.settings.resolved_leg_nrs_max,
                "resolved_odi_max": self.settings.resolved_odi_max,
                "resolved_rmdq_max": self.settings.resolved_rmdq_max,
                "improving_recheck_days": self.settings.improving_recheck_days,
            },
            "sources": [
                {"topic": "review window", "citation": sources["window"]},
                {"topic": "improvement (MCID)", "citation": sources["improvement"]},
                {"topic": "resolution thresholds", "citation": sources["resolution"]},
                {"topic": "improving: keep under review", "citation": sources["improving_status"]},
            ],
        }


def status_for_reader(review: SurgicalReview, case: Case, as_of: dt.date) -> str:
    """The review status in words for a reader who does not know the worklist (a referral
    summary): a case the clinician paused is "Review deferred until 2027-01-10 by Dr Ames",
    the until date the worklist's row leads with, never its filter word "Snoozed" (gp14 G7);
    every other status is its worklist label."""
    until = review.facts.continue_until
    if review.status != ReviewStatus.SNOOZED or until is None:
        return review.status.label
    decisions = [d for d in case.decisions_on_or_before(as_of) if d.kind == DecisionKind.CONTINUE_CONSERVATIVE_CARE]
    by = decisions[-1].by if decisions and decisions[-1].by else "the clinician"
    return f"Review deferred until {until.isoformat()} by {by}"


# Decisions that close or pause a case (everything but a referral for a surgical opinion):
# recorded while an emergency or urgent red flag stands, they must name and acknowledge it
# (``decide --acknowledge-red-flags``; the window's decision dialog asks). A referral acts
# on the red flag, so it needs no acknowledgement.
DECISIONS_NEEDING_ACKNOWLEDGEMENT = frozenset({DecisionKind.RESOLVED_DISCHARGED, DecisionKind.CONTINUE_CONSERVATIVE_CARE,
                                               DecisionKind.PATIENT_DECLINED})

_FACT_LABELS = {
    "severe_motor_deficit": "Severe motor weakness (MRC grade 3 or less)",
    "upper_motor_neurone_signs": "Upper motor neurone signs",
}


def red_flag_labels(codes) -> tuple[str, ...]:
    """The words for red-flag codes (a question, or an examination fact the triage fires)."""
    from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS
    return tuple(RED_FLAG_QUESTIONS.get(f) or _FACT_LABELS.get(f) or f.replace("_", " ") for f in codes)


def acknowledged_words(decision) -> str:
    """What a decision acknowledged, for the case's list of decisions ("" when it named none
    or was recorded before decisions named them)."""
    named = decision.acknowledged_red_flags
    return "red flags acknowledged: " + "; ".join(red_flag_labels(named)) if named else ""


class StandingRedFlags(FrozenRecord):
    """The emergency or urgent red flags standing on a date (whether or not acknowledged).

    A hand-written frozen record (domain/frozen.py; issue 17, as :class:`SurgicalReview`)."""

    _fields = ("tier", "headline", "flags", "since", "raised_by")
    _compared = _shown = ("tier", "headline", "flags", "since")

    tier: str  # "emergency" or "urgent"
    headline: str
    flags: tuple[str, ...]  # codes, e.g. "history_of_cancer"
    since: dt.date
    # The follow-up visit that raised (or reported again) these flags on ``since``, when a
    # visit did (None: the intake): a decision dated ``since`` acknowledges them only when
    # entered after it (:func:`acknowledges`). Not part of what is shown, compared or audited.
    raised_by: object

    def __init__(self, tier: str, headline: str, flags: tuple[str, ...], since: dt.date, raised_by: object = None):
        self._set_fields(tier, headline, flags, since, raised_by)

    @property
    def labels(self) -> tuple[str, ...]:
        return red_flag_labels(self.flags)

    def describe(self) -> str:
        return f"{self.tier.upper()}: {self.headline} (standing since {self.since.isoformat()}: " \
               + "; ".join(self.labels) + ")"

    def to_audit(self) -> dict:
        return {"tier": self.tier, "headline": self.headline, "flags": list(self.flags),
                "since": self.since.isoformat()}


def standing_red_flags(case: Case, as_of: dt.date) -> StandingRedFlags | None:
    """The emergency/urgent red flags standing on ``as_of``, acknowledged before or not."""
    fired, result, since, raised_by = _fired_flags_of(case.intake, case.visits, as_of, raised=True)
    if not fired or since is None or as_of < case.intake.visit_date:
        return None
    return StandingRedFlags(result.tier, result.headline(), tuple(f for f in result.fired if f in fired), since,
                            raised_by)


def red_flags_unacknowledged(case: Case, as_of: dt.date) -> bool:
    """Whether an emergency or urgent red flag stands on ``as_of`` that no decision has
    acknowledged (the case is Immediate on it): what a visit's "no" clearing it must not do
    without a word (gp14 G16)."""
    return _red_flag_state(case.intake, case.visits, case.decisions, as_of)[0]


def red_flags_to_acknowledge(case: Case, kind: str, on: dt.date) -> StandingRedFlags | None:
    """What a decision of ``kind`` on ``on`` must acknowledge by name, or None.

    Closing or pausing a case (resolved/discharged, continue conservative care, patient
    declined) while an emergency or urgent red flag stands must not happen silently.
    """
    if kind not in DECISIONS_NEEDING_ACKNOWLEDGEMENT:
        return None
    return standing_red_flags(case, on)


class Triaged(NamedTuple):
    """A triage the caller has already made of this case (:func:`triage_case` on ``day`` with
    these answers and grades): :func:`surgical_review` reuses it wherever the red-flag
    history asks for the same triage, instead of making it again."""

    day: dt.date
    red_flags: Mapping[str, str]
    power: Mapping[str, int]
    result: TriageResult


def _fired_flags(case: Case, as_of: dt.date, triaged: Triaged | None = None):
    """The escalating red flags standing on ``as_of``, the triage result, and since when."""
    return _fired_flags_of(case.intake, case.visits, as_of, triaged)


def _fired_flags_of(intake, visits, as_of: dt.date, triaged: Triaged | None = None, raised: bool = False):
    """:func:`_fired_flags` of an intake and its follow-up visits in date order, same-date
    visits in the order entered (see :func:`facts_from_events` for what is read of them).
    With ``raised``, also the visit that raised the flags standing on ``since`` (None: the
    intake)."""
    _, _intake, _triage, _ = _CASE_MODULES or _case_modules()
    answers_after_rescreen, escalating_flags = _intake.answers_after_rescreen, _triage.escalating_flags
    same_age_risk, triage_intake_on = _triage.same_age_risk, _triage.triage_intake_on

    age_on = intake.patient.age_on

    def triaged_on(day, flags, power):
        # the same answers, grades and age risk (the only thing triage reads of the day) give
        # the same triage: the caller's is that triage
        if (triaged is not None and flags == triaged.red_flags and power == triaged.power
                and same_age_risk(age_on(day), age_on(triaged.day))):
            return triaged.result
        return triage_intake_on(intake, day, flags, power)

    flags = dict(intake.red_flags)
    power = dict(intake.examination.power)
    result = triaged_on(intake.visit_date, flags, power)
    fired = set(escalating_flags(result))
    since = intake.visit_date if fired else None
    raised_by = None
    for visit in visits:
        if visit.date > as_of:
            break
        if not visit.red_flags and not visit.power:
            continue
        # A muscle graded MRC 3 or less at this visit that was graded higher before (or not
        # graded): the deficit is reported anew, as a "yes" answered again is (rt12 F10: foot
        # drop getting worse after a continue decision left the case Snoozed).
        weaker = any(grade <= 3 and grade < power.get(muscle, 6) for muscle, grade in visit.power.items())
        # The one rule of which answers stand (unknown never clears a standing red flag).
        before = flags
        flags = answers_after_rescreen(flags, visit.red_flags)
        power.update(visit.power)
        result = triaged_on(visit.date, flags, power)
        now_fired = set(escalating_flags(result))
        # A flag answered "yes" again at this visit is reported anew (the visit form leaves a
        # question not asked again at "Not asked"): it needs a decision after this visit, as a
        # newly raised one does, even if an earlier decision acknowledged it (red-team rt11 F1:
        # cauda equina symptoms reported again after a discharge left the case Closed).
        # A history question (:data:`HISTORY_QUESTIONS`) answered yes again is not a report:
        # it was already yes (rt13 F9).
        if (now_fired - fired
                or any(visit.red_flags.get(f) == "yes" and not (f in HISTORY_QUESTIONS and before.get(f) == "yes")
                       for f in now_fired)
                or (weaker and "severe_motor_deficit" in now_fired)):
            since, raised_by = visit.date, visit
        if not now_fired:
            since = raised_by = None
        fired = now_fired
    if raised:
        return fired, result, since, raised_by
    return fired, result, since


def _red_flag_state(intake, visits, decisions, as_of: dt.date,
                    triaged: Triaged | None = None) -> tuple[bool, str | None, dt.date | None]:
    """Whether an unacknowledged red flag stands on ``as_of``, why, and since when.

    Answers carry forward: a follow-up visit re-asks only some questions. The flags
    standing are acknowledged by a decision dated on or after the record that raised them
    (``since``) that names every one of them (:func:`acknowledges`); a newly fired flag at
    a later visit needs a new decision, and so does a flag raised or answered "yes" again at
    a visit entered AFTER a decision of the same date (red-team rt6 F1, rt12 F2: records
    carry a date, and since this version the order in which they were entered).
    """
    fired, result, since, raised_by = _fired_flags_of(intake, visits, as_of, triaged, raised=True)
    if not fired or since is None:
        return False, None, None
    later = [d for d in decisions if since <= d.date <= as_of]
    if any(acknowledges(d, fired, since, raised_by) for d in later):
        return False, None, since
    why = result.headline()
    after = [d for d in later if _entered_after_raising(d, since, raised_by)]
    if after:  # a decision since then did not name these flags: it cannot stand for them
        some = bool(after[-1].acknowledged_red_flags)  # it named other flags, not all of these
        what = "it" if len(fired) == 1 else "them all" if some else "them"
        why += (f" (standing since {since.isoformat()}; the decision of {after[-1].date.isoformat()} did not "
                f"acknowledge {what}: a new decision is needed)")
    elif later:  # only decisions entered before the visit that raised them
        why += (f" (standing since {since.isoformat()}: reported at a visit entered after the decision of "
                f"{later[-1].date.isoformat()}; a new decision is needed)")
    return True, why, since


def _entered_after_raising(decision, since: dt.date, raised_by) -> bool:
    """Whether ``decision`` (dated on or after ``since``) can stand for the flags a record
    raised on ``since``: only when it was entered after the visit that raised them
    (``raised_by``; None: the intake, before every decision), on that date (rt12 F2: a
    discharge in the morning, the same symptoms reported in the afternoon) or a later one (a
    visit typed in later with an earlier date: the decision cannot have seen it either). When
    the tracker does not know the order of the two (both entered before it kept one), a
    decision naming the flags stands for them, as before this version.

    A decision typed before it was saved (``typed_against``: kept while the clinic server could
    not be reached, saved later) was typed against the records entered up to then: a visit
    entered after that (another workstation, the command line) was not seen by the clinician,
    so the decision does not stand for what it reports, even though the decision was saved
    after it (red-team rt14 F8)."""
    if raised_by is None:
        return True
    from radiculopathy_desktop.domain.intake import entered_after

    typed = getattr(decision, "typed_against", None)
    if typed is not None and raised_by.entry is not None and raised_by.entry > typed:
        return False
    return entered_after(decision, raised_by) is not False


def acknowledges(decision, fired, since: dt.date, raised_by=None) -> bool:
    """Whether ``decision`` (dated on or after ``since``, when the flags were raised)
    acknowledges the red flags ``fired``: it names every one of them
    (``Decision.acknowledged_red_flags``) and, on ``since`` itself, was entered after the
    visit that raised them (``raised_by``, see :func:`_entered_after_raising`; rt12 F2: a
    cauda equina "yes" reported again the afternoon after a morning discharge). A decision
    stored before the field existed (None)
    acknowledges by its date alone, as it always did, but only flags raised on an EARLIER
    day: on its own day the order in which the decision and the flag were typed is not
    known, and a flag typed after it must not be hidden (red-team rt7 R2). Such a flag
    keeps the case Immediate until a decision names it."""
    named = decision.acknowledged_red_flags
    if named is None:
        return decision.date > since
    return set(fired) <= set(named) and _entered_after_raising(decision, since, raised_by)


def immediate_once_saved(case: Case, visit) -> bool:
    """Whether ``case`` is Immediate on ``visit``'s date once ``visit`` is saved: entered
    after every record the case holds, so a "yes" it reports again is not covered by a
    decision recorded earlier, even one of the same date (rt12 F2). What the visit dialog
    tells the clinician before saving."""
    from radiculopathy_desktop.domain.intake import entry_key

    last = max((r.entry for r in (*case.visits, *case.decisions) if r.entry is not None), default=0)
    visits = tuple(sorted((*case.visits, replace(visit, entry=last + 1)), key=entry_key))
    return _red_flag_state(case.intake, visits, case.decisions, visit.date)[0]


def freeze_legacy_acknowledgements(case: Case) -> Case:
    """``case`` with each decision stored before decisions named their red flags
    (``acknowledged_red_flags`` None) naming what it acknowledges among the records the case
    holds NOW: the flags standing on its date that were raised on an earlier day (what
    :func:`acknowledges` gives it by date), else none. The same status for every record the
    case holds; called before a record is added to it, so a red-flag visit entered later but
    dated before such a decision is not taken as acknowledged by it (red-team rt10 F11: a
    back-dated cauda equina visit left a case Closed)."""
    if all(d.acknowledged_red_flags is not None for d in case.decisions):
        return case
    decisions = []
    for d in case.decisions:
        if d.acknowledged_red_flags is None:
            standing = standing_red_flags(case, d.date)
            d = acknowledgement(d, standing if standing is not None and standing.since < d.date else None)
        decisions.append(d)
    return replace(case, decisions=tuple(decisions))


def not_acknowledged_by(decision, case: Case, as_of: dt.date) -> StandingRedFlags | None:
    """The emergency/urgent red flags standing on ``as_of`` that ``decision`` (one of the
    case's decisions) does not acknowledge and no other decision since they were raised does
    either, or None: those raised after it (a later record, or one entered after it on its own
    day) or not named by it. What a decision saved before cannot stand for, said when its
    write key is sent again (red-team rt7 R4): a new decision is needed for them."""
    standing = standing_red_flags(case, as_of)
    if standing is None:
        return None
    if any(acknowledges(d, standing.flags, standing.since, standing.raised_by) for d in (decision, *case.decisions)
           if standing.since <= d.date <= as_of):
        return None
    named = decision.acknowledged_red_flags
    if named and decision.date >= standing.since:
        # what it named stands, but for a flag reported again at a visit entered after it
        again = set() if _entered_after_raising(decision, standing.since, standing.raised_by) \
            else reported_at(standing.raised_by)
        return standing.replace(flags=tuple(f for f in standing.flags if f not in set(named) or f in again))
    return standing


def reports_entered_since(case: Case, typed_against: int, on: dt.date) -> tuple[tuple[object, tuple[str, ...]], ...]:
    """The follow-up visits of ``case`` entered after ``typed_against`` (an entry order: what a
    decision was typed against, ``Decision.typed_against``), dated on or before ``on``, that
    report an emergency or urgent red flag standing on ``on``, each with those flags (codes,
    sorted): what a decision of ``on`` typed then was not shown (red-team rt14 F8)."""
    standing = standing_red_flags(case, on)
    if standing is None:
        return ()
    out = []
    for visit in case.visits:
        if visit.entry is None or visit.entry <= typed_against or visit.date > on:
            continue
        flags = tuple(sorted(reported_at(visit) & set(standing.flags)))
        if flags:
            out.append((visit, flags))
    return tuple(out)


def unseen_reports(case: Case, decision, as_of: dt.date) -> tuple[tuple[object, tuple[str, ...]], ...]:
    """The red-flag reports ``decision`` (one of ``case``'s decisions) was typed without seeing
    and so does not acknowledge, while they keep the case Immediate on ``as_of``
    (:func:`reports_entered_since` the entry it was typed against, on its date); empty when
    none, or when the decision was typed on the case as it stood when saved. What the clinician
    is told when such a decision is saved (rt14 F8)."""
    typed = getattr(decision, "typed_against", None)
    if typed is None or not_acknowledged_by(decision, case, as_of) is None:
        return ()
    return reports_entered_since(case, typed, decision.date)


def reported_at(visit) -> set[str]:
    """The red flags a follow-up visit reports: answered "yes", and the severe motor deficit
    when it grades a muscle MRC 3 or less."""
    out = {f for f, answer in visit.red_flags.items() if answer == "yes"}
    if any(grade <= 3 for grade in visit.power.values()):
        out.add("severe_motor_deficit")
    return out


def acknowledgement(decision, standing: StandingRedFlags | None):
    """``decision`` carrying what it acknowledges: the red flags ``standing`` when it is
    recorded (``standing_red_flags`` of the case on its date, the ones shown to the
    clinician), sorted; none when none stand. Every writer of a decision sets it."""
    return replace(decision, acknowledged_red_flags=tuple(sorted(standing.flags)) if standing else ())


def review_facts(case: Case, as_of: dt.date, settings: ReviewSettings | None = None) -> ReviewFacts:
    return _facts_and_improvement(case, as_of, settings or default_review_settings())[0]


def _facts_and_improvement(case: Case, as_of: dt.date, s: ReviewSettings,
                           triaged: Triaged | None = None) -> tuple[ReviewFacts, Improvement]:
    return facts_from_events(case.intake, case.visits, case.decisions, as_of, s, triaged)


def facts_from_events(intake, visits, decisions, as_of: dt.date, s: ReviewSettings,
                      triaged: Triaged | None = None) -> tuple[ReviewFacts, Improvement]:
    """The review facts (and the improvement judged) of a case on ``as_of``: the one rule
    behind :func:`review_facts` and :func:`surgical_review`.

    ``intake`` is the case's :class:`~radiculopathy_desktop.domain.intake.Intake`, or the
    same values read from a stored case without the parts the rule does not read (its
    ``patient``, ``visit_date``, ``care_start_date``, ``regions``, ``leg_nrs``,
    ``back_nrs``, ``red_flags``, ``examination``, ``function``, ``conditions`` are read).
    ``visits`` and ``decisions`` are its follow-up visits and decisions in date order
    (``case.visits``/``case.decisions``, or the same events read from a stored case:
    ``date``, ``leg_nrs``, ``back_nrs``, ``odi_percent``, ``rmdq``, ``red_flags``,
    ``power`` of a visit and ``date``, ``kind``, ``until``, ``acknowledged_red_flags`` of a
    decision are read). Those
    dated after ``as_of`` are ignored. ``triaged``: a triage the caller already made
    (:class:`Triaged`), reused where the red-flag history asks for the same one.

    ``has_follow_up``: a visit holding a score (:func:`~radiculopathy_desktop.domain.visits.visit_has_score`)
    is considered; a visit without one (a red-flag re-screen by phone, a muscle grade, a note)
    counts for the red flags only. ``last_follow_up_date`` is the newest visit holding a score
    the improvement rule judges improvement on (:func:`~radiculopathy_desktop.domain.visits.visit_judges_improvement`:
    leg pain, ODI or RMDQ, where the baseline holds it too; what the stores keep as ``follow_up_ord``; their ``last_visit_date``
    is the newest visit of any kind, shown as the last visit), None while none holds one: a
    visit without a score does not re-confirm "Improving" (fu16), nor does one scoring only
    back pain, which never counts as improvement in sciatica (rt16 F3).
    """
    _instruments, _intake, _, _visits = _CASE_MODULES or _case_modules()
    visit_has_score, visit_judges_improvement = _visits.visit_has_score, _visits.visit_judges_improvement
    ScorePoint = _intake.ScorePoint

    seen = [v for v in visits if v.date <= as_of]
    # The intake's day's latest scores (rt21 F5: the later record of a day stands for that day,
    # visits.SAME_DAY_TREND, the intake's day too).
    baseline = _intake.day_baseline(intake, seen)
    # A visit dated on the intake's own day is not a follow-up (gp19 F5, visits.SAME_DAY_TREND):
    # its scores are zero days from the intake, not a change over time, so they neither judge
    # Progress nor stop the review clock asking for a follow-up; they re-record the baseline.
    later = [v for v in seen if v.date > baseline.date]
    scored = any(visit_has_score(v) for v in later)
    last_scored = next((v.date for v in reversed(later) if visit_judges_improvement(v, baseline)), None)
    decided = [d for d in decisions if d.date <= as_of]
    imp = _instruments.improvement(
        baseline, [ScorePoint(v.date, v.leg_nrs, v.back_nrs, v.odi_percent, v.rmdq, False) for v in later], s)
    if not later and any(visit_has_score(v) for v in seen):
        imp = replace(imp, reasons=(_visits.SAME_DAY_TREND_REASON.format(day=baseline.date.isoformat()),)
                      + imp.reasons[1:])
    immediate, why, _ = _red_flag_state(intake, visits, decisions, as_of, triaged)
    ask = _unanswered_cauda_equina(intake, visits, as_of,
                                   triaged.red_flags if triaged is not None and triaged.day == as_of else None)
    last = decided[-1] if decided else None
    dates = [intake.visit_date] + [v.date for v in seen] + [d.date for d in decided]
    facts = ReviewFacts(
        care_start_date=intake.care_start_date,
        has_follow_up=scored,
        improving=imp.improving,
        resolved=imp.resolved,
        immediate=immediate,
        immediate_reason=why,
        last_decision_kind=last.kind if last else None,
        last_decision_date=last.date if last else None,
        continue_until=last.until if last else None,
        latest_event_date=max(dates),
        ask_red_flags_reason=ask,
        last_follow_up_date=last_scored,
    )
    return facts, imp


def _unanswered_cauda_equina(intake, visits, as_of: dt.date, flags: Mapping[str, str] | None = None) -> str | None:
    """What must be asked now, when cauda equina questions stand unanswered on ``as_of``
    (``flags``: the answers standing then, when the caller has them)."""
    _, _intake, _triage, _ = _CASE_MODULES or _case_modules()
    if flags is None:
        flags = dict(intake.red_flags)  # Case.red_flags_as_of(as_of)
        for v in visits:
            if v.red_flags and v.date <= as_of:  # a visit that re-asked nothing leaves the answers as they stood
                flags = _intake.answers_after_rescreen(flags, v.red_flags)
    missing = [q for q in _triage.load_rules().ask_now_questions if flags.get(q, "unknown") not in ("yes", "no")]
    if not missing:
        return None
    short = _triage.ASK_NOW_SHORT
    return "cauda equina questions unanswered: ask now about " + ", ".join(short.get(q, q) for q in missing)


def improvement_is_current(facts: ReviewFacts, as_of: dt.date, s: ReviewSettings) -> bool:
    """Improving, and seen at a follow-up within the last ``improving_recheck_days``."""
    return (facts.improving is True and facts.last_follow_up_date is not None
            and (as_of - facts.last_follow_up_date).days <= s.improving_recheck_days)


def status_from_facts(facts: ReviewFacts, as_of: dt.date, s: ReviewSettings) -> tuple[ReviewStatus, str]:
    """The rule itself, on reduced facts. See the module docstring for the order."""
    days = (as_of - facts.care_start_date).days
    if facts.immediate:
        return ReviewStatus.IMMEDIATE, (
            f"Red flag: {facts.immediate_reason}. Red flags override the review clock: act now, "
            "then record a decision.")
    kind = facts.last_decision_kind
    if kind in TERMINAL_DECISIONS:
        return ReviewStatus.CLOSED, f"Closed: {DECISIONS[kind].lower()} on {facts.last_decision_date.isoformat()}."
    if facts.ask_red_flags_reason:
        # led, as the red-flag data's ask-now action is (sn16, H-TRI-226), by the data's lead
        # "Cauda equina syndrome has not been excluded" (wl17: the worklist said only "screen incomplete")
        from radiculopathy_desktop.domain.triage import load_rules

        return ReviewStatus.ASK_RED_FLAGS, (
            f"{load_rules().ask_now_lead}. Red-flag screen incomplete: {facts.ask_red_flags_reason}. "
            "Unknown is not no: record the answers (if any is yes, this is an emergency).")
    if kind == DecisionKind.CONTINUE_CONSERVATIVE_CARE and facts.continue_until and as_of < facts.continue_until:
        return ReviewStatus.SNOOZED, (
            f"Clinician chose to continue conservative care until {facts.continue_until.isoformat()} "
            f"(decided {facts.last_decision_date.isoformat()}).")
    if facts.resolved:
        return ReviewStatus.NOT_DUE, (
            "Latest scores meet the clinic's resolution thresholds: no surgical review needed; "
            "consider recording discharge.")
    start, end, lead = s.window_start_day, s.window_end_day, s.upcoming_lead_days
    week = f"day {days} (week {max(days, 0) // 7})"
    if days < start - lead:
        return ReviewStatus.NOT_DUE, (
            f"{week} of conservative care; the review window opens on day {start}.")
    if days < start:
        return ReviewStatus.UPCOMING, (
            f"{week}: the review window opens in {start - days} days (day {start}); book a follow-up visit.")
    if improvement_is_current(facts, as_of, s):
        return ReviewStatus.IMPROVING, (
            f"{week}: improving since baseline (last seen {facts.last_follow_up_date.isoformat()}): keep under "
            f"review; conservative care has not failed (NICE NG59 section 1.3, spinal decompression). Re-confirm "
            f"at a visit within {s.improving_recheck_days} days of the last one, or the review falls due again.")
    trend = {True: "improving but not re-confirmed in the last "
                   f"{s.improving_recheck_days} days", False: "not improving",
             None: "no follow-up scores"}[facts.improving]
    if days <= end:
        if not facts.has_follow_up:
            return ReviewStatus.NEEDS_FOLLOW_UP, (
                f"{week}: in the review window (days {start}-{end}) with no scored follow-up visit since "
                "baseline; see the patient and record scores.")
        return ReviewStatus.DUE, (
            f"{week}: in the review window (days {start}-{end}), {trend}, not resolved: "
            "decide about a surgical opinion.")
    return ReviewStatus.OVERDUE, (
        f"{week}: past the review window (ended day {end}), {trend}, not resolved and no decision recorded.")


#: What the sentence of :func:`status_from_facts` reads, per status, besides ``as_of`` and the
#: settings: two facts given the same status whose fields named here are equal get the same
#: sentence (``care_start_date`` stands for the day count). Whoever words many cases on one
#: date (the worklist) may compute one sentence per distinct key instead of one per case;
#: it never rewords anything itself. Keep in step with the function above:
#: ``tests/domain/test_followup_reason_inputs.py`` proves the key is sufficient on every branch.
REASON_INPUTS: Mapping[ReviewStatus, tuple[str, ...]] = {
    ReviewStatus.IMMEDIATE: ("immediate_reason",),
    ReviewStatus.ASK_RED_FLAGS: ("ask_red_flags_reason",),
    ReviewStatus.CLOSED: ("last_decision_kind", "last_decision_date"),
    ReviewStatus.SNOOZED: ("continue_until", "last_decision_date"),
    ReviewStatus.NOT_DUE: ("resolved", "care_start_date"),
    ReviewStatus.UPCOMING: ("care_start_date",),
    ReviewStatus.IMPROVING: ("care_start_date", "last_follow_up_date"),
    ReviewStatus.DUE: ("care_start_date", "improving"),
    ReviewStatus.NEEDS_FOLLOW_UP: ("care_start_date",),
    ReviewStatus.OVERDUE: ("care_start_date", "improving"),
}


def surgical_review(case: Case, as_of: dt.date, settings: ReviewSettings | None = None, *,
                    triaged: Triaged | None = None) -> SurgicalReview:
    """The surgical-review status of ``case`` on ``as_of``.

    ``triaged``: the case's triage on ``as_of`` with the answers and grades standing then,
    when the caller has made it (the assessment has): reused, not made again."""
    s = settings or default_review_settings()
    facts, imp = _facts_and_improvement(case, as_of, s, triaged)
    if as_of < case.intake.visit_date:
        # Nothing was known before the intake visit: no red flag, no clock.
        facts = replace(facts, immediate=False, immediate_reason=None)
        status, reason = ReviewStatus.NOT_DUE, (
            f"The case was not yet opened on {as_of.isoformat()} (intake {case.intake.visit_date.isoformat()}).")
    else:
        status, reason = status_from_facts(facts, as_of, s)
    start = case.intake.care_start_date
    return SurgicalReview(
        status=status,
        reason=reason,
        days_since_care_start=(as_of - start).days,
        window_opens=start + dt.timedelta(days=s.window_start_day),
        window_closes=start + dt.timedelta(days=s.window_end_day),
        improvement=imp,
        facts=facts,
        settings=s,
    )


# --- A same-day "no" against a red flag answered "yes" (tryout36 F1) -------------------------
#
# One rule for every path that adds a visit (the command line's ``visit``, the window's visit
# dialog, ``import``): a record of a date answering "no" a red-flag question that the intake or a
# stored visit of the SAME date answers "yes" does not clear it, as the order of the two records of
# one day is not known (red-team rt12 F14, rt14 F4). It clears it only when the clinician says
# explicitly that the "yes" was a mistake or has been assessed (a correction: ``visit
# --correct-red-flag``, the window's "Correct" answer, ``import --replace-records``); the visit
# then keeps the correction in its notes (:func:`red_flag_correction_note`). A "no" at a LATER
# visit is a re-screen and clears the flag as before (NICE NG59 re-assessment; the window asks first).

def red_flag_noes_against_yes(case: Case, visit) -> list[tuple[tuple[str, ...], dt.date]]:
    """(flags, date of the "yes") for the red-flag questions ``visit`` answers "no" that the
    records of ``case`` answer "yes" on or before the visit's date (the latest answer standing:
    a stored "no" in between ends it; a "yes" of the visit's own date wins over an earlier one).
    Grouped by the date of the "yes", earliest first."""
    noes = [k for k, a in visit.red_flags.items() if a == "no"]
    if not noes:
        return []
    since: dict[str, dt.date] = {k: case.intake.visit_date for k, a in case.intake.red_flags.items() if a == "yes"}
    for v in case.visits:
        if v.date > visit.date:
            continue
        for k, a in v.red_flags.items():
            if a == "yes":
                since.setdefault(k, v.date)
                if v.date == visit.date:
                    since[k] = v.date
            elif a == "no":
                since.pop(k, None)
    by_day: dict[dt.date, list[str]] = {}
    for k in noes:
        if k in since:
            by_day.setdefault(since[k], []).append(k)
    return [(tuple(sorted(flags)), day) for day, flags in sorted(by_day.items())]


def same_day_red_flag_noes(case: Case, visit) -> tuple[str, ...]:
    """The red-flag questions ``visit`` answers "no" that a record of ``case`` of the visit's
    own date answers "yes": not cleared without an explicit correction (the rule above)."""
    return tuple(f for flags, day in red_flag_noes_against_yes(case, visit) if day == visit.date for f in flags)


def red_flag_tier(flag: str):
    """The tier the red-flag question answered "yes" on its own raises (the triage rules:
    resources/rules/red_flags.toml, e.g. saddle anaesthesia: EMERGENCY, NICE NG59 / GIRFT)."""
    from radiculopathy_desktop.domain.triage import triage
    return triage({flag: "yes"}, {}).tier


def red_flags_with_tiers(flags) -> str:
    """ "Saddle anaesthesia ... (EMERGENCY)": each flag named with the tier it raises on its own."""
    from radiculopathy_desktop.domain.vocab import Tier

    out = []
    for flag, label in zip(flags, red_flag_labels(flags)):
        tier = red_flag_tier(flag)
        out.append(label if tier == Tier.ROUTINE else f"{label} ({Tier(tier).value.upper()})")
    return "; ".join(out)


def same_day_red_flag_refusal(case: Case, visit, option: str) -> str | None:
    """The words refusing ``visit`` (nothing saved) when it answers "no" a red flag answered
    "yes" on its own date and no correction was given (``option``: how to give it); None when
    the rule does not apply."""
    flags = same_day_red_flag_noes(case, visit)
    if not flags:
        return None
    return (f"nothing was saved: this visit of {visit.date.isoformat()} answers no to the red flag(s) "
            f"{red_flags_with_tiers(flags)} that a record of the same date answers yes; the order of the two "
            f"is not known, so the yes stands. If the yes was a mistake or has been assessed and you are "
            f"correcting it, give {option}.")


def red_flag_correction_note(flags, day: dt.date, by: str | None) -> str:
    """The line a corrected visit keeps in its notes: which red flags answered "yes" on ``day``
    were corrected to "no", and by whom."""
    who = by or "the clinician"
    return (f"Red-flag correction: {red_flags_with_tiers(flags)} answered yes on {day.isoformat()} "
            f"corrected to no by {who} (the yes was a mistake or has been assessed).")


def with_red_flag_correction(case: Case, visit, by: str | None):
    """``visit`` with :func:`red_flag_correction_note` added to its notes when it clears a
    same-day "yes" of ``case`` (unchanged otherwise)."""
    flags = same_day_red_flag_noes(case, visit)
    if not flags:
        return visit
    note = red_flag_correction_note(flags, visit.date, by)
    return replace(visit, notes=f"{visit.notes}\n{note}" if visit.notes else note)
