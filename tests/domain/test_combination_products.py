"""Combination products the name fixes, strengths a product is not sold in, and a product's own
maximum (H-MED-223, H-MED-224; drugs.toml ``[combination_products]``).

Before: Ultracet or Tylenol #3 with a recorded dose was always "check the dose" (no numbers in
the name), so a codeine or paracetamol total was never checked; "co-codamol 500/30" was read in
the typed order as 500 mg of codeine a tablet; 9 Ultracet a day (tramadol 337.5 mg) passed
because only tramadol's own 400 mg was checked.

Primary sources (resources/medicines/sources.toml, read with the search tool 2026-11-30):
- Ultracet US prescribing information, Dosage and Administration: tramadol hydrochloride
  37.5 mg / acetaminophen 325 mg tablets, "2 tablets every 4 to 6 hours as needed ... up to a
  maximum of 8 tablets per day" (300 mg tramadol, 2600 mg acetaminophen) (``ultracet-label``).
- Ultram (tramadol) US label: "not more than 400 mg/day" (``tramadol-label``).
- FDA NDC Directory listings of acetaminophen and codeine phosphate tablets: acetaminophen
  "300 mg/1" with codeine phosphate "30 mg/1" (NDC 0406-0484, 64380-446) or "60 mg/1" (NDC
  67544-003). Which number is #3 and #4 was read in secondary pages only [unverified].
- Codeine sulfate US label: "do not exceed 360 mg in 24 hours" (us profile).
- NHS, Co-codamol for adults: "Co-codamol tablets and capsules come in 3 strengths"; MHRA UKPAR
  PL 36390/0005-6: Co-codamol 8/500mg and 30/500mg; NHS Fife: "Each co-codamol ... has the same
  amount of paracetamol as one standard paracetamol 500mg tablet" (``co-codamol-strengths``).
Boundaries just below, at and just above each maximum.
"""

from __future__ import annotations

import copy

import pytest

from radiculopathy_desktop.domain.medications import (MedicineDataError, _build, dose_reductions,
                                                      load_medicine_data, read_combination, recorded_dose_words)
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts

from tests.domain.test_combination_doses import _over, _report, _sheet


def _read(name, mg):
    data = load_medicine_data()
    return read_combination(name, data.resolve(name)[0], mg, data)


# --------------------------------------------------------------------------- fixed by the name (H-MED-223)
@pytest.mark.parametrize("name, mg, tablets, components", [
    ("Ultracet", 300, 8, {"tramadol": 300, "acetaminophen": 2600}),
    ("ultracet tablets", 2600, 8, {"tramadol": 300, "acetaminophen": 2600}),  # the mg of the other component
    ("Ultracet", 75, 2, {"tramadol": 75, "acetaminophen": 650}),
    ("Tylenol #3", 240, 8, {"codeine": 240, "acetaminophen": 2400}),
    ("tylenol 3", 2400, 8, {"codeine": 240, "acetaminophen": 2400}),
    ("Tylenol No 3", 120, 4, {"codeine": 120, "acetaminophen": 1200}),
    ("Tylenol #4", 240, 4, {"codeine": 240, "acetaminophen": 1200}),
    ("tylenol 4", 360, 6, {"codeine": 360, "acetaminophen": 1800}),
])
def test_a_product_the_name_fixes_is_read_at_its_only_strength(name, mg, tablets, components):
    reading = _read(name, mg)
    assert reading.read and reading.tablets == tablets and dict(reading.components) == components
    assert "the only strength" in reading.text and name in reading.text
    assert "tablets a day" in recorded_dose_words(name, mg)


@pytest.mark.parametrize("name, mg", [("Tylenol #3", 8), ("Ultracet", 100)])
def test_a_fixed_product_dose_that_is_no_number_of_its_tablets_is_check_the_dose(name, mg):
    reading = _read(name, mg)
    assert not reading.read and "not a whole number" in reading.problem
    report = _report([(name, mg)])
    assert [c.kind for c in report.dose_checks] == ["unread"]


@pytest.mark.parametrize("name", ["Percocet", "Norco", "Vicodin", "Lortab", "tylenol with codeine"])
def test_products_sold_in_several_strengths_stay_check_the_dose_without_one(name):
    """Percocet and Norco come in several strengths: the name fixes none, nothing is guessed."""
    reading = _read(name, 40)
    assert not reading.read and "the name gives no strength" in reading.problem
    assert [c.kind for c in _report([(name, 40)]).dose_checks] == ["unread"]


@pytest.mark.parametrize("profile, limit", [("us", 360), ("uk", 240)])
@pytest.mark.parametrize("tablets", [-1, 0, 1])
def test_tylenol_3_codeine_is_checked_around_its_maximum(profile, limit, tablets):
    """Tylenol #3 (codeine 30 mg a tablet): codeine's maximum (us 360, uk 240) at limit/30 tablets."""
    mg = limit + 30 * tablets
    report = _report([("Tylenol #3", mg)], profile)
    assert report.current_daily_mme == pytest.approx(mg * 0.15)
    if tablets <= 0:
        assert not report.dose_checks
    else:
        assert _over(report) == {("codeine", mg, limit)}
        assert report.row("opioids").status == "reduce_dose"


@pytest.mark.parametrize("tablets, over", [(13, False), (13.5, True)])
def test_tylenol_3_paracetamol_counts_toward_4000(tablets, over):
    """Acetaminophen 300 mg a tablet: 13 tablets 3900 mg; 13.5 tablets 4050 mg (also codeine 405 mg)."""
    report = _report([("Tylenol #3", 30 * tablets)], "us")
    assert report.row("acetaminophen").current_daily_dose_mg == 300 * tablets
    assert (("acetaminophen", 300 * tablets, 4000) in _over(report)) is over


# --------------------------------------------------------------------------- a product's own maximum (H-MED-224)
@pytest.mark.parametrize("tablets, over", [(7.5, False), (8, False), (8.5, True), (9, True)])
def test_ultracet_is_held_to_its_own_eight_tablets(tablets, over):
    """Ultracet label: "up to a maximum of 8 tablets per day" (tramadol 300 mg), lower than
    Ultram's 400 mg of tramadol: 8.5 tablets (tramadol 318.75 mg) is above it."""
    mg = 37.5 * tablets
    report = _report([("Ultracet", mg)])
    checks = [c for c in report.dose_checks if c.rule == "over-product-max"]
    if not over:
        assert not checks and dose_reductions(report) == ()
        return
    [check] = checks
    assert (check.generic, check.daily_mg, check.limit_mg, check.kind) == ("tramadol", mg, 300, "label_max")
    assert "own label maximum of 8 tablets a day (tramadol 300 mg, acetaminophen 2600 mg)" in check.text
    assert "lower than the 400 mg of tramadol" in check.text and "this product's limit applies" in check.text
    assert "Ultracet" in check.source
    assert report.row("tramadol").status == "reduce_dose"
    assert dose_reductions(report) == (
        f"ultracet {round(mg, 1):g} mg/day of tramadol > max 300 mg/day (ultracet's own label maximum, lower than tramadol's own)",)
    assert any(a.status == "reduce_dose" and check.text in a.text for a in medicine_alerts(report))


def test_ultracet_above_both_limits_says_each_and_the_sheet_the_lower():
    """12 Ultracet (tramadol 450 mg): above the product's 300 mg and tramadol's 400 mg."""
    report = _report([("Ultracet", 450)])
    # dose36 (H-MED-735): the product's 300 mg check only; tramadol's 400 is context in its words, never a second check
    # of the same dose (a reader of the checks could say 400 as the maximum)
    (check,) = [c for c in report.dose_checks if c.generic == "tramadol"]
    assert (check.rule, check.limit_mg) == ("over-product-max", 300)
    assert "lower than the 400 mg of tramadol a day allowed from tramadol alone" in check.text
    lines = dose_reductions(report)
    # zalmax35 (H-MED-727): the row counts Ultracet alone, so the product's 300 is its maximum: the worklist says the
    # 300 and no "> max 400 mg/day" beside it, and the row no longer says "above the label maximum of 400 mg/day" first
    assert lines == ("ultracet 450 mg/day of tramadol > max 300 mg/day (ultracet's own label maximum, lower than "
                     "tramadol's own)",)
    row = report.row("tramadol")
    assert any(r.rule == "over-product-max" for r in row.reasons)  # not hidden behind the row's 400
    assert not any(r.rule == "over-label-max" for r in row.reasons) and row.adjusted_max_daily_mg == 300
    # sheetplan35 (H-MED-722): the product is named with what it holds (GP tryout N5)
    for lang, words in (("en", "You take Ultracet. It contains tramadol and acetaminophen. The way you take it now "
                               "gives you tramadol 450 mg a day. For you, the most is 300 mg a day."),
                        # arthro36 (H-FMT-911): Spanish sheets write the decimal comma ("337,5 mg")
    ("es", "Usted toma Ultracet. Contiene tramadol y paracetamol. Tal como lo toma ahora, recibe "
                               "tramadol 450 mg al día. Para usted, lo máximo es 300 mg al día.")):
        text, _ = _sheet([("Ultracet", 450)], "med_opioid", lang)
        assert words in text and "keep taking" not in text and "siga tomando" not in text


@pytest.mark.parametrize("lang, words", [  # sheetplan35 (H-MED-722): the product named (GP tryout N5)
    ("en", "You take Ultracet. It contains tramadol and acetaminophen. The way you take it now gives you tramadol "
           "337.5 mg a day. For you, the most is 300 mg a day."),
    ("es", "Usted toma Ultracet. Contiene tramadol y paracetamol. Tal como lo toma ahora, recibe tramadol 337,5 mg al "
           "día. Para usted, lo máximo es 300 mg al día.")])
def test_the_sheet_for_nine_ultracet_gives_the_products_maximum(lang, words):
    text, _ = _sheet([("Ultracet", 337.5)], "med_opioid", lang)
    assert words in text and "keep taking" not in text and "siga tomando" not in text


def test_ultracet_with_tramadol_counts_both_toward_400_not_the_product_limit():
    """8 Ultracet (300 mg) are within its own maximum; with tramadol 150 mg the total 450 is above 400."""
    report = _report([("Ultracet", 300), ("tramadol", 150)])
    assert {(c.rule, c.daily_mg, c.limit_mg) for c in report.dose_checks} == {("over-label-max", 450, 400)}


def test_tramacet_written_with_its_strength_is_held_to_its_own_maximum():
    """Listed in [combination_products] since uk17 (UK SmPC 4.2: "not exceeding 8 tablets ... per
    day"): 9 tablets (tramadol 337.5 mg) are above its own 300 mg, below tramadol's 400 mg.
    tests/domain/test_tramacet_product_max.py checks it around the boundary."""
    report = _report([("tramacet 37.5/325", 337.5)])
    assert {(c.rule, c.daily_mg, c.limit_mg) for c in report.dose_checks} == {("over-product-max", 337.5, 300)}


# --------------------------------------------------------------------------- sold strengths (H-MED-223)
@pytest.mark.parametrize("name", ["co-codamol 8/500", "co-codamol 15/500", "co-codamol 30/500",
                                  "co-codamol 12.8/500", "co-codamol 30mg/500mg tablets"])
def test_co_codamol_in_a_strength_it_is_sold_in_is_read(name):
    assert _read(name, 4000).read


@pytest.mark.parametrize("name, hint", [("co-codamol 500/30", True), ("co-codamol 500/8", True),
                                        ("co-codamol 20/500", False), ("co-codamol 30/325", False),
                                        ("co-codamol 60/500", False)])
def test_co_codamol_in_a_strength_it_is_not_sold_in_is_check_the_dose(name, hint):
    reading = _read(name, 240)
    assert not reading.read and not reading.components
    assert "co-codamol is sold as 8/500, 12.8/500, 15/500, 30/500" in reading.problem
    assert ("written the other way round?" in reading.problem) is hint
    report = _report([(name, 240)], "uk")
    assert [c.kind for c in report.dose_checks] == ["unread"]
    assert "co-codamol is sold as" in report.dose_checks[0].text and "co-codamol" in report.dose_checks[0].source.lower()
    assert report.current_daily_mme is None  # never 500 mg of codeine a tablet
    for lang in ("en", "es"):
        text, _ = _sheet([(name, 240)], "med_opioid", lang, "uk")
        assert "keep taking" not in text and "siga tomando" not in text


def test_co_codamol_with_no_strength_names_the_strengths_it_is_sold_in():
    reading = _read("co-codamol", 240)
    assert not reading.read and "co-codamol is sold as 8/500, 12.8/500, 15/500, 30/500" in reading.problem


def test_paracetamol_codeine_written_in_its_own_order_is_unchanged():
    """"paracetamol/codeine 500/30" lists paracetamol first: the typed order is that name's order."""
    reading = _read("paracetamol/codeine 500/30", 4000)
    assert reading.read and dict(reading.components) == {"acetaminophen": 4000, "codeine": 240}


# --------------------------------------------------------------------------- the data is checked as it is read
def _raw():
    from radiculopathy_desktop.domain.medications import DATA_FILES, default_data_dir
    import tomllib
    return {n: tomllib.loads((default_data_dir() / n).read_text(encoding="utf-8")) for n in DATA_FILES}


@pytest.mark.parametrize("entry, message", [
    ({"sold_as": [[30, 500]], "source": ["nhs-co-codamol"]}, "not a combination product"),
    (None, "sold_as must list strengths of 2"),
    ({"sold_as": [[30, 500]], "max_tablets_a_day": 0, "source": ["nhs-co-codamol"]}, "max_tablets_a_day"),
    ({"sold_as": [[30, 500]], "source": ["no-such-source"]}, "not listed in sources.toml"),
])
def test_a_bad_combination_product_entry_is_refused(entry, message):
    raw = copy.deepcopy(_raw())
    products = raw["drugs.toml"]["combination_products"]
    if entry is None:
        products["co-codamol"] = {"sold_as": [[30]], "source": ["nhs-co-codamol"]}
    elif message == "not a combination product":
        products["paracetamol"] = entry
    else:
        products["co-codamol"] = entry
    with pytest.raises(MedicineDataError, match=message):
        _build(raw)


# --------------------------------------------------------------------------- label order (rt16 F1)
@pytest.mark.parametrize("tablets, apap_over", [(13, False), (14, True)])
def test_tylenol_with_codeine_is_read_in_its_labels_order(tablets, apap_over):
    """FDA NDC Directory: acetaminophen and codeine phosphate tablets, "acetaminophen 300 mg" with
    "codeine phosphate 30 mg": US labels write it acetaminophen first ("300 mg/30 mg"). Read in the
    codeine-first order, 15 tablets a day (acetaminophen 4500 mg) were "codeine 4500 mg,
    acetaminophen 450 mg", acetaminophen "ok" and the sheet told "codeine 4500 mg" (rt16 F1).
    13 tablets: acetaminophen 3900 mg (< 4000), codeine 390 mg (> 360, us); 14: 4200 and 420."""
    name = "tylenol with codeine 300/30"
    reading = _read(name, 300 * tablets)
    assert reading.read and dict(reading.components) == {"acetaminophen": 300 * tablets, "codeine": 30 * tablets}
    report = _report([(name, 300 * tablets)], "us")
    over = _over(report)
    assert (("acetaminophen", 300 * tablets, 4000) in over) is apap_over
    assert ("codeine", 30 * tablets, 360) in over  # 390 and 420 mg both above 360
    assert report.row("acetaminophen").current_daily_dose_mg == 300 * tablets


def test_tylenol_with_codeine_written_codeine_first_is_asked_about():
    reading = _read("tylenol with codeine 30/300", 240)
    assert not reading.read and not reading.components
    assert "tylenol with codeine is sold as 300/30, 300/60" in reading.problem
    assert "written the other way round? 300/30 is" in reading.problem
    assert [c.kind for c in _report([("tylenol with codeine 30/300", 240)]).dose_checks] == ["unread"]


# --------------------------------------------------------------------------- the label (gp16 F4)
@pytest.mark.parametrize("meds, profile, row, label", [
    ([("co-codamol 30/500", 8)], "uk", None, "Check the dose"),  # 8 typed as tablets: not readable (a note)
    ([("prednisolone", 600)], "us", None, "Check the dose"),  # above twice the labels' highest dose
    ([("codeine", 390)], "us", "opioids", "Reduce dose"),  # above the label's 360 mg: a maximum to reduce to
])
def test_a_dose_to_check_is_labelled_so_not_reduce_dose(meds, profile, row, label):
    """A GP typed a co-codamol dose as tablets ("8"); the alert, the summary and the table said
    "Reduce dose" although no maximum was exceeded: the dose could not be read (gp16 F4). A rating
    that rests only on a dose to check says "Check the dose"; a dose above a stated maximum still
    says "Reduce dose"."""
    report = _report(meds, profile)
    alerts = [a for a in medicine_alerts(report) if a.medicines[0] == meds[0][0]]
    assert alerts and {a.status_label for a in alerts} == {label}
    assert all(a.status == "reduce_dose" for a in alerts)  # the machine value is unchanged
    if row:
        assert report.row(row).status_label == label
    if label == "Check the dose":
        assert all("reduce dose for this patient" not in a.text and a.text.count("Check the dose") <= 1
                   for a in alerts)
