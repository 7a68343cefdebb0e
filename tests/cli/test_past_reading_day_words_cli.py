"""A past reading day is said as a date, never as "today" (rt21 F6), on both engines.

Before: on 2026-12-01, `case --as-of 2026-11-16` and `worklist --medicine-alerts --as-of
2026-11-16` said "...18 weeks of pregnancy on 2026-09-01, 29 weeks today (2026-11-16)" while she
was 31 weeks that day. Now a reading day that is not today says "29 weeks on 2026-11-16"; today's
reading still says "31 weeks today (2026-12-01)" (``PregnancyContradiction.now_words``).

Pregnancy weeks move on by whole weeks of 7 days from the weeks recorded (the app's one
pregnancy rule, ``PregnancyOnDate``): 31 weeks recorded 14 days before today is 33 weeks today and
32 weeks 7 days before. Boundaries: the reading day today (at), the day before (just below).
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.episodes import PregnancyContradiction
from tests.cli.test_pregnancy_differs_cli import _file, _not_pregnant, _on_ibuprofen, _pregnant, run  # noqa: F401
from tests.cli.test_pregnancy_differs_cli import ANCHOR

STORE_ENGINES = ("sqlite", "postgresql")
D = dt.timedelta
OLD = ANCHOR - D(days=200)


def _stale(tmp_path, run):
    """EX-OLD: "not pregnant" 200 days ago, on ibuprofen; EX-PREG: 31 weeks at its intake 14 days ago."""
    old = _on_ibuprofen(_not_pregnant("EX-OLD", day=OLD))
    assert run("import", _file(tmp_path, "old", [old]))[0] == 0
    new = _pregnant(weeks=31, day=ANCHOR - D(days=14))
    assert run("import", "--new-episode", _file(tmp_path, "new", [new]))[0] == 0


@pytest.mark.parametrize("back, words", [
    (0, f"33 weeks today ({ANCHOR.isoformat()})"),                   # at: today
    (1, f"32 weeks on {(ANCHOR - D(days=1)).isoformat()}"),          # just below: yesterday
    (7, f"32 weeks on {(ANCHOR - D(days=7)).isoformat()}"),
])
def test_the_case_page_and_the_worklist_name_the_reading_day(run, tmp_path, back, words):
    _stale(tmp_path, run)
    day = (ANCHOR - D(days=back)).isoformat()
    code, out, err = run("case", "EX-OLD", "--as-of", day)
    assert code == 0, err
    assert words in err, err
    if back:
        assert "today" not in err, err
    code, out, err = run("worklist", "--medicine-alerts", "--as-of", day)
    assert code == 0, err
    assert words in out, out
    if back:
        assert "weeks today" not in out, out


def test_the_summary_warning_names_a_past_reading_day(run, tmp_path):
    _stale(tmp_path, run)
    day = (ANCHOR - D(days=7)).isoformat()
    code, _, err = run("export", "summary", "EX-OLD", "--format", "pdf", "--out", str(tmp_path / "s.pdf"),
                       "--as-of", day)
    assert code == 0, err
    assert f"32 weeks on {day}" in err and "weeks today" not in err, err


def _contradiction(now_day, now_is_today, day=OLD):
    return PregnancyContradiction(day, "EX-PREG", 18, "pregnant, 31 weeks", "EX-OLD", None, "not pregnant",
                                  "stale", now_weeks=32, now_day=now_day, now_is_today=now_is_today)


def test_now_words_in_the_domain():
    past = ANCHOR - D(days=7)
    assert _contradiction(ANCHOR, True).now_words() == f", 32 weeks today ({ANCHOR.isoformat()})"
    assert _contradiction(past, False).now_words() == f", 32 weeks on {past.isoformat()}"
    assert _contradiction(past, True, day=past).now_words() == " (today)"
    assert _contradiction(past, False, day=past).now_words() == ""  # "on DAY" is said already
    assert _contradiction(None, True).now_words() == ""
