"""Clinic server figures (issue 15): worklist, five writing workstations, start-up.

Each figure is measured against a baseline in the same run, on the same data:

* **worklist**: ``PgStore.worklist(as_of)`` (every case with a worklist status) and the
  window's first screen (the first page of 200 rows, then the status counts), timed
  in one child process against ``CaseStore`` on the local SQLite copy of the same
  data; the two engines alternate within each repeat (which one goes first alternates
  too), medians after one warm-up. The rows must be equal (checked and printed).
  Targets at 100,000 cases: under 300 ms, and within 2x of SQLite. Printed on the wall
  clock and on the CPU clock (this process's CPU time, plus for the server its server
  processes' and parallel workers', from /proc, read once the postmaster has reaped the
  workers: the figure that holds when other programs load the machine); for the server's full list, split into this process's
  part (fetching, ordering and building the rows) and the server processes'.
* **startup**: process start to the worklist painted, the app started on the server
  (``ui.app.run_app(folder, server=URL)``, as ``--server URL`` does, with a clinician
  login) against the same app on the local SQLite copy, runs interleaved, one warm-up
  of each discarded, medians. Target: within 1.5x of the local start-up.
* **writers**: five processes, each its own ``PgStore`` and its own clinician login,
  adding follow-up visits for ``--seconds`` (mostly to random cases, one write in ten
  to a small set of cases every workstation shares, so some writes wait for another's
  row lock). Printed: writes per second, median and p95 latency, and the check that
  every write reported successful is present exactly once (visit rows, the stored
  case record and the audit rows, per workstation), with errors, deadlocks and
  serialisation failures counted (the store does not retry, so any would have
  reached a user).

The data comes from SQLite data folders (``--data DIR[,DIR...]``, e.g. the
``demo --cases N --seed 1 --as-of 2026-06-01 --no-medicines`` folders), copied to a scratch folder
first (the originals are only read). Each is loaded into its own database of a
throwaway PostgreSQL cluster (``tests/pg_server.py``: run as an unprivileged user when
this process is root, on a Unix socket in a temporary folder, removed at the end) by
``PgStore.import_cases`` in one transaction (psycopg pipeline mode), the call ``server
migrate-from`` makes (``migrate-from`` itself refuses the invented demo cohort by design,
so it cannot be used on demo data), then ``VACUUM ANALYZE`` (what autovacuum does after
a bulk load). The row counts of every table are compared with the SQLite file's, and
the worklist rows and status counts of both engines with each other.
The cluster runs with PostgreSQL's durable defaults (fsync, synchronous_commit and
full_page_writes on, shared_buffers 128MB), unlike the test cluster.

    .venv/bin/python benchmarks/bench_server.py --data DIR[,DIR2] [--parts worklist,startup,writers]
        [--repeats 15] [--startup-runs 5] [--seconds 60] [--workstations 5] [--profile]

Not a test: nothing asserts; it prints a table. ``tests/storage/test_pg_bench_server.py``
runs the writers part for a few seconds and the other parts once on 150 cases, and
checks their correctness figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

AS_OF = "2026-06-01"
VISIT_DATE = "2026-06-01"  # the demo cohort's as-of date: on or after every case's intake
PAGE = 200  # the window's page (ui/worklist.py PAGE)
LOGIN_PREFIX = "bench_ws"
#: PostgreSQL's own defaults for durability and memory (the test cluster turns fsync off).
BENCH_CONF = ("\n# bench_server.py: PostgreSQL's durable defaults\nfsync = on\nsynchronous_commit = on\n"
              "full_page_writes = on\nshared_buffers = 128MB\n")

WORKLIST_CHILD = r"""
import datetime as dt, json, os, statistics, sys, time
from radiculopathy_desktop.storage.store import CaseStore
from radiculopathy_desktop.storage.pg.store import PgStore
folder, url, repeats, as_of, page, profile = sys.argv[1], sys.argv[2], int(sys.argv[3]), dt.date.fromisoformat(sys.argv[4]), int(sys.argv[5]), sys.argv[6] == "1"
local = CaseStore.open(folder, create=False)
server = PgStore.open(url)
ops = {"full": lambda st: st.worklist(as_of),
       "page": lambda st: (st.worklist(as_of, limit=page), st.status_counts(as_of))}
same = [r.raw for r in local.worklist(as_of)] == [r.raw for r in server.worklist(as_of)]
same_counts = local.status_counts(as_of) == server.status_counts(as_of)
rows = len(local.worklist(as_of))
def server_cpu():
    # CPU time of the store's server processes (the cluster runs on this machine), read from
    # /proc/PID/schedstat (nanoseconds on a CPU), plus the postmaster's reaped children (a
    # parallel query's workers exit when it ends; /proc/PID/stat, clock ticks); None where
    # it cannot be read.
    total = 0.0
    try:
        for pid in list(server._own_pids):
            with open(f"/proc/{pid}/schedstat") as f:
                total += int(f.read().split()[0]) / 1e9
        with open(f"/proc/{server._own_pids[-1]}/stat") as f:
            postmaster = int(f.read().rsplit(")", 1)[1].split()[1])
        with open(f"/proc/{postmaster}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None
    return total
def workers_reaped(limit=2.0):
    # A parallel query's workers are counted (the postmaster's reaped children) only once
    # the postmaster has reaped them, which can be after the query returns: wait until none
    # is left (up to ``limit`` s), or their CPU time falls into the next figure (SQLite's,
    # not counted), and the server's part of a parallel plan is undercounted.
    try:
        with open(f"/proc/{server._own_pids[-1]}/stat") as f:
            postmaster = int(f.read().rsplit(")", 1)[1].split()[1])
        end = time.monotonic() + limit
        while time.monotonic() < end:
            with open(f"/proc/{postmaster}/task/{postmaster}/children") as f:
                kids = f.read().split()
            busy = False
            for kid in kids:
                try:
                    with open(f"/proc/{kid}/stat") as f:
                        state = f.read().rsplit(")", 1)[1].split()[0]
                    with open(f"/proc/{kid}/cmdline", "rb") as f:
                        busy = state == "Z" or b"parallel worker" in f.read()
                except OSError:
                    continue
                if busy:
                    break
            if not busy:
                return
            time.sleep(0.002)
    except (OSError, ValueError, IndexError):
        return
times = {(op, e): [] for op in ops for e in ("sqlite", "pg")}
cpu = {(op, e): [] for op in ops for e in ("sqlite", "pg")}
client_cpu = {(op, e): [] for op in ops for e in ("sqlite", "pg")}  # this process's part of cpu
for op, fn in ops.items():  # warm-up of each
    fn(local); fn(server)
for n in range(repeats):
    for op, fn in ops.items():
        order = (("sqlite", local), ("pg", server)) if n % 2 == 0 else (("pg", server), ("sqlite", local))
        for name, st in order:
            s0 = server_cpu() if name == "pg" else 0.0
            c = time.process_time(); t = time.perf_counter(); fn(st); wall = time.perf_counter() - t
            c = time.process_time() - c
            if name == "pg":
                workers_reaped()
            s1 = server_cpu() if name == "pg" else 0.0
            times[(op, name)].append(wall)
            cpu[(op, name)].append(None if s0 is None or s1 is None else c + s1 - s0)
            client_cpu[(op, name)].append(c)
out = {"same_rows": same, "same_counts": same_counts, "rows": rows, "cases": local.case_count(),
       "times": {f"{op}/{e}": v for (op, e), v in times.items()},
       "cpu": {f"{op}/{e}": v for (op, e), v in cpu.items() if None not in v},
       "client_cpu": {f"{op}/{e}": v for (op, e), v in client_cpu.items()}}
if profile:
    import cProfile, io, pstats
    prof = cProfile.Profile(); prof.enable(); server.worklist(as_of); prof.disable()
    text = io.StringIO(); pstats.Stats(prof, stream=text).sort_stats("tottime").print_stats(12)
    out["profile"] = text.getvalue()
print(json.dumps(out))
"""

# The real start-up path (ui.app.run_app, what `radiculopathy-desktop [--server URL]` calls);
# only create_window is wrapped, to hear the worklist's first paint with rows.
STARTUP_CHILD = r"""
import sys, time
from pathlib import Path
import radiculopathy_desktop.ui.app as app_module

_create_window = app_module.create_window
seen = {}

def create_window(context):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    window = _create_window(context)
    view = window.views["worklist"]

    def painted():
        rows = view.model.rowCount()
        if "painted" not in seen and rows:
            seen["painted"] = True
            print("PAINTED", time.time(), rows, time.process_time(), flush=True)
            QTimer.singleShot(0, QApplication.instance().quit)

    window.worklist_painted.connect(painted)
    return window

app_module.create_window = create_window
mode, folder = sys.argv[1], Path(sys.argv[2])
code = app_module.run_app(folder, server=sys.argv[3]) if mode == "server" else app_module.run_app(folder)
print("EXIT", code, flush=True)
"""

WRITER_CHILD = r"""
import datetime as dt, json, random, sys, time
from radiculopathy_desktop.domain.intake import FollowUpVisit
from radiculopathy_desktop.storage.pg.store import PgStore
url, login, seconds, seed, ids_file, shared_n, start_at, visit_date = sys.argv[1:9]
ids = json.loads(open(ids_file).read())
shared = ids[:int(shared_n)]
rng = random.Random(int(seed))
day = dt.date.fromisoformat(visit_date)
store = PgStore.open(url)
ok, latencies, errors, first_error = [], [], {}, {}
while time.time() < float(start_at):
    time.sleep(0.005)
end = time.time() + float(seconds)
seq = 0
while time.time() < end:
    seq += 1
    case_id = rng.choice(shared) if rng.random() < 0.1 else rng.choice(ids)
    marker = f"{login}#{seq}"
    visit = FollowUpVisit(date=day, leg_nrs=rng.randint(0, 10), back_nrs=rng.randint(0, 10), clinician=marker)
    t = time.perf_counter()
    try:
        store.add_visit(case_id, visit, user=login)
    except Exception as exc:  # what a user would have been shown
        kind = str(getattr(exc, "kind", "") or type(exc).__name__)
        errors[kind] = errors.get(kind, 0) + 1
        first_error.setdefault(kind, str(exc)[:300])
        continue
    latencies.append(time.perf_counter() - t)
    ok.append([case_id, marker])
elapsed = time.time() - float(start_at)
store.close()
print(json.dumps({"elapsed": elapsed, "login": login, "ok": ok, "latencies": latencies, "errors": errors, "first_error": first_error,
                  "attempts": seq}))
"""


# --------------------------------------------------------------------------- the cluster
def start_cluster():
    """A throwaway cluster (tests/pg_server.py) with PostgreSQL's durable defaults."""
    import pg_server as pgs

    server = pgs.start_server()
    try:
        with open(server.data_dir / "postgresql.conf", "a") as conf:
            conf.write(BENCH_CONF)
        server.restart()
        pgs.prepare_template(server)
        import psycopg

        with psycopg.connect(server.conninfo()) as conn:
            server.version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    except BaseException:
        pgs.stop_server(server)
        raise
    os.environ["PGPASSFILE"] = str(server.root / "pgpass")
    return server


def add_workstation_logins(server, count: int) -> list[str]:
    """``count`` clinician logins (one per simulated workstation), with the cluster's test
    password in its PGPASSFILE; created once per cluster."""
    import psycopg
    from psycopg import sql

    from radiculopathy_desktop.storage.pg import schema as pgschema

    logins = [f"{LOGIN_PREFIX}{n}" for n in range(1, count + 1)]
    with psycopg.connect(server.conninfo(), autocommit=True) as conn:
        for login in logins:
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone() is None:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                    sql.Identifier(login), sql.Literal(server.password), sql.Identifier(pgschema.CLINICIAN_ROLE)))
    pgpass = Path(os.environ.get("PGPASSFILE") or server.root / "pgpass")
    known = pgpass.read_text() if pgpass.exists() else ""
    extra = "".join(f"*:*:*:{login}:{server.password}\n" for login in logins if f":{login}:" not in known)
    if extra:
        pgpass.write_text(known + extra)
        pgpass.chmod(0o600)
    return logins


def load_database(server, folder: Path, dbname: str) -> dict:
    """A new database on the cluster holding the cases of the SQLite data folder ``folder``,
    written by ``PgStore.import_cases`` (the call ``server migrate-from`` makes, in one
    transaction; the stored records read through the store's trusted reader, as the
    worklist reads them, where migrate-from re-validates each), then VACUUM ANALYZE."""
    import psycopg
    import pg_server as pgs

    from radiculopathy_desktop.storage.pg.store import PgStore
    from radiculopathy_desktop.storage.store import CaseStore

    pgs.create_database(server, dbname)
    url = server.url(dbname, pgs.ADMIN_LOGIN)
    t = time.perf_counter()
    with CaseStore.open(folder, create=False) as local, PgStore.open(url) as pg:
        # Pipeline mode sends the import's statements without waiting for each reply (the
        # same statements and rows; half the load time on a local socket).
        with pg.transaction(), pg._local.conn.pipeline():
            result = pg.import_cases(local.iter_cases(), user="bench-load")
            saved = 0
            for (case_id,) in local._db.conn.execute("SELECT DISTINCT case_id FROM assessments").fetchall():
                for a in local.assessments(case_id):
                    pg.save_assessment(case_id, a.assessment, visit_date=a.visit_date,
                                       content_version=a.content_version, user=a.created_by)
                    saved += 1
        load_s = time.perf_counter() - t
        tables = ("patients", "cases", "case_documents", "visits", "decisions", "assessments", "medicine_alerts")
        local_counts = {k: local._db.conn.execute(f"SELECT count(*) FROM {k}").fetchone()[0] for k in tables}
        server_counts = pg.row_counts()
    t = time.perf_counter()
    with psycopg.connect(server.conninfo(dbname), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return {"load_s": load_s, "vacuum_s": time.perf_counter() - t, "added": len(result.added),
            "same_counts": all(local_counts.get(k) == server_counts.get(k) for k in tables),
            "counts": {k: server_counts.get(k) for k in tables}}


# --------------------------------------------------------------------------- figures
def child_env(scratch: Path) -> dict:
    env = dict(os.environ, RADICULOPATHY_DESKTOP_LOG_DIR=str(scratch / "logs"))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("RADICULOPATHY_DESKTOP_DATA_DIR", None)
    env.pop("RADICULOPATHY_SERVER", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # keep compiled bytecode, as an installed app does
    env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    return env


def measure_worklist(folder: Path, url: str, repeats: int, env: dict, profile: bool) -> dict:
    out = subprocess.run([sys.executable, "-c", WORKLIST_CHILD, str(folder), url, str(repeats), AS_OF, str(PAGE),
                          "1" if profile else "0"], capture_output=True, text=True, env=env, timeout=3600)
    if out.returncode != 0:
        raise SystemExit(f"the worklist child failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _startup_run(mode: str, folder: Path, url: str, env: dict) -> tuple[float, int, float]:
    """(seconds from just before the spawn to the paint, rows painted, the child's CPU seconds to it)."""
    start = time.time()
    out = subprocess.run([sys.executable, "-c", STARTUP_CHILD, mode, str(folder), url], capture_output=True,
                         text=True, env=env, timeout=600)
    for line in out.stdout.splitlines():
        if line.startswith("PAINTED"):
            _, when, rows, cpu = line.split()
            return float(when) - start, int(rows), float(cpu)
    raise SystemExit(f"the {mode} start-up child did not paint (exit {out.returncode}):\n{out.stdout}\n"
                     f"{out.stderr[-4000:]}")


def measure_startup(folder: Path, url: str, runs: int, env: dict, workstation: Path) -> dict:
    """Interleaved runs (which mode goes first alternates); the CPU time of each child up to its
    paint (all its threads; steadier than elapsed time on a loaded machine) is kept beside."""
    local, server, rows, cpu = [], [], {}, {"local": [], "server": []}
    for n in range(runs + 1):
        order = ("local", "server") if n % 2 == 0 else ("server", "local")
        for mode in order:
            seconds, rows[mode], used = _startup_run(mode, folder if mode == "local" else workstation, url, env)
            if n:  # the first of each is a warm-up (page cache, bytecode)
                (local if mode == "local" else server).append(seconds)
                cpu[mode].append(used)
    return {"local": local, "server": server, "rows": rows, "cpu": cpu}


def run_writers(server, dbname: str, *, seconds: float, workstations: int = 5, shared: int = 20,
                sample: int = 5000, env: dict | None = None, scratch: Path | None = None) -> dict:
    """Five (``workstations``) processes adding visits for ``seconds``; then the check that
    every write reported successful is in the database exactly once, in the visits table,
    in its case's stored record and in the audit (by login)."""
    import psycopg

    logins = add_workstation_logins(server, workstations)
    scratch = Path(tempfile.mkdtemp(prefix="bench-writers-")) if scratch is None else scratch
    env = dict(os.environ) if env is None else env
    with psycopg.connect(server.conninfo(dbname)) as conn:
        ids = [r[0] for r in conn.execute("SELECT case_id FROM cases ORDER BY md5(case_id) LIMIT %s", (sample,))]
        deadlocks_before = conn.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = %s",
                                        (dbname,)).fetchone()[0]
    ids_file = scratch / "case_ids.json"
    ids_file.write_text(json.dumps(ids))
    start_at = time.time() + 3 + workstations  # every child connected and waiting before the start
    procs = [subprocess.Popen([sys.executable, "-c", WRITER_CHILD, server.url(dbname, login), login, str(seconds),
                               str(n), str(ids_file), str(min(shared, len(ids))), str(start_at), VISIT_DATE],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for n, login in enumerate(logins)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=seconds + 600)
        if proc.returncode != 0:
            raise RuntimeError(f"a writer process failed ({proc.returncode}):\n{err[-4000:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    wall = max(r["elapsed"] for r in results)  # from the common start to the last write's end
    pattern = LOGIN_PREFIX.replace("_", "\\_") + "%"
    with psycopg.connect(server.conninfo(dbname)) as conn:
        visit_rows = Counter(dict(conn.execute("SELECT clinician, count(*) FROM visits WHERE clinician LIKE %s "
                                               "GROUP BY clinician", (pattern,)).fetchall()))
        audit_rows = dict(conn.execute("SELECT db_role, count(*) FROM audit WHERE action = 'visit_added' "
                                       "AND db_role LIKE %s GROUP BY db_role", (pattern,)).fetchall())
        touched = sorted({cid for r in results for cid, _ in r["ok"]})
        in_records: Counter = Counter()
        for (text,) in conn.execute("SELECT case_json FROM case_documents WHERE case_id = ANY(%s)", (touched,)):
            for visit in json.loads(text).get("visits", []):
                if str(visit.get("clinician") or "").startswith(LOGIN_PREFIX):
                    in_records[visit["clinician"]] += 1
        deadlocks = conn.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = %s",
                                 (dbname,)).fetchone()[0] - deadlocks_before
    per: list[dict] = []
    for r in results:
        reported = [marker for _, marker in r["ok"]]
        mine = {m: n for m, n in visit_rows.items() if m.startswith(r["login"] + "#")}
        per.append({
            "login": r["login"], "ok": len(reported), "attempts": r["attempts"], "errors": r["errors"],
            "first_error": r["first_error"],
            "lost": sum(1 for m in reported if visit_rows.get(m, 0) == 0),
            "duplicated": sum(1 for m in reported if visit_rows.get(m, 0) > 1),
            "not_reported_but_stored": sum(1 for m in mine if m not in set(reported)),
            "record_mismatch": sum(1 for m in reported if in_records.get(m, 0) != 1),
            "audit_rows": audit_rows.get(r["login"], 0),
            "latencies": r["latencies"],
        })
    all_lat = sorted(x for p in per for x in p["latencies"])
    total = sum(p["ok"] for p in per)
    errors: Counter = Counter()
    for p in per:
        errors.update(p["errors"])
    return {
        "seconds": seconds, "wall": wall, "workstations": workstations, "writes": total,
        "per_second": total / wall if wall else 0.0,
        "median_ms": statistics.median(all_lat) * 1000 if all_lat else float("nan"),
        "p95_ms": statistics.quantiles(all_lat, n=20)[18] * 1000 if len(all_lat) >= 20 else float("nan"),
        "max_ms": max(all_lat) * 1000 if all_lat else float("nan"),
        "lost": sum(p["lost"] for p in per), "duplicated": sum(p["duplicated"] for p in per),
        "not_reported_but_stored": sum(p["not_reported_but_stored"] for p in per),
        "record_mismatch": sum(p["record_mismatch"] for p in per),
        "audit_mismatch": sum(1 for p in per if p["audit_rows"] != p["ok"]),
        "errors": dict(errors), "deadlocks": deadlocks,
        "serialisation_failures": sum(n for k, n in errors.items() if "serial" in k.lower()),
        "retries": 0,  # PgStore does not retry a write (a failure would reach the user)
        "per": per,
    }


# --------------------------------------------------------------------------- the table
def _ms(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:.1f} ms (min {min(xs) * 1000:.1f}, max {max(xs) * 1000:.1f})"


def print_worklist(results: dict, repeats: int) -> None:
    print(f"\nWorklist as of {AS_OF}, in one process, median of {repeats} interleaved repeats after a warm-up")
    for n, r in results.items():
        w = r["worklist"]
        t = w["times"]
        print(f"  {n:,} cases ({w['rows']:,} worklist rows; rows equal on both engines: {w['same_rows']}, "
              f"status counts equal: {w['same_counts']})")
        cpu = w.get("cpu", {})
        for op, label in (("full", "full worklist"), ("page", f"first page ({PAGE}) + status counts")):
            pg, lite = statistics.median(t[f"{op}/pg"]), statistics.median(t[f"{op}/sqlite"])
            print(f"    {label}: server {_ms(t[f'{op}/pg'])}; baseline SQLite {_ms(t[f'{op}/sqlite'])}; "
                  f"ratio {pg / lite:.2f}")
            if f"{op}/pg" in cpu:
                # CPU clock: this process's CPU time, plus, for the server, its server
                # processes' (the figure that holds on a loaded machine; the wall clock
                # above also waits for other programs).
                pg, lite = statistics.median(cpu[f"{op}/pg"]), statistics.median(cpu[f"{op}/sqlite"])
                print(f"      CPU clock (client + server processes): server {_ms(cpu[f'{op}/pg'])}; SQLite "
                      f"{_ms(cpu[f'{op}/sqlite'])}; ratio {pg / lite:.2f}")
                client = w.get("client_cpu", {}).get(f"{op}/pg")
                if op == "full" and client:
                    # Where the server's figure goes: this process (fetching, ordering and
                    # building the rows) and the server's processes (medians of each).
                    mine = statistics.median(client)
                    theirs = statistics.median([a - b for a, b in zip(cpu[f"{op}/pg"], client)])
                    print(f"        of which this process {mine * 1000:.1f} ms, the server's processes "
                          f"{theirs * 1000:.1f} ms (medians)")
        if "profile" in w:
            print("    profile of one server worklist (full):\n      "
                  + "\n      ".join(w["profile"].strip().splitlines()[:24]))
    sizes = list(results)
    if len(sizes) > 1:
        a, b = results[sizes[0]]["worklist"]["times"], results[sizes[-1]]["worklist"]["times"]
        for op in ("full", "page"):
            print(f"  growth {sizes[0]:,} -> {sizes[-1]:,} ({op}): server "
                  f"{statistics.median(b[op + '/pg']) / statistics.median(a[op + '/pg']):.2f}x, SQLite "
                  f"{statistics.median(b[op + '/sqlite']) / statistics.median(a[op + '/sqlite']):.2f}x")
    big = results[sizes[-1]]["worklist"]["times"]
    pg, lite = statistics.median(big["full/pg"]), statistics.median(big["full/sqlite"])
    print(f"  targets at {sizes[-1]:,}: full worklist {pg * 1000:.0f} ms (< 300 ms: "
          f"{'met' if pg < 0.3 else 'NOT met'}), ratio {pg / lite:.2f} "
          f"(<= 2: {'met' if pg <= 2 * lite else 'NOT met'})")


def print_startup(results: dict, runs: int) -> None:
    print(f"\nStart-up to the painted worklist (process start to first paint with rows), median of {runs} "
          "interleaved runs after a warm-up of each")
    for n, r in results.items():
        s = r["startup"]
        ratio = statistics.median(s["server"]) / statistics.median(s["local"])
        print(f"  {n:,} cases: server {_ms(s['server'])}; baseline local file {_ms(s['local'])}; ratio {ratio:.2f} "
              f"(<= 1.5: {'met' if ratio <= 1.5 else 'NOT met'}); rows painted {s['rows']}")
        cpu = s.get("cpu")
        if cpu and cpu["server"] and cpu["local"]:
            server_cpu, local_cpu = statistics.median(cpu["server"]), statistics.median(cpu["local"])
            print(f"    CPU to paint (steadier under load): server median {server_cpu * 1000:.0f} ms, local file "
                  f"{local_cpu * 1000:.0f} ms, ratio {server_cpu / local_cpu:.2f}; load average "
                  f"{os.getloadavg()[0]:.1f}")


def print_writers(w: dict, n: int) -> None:
    print(f"\n{w['workstations']} workstations adding visits for {w['seconds']:g} s each ({n:,} cases; one write "
          "in ten to 20 cases they all share)")
    print(f"  writes: {w['writes']:,} in {w['wall']:.1f} s = {w['per_second']:.1f} per second; latency median "
          f"{w['median_ms']:.1f} ms, p95 {w['p95_ms']:.1f} ms, max {w['max_ms']:.1f} ms")
    for p in w["per"]:
        print(f"    {p['login']}: {p['ok']:,} reported saved of {p['attempts']:,} tried; visit rows lost "
              f"{p['lost']}, duplicated {p['duplicated']}, stored but not reported {p['not_reported_but_stored']}; "
              f"case records not matching {p['record_mismatch']}; audit rows {p['audit_rows']:,}; "
              f"errors {p['errors'] or 0} {p['first_error'] or ''}")
    print(f"  lost {w['lost']}, duplicated {w['duplicated']}, audit mismatches {w['audit_mismatch']}, record "
          f"mismatches {w['record_mismatch']}; errors shown to a user {sum(w['errors'].values())}; deadlocks "
          f"{w['deadlocks']}; serialisation failures {w['serialisation_failures']}; retries by the store "
          f"{w['retries']} (it does not retry)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="SQLite data folder(s), comma-separated, smallest first "
                                                      "(copied before use)")
    parser.add_argument("--parts", default="worklist,startup,writers")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workstations", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a profile of one server worklist")
    args = parser.parse_args()
    # A terminated run still stops its cluster and removes its scratch folder (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parts = set(args.parts.split(","))
    folders = [Path(p) for p in args.data.split(",")]
    scratch = Path(tempfile.mkdtemp(prefix="bench-server-"))
    env = child_env(scratch)
    results: dict[int, dict] = {}
    writers = None
    server = None
    t0 = time.time()
    try:
        server = start_cluster()
        env["PGPASSFILE"] = os.environ["PGPASSFILE"]
        import pg_server as pgs

        for i, src in enumerate(folders):
            copy = scratch / f"local{i}"
            shutil.copytree(src, copy, ignore=shutil.ignore_patterns(".*.inuse"))
            dbname = f"bench{i}"
            print(f"loading {src} into the server ...", file=sys.stderr, flush=True)
            load = load_database(server, copy, dbname)
            n = load["counts"]["cases"]
            results[n] = {"load": load, "dbname": dbname}
            if "worklist" in parts:
                print(f"worklist at {n:,} ...", file=sys.stderr, flush=True)
                results[n]["worklist"] = measure_worklist(copy, server.url(dbname, pgs.CLINICIAN_LOGIN),
                                                          args.repeats, env, args.profile)
            if "startup" in parts:
                print(f"start-up at {n:,} ...", file=sys.stderr, flush=True)
                ws = scratch / f"workstation{i}"
                ws.mkdir(mode=0o700)
                results[n]["startup"] = measure_startup(copy, server.url(dbname, pgs.CLINICIAN_LOGIN),
                                                        args.startup_runs, env, ws)
        if "writers" in parts:
            n = list(results)[-1]
            print(f"writers on {n:,} cases for {args.seconds:g} s ...", file=sys.stderr, flush=True)
            writers = run_writers(server, results[n]["dbname"], seconds=args.seconds,
                                  workstations=args.workstations, env=env, scratch=scratch)
    finally:
        if server is not None:
            import pg_server as pgs

            pgs.stop_server(server)
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"\nClinic server benchmark: PostgreSQL {server_version(server)} throwaway cluster on this machine "
          f"(Unix socket; fsync on); {os.cpu_count()} CPUs; load average at the end "
          f"{os.getloadavg()[0]:.1f}; wall clock; whole run {time.time() - t0:.0f} s")
    for n, r in results.items():
        ld = r["load"]
        print(f"  load {n:,} cases: PgStore.import_cases (what migrate-from runs) {ld['load_s']:.1f} s, VACUUM "
              f"ANALYZE {ld['vacuum_s']:.1f} s; every table's row count equals the SQLite file's: {ld['same_counts']}")
    if "worklist" in parts and results:
        print_worklist(results, args.repeats)
    if "startup" in parts and results:
        print_startup(results, args.startup_runs)
    if writers is not None:
        print_writers(writers, list(results)[-1])
    return 0


def server_version(server) -> str:
    return getattr(server, "version", "?")


if __name__ == "__main__":
    sys.exit(main())
