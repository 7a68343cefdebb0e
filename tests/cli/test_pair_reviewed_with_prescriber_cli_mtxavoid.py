"""mtxavoid (H-MED-670, H-FMT-902/903): the CLI's worklist (table, JSON), the cases CSV and ``assess`` say that
methotrexate taken with an NSAID is a pair to review with the prescriber, never methotrexate listed as one to avoid;
an NSAID with an anticoagulant keeps its review/keep words (avoidside). On both engines.

NSAIDs reduce methotrexate clearance (rules.toml ix-nsaid-methotrexate); no side of that rule is cited as the one to
keep, so neither is named as the one to stop (tests/reports/test_pair_reviewed_with_prescriber_mtxavoid.py).
"""

from __future__ import annotations

import csv
import json

from tests.cli._med26_cases import case_file
from tests.cli.test_medicines_label_strongest import _case
from tests.cli.test_pregnancy_differs_cli import ANCHOR, _file, run  # noqa: F401 - run is a fixture
from tests.helpers.cli_run import assess_text

STORE_ENGINES = ("sqlite", "postgresql")
DAY = ANCHOR.isoformat()
IBU, MTX = "ibuprofen 400mg tds", "methotrexate 15mg once weekly"
PAIR = f"{IBU} and {MTX} together (review both with the prescriber)"
BOTH = "Review both with the prescriber now: do not continue them together unless there is a clear reason."


def _import(run, tmp_path):
    cases = [_case("MTX-1", "mtx1", [{"name": MTX}, {"name": IBU}]),
             _case("APX-1", "apx1", [{"name": "naproxen"}, {"name": "apixaban 5mg bd"}], sex="male")]
    assert run("import", _file(tmp_path, "cases", cases))[0] == 0


def test_the_worklist_table_json_and_csv_name_the_pair_to_review_with_the_prescriber(run, tmp_path):
    _import(run, tmp_path)
    code, table, err = run("worklist", "--medicine-alerts", "--as-of", DAY)
    assert code == 0, err
    (line,) = [ln for ln in table.splitlines() if ln.strip().startswith("MTX-1: ")]
    assert f"Avoid: {PAIR}." in line and BOTH in line
    assert f"Avoid: {IBU}, {MTX}" not in line
    code, out, err = run("worklist", "--medicine-alerts", "--as-of", DAY, "--format", "json")
    assert code == 0, err
    rows = {r["case_id"]: r for r in json.loads(out)["rows"]}
    (alert,) = rows["MTX-1"]["medicine_alerts"]
    assert alert["review_with_prescriber"] == [IBU, MTX] and "keep" not in alert
    (kept,) = rows["APX-1"]["medicine_alerts"]
    assert kept["keep"] == ["apixaban 5mg bd"] and "review_with_prescriber" not in kept
    out_csv = tmp_path / "alerts.csv"
    code, _, err = run("export", "cases", "--medicine-alerts", "--as-of", DAY, "--out", str(out_csv))
    assert code == 0, err
    by_id = {r["case_id"]: r for r in csv.DictReader(out_csv.open(encoding="utf-8-sig"))}
    assert by_id["MTX-1"]["medicine_alerts"].startswith(f"Avoid: {PAIR}.")
    assert by_id["APX-1"]["medicine_alerts"].startswith("Avoid: naproxen (with apixaban 5mg bd: keep it).")


def test_assess_says_both_are_reviewed_with_the_prescriber(capsys, tmp_path):
    text = assess_text(capsys, case_file(tmp_path, [IBU, MTX]))
    flat = " ".join(text.split())  # the text wraps its lines
    assert f"!! AVOID: Taking {IBU} with {MTX}: NSAID with methotrexate" in flat
    assert flat.count(BOTH) == 1 and "stop or change" not in flat
