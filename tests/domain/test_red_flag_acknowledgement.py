"""A decision acknowledges the red flags it names, not every flag dated on or before it
(red-team rt6 F1).

The clinical expectation (README, Follow-up visits; NICE NG59 and NICE CKS sciatica: suspected
cauda equina syndrome is an emergency referral, whatever the review clock says): once a visit
raising an emergency or urgent red flag is saved, the case is Immediate until a decision is
recorded *about that flag*. A decision recorded before the visit existed cannot have
acknowledged it, whatever the dates say: records carry a date, not the order they were typed
in, so the decision names what it acknowledged.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.followup import (
    ReviewStatus,
    acknowledgement,
    review_facts,
    standing_red_flags,
    surgical_review,
)
from radiculopathy_desktop.domain.intake import (
    ValidationError,
    case_to_dict,
    parse_case,
    parse_decision,
    parse_visit,
)
from radiculopathy_desktop.domain.stored_case import case_from_stored, facts_timeline, stored_facts_as_of
from radiculopathy_desktop.domain.settings import default_review_settings
from radiculopathy_desktop.resources import resource_path

DAY = dt.date(2026, 11, 29)  # the example's review window is open; no decision recorded yet
CES = {"saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes"}  # suspected cauda equina


def example():
    return parse_case(json.loads(resource_path("examples", "routine_s1_follow_up_due.json").read_text()))


def with_visit(case, day, red_flags):
    return case.with_visit(parse_visit({"date": day.isoformat(), "leg_nrs": 7, "red_flags": red_flags}, case))


def with_decision(case, day, kind="continue_conservative_care", until=dt.date(2027, 1, 10), *, named=True):
    """A decision as every writer records it: naming the red flags standing on its date in the
    case as it is then (``named=False``: a decision stored before the field existed)."""
    data = {"date": day.isoformat(), "kind": kind}
    if kind == "continue_conservative_care":
        data["until"] = until.isoformat()
    decision = parse_decision(data, case)
    assert decision.acknowledged_red_flags is None  # absent from the data: a legacy record
    if named:
        decision = acknowledgement(decision, standing_red_flags(case, day))
    return case.with_decision(decision)


def status(case, day=DAY):
    return surgical_review(case, day).status


def agrees_everywhere(case, day=DAY):
    """The stored-case reader, the per-event facts history and the whole case agree."""
    s = default_review_settings()
    stored = json.loads(json.dumps(case_to_dict(case)))
    assert case_from_stored(stored) == case
    assert stored_facts_as_of(stored, day, s)[0] == review_facts(case, day, s)
    span = [p for p in facts_timeline(case, s) if p.start <= day and (p.until is None or day < p.until)][-1]
    assert span.facts == review_facts(case, day, s)


def test_the_example_has_no_red_flag_and_no_decision():
    case = example()
    assert status(case) == ReviewStatus.DUE and standing_red_flags(case, DAY) is None


def test_decision_then_red_flag_visit_the_same_day_is_immediate():
    case = with_visit(with_decision(example(), DAY), DAY, CES)
    review = surgical_review(case, DAY)
    assert review.status == ReviewStatus.IMMEDIATE
    # why, since when, and that the earlier decision does not stand for it
    assert "cauda equina" in review.reason.lower()
    assert f"standing since {DAY.isoformat()}" in review.reason
    assert f"the decision of {DAY.isoformat()} did not acknowledge" in review.reason
    assert "a new decision is needed" in review.reason
    agrees_everywhere(case)


def test_red_flag_visit_then_acknowledging_decision_the_same_day_takes_the_decisions_status():
    case = with_decision(with_visit(example(), DAY, CES), DAY)
    assert case.decisions[-1].acknowledged_red_flags == tuple(sorted(CES))
    assert status(case) == ReviewStatus.SNOOZED
    agrees_everywhere(case)
    referred = with_decision(with_visit(example(), DAY, CES), DAY, "referred_for_surgical_opinion")
    assert status(referred) == ReviewStatus.CLOSED  # a referral acts on the flag it names
    agrees_everywhere(referred)


def test_backdated_red_flag_visit_entered_after_a_later_decision_is_immediate():
    decided = with_decision(example(), DAY)
    case = with_visit(decided, DAY - dt.timedelta(days=1), CES)  # yesterday's visit, typed in after
    assert status(case) == ReviewStatus.IMMEDIATE
    assert status(case, DAY + dt.timedelta(days=30)) == ReviewStatus.IMMEDIATE  # the snooze does not hide it
    agrees_everywhere(case)
    agrees_everywhere(case, DAY - dt.timedelta(days=1))
    # the day before the decision it was already immediate: nothing acknowledged it yet
    assert status(case, DAY - dt.timedelta(days=1)) == ReviewStatus.IMMEDIATE


def test_a_decision_naming_flags_a_and_b_does_not_stand_for_a_new_flag_c():
    case = with_decision(with_visit(example(), DAY - dt.timedelta(days=7), CES), DAY - dt.timedelta(days=7))
    assert status(case) == ReviewStatus.SNOOZED
    # a later visit that does not ask them again (answers carried forward): nothing new
    quiet = with_visit(case, DAY - dt.timedelta(days=4), {"fever": "no"})
    assert status(quiet) == ReviewStatus.SNOOZED
    # the same flags answered yes again later: reported anew, immediate until a decision after
    # that visit (README: "Immediate until a decision is recorded after it"; red-team rt11 F1
    # found cauda equina symptoms reported again after a discharge left the case Closed)
    again = with_visit(quiet, DAY - dt.timedelta(days=3), CES)
    assert status(again) == ReviewStatus.IMMEDIATE
    again = with_decision(again, DAY - dt.timedelta(days=3))
    assert status(again) == ReviewStatus.SNOOZED
    # a new emergency flag C at a later visit: immediate again, until a decision names it
    more = with_visit(again, DAY, {"faecal_incontinence_or_loss_of_rectal_sensation": "yes"})
    assert status(more) == ReviewStatus.IMMEDIATE
    agrees_everywhere(more)
    # the same with everything on one day: a decision naming A and B, then a visit raising C
    one_day = with_visit(with_decision(with_visit(example(), DAY, CES), DAY), DAY,
                         {"faecal_incontinence_or_loss_of_rectal_sensation": "yes"})
    assert status(one_day) == ReviewStatus.IMMEDIATE
    assert f"the decision of {DAY.isoformat()} did not acknowledge them all" in surgical_review(one_day, DAY).reason
    agrees_everywhere(one_day)
    named = with_decision(more, DAY)
    assert set(named.decisions[-1].acknowledged_red_flags) == set(CES) | {
        "faecal_incontinence_or_loss_of_rectal_sensation"}
    assert status(named) == ReviewStatus.SNOOZED
    agrees_everywhere(named)


def test_a_decision_naming_no_flag_does_not_acknowledge_one_dated_before_it():
    """Boundary: a decision on or after ``since`` counts only when it names the flags; one naming
    none (no flag stood in the case as it was typed) never does."""
    decision = parse_decision({"date": DAY.isoformat(), "kind": "continue_conservative_care",
                               "until": "2027-01-10", "acknowledged_red_flags": []}, example())
    assert decision.acknowledged_red_flags == ()
    case = with_visit(example().with_decision(decision), DAY - dt.timedelta(days=2), CES)
    assert status(case) == ReviewStatus.IMMEDIATE
    agrees_everywhere(case)


def test_a_legacy_decision_without_the_field_acknowledges_by_date_only_flags_of_an_earlier_day():
    """Decisions stored before the field existed acknowledge by date, but only flags raised on
    an earlier day: on the decision's own day the order of typing is unknown, and a flag
    typed after it (a visit entered after the upgrade, dated that day) must not be hidden
    (red-team rt7 R2). An earlier decision never counts."""
    legacy_after = with_visit(with_decision(example(), DAY + dt.timedelta(days=1), named=False), DAY, CES)
    assert legacy_after.decisions[-1].acknowledged_red_flags is None
    assert status(legacy_after, DAY + dt.timedelta(days=1)) == ReviewStatus.SNOOZED
    assert status(legacy_after) == ReviewStatus.IMMEDIATE  # before the decision's day
    agrees_everywhere(legacy_after)
    legacy_same_day = with_visit(with_decision(example(), DAY, named=False), DAY, CES)
    assert legacy_same_day.decisions[-1].acknowledged_red_flags is None
    assert status(legacy_same_day) == ReviewStatus.IMMEDIATE
    agrees_everywhere(legacy_same_day)
    legacy_before = with_visit(with_decision(example(), DAY - dt.timedelta(days=1), named=False), DAY, CES)
    assert status(legacy_before) == ReviewStatus.IMMEDIATE
    agrees_everywhere(legacy_before)
    # stored without the field, read back without it (never turned into "named none")
    stored = case_to_dict(legacy_same_day)
    assert "acknowledged_red_flags" not in stored["decisions"][-1]


def test_the_field_is_written_read_and_validated():
    case = with_decision(with_visit(example(), DAY, CES), DAY)
    data = case_to_dict(case)
    assert data["decisions"][-1]["acknowledged_red_flags"] == sorted(CES)
    assert parse_case(data) == case
    empty = with_decision(example(), DAY)
    assert case_to_dict(empty)["decisions"][-1]["acknowledged_red_flags"] == []  # empty is kept, not dropped
    assert parse_case(case_to_dict(empty)) == empty
    for bad, words in ((["not_a_flag"], "not a red-flag code"), ("saddle_anaesthesia", "must be a list"),
                       ([1], "not a red-flag code"), (["fever", "fever"], "twice")):
        with pytest.raises(ValidationError) as exc:
            parse_decision({"date": DAY.isoformat(), "kind": "patient_declined", "acknowledged_red_flags": bad},
                           example())
        assert any(e.field == "decision.acknowledged_red_flags" and words in e.message for e in exc.value.errors)
    # the examination facts the triage fires can be acknowledged too
    assert parse_decision({"date": DAY.isoformat(), "kind": "patient_declined",
                           "acknowledged_red_flags": ["severe_motor_deficit", "fever"]},
                          example()).acknowledged_red_flags == ("fever", "severe_motor_deficit")


def test_the_schema_lists_every_acknowledgeable_code():
    from radiculopathy_desktop.domain.intake import ACKNOWLEDGEABLE_FLAGS

    schema = json.loads(resource_path("schemas", "case.schema.json").read_text())
    field = schema["properties"]["decisions"]["items"]["properties"]["acknowledged_red_flags"]
    assert set(field["items"]["enum"]) == set(ACKNOWLEDGEABLE_FLAGS)


# --------------------------------------------------------------------------- rt7 R4: what a saved decision cannot stand for
INFECTION_AND_CANCER = {"fever": "yes", "history_of_cancer": "yes", "unexplained_weight_loss": "yes"}


def test_not_acknowledged_by_names_the_flags_raised_after_a_decision_and_only_those():
    """What `decide` says when a decision's write key is sent again: the red flags standing
    that the saved decision does not stand for (so a new decision is needed), per the rule
    above (a decision stands for the flags it names; a legacy one for flags of earlier days)."""
    from radiculopathy_desktop.domain.followup import not_acknowledged_by

    day = DAY - dt.timedelta(days=9)
    # no red flag at all: nothing to say
    quiet = with_decision(example(), day)
    assert not_acknowledged_by(quiet.decisions[0], quiet, DAY) is None
    # a decision naming none, then a same-day cauda equina visit: both flags
    case = with_visit(with_decision(example(), day), day, CES)
    missing = not_acknowledged_by(case.decisions[0], case, DAY)
    assert set(missing.flags) == set(CES) and missing.tier == "emergency" and missing.since == day
    # ... and the same on the decision's own date (the retry of the same day)
    assert set(not_acknowledged_by(case.decisions[0], case, day).flags) == set(CES)
    # a visit the day after the decision: raised after it, also not acknowledged by it
    later = with_visit(with_decision(example(), day), day + dt.timedelta(days=1), CES)
    assert set(not_acknowledged_by(later.decisions[0], later, DAY).flags) == set(CES)
    # a referral naming the cauda equina flags, then infection and cancer flags: only those
    case = with_visit(with_decision(with_visit(example(), day, CES), day, "referred_for_surgical_opinion"),
                      day, INFECTION_AND_CANCER)
    missing = not_acknowledged_by(case.decisions[0], case, DAY)
    assert set(missing.flags) == set(INFECTION_AND_CANCER)
    # a later decision that names them all: nothing is needed any more
    done = with_decision(case, day + dt.timedelta(days=1), "referred_for_surgical_opinion")
    assert not_acknowledged_by(done.decisions[0], done, DAY) is None
    # a decision that named the flags standing: nothing
    named = with_decision(with_visit(example(), day, CES), day, "patient_declined")
    assert not_acknowledged_by(named.decisions[0], named, DAY) is None
    # a legacy decision (no list) stands for flags of earlier days, never its own day's
    legacy_earlier = with_decision(with_visit(example(), day - dt.timedelta(days=1), CES), day, named=False)
    assert not_acknowledged_by(legacy_earlier.decisions[0], legacy_earlier, DAY) is None
    legacy_same_day = with_visit(with_decision(example(), day, named=False), day, CES)
    assert set(not_acknowledged_by(legacy_same_day.decisions[0], legacy_same_day, DAY).flags) == set(CES)


# --------------------------------------------------------------------------- rt7 R6: null is not "absent"
def test_null_is_refused_by_the_schema_the_parser_and_the_stored_case_reader_alike():
    """The schema says ``"type": "array"``; a hand-written ``null`` was read as absent (a
    decision of the earlier kind, acknowledging by date). The parser refuses it in words, and
    the stored-case reader never reads it as absent."""
    import jsonschema

    from radiculopathy_desktop.domain import stored_case

    schema = json.loads(resource_path("schemas", "case.schema.json").read_text())
    data = json.loads(resource_path("examples", "routine_s1_follow_up_due.json").read_text())
    decision = {"date": "2026-11-20", "kind": "continue_conservative_care", "until": "2027-01-10"}
    for value, ok in ((None, False), ([], True), (["saddle_anaesthesia"], True), ("saddle_anaesthesia", False)):
        data["decisions"] = [{**decision, "acknowledged_red_flags": value}]
        valid = jsonschema.Draft202012Validator(schema).is_valid(data)
        try:
            parse_case(data)
            parsed = True
        except ValidationError as exc:
            parsed = False
            if value is None:
                assert [e.message for e in exc.errors] == [
                    "decisions[0].acknowledged_red_flags must be a list of red-flag codes ([] when the decision "
                    "acknowledges none), not null"]
        assert valid == parsed == ok, value
    with pytest.raises(ValueError):
        stored_case._acknowledged({**decision, "acknowledged_red_flags": None})
    assert stored_case._acknowledged(decision) is None  # absent: the earlier kind, as parse_case reads it
    assert stored_case._acknowledged({**decision, "acknowledged_red_flags": []}) == ()
