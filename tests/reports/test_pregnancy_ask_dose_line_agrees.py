"""Below 20 weeks the NSAID sheet's pregnancy box asks "Ask your clinician whether to keep taking
it"; its "How to take it" line must not say "keep taking" beside it: the pregnancy box's question
governs (rt22 F10; H-MED-380).

Before: "Your dose: keep taking ibuprofen 1200 mg a day, as prescribed, unless your clinician
changes it" under "You are 12 weeks pregnant ... Ask your clinician whether to keep taking it".
Now: "Your dose: ask your clinician whether to keep taking your ibuprofen 400mg tds (see above)",
the most in a day kept (a limit, not an instruction to go on).

Primary source: FDA Drug Safety Communication, 15 October 2020 (quoted by fxh20 in
tests/reports/test_sheet_box_follows_strongest_rating.py): "We recommend avoiding NSAIDs in
pregnant women at 20 weeks"; before 20 weeks the check rates an NSAID Caution in pregnancy and the
sheet's pregnancy box asks whether to keep taking it (fxh20, rd13 D1). This test is about the two
boxes of one sheet agreeing, not about the rating.

Boundaries: 19 (the pregnancy box asks: dose line defers), 20 (ask-first box, unchanged), not
pregnant (keep taking, unchanged); uk and us; en and es.
"""

from __future__ import annotations

import pytest

from tests.reports.test_sheet_box_follows_strongest_rating import _case, _sheet

PREG_ASK = {"en": "Ask your clinician whether to keep taking it.",
            "es": "Pregunte a su profesional si debe seguir tomándolo."}
# plainwords (H-MED-647): the recorded "tds" is said in plain words before the line's own bracket
DEFERS = {"en": "Your dose: ask your clinician whether to keep taking your ibuprofen 400mg three times a day "
                "(see above)",
          "es": "Su dosis: pregunte a su profesional si debe seguir tomando su ibuprofeno 400mg tres veces al día "
                "(vea arriba)"}
KEEP = {"en": "Your dose: keep taking", "es": "Su dosis: siga tomando"}
LIMIT = {"en": "Do not take more than {m} mg in a day", "es": "No tome más de {m} mg al día"}
MAX = {"us": 3200, "uk": 2400}


def _ibuprofen(weeks, lang, profile):
    return _sheet(_case([("ibuprofen 400mg tds", None)], weeks=weeks), lang, profile)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile", ["uk", "us"])
@pytest.mark.parametrize("weeks", [8, 19])
def test_below_20_weeks_the_dose_line_defers_to_the_pregnancy_box(profile, lang, weeks):
    text = _ibuprofen(weeks, lang, profile)
    assert PREG_ASK[lang] in text, text
    assert DEFERS[lang] in text, text
    assert KEEP[lang] not in text, text
    assert LIMIT[lang].format(m=MAX[profile]) in text, text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile", ["uk", "us"])
def test_at_20_weeks_the_ask_first_box_is_unchanged(profile, lang):
    text = _ibuprofen(20, lang, profile)
    assert DEFERS[lang] not in text and KEEP[lang] not in text, text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("profile", ["uk", "us"])
def test_not_pregnant_keeps_taking(profile, lang):
    text = _ibuprofen(None, lang, profile)
    assert KEEP[lang] in text and DEFERS[lang] not in text, text
