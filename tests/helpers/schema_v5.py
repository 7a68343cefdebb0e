"""A SQLite tracker as the previous version of the app left it (schema version 5: m006 not
applied), for the tests of the first open after an upgrade."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from radiculopathy_desktop.demo import generate_case_dicts
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.store import CaseStore

# The cases_status columns before m006 (which adds improving and last_visit_date).
VERSION_5_STATUS_INDEX = ["immediate", "last_decision_kind", "resolved", "has_follow_up", "care_start_ord",
                          "continue_until_ord"]


def status_index_columns(conn) -> list[str]:
    """The key columns of the cases_status index, in order."""
    return [r[2] for r in conn.execute("PRAGMA index_xinfo(cases_status)") if r[1] >= 0 and r[5]]


def old_patient_key(patient_id: str) -> str:
    """The patient key as schema versions 9 and 10 computed it (m009, ep17: NFKC, casefold, NFKC),
    before m011 read the Turkish-layout letters İ and ı as i (id18)."""
    import unicodedata

    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", patient_id).casefold())


#: cases_clock and cases_immediate as schema versions 2 to 13 made them: without follow_up_ord (m014).
VERSION_13_CLOCK_INDEXES = """
    DROP INDEX cases_clock;
    CREATE INDEX cases_clock ON cases(trend_rank, care_start_ord, case_id, patient_id, side, improving,
        has_follow_up, resolved, immediate, immediate_reason, last_decision_kind, last_decision_date,
        continue_until, latest_event_ord, last_visit_date, visit_count, baseline_leg_nrs, latest_leg_nrs,
        patient_name, intake_ord, continue_until_ord, facts_key);
    DROP INDEX cases_immediate;
    CREATE INDEX cases_immediate ON cases(trend_rank, care_start_ord, case_id, patient_id, side, improving,
        has_follow_up, resolved, immediate, immediate_reason, last_decision_kind, last_decision_date,
        continue_until, latest_event_ord, last_visit_date, visit_count, baseline_leg_nrs, latest_leg_nrs,
        patient_name, intake_ord, continue_until_ord, facts_key) WHERE immediate = 1;
"""


def table_rows(path) -> dict:
    """Every table of the file at ``path`` (but SQLite's own), each as its sorted rows' reprs, and
    its user_version: what a migration that must keep every row is compared by."""
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {n: sorted(map(repr, conn.execute(f"SELECT * FROM [{n}]"))) for n in names} | {
            "user_version": conn.execute("PRAGMA user_version").fetchone()[0]}
    finally:
        conn.close()


def index_columns(conn, name: str) -> list[str]:
    """The key columns of index ``name``, in order."""
    return [r[2] for r in conn.execute(f"PRAGMA index_xinfo({name})") if r[1] >= 0 and r[5]]


def make_version_13(path: Path) -> None:
    """Turn a current tracker file back into what schema version 13 wrote: the worklist's
    covering indexes without follow_up_ord (m014, issue 17)."""
    conn = sqlite3.connect(path)
    conn.executescript(VERSION_13_CLOCK_INDEXES + """
        DELETE FROM _sqlite_migrations WHERE name = 'm014_clock_follow_up';
        PRAGMA user_version = 13;
    """)
    conn.commit()
    conn.close()


def make_version_12(path: Path) -> None:
    """Turn a current tracker file back into what schema version 12 wrote: m013 not recorded
    (on SQLite it changes no object: its clinic-server twin changes the audit triggers)."""
    make_version_13(path)
    conn = sqlite3.connect(path)
    conn.executescript("""
        DELETE FROM _sqlite_migrations WHERE name = 'm013_derived_recompute_audit';
        PRAGMA user_version = 12;
    """)
    conn.commit()
    conn.close()


def make_version_11(path: Path) -> None:
    """Turn a current tracker file back into what schema version 11 wrote: no Medicine alerts
    index (m012, span19: the table ``medicine_alert_spans``, its indexes and the triggers on
    medicine_alerts that keep it)."""
    make_version_12(path)
    conn = sqlite3.connect(path)
    conn.executescript("""
        DROP TRIGGER medicine_alert_spans_insert;
        DROP TRIGGER medicine_alert_spans_delete;
        DROP TRIGGER medicine_alert_spans_update;
        DROP TABLE medicine_alert_spans;
        DELETE FROM _sqlite_migrations WHERE name = 'm012_medicine_alert_spans';
        PRAGMA user_version = 11;
    """)
    conn.commit()
    conn.close()


def make_version_10(path: Path) -> None:
    """Turn a current tracker file back into what schema version 10 wrote: every case's patient
    key as m009 computed it (``PİD-1`` keyed ``pi̇d-1``: m011, id18)."""
    make_version_11(path)
    conn = sqlite3.connect(path)
    conn.create_function("old_key", 1, old_patient_key, deterministic=True)
    conn.executescript("""
        UPDATE cases SET patient_key = old_key(patient_id);
        DELETE FROM _sqlite_migrations WHERE name = 'm011_patient_key_turkish_i';
        PRAGMA user_version = 10;
    """)
    conn.commit()
    conn.close()


def make_version_9(path: Path) -> None:
    """Turn a current tracker file back into what schema version 9 wrote: no recorded pregnancy
    answers (m010: ``cases.pregnancy``, preg17)."""
    make_version_10(path)
    conn = sqlite3.connect(path)
    conn.executescript("""
        ALTER TABLE cases DROP COLUMN pregnancy;
        DELETE FROM _sqlite_migrations WHERE name = 'm010_pregnancy';
        PRAGMA user_version = 9;
    """)
    conn.commit()
    conn.close()


def make_version_8(path: Path) -> None:
    make_version_9(path)
    """Turn a current tracker file back into what schema version 8 wrote: no patient key
    column (m009, ep17: ``cases.patient_key`` and its index ``cases_patient_key``)."""
    conn = sqlite3.connect(path)
    conn.executescript("""
        DROP INDEX cases_patient_key;
        ALTER TABLE cases DROP COLUMN patient_key;
        DELETE FROM _sqlite_migrations WHERE name = 'm009_patient_key';
        PRAGMA user_version = 8;
    """)
    conn.commit()
    conn.close()


def make_version_7(path: Path) -> None:
    """Turn a current tracker file back into what schema version 7 wrote: no newest scored
    follow-up column (m008: cases and case_fact_history ``follow_up_ord``, in cases_status
    instead of last_visit_date)."""
    make_version_8(path)
    conn = sqlite3.connect(path)
    conn.executescript("""
        DROP INDEX cases_status;
        ALTER TABLE cases DROP COLUMN follow_up_ord;
        ALTER TABLE case_fact_history DROP COLUMN follow_up_ord;
        CREATE INDEX cases_status ON cases(immediate, last_decision_kind, resolved, has_follow_up, care_start_ord,
            continue_until_ord, improving, last_visit_date);
        DELETE FROM _sqlite_migrations WHERE name = 'm008_scored_follow_up';
        PRAGMA user_version = 7;
    """)
    # the review facts as the version of m007 made them (REVIEW_FACTS_VERSION 10): stale now,
    # so the first open's derived-data upgrade rewrites them (filling follow_up_ord)
    conn.execute("UPDATE cases SET facts_key = 'made-by-version-7'")
    from radiculopathy_desktop.domain.followup import REVIEW_FACTS_VERSION

    # (the current version, whatever it is now: 12 since rt16 F3, so the replacement still happens)
    conn.execute("UPDATE settings SET value_json = replace(value_json, ?, 'facts 10;') "
                 "WHERE key = 'derived_version'", (f"facts {REVIEW_FACTS_VERSION};",))
    conn.commit()
    conn.close()


def make_version_6(path: Path) -> None:
    """Turn a current tracker file back into what schema version 6 wrote: no entry order
    (m007: the visits' and decisions' entry columns and JSON fields, the entry counter)."""
    import json

    make_version_7(path)
    conn = sqlite3.connect(path)
    for case_id, text in conn.execute("SELECT case_id, case_json FROM case_documents").fetchall():
        data = json.loads(text)
        for key in ("visits", "decisions"):
            for item in data.get(key) or ():
                item.pop("entry", None)
        conn.execute("UPDATE case_documents SET case_json = ? WHERE case_id = ?",
                     (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")), case_id))
    conn.executescript("""
        ALTER TABLE visits DROP COLUMN entry;
        ALTER TABLE decisions DROP COLUMN entry;
        DROP TABLE entry_counter;
        DELETE FROM _sqlite_migrations WHERE name = 'm007_entry_order';
        PRAGMA user_version = 6;
    """)
    conn.commit()
    conn.close()


def make_version_5(path: Path) -> None:
    """Turn a current tracker file back into what the previous version wrote: cases_status
    without m006's two columns, m006 not recorded, user_version 5."""
    make_version_6(path)
    conn = sqlite3.connect(path)
    conn.executescript("""
        DROP INDEX cases_status;
        CREATE INDEX cases_status ON cases(immediate, last_decision_kind, resolved, has_follow_up, care_start_ord,
            continue_until_ord);
        DELETE FROM _sqlite_migrations WHERE name = 'm006_status_counts';
        PRAGMA user_version = 5;
    """)
    conn.commit()
    conn.close()


def demo_tracker_at_version_5(folder: Path, cases: int, *, seed: int, as_of: dt.date) -> Path:
    """A tracker in ``folder`` holding ``cases`` demo cases (``seed``, ``as_of``), set back to
    version 5; returns the database file."""
    with CaseStore.open(folder) as store:
        store.import_cases([parse_case(d) for d in generate_case_dicts(cases, seed=seed, as_of=as_of)])
        path = store.path
    make_version_5(path)
    return path
