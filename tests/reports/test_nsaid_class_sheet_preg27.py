"""preg27 (H-MED-452): the NSAID sheet of a medicine without a row of its own that the window
rates Contraindicated says "Do not take it", as ibuprofen's does, never "Ask before your next
dose" (the sheet's box follows the alert: gp17 F7, worklist_marks.strongest_label).

Sources: FDA Drug Safety Communication 15 October 2020 (fda-nsaid-pregnancy-2020: NSAIDs from 30
weeks); MHRA Drug Safety Update June 2023 (mhra-nsaid-pregnancy-2023: systemic NSAIDs, diclofenac
named, contraindicated after 28 weeks; "discontinue use of any NSAID in the last trimester": no
withdrawal, stopping at once is what is advised); misoprostol-label / arthrotec-label (boxed
warning: not to be taken by a pregnant woman). Boundaries: us 29 weeks asks, 30 says do not take;
uk 27 asks, 28 says do not take; Arthrotec at any week of a recorded pregnancy says do not take."""

from __future__ import annotations

import pytest

from tests.reports.test_contraindicated_words_agree import WINDOW_STOP, case, sheet, window_alerts

ASK_HEAD = "Ask before your next dose"
# the box of a medicine rated contraindicated by a note (no row of its own): "Do not take it" with the
# pregnancy rule's plain "why" (sheet28: before, "Your clinician will tell you why"), then another option
STOP_EN = "Your clinician will talk to you about another option."
STOP_ES = "Su profesional hablará con usted de otra opción."
VAGUE_EN = "Your clinician will tell you why"
VAGUE_ES = "Su profesional le explicará por qué"
# handout29 (H-MED-520): a class NSAID's "Do not take it" box is the pregnancy box, as ibuprofen's is: the
# weeks, the reason and "tell your midwife" (before, only "You take diclofenac ... Do not take it: from 30
# weeks ...", no weeks and no midwife)
WHY_EN = {("us", "nsaid"): "weeks pregnant. From 30 weeks of pregnancy, these medicines can cause heart problems",
          ("uk", "nsaid"): "weeks pregnant. From 28 weeks of pregnancy, these medicines can cause heart and kidney",
          "misoprostol": "weeks pregnant. It contains misoprostol. Misoprostol must not be taken at any time in "
                         "pregnancy"}
MIDWIFE = {"en": "Tell your midwife or maternity team that you take", "es": "Dígale a su matrona o a su equipo de "
                                                                              "maternidad que toma"}


@pytest.mark.parametrize("name", ["diclofenac 50mg tds", "celecoxib 200mg", "Arthrotec 50"])
@pytest.mark.parametrize("profile, weeks", [("us", 30), ("us", 31), ("uk", 28), ("uk", 29)])
def test_a_contraindicated_class_nsaid_sheet_says_do_not_take_it(name, profile, weeks):
    c = case([(name, None)], weeks)
    assert any(a.status == "contraindicated" and WINDOW_STOP in a.text for a in window_alerts(c, profile))
    en = sheet(c, "med_nsaid", "en", profile)
    es = sheet(c, "med_nsaid", "es", profile)
    assert STOP_EN in en and STOP_ES in es
    assert f"Do not take it. You are {weeks} " + WHY_EN["misoprostol" if name.startswith("Arthrotec")
                                                      else (profile, "nsaid")] in en
    assert MIDWIFE["en"] in en and MIDWIFE["es"] in es and f"Está embarazada de {weeks} semanas" in es
    assert VAGUE_EN not in en and VAGUE_ES not in es
    assert ASK_HEAD not in en and "whether to keep taking" not in en
    assert "Pregunte antes de su próxima dosis" not in es


@pytest.mark.parametrize("profile, weeks", [("us", 29), ("uk", 27)])
def test_just_below_the_profiles_threshold_the_sheet_asks(profile, weeks):
    c = case([("diclofenac 50mg tds", None)], weeks)
    assert [a.status for a in window_alerts(c, profile)] == ["avoid"]
    en = sheet(c, "med_nsaid", "en", profile)
    assert ASK_HEAD in en and STOP_EN not in en


@pytest.mark.parametrize("weeks", [8, 12, 19])
def test_arthrotec_early_in_pregnancy_is_do_not_take_it_for_its_misoprostol(weeks):
    c = case([("Arthrotec 50", None)], weeks)
    assert [a.status for a in window_alerts(c)] == ["contraindicated"]
    en = sheet(c, "med_nsaid", "en")
    assert STOP_EN in en and ASK_HEAD not in en
    assert f"You are {weeks} " + WHY_EN["misoprostol"] in en and VAGUE_EN not in en and MIDWIFE["en"] in en
