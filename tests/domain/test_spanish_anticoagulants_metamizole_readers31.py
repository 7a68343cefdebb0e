"""readers31: the Spanish generic names of the anticoagulants and prednisone, and metamizole (H-MED-625, H-MED-626).

Before: "ibuprofeno 600 mg c/8h" with "acenocumarol" (Sintrom) gave no NSAID-anticoagulant alert, as "acenocumarol",
"warfarina", "apixabán", "rivaroxabán" and "prednisona" were NOT RECOGNISED (only the brands were); "metamizol"
(Nolotil, the analgesic Spain prescribes most with paracetamol) was not recognised either, so its dose was never
checked.

Primary sources (resources/medicines/sources.toml):
- ``spanish-inn-anticoagulant-steroid``: Sintrom ficha técnica (AEMPS CIMA FT 25670) "Cada comprimido contiene 1 mg de
  acenocumarol"; Aldocumar (CIMA FT 63063) "cada comprimido contiene warfarina sódica"; rivaroxabán, apixabán as
  Spanish sources write them; prednisona [unverified].
- ``metamizole-nolotil-ft``: Nolotil 575 mg cápsulas (CIMA FT 47633) section 4.2: 575 mg up to 6 times a day, "una
  dosis máxima diaria de 3.450 mg".
- ``acg-2009`` (the rules nsaid-anticoagulant, avoid; nsaid-corticosteroid, caution).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data

from helpers.medicines import example_report as _report


def _rules(report, drug):
    return {r.rule for row in report.rows if row.drug == drug for r in row.reasons}


@pytest.mark.parametrize("name, generic, cls", [
    ("acenocumarol", "acenocoumarol", "anticoagulant"),
    ("Acenocumarol", "acenocoumarol", "anticoagulant"),
    ("warfarina", "warfarin", "anticoagulant"),
    ("warfarina sódica", "warfarin", "anticoagulant"),
    ("apixabán", "apixaban", "anticoagulant"),
    ("rivaroxabán", "rivaroxaban", "anticoagulant"),
    ("dabigatrán", "dabigatran", "anticoagulant"),
    ("edoxabán", "edoxaban", "anticoagulant"),
    ("prednisona", "prednisone", "systemic_corticosteroid"),
    ("metamizol", "metamizole", "metamizole"),
    ("metamizol magnésico", "metamizole", "metamizole"),
    ("dipirona", "metamizole", "metamizole"),
    ("Nolotil", "metamizole", "metamizole"),
])
def test_the_spanish_name_is_recognised_as_its_medicine(name, generic, cls):
    data = load_medicine_data()
    assert data.resolve(name)[0] == (generic,)
    assert generic in data.class_members[cls]


@pytest.mark.parametrize("anticoagulant", ["acenocumarol", "Sintrom", "warfarina", "apixabán", "rivaroxabán",
                                           "acenocumarol 4 mg"])
def test_ibuprofeno_with_a_spanish_named_anticoagulant_is_avoid(anticoagulant):
    report = _report([("ibuprofeno 600 mg c/8h", None), (anticoagulant, None)])
    assert "nsaid-anticoagulant" in _rules(report, "ibuprofen")
    assert next(r for r in report.rows if r.drug == "ibuprofen").status == "avoid"


def test_ibuprofeno_alone_has_no_anticoagulant_alert():
    assert "nsaid-anticoagulant" not in _rules(_report([("ibuprofeno 600 mg c/8h", None)]), "ibuprofen")


def test_ibuprofeno_with_prednisona_gives_the_corticosteroid_caution():
    report = _report([("ibuprofeno 600 mg c/8h", None), ("prednisona 30 mg al día", None)])
    assert "nsaid-corticosteroid" in _rules(report, "ibuprofen")
    assert next(r for r in report.rows if r.drug == "prednisone").current_daily_dose_mg == 30


def test_metamizole_is_said_to_be_checked_only_for_its_dose():
    report = _report([("metamizol", None)])
    notes = [n for n in report.current_notes if n.rule == "metamizole-not-checked"]
    assert notes and "NOT checked here" in notes[0].text


@pytest.mark.parametrize("name, mg, over", [
    ("metamizol", 3450, False),  # the ficha técnica's 3,450 mg a day: at
    ("metamizol", 3451, True),
    ("metamizol 575mg 1 cap c/4h", None, False),  # 6 capsules: at
    ("metamizol 575mg 2 caps c/4h", None, True),  # 12 capsules, 6,900 mg
    ("Nolotil 575 mg 1 caps c/6h", None, False),
])
def test_metamizole_is_checked_against_its_daily_maximum(name, mg, over):
    report = _report([(name, mg)])
    checks = [(c.generic, c.limit_mg) for c in report.dose_checks if c.generic == "metamizole"]
    assert (checks == [("metamizole", 3450.0)]) is over
