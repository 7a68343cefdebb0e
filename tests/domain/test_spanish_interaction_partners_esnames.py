"""esnames: interaction partners written in Spanish are recognised, so their alerts are said (H-MED-687, H-MED-688).

Before: a Spanish clinic's list "Nolotil 575 mg", "sertralina 50 mg", "ciclosporina", "valproato", "ácido valproico",
"bupropión", "Adiro 100" raised no metamizole interaction at all: every partner was NOT RECOGNISED (only its English
or UK name was), so the metamizole SmPC's enzyme-induction caution (bupropion, methadone, valproate, ciclosporin,
tacrolimus, sertraline) and its low-dose aspirin caution were silent, and so were the NSAID alerts with an SSRI,
ciclosporin or an antiplatelet.

Primary sources (resources/medicines/sources.toml):
- ``spanish-inn-metamizole-partners``: the AEMPS fichas técnicas on CIMA: Sandimmun Neoral (FT 60320) "Cada cápsula
  contiene 25 mg de ciclosporina"; Depakine (FT 48828) "valproato sódico"; Bupropión cinfa (FT 81595) "bupropión
  hidrocloruro"; Adiro 100 mg (FT 62825) "ácido acetilsalicílico, 100 mg"; sertralina (an AEMPS ficha técnica read
  in a copy).
- ``spanish-inn-other-partners`` [unverified]: the Spanish INN spellings of the other partners (fluoxetina, litio,
  enoxaparina, furosemida, losartán, fenitoína ...).
- ``metamizole-smpc-interactions`` (the ix-metamizole-* rules), ``aspirin-fda-low-dose`` (a strength below 300 mg with
  no regimen is low-dose aspirin: an antiplatelet).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data

from helpers.medicines import example_report as _report


def _interactions(report, rule):
    return [ix for ix in report.interactions if ix.rule == rule]


def _rules(report, drug):
    return {r.rule for row in report.rows if row.drug == drug for r in row.reasons}


@pytest.mark.parametrize("name, generic", [
    ("sertralina", "sertraline"),
    ("Sertralina 50 mg", "sertraline"),
    ("sertralina hidrocloruro", "sertraline"),
    ("ciclosporina", "cyclosporine"),
    ("Sandimmun Neoral 100 mg", "cyclosporine"),
    ("valproato", "valproate"),
    ("valproato sódico 500 mg", "valproate"),
    ("valproato sodico", "valproate"),
    ("ácido valproico", "valproate"),
    ("acido valproico", "valproate"),
    ("Depakine 500 mg", "valproate"),
    ("bupropión", "bupropion"),
    ("bupropion", "bupropion"),
    ("bupropión hidrocloruro 150 mg", "bupropion"),
    ("Elontril 150 mg", "bupropion"),
    ("Adiro 100", "aspirin"),
    ("ácido acetilsalicílico 100 mg", "aspirin"),
    ("acido acetilsalicilico", "aspirin"),
    # the other partners' Spanish generic names, with and without the accent where it has one
    ("fluoxetina 20 mg", "fluoxetine"),
    ("venlafaxina", "venlafaxine"),
    ("duloxetina", "duloxetine"),
    ("litio", "lithium"),
    ("carbonato de litio", "lithium"),
    ("enoxaparina", "enoxaparin"),
    ("heparina", "heparin"),
    ("furosemida 40 mg", "furosemide"),
    ("hidroclorotiazida", "hydrochlorothiazide"),
    ("espironolactona", "spironolactone"),
    ("losartán 50 mg", "losartan"),
    ("prednisolona", "prednisolone"),
    ("dexametasona", "dexamethasone"),
    ("fenitoína", "phenytoin"),
    ("fenitoina", "phenytoin"),
    ("carbamazepina", "carbamazepine"),
    ("omeprazol 20 mg", "omeprazole"),
    ("clordiazepóxido", "chlordiazepoxide"),
    ("ácido mefenámico", "mefenamic acid"),
    ("dexketoprofeno", "dexketoprofen"),
])
def test_the_spanish_name_is_recognised_as_its_medicine(name, generic):
    data = load_medicine_data()
    assert data.resolve(name)[0] == (generic,)


@pytest.mark.parametrize("partner", ["sertralina 50 mg", "ciclosporina", "valproato", "ácido valproico",
                                     "acido valproico", "bupropión", "bupropion", "Depakine 500 mg", "Elontril 150 mg",
                                     "Sandimmun Neoral 100 mg", "metadona"])
def test_nolotil_with_a_spanish_named_partner_gives_the_enzyme_induction_caution(partner):
    hits = _interactions(_report([("Nolotil 575 mg", None), (partner, None)]), "ix-metamizole-enzyme-induction")
    assert len(hits) == 1 and hits[0].severity == "caution" and "CYP3A4" in hits[0].text


@pytest.mark.parametrize("aspirin", ["Adiro 100", "adiro 100 mg", "ácido acetilsalicílico 100 mg"])
def test_metamizol_with_adiro_gives_the_low_dose_aspirin_caution(aspirin):
    report = _report([("metamizol", None), (aspirin, None)])
    hits = _interactions(report, "ix-metamizole-aspirin")
    assert len(hits) == 1 and hits[0].severity == "caution" and "low-dose aspirin" in hits[0].text


def test_adiro_100_is_low_dose_aspirin_an_antiplatelet_not_an_nsaid():
    report = _report([("ibuprofeno 400 mg", None), ("Adiro 100", None)])
    rules = _rules(report, "ibuprofen")
    assert "nsaid-antiplatelet" in rules
    assert not any(n.rule == "aspirin-analgesic-dose" for n in report.current_notes)


@pytest.mark.parametrize("partner, rule_word", [
    ("sertralina 50 mg", "SSRI"),
    ("ciclosporina", "ciclosporin"),
    ("fluoxetina 20 mg", "SSRI"),
])
def test_ibuprofeno_with_a_spanish_named_partner_is_no_longer_silent(partner, rule_word):
    report = _report([("ibuprofeno 400 mg", None), (partner, None)])
    row = next(r for r in report.rows if r.drug == "ibuprofen")
    assert any(rule_word in r.text for r in row.reasons)


def test_without_a_partner_nolotil_has_no_interaction():
    report = _report([("Nolotil 575 mg", None), ("paracetamol 1 g", None)])
    assert not [ix for ix in report.interactions if ix.rule.startswith("ix-metamizole")]


@pytest.mark.parametrize("name", ["sertralina", "ciclosporina", "valproato", "bupropión", "Adiro 100", "litio",
                                  "losartán"])
def test_a_recognised_spanish_name_is_no_longer_reported_as_not_recognised(name):
    report = _report([("ibuprofeno 400 mg", None), (name, None), ("zzz-no-such-medicine", None)])
    unrecognised = [str(u).lower() for u in report.unrecognised_medicines]
    assert any("zzz-no-such-medicine" in u for u in unrecognised)  # the list is read: an unknown name is in it
    assert not any(name.lower() in u for u in unrecognised)
