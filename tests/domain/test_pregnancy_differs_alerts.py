"""While one patient's cases disagree on her pregnancy, the case that reads "not pregnant" (or
fewer weeks) carries the medicine alerts her own medicines would have at the other case's weeks
(gp18 F1: beside a case at 31 weeks, the "not pregnant" case read as safe to keep ibuprofen on its
page, its worklist row, Medicine alerts and the open-case chooser).

One rule, ``domain.episodes.pregnancy_differs``: the contradiction is
``pregnancy_contradictions``' (its own tests hold the 4-week thresholds); the alerts are the case
page's own (``assess_medications`` + ``medicine_alerts``) run with the other case's pregnancy.

Primary source of the NSAID thresholds the alerts come from (resources/medicines): FDA Drug Safety
Podcast on the Drug Safety Communication of 15 October 2020 (fda.gov): "We recommend avoiding
NSAIDs in pregnant women at 20 weeks, rather than the 30 weeks currently described in NSAID
prescribing information. At around 30 weeks, NSAIDs can cause a problem that may result in heart
issues in the unborn baby." So: nothing at 19 weeks, Avoid at 20 and 29, Contraindicated at 30.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.episodes import PREGNANCY_DIFFERS_REASON, pregnancy_differs
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.worklist_marks import pregnancy_differs_mark, pregnancy_differs_marks

D = dt.date(2026, 11, 30)
T = dt.timedelta
FLAGS = {q: "no" for q in ("saddle_anaesthesia", "urinary_retention_or_incontinence",
                           "faecal_incontinence_or_loss_of_rectal_sensation", "bilateral_leg_symptoms",
                           "new_sexual_dysfunction", "fever", "history_of_cancer", "unexplained_weight_loss",
                           "significant_trauma", "progressive_neurological_deficit")}


def _case(case_id, pid="Ana-5", weeks=None, pregnant=None, medicines=("ibuprofen",), visits=()):
    p = {"id": pid, "name": "Invented Patient", "age_years": 30, "sex": "female"}
    if weeks is not None:
        p["pregnancy_weeks"] = weeks
    if pregnant is not None:
        p["pregnant"] = pregnant
    return parse_case({"case_id": case_id, "patient": p, "onset_date": (D - T(days=10)).isoformat(),
                       "visit_date": D.isoformat(), "side": "left", "regions": ["buttock"],
                       "pain": {"leg_nrs": 6}, "red_flags": FLAGS, "visits": list(visits),
                       "medicines": [{"name": m, "daily_dose_mg": 1200} for m in medicines]})


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("weeks, label", [(19, None), (20, "Avoid"), (27, "Avoid"), (28, "Avoid"), (29, "Avoid"),
                                          (30, "Contraindicated"), (31, "Contraindicated")])
def test_the_not_pregnant_case_carries_the_alerts_of_the_other_case_s_weeks(profile, weeks, label):
    """The thresholds, just below, at and above, read through the other case: FDA 2020 (avoid from
    20 weeks, contraindicated from 30) under us; under uk the MHRA Drug Safety Update (June 2023):
    'systemic (oral and injectable) NSAIDs are contraindicated during the last trimester (after 28
    weeks) of pregnancy', read as from 28 completed weeks (src19)."""
    if profile == "uk" and weeks in (28, 29):
        label = "Contraindicated"
    b = _case("B", pregnant=False)
    a = _case("A", weeks=weeks, medicines=())
    d = pregnancy_differs(b, [a], D, profile)
    assert d is not None and d.if_case == "A" and d.if_weeks == weeks
    assert [(x.status_label, x.medicines) for x in d.if_pregnant] == ([] if label is None
                                                                        else [(label, ("ibuprofen",))])
    assert d.listed is (label is not None)
    assert f"{weeks} weeks" in d.text() and "case A" in d.text()
    if label:
        assert f"{label}: ibuprofen" in d.text()
        [mark] = pregnancy_differs_marks(d)
        # the rating she would carry, said "if pregnant" (fxk20: rt21 F2/F7), and why
        assert mark.label == f"{label} if pregnant" and mark.medicines == ("ibuprofen",)
        assert mark.action.lower().startswith(f"{PREGNANCY_DIFFERS_REASON}. if pregnant as case a records ({weeks} weeks): ")
        assert "PREGNANCY DIFFERS between cases: case A records " f"{weeks} weeks pregnant" in d.short()
    else:
        assert "carry no alert" in d.text() and pregnancy_differs_marks(d) == ()
    # the case's own answer is unchanged: its own assessment still reads "not pregnant"
    assert b.pregnancy_status(D).answer == "no"


def test_the_pregnant_case_is_named_but_carries_nothing_else():
    """The case with the stricter answer keeps its own alerts: no "if pregnant" alerts, not listed
    for it, but its row says the pregnancy differs (both cases' rows)."""
    a = _case("A", weeks=31)
    d = pregnancy_differs(a, [_case("B", pregnant=False)], D, "us")
    assert d is not None and d.if_pregnant == () and d.if_weeks is None and not d.listed
    assert "not pregnant" in d.short() and "case B" in d.short()
    assert pregnancy_differs_mark(("Pregnant 31 wk", "Pregnant, 31 weeks."), d)[0] == "Pregnant 31 wk; Pregnancy differs"
    assert pregnancy_differs_mark(("", ""), pregnancy_differs(_case("B", pregnant=False), [a], D, "us"))[0] \
        == "Pregnancy differs"


@pytest.mark.parametrize("theirs, listed", [(25, False), (26, True)])
def test_fewer_weeks_read_at_the_other_case_s_weeks(theirs, listed):
    """Two pregnancies more than 4 weeks apart (the contradiction rule): the case with fewer weeks
    (21, Avoid) is read at the other's (26: still Avoid; not more than 4 apart at 25: no
    contradiction at all)."""
    b = _case("B", weeks=21)
    d = pregnancy_differs(b, [_case("A", weeks=theirs, medicines=())], D, "us")
    if not listed:
        assert d is None
        return
    assert d.if_weeks == 26 and [x.status_label for x in d.if_pregnant] == ["Avoid"]


@pytest.mark.parametrize("weeks, named", [(3, False), (4, True)])
def test_no_contradiction_no_mark(weeks, named):
    """Below PREGNANCY_KNOWN_WEEKS (she may not have known) nothing is named."""
    d = pregnancy_differs(_case("B", pregnant=False), [_case("A", weeks=weeks)], D, "us")
    assert (d is not None) is named


def test_cleared_by_the_right_answer_and_other_patients_never_count():
    a = _case("A", weeks=31)
    fixed = _case("B", pregnant=False, visits=[{"date": D.isoformat(), "leg_nrs": 5,
                                                 "pregnancy": {"pregnant": True, "weeks": 31}}])
    assert pregnancy_differs(fixed, [a], D, "us") is None
    assert pregnancy_differs(_case("B", pid="Other-1", pregnant=False), [a], D, "us") is None
    assert pregnancy_differs(a, [a], D, "us") is None


def test_no_profile_no_assessment():
    d = pregnancy_differs(_case("B", pregnant=False), [_case("A", weeks=31)], D, None)
    assert d is not None and d.if_weeks == 31 and d.if_pregnant == () and not d.listed
