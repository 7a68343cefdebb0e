"""While the pregnancy differs between her cases, EVERY sheet of a medicine the other case's weeks
would rate avoid or contraindicated asks before the next dose, also when its dose is above the
maximum or cannot be read (rt21 F2; fxe19 covered only the sheets that said "keep taking"), and
the CLI's warning that "its sheet asks her to check before her next dose" is then true. On both
engines, en and es.

rt21 F2: the "not pregnant" case on "ibuprofen 800mg qds" beside a case at 31 weeks printed "Your
dose is too high for you ... Take no more than 2400 mg a day from now on" with no pregnancy word;
on "nurofen plus 2 tabs qds" (no strength) it printed "check the dose on your medicine's label with
your prescriber or your pharmacist": a pharmacist confirming the label ends that check, and the
pregnancy is never raised.

FDA Drug Safety Podcast on the 15 Oct 2020 Drug Safety Communication (fda.gov, read by fxh20): "We
recommend avoiding NSAIDs in pregnant women at 20 weeks, rather than the 30 weeks currently
described in NSAID prescribing information. At around 30 weeks, NSAIDs can cause a problem that may
result in heart issues in the unborn baby." Ibuprofen tablets label (FDA): "Do not exceed 3200 mg
total daily dose." Boundaries: the other case at 19 weeks (nothing would be avoided: the too-high
box stands) and 20 / 33 weeks (avoid / contraindicated: ask first); 3200 (at the maximum) and 4000.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cli.test_pregnancy_differs_cli import _file, _not_pregnant, _pdf_words, _pregnant, run  # noqa: F401
from tests.cli.test_pregnancy_differs_cli import ANCHOR

DAY = ANCHOR.isoformat()
OLD = ANCHOR - dt.timedelta(days=200)
ASK = {"en": "Ask your clinician before your next dose whether to keep taking it",
       "es": "Pregunte a su profesional antes de su próxima dosis si debe seguir tomándolo"}
WHY = {"en": "your records do not agree on whether you are pregnant, and this medicine may not be safe in pregnancy",
       "es": "sus registros no coinciden sobre si está embarazada, y este medicamento puede no ser seguro en el "
             "embarazo"}
TOO_HIGH = {"en": "too high for you", "es": "demasiado alta"}
HOW_MUCH = {"en": ("Take no more than", "Your dose: no more than", "Do not take more than"),
            "es": ("no tome más de", "Su dosis: no más de", "No tome más de")}
PHARMACIST = {"en": "prescriber or pharmacist", "es": "su profesional o su farmacéutico"}
CLAIM = "its sheet asks her to check before her next dose"


def _stale(tmp_path, run, weeks, medicines):
    old = _not_pregnant("EX-OLD", day=OLD)
    old["medicines"] = medicines
    assert run("import", _file(tmp_path, "old", [old]))[0] == 0
    assert run("import", "--new-episode", _file(tmp_path, "new", [_pregnant(weeks=weeks)]))[0] == 0


def _nsaid_sheet(run, tmp_path, lang):
    pdf = tmp_path / f"old.{lang}.pdf"
    code, out, err = run("handout", "EX-OLD", "--out", str(pdf), "--as-of", DAY, "--profile", "us", "--lang", lang,
                         "--sheets", "med_nsaid")
    assert code == 0, err
    return " ".join(_pdf_words(pdf).split()), err


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("weeks", [20, 33])
def test_above_the_maximum_the_sheet_asks_first_and_the_warning_is_true(run, tmp_path, weeks, lang):
    _stale(tmp_path, run, weeks, [{"name": "ibuprofen", "daily_dose_mg": 4000}])
    words, err = _nsaid_sheet(run, tmp_path, lang)
    assert ASK[lang] in words and WHY[lang] in words, words
    assert TOO_HIGH[lang] not in words and not [w for w in HOW_MUCH[lang] if w in words], words
    # the dose above the maximum is said under the box, as a fact
    assert {"en": "You take ibuprofen 4000 mg a day now: that is also more than the most for you (3200 mg a day).",
            "es": "Ahora toma ibuprofeno 4000 mg al día: también es más de lo máximo para usted (3200 mg al día)."
            }[lang] in words
    assert CLAIM in err


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_unreadable_combination_asks_first_with_the_clinician_not_the_pharmacist(run, tmp_path, lang):
    _stale(tmp_path, run, 31, [{"name": "nurofen plus 2 tabs qds"}])
    words, err = _nsaid_sheet(run, tmp_path, lang)
    assert ASK[lang] in words and WHY[lang] in words, words
    assert PHARMACIST[lang] not in words, words
    assert {"en": "so the dose needs checking with your clinician before your next dose",
            "es": "así que hay que revisar la dosis con su profesional antes de su próxima dosis"}[lang] in words
    assert CLAIM in err


def test_at_the_maximum_it_asks_first_with_no_dose_sentence(run, tmp_path):
    _stale(tmp_path, run, 33, [{"name": "ibuprofen", "daily_dose_mg": 3200}])
    words, err = _nsaid_sheet(run, tmp_path, "en")
    assert ASK["en"] in words and WHY["en"] in words and "more than the most for you" not in words, words


def test_at_19_weeks_in_the_other_case_nothing_would_be_avoided_so_the_too_high_box_stands(run, tmp_path):
    _stale(tmp_path, run, 19, [{"name": "ibuprofen", "daily_dose_mg": 4000}])
    words, err = _nsaid_sheet(run, tmp_path, "en")
    assert TOO_HIGH["en"] in words and WHY["en"] not in words, words
