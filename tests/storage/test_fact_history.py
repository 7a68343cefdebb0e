"""The facts history (m005, ``case_fact_history``) and the past-date worklist that reads it.

Every write keeps one row per date a case has an event (its review facts as of that date,
``domain.stored_case.facts_timeline``), in the same transaction; a worklist as of a past
date reads the row holding on that day. Checked here on both engines, after every kind of
write: the stored rows equal the rule's facts for every event date, and the worklist
(rows, order, status, reason, trend, visit columns) and the status counts equal
``surgical_review(case, as_of)`` before, on, between and after every event. A case
without a row for the settings asked (other thresholds, a row missing) takes the exact
path, with the same results; an older database gets its history from the one-time upgrade.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace
from collections import Counter

import pytest

from radiculopathy_desktop.demo import generate_case_dicts
from radiculopathy_desktop.domain.followup import STATUS_ORDER, WORKLIST_STATUSES, surgical_review
from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit, parse_case
from radiculopathy_desktop.domain.settings import default_review_settings
from radiculopathy_desktop.domain.vocab import DecisionKind
from radiculopathy_desktop.storage import backup as bk
from radiculopathy_desktop.storage import schema
from radiculopathy_desktop.storage.facts import HISTORY_COLUMNS, facts_key, history_rows
from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY, CaseStore

from tracker_support import ANCHOR, case_dict, make_case

D = dt.timedelta
#: One suite, two engines (tests/storage/conftest.py): tests using ``store`` also run on the clinic server.
STORE_ENGINES = ("sqlite", "postgresql")
_RANK = {status: n for n, status in enumerate(STATUS_ORDER)}
_TREND = {False: 0, None: 1, True: 2}
OTHER_THRESHOLDS = {"resolved_leg_nrs_max": 3, "mcid_leg_nrs_points": 3}


def _fetch(store, sql: str, params=()) -> list[tuple]:
    if isinstance(store, CaseStore):
        return [tuple(r) for r in store._db.conn.execute(sql, params)]
    with store._tx() as conn:
        return [tuple(r) for r in conn.execute(sql.replace("?", "%s"), params).fetchall()]


def _stored_history(store) -> set[tuple]:
    return set(_fetch(store, f"SELECT {', '.join(HISTORY_COLUMNS)} FROM case_fact_history"))


def _assert_history(store, cases, s=None) -> None:
    """The stored rows are exactly the rule's facts as of every event date of every case."""
    s = s or store.get_settings()
    stored = [store.get_case(c.case_id) for c in cases]
    assert stored == list(cases)  # the same records; the store adds the order they were entered in (rt12 F2)
    expected = {row for case in stored for row in history_rows(case, s, facts_key(s))}
    assert _stored_history(store) == expected


def _hand_cases() -> list:
    """Cases whose events straddle the dates checked: a red flag raised at a visit and
    acknowledged later, a snooze that runs out, a closing decision, improvement at a visit,
    a visit and a decision on the same day, a case with no events after intake."""
    return [
        make_case("H-plain", care_start=ANCHOR - D(days=60)),
        make_case("H-flag", care_start=ANCHOR - D(days=80),
                  visits=[{"date": ANCHOR - D(days=40), "leg_nrs": 6},
                          {"date": ANCHOR - D(days=30), "leg_nrs": 6, "red_flags": {"saddle_anaesthesia": "yes"}},
                          {"date": ANCHOR - D(days=10), "leg_nrs": 5, "red_flags": {"saddle_anaesthesia": "no"}}],
                  decisions=[{"date": ANCHOR - D(days=20), "kind": "referred_for_surgical_opinion"}]),
        make_case("H-snooze", care_start=ANCHOR - D(days=90), visits=[{"date": ANCHOR - D(days=50), "leg_nrs": 7}],
                  decisions=[{"date": ANCHOR - D(days=50), "kind": "continue_conservative_care",
                              "until": ANCHOR - D(days=20)}]),
        make_case("H-better", care_start=ANCHOR - D(days=70), leg=8,
                  visits=[{"date": ANCHOR - D(days=45), "leg_nrs": 7}, {"date": ANCHOR - D(days=15), "leg_nrs": 2}]),
        make_case("H-closed", care_start=ANCHOR - D(days=100), visits=[{"date": ANCHOR - D(days=60), "leg_nrs": 6}],
                  decisions=[{"date": ANCHOR - D(days=5), "kind": "resolved_discharged"}]),
        make_case("H-weak", care_start=ANCHOR - D(days=65),
                  visits=[{"date": ANCHOR - D(days=25), "leg_nrs": 6, "power": {"great_toe_extension": 2}}]),
    ]


def _cohort() -> list:
    return _hand_cases() + [parse_case(d) for d in generate_case_dicts(30, seed=17, as_of=ANCHOR)]


def _check_days(cases) -> list[dt.date]:
    """Before, on, between and after every event of every case (and before any intake)."""
    days = {ANCHOR + D(days=1), min(c.intake.visit_date for c in cases) - D(days=1)}
    for case in cases:
        for day in (case.intake.visit_date, *(v.date for v in case.visits), *(d.date for d in case.decisions)):
            days |= {day - D(days=1), day, day + D(days=1)}
        events = sorted({case.intake.visit_date, *(v.date for v in case.visits), *(d.date for d in case.decisions)})
        days |= {a + (b - a) / 2 for a, b in zip(events, events[1:])}  # between two events
    return sorted(days)


def _expected(cases, as_of, s) -> list[tuple]:
    """(case_id, status, reason, improving, last visit, visit count, latest leg) in worklist order."""
    out = []
    for case in cases:
        if case.intake.visit_date > as_of:
            continue
        review = surgical_review(case, as_of, s)
        seen = case.visits_on_or_before(as_of)
        legs = [v.leg_nrs for v in seen if v.leg_nrs is not None]
        out.append(((_RANK[review.status], _TREND[review.improving], case.intake.care_start_date,
                     case.case_id.encode()),
                    (case.case_id, review.status, review.reason, review.improving,
                     seen[-1].date if seen else case.intake.visit_date, 1 + len(seen),
                     legs[-1] if legs else case.intake.leg_nrs)))
    return [row for _, row in sorted(out)]


def _got(rows) -> list[tuple]:
    return [(r.case_id, r.status, r.reason, r.improving, r.last_visit_date, r.visit_count, r.latest_leg_nrs)
            for r in rows]


def _assert_worklists(store, cases, settings=None, days=None) -> Counter:
    """Every status, the default worklist and the counts equal the engine on every day checked."""
    s = settings or store.get_settings()
    seen = Counter()
    for as_of in days or _check_days(cases):
        expected = _expected(cases, as_of, s)
        assert _got(store.worklist(as_of, statuses=STATUS_ORDER, settings=settings)) == expected, as_of
        assert _got(store.worklist(as_of, settings=settings)) == \
            [e for e in expected if e[1] in WORKLIST_STATUSES], as_of
        counts = store.status_counts(as_of, settings=settings)
        assert {k: v for k, v in counts.items() if v} == dict(Counter(e[1] for e in expected)), as_of
        seen.update(e[1] for e in expected)
    return seen


def _exact_path_used(store, as_of, s) -> tuple[int, int]:
    """(cases from the facts history, cases on the exact path) for ``as_of`` (SQLite)."""
    from radiculopathy_desktop.storage import worklist as wl

    store.forget_cached()
    return wl._prepare_exact(store, as_of, s, facts_key(s))


def test_every_write_keeps_the_history_and_the_past_worklist_equals_the_engine(store):
    cases = _cohort()
    store.import_cases(cases)
    _assert_history(store, cases)
    seen = _assert_worklists(store, cases)
    assert set(seen) == set(STATUS_ORDER), "the cohort reaches every status on some day"
    by_id = {c.case_id: c for c in cases}

    # A visit backdated before an existing visit, raising a red flag.
    visit = FollowUpVisit(date=ANCHOR - D(days=35), leg_nrs=8, red_flags={"urinary_retention_or_incontinence": "yes"})
    store.add_visit("H-better", visit, user="dr.a")
    by_id["H-better"] = by_id["H-better"].with_visit(visit)
    # A decision between two visits.
    decision = Decision(date=ANCHOR - D(days=35), kind=DecisionKind.CONTINUE_CONSERVATIVE_CARE,
                        until=ANCHOR - D(days=12))
    store.record_decision("H-flag", decision, user="dr.a")
    # a new record always says what it acknowledged: here nothing (none was given)
    by_id["H-flag"] = by_id["H-flag"].with_decision(replace(decision, acknowledged_red_flags=()))
    assert store.get_case("H-flag") == by_id["H-flag"]
    cases = list(by_id.values())
    _assert_history(store, cases)
    _assert_worklists(store, cases, days=_check_days([by_id["H-better"], by_id["H-flag"]]))

    # An edit of the intake date (re-import of the whole case), and records removed by a
    # re-import that replaces them.
    edited = make_case("H-plain", care_start=ANCHOR - D(days=75), intake=ANCHOR - D(days=70),
                       visits=[{"date": ANCHOR - D(days=20), "leg_nrs": 4}])
    trimmed = make_case("H-closed", care_start=ANCHOR - D(days=100), visits=[{"date": ANCHOR - D(days=60), "leg_nrs": 6}])
    store.import_cases([edited, trimmed], replace_records=True)
    by_id["H-plain"], by_id["H-closed"] = edited, trimmed
    cases = list(by_id.values())
    _assert_history(store, cases)
    _assert_worklists(store, cases, days=_check_days([edited, trimmed]) + [ANCHOR - D(days=4)])


def test_a_red_flag_entered_after_a_decision_keeps_history_and_worklist_with_the_rule(store):
    """Red-team rt6 F1 through the store: a decision, then a red-flag visit the same day (and
    one backdated before it), then a decision naming the flags. After each write the stored
    history and the past-date worklist equal the rule, which says Immediate until the
    acknowledging decision."""
    from radiculopathy_desktop.domain.followup import acknowledgement, standing_red_flags
    from radiculopathy_desktop.domain.vocab import ReviewStatus

    day = ANCHOR - D(days=10)
    case = make_case("F1", care_start=ANCHOR - D(days=60), visits=[{"date": ANCHOR - D(days=20), "leg_nrs": 7}])
    store.import_cases([case])
    writes = [
        ("decision", Decision(date=day, kind=DecisionKind.CONTINUE_CONSERVATIVE_CARE, until=ANCHOR + D(days=30))),
        ("visit", FollowUpVisit(date=day, leg_nrs=7, red_flags={"saddle_anaesthesia": "yes"})),
        ("visit", FollowUpVisit(date=day - D(days=1), leg_nrs=7, red_flags={"history_of_cancer": "yes"})),
        ("decision", Decision(date=day, kind=DecisionKind.CONTINUE_CONSERVATIVE_CARE, until=ANCHOR + D(days=30))),
    ]
    statuses = []
    mirror = case  # the records as written here, without the order the store gives them
    for what, record in writes:
        if what == "visit":
            store.add_visit("F1", record, user="dr.a")
            mirror = mirror.with_visit(record)
        else:
            standing = standing_red_flags(case, record.date)
            record = acknowledgement(record, standing)
            store.record_decision("F1", record, user="dr.a",
                                  acknowledged_red_flags=standing.to_audit() if standing else None)
            mirror = mirror.with_decision(record)
        case = store.get_case("F1")  # with the order the records were entered in (rt12 F2)
        held = list(case.visits + case.decisions)
        for written in mirror.visits + mirror.decisions:
            held.remove(written)  # the same records (equality leaves the entry order out)
        assert held == []
        _assert_history(store, [case])
        _assert_worklists(store, [case], days=_check_days([case]))
        statuses.append(surgical_review(case, ANCHOR).status)
    assert statuses == [ReviewStatus.SNOOZED, ReviewStatus.IMMEDIATE, ReviewStatus.IMMEDIATE, ReviewStatus.SNOOZED]
    assert case.decisions[-1].acknowledged_red_flags == ("history_of_cancer", "saddle_anaesthesia")


def test_other_thresholds_take_the_exact_path_with_the_same_results(store):
    cases = _cohort()
    store.import_cases(cases)
    other = default_review_settings().updated(OTHER_THRESHOLDS)
    days = _check_days(cases)[::3]
    _assert_worklists(store, cases, settings=other, days=days)
    if isinstance(store, CaseStore):
        from_history, exact = _exact_path_used(store, ANCHOR - D(days=30), other)
        assert from_history == 0 and exact > 0  # no row was made under those thresholds


def test_a_settings_change_rewrites_the_history_under_the_new_thresholds(store):
    cases = _cohort()
    store.import_cases(cases)
    before = _stored_history(store)
    store.set_settings(OTHER_THRESHOLDS, user="admin")
    s = store.get_settings()
    assert facts_key(s) != facts_key(default_review_settings())
    _assert_history(store, cases, s)
    assert _stored_history(store) != before
    _assert_worklists(store, cases, days=_check_days(cases)[::3])
    if isinstance(store, CaseStore):
        from_history, exact = _exact_path_used(store, ANCHOR - D(days=30), s)
        assert from_history > 0 and exact == 0  # read from the rewritten rows


def test_a_case_whose_history_is_missing_takes_the_exact_path(store):
    """A history row lost (or never written) must never leave a wrong status: the case is
    recomputed from its record, the others still read their rows."""
    cases = _cohort()
    store.import_cases(cases)
    if isinstance(store, CaseStore):
        store._db.conn.execute("DELETE FROM case_fact_history WHERE case_id IN ('H-flag', 'H-closed')")
        store._db.conn.commit()
    else:
        with store._tx({"action": "derived"}) as conn:
            conn.execute("DELETE FROM case_fact_history WHERE case_id IN ('H-flag', 'H-closed')")
    _assert_worklists(store, cases, days=_check_days(cases[1:2] + cases[4:5]))
    if isinstance(store, CaseStore):
        from_history, exact = _exact_path_used(store, ANCHOR - D(days=25), store.get_settings())
        assert exact == 2 and from_history > 0


def test_a_stale_history_row_under_an_old_key_is_not_read(store):
    """A row made under other settings (facts_key) than those asked is not used, even for
    the day it covers: the exact path decides."""
    cases = _hand_cases()
    store.import_cases(cases)
    rows = [r for r in _stored_history(store) if r[0] == "H-flag"]
    at = {name: n for n, name in enumerate(HISTORY_COLUMNS)}
    forged = []
    for r in rows:  # the same rows, under another key, without the red flag
        r = list(r)
        r[at["facts_key"]], r[at["immediate"]], r[at["immediate_reason"]] = "stale", 0, None
        forged.append(tuple(r))
    assert any(r[at["immediate"]] == 1 for r in rows)
    insert = f"INSERT INTO case_fact_history ({', '.join(HISTORY_COLUMNS)}) VALUES ({', '.join('?' * len(HISTORY_COLUMNS))})"
    if isinstance(store, CaseStore):
        store._db.conn.execute("DELETE FROM case_fact_history WHERE case_id = 'H-flag'")
        store._db.conn.executemany(insert, forged)
        store._db.conn.commit()
    else:
        with store._tx({"action": "derived"}) as conn:
            conn.execute("DELETE FROM case_fact_history WHERE case_id = 'H-flag'")
            conn.cursor().executemany(insert.replace("?", "%s"), forged)
    _assert_worklists(store, cases, days=_check_days(cases[1:2]))


@pytest.mark.sqlite_only("restore is of the local database file")
def test_a_restored_backup_brings_its_history(store, data_dir):
    cases = _hand_cases()
    store.import_cases(cases)
    backup = bk.backup_connection(store._db.conn, data_dir / "backups").path
    store.add_visit("H-plain", FollowUpVisit(date=ANCHOR - D(days=10), leg_nrs=2), user="dr.a")
    store.close()
    bk.restore(backup, data_dir)
    with CaseStore.open(data_dir) as restored:
        _assert_history(restored, cases)
        _assert_worklists(restored, cases, days=_check_days(cases)[::2])


def _make_version_4(path) -> None:
    """Turn a current database back into what the app wrote before m005 (no facts history,
    the derived data of that version)."""
    from helpers.schema_v5 import make_version_6

    make_version_6(path)
    conn = sqlite3.connect(path)
    old = conn.execute("SELECT value_json FROM settings WHERE key = ?", (DERIVED_VERSION_KEY,)).fetchone()[0]
    conn.executescript("""
        DROP TABLE case_fact_history;
        DROP INDEX cases_status;
        CREATE INDEX cases_status ON cases(immediate, last_decision_kind, resolved, has_follow_up, care_start_ord,
            continue_until_ord);
        DELETE FROM _sqlite_migrations WHERE name IN ('m005_fact_history', 'm006_status_counts');
        PRAGMA user_version = 4;
    """)
    conn.execute("UPDATE settings SET value_json = ? WHERE key = ?",
                 (old.split("; history")[0] + '"', DERIVED_VERSION_KEY))
    conn.commit()
    conn.close()


@pytest.mark.sqlite_only("the SQLite file's migration; the clinic server's is below")
def test_an_m004_database_is_migrated_and_its_history_filled_once(store, data_dir, db_path):
    cases = _cohort()
    store.import_cases(cases)
    store.close()
    _make_version_4(db_path)
    conn = sqlite3.connect(db_path)
    assert schema.pending_names(conn) == ["m005_fact_history", "m006_status_counts", "m007_entry_order",
                                          "m008_scored_follow_up", "m009_patient_key", "m010_pregnancy",
                                          "m011_patient_key_turkish_i",
                                          "m012_medicine_alert_spans", "m013_derived_recompute_audit",
                                          "m014_clock_follow_up"]
    conn.close()
    with CaseStore.open(data_dir) as upgraded:
        assert upgraded._db.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 14
        assert upgraded._raw_setting(DERIVED_VERSION_KEY) == CaseStore.derived_version()
        _assert_history(upgraded, cases)
        _assert_worklists(upgraded, cases, days=_check_days(cases)[::3])
        from_history, exact = _exact_path_used(upgraded, ANCHOR - D(days=30), upgraded.get_settings())
        assert from_history > 0 and exact == 0


def test_an_m004_clinic_server_database_is_migrated_and_filled_by_the_upgrade(request):
    import psycopg

    from radiculopathy_desktop.storage.pg import setup
    from radiculopathy_desktop.storage.pg.store import PgStore

    server = request.getfixturevalue("pg_server")
    url = request.getfixturevalue("pg_database")
    cases = _cohort()
    with PgStore.open(url()) as pg:
        pg.import_cases(cases)
    with psycopg.connect(server.conninfo(url.dbname)) as conn:  # as the server's superuser
        old = conn.execute("SELECT value_json FROM settings WHERE key = %s", (DERIVED_VERSION_KEY,)).fetchone()[0]
        conn.execute("DROP TABLE case_fact_history")
        conn.execute("DROP INDEX cases_status")
        conn.execute("ALTER TABLE cases DROP COLUMN follow_up_ord")  # m008, and the facts it made
        conn.execute("ALTER TABLE cases DROP COLUMN pregnancy")  # m010
        conn.execute("UPDATE cases SET facts_key = 'made-by-version-4'")
        conn.execute("CREATE INDEX cases_status ON cases(immediate, last_decision_kind, resolved, has_follow_up, "
                     "care_start_ord, continue_until_ord)")
        conn.execute("DELETE FROM schema_migrations WHERE name IN ('m005_fact_history', 'm006_status_counts', "
                     "'m008_scored_follow_up', 'm010_pregnancy')")
        conn.execute("UPDATE settings SET value_json = %s WHERE key = %s",
                     (old.split("; history")[0] + '"', DERIVED_VERSION_KEY))
        conn.commit()
        result = setup.initialise(conn)
        assert result.applied == ("m005_fact_history", "m006_status_counts", "m008_scored_follow_up",
                                  "m010_pregnancy")
    with PgStore.open(url()) as pg:  # an admin login: the one-time upgrade fills the history
        _assert_history(pg, cases)
        _assert_worklists(pg, cases, days=_check_days(cases)[::3])


def test_rewriting_every_case_reads_the_stored_cases_a_chunk_at_a_time_with_the_same_rows(store, monkeypatch):
    """The one-time upgrade and a settings change rewrite every case without holding every
    stored document (100,000 cases held at once were 670 MB): they read a few cases at a
    time by case_id. With chunks of 4 (so every boundary, the last short chunk and a stale
    pass that rewrites the rows it walks are exercised) the stored facts, history, dose
    alerts and outcome facts are exactly the rule's, as after an unchunked rewrite."""
    from radiculopathy_desktop.storage import engine_common
    from radiculopathy_desktop.storage.facts import FACT_COLUMNS
    from test_outcome_facts import assert_rows_are_the_whole_cases_facts

    over = case_dict("M-over", care_start=ANCHOR - D(days=60))
    over["conditions"] = {"egfr": 20}
    over["medicines"] = [{"name": "gabapentin", "daily_dose_mg": 701}]  # above the CrCl 15-29 maximum
    cases = _cohort() + [parse_case(over)]  # 37 cases: 9 chunks of 4 and a last one of 1
    store.import_cases(cases)
    alerts_sql = "SELECT * FROM medicine_alerts ORDER BY 1, 2"
    facts_sql = f"SELECT case_id, {', '.join(FACT_COLUMNS)}, facts_key FROM cases ORDER BY case_id"
    written = (_fetch(store, facts_sql), _stored_history(store), _fetch(store, alerts_sql))
    assert written[2], "the cohort should hold a dose alert for this test to check them"
    sizes = []
    real = engine_common.in_chunks

    def counted(fetch, size=None):
        for chunk in real(fetch, size):
            sizes.append(len(chunk))
            yield chunk

    monkeypatch.setattr(engine_common, "REWRITE_CHUNK", 4)
    monkeypatch.setattr(engine_common, "in_chunks", counted)
    # as an older version left it: every case's facts stale, the derived rows gone
    stale = ["UPDATE cases SET facts_key = 'an older version'", "DELETE FROM case_fact_history",
             "DELETE FROM medicine_alerts", "DELETE FROM outcome_facts",
             f"DELETE FROM settings WHERE key = '{DERIVED_VERSION_KEY}'"]
    if isinstance(store, CaseStore):
        with store.transaction():
            for sql in stale:
                store._db.conn.execute(sql)
    else:
        with store._tx({"action": "derived"}) as conn:
            for sql in stale:
                conn.execute(sql)
    store.forget_cached()
    told = []
    refreshed, alerted = store.upgrade_derived_data(lambda done, total: told.append((done, total)))
    assert refreshed == len(cases)
    assert alerted == len({row[0] for row in written[2]})
    assert sizes and max(sizes) == 4 and len(sizes) >= 2 * len(cases) // 4  # both passes, a chunk at a time
    assert told[-1][0] == told[-1][1]
    assert (_fetch(store, facts_sql), _stored_history(store), _fetch(store, alerts_sql)) == written
    assert assert_rows_are_the_whole_cases_facts(store) == len(cases)
    _assert_worklists(store, cases, days=_check_days(cases)[::5])
    # a settings change rewrites every case the same way
    sizes.clear()
    store.set_settings(OTHER_THRESHOLDS, user="admin")
    assert sizes and max(sizes) == 4
    _assert_history(store, cases, store.get_settings())
    assert assert_rows_are_the_whole_cases_facts(store) == len(cases)
    _assert_worklists(store, cases, days=_check_days(cases)[::5])
