"""The outcomes audit report PDF and its charts (issue 16): at most two pages, the
definitions printed, the charts in black and white with text alternatives."""

from __future__ import annotations

import importlib.util
import unicodedata
from pathlib import Path

from pypdf import PdfReader

from radiculopathy_desktop.domain.outcomes import compute_outcomes

_spec = importlib.util.spec_from_file_location("outcome_cohorts", Path(__file__).resolve().parents[1] / "outcome_cohorts.py")
_c = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_c)


def _report():
    return compute_outcomes(_c.qs_cohort() + _c.pathway_cohort() + _c.outcome_cohort(), *_c.PERIOD, as_of=_c.AS_OF)


def test_report_is_at_most_two_pages_with_period_numbers_and_definitions(qapp_offscreen, tmp_path):
    from radiculopathy_desktop.reports.outcomes_report import write_outcomes_pdf

    out = tmp_path / "audit.pdf"
    pages = write_outcomes_pdf(_report(), out, clinic="Riverside Health Centre")
    reader = PdfReader(str(out))
    assert pages == len(reader.pages) and 1 <= pages <= 2
    text = unicodedata.normalize("NFKC", " ".join(" ".join(p.extract_text().split()) for p in reader.pages))
    assert "intake visits 2026-01-01 to 2026-03-31" in text and "Cohort: 21 cases" in text
    # hand-worked: 8 of the 21 have STarT Back (A-D of the QS cohort, O1-O4 of the outcome cohort)
    assert "8/21 (38.1%)" in text
    assert "Definitions" in text and "Charts in words" in text
    assert "do not have imaging requested by a non-specialist service unless serious underlying pathology" in text
    assert "Patient A" not in text  # counts only, never names


def test_charts_are_black_and_white_and_say_the_same_in_words(qapp_offscreen):
    from radiculopathy_desktop.reports import outcomes_charts as oc

    report = _report()
    ww = (6.0, 12.0)
    for paint, args in ((oc.paint_run_chart, (report.run_charts,)),
                        (oc.paint_weeks_to_decision, (report.weeks_to_decision, ww)),
                        (oc.paint_leg_pain_by_group, (report.leg_pain_by_group,))):
        img = oc.chart_image(paint, *args, width_px=300, height_px=200)
        colours = {img.pixelColor(x, y).getRgb()[:3] for x in range(0, 300, 3) for y in range(0, 200, 3)}
        assert len(colours) > 2  # something was drawn
        assert all(r == g == b for r, g, b in colours)  # greys only: prints in black and white
    assert "Jan 26" in oc.run_chart_text(report.run_charts)
    # weeks to the first decision in the pathway cohort: 6, 8, 10, 12, 14 (one case each)
    assert oc.weeks_to_decision_text(report.weeks_to_decision) == (
        "Weeks to the first decision (5 cases): week 6: 1; week 8: 1; week 10: 1; week 12: 1; week 14: 1.")
    assert "Low risk: week 0" in oc.leg_pain_by_group_text(report.leg_pain_by_group)
