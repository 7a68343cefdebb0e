"""zalmax35 (H-MED-727, H-MED-728): a combination product with its own lower label maximum of an ingredient has THAT
maximum as the one every surface states, decided once in the domain (``medications.product_limit``).

Primary sources (resources/medicines/sources.toml):
- ``zaldiar-ft``: Zaldiar 37,5 mg/325 mg, ficha técnica 4.2: "No debe excederse la dosis total de 8 comprimidos al día
  (equivalente a 300 mg de hidrocloruro de tramadol y 2600 mg de paracetamol)".
- the Ultram (tramadol) US label: "not more than 400 mg/day" (tramadol alone; the uk profile holds the same 400).

Before: "Zaldiar 3 comp c/6h" (12 tablets a day = tramadol 450 mg) read "Reduce dose: current dose 450 mg/day is above
the label maximum of 400 mg/day. Reduce dose: zaldiar ... above the product's own label maximum of 8 tablets a day
(tramadol 300 mg ...): this product's limit applies": 400 first, read quickly as the limit; the table's maximum column,
the pathway's "already taking" line and the worklist's dose line said 400 beside Zaldiar. The 400 now appears only as
context ("lower than the 400 mg of tramadol a day allowed from tramadol alone"). Boundaries: 8 tablets (at the
product's maximum: no alert), 9 (above 300, under 400), 12 (above both). Unchanged: Zaldiar beside plain tramadol (the
row counts two products: the total's 400 applies), plain tramadol 450 mg (400).
"""

from __future__ import annotations

import json

import pytest

from helpers.cli_run import cli_runner, write_json
from helpers.medicines import example_report as _report
from radiculopathy_desktop.domain.medications import (PRODUCT_LIMIT_WORDS, above_applying_max, dose_reductions,
                                                      product_limit)
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.resources import resource_path

ABOVE_400 = "is above the label maximum of 400 mg/day"


def _alert_text(report) -> str:
    return " ".join(" ".join(a.reasons) for a in medicine_alerts(report) if "tramadol" in " ".join(a.medicines).lower()
                    or "zaldiar" in " ".join(a.medicines).lower())


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_eight_tablets_is_at_the_products_maximum_no_dose_alert(profile):
    report = _report([("Zaldiar 2 comp c/6h", None)], profile)
    row = report.row("tramadol")
    assert row.current_daily_dose_mg == 300 and product_limit(row, report.dose_checks) is None
    assert not above_applying_max(row) and not row.over_max and PRODUCT_LIMIT_WORDS not in row.adjustment_reason
    assert dose_reductions(report) == () and "product's own label maximum" not in _alert_text(report)


@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("name, tablets, mg", [("Zaldiar 3 comp c/8h", 9, 337.5), ("Zaldiar 3 comp c/6h", 12, 450)])
def test_above_the_products_maximum_every_surface_says_300(profile, name, tablets, mg):
    report = _report([(name, None)], profile)
    row = report.row("tramadol")
    found = product_limit(row, report.dose_checks)
    assert found is not None and (found.daily_mg, found.limit_mg) == (mg, 300)
    # the table's "maximum" column (adjusted_max_daily_mg) and why
    assert row.adjusted_max_daily_mg == 300 and row.adjustment_reason.startswith(PRODUCT_LIMIT_WORDS)
    assert "8 tablets a day (tramadol 300 mg" in row.adjustment_reason
    assert above_applying_max(row) and above_applying_max(row.to_dict())
    assert row.status == "reduce_dose"
    # the alert: no sentence gives 400 as the limit; the 400 only as tramadol-alone context
    said = " ".join(r.text for r in row.reasons)
    assert ABOVE_400 not in said and "this product's limit applies" in said
    alert = _alert_text(report)
    assert ABOVE_400 not in alert and f"{tablets} tablets a day" in alert
    assert "lower than the 400 mg of tramadol a day allowed from tramadol alone" in alert
    # the worklist's dose line: the product's 300, never "> max 400" beside it
    lines = dose_reductions(report)
    assert lines and all("> max 400 mg/day" not in line for line in lines)
    assert any(f"{mg:g} mg/day of tramadol > max 300 mg/day" in line for line in lines)


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_zaldiar_beside_plain_tramadol_keeps_the_totals_400(profile):
    """Two products of tramadol: the row's 550 mg is the total; tramadol's 400 applies to it, and the product's own
    words (its 300) follow as its own part."""
    report = _report([("Zaldiar 3 comp c/6h", None), ("tramadol 50mg bd", None)], profile)
    row = report.row("tramadol")
    assert row.current_daily_dose_mg == 550 and product_limit(row, report.dose_checks) is None
    assert row.adjusted_max_daily_mg == 400 and not row.adjustment_reason.startswith(PRODUCT_LIMIT_WORDS)
    said = " ".join(r.text for r in row.reasons)
    assert "current dose 550 mg/day is above the label maximum of 400 mg/day" in said
    assert "product's own label maximum of 8 tablets a day" in said
    assert any("550 mg/day of tramadol > max 400 mg/day" in line for line in dose_reductions(report))


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_plain_tramadol_450_keeps_400(profile):
    report = _report([("tramadol 150mg tds", None)], profile)
    row = report.row("tramadol")
    assert row.current_daily_dose_mg == 450 and product_limit(row, report.dose_checks) is None
    assert row.adjusted_max_daily_mg == 400 and row.over_max
    assert "current dose 450 mg/day is above the label maximum of 400 mg/day" in " ".join(r.text for r in row.reasons)
    assert dose_reductions(report) == ("tramadol 150mg tds 450 mg/day > max 400 mg/day",)


def _case(tmp_path, medicines, name):
    d = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
    d["medicines"] = medicines
    return write_json(tmp_path, d, name)


@pytest.mark.parametrize("medicines, table, already, absent", [
    # the brief's repro: assess --format text --as-of 2026-11-25 --profile uk
    ([{"name": "Zaldiar 3 comp c/6h"}], "300 mg taking 450 mg/day ** ABOVE ADJUSTED MAX **",
     "above this patient's maximum of 300 mg/day", ABOVE_400),
    ([{"name": "Zaldiar 3 comp c/8h"}], "300 mg taking 337.5 mg/day ** ABOVE ADJUSTED MAX **",
     "above this patient's maximum of 300 mg/day", ABOVE_400),
    ([{"name": "Zaldiar 2 comp c/6h"}], "taking 300 mg/day", "zaldiar 2 comp c/6h (300 mg/day of tramadol; 60",
     "REDUCE DOSE"),
    ([{"name": "tramadol 150mg tds"}], "400 mg taking 450 mg/day ** ABOVE ADJUSTED MAX **",
     "above this patient's maximum of 400 mg/day", "product's own label maximum"),
])
def test_assess_text_table_and_already_taking_line(capsys, tmp_path, medicines, table, already, absent):
    run = cli_runner(capsys, fresh_output=True)
    code, out, err = run("assess", _case(tmp_path, medicines, "case.json"), "--format", "text", "--as-of",
                         "2026-11-25", "--profile", "uk")
    assert code == 0, err
    flat = " ".join(out.split())
    assert table in flat and already in flat and absent not in flat


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_a_rating_that_withholds_the_maximum_says_the_products_when_used_despite_it(profile):
    """Zaldiar 12 a day beside diazepam (rules.toml opioid-benzodiazepine: avoid): the maximum stays withheld (no
    figure in the table), and its words give the product's 300, never "the label maximum is 400 mg/day"."""
    report = _report([("Zaldiar 3 comp c/6h", None), ("diazepam 5mg od", None)], profile)
    row = report.row("tramadol")
    assert row.status == "avoid" and row.adjusted_max_daily_mg is None
    assert product_limit(row, report.dose_checks) is not None and above_applying_max(row)
    assert "300 mg/day" in row.adjustment_reason and "label maximum is 400" not in row.adjustment_reason
    assert ABOVE_400 not in " ".join(r.text for r in row.reasons)


@pytest.mark.parametrize("name, maximum, above", [("Zaldiar 3 comp c/8h", "300 mg/day (product label)", True),
                                                  ("Zaldiar 3 comp c/6h", "300 mg/day (product label)", True),
                                                  ("tramadol 150mg tds", "400 mg/day (adjusted)", True)])
def test_case_page_medicine_table_gives_the_applying_maximum(name, maximum, above):
    """The case page's medicine table (ui.pathway_view.medications_html, from the report's JSON): the tramadol row's
    "Maximum per day for this patient" cell and its ABOVE MAXIMUM mark."""
    import re

    from radiculopathy_desktop.ui.pathway_view import medications_html

    html = medications_html(_report([(name, None)], "uk").to_dict())
    (row,) = [r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if r.startswith("<tr><td>Tramadol<")]
    _label, status, cell, _why = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert cell.startswith(maximum) and ("ABOVE MAXIMUM" in status) == above
