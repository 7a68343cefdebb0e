"""One assessment of one case on one date: everything the clinician sees, with sources.

:func:`assess_case` is what the window shows, the ``assess`` command prints and the
tracker stores at each visit. It composes the single-purpose rules (triage, root
level, phase, pathway, imaging, medicines, instruments, surgical review); it adds
no clinical rule of its own. The JSON form is described by
``resources/schemas/assessment.schema.json``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from itertools import compress

from radiculopathy_desktop import __version__
from radiculopathy_desktop.domain.build import fast_init, replaced
from radiculopathy_desktop.domain.followup import SurgicalReview, Triaged, surgical_review
from radiculopathy_desktop.domain.guideline import PathwayContext, PathwayResult, evaluate_pathway, load_guideline
from radiculopathy_desktop.domain.instruments import InstrumentScores, score_intake
from radiculopathy_desktop.domain.intake import Case
from radiculopathy_desktop.domain.medications import MedicationReport, MedicineMemo, assess_medications
from radiculopathy_desktop.domain.medicine_alerts import MedicineAlert, medicine_alerts
from radiculopathy_desktop.domain.pathway_medicines import (
    annotate_pathway, treatment_codes_by_medicine, treatments_to_review,
)
from radiculopathy_desktop.domain.monitoring import MonitoringPoint, monitoring_plan, next_visit_decision
from radiculopathy_desktop.domain.phase import Phase, phase_of
from radiculopathy_desktop.domain.pitfalls import RaisedCheck, find_pitfalls
from radiculopathy_desktop.domain.roots import RootSuggestion, suggest_roots
from radiculopathy_desktop.domain.settings import ReviewSettings, default_review_settings
from radiculopathy_desktop.domain.triage import TriageResult, triage_case
from radiculopathy_desktop.domain.monitoring import is_older_patient
from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS, SPECIAL_CONSIDERATIONS
from radiculopathy_desktop.errors import UserError

#: The oldest age the engine reasons about (the guideline pathway's own limit).
MAX_AGE_YEARS = 130


class ImpossibleAgeError(UserError, ValueError):
    """The assessment date makes the patient older than anyone can be: a wrong date."""

ASSESSMENT_FORMAT = "radiculopathy-desktop/assessment"
ASSESSMENT_FORMAT_VERSION = 1
DISCLAIMER = ("Decision support only: it informs and does not replace clinical judgement. "
              "Check every recommendation against the patient in front of you.")


@fast_init
@dataclass(frozen=True)
class Assessment:
    case: Case
    as_of: dt.date
    profile: str
    triage: TriageResult
    roots: RootSuggestion
    phase: Phase
    pathway: PathwayResult
    medications: MedicationReport
    instruments: InstrumentScores
    surgical_review: SurgicalReview
    red_flags: dict[str, str]
    warnings: tuple[str, ...] = field(default=())
    #: common-pitfall checks the record suggests (domain/pitfalls.py), clinician-facing
    checks: tuple[RaisedCheck, ...] = field(default=())
    #: what to reassess and watch at follow-up, and the next visit (domain/monitoring.py)
    monitoring: tuple[MonitoringPoint, ...] = field(default=())
    next_visit: dt.date | None = None

    @property
    def content_version(self) -> str:
        return self.pathway.content_version

    @property
    def medicine_alerts(self) -> tuple[MedicineAlert, ...]:
        """Current medicines to stop, change or reduce (from the medicine report; every surface shows these)."""
        return medicine_alerts(self.medications)

    def to_dict(self) -> dict:
        intake = self.case.intake
        return {
            "format": ASSESSMENT_FORMAT,
            "format_version": ASSESSMENT_FORMAT_VERSION,
            "app_version": __version__,
            "case_id": self.case.case_id,
            "as_of": self.as_of.isoformat(),
            "guideline": {"profile": self.profile, "content_version": self.pathway.content_version,
                          "reviewed": self.pathway.content_reviewed.isoformat()},
            "disclaimer": DISCLAIMER,
            "warnings": list(self.warnings),
            "medicine_alerts": [m.to_dict() for m in self.medicine_alerts],
            "patient": _patient_dict(self.case, self.as_of),
            "red_flag_screen": [
                {"question": key, "label": label, "answer": self.red_flags.get(key, "unknown")}
                for key, label in RED_FLAG_QUESTIONS.items()
            ],
            "triage": self.triage.to_dict(),
            "root_level": self.roots.to_dict(),
            "phase": self.phase.to_dict(),
            # a class the medicine table rules out for this patient is marked on its recommendation
            # and a class the patient already takes turns its recommendation into a review
            "pathway": annotate_pathway(self.pathway.to_dict(), self.medications, load_guideline(self.profile)),
            "imaging": self.pathway.imaging.to_dict(),
            "medications": self.medications.to_dict(),
            "instruments": self.instruments.to_dict(),
            "improvement": self.surgical_review.improvement.to_dict(),
            "surgical_review": self.surgical_review.to_dict(),
            "recorded_for_pathway": _recorded_for_pathway(self),
            "checks": [c.to_dict() for c in self.checks],
            "monitoring": {"next_visit": self.next_visit.isoformat() if self.next_visit else None,
                           "items": [m.to_dict() for m in self.monitoring]},
        }


def treatments_taken_now(report: MedicationReport) -> frozenset[str]:
    """The treatment codes (``nsaid``, ``oral_corticosteroid``...) of the medicines the patient
    takes now, by DRUG CLASS in the medicine data: a row of the medicine table takes it
    (ibuprofen on the ibuprofen row), or a current medicine is of the row's class
    (dexamethasone, methylprednisolone or hydrocortisone is a systemic corticosteroid like the
    prednisone row, so the patient is "taking an oral corticosteroid"; celecoxib is an NSAID).
    A medicine recorded as given by injection (Depo-Medrol, "dexamethasone injection") is not
    taken by mouth and does not count (medicine data ``[injected_forms]``). The pathway, the
    pitfalls and the handout picker then agree on what the patient is on."""
    return frozenset(c for codes in treatment_codes_by_medicine(report).values() for c in codes)


def _recorded_for_pathway(a: "Assessment") -> dict:
    """The intake facts that shape the pathway's cautions (pain classification, special
    considerations), so a reader of the JSON sees why a caution appears."""
    c = a.case.intake.conditions
    return {
        "pain_classification": list(c.pain_classification),
        "special_considerations": {k: c.has(k) for k in SPECIAL_CONSIDERATIONS},
        "older_patient": is_older_patient(a.case.intake.patient.age_on(a.as_of)),
    }


def _pain_mainly_axial(leg_nrs, back_nrs) -> bool | None:
    """Back pain rated higher than leg pain; None when either score is not recorded."""
    if leg_nrs is None or back_nrs is None:
        return None
    return back_nrs > leg_nrs


def assess_case(case: Case, as_of: dt.date, profile: str = "us",
                settings: ReviewSettings | None = None, *, memo: MedicineMemo | None = None) -> Assessment:
    """Assess ``case`` as it stood on ``as_of`` (visits after it are not counted).

    ``memo``: a batch's record of what each recorded medicine's text means (:class:`AssessmentBatch`
    passes its own); the assessment is the same with or without it."""
    s = settings or default_review_settings()
    intake = case.intake
    warnings: list[str] = []
    if as_of < intake.visit_date:
        warnings.append(f"as_of {as_of.isoformat()} is before the intake visit ({intake.visit_date.isoformat()}): "
                        "the assessment is shown as of the intake visit.")
        as_of = intake.visit_date

    flags, power = case.red_flags_as_of(as_of), case.power_as_of(as_of)
    age = intake.patient.age_on(as_of)
    if age is not None and age > MAX_AGE_YEARS:
        raise ImpossibleAgeError(
            f"On {as_of.isoformat()} this patient would be {age} years old, which is not possible. Check the "
            "assessment date (--as-of) and the birth date or age in the case.", exit_code=2)
    tri = triage_case(case, as_of, red_flags=flags, power=power)
    exam = intake.examination
    roots = suggest_roots(intake.regions, power=power, reflexes=exam.reflexes,
                          femoral_stretch=exam.femoral_stretch, slr=exam.slr)
    phase = phase_of(intake.onset_date, as_of)
    review = surgical_review(case, as_of, s, triaged=Triaged(as_of, flags, power, tri))  # the triage above, not again
    instruments = score_intake(intake)
    # red flags raised at visits count too (Case.intake_as_of); when the visits changed no
    # answer, the intake itself is that intake (no copy to make)
    # as is a pregnancy recorded (or ended) at a visit on or before as_of
    update = case.pregnancy_update_as_of(as_of)
    standing = (intake if flags == intake.red_flags and update is None
                else replace(intake, red_flags=flags, pregnancy_update=update))
    meds = assess_medications(standing, as_of, profile=profile, memo=memo)

    codes_of = treatment_codes_by_medicine(meds)
    current = frozenset(c for codes in codes_of.values() for c in codes)  # treatments_taken_now
    tried = case.all_treatments(until=as_of)
    ctx = PathwayContext(
        phase=phase.name,
        days_since_onset=max((as_of - intake.onset_date).days, 0),
        days_since_care_start=max((as_of - intake.care_start_date).days, 0),
        tier=tri.tier,
        red_flag_categories=frozenset(tri.categories),
        start_back_risk=instruments.start_back.risk if instruments.start_back else None,
        treatments_tried=frozenset(t.code for t in tried) | current,
        improving=review.improvement.improving,
        would_consider_intervention=intake.would_consider_intervention,
        age=age,
        prior_lumbar_surgery=intake.prior_lumbar_surgery,
        treatments_current=current,
        pain_classification=frozenset(intake.conditions.pain_classification),
        # the considerations recorded as present (Conditions.has(k) is flags.get(k)), selected in C
        special_considerations=frozenset(compress(SPECIAL_CONSIDERATIONS,
                                                  map(intake.conditions.flags.get, SPECIAL_CONSIDERATIONS))),
        pain_mainly_axial=_pain_mainly_axial(*_latest_pain(case, as_of)),
        treatments_to_review=treatments_to_review(meds, codes_of),
    )
    guideline = load_guideline(profile)
    pathway = surgical_step_follows_review(evaluate_pathway(guideline, ctx), review, case, as_of)
    checks = find_pitfalls(guideline, treatments=tried, days_since_care_start=ctx.days_since_care_start,
                           start_back_risk=ctx.start_back_risk, improving=ctx.improving, tier=tri.tier,
                           current=current)
    # path33: after a referral what follows is the surgical opinion, not a routine next visit;
    # window35: nor while an emergency or urgent red flag stands (its action is now or the same day);
    # redflag36 (H-PATH-913): the one decision the visit form and the handouts use too
    visit = next_visit_decision(case, as_of, triage=tri, review=review, guideline=guideline)
    referred_on, red_flag, next_visit = visit.referred_on, visit.red_flag, visit.date
    monitoring = monitoring_plan(
        guideline, age=age, improving=ctx.improving, treatments_tried=ctx.treatments_tried,
        imaged="imaging_mri" in ctx.treatments_tried,
        neuro_worsening=bool(ctx.red_flag_categories & {"progressive_deficit", "severe_motor_deficit"}),
        next_visit=next_visit, taking_now=current, referred_on=referred_on,
        # path34: an emergency or urgent red flag leads the monitoring (window35: with or without a referral)
        red_flag=red_flag)
    return Assessment(case, as_of, profile, tri, roots, phase, pathway, meds, instruments, review,
                      flags, tuple(warnings), checks, monitoring, next_visit)


def referral_awaited(case: Case, as_of: dt.date) -> dt.date | None:
    """The date of the referral for a surgical opinion when it is the case's latest decision on
    ``as_of`` (the decision :func:`surgical_step_lead` reads as the step done); None otherwise."""
    from radiculopathy_desktop.domain.vocab import DecisionKind

    decided = [d for d in case.decisions if d.date <= as_of]
    if decided and decided[-1].kind == DecisionKind.REFERRED_FOR_SURGICAL_OPINION:
        return decided[-1].date
    return None


#: The ladder's step whose timing the follow-up module's review clock keeps (the guidelines'
#: evidence note on the step: "the surgical review clock (6-12 weeks, configurable) is kept by the
#: follow-up module"; NICE NG59 1.3: consider decompression when non-surgical care has not improved
#: pain or function): its state on the case page follows that clock and the decisions recorded.
SURGICAL_STEP = "surgical_opinion"


def surgical_step_follows_review(pathway: PathwayResult, review: SurgicalReview, case: Case,
                                 as_of: dt.date) -> PathwayResult:
    """The pathway with its surgical-opinion step made to agree with the review status: one fact
    for both, for every status of :class:`~radiculopathy_desktop.domain.vocab.ReviewStatus`
    (window31 did due/overdue and a referral; surgstep the rest, H-FU-903..906, H-PATH-900..902).
    The step's first reason is the status's own (:func:`surgical_step_lead`), so the page shows
    why it is Now, Later or Not now; the ladder's reasons (MRI first, the guideline's entry
    criteria) follow it:

    * a referral for a surgical opinion recorded on or before ``as_of`` (the last decision): done,
      saying the referral and its date (the status says "Closed: referred ...");
    * due or overdue: now ("current"), led by "Review due/overdue now"; a guideline entry criterion
      not met is said as what to check at this review, with its source (uk: NICE NG59's condition
      that non-surgical treatment has not improved pain or function), not as "Not yet indicated"
      beside "Now";
    * closed by "patient declined" or "resolved or discharged": not now, naming the decision and its date;
    * resolved by the scores (not due): not now, not indicated because resolved;
    * snoozed: later, naming the clinician's decision and the date the review comes back;
    * not due or upcoming by the clock: later, saying the date the review window opens (the
      6-12 week window of the review settings, with their source) and why;
    * improving: later, conservative care has not failed;
    * needs follow-up, ask red flags: later, saying what must be done first.

    Red flags overriding the ladder, a step the patient would not consider (not applicable) and
    a step already tried (surgery or a surgical opinion recorded as a treatment) are left as the
    ladder says."""
    if pathway.overridden_by_red_flags:
        return pathway
    lead = surgical_step_lead(review, case, as_of)
    if lead is None:
        return pathway
    state, first = lead
    consider = case.intake.would_consider_intervention
    referred = state == "done"
    steps = []
    for result in pathway.steps:
        if result.id == SURGICAL_STEP:
            ladder_first = result.why[0] if result.why else ""
            if referred and result.state != "done":
                # pathstep31: a referral with no MRI on record though the ladder puts imaging
                # first is said, not blocked (the clinician decided)
                no_mri = ((_NO_MRI,) if ladder_first.startswith(_NEEDS_FIRST) and
                          not any(t.code == "imaging_mri" for t in case.all_treatments(until=as_of)) else ())
                result = replaced(result, state="done", why=(first, *no_mri))
            elif state == "current" and result.state == "not_applicable" and consider == "no":
                # pathstep31: the review is due and the patient said no to surgery: still due (the
                # clinician discusses it), the patient's wish named, the decision to record said
                result = replaced(result, state="current", why=(first, _WOULD_NOT_CONSIDER, *result.why[1:]))
            elif result.state in ("current", "next", "later"):
                why = result.why
                if state == "current":
                    why = tuple(_at_this_review(w, result) for w in why)
                    if consider == "unknown":  # pathstep31: the missing answer that blocks imaging
                        why = (_ASK_CONSIDER, *why)
                result = replaced(result, state=state, why=(first, *why))
        elif referred and result.state in ("current", "next"):
            # pathstep31: after a referral no other step is "Now" unless the clinician continues it
            result = replaced(result, state="later", why=(_on_hold(first), *result.why))
        steps.append(result)
    surgical = next((s for s in steps if s.step.id == SURGICAL_STEP), None)
    due = surgical is not None and surgical.state == "current"
    if due:
        # path33: the review due makes the surgical-opinion step Now; the ladder's own Now step is
        # not Now beside it, unless it goes with every step (self-care) or the surgical step needs it
        # first (imaging), which says why
        steps = [_beside_due_review(s, surgical) if s.state == "current" and s is not surgical else s
                 for s in steps]
    steps = tuple(steps)
    # pathstep31 (surgstep's "noticed"): the current step is the one the states say is Now; after a
    # referral, the referral; path33: with the review due, the surgical opinion (the decision to
    # make), or first the step it needs done first when that is Now beside it (us: the MRI; rd13)
    pre = surgical.step.needs_first if due else None
    first_needed = (pre.step_id if pre is not None and pre.blocks
                    and any(s.step.id == pre.step_id and s.state == "current" for s in steps) else None)
    current = (SURGICAL_STEP if referred else first_needed or SURGICAL_STEP if due
               else next((s.id for s in steps if s.state == "current"), None))
    return replaced(pathway, steps=steps, current_step_id=current, resume_step_id=current)


#: The ladder's words for a blocking prerequisite (guideline: "Needs step N (Imaging) first: ...").
_NEEDS_FIRST = "Needs step "
_NO_MRI = ("No MRI is on record: the pathway puts imaging before a surgical opinion. The referral is "
           "recorded as decided; send any imaging done, or say it is still to be done, with the referral.")
_WOULD_NOT_CONSIDER = ("The patient has said they would not consider surgery (recorded): discuss a surgical "
                       "opinion at this review. If that stands, record the decision \"patient declined\"; "
                       "if it has changed, update the answer and decide about a referral.")
_ASK_CONSIDER = ("Ask whether the patient would consider an injection or surgery: it is not recorded, and "
                 "imaging (which comes before a surgical opinion) is not indicated until it is. If yes, "
                 "imaging first; if no, record the decision \"patient declined\".")


#: path33: the steps that go with every step of the ladder, so stay Now beside a surgical review
#: that is due: self-care (NICE NG59 "support self-management at every step", the uk step's
#: summary; the us step's summary: tell the patient which symptoms need urgent help).
_ALONGSIDE_STEPS = frozenset({"self_care"})
#: How the ladder says a tried step is Now because no later one is indicated (guideline.py).
_CONTINUING = "No later step is indicated yet: continue this step and review"
_NOT_TRIED = "Not tried yet in this episode"


def _beside_due_review(result, surgical):
    """A step the ladder made Now while the surgical review is due (path33: "Injections [current]"
    beside "Surgical opinion [current]"): only one step is Now, the review's decision.

    * a step that goes with every step (:data:`_ALONGSIDE_STEPS`) stays Now and says why, and so does
      the step the surgical step needs first (us: imaging, which the guideline puts before it); one
      it does not need first (uk: the specialist decides on imaging) is Next, in the data's words;
    * a step already tried, Now only because no later step was indicated: tried ("Tried: review"
      when a medicine of it taken now needs review), continued or not as the review decides;
    * a step not tried yet: Next, the non-surgical option the review weighs against a referral."""
    order, title = surgical.step.order, surgical.step.title
    why = tuple(w for w in result.why if w not in (_CONTINUING, _NOT_TRIED))
    now = f"Step {order} ({title}) is Now: the review is due."
    if result.step.id in _ALONGSIDE_STEPS:
        return replaced(result, why=(
            f"Now together with step {order} ({title}), the review due: this step goes with every step of "
            "the pathway (self-management, staying active, which symptoms need urgent help).", *result.why))
    pre = surgical.step.needs_first
    if pre is not None and pre.step_id == result.step.id and _CONTINUING not in result.why:
        if pre.blocks:  # the guideline puts this step (us: MRI) before a surgical opinion: together
            return replaced(result, why=(
                f"Now together with step {order} ({title}), the review due: the pathway puts this step "
                f"before a surgical opinion (see step {order}).", *result.why))
        # not needed before the referral (uk, NICE 1.1.5): not Now; the data's words say why
        return replaced(result, state="next", why=(f"{now} {pre.text}", *why))
    if _CONTINUING in result.why:
        state = "review" if why and why[0].startswith("Review: ") else "done"
        return replaced(result, state=state, why=(*why[:1], (
            f"{now} It decides whether this care goes on (record \"continue conservative care\") or a "
            "surgical opinion is sought."), *why[1:]))
    return replaced(result, state="next", why=(
        f"Not tried yet. {now} If it decides to continue conservative care, offer this step next (record "
        "\"continue conservative care\").", *why))


def _on_hold(referred: str) -> str:
    return (f"{referred.split(' (')[0]}: this step is not Now while the referral is pending; "
            "continue it only if you decide to.")


#: How the ladder words an entry criterion not met (guideline._entry_met): beside "Now" (the
#: review is due) it is said as what to check at this review, not as "Not yet indicated".
_NOT_YET = "Not yet indicated; needed: "


def _at_this_review(why: str, result) -> str:
    if not why.startswith(_NOT_YET):
        return why
    cited = "; ".join(s.label for s in result.step.sources)
    return (f"At this review, check the guideline's condition before a referral: {why[len(_NOT_YET):]}. "
            f"If it is not met, review the non-surgical care (what was tried, whether it helped) and record it"
            + (f" ({cited})" if cited else "") + ".")


def _day_words(day: int) -> str:
    """ "day 42, 6 weeks" (the weeks only when the day is a whole week)."""
    return f"day {day}, {day // 7} weeks" if day % 7 == 0 else f"day {day}"


def surgical_step_lead(review: SurgicalReview, case: Case, as_of: dt.date) -> tuple[str, str] | None:
    """The surgical-opinion step's state and first reason that the review status on ``as_of``
    gives (:func:`surgical_step_follows_review`), or None when the status leaves the ladder's
    state (a red flag standing: the red-flag route overrides every step)."""
    from radiculopathy_desktop.domain.citations import clinical_text  # the source without reviewer notes
    from radiculopathy_desktop.domain.settings import review_rule_sources
    from radiculopathy_desktop.domain.vocab import DecisionKind, ReviewStatus

    status = review.status
    facts = review.facts
    decided = [d for d in case.decisions if d.date <= as_of]
    last = decided[-1] if decided else None
    if last is not None and last.kind == DecisionKind.REFERRED_FOR_SURGICAL_OPINION:
        return "done", f"Referred for a surgical opinion on {last.date.isoformat()} (decision recorded)"
    if status in (ReviewStatus.DUE, ReviewStatus.OVERDUE):
        return "current", f"Review {'overdue' if status == ReviewStatus.OVERDUE else 'due'} now: {review.reason}"
    if status == ReviewStatus.CLOSED and last is not None:
        on = last.date.isoformat()
        if last.kind == DecisionKind.PATIENT_DECLINED:
            return "not_applicable", (f"Not now: the patient declined a surgical opinion on {on} (decision "
                                      "recorded); revisit if the patient's wish or the symptoms change.")
        return "not_applicable", (f"Not indicated: resolved or discharged on {on} (decision recorded); "
                                  "a new episode starts the review again.")
    if status == ReviewStatus.SNOOZED:
        by = last.by if last is not None and last.by else "the clinician"
        until = facts.continue_until.isoformat()
        return "later", (f"Reviewed again on {until}: {by} decided on {facts.last_decision_date.isoformat()} to "
                         f"continue conservative care until then (decision recorded). Red flags at any visit "
                         "override this.")
    if status == ReviewStatus.NOT_DUE and facts.resolved and as_of >= case.intake.visit_date:
        return "not_applicable", f"Not indicated: resolved. {review.reason}"
    if status in (ReviewStatus.NOT_DUE, ReviewStatus.UPCOMING):
        s = review.settings
        return "later", (f"Not due yet: {review.reason} The surgical review falls due on "
                         f"{review.window_opens.isoformat()} ({_day_words(s.window_start_day)} of conservative care) "
                         f"and is overdue after {review.window_closes.isoformat()} ({_day_words(s.window_end_day)}). "
                         f"Review window: {clinical_text(review_rule_sources()['window']).rstrip('.')}.")
    if status == ReviewStatus.IMPROVING:
        return "later", f"Not indicated while improving: {review.reason}"
    if status == ReviewStatus.NEEDS_FOLLOW_UP:
        return "later", f"A scored follow-up first: {review.reason}"
    if status == ReviewStatus.ASK_RED_FLAGS:
        return "later", f"The red-flag questions first: {review.reason}"
    return None  # immediate: the red-flag route


class AssessmentBatch:
    """Many assessments in a row (the ``assess`` command over a file of cases, a benchmark),
    each the same, byte for byte, as :func:`assess_case` gives alone (issue 17).

    What depends only on a recorded medicine's text and dose and the loaded data (which
    medicine a typed name is, how its dose is read, the close name suggested for one not
    recognised) is worked out once per batch (:class:`MedicineMemo`, bounded at
    ``medicine_limit`` entries); nothing of a patient is kept from one assessment to the next.
    Make one per batch and drop it after: it holds the texts it met."""

    __slots__ = ("memo",)

    def __init__(self, medicine_limit: int = 4096) -> None:
        self.memo = MedicineMemo(medicine_limit)

    def assess(self, case: Case, as_of: dt.date, profile: str = "us",
               settings: ReviewSettings | None = None) -> Assessment:
        return assess_case(case, as_of, profile, settings, memo=self.memo)


def assess_many(cases, as_of: dt.date, profile: str = "us",
                settings: ReviewSettings | None = None) -> list[Assessment]:
    """:func:`assess_case` of each case in ``cases`` on ``as_of``, in order, as one
    :class:`AssessmentBatch`."""
    memo = MedicineMemo()
    return [assess_case(case, as_of, profile, settings, memo=memo) for case in cases]


def _latest_pain(case: Case, as_of: dt.date) -> tuple:
    """Leg and back pain at the latest visit on or before ``as_of`` that recorded both, else the intake's."""
    for v in reversed(case.visits_on_or_before(as_of)):
        if v.leg_nrs is not None and v.back_nrs is not None:
            return v.leg_nrs, v.back_nrs
    i = case.intake
    return i.leg_nrs, getattr(i, "back_nrs", None)


def _patient_dict(case, as_of: dt.date) -> dict:
    """The assessment's patient: age and pregnancy on ``as_of`` (the weeks recorded at the intake,
    or at the latest visit recording a pregnancy on or before ``as_of``, moved on by the whole
    weeks since; docs/assessment-output.md)."""
    intake = case.intake
    out = {"age": intake.patient.age_on(as_of), "sex": intake.patient.sex, "pregnancy_weeks": None}
    status = case.pregnancy_status(as_of)
    pregnancy = status.on_date
    if pregnancy is not None:
        out["pregnancy_weeks"] = pregnancy.weeks
        out["pregnancy_recorded"] = {"weeks": pregnancy.recorded_weeks, "date": pregnancy.recorded_on.isoformat()}
        if pregnancy.at_visit:
            out["pregnancy_recorded"]["at"] = "visit"
        if pregnancy.beyond_plausible_end:
            out["pregnancy_note"] = pregnancy.ask_text
    elif status.answer == "no" and status.at_visit:
        out["pregnancy_recorded"] = {"at": "visit", "date": status.recorded_on.isoformat(),
                                     **({"ended_on": status.ended_on.isoformat()} if status.ended_on else {})}
    out["pregnant"] = status.answer
    return out
