"""Batch paths against same-run plain-sqlite3 baselines (issue 17): figure, baseline, ratio, growth.

Run:  .venv/bin/python benchmarks/bench_batch.py [--sizes 10000,100000] [--repeats 5] [--keep DIR]

For each size a demo database (``demo --seed 1 --as-of 2026-06-01 --no-medicines``) is made once (or
reused from ``--keep DIR``). Each path is timed in this process, alternating with its
baseline in every repeat (so both see the same machine load), and the medians are printed:

* past-date worklist   ``CaseStore.worklist(2026-03-01, all statuses)`` from a cold cache
                       (cases with later events read from their facts history, m005)
                       / baseline: plain sqlite3 reading and ``json.loads``
                       of the same stored cases (target: within 2x);
* worklist json        ``store.worklist`` + the command's JSON text / baseline: plain sqlite3
                       reading 13 stored columns + compact C-encoder JSON arrays of them (1.5x);
* worklist csv         ``store.worklist`` + the command's CSV text / baseline: those 13
                       columns through plain ``csv.writer`` (1.5x);
* export cases csv     ``export cases --status all`` writing a file through the checked
                       writer / baseline: plain ``csv.writer`` of those 13 columns to a file,
                       fsynced (1.5x);
  Each of these three also has a second, "same columns" baseline (``same_*`` below):
  plain sqlite3 + the stdlib writing every column of the output that can be produced from
  what is stored (the stored columns and the stored dose alerts, dates and counts worked
  out per row, the decision label from the vocabulary's table, the formula escape on the
  same text cells, keys in JSON), in the same format except the JSON's indentation
  (compact, C encoder). Three columns cannot be in it: the status, its label and the
  reason sentence are not stored (the engine's rule computes them for ``as_of``), so
  they are left out, and the rows are in stored order, not worklist order (which needs
  the status). Both ratios are printed, labelled; the first (old) baseline does less
  work, so its ratio is the stricter one;
  Below it, what the checked writer's integrity steps cost (they stay): the read-back
  check alone, and the fsync (elapsed time of the same bytes written with and without it);
* outcomes json        ``outcomes --format json`` work (the period's cases read, measures,
                       JSON) / baseline: count + reading every stored case_json (target: 2 s
                       at 100,000 cases, issue 16).

``--instructions`` counts instead of timing: the machine instructions of one run of the worklist
json, worklist csv and export cases csv paths and of each one's old baseline (valgrind
callgrind, only the path's own call counted, after a warm run, ``PYTHONHASHSEED=0``), their
ratio and, with two sizes, the growth: figures that do not move with the load of a shared
machine, for README and before/after comparisons (a few minutes at 100,000 cases):

    .venv/bin/python benchmarks/bench_batch.py --instructions [--cases 10000,100000] [--keep DIR]

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
import re
import shutil
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
                        "--cases", str(n), "--seed", "1", "--as-of", AS_OF.isoformat(), "--no-medicines"],
                       check=True, env=env, stdout=subprocess.DEVNULL)
    return folder


# The "same columns" baselines: plain sqlite3 + the stdlib, every column of the output that
# can be produced from what is stored. Not in them: status, status_label and reason (not
# stored: the engine's rule computes them for as_of), nor medicine_alerts and pregnancy
# (worked out for as_of from the stored spans and recorded weeks, wl17).
# tests/cli/test_bench_batch_baselines.py checks that each writes exactly the output's content
# without those columns.
FORMULA = ("=", "+", "-", "@", "\t", "\r")
_SAME_COLUMNS = ("SELECT c.case_id, c.patient_id, c.patient_name, c.side, c.care_start_date, c.care_start_ord, "
                 "c.improving, c.has_follow_up, c.resolved, c.last_visit_date, c.visit_count, c.baseline_leg_nrs, "
                 "c.latest_leg_nrs, c.last_decision_kind, c.last_decision_date, c.continue_until")
_SAME_SQL = (f"{_SAME_COLUMNS}, a.alerts_json FROM cases c "  # with the profile's stored dose alerts
             "LEFT JOIN medicine_alerts a ON a.case_id = c.case_id AND a.profile = ? WHERE c.intake_ord <= ?")
# the export has the pregnancy columns (preg17), from the stored records, and the profile's stored
# dose alerts (wl18)
_SAME_EXPORT_SQL = (f"{_SAME_COLUMNS}, c.pregnancy, a.alerts_json FROM cases c "
                    "LEFT JOIN medicine_alerts a ON a.case_id = c.case_id AND a.profile = ? WHERE c.intake_ord <= ?")


def _dose(alerts: str | None) -> list:
    """The stored dose alerts of a medicine_alerts row: its "dose" (a bare list before wl17)."""
    if not alerts:
        return []
    stored = json.loads(alerts)
    return stored if isinstance(stored, list) else stored.get("dose", [])


def _esc(text):
    """The formula escape (a leading apostrophe), on a text cell."""
    return "'" + text if text.startswith(FORMULA) else text


#: the characters the export writes as a visible \uXXXX escape (control characters, direction
#: controls and marks, line separators: what a name refuses, red-team rt8 F8), and the
#: backslash, written doubled (the shown form is one-to-one, rt10 F8)
_HIDDEN = re.compile("[\\\\\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]")


def _esc_export(text):
    """The export's cell: hidden characters escaped visibly, then the formula escape."""
    if _HIDDEN.search(text):
        text = _HIDDEN.sub(lambda m: "\\\\" if m.group() == "\\" else f"\\u{ord(m.group()):04x}", text)
    return _esc(text)


def same_json(conn, as_of: dt.date, profile: str, labels: dict) -> str:
    """The worklist JSON's keys and values but status, status_label and reason, compact."""
    day, on = as_of.toordinal(), as_of.isoformat()
    rows = []
    for (case_id, patient_id, name, _side, care_start, start, improving, has_follow_up, _resolved, last_visit,
         visits, baseline, latest, kind, decided, until, alerts) in conn.execute(_SAME_SQL, (profile, day)):
        days = day - start
        rows.append({"case_id": case_id, "patient_id": patient_id, "patient_name": name, "as_of": on,
                     "care_start_date": care_start, "days_since_care_start": days,
                     "weeks_since_care_start": max(days, 0) // 7,
                     "improving": None if improving is None else bool(improving),
                     "has_follow_up": bool(has_follow_up), "last_visit_date": last_visit, "visit_count": visits,
                     "baseline_leg_nrs": baseline, "latest_leg_nrs": latest,
                     "last_decision": None if kind is None else {
                         "kind": kind, "label": labels.get(kind, kind), "date": decided, "until": until},
                     "dose_alerts": _dose(alerts)})
    return json.dumps({"as_of": on, "count": len(rows), "rows": rows}, ensure_ascii=False, separators=(",", ":"))


def same_csv(conn, as_of: dt.date, profile: str) -> str:
    """The worklist CSV's columns but status and reason, through ``csv.writer``."""
    day = as_of.toordinal()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(("case_id", "patient_id", "patient_name", "care_start_date", "days_since_care_start",
                "weeks_since_care_start", "improving", "has_follow_up", "last_visit_date", "visit_count",
                "baseline_leg_nrs", "latest_leg_nrs", "last_decision", "last_decision_date", "continue_until",
                "dose_alerts"))
    for (case_id, patient_id, name, _side, care_start, start, improving, has_follow_up, _resolved, last_visit,
         visits, baseline, latest, kind, decided, until, alerts) in conn.execute(_SAME_SQL, (profile, day)):
        days = day - start
        # ids and name shown as the export shows them (one line, one-to-one: rt10 F15, F8)
        w.writerow((_esc_export(case_id), _esc_export(patient_id), "" if name is None else _esc_export(name),
                    care_start, days,
                    max(days, 0) // 7, "" if improving is None else ("true" if improving else "false"),
                    "true" if has_follow_up else "false", last_visit, visits, baseline, latest,
                    _esc(kind or ""), decided or "", until or "",
                    _esc("; ".join(_dose(alerts)))))
    return buf.getvalue()


def same_export(conn, as_of: dt.date, path: Path, labels: dict, app_version: str, content_version: str,
                profile: str = "us") -> None:
    """The export's columns but status, status_label, reason and medicine_alerts, UTF-8 with BOM,
    CRLF, fsynced."""
    import json

    from radiculopathy_desktop.domain.intake import pregnancy_status_from_records
    from radiculopathy_desktop.reports.csv_export import medicine_content_version, pregnancy_cells

    day, on = as_of.toordinal(), as_of.isoformat()
    trends = {None: "unknown", 0: "not improving", 1: "improving"}
    tail = (_esc_export(app_version), _esc_export(content_version))
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(("case_id", "patient_id", "patient_name", "side", "care_start_date", "as_of",
                    "days_since_care_start", "weeks_since_care_start", "trend", "resolved", "visit_count",
                    "last_visit_date", "baseline_leg_nrs", "latest_leg_nrs", "last_decision", "last_decision_date",
                    "continue_until", "app_version", "content_version", "pregnant", "pregnancy_weeks", "dose_alerts",
                    "medicine_content_version"))
        medicines_version = _esc_export(medicine_content_version())
        for (case_id, patient_id, name, side, care_start, start, improving, _has_follow_up, resolved, last_visit,
             visits, baseline, latest, kind, decided, until, pregnancy, alerts) in conn.execute(_SAME_EXPORT_SQL,
                                                                                               (profile, day)):
            days = day - start
            w.writerow((_esc_export(case_id), _esc_export(patient_id), "" if name is None else _esc_export(name),
                        _esc_export(side), care_start, on, days, max(days, 0) // 7, trends[improving],
                        "yes" if resolved else "no", visits, last_visit, baseline, latest,
                        _esc_export(labels.get(kind, kind or "")), decided or "",
                        until or "", *tail,
                        *(("", "") if pregnancy is None else
                          pregnancy_cells(pregnancy_status_from_records(json.loads(pregnancy), as_of))),
                        _esc("; ".join(_dose(alerts))), medicines_version))
        fh.flush()
        os.fsync(fh.fileno())


def path_functions(store, scratch: Path):
    """Each path's calls on an open store: ``pairs`` (name -> (the path, its old baseline)),
    ``same`` (name -> its same-columns baseline), ``exported`` (the export's row count, set by
    the export) and ``target`` (the export's file). :func:`measure` times them and
    ``--instructions`` counts them (:func:`count_one`)."""
    from radiculopathy_desktop import __version__
    from radiculopathy_desktop.commands import tracker
    from radiculopathy_desktop.commands.outcomes import compute_from_store
    from radiculopathy_desktop.domain.vocabulary import DECISIONS
    from radiculopathy_desktop.commands.worklist_output import worklist_csv, worklist_rows_json
    from radiculopathy_desktop.reports.csv_export import export_worklist_csv

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

    labels = dict(DECISIONS)

    def wl_json_same():
        return same_json(conn, AS_OF, "us", labels)  # "us": store.worklist's default profile, as wl_json

    def wl_csv_same():
        return same_csv(conn, AS_OF, "us")

    def export_same():
        same_export(conn, AS_OF, target.with_suffix(".same.csv"), labels, __version__, "bench")

    pairs = {"past-date worklist": (past_worklist, past_baseline), "worklist json": (wl_json, wl_json_baseline),
             "worklist csv": (wl_csv, wl_csv_baseline), "export cases csv": (export, export_baseline),
             "outcomes json": (outcomes, outcomes_baseline)}
    same = {"worklist json": wl_json_same, "worklist csv": wl_csv_same, "export cases csv": export_same}
    exported = [0]
    return pairs, same, exported, target


def measure(folder: Path, repeats: int, scratch: Path, only: set[str] | None = None,
            clock=time.perf_counter, sizes: dict | None = None) -> dict[str, tuple[float, float]]:
    """The medians (figure, baseline[, same-columns baseline]) per path; ``sizes`` (when
    given) gets, per output path, the size of the output and of its two baselines'
    (characters, or bytes for the files): the old baselines write fewer columns and no
    status, reason, label, dose alerts or escape; the same-columns ones all but status,
    status_label and reason, compact in JSON."""
    from radiculopathy_desktop.outputs import verify_csv_rows
    from radiculopathy_desktop.storage.store import CaseStore

    store = CaseStore.open(folder, create=False)
    pairs, same, exported, target = path_functions(store, scratch)

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
        also = same.get(name)
        fn(), base()  # warm-up: data files in the page cache, rule data loaded
        if also:
            also()
        figs, bases, sames = [], [], []
        for _r in range(repeats):  # each repeat: the path, its baseline, its same-columns baseline
            t = clock()
            fn()
            figs.append(clock() - t)
            t = clock()
            base()
            bases.append(clock() - t)
            if also:
                t = clock()
                also()
                sames.append(clock() - t)
        out[name] = (statistics.median(figs), statistics.median(bases))
        if also:
            out[name] += (statistics.median(sames),)
    if sizes is not None:
        made = {name: (*pairs[name], same[name]) for name in ("worklist json", "worklist csv")}
        for name, (fn, base, also) in made.items():
            if name in out:
                sizes[name] = (len(fn()), len(base()), len(also()))
        if "export cases csv" in out:
            sizes["export cases csv"] = tuple(target.with_suffix(suffix).stat().st_size
                                              for suffix in (".csv", ".base.csv", ".same.csv"))
    if "export cases csv" in out:
        # What the integrity steps of the checked writer cost (kept: issue 17 asks to measure
        # them): the read-back (the file read and its rows counted) on this clock, and the
        # fsync as elapsed time (the CPU clock does not see the wait for the disk).
        out["  of which read-back"] = (_median(readback, repeats, clock), out["export cases csv"][1])
        fsync = _median(rewrite_fsync, repeats, time.perf_counter) - _median(rewrite_only, repeats, time.perf_counter)
        out["  fsync (elapsed)"] = (max(fsync, 0.0), out["export cases csv"][1])
    store.close()
    return out


PATH_NAMES = ("past-date worklist", "worklist json", "worklist csv", "export cases csv", "outcomes json")


#: the paths ``--instructions`` counts (the batch outputs; each against its old baseline)
INSTRUCTION_PATHS = ("worklist json", "worklist csv", "export cases csv")


def count_one(folder: Path, scratch: Path, name: str, which: str) -> None:
    """The child of ``--instructions``: one warm run of the path's figure (or baseline), then one
    run inside ``functools.reduce``, the only call valgrind counts (``--toggle-collect``), so
    the count leaves out the interpreter's start, the imports and the store's opening."""
    import functools
    import gc

    from radiculopathy_desktop.storage.store import CaseStore

    store = CaseStore.open(folder, create=False)
    pairs, _same, _exported, _target = path_functions(store, scratch)
    fn = pairs[name][0 if which == "figure" else 1]
    fn()  # warm: data files in the page cache, rule data loaded, the store's caches as a running app has them
    gc.collect()
    functools.reduce(lambda _a, f: f(), [fn], None)
    print("COUNTED", name, which, flush=True)
    store.close()


def count_instructions(folder: Path, scratch: Path, name: str, which: str) -> int:
    """Machine instructions of one run of a path's figure or baseline (:func:`count_one` under
    ``valgrind --tool=callgrind``, ``PYTHONHASHSEED=0``): the same count whatever the machine's
    load, so one run of each is a figure anyone can repeat."""
    command = ["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=functools_reduce",
               "--callgrind-out-file=/dev/null", sys.executable, str(Path(__file__).resolve()),
               "--count-one", name, which, str(folder), str(scratch)]
    out = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, PYTHONHASHSEED="0"),
                         timeout=3600)
    if out.returncode != 0 or "COUNTED" not in out.stdout:
        raise SystemExit(f"{name} ({which}) did not run under valgrind (exit {out.returncode}):\n"
                         f"{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
    found = re.search(r"Collected\s*:\s*(\d+)", out.stderr)
    if found is None:
        raise SystemExit(f"valgrind printed no instruction count:\n{out.stderr[-4000:]}")
    return int(found.group(1))


def instruction_lines(counts: dict[int, dict[str, tuple[int, int]]]) -> list[str]:
    """The ``--instructions`` table: per path and size the figure, the same-run baseline and
    their ratio (millions of instructions), then the growth from the smallest size to the
    largest (of the figure, of the baseline and of the ratio)."""
    sizes = sorted(counts)
    lines = ["instructions (valgrind callgrind, PYTHONHASHSEED=0, one counted run after a warm one; baseline: the old "
             "plain-sqlite3 one, 13 stored columns, counted in the same run of this benchmark)",
             f"{'path':<20}{'cases':>9}{'figure M':>12}{'baseline M':>12}{'ratio':>8}"]
    for name in [n for n in INSTRUCTION_PATHS if n in counts[sizes[0]]]:
        for n in sizes:
            fig, base = counts[n][name]
            lines.append(f"{name:<20}{n:>9,}{fig / 1e6:>12,.1f}{base / 1e6:>12,.1f}{fig / base:>7.2f}x")
        if len(sizes) > 1:
            (f0, b0), (f1, b1) = counts[sizes[0]][name], counts[sizes[-1]][name]
            lines.append(f"{'':<20}growth {sizes[0]:,} -> {sizes[-1]:,}: figure {f1 / f0:.2f}x, baseline "
                         f"{b1 / b0:.2f}x (linear {sizes[-1] / sizes[0]:.0f}x), ratio {f0 / b0:.2f}x -> {f1 / b1:.2f}x")
    return lines


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
    parser.add_argument("--sizes", "--cases", dest="sizes", default="10000,100000",
                        help="database size(s), comma-separated (--cases as in bench_startup.py)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall (default): elapsed time; cpu: this process's CPU time (steadier on a loaded "
                             "machine, but leaves out waiting for the disk)")
    parser.add_argument("--paths", help="comma-separated path names to measure (default: all), e.g. "
                                        "worklist-json,worklist-csv (a hyphen for each space)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep (or reuse) the databases")
    parser.add_argument("--instructions", action="store_true",
                        help="instead of timing, count the machine instructions of the worklist JSON, worklist CSV "
                             "and export paths and of their baselines, once each under valgrind --tool=callgrind "
                             "(the same count whatever the load); --paths narrows them")
    parser.add_argument("--count-one", nargs=4, metavar=("PATH", "WHICH", "FOLDER", "SCRATCH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count_one:  # a child of --instructions, under valgrind
        name, which, folder, scratch = args.count_one
        count_one(Path(folder), Path(scratch), name, which)
        return 0
    sizes = [int(x) for x in args.sizes.split(",")]
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="rd-bench-batch-"))
    work.mkdir(parents=True, exist_ok=True)
    only = {p.strip() for p in args.paths.split(",")} if args.paths else None
    if only:  # "worklist json" or "worklist-json": a hyphen may stand for each space (no quoting needed)
        only |= {name for name in PATH_NAMES if name.replace(" ", "-") in only}
    if args.instructions:
        if shutil.which("valgrind") is None:
            raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
        counts: dict[int, dict[str, tuple[int, int]]] = {}
        for n in sizes:
            folder = ensure_db(work, n)
            counts[n] = {name: (count_instructions(folder, work, name, "figure"),
                                count_instructions(folder, work, name, "baseline"))
                         for name in INSTRUCTION_PATHS if not only or name in only}
        if not counts[sizes[0]]:
            raise SystemExit(f"--instructions counts only {', '.join(INSTRUCTION_PATHS)}")
        print("\n".join(instruction_lines(counts)))
        return 0
    results = {}
    output_sizes: dict[int, dict] = {}
    for n in sizes:
        folder = ensure_db(work, n)
        clock = time.process_time if args.clock == "cpu" else time.perf_counter
        output_sizes[n] = {}
        results[n] = measure(folder, args.repeats, work, only, clock, output_sizes[n])
    print(f"clock: {args.clock}, median of {args.repeats}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}")
    print("worklist json/csv and export: baseline = the old one (13 stored columns, no status, reason, label, "
          "dose alerts or escape); same-cols = every output column that can come from what is stored (all but "
          "status, status_label and reason, which are not stored)")
    print(f"{'path':<22}{'cases':>9}{'figure s':>11}{'baseline s':>12}{'ratio':>8}{'same-cols s':>13}{'ratio':>8}")
    for name in results[sizes[0]]:
        for n in sizes:
            fig, base = results[n][name][:2]
            if name.startswith("  "):  # a part of the export's figure, shown against the export's baseline
                share = fig / results[n]["export cases csv"][0]
                print(f"{name:<22}{n:>9,}{fig:>11.3f}{base:>12.3f}{fig / base:>7.1f}x  ({share:.0%} of the export)")
                continue
            line = f"{name:<22}{n:>9,}{fig:>11.3f}{base:>12.3f}{fig / base:>7.1f}x"
            if len(results[n][name]) > 2:
                also = results[n][name][2]
                line += f"{also:>13.3f}{fig / also:>7.1f}x"
            print(line)
        if len(sizes) > 1:
            a, b = results[sizes[0]][name][0], results[sizes[-1]][name][0]
            print(f"{'':<22}growth {sizes[0]:,} -> {sizes[-1]:,}: {b / a:.1f}x (linear {sizes[-1] / sizes[0]:.0f}x)")
    for n in sizes:
        for name, (made, base, also) in output_sizes[n].items():
            print(f"output size, {name} {n:,}: {made / 1e6:.2f} MB against the baseline's {base / 1e6:.2f} MB "
                  f"({made / base:.1f}x) and the same-cols baseline's {also / 1e6:.2f} MB ({made / also:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
