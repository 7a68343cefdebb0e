"""surgstep: `assess` (json and text) gives the surgical-opinion step from the review status: a
case the patient declined is not "current" and names the decision; a snoozed case says when it is
reviewed again; the text shows that reasoning under the step (it printed a bare "[later]")."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from helpers.cli_run import assess_output

from tests.domain.test_surgical_step_every_status_surgstep import TODAY, case, decided


def _assess(capsys, tmp_path, c: dict, profile: str, fmt: str) -> str:
    return assess_output(capsys, tmp_path, c, TODAY, profile, fmt)


def _text_step(out: str) -> str:
    at = out.index("6. Surgical opinion")
    return " ".join(out[at: at + 600].split())


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_declined_json_and_text(capsys, tmp_path, profile):
    c = case(70, decisions=[decided("patient_declined")])
    data = json.loads(_assess(capsys, tmp_path, c, profile, "json"))
    step = next(s for s in data["pathway"]["steps"] if s["id"] == "surgical_opinion")
    assert data["surgical_review"]["status"] == "closed"
    assert step["state"] == "not_applicable"
    assert step["why"][0].startswith(f"Not now: the patient declined a surgical opinion on {TODAY.isoformat()}")
    text = _text_step(_assess(capsys, tmp_path, c, profile, "text"))
    assert text.startswith("6. Surgical opinion [not applicable]")
    assert f"the patient declined a surgical opinion on {TODAY.isoformat()}" in text


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_snoozed_json_and_text(capsys, tmp_path, profile):
    until = (TODAY + dt.timedelta(days=28)).isoformat()
    c = case(70, decisions=[decided("continue_conservative_care", until=until)])
    data = json.loads(_assess(capsys, tmp_path, c, profile, "json"))
    step = next(s for s in data["pathway"]["steps"] if s["id"] == "surgical_opinion")
    assert data["surgical_review"]["status"] == "snoozed" and step["state"] == "later"
    assert step["why"][0].startswith(f"Reviewed again on {until}: Dr Ames decided on {TODAY.isoformat()}")
    text = _text_step(_assess(capsys, tmp_path, c, profile, "text"))
    assert text.startswith("6. Surgical opinion [later]") and f"Reviewed again on {until}" in text


def test_uk_due_text_says_what_to_check_at_this_review(capsys, tmp_path):
    text = _text_step(_assess(capsys, tmp_path, case(70), "uk", "text"))
    assert text.startswith("6. Surgical opinion [current]") and "Review due now:" in text
    assert "At this review, check the guideline's condition" in text and "Not yet indicated" not in text
