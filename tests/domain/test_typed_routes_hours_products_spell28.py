"""Medicine names as GPs type them that were "NOT RECOGNISED" (so retyped) or misread, found by the round-28
review (spell28; code: dose_in_name.find_regimen, medications.MedicineData._resolve / not_by_mouth,
medicine_alerts._rows_to_say; data: drugs.toml [name_reading], routes.toml, classes.toml).

Every reading is right or refused, never a wrong daily total:

- routes: "s.c.", "i.m.", "(sc)", "SQ" are injected routes (H-MED-474): the name is recognised, an opioid so
  written is never counted with its oral MME factor (cdc-mme-oral: the CDC factors are for opioids by mouth)
  and its dose is asked about. "PR" is per rectum on some charts and prolonged-release (by mouth) on others,
  "sl" is sublingual: the name is recognised, and an opioid's dose is asked about, never counted as oral.
- hours (H-MED-478): "6 hrly" / "4 hrly" as "6 hourly" / "4 hourly" (24 / hours doses a day), "every six
  hours", "thrice daily", the Spanish "cada 8 horas". "hrly" alone, "every 1 hour" (24 a day: almost surely a
  slip) and a range ("4-6 hrly", "cada 4 a 6 horas") are asked about, never multiplied out.
- products (H-MED-476, H-MED-477): Targin (oxycodone/naloxone, targin-ie), Zubsolv (buprenorphine/naloxone,
  zubsolv-eu), Sublocade (buprenorphine injection, sublocade-label); levorphanol and pentazocine are opioids
  with no CDC 2022 MME factor (von-korff-2008, cdc-2022-mme), so their MME is not counted and that is said.
- diamorphine by injection (H-MED-475): "check the dose", not counted as oral morphine equivalents.
- an NSAID with an anticoagulant is one alert, not two (H-UI-433).

Label maxima used for boundaries: paracetamol 4 g a day (acetaminophen row), tramadol 400 mg a day
(tramadol-label), as the data already holds them.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import assess_medications, load_medicine_data
from radiculopathy_desktop.domain.medicine_alerts import alert_heads, medicine_alerts
from helpers.medicines import dose_asked as _asked, daily_read as _daily, typed_case

import datetime as dt

AS_OF = dt.date(2026, 3, 2)


def _case(meds, age=50):
    return parse_case(typed_case(meds, AS_OF, age=age))


def _report(meds, profile="uk", age=50):
    return assess_medications(_case(meds, age).intake, AS_OF, profile=profile)


def _generics(name):
    return load_medicine_data().resolve(name)[0]


def _checks(report):
    return [c for c in report.dose_checks if c.rule == "check-dose"]


# ------------------------------------------------------------------------------------------ routes
@pytest.mark.parametrize("route", ["s.c.", "S.C.", "s.c", "i.m.", "I.M.", "(sc)", "(s/c)", "( SC )", "SQ", "sq", "s/c"])
def test_an_injected_route_as_typed_is_recognised_and_given_by_injection(route):
    name = f"morphine 10mg {route}"
    data = load_medicine_data()
    assert data.resolve(name)[0] == ("morphine",)
    assert data.by_injection(name)
    assert data.not_by_mouth(name).startswith("given by injection")


@pytest.mark.parametrize("route", ["s.c.", "i.m.", "(sc)", "SQ"])
def test_an_opioid_typed_with_an_injected_route_is_never_counted_with_the_oral_factor(route):
    report = _report([(f"morphine 10mg {route}", 40.0)])
    assert report.current_daily_mme is None  # never 40 x 1.0
    (asked,) = _checks(report)
    assert "given by injection" in asked.text and "not counted in the MME total as oral morphine" in asked.text
    assert _report([("morphine 10mg", 40.0)]).current_daily_mme == 40.0  # by mouth: counted, as before


@pytest.mark.parametrize("name", ["morphine 10mg s.c. qds", "morphine 10mg (sc) qds", "morphine 10mg SQ 4 hrly"])
def test_a_regimen_after_an_injected_route_is_asked_about_never_read(name):
    assert "given by injection" in _asked(name)


@pytest.mark.parametrize("name, generic", [("enoxaparin 40mg s.c.", "enoxaparin"), ("Clexane 40mg sc od", "enoxaparin"),
                                           ("enoxaparin 40mg (sc)", "enoxaparin"), ("enoxaparin 40mg/0.4ml", "enoxaparin"),
                                           ("diclofenac 100mg PR", "diclofenac"), ("diclofenac 100mg pr", "diclofenac"),
                                           ("buprenorphine 400mcg sl", "buprenorphine"), ("morphine 10mg sl", "morphine")])
def test_routes_written_after_the_dose_are_recognised(name, generic):
    assert _generics(name) == (generic,)


@pytest.mark.parametrize("name", ["morphine 10mg PR bd", "oxycodone 10mg PR bd", "morphine 10mg sl qds"])
def test_pr_or_sl_opioid_regimen_is_asked_about(name):
    problem = _asked(name)
    assert "not counted as oral morphine equivalents" in problem


def test_pr_says_it_may_be_per_rectum_or_prolonged_release_and_is_not_counted():
    report = _report([("oxycodone 10mg PR", 20.0)])
    assert report.current_daily_mme is None  # never 20 x 1.5 whichever it is
    (asked,) = _checks(report)
    assert "per rectum, or prolonged-release" in asked.text


@pytest.mark.parametrize("name", ["morphine 10mg sqx", "morphine 10mg s.c.x", "sq", "(sc)", "morphine 10mg prx"])
def test_near_miss_routes_stay_refused(name):
    assert _generics(name) == ()


@pytest.mark.parametrize("name", ["morphine 10mg prn", "morphine 10mg qds prn", "morphine 10mg"])
def test_prn_is_no_route(name):
    assert load_medicine_data().not_by_mouth(name) == ""


# ------------------------------------------------------------------------------------------- hours
@pytest.mark.parametrize("name, generic, mg", [
    ("morphine 10mg 4 hrly", "morphine", 60.0),  # 6 doses a day
    ("morphine 10mg 6 hrly", "morphine", 40.0),
    ("morphine 10mg 4 HRLY", "morphine", 60.0),
    ("morphine 10mg every six hours", "morphine", 40.0),
    ("morphine 10mg six hourly", "morphine", 40.0),
    ("morphine 10mg every eight hours", "morphine", 30.0),
    ("morphine 10mg twelve hourly", "morphine", 20.0),
    ("morphine 10mg thrice daily", "morphine", 30.0),
    ("tramadol 100mg thrice daily", "tramadol", 300.0),
    ("thrice daily tramadol 100mg", "tramadol", 300.0),  # the frequency before the name
    ("tramadol 50mg nocte", "tramadol", 50.0),
    ("tramadol 50mg mane", "tramadol", 50.0),
    ("tramadol 50mg mane nocte", "tramadol", 100.0),
    ("naproxen 500mg bd", "naproxen", 1000.0),
])
def test_hours_and_frequencies_as_typed_are_read(name, generic, mg):
    assert _daily(name) == {generic: mg}


@pytest.mark.parametrize("name, over", [
    ("paracetamol 1g 6 hrly", False),  # 4 g a day: at the 4 g maximum
    ("paracetamol 1g 4 hrly", True),  # 6 g a day: above it
    ("paracetamol 1g every six hours", False),
    ("tramadol 100mg 6 hrly", False),  # 400 mg: at the label maximum
    ("tramadol 100mg 4 hrly", True),  # 600 mg: above it
])
def test_the_daily_total_read_from_hours_meets_the_label_maximum(name, over):
    report = _report([(name, None)])
    row = report.row("tramadol" if name.startswith("tramadol") else "acetaminophen")
    assert (row.status == "reduce_dose") is over, row


@pytest.mark.parametrize("name", [
    "morphine 10mg hrly",  # every hour? 24 a day is no regimen: asked, never x24
    "morphine 10mg 1 hrly",
    "morphine 10mg every 1 hour",
    "morphine 10mg q1h",
    "morphine 10mg 4-6 hrly",
    "paracetamol 1g cada 4-6 horas",
    "paracetamol 1g cada 4 a 6 horas",
    "paracetamol 1g cada 5 horas",  # not a whole number of times a day
])
def test_hours_that_give_no_safe_daily_total_are_asked_about(name):
    _asked(name)


@pytest.mark.parametrize("name", ["morphine 10mg every seven hours", "paracetamol 1g cada hora", "morphine 10mg hrlyx"])
def test_hours_not_read_stay_refused_or_asked(name):
    data = load_medicine_data()
    generics = data.resolve(name)[0]
    if generics:
        _asked(name)


# --------------------------------------------------------------------------------------- Spanish
@pytest.mark.parametrize("name, generic, mg", [
    ("ibuprofeno 600 mg cada 8 horas", "ibuprofen", 1800.0),
    ("paracetamol 1 g cada 8 horas", "acetaminophen", 3000.0),
    ("ibuprofeno 600 mg cada 4 horas", "ibuprofen", 3600.0),  # 6 a day
    ("paracetamol 1g cada 4 horas", "acetaminophen", 6000.0),
    ("paracetamol 1 g cada 6 horas", "acetaminophen", 4000.0),
    ("ibuprofeno 400 mg cada 8 h", "ibuprofen", 1200.0),
])
def test_spanish_every_n_hours_is_read(name, generic, mg):
    assert _daily(name) == {generic: mg}


def test_paracetamol_every_4_hours_in_spanish_is_above_the_maximum():
    row = _report([("paracetamol 1g cada 4 horas", None)]).row("acetaminophen")
    assert row.status == "reduce_dose" and row.current_daily_dose_mg == 6000.0


# -------------------------------------------------------------------------------------- products
@pytest.mark.parametrize("name, generic", [
    ("Targin", "oxycodone"), ("Targin 10/5mg", "oxycodone"), ("Targinact 10/5mg bd", "oxycodone"),
    ("oxycodone/naloxone 10/5", "oxycodone"), ("Zubsolv 5.7/1.4mg", "buprenorphine"),
    ("buprenorphine/naloxone 8/2mg", "buprenorphine"), ("Sublocade 300mg", "buprenorphine"),
    ("levorphanol 2mg qds", "levorphanol"), ("pentazocine 50mg qds", "pentazocine"),
])
def test_products_are_recognised(name, generic):
    assert _generics(name) == (generic,)


@pytest.mark.parametrize("name, mg", [("Targin 10/5 bd", {"oxycodone": 20}), ("Zubsolv 5.7/1.4mg od", {"buprenorphine": 5.7})])
def test_a_two_ingredient_strength_is_never_read_as_one_number(name, mg):
    # combo28 (H-MED-487): a strength the product is sold in is read as its opioid's mg, the
    # naloxone not counted (tests/domain/test_combination_units_combo28.py); never one number
    assert _daily(name) == mg


@pytest.mark.parametrize("name", ["buprenorphine/naloxone 8/2mg od", "oxycodone/naloxone 10/5 bd"])
def test_a_two_number_strength_with_no_strengths_held_is_asked_truthfully(name):
    problem = _asked(name)
    assert "2 numbers for 1 medicine counted here" in problem and "no strength" not in problem


def test_sublocade_is_an_injection_and_zubsolv_no_patch():
    data = load_medicine_data()
    assert data.by_injection("Sublocade 300mg")
    report = _report([("Zubsolv 5.7/1.4mg", None)])
    assert report.current_daily_mme is None
    assert not data.by_injection("Zubsolv 5.7/1.4mg")


@pytest.mark.parametrize("name", ["levorphanol 2mg qds", "pentazocine 50mg qds"])
def test_levorphanol_and_pentazocine_mme_is_not_counted_and_said(name):
    report = _report([(name, None), ("morphine 10mg bd", None)])
    assert report.current_daily_mme is None  # never 20 MME as if the other were nothing
    generic = name.split()[0]
    (both,) = [i for i in report.interactions if "Two different opioids" in i.text]
    assert f"{generic} has no MME conversion factor in the CDC 2022 table" in both.text


@pytest.mark.parametrize("name", ["levorphanol", "pentazocine"])
def test_levorphanol_and_pentazocine_are_opioids_for_the_benzodiazepine_check(name):
    report = _report([(name, None), ("diazepam", 10.0)])
    assert any(i.severity in ("avoid", "contraindicated") for i in report.interactions)


@pytest.mark.parametrize("name", ["targinx", "zubsolvx", "sublocadex", "levorphanolx", "pentazocin"])
def test_near_miss_product_names_stay_refused(name):
    assert _generics(name) == ()


# -------------------------------------------------------------------------------- diamorphine sc
@pytest.mark.parametrize("name", ["diamorphine 5mg sc 4 hrly", "diamorphine 5mg s.c. 4 hrly", "diamorphine 5mg sc q4h"])
def test_diamorphine_by_injection_in_the_name_is_a_dose_to_check_not_oral_mme(name):
    report = _report([(name, None)])
    (asked,) = _checks(report)
    assert "given by injection" in asked.text and "not counted as oral morphine equivalents" in asked.text
    assert report.current_daily_mme is None


def test_diamorphine_sc_with_a_typed_dose_is_a_dose_to_check():
    report = _report([("diamorphine 5mg sc", 30.0)])
    (asked,) = _checks(report)
    assert asked.daily_mg == 30.0 and "given by injection" in asked.text
    assert "not counted in the MME total as oral morphine equivalents" in asked.text
    assert report.current_daily_mme is None


# --------------------------------------------------------------------- NSAID with an anticoagulant
@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("nsaid, anticoagulant", [("naproxen 500mg bd", "apixaban 5mg bd"),
                                                  ("ibuprofen 400mg tds", "Eliquis 5mg bd"),
                                                  ("naproxen 500mg bd", "enoxaparin 40mg s.c.")])
def test_an_nsaid_with_an_anticoagulant_is_said_once(profile, nsaid, anticoagulant):
    report = _report([(nsaid, None), (anticoagulant, None)], profile)
    alerts = medicine_alerts(report)
    about = [a for a in alerts if "anticoagulant" in a.text]
    assert len(about) == 1 and about[0].status == "avoid"
    assert {m.lower() for m in about[0].medicines} == {nsaid.lower(), anticoagulant.lower()}
    assert [h[0] for h in alert_heads(report)] == [a.medicines for a in alerts]


def test_an_nsaid_row_with_a_reason_of_its_own_keeps_it_without_the_pair_words():
    # 80 years old: Beers 2023 rates the NSAID on its own; the anticoagulant is said by the pair alone
    report = _report([("naproxen 500mg bd", None), ("apixaban 5mg bd", None)], "us", age=80)
    alerts = medicine_alerts(report)
    assert sum("anticoagulant" in a.text for a in alerts) == 1
    assert any(a.kind == "interaction" and "apixaban 5mg bd" in a.medicines for a in alerts)
