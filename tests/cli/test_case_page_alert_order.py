"""The case page lists a case's medicine alerts strongest first, in the one order the worklist and
the CSV use (rt21 F10), on both engines.

Before: a man on "paracetamol 1g qds" + "co-codamol 30/500 2 qds" (uk) read AVOID in the worklist's
Medicines column and "Avoid: ..." first in the CSV's medicine_alerts, but the case page's first line
was "!! REDUCE DOSE", with "!! AVOID" second: the rows' alerts came before the interactions'.
Now ``domain.medicine_alerts.medicine_alerts`` orders every alert by ``vocab.strongest_first``
(Contraindicated > Avoid > Reduce dose > Check the dose, fxe19's order), which the worklist marks
use too, so the case page, the summary, the window's banner and ``assess`` say the same.

Sources of the ratings used (the rules themselves are tested elsewhere): the UK patient leaflet
of Paracetamol 500 mg Tablets: "Do not take anything else containing paracetamol while taking this
medicine" (two paracetamol products: Avoid), and the UK pack's "Take ONE or TWO tablets ... Max of
8 tablets in 24 hours" (8 x 500 mg = 4 g a day: 8000 mg/day is Reduce dose; 4 g/day, at the
maximum, no dose alert).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.vocab import ALERT_LABEL_ORDER, strongest_first
from tests.cli.test_medicines_label_strongest import _case
from tests.cli.test_pregnancy_differs_cli import _file, run  # noqa: F401 - run is a fixture
from tests.cli.test_pregnancy_differs_cli import ANCHOR

STORE_ENGINES = ("sqlite", "postgresql")
DAY = ANCHOR.isoformat()


def _labels(out: str) -> list[str]:
    return [line.strip()[3:].split(":", 1)[0] for line in out.splitlines() if line.strip().startswith("!! ")]


@pytest.mark.parametrize("labels, expected", [
    (["Reduce dose", "Avoid"], ["Avoid", "Reduce dose"]),
    (["Check the dose", "Reduce dose", "Avoid", "Contraindicated"],
     ["Contraindicated", "Avoid", "Reduce dose", "Check the dose"]),
    (["Avoid", "Reduce dose", "Avoid"], ["Avoid", "Avoid", "Reduce dose"]),  # one label keeps its order
    (["Contraindicated"], ["Contraindicated"]),
])
def test_strongest_first_is_the_label_order(labels, expected):
    assert strongest_first(labels) == expected
    assert ALERT_LABEL_ORDER == ("Contraindicated", "Avoid", "Reduce dose", "Check the dose")


def test_the_case_page_lists_avoid_above_reduce_dose_as_the_worklist_and_csv(run, tmp_path):
    cases = [_case("M-PARA", "mpara", [{"name": "paracetamol 1g qds"}, {"name": "co-codamol 30/500 2 qds"}],
                   sex="male"),
             _case("M-HI", "mhi", [{"name": "paracetamol 1g qds"}], sex="male")]  # 4 g/day: at the maximum
    assert run("import", _file(tmp_path, "cases", cases))[0] == 0
    code, out, err = run("case", "M-PARA", "--as-of", DAY, "--profile", "uk")
    assert code == 0, err
    labels = _labels(out)
    assert labels == ["AVOID", "REDUCE DOSE"], labels
    code, table, err = run("worklist", "--medicine-alerts", "--as-of", DAY, "--profile", "uk")
    assert code == 0, err
    [row] = [line for line in table.splitlines() if " M-PARA " in f" {line} " and "->" not in line.split(":")[0]]
    assert labels[0] in row  # the column's one label is the case page's first
    out_csv = tmp_path / "alerts.csv"
    code, _, err = run("export", "cases", "--medicine-alerts", "--as-of", DAY, "--profile", "uk",
                       "--out", str(out_csv))
    assert code == 0, err
    import csv
    [line] = [r for r in csv.DictReader(out_csv.open(encoding="utf-8-sig")) if r["case_id"] == "M-PARA"]
    heads = [part.split(":", 1)[0] for part in line["medicine_alerts"].split(". ") if part.split(":", 1)[0]
             in ALERT_LABEL_ORDER]
    assert [h.upper() for h in heads] == labels
    code, out, _ = run("case", "M-HI", "--as-of", DAY, "--profile", "uk")
    assert code == 0 and _labels(out) == []  # at the maximum: no alert
