"""`server migrate-from` into a server that already holds records (the clinic's second
workstation; red-team rt14 F6). The server numbers the records it takes in after its own
(`entry`, m007), so the check after moving compares each case without the records' entry
numbers and checks their order of entry apart (README, "Moving a workstation's tracker in"):
the second move is verified (exit 0), a re-run finds the cases "already on the server (the same
record: a duplicate)", and the moved records keep their local order. Against the throwaway
cluster (tests/pg_server.py): two migrations into one server.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pg_server as pgs
from helpers.cli_run import cli_runner
from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit, parse_case
from radiculopathy_desktop.domain.vocab import DecisionKind
from radiculopathy_desktop.storage.pg.store import PgStore
from radiculopathy_desktop.storage.store import CaseStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402

D = dt.timedelta


def _workstation(folder: Path, prefix: str) -> Path:
    """A tracker with two cases: one imported with visits, one given a visit and a decision
    one by one (numbered records, as `visit` and `decide` enter them)."""
    intake = ANCHOR - D(days=60)
    with CaseStore.open(folder) as local:
        local.import_cases([
            parse_case(case_dict(f"{prefix}-1", care_start=intake, visits=[
                {"date": intake + D(days=14), "leg_nrs": 6}, {"date": intake + D(days=28), "leg_nrs": 5}])),
            parse_case(case_dict(f"{prefix}-2", care_start=intake))], user="dr.local")
        local.add_visit(f"{prefix}-2", FollowUpVisit(date=intake + D(days=20), leg_nrs=4), user="dr.local")
        local.record_decision(f"{prefix}-2", Decision(intake + D(days=20), DecisionKind.RESOLVED_DISCHARGED,
                                                      by="Dr L", acknowledged_red_flags=()), user="dr.local")
        local.add_visit(f"{prefix}-2", FollowUpVisit(date=intake + D(days=20), leg_nrs=3), user="dr.local")
    return folder


def _order(case) -> list[tuple[str, int]]:
    """The case's records in their order of entry: (what, leg score or kind)."""
    records = [(v.entry, "visit", v.leg_nrs) for v in case.visits] + [(d.entry, "decision", str(d.kind))
                                                                      for d in case.decisions]
    return [(what, detail) for _, what, detail in sorted(records, key=lambda r: r[0])]


def test_a_second_workstation_moved_into_a_server_holding_records_is_verified(capsys, pg_database, tmp_path):
    run = cli_runner(capsys, fresh_output=True)
    server = pg_database(pgs.ADMIN_LOGIN)
    first = _workstation(tmp_path / "ws1", "WS1")
    second = _workstation(tmp_path / "ws2", "WS2")
    with CaseStore.open(second) as local:
        local_order = {c: _order(local.get_case(c)) for c in ("WS2-1", "WS2-2")}
        local_entries = sorted(v.entry for v in local.get_case("WS2-2").visits)

    code, out, err = run("server", "migrate-from", str(first), "--server", server)
    assert code == 0, err
    code, out, err = run("server", "migrate-from", str(second), "--server", server)
    assert code == 0, err  # was exit 3: "The check after moving found differences"
    assert "moved: 2 cases" in out and "verified: case count 2 -> 4" in out
    assert "keep their order of entry" in out
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as clinic:
        # renumbered after the first workstation's records, in the local order
        assert sorted(v.entry for v in clinic.get_case("WS2-2").visits) != local_entries
        assert {c: _order(clinic.get_case(c)) for c in ("WS2-1", "WS2-2")} == local_order

    # a re-run recognises the cases as the same records (ignoring the entry numbers)
    code, out, err = run("server", "migrate-from", str(second), "--server", server)
    assert code == 2 and "Nothing was moved" in err
    assert "case WS2-1: already on the server (the same record: a duplicate)" in err
    assert "case WS2-2: already on the server (the same record: a duplicate)" in err
    assert "with a different record" not in err


def test_a_case_changed_on_the_server_is_still_a_different_record(capsys, pg_database, tmp_path):
    """Boundary: leaving the numbers out does not hide a real difference."""
    run = cli_runner(capsys, fresh_output=True)
    server = pg_database(pgs.ADMIN_LOGIN)
    folder = _workstation(tmp_path / "ws", "WS")
    assert run("server", "migrate-from", str(folder), "--server", server)[0] == 0
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as clinic:
        clinic.add_visit("WS-1", FollowUpVisit(date=ANCHOR - D(days=5), leg_nrs=2), user="dr.server")
    code, out, err = run("server", "migrate-from", str(folder), "--server", server)
    assert code == 2
    assert "case WS-1: already on the server with a different record" in err
    assert "case WS-2: already on the server (the same record: a duplicate)" in err
