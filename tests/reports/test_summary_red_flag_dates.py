"""The referral summary says when each red flag answered yes was recorded, where it was
reported again, and whether a decision since has acknowledged it; the FHIR Bundle's red-flag
Observations carry the same dates (rd13 D19, H-TRI-186).

rd13: "Urgency on 2026-11-30: URGENT (same day) - suspected spinal infection. / Fever ...: YES"
while the fever was answered yes at the 2026-11-12 follow-up, 18 days earlier, and nothing
said so. A surgeon triaging a referral needs the day the sign appeared (a fever of 18 days
is not a fever of today) and whether someone already acted on it.

Expected values are worked out here from the records (dates typed in the case), never read
back from the code.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports import fhir, summary
from radiculopathy_desktop.resources import resource_path
from tests.reports.test_exports import _text

AS_OF = dt.date(2026, 11, 30)
FEVER = json.loads(resource_path("examples", "urgent_fever_at_follow_up_visit.json").read_text(encoding="utf-8"))
FEVER_Q = "Fever or feeling systemically unwell"


def _case(visits=(), decisions=(), intake_flags=None):
    d = copy.deepcopy(FEVER)
    d["visits"] = [{"date": day, "leg_nrs": 6, "red_flags": flags} for day, flags in visits]
    if decisions:
        d["decisions"] = list(decisions)
    if intake_flags:
        d["red_flags"].update(intake_flags)
    return parse_case(d)


def _screen(case) -> str:
    html, _ = summary.summary_html(summary.SummaryRequest(case, AS_OF))
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return text[text.index("Red-flag screen"):text.index("Medicine safety")]


def _row(screen: str, question: str) -> str:
    """The question's row: up to the count line that ends the table (one flag in these cases)."""
    start = screen.index(question)
    return screen[start:screen.index("red-flag questions answered no", start)]


def test_a_yes_at_a_follow_up_visit_is_dated_by_that_visit_not_the_print_date():
    screen = _screen(_case([("2026-11-12", {"fever": "yes"})]))
    row = _row(screen, FEVER_Q)
    assert "YES" in row and "recorded 2026-11-12 (follow-up visit)" in row
    assert "not acknowledged by a decision since" in row


def test_a_yes_at_the_intake_is_dated_by_the_intake():
    screen = _screen(_case(intake_flags={"fever": "yes"}))
    assert f"recorded {FEVER['visit_date']} (intake)" in _row(screen, FEVER_Q)


def test_a_yes_reported_again_keeps_its_first_date_and_names_the_later_visits():
    screen = _screen(_case([("2026-11-12", {"fever": "yes"}), ("2026-11-19", {"fever": "unknown"}),
                            ("2026-11-26", {"fever": "yes"})]))
    row = _row(screen, FEVER_Q)
    assert "recorded 2026-11-12 (follow-up visit)" in row
    assert "reported again at the visit of 2026-11-26" in row and "2026-11-19" not in row  # unknown is not a report


def test_a_yes_cleared_by_a_no_and_raised_again_is_dated_from_the_new_yes():
    screen = _screen(_case([("2026-11-05", {"fever": "yes"}), ("2026-11-12", {"fever": "no"}),
                            ("2026-11-26", {"fever": "yes"})]))
    row = _row(screen, FEVER_Q)
    assert "recorded 2026-11-26 (follow-up visit)" in row and "2026-11-05" not in row


def test_a_decision_naming_the_flag_since_it_was_raised_is_given():
    screen = _screen(_case([("2026-11-12", {"fever": "yes"})],
                           [{"date": "2026-11-14", "kind": "referred_for_surgical_opinion", "by": "Dr Demo",
                             "acknowledged_red_flags": ["fever"]}]))
    row = _row(screen, FEVER_Q)
    assert "acknowledged by the decision of 2026-11-14 (Referred for surgical opinion)" in row
    assert "not acknowledged" not in row


def test_a_decision_before_the_flag_or_naming_other_flags_does_not_acknowledge_it():
    decisions = [{"date": "2026-11-10", "kind": "referred_for_surgical_opinion", "by": "Dr Demo",
                  "acknowledged_red_flags": []},
                 {"date": "2026-11-14", "kind": "referred_for_surgical_opinion", "by": "Dr Demo",
                  "acknowledged_red_flags": ["saddle_anaesthesia"]}]
    row = _row(_screen(_case([("2026-11-12", {"fever": "yes"})], decisions)), FEVER_Q)
    assert "not acknowledged by a decision since" in row


def test_a_visit_after_the_summary_date_is_not_counted():
    case = _case([("2026-11-12", {"fever": "yes"}), ("2026-12-05", {"fever": "yes"})])
    assert "reported again" not in _row(_screen(case), FEVER_Q)


def test_the_pdf_prints_the_date_beside_the_yes(qapp_offscreen, tmp_path):
    out = tmp_path / "s.pdf"
    summary.write_summary_pdf(summary.SummaryRequest(_case([("2026-11-12", {"fever": "yes"})]), AS_OF), out)
    assert "recorded 2026-11-12 (follow-up visit)" in _text(out)


@pytest.mark.parametrize("visits", [
    [("2026-11-12", {"fever": "yes"})],
    [("2026-11-12", {"fever": "yes"}), ("2026-11-26", {"fever": "yes"})],
])
def test_the_fhir_red_flag_observations_carry_the_dates_the_summary_prints(visits):
    case = _case(visits)
    bundle = fhir.case_bundle(case, AS_OF)
    fever = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
             and any(c.get("code") == "red-flag-fever" for c in e["resource"]["code"].get("coding", []))]
    yes_days = sorted(o["effectiveDateTime"] for o in fever if o.get("valueBoolean") is True)
    assert yes_days == [day for day, _ in visits]
    row = _row(_screen(case), FEVER_Q)
    assert f"recorded {yes_days[0]}" in row
    for again in yes_days[1:]:
        assert again in row
