"""Codeine above its maximum is worded as codeine's, step by step, on every sheet it reaches;
two different opioids have no shared mg maximum and are never "which one to keep" (fxa18;
gp18 F2, rt19 F4).

Primary sources (resources/medicines/sources.toml): UK codeine SmPC section 4.2 ("maximum daily
dose of codeine should not exceed 240 mg"); FDA Drug Safety Communication 9 April 2019
(fda-opioid-tapering-2019): harm when opioids are "suddenly discontinued or the dose rapidly
decreased"; CDC 2022 (cdc-2022-mme): different opioids are added up in MME, not mg. Boundaries:
codeine 240 mg/day read from the names (at: no too-high box), 360 (above).
"""

from __future__ import annotations

import re

import pytest

from tests.reports.test_contraindicated_words_agree import case, sheet

OVER = [("codeine 30mg qds", None), ("tylenol no. 3 2 tabs qds", None), ("oxycodone 10mg bd", None)]
AT = [("tylenol no. 3 2 tabs qds", None), ("oxycodone 10mg bd", None)]


def _sentences(text):
    return [s for s in re.split(r"(?<=\.) ", text) if len(s) > 30]


def test_the_paracetamol_sheet_never_gives_the_codeine_limit_as_take_no_more_than():
    text = sheet(case(OVER), "med_acetaminophen", "en", profile="uk")
    assert "You take codeine 360 mg a day now" in text
    assert "Take no more than 240 mg a day from now on" not in text
    assert "step by step" in text


def test_the_opioid_sheet_says_each_sentence_once_and_no_shared_maximum():
    text = sheet(case(OVER), "med_opioid", "en", profile="uk")
    sentences = _sentences(text)
    assert len(sentences) == len(set(sentences)), [s for s in sentences if sentences.count(s) > 1]
    assert "one daily maximum" not in text
    assert "which one to keep taking" not in text
    assert "Do not stop either one suddenly" in text


def test_es_opioid_sheet_two_opioids():
    text = sheet(case(OVER), "med_opioid", "es", profile="uk")
    assert "un solo máximo" not in text and "No deje ninguno de golpe" in text


@pytest.mark.parametrize("sheet_id", ["med_acetaminophen", "med_opioid"])
def test_at_the_codeine_maximum_no_too_high_box(sheet_id):
    text = sheet(case(AT), sheet_id, "en", profile="uk")
    assert "too high for you" not in text
