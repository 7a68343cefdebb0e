"""Muscle-relaxant sheet: a metaxalone patient is asked about kidney problems as well as liver
problems (src23; H-MED-420).

Primary source (resources/handouts/README.md, `metaxalone-label`; read 2026-12-01 on DailyMed,
metaxalone tablets 640 mg, Primus Pharmaceuticals, label updated December 12, 2022, setid
f27ca677-f0cc-4710-bd94-ff1bf0d916cb), Highlights, Warnings and Precautions: "Hepatic and Renal
Impairment: Metaxalone Tablets should be administered with caution to patients with mild to
moderate hepatic and renal impairment. (5.3)".

Before: the sheet's shared "Tell us before you take it if" asked every muscle-relaxant patient about
liver problems, but only the tizanidine and baclofen patients about their kidneys: a metaxalone
patient with kidney disease was never asked, though the label names renal impairment beside
hepatic. A medicine whose label does not name the kidneys in the sheet's sources (cyclobenzaprine,
methocarbamol) must still not be given the question.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h

from tests.domain.test_combination_doses import _sheet

SHEET = "med_muscle_relaxant"
HEADING = {"en": "Tell us before you take it if", "es": "Díganos antes de tomarlo si"}
KIDNEY = {"en": "You have kidney problems.", "es": "Tiene problemas de riñón."}
LIVER = {"en": "You have liver problems.", "es": "Tiene problemas de hígado."}
LABEL = {"en": "metaxalone label", "es": "ficha técnica de la metaxalona"}


def _tell_us(text, lang):
    """The words printed under the sheet's "tell us before you take it" heading, up to the next
    heading the sheet prints after it (the patient reads them as one list)."""
    start = text.index(HEADING[lang]) + len(HEADING[lang])
    ends = [text.find(h, start) for h in ("Sources", "Fuentes", "When to", "Cuándo", "Questions", "Preguntas")]
    ends = [e for e in ends if e != -1]
    return text[start:min(ends)] if ends else text[start:]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_metaxalone_patient_is_asked_about_kidney_and_liver_problems(lang):
    text, req = _sheet([("metaxalone", None)], SHEET, lang)
    asked = _tell_us(text, lang)
    assert KIDNEY[lang] in asked, asked
    assert LIVER[lang] in asked, asked
    assert asked.count(KIDNEY[lang]) == 1, asked  # asked once, not once per source
    printed = hc.printed_sources(h.filled_sheets(req)[0], lang)
    assert any(LABEL[lang] in p for p in printed), printed  # the Sources line names the label


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("generic", ["cyclobenzaprine", "methocarbamol", "carisoprodol", "orphenadrine"])
def test_a_muscle_relaxant_whose_label_point_is_not_the_kidneys_gets_no_kidney_question(generic, lang):
    text, _req = _sheet([(generic, None)], SHEET, lang)
    assert KIDNEY[lang] not in text, generic


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("generic", ["tizanidine", "baclofen"])
def test_the_medicines_already_asked_about_their_kidneys_are_still_asked_once(generic, lang):
    text, _req = _sheet([(generic, None)], SHEET, lang)
    assert text.count(KIDNEY[lang]) == 1, generic


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("pair", [("metaxalone", "baclofen"), ("metaxalone", "tizanidine"), ("tizanidine", "baclofen")])
def test_two_muscle_relaxants_whose_labels_both_name_the_kidneys_ask_it_once(pair, lang):
    """Two muscle relaxants on one sheet: both labels name the kidneys, the patient reads the
    question once (the sections of the two medicines are joined under one heading; before, the
    same bullet was printed twice, tizanidine with baclofen included)."""
    text, req = _sheet([(g, None) for g in pair], SHEET, lang)
    assert _tell_us(text, lang).count(KIDNEY[lang]) == 1
    printed = hc.printed_sources(h.filled_sheets(req)[0], lang)
    for g in pair:  # each label the joined question rests on is still named
        name = {"metaxalone": LABEL, "baclofen": {"en": "baclofen label", "es": "ficha técnica del baclofeno"},
                "tizanidine": {"en": "tizanidine label", "es": "ficha técnica de la tizanidina"}}[g][lang]
        assert any(name in p for p in printed), (g, printed)
