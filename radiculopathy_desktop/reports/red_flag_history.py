"""When each red flag standing on a date was recorded, and whether a decision since has
acknowledged it: what the referral summary prints beside each "YES" (rd13 D19).

Pure Python (no Qt). The answers are walked as :meth:`Case.red_flags_as_of` walks them
(``answers_after_rescreen``: a later "yes" reports it again, a "no" clears it, "unknown" keeps
it), so the summary's list of YES answers and their dates always agree with the assessment.
Acknowledgement is :func:`domain.followup.acknowledges`, the rule the worklist uses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from radiculopathy_desktop.domain.intake import Case


@dataclass(frozen=True)
class YesAnswer:
    """A red-flag question answered yes and standing on a date."""

    question: str
    #: the day of the record that raised it (the intake, or the follow-up visit that answered
    #: it yes after it was not standing)
    recorded_on: dt.date
    #: "intake" or "follow-up visit"
    recorded_at: str
    #: later follow-up visits that answered it yes again, by date
    again: tuple[dt.date, ...]
    #: the last decision since it was raised that acknowledges it (None: none has)
    acknowledged_by: object | None
    #: the visit that raised it (None: the intake); for the acknowledgement rule only
    raised_by: object | None = None


def standing_yes_answers(case: Case, as_of: dt.date) -> dict[str, YesAnswer]:
    """Each red-flag question answered yes and standing on ``as_of`` -> when it was recorded."""
    from radiculopathy_desktop.domain.followup import acknowledges

    raised: dict[str, tuple[dt.date, str, object | None, list[dt.date]]] = {}
    for question, answer in case.intake.red_flags.items():
        if answer == "yes":
            raised[question] = (case.intake.visit_date, "intake", None, [])
    for visit in case.visits:
        if visit.date > as_of:
            continue
        for question, answer in visit.red_flags.items():
            if answer == "yes" and question in raised:
                raised[question][3].append(visit.date)
            elif answer == "yes":
                raised[question] = (visit.date, "follow-up visit", visit, [])
            elif answer == "no":
                raised.pop(question, None)
    out = {}
    for question, (day, where, visit, again) in raised.items():
        acks = [d for d in case.decisions if day <= d.date <= as_of and acknowledges(d, (question,), day, visit)]
        out[question] = YesAnswer(question, day, where, tuple(again),
                                  max(acks, key=lambda d: d.date) if acks else None, visit)
    return out


def recorded_words(answer: YesAnswer) -> str:
    """"recorded 2026-11-12 (follow-up visit); reported again at the visit of 2026-11-20; not
    acknowledged by a decision since" (the summary's words; dates ISO, as the summary's)."""
    from radiculopathy_desktop.domain.vocabulary import decision_sentence

    text = f"recorded {answer.recorded_on.isoformat()} ({answer.recorded_at})"
    if answer.again:
        text += "; reported again at the visit of " + ", ".join(d.isoformat() for d in answer.again)
    decision = answer.acknowledged_by
    if decision is None:
        return text + "; not acknowledged by a decision since"
    kind = getattr(decision.kind, "value", decision.kind)
    return (text + f"; acknowledged by the decision of {decision.date.isoformat()} "
            f"({decision_sentence(kind, decision.until)})")
