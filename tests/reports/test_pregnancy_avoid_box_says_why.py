"""An NSAID rated Avoid because of pregnancy (20-29 weeks; uk 20-27): the printed ask-first box says
the pregnancy is the reason, en and es, as the "Do not take it" box from 30 weeks (uk 28) does
(rt22 F12; H-MED-379).

Before: "Ask your clinician before your next dose whether to keep taking it: for you, it may do more
harm than good. Your clinician will tell you why", with no reason in the pregnancy box above it
either, although the window names the FDA's 20-week warning.

Primary source: FDA Drug Safety Communication, 15 October 2020, as its Drug Safety Podcast says it
(fda.gov; quoted by fxh20 in tests/reports/test_sheet_box_follows_strongest_rating.py): "We
recommend avoiding NSAIDs in pregnant women at 20 weeks, rather than the 30 weeks currently
described in NSAID prescribing information." The check's rules rate an NSAID Avoid from 20 weeks and
Contraindicated from 30 (us) or 28 (uk, MHRA 2023 "after 28 weeks"), where the sheet says "Do not
take it" with its own why.

Boundaries: 19 (no Avoid: no ask box), 20, 27 and 29 (ask, pregnancy named), 30 ("Do not take it");
uk and us; en and es; not pregnant with heart failure (Avoid for another reason: no pregnancy word).
"""

from __future__ import annotations

import pytest

from tests.helpers.nsaid_pregnancy_words import ASK_IT, VAGUE, ask_20
from tests.reports.test_sheet_box_follows_strongest_rating import _case, _sheet

# handout29 (H-MED-519): the reason is the FDA's (us) or the MHRA's (uk) in plain words, never the vague
# "it may not be safe in pregnancy"
GENERAL = {"en": "Your clinician will tell you why", "es": "Su profesional le explicará por qué"}
STOP = {"en": "Do not take it", "es": "No lo tome"}
IN_PREGNANCY = {"en": "in pregnancy", "es": "en el embarazo"}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("weeks", [20, 25, 27])
def test_avoid_for_pregnancy_says_pregnancy_is_the_reason(profile, lang, weeks):
    text = _sheet(_case([("ibuprofen", 1200)], weeks=weeks), lang, profile)
    assert ask_20(lang, profile) in text, text
    assert GENERAL[lang] not in text and VAGUE[lang] not in text, text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_us_29_weeks_asks_with_the_pregnancy_reason_and_30_says_do_not_take_it(lang):
    at_29 = _sheet(_case([("ibuprofen", 1200)], weeks=29), lang, "us")
    at_30 = _sheet(_case([("ibuprofen", 1200)], weeks=30), lang, "us")
    assert ask_20(lang, "us") in at_29 and GENERAL[lang] not in at_29, at_29
    assert STOP[lang] in at_30 and ASK_IT[lang] not in at_30, at_30


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile", ["uk", "us"])
def test_19_weeks_has_no_avoid_box(profile, lang):
    text = _sheet(_case([("ibuprofen", 1200)], weeks=19), lang, profile)
    assert ASK_IT[lang] not in text and GENERAL[lang] not in text, text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile", ["uk", "us"])
def test_avoid_above_the_maximum_at_25_weeks_names_pregnancy_too(profile, lang):
    text = _sheet(_case([("ibuprofen", {"uk": 2401, "us": 3201}[profile])], weeks=25), lang, profile)
    assert ask_20(lang, profile) in text and GENERAL[lang] not in text, text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile", ["uk", "us"])
def test_heart_failure_not_pregnant_gives_no_pregnancy_reason(profile, lang):
    text = _sheet(_case([("ibuprofen", 1200)], heart_failure=True), lang, profile)
    assert GENERAL[lang] in text and IN_PREGNANCY[lang] not in text, text
