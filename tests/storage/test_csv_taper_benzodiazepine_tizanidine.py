"""The cases CSV's ``medicine_alerts`` cell says "do not stop ... suddenly" for diazepam and
tizanidine, as the window does (src19; both engines).

FDA Drug Safety Communication, 23 September 2020 (benzodiazepines): "Stopping them abruptly or
reducing the dosage too quickly can result in withdrawal reactions, including seizures, which can
be life-threatening." Zanaflex prescribing information, Highlights [read in copies, unverified]:
"To discontinue Zanaflex, decrease dose slowly to minimize the risk of withdrawal and rebound
hypertension, tachycardia, and hypertonia". Boundary: cyclobenzaprine (no withdrawal warning)
contraindicated by heart failure keeps "Stop it and choose another option".
"""

from __future__ import annotations

from radiculopathy_desktop.domain.followup import ReviewStatus
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports.csv_export import COLUMN_NAMES, worklist_cells
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")


def _case(case_id, medicines, conditions=None):
    d = case_dict(case_id)
    d["medicines"] = [{"name": n, "daily_dose_mg": mg} for n, mg in medicines]
    if conditions:
        d["conditions"] = conditions
    return parse_case(d)


def test_the_csv_alert_cell_says_not_to_stop_diazepam_or_tizanidine_suddenly(store):
    store.import_cases([
        _case("BENZO", [("oxycodone 5mg qds", 20), ("diazepam 5mg tds", 15)]),
        _case("TIZ", [("tizanidine 4mg tds", 12), ("fluvoxamine", 100)]),
        _case("CBP", [("cyclobenzaprine 10mg tds", 30)], {"heart_failure": True}),
    ])
    at = COLUMN_NAMES.index("medicine_alerts")
    rows = store.worklist(ANCHOR, statuses=list(ReviewStatus))
    cells = {r.case_id: c[at] for r, c in zip(rows, worklist_cells(rows, "cv", store.pregnancy_records()))}
    assert "do not stop oxycodone 5mg qds or diazepam 5mg tds suddenly" in cells["BENZO"]  # "or" (wording30)
    assert "diazepam 5mg tds: taken steadily for days to weeks" in cells["BENZO"]
    assert "do not stop tizanidine 4mg tds suddenly" in cells["TIZ"]
    assert WINDOW_STOP not in cells["TIZ"]
    assert WINDOW_STOP in cells["CBP"]


WINDOW_STOP = "Stop it and choose another option."
