"""readers33: medicine entries that were silently unread or misread (H-MED-680 .. H-MED-686).

Before:
- "ibuprofen 800mg per 4 hours" (800 mg every 4 hours: 6 doses, 4,800 mg a day, above the 3,200 mg maximum) gave no
  alert: "per 4 hours" was left unread and nothing was asked. The Spanish "por 4 horas" was asked about in words that
  did not say what was unclear.
- "paracetamol 100mg/5ml/8h" was NOT RECOGNISED (no paracetamol total, no interaction), and "ibuprofen 100mg/5ml
  10ml/8h" was recognised with its dose neither read nor asked about.
- "methotrexate 15mg/week" was NOT RECOGNISED: the NSAID-with-methotrexate interaction was lost.
- "tramadol retard 200mg bd" and "tramadol LP 100 mg c/12h" were NOT RECOGNISED (400 mg a day, 80 MME, unchecked).
- Zaldiar, "dexketoprofeno" and Enantyum were NOT RECOGNISED.

Primary sources (resources/medicines/sources.toml): ``ibuprofen-label`` (3,200 mg a day), ``acetaminophen-label``
(4,000 mg), ``tramadol-label`` and ``tramadol-retard-ft`` (400 mg a day, modified-release 100-200 mg twice a day),
``zaldiar-ft`` (37.5 mg / 325 mg; at most 8 tablets a day: 300 mg tramadol, 2,600 mg paracetamol), ``keral-smpc`` and
``enantyum-smpc`` (dexketoprofen, at most 75 mg a day), the CDC tramadol MME factor 0.2 (drugs.toml mme_factors).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.dose_in_name import find_regimen, spell
from radiculopathy_desktop.domain.medications import (
    MedicineDataError, _load_patch_intervals, _says_once_a_week, load_medicine_data, patch_intervals_written)

from helpers.medicines import (dose_check_texts as _checks, example_report as _report, recorded_reading as _reading,
                               report_row as _row)


# ------------------------------------------------------------------ "per 4 hours" (H-MED-680)
@pytest.mark.parametrize("name, profile, daily, over", [
    ("ibuprofen 800mg per 4 hours", "us", 4800, True),  # 6 doses of 800 mg: 1.5 times the label's 3,200 mg
    ("ibuprofen 800 mg per 4h", "us", 4800, True),
    ("ibuprofen 800mg per 6 hours", "us", 3200, False),  # at the label maximum
    ("ibuprofen 800mg per 6 hours", "uk", 3200, True),  # above the BNF's 2,400 mg
    ("ibuprofen 400 mg per 8 hours", "uk", 1200, False),
    ("ibuprofen 400mg per 24 hours", "us", 400, False),  # once a day
])
def test_per_a_number_of_hours_after_a_strength_is_every_that_many_hours(name, profile, daily, over):
    row = _row(_report([(name, None)], profile=profile), "ibuprofen")
    assert row.current_daily_dose_mg == daily and row.over_max is over
    assert any(r.rule == "dose-read-from-name" for r in row.reasons)


def test_per_reads_as_the_slash_and_as_every():
    assert (_reading("ibuprofen 800mg per 4 hours").components == _reading("ibuprofen 800mg/4h").components
            == _reading("ibuprofen 800mg every 4 hours").components == (("ibuprofen", 4800.0),))


@pytest.mark.parametrize("name, n", [("ibuprofen 800mg por 4 horas", "4"), ("ibuprofeno 600 mg por 8 horas", "8"),
                                     ("ibuprofeno 600 mg 1 comprimido por 8 horas", "8")])
def test_por_hours_is_asked_naming_both_readings_and_the_medicine_stays_recognised(name, n):
    reading = _reading(name)
    assert reading is not None and not reading.read
    assert f"every {n} hours or for {n} hours" in reading.problem and f"cada {n} horas" in reading.problem
    report = _report([(name, None)])
    assert any(f"every {n} hours or for {n} hours" in text for text in _checks(report))
    assert _row(report, "ibuprofen").currently_taking  # recognised: its NSAID rules still apply


def test_per_hours_after_a_patch_strength_stays_the_patch_rate():
    # a fentanyl patch's hours are how long it is worn: 25 mcg/h is 60 MME, as before
    assert _reading("fentanyl 25mcg per 72 hours") is None
    assert _report([("fentanyl 25mcg per 72 hours", None)]).current_daily_mme == pytest.approx(60.0)


# ------------------------------------------------------------------ a liquid's concentration then hours (H-MED-683)
@pytest.mark.parametrize("name, generic, drug", [
    ("paracetamol 100mg/5ml/8h", "acetaminophen", "acetaminophen"),
    ("paracetamol 100mg/ml/8h", "acetaminophen", "acetaminophen"),
    ("ibuprofen 100mg/5ml 10ml/8h", "ibuprofen", "ibuprofen"),
    ("morphine 10mg/5ml/4h", "morphine", "opioids"),
])
def test_a_concentration_then_an_interval_is_recognised_and_its_dose_asked(name, generic, drug):
    data = load_medicine_data()
    assert data.resolve(name)[0] == (generic,)
    reading = _reading(name)
    assert reading is not None and not reading.read and "liquid's concentration" in reading.problem
    report = _report([(name, None)])
    assert _row(report, drug).currently_taking
    assert any("liquid's concentration" in text for text in _checks(report))


def test_a_concentration_written_with_spaces_then_an_interval_is_asked_too():
    # "100 mg/5 ml": which number is the mg a dose is asked (never read as 100 mg every 8 hours)
    reading = _reading("paracetamol 100 mg/5 ml/8h")
    assert reading is not None and not reading.read and reading.problem
    assert _checks(_report([("paracetamol 100 mg/5 ml/8h", None)]))


def test_a_liquid_paracetamol_counts_with_other_paracetamol_as_two_products():
    report = _report([("paracetamol 100mg/5ml/8h", None), ("paracetamol 1g c/8h", None)])
    assert any(ix.rule == "ix-duplicate-acetaminophen" for ix in report.interactions) or any(
        "Two products containing acetaminophen" in ix.text for ix in report.interactions)


# ------------------------------------------------------------------ methotrexate "/week" (H-MED-681)
@pytest.mark.parametrize("name", ["methotrexate 15mg/week", "methotrexate 15 mg/week", "metotrexato 15mg/semana",
                                  "methotrexate 15mg/semana", "methotrexate 15mg/wk", "methotrexate 15 mg weekly"])
def test_a_weekly_methotrexate_written_with_a_slash_is_once_a_week(name):
    data = load_medicine_data()
    assert data.resolve(name)[0] == ("methotrexate",)
    _rest, regimen = find_regimen(spell(name, data.name_reading), data.name_reading)
    assert regimen is not None and regimen.days_a_week == 1 and regimen.times_a_day is None
    report = _report([(name, None)])
    assert not any(c.generic == "methotrexate" for c in report.dose_checks)  # never read as 15 mg a day
    with_nsaid = _report([(name, None), ("ibuprofen", None)])
    assert [ix.severity for ix in with_nsaid.interactions if ix.rule == "ix-nsaid-methotrexate"] == ["avoid"]


@pytest.mark.parametrize("name", ["methotrexate 15mg od/week", "methotrexate 7.5mg bd/week", "methotrexate 15mg qds/week"])
def test_a_daily_frequency_then_slash_week_is_never_read_silently_as_weekly(name):
    # "od/week": once a day, or once a week? Never taken as a weekly dose with the "od" dropped
    report = _report([(name, None)])
    unrecognised = not any(m.recognised for m in report.current_medicines)
    assert unrecognised or any(c.generic == "methotrexate" or name in c.medicines for c in report.dose_checks)


@pytest.mark.parametrize("name", ["methotrexate 15mg/day", "methotrexate 15mg daily"])
def test_a_daily_methotrexate_is_still_the_fatal_error_asked(name):
    report = _report([(name, None)])
    assert [c.what for c in report.dose_checks if c.generic == "methotrexate"] == ["weekly"]


# ------------------------------------------------------------------ modified-release tramadol (H-MED-682)
@pytest.mark.parametrize("name, daily, mme, over", [
    ("tramadol retard 200mg bd", 400, 80, False),  # the 400 mg maximum: at
    ("tramadol SR 200mg bd", 400, 80, False),
    ("Tramadol Retard 150 mg c/12h", 300, 60, False),
    ("tramadol LP 100 mg c/12h", 200, 40, False),
    ("tramadol lp 200mg cada 8 horas", 600, 120, True),
    ("tramadol retard 200mg tds", 600, 120, True),
])
def test_a_modified_release_tramadol_is_counted_against_its_maximum_and_in_mme(name, daily, mme, over):
    report = _report([(name, None)])
    row = _row(report, "tramadol")
    assert row.current_daily_dose_mg == daily and row.over_max is over
    assert report.current_daily_mme == pytest.approx(mme)


def test_an_extended_release_etodolac_written_lp_is_not_checked_against_the_immediate_release_maximum():
    report = _report([("etodolac lp 600mg bd", None)])
    assert not any(c.generic == "etodolac" and c.kind == "label_max" for c in report.dose_checks)


# ------------------------------------------------------------------ Zaldiar, tramadol/paracetamol (H-MED-684)
@pytest.mark.parametrize("name, tablets", [("zaldiar 2 comp c/6h", 8), ("Zaldiar 2 tabs qds", 8),
                                           ("tramadol/paracetamol 37.5/325 2 tabs c/6h", 8),
                                           ("zaldiar 1 comprimido cada 8 horas", 3)])
def test_zaldiar_counts_both_components(name, tablets):
    data = load_medicine_data()
    assert data.resolve(name)[0] == ("tramadol", "acetaminophen")
    report = _report([(name, None)])
    assert _row(report, "tramadol").current_daily_dose_mg == pytest.approx(37.5 * tablets)
    assert _row(report, "acetaminophen").current_daily_dose_mg == pytest.approx(325 * tablets)
    assert report.current_daily_mme == pytest.approx(37.5 * tablets * 0.2)
    assert not report.dose_checks  # 8 tablets: at the product's maximum, not above


def test_zaldiar_above_eight_tablets_is_above_its_maximum():
    report = _report([("zaldiar 3 comp c/6h", None)])  # 12 tablets: tramadol 450 mg
    assert {(c.generic, c.limit_mg) for c in report.dose_checks} >= {("tramadol", 300.0)}
    assert _row(report, "tramadol").over_max


def test_zaldiar_paracetamol_adds_to_other_paracetamol():
    report = _report([("zaldiar 2 comp c/6h", None), ("paracetamol 1g c/8h", None)])
    row = _row(report, "acetaminophen")
    assert row.current_daily_dose_mg == 5600 and row.over_max  # 2,600 + 3,000 mg: above 4,000


def test_zaldiar_tramadol_adds_to_other_tramadol():
    report = _report([("Zaldiar 2 tabs qds", None), ("tramadol 100mg bd", None)])
    assert _row(report, "tramadol").current_daily_dose_mg == 500 and _row(report, "tramadol").over_max
    assert report.current_daily_mme == pytest.approx(100.0)


def test_zaldiar_with_no_regimen_says_its_dose_is_not_known():
    report = _report([("Zaldiar", None)])
    assert any("dose of each component is not recorded" in r.text for r in _row(report, "tramadol").reasons)


# ------------------------------------------------------------------ dexketoprofen, Enantyum (H-MED-685)
@pytest.mark.parametrize("name", ["dexketoprofeno", "Enantyum", "enantyum 25 mg", "dexketoprofeno 25 mg c/8h"])
def test_dexketoprofen_in_spanish_and_its_brand_are_an_nsaid(name):
    data = load_medicine_data()
    assert data.resolve(name)[0] == ("dexketoprofen",)
    anticoagulated = _report([(name, None), ("apixaban", None)])
    assert [ix.severity for ix in anticoagulated.interactions if ix.rule == "ix-nsaid-anticoagulant"] == ["avoid"]
    two = _report([(name, None), ("ibuprofen", None)])
    assert [ix.severity for ix in two.interactions if ix.rule == "ix-two-nsaids"] == ["avoid"]
    assert [ix.severity for ix in _report([(name, None), ("methotrexate 15mg/week", None)]).interactions
            if ix.rule == "ix-nsaid-methotrexate"] == ["avoid"]


@pytest.mark.parametrize("name, daily, over", [
    ("Enantyum 25 mg c/8h", 75, False),  # the SmPC's 75 mg: at
    ("dexketoprofeno 25 mg c/8h", 75, False),
    ("Enantyum 25mg c/6h", 100, True),
    ("dexketoprofeno 12,5 mg c/6h", 50, False),
])
def test_dexketoprofen_is_checked_against_its_75_mg_maximum(name, daily, over):
    report = _report([(name, None)])
    hits = [c for c in report.dose_checks if c.generic == "dexketoprofen"]
    assert bool(hits) is over
    if over:
        assert hits[0].limit_mg == 75 and hits[0].daily_mg == daily
    else:
        assert _reading(name).components == (("dexketoprofen", float(daily)),)


# ------------------------------------------------------------------ words moved into data (H-MED-686)
@pytest.mark.parametrize("week, once", [
    ("weekly", True), ("semanal", True), ("semanalmente", True), ("once a week", True), ("una vez por semana", True),
    ("1 vez por semana", True), ("1 x semana", True), ("1x semana", True), ("on mondays", True),
    ("a week", False), ("each week", False), ("semana", False), ("1xsemana", False), ("2 x semana", False),
    ("twice weekly", False),
])
def test_the_once_a_week_words_come_from_the_data(week, once):
    reading = load_medicine_data().name_reading
    assert _says_once_a_week(week, reading) is once
    assert _says_once_a_week(week, None) is once  # the shipped data when no reading is given


@pytest.mark.parametrize("text, hours", [
    ("every 72 hours", 72.0), ("cada 72 horas", 72.0), ("c/72h", 72.0), ("c/ 72 h", 72.0), ("q72h", 72.0),
    ("72 hourly", 72.0), ("72-hourly", 72.0), ("every 3 days", 72.0), ("cada 3 días", 72.0), ("c/3d", 72.0),
    ("every 3.5 days", 84.0), ("cada 3,5 dias", 84.0), ("every 7 days", 168.0), ("twice weekly", 84.0),
    ("weekly", 168.0),
])
def test_patch_change_intervals_are_read_from_the_data_words(text, hours):
    found = patch_intervals_written(f"fentanyl 25mcg/h patch {text}")
    assert [h for h, _w, _s in found] == [hours]


@pytest.mark.parametrize("text", ["every 72 hoursx", "xcada 72 horas", "72 hrsly", "q72hr"])
def test_patch_interval_words_glued_to_other_letters_are_not_intervals(text):
    assert patch_intervals_written(f"fentanyl 25mcg/h patch {text}") == []


def test_the_patch_interval_words_are_checked_when_loaded():
    def cite(where, source):
        return "s", ()

    class Cls:
        generic_classes = {"fentanyl": ("opioid",)}

    good = {"source": ["x"], "fentanyl": [72], "words": {"every": ["every"], "hours": ["hours", "h"]}}
    assert _load_patch_intervals({"patch_change_intervals": good}, Cls, cite)["patch_interval_words"] == {
        "every": ("every",), "hours": ("hours", "h")}
    for bad in ({"every": "every"}, {"every": ["Every"]}, {"weeks": ["week"]}, {"hours": []}):
        with pytest.raises(MedicineDataError, match="words"):
            _load_patch_intervals({"patch_change_intervals": {**good, "words": bad}}, Cls, cite)
