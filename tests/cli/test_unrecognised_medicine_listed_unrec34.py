"""unrec34 (H-MED-701, H-MED-702): a GP's tryout typed "naproxn 500mg bd" and "apixban 5mg bd" (a possible NSAID with
an anticoagulant, which rules.toml ix-nsaid-anticoagulant rates Avoid once the names are read) and "ibuprofin 400mg
tds". ``assess`` said NOT RECOGNISED, but ``worklist --medicine-alerts`` and the cases CSV did not list the case and
said nothing of the names. The clinic's medicine-safety list now lists it, marked "Not recognised" with the names and
"did you mean", once, in the table's Medicines column and section, the JSON and the CSV; on both engines.

Boundaries: a case whose names are all recognised gets no such mark (its own alerts only); the case corrected to the
right names ("naproxen 500mg bd", "apixaban 5mg bd") is no longer "Not recognised" but "Avoid" (the pair), and a
corrected name alone with no alert ("ibuprofen 400mg tds") leaves the filter. A name close to no known name
("metformin 500mg bd": a medicine outside the list, spelt right) is not marked: "check the name" would be wrong for it
and nothing would clear it (``assess`` still says NOT RECOGNISED).
"""

from __future__ import annotations

import csv
import json

from tests.cli.test_medicines_label_strongest import _case
from tests.cli.test_pregnancy_differs_cli import ANCHOR, _file, run  # noqa: F401 - run is a fixture

DAY = ANCHOR.isoformat()
NAPROXN, APIXBAN, IBUPROFIN = "naproxn 500mg bd", "apixban 5mg bd", "ibuprofin 400mg tds"
PAIR_WORDS = (f"Not recognised: {NAPROXN}, {APIXBAN}. Check the names: their interactions and doses were not "
              "checked (did you mean naproxen, apixaban?).")
ONE_WORDS = (f"Not recognised: {IBUPROFIN}. Check the name: its interactions and dose were not checked "
             "(did you mean ibuprofen?).")


def _cases(pair=(NAPROXN, APIXBAN), one=IBUPROFIN):
    return [_case("UNREC-PAIR", "up1", [{"name": n} for n in pair], sex="male"),
            _case("UNREC-ONE", "uo1", [{"name": one}], sex="male"),
            _case("KNOWN-OK", "ko1", [{"name": "paracetamol 1g qds"}], sex="male"),
            _case("OUTSIDE", "ou1", [{"name": "metformin 500mg bd"}], sex="male")]


def _table_line(out: str, case_id: str) -> str:
    (line,) = [ln for ln in out.splitlines() if ln.strip().startswith(f"{case_id}: ")]
    return line


def test_the_filter_lists_misspelt_names_with_the_names_to_check_in_table_json_and_csv(run, tmp_path):
    assert run("import", _file(tmp_path, "cases", _cases()))[0] == 0
    code, table, err = run("worklist", "--medicine-alerts", "--as-of", DAY)
    assert code == 0, err
    assert PAIR_WORDS in _table_line(table, "UNREC-PAIR")
    assert ONE_WORDS in _table_line(table, "UNREC-ONE")
    assert "KNOWN-OK" not in table  # a recognised name with no alert is not listed
    assert "OUTSIDE" not in table  # no known name close to it: no misspelling to check
    assert "a name not recognised" in table.split("\nMedicine alerts (", 1)[1].split("\n", 1)[0]
    # the Medicines column of the row says it (the one label: no rating is known)
    (row,) = [ln for ln in table.splitlines() if " UNREC-PAIR " in f" {ln} " and not ln.strip().startswith("UNREC")]
    assert "NOT RECOGNISED" in row
    code, out, err = run("worklist", "--medicine-alerts", "--as-of", DAY, "--format", "json")
    assert code == 0, err
    rows = {r["case_id"]: r for r in json.loads(out)["rows"]}
    assert set(rows) == {"UNREC-PAIR", "UNREC-ONE"}
    (mark,) = rows["UNREC-PAIR"]["medicine_alerts"]  # said once
    assert mark["status_label"] == "Not recognised" and mark["medicines"] == [NAPROXN, APIXBAN]
    assert "did you mean naproxen, apixaban?" in mark["action"]
    code, out, err = run("worklist", "--medicine-alerts", "--as-of", DAY, "--format", "csv")
    assert code == 0, err
    by_id = {r["case_id"]: r for r in csv.DictReader(out.splitlines())}
    assert by_id["UNREC-PAIR"]["medicine_alerts"] == PAIR_WORDS
    out_csv = tmp_path / "alerts.csv"
    code, _, err = run("export", "cases", "--medicine-alerts", "--as-of", DAY, "--out", str(out_csv))
    assert code == 0, err
    by_id = {r["case_id"]: r for r in csv.DictReader(out_csv.open(encoding="utf-8-sig"))}
    assert set(by_id) == {"UNREC-PAIR", "UNREC-ONE"}
    assert by_id["UNREC-ONE"]["medicine_alerts"] == ONE_WORDS


def test_the_names_corrected_are_no_longer_marked_not_recognised(run, tmp_path):
    """The same cases imported again with the names corrected (an import updates a case of the same id)."""
    assert run("import", _file(tmp_path, "cases", _cases()))[0] == 0
    fixed = _cases(pair=("naproxen 500mg bd", "apixaban 5mg bd"), one="ibuprofen 400mg tds")
    code, _, err = run("import", _file(tmp_path, "fixed", fixed))
    assert code == 0, err
    code, out, err = run("worklist", "--medicine-alerts", "--as-of", DAY, "--format", "json")
    assert code == 0, err
    rows = {r["case_id"]: r for r in json.loads(out)["rows"]}
    assert "UNREC-ONE" not in rows  # ibuprofen 400 mg tds: no alert once read
    labels = [m["status_label"] for m in rows["UNREC-PAIR"]["medicine_alerts"]]
    assert labels == ["Avoid"]  # naproxen with apixaban, read now; nothing "Not recognised"


def test_a_recognised_name_beside_a_misspelt_one_keeps_its_own_alert_first(run, tmp_path):
    cases = [_case("MIXED", "mx1", [{"name": "naproxen 500mg bd"}, {"name": "ibuprofen 400mg tds"},
                                     {"name": APIXBAN}], sex="male")]
    assert run("import", _file(tmp_path, "cases", cases))[0] == 0
    code, out, err = run("worklist", "--medicine-alerts", "--as-of", DAY, "--format", "json")
    assert code == 0, err
    (row,) = json.loads(out)["rows"]
    marks = row["medicine_alerts"]
    assert marks[-1]["status_label"] == "Not recognised" and marks[-1]["medicines"] == [APIXBAN]
    assert marks[0]["status_label"] == "Avoid"  # two NSAIDs: a rating known comes before a name to check
    assert all(NAPROXN not in m["medicines"] and "naproxen 500mg bd" not in m["medicines"]
               for m in marks if m["status_label"] == "Not recognised")
