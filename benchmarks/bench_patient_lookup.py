"""The one-open-case rule's patient look-up at clinic scale: before and after ``cases.patient_key``.

Run:  .venv/bin/python benchmarks/bench_patient_lookup.py [--cases 100000] [--repeats 25]
      [--keep DIR [--reuse]] [--server]

Every save that may start or re-open an episode (an intake, an import batch with new or
re-opening cases, a decision) asks the store for the patient's cases (``_patients_cases``;
``open_cases`` for the window's question). Up to ep16 that was
``WHERE lower(patient_id) IN (...)`` (SQLite's ``lower`` folds ASCII only, and no index holds
``lower(patient_id)``, so every call read the whole cases table); since m009 (ep17) it is
``WHERE patient_key IN (...)`` on the index ``cases_patient_key``.

The tracker is the demo cohort (``--seed 1 --as-of 2026-06-01``, ``--cases`` cases) stored
by ``import_cases``. Measured on it, each the median of ``--repeats`` runs after one warm-up:

* the ep16 query (the SQL text and candidate list the ep16 code built) for one patient and
  for an import batch of 200 patients;
* the m009 query for the same patients;
* ``CaseStore.open_cases(patient, as_of)`` (the whole call the window's question makes);

and ``EXPLAIN QUERY PLAN`` of both queries. Not a test: nothing asserts; it prints a table.

With ``--server`` (id18), the same tracker is also loaded into a throwaway PostgreSQL cluster
the way ``bench_server.py`` loads one (``tests/pg_server.py``, PostgreSQL's durable defaults;
``PgStore.import_cases`` in one transaction, then ``VACUUM ANALYZE``), and the clinic server's
look-up is timed on it: the m009 query (``patient_key = ANY(%s)``, what
``PgStore._patients_cases`` sends) for the same 1 and 200 patients, the whole
``PgStore.open_cases(patient, as_of)`` call (its own transaction, settings read included),
and ``EXPLAIN`` of the query. The cluster is removed at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from radiculopathy_desktop.demo import generate_case_dicts  # noqa: E402
from radiculopathy_desktop.domain.episodes import patient_key  # noqa: E402
from radiculopathy_desktop.domain.intake import parse_case  # noqa: E402
from radiculopathy_desktop.storage.store import CaseStore  # noqa: E402

AS_OF = dt.date(2026, 6, 1)

OLD_SQL = ("SELECT d.case_id, d.case_json, c.patient_id FROM cases c JOIN case_documents d "
           "ON d.case_id = c.case_id WHERE lower(c.patient_id) IN ({marks})")
NEW_SQL = ("SELECT d.case_id, d.case_json FROM cases c JOIN case_documents d "
           "ON d.case_id = c.case_id WHERE c.patient_key IN ({marks})")


def old_candidates(patient_ids):
    """The candidates ep16's SQLite ``_patients_cases`` asked ``lower(patient_id)`` for."""
    return sorted({"".join(ch.lower() if ch.isascii() else ch for ch in v)
                   for p in patient_ids for v in (p, p.upper(), p.lower(), patient_key(p))})


def build(folder: Path, n: int) -> float:
    t0 = time.perf_counter()
    with CaseStore.open(folder) as store:
        batch = []
        for d in generate_case_dicts(n, seed=1, as_of=AS_OF):
            batch.append(parse_case(d))
            if len(batch) == 5000:
                store.import_cases(batch, user="bench")
                batch = []
        if batch:
            store.import_cases(batch, user="bench")
    return time.perf_counter() - t0


def timed(fn, repeats: int) -> tuple[float, float]:
    fn()
    runs = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs) * 1000, max(runs) * 1000


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=25)
    ap.add_argument("--keep", type=Path, help="build the tracker in DIR and leave it there")
    ap.add_argument("--reuse", action="store_true", help="with --keep: measure the tracker an earlier run left")
    ap.add_argument("--server", action="store_true", help="also load it into a throwaway PostgreSQL cluster and "
                                                         "time the clinic server's look-up")
    args = ap.parse_args(argv)
    tmp = None
    if args.keep is None:
        tmp = tempfile.TemporaryDirectory(prefix="rd-bench-lookup-")
        folder = Path(tmp.name)
    else:
        folder = args.keep
        folder.mkdir(parents=True, exist_ok=True)
    try:
        if args.reuse:
            built = "reused"
        else:
            built = f"{build(folder, args.cases):.0f} s"
        with CaseStore.open(folder, create=False) as store:
            conn = store._db.conn
            total = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
            ids = [r[0] for r in conn.execute("SELECT DISTINCT patient_id FROM cases ORDER BY case_id LIMIT 200")]
            one, batch = ids[:1], ids

            def query(sql, params):
                marks = ",".join("?" * len(params))
                return lambda: conn.execute(sql.format(marks=marks), params).fetchall()

            rows = [
                ("ep16 query, 1 patient", query(OLD_SQL, old_candidates(one))),
                ("m009 query, 1 patient", query(NEW_SQL, sorted({patient_key(p) for p in one}))),
                ("ep16 query, 200 patients", query(OLD_SQL, old_candidates(batch))),
                ("m009 query, 200 patients", query(NEW_SQL, sorted({patient_key(p) for p in batch}))),
                ("open_cases(patient), whole call", lambda: store.open_cases(one[0], AS_OF)),
            ]
            print(f"tracker: {total} cases ({built} to build), {args.repeats} runs each, median / max")
            for label, fn in rows:
                med, worst = timed(fn, args.repeats)
                print(f"  {label:<34} {med:9.2f} ms / {worst:9.2f} ms")
            for label, sql, params in (("ep16", OLD_SQL, old_candidates(one)),
                                       ("m009", NEW_SQL, [patient_key(one[0])])):
                marks = ",".join("?" * len(params))
                plan = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql.format(marks=marks), params)]
                print(f"  plan {label}: " + " | ".join(plan))
        if args.server:
            server_figures(folder, one, batch, args.repeats)
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0


PG_SQL = ("SELECT d.case_id, d.case_json FROM cases c JOIN case_documents d "
          "ON d.case_id = c.case_id WHERE c.patient_key = ANY(%s)")


def server_figures(folder: Path, one: list[str], batch: list[str], repeats: int) -> None:
    """The clinic server's look-up on the same cases (module docstring, ``--server``)."""
    import shutil

    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT / "tests"))
    import bench_server
    import pg_server as pgs
    import psycopg

    from radiculopathy_desktop.storage.pg.store import PgStore

    scratch = Path(tempfile.mkdtemp(prefix="rd-bench-lookup-pg-"))
    server = None
    try:
        copy = scratch / "local"
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".*.inuse"))
        server = bench_server.start_cluster()
        print("loading the tracker into the server ...", file=sys.stderr, flush=True)
        load = bench_server.load_database(server, copy, "lookup")
        print(f"server: PostgreSQL {bench_server.server_version(server)} throwaway cluster (fsync on), "
              f"{load['counts']['cases']} cases (load {load['load_s']:.0f} s, VACUUM ANALYZE {load['vacuum_s']:.0f} s; "
              f"row counts equal the SQLite file's: {load['same_counts']}), {repeats} runs each, median / max")
        url = server.url("lookup", pgs.CLINICIAN_LOGIN)
        with psycopg.connect(url, autocommit=True) as conn, PgStore.open(url) as store:
            def query(keys):
                return lambda: conn.execute(PG_SQL, (keys,)).fetchall()

            rows = [
                ("m009 query, 1 patient", query(sorted({patient_key(p) for p in one}))),
                ("m009 query, 200 patients", query(sorted({patient_key(p) for p in batch}))),
                ("open_cases(patient), whole call", lambda: store.open_cases(one[0], AS_OF)),
            ]
            for label, fn in rows:
                med, worst = timed(fn, repeats)
                print(f"  {label:<34} {med:9.2f} ms / {worst:9.2f} ms")
            plan = [r[0] for r in conn.execute("EXPLAIN " + PG_SQL, ([patient_key(one[0])],))]
            print("  plan m009: " + " | ".join(line.strip() for line in plan))
    finally:
        if server is not None:
            pgs.stop_server(server)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
