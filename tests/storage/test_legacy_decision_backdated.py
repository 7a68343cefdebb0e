"""Red-team rt10 F11, both engines: a decision recorded before decisions named their red
flags (``acknowledged_red_flags`` absent, e.g. in a tracker upgraded from that version or
moved by ``server migrate-from``) acknowledges by its date the flags raised on an earlier
day. A red-flag visit ENTERED afterwards but DATED before it was taken as acknowledged too:
a back-dated cauda equina visit left the case Closed. Adding a record now first makes each
such decision name what it acknowledged among the records the case held, so the new flag
keeps the case Immediate, and every record held before keeps its status."""

from __future__ import annotations

import datetime as dt

from radiculopathy_desktop.domain import followup
from radiculopathy_desktop.domain.intake import FollowUpVisit, parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus

from tracker_support import ANCHOR, case_dict

D = dt.timedelta
CES = {"saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes"}
STORE_ENGINES = ("sqlite", "postgresql")


def _legacy(case_id, decision_day, kind="resolved_discharged", visits=None, **kw):
    """A case whose one decision is stored as the version before the field wrote it."""
    until = {"until": (ANCHOR + D(days=30)).isoformat()} if kind == "continue_conservative_care" else {}
    return parse_case(case_dict(case_id, care_start=ANCHOR - D(days=60), visits=visits,
                                decisions=[{"date": decision_day, "kind": kind, "by": "Dr Old", **until}], **kw))


def _status(store, case_id, day=ANCHOR):
    return store.review(case_id, day).status


def test_a_backdated_red_flag_visit_entered_after_an_old_discharge_reopens_the_case(store):
    decided = ANCHOR - D(days=5)
    store.import_cases([_legacy("B1", decided)])  # the store's default: records kept as they are
    assert store.get_case("B1").decisions[0].acknowledged_red_flags is None
    assert _status(store, "B1") == ReviewStatus.CLOSED
    store.add_visit("B1", FollowUpVisit(date=decided - D(days=2), leg_nrs=8, red_flags=CES), user="dr.b")
    assert _status(store, "B1") == ReviewStatus.IMMEDIATE
    assert store.get_case("B1").decisions[0].acknowledged_red_flags == ()  # it named nothing: none stood
    row = {r.case_id: r for r in store.worklist(ANCHOR, statuses=list(ReviewStatus))}["B1"]
    assert row.status == ReviewStatus.IMMEDIATE  # the stored facts agree with the rule


def test_an_old_decision_keeps_acknowledging_the_flags_it_acknowledged_when_a_visit_is_added(store):
    """A flag raised on an earlier day than the old decision stays acknowledged (the same
    status as before for every record the case held); the decision now names it."""
    raised = ANCHOR - D(days=20)
    decided = ANCHOR - D(days=10)
    store.import_cases([_legacy("B2", decided, visits=[{"date": raised, "leg_nrs": 7, "red_flags": CES}])])
    before = _status(store, "B2")
    assert before == ReviewStatus.CLOSED
    store.add_visit("B2", FollowUpVisit(date=ANCHOR - D(days=1), leg_nrs=2), user="dr.b")
    assert _status(store, "B2") == before
    assert set(store.get_case("B2").decisions[0].acknowledged_red_flags) == set(CES)


def test_a_flag_raised_on_the_old_decisions_own_day_stays_unacknowledged(store):
    """rt7 R2's rule for old decisions (their own day's flags are not theirs) is kept when
    they are made to name what they acknowledge."""
    decided = ANCHOR - D(days=10)
    store.import_cases([_legacy("B3", decided, kind="continue_conservative_care",
                                visits=[{"date": decided, "leg_nrs": 7, "red_flags": CES}])])
    assert _status(store, "B3") == ReviewStatus.IMMEDIATE
    store.add_visit("B3", FollowUpVisit(date=ANCHOR - D(days=1), leg_nrs=6), user="dr.b")
    assert _status(store, "B3") == ReviewStatus.IMMEDIATE
    assert store.get_case("B3").decisions[0].acknowledged_red_flags == ()


def test_freezing_gives_every_record_the_status_the_date_rule_gave_it():
    """Domain: for old decisions on every day around a red-flag visit, the frozen case has the
    same surgical-review status as the unfrozen one on every day of a span."""
    raised = ANCHOR - D(days=20)
    for offset in range(-3, 4):
        decided = raised + D(days=offset)
        for kind in ("resolved_discharged", "continue_conservative_care", "patient_declined",
                     "referred_for_surgical_opinion"):
            extra = {"until": (ANCHOR + D(days=30)).isoformat()} if kind == "continue_conservative_care" else {}
            data = case_dict("DOM", care_start=ANCHOR - D(days=60),
                             visits=[{"date": raised, "leg_nrs": 7, "red_flags": CES}],
                             decisions=[{"date": decided, "kind": kind, **extra}])
            case = parse_case(data)
            frozen = followup.freeze_legacy_acknowledgements(case)
            assert frozen.decisions[0].acknowledged_red_flags is not None
            for day in range(-25, 5):
                on = ANCHOR + D(days=day)
                if on < case.intake.visit_date:
                    continue
                assert followup.surgical_review(frozen, on).status == followup.surgical_review(case, on).status, \
                    (offset, kind, on)
    # a case with no old decision is returned as it is
    plain = parse_case(case_dict("P", decisions=[{"date": ANCHOR, "kind": "referred_for_surgical_opinion",
                                                  "acknowledged_red_flags": []}]))
    assert followup.freeze_legacy_acknowledgements(plain) is plain


def test_an_import_adding_a_backdated_red_flag_visit_next_to_the_held_old_decision_reopens_the_case(store):
    """The import route of F11: the file holds the old decision as the tracker does (no field)
    and adds a cauda equina visit dated before it. Imported as the command does
    (``legacy_decisions=False``, no ``acknowledge_red_flags``): written, Immediate."""
    decided = ANCHOR - D(days=5)
    store.import_cases([_legacy("B4", decided)])
    again = store.import_cases([_legacy("B4", decided)], legacy_decisions=False, acknowledge_red_flags=False)
    assert again.unchanged == ("B4",)  # the same file: nothing to write
    visit = {"date": decided - D(days=2), "leg_nrs": 8, "red_flags": CES}
    result = store.import_cases([_legacy("B4", decided, visits=[visit])], legacy_decisions=False,
                                acknowledge_red_flags=False)
    assert result.updated == ("B4",) and result.acknowledged == ()
    assert _status(store, "B4") == ReviewStatus.IMMEDIATE
    assert store.get_case("B4").decisions[0].acknowledged_red_flags == ()


def test_an_import_next_to_an_old_decision_that_acknowledged_a_flag_keeps_it_acknowledged(store):
    """The held old decision cleared a flag of an earlier day; a file adding a quiet visit is
    not refused as a new acknowledgement and the case stays Closed."""
    raised = ANCHOR - D(days=20)
    decided = ANCHOR - D(days=10)
    flagged = [{"date": raised, "leg_nrs": 7, "red_flags": CES}]
    store.import_cases([_legacy("B5", decided, visits=flagged)])
    assert _status(store, "B5") == ReviewStatus.CLOSED
    later = flagged + [{"date": ANCHOR - D(days=1), "leg_nrs": 2}]
    result = store.import_cases([_legacy("B5", decided, visits=later)], legacy_decisions=False,
                                acknowledge_red_flags=False)
    assert result.updated == ("B5",) and result.acknowledged == ()
    assert _status(store, "B5") == ReviewStatus.CLOSED
    assert set(store.get_case("B5").decisions[0].acknowledged_red_flags) == set(CES)
