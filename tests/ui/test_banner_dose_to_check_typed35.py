"""typed35 (GP tryout N1, N8; H-UI-539): the case page's top MEDICINE SAFETY box says the "Check the dose" of
"oxycodone 20mg 3 x 4" with 40 mg a day typed (the name says 12 tablets a day, 240 mg, either way), beside the opioid
total's "Reassess opioid dose" (60 MME/day, provisional) and beside the Avoid pair with diazepam. It showed only the
60 MME/day figure (or the pair): the question of which dose is right was on no line of the box."""

from __future__ import annotations

import re

import pytest

from tests.ui.conftest import case_dict

OXY = "oxycodone 20mg 3 x 4"
QUESTION = (f"Check the dose: {OXY}: the name says 3 x 4 (12 doses a day read either way: oxycodone 240 mg a day) but "
            "the dose recorded is 40 mg a day")


def _banner_text(window, qtbot, store, meds):
    from radiculopathy_desktop.domain.intake import parse_case
    d = case_dict("P-CHK", "Cal Check", 10)
    d["medicines"] = meds
    store.import_cases([parse_case(d)], user="test")
    window.open_case("P-CHK-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    banner = window.patient_view.medicine_alert_banner
    qtbot.waitUntil(banner.isVisible)
    return " ".join(re.sub(r"<[^>]+>", " ", banner.text()).split())  # the words, without the rich-text tags


@pytest.mark.parametrize("others, beside", [([], "Reassess opioid dose"),
                                            ([{"name": "diazepam 5mg", "daily_dose_mg": 10}], "Avoid")])
def test_the_box_says_the_check_beside_the_other_alert(window, qtbot, store, others, beside):
    text = _banner_text(window, qtbot, store, [{"name": OXY, "daily_dose_mg": 40}, *others])
    assert QUESTION in text
    assert beside in text and "60 MME/day, provisional" in text
