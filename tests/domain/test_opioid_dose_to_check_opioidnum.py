"""opioidnum: an opioid dose the medicine table asks to CHECK is never said, nor added up, as settled.

What a clinician should read, and where the numbers come from:
- MME conversion factors by mouth are the CDC 2022 guideline's (resources/medicines/drugs.toml
  ``[mme_factors]``, source cdc-2022-mme): codeine 0.15, tramadol 0.2, morphine 1, oxycodone 1.5;
  fentanyl transdermal 2.4 per microgram an hour. So codeine 30 mg four times a day (120 mg) = 18 MME/day;
  tramadol 50 mg four times a day (200 mg) = 40; a fentanyl 25 micrograms an hour patch = 60.
- A combination product is read through the strength in its name: co-codamol 30/500 2 tablets four
  times a day = 8 tablets = codeine 240 mg (36 MME/day) and paracetamol 4000 mg; tramadol/paracetamol
  37.5/325 2 qds = tramadol 300 mg (60 MME/day) and paracetamol 2600 mg. The same written in grams
  (0.0375/0.325) reads tramadol 0.3 mg and paracetamol 2.6 mg a day: each far below any usual dose
  ("typed in grams?"), so each is a dose to check.
- F1: the pathway's opioid line uses the opioid's OWN check (0.3 mg/day of tramadol), never the first
  check's number (the paracetamol's 2.6 mg), and a dose to check is said as to check.
- F2: a total that counts a dose to check is "provisional", with the medicine and why; the settled total
  (``current_daily_mme``) is then not given. The total the CDC thresholds (50 and 90 MME/day) are read
  against still counts it, so no alert is lost: the check's "Check the dose" stands beside it.
- F3: each kind of dose check has its own few words (never "far above any usual dose" for a patch's
  change interval, a rate per 24 hours, methotrexate written daily ...).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.commands.assessment_text import assessment_text
from radiculopathy_desktop.domain import medications
from radiculopathy_desktop.domain.medications import dose_check_why, dose_reductions
from radiculopathy_desktop.domain.worklist_marks import opioid_total
from helpers.medicines import example_report as _report
from helpers.pathway_recs import assessed, medicine_rec

OPIOID_REC = {"uk": "weak_opioid_acute_only", "us": "opioid"}


def _taking(medicines, profile, rec_id=None) -> str:
    return medicine_rec(assessed(medicines, profile), rec_id or OPIOID_REC[profile])["taking_now"]["taking"]


def _all_text(report) -> str:
    texts = [r.text for row in report.rows for r in row.reasons] + [i.text for i in report.interactions]
    return " ".join(texts)


# ---------------------------------------------------------------- F1: the opioid's own check
@pytest.mark.parametrize("profile", ["uk", "us"])
def test_a_combination_in_grams_says_the_opioids_own_dose_to_check(profile):
    name = "tramadol/paracetamol 0.0375/0.325 2 qds"
    taking = _taking([name], profile)
    assert (f"{name} (dose to check: 0.3 mg/day of tramadol recorded, far below any usual dose: typed in grams?; "
            "this patient's maximum") in taking
    assert "2.6" not in taking  # the paracetamol's number, never said as the tramadol's
    assert "MME" not in taking
    # the paracetamol line of the same product says the paracetamol's own number
    para = _taking([name], profile, "acetaminophen")
    assert "dose to check: 2.6 mg/day of paracetamol recorded" in para.replace("acetaminophen", "paracetamol")


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_only_the_other_component_to_check_still_leaves_the_opioid_unsettled(profile):
    # 37.5 mg of tramadol is a real strength; 0.325 (g) of paracetamol is not in mg: the count and strength
    # read from this name are in question, so the tramadol's 300 mg is not said as settled either
    name = "tramadol/paracetamol 37.5/0.325 2 qds"
    taking = _taking([name], profile)
    assert f"{name} (dose to check: its " in taking and "dose is to check (2.6 mg/day of " in taking
    assert "so its tramadol dose is not settled either" in taking
    assert "300 mg/day" not in taking and "MME/day" not in taking


@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("name, words", [
    # settled combinations: CDC 2022 factors (tramadol 0.2, codeine 0.15)
    ("tramadol/paracetamol 37.5/325 2 qds", "300 mg/day of tramadol"),
    ("co-codamol 30/500 2 qds", "36 MME/day"),
])
def test_a_settled_combination_keeps_its_numbers(profile, name, words):
    taking = _taking([name], profile)
    assert words in taking and "to check" not in taking and "provisional" not in taking
    if name.startswith("tramadol"):
        assert "60 MME/day" in taking  # 300 mg x 0.2


# ---------------------------------------------------------------- F2: the total
@pytest.mark.parametrize("profile", ["uk", "us"])
def test_a_settled_opioid_beside_one_to_check_gives_a_provisional_total(profile):
    # codeine 120 mg x 0.15 = 18; tramadol typed 0.4 (400 mg meant?) x 0.2 = 0.08: 18.1, provisional
    report = _report([("codeine 30mg qds", None), ("tramadol", 0.4)], profile)
    assert report.current_daily_mme is None
    assert all(r.current_daily_mme is None for r in report.rows)
    assert report.mme_to_check == ("tramadol",)
    provisional = ("18.1 MME/day, provisional: it counts tramadol (far below any usual dose: typed in grams?), "
                   "whose dose is to check")
    assert report.mme_provisional == provisional
    (two,) = [i for i in report.interactions if "Two different opioids" in i.text]
    assert f"together {provisional}." in two.text
    taking = _taking(["codeine 30mg qds", {"name": "tramadol", "daily_dose_mg": 0.4}], profile)
    assert f"codeine 30mg qds (120 mg/day; all opioids together {provisional})" in taking
    # the text report (CLI assess, the case page's words) prints the same, never a settled "together 18.1 MME/day."
    text = " ".join(assessment_text(assessed(["codeine 30mg qds", {"name": "tramadol", "daily_dose_mg": 0.4}],
                                             profile)).split())
    assert "together 18.1 MME/day." not in text and "18.1 MME/day, provisional" in text


@pytest.mark.parametrize("profile", ["uk", "us"])
def test_two_settled_opioids_keep_a_settled_total(profile):
    report = _report([("codeine 30mg qds", None), ("tramadol 50mg qds", None)], profile)
    assert report.current_daily_mme == 58  # 18 + 40
    assert report.mme_to_check == () and report.mme_provisional == ""
    assert "provisional" not in _all_text(report)
    data = assessed(["codeine 30mg qds", "tramadol 50mg qds"], profile)
    assert "provisional" not in str(data)


def test_a_far_above_opioid_dose_keeps_its_alert_in_a_provisional_total():
    # morphine 3000 mg a day (300 meant?) beside tramadol 200 mg: 3000 + 40 = 3040, past the CDC's 90 MME/day;
    # the High opioid dose alert stays, said as provisional, with the dose's own "Check the dose"
    report = _report([("tramadol 50mg qds", None), ("morphine", 3000)])
    assert report.current_daily_mme is None
    row = report.row("tramadol")
    assert row.has_rule("opioid-mme-90")
    assert opioid_total(row.reasons) == "High opioid dose: 3040 MME/day, provisional"
    assert "current opioids total 3040 MME/day, provisional (" in _all_text(report)
    assert "it counts morphine (far above any usual dose), whose dose is to check" in _all_text(report)
    assert dose_reductions(report)[-1] == "morphine 3000 mg/day: check the dose (far above any usual dose)"


def test_a_settled_fentanyl_patch_is_a_settled_total():
    report = _report([("fentanyl 25mcg/h patch", None)])
    assert report.current_daily_mme == 60  # 25 mcg/h x 2.4
    assert report.mme_provisional == ""


def test_a_patch_at_a_strength_no_patch_is_made_in_is_provisional_on_every_surface():
    from radiculopathy_desktop.reports import handouts as h
    from helpers.medicines import EXAMPLE_AS_OF, example_case
    from radiculopathy_desktop.domain.intake import parse_case

    report = _report([("fentanyl 250mcg/h patch", None)])
    assert report.current_daily_mme is None
    assert report.mme_provisional.startswith("600 MME/day, provisional: it counts fentanyl 250mcg/h patch (no single "
                                             "patch is made at that rate)")
    assert report.row("opioids").has_rule("opioid-mme-90")  # 600 MME/day read against 90: the alert kept
    assert opioid_total(report.row("opioids").reasons) == "High opioid dose: 600 MME/day, provisional"
    # the printed sheet's clinician note: counted, in a provisional total
    req = h.request_for_case(parse_case(example_case([("fentanyl 250mcg/h patch", None)])), EXAMPLE_AS_OF,
                             clinic_name="C", clinic_contact="5", lang="en", sheets=["med_opioid"], profile="us")
    assert ("250 micrograms an hour, counted as 600 MME/day (x 2.4, CDC 2022) in a provisional total: its dose is "
            "to check") in req.doses["opioid"].taken_now
    settled = h.request_for_case(parse_case(example_case([("fentanyl 25mcg/h patch", None)])), EXAMPLE_AS_OF,
                                 clinic_name="C", clinic_contact="5", lang="en", sheets=["med_opioid"], profile="us")
    assert "counted as 60 MME/day (x 2.4, CDC 2022):" in settled.doses["opioid"].taken_now


def test_an_opioid_total_with_nothing_to_check_is_unchanged_by_the_provisional_rule():
    # 400 MME/day from morphine 200 mg twice a day: settled, said as before
    report = _report([("morphine 200mg bd", None)])
    assert report.current_daily_mme == 400
    assert opioid_total(report.row("opioids").reasons) == "High opioid dose: 400 MME/day"


# ---------------------------------------------------------------- F3: each kind of check, its own words
KINDS = [
    ("far_above", [("dexamethasone", 100)], "us", "far above any usual dose"),
    ("slip", [("ibuprofen", 12000)], "us", "far above the label maximum: a typing or unit slip?"),
    ("weekly", [("methotrexate 10mg od", None)], "us", "taken once a week, written as a daily dose"),
    ("patch_strength", [("fentanyl 250mcg/h patch", None)], "us", "no single patch is made at that rate"),
    ("patch_per_hours", [("fentanyl 25mcg/24h patch", None)], "us",
     "written per 24 hours, not as a patch's rate an hour"),
    ("patch_interval", [("fentanyl 25mcg/h patch every 7 days", None)], "us",
     "written to be changed at an interval that is not its product's"),
    ("injected", [("morphine 10mg sc", 40)], "us",
     "given by injection or another route: the MME and maximum are for the medicine by mouth"),
]


@pytest.mark.parametrize("what, meds, profile, words", KINDS, ids=[k[0] for k in KINDS])
def test_each_kind_of_check_has_its_own_words(what, meds, profile, words):
    report = _report(meds, profile)
    checks = [c for c in report.dose_checks if c.rule == "check-dose"]
    assert [c.what for c in checks] == [what]
    assert dose_check_why(checks[0]) == words
    if what not in ("far_above", "slip"):
        assert "far above" not in words
    # the worklist's dose line says the same words; a patch's check has no mg a day to print
    (line,) = [x for x in dose_reductions(report) if "check the dose" in x]
    assert line.endswith(f": check the dose ({words})")
    assert " 0 mg/day" not in line


def test_every_kind_of_check_is_tested():
    assert {k[0] for k in KINDS} == set(medications._WHY_BY_WHAT)


@pytest.mark.parametrize("meds, words", [
    ([("paracetamol", 4)], "far below any usual dose: typed in grams?"),
    ([("co-codamol", 8)], "combination product: the mg of each component is not known"),
    ([("ibuprofen 800mg 1 tab times a day", None)], "the regimen in its name cannot be read"),
])
def test_the_kinds_said_before_keep_their_words(meds, words):
    report = _report(meds, "uk")
    checks = [c for c in report.dose_checks if c.rule == "check-dose"]
    assert checks and {dose_check_why(c) for c in checks} == {words}
