"""fold33 (H-UI-530): the patient's NSAID sheet for an NSAID with methotrexate (ix-nsaid-methotrexate: avoid, no
side kept, reviewed with the prescriber, mtxavoid) said the NSAID "should not be taken with your methotrexate" but
never that the methotrexate is not to be stopped by the patient (apixaban gets "Keep taking your apixaban"). It now
says "Do not stop your methotrexate yourself: your prescriber will review both"; a second NSAID on the sheet is never
told so (two NSAIDs are "stop one"), and a kept anticoagulant keeps its own words."""

from __future__ import annotations

import pytest

from tests.reports.test_contraindicated_words_agree import case, sheet

MTX = {"en": "methotrexate 15mg", "es": "metotrexato 15mg"}  # the sheet names it in the patient's language
WORDS = {"en": "Do not stop your {} yourself: your prescriber will review both.",
         "es": "No deje su {} por su cuenta: quien se lo recetó revisará ambos."}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("nsaids", [["ibuprofen 400mg"], ["ibuprofen 400mg", "naproxen"]])
def test_the_nsaid_sheet_says_not_to_stop_the_methotrexate(lang, nsaids):
    text = sheet(case([*((n, None) for n in nsaids), ("methotrexate 15mg", None)]), "med_nsaid", lang)
    assert WORDS[lang].format(MTX[lang]) in text, text
    # the second NSAID is never told to keep going, nor not to stop
    for n in nsaids:
        assert WORDS[lang].format(n) not in text
        assert WORDS[lang].split("{}")[0] + n not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_kept_anticoagulant_keeps_its_own_words_not_the_review_words(lang):
    text = sheet(case([("naproxen", None), ("apixaban 5mg bd", None)]), "med_nsaid", lang)
    assert WORDS[lang].split("{}")[0] + "apixaban" not in text
