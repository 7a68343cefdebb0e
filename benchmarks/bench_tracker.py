"""Tracker scale benchmark: demo generation, import and worklist at 10,000 and 100,000 cases.

Run:  .venv/bin/python benchmarks/bench_tracker.py [--sizes 10000,100000] [--repeats 15]
      [--keep DIR [--reuse]]

``--reuse`` (with ``--keep``) measures the worklist on the databases an earlier run
left in DIR, skipping the generation and import steps (their rows print "reused").

Every measurement runs in its own child process, so timings include nothing left over
from a previous step, and peak memory is that child's peak resident set size
(``ru_maxrss`` from ``os.wait4`` for the command children; ``resource.getrusage(RUSAGE_SELF)``
inside the worklist child; both in MB, interpreter and imports included).

Measured, for each size (cohort: ``demo --seed 1 --as-of 2026-06-01 --no-medicines``, ~5 visits per case):

* demo            ``radiculopathy-desktop demo --cases N`` into an empty database (generate,
                  validate, store); target for 100,000: under 60 s;
* demo --json     generating the import file only;
* import          ``radiculopathy-desktop import FILE.json`` into an empty database;
* worklist        ``CaseStore.worklist(as_of)`` for the full list (every case with a worklist
                  status), median of ``--repeats`` runs after one warm-up; also the first
                  page (limit 100) with ``status_counts`` (what the window shows first), and
                  a worklist as of a past date (exact per-case path for cases with later
                  events); target for 100,000: median under 300 ms and peak under 300 MB;
* growth          100k median / 10k median (10 means linear).

Not a test: nothing asserts; it prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-06-01"
PAST = "2026-03-01"
RUNNER = ("import sys; from radiculopathy_desktop import cli; "
          "cli.COMMAND_MODULES = ('radiculopathy_desktop.commands.tracker',); sys.exit(cli.main())")

WORKLIST_CHILD = r"""
import datetime as dt, json, resource, statistics, sys, time
from radiculopathy_desktop.storage.store import CaseStore
data_dir, as_of, past, repeats = sys.argv[1], dt.date.fromisoformat(sys.argv[2]), dt.date.fromisoformat(sys.argv[3]), int(sys.argv[4])
t0 = time.perf_counter()
store = CaseStore.open(data_dir, create=False)
open_s = time.perf_counter() - t0
def timed(fn):
    fn()  # warm-up (page cache, prepared statements)
    runs = []
    for _ in range(repeats):
        t = time.perf_counter(); out = fn(); runs.append(time.perf_counter() - t)
    return statistics.median(runs) * 1000, max(runs) * 1000, out
full_ms, full_max, rows = timed(lambda: store.worklist(as_of))
page_ms, page_max, _ = timed(lambda: (store.worklist(as_of, limit=100), store.status_counts(as_of)))
peak_current = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the past-date run
t = time.perf_counter(); past_rows = store.worklist(past); past_ms = (time.perf_counter() - t) * 1000
cases = store.case_count()
visits = store._db.conn.execute("SELECT count(*) FROM visits").fetchone()[0]
print(json.dumps({"open_ms": open_s * 1000, "full_ms": full_ms, "full_max_ms": full_max, "rows": len(rows),
                  "page_ms": page_ms, "page_max_ms": page_max, "past_ms": past_ms, "past_rows": len(past_rows),
                  "cases": cases, "visits_per_case": visits / max(cases, 1),
                  "peak_mb": peak_current,
                  "peak_with_past_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_child(argv: list[str], env: dict) -> tuple[float, float, str]:
    """Run a child; return (wall seconds, peak RSS MB of that child, stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"child failed ({proc.returncode}): {' '.join(argv[-4:])}\n{err.decode()}")
    return wall, usage.ru_maxrss / 1024, out.decode()


def cli(*args: str) -> list[str]:
    return [sys.executable, "-c", RUNNER, *args]


def measure(n: int, repeats: int, work: Path, reuse: bool = False) -> dict:
    env = dict(os.environ, RADICULOPATHY_DESKTOP_LOG_DIR=str(work / "logs"))
    env.pop("RADICULOPATHY_DESKTOP_DATA_DIR", None)
    demo_dir, import_dir, file = work / f"demo{n}", work / f"import{n}", work / f"cohort{n}.json"
    result: dict = {"n": n, "reused": reuse}
    if reuse:
        if not (import_dir / "radiculopathy.sqlite3").exists():
            raise SystemExit(f"--reuse: no database from an earlier run in {import_dir}")
        # Any pending schema migration (and its backup) happens here, not in the timed open.
        run_child([sys.executable, "-c", "import sys; from radiculopathy_desktop.storage.store import CaseStore; "
                   "CaseStore.open(sys.argv[1], create=False).close()", str(import_dir)], env)
        for name in ("demo_s", "demo_mb", "json_s", "json_mb", "file_mb", "import_s", "import_mb"):
            result[name] = float("nan")
    else:
        result["demo_s"], result["demo_mb"], _ = run_child(
            cli("--data-dir", str(demo_dir), "demo", "--cases", str(n), "--seed", "1", "--as-of", AS_OF, "--no-medicines"), env)
        result["json_s"], result["json_mb"], _ = run_child(
            cli("demo", "--cases", str(n), "--seed", "1", "--as-of", AS_OF, "--no-medicines", "--json", str(file)), env)
        result["file_mb"] = file.stat().st_size / 1e6
        result["import_s"], result["import_mb"], _ = run_child(
            cli("--data-dir", str(import_dir), "import", "--acknowledge-red-flags", str(file)), env)  # rt9 F7
    result["db_mb"] = (import_dir / "radiculopathy.sqlite3").stat().st_size / 1e6
    _, child_mb, out = run_child([sys.executable, "-c", WORKLIST_CHILD, str(import_dir), AS_OF, PAST, str(repeats)], env)
    result |= json.loads(out)
    result["worklist_child_mb"] = child_mb
    result["cli_worklist_s"], result["cli_worklist_mb"], _ = run_child(
        cli("--data-dir", str(import_dir), "worklist", "--as-of", AS_OF, "--format", "csv"), env)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the databases")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: measure the worklist on the databases already in DIR")
    args = parser.parse_args()
    if args.reuse and not args.keep:
        parser.error("--reuse needs --keep DIR")
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-tracker-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        results = []
        for n in sizes:
            print(f"measuring {n:,} cases ...", file=sys.stderr, flush=True)
            results.append(measure(n, args.repeats, work, reuse=args.reuse))
    print(f"\nTracker benchmark (as of {AS_OF}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}; "
          f"peak = max RSS of the child process, MB)\n")
    reused = lambda fmt: (lambda r: "reused" if r["reused"] else fmt(r))  # noqa: E731
    rows = [
        ("cases", lambda r: f"{r['cases']:,}"),
        ("visits per case (incl. baseline)", lambda r: f"{r['visits_per_case']:.2f}"),
        ("demo into DB: time / peak", reused(lambda r: f"{r['demo_s']:.1f} s / {r['demo_mb']:.0f} MB")),
        ("demo --json file: time / size", reused(lambda r: f"{r['json_s']:.1f} s / {r['file_mb']:.0f} MB")),
        ("import FILE: time / peak", reused(lambda r: f"{r['import_s']:.1f} s / {r['import_mb']:.0f} MB")),
        ("database size", lambda r: f"{r['db_mb']:.0f} MB"),
        ("open (checks + migrations)", lambda r: f"{r['open_ms']:.0f} ms"),
        (f"worklist full, median of {args.repeats} (max)", lambda r: f"{r['full_ms']:.0f} ms ({r['full_max_ms']:.0f}) - {r['rows']:,} rows"),
        ("worklist page 100 + counts, median", lambda r: f"{r['page_ms']:.1f} ms"),
        (f"worklist as of {PAST} (exact path)", lambda r: f"{r['past_ms']:.0f} ms - {r['past_rows']:,} rows"),
        ("worklist process peak (as-of-today runs)", lambda r: f"{r['peak_mb']:.0f} MB"),
        ("  ... after the past-date run too", lambda r: f"{r['peak_with_past_mb']:.0f} MB"),
        ("CLI worklist --format csv (whole run)", lambda r: f"{r['cli_worklist_s']:.2f} s / {r['cli_worklist_mb']:.0f} MB"),
    ]
    width = max(len(label) for label, _ in rows)
    print("  ".join([" " * width] + [f"{r['n']:>34,}" for r in results]))
    for label, fmt in rows:
        print("  ".join([label.ljust(width)] + [f"{fmt(r):>34}" for r in results]))
    if len(results) >= 2 and not args.reuse:
        a, b = results[0], results[-1]
        k = b["n"] / a["n"]
        print(f"\ngrowth {a['n']:,} -> {b['n']:,} (x{k:g} cases): worklist full x{b['full_ms'] / a['full_ms']:.1f}, "
              f"page x{b['page_ms'] / a['page_ms']:.1f}, import x{b['import_s'] / a['import_s']:.1f}, "
              f"demo x{b['demo_s'] / a['demo_s']:.1f}  (x{k:g} = linear)")
    if results:
        big = results[-1]
        print(f"targets at {big['n']:,}: worklist median {big['full_ms']:.0f} ms (< 300: "
              f"{'met' if big['full_ms'] < 300 else 'NOT met'}), peak {big['peak_mb']:.0f} MB (< 300: "
              f"{'met' if big['peak_mb'] < 300 else 'NOT met'})"
              + ("" if big["reused"] else f", demo {big['demo_s']:.0f} s (< 60: "
                                          f"{'met' if big['demo_s'] < 60 else 'NOT met'})"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
