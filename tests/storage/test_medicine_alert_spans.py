"""The Medicine alerts index (m012, span19): ``medicine_alert_spans`` holds, for every stored
medicine_alerts row, the spans of days with a medicine-safety mark, and the Medicine alerts count
and filter read it instead of every stored row's JSON. A span missing from it is an alert the
clinician does not see on the list (H-DATA-327), so it must equal a full recomputation after every
write path, on both engines: a new case, an import that updates a case, a replace-import, a visit,
a decision, a save that takes the medicines away, a row deleted (a case's cascade, a hand repair),
the one-time rewrite after an upgrade, and the m012 migration's back-fill of an older database,
also when that migration is stopped part way (SQLite: the program killed inside it). ``check
--full`` names a table that drifted.

The alerts are the product's rules (resources/medicines/sources.toml): FDA Drug Safety
Communication, 15 October 2020: "FDA recommends avoiding use of NSAIDs in pregnancy at 20 weeks or
later"; NSAID labels advise against use "at 30 weeks and later in pregnancy because of the
additional risk of premature closure of the fetal ductus arteriosus". The boundary test below
checks the index at 19 weeks + 6 days, 20 weeks and 20 weeks + 1 day.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from radiculopathy_desktop.domain.followup import ReviewStatus
from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit, PregnancyUpdate, case_to_dict, parse_case
from radiculopathy_desktop.domain.vocab import DecisionKind
from radiculopathy_desktop.storage import schema
from radiculopathy_desktop.storage.health import alert_span_lines, alert_span_warnings
from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY, CaseStore, _alert_rows
from radiculopathy_desktop.storage.worklist import alert_case_ids
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
OPEN = [s for s in ReviewStatus if s != ReviewStatus.CLOSED]
INTAKE = ANCHOR - dt.timedelta(days=50)


def _pregnant(case_id, weeks, medicine="ibuprofen", dose=1200.0):
    d = case_dict(case_id, care_start=INTAKE)
    d["patient"]["sex"] = "female"
    d["patient"]["pregnancy_weeks"] = weeks
    if medicine:
        d["medicines"] = [{"name": medicine, "daily_dose_mg": dose}]
    return d


def _cohort():
    out = [_pregnant(f"P{w}", w) for w in (8, 15, 19, 24, 29)]
    out.append(_pregnant("NOMED", 22, medicine=None))  # pregnant, no medicine: a row without spans
    over = case_dict("GABA", care_start=INTAKE)
    over["medicines"] = [{"name": "Neurontin 600 mg", "daily_dose_mg": 4800}]  # above the maximum
    out.append(over)
    ibu = case_dict("IBU", care_start=INTAKE)  # an NSAID, not pregnant at the intake
    ibu["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    out.append(ibu)
    out.append(case_dict("PLAIN", care_start=INTAKE))  # no medicine, no pregnancy: no stored row
    return out


def _sql(store, sql, params=()):
    if hasattr(store, "_tx"):
        with store._tx() as conn:
            return [tuple(r) for r in conn.execute(sql.replace("?", "%s"), params).fetchall()]
    return [tuple(r) for r in store._db.conn.execute(sql, params).fetchall()]


def _kept(store) -> list[tuple]:
    return sorted(_sql(store, "SELECT case_id, profile, from_ord, until_ord FROM medicine_alert_spans"),
                  key=repr)


def _recomputed(store) -> list[tuple]:
    """Every stored case's spans with a mark, worked out again in Python from the case itself
    (``_alert_rows``, what a save writes): the full recomputation the index must equal."""
    out = []
    for case in store.iter_cases():
        for case_id, profile, text in _alert_rows(case):
            for start, until, marks in json.loads(text).get("spans", ()):
                if marks:
                    out.append((case_id, profile, start, until))
    return sorted(out, key=repr)


def _same_as_recomputed(store) -> list[tuple]:
    kept = _kept(store)
    assert kept == _recomputed(store)
    # and the count the window shows is the Python rule over the stored rows, on several dates
    for days in (0, 7, 30, 80):
        as_of = INTAKE + dt.timedelta(days=days)
        for profile in ("us", "uk"):
            stored = _sql(store, "SELECT case_id, alerts_json FROM medicine_alerts WHERE profile = ?", (profile,))
            listed = {r.case_id for r in store.worklist(as_of, statuses=OPEN, profile=profile)}
            expected = alert_case_ids(stored, as_of) & listed
            assert store.medicine_alert_count(as_of, OPEN, profile=profile) == len(expected), (as_of, profile)
            assert {r.case_id for r in store.worklist(as_of, statuses=OPEN, profile=profile,
                                                      medicine_alerts_only=True)} == expected
    return kept


def _as_superuser(store, request, sql, params=()):
    """A statement the app never runs (a hand repair, a case deleted by the server's owner)."""
    if hasattr(store, "_tx"):
        import psycopg

        server, url = request.getfixturevalue("pg_server"), request.getfixturevalue("pg_database")
        with psycopg.connect(server.conninfo(url.dbname), autocommit=True) as conn:
            conn.execute(sql.replace("?", "%s"), params)
        return
    with store._db.conn:
        store._db.conn.execute(sql, params)


def test_every_write_path_keeps_the_index_equal_to_a_full_recomputation(store, request):
    # a new case (import)
    store.import_cases([parse_case(d) for d in _cohort()])
    first = _same_as_recomputed(store)
    assert {c for c, *_ in first} >= {"P19", "P24", "P29", "GABA"}
    assert not {"NOMED", "PLAIN"} & {c for c, *_ in first}

    # a visit recording a pregnancy at 25 weeks (the window's "Add visit"): the NSAID's span from that day
    before = [r for r in _kept(store) if r[0] == "IBU"]
    visit_day = INTAKE + dt.timedelta(days=10)
    store.add_visit("IBU", FollowUpVisit(visit_day, leg_nrs=6, pregnancy=PregnancyUpdate(True, 25)), user="dr.a")
    after = [r for r in _same_as_recomputed(store) if r[0] == "IBU"]
    assert after != before and any(r[2] == visit_day.toordinal() for r in after)

    # a visit recording that the pregnancy ended: the NSAID's pregnancy span ends that day
    ended = INTAKE + dt.timedelta(days=30)
    store.add_visit("P24", FollowUpVisit(ended, leg_nrs=5, pregnancy=PregnancyUpdate(False)), user="dr.a")
    assert any(r[0] == "P24" and r[3] == ended.toordinal() for r in _same_as_recomputed(store))

    # a decision
    store.record_decision("P29", Decision(INTAKE + dt.timedelta(days=12), DecisionKind.CONTINUE_CONSERVATIVE_CARE,
                                          until=INTAKE + dt.timedelta(days=40)), user="dr.a")
    _same_as_recomputed(store)

    # an import that updates a stored case (another NSAID dose)
    changed = case_to_dict(store.get_case("P19"))
    changed["medicines"] = [{"name": "naproxen", "daily_dose_mg": 1000}]
    store.import_cases([parse_case(changed)])
    _same_as_recomputed(store)

    # a replace-import that removes a visit (the pregnancy found at it goes with it)
    replaced = case_to_dict(store.get_case("IBU"))
    replaced["visits"] = []
    store.import_cases([parse_case(replaced)], replace_records=True)
    assert [r for r in _same_as_recomputed(store) if r[0] == "IBU"] == before

    # a save that takes the medicines away: the stored rows and their spans go
    no_medicine = case_to_dict(store.get_case("P15"))
    no_medicine["medicines"] = []
    store.import_cases([parse_case(no_medicine)])
    assert "P15" not in {r[0] for r in _same_as_recomputed(store)}

    # a stored row changed or deleted by hand (a repair), and a case deleted with its cascade
    _as_superuser(store, request, "UPDATE medicine_alerts SET alerts_json = ? WHERE case_id = ? AND profile = ?",
                  (json.dumps(["an old list of dose alerts"]), "P8", "us"))
    assert not [r for r in _kept(store) if r[:2] == ("P8", "us")]
    _as_superuser(store, request, "DELETE FROM medicine_alerts WHERE case_id = ?", ("P8",))
    assert "P8" not in {r[0] for r in _kept(store)}
    # a case row deleted (the store has no such path; the server's owner or a repair could): its
    # alerts go by the foreign key's cascade, and their spans with them by the trigger
    assert "GABA" in {r[0] for r in _kept(store)}
    _as_superuser(store, request, "DELETE FROM cases WHERE case_id = ?", ("GABA",))
    assert not _sql(store, "SELECT 1 FROM medicine_alerts WHERE case_id = ?", ("GABA",))
    assert "GABA" not in {r[0] for r in _kept(store)}
    _as_superuser(store, request, "UPDATE medicine_alerts SET alerts_json = alerts_json WHERE case_id = ?", ("P29",))

    # the one-time rewrite after an upgrade: every row deleted and written again
    kept = _kept(store)
    _as_superuser(store, request, "UPDATE settings SET value_json = ? WHERE key = ?",
                  (json.dumps("facts 0; an older version"), DERIVED_VERSION_KEY))
    store.forget_cached() if hasattr(store, "forget_cached") else None
    assert store.upgrade_pending
    store.upgrade_derived_data()
    rewritten = _same_as_recomputed(store)
    assert {r[0] for r in rewritten} >= {r[0] for r in kept}  # the rows put right by hand are made again
    assert "P8" in {r[0] for r in rewritten} and "GABA" not in {r[0] for r in rewritten}
    assert alert_span_warnings_for(store) == ()


def alert_span_warnings_for(store) -> tuple:
    """``check --full``'s line about the index (local file or clinic server)."""
    if hasattr(store, "_tx"):
        from radiculopathy_desktop.storage.pg.health import alert_span_warnings as pg_warnings

        with store._tx() as conn:
            return pg_warnings(conn)
    return alert_span_warnings(store._db.conn)


def test_the_index_holds_from_20_weeks_on_the_day_not_the_day_before(store):
    """19 weeks at the intake: 20 weeks 7 days later. Counted from that day, not on the day
    before (FDA 2020: avoid NSAIDs at 20 weeks or later)."""
    store.import_cases([parse_case(_pregnant("P19", 19))])
    day_20 = INTAKE + dt.timedelta(days=7)
    assert any(r[0] == "P19" and r[2] == day_20.toordinal() for r in _kept(store))
    assert store.medicine_alert_count(day_20 - dt.timedelta(days=1), OPEN) == 0
    assert store.medicine_alert_count(day_20, OPEN) == 1
    assert store.medicine_alert_count(day_20 + dt.timedelta(days=1), OPEN) == 1


def test_check_full_names_a_case_whose_spans_drifted(store, request):
    store.import_cases([parse_case(d) for d in _cohort()])
    assert alert_span_warnings_for(store) == ()
    (case_id, profile, start, _until), *_ = [r for r in _kept(store) if r[0] == "P24"]
    _as_superuser(store, request, "DELETE FROM medicine_alert_spans WHERE case_id = ? AND profile = ?",
                  (case_id, profile))
    _as_superuser(store, request, "INSERT INTO medicine_alert_spans VALUES (?, ?, ?, NULL)", ("PLAIN", "us", start))
    (line,) = alert_span_warnings_for(store)
    assert "2 case(s): P24, PLAIN" in line and "Medicine alerts filter" in line


def test_the_lines_name_missing_and_extra_spans_alike():
    assert alert_span_lines([("A", "us", 1, None)], [("A", "us", 1, None)]) == ()
    assert "1 case(s): A" in alert_span_lines([], [("A", "us", 1, None)])[0]
    assert "1 case(s): B" in alert_span_lines([("B", "us", 1, 5)], [])[0]
    assert "1 case(s): C" in alert_span_lines([("C", "us", 1, 5)], [("C", "us", 1, 6)])[0]
    assert "1 case(s): D" in alert_span_lines([("D", "us", 1, 5)] * 2, [("D", "us", 1, 5)])[0]  # a duplicate


# --------------------------------------------------------------------------- the migration
@pytest.mark.sqlite_only("the SQLite file's migration; the clinic server's is its own test below")
def test_m012_backfills_the_index_of_an_older_file(store, data_dir, db_path):
    from helpers.schema_v5 import make_version_11

    store.import_cases([parse_case(d) for d in _cohort()])
    expected = _kept(store)
    assert expected
    store.close()
    make_version_11(db_path)
    conn = sqlite3.connect(db_path)
    assert schema.pending_names(conn) == ["m012_medicine_alert_spans", "m013_derived_recompute_audit",
                                          "m014_clock_follow_up"]
    conn.close()
    with CaseStore.open(data_dir) as upgraded:
        assert upgraded._db.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert _kept(upgraded) == expected == _recomputed(upgraded)
        assert alert_span_warnings(upgraded._db.conn) == ()


#: The child: the first open after the upgrade, killed (os._exit, as SIGKILL would: no clean-up
#: runs) once m012 has filled the index, before the migration is recorded and committed.
CHILD = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from radiculopathy_desktop.storage import schema
    from radiculopathy_desktop.storage.store import CaseStore
    real = schema.backfill_alert_spans
    def backfill_then_die(conn):
        n = real(conn)
        print("filled", n, flush=True)
        os._exit(9)
    schema.backfill_alert_spans = backfill_then_die
    CaseStore.open(Path(sys.argv[1]))
    print("finished", flush=True)
""")


def _tables(path) -> dict:
    from helpers.schema_v5 import table_rows

    return table_rows(path)


@pytest.mark.sqlite_only("a process killed inside the SQLite file's migration")
def test_m012_stopped_part_way_leaves_the_file_as_it_was_and_runs_whole_next_time(store, data_dir, db_path,
                                                                                     tmp_path):
    from helpers.schema_v5 import make_version_11

    store.import_cases([parse_case(d) for d in _cohort()])
    expected = _kept(store)
    store.close()
    make_version_11(db_path)
    before = _tables(db_path)
    assert "medicine_alert_spans" not in before and before["user_version"] == 11
    env = {k: v for k, v in __import__("os").environ.items()}
    env["RADICULOPATHY_DESKTOP_LOG_DIR"] = str(tmp_path / "logs")
    done = subprocess.run([sys.executable, "-c", CHILD, str(data_dir)], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 9, done.stderr
    assert done.stdout.startswith("filled ") and int(done.stdout.split()[1]) == len(expected)
    after = _tables(db_path)
    # every table as before the open, the backup copy the upgrade makes aside
    assert after == before
    with CaseStore.open(data_dir) as upgraded:
        assert upgraded._db.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert _kept(upgraded) == expected == _recomputed(upgraded)


def test_m012_on_the_clinic_server_backfills_the_index(request):
    import psycopg

    from radiculopathy_desktop.storage.pg import setup
    from radiculopathy_desktop.storage.pg.store import PgStore

    server = request.getfixturevalue("pg_server")
    url = request.getfixturevalue("pg_database")
    with PgStore.open(url()) as pg:
        pg.import_cases([parse_case(d) for d in _cohort()])
        expected = _kept(pg)
    assert expected
    with psycopg.connect(server.conninfo(url.dbname)) as conn:  # as the server's superuser
        conn.execute("DROP TRIGGER medicine_alert_spans_kept ON medicine_alerts")
        conn.execute("DROP FUNCTION radiculopathy_alert_spans()")
        conn.execute("DROP TABLE medicine_alert_spans")
        conn.execute("DELETE FROM schema_migrations WHERE name = 'm012_medicine_alert_spans'")
        conn.commit()
        assert setup.initialise(conn).applied == ("m012_medicine_alert_spans",)
    with PgStore.open(url()) as pg:
        assert _kept(pg) == expected == _recomputed(pg)
        # a clinician login writes through the trigger (its grants cover the index)
        data = _pregnant("NEW", 26)
    clinician = request.getfixturevalue("pg_database")
    import pg_server as pgs

    with PgStore.open(clinician(pgs.CLINICIAN_LOGIN)) as pg:
        pg.import_cases([parse_case(data)])
        assert "NEW" in {r[0] for r in _kept(pg)}
        assert _kept(pg) == _recomputed(pg)
