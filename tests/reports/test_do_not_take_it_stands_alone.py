"""A sheet that says "Do not take it" gives no other box saying how much or which one to take
(fxa18; rt19 F2).

rt19 F2: ibuprofen 4000 mg/day at 31 weeks: "Do not take it", then "Take no more than 3200 mg a
day from now on" and "Your dose: no more than 3200 mg of ibuprofen a day"; ibuprofen with
naproxen at 31 weeks: "Do not take it", then "which one to keep taking".

Primary sources (resources/medicines/sources.toml): FDA Drug Safety Communication, 15 October
2020 (fda-nsaid-pregnancy-2020): the labels advise against NSAIDs from 30 weeks (premature
closure of the ductus arteriosus); MHRA (mhra-nsaid-pregnancy-2023, [unverified] press copy):
"advice to discontinue use of any NSAID in the last trimester". Ibuprofen label: 3200 mg/day
maximum (prescription). Boundaries: 29 weeks (avoid: the too-high box stays), 30, 31.
"""

from __future__ import annotations

import pytest

from tests.reports.test_contraindicated_words_agree import case, sheet

HIGH = [("ibuprofen", 4000)]
PAIR = [("ibuprofen", 1200), ("naproxen", 1000)]
DOSE_WORDS = ("no more than", "which one to keep", "keep taking", "Take it with food", "3200 mg")
DOSE_WORDS_ES = ("no más de", "cuál seguir", "siga tomando", "con comida", "3200 mg")


@pytest.mark.parametrize("weeks", [30, 31])
@pytest.mark.parametrize("meds", [HIGH, PAIR], ids=["4000mg", "with-naproxen"])
def test_en_do_not_take_it_and_nothing_on_how_much(meds, weeks):
    text = sheet(case(meds, weeks), "med_nsaid", "en")
    assert ("Do not take them" if meds is PAIR else "Do not take it") in text  # two are "them" (sheet19)
    for words in DOSE_WORDS:
        assert words not in text, words


@pytest.mark.parametrize("meds", [HIGH, PAIR], ids=["4000mg", "with-naproxen"])
def test_es_no_lo_tome_and_nothing_on_how_much(meds):
    text = sheet(case(meds, 31), "med_nsaid", "es")
    assert ("No los tome" if meds is PAIR else "No lo tome") in text
    for words in DOSE_WORDS_ES:
        assert words not in text, words


def test_uk_profile_too():
    text = sheet(case(HIGH, 31), "med_nsaid", "en", profile="uk")
    assert "Do not take it" in text and "no more than" not in text


def test_at_29_weeks_the_too_high_box_stays():
    """Below 30 weeks an NSAID is rated avoid, not contraindicated: the dose box is kept."""
    text = sheet(case(HIGH, 29), "med_nsaid", "en")
    assert "Do not take it" not in text
    assert "3200 mg" in text


def test_not_pregnant_the_too_high_box_stays():
    text = sheet(case(HIGH), "med_nsaid", "en")
    assert "Do not take it" not in text and "3200 mg" in text
