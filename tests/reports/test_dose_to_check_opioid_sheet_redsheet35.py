"""redsheet35 (H-MED-729): "oxycodone 20mg 3 x 4" with 40 mg a day typed (3 x 4 is 12 tablets a day read either
way: 240 mg, not 40; typed35, H-MED-717/718) is a dose to check: the opioid sheet's box names it "(the dose in your record needs checking)",
and its "How to take it" now asks the patient to check the dose with the prescriber first, in the words used for
any dose to check (``check_dose_dose``: "check your ... dose with your prescriber before your next dose"), never
"take your oxycodone 20mg as prescribed"; still never stopped or changed on one's own (CDC 2022 clinical practice
guideline, recommendation 5: opioids should not be discontinued abruptly; recommendation 8: naloxone). Boundary:
240 mg typed agrees with the name: no dose to check, "as prescribed" as before. EN and ES."""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports import handouts as h

from tests.cli.test_own_opioid_mme_cli import TODAY, _case

OXY = "oxycodone 20mg 3 x 4"
HOW = {"en": "How to take it", "es": "Cómo tomarlo"}
# nxd36 (H-MED-759): and what to do if the prescriber cannot be reached before then (the high-dose box's words)
CHECK = {"en": "check your oxycodone 20mg dose with your prescriber before your next dose. If you cannot reach them "
               "before then, do not change the dose or stop it on your own: stopping suddenly can cause withdrawal and "
               "worse pain",
         "es": "revise la dosis de su oxicodona 20mg con su profesional antes de su próxima dosis. Si no puede hablar "
               "con su profesional antes, no cambie la dosis ni lo deje por su cuenta: dejarlo de golpe puede causar "
               "síntomas de abstinencia y más dolor"}
AS_PRESCRIBED = {"en": "take your oxycodone 20mg as prescribed", "es": "tome su oxicodona 20mg como se lo recetaron"}
TO_CHECK_BOX = {"en": "oxycodone 20mg (the dose in your record needs checking)"}


def _sheet_text(daily: int, lang: str) -> dict[str, str]:
    case = parse_case(_case("OXY", [{"name": OXY, "daily_dose_mg": daily}]))
    req = h.request_for_case(case, TODAY, clinic_name="Clinic", clinic_contact="555", lang=lang,
                             sheets=["med_opioid"], profile="us")
    (sheet,) = [s for s in h.filled_sheets(req) if s.medicine_class]
    return {s.heading: " ".join((*s.paragraphs, *s.bullets, *s.after)) for s in sheet.sections}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_dose_to_check_is_checked_with_the_prescriber_first(lang):
    text = _sheet_text(40, lang)
    how = text[HOW[lang]]
    assert CHECK[lang] in how
    assert AS_PRESCRIBED[lang] not in how and AS_PRESCRIBED[lang] not in " ".join(text.values())
    if lang == "en":
        assert any(TO_CHECK_BOX["en"] in t for t in text.values())  # the box names it so (typed35)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_typed_dose_that_agrees_is_taken_as_prescribed(lang):
    how = _sheet_text(240, lang)[HOW[lang]]
    assert AS_PRESCRIBED[lang] in how and CHECK[lang] not in how
