"""handout29 (H-MED-519, H-MED-520): an NSAID without a data row of its own (diclofenac, celecoxib) in a
pregnant patient gets the pregnancy box ibuprofen gets ("You are N weeks pregnant ... Tell your midwife or
maternity team"), and from 20 weeks the box's reason is the primary source's, in plain words, as the
patient reads the saved PDF.

Sources (resources/medicines/sources.toml, resources/handouts/sources.toml):
- FDA Drug Safety Communication, 15 October 2020 (fda-nsaid-pregnancy-2020), read on fda.gov and its podcast:
  NSAIDs "around 20 weeks or later in pregnancy may cause rare but serious kidney problems in an unborn baby.
  This can lead to low levels of amniotic fluid"; limit use between about 20 and 30 weeks; from about 30
  weeks, premature closure of the ductus arteriosus ("heart issues in the unborn baby"). us: Avoid from 20
  weeks, Contraindicated from 30.
- MHRA Drug Safety Update, June 2023 (mhra-nsaid-pregnancy-2023), read on gov.uk: "prolonged use of NSAIDs
  from week 20 of pregnancy onwards may be associated with an increased risk of oligohydramnios ... and
  fetal renal dysfunction. Some cases of constriction of the ductus arteriosus ... have also been identified
  at this early stage"; contraindicated "after 28 weeks". uk: Avoid from 20 weeks, Contraindicated from 28.
Boundaries: 19 weeks (no reason of the 20-week rule), 20 and 29 (us) / 27 (uk) ask with it; 30 (us) / 28 (uk)
"Do not take it" in the pregnancy box."""

from __future__ import annotations

import pytest

from tests.helpers.nsaid_pregnancy_words import SOURCE, VAGUE, WHY_20, ask_20
from tests.helpers.pdf_text import handout_pdf_words
from tests.reports.test_contraindicated_words_agree import case

# plainwords (H-MED-647): "tds" said in plain words, after a comma at the sentence's end
MIDWIFE = {"en": "Tell your midwife or maternity team that you take diclofenac 50mg, three times a day.",
           "es": "Dígale a su matrona o a su equipo de maternidad que toma diclofenaco 50mg, tres veces al día."}
WEEKS = {"en": "You are {} weeks pregnant.", "es": "Está embarazada de {} semanas."}
STOP = {"en": "Do not take it. Your clinician will talk to you about another option.",
        "es": "No lo tome. Su profesional hablará con usted de otra opción."}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile, weeks", [("us", 20), ("us", 29), ("uk", 20), ("uk", 27)])
def test_diclofenac_from_20_weeks_asks_with_the_sources_reason(tmp_path, lang, profile, weeks):
    text = handout_pdf_words(case([("diclofenac 50mg tds", None)], weeks), tmp_path, lang, profile)
    assert WEEKS[lang].format(weeks) in text and MIDWIFE[lang] in text
    assert ask_20(lang, profile) in text
    assert VAGUE[lang] not in text and STOP[lang] not in text
    assert SOURCE[profile][lang] in text  # the Sources line names what the reason rests on


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_at_19_weeks_there_is_no_20_week_reason(tmp_path, lang, profile):
    text = handout_pdf_words(case([("diclofenac 50mg tds", None)], 19), tmp_path, lang, profile)
    assert WEEKS[lang].format(19) in text and MIDWIFE[lang] in text
    assert WHY_20[(lang, profile)] not in text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile, weeks", [("us", 30), ("uk", 28)])
def test_diclofenac_from_the_stop_week_has_the_pregnancy_box_ibuprofen_has(tmp_path, lang, profile, weeks):
    text = handout_pdf_words(case([("diclofenac 50mg tds", None)], weeks), tmp_path, lang, profile)
    # the heading "Do not take it" opens the box, the weeks its first words (the PDF has no full stop after a heading)
    assert {"en": "Do not take it You are %d weeks pregnant.", "es": "No lo tome Está embarazada de %d semanas."
            }[lang] % weeks in text
    assert MIDWIFE[lang] in text and text.count(STOP[lang]) == 1
    assert WHY_20[(lang, profile)] not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_ibuprofen_and_diclofenac_at_22_weeks_read_the_same(lang):
    from tests.reports.test_contraindicated_words_agree import sheet
    ibu = sheet(case([("ibuprofen 400mg tds", None)], 22), "med_nsaid", lang)
    dic = sheet(case([("diclofenac 50mg tds", None)], 22), "med_nsaid", lang)
    assert ask_20(lang, "us") in ibu and ask_20(lang, "us") in dic


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_two_nsaids_at_25_weeks_say_the_reason_in_the_together_box(tmp_path, lang, profile):
    """ibuprofen and diclofenac at 25 weeks: the together box asks which one to keep and, whether to keep
    taking them at all, with the source's reason, never only "they may do more harm than good"."""
    text = handout_pdf_words(case([("ibuprofen 400mg tds", None), ("diclofenac 50mg tds", None)], 25), tmp_path,
                             lang, profile)
    assert {"en": "Also ask whether to keep taking them at all: ", "es": "Pregunte también si debe seguir tomándolos: "
            }[lang] + WHY_20[(lang, profile)] in text
    assert {"en": "they may do more harm than good", "es": "pueden hacer más daño que bien"}[lang] not in text
    assert SOURCE[profile][lang] in text
