"""Both engines: the one-open-case rule finds a patient's cases by the indexed key column
``cases.patient_key`` (m009, ep17, H-FU-250), exactly and without reading every case.

ep16 left two defects in ``_patients_cases`` (the rule's input on every save, import batch
and decision): on SQLite ``lower()`` folds ASCII letters only, so a stored ``P-JoSÉ`` was not
found for a typed ``p-josé`` (a second open episode for one patient, no question), and the
look-up ``lower(patient_id) IN (...)`` scanned the cases table each time. The key is
``domain.episodes.patient_key`` (NFKC, Unicode ``casefold``, NFKC): written with every case
row, back-filled by the migration on both engines (SQLite at open, the clinic server by
``server init``).
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.episodes import OpenCaseExists, patient_key
from radiculopathy_desktop.domain.intake import parse_case
from tracker_support import ANCHOR, case_dict, make_case

STORE_ENGINES = ("sqlite", "postgresql")
D = dt.timedelta

# stored as typed -> typed later: one patient for the rule
SAME_PATIENT = [
    ("P-Ñuñez", "p-ñuñez"),    # capital and small non-ASCII letters mixed: SQLite's lower() missed it
    ("P-Οδυσσέας", "p-ΟΔΥΣΣΈΑΣ"),  # the same in Greek (and final sigma)
    ("P-JoSÉ", "p-josé"),
    ("P-JOSÉ", "p-JoSé"),
    ("P-STRASSE", "p-straße"),  # casefold: ß is ss (lower() keeps ß on both engines)
    ("P-ΟΔΥΣΣΕΑΣ", "p-οδυσσεας"),  # final sigma ς and σ fold alike
    ("Ｐ-１２", "p-12"),        # full-width forms: NFKC
]


def _keys(store) -> dict[str, str]:
    if store.engine == "postgresql":
        with store._tx() as conn:
            return dict(conn.execute("SELECT case_id, patient_key FROM cases").fetchall())
    return dict(store._db.conn.execute("SELECT case_id, patient_key FROM cases").fetchall())


@pytest.mark.parametrize("stored, typed", SAME_PATIENT)
def test_a_new_case_for_the_same_patient_typed_in_other_capitals_is_asked_about(store, stored, typed):
    store.import_cases([make_case("K-1", patient_id=stored, care_start=ANCHOR - D(days=10))], user="dr.a")
    assert [o.case_id for o in store.open_cases(typed, ANCHOR)] == ["K-1"]
    with pytest.raises(OpenCaseExists) as caught:
        store.import_cases([make_case("K-2", patient_id=typed, care_start=ANCHOR - D(days=2))], user="dr.a",
                           open_case_as_of=ANCHOR)
    assert "case K-1" in str(caught.value)
    assert not store.has_case("K-2")


def test_patients_differing_by_more_than_capitals_are_not_one_patient(store):
    store.import_cases([make_case("K-1", patient_id="P-JOSÉ", care_start=ANCHOR - D(days=10))], user="dr.a")
    for other in ("P-JOSE", "P-JOSÉ-2", "P-JOSÈ"):  # an accent left out or changed is another ID
        assert store.open_cases(other, ANCHOR) == []
    store.import_cases([make_case("K-2", patient_id="P-JOSE", care_start=ANCHOR - D(days=2))], user="dr.a",
                       open_case_as_of=ANCHOR)
    assert store.has_case("K-2")


def test_every_write_keeps_the_key_of_the_patient_id_as_stored(store):
    """The key column follows the case row: import, update, visit and decision."""
    store.import_cases([make_case("K-1", patient_id="P-JoSÉ")], user="dr.a")
    assert _keys(store) == {"K-1": "p-josé"}
    data = case_dict("K-1", patient_id="P-JoSÉ", visits=[{"date": ANCHOR - D(days=5), "leg_nrs": 4}])
    store.import_cases([parse_case(data)], user="dr.a")
    assert _keys(store) == {"K-1": "p-josé"}
    assert patient_key("P-JoSÉ") == "p-josé"


def test_the_patient_list_still_shows_the_id_as_typed(store):
    store.import_cases([make_case("K-1", patient_id="P-JoSÉ")], user="dr.a")
    assert store.get_case("K-1").patient.id == "P-JoSÉ"
    assert [m.patient_id for m in store.search_patients("JoSÉ")] == ["P-JoSÉ"]


@pytest.mark.sqlite_only("SQLite's plan; the server's is checked below")
def test_sqlite_looks_the_patient_up_by_the_index(store):
    store.import_cases([make_case(f"K-{n}", patient_id=f"P-{n}") for n in range(50)], user="dr.a")
    store._db.conn.execute("ANALYZE")
    plan = [r[3] for r in store._db.conn.execute(
        "EXPLAIN QUERY PLAN SELECT d.case_id, d.case_json FROM cases c JOIN case_documents d "
        "ON d.case_id = c.case_id WHERE c.patient_key IN (?, ?)", ("p-1", "p-2"))]
    assert any("USING INDEX cases_patient_key" in p for p in plan), plan
    assert not any(p.startswith("SCAN c") for p in plan), plan


def test_the_server_looks_the_patient_up_by_the_index(pg_server, pg_database):
    """The clinic server's plan for the look-up, with sequential scans discouraged as the
    other plan tests do: an index scan of cases_patient_key, never a scan of cases."""
    import psycopg

    from radiculopathy_desktop.storage.pg.store import PgStore

    with PgStore.open(pg_database()) as store:
        store.import_cases([make_case(f"K-{n}", patient_id=f"P-{n}") for n in range(50)], user="dr.a")
    with psycopg.connect(pg_server.conninfo(pg_database.dbname), autocommit=True) as su:
        su.execute("ANALYZE cases")
        with su.transaction():
            su.execute("SET LOCAL enable_seqscan = off")
            plan = [r[0] for r in su.execute(
                "EXPLAIN SELECT d.case_id, d.case_json FROM cases c JOIN case_documents d "
                "ON d.case_id = c.case_id WHERE c.patient_key = ANY(%s)", (["p-1", "p-2"],))]
    assert any("cases_patient_key" in line for line in plan), plan
    assert not any("Seq Scan on cases" in line for line in plan), plan


def test_sqlite_m009_back_fills_an_older_tracker(data_dir):
    """A tracker written by schema 8 (no key column) gets every case's key at its first open."""
    from helpers.schema_v5 import make_version_8
    from radiculopathy_desktop.storage.store import CaseStore

    with CaseStore.open(data_dir) as store:
        store.import_cases([make_case("K-1", patient_id="P-JoSÉ", care_start=ANCHOR - D(days=10)),
                            make_case("K-2", patient_id="P-STRASSE", care_start=ANCHOR - D(days=10))], user="dr.a")
        path = store.path
    make_version_8(path)
    with CaseStore.open(data_dir) as store:
        assert _keys(store) == {"K-1": "p-josé", "K-2": "p-strasse"}
        assert [o.case_id for o in store.open_cases("p-josé", ANCHOR)] == ["K-1"]
        assert [o.case_id for o in store.open_cases("p-straße", ANCHOR)] == ["K-2"]


def test_server_init_back_fills_an_m008_server_without_auditing_a_change(pg_server, pg_database):
    """m009 on the clinic server: ``server init``'s initialise adds the column and keys every
    stored case in its one transaction; nothing a clinician recorded changed, so the audit
    gains no row."""
    import psycopg

    from radiculopathy_desktop.storage.pg import setup
    from radiculopathy_desktop.storage.pg.store import PgStore

    with PgStore.open(pg_database()) as store:
        store.import_cases([make_case("K-1", patient_id="P-JoSÉ", care_start=ANCHOR - D(days=10)),
                            make_case("K-2", patient_id="P-ΟΔΥΣΣΕΑΣ", care_start=ANCHOR - D(days=10))], user="dr.a")
    with psycopg.connect(pg_server.conninfo(pg_database.dbname), autocommit=True) as su:
        su.execute("DROP INDEX cases_patient_key; ALTER TABLE cases DROP COLUMN patient_key; "
                   "DELETE FROM schema_migrations WHERE name = 'm009_patient_key'")
        audit_before = su.execute("SELECT count(*) FROM audit").fetchone()[0]
        su.autocommit = False
        try:
            assert setup.initialise(su).applied == ("m009_patient_key",)
        finally:
            su.autocommit = True
        assert su.execute("SELECT count(*) FROM audit").fetchone()[0] == audit_before
    with PgStore.open(pg_database()) as store:
        assert _keys(store) == {"K-1": "p-josé", "K-2": "p-οδυσσεασ"}
        assert [o.case_id for o in store.open_cases("p-josé", ANCHOR)] == ["K-1"]
        assert [o.case_id for o in store.open_cases("p-οδυσσεας", ANCHOR)] == ["K-2"]
