"""A dose read from a name above its maximum is "Reduce dose" on the case page, the worklist's
reduce-dose list and the CSV's dose_alerts alike, and names only the ingredient above its
maximum (fxa18; gp18 F3, rt19 F4).

gp18 F3: codeine 30mg qds + Tylenol No. 3 2 tabs qds (codeine 360 mg/day read from the names)
with oxycodone 10mg bd under uk: the case page said "Reduce dose: codeine 30mg qds, tylenol no. 3
2 tabs qds, oxycodone 10mg bd"; `worklist --reduce-dose` found no case and `dose_alerts` was empty.

Primary source (resources/medicines/sources.toml, uk): Codeine Phosphate 30 mg Tablets, UK SmPC
section 4.2: "maximum daily dose of codeine should not exceed 240 mg". Oxycodone has no daily
maximum in the data, so it is never named in a "Reduce dose". Boundaries: 240 mg/day read from the
names (at: not marked), 270 (above: marked).
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications, case_dose_reductions
from radiculopathy_desktop.domain.medicine_alerts import alert_heads, medicine_alerts
from tracker_support import case_dict

STORE_ENGINES = ("sqlite",)


def _case(case_id, names, doses=None):
    d = case_dict(case_id)
    d["medicines"] = [{"name": n, **({"daily_dose_mg": doses[i]} if doses and doses[i] is not None else {})}
                      for i, n in enumerate(names)]
    return parse_case(d)


OVER = ["codeine 30mg qds", "tylenol no. 3 2 tabs qds", "oxycodone 10mg bd"]  # codeine 120 + 240 = 360
AT = ["tylenol no. 3 2 tabs qds", "oxycodone 10mg bd"]  # codeine 240
JUST_ABOVE = ["tylenol no. 3 2 tabs qds", "codeine 30mg od", "oxycodone 10mg bd"]  # codeine 270


@pytest.mark.parametrize("names, marked", [(OVER, True), (AT, False), (JUST_ABOVE, True)])
def test_a_dose_read_from_the_names_is_in_dose_alerts(names, marked):
    lines = case_dose_reductions(_case("C", names), ("uk",)).get("uk", ())
    assert bool(lines) is marked
    if marked:
        assert "of codeine > max 240 mg/day" in lines[0] and "oxycodone" not in lines[0]


def test_the_reduce_dose_alert_names_only_the_products_holding_codeine():
    c = _case("C", OVER)
    report = assess_medications(c.intake, c.intake.visit_date, profile="uk")
    (alert,) = [a for a in medicine_alerts(report) if a.status == "reduce_dose"]
    assert alert.medicines == ("codeine 30mg qds", "tylenol no. 3 2 tabs qds")
    assert [h for h in alert_heads(report) if h[1] == alert.status_label] == [(alert.medicines, alert.status_label)]


def test_recorded_doses_name_only_codeine():
    c = _case("C", ["codeine", "oxycodone"], [300, 40])
    report = assess_medications(c.intake, c.intake.visit_date, profile="uk")
    (alert,) = [a for a in medicine_alerts(report) if a.status == "reduce_dose"]
    assert alert.medicines == ("codeine",)
    assert "Taking codeine:" in alert.text or alert.text.startswith("Taking codeine ")


def test_the_worklist_lists_it_and_the_case_page_agrees(store, run_cli):
    store.import_cases([_case("OPI", OVER), _case("OK", AT)])
    code, out, _ = run_cli("worklist", "--reduce-dose", "--profile", "uk")
    assert code == 0
    assert "OPI" in out and "of codeine > max 240 mg/day" in out
    assert "OK " not in out and "OK:" not in out
