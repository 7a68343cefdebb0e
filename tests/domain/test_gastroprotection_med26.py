"""med26 item 1 (H-MED-440): the gastroprotection medicines are recognised, and a patient
already taking one is told so beside the NSAID rows' "add gastroprotection".

Written from the sources (resources/medicines/sources.toml):
* the five proton pump inhibitors sold in the UK (omeprazole, esomeprazole, lansoprazole,
  pantoprazole, rabeprazole) and the H2-receptor antagonist famotidine; brands from the BNF and
  DailyMed listings (Losec, Prilosec, Nexium, Zoton, Prevacid, Protium, Protonix, Pariet, Aciphex,
  Pepcid), Vimovo = naproxen + esomeprazole, Duexis = ibuprofen + famotidine, Arthrotec =
  diclofenac + misoprostol (openFDA NDC 0025-1411);
* ppi-nsaid-gastroprotection (NICE CKS NSAIDs prescribing issues): gastroprotection with an
  NSAID is a PPI; standard-dose H2-receptor antagonists do not prevent NSAID gastric ulcers;
* ranitidine-withdrawn-2020: the FDA asked for all ranitidine to be withdrawn (1 April 2020);
  "Zantac 360" is famotidine in the US, so a bare "Zantac" is read as neither.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import assess_medications, load_medicine_data

from tests.domain.test_medications import VISIT, intake


def resolve(name):
    return load_medicine_data().resolve(name)[0]


@pytest.mark.parametrize("typed, generics", [
    ("omeprazole 20mg", ("omeprazole",)), ("Losec 20 mg capsules", ("omeprazole",)), ("Prilosec", ("omeprazole",)),
    ("esomeprazole 40mg", ("esomeprazole",)), ("Nexium 20mg", ("esomeprazole",)),
    ("lansoprazole 15mg", ("lansoprazole",)), ("Zoton", ("lansoprazole",)), ("Prevacid", ("lansoprazole",)),
    ("pantoprazole 40 mg", ("pantoprazole",)), ("Protium", ("pantoprazole",)), ("Protonix", ("pantoprazole",)),
    ("rabeprazole 10mg", ("rabeprazole",)), ("Pariet", ("rabeprazole",)), ("Aciphex", ("rabeprazole",)),
    ("famotidine 20mg", ("famotidine",)), ("Pepcid", ("famotidine",)), ("Zantac 360", ("famotidine",)),
    ("ranitidine 150mg", ("ranitidine",)),
    ("Vimovo 500/20", ("naproxen", "esomeprazole")), ("Duexis", ("ibuprofen", "famotidine")),
    ("Arthrotec 50", ("diclofenac", "misoprostol")), ("Cytotec 200 mcg", ("misoprostol",)),
])
def test_each_gastroprotection_name_is_recognised(typed, generics):
    assert resolve(typed) == generics


def test_a_bare_zantac_is_not_read_as_either_medicine():
    # ranitidine was withdrawn, and "Zantac 360" is famotidine: the name alone could be either
    assert resolve("Zantac") == ()


def test_omeprazole_no_longer_makes_every_row_not_fully_checked():
    report = assess_medications(intake(age=40, scr=0.9, meds=[("omeprazole 20mg", None)]), VISIT)
    assert report.unrecognised_medicines == () and report.fully_checked
    assert all(row.fully_checked for row in report.rows)
    assert report.row("ibuprofen").status == "ok"


def _reason(row, rule):
    return next((r for r in row.reasons if r.rule == rule), None)


@pytest.mark.parametrize("meds, advice_rule", [
    ([("aspirin 75mg", None)], "nsaid-antiplatelet"),
    ([("prednisolone 5mg", None)], "nsaid-corticosteroid"),
    ([("sertraline 50mg", None)], "nsaid-ssri-snri"),
])
def test_a_ppi_taken_is_said_beside_the_gastroprotection_advice_and_changes_no_rating(meds, advice_rule):
    without = assess_medications(intake(age=50, scr=0.9, meds=meds), VISIT)
    with_ppi = assess_medications(intake(age=50, scr=0.9, meds=[*meds, ("lansoprazole 15mg", None)]), VISIT)
    for drug in ("ibuprofen", "naproxen"):
        before, after = without.row(drug), with_ppi.row(drug)
        assert _reason(before, advice_rule) is not None and _reason(after, advice_rule) is not None
        assert after.status == before.status  # the warning stands: the PPI lowers, not removes, the risk
        assert _reason(after, advice_rule).text == _reason(before, advice_rule).text
        said = _reason(after, "nsaid-ppi-taken")
        assert said is not None and said.severity == "info"
        assert "lansoprazole 15mg" in said.text and "proton pump inhibitor" in said.text
        assert "does not remove" in said.text
        assert _reason(before, "nsaid-ppi-taken") is None


def test_the_older_patients_avoid_rating_is_not_lowered_by_a_ppi():
    # Beers 2023: avoid an NSAID with an antiplatelet at 65 or over (unless alternatives failed and
    # gastroprotection is taken): the rating is the clinician's decision, never lowered by the data
    case = intake(age=70, scr=0.9, meds=[("clopidogrel", None), ("pantoprazole 40mg", None)])
    row = assess_medications(case, VISIT).row("naproxen")
    assert row.status == "avoid" and _reason(row, "nsaid-ppi-taken") is not None


def test_an_h2_antagonist_is_not_taken_for_gastroprotection():
    row = assess_medications(intake(age=50, scr=0.9, meds=[("aspirin", None), ("famotidine 20mg", None)]),
                             VISIT).row("ibuprofen")
    said = _reason(row, "nsaid-h2-antagonist-taken")
    assert said is not None and said.severity == "info"
    assert "does not prevent NSAID stomach ulcers" in said.text and "a PPI is" in said.text
    assert _reason(row, "nsaid-ppi-taken") is None
    assert row.status == "caution"


def test_no_gastroprotection_medicine_no_gastroprotection_line():
    row = assess_medications(intake(age=50, scr=0.9, meds=[("aspirin", None)]), VISIT).row("ibuprofen")
    assert _reason(row, "nsaid-ppi-taken") is None and _reason(row, "nsaid-h2-antagonist-taken") is None


def test_vimovo_holds_its_ppi():
    row = assess_medications(intake(age=50, scr=0.9, meds=[("aspirin", None), ("Vimovo 500/20", None)]),
                             VISIT).row("ibuprofen")
    assert "Vimovo 500/20" in _reason(row, "nsaid-ppi-taken").text


def test_ranitidine_is_recognised_and_said_to_be_withdrawn():
    report = assess_medications(intake(age=50, scr=0.9, meds=[("ranitidine 150mg", None)]), VISIT)
    assert report.fully_checked
    notes = [n for n in report.current_notes if n.rule == "ranitidine-withdrawn"]
    assert len(notes) == 1 and notes[0].severity == "info"
    assert "withdrawn from the market in 2020" in notes[0].text and "ranitidine 150mg" in notes[0].text
    famotidine = assess_medications(intake(age=50, scr=0.9, meds=[("famotidine", None)]), VISIT)
    assert not [n for n in famotidine.current_notes if n.rule == "ranitidine-withdrawn"]
