"""The patient's sheet for a medicine named as clinicians type it (cmb17): the name as typed,
a regimen in it read into tablets a day, its maximum, and never "keep taking" a dose that cannot
be read or that the recorded dose contradicts (en and es).

Sources (resources/medicines/sources.toml): NHS co-codamol for adults ("maximum dose is 8
co-codamol tablets in 24 hours"; 500 mg paracetamol a tablet); acetaminophen label maximum 4000 mg
a day; Naprosyn 1000 mg a day ongoing; the BNF's prescription abbreviations (copies [unverified]).
Boundaries: 8 tablets (at the maximum) and 9 (just above).
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handouts as h

from tests.domain.test_combination_doses import _sheet


def test_a_regimen_in_the_name_is_the_sheets_tablets_a_day():
    name = "co-codamol 30\u2044500 2 tablets four times a day"
    text, req = _sheet([(name, None)], "med_acetaminophen", "en")
    assert f"keep taking your {name} (8 tablets a day)" in text
    assert "too high" not in text
    assert any("read from the name (2 tablets four times a day) as 8 tablets a day of 30/500" in n
               for n in h.dose_notices(req))
    es, _ = _sheet([(name, None)], "med_acetaminophen", "es")
    # plainwords (H-MED-647): the Spanish sheet says the regimen in Spanish, the rest of the name as typed; esnames
    # (H-MED-689): the count of tablets too ("2 comprimidos", never the English "2 tablets" on a Spanish sheet)
    assert "siga tomando su co-codamol 30\u2044500 2 comprimidos cuatro veces al día (8 comprimidos al día)" in es


@pytest.mark.parametrize("lang, words", [
    # coco34 (H-MED-708): co-codamol holds codeine too: the box names the product and the prescriber changes it
    ("en", "acetaminophen 4500 mg a day (for you, the most is 4000 mg a day). Contact your prescriber today"),
    ("es", "paracetamol 4500 mg al día (para usted, lo máximo es 4000 mg al día). Llame hoy a quien se lo recetó"),
])
def test_nine_tablets_read_from_the_name_are_above_the_maximum(lang, words):
    text, _ = _sheet([("co-codamol 30/500 3 tablets tds", None)], "med_acetaminophen", lang)
    assert words in text and "keep taking" not in text and "siga tomando" not in text


@pytest.mark.parametrize("meds", [
    [("co-codamol 30/500 1-2 tablets qds", None)],  # a range
    [("co-codamol 30/500 2 tablets qds", 360)],  # the recorded 12 tablets against the name's 8
])
def test_an_unreadable_or_contradicted_regimen_is_never_keep_taking(meds):
    name = meds[0][0]
    text, req = _sheet(meds, "med_acetaminophen", "en")
    if meds[0][1] is None:
        # sheetwords F6 / plainwords (H-MED-647): the regimen in plain words, never "qds", in a sentence that reads
        assert ("Your record says you take co-codamol 30/500 1-2 tablets (four times a day), but not clearly how "
                "much of it you take in a day") in text
        assert any("record the daily dose or correct the name" in n for n in h.dose_notices(req))
    else:  # the recorded 12 tablets are over the maximum, and the notes name the name's 8 too
        assert "gives you acetaminophen 6000 mg a day (for you, the most is 4000 mg a day)" in text  # coco34
        report_notes = " ".join(h.dose_notices(req))
        assert "the name says 2 tablets qds (8 tablets a day" in _all_checks(meds)
    assert "keep taking" not in text
    es, _ = _sheet(meds, "med_acetaminophen", "es")
    assert "siga tomando" not in es


def _all_checks(meds):
    from tests.domain.test_combination_doses import _report

    report = _report(meds)
    return " ".join([c.text for c in report.dose_checks])


def test_a_single_medicine_contradicted_by_its_name_asks_before_the_next_dose():
    # sheetwords F6 / plainwords (H-MED-647): "bd" said in plain words in each language, in a sentence that reads
    for lang, words in (("en", "Your record says you take naproxen 500 (twice a day), but not clearly how much of "
                               "it you take in a day"),
                        ("es", "Su historia dice que toma naproxeno 500 (dos veces al día), pero no dice con claridad "
                               "cuánto toma al día")):
        text, req = _sheet([("naproxen 500 bd", 1500)], "med_nsaid", lang)
        assert words in text and "keep taking" not in text and "siga tomando" not in text
    assert any("the name says bd (2 doses a day: naproxen 1000 mg a day) but the dose recorded is 1500 mg a day" in n
               for n in h.dose_notices(req))


def test_the_fhir_statement_gives_the_dose_read_from_the_name(examples):
    """The MedicationStatement's dosage says how the dose was read from the name (no dose
    recorded), and a name and a recorded dose that disagree are a dose to check (DOSEH)."""
    from tests.reports.test_fhir_medicines import _bundle, _of, _with
    from radiculopathy_desktop.domain.intake import Medicine

    bundle = _bundle(_with(examples["routine_l5_acute"], [Medicine("co-codamol 30/500 3 tablets tds", None)]), "uk")
    (statement,) = _of(bundle, "MedicationStatement")
    assert (  # under uk: paracetamol (uk17)
            "co-codamol 30/500 3 tablets tds: no daily dose recorded, read from the name (3 tablets tds) as 9 tablets "
            "a day of 30/500 (codeine 270 mg, paracetamol 4500 mg a day)") in statement.dosage[0].text
    details = [i.detail for i in _of(bundle, "DetectedIssue") if i.code.coding[0].code == "DOSEH"]
    assert any("4500 mg/day" in d for d in details)
    bundle = _bundle(_with(examples["routine_l5_acute"], [Medicine("naproxen 500 bd", 1500.0)]))
    (statement,) = _of(bundle, "MedicationStatement")
    assert "check the dose: naproxen 500 bd: the name says bd" in statement.dosage[0].text
