"""The worklist's Medicine alerts at clinic scale (wl18): figure, baseline, ratio, growth.

Run:  .venv/bin/python benchmarks/bench_medicine_alerts.py [--sizes 10000,100000] [--repeats 5]
                                                          [--keep DIR] [--parts count,page,rewrite,alerts-rewrite]

The demo generator's default cohort has no medicines (the ``demo`` command's medicines, demo23,
are asked for and drawn otherwise), so for each size a cohort is made from it
(``demo.generate_case_dicts(n, seed=1)``) with medicines and pregnancies added by the case's
index (:func:`with_medicines`): about 45 % of cases take a medicine (an NSAID, a gabapentinoid,
an opioid, some above their maximum), women of 18-45 are pregnant one in six, and a share of
the medicine cases is 65 or older. It is imported once (``CaseStore.import_cases``) and kept
under ``--keep DIR`` for the next run. The share of open cases with an alert on the date is
printed with the figures.

For each size (medians over ``--repeats``, each path alternating with its baseline so both
see the same machine load):

* count      what the window runs after every reload of the list for "Medicine alerts (N)":
             ``CaseStore.medicine_alert_count(as_of, open statuses, profile)`` (before wl18: the
             length of the filter's whole list, ``CaseStore.worklist(..., medicine_alerts_only=True)``)
             / baseline: plain sqlite3 reading the profile's stored ``medicine_alerts`` rows
             and ``json.loads`` of each (the rows any count had to look at before m012);
* count/index  the same count / plain sqlite3 reading the day's alert cases from the span
             index (``medicine_alert_spans``, m012, span19) and those cases' rows;
* first page the filter's first page (``CaseStore.worklist(..., medicine_alerts_only=True,
             limit=200)``, the window's ``PAGE``) / the same baseline plus plain sqlite3
             reading 200 of those cases' rows;
* rewrite    the one-time rewrite of every case's derived rows at the first open after an
             upgrade (``upgrade_derived_data``, DOSE_ALERTS_VERSION), run once in a fresh
             process on a copy of the database: elapsed time and the process's peak resident
             memory, and how many progress ticks the user saw / baseline: plain sqlite3
             reading every stored ``case_json`` and ``json.loads`` of it (the least a rewrite
             of every case can do);
* alerts-rewrite  the same when only ``DOSE_ALERTS_VERSION`` changed (span19): the medicine
             alerts alone are made again, from the cases with a medicine or a pregnancy, and the
             facts history and outcome facts are left / the same baseline.

Growth is the largest size's figure over the smallest's (10 = linear for 10k -> 100k).
Not a test: nothing asserts; it prints a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = dt.date(2026, 6, 1)
PROFILE = "us"

#: (medicines, share of cases by index) added to the demo cohort: what a sciatica clinic's
#: patients take, some above the label maximum (Avoid or Reduce dose), some only marked with an
#: age or a pregnancy
_REGIMENS = (
    [{"name": "ibuprofen", "daily_dose_mg": 1200}],
    [{"name": "naproxen", "daily_dose_mg": 1000}],
    [{"name": "Neurontin 600 mg", "daily_dose_mg": 4800}],
    [{"name": "pregabalin", "daily_dose_mg": 300}],
    [{"name": "ibuprofen", "daily_dose_mg": 3600}, {"name": "Tramadol 50 mg", "daily_dose_mg": 600}],
    [{"name": "co-codamol 30/500", "daily_dose_mg": 8}],
    [{"name": "amitriptyline", "daily_dose_mg": 25}],
    [{"name": "diclofenac", "daily_dose_mg": 150}],
    [{"name": "tramadol", "daily_dose_mg": 200}],
)


def with_medicines(d: dict, i: int) -> dict:
    """Case ``i`` of the demo cohort with the medicines and pregnancy this bench gives it."""
    patient = d["patient"]
    if i % 20 < 9:  # 45 %
        d["medicines"] = [dict(m) for m in _REGIMENS[(i // 20 + i) % len(_REGIMENS)]]
    born = patient.get("birth_date")
    age = (AS_OF.year - int(born[:4])) if born else patient.get("age_years")
    if patient.get("sex") == "female" and age is not None and 18 <= age <= 45 and i % 6 == 0:
        patient["pregnant"] = True
        patient["pregnancy_weeks"] = 4 + i % 34
        d.setdefault("medicines", [{"name": "ibuprofen", "daily_dose_mg": 1200}])
    return d


def cohort(n: int):
    from radiculopathy_desktop.demo import generate_case_dicts
    from radiculopathy_desktop.domain.intake import parse_case

    for i, d in enumerate(generate_case_dicts(n, seed=1, as_of=AS_OF)):
        yield parse_case(with_medicines(d, i), today=AS_OF)


def ensure_db(work: Path, n: int) -> Path:
    from radiculopathy_desktop.storage.paths import DB_FILENAME
    from radiculopathy_desktop.storage.store import CaseStore

    folder = work / f"med{n}"
    if not (folder / DB_FILENAME).exists():
        started = time.perf_counter()
        with CaseStore.open(folder) as store:
            store.import_cases(cohort(n), legacy_decisions=True)
        print(f"  made {folder} ({n} cases) in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


def _median(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def count(store, statuses) -> int:
    """The window's "Medicine alerts (N)": the store's count where it has one (wl18), else the
    length of the filter's whole list, as round 13's window read it."""
    if hasattr(store, "medicine_alert_count"):
        return store.medicine_alert_count(AS_OF, statuses, profile=PROFILE)
    return len(store.worklist(AS_OF, statuses=statuses, profile=PROFILE, medicine_alerts_only=True))


def measure(folder: Path, repeats: int, parts: set[str]) -> dict:
    from radiculopathy_desktop.domain.followup import STATUS_ORDER, ReviewStatus
    from radiculopathy_desktop.storage.paths import DB_FILENAME
    from radiculopathy_desktop.storage.store import CaseStore

    open_statuses = [s for s in STATUS_ORDER if s != ReviewStatus.CLOSED]
    out: dict = {}
    db = folder / DB_FILENAME
    with CaseStore.open(folder, create=False) as store:
        store.upgrade_derived_data_if_needed()
        total = store._db.conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        alerted = count(store, open_statuses)
        stored = store._db.conn.execute("SELECT count(*) FROM medicine_alerts WHERE profile = ?",
                                        (PROFILE,)).fetchone()[0]
        out["cohort"] = f"{total} cases, {stored} with a stored row, {alerted} open with an alert on {AS_OF}"
        plain = sqlite3.connect(db)

        def baseline():
            return [json.loads(t) for _, t in plain.execute(
                "SELECT case_id, alerts_json FROM medicine_alerts WHERE profile = ?", (PROFILE,))]

        def page_baseline():
            ids = [r[0] for r in plain.execute("SELECT case_id FROM medicine_alerts WHERE profile = ? LIMIT 200",
                                               (PROFILE,))]
            baseline()
            marks = ",".join("?" * len(ids))
            return plain.execute(f"SELECT * FROM cases WHERE case_id IN ({marks})", ids).fetchall()

        indexed = plain.execute("SELECT 1 FROM sqlite_master WHERE name = 'medicine_alert_spans'").fetchone()

        def index_baseline():
            # what the span index (m012) lets any count do: the day's alert cases, then their rows
            ids = [r[0] for r in plain.execute(
                "SELECT DISTINCT case_id FROM medicine_alert_spans WHERE profile = ? AND from_ord <= ? "
                "AND (until_ord IS NULL OR ? < until_ord)", (PROFILE, AS_OF.toordinal(), AS_OF.toordinal()))]
            return plain.execute("SELECT * FROM cases WHERE case_id IN (SELECT value FROM json_each(?))",
                                 (json.dumps(ids),)).fetchall()

        if "count" in parts:
            figures, bases, index_bases = [], [], []
            for _ in range(repeats):
                figures.append(_median(lambda: count(store, open_statuses), 1))
                bases.append(_median(baseline, 1))
                if indexed:
                    index_bases.append(_median(index_baseline, 1))
            out["count"] = (statistics.median(figures), statistics.median(bases))
            if indexed:  # span19: against the plain read of the index and the alert cases' rows
                out["count/index"] = (statistics.median(figures), statistics.median(index_bases))
        if "page" in parts:
            figures, bases = [], []
            for _ in range(repeats):
                figures.append(_median(lambda: store.worklist(AS_OF, statuses=open_statuses, profile=PROFILE,
                                                              medicine_alerts_only=True, limit=200), 1))
                bases.append(_median(page_baseline, 1))
            out["first page"] = (statistics.median(figures), statistics.median(bases))
        plain.close()
    if "rewrite" in parts:
        out["rewrite"] = rewrite(folder)
    if "alerts-rewrite" in parts:
        out["alerts-rewrite"] = rewrite(folder, "alerts")
    return out


_REWRITE = r"""
import json, resource, sys, time
from pathlib import Path
from radiculopathy_desktop.storage.store import CaseStore, DERIVED_VERSION_KEY
folder = Path(sys.argv[1])
older = "older"
if sys.argv[2] == "alerts":  # only the alerts' version differs (span19: the alerts-only rewrite)
    older = "; ".join("alerts 0" if p.startswith("alerts ") else p for p in CaseStore.derived_version().split("; "))
ticks = []
with CaseStore.open(folder, create=False, upgrade=False) as store:
    store._db.conn.execute("UPDATE settings SET value_json = ? WHERE key = ?", (json.dumps(older), DERIVED_VERSION_KEY))
    store._db.conn.commit()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    refreshed, alerted = store.upgrade_derived_data(lambda done, total: ticks.append((done, total)))
    took = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": took, "peak_kb": peak, "before_kb": before, "ticks": len(ticks), "alerted": alerted}))
"""

_READ_ALL = r"""
import json, resource, sqlite3, sys, time
t = time.perf_counter()
conn = sqlite3.connect(sys.argv[1])
n = 0
for (text,) in conn.execute("SELECT case_json FROM case_documents"):
    json.loads(text)
    n += 1
print(json.dumps({"seconds": time.perf_counter() - t, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def rewrite(folder: Path, kind: str = "all") -> tuple:
    """``kind``: "all" (the derived version unknown: everything rewritten) or "alerts" (only
    ``DOSE_ALERTS_VERSION`` differs)."""
    from radiculopathy_desktop.storage.paths import DB_FILENAME

    with tempfile.TemporaryDirectory(prefix="rd-bench-rewrite-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(folder, copy)
        env = dict(os.environ, RADICULOPATHY_DESKTOP_LOG_DIR=str(Path(tmp) / "logs"))
        done = subprocess.run([sys.executable, "-c", _REWRITE, str(copy), kind], check=True, capture_output=True,
                              text=True, env=env)
        figure = json.loads(done.stdout.strip().splitlines()[-1])
        base = json.loads(subprocess.run([sys.executable, "-c", _READ_ALL, str(copy / DB_FILENAME)], check=True,
                                         capture_output=True, text=True, env=env).stdout.strip().splitlines()[-1])
    return figure["seconds"], base["seconds"], figure


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--keep", metavar="DIR", help="make (or reuse) the databases here")
    ap.add_argument("--parts", default="count,page,rewrite,alerts-rewrite")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    parts = set(args.parts.split(","))
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="rd-bench-med-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("RADICULOPATHY_DESKTOP_LOG_DIR", str(work / "logs"))
    results = {}
    for n in sizes:
        folder = ensure_db(work, n)
        results[n] = measure(folder, args.repeats, parts)
        print(f"{n}: {results[n]['cohort']}", flush=True)
        for name, value in results[n].items():
            if name == "cohort":
                continue
            figure, base = value[0], value[1]
            extra = ""
            if name in ("rewrite", "alerts-rewrite"):
                info = value[2]
                extra = (f"  peak {info['peak_kb'] / 1024:.0f} MB (before {info['before_kb'] / 1024:.0f} MB), "
                         f"{info['ticks']} progress ticks, {info['alerted']} cases with a row")
            print(f"  {name:<14} {figure * 1000:9.1f} ms  baseline {base * 1000:9.1f} ms  "
                  f"ratio {figure / base if base else float('nan'):5.2f}{extra}", flush=True)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"growth {small} -> {large} (10 = linear):")
        for name in results[large]:
            if name != "cohort" and name in results[small]:
                print(f"  {name:<14} {results[large][name][0] / results[small][name][0]:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
