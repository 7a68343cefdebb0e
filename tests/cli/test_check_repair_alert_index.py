"""``check --full --repair`` makes a drifted Medicine alerts index again (st20, issue 17 item 3).

The index (``medicine_alert_spans``, m012) is kept by triggers on the stored medicine alerts; a hand
edit or a damaged write can leave it differing from them, and then the Medicine alerts filter and its
count leave a case out. ``check --full`` named such cases (span19) but nothing could repair them:
now ``--repair`` makes the index again from the stored alerts (m012's back-fill), audited, and
changes nothing when the index agrees or the database is not sound.

The alerts are the product's rules (resources/medicines/sources.toml): FDA Drug Safety
Communication, 15 October 2020: "FDA recommends avoiding use of NSAIDs in pregnancy at 20 weeks or
later"; NSAID labels advise against use "at 30 weeks and later in pregnancy".
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from radiculopathy_desktop import cli
from radiculopathy_desktop.domain.followup import ReviewStatus
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage import schema
from radiculopathy_desktop.storage.paths import DB_FILENAME
from radiculopathy_desktop.storage.store import CaseStore
from tracker_support import ANCHOR, case_dict

OPEN = [s for s in ReviewStatus if s != ReviewStatus.CLOSED]
INTAKE = ANCHOR - dt.timedelta(days=20)
DRIFTED = "the Medicine alerts index (medicine_alert_spans) differs"


def _pregnant(case_id, weeks):
    d = case_dict(case_id, care_start=INTAKE)
    d["patient"]["sex"] = "female"
    d["patient"]["pregnancy_weeks"] = weeks
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200.0}]
    return d


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    with CaseStore.open(folder) as store:
        store.import_cases([parse_case(_pregnant(f"P{w}", w)) for w in (22, 24, 31)]
                           + [parse_case(case_dict("PLAIN", care_start=INTAKE))], user="test")
    return folder


@pytest.fixture
def run(capsys):
    def run(folder: Path, *args: str) -> tuple[int, str, str]:
        code = cli.main(["--data-dir", str(folder), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


def _raw(folder: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(folder / DB_FILENAME), isolation_level=None)


def _spans(folder: Path) -> list[tuple]:
    with _raw(folder) as conn:
        return sorted(conn.execute("SELECT case_id, profile, from_ord, until_ord FROM medicine_alert_spans"))


def _recomputed(folder: Path) -> list[tuple]:
    with _raw(folder) as conn:
        return sorted(conn.execute(schema.alert_spans_recomputed_sql()))


def _count(folder: Path) -> int:
    with CaseStore.open(folder, create=False) as store:
        return store.medicine_alert_count(INTAKE, OPEN)


def _audited(folder: Path) -> list[tuple]:
    with _raw(folder) as conn:
        return conn.execute("SELECT action, detail_json FROM audit WHERE action = 'alert_index_rebuilt'").fetchall()


def _drift(folder: Path) -> None:
    """P24's spans gone and a span for PLAIN (no medicine) made up: a hand edit of the index."""
    conn = _raw(folder)
    try:
        conn.execute("DELETE FROM medicine_alert_spans WHERE case_id = 'P24'")
        conn.execute("INSERT INTO medicine_alert_spans VALUES ('PLAIN', 'us', ?, NULL)", (INTAKE.toordinal(),))
    finally:
        conn.close()


def test_a_drifted_index_is_made_again_and_the_count_is_right_again(data_dir, run):
    assert _count(data_dir) == 3
    expected = _spans(data_dir)
    assert expected == _recomputed(data_dir) and expected  # the triggers kept it
    _drift(data_dir)
    assert _count(data_dir) == 3  # P24 missing, PLAIN made up: the same number, the wrong cases
    with CaseStore.open(data_dir, create=False) as store:
        listed = {r.case_id for r in store.worklist(INTAKE, statuses=OPEN, medicine_alerts_only=True)}
    assert listed == {"P22", "P31", "PLAIN"}  # the pregnant patient on ibuprofen at 24 weeks is left out
    code, out, _err = run(data_dir, "check", "--full")
    assert code == 0 and f"warning: {DRIFTED} from the stored medicine alerts for 2 case(s): P24, PLAIN" in out
    assert "check --full --repair" in out
    assert _spans(data_dir) != expected  # check alone changes nothing

    code, out, _err = run(data_dir, "check", "--full", "--repair")
    assert code == 0
    assert ("repaired: the Medicine alerts index was made again from the stored medicine alerts (2 case(s) "
            f"differed; {len(expected)} span(s) now); recorded in the audit table.") in out
    assert DRIFTED not in out  # the check printed after the repair finds it agreeing
    assert _spans(data_dir) == expected == _recomputed(data_dir)
    with CaseStore.open(data_dir, create=False) as store:
        listed = {r.case_id for r in store.worklist(INTAKE, statuses=OPEN, medicine_alerts_only=True)}
    assert listed == {"P22", "P24", "P31"}
    assert _count(data_dir) == 3
    [(_action, detail)] = _audited(data_dir)
    assert json.loads(detail) == {"recreated": [], "cases": 2, "spans": len(expected)}  # one contract (pg21)
    # once right, a second repair finds nothing to do and writes nothing
    code, out, _err = run(data_dir, "check", "--full", "--repair")
    assert code == 0 and "repaired" not in out and DRIFTED not in out
    assert len(_audited(data_dir)) == 1


def test_repair_on_an_index_that_agrees_changes_nothing(data_dir, run):
    before = (data_dir / DB_FILENAME).read_bytes()
    code, out, _err = run(data_dir, "check", "--repair")  # --repair runs the full check
    assert code == 0 and "repaired" not in out
    assert _audited(data_dir) == []
    assert (data_dir / DB_FILENAME).read_bytes() == before


def test_a_damaged_database_is_not_repaired(data_dir, run):
    """A database check --full does not call sound (a missing audit trigger) is left alone."""
    _drift(data_dir)
    with _raw(data_dir) as conn:
        name = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit%' "
                            "LIMIT 1").fetchone()[0]
        conn.execute(f"DROP TRIGGER {name}")
    drifted = _spans(data_dir)
    code, _out, _err = run(data_dir, "check", "--full", "--repair")
    assert code == 3
    assert _spans(data_dir) == drifted and _audited(data_dir) == []
