"""`server check --full --repair` makes the clinic server's drifted Medicine alerts index again,
through the same contract as the local `check --full --repair` (pg21; fxn20 / st20 leftover;
hazard H-DATA-392), and refuses clearly what it cannot repair.

Before: `server check --full` named the cases whose index rows differ from their stored alerts
(the Medicine alerts filter and count leave them out) and said "tell its IT"; nothing on the
server rebuilt it. Now, with an admin login, one server function (m013) rebuilds it from the
stored alerts in one transaction and writes one `alert_index_rebuilt` audit entry with the local
repair's detail ({"recreated", "cases", "spans"}) and wording. A clinician login is refused (exit
3, nothing changed); a part of the index missing from the server's schema is refused for IT (a
change of schema, not derived data); an index that agrees is left alone.

The alerts are the product's rules (resources/medicines/sources.toml): FDA Drug Safety
Communication, 15 October 2020: "FDA recommends avoiding use of NSAIDs in pregnancy at 20 weeks or
later".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import psycopg
import pytest

import pg_server as pgs
from radiculopathy_desktop import cli
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.pg.schema import alert_spans_recomputed_sql
from radiculopathy_desktop.storage.pg.store import PgStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from test_check_repair_alert_index import DRIFTED, INTAKE, OPEN, _pregnant  # noqa: E402
from tracker_support import case_dict  # noqa: E402

REPAIRED = "repaired: the Medicine alerts index was made again from the stored medicine alerts"


@pytest.fixture
def run(capsys):
    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = cli.main(list(args))
        except SystemExit as exc:
            code = exc.code
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


@pytest.fixture
def server(pg_database, pg_server):
    with PgStore.open(pg_database(pgs.CLINICIAN_LOGIN)) as store:
        store.import_cases([parse_case(_pregnant(f"P{w}", w)) for w in (22, 24, 31)]
                           + [parse_case(case_dict("PLAIN", care_start=INTAKE))], user="test")
    return pg_database, pg_server


def _su(server):
    url, pg = server
    return psycopg.connect(pg.conninfo(url.dbname), autocommit=True)


def _spans(server):
    with _su(server) as conn:
        return sorted(conn.execute("SELECT case_id, profile, from_ord, until_ord FROM medicine_alert_spans").fetchall())


def _recomputed(server):
    with _su(server) as conn:
        return sorted(conn.execute(alert_spans_recomputed_sql()).fetchall())


def _audit(server):
    with _su(server) as conn:
        return conn.execute("SELECT action, detail_json, db_role FROM audit ORDER BY id").fetchall()


def _drift(server):
    """P24's spans gone and a span for PLAIN (no medicine) made up: a hand edit of the index."""
    with _su(server) as conn:
        conn.execute("DELETE FROM medicine_alert_spans WHERE case_id = 'P24'")
        conn.execute("INSERT INTO medicine_alert_spans VALUES ('PLAIN', 'us', %s, NULL)", (INTAKE.toordinal(),))


def _count(server):
    url, _ = server
    with PgStore.open(url(pgs.CLINICIAN_LOGIN)) as store:
        return store.medicine_alert_count(INTAKE, OPEN)


def test_an_admin_repairs_a_drifted_index_once_audited_as_on_a_local_file(server, run):
    url, _ = server
    expected = _spans(server)
    assert expected == _recomputed(server) and expected and _count(server) == 3
    _drift(server)
    code, out, _err = run("server", "check", "--full", url(pgs.ADMIN_LOGIN))
    assert code == 0 and f"warning: {DRIFTED} from the stored medicine alerts for 2 case(s): P24, PLAIN" in out
    assert "server check --full --repair" in out and _spans(server) != expected  # check alone changes nothing
    audit0 = _audit(server)

    code, out, err = run("server", "check", "--full", "--repair", url(pgs.ADMIN_LOGIN))
    assert code == 0, err
    assert (f"{REPAIRED} (2 case(s) differed; {len(expected)} span(s) now); recorded in the audit table.") in out
    assert DRIFTED not in out  # the scan printed after the repair finds it agreeing
    assert _spans(server) == expected == _recomputed(server) and _count(server) == 3
    added = _audit(server)[len(audit0):]
    assert [(a, role) for a, _d, role in added] == [("alert_index_rebuilt", pgs.ADMIN_LOGIN)]
    assert json.loads(added[0][1]) == {"recreated": [], "cases": 2, "spans": len(expected)}  # the local detail

    code, out, _ = run("server", "check", "--full", "--repair", url(pgs.ADMIN_LOGIN))  # nothing left to do
    assert code == 0 and "repaired" not in out and len(_audit(server)) == len(audit0) + 1


def test_a_clinician_login_is_refused_and_nothing_changes(server, run):
    url, _ = server
    _drift(server)
    spans, audit0 = _spans(server), _audit(server)
    code, out, err = run("server", "check", "--full", "--repair", url(pgs.CLINICIAN_LOGIN))
    assert code == 3 and "repaired:" not in out
    assert "not repaired: repairing the clinic server needs an admin login" in err and "Nothing was changed" in err
    assert _spans(server) == spans and _audit(server) == audit0


def test_a_clinician_cannot_call_the_rebuild_function_directly(server):
    url, pg = server
    with psycopg.connect(pg.conninfo(url.dbname, pgs.CLINICIAN_LOGIN)) as conn, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("SELECT * FROM radiculopathy_rebuild_alert_index('me')")


def test_a_part_missing_from_the_schema_is_refused_for_it(server, run):
    url, _ = server
    with _su(server) as conn:
        conn.execute("DROP INDEX medicine_alert_spans_day")
    audit0 = _audit(server)
    code, out, err = run("server", "check", "--full", "--repair", url(pgs.ADMIN_LOGIN))
    assert code == 3 and "repaired:" not in out
    assert ("not repaired: part of the Medicine alerts index is missing from the clinic server's schema "
            "(medicine_alert_spans_day)") in err
    assert "tell the clinic's IT" in err and "Nothing was changed" in err
    assert _audit(server) == audit0


def test_an_index_that_agrees_is_left_alone(server, run):
    url, _ = server
    spans, audit0 = _spans(server), _audit(server)
    code, out, err = run("server", "check", "--full", "--repair", url(pgs.ADMIN_LOGIN))
    assert code == 0 and "repaired" not in out + err
    assert _spans(server) == spans and _audit(server) == audit0


def _row_count(out: str, table: str) -> int:
    [line] = [ln for ln in out.splitlines() if ln.split()[:2] == ["rows", table]]
    return int(line.split()[-1])


def test_the_counts_printed_after_a_repair_are_those_after_it(server, run):
    """rt23 F8 (srv22): the report's row counts were taken before the repair, so "rows audit"
    was one short of the audit the repair had just written to. README: "prints `repaired: ...`
    and the check of the result"."""
    url, _ = server
    _drift(server)
    code, out, err = run("server", "check", "--full", "--repair", url(pgs.ADMIN_LOGIN))
    assert code == 0, err
    assert _row_count(out, "audit") == len(_audit(server))  # the repair's own entry counted
    assert out.index(REPAIRED) < out.index("rows audit")  # what was repaired, then the check of the result
    assert "stored records" in out and DRIFTED not in out


def test_on_the_server_the_drift_warning_names_the_server_command_first(server, run):
    """rt23 F8 (srv22): on the clinic server the advice was the local `check --full --repair`
    first, the server's own command in parentheses."""
    url, _ = server
    _drift(server)
    code, out, _err = run("server", "check", "--full", url(pgs.ADMIN_LOGIN))
    assert code == 0
    [warning] = [ln for ln in out.splitlines() if DRIFTED in ln]
    assert "Nothing was changed: `radiculopathy-desktop server check --full --repair` with an admin login" in warning
    assert "`radiculopathy-desktop check --full" not in warning
