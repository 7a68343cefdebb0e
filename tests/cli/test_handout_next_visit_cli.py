"""`handout --next-visit` is not before the sheet's date (red-team rt10 F11).

The sheet tells the patient "Your next visit is on …". A date before the day the sheet is
dated (``--as-of``, today by default) is refused with exit 2, naming both dates, and no
file is written; the sheet's own date and any later date are printed as given. The window's
handout dialog refuses a next follow-up before today the same way
(tests/ui/test_handout_next_visit_ui.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.resources import resource_path
from helpers.cli_run import cli_runner
from helpers.pdf_text import pdf_words

TODAY = dt.date(2026, 11, 30)
ROUTINE = resource_path("examples", "routine_l5_acute.json")


_text = pdf_words


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    run = cli_runner(capsys, "--data-dir", str(tmp_path / "data"), fresh_output=True)
    assert run("import", str(ROUTINE))[0] == 0
    return run


@pytest.mark.parametrize("as_of, next_visit", [(None, "2026-01-01"), (None, "2026-11-29"),
                                               ("2026-11-25", "2026-11-24")])
def test_a_next_visit_before_the_sheets_date_is_refused_and_nothing_written(run, tmp_path, as_of, next_visit):
    out = tmp_path / "x.pdf"
    dated = ["--as-of", as_of] if as_of else []
    code, stdout, err = run("handout", "EX-ROUTINE-L5", *dated, "--next-visit", next_visit, "--out", str(out))
    assert code == 2 and stdout == ""
    sheet_date = as_of or TODAY.isoformat()
    assert f"--next-visit {next_visit} is before the sheet's date ({sheet_date})" in err
    assert "Nothing was written" in err
    assert not out.exists()


@pytest.mark.parametrize("as_of, next_visit, printed", [
    (None, "2026-11-30", "30 November 2026"),  # the boundary: the day the sheet is given
    (None, "2026-12-14", "14 December 2026"),
    ("2026-11-25", "2026-11-25", "25 November 2026"),  # an earlier sheet date and the same day
])
def test_the_sheets_date_or_a_later_one_is_printed(run, tmp_path, as_of, next_visit, printed):
    out = tmp_path / "x.pdf"
    dated = ["--as-of", as_of] if as_of else []
    code, _, err = run("handout", "EX-ROUTINE-L5", *dated, "--next-visit", next_visit, "--sheets", "follow_up",
                       "--out", str(out))
    assert code == 0, err
    assert f"Your next visit is on {printed}" in _text(out)
