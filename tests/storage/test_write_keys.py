"""A visit or decision carries the write key the window made for it once: sent again (a
retry after a dropped connection, a second click, the replay of a copy kept while the
clinic server could not be reached), it is stored once. Both engines (the ``store``
fixture runs each test on the local file and on the clinic server)."""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit
from radiculopathy_desktop.domain.vocab import DecisionKind

from tracker_support import ANCHOR, make_case

STORE_ENGINES = ("sqlite", "postgresql")  # the docstring's promise: every test on both engines


def _visit(days_before: int, leg: int = 3) -> FollowUpVisit:
    return FollowUpVisit(date=ANCHOR - dt.timedelta(days=days_before), leg_nrs=leg)


def test_a_visit_or_decision_sent_again_with_its_write_key_is_stored_once(store):
    store.import_cases([make_case("K1"), make_case("K2")], user="setup")
    assert not store.written("K1", "a" * 32)
    first = store.add_visit("K1", _visit(10, 4), user="Dr Ann", write_key="a" * 32)
    again = store.add_visit("K1", _visit(10, 4), user="Dr Ann", write_key="a" * 32)
    assert again.case_ids == first.case_ids == ("K1",) and again.case == first.case  # succeeds, writes nothing
    decision = Decision(date=ANCHOR - dt.timedelta(days=9), kind=DecisionKind.REFERRED_FOR_SURGICAL_OPINION,
                        by="Dr Ann")
    for _ in range(2):
        store.record_decision("K1", decision, user="Dr Ann", write_key="b" * 32)
    # another visit with another key (or none) on the same date is another visit: saved
    store.add_visit("K1", _visit(10, 4), user="Dr Ann", write_key="c" * 32)
    store.add_visit("K1", _visit(10, 4), user="Dr Ann")
    # a key is per case: the same key on another case is not "already saved" there
    store.add_visit("K2", _visit(10, 5), user="Dr Ann", write_key="a" * 32)
    case = store.get_case("K1")
    assert [v.leg_nrs for v in case.visits if v.date == ANCHOR - dt.timedelta(days=10)] == [4, 4, 4]
    assert len(case.decisions) == 1 and [v.leg_nrs for v in store.get_case("K2").visits] == [5]
    assert store.written("K1", "a" * 32) and store.written("K1", "b" * 32) and not store.written("K1", "d" * 32)
    keys = [(e.action, e.detail.get("write_key")) for e in store.audit("K1")
            if e.action in ("visit_added", "decision_recorded")]
    assert keys == [("visit_added", "a" * 32), ("decision_recorded", "b" * 32), ("visit_added", "c" * 32),
                    ("visit_added", None)]


def test_a_malformed_write_key_is_refused_before_anything_is_written(store):
    store.import_cases([make_case("K1")], user="setup")
    before = store.get_case("K1")
    audit = len(store.audit("K1"))
    for bad in ("", "short", "x" * 65, "a' OR '1'='1" + "0" * 10, "é" * 10):
        with pytest.raises(ValueError):
            store.add_visit("K1", _visit(10), user="Dr Ann", write_key=bad)
        with pytest.raises(ValueError):
            store.written("K1", bad)
    assert store.get_case("K1") == before and len(store.audit("K1")) == audit


def test_a_different_record_sent_with_a_used_key_is_refused_not_dropped(store):
    """Red-team rt5 F4: a different visit (or a decision) sent with a key already saved on the
    case wrote nothing and reported success; the record was lost without a word. Only the
    same record sent again is "already saved"; anything else is refused and writes nothing."""
    store.import_cases([make_case("K1")], user="setup")
    store.add_visit("K1", _visit(10, 4), user="Dr Ann", write_key="a" * 32)
    before, audit = store.get_case("K1"), len(store.audit("K1"))
    with pytest.raises(ValueError, match="already used on the case for a different record"):
        store.add_visit("K1", _visit(8, 2), user="Dr Ann", write_key="a" * 32)  # another date and pain
    with pytest.raises(ValueError, match="different record"):
        store.add_visit("K1", _visit(10, 5), user="Dr Ann", write_key="a" * 32)  # same date, other pain
    decision = Decision(date=ANCHOR - dt.timedelta(days=9), kind=DecisionKind.REFERRED_FOR_SURGICAL_OPINION,
                        by="Dr Ann")
    with pytest.raises(ValueError, match=r"different record \(visit_added\)"):
        store.record_decision("K1", decision, user="Dr Ann", write_key="a" * 32)  # a visit's key
    assert store.get_case("K1") == before and len(store.audit("K1")) == audit
    store.add_visit("K1", _visit(10, 4), user="Dr Ann", write_key="a" * 32)  # the same visit again: fine
    assert store.get_case("K1") == before


def test_a_used_key_with_a_visit_differing_only_in_notes_or_treatments_is_refused(store):
    """The audit entry shows only the scores; the record's digest covers every field, so a
    visit with the same scores but another note is not taken for the one saved."""
    from radiculopathy_desktop.domain.intake import TreatmentTried

    store.import_cases([make_case("K1")], user="setup")
    day = ANCHOR - dt.timedelta(days=10)
    store.add_visit("K1", FollowUpVisit(date=day, leg_nrs=4, notes="walks 1 km"), user="Dr Ann", write_key="e" * 32)
    before, audit = store.get_case("K1"), len(store.audit("K1"))
    for other in (FollowUpVisit(date=day, leg_nrs=4, notes="walks 2 km"), FollowUpVisit(date=day, leg_nrs=4),
                  FollowUpVisit(date=day, leg_nrs=4, notes="walks 1 km",
                                treatments_tried=(TreatmentTried(code="stay_active"),))):
        with pytest.raises(ValueError, match="different record"):
            store.add_visit("K1", other, user="Dr Ann", write_key="e" * 32)
    decision = Decision(date=day, kind=DecisionKind.REFERRED_FOR_SURGICAL_OPINION, by="Dr Ann", note="L5")
    store.record_decision("K1", decision, user="Dr Ann", write_key="f" * 32)
    with pytest.raises(ValueError, match="different record"):
        store.record_decision("K1", Decision(date=day, kind=DecisionKind.REFERRED_FOR_SURGICAL_OPINION, by="Dr Ann",
                                             note="S1"), user="Dr Ann", write_key="f" * 32)
    store.record_decision("K1", decision, user="Dr Ann", write_key="f" * 32)  # the same again: already saved
    assert len(store.get_case("K1").decisions) == 1 and len(store.get_case("K1").visits) == len(before.visits)
    assert len(store.audit("K1")) == audit + 1


def test_an_entry_saved_before_the_digest_was_kept_is_matched_on_its_audited_fields():
    import json

    from radiculopathy_desktop.storage import engine_common as ec

    old = json.dumps({"date": "2026-05-01", "leg_nrs": 4, "back_nrs": None, "odi_percent": None, "rmdq": None,
                      "write_key": "a" * 32})
    visit = FollowUpVisit(date=dt.date(2026, 5, 1), leg_nrs=4)
    sent = {"date": "2026-05-01", "leg_nrs": 4, "back_nrs": None, "odi_percent": None, "rmdq": None,
            **ec.keyed_detail("a" * 32, visit)}
    ec.check_same_keyed_record("visit_added", old, "visit_added", sent)  # no digest stored: the fields decide
    with pytest.raises(ValueError):
        ec.check_same_keyed_record("visit_added", old, "visit_added", {**sent, "leg_nrs": 5})
    new = json.dumps(sent)
    ec.check_same_keyed_record("visit_added", new, "visit_added", sent)
    other = {**sent, **ec.keyed_detail("a" * 32, FollowUpVisit(date=dt.date(2026, 5, 1), leg_nrs=4, notes="x"))}
    with pytest.raises(ValueError):
        ec.check_same_keyed_record("visit_added", new, "visit_added", other)


def test_the_store_says_whether_it_wrote_and_keys_ignore_case(store):
    """rt6 F5/F6: ``already_saved`` is the store's own answer (the message comes from it);
    a key in upper case is the same key."""
    from radiculopathy_desktop.storage.engine_common import KeyedRecordMismatch

    store.import_cases([make_case("K1")], user="setup")
    key = "3F2B8C1E-6A4D-4E0F-9B7A-2C5D8E1F0A93"
    assert store.add_visit("K1", _visit(10, 4), user="Dr Ann", write_key=key.lower()).already_saved is False
    assert store.add_visit("K1", _visit(10, 4), user="Dr Ann", write_key=key).already_saved is True
    assert store.written("K1", key) and store.written("K1", key.lower())
    with pytest.raises(KeyedRecordMismatch) as refused:
        store.add_visit("K1", _visit(10, 6), user="Dr Ann", write_key=key)
    assert refused.value.fields == ("leg_nrs",)
    decision = Decision(date=ANCHOR - dt.timedelta(days=9), kind=DecisionKind.REFERRED_FOR_SURGICAL_OPINION,
                        by="Dr Ann")
    assert store.record_decision("K1", decision, user="Dr Ann", write_key="d" * 32).already_saved is False
    assert store.record_decision("K1", decision, user="Dr Ann", write_key="D" * 32).already_saved is True
    case = store.get_case("K1")
    assert len(case.visits) == 1 and len(case.decisions) == 1


def test_a_keyed_record_replaced_since_is_refused_and_not_written_again(store):
    """rt6 F4: the key outlives its record in the audit trail; the retry is refused."""
    from radiculopathy_desktop.storage.engine_common import KeyedRecordGone

    store.import_cases([make_case("K1")], user="setup")
    store.add_visit("K1", _visit(10, 2), user="Dr Ann", write_key="e" * 32)
    decision = Decision(date=ANCHOR - dt.timedelta(days=9), kind=DecisionKind.PATIENT_DECLINED, by="Dr Ann")
    store.record_decision("K1", decision, user="Dr Ann", write_key="f" * 32)
    store.import_cases([make_case("K1")], user="re-import", replace_records=True)
    before, audit = store.get_case("K1"), len(store.audit("K1"))
    assert before.visits == () and before.decisions == ()
    with pytest.raises(KeyedRecordGone):
        store.add_visit("K1", _visit(10, 2), user="Dr Ann", write_key="e" * 32)
    with pytest.raises(KeyedRecordGone):
        store.record_decision("K1", decision, user="Dr Ann", write_key="f" * 32)
    assert store.get_case("K1") == before and len(store.audit("K1")) == audit
