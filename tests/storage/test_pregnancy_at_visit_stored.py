"""A pregnancy recorded at a visit, stored, on both engines (preg17; tests/storage/conftest.py
``store``): H-MED-254, H-DATA-256.

The visit's answer is kept with the case (canonical JSON and ``cases.pregnancy``, m009), read
back by ``get_case`` for any date, named in the audit entry, and given by
``pregnancy_records`` to the cases CSV. An older tracker's migration fills ``cases.pregnancy``
from the intake's answer. A re-import that changes the stored visit's answer is refused
without --replace-records (the visit would be lost), and listed with what it recorded with it.
FDA Drug Safety Communication 2020: "We recommend avoiding NSAIDs in pregnant women at 20
weeks, rather than the 30 weeks currently described in NSAID prescribing information".
"""

from __future__ import annotations

import copy
import datetime as dt
import sqlite3

import pytest

from radiculopathy_desktop.domain.intake import FollowUpVisit, PregnancyUpdate, case_to_dict, parse_case
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.errors import UserError
from radiculopathy_desktop.reports.csv_export import COLUMN_NAMES, worklist_cells
from radiculopathy_desktop.storage import schema
from radiculopathy_desktop.storage.store import CaseStore
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - dt.timedelta(days=60)
DAY = ANCHOR - dt.timedelta(days=20)


def _case(case_id, weeks=None, pregnant=None) -> dict:
    d = case_dict(case_id, care_start=INTAKE)
    d["patient"]["sex"] = "female"
    if weeks is not None:
        d["patient"]["pregnancy_weeks"] = weeks
    if pregnant is not None:
        d["patient"]["pregnant"] = pregnant
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    return d


def _ibuprofen(case, day):
    return assess_medications(case.intake_as_of(day), day).row("ibuprofen").status


def test_a_visits_pregnancy_is_stored_read_back_for_any_date_and_audited(store):
    store.import_cases([parse_case(_case("V"))])
    store.add_visit("V", FollowUpVisit(DAY, notes="dating scan", pregnancy=PregnancyUpdate(True, 18)), user="dr.a")
    case = store.get_case("V")
    assert case.visits[0].pregnancy == PregnancyUpdate(True, 18)
    assert case.patient.pregnancy_weeks is None  # the intake's answer is never rewritten
    assert _ibuprofen(case, DAY - dt.timedelta(days=1)) == "ok"
    assert _ibuprofen(case, DAY + dt.timedelta(days=13)) == "caution"   # 19 weeks
    assert _ibuprofen(case, DAY + dt.timedelta(days=14)) == "avoid"     # 20 weeks
    entry = next(a for a in store.audit(case_id="V") if a.action == "visit_added")
    assert entry.detail["pregnancy"] == {"pregnant": True, "weeks": 18}
    assert store.pregnancy_records() == {"V": [[DAY.isoformat(), 18, 1]]}


def test_the_cases_csv_cells_follow_the_stored_records_on_each_rows_date(store):
    store.import_cases([parse_case(_case("A", weeks=30)), parse_case(_case("B")), parse_case(_case("C", pregnant=False))])
    store.add_visit("A", FollowUpVisit(DAY, notes="delivered", pregnancy=PregnancyUpdate(False, None, DAY)),
                    user="dr.a")
    records = store.pregnancy_records()
    assert set(records) == {"A", "C"}  # B records no answer
    from radiculopathy_desktop.domain.followup import ReviewStatus

    def every(as_of):
        rows = store.worklist(as_of, statuses=list(ReviewStatus))
        at = COLUMN_NAMES.index("pregnant")
        return {r.case_id: tuple(c[at:at + 2]) for r, c in zip(rows, worklist_cells(rows, "cv", records))}

    assert every(DAY - dt.timedelta(days=1)) == {"A": ("yes", 35), "B": ("", ""), "C": ("no", "")}
    assert every(DAY) == {"A": ("no", ""), "B": ("", ""), "C": ("no", "")}


def test_a_re_import_that_changes_the_stored_visits_answer_is_refused_and_listed_when_replaced(store):
    store.import_cases([parse_case(_case("R", weeks=24))])
    store.add_visit("R", FollowUpVisit(DAY, notes="delivered", pregnancy=PregnancyUpdate(False)), user="dr.a")
    exported = case_to_dict(store.get_case("R"))
    changed = copy.deepcopy(exported)
    changed["visits"][0]["pregnancy"] = {"pregnant": True, "weeks": 27}
    with pytest.raises(UserError) as exc:
        store.import_cases([parse_case(changed)])
    assert "lacks 1 visit" in exc.value.message
    assert store.get_case("R").visits[0].pregnancy == PregnancyUpdate(False)  # nothing changed
    result = store.import_cases([parse_case(changed)], replace_records=True)
    assert store.get_case("R").visits[0].pregnancy == PregnancyUpdate(True, 27)
    (removed,) = result.removed
    assert removed["record"] == "visit" and removed["pregnancy"] == {"pregnant": False}


@pytest.mark.sqlite_only("the SQLite file's migration; the clinic server's is the next test")
def test_m010_fills_the_records_from_the_intakes_answer(store, data_dir, db_path):
    from helpers.schema_v5 import make_version_9

    store.import_cases([parse_case(_case("W", weeks=18)), parse_case(_case("N", pregnant=False)),
                        parse_case(_case("U"))])
    store.close()
    make_version_9(db_path)
    conn = sqlite3.connect(db_path)
    assert schema.pending_names(conn) == ["m010_pregnancy", "m011_patient_key_turkish_i",
                                          "m012_medicine_alert_spans", "m013_derived_recompute_audit",
                                          "m014_clock_follow_up"]
    conn.close()
    with CaseStore.open(data_dir) as upgraded:
        assert upgraded.pregnancy_records() == {"W": [[INTAKE.isoformat(), 18, 0]], "N": [[INTAKE.isoformat(), False, 0]]}


def test_m010_on_the_clinic_server_fills_the_records_from_the_intakes_answer(request):
    import psycopg

    from radiculopathy_desktop.storage.pg import setup
    from radiculopathy_desktop.storage.pg.store import PgStore

    server = request.getfixturevalue("pg_server")
    url = request.getfixturevalue("pg_database")
    with PgStore.open(url()) as pg:
        pg.import_cases([parse_case(_case("W", weeks=18)), parse_case(_case("N", pregnant=False)),
                         parse_case(_case("U"))])
    with psycopg.connect(server.conninfo(url.dbname)) as conn:  # as the server's superuser
        conn.execute("ALTER TABLE cases DROP COLUMN pregnancy")
        conn.execute("DELETE FROM schema_migrations WHERE name = 'm010_pregnancy'")
        conn.commit()
        assert setup.initialise(conn).applied == ("m010_pregnancy",)
    with PgStore.open(url()) as pg:
        assert pg.pregnancy_records() == {"W": [[INTAKE.isoformat(), 18, 0]], "N": [[INTAKE.isoformat(), False, 0]]}


def test_two_new_visits_of_one_date_with_different_pregnancy_answers_and_no_order_are_refused(store):
    """Which was entered last (and so stands from that date on) is not known: refused, as two
    disagreeing red-flag answers are; with their entry order they are imported."""
    data = _case("T", weeks=24)
    data["visits"] = [{"date": DAY.isoformat(), "notes": "a", "pregnancy": {"pregnant": False}},
                      {"date": DAY.isoformat(), "notes": "b", "pregnancy": {"pregnant": True, "weeks": 27}}]
    options = {"user": "import", "legacy_decisions": False, "one_case_per_episode": True}  # as `import` does
    with pytest.raises(UserError) as exc:
        store.import_cases([parse_case(data)], **options)
    assert "the pregnancy (27 weeks and not pregnant)" in exc.value.message and "entry" in exc.value.message
    assert not store.has_case("T")
    data["visits"][0]["entry"], data["visits"][1]["entry"] = 2, 1
    store.import_cases([parse_case(data)], **options)
    assert store.get_case("T").pregnancy_status(DAY).answer == "no"  # entered last
