"""benchmarks/bench_batch.py's "same columns" baselines write the outputs' content.

The benchmark compares the worklist JSON, the worklist CSV and the cases export with
plain-sqlite3 baselines. Its second set of baselines (``same_json``, ``same_csv``,
``same_export``) claims to write every column of the output that can be produced from
what is stored: all but the status, its label and the reason sentence, which are not
stored. Here that claim is checked on a generated cohort holding what the outputs must
handle (formula characters leading names and ids, quotes, commas and line breaks in a
name, non-ASCII text, every decision kind, dose alerts): after dropping those three
columns from the output, the output and the baseline hold the same rows with the same
values (the baselines read in stored order, so rows are compared as sets). No timing.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
from pathlib import Path

import pytest

from radiculopathy_desktop import __version__
from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.commands.worklist_output import worklist_csv, worklist_rows_json
from radiculopathy_desktop.demo import generate_case_dicts
from radiculopathy_desktop.domain.followup import STATUS_ORDER
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocabulary import DECISIONS
from radiculopathy_desktop.reports.csv_export import export_worklist_csv
from radiculopathy_desktop.storage.store import CaseStore

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 6, 1)
# worked out for as_of; would_not_consider_surgery too (path34: a standing red flag clears the stored "no")
NOT_STORED = ("status", "status_label", "reason", "medicine_alerts", "pregnancy", "would_not_consider_surgery")
NAMES = ("=SUM(A1:A9)", "+44 20 7946 0000", "-2+3", "@cmd", "Zoë Ångström-Núñez", "李小龍",
         'O\'Brien, "Jim"\nsecond line', None)
PATIENT_IDS = ("=1+1-", "-P9-", "@P-", "+P-", "Pé,ü-", '患"者-')


def _bench():
    spec = importlib.util.spec_from_file_location("bench_batch", ROOT / "benchmarks" / "bench_batch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench-baselines") / "data"
    cases = []
    patients: dict[str, int] = {}  # patient id -> its order of first appearance (a name per patient)
    for i, d in enumerate(generate_case_dicts(240, seed=23, as_of=AS_OF)):
        n = patients.setdefault(d["patient"]["id"], len(patients))
        if n % 5 == 0:
            d["patient"]["name"] = NAMES[(n // 5) % len(NAMES)]
        if i % 9 == 0:
            d["patient"]["id"] = PATIENT_IDS[(i // 9) % len(PATIENT_IDS)] + str(i)
        if i % 13 == 0:
            d["medicines"] = [{"name": "Neurontin 600 mg", "daily_dose_mg": 4800}]
        if i % 17 == 0:
            d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 3600},
                              {"name": "Tramadol 50 mg", "daily_dose_mg": 600}]
        cases.append(parse_case(d))
    with CaseStore.open(folder) as store:
        store.import_cases(cases)
    return folder


@pytest.fixture()
def store(data):
    with CaseStore.open(data, create=False) as opened:
        yield opened


def _worklist(store):
    return store.worklist(AS_OF, statuses=list(STATUS_ORDER), profile="us")


def test_the_cohort_holds_what_the_comparison_must_cover(store):
    rows = _worklist(store)
    assert any(r.dose_alerts for r in rows)
    assert {r.last_decision_kind for r in rows} >= set(DECISIONS) | {None}
    assert any(r.patient_name is None for r in rows)
    assert any(r.improving is None for r in rows) and any(r.improving is False for r in rows)
    texts = [t for r in rows for t in (r.case_id, r.patient_id, r.patient_name or "")]
    assert any(t.startswith(("=", "+", "-", "@")) for t in texts)
    assert any(c in t for t in texts for c in ',"\n')


def test_same_json_is_the_worklist_json_without_the_unstored_columns(store):
    rows = _worklist(store)
    made = json.loads(worklist_rows_json({"as_of": AS_OF.isoformat(), "count": len(rows)}, rows))
    base = json.loads(_bench().same_json(store._db.conn, AS_OF, "us", dict(DECISIONS)))
    assert {k: v for k, v in made.items() if k != "rows"} == {k: v for k, v in base.items() if k != "rows"}
    kept = [{k: v for k, v in row.items() if k not in NOT_STORED} for row in made["rows"]]
    assert all(set(NOT_STORED) <= set(row) for row in made["rows"])
    assert [list(r) for r in kept[:1]] == [list(r) for r in base["rows"][:1]]  # the same keys, in order
    key = lambda row: json.dumps(row, sort_keys=True)  # noqa: E731
    assert sorted(kept, key=key) == sorted(base["rows"], key=key)
    assert len(base["rows"]) == len(rows)


def _table(text: str, drop=()) -> tuple[list[str], list[list[str]]]:
    header, *body = list(csv.reader(io.StringIO(text, newline="")))
    keep = [i for i, name in enumerate(header) if name not in drop]
    return [header[i] for i in keep], sorted([row[i] for i in keep] for row in body)


def test_same_csv_is_the_worklist_csv_without_the_unstored_columns(store):
    rows = _worklist(store)
    made = worklist_csv(tracker.WORKLIST_CSV_COLUMNS, rows, tracker._csv_safe)
    base = _bench().same_csv(store._db.conn, AS_OF, "us")
    assert _table(made, NOT_STORED) == _table(base)
    assert len(_table(base)[1]) == len(rows)
    assert any(cell.startswith("'") for row in _table(base)[1] for cell in row[:3])  # the escape is applied


def test_same_export_is_the_export_without_the_unstored_columns(store, tmp_path):
    rows = _worklist(store)
    made, base = tmp_path / "cases.csv", tmp_path / "same.csv"
    export_worklist_csv(rows, made, content_version="bench")
    _bench().same_export(store._db.conn, AS_OF, base, dict(DECISIONS), __version__, "bench")
    made_bytes, base_bytes = made.read_bytes(), base.read_bytes()
    assert made_bytes.startswith(b"\xef\xbb\xbf") and base_bytes.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in base_bytes and base_bytes.count(b"\r\n") >= len(rows) + 1
    # guideline_profile (prof30) is the export's one profile, not a stored column: the baseline has none
    assert (_table(made_bytes.decode("utf-8-sig"), (*NOT_STORED, "guideline_profile"))
            == _table(base_bytes.decode("utf-8-sig")))
