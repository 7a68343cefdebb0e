"""CaseStore behaviour with clinical meaning: what a clinic sees after each write."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat

import pytest

from radiculopathy_desktop.domain.followup import ReviewStatus, surgical_review
from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit, ValidationError, case_to_dict
from radiculopathy_desktop.domain.settings import SettingsError
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.storage import schema
from radiculopathy_desktop.storage.store import CaseNotFound, CaseStore

from tracker_support import ANCHOR, make_case

D = dt.timedelta
#: One suite, two engines: every test using ``store`` runs on the SQLite file and on the
#: clinic server (tests/storage/conftest.py), except those marked sqlite_only.
STORE_ENGINES = ("sqlite", "postgresql")


@pytest.mark.sqlite_only("the SQLite file's permissions")
def test_database_is_private_to_its_owner(store, data_dir, db_path):
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert not list(data_dir.glob(".*.new")), "the temporary build file must not be left behind"


@pytest.mark.sqlite_only("SQLite pragmas")
def test_connection_settings(store):
    conn = store._db.conn
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 300
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION


def test_network_filesystem_uses_delete_journal(data_dir, monkeypatch):
    from radiculopathy_desktop.storage import opening

    monkeypatch.setattr(opening, "is_network_filesystem", lambda path: True)
    with CaseStore.open(data_dir) as s:
        assert s._db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_import_reports_added_updated_unchanged_and_round_trips(store):
    a, b = make_case("A"), make_case("B")
    first = store.import_cases([a, b], user="dr.a")
    assert (first.added, first.updated, first.unchanged) == (("A", "B"), (), ())
    assert store.get_case("A") == a
    assert case_to_dict(store.get_case("B")) == case_to_dict(b)

    b2 = make_case("B", side="right")  # an ordinary correction (a baseline score would need replace_records)
    second = store.import_cases([a, b2], user="dr.a")
    assert (second.added, second.updated, second.unchanged) == ((), ("B",), ("A",))
    assert store.get_case("B").intake.side == "right"
    actions = [e.action for e in store.audit()]
    assert actions.count("case_added") == 2 and actions.count("case_updated") == 1


def test_a_reimport_never_silently_removes_a_recorded_visit_or_decision(store):
    """A file made before a colleague recorded a visit and a decision would, imported again,
    take them away: refused with both named, nothing imported (not even the other cases);
    with replace_records it is done on purpose, and a file that holds them updates freely."""
    old = make_case("A")
    store.import_cases([old, make_case("B")], user="dr.a")
    store.add_visit("A", FollowUpVisit(date=ANCHOR - dt.timedelta(days=3), leg_nrs=5), user="dr.b")
    store.record_decision("A", Decision(date=ANCHOR - dt.timedelta(days=3), kind="referred_for_surgical_opinion"),
                          user="dr.b")
    with_visit = store.get_case("A")
    before = store.audit_count()
    with pytest.raises(UserError) as refused:
        store.import_cases([make_case("C"), make_case("A", side="right")], user="dr.a")
    message = str(refused.value)
    assert "Nothing was imported" in message and "case A" in message
    assert "1 visit (" in message and "1 decision (" in message and "--replace-records" in message
    assert store.get_case("A") == with_visit and not store.has_case("C") and store.audit_count() == before
    # a current file (holding the recorded visit and decision) updates as before
    current = case_to_dict(with_visit)
    current["side"] = "right"
    from radiculopathy_desktop.domain.intake import parse_case
    assert store.import_cases([parse_case(current)], user="dr.a").updated == ("A",)
    # on purpose: the old file replaces them
    assert store.import_cases([old], user="dr.a", replace_records=True).updated == ("A",)
    assert store.get_case("A").visits == old.visits and not store.get_case("A").decisions


def test_import_is_all_or_nothing(store):
    store.import_cases([make_case("A")])
    with pytest.raises(UserError, match="same case_id appears twice"):
        store.import_cases([make_case("B"), make_case("C"), make_case("B")])
    assert store.case_count() == 1
    assert not store.has_case("B")


@pytest.mark.sqlite_only("breaks the SQLite store's SQL text to fail midway")
def test_import_rolls_back_when_a_write_fails_midway(store, monkeypatch):
    """A failure after some rows were written leaves the database as before."""
    from radiculopathy_desktop.storage import store as store_mod

    store.import_cases([make_case("A")])
    real = store_mod._INSERT_DECISION
    monkeypatch.setattr(store_mod, "_INSERT_DECISION", real.replace("decisions", "no_such_table", 1))
    with pytest.raises(sqlite3.OperationalError):
        store.import_cases([make_case("B"), make_case("A", leg=2)])
    assert store.case_count() == 1 and store.get_case("A").intake.leg_nrs == 7
    assert store._db.conn.execute("SELECT count(*) FROM visits").fetchone()[0] == 1


def test_follow_up_visit_moves_case_from_needs_follow_up_to_due(store):
    store.import_cases([make_case("A", care_start=ANCHOR - D(days=50))])
    assert [r.status for r in store.worklist(ANCHOR)] == [ReviewStatus.NEEDS_FOLLOW_UP]

    change = store.add_visit("A", FollowUpVisit(date=ANCHOR, leg_nrs=7, back_nrs=4, odi_percent=40), user="dr.a")
    assert change.worklist and change.case_ids == ("A",) and len(change.case.visits) == 1
    row, = store.worklist(ANCHOR)
    assert row.status == ReviewStatus.DUE and row.improving is False
    assert "decide about a surgical opinion" in row.reason
    # Before the visit date the clinic had not seen the patient: still needs follow-up then.
    assert [r.status for r in store.worklist(ANCHOR - D(days=1))] == [ReviewStatus.NEEDS_FOLLOW_UP]
    audit = store.audit("A")
    assert audit[-1].action == "visit_added" and audit[-1].user == "dr.a"


@pytest.mark.sqlite_only("reads the revision with SQLite SQL; the server's row version is tested in test_pg_store.py")
def test_invalid_visit_is_refused_and_nothing_changes(store):
    store.import_cases([make_case("A")])
    before = store._db.conn.execute("SELECT revision FROM cases").fetchone()[0]
    with pytest.raises(ValidationError, match="before visit_date"):
        store.add_visit("A", FollowUpVisit(date=ANCHOR - D(days=400), leg_nrs=3), user="dr.a")
    assert store._db.conn.execute("SELECT revision FROM cases").fetchone()[0] == before
    assert [e.action for e in store.audit("A")] == ["case_added"]


def test_decisions_snooze_then_close(store):
    store.import_cases([make_case("A", care_start=ANCHOR - D(days=90),
                                  visits=[{"date": ANCHOR - D(days=40), "leg_nrs": 7}])])
    assert store.worklist(ANCHOR)[0].status == ReviewStatus.OVERDUE
    store.record_decision("A", Decision(ANCHOR, "continue_conservative_care", until=ANCHOR + D(days=28), by="Dr A"),
                          user="dr.a")
    assert store.worklist(ANCHOR) == []
    assert store.status_counts(ANCHOR)[ReviewStatus.SNOOZED] == 1
    # The snooze ends on its date: the case is back, overdue.
    assert store.worklist(ANCHOR + D(days=28))[0].status == ReviewStatus.OVERDUE
    store.record_decision("A", Decision(ANCHOR + D(days=28), "referred_for_surgical_opinion"), user="dr.a")
    assert store.status_counts(ANCHOR + D(days=30))[ReviewStatus.CLOSED] == 1
    assert [d.kind for d in store.get_case("A").decisions] == ["continue_conservative_care",
                                                                "referred_for_surgical_opinion"]


def test_unknown_case_is_a_clear_error(store):
    with pytest.raises(CaseNotFound, match="no case with ID 'NOPE'"):
        store.get_case("NOPE")
    with pytest.raises(CaseNotFound):
        store.add_visit("NOPE", FollowUpVisit(date=ANCHOR, leg_nrs=3), user="x")


@pytest.mark.sqlite_only("SQLite's triggers; the server's permissions are tested in test_pg_store.py")
def test_audit_is_append_only(store):
    store.import_cases([make_case("A")], user="dr.a")
    conn = store._db.conn
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit SET user = 'someone else'")
    conn.rollback()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit")
    conn.rollback()
    assert {e.user for e in store.audit()} == {"dr.a"}


def test_assessment_kept_with_content_version_and_survives_reimport(store):
    store.import_cases([make_case("A")])
    shown = {"tier": "routine", "steps": ["advice"], "content_version": "2026.11.1"}
    change = store.save_assessment("A", shown, visit_date=ANCHOR - D(days=50), content_version="2026.11.1",
                                   user="dr.a")
    assert change.assessments
    store.import_cases([make_case("A", side="right")])  # the case is updated; what was shown stays
    saved, = store.assessments("A")
    assert saved.assessment == shown and saved.content_version == "2026.11.1" and saved.created_by == "dr.a"
    with pytest.raises(UserError, match="content version"):
        store.save_assessment("A", shown, visit_date=ANCHOR, content_version="", user="dr.a")
    with pytest.raises(CaseNotFound):
        store.save_assessment("B", shown, visit_date=ANCHOR, content_version="1", user="dr.a")


def test_worklist_order(store):
    """Immediate, overdue, due, needs follow-up, upcoming; not improving, unknown, improving; longest waiting."""
    no_change = [{"date": ANCHOR - D(days=1), "leg_nrs": 7, "odi_percent": 40}]
    better = [{"date": ANCHOR - D(days=1), "leg_nrs": 4, "odi_percent": 40}]
    # a score that cannot show improvement (back pain alone): Due, trend unknown
    back_only = [{"date": ANCHOR - D(days=1), "back_nrs": 4}]
    # no score at all (a phone call): not a follow-up, the case still needs one (vis13)
    no_scores = [{"date": ANCHOR - D(days=1), "notes": "phone call"}]
    cases = [
        make_case("upcoming", care_start=ANCHOR - D(days=30)),
        make_case("due-improving-older", care_start=ANCHOR - D(days=80), visits=better),
        make_case("due-not-improving-newer", care_start=ANCHOR - D(days=45), visits=no_change),
        make_case("due-not-improving-older", care_start=ANCHOR - D(days=70), visits=no_change),
        make_case("due-unknown", care_start=ANCHOR - D(days=60), visits=back_only),
        make_case("needs-follow-up-phone-call", care_start=ANCHOR - D(days=55), visits=no_scores),
        make_case("needs-follow-up", care_start=ANCHOR - D(days=50)),
        make_case("overdue", care_start=ANCHOR - D(days=100), visits=no_change),
        make_case("immediate", care_start=ANCHOR - D(days=10), visits=[
            {"date": ANCHOR - D(days=1), "leg_nrs": 7, "red_flags": {"urinary_retention_or_incontinence": "yes"}}]),
        make_case("not-due", care_start=ANCHOR - D(days=5)),
        make_case("resolved", care_start=ANCHOR - D(days=60),
                  visits=[{"date": ANCHOR - D(days=1), "leg_nrs": 1, "odi_percent": 10}]),
    ]
    store.import_cases(cases)
    order = [r.case_id for r in store.worklist(ANCHOR)]
    # A case improving in the window is "improving: keep under review" (after needs follow-up).
    assert order == ["immediate", "overdue", "due-not-improving-older", "due-not-improving-newer", "due-unknown",
                     "needs-follow-up-phone-call", "needs-follow-up", "due-improving-older", "upcoming"]
    assert [r.case_id for r in store.worklist(ANCHOR, limit=3, offset=2)] == order[2:5]
    assert [r.case_id for r in store.worklist(ANCHOR, statuses=["not_due"])] == ["resolved", "not-due"] or \
        sorted(r.case_id for r in store.worklist(ANCHOR, statuses=["not_due"])) == ["not-due", "resolved"]
    counts = store.status_counts(ANCHOR)
    assert counts[ReviewStatus.DUE] == 3 and counts[ReviewStatus.IMPROVING] == 1
    assert counts[ReviewStatus.NEEDS_FOLLOW_UP] == 2
    assert counts[ReviewStatus.NOT_DUE] == 2 and sum(counts.values()) == 11


def test_worklist_leaves_out_cases_not_yet_seen(store):
    store.import_cases([make_case("later", care_start=ANCHOR + D(days=3))])
    assert store.status_counts(ANCHOR)[ReviewStatus.NOT_DUE] == 0
    assert sum(store.status_counts(ANCHOR + D(days=3)).values()) == 1


def test_worklist_search_and_patient_search(store):
    store.import_cases([make_case("A", name="Ada Brambleton", patient_id="MRN-1"),
                        make_case("B", name="Ben Corwick", patient_id="MRN-2"),
                        make_case("A2", name="Ada Brambleton", patient_id="MRN-1",
                                  care_start=ANCHOR - D(days=200))])
    assert [r.case_id for r in store.worklist(ANCHOR, search="bramble", statuses=["all"] and None)] == ["A2", "A"]
    assert [r.case_id for r in store.worklist(ANCHOR, search="MRN-2")] == ["B"]
    assert store.worklist(ANCHOR, search="100%_") == []
    match, = store.search_patients("ada")
    assert match.patient_id == "MRN-1" and set(match.case_ids) == {"A", "A2"}
    assert [m.patient_id for m in store.search_patients("B")] == ["MRN-2"] or store.search_patients("B")


def test_threshold_settings_recompute_review_facts(store):
    # Leg 7 -> 3 with ODI 40 -> 22: improving, not resolved with the default (leg <= 2, ODI <= 20).
    store.import_cases([make_case("A", care_start=ANCHOR - D(days=60),
                                  visits=[{"date": ANCHOR - D(days=2), "leg_nrs": 3, "odi_percent": 22}])])
    assert store.worklist(ANCHOR)[0].status == ReviewStatus.IMPROVING  # improving, in the window
    change = store.set_settings({"resolved_leg_nrs_max": 3, "resolved_odi_max": 25}, user="lead")
    assert change.settings and change.worklist
    assert store.worklist(ANCHOR) == []
    assert store.status_counts(ANCHOR)[ReviewStatus.NOT_DUE] == 1
    case = store.get_case("A")
    assert surgical_review(case, ANCHOR, store.get_settings()).status == ReviewStatus.NOT_DUE
    with pytest.raises(SettingsError):
        store.set_settings({"window_end_day": 10}, user="lead")
    assert store.get_settings().resolved_leg_nrs_max == 3
    assert store.audit()[-1].detail == {"resolved_leg_nrs_max": [2, 3], "resolved_odi_max": [20, 25]}


def test_window_setting_and_explicit_settings_argument(store):
    store.import_cases([make_case("A", care_start=ANCHOR - D(days=50),
                                  visits=[{"date": ANCHOR, "leg_nrs": 7}])])
    assert store.worklist(ANCHOR)[0].status == ReviewStatus.DUE
    store.set_settings({"window_end_day": 49}, user="lead")
    assert store.worklist(ANCHOR)[0].status == ReviewStatus.OVERDUE
    other = store.get_settings().updated({"window_start_day": 56, "window_end_day": 90, "mcid_leg_nrs_points": 1})
    assert store.worklist(ANCHOR, settings=other)[0].status == ReviewStatus.UPCOMING


def test_clinic_name_and_drafts(store):
    store.set_clinic_name("Invented Spine Clinic", user="lead")
    assert store.get_clinic_name() == "Invented Spine Clinic"
    store.save_draft("intake:new", {"step": 3, "pain": {"leg_nrs": 6}})
    assert store.load_draft("intake:new") == {"step": 3, "pain": {"leg_nrs": 6}}
    assert [k for k, _ in store.list_drafts()] == ["intake:new"]
    store.delete_draft("intake:new")
    assert store.load_draft("intake:new") is None


def test_two_connections_write_without_losing_updates(data_dir):
    """The window and a command writing at once: both visits are kept."""
    with CaseStore.open(data_dir) as window, CaseStore.open(data_dir) as command:
        window.import_cases([make_case("A")])
        window.add_visit("A", FollowUpVisit(date=ANCHOR - D(days=10), leg_nrs=6), user="window")
        command.add_visit("A", FollowUpVisit(date=ANCHOR - D(days=5), leg_nrs=5), user="cli")
        assert [v.leg_nrs for v in window.get_case("A").visits] == [6, 5]
        # The window's cached worklist notices the other connection's write.
        assert window.worklist(ANCHOR)[0].latest_leg_nrs == 5


def test_integrity_check_ok(store):
    store.import_cases([make_case("A")])
    assert store.integrity_check() == ["ok"]
