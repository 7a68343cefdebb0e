"""While the pregnancy differs between her cases, the "not pregnant" case's sheet never says "keep
taking" a medicine the other case's weeks would rate avoid or contraindicated, and the warning
names her weeks today (gp19 F2), on both engines.

Case EX-OLD answered "not pregnant" 200 days ago, is still open, and records ibuprofen 1200 mg a
day; her new case EX-PREG records N weeks today. Before, EX-OLD's handout printed "Your dose: keep
taking ibuprofen 1200 mg a day, as prescribed" at 33 weeks, and the warning said only the weeks
on the old case's day.

FDA Drug Safety Podcast on the 15 Oct 2020 Drug Safety Communication (fda.gov): "We recommend
avoiding NSAIDs in pregnant women at 20 weeks, rather than the 30 weeks currently described in
NSAID prescribing information. At around 30 weeks, NSAIDs can cause a problem that may result in
heart issues in the unborn baby." So under the us profile ibuprofen is Avoid from 20 weeks and
Contraindicated from 30: at 19 weeks the sheet is unchanged, at 20 and 33 it asks first.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cli.test_pregnancy_differs_cli import (_file, _not_pregnant, _on_ibuprofen, _pdf_words, _pregnant,
                                                  run)  # noqa: F401 - run is a fixture
from tests.cli.test_pregnancy_differs_cli import ANCHOR

STORE_ENGINES = ("sqlite", "postgresql")
DAY = ANCHOR.isoformat()
OLD = ANCHOR - dt.timedelta(days=200)
ASK = "ask your clinician before your next dose whether to keep taking your ibuprofen"
WHY = "your records do not agree on whether you are pregnant, and this medicine may not be safe in pregnancy"
KEEP = "keep taking ibuprofen 1200 mg a day"


def _stale(tmp_path, run, weeks):
    old = _on_ibuprofen(_not_pregnant("EX-OLD", day=OLD))
    assert run("import", _file(tmp_path, "old", [old]))[0] == 0
    assert run("import", "--new-episode", _file(tmp_path, "new", [_pregnant(weeks=weeks)]))[0] == 0


def _sheet(run, tmp_path, case_id="EX-OLD"):
    code, out, err = run("handout", case_id, "--out", str(tmp_path / f"{case_id}.pdf"), "--as-of", DAY,
                         "--profile", "us")
    assert code == 0, err
    return " ".join(_pdf_words(tmp_path / f"{case_id}.pdf").split()), err


@pytest.mark.parametrize("weeks", [20, 29, 30, 33])
def test_the_stale_case_sheet_asks_before_the_next_dose(run, tmp_path, weeks):
    _stale(tmp_path, run, weeks)
    words, err = _sheet(run, tmp_path)
    assert ASK in words and WHY in words, words
    assert KEEP not in words
    # the warning names her weeks today
    # (from 29 weeks her pregnancy counted back reaches the old answer's day, which is then named too)
    assert (f"gives {weeks} weeks of pregnancy on {DAY} (today)" in err
            or f"weeks of pregnancy on {OLD.isoformat()}, {weeks} weeks today ({DAY})" in err), err


def test_at_19_weeks_nothing_would_be_avoided_so_the_sheet_is_unchanged(run, tmp_path):
    _stale(tmp_path, run, 19)
    words, err = _sheet(run, tmp_path)
    assert KEEP in words and WHY not in words, words


def test_once_settled_at_a_visit_the_sheet_follows_the_pregnancy_itself(run, tmp_path):
    _stale(tmp_path, run, 33)
    assert run("visit", "EX-OLD", "--date", DAY, "--pregnant-weeks", "33")[0] == 0
    words, err = _sheet(run, tmp_path)
    assert WHY not in words and KEEP not in words and "Do not take it" in words, words
    assert "not settled" not in err


def test_an_answer_within_her_pregnancy_names_the_old_day_and_the_weeks_today(run, tmp_path):
    """gp19's own case: "not pregnant" 91 days ago, 31 weeks today, so 18 weeks on the old day."""
    old = _on_ibuprofen(_not_pregnant("EX-OLD", day=ANCHOR - dt.timedelta(days=91)))
    assert run("import", _file(tmp_path, "old", [old]))[0] == 0
    assert run("import", "--new-episode", _file(tmp_path, "new", [_pregnant(weeks=31)]))[0] == 0
    old_day = (ANCHOR - dt.timedelta(days=91)).isoformat()
    code, out, err = run("case", "EX-OLD", "--as-of", DAY)
    assert code == 0 and f"18 weeks pregnant on {old_day}, 31 weeks today ({DAY})" in err, err
    words, err = _sheet(run, tmp_path)
    assert f"18 weeks of pregnancy on {old_day}, 31 weeks today ({DAY})" in err, err
    assert ASK in words and WHY in words and KEEP not in words, words


def test_the_spanish_sheet_asks_first_too(run, tmp_path):
    _stale(tmp_path, run, 33)
    code, out, err = run("handout", "EX-OLD", "--out", str(tmp_path / "es.pdf"), "--as-of", DAY, "--profile", "us",
                         "--lang", "es")
    assert code == 0, err
    words = " ".join(_pdf_words(tmp_path / "es.pdf").split())
    assert "sus registros no coinciden sobre si está embarazada" in words, words
    assert "siga tomando ibuprofeno" not in words
