"""``check --full --repair`` makes a MISSING Medicine alerts index again (rt22 F7, H-DATA-375).

rt22 F7: with the derived ``medicine_alert_spans`` table or one of its indexes dropped, both
``check --full`` and ``check --full --repair`` said "missing table(s): medicine_alert_spans: the data
they hold is gone from this file ... Restore the newest good backup", advice that throws away every
record saved since that backup, for data that m012 made from the stored medicine alerts and can
make again. Now the check says it is derived (nothing recorded is lost) and names the repair;
``--repair`` creates the missing objects with m012's own statements, fills the table from the stored
alerts and audits it once; anything else missing is still damage, and nothing is repaired then.

The alerts are the product's rules (resources/medicines/sources.toml): FDA Drug Safety
Communication, 15 October 2020: "FDA recommends avoiding use of NSAIDs in pregnancy at 20 weeks or
later".
"""

from __future__ import annotations

import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage import schema
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.storage.health import expected_objects
from radiculopathy_desktop.storage.paths import DB_FILENAME
from radiculopathy_desktop.storage.store import CaseStore

from .test_check_repair_alert_index import (INTAKE, OPEN, _audited, _count, _pregnant, _raw, _recomputed, _spans,
                                            data_dir, run)  # noqa: F401 (fixtures)

GONE = "the data they hold is gone"


def _schema_sql(folder):
    with _raw(folder) as conn:
        return sorted(conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name LIKE 'medicine_alert_spans%'"))


@pytest.mark.parametrize("drop, names", [
    ("DROP TABLE medicine_alert_spans", "medicine_alert_spans, medicine_alert_spans_case, medicine_alert_spans_day"),
    ("DROP INDEX medicine_alert_spans_day", "medicine_alert_spans_day"),
    ("DROP INDEX medicine_alert_spans_case", "medicine_alert_spans_case"),
    ("DROP TRIGGER medicine_alert_spans_insert", "medicine_alert_spans_insert"),
])
def test_a_missing_part_of_the_index_is_derived_and_made_again(data_dir, run, drop, names):
    expected, structure = _spans(data_dir), _schema_sql(data_dir)
    assert expected and _count(data_dir) == 3
    with _raw(data_dir) as conn:
        conn.execute(drop)
    before = (data_dir / DB_FILENAME).read_bytes()

    code, out, err = run(data_dir, "check", "--full")
    assert code == 3  # not usable as it is
    assert GONE not in out + err and "Restore the newest good backup" not in err
    assert f"missing part of the Medicine alerts index: {names}." in err
    assert "no recorded data is lost" in err and "check --full --repair" in err
    assert "do not restore a backup for this" in err
    assert _audited(data_dir) == []
    assert (data_dir / DB_FILENAME).read_bytes() == before  # the check alone changes nothing

    code, out, err = run(data_dir, "check", "--full", "--repair")
    assert code == 0, err
    # one rebuild, one wording and one audit detail with the drift repair (pg21): a missing table
    # left every case with an alert out of the index; a missing index or trigger, none
    differed = len({r[0] for r in expected}) if "medicine_alert_spans" in names.split(", ") else 0
    assert ("repaired: the Medicine alerts index was made again from the stored medicine alerts (missing and made "
            f"again: {names}; {differed} case(s) differed; {len(expected)} span(s) now); recorded in the audit "
            "table.") in out
    assert "ok" in out.splitlines()
    assert _schema_sql(data_dir) == structure  # m012's own objects, as a fresh database has them
    assert _spans(data_dir) == expected == _recomputed(data_dir)
    [(_action, detail)] = _audited(data_dir)
    assert json.loads(detail) == {"recreated": names.split(", "), "cases": differed, "spans": len(expected)}
    assert _count(data_dir) == 3
    with CaseStore.open(data_dir, create=False) as store:  # saving works and keeps the index again
        store.import_cases([parse_case(_pregnant("P26", 26))], user="test")
        listed = {r.case_id for r in store.worklist(INTAKE, statuses=OPEN, medicine_alerts_only=True)}
    assert listed == {"P22", "P24", "P26", "P31"}
    assert _spans(data_dir) == _recomputed(data_dir)
    # a second repair has nothing to do
    code, out, _err = run(data_dir, "check", "--full", "--repair")
    assert code == 0 and "repaired" not in out and len(_audited(data_dir)) == 1


def test_the_window_and_commands_are_told_it_is_derived_not_to_restore(data_dir):
    with _raw(data_dir) as conn:
        conn.execute("DROP TABLE medicine_alert_spans")
    with pytest.raises(StorageError) as caught:
        CaseStore.open(data_dir, create=False)
    message = caught.value.message
    assert "derived from the stored medicine alerts, so nothing recorded is lost" in message
    assert "check --full --repair" in message and "Restore it from a backup" not in message


def test_with_anything_else_missing_it_is_damage_and_nothing_is_repaired(data_dir, run):
    """The boundary: the index missing AND an audit trigger missing: a backup, not a repair."""
    with _raw(data_dir) as conn:
        conn.execute("DROP INDEX medicine_alert_spans_day")
        name = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit%' "
                            "LIMIT 1").fetchone()[0]
        conn.execute(f"DROP TRIGGER {name}")
    code, _out, err = run(data_dir, "check", "--full", "--repair")
    assert code == 3 and "repaired" not in err
    assert "missing audit trigger(s)" in err and "Restore the newest good backup" in err
    with _raw(data_dir) as conn:
        assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'medicine_alert_spans_day'").fetchone() is None
    assert _audited(data_dir) == []


def test_another_missing_table_is_still_said_to_be_gone(data_dir, run):
    with _raw(data_dir) as conn:
        conn.execute("DROP TABLE drafts")
    code, _out, err = run(data_dir, "check", "--full", "--repair")
    assert code == 3 and "missing table(s): drafts: " + GONE in err and "repaired" not in err


def test_the_repairable_objects_are_exactly_the_index_a_migrated_database_has():
    assert {n for _t, n in schema.ALERT_INDEX_OBJECTS} == {
        "medicine_alert_spans", "medicine_alert_spans_day", "medicine_alert_spans_case",
        "medicine_alert_spans_insert", "medicine_alert_spans_delete", "medicine_alert_spans_update"}
    assert {o for o in expected_objects() if o[1].startswith("medicine_alert_spans")} == schema.ALERT_INDEX_OBJECTS
