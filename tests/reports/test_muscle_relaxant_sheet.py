"""The muscle-relaxant sheet tells each patient their own medicine's points (mr16, H-MED-225).

Before: the sheet named the patient's tizanidine or baclofen but gave cyclobenzaprine's label
advice ("Use it for 2 to 3 weeks at most", "It often makes you sleepy", MAOIs, thyroid) and
none of their own: a baclofen patient was never told not to stop it suddenly, a tizanidine
patient never told that ciprofloxacin and fluvoxamine must not be taken with it.

Primary sources (resources/handouts/README.md, Source ids; read 2026-11-30):
- Tizanidine US prescribing information: "tizanidine is contraindicated in patients taking
  potent CYP1A2 inhibitors, such as fluvoxamine or ciprofloxacin" (5.5); hypotension (5.1);
  "Tizanidine use has been associated with hallucinations" (5.4); "Monitoring of
  aminotransferase levels is recommended at baseline and 1 month after maximum dose is
  achieved" (2.1); withdrawal "rebound hypertension, tachycardia, and hypertonia"; renal
  impairment (5.7). Read in copies of the label [unverified in the primary document].
- Baclofen prescribing information: "hallucinations and seizures have occurred on abrupt
  withdrawal of baclofen"; reduced dose in renal impairment; caution in epilepsy. Read in
  copies [unverified in the primary document].
- Cyclobenzaprine US label (the sheet's existing source): short-term use (2 to 3 weeks), MAOI
  contraindication, arrhythmias and recent myocardial infarction, hyperthyroidism.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medications import load_medicine_data
from radiculopathy_desktop.reports import handout_content as hc

from tests.domain.test_combination_doses import _sheet

SHEET = "med_muscle_relaxant"
MEMBERS = ["cyclobenzaprine", "tizanidine", "baclofen", "methocarbamol", "carisoprodol", "metaxalone",
           "orphenadrine"]
OWN = {  # each medicine's own points, in the sheet's two languages
    "cyclobenzaprine": {"en": ["Use it for 2 to 3 weeks at most", "MAOIs", "overactive thyroid",
                               "had a heart attack recently"],
                        "es": ["2 o 3 semanas como mucho", "IMAO", "tiroides demasiado activa", "infarto"]},
    "tizanidine": {"en": ["ciprofloxacin", "fluvoxamine", "blood test for your liver", "lower your blood pressure",
                          "do not stop it suddenly"],
                   "es": ["ciprofloxacino", "fluvoxamina", "análisis de sangre del hígado", "bajarle la tensión",
                          "la tensión y el pulso pueden subir"]},
    "baclofen": {"en": ["Do not stop taking it suddenly", "fits (seizures)", "epilepsy"],
                 "es": ["Dejarlo de golpe puede hacerle ver", "convulsiones", "epilepsia"]},
}
SHARED = {"en": ["Alcohol. It makes you much more sleepy.", "A rash, or swelling of your face, lips or throat.",
                 "Do not drive"],
          "es": ["Alcohol. Le dará mucho más sueño.", "se le hincha la cara", "No conduzca"]}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("generic", MEMBERS)
def test_a_patient_taking_a_muscle_relaxant_reads_its_own_points_and_no_other_ones(generic, lang):
    text, _ = _sheet([(generic, None)], SHEET, lang)
    low = text.lower()
    for words in SHARED[lang]:
        assert words.lower() in low, (generic, words)
    for other, points in OWN.items():
        for words in points[lang]:
            # carisoprodol's label gives the same 2 to 3 weeks as cyclobenzaprine's (uk17)
            shared = generic == "carisoprodol" and words in ("Use it for 2 to 3 weeks at most", "2 o 3 semanas como mucho")
            assert (words.lower() in low) is (other == generic or shared), (generic, other, words)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_each_heading_is_printed_once(lang):
    for generic in MEMBERS:
        _text, req = _sheet([(generic, None)], SHEET, lang)
        from radiculopathy_desktop.reports import handouts as h
        headings = [s.heading for s in h.filled_sheets(req)[0].sections]
        assert len(headings) == len(set(headings)), (generic, headings)


def test_baclofen_is_never_told_to_stop_the_pills():
    """Stopping baclofen suddenly can cause hallucinations and seizures: the "get help" box
    asks before the next dose, never "stop the pills"."""
    for lang, words in (("en", "stop the pills"), ("es", "deje las pastillas")):
        text, _ = _sheet([("baclofen", 30)], SHEET, lang)
        assert words not in text.lower()


def test_the_sections_name_only_muscle_relaxants_the_data_knows_and_agree_in_both_languages():
    members = load_medicine_data().class_members["muscle_relaxant"]
    en, es = hc.load_sheet(SHEET, "en"), hc.load_sheet(SHEET, "es")
    assert [s.medicines for s in en.sections] == [s.medicines for s in es.sections]
    named = {g for s in en.sections for g in s.medicines}
    assert named and named <= members
    # a section about one medicine follows a shared section of the same heading
    for before, section in zip(en.sections, en.sections[1:]):
        if section.medicines:
            assert before.heading == section.heading


def test_for_medicines_keeps_shared_sections_and_joins_a_medicines_own():
    sheet = hc.parse_sheet({
        "id": "x", "title": "T", "audience": "patient", "lang": "en", "reviewed": hc.datetime.date(2026, 11, 30),
        "sources": ["nice-ng59"], "medicine_class": "muscle_relaxant",
        "sections": [{"heading": "A", "bullets": ["shared"]},
                     {"heading": "A", "bullets": ["only b"], "medicines": ["baclofen"], "important": True},
                     {"heading": "A", "bullets": ["only t"], "medicines": ["tizanidine"]},
                     {"heading": "B", "paragraphs": ["p"]}]}, source="x")
    out = hc.for_medicines(sheet, ("baclofen",))
    assert [(s.heading, s.bullets, s.important) for s in out.sections] == [
        ("A", ("shared", "only b"), True), ("B", (), False)]
    assert [s.bullets for s in hc.for_medicines(sheet, ()).sections] == [("shared",), ()]


def test_only_a_medicine_sheet_has_sections_for_one_medicine():
    with pytest.raises(hc.HandoutFormatError, match="only a medicine sheet"):
        hc.parse_sheet({"id": "x", "title": "T", "audience": "patient", "lang": "en",
                        "reviewed": hc.datetime.date(2026, 11, 30), "sources": ["nice-ng59"],
                        "sections": [{"heading": "A", "bullets": ["b"], "medicines": ["baclofen"]}]}, source="x")


# --------------------------------------------------------------------------- the clinician's view agrees
def test_tizanidine_with_fluvoxamine_is_contraindicated_for_the_clinician_and_asked_about_on_the_sheet():
    """Tizanidine label 4 / 7.1: "Concomitant use of fluvoxamine and tizanidine is contraindicated"."""
    from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
    from tests.domain.test_combination_doses import _report

    for meds in ([("tizanidine", 12), ("fluvoxamine", 100)], [("Zanaflex", 12), ("Luvox", 100)]):
        report = _report(meds)
        assert [(i.severity, i.rule) for i in report.interactions] == [("contraindicated", "ix-tizanidine-fluvoxamine")]
        assert any(a.status == "contraindicated" and "fluvoxamine" in a.text for a in medicine_alerts(report))
        for lang, words in (("en", "Your dose: ask your clinician before your next dose whether to keep taking"),
                            ("es", "fluvoxamina")):
            text, _ = _sheet(meds, SHEET, lang)
            assert words in text and "Your dose: keep taking" not in text and "Su dosis: siga tomando" not in text
        english = _sheet(meds, SHEET, "en")[0]
        assert f"it should not be taken with your {meds[1][0].lower()}" in english  # named as recorded


def test_tizanidine_with_an_ssri_that_is_not_a_cyp1a2_inhibitor_is_not_contraindicated():
    from tests.domain.test_combination_doses import _report

    assert not _report([("tizanidine", 12), ("sertraline", 50)]).interactions


def test_ciprofloxacin_stays_not_fully_checked_for_the_clinician_and_the_sheet_warns_of_it():
    """Ciprofloxacin is not a recognised medicine: the clinician is told its interactions are
    not checked (never a silent "fully checked"); the tizanidine sheet names it."""
    from tests.domain.test_combination_doses import _report

    report = _report([("tizanidine", 12), ("ciprofloxacin", 1000)])
    assert [m.name for m in report.current_medicines if not m.recognised] == ["ciprofloxacin"]
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.reports import handouts as h
    from tests.domain.test_combination_doses import AS_OF, _case

    req = h.request_for_case(parse_case(_case([("tizanidine", 12), ("ciprofloxacin", 1000)])), AS_OF,
                             clinic_name="Clinic", clinic_contact="555", lang="en", sheets=[SHEET],
                             confirm_unrecognised=True)
    text = " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())
    assert "The antibiotic ciprofloxacin or the medicine for low mood fluvoxamine. Never take them with it" in text
