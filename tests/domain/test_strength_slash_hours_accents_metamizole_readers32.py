"""readers32: a strength followed by a slash and hours, count words with their accents, and metamizole's interactions
(H-MED-638, H-MED-639, H-MED-640).

Before:
- "ibuprofen 800 mg/4h" (800 mg every 4 hours: 4,800 mg a day) and "paracetamol 1g/4h" (6 g a day) gave no dose alert:
  the hours after a strength were taken as a rate's (right only for a patch: "fentanyl 25mcg/72h"), so nothing was read
  or asked.
- "Nolotil 575 mg 1 cáps c/8h" was NOT RECOGNISED: "cáps" (the accented Spanish abbreviation) was no count word.
- Metamizole had no interaction rule: Nolotil with methotrexate said nothing.

Primary sources (resources/medicines/sources.toml):
- ``ibuprofen-label`` (us): do not exceed 3200 mg a day; ``ibuprofen-bnf-max`` (uk): 2400 mg a day for pain.
- ``acetaminophen-label``: 4000 mg a day.
- ``metamizole-nolotil-ft`` (CIMA FT 47633, 4.2): 575 mg up to 6 times a day, at most 3,450 mg a day.
- ``fentanyl-patch-label``: a patch's strength is micrograms an hour, worn 72 hours (routes.toml [patch_forms]);
  ``flector-label``: diclofenac also comes as a skin patch (routes.toml non_opioid_patches).
- ``spanish-prescription-wording``: "cap." cápsula and "comp." comprimido (Stoklosa and Ansel, Spanish edition).
- ``metamizole-smpc-interactions`` (metamizole SmPC 4.5): avoid with methotrexate (haematotoxicity); it lowers the
  levels of bupropion, methadone, valproate, ciclosporin, tacrolimus and sertraline (CYP2B6/3A4 induction): caution;
  caution with low-dose aspirin. ``aemps-metamizole-agranulocytosis-2018``: short courses (7 days at most), blood
  counts if longer, caution in older patients.
Boundaries at, below and above each maximum; a patch and a route by injection are left as before.
"""

from __future__ import annotations

import unicodedata

import pytest

from radiculopathy_desktop.domain.dose_in_name import load_name_reading
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.domain.medications import load_medicine_data

from helpers.medicines import (dose_check_texts as _checks, example_report as _report, recorded_reading as _reading,
                               report_row as _row)


# ------------------------------------------------------------------ a strength, a slash and the hours (H-MED-638)
@pytest.mark.parametrize("name, profile, drug, daily, over", [
    ("ibuprofen 800 mg/4h", "us", "ibuprofen", 4800, True),  # 6 doses of 800 mg: 1.5 times the label's 3200 mg
    ("ibuprofen 800mg/6h", "us", "ibuprofen", 3200, False),  # the label's 3200 mg: at
    ("ibuprofen 800mg/6h", "uk", "ibuprofen", 3200, True),  # above the BNF's 2400 mg
    ("ibuprofen 800mg/8h", "uk", "ibuprofen", 2400, False),  # the BNF's 2400 mg: at
    ("ibuprofen 400mg/8h", "uk", "ibuprofen", 1200, False),  # an ordinary dose: no alert
    ("ibuprofeno 600mg/8h", "uk", "ibuprofen", 1800, False),
    ("ibuprofeno 600 mg / 6 h", "uk", "ibuprofen", 2400, False),
    ("ibuprofeno 600 mg/4 horas", "uk", "ibuprofen", 3600, True),
    ("paracetamol 1g/4h", "us", "acetaminophen", 6000, True),  # 6 g a day: 1.5 times the 4 g maximum
    ("paracetamol 1g/6h", "us", "acetaminophen", 4000, False),  # 4 g: at
    ("paracetamol 500mg/4h", "uk", "acetaminophen", 3000, False),
    ("ibuprofen 1200mg/24h", "uk", "ibuprofen", 1200, False),  # once a day: the strength is the day's dose
    ("ibuprofen 2400mg/24h", "uk", "ibuprofen", 2400, False),
    ("ibuprofen 3200mg/24h", "uk", "ibuprofen", 3200, True),
])
def test_a_strength_with_a_slash_before_its_hours_is_a_dose_every_that_many_hours(name, profile, drug, daily, over):
    report = _report([(name, None)], profile=profile)
    row = _row(report, drug)
    assert row.current_daily_dose_mg == daily and row.over_max is over
    assert any(r.rule == "dose-read-from-name" for r in row.reasons)
    assert any(f"current dose {daily} mg/day is above" in r.text for r in row.reasons) is over


@pytest.mark.parametrize("slash, every", [
    ("ibuprofen 800 mg/4h", "ibuprofen 800 mg c/4h"),
    ("paracetamol 1g/6h", "paracetamol 1g every 6 hours"),
    ("ibuprofeno 600mg/8h", "ibuprofeno 600mg cada 8 horas"),
])
def test_the_slash_reads_as_every(slash, every):
    assert _reading(slash).components == _reading(every).components


@pytest.mark.parametrize("name, asked", [
    ("ibuprofen 400mg/5h", "not a whole number of times a day"),
    ("ibuprofen 400mg/72h", "not a whole number of times a day"),
    ("paracetamol 1g/1h", "every hour"),
])
def test_hours_after_a_strength_that_give_no_whole_frequency_are_asked(name, asked):
    reading = _reading(name)
    assert reading is not None and not reading.read and asked in reading.problem
    assert any(asked in text for text in _checks(_report([(name, None)])))


@pytest.mark.parametrize("name, mme", [
    ("fentanyl 25mcg/72h", 60.0),  # a 25 mcg/h patch worn 72 hours: 25 x 2.4, as before
    ("fentanyl 25 mcg/h", 60.0),
    ("fentanyl 50mcg/72h", 120.0),
])
def test_a_fentanyl_patch_keeps_its_rate(name, mme):
    assert _reading(name) is None
    assert _report([(name, None)]).current_daily_mme == pytest.approx(mme)


@pytest.mark.parametrize("name", ["buprenorphine 5 mcg/h", "buprenorphine 10mcg/168h", "BuTrans 5 mcg/h"])
def test_a_buprenorphine_patch_is_read_as_before(name):
    assert _reading(name) is None


def test_a_medicine_that_also_comes_as_a_patch_is_asked():
    # diclofenac comes as a skin patch too (Flector): "/8h" may be how long a patch is worn
    reading = _reading("diclofenac 50mg/8h")
    assert reading is not None and not reading.read and "skin patch" in reading.problem
    # written with an oral form, it is every 8 hours: 150 mg a day
    assert _reading("diclofenaco 50 mg comp/8h").components == (("diclofenac", 150.0),)


def test_a_route_by_injection_is_still_asked_and_an_opioid_by_mouth_is_counted():
    asked = _reading("morphine 10mg/4h sc")
    assert asked is not None and not asked.read and "given by injection" in asked.problem
    assert _reading("morphine 10mg/4h").components == (("morphine", 60.0),)
    assert _report([("morphine 10mg/4h", None)]).current_daily_mme == pytest.approx(60.0)


def test_a_recorded_dose_still_wins():
    assert _reading("ibuprofen 400mg/8h", 1200) is None  # the same dose: nothing to say
    conflict = _reading("ibuprofen 400mg/8h", 2400)
    assert conflict is not None and conflict.recorded_mg == 2400 and "/8h" in conflict.conflict


# ------------------------------------------------------------------ count words with their accents (H-MED-639)
NFD_CAPS = unicodedata.normalize("NFD", "cáps")


@pytest.mark.parametrize("name, capsules, daily", [
    ("Nolotil 575 mg 1 cáps c/8h", 3, 1725),
    ("Nolotil 575 mg 1 cáps. c/8h", 3, 1725),
    (f"Nolotil 575 mg 1 {NFD_CAPS} c/8h", 3, 1725),  # the accent typed as a combining mark
    ("NOLOTIL 575 MG 1 CÁPS C/8H", 3, 1725),
    ("metamizol 575 mg 1 cáp c/6h", 4, 2300),
    ("Nolotil 575 mg 1 cáps c/4h", 6, 3450),  # the ficha técnica's 6 capsules: at
    ("Nolotil 575 mg 2 cáps c/6h", 8, 4600),
])
def test_caps_with_its_accent_is_a_count_of_capsules(name, capsules, daily):
    data = load_medicine_data()
    assert data.resolve(name)[0] == ("metamizole",)
    reading = _reading(name)
    assert reading.tablets == capsules and reading.components == (("metamizole", float(daily)),)
    assert reading.units_said == "capsules"


@pytest.mark.parametrize("name, over", [
    ("Nolotil 575 mg 1 cáps c/4h", False),  # 3,450 mg: at
    ("Nolotil 575 mg 2 cáps c/6h", True),  # 4,600 mg
    ("Nolotil 575 mg 2 cáps c/4h", True),  # 6,900 mg
])
def test_nolotil_in_caps_is_checked_against_its_maximum(name, over):
    report = _report([(name, None)])
    assert (("metamizole", 3450.0) in [(c.generic, c.limit_mg) for c in report.dose_checks]) is over
    assert any(n.rule == "metamizole-not-checked" for n in report.current_notes)  # recognised as metamizole


@pytest.mark.parametrize("name, daily", [
    ("ibuprofeno 600 mg 1 comprim. c/8h", 1800),
    ("ibuprofeno 600 mg 1 comp. c/8h", 1800),
    ("ibuprofeno 400 mg 2 comprim c/8h", 2400),
    ("ibuprofeno 600mg 1 cápsula cada 8 horas", 1800),
    ("ibuprofeno 600mg 1 capsula cada 8 horas", 1800),
])
def test_spanish_count_abbreviations_are_counted(name, daily):
    assert _reading(name).components == (("ibuprofen", float(daily)),)


def test_an_accented_count_word_counts_without_its_accent_too():
    # the data lists the accented word; the plain spelling is read as the same word, and counts the same thing
    reading = load_name_reading({"count_words": ["cápsulas", "tabs"], "count_units": {"cápsulas": "capsules"}}, "x")
    assert {"cápsulas", "capsulas", "tabs"} <= reading.count_words
    assert reading.count_units["capsulas"] == "capsules" == reading.count_units["cápsulas"]
    data = load_medicine_data()
    assert {"cáps", "caps", "cáp", "cap", "comprim"} <= data.name_reading.count_words


# ------------------------------------------------------------------ metamizole's interactions (H-MED-640)
def _interactions(report, rule):
    return [ix for ix in report.interactions if ix.rule == rule]


@pytest.mark.parametrize("profile", ["us", "uk"])
@pytest.mark.parametrize("metamizole, methotrexate", [
    ("Nolotil 575 mg 1 cáps c/8h", "metotrexato 10 mg semanal"),
    ("metamizol", "methotrexate 2.5mg weekly"),
    ("dipyrone 500mg", "methotrexate"),
])
def test_metamizole_with_methotrexate_is_avoid(metamizole, methotrexate, profile):
    report = _report([(metamizole, None), (methotrexate, None)], profile=profile)
    hits = _interactions(report, "ix-metamizole-methotrexate")
    assert len(hits) == 1 and hits[0].severity == "avoid"
    assert "blood count" in hits[0].text and "avoid the combination" in hits[0].text
    assert "CIMA FT 47633" in hits[0].source  # says the Spanish ficha técnica's 4.5 was not read
    assert any(a.kind == "interaction" and a.status == "avoid" for a in medicine_alerts(report))


@pytest.mark.parametrize("other", ["bupropion 150mg", "Wellbutrin", "methadone 30mg", "metadona", "valproate 500mg",
                                   "ciclosporin 100mg", "Sandimmun", "tacrolimus 1mg", "sertraline 50mg"])
def test_metamizole_lowers_the_levels_of_the_medicines_its_smpc_names(other):
    hits = _interactions(_report([("Nolotil", None), (other, None)]), "ix-metamizole-enzyme-induction")
    assert len(hits) == 1 and hits[0].severity == "caution" and "CYP3A4" in hits[0].text


def test_metamizole_with_aspirin_is_a_caution():
    hits = _interactions(_report([("Nolotil", None), ("aspirin 75mg", None)]), "ix-metamizole-aspirin")
    assert len(hits) == 1 and hits[0].severity == "caution" and "platelets" in hits[0].text


@pytest.mark.parametrize("meds", [
    ["Nolotil"],
    ["methotrexate 10mg weekly"],
    ["Nolotil", "fluoxetine 20mg"],  # not named by the SmPC
    ["Nolotil", "paracetamol 1g"],
    ["Nolotil", "lamotrigine 100mg"],
    ["ibuprofen 400mg", "sertraline 50mg"],  # another rule's pair, not metamizole's
])
def test_no_metamizole_interaction_without_both_sides(meds):
    report = _report([(m, None) for m in meds])
    assert not [ix for ix in report.interactions if ix.rule.startswith("ix-metamizole")]


def test_the_metamizole_caution_says_what_is_checked_and_cites_the_aemps_note():
    report = _report([("Nolotil 575 mg 1 cáps c/8h", None)])
    note = next(n for n in report.current_notes if n.rule == "metamizole-not-checked")
    assert "interactions with methotrexate" in note.text and "efavirenz" in note.text
    assert "kidney, liver and pregnancy cautions are NOT checked" in note.text
    assert "7 days at most" in note.text and "agranulocytosis" in note.text
    assert "MUH (FV) 15/2018" in note.source
