"""nxm (H-MED-677): what the patient sheets say for an "N x M" written with no frequency, now that its daily dose is
checked either way (tests/domain/test_n_x_m_either_way_nxm.py).

- "co-codamol 30/500 3 x 4": 12 tablets a day read either way, 6,000 mg of paracetamol against the 4,000 mg maximum
  (acetaminophen-label, nhs-co-codamol): the sheet says that as written it may be more than is safe and the most for
  the patient (4,000 mg), never "keep taking" it, and never the 6,000 mg of the either-way reading (sheetplan35,
  H-MED-722: headed "Check your dose before you take more").
- "co-codamol 30/500 12 x 4": 48 tablets, 24,000 mg, above three times the maximum ([dose_check_slip]): the
  far-above box ("Your recorded dose is far too high: contact your prescriber today").
- "co-codamol 30/500 2 x 4": 8 tablets, 4,000 mg, at the maximum: still "Check your dose before you take more" (which
  was meant is still asked), as before.
"""

from __future__ import annotations

import pytest

from .test_handout_doses import case, sheet_text

TOO_HIGH = {"en": "Your dose is too high for you."}
FAR = {"en": "Your recorded dose is far too high: contact your prescriber today",
       "es": "La dosis de su historia es demasiado alta: hable hoy con su profesional"}
CHECK = {"en": "Check your dose before you take more"}


def _sheet(name, lang="en"):
    return sheet_text(case(meds=[(name, None)], tried=["acetaminophen"]), "med_acetaminophen", lang=lang)


def test_above_the_maximum_either_way_the_sheet_says_it_may_be_too_much_and_the_most():
    text = _sheet("co-codamol 30/500 3 x 4")
    # coco34 (H-MED-708): the product holds codeine too, so the prescriber changes it (never "take no more than 4000
    # mg a day from now on", which cut the codeine at once)
    # sheetplan35 (H-MED-722): 6000 mg is only the either-way reading, so it is never printed as her dose: the sheet
    # says that as written it may be more than is safe, with the most for her, headed as a dose to check
    assert "as it is written it may be more acetaminophen than is safe for you (for you, the most is 4000 mg of " \
           "acetaminophen a day)" in text
    assert "6000" not in text and TOO_HIGH["en"] not in text and CHECK["en"] in text
    assert "Contact your prescriber today: they will check your co-codamol 30/500 and change it if needed." in text
    assert "from now on" not in text
    assert "keep taking" not in text


def test_far_above_either_way_the_sheet_gives_the_far_above_box():
    for lang in ("en", "es"):
        text = _sheet("co-codamol 30/500 12 x 4", lang)
        assert FAR[lang] in text and "keep taking" not in text


@pytest.mark.parametrize("name", ["co-codamol 30/500 2 x 4", "co-codamol 30/500 2x4"])
def test_within_the_maximum_the_sheet_still_asks_to_check_the_dose(name):
    text = _sheet(name)
    assert CHECK["en"] in text and TOO_HIGH["en"] not in text and "keep taking" not in text
