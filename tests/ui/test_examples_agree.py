"""`assess` JSON, `assess` text and the window say the same thing on every example case.

For each file in resources/examples/ (one per hazard of issue 12 and the older ones),
the urgency tier, the triage headline and the surgical-review status and reason are
read from the three places a clinician can see them and compared: the CLI's JSON, the
CLI's text report, and the patient view (status line plus the assessment pane) built
offscreen from the same store a clinic uses.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest

from radiculopathy_desktop.cli import main
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocab import Tier
from radiculopathy_desktop.resources import resource_path

EXAMPLES = sorted(resource_path("examples").glob("*.json"))
AS_OF = dt.date(2026, 11, 21)


def _plain(rich: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rich)).replace("\xa0", " ").split())


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def example_context(tmp_path):
    from radiculopathy_desktop.storage.store import CaseStore
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    store = CaseStore.open(tmp_path / "data")
    store.import_cases([parse_case(json.loads(p.read_text())) for p in EXAMPLES], user="test")
    yield AppContext(store=store, hub=EventHub(), data_dir=tmp_path / "data", today=lambda: AS_OF)
    store.close()


def test_there_is_an_example_for_each_triage_hazard():
    stems = {p.stem for p in EXAMPLES}
    for needed in ("emergency_mscc_cancer_with_radicular_pain", "emergency_infection_any_deficit",
                   "emergency_bilateral_side_answers_the_question", "routine_ces_questions_unanswered",
                   "urgent_upper_motor_neurone_signs", "urgent_fever_at_follow_up_visit",
                   "routine_improving_keep_under_review", "urgent_minor_trauma_over_50",
                   "routine_back_pain_not_recorded"):
        assert needed in stems


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_json_text_and_window_agree(qtbot, capsys, example_context, path):
    from radiculopathy_desktop.ui.patient_view import PatientView

    profile = example_context.profile()
    assert main(["assess", str(path), "--as-of", AS_OF.isoformat(), "--format", "json", "--profile", profile]) == 0
    data = json.loads(capsys.readouterr().out)
    assert main(["assess", str(path), "--as-of", AS_OF.isoformat(), "--profile", profile]) == 0
    text = _flat(capsys.readouterr().out)

    tier, headline = data["triage"]["tier"], data["triage"]["headline"]
    review = data["surgical_review"]
    assert tier == path.stem.split("_")[0], "the example's name says its tier"
    # the text report
    incomplete = tier == "routine" and not data["triage"]["screen_complete"]  # printed as INCOMPLETE, never Routine
    # both from the one tier label table (domain/vocab.py); the JSON's tier_label is the same words
    text_word = data["triage"]["tier_label"] if incomplete else Tier(tier).action_label
    window_word = data["triage"]["tier_label"] if incomplete else Tier(tier).label
    assert incomplete or window_word == data["triage"]["tier_label"]
    assert _flat(f"URGENCY: {text_word}: {headline}") in text
    assert f"SURGICAL REVIEW: {review['label']}" in text

    # the window: the patient view, as a clinician opens the case
    view = PatientView(example_context)
    qtbot.addWidget(view)
    assert view.load(data["case_id"])
    status_line = _plain(view.status.text())
    assert status_line.startswith(review["label"])
    assert _flat(review["reason"]) in status_line
    pane = _flat(view.pathway.toPlainText())
    assert f"Red-flag triage: {window_word}" in pane
    assert _flat(headline) in pane
    assert review["label"] in pane
    view.close()
