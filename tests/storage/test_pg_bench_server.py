"""benchmarks/bench_server.py's parts, briefly, so the script cannot rot.

The script prints figures and asserts nothing. Here its writers part (five processes,
each its own PgStore and clinician login, adding visits, some to cases they all share)
runs on the test cluster for five seconds, and its load, worklist and start-up parts on
150 cases with one repetition; only what they verify about correctness is checked: every
visit a workstation was told was saved is in the database exactly once (visit rows, the
case's stored record, the audit under that workstation's login), nothing failed or
deadlocked; the loaded server holds the file's rows, its worklist and counts equal the
file's, and the app started on it paints the same first page. No timing is asserted.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bench_server():
    spec = importlib.util.spec_from_file_location("bench_server", ROOT / "benchmarks" / "bench_server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_five_workstations_adding_visits_lose_and_duplicate_nothing(pg_server, pg_database, tmp_path):
    from radiculopathy_desktop.demo import generate_case_dicts
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.storage.pg.store import PgStore

    bench = _bench_server()
    cases = [parse_case(d) for d in generate_case_dicts(60, seed=3, as_of=dt.date.fromisoformat(bench.VISIT_DATE))]
    with PgStore.open(pg_database()) as store:
        store.import_cases(cases, user="test")
        visits_before = sum(len(c.visits) for c in store.iter_cases())

    result = bench.run_writers(pg_server, pg_database.dbname, seconds=5, workstations=5, shared=4,
                               scratch=tmp_path)

    assert result["workstations"] == 5 and len(result["per"]) == 5
    assert all(p["ok"] > 0 for p in result["per"]), [(p["login"], p["first_error"]) for p in result["per"]]
    assert result["errors"] == {} and result["deadlocks"] == 0 and result["serialisation_failures"] == 0
    assert result["lost"] == 0 and result["duplicated"] == 0 and result["not_reported_but_stored"] == 0
    assert result["record_mismatch"] == 0 and result["audit_mismatch"] == 0
    assert all(p["audit_rows"] == p["ok"] for p in result["per"])
    # Independently of the script's own check: the store now holds exactly the visits it had
    # plus every one reported saved.
    with PgStore.open(pg_database()) as store:
        assert sum(len(c.visits) for c in store.iter_cases()) == visits_before + result["writes"]


def test_the_worklist_and_startup_parts_run_and_both_engines_agree(pg_server, tmp_path, monkeypatch):
    """The benchmark's load, worklist and start-up parts on 150 cases: the data loaded into
    the server has the file's row counts, the server's worklist rows and status counts equal
    the SQLite file's, and the app started on the server paints the same first page as on
    the file. One repetition each; no timing is asserted."""
    from radiculopathy_desktop.storage.store import CaseStore
    from radiculopathy_desktop.ui.app import populate_demo

    import pg_server as pgs

    bench = _bench_server()
    monkeypatch.setenv("PGPASSFILE", str(pg_server.root / "pgpass"))
    folder = tmp_path / "local"
    with CaseStore.open(folder) as local:
        populate_demo(local, 150, as_of=dt.date.fromisoformat(bench.AS_OF))
    dbname = f"bench_parts_{tmp_path.name[-20:]}".lower().replace("-", "_")
    try:
        load = bench.load_database(pg_server, folder, dbname)
        assert load["added"] == 150 and load["same_counts"] and load["counts"]["cases"] == 150
        url = pg_server.url(dbname, pgs.CLINICIAN_LOGIN)
        env = bench.child_env(tmp_path / "scratch")
        worklist = bench.measure_worklist(folder, url, 1, env, profile=False)
        assert worklist["same_rows"] and worklist["same_counts"] and worklist["rows"] > 0
        assert all(len(v) == 1 for v in worklist["times"].values())
        # The CPU clock (the figure quoted on a loaded machine) counts the server's processes
        # too: the cluster runs here, so it is read for both operations on both engines.
        assert set(worklist["cpu"]) == set(worklist["times"])
        assert all(len(v) == 1 and v[0] > 0 for v in worklist["cpu"].values())
        # The client's part of the server's CPU figure (the rest is the server's processes).
        assert set(worklist["client_cpu"]) == set(worklist["times"])
        assert all(0 < c <= t for c, t in zip(worklist["client_cpu"]["full/pg"], worklist["cpu"]["full/pg"]))
        workstation = tmp_path / "workstation"
        workstation.mkdir(mode=0o700)
        startup = bench.measure_startup(folder, url, 0, env, workstation)
        assert startup["rows"]["server"] == startup["rows"]["local"] > 0
    finally:
        pgs.drop_database(pg_server, dbname)
