"""An imported discharge or "patient declined", new to the tracker, over unanswered cauda
equina questions is refused without ``close_with_unanswered_red_flags`` (``import
--close-with-unanswered-red-flags``), as ``decide`` refuses it (red-team rt14 F7; the rule is
``domain.visits.unanswered_to_confirm``, rt13 F3: "unknown is not no"). With the option it is
imported, returned in ``ImportResult.closed_unanswered`` and kept in the import's audit entry
as ``closed_with_unanswered_red_flags``. Both engines (the ``store`` fixture).
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import case_to_dict, parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.errors import UserError

from tracker_support import ANCHOR, case_dict

D = dt.timedelta
STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - D(days=30)
DAY = ANCHOR - D(days=10)
UNKNOWN = {"saddle_anaesthesia": "unknown", "new_sexual_dysfunction": "unknown"}


def _file(kind="resolved_discharged", visits=None, case_id="CES-Q", red_flags=UNKNOWN):
    decisions = [{"date": DAY.isoformat(), "kind": kind, "by": "Dr A", "acknowledged_red_flags": []}]
    if kind == "continue_conservative_care":
        decisions[0]["until"] = (DAY + D(days=30)).isoformat()
    return case_dict(case_id, care_start=INTAKE, red_flags=red_flags, visits=visits, decisions=decisions)


def _import(store, data, confirm=False):
    return store.import_cases([parse_case(data)], user="import", legacy_decisions=False,
                              acknowledge_red_flags=False, close_with_unanswered_red_flags=confirm)


def _import_audit(store) -> dict:
    return [e for e in store.audit() if e.action == "import"][-1].detail


@pytest.mark.parametrize("kind", ["resolved_discharged", "patient_declined"])
@pytest.mark.parametrize("stored_first", [False, True])
def test_a_closing_over_unanswered_questions_is_refused_then_imported_knowingly(store, kind, stored_first):
    if stored_first:  # (b) the case is in the tracker; the file adds the closing decision
        store.import_cases([parse_case(case_dict("CES-Q", care_start=INTAKE, red_flags=UNKNOWN))], user="dr.a")
    before = (store.get_case("CES-Q") if stored_first else None), store.audit_count()
    with pytest.raises(UserError) as info:
        _import(store, _file(kind))
    message = str(info.value)
    assert "nothing was imported" in message and "--close-with-unanswered-red-flags" in message
    assert "case CES-Q" in message and DAY.isoformat() in message
    assert "Saddle" in message and "sexual dysfunction" in message
    if stored_first:
        assert (store.get_case("CES-Q"), store.audit_count()) == before
    else:
        assert not store.has_case("CES-Q")

    result = _import(store, _file(kind), confirm=True)
    expected = [{"case_id": "CES-Q", "date": DAY.isoformat(), "kind": kind,
                 "questions": ["saddle_anaesthesia", "new_sexual_dysfunction"]}]
    assert list(result.closed_unanswered) == expected
    assert _import_audit(store)["closed_with_unanswered_red_flags"] == expected
    assert store.review("CES-Q", ANCHOR).status == ReviewStatus.CLOSED


def test_one_unanswered_question_is_enough(store):
    """Boundary: one "unknown" (the others answered) still needs the option."""
    with pytest.raises(UserError, match="Saddle"):
        _import(store, _file(red_flags={"saddle_anaesthesia": "unknown"}))


def test_every_question_answered_needs_no_option(store):
    result = _import(store, _file(red_flags={}))
    assert result.added == ("CES-Q",) and result.closed_unanswered == ()
    assert "closed_with_unanswered_red_flags" not in _import_audit(store)


def test_a_visit_answering_them_before_the_decision_needs_no_option(store):
    """The questions answered "no" at a visit on or before the decision's date are answered."""
    answered = {"date": (DAY - D(days=1)).isoformat(), "leg_nrs": 4,
                "red_flags": {"saddle_anaesthesia": "no", "new_sexual_dysfunction": "no"}}
    assert _import(store, _file(visits=[answered])).closed_unanswered == ()


def test_a_visit_answering_them_after_the_decision_does_not_count(store):
    """Boundary: answered the day after the discharge: the discharge closed over them."""
    later = {"date": (DAY + D(days=1)).isoformat(), "leg_nrs": 4,
             "red_flags": {"saddle_anaesthesia": "no", "new_sexual_dysfunction": "no"}}
    with pytest.raises(UserError, match="--close-with-unanswered-red-flags"):
        _import(store, _file(visits=[later]))


@pytest.mark.parametrize("kind", ["continue_conservative_care", "referred_for_surgical_opinion"])
def test_continuing_care_or_a_referral_is_not_a_closing(store, kind):
    """As for `decide`: continuing care keeps "Ask red-flag questions"; a referral hands over."""
    assert _import(store, _file(kind)).closed_unanswered == ()


def test_a_decision_the_tracker_holds_is_not_asked_again(store):
    """A re-import of the tracker's own export (the decision confirmed when recorded)."""
    _import(store, _file(), confirm=True)
    exported = case_to_dict(store.get_case("CES-Q"))
    result = _import(store, exported)
    assert result.unchanged == ("CES-Q",) and result.closed_unanswered == ()
    exported["visits"] = [{"date": ANCHOR.isoformat(), "leg_nrs": 3}]  # an update keeping the decision
    result = _import(store, exported)
    assert result.updated == ("CES-Q",) and result.closed_unanswered == ()
