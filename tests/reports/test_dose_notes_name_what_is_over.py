"""The printed handout's notes (``handout`` command, stderr) name exactly what is over its
maximum, and a dose read from the name is never "dose not recorded" (sheet19 item 1; gp18 F8).

Primary sources (resources/medicines/sources.toml): UK codeine SmPC section 4.2 (codeine-
phosphate-smpc): "maximum daily dose of codeine should not exceed 240 mg"; US codeine sulfate
label (codeine-sulfate-label): "do not exceed 360 mg in 24 hours". Tylenol No. 3 is 30/300
(codeine/acetaminophen); "2 tabs qds" is 8 tablets a day: codeine 240 mg, paracetamol 2400 mg.
Boundaries: codeine 240 mg a day under uk (at the maximum), 360 (above under uk, at it under us).
"""

from __future__ import annotations

import pytest

from tests.reports.test_contraindicated_words_agree import AS_OF, case

from radiculopathy_desktop.reports import handouts as h

OPI = [("codeine 30mg qds", None), ("oxycodone 10mg bd", None), ("Tylenol No. 3 2 tabs qds", None)]


def _notes(meds, profile, sheets=("med_acetaminophen", "med_opioid")):
    req = h.request_for_case(case(meds), AS_OF, clinic_name="Clinic", clinic_contact="555", lang="en",
                             sheets=list(sheets), profile=profile)
    return h.dose_notices(req)


def test_uk_the_notes_name_codeine_and_its_limit_and_how_the_doses_were_read():
    notes = _notes(OPI, "uk")
    over = [n for n in notes if "above this patient's maximum" in n]
    assert over and all("codeine 360 mg a day, above this patient's maximum of 240 mg a day" in n for n in over)
    # the paracetamol sheet shows the codeine's box (Tylenol No. 3 holds it): worded step by step
    apap = [n for n in over if n.startswith("med_acetaminophen")]
    assert apap and "lower it step by step" in apap[0] and "take no more than the maximum" not in apap[0]
    assert not any("dose not recorded" in n for n in notes)
    assert any("codeine 30mg qds: no daily dose recorded, read from the name (qds)" in n for n in notes)
    assert not any("acetaminophen" in n.split(": ", 1)[1] for n in notes)  # uk names (the sheet id aside)


def test_two_different_opioids_are_not_said_to_share_one_daily_maximum():
    notes = _notes(OPI, "uk", sheets=("med_opioid",))
    together = [n for n in notes if "taken together" in n.lower()]
    assert together and all("one daily maximum" not in n for n in together)
    assert all("one plan" in n for n in together)


@pytest.mark.parametrize("profile, meds, over", [
    ("us", OPI, False),                                                                  # 360 = us maximum
    ("uk", [("codeine 30mg bd", None), ("Tylenol No. 3 2 tabs tds", None)], False),       # 240 = uk maximum
    ("uk", [("codeine 30mg tds", None), ("Tylenol No. 3 2 tabs tds", None)], True),       # 270 > 240
])
def test_boundaries(profile, meds, over):
    notes = _notes(meds, profile)
    assert any("above this patient's maximum" in n for n in notes) is over, notes
    assert not any("dose not recorded" in n for n in notes)
