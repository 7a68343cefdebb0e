"""A visit or decision carries the write key the window made for it once: sent again (a
retry after a dropped connection, a second click, the replay of a copy kept while the
clinic server could not be reached), it is stored once. Both engines (the ``store``
fixture runs each test on the local file and on the clinic server)."""

from __future__ import annotations

import dataclasses
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


# --------------------------------------------------------------------------- red-team rt7 R4, R5; the upgrade
CES = {"saddle_anaesthesia": "yes", "urinary_retention_or_incontinence": "yes"}
INFECTION_AND_CANCER = {"fever": "yes", "history_of_cancer": "yes", "unexplained_weight_loss": "yes"}


def _as_acknowledging_now(store, case_id: str, decision: Decision) -> Decision:
    """The decision as `decide` and the window send it: naming the red flags standing on its
    date in the case as it is now (what the second run of the same command sends)."""
    from radiculopathy_desktop.domain.followup import acknowledgement, standing_red_flags

    return acknowledgement(decision, standing_red_flags(store.get_case(case_id), decision.date))


def test_a_decision_retried_after_a_red_flag_was_raised_is_the_decision_saved(store):
    """rt7 R4/R5: what a decision acknowledges is derived from the red flags standing when it
    is saved; a retry after a red flag was raised derives another list from the same typed
    decision. It is the decision saved with the key (nothing written), and the store hands
    back that record as saved, naming what it acknowledged then."""
    store.import_cases([make_case("K1")], user="setup")
    day = ANCHOR - dt.timedelta(days=9)
    typed = Decision(date=day, kind=DecisionKind.CONTINUE_CONSERVATIVE_CARE, until=ANCHOR + dt.timedelta(days=30),
                     by="Dr Ann", note="review in a month")
    first = store.record_decision("K1", _as_acknowledging_now(store, "K1", typed), user="Dr Ann", write_key="a" * 32)
    assert first.already_saved is False and first.case.decisions[0].acknowledged_red_flags == ()
    store.add_visit("K1", FollowUpVisit(date=day, leg_nrs=7, red_flags=CES), user="Dr Bo")
    before, audit = store.get_case("K1"), len(store.audit("K1"))
    retry = _as_acknowledging_now(store, "K1", typed)
    assert retry.acknowledged_red_flags == ("saddle_anaesthesia", "urinary_retention_or_incontinence")
    again = store.record_decision("K1", retry, user="Dr Ann", write_key="a" * 32,
                                  acknowledged_red_flags={"flags": list(retry.acknowledged_red_flags)})
    assert again.already_saved is True
    assert again.saved_record == before.decisions[0] and again.saved_record.acknowledged_red_flags == ()
    assert store.get_case("K1") == before and len(store.audit("K1")) == audit
    # what the user typed still decides: another note, by or date with that key is refused
    for other in (dataclasses.replace(retry, note="review in two months"), dataclasses.replace(retry, by="Dr Bo"),
                  dataclasses.replace(retry, date=day - dt.timedelta(days=1))):
        with pytest.raises(ValueError, match="different record"):
            store.record_decision("K1", other, user="Dr Ann", write_key="a" * 32)
    assert store.get_case("K1") == before and len(store.audit("K1")) == audit


def test_a_keyed_referral_retried_after_more_red_flags_is_the_referral_saved(store):
    """rt7 R5: the referral named the cauda equina flags; a same-day visit then raised
    infection and cancer flags. The retry is the referral saved, not "a different note"."""
    from radiculopathy_desktop.domain.followup import not_acknowledged_by

    store.import_cases([make_case("K1")], user="setup")
    day = ANCHOR - dt.timedelta(days=9)
    store.add_visit("K1", FollowUpVisit(date=day, leg_nrs=7, red_flags=CES), user="Dr Bo")
    typed = Decision(date=day, kind=DecisionKind.REFERRED_FOR_SURGICAL_OPINION, by="Dr Ann")
    store.record_decision("K1", _as_acknowledging_now(store, "K1", typed), user="Dr Ann", write_key="b" * 32)
    store.add_visit("K1", FollowUpVisit(date=day, leg_nrs=7, red_flags=INFECTION_AND_CANCER), user="Dr Bo")
    again = store.record_decision("K1", _as_acknowledging_now(store, "K1", typed), user="Dr Ann",
                                  write_key="b" * 32)
    assert again.already_saved and len(again.case.decisions) == 1
    assert again.saved_record.acknowledged_red_flags == ("saddle_anaesthesia", "urinary_retention_or_incontinence")
    missing = not_acknowledged_by(again.saved_record, again.case, ANCHOR)
    assert set(missing.flags) == {"fever", "history_of_cancer", "unexplained_weight_loss"}


def _old_version_digest(decision: Decision) -> str:
    """The record digest the version before ``acknowledged_red_flags`` wrote: a SHA-256 of
    the decision's five fields as sorted ASCII JSON (its ``engine_common.keyed_detail``)."""
    import hashlib
    import json

    text = json.dumps({"date": decision.date.isoformat(), "kind": str(decision.kind),
                       "until": decision.until.isoformat() if decision.until else None, "by": decision.by,
                       "note": decision.note}, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _record_as_the_old_version(store, monkeypatch, case_id: str, decision: Decision, key: str) -> None:
    """A keyed decision written as the previous version wrote it: no ``acknowledged_red_flags``
    in the case record, and an audit entry whose digest has no such field."""
    from radiculopathy_desktop.storage import engine_common

    with monkeypatch.context() as m:
        m.setattr(engine_common, "decision_to_record", lambda d, _ack: d)
        m.setattr(engine_common, "keyed_detail",
                  lambda k, record: {"write_key": k, "record_sha256": _old_version_digest(record)})
        store.record_decision(case_id, decision, user="Dr Ann", write_key=key)
    assert store.get_case(case_id).decisions[-1].acknowledged_red_flags is None  # stored as the old version did


def test_a_decision_keyed_by_the_previous_version_is_recognised_after_the_upgrade(store, monkeypatch):
    """A `decide --write-key` first run by the version before decisions named their red flags,
    retried after the upgrade: the same typed decision is already saved (its digest has the
    old form); another one is refused; once replaced, it is refused as gone."""
    from radiculopathy_desktop.storage.engine_common import KeyedRecordGone, KeyedRecordMismatch

    store.import_cases([make_case("K1")], user="setup")
    day = ANCHOR - dt.timedelta(days=9)
    typed = Decision(date=day, kind=DecisionKind.CONTINUE_CONSERVATIVE_CARE, until=ANCHOR + dt.timedelta(days=30),
                     by="Dr Ann", note="review in a month")
    _record_as_the_old_version(store, monkeypatch, "K1", typed, "c" * 32)
    before, audit = store.get_case("K1"), len(store.audit("K1"))
    assert store.keyed_record_state("K1", "c" * 32) == "on_case"
    again = store.record_decision("K1", _as_acknowledging_now(store, "K1", typed), user="Dr Ann",
                                  write_key="c" * 32)
    assert again.already_saved and again.saved_record == before.decisions[0]
    assert store.get_case("K1") == before and len(store.audit("K1")) == audit
    with pytest.raises(KeyedRecordMismatch) as refused:
        store.record_decision("K1", dataclasses.replace(typed, note="another note"), user="Dr Ann",
                              write_key="c" * 32)
    assert refused.value.fields == ()  # only the note differs, which the audit does not show
    store.import_cases([make_case("K1")], user="re-import", replace_records=True)
    assert store.keyed_record_state("K1", "c" * 32) == "replaced"
    with pytest.raises(KeyedRecordGone):
        store.record_decision("K1", typed, user="Dr Ann", write_key="c" * 32)


def test_the_store_says_whether_a_keyed_record_is_still_on_the_case(store):
    """``keyed_record_state``: "none" (never saved with the key), "on_case", "replaced" (the
    audit trail keeps the key, the case no longer holds the record): the window's replay of a
    kept copy and its "saved before" check ask this, not the audit trail alone."""
    store.import_cases([make_case("K1"), make_case("K2")], user="setup")
    assert store.keyed_record_state("K1", "d" * 32) == "none"
    store.add_visit("K1", _visit(10, 4), user="Dr Ann", write_key="d" * 32)
    store.record_decision("K1", Decision(date=ANCHOR - dt.timedelta(days=9), kind=DecisionKind.PATIENT_DECLINED),
                          user="Dr Ann", write_key="e" * 32)
    assert store.keyed_record_state("K1", "d" * 32) == store.keyed_record_state("K1", "E" * 32) == "on_case"
    assert store.keyed_record_state("K2", "d" * 32) == "none"  # a key is per case
    store.add_visit("K1", _visit(8, 2), user="Dr Ann")  # another record added meanwhile changes nothing
    assert store.keyed_record_state("K1", "d" * 32) == "on_case"
    store.import_cases([make_case("K1")], user="re-import", replace_records=True)
    assert store.keyed_record_state("K1", "d" * 32) == store.keyed_record_state("K1", "e" * 32) == "replaced"
    assert store.written("K1", "d" * 32)  # the audit trail still has it
    with pytest.raises(ValueError):
        store.keyed_record_state("K1", "short")


def test_a_keyed_decision_whose_acknowledged_list_was_rewritten_by_an_import_is_still_the_one_saved(store):
    """What was entered is still on the case (an import replaced the records with the same
    decision naming other flags): the retry is already saved, the record handed back is the
    one on the case now, and a replaced-away decision is still "replaced"."""
    from radiculopathy_desktop.domain.intake import case_to_dict, parse_case

    store.import_cases([make_case("K1")], user="setup")
    day = ANCHOR - dt.timedelta(days=9)
    typed = Decision(date=day, kind=DecisionKind.PATIENT_DECLINED, by="Dr Ann")
    store.record_decision("K1", typed, user="Dr Ann", write_key="g" * 32)
    data = case_to_dict(store.get_case("K1"))
    data["decisions"][0]["acknowledged_red_flags"] = ["fever"]
    store.import_cases([parse_case(data)], user="re-import", replace_records=True)
    assert store.keyed_record_state("K1", "g" * 32) == "on_case"
    again = store.record_decision("K1", typed, user="Dr Ann", write_key="g" * 32)
    assert again.already_saved and again.saved_record.acknowledged_red_flags == ("fever",)
    data["decisions"][0] = {**data["decisions"][0], "by": "Dr Bo"}
    store.import_cases([parse_case(data)], user="re-import", replace_records=True)
    assert store.keyed_record_state("K1", "g" * 32) == "replaced"
