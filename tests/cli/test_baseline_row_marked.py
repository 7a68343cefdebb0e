""""(baseline)" is on the record of the intake's day that IS the baseline; the superseded intake
row says "intake, re-recorded the same day" (gp20 F11, rt22 F11), in the summary's "Scores over
time", on the CLI case page and in the window's Visits list (one wording, ``domain.visits``).

gp20 (HF-H, re-recorded the same day): the summary's table read "2026-12-01 (baseline) 7 4 38"
then "2026-12-01 same day as intake (not a follow-up) 3 2 20", while just below it said the
baseline is the re-recorded 3/2/20. rt22 F11's fix labelled the intake row "intake (baseline
re-recorded the same day)": still "baseline" on the row that is not, and no mark on the row
that is. The rule (``intake.day_baseline``): of the intake's day's records, each score's last
one stands. Boundaries: every score re-recorded (the visit is "(baseline)"), some re-recorded
(each row says which baseline scores it gives), the same scores again or a record the day
after (the intake row is "(baseline)", no other mark).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.commands import tracker
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports.summary import SummaryRequest, summary_html

from tests.helpers.cli_run import cli_runner, write_json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import ANCHOR, case_dict  # noqa: E402

D = dt.timedelta
START = ANCHOR - D(days=61)
DAY = START.isoformat()


def _cases() -> list[dict]:
    return [
        # gp20's HF-H: leg, back and ODI all re-recorded the same day
        case_dict("HF", care_start=START, leg=7, back=4, odi=38.0,
                  visits=[{"date": START, "leg_nrs": 3, "back_nrs": 2, "odi_percent": 20.0},
                          {"date": START + D(days=35), "leg_nrs": 3}]),
        # leg pain re-recorded, back pain and ODI not: the baseline is of both records
        case_dict("PT", care_start=START, leg=7, back=4, odi=38.0, visits=[{"date": START, "leg_nrs": 3}]),
        # the same scores again that day; a record the day after
        case_dict("SA", care_start=START, leg=7, back=4, odi=38.0,
                  visits=[{"date": START, "leg_nrs": 7, "back_nrs": 4, "odi_percent": 38.0}]),
        case_dict("SN", care_start=START, leg=7, back=4, odi=38.0, visits=[{"date": START + D(days=1), "leg_nrs": 7}]),
    ]


def _scores_rows(case_id: str) -> list[str]:
    """The summary's "Scores over time" table as text, one row a line."""
    cases = {c["case_id"]: parse_case(c) for c in _cases()}
    html, _ = summary_html(SummaryRequest(cases[case_id], ANCHOR))
    table = html.split("Scores over time", 1)[1].split("</table>", 1)[0]
    rows = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in table.split("</tr>")]
    return [r for r in rows if r[:4].isdigit()]


def test_the_summary_marks_the_re_recorded_visit_as_the_baseline():
    rows = _scores_rows("HF")
    assert rows[0] == f"{DAY} intake, re-recorded the same day 0 7 4 38 -", rows
    assert rows[1] == f"{DAY} (baseline) same day as intake (not a follow-up) 0 3 2 20 -", rows
    assert sum("(baseline" in r for r in rows) == 1


def test_the_summary_says_which_baseline_scores_each_row_gives_when_some_were_re_recorded():
    rows = _scores_rows("PT")
    assert rows[0].startswith(f"{DAY} intake, re-recorded the same day (baseline for back pain, ODI) "), rows
    assert rows[1].startswith(f"{DAY} (baseline for leg pain) same day as intake (not a follow-up) "), rows


def test_the_intakes_own_scores_standing_keep_the_plain_baseline_row():
    for case_id in ("SA", "SN"):
        rows = _scores_rows(case_id)
        assert rows[0].startswith(f"{DAY} (baseline) 0 7 4 38"), rows
        assert not any("(baseline" in r for r in rows[1:]) and not any("re-recorded" in r for r in rows)


def test_the_mark_follows_the_last_record_of_each_score_that_day():
    """Two records of the intake's day: the later one's scores stand (``intake.day_baseline``)."""
    from radiculopathy_desktop.domain.visits import baseline_mark
    data = case_dict("TW", care_start=START, leg=7, back=4, odi=38.0,
                     visits=[{"date": START, "leg_nrs": 5, "back_nrs": 3, "odi_percent": 30.0},
                             {"date": START, "leg_nrs": 3, "back_nrs": 2, "odi_percent": 20.0}])
    case = parse_case(data)
    assert [baseline_mark(case.intake, case.visits, n) for n in (None, 0, 1)] == ["", "", "(baseline)"]


@pytest.fixture
def run(target, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(tracker, "today", lambda: ANCHOR)
    go = cli_runner(capsys, *target)
    assert go("import", write_json(tmp_path, _cases(), "cases.json"))[0] == 0
    return go


def _visit_lines(out: str) -> list[str]:
    block = out.split("\nVisits\n", 1)[1].split("\nDecisions\n", 1)[0]
    return [line for line in block.splitlines()[1:] if line.strip()]


def test_the_case_page_puts_baseline_on_the_record_that_is_it(run):
    code, out, _ = run("case", "HF")
    assert code == 0
    lines = _visit_lines(out)
    assert [line.split()[1] for line in lines] == ["intake", "baseline", "follow-up"]
    assert lines[0].endswith("intake, re-recorded the same day") and "(baseline" not in lines[0]
    assert lines[1].split()[2:5] == ["3", "2", "20"]
    assert lines[1].endswith("same day as intake (not a follow-up) (baseline)")
    code, out, _ = run("case", "PT")
    lines = _visit_lines(out)
    assert [line.split()[1] for line in lines] == ["intake", "same"]
    assert "intake, re-recorded the same day (baseline for back pain, ODI)" in lines[0]
    assert lines[1].endswith("same day as intake (not a follow-up) (baseline for leg pain)")
