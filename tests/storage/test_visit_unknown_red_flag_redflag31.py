"""redflag31 (tryout31 D1), both engines (the ``store`` fixture) and the domain rule under them.

Clinical meaning: the cauda equina red flags (saddle anaesthesia, bladder or bowel
dysfunction, bilateral leg symptoms, new sexual dysfunction; NICE CKS Sciatica, "red flags",
and resources/rules/red_flags.toml, whose ``ask_now`` questions they are) are asked at every
review; "unknown" is not "no". A question answered unknown at a follow-up visit is not
answered now, so an earlier "no" no longer excludes it and the case asks it now ("Ask red-flag
questions", naming it), exactly as an unknown at intake does. Boundaries:

* no at intake, unknown at a visit: ask now (the worklist's stored facts, the review, the
  status counts agree);
* unknown at intake, no at a visit: answered, no longer asked;
* yes at a visit (after an unknown): Immediate;
* unknown for a question that is not a cauda equina one (fever): never "no", noted by the
  triage as unanswered, but not an "ask now" (as at intake);
* the day before the visit the earlier answer stands (a visit counts from its own date).
"""

from __future__ import annotations

import datetime as dt

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.followup import surgical_review
from radiculopathy_desktop.domain.intake import FollowUpVisit, parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus

from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
D = dt.timedelta
START = ANCHOR - D(days=20)   # before the review window: "Needs follow-up" / "Not due" otherwise
V1 = ANCHOR - D(days=10)
V2 = ANCHOR - D(days=5)


def _stored_status(store, case_id: str, as_of: dt.date) -> ReviewStatus:
    review = store.review(case_id, as_of)
    (row,) = [r for r in store.worklist(as_of, statuses=list(ReviewStatus)) if r.case_id == case_id]
    assert row.status == review.status  # the stored facts and the review agree
    return review.status


def _import(store, red_flags=None, visits=()):
    data = case_dict("U-1", care_start=START, red_flags=red_flags, visits=list(visits))
    store.import_cases([parse_case(data)], user="dr.a")
    return store


def test_no_at_intake_unknown_at_a_visit_asks_the_question_now(store):
    _import(store)
    assert _stored_status(store, "U-1", ANCHOR) != ReviewStatus.ASK_RED_FLAGS
    store.add_visit("U-1", FollowUpVisit(date=V1, leg_nrs=6, red_flags={"saddle_anaesthesia": "unknown"}),
                    user="dr.b")
    assert _stored_status(store, "U-1", ANCHOR) == ReviewStatus.ASK_RED_FLAGS
    assert "saddle" in store.review("U-1", ANCHOR).reason.lower()
    assert _stored_status(store, "U-1", V1 - D(days=1)) != ReviewStatus.ASK_RED_FLAGS  # the day before
    case = store.get_case("U-1")
    tri = assess_case(case, ANCHOR).triage
    assert tri.ask_now == ("saddle_anaesthesia",) and "no red flags" not in tri.headline().lower()
    # answered no at a later visit: cleared
    store.add_visit("U-1", FollowUpVisit(date=V2, leg_nrs=6, red_flags={"saddle_anaesthesia": "no"}),
                    user="dr.b")
    assert _stored_status(store, "U-1", ANCHOR) != ReviewStatus.ASK_RED_FLAGS


def test_unknown_at_intake_no_at_a_visit_is_answered(store):
    _import(store, red_flags={"bilateral_leg_symptoms": "unknown"})
    assert _stored_status(store, "U-1", ANCHOR) == ReviewStatus.ASK_RED_FLAGS
    store.add_visit("U-1", FollowUpVisit(date=V1, leg_nrs=6, red_flags={"bilateral_leg_symptoms": "no"}),
                    user="dr.b")
    assert _stored_status(store, "U-1", ANCHOR) != ReviewStatus.ASK_RED_FLAGS


def test_yes_at_a_visit_after_unknown_is_immediate(store):
    _import(store, visits=[{"date": V1, "red_flags": {"urinary_retention_or_incontinence": "unknown"}}])
    assert _stored_status(store, "U-1", ANCHOR) == ReviewStatus.ASK_RED_FLAGS
    store.add_visit("U-1", FollowUpVisit(date=V2, red_flags={"urinary_retention_or_incontinence": "yes"}),
                    user="dr.b")
    assert _stored_status(store, "U-1", ANCHOR) == ReviewStatus.IMMEDIATE


def test_unknown_for_a_flag_not_cauda_equina_is_noted_not_asked_now(store):
    _import(store, visits=[{"date": V1, "leg_nrs": 6, "red_flags": {"fever": "unknown"}}])
    assert _stored_status(store, "U-1", ANCHOR) != ReviewStatus.ASK_RED_FLAGS
    case = store.get_case("U-1")
    assert case.red_flags_as_of(ANCHOR)["fever"] == "unknown"  # no longer "no"
    tri = assess_case(case, ANCHOR).triage
    assert "fever" in tri.unknown and tri.ask_now == ()


def test_the_dialog_names_the_previous_answer_and_its_date(store):
    # what "Not asked (last answered ... on DATE)" reads: the record that gave the standing answer
    _import(store, red_flags={"fever": "yes"}, visits=[{"date": V1, "red_flags": {"fever": "unknown",
                                                                                  "saddle_anaesthesia": "unknown"}},
                                                       {"date": V2, "red_flags": {"bilateral_leg_symptoms": "no"}}])
    on = store.get_case("U-1").red_flags_answered_on(ANCHOR)
    assert on["fever"] == ("yes", START)  # the unknown kept the intake's yes
    assert on["saddle_anaesthesia"] == ("unknown", V1)
    assert on["bilateral_leg_symptoms"] == ("no", V2)
    assert on["history_of_cancer"] == ("no", START)
    assert surgical_review(store.get_case("U-1"), ANCHOR).status == ReviewStatus.IMMEDIATE  # fever yes stands
