"""The referral summary names a paused review in words its reader knows (gp14 G7).

Before: a surgeon reading the summary of a case the clinician chose to keep in conservative
care until a date read "Status on this date: Snoozed" and "Surgical review: Snoozed", the
worklist's internal filter word, with the until date only further down. Now both say "Review
deferred until <date> by <who decided>"; the engine's reason stays beneath. Boundaries: the
day before the until date (deferred), the until date itself (the pause is over: the clock's
own status), the day after.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re

import pytest

from radiculopathy_desktop.domain.followup import surgical_review
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.reports import summary
from radiculopathy_desktop.resources import resource_path
from tests.reports.test_exports import _text

RAW = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
UNTIL = dt.date(2027, 1, 10)
DECIDED = dt.date(2026, 12, 1)


def _case(by: str | None = "Dr Ames"):
    d = copy.deepcopy(RAW)
    decision = {"date": DECIDED.isoformat(), "kind": "continue_conservative_care", "until": UNTIL.isoformat()}
    if by is not None:
        decision["by"] = by
    d["decisions"] = [decision]
    return parse_case(d)


def _words(case, as_of) -> str:
    html, _ = summary.summary_html(summary.SummaryRequest(case, as_of))
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("as_of, deferred", [
    (UNTIL - dt.timedelta(days=1), True),  # just below: still paused
    (UNTIL, False),  # at: the pause is over
    (UNTIL + dt.timedelta(days=1), False),  # just above
])
def test_a_paused_review_is_said_as_deferred_until_the_date_by_whom(as_of, deferred):
    case = _case()
    review = surgical_review(case, as_of)
    assert (review.status == ReviewStatus.SNOOZED) is deferred  # the engine's own status, checked first
    text = _words(case, as_of)
    assert "Snoozed" not in text
    wanted = "Review deferred until 2027-01-10 by Dr Ames"
    if deferred:
        assert f"Status on this date: {wanted} ." in text
        assert f"Surgical review: {wanted} " in text
        assert "continue conservative care until 2027-01-10" in text  # the reason, beneath
    else:
        assert wanted not in text
        assert f"Status on this date: {review.status.label} ." in text


def test_a_decision_without_a_name_says_the_clinician():
    text = _words(_case(by=None), UNTIL - dt.timedelta(days=1))
    assert "Review deferred until 2027-01-10 by the clinician" in text and "Snoozed" not in text


def test_the_pdf_says_it_too(qapp_offscreen, tmp_path):
    out = tmp_path / "s.pdf"
    summary.write_summary_pdf(summary.SummaryRequest(_case(), UNTIL - dt.timedelta(days=1)), out)
    text = _text(out)
    assert "Review deferred until 2027-01-10 by Dr Ames" in text and "Snoozed" not in text
