"""The intake's row is labelled "baseline" only when its scores are the baseline used (rt22 F11, H-FU-352 extended).

rt22 F11: after fxj20 (a later record of the intake's day stands for that day, so it is the
baseline Progress is judged from: ``domain.intake.day_baseline``), the CLI case page still listed
"2026-10-01  baseline  7 ..." directly under "Baseline: leg pain 7 at intake, re-recorded 3 the same
day ... Progress is judged from it", and the summary PDF "2026-10-01 (baseline)  7". The window
already said "Intake (baseline re-recorded the same day)". All three now use one wording
(``domain.visits.INTAKE_REPLACED_KIND``; since gp20 F11 "intake, re-recorded the same day", the
record that is the baseline marked: tests/cli/test_baseline_row_marked.py). Boundaries: the same scores re-recorded (the intake's
scores stand: "baseline"), a record the day after (a follow-up: "baseline").
"""

from __future__ import annotations

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports.summary import SummaryRequest, summary_html

from .test_intake_day_record_cli import ANCHOR, START, _cases, _visit_lines, run  # noqa: F401 (fixture)

INTAKE_REPLACED_KIND = "intake, re-recorded the same day"  # domain.visits, the one wording (gp20 F11)


def test_the_case_page_does_not_call_the_superseded_intake_row_baseline(run):
    code, out, _ = run("case", "SC")
    assert code == 0
    lines = _visit_lines(out)
    assert [line.split()[1] for line in lines] == ["intake", "same", "follow-up"]
    # gp20 F11: SC's back pain and ODI are still the intake's, so its row says it gives that baseline score
    assert lines[0].split()[2] == "7" and "intake, re-recorded the same day (baseline for back pain, ODI)" in lines[0]
    assert not any(line.split()[1] == "baseline" for line in lines)
    assert "Baseline: leg pain 7 at intake, re-recorded 3 the same day" in out


def test_the_intakes_own_scores_standing_are_still_the_baseline(run):
    for case_id in ("SA", "SN"):  # the same scores again that day; a record the day after
        code, out, _ = run("case", case_id)
        assert code == 0
        lines = _visit_lines(out)
        assert lines[0].split()[:2] == [START.isoformat(), "baseline"]
        assert INTAKE_REPLACED_KIND not in out


def test_the_summary_labels_the_intake_row_as_the_window_does():
    cases = {c["case_id"]: parse_case(c) for c in _cases()}
    html, _ = summary_html(SummaryRequest(cases["SC"], ANCHOR))
    assert f"{START.isoformat()} intake, re-recorded the same day (baseline for back pain, ODI)" in html
    assert f"{START.isoformat()} (baseline)" not in html
    for case_id in ("SA", "SN"):
        html, _ = summary_html(SummaryRequest(cases[case_id], ANCHOR))
        assert f"{START.isoformat()} (baseline)" in html and INTAKE_REPLACED_KIND not in html
