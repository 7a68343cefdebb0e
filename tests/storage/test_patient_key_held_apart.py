"""Two people whose IDs one patient key joins are never joined silently (red team rt19 F5,
fxc18, H-FU-303).

m011 (id18) made the Turkish-layout I one letter in the patient key, so ``PİD-9`` and
``pid-9``, stored apart by schema 10 as two patients, share a key after the upgrade. When
their patients differ (here Ayşe, female, 1990 and Bob, male, 1950), they are different
people: the one-open-case rule, the pregnancy check and the Patients list treat them apart
(``domain.identity.same_person``), and ``check --full`` names them on both engines. Two IDs
one key joins whose patients agree (or are unknown) are still one patient (id18).
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from radiculopathy_desktop.domain.episodes import OpenCaseExists
from radiculopathy_desktop.domain.identity import held_apart, same_person
from radiculopathy_desktop.domain.intake import Patient, parse_case
from tracker_support import ANCHOR, case_dict

D = dt.timedelta
AYSE = {"id": "PİD-9", "name": "Ayşe Yılmaz", "birth_date": "1990-01-01", "sex": "female"}
BOB = {"id": "pid-9", "name": "Bob Jones", "birth_date": "1950-05-05", "sex": "male"}


def _case(case_id: str, patient: dict, days_ago: int):
    data = case_dict(case_id, care_start=ANCHOR - D(days=days_ago))
    data["patient"] = {**data["patient"], **patient}
    data["patient"].pop("age_years", None)
    return parse_case(data)


def _p(pid, name=None, born=None, sex="unknown"):
    return Patient(id=pid, name=name, birth_date=dt.date.fromisoformat(born) if born else None, sex=sex)


@pytest.mark.parametrize("a, b, same", [
    (_p("PİD-9", "Ayşe Yılmaz", "1990-01-01", "female"), _p("pid-9", "Bob Jones", "1950-05-05", "male"), False),
    (_p("PİD-9", "Ann Lee", "1990-01-01", "female"), _p("pid-9", "Ann Lee", "1990-01-02", "female"), False),  # a day apart
    (_p("PİD-9", "Ann Lee", "1990-01-01", "female"), _p("pid-9", "Ann Lee", "1990-01-01", "male"), False),
    (_p("PİD-9", "Ann Lee", "1990-01-01", "female"), _p("pid-9", "Bea Lee", "1990-01-01", "female"), False),
    (_p("PİD-9", "Ann Lee", "1990-01-01", "female"), _p("pid-9", "ANN LEE", "1990-01-01", "female"), True),
    (_p("PİD-9", "Ann Lee", "1990-01-01", "female"), _p("pid-9"), True),  # unknown is not a difference
    (_p("P-1", "Ann Lee"), _p("p-1", "Ann Lee"), True),
    (_p("PİD-9", "Ann Lee"), _p("pid-8", "Ann Lee"), False),  # another key: another patient, as before
    (_p("pid-9", "Ann Lee"), _p("pid-9", "Bob Jones"), True),  # one ID: one person (import refuses the clash)
])
def test_same_person(a, b, same):
    assert same_person(a, b) is same and same_person(b, a) is same


def test_held_apart_names_only_the_groups_whose_patients_differ():
    assert held_apart([_p("PİD-9", "Ayşe Yılmaz", "1990-01-01", "female"), _p("pid-9", "Bob Jones", "1950-05-05", "male"),
                       _p("P-1", "Ann Lee"), _p("p-1", "Ann Lee"), _p("X-2", "Cy")]) == [("PİD-9", "pid-9")]


def _assert_kept_apart(store):
    assert [o.case_id for o in store.open_cases("pid-9", ANCHOR)] == ["TB"]
    assert [o.case_id for o in store.open_cases("PİD-9", ANCHOR)] == ["TA"]
    assert [c.case_id for c in store.patient_cases("pid-9")] == ["TB"]
    # Bob's new case is refused by his own open case only, never Ayşe's
    with pytest.raises(OpenCaseExists) as caught:
        store.import_cases([_case("TC", BOB, 2)], user="dr.a", open_case_as_of=ANCHOR)
    assert "case TB" in str(caught.value) and "TA" not in str(caught.value)
    assert not store.has_case("TC")
    from radiculopathy_desktop.ui.patients import patient_groups

    groups = [[m.patient_id for m in g] for g in patient_groups(store.search_patients("pid-9"))]
    assert sorted(groups) == [["PİD-9"], ["pid-9"]]
    # a search for Bob's name lists Bob only, not Ayşe's ID beside him as "one patient"
    assert [m.patient_id for m in store.search_patients("Bob Jones")] == ["pid-9"]


def test_sqlite_m011_keeps_two_people_apart_and_check_full_names_them(data_dir):
    from helpers.schema_v5 import make_version_10
    from radiculopathy_desktop.storage import health, schema
    from radiculopathy_desktop.storage.store import CaseStore

    with CaseStore.open(data_dir) as store:
        store.import_cases([_case("TA", AYSE, 10)], user="dr.a")
        store.import_cases([_case("TB", BOB, 10)], user="dr.a", open_case_as_of=ANCHOR)
        path = store.path
    make_version_10(path)
    with CaseStore.open(data_dir) as store:  # the upgrade (m011) runs here
        _assert_kept_apart(store)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    conn.close()
    lines = [w for w in health.diagnose(data_dir, full=True).warnings if "kept apart" in w]
    assert len(lines) == 1 and "PİD-9, pid-9" in lines[0]
    with CaseStore.open(data_dir) as store:  # the upgrade named them in the audit, once
        entries = [e for e in store.audit() if e.action == "patient_ids_kept_apart"]
    assert len(entries) == 1 and entries[0].user == "upgrade"
    assert entries[0].detail["groups"] == [{"patient_ids": ["PİD-9", "pid-9"], "cases": ["TA", "TB"]}]


def test_a_new_case_for_the_same_person_typed_with_a_turkish_i_is_still_refused(data_dir):
    from radiculopathy_desktop.storage.store import CaseStore

    with CaseStore.open(data_dir) as store:
        store.import_cases([_case("TA", {**AYSE, "id": "pid-9"}, 10)], user="dr.a")
        with pytest.raises(OpenCaseExists):
            store.import_cases([_case("TD", AYSE, 2)], user="dr.a", open_case_as_of=ANCHOR)


def test_server_init_m011_keeps_two_people_apart(pg_server, pg_database, capsys):
    import json

    import psycopg

    from helpers.schema_v5 import old_patient_key
    from radiculopathy_desktop.storage.pg import setup
    from radiculopathy_desktop.storage.pg.store import PgStore

    with PgStore.open(pg_database()) as store:
        store.import_cases([_case("TA", AYSE, 10)], user="dr.a")
        store.import_cases([_case("TB", BOB, 10)], user="dr.a", open_case_as_of=ANCHOR)
    with psycopg.connect(pg_server.conninfo(pg_database.dbname), autocommit=True) as su:
        su.execute("UPDATE cases SET patient_key = %s WHERE case_id = 'TA'", (old_patient_key("PİD-9"),))
        su.execute("DELETE FROM schema_migrations WHERE name = 'm011_patient_key_turkish_i'")
        su.autocommit = False
        try:
            assert setup.initialise(su).applied == ("m011_patient_key_turkish_i",)
            su.commit()
        finally:
            su.autocommit = True
        from radiculopathy_desktop.storage.health import STORED_PATIENTS_SQL, held_apart_lines

        lines = held_apart_lines(su.execute(STORED_PATIENTS_SQL).fetchall())
        assert len(lines) == 1 and "PİD-9, pid-9" in lines[0]
        (detail,) = [json.loads(r[0]) for r in su.execute(
            "SELECT detail_json FROM audit WHERE action = 'patient_ids_kept_apart' AND \"user\" = 'upgrade'")]
        assert detail["groups"] == [{"patient_ids": ["PİD-9", "pid-9"], "cases": ["TA", "TB"]}]
    with PgStore.open(pg_database()) as store:
        _assert_kept_apart(store)


def test_the_audit_view_says_the_upgrade_kept_them_apart():
    from radiculopathy_desktop.ui.audit_view import action_words, detail_words

    assert action_words("patient_ids_kept_apart") == "Upgrade: patient IDs kept apart (different people)"
    assert detail_words("patient_ids_kept_apart", {"groups": [{"patient_ids": ["PİD-9", "pid-9"], "cases": ["TA"]}]}) \
        == "PİD-9 and pid-9 are different people"
