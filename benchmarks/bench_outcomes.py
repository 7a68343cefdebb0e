"""Outcomes benchmark (issue 16 "Figures"): ``outcomes --format json`` against same-run baselines.

Run:  .venv/bin/python benchmarks/bench_outcomes.py [--sizes 10000,100000] [--repeats 3] [--keep DIR]

For each size a demo database (``demo --seed 1 --as-of 2026-06-01 --no-medicines``) is made once (or reused
from ``--keep DIR``). In every repeat the figure and its baselines are timed one after the
other in this process (so they see the same machine load), and the medians are printed:

* baseline: count   ``SELECT count(*)`` of the period's cases, plain sqlite3 on the same file
                    (read-only connection): what the database alone answers;
* baseline: read    the count plus reading every stored case_json text of the period and
                    ``json.loads`` of each (the least any measure over stored cases must do,
                    since imaging, advice and STarT Back live only in the case document);
* outcomes          what ``outcomes --format json`` does after opening the store: every number
                    counted in SQL over the per-case facts stored on write (table
                    ``outcome_facts``), the report built, the JSON text
                    (``commands.outcomes.compute_from_store(with_cases=False)``: the same call
                    the Outcomes view makes first, on its own connection off the GUI thread,
                    to show the numbers);
* case lists        ``--cases``: one narrow stored row per case read, every case list behind
                    every number built (``compute_from_store(with_cases=True)``);
* one list          the view's drill-down: the largest list behind one number (the row with
                    the most cases listed, found once before timing) read when it is opened
                    (``commands.outcomes.measure_cases_from_store``), as the view does off the
                    GUI thread on Enter or a click;
* CLI               the whole ``radiculopathy-desktop outcomes --format json`` process, once per size.

Prints each figure (wall-clock seconds, and this process's CPU seconds, which a loaded
machine disturbs less) with its ratio to the count baseline, and the growth from the smallest
size to the largest (10.0 = linear for 10k -> 100k). Target (issue 16): under 2 s at 100,000
cases. Not a test: nothing asserts. A database made by an older version is brought up to date
when the store opens (migration m004 and the one-time upgrade that fills ``outcome_facts``),
before anything is timed: point ``--keep`` at a copy, never at shared data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = dt.date(2026, 6, 1)
START = AS_OF - dt.timedelta(days=364)


def ensure_db(work: Path, n: int) -> Path:
    from radiculopathy_desktop.storage.paths import DB_FILENAME

    folder = work / f"db{n}"
    if not (folder / DB_FILENAME).exists():
        print(f"generating {n:,} demo cases ...", file=sys.stderr, flush=True)
        env = dict(os.environ, RADICULOPATHY_DESKTOP_LOG_DIR=str(work / "logs"))
        subprocess.run([sys.executable, "-m", "radiculopathy_desktop", "--data-dir", str(folder), "demo",
                        "--cases", str(n), "--seed", "1", "--as-of", AS_OF.isoformat(), "--no-medicines"],
                       check=True, env=env, stdout=subprocess.DEVNULL)
    return folder


def measure(folder: Path, repeats: int) -> dict[str, float]:
    from radiculopathy_desktop.commands.outcomes import compute_from_store, measure_cases_from_store
    from radiculopathy_desktop.storage.paths import DB_FILENAME
    from radiculopathy_desktop.storage.store import CaseStore

    uri = f"file:{folder / DB_FILENAME}?mode=ro"
    period = (START.isoformat(), AS_OF.isoformat())

    def count() -> int:
        with sqlite3.connect(uri, uri=True) as conn:
            return conn.execute("SELECT count(*) FROM cases WHERE intake_date BETWEEN ? AND ?", period).fetchone()[0]

    def read() -> int:
        with sqlite3.connect(uri, uri=True) as conn:
            n = conn.execute("SELECT count(*) FROM cases WHERE intake_date BETWEEN ? AND ?", period).fetchone()[0]
            for (text,) in conn.execute("SELECT d.case_json FROM case_documents d JOIN cases c USING (case_id) "
                                        "WHERE c.intake_date BETWEEN ? AND ?", period):
                json.loads(text)
            return n

    def outcomes() -> int:
        report = compute_from_store(store, START, AS_OF, AS_OF, "uk", with_cases=False)
        json.dumps(report.to_dict(with_cases=False), ensure_ascii=False, indent=2)  # as the CLI without --cases
        return report.cohort_size

    def lists() -> int:
        return compute_from_store(store, START, AS_OF, AS_OF, "uk", with_cases=True).cohort_size

    def one_list() -> int:
        row = measure_cases_from_store(store, START, AS_OF, AS_OF, *largest)
        return len(_refs(row))

    times: dict[str, list[float]] = {"count": [], "read": [], "outcomes": [], "lists": [], "one list": []}
    cpu: dict[str, list[float]] = {k: [] for k in times}
    cohort = 0
    with CaseStore.open(folder, create=False) as store:
        full = compute_from_store(store, START, AS_OF, AS_OF, "uk", with_cases=True)  # which list is the largest
        biggest = max((m for _s, m in full.all_rows()), key=lambda m: len(_refs(m)))
        largest = (biggest.id, biggest.group)
        del full
        for _ in range(repeats):
            for name, fn in (("count", count), ("read", read), ("outcomes", outcomes), ("lists", lists),
                             ("one list", one_list)):
                t0, c0 = time.perf_counter(), time.process_time()
                result = fn()
                times[name].append(time.perf_counter() - t0)
                cpu[name].append(time.process_time() - c0)
                if name == "lists":
                    cohort = result
    out = {k: statistics.median(v) for k, v in times.items()}
    out.update({k + " cpu": statistics.median(v) for k, v in cpu.items()})
    env = dict(os.environ, RADICULOPATHY_DESKTOP_LOG_DIR=str(folder.parent / "logs"))
    t0, c0 = time.perf_counter(), _children_cpu()
    subprocess.run([sys.executable, "-m", "radiculopathy_desktop", "--data-dir", str(folder), "outcomes",
                    "--as-of", AS_OF.isoformat(), "--from", START.isoformat(), "--to", AS_OF.isoformat(),
                    "--format", "json"], check=True, env=env, stdout=subprocess.DEVNULL)
    out["cli"], out["cli cpu"] = time.perf_counter() - t0, _children_cpu() - c0
    out["cohort"] = cohort
    out["largest"] = f"{largest[0]} ({largest[1]})"
    return out


def _refs(m) -> tuple:
    return getattr(m, "cases", ()) + getattr(m, "cases_in_numerator", ()) \
        + getattr(m, "cases_not_in_numerator", ()) + getattr(m, "cases_not_recorded", ())


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000", help="comma-separated case counts (default 10000,30000; "
                                                               "the issue's figure: 10000,100000)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep (or reuse) the databases")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-outcomes-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        os.chmod(work, 0o700)
        results = {n: measure(ensure_db(work, n), args.repeats) for n in sizes}
    print(f"\nOutcomes benchmark: period {START} to {AS_OF}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}; "
          f"median of {args.repeats} (CLI once)\n")
    rows = [("baseline: count query (plain sqlite3)", "count"),
            ("reference: read + json.loads every case_json", "read"),
            ("outcomes: SQL counts + measures + JSON (in-process)", "outcomes"),
            ("--cases: every case list (in-process)", "lists"),
            ("view drill-down: the largest list on demand", "one list"),
            ("CLI outcomes --format json (whole process)", "cli")]
    width = max(len(label) for label, _ in rows)
    print(f"{'cases'.rjust(8)}  {'cohort'.rjust(7)}  {'path'.ljust(width)}  {'wall s':>8}  {'x count':>8}  "
          f"{'cpu s':>7}  {'x count':>8}")
    for n, r in results.items():
        for label, key in rows:
            print(f"{n:8,}  {r['cohort']:7,}  {label.ljust(width)}  {r[key]:8.3f}  {r[key] / r['count']:8.1f}  "
                  f"{r[key + ' cpu']:7.3f}  {r[key + ' cpu'] / max(r['count cpu'], 1e-9):8.1f}")
    for n, r in results.items():
        print(f"{n:8,}  largest list: {r['largest']}")
    if len(sizes) > 1:
        lo, hi = results[sizes[0]], results[sizes[-1]]
        print(f"\ngrowth {sizes[0]:,} -> {sizes[-1]:,} cases (x{sizes[-1] / sizes[0]:.1f} cases), wall (cpu): "
              + ", ".join(f"{key} x{hi[key] / lo[key]:.2f} (x{hi[key + ' cpu'] / max(lo[key + ' cpu'], 1e-9):.2f})"
                          for _, key in rows))
    big = sizes[-1]
    if big < 100_000:
        print(f"projected to 100,000 cases (linear from {big:,}): outcomes "
              f"{results[big]['outcomes'] * 100_000 / big:.1f} s wall, "
              f"{results[big]['outcomes cpu'] * 100_000 / big:.1f} s cpu (target: under 2 s)")
    else:
        print(f"at {big:,} cases: outcomes {results[big]['outcomes']:.2f} s wall, {results[big]['outcomes cpu']:.2f} s "
              f"cpu (target: under 2 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
