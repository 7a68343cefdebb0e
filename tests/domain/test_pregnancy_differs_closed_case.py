"""A closed case's old "not pregnant" does not make "pregnancy differs"; a closed case's pregnancy
still does (preg19/fxd19 leftover, H-MED-364's neighbour; misc20).

fxd19 (not done): the pregnancy-differs rule never asked whether the other case is open. A case
closed (discharged, declined, referred) whose "not pregnant" was recorded before her new pregnancy
(rt20 F1's "stale" reading), or that never asked (F2's "not asked"), marked her open pregnant case
"PREGNANCY DIFFERS" and asked for "the right answer at a visit on the case that is wrong": a visit on
a closed episode, to correct an answer that was true when it was given. A closed case advises on no
medicine now, so its standing answer is history: it no longer makes the difference.

What is kept, deliberately (rt20 "what held": "a closed case's pregnancy still marks and lists the
open 'not pregnant' case. I judge that right, because the pregnancy outlives the case"): a pregnancy
recorded on a closed case still marks her open "not pregnant" case, with the alerts her medicines
carry at those weeks. FDA Drug Safety Communication, 15 Oct 2020 (fda.gov), its title: "FDA
recommends avoiding use of NSAIDs in pregnancy at 20 weeks or later because they can result in low
amniotic fluid"; so ibuprofen at 31 weeks must not read as safe because the case recording the
pregnancy was closed. And an answer a closed case recorded on a day another case records her
pregnant is still a contradiction to settle.

Boundaries: the closing decision the day before, on, and the day after the reading day.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.episodes import pregnancy_differs
from radiculopathy_desktop.domain.intake import parse_case

D = dt.date(2026, 11, 30)
T = dt.timedelta
FLAGS = {q: "no" for q in ("saddle_anaesthesia", "urinary_retention_or_incontinence",
                           "faecal_incontinence_or_loss_of_rectal_sensation", "bilateral_leg_symptoms",
                           "new_sexual_dysfunction", "fever", "history_of_cancer", "unexplained_weight_loss",
                           "significant_trauma", "progressive_neurological_deficit")}


def _case(case_id, intake, *, weeks=None, pregnant=None, medicines=("ibuprofen",), closed_on=None, visits=()):
    p = {"id": "Ana-7", "name": "Invented Patient", "age_years": 30, "sex": "female"}
    if weeks is not None:
        p["pregnancy_weeks"] = weeks
    if pregnant is not None:
        p["pregnant"] = pregnant
    decisions = [] if closed_on is None else [
        {"date": closed_on.isoformat(), "kind": "resolved_discharged", "acknowledged_red_flags": []}]
    return parse_case({"case_id": case_id, "patient": p, "onset_date": (intake - T(days=10)).isoformat(),
                       "visit_date": intake.isoformat(), "side": "left", "regions": ["buttock"],
                       "pain": {"leg_nrs": 6}, "red_flags": FLAGS, "visits": list(visits),
                       "decisions": decisions,
                       "medicines": [{"name": m, "daily_dose_mg": 1200} for m in medicines]})


OLD = D - T(days=300)  # last year's episode: "not pregnant" then (true then)


@pytest.mark.parametrize("closed_on, marked", [
    (D - T(days=1), False),  # closed the day before: its old answer is history
    (D, False),  # closed on the day
    (D + T(days=1), True),  # closed only after the reading day: still open on it, so it differs (fxd19)
    (None, True),  # never closed: an open case whose checks read her not pregnant (rt20 F1)
])
def test_a_closed_cases_old_not_pregnant_does_not_make_her_pregnant_case_differ(closed_on, marked):
    old = _case("OLD", OLD, pregnant=False, closed_on=closed_on)
    new = _case("NEW", D - T(days=5), weeks=31, medicines=())
    assert (pregnancy_differs(new, [old], D, "us") is not None) is marked
    assert (pregnancy_differs(old, [new], D, "us") is not None) is marked


def test_a_closed_case_never_asked_does_not_make_it_either():
    old = _case("OLD", OLD, closed_on=OLD + T(days=60))  # pregnancy never asked, closed
    new = _case("NEW", D - T(days=5), weeks=31, medicines=())
    assert pregnancy_differs(new, [old], D, "us") is None
    assert pregnancy_differs(old, [new], D, "us") is None
    # open, it still differs (rt20 F2)
    still_open = _case("OLD", OLD)
    assert pregnancy_differs(still_open, [new], D, "us") is not None


@pytest.mark.parametrize("weeks, label", [(19, None), (20, "Avoid"), (31, "Contraindicated")])
def test_a_closed_cases_pregnancy_still_marks_her_open_not_pregnant_case(weeks, label):
    """Kept: the pregnancy outlives the case (rt20). 19/20 weeks: the FDA's 20-week line, just below
    and at it; 31: from 30 weeks (the product's rule)."""
    closed_pregnant = _case("PREG", D - T(days=14), weeks=weeks - 2, medicines=(), closed_on=D - T(days=1))
    open_not = _case("NOTP", D - T(days=200), pregnant=False)
    found = pregnancy_differs(open_not, [closed_pregnant], D, "us")
    assert found is not None and found.if_case == "PREG" and found.if_weeks == weeks
    assert [(x.status_label, x.medicines) for x in found.if_pregnant] == (
        [] if label is None else [(label, ("ibuprofen",))])


def test_a_closed_cases_answer_recorded_while_she_was_pregnant_by_the_other_is_still_a_difference():
    """A dated contradiction, not a standing answer: the closed case's discharge visit says "not
    pregnant" on a day the open case records her 26 weeks pregnant. One of them is wrong: asked."""
    new = _case("NEW", D - T(days=30), weeks=26, medicines=())
    old = _case("OLD", D - T(days=60), closed_on=D - T(days=10),
                visits=[{"date": (D - T(days=10)).isoformat(), "leg_nrs": 2, "pregnancy": {"pregnant": False}}])
    found = pregnancy_differs(new, [old], D, "us")
    assert found is not None and any(c.kind == "" for c in found.found)
