"""Batch paths against same-run plain-sqlite3 baselines (issue 17): figure, baseline, ratio, growth.

Run:  .venv/bin/python benchmarks/bench_batch.py [--sizes 10000,100000] [--repeats 5] [--keep DIR]

For each size a demo database (``demo --seed 1 --as-of 2026-06-01``) is made once (or
reused from ``--keep DIR``). Each path is timed in this process, alternating with its
baseline in every repeat (so both see the same machine load), and the medians are printed:

* past-date worklist   ``CaseStore.worklist(2026-03-01, all statuses)`` from a cold cache
                       (cases with later events read from their facts history, m005)
                       / baseline: plain sqlite3 reading and ``json.loads``
                       of the same stored cases (target: within 2x);
* worklist json        ``store.worklist`` + the command's JSON text / baseline: plain sqlite3
                       reading the same columns + compact C-encoder JSON of them (1.5x);
* worklist csv         ``store.worklist`` + the command's CSV text / baseline: the same
                       columns through plain ``csv.writer`` (1.5x);
* export cases csv     ``export cases --status all`` writing a file through the checked
                       writer / baseline: plain ``csv.writer`` of the same columns to a file (1.5x);
  Below it, what the checked writer's integrity steps cost (they stay): the read-back
  check alone, and the fsync (elapsed time of the same bytes written with and without it);
* outcomes json        ``outcomes --format json`` work (the period's cases read, measures,
                       JSON) / baseline: count + reading every stored case_json (target: 2 s
                       at 100,000 cases, issue 16).

Growth is the largest size's figure over the smallest's (10 = linear for 10k -> 100k).
Not a test: nothing asserts; it prints a table. Whole-process start-up is in bench_startup.py
and assessments per second in bench_assess.py.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = dt.date(2026, 6, 1)
PAST = dt.date(2026, 3, 1)


def ensure_db(work: Path, n: int) -> Path:
    from radiculopathy_desktop.storage.paths import DB_FILENAME

    folder = work / f"db{n}"
    if not (folder / DB_FILENAME).exists():
        env = dict(os.environ, RADICULOPATHY_DESKTOP_LOG_DIR=str(work / "logs"))
        subprocess.run([str(Path(sys.executable).parent / "radiculopathy-desktop"), "--data-dir", str(folder), "demo",
                        "--cases", str(n), "--seed", "1", "--as-of", AS_OF.isoformat()],
                       check=True, env=env, stdout=subprocess.DEVNULL)
    return folder


def measure(folder: Path, repeats: int, scratch: Path, only: set[str] | None = None,
            clock=time.perf_counter, sizes: dict | None = None) -> dict[str, tuple[float, float]]:
    """The medians (figure, baseline) per path; ``sizes`` (when given) gets, per output path,
    the size of the output and of its baseline's (characters, or bytes for the files): the
    baselines write fewer columns and no status or reason, so their outputs are smaller."""
    from radiculopathy_desktop.commands import tracker
    from radiculopathy_desktop.commands.outcomes import compute_from_store
    from radiculopathy_desktop.commands.worklist_output import worklist_csv, worklist_rows_json
    from radiculopathy_desktop.outputs import verify_csv_rows
    from radiculopathy_desktop.reports.csv_export import export_worklist_csv
    from radiculopathy_desktop.storage.store import CaseStore

    store = CaseStore.open(folder, create=False)
    conn = store._db.conn
    statuses = tracker.parse_statuses("all")
    cols = ("case_id, patient_id, patient_name, side, care_start_date, intake_date, last_visit_date, visit_count, "
            "baseline_leg_nrs, latest_leg_nrs, last_decision_kind, last_decision_date, continue_until_ord")

    def past_worklist():
        store.forget_cached()
        conn.execute("DROP TABLE IF EXISTS temp.asof_cases")
        return store.worklist(PAST, statuses=statuses)

    def past_baseline():
        day = PAST.toordinal()
        for _cid, text in conn.execute(
                "SELECT c.case_id, d.case_json FROM cases c JOIN case_documents d USING (case_id) "
                "WHERE c.latest_event_ord > ? AND c.intake_ord <= ?", (day, day)):
            json.loads(text)

    def wl_json():
        rows = store.worklist(AS_OF, statuses=statuses)
        return worklist_rows_json({"as_of": AS_OF.isoformat(), "count": len(rows)}, rows)

    def wl_json_baseline():
        rows = conn.execute(f"SELECT {cols} FROM cases WHERE intake_ord <= ?", (AS_OF.toordinal(),)).fetchall()
        return json.dumps({"as_of": AS_OF.isoformat(), "rows": rows}, ensure_ascii=False, separators=(",", ":"))

    def wl_csv():
        rows = store.worklist(AS_OF, statuses=statuses)
        return worklist_csv(tracker.WORKLIST_CSV_COLUMNS, rows, tracker._csv_safe)

    def wl_csv_baseline():
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerows(conn.execute(f"SELECT {cols} FROM cases WHERE intake_ord <= ?", (AS_OF.toordinal(),)))
        return buf.getvalue()

    target = scratch / "cases.csv"

    def export():
        rows = store.worklist(AS_OF, statuses=statuses)
        exported[0] = export_worklist_csv(rows, target, content_version="bench", overwrite=True)

    def export_baseline():
        with open(target.with_suffix(".base.csv"), "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh, lineterminator="\r\n").writerows(
                conn.execute(f"SELECT {cols} FROM cases WHERE intake_ord <= ?", (AS_OF.toordinal(),)))
            fh.flush()
            os.fsync(fh.fileno())

    def outcomes():
        report = compute_from_store(store, AS_OF - dt.timedelta(days=364), AS_OF, AS_OF, "uk", with_cases=False)
        return json.dumps(report.to_dict(with_cases=False), ensure_ascii=False, indent=2)

    def outcomes_baseline():
        conn.execute("SELECT count(*) FROM cases").fetchone()
        for (text,) in conn.execute("SELECT case_json FROM case_documents"):
            pass

    pairs = {"past-date worklist": (past_worklist, past_baseline), "worklist json": (wl_json, wl_json_baseline),
             "worklist csv": (wl_csv, wl_csv_baseline), "export cases csv": (export, export_baseline),
             "outcomes json": (outcomes, outcomes_baseline)}
    exported = [0]

    def readback():  # the checked writer's read-back of the exported file, alone
        verify_csv_rows(lambda: exported[0])(target)

    def rewrite_fsync():  # the same bytes written and fsynced, without the read-back
        data = target.read_bytes()
        with open(target.with_suffix(".fsync.csv"), "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())

    def rewrite_only():
        data = target.read_bytes()
        with open(target.with_suffix(".fsync.csv"), "wb") as fh:
            fh.write(data)

    out = {}
    for name, (fn, base) in pairs.items():
        if only and name not in only:
            continue
        fn(), base()  # warm-up: data files in the page cache, rule data loaded
        figs, bases = [], []
        for _r in range(repeats):
            t = clock()
            fn()
            figs.append(clock() - t)
            t = clock()
            base()
            bases.append(clock() - t)
        out[name] = (statistics.median(figs), statistics.median(bases))
    if sizes is not None:
        made = {"worklist json": (wl_json, wl_json_baseline), "worklist csv": (wl_csv, wl_csv_baseline)}
        for name, (fn, base) in made.items():
            if name in out:
                sizes[name] = (len(fn()), len(base()))
        if "export cases csv" in out:
            sizes["export cases csv"] = (target.stat().st_size, target.with_suffix(".base.csv").stat().st_size)
    if "export cases csv" in out:
        # What the integrity steps of the checked writer cost (kept: issue 17 asks to measure
        # them): the read-back (the file read and its rows counted) on this clock, and the
        # fsync as elapsed time (the CPU clock does not see the wait for the disk).
        out["  of which read-back"] = (_median(readback, repeats, clock), out["export cases csv"][1])
        fsync = _median(rewrite_fsync, repeats, time.perf_counter) - _median(rewrite_only, repeats, time.perf_counter)
        out["  fsync (elapsed)"] = (max(fsync, 0.0), out["export cases csv"][1])
    store.close()
    return out


def _median(fn, repeats: int, clock) -> float:
    fn()
    times = []
    for _r in range(repeats):
        t = clock()
        fn()
        times.append(clock() - t)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall (default): elapsed time; cpu: this process's CPU time (steadier on a loaded "
                             "machine, but leaves out waiting for the disk)")
    parser.add_argument("--paths", help="comma-separated path names to measure (default: all)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep (or reuse) the databases")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="rd-bench-batch-"))
    work.mkdir(parents=True, exist_ok=True)
    results = {}
    output_sizes: dict[int, dict] = {}
    for n in sizes:
        folder = ensure_db(work, n)
        only = {p.strip() for p in args.paths.split(",")} if args.paths else None
        clock = time.process_time if args.clock == "cpu" else time.perf_counter
        output_sizes[n] = {}
        results[n] = measure(folder, args.repeats, work, only, clock, output_sizes[n])
    print(f"clock: {args.clock}, median of {args.repeats}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"{'path':<22}{'cases':>9}{'figure s':>11}{'baseline s':>12}{'ratio':>8}")
    for name in results[sizes[0]]:
        for n in sizes:
            fig, base = results[n][name]
            if name.startswith("  "):  # a part of the export's figure, shown against the export's baseline
                share = fig / results[n]["export cases csv"][0]
                print(f"{name:<22}{n:>9,}{fig:>11.3f}{base:>12.3f}{fig / base:>7.1f}x  ({share:.0%} of the export)")
                continue
            print(f"{name:<22}{n:>9,}{fig:>11.3f}{base:>12.3f}{fig / base:>7.1f}x")
        if len(sizes) > 1:
            a, b = results[sizes[0]][name][0], results[sizes[-1]][name][0]
            print(f"{'':<22}growth {sizes[0]:,} -> {sizes[-1]:,}: {b / a:.1f}x (linear {sizes[-1] / sizes[0]:.0f}x)")
    for n in sizes:
        for name, (made, base) in output_sizes[n].items():
            print(f"output size, {name} {n:,}: {made / 1e6:.2f} MB against the baseline's {base / 1e6:.2f} MB "
                  f"({made / base:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
