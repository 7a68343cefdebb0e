"""sheet28: the handout names every current medicine the medicine check rates Contraindicated or
Avoid, in English and Spanish, with the reason in plain words; a product containing misoprostol is
never "not safe from about 20 weeks"; a class NSAID at 30 weeks and over says why (H-MED-464..467).

Primary sources (resources/medicines/sources.toml):
- misoprostol-label (US misoprostol/Cytotec labels, boxed warning): administration to women who are
  pregnant "can cause birth defects, abortion, premature birth or uterine rupture"; it "should not be
  taken by pregnant women to reduce the risk of ulcers induced by NSAIDs"; for women of childbearing
  potential, only with effective contraception. arthrotec-label (US Arthrotec label, boxed warning):
  misoprostol, a component, given to pregnant women can cause uterine rupture, abortion, premature
  birth, birth defects. So: any week of a recorded pregnancy, never "from about 20 weeks".
- fda-nsaid-pregnancy-2020 (FDA Drug Safety Communication, 15 October 2020, and its podcast): "At
  around 30 weeks, NSAIDs can cause a problem that may result in heart issues in the unborn baby";
  mhra-nsaid-pregnancy-2023 (uk): contraindicated after 28 weeks (ductus arteriosus, fetal kidneys).
- clopidogrel-omeprazole-fda (Plavix label 7.1; FDA 2009, 2012): avoid omeprazole or esomeprazole
  with clopidogrel, they lower clopidogrel's active form and its effect; mhra-clopidogrel-ppi-2010:
  discouraged; other PPIs are not on the rule.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.helpers.nsaid_pregnancy_words import VAGUE, ask_20
from tests.reports.test_contraindicated_words_agree import AS_OF, case

MISO_EN = ("Do not take it: it contains misoprostol, which must not be taken at any time in pregnancy, as it can "
           "cause a miscarriage, birth defects or a baby born too early.")
MISO_ES = ("No lo tome: contiene misoprostol, que no debe tomarse en ningún momento del embarazo, ya que puede "
           "causar un aborto espontáneo, defectos de nacimiento o que el bebé nazca antes de tiempo.")
CLOP_EN = ("The medicine check says they should not be taken together: the stomach medicine can make clopidogrel "
           "work less well, so it may protect you less against a heart attack or stroke.")
CLOP_ES = ("La revisión de medicamentos dice que no deben tomarse juntos: el medicamento para el estómago puede "
           "hacer que el clopidogrel funcione peor, y que le proteja menos de un infarto o un ictus.")
NOT_EITHER_EN = "Do not stop either of them on your own."
NOT_EITHER_ES = "No deje ninguno de los dos por su cuenta."
WEEKS_20 = "These pills are not safe from about 20 weeks of pregnancy."
WEEKS_20_ES = "Estas pastillas no son seguras desde la semana 20 del embarazo, más o menos."


def handout(c, lang="en", profile="us", sheets=None):
    req = h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555", lang=lang, profile=profile,
                             sheets=sheets)
    return h.filled_sheets(req)


def text_of(sheets) -> str:
    return " ".join(" ".join(hc.plain_text(s) for s in sheets).split())


def alerted(c, profile="us"):
    return [a for a in medicine_alerts(assess_medications(c.intake, AS_OF, profile=profile))
            if a.status in ("contraindicated", "avoid")]


@pytest.mark.parametrize("name", ["misoprostol 200mcg", "Cytotec", "misoprostol 200 micrograms qds"])
@pytest.mark.parametrize("weeks", [0, 4, 12, 19, 20, 29, 30, 36])
def test_misoprostol_in_pregnancy_is_named_with_do_not_take_it_en_es(name, weeks):
    c = case([(name, None), ("ibuprofen 400mg tds", 1200)], weeks)
    assert any(a.status == "contraindicated" and name.lower() in a.medicines for a in alerted(c))
    en, es = text_of(handout(c)), text_of(handout(c, "es"))
    # plainwords (H-MED-647): "qds" said in plain words, after a comma at the sentence's end
    said = {"en": name.lower().replace(" qds", ", four times a day"), "es": name.lower().replace(" qds", ", cuatro veces al día")}
    assert f"Do not take it. You take {said['en']}. {MISO_EN}" in en
    assert f"No lo tome. Usted toma {said['es']}. {MISO_ES}" in es
    # said once, and the NSAID keeps its own sheet
    assert en.count(MISO_EN) == 1 and es.count(MISO_ES) == 1
    assert "Your medicine: anti-inflammatory pain pills" in en


def test_misoprostol_when_not_pregnant_is_not_boxed():
    c = case([("misoprostol 200mcg", None)])
    assert alerted(c) == []
    en = text_of(handout(c))
    assert "Do not take it" not in en
    # handout29 (H-MED-522): the label's birth-control advice instead (tests/reports/
    # test_misoprostol_birth_control_handout29.py)
    assert "If you could get pregnant, use reliable birth control while you take it." in en


@pytest.mark.parametrize("ppi", ["omeprazole 20mg", "esomeprazole 40mg", "Nexium 20mg", "Prilosec"])
def test_clopidogrel_with_omeprazole_or_esomeprazole_is_named_and_asked_about_en_es(ppi):
    c = case([("clopidogrel 75mg", None), (ppi, None)])
    assert [a.status for a in alerted(c)] == ["avoid"]
    en, es = text_of(handout(c)), text_of(handout(c, "es"))
    assert "Ask before your next dose. You take clopidogrel 75mg and" in en
    assert CLOP_EN in en and NOT_EITHER_EN in en
    assert "Ask your clinician or pharmacist before your next dose what to do." in en
    assert "Pregunte antes de su próxima dosis. Usted toma clopidogrel 75mg y" in es
    assert CLOP_ES in es and NOT_EITHER_ES in es
    assert "Do not take it" not in en  # which one changes is the prescriber's choice
    # the Sources line of the sheet that carries the box names what its plain words rest on
    printed = hc.printed_sources(handout(c)[0], "en")
    assert "MHRA 2010 (clopidogrel with omeprazole)" in printed
    assert "US clopidogrel (Plavix) label and FDA (omeprazole, esomeprazole)" in printed


@pytest.mark.parametrize("ppi", ["pantoprazole 40mg", "lansoprazole 30mg"])
def test_clopidogrel_with_another_ppi_gets_no_box(ppi):
    c = case([("clopidogrel 75mg", None), (ppi, None)])
    assert alerted(c) == []
    assert "should not be taken together" not in text_of(handout(c))


def test_a_medicine_with_its_own_sheet_is_not_said_twice():
    """Arthrotec in pregnancy: its NSAID sheet says "Do not take it" and why; no second box."""
    c = case([("Arthrotec 50", None)], 12)
    en = text_of(handout(c))
    # handout29: its "Do not take it" box is the pregnancy box (weeks, why, midwife), as ibuprofen's is
    assert en.count("Misoprostol must not be taken at any time in pregnancy") == 1
    assert "You are 12 weeks pregnant. It contains misoprostol." in en and MISO_EN not in en


def test_without_its_sheet_an_avoided_nsaid_is_named_in_the_block():
    """The clinician left the NSAID sheet out: ibuprofen at 24 weeks (Avoid, FDA 2020) is still named."""
    c = case([("ibuprofen 400mg tds", 1200)], 24)
    en = text_of(handout(c, sheets=list(h.GENERAL_SHEETS)))
    es = text_of(handout(c, "es", sheets=list(h.GENERAL_SHEETS)))
    # the FDA's reason in plain words (handout29), never "it may not be safe in pregnancy"
    assert "You take ibuprofen 400mg, three times a day. " + ask_20("en", "us") + "." in en  # plainwords
    assert ask_20("es", "us") + "." in es
    assert VAGUE["en"] not in en and VAGUE["es"] not in es


@pytest.mark.parametrize("meds, weeks", [
    ([("misoprostol 200mcg", None), ("ibuprofen 400mg tds", 1200)], 24),
    ([("clopidogrel 75mg", None), ("omeprazole 20mg", None), ("naproxen 500mg bd", 1000)], None),
    ([("Cytotec", None), ("clopidogrel 75mg", None), ("esomeprazole 20mg", None)], 31),
])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_alerted_medicine_is_named_on_the_handout(meds, weeks, lang):
    c = case(meds, weeks)
    text = text_of(handout(c, lang))
    recorded = assess_medications(c.intake, AS_OF).current_medicines
    for a in alerted(c):
        for med in (m for m in recorded if m.name in a.medicines):
            name = h._med_name(med, lang)  # as the sheets print it ("ibuprofeno 400mg (tres veces al día)")
            # plainwords (H-MED-647): in brackets inside a sentence or list, after a comma at a clause's end
            assert f" {name}" in text or f" {name.at_clause_end}" in text, name


@pytest.mark.parametrize("weeks", [None, 8, 31])
def test_arthrotec_sheet_never_says_from_about_20_weeks_and_asks_for_birth_control(weeks):
    c = case([("Arthrotec 50", None)], weeks)
    en = text_of(handout(c, sheets=["med_nsaid"]))
    es = text_of(handout(c, "es", sheets=["med_nsaid"]))
    assert WEEKS_20 not in en and WEEKS_20_ES not in es
    assert "which must not be taken at any time in pregnancy: it can cause a miscarriage or birth defects" in en
    assert "If you could get pregnant, use reliable birth control while you take it." in en
    assert "Si puede quedarse embarazada, use un método anticonceptivo eficaz mientras lo toma." in es
    assert "US Arthrotec label, boxed warning" in " ".join(hc.printed_sources(handout(c, sheets=["med_nsaid"])[0], "en"))


def test_an_nsaid_without_misoprostol_keeps_the_20_week_line():
    c = case([("ibuprofen 400mg tds", 1200)])
    en = text_of(handout(c, sheets=["med_nsaid"]))
    assert WEEKS_20 in en and "misoprostol" not in en
    assert WEEKS_20 in text_of(handout(case([("diclofenac 50mg tds", None)]), sheets=["med_nsaid"]))


@pytest.mark.parametrize("name", ["diclofenac 50mg tds", "celecoxib 200mg"])
@pytest.mark.parametrize("profile, weeks, why", [
    ("us", 30, "from 30 weeks of pregnancy, these medicines can cause heart problems in the unborn baby"),
    ("us", 36, "from 30 weeks of pregnancy, these medicines can cause heart problems in the unborn baby"),
    ("uk", 28, "from 28 weeks of pregnancy, these medicines can cause heart and kidney problems in the unborn baby"),
])
def test_a_class_nsaid_from_30_weeks_says_why(name, profile, weeks, why):
    c = case([(name, None)], weeks)
    en = text_of(handout(c, profile=profile, sheets=["med_nsaid"]))
    # handout29 (H-MED-520): the pregnancy box, as ibuprofen's: weeks, why, midwife, "Do not take it."
    assert f"Do not take it. You are {weeks} weeks pregnant. {why[0].upper()}{why[1:]}." in en
    assert "Tell your midwife or maternity team" in en
    assert "Your clinician will tell you why" not in en
    es = text_of(handout(c, "es", profile=profile, sheets=["med_nsaid"]))
    assert f"No lo tome. Está embarazada de {weeks} semanas. Desde la semana" in es
    assert "Su profesional le explicará por qué" not in es


def test_a_class_nsaid_at_29_weeks_asks_without_the_30_week_reason():
    en = text_of(handout(case([("diclofenac 50mg tds", None)], 29), sheets=["med_nsaid"]))
    assert "from 30 weeks of pregnancy" not in en and "Ask before your next dose" in en


def test_on_an_emergency_handout_the_block_comes_after_what_to_do_now():
    """A standing cauda equina flag: the emergency sheet leads and its first box is what to do now;
    the block about clopidogrel with omeprazole is printed after it, on the same sheet."""
    import copy
    import json

    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.resources import resource_path

    d = copy.deepcopy(json.loads(resource_path("examples", "emergency_cauda_equina.json").read_text(encoding="utf-8")))
    d["medicines"] = [{"name": "clopidogrel 75mg"}, {"name": "omeprazole 20mg"}]
    c = parse_case(d)
    sheets = h.filled_sheets(h.request_for_case(c, AS_OF, clinic_name="Clinic", clinic_contact="555"))
    assert [s.id for s in sheets] == ["emergency_now"]
    sections = sheets[0].sections
    assert "should not be taken together" not in " ".join(sections[0].paragraphs)
    assert "should not be taken together" in " ".join(sections[-1].paragraphs) and sections[-1].important
