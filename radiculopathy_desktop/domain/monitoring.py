"""Monitoring at follow-up: what to reassess, when to adjust the plan, which side effects
to ask about, when to image again, and when the next visit should be.

Seed summary 2 asks for regular reassessment of pain and function, adjusting the plan to
the response, watching for medicine side effects (especially in older patients), imaging
again only if neurological symptoms worsen, and more frequent follow-up for older
patients. The words and sources are reviewed content (``[[monitoring]]`` in each guideline
profile); this module applies them to one patient on one date.

Pure Python: no Qt, no clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from radiculopathy_desktop.domain.build import fast_init
from radiculopathy_desktop.domain.guideline import (FollowUpInterval, Guideline, Source, _profile_names, cited_dict,
                                                    load_guideline)
from radiculopathy_desktop.domain.vocab import DecisionKind
from radiculopathy_desktop.domain.vocabulary import OLDER_PATIENT_AGE, TAKING_NOW_LABELS, TREATMENTS, clinic_date

#: interval36 (H-FU-917): the gaps to the next visit are reviewed data, not constants here: the profile's
#: ``follow_up_interval`` monitoring item (``standard_interval_days``: the app's default gap once the review
#: window is open, no guideline sets one; ``older_max_interval_days``: the longest gap at 65 or over, after
#: seed summary 2's "more frequent follow-up"), each with its basis; ``Guideline.follow_up`` holds them.
#: The functions below take the caller's ``guideline`` (or ``profile``; default "us", as ``assess_case``).


def follow_up_interval(guideline: Guideline | None = None, profile: str = "us") -> FollowUpInterval:
    """The follow-up interval's numbers of ``guideline`` (else of the loaded ``profile``)."""
    g = guideline if guideline is not None else load_guideline(profile)
    if g.follow_up is None:  # pragma: no cover - the loader always sets it
        raise ValueError(f"guideline profile {g.profile!r} has no follow-up interval")
    return g.follow_up


def _weeks_or_days(days: int) -> str:
    """"2 weeks" for 14, "1 week" for 7, else "10 days" (the interval in the words the app printed)."""
    if days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"

#: Medicine classes (treatment codes) whose side effects are asked about at a visit.
MEDICINE_CODES = frozenset({"nsaid", "acetaminophen", "muscle_relaxant", "gabapentinoid", "oral_corticosteroid",
                            "opioid"})


def is_older_patient(age: int | None) -> bool:
    """65 or over (Beers Criteria age); unknown age is not treated as older."""
    return age is not None and age >= OLDER_PATIENT_AGE


def next_follow_up(default: dt.date, as_of: dt.date, age: int | None, *, guideline: Guideline | None = None,
                   profile: str = "us") -> dt.date:
    """The next visit to suggest: ``default`` (the review-window opening or the standard interval),
    brought forward to at most the profile's ``older_max_interval_days`` for a patient aged 65 or over."""
    if is_older_patient(age):
        days = follow_up_interval(guideline, profile).older_max_days
        return min(default, as_of + dt.timedelta(days=days))
    return default


def suggested_next_visit(case, as_of: dt.date, review=None, *, guideline: Guideline | None = None,
                         profile: str = "us") -> dt.date:
    """The next visit date to suggest when the clinic gives none.

    A "continue conservative care until" date not yet reached; otherwise the day the
    surgical-review window opens if that is still ahead; otherwise the profile's
    ``standard_interval_days`` from ``as_of``. For a patient aged 65 or over, never more than
    its ``older_max_interval_days`` away (interval36: the numbers are the ``guideline``'s data, else
    the loaded ``profile``'s). ``review`` is the case's ``followup.SurgicalReview`` on ``as_of``
    when the caller already has it.
    """
    if review is None:
        from radiculopathy_desktop.domain.followup import surgical_review

        review = surgical_review(case, as_of)
    until = review.facts.continue_until
    if review.facts.last_decision_kind == DecisionKind.CONTINUE_CONSERVATIVE_CARE and until and until > as_of:
        default = until
    elif review.window_opens > as_of:
        default = review.window_opens
    else:
        default = as_of + dt.timedelta(days=follow_up_interval(guideline, profile).standard_days)
    return next_follow_up(default, as_of, case.intake.patient.age_on(as_of), guideline=guideline, profile=profile)


#: redflag36 (H-FU-914, H-PATH-913): what :func:`next_visit_decision` decides. ``routine``: a next visit is
#: suggested (the follow-up interval rule); ``red_flag_now``: an emergency or urgent red flag stands (the
#: triage tier), so no routine next visit: act on it now (with or without a referral recorded);
#: ``awaiting_opinion``: a referral for a surgical opinion is the last decision and no red flag stands.
NEXT_VISIT_ROUTINE = "routine"
NEXT_VISIT_RED_FLAG_NOW = "red_flag_now"
NEXT_VISIT_AWAITING_OPINION = "awaiting_opinion"

#: The triage tiers under which no routine next visit is suggested: every action of an emergency or urgent
#: red-flag rule (resources/rules/red_flags.toml: cauda equina, NICE NG59 / CKS sciatica red flags) is for
#: now or the same day.
RED_FLAG_TIERS = frozenset({"emergency", "urgent"})


def next_visit_kind(tier: str, referred: bool) -> str:
    """redflag36 (H-FU-914): the ONE rule of whether a routine next visit is suggested, from the triage
    tier and whether a referral for a surgical opinion is awaited. A red flag comes first (it overrides
    every clock, a referral too); then the referral (the surgical opinion is what follows, path33); else
    routine. Never from the handout sheets chosen: the sheets follow the tier, not the other way round."""
    if str(getattr(tier, "value", tier)) in RED_FLAG_TIERS:
        return NEXT_VISIT_RED_FLAG_NOW
    return NEXT_VISIT_AWAITING_OPINION if referred else NEXT_VISIT_ROUTINE


@fast_init
@dataclass(frozen=True)
class NextVisit:
    """redflag36: the next-visit decision for one case on one date, shared by the assessment (case page,
    pathway, text report), the visit form, the handout dialog and the ``handout`` command."""

    kind: str
    tier: str  # the triage tier it was decided from ("emergency", "urgent", "routine")
    headline: str  # the triage headline ("" when routine)
    referred_on: dt.date | None  # the referral for a surgical opinion awaited, if any
    date: dt.date | None  # the suggested routine next visit (only when kind is routine)
    age: int | None
    #: interval36 (H-FU-917): the profile's follow-up interval the date and the words come from
    follow_up: FollowUpInterval | None = None

    @property
    def red_flag(self) -> str | None:
        """The triage's heading ("EMERGENCY - act now", "URGENT - same day") under a red flag, else None."""
        from radiculopathy_desktop.domain.vocab import Tier
        return Tier(self.tier).action_label if self.kind == NEXT_VISIT_RED_FLAG_NOW else None

    @property
    def routine(self) -> bool:
        return self.kind == NEXT_VISIT_ROUTINE

    def visit_line(self) -> str:
        """What the follow-up visit form says about the next visit (H-UI-547): the same decision and the
        same interval words as the case page's monitoring."""
        if self.kind == NEXT_VISIT_RED_FLAG_NOW:
            from radiculopathy_desktop.domain.vocab import Tier
            line = (f"{Tier(self.tier).label} red flag ({self.headline}): no routine next visit; act on the red "
                    "flag now, as the urgency says, and arrange follow-up once it has been assessed.")
            if self.referred_on is not None:
                line += (f" The referral for a surgical opinion ({clinic_date(self.referred_on)}) does not "
                         "replace or delay that action.")
            return line
        if self.kind == NEXT_VISIT_AWAITING_OPINION:
            return (f"Referred for a surgical opinion on {clinic_date(self.referred_on)}: no routine next visit is "
                    "booked here; the patient waits for the surgical opinion (sooner if worse).")
        return follow_up_interval_detail(self.age, self.date, interval=self.follow_up)


def follow_up_interval_detail(age: int | None, next_visit: dt.date | None, *, guideline: Guideline | None = None,
                              profile: str = "us", interval: FollowUpInterval | None = None) -> str:
    """The follow-up interval item's sentence for this patient (the case page's monitoring and the visit
    form say the same): the interval rule of :func:`suggested_next_visit`, and the date it gives, in the
    numbers of ``interval`` (else the ``guideline``'s, else the loaded ``profile``'s; interval36)."""
    fu = interval if interval is not None else follow_up_interval(guideline, profile)
    when = f" Suggested next visit: {clinic_date(next_visit)}." if next_visit is not None else ""
    return (f"Age {age}: next visit within {fu.older_max_days} days at most." if is_older_patient(age)
            else "Next visit when the review window opens, or within "
                 f"{_weeks_or_days(fu.standard_days)} once it is open.") + when


def next_visit_decision(case, as_of: dt.date, *, triage=None, review=None, guideline: Guideline | None = None,
                        profile: str = "us") -> NextVisit:
    """redflag36 (H-FU-914, H-PATH-913): whether a routine next visit is suggested for ``case`` on
    ``as_of`` and which, from the triage tier (``triage``: the caller's ``TriageResult`` of the case on
    ``as_of``, e.g. the assessment's, or the visit form's with the answers as typed; else
    ``triage.triage_case``) and the referral awaited (``assess.referral_awaited``): :func:`next_visit_kind`;
    the routine date is :func:`suggested_next_visit`'s, from the ``guideline``'s follow-up interval (else
    the loaded ``profile``'s; interval36, H-FU-917)."""
    from radiculopathy_desktop.domain.assess import referral_awaited

    if triage is None:
        from radiculopathy_desktop.domain.triage import triage_case
        triage = triage_case(case, as_of)
    tier = str(getattr(triage.tier, "value", triage.tier))
    referred_on = referral_awaited(case, as_of)
    kind = next_visit_kind(tier, referred_on is not None)
    red = kind == NEXT_VISIT_RED_FLAG_NOW
    fu = follow_up_interval(guideline, profile)
    date = suggested_next_visit(case, as_of, review, guideline=guideline, profile=profile) \
        if kind == NEXT_VISIT_ROUTINE else None
    return NextVisit(kind, tier, triage.headline() if red else "", referred_on, date,
                     case.intake.patient.age_on(as_of), fu)


def needs_extra_care(case, as_of: dt.date) -> bool:
    """Whether the patient's handouts should include the extra-care sheet: aged 65 or over,
    or a connective tissue disorder or pelvic floor dysfunction recorded as present."""
    from radiculopathy_desktop.domain.vocabulary import SPECIAL_CONSIDERATIONS

    conditions = case.intake.conditions
    return is_older_patient(case.intake.patient.age_on(as_of)) or any(
        conditions.has(k) is True for k in SPECIAL_CONSIDERATIONS)


@fast_init
@dataclass(frozen=True)
class MonitoringPoint:
    """One monitoring item for this patient: the profile's words plus what applies now."""

    id: str
    text: str
    detail: str
    sources: tuple[Source, ...]
    evidence_note: str = ""
    verified: bool = True

    def to_dict(self) -> dict[str, Any]:
        return cited_dict(self)


#: path34: the id of the monitoring point that leads, in place of ``after_referral``, while an
#: emergency or urgent red flag stands after a referral (the text report and the case page head the
#: section with the red flag, not "awaiting the surgical opinion").
RED_FLAG_FIRST = "red_flag_first"
_RED_FLAG_FIRST_NOTE = (
    "[unverified] No guideline in this profile words follow-up while a surgical opinion is awaited and a red flag "
    "appears: this line is this app's reading (path34) of the after-referral item's own words, \"red flags override "
    "every step, and a worse picture may change the referral's urgency\", with the same sources; the action itself "
    "is the red-flag rule's (resources/rules/red_flags.toml) as the triage prints it.")


#: window35 (H-FU-913, H-PATH-912): the same lead while an emergency or urgent red flag stands WITHOUT a
#: referral: every red-flag action in resources/rules/red_flags.toml is for now or the same day (the
#: emergency actions "do not wait for the next visit"; each urgent one a same-day assessment, referral or
#: imaging, or contact today), so no routine next visit is suggested and the follow-up interval and the
#: plan change that waits for a follow-up visit are left out until the red flag has been dealt with.
_RED_FLAG_NOW_NOTE = (
    "[unverified] No guideline in this profile words routine follow-up while a red flag stands: this line is "
    "this app's reading (window35) of the red-flag rules (resources/rules/red_flags.toml), whose every action is "
    "for now or the same day (an emergency: \"do not wait for the next visit\"), with the reassessment item's "
    "sources (re-screen the red flags at each visit); the action itself is the red-flag rule's as the triage "
    "prints it.")


def _red_flag_now(red_flag: str, sources) -> MonitoringPoint:
    """window35: the lead of the monitoring while an emergency or urgent red flag stands and no referral
    for a surgical opinion is recorded: what to do now, not a routine next visit."""
    return MonitoringPoint(
        RED_FLAG_FIRST,
        f"Red flag ({red_flag}): act on the red flag now, as the urgency at the top says; it comes before "
        "every step of the sciatica pathway.",
        "No routine next visit is suggested while the red flag stands: arrange follow-up once it has been "
        "assessed (ruled out, or managed by the team it was sent to).",
        tuple(sources), _RED_FLAG_NOW_NOTE, False)


def monitoring_plan(
    guideline: Guideline,
    *,
    age: int | None,
    improving: bool | None,
    treatments_tried: frozenset[str],
    imaged: bool,
    neuro_worsening: bool,
    next_visit: dt.date | None = None,
    taking_now: frozenset[str] = frozenset(),
    referred_on: dt.date | None = None,
    red_flag: str | None = None,
) -> tuple[MonitoringPoint, ...]:
    """The monitoring items, each with a sentence on what applies to this patient now.

    ``taking_now`` are the treatment codes of the medicines the patient takes now (from
    the medicine report); side effects are asked about for those as for the ones tried.

    ``neuro_worsening`` is true when a progressive deficit or a new severe motor deficit is
    recorded (the triage's red-flag categories); it is what makes repeat imaging relevant.

    ``referred_on``: the date of a referral for a surgical opinion, the case's latest decision
    (path33): what follows is the surgical opinion, not a routine next visit, so the plan leads
    with ``after_referral`` (awaiting the opinion; the red-flag safety net; sooner if worse) and
    leaves out the next-visit interval and "move to the next step"; without a referral
    ``after_referral`` is left out.

    ``red_flag``: the triage's heading ("EMERGENCY - act now", "URGENT - same day") while an
    emergency or urgent red flag stands (path34): after a referral the wait for the surgical
    opinion is not the plan then, so the plan leads with :data:`RED_FLAG_FIRST` (the red-flag action
    comes first; the referral named as what it is, not as the plan) in place of ``after_referral``,
    whose "no routine next visit, the patient waits" and safety net for symptoms the patient already
    has would read as the plan for the emergency (tryout33 F6). Without a referral (window35, GP tryout
    35: "Suggested next visit" under EMERGENCY) the red flag leads too, said without a referral, and the
    follow-up interval and "adjust the plan" are left out: the caller gives no ``next_visit`` then.
    """
    older = is_older_patient(age)
    out: list[MonitoringPoint] = []
    items = guideline.monitoring
    if referred_on is not None:
        items = sorted((i for i in items if i.id not in ("follow_up_interval", "adjust_plan")),
                       key=lambda i: i.id != "after_referral")
    elif red_flag is not None:  # window35: a red flag stands, no referral: it leads; no routine next visit
        items = tuple(i for i in items if i.id not in ("follow_up_interval", "adjust_plan"))
        out.append(_red_flag_now(red_flag, guideline.monitoring_item("reassess").sources))
    for item in items:
        if item.id == "after_referral":
            if referred_on is None:
                continue
            if red_flag is not None:  # path34: the red flag leads; the referral is not the plan now
                out.append(MonitoringPoint(
                    RED_FLAG_FIRST,
                    f"Red flag ({red_flag}): act on the red flag first, as the urgency at the top says; the "
                    "referral for a surgical opinion does not replace or delay that action.",
                    f"Referred for a surgical opinion on {clinic_date(referred_on)} (decision recorded): waiting "
                    "for that opinion is not the plan while the red flag stands.",
                    item.sources, _RED_FLAG_FIRST_NOTE, False))
                continue
            detail = (f"Referred for a surgical opinion on {clinic_date(referred_on)} (decision recorded): "
                      "awaiting the surgical opinion.")
        elif item.id == "reassess":
            detail = ("No follow-up visit yet: the next visit compares with the baseline scores."
                      if improving is None else "Compared with baseline at the latest visit: "
                      + ("improving." if improving else "not improving."))
        elif item.id == "adjust_plan":
            detail = {None: "Review the plan at the first follow-up visit.",
                      True: "Improving: continue the current plan.",
                      False: "Not improving: the pathway's current step is the next change to the plan."}[improving]
        elif item.id == "side_effects":
            now = sorted(taking_now & MEDICINE_CODES)
            tried = sorted((treatments_tried & MEDICINE_CODES) - taking_now)
            parts = []
            # in the profile's medicine names (uk: paracetamol; uk17)
            named = _profile_names(guideline.profile).text
            # each treatment's label, as the pathway's "Taking now"/"Already tried" says it: the
            # codes ("Tried: nsaid.") were shown as they are stored (GP tryout 31 D12; dialog31, H-UI-516)
            if now:
                parts.append("Taking now: " + ", ".join(named(TAKING_NOW_LABELS.get(m, TREATMENTS[m])) for m in now)
                             + ".")
            if tried:
                parts.append("Tried: " + ", ".join(named(TREATMENTS[m]) for m in tried) + ".")
            detail = " ".join(parts) or "No medicine recorded yet."
            if older:
                detail += f" Age {age}: side effects and falls are more likely; ask at every visit."
        elif item.id == "reimaging":
            if neuro_worsening:
                detail = "Worsening neurological signs are recorded: follow the red-flag imaging route now."
            elif imaged:
                detail = "Already imaged, and no worsening neurological signs recorded: no repeat imaging now."
            else:
                detail = "Not imaged; see the imaging advice."
        elif item.id == "follow_up_interval":
            detail = follow_up_interval_detail(age, next_visit, guideline=guideline)
        else:  # pragma: no cover - the loader accepts only MONITORING_IDS
            detail = ""
        out.append(MonitoringPoint(item.id, item.text, detail, item.sources, item.evidence_note, item.verified))
    return tuple(out)


def visit_prompts(guideline: Guideline, age: int | None, visit: NextVisit | None = None) -> tuple[str, ...]:
    """What the follow-up visit form reminds the clinician to do, in the profile's words:
    reassess, ask about side effects (more carefully at 65 or over), image again only if
    neurological symptoms worsen, adjust the plan, and the next visit.

    redflag36 (H-FU-915, H-UI-547): the next visit is ``visit`` (:func:`next_visit_decision`), the
    assessment's own decision: under an emergency or urgent red flag no routine next visit and "adjust
    the plan" (which waits for a follow-up visit) is left out, as on the case page; otherwise the
    follow-up interval item's words and date. It no longer says "book the next visit within 14 days"
    to everyone 65 or over whatever the red flags."""
    red = visit is not None and visit.kind == NEXT_VISIT_RED_FLAG_NOW
    wanted = ("reassess", "side_effects", "reimaging") + (() if red else ("adjust_plan",))
    out = [guideline.monitoring_item(i).text for i in wanted]
    if is_older_patient(age):
        out.append(f"Age {age}: side effects, balance problems and falls are more likely.")
    if visit is not None:
        out.append("Next visit: " + visit.visit_line())
    return tuple(out)
