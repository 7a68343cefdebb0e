"""Outcomes benchmark (issue 16): ``outcomes --format json`` over a demo cohort.

Run:  .venv/bin/python benchmarks/bench_outcomes.py [--cases 100000] [--repeats 3] [--keep DIR]

Target (issue 16): the Outcomes view and ``outcomes --format json`` over 100,000 cases in
under 2 s. Measured in the same run, on the same database:

* baseline      ``SELECT count(*) FROM case_documents`` plus reading every case_json text
                (the least any full-cohort measure must do), median of ``--repeats``;
* read+parse    ``CaseStore.iter_cases()`` (read and validate every stored case);
* outcomes      ``compute_outcomes`` over ``iter_cases()`` for a one-year period, plus the
                JSON encoding (what ``outcomes --format json`` does after opening the store);
* CLI           the whole ``radiculopathy-desktop outcomes --format json`` process, once.

Prints each figure, the baseline and the ratio. Not a test: nothing asserts. On a shared
or loaded machine run it at 10,000 cases (``--cases 10000``) and say so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = dt.date(2026, 6, 1)


def _median_time(fn, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep (or reuse) the database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-outcomes-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        os.chmod(work, 0o700)
        exe = [sys.executable, "-m", "radiculopathy_desktop", "--data-dir", str(work)]
        from radiculopathy_desktop.storage.store import CaseStore

        from radiculopathy_desktop.storage.paths import DB_FILENAME

        fresh = not (work / DB_FILENAME).exists()
        if fresh:
            print(f"generating {args.cases:,} demo cases ...", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            subprocess.run(exe + ["demo", "--cases", str(args.cases), "--as-of", AS_OF.isoformat()], check=True,
                           stdout=subprocess.DEVNULL)
            print(f"  demo took {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        from radiculopathy_desktop.domain.outcomes import compute_outcomes

        start, end = AS_OF - dt.timedelta(days=364), AS_OF
        with CaseStore.open(work, create=False) as store:
            n = store.case_count()

            def baseline():
                conn = store._db.conn
                count = conn.execute("SELECT count(*) FROM case_documents").fetchone()[0]
                size = sum(len(t) for (t,) in conn.execute("SELECT case_json FROM case_documents"))
                return count, size

            def read_parse():
                return sum(1 for _ in store.iter_cases())

            def outcomes():
                report = compute_outcomes(store.iter_cases(), start, end, AS_OF, profile="uk",
                                          settings=store.get_settings())
                return report, json.dumps(report.to_dict(with_cases=False))  # as the CLI without --cases

            base_s, _ = _median_time(baseline, args.repeats)
            parse_s, _ = _median_time(read_parse, args.repeats)
            out_s, (report, text) = _median_time(outcomes, args.repeats)
        t0 = time.perf_counter()
        subprocess.run(exe + ["outcomes", "--as-of", AS_OF.isoformat(), "--from", start.isoformat(), "--to",
                              end.isoformat(), "--format", "json"], check=True, stdout=subprocess.DEVNULL)
        cli_s = time.perf_counter() - t0
    print(f"\nOutcomes benchmark: {n:,} cases, cohort {report.cohort_size:,}, JSON {len(text) / 1e6:.1f} MB; "
          f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}; median of {args.repeats}\n")
    rows = [("baseline: count + read every case_json", base_s),
            ("read + validate every case (iter_cases)", parse_s),
            ("outcomes: compute + JSON", out_s),
            ("CLI outcomes --format json (whole process, once)", cli_s)]
    width = max(len(label) for label, _ in rows)
    for label, secs in rows:
        print(f"{label.ljust(width)}  {secs:8.3f} s   {secs / base_s:7.1f} x baseline")
    print(f"\ntarget: outcomes over 100,000 cases under 2 s; scaled linearly from this run: "
          f"{out_s * 100_000 / max(n, 1):.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
