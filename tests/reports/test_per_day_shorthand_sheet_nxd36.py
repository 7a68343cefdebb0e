"""nxd36 (H-MED-758/759): "oxycodone 20mg 3 x 4/d" (no daily dose typed; dose36 reads "/d" as per day, still asked which
reading was meant) on the opioid sheet. The "/d" shorthand is the prescriber's, never printed to the patient (as "3 x 4"
is not: nxsheet34, H-MED-713); the box names the dose in the patient's words, not the staff's "(dose to check)"; and
"How to take it" says what to do if the prescriber cannot be reached before the next dose, in the high-dose box's
reviewed words (CDC 2022 clinical practice guideline, recommendation 5: opioids should not be discontinued abruptly;
FDA 2019 safety communication on sudden discontinuation). Boundary: the same regimen with its dose typed in agreement
(240 mg a day) is "as prescribed". EN and ES."""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports import handouts as h

from tests.cli.test_own_opioid_mme_cli import TODAY, _case

BOX = {"en": "You take oxycodone 20mg (the dose in your record needs checking).",
       "es": "Usted toma oxicodona 20mg (hay que revisar la dosis anotada en su historia)."}
UNREACHED = {"en": "If you cannot reach them before then, do not change the dose or stop it on your own: stopping "
                   "suddenly can cause withdrawal and worse pain.",
             "es": "Si no puede hablar con su profesional antes, no cambie la dosis ni lo deje por su cuenta: dejarlo "
                   "de golpe puede causar síntomas de abstinencia y más dolor."}
AS_PRESCRIBED = {"en": "take your oxycodone 20mg as prescribed", "es": "tome su oxicodona 20mg como se lo recetaron"}


def _sheet(name: str, daily, lang: str) -> str:
    case = parse_case(_case("OXY", [{"name": name, "daily_dose_mg": daily}]))
    req = h.request_for_case(case, TODAY, clinic_name="Clinic", clinic_contact="555", lang=lang,
                             sheets=["med_opioid"], profile="us")
    (sheet,) = [s for s in h.filled_sheets(req) if s.medicine_class]
    return " ".join(" ".join((s.heading, *s.paragraphs, *s.bullets, *s.after)) for s in sheet.sections)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name", ["oxycodone 20mg 3 x 4/d", "oxycodone 20mg 3 x 4"])
def test_an_unread_regimen_is_not_printed_and_the_unreached_prescriber_is_said(name, lang):
    text = _sheet(name, None, lang)
    assert "3 x 4" not in text and "/d" not in text
    assert "(dose to check)" not in text and "(dosis por revisar)" not in text
    assert BOX[lang] in text
    assert UNREACHED[lang] in text
    assert AS_PRESCRIBED[lang] not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_typed_dose_that_agrees_is_taken_as_prescribed(lang):
    text = _sheet("oxycodone 20mg 3 x 4/d", 240, lang)
    assert AS_PRESCRIBED[lang] in text and UNREACHED[lang] not in text


def test_a_strength_after_the_shorthand_is_no_per_day_word():
    # "/d" is cut with the shorthand; a "/" that starts a strength is not a word of a day
    assert h._without_shorthand("oxycodone 20mg 3 x 4/d") == "oxycodone 20mg"
    assert h._without_shorthand("oxycodone 20mg 3 x 4/día") == "oxycodone 20mg"
    assert h._shorthand_in("co-codamol 3 x 30/500") is None
