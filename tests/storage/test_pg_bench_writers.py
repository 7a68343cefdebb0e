"""The clinic-server benchmark's five writing workstations, for a few seconds.

``benchmarks/bench_server.py`` prints figures and asserts nothing; this runs its writers
part (five processes, each its own PgStore and clinician login, adding visits; some to
cases they all share) on the test cluster for five seconds, so the script cannot rot,
and checks only what it verifies about correctness: every visit a workstation was told
was saved is in the database exactly once (visit rows, the case's stored record, the
audit under that workstation's login), nothing failed, nothing deadlocked. No timing is
asserted.
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
