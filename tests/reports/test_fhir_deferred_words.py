"""The FHIR export names a paused review in a reader's words (sn16).

Before: the CarePlan description (and a referral's ServiceRequest note) said "Surgical review:
Snoozed. ..." to a reader outside the clinic (another clinic's system, a specialist), the
worklist's internal filter word. Now it says "Review deferred until <date> by <who decided>"
(followup.status_for_reader, the referral summary's wording); the codes are unchanged
(CarePlan.status stays "active", validated as FHIR R4B). Boundaries: the day before the until
date (deferred), the until date itself (the pause is over: the clock's own status), the day after.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from radiculopathy_desktop.domain.followup import surgical_review
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.reports import fhir
from radiculopathy_desktop.resources import resource_path

RAW = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))
UNTIL = dt.date(2027, 1, 10)
DECIDED = dt.date(2026, 12, 1)
WANTED = "Surgical review: Review deferred until 2027-01-10 by Dr Ames."


def _case(*earlier: dict, by: str | None = "Dr Ames"):
    d = copy.deepcopy(RAW)
    decision = {"date": DECIDED.isoformat(), "kind": "continue_conservative_care", "until": UNTIL.isoformat()}
    if by is not None:
        decision["by"] = by
    d["decisions"] = [*earlier, decision]
    return parse_case(d)


def _of(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


@pytest.mark.parametrize("as_of, deferred", [
    (UNTIL - dt.timedelta(days=1), True),  # just below: still paused
    (UNTIL, False),  # at: the pause is over
    (UNTIL + dt.timedelta(days=1), False),  # just above
])
def test_the_care_plan_says_review_deferred_never_snoozed(as_of, deferred):
    case = _case()
    review = surgical_review(case, as_of)
    assert (review.status == ReviewStatus.SNOOZED) is deferred  # the engine's own status, checked first
    bundle = fhir.case_bundle(case, as_of)
    Bundle.model_validate(bundle)  # still valid FHIR R4B
    assert "Snoozed" not in json.dumps(bundle)
    (plan,) = _of(bundle, "CarePlan")
    assert plan["status"] == "active" and plan["period"]["end"] == UNTIL.isoformat()
    if deferred:
        assert plan["description"].startswith(WANTED + " " + review.reason)
    else:
        assert plan["description"].startswith(f"Surgical review: {review.status.label}. {review.reason}")
        assert "Review deferred" not in plan["description"]


def test_no_name_recorded_says_the_clinician():
    bundle = fhir.case_bundle(_case(by=None), UNTIL - dt.timedelta(days=1))
    (plan,) = _of(bundle, "CarePlan")
    assert plan["description"].startswith("Surgical review: Review deferred until 2027-01-10 by the clinician.")


def test_a_referral_paused_later_says_so_in_the_service_request_note():
    """A referral followed by a decision to continue until a date: the export still sends the
    referral (the latest one), and its note says the review is deferred, in the same words."""
    referral = {"date": "2026-11-25", "kind": "referred_for_surgical_opinion", "by": "Dr Ames"}
    as_of = UNTIL - dt.timedelta(days=1)
    case = _case(referral)
    assert surgical_review(case, as_of).status == ReviewStatus.SNOOZED
    bundle = fhir.case_bundle(case, as_of)
    Bundle.model_validate(bundle)
    assert "Snoozed" not in json.dumps(bundle)
    (request,) = [r for r in _of(bundle, "ServiceRequest") if not r.get("category")]
    assert request["note"][0]["text"].startswith(WANTED)
    assert request["status"] == "active" and request["intent"] == "order"
