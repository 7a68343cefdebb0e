"""When the derived-data recompute inside `server init` fails, the message says that the schema
step is done and that running `server init` again only recomputes (srv22 leftover; README,
Clinic server: "Then, in its own transaction, it does the one-time recompute ...").

Before: the schema step's line was printed, then the recompute's failure alone ("error: A
stored case ... could not be read"), exit 3: IT could not tell from the message whether the
upgrade had to be undone, whether workstations could open the server, or what running it again
would do.

Now the failure is followed by what is done and what to do: the schema is at version 14 and
workstations of this version can open it, the recompute's own changes were undone, nothing
recorded changed, and running `server init` again only recomputes. Run again once the cause is
fixed, it does exactly that: one recompute, one audit entry, no schema step.
"""

from __future__ import annotations

import psycopg

from radiculopathy_desktop.storage.pg import setup
from radiculopathy_desktop.storage.pg.store import PgStore

from test_pg_derived_recompute_audit import _recorded
from test_pg_server_init_recompute import DB, IT, _audit, _stored_version, it_v12, run  # noqa: F401 (fixtures)


def _document(pg, case_id: str, text: str | None = None) -> str:
    with psycopg.connect(pg.conninfo(DB), autocommit=True) as conn:
        if text is not None:
            conn.execute("SET session_replication_role = replica")  # a damaged document, as a disk or hand edit leaves it
            conn.execute("UPDATE case_documents SET case_json = %s WHERE case_id = %s", (text, case_id))
        return conn.execute("SELECT case_json FROM case_documents WHERE case_id = %s", (case_id,)).fetchone()[0]


def test_a_failed_recompute_says_the_schema_step_is_done_and_a_second_run_only_recomputes(it_v12, run):
    pg = it_v12
    kept = _document(pg, "PLAIN")
    _document(pg, "PLAIN", '{"not": "a case"}')
    audit0, recorded0 = _audit(pg), _recorded(pg, DB)
    code, out, err = run("server", "init", pg.url(DB, IT))
    assert code == 3
    assert "schema: upgraded from version 12 to 14" in out
    assert "derived data: recomputing" in out and "derived data: recomputed" not in out
    # what failed, then what is done and what to do, in the message IT reads
    assert err.startswith("error: ")
    assert "PLAIN" in err  # the failure itself comes first, as before
    assert "The schema step is done: the server is at schema version 14" in err
    assert "workstations of this version can open it" in err
    assert "did not finish, and its own changes were undone; nothing recorded changed" in err
    assert "Run `radiculopathy-desktop server init` again" in err and "it only recomputes" in err
    assert err.index("PLAIN") < err.index("The schema step is done")
    # and it is true: the schema is done, the recompute is not, nothing else moved
    with psycopg.connect(pg.conninfo(DB)) as conn:
        assert len(setup.applied_versions(conn)) == 14
    assert _stored_version(pg) is None and _audit(pg) == audit0 and _recorded(pg, DB) == recorded0
    # fixed and run again: no schema step, the recompute once, its one entry
    _document(pg, "PLAIN", kept)
    code, out, err = run("server", "init", pg.url(DB, IT))
    assert code == 0, err
    assert "schema: already at version 14" in out and "schema: applying" not in out
    assert "derived data: recomputed for 3 case(s)" in out
    assert _stored_version(pg) == PgStore.derived_version()
    assert [a for a, *_ in _audit(pg)[len(audit0):]] == ["derived_data_recomputed"]


def test_an_unexpected_failure_of_the_recompute_says_the_same_with_exit_70(it_v12, run, monkeypatch):
    pg = it_v12

    def broken(self, progress=None):
        raise RuntimeError("a bug in the recompute")

    monkeypatch.setattr(PgStore, "upgrade_derived_data", broken)
    code, out, err = run("server", "init", pg.url(DB, IT))
    assert code == 70
    assert "schema: upgraded from version 12 to 14" in out
    assert "An unexpected problem stopped the derived-data recompute (RuntimeError)" in err
    assert "Details for support:" in err
    assert "The schema step is done: the server is at schema version 14" in err and "it only recomputes" in err
    assert "a bug in the recompute" not in err  # the details go to the log, not the terminal


def test_a_recompute_with_nothing_to_do_prints_no_failure(it_v12, run):
    pg = it_v12
    assert run("server", "init", pg.url(DB, IT))[0] == 0
    code, out, err = run("server", "init", pg.url(DB, IT))
    assert code == 0 and err == ""
    assert "derived data: up to date (nothing to recompute)" in out and "schema step is done" not in out
