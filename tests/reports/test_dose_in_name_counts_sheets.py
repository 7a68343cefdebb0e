"""The patient's sheet never says "keep taking ... (N tablets a day)" for a name whose regimen
was misread (fx17; red team rt17 F2, F3: "Your dose: keep taking your co-codamol 30/500 3 qds
(4 tablets a day)" when the patient takes 12, and "keep taking paracetamol 8 mg a day").

Sources (resources/medicines/sources.toml): NHS co-codamol for adults, "the maximum dose is 8
co-codamol tablets in 24 hours" (500 mg paracetamol a tablet); acetaminophen label "do not exceed
4000 mg in 24 hours"; the BNF's abbreviations, "q.d.s. ... four times a day" (copies [unverified]).
Boundaries: 8 tablets (at the maximum) and 12 (above).
"""

from __future__ import annotations

import pytest

from tests.domain.test_combination_doses import _sheet


@pytest.mark.parametrize("name, lang", [
    ("co-codamol 30/500 3 qds", "en"), ("co-codamol 30/500 3 qds", "es"),
    ("paracetamol 2 qds", "en"), ("paracetamol 2 qds", "es"),
    ("tylenol 3 tabs tds", "en"), ("co-codamol 30/500 qds 2", "en"),
])
def test_a_misread_name_is_never_keep_taking(name, lang):
    text, _req = _sheet([(name, None)], "med_acetaminophen", lang)
    assert "keep taking" not in text and "siga tomando" not in text
    assert "(4 tablets a day)" not in text and "8 mg a day" not in text
    if name == "co-codamol 30/500 3 qds" and lang == "en":
        # coco34 (H-MED-708): 12 tablets, paracetamol and codeine in one product: the prescriber changes it
        # sheets36 (H-MED-741): the count right after the strength said as tablets of it, never "30/500 3"
        assert ("You take co-codamol 3 tablets of 30/500, four times a day. It contains codeine and acetaminophen. The way you take it "
                "now gives you acetaminophen 6000 mg a day (for you, the most is 4000 mg a day). Contact your prescriber "
                "today: they will change your co-codamol 30/500.") in text
    if name != "co-codamol 30/500 3 qds" and lang == "en":
        # sheetwords F6 (H-MED-616): the regimen in plain words, never the prescriber's abbreviation
        # plainwords (H-MED-647): the regimen after the rest of the name, in a sentence that reads
        said = {"paracetamol 2 qds": "paracetamol 2 (four times a day)", "tylenol 3 tabs tds": "tylenol 3 tablets (three "
                "times a day)", "co-codamol 30/500 qds 2": "co-codamol 30/500 2 (four times a day)"}[name]
        assert f"Your record says you take {said}, but not clearly how much of it you take in a day" in text


def test_a_bare_count_at_the_maximum_is_keep_taking_with_its_tablets():
    """8 tablets of 30/500 (paracetamol 4000 mg): at the maximum, so the sheet may say keep taking
    with the count read right."""
    text, _req = _sheet([("co-codamol 30/500 2 qds", None)], "med_acetaminophen", "en")
    # plainwords; sheets36 (H-MED-741): "2 tablets of 30/500", never the unreadable "30/500 2"
    assert "keep taking your co-codamol 2 tablets of 30/500 four times a day (8 tablets a day)" in text
