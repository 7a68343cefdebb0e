"""A combination product's recorded daily dose is checked component by component (G17; H-MED-214).

Before: a daily dose typed for co-codamol, co-dydramol, Tramacet or Norco was printed but never
checked: 12 co-codamol 30/500 a day (codeine 360 mg + paracetamol 6 g) was "keep taking".

How a dose is entered (the window's "Daily dose (mg a day)" and the case file's ``daily_dose_mg``
take one number per product): for a combination product it is the daily mg of ONE of its
components, and the strength in the name ("30/500", in the order the name lists the
components) turns it into tablets a day and each component's mg. No strength, or no whole
(or half) number of tablets: "check the dose", never silence.

Primary sources (resources/medicines/sources.toml; read with the search tool 2026-11-30):
- Acetaminophen, US OTC internal analgesic labeling / 21 CFR 201.326: "do not exceed 4000 mg
  in 24 hours".
- NHS medicines A to Z, Co-codamol for adults: "The maximum dose is 8 co-codamol tablets in 24
  hours" (8 x 500 mg = 4000 mg of paracetamol); the co-codamol 30/500 leaflet (Zapain): "Do not
  take anything else containing paracetamol while taking this medicine".
- Codeine sulfate tablets, US label: "do not exceed 360 mg in 24 hours" (us profile); Codeine
  Phosphate 30 mg Tablets, UK SmPC 4.2: "maximum daily dose of codeine should not exceed 240 mg"
  (uk profile).
- Dihydrocodeine, BNF (DF118 Forte): maximum 240 mg per day.
- Ultram (tramadol) US label: "not more than 400 mg/day"; Ultracet (tramadol 37.5 mg /
  acetaminophen 325 mg): "do not co-administer with other tramadol or acetaminophen containing
  products".
Each maximum: just below and at it, nothing; just above, "Reduce dose" counted across every
product the patient takes (paracetamol alone + co-codamol).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import combination_strengths, dose_reductions, read_combination
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
# AS_OF, _case and _report keep their names here: other test files import them from this one.
from helpers.medicines import EXAMPLE_AS_OF as AS_OF, example_case as _case, example_report as _report


def _over(report):
    return {(c.generic, c.daily_mg, c.limit_mg) for c in report.dose_checks if c.kind == "label_max"}


# --------------------------------------------------------------------------- reading the strength
@pytest.mark.parametrize("name, generics, expected", [
    ("co-codamol 30/500", ("codeine", "acetaminophen"), (30, 500)),
    ("co-codamol 30mg/500mg tablets", ("codeine", "acetaminophen"), (30, 500)),
    ("tramacet 37.5/325 mg", ("tramadol", "acetaminophen"), (37.5, 325)),
    ("norco 7.5 / 325", ("hydrocodone", "acetaminophen"), (7.5, 325)),
    ("paracetamol/codeine 500/30", ("acetaminophen", "codeine"), (500, 30)),  # the order the name gives
    ("co-codamol 30,500", ("codeine", "acetaminophen"), ()),  # not a strength
    ("tylenol 3", ("codeine", "acetaminophen"), ()),  # one number for two medicines: never a guess
    ("co-codamol 30/500/10", ("codeine", "acetaminophen"), ()),
    ("co-codamol 30/500 and 8/500", ("codeine", "acetaminophen"), ()),
    ("co-codamol 2.5mg/5ml", ("codeine", "acetaminophen"), ()),
    ("co-codamol", ("codeine", "acetaminophen"), ()),
])
def test_the_strength_is_read_only_when_the_name_gives_one_per_component(name, generics, expected):
    assert tuple(mg for _g, mg in combination_strengths(name, generics)) == expected


@pytest.mark.parametrize("recorded, tablets, read_as", [
    (240, 8, "codeine"), (4000, 8, "acetaminophen"), (15, 0.5, "codeine"),
    # 6000 is 12 tablets of the paracetamol or 200 of the codeine: the fewer tablets
    (6000, 12, "acetaminophen")])
def test_the_recorded_mg_is_one_components_whole_or_half_tablets(recorded, tablets, read_as):
    r = read_combination("co-codamol 30/500", ("codeine", "acetaminophen"), recorded)
    assert (r.tablets, r.read_as) == (tablets, read_as)
    assert dict(r.components) == {"codeine": 30 * tablets, "acetaminophen": 500 * tablets}


@pytest.mark.parametrize("recorded", [8, 4001, 100, 10])
def test_a_recorded_mg_that_is_no_whole_number_of_tablets_is_not_read(recorded):
    r = read_combination("co-codamol 30/500", ("codeine", "acetaminophen"), recorded)
    assert not r.read and "not a whole number" in r.problem


# --------------------------------------------------------------------------- paracetamol 4000 mg
@pytest.mark.parametrize("codeine_mg, tablets, over", [(225, 7.5, False), (240, 8, False), (255, 8.5, True)])
def test_co_codamol_alone_around_eight_tablets(codeine_mg, tablets, over):
    """NHS: at most 8 co-codamol tablets in 24 hours (4000 mg of paracetamol)."""
    report = _report([("co-codamol 30/500", codeine_mg)], "us")
    row = report.row("acetaminophen")
    assert row.current_daily_dose_mg == 500 * tablets
    assert ("acetaminophen", 500 * tablets, 4000) in _over(report) if over else not _over(report)
    assert any(r.rule == "combination-product-read" and f"read as {tablets:g} tablets" in r.text for r in row.reasons)
    assert row.over_max is over


@pytest.mark.parametrize("alone, over", [(999, False), (1000, False), (1001, True)])
def test_paracetamol_alone_and_in_co_codamol_add_up(alone, over):
    """Paracetamol 1000 mg + co-codamol 30/500 6 tablets (3000 mg) is 4000 mg of paracetamol."""
    report = _report([("paracetamol", alone), ("co-codamol 30/500", 3000)])
    checks = [c for c in report.dose_checks if c.generic == "acetaminophen"]
    if not over:
        assert checks == [] and dose_reductions(report) == ()
        return
    assert [(c.medicines, c.daily_mg, c.limit_mg) for c in checks] == [
        (("paracetamol", "co-codamol 30/500"), alone + 3000, 4000)]
    row = report.row("acetaminophen")
    # above the label maximum: "Reduce dose", one label with codeine's (gp18 F9)
    assert row.over_max and row.status == "reduce_dose" and row.current_daily_dose_mg == alone + 3000
    assert dose_reductions(report) == (f"paracetamol, co-codamol 30/500 {alone + 3000} mg/day of acetaminophen "
                                       "> max 4000 mg/day",)
    assert any(a.status == "reduce_dose" and "co-codamol 30/500" in a.medicines and f"{alone + 3000} mg/day of acetaminophen"
               in a.text for a in medicine_alerts(report))


def test_twelve_co_codamol_30_500_a_day_is_never_keep_taking():
    """The finding: 12 a day is codeine 360 mg and paracetamol 6 g."""
    for recorded in (360, 6000):
        report = _report([("co-codamol 30/500", recorded)], "uk")
        assert _over(report) == {("codeine", 360, 240), ("acetaminophen", 6000, 4000)}
        assert report.current_daily_mme == 54  # codeine 360 mg x 0.15 (CDC 2022)
        assert report.row("opioids").status == "reduce_dose"
        assert report.row("acetaminophen").status == "reduce_dose"  # gp18 F9: one label above a maximum
        # coco34 (H-MED-708): both sheets give the one plan for the product: named, what it holds, both amounts
        # against their maxima, changed by the prescriber and never cut or stopped by the patient (the codeine)
        plan = {"en": ("You take co-codamol 30/500. It contains codeine and acetaminophen. The way you take it now "
                       "gives you codeine 360 mg a day (for you, the most is 240 mg a day) and acetaminophen 6000 mg "
                       "a day (for you, the most is 4000 mg a day). Contact your prescriber today: they will change "
                       "your co-codamol 30/500.", "do not cut it down or stop it on your own"),
                "es": ("Usted toma co-codamol 30/500. Contiene codeína y paracetamol. Tal como lo toma ahora, recibe "
                       "codeína 360 mg al día (para usted, lo máximo es 240 mg al día) y paracetamol 6000 mg al día "
                       "(para usted, lo máximo es 4000 mg al día).", "no lo baje ni lo deje por su cuenta")}
        for sheet in ("med_acetaminophen", "med_opioid"):
            for lang, (words, never_alone) in plan.items():
                text, _ = _sheet([("co-codamol 30/500", recorded)], sheet, lang, "uk")
                text = " ".join(text.split())
                assert words in text and never_alone in text, (sheet, lang)
                assert "keep taking" not in text and "siga tomando" not in text


# --------------------------------------------------------------------------- codeine, dihydrocodeine, tramadol
@pytest.mark.parametrize("profile, limit", [("us", 360), ("uk", 240)])
@pytest.mark.parametrize("delta", [-1, 0, 1])
def test_codeine_alone_and_in_co_codamol_around_its_maximum(profile, limit, delta):
    """Codeine + co-codamol 8/500 4 tablets (32 mg of codeine)."""
    report = _report([("codeine", limit - 32 + delta), ("co-codamol 8/500", 32)], profile)
    checks = [(c.generic, c.daily_mg, c.limit_mg, c.medicines) for c in report.dose_checks]
    if delta <= 0:
        assert checks == []
    else:
        assert checks == [("codeine", limit + 1, limit, ("codeine", "co-codamol 8/500"))]
        assert report.row("opioids").status == "reduce_dose"


@pytest.mark.parametrize("delta", [-1, 0, 1])
def test_dihydrocodeine_alone_and_in_co_dydramol_around_240(delta):
    """Co-dydramol 10/500, 8 tablets: 80 mg of dihydrocodeine; BNF maximum 240 mg a day."""
    report = _report([("dihydrocodeine", 160 + delta), ("co-dydramol 10/500", 80)], "uk")
    checks = [(c.generic, c.daily_mg) for c in report.dose_checks]
    assert checks == ([("dihydrocodeine", 241)] if delta > 0 else [])


@pytest.mark.parametrize("delta", [-1, 0, 1])
def test_tramadol_alone_and_in_tramacet_around_400(delta):
    """Tramacet 37.5/325, 8 tablets: 300 mg tramadol + 2600 mg paracetamol; Ultram: 400 mg/day."""
    report = _report([("tramadol", 100 + delta), ("tramacet 37.5/325", 300)])
    row = report.row("tramadol")
    assert row.current_daily_dose_mg == 400 + delta
    assert row.over_max is (delta > 0)
    assert _over(report) == ({("tramadol", 401, 400)} if delta > 0 else set())
    assert report.row("acetaminophen").current_daily_dose_mg == 2600


def test_norco_counts_toward_mme_and_its_paracetamol():
    report = _report([("norco 10/325", 60)])  # 6 tablets
    assert report.current_daily_mme == 60
    assert report.row("acetaminophen").current_daily_dose_mg == 1950 and not report.dose_checks


# --------------------------------------------------------------------------- unknown unit: check the dose
@pytest.mark.parametrize("name, mg, why", [("co-codamol", 4000, "the name gives no strength"),
                                           ("co-codamol 30/500", 4001, "not a whole number"),
                                           # Tylenol #3 is 30/300 (H-MED-223): 8 mg is no number of
                                           # its tablets; Percocet is sold in several strengths
                                           ("tylenol 3", 8, "not a whole number of 30/300 tablets"),
                                           ("percocet", 40, "the name gives no strength")])
def test_a_combination_dose_that_cannot_be_turned_into_components_says_check_the_dose(name, mg, why):
    report = _report([(name, mg)])
    checks = [c for c in report.dose_checks if c.kind == "unread"]
    assert len(checks) == 1 and checks[0].medicines == (name,) and why in checks[0].text
    assert checks[0].text.startswith("Check the dose:") and checks[0].source
    assert dose_reductions(report) == (f"{name} {mg} mg/day: check the dose (combination product: the mg of each "
                                       "component is not known)",)
    assert any(a.status == "reduce_dose" and a.medicines == (name,) for a in medicine_alerts(report))
    assert report.current_daily_mme is None  # not known, never a number
    for lang, words in (("en", f"Your record says you take {name} {mg} mg a day, but not how much of each medicine"),
                        ("es", f"Su historia dice que toma {name} {mg} mg al día, pero no cuánto es de cada")):
        text, req = _sheet([(name, mg)], "med_acetaminophen", lang)
        assert words in text and "keep taking" not in text and "siga tomando" not in text
        assert "take your" not in text.split("Your dose")[-1][:60] if lang == "en" else True
        assert "record the strength" in " ".join(h.dose_notices(req))


def test_a_combination_without_a_recorded_dose_keeps_the_caution_and_no_check():
    report = _report([("co-codamol 30/500", None)])
    assert report.dose_checks == ()
    assert any(r.rule == "combination-product" and r.severity == "caution"
               for r in report.row("acetaminophen").reasons)


def _sheet(meds, sheet_id, lang, profile="us"):
    req = h.request_for_case(parse_case(_case(meds)), AS_OF, clinic_name="Clinic", clinic_contact="555",
                             lang=lang, sheets=[sheet_id], profile=profile)
    return " ".join(hc.plain_text(h.filled_sheets(req)[0]).split()), req


def test_each_medicine_over_its_maximum_reaches_the_worklist_once():
    """Tramacet 37.5/325, 14 tablets (tramadol 525 mg, paracetamol 4550 mg) with paracetamol of
    unknown dose: the tramadol row says its own total; the paracetamol known (4550 mg, above 4000;
    the undosed product is named, its dose not counted) is a line of its own, never hidden behind
    the tramadol row's."""
    report = _report([("tramacet 37.5/325", 525), ("paracetamol", None)])
    lines = dose_reductions(report)
    assert "tramacet 37.5/325, paracetamol 4550 mg/day of acetaminophen > max 4000 mg/day" in lines
    # and Tramacet's own 8 tablets a day (UK SmPC 4.2: tramadol 300 mg; uk17), said once; the tramadol row counts
    # Tramacet alone, so its maximum is the product's: no "> max 400 mg/day" line beside it (zalmax35, H-MED-727)
    assert ("tramacet 37.5/325 525 mg/day of tramadol > max 300 mg/day (tramacet 37.5/325's own label maximum, "
            "lower than tramadol's own)") in lines
    assert not [line for line in lines if "> max 400 mg/day" in line]
    assert len(lines) == 2


@pytest.mark.parametrize("lang, words", [
    ("en", "You take paracetamol 2000 mg a day and co-codamol 30/500 (8 tablets a day)."),
    ("es", "Usted toma paracetamol 2000 mg al día y co-codamol 30/500 (8 comprimidos al día).")])
def test_the_sheet_names_a_combination_by_its_tablets_never_its_recorded_mg(lang, words):
    """The recorded 4000 is the paracetamol's mg, not the product's: the sheet says 8 tablets
    (before: "co-codamol 30/500 (4000 mg a day in all)"), the clinician's note the reading."""
    text, req = _sheet([("paracetamol", 2000), ("co-codamol 30/500", 4000)], "med_acetaminophen", lang)
    assert words in text and "4000 mg a day in all" not in text and "4000 mg al día en total" not in text
    assert "read as 8 tablets a day of 30/500 (codeine 240 mg, acetaminophen 4000 mg a day)" in " ".join(
        h.dose_notices(req))
    kept, _ = _sheet([("co-codamol 30/500", 240)], "med_opioid", lang)
    assert ("keep taking your co-codamol 30/500 (8 tablets a day)" if lang == "en"
            else "siga tomando su co-codamol 30/500 (8 comprimidos al día)") in kept
