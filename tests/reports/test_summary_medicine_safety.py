"""Red-team A1/A5: the referral summary PDF carries the medicine alerts in a "Medicine safety"
section (NSAIDs contraindicated from 30 weeks of pregnancy; NSAID with an anticoagulant avoided)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports import summary
from radiculopathy_desktop.resources import resource_path
from tests.reports.test_exports import _text

AS_OF = dt.date(2026, 11, 29)
BASE = json.loads(resource_path("examples", "routine_l5_acute.json").read_text(encoding="utf-8"))


def _case(medicines, **patient):
    d = copy.deepcopy(BASE)
    d["patient"].update(patient)
    d["medicines"] = medicines
    return parse_case(d)


def _section(text: str) -> str:
    return text[text.index("Medicine safety"):text.index("Examination and suspected root")]


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_summary_names_the_contraindicated_current_nsaid(qapp_offscreen, tmp_path, profile):
    out = tmp_path / "s.pdf"
    case = _case([{"name": "ibuprofen", "daily_dose_mg": 1200}], pregnancy_weeks=32)
    summary.write_summary_pdf(summary.SummaryRequest(case, AS_OF, profile=profile), out)
    section = _section(_text(out))
    assert "CONTRAINDICATED" in section and "Taking ibuprofen 1200 mg/day" in section
    # the reason of the profile's source: uk the MHRA's "after 28 weeks", us the FDA's 30 weeks (fxk20)
    assert ("after 28 weeks" if profile == "uk" else "from 30 weeks") in " ".join(section.split())


def test_summary_names_the_anticoagulant_interaction(qapp_offscreen, tmp_path):
    out = tmp_path / "s.pdf"
    case = _case([{"name": "apixaban", "daily_dose_mg": 10}, {"name": "ibuprofen", "daily_dose_mg": 1200}],
                 birth_date="1956-01-10")
    summary.write_summary_pdf(summary.SummaryRequest(case, AS_OF), out)
    section = _section(_text(out))
    assert "AVOID" in section and "ibuprofen with apixaban" in section and "bleeding" in section


def test_summary_says_when_no_current_medicine_needs_changing(qapp_offscreen, tmp_path):
    out = tmp_path / "s.pdf"
    summary.write_summary_pdf(summary.SummaryRequest(_case([{"name": "ibuprofen", "daily_dose_mg": 1200}]), AS_OF), out)
    assert "No current medicine is contraindicated" in _section(_text(out))


# Red-team A3: the referral summary never says "routine" while cauda equina answers are missing
def test_summary_urgency_says_incomplete_and_what_to_ask(qapp_offscreen, tmp_path):
    d = copy.deepcopy(BASE)
    d["red_flags"].update(saddle_anaesthesia="unknown", urinary_retention_or_incontinence="unknown")
    out = tmp_path / "s.pdf"
    summary.write_summary_pdf(summary.SummaryRequest(parse_case(d), AS_OF), out)
    text = _text(out)
    urgency = text[text.index("Urgency on"):text.index("Question")]
    assert "INCOMPLETE: ask the cauda equina questions now" in urgency and "routine" not in urgency.lower()
    assert "Screen incomplete: ask now" in urgency and "Saddle" in urgency


def test_summary_urgency_is_routine_when_the_screen_is_complete(qapp_offscreen, tmp_path):
    out = tmp_path / "s.pdf"
    summary.write_summary_pdf(summary.SummaryRequest(parse_case(copy.deepcopy(BASE)), AS_OF), out)
    text = _text(out)
    assert "Urgency on 2026-11-29: Routine" in text and "INCOMPLETE" not in text  # Tier.ROUTINE.label


def test_summary_tells_a_long_term_steroid_beside_an_nsaid_not_to_stop_suddenly(qapp_offscreen, tmp_path):
    # gp14 G3: the summary said "stop or change it" for prednisolone at 73 beside naproxen (Beers
    # 2023 avoid for the pair); BNF: a steroid taken more than 3 weeks is withdrawn gradually
    out = tmp_path / "s.pdf"
    d = copy.deepcopy(BASE)
    d["patient"].pop("birth_date")
    d["patient"]["age_years"] = 73
    d["red_flags"]["prolonged_corticosteroid_use"] = "yes"
    d["medicines"] = [{"name": "prednisolone", "daily_dose_mg": 10}, {"name": "naproxen", "daily_dose_mg": 1000}]
    summary.write_summary_pdf(summary.SummaryRequest(parse_case(d), AS_OF, profile="us"), out)
    section = " ".join(_section(_text(out)).split())
    steroid = section[section.index("Taking prednisolone"):]
    assert "Review naproxen (the NSAID) first" in steroid
    assert "do not stop it suddenly: reduce gradually with the prescriber" in steroid
    assert "stop or change it" not in steroid[:steroid.index("do not stop it suddenly")]
    assert "stop or change them" not in steroid[:steroid.index("do not stop it suddenly")]


def test_summary_gives_a_combination_dose_with_how_it_was_read(qapp_offscreen, tmp_path):
    """G17: co-codamol 30/500 recorded as 6000 mg a day is 12 tablets (paracetamol 6000 mg, above
    the label's 4000 mg in 24 hours); the summary says so, never a bare '6000 mg/day'."""
    out = tmp_path / "s.pdf"
    case = _case([{"name": "co-codamol 30/500", "daily_dose_mg": 6000}])
    summary.write_summary_pdf(summary.SummaryRequest(case, AS_OF), out)
    text = " ".join(_text(out).split())
    assert ("co-codamol 30/500 6000 mg/day (12 tablets a day of 30/500: codeine 360 mg, acetaminophen 6000 mg)"
            in text)
    assert "6000 mg/day of acetaminophen" in _section(text)  # the alert: the paracetamol, above its maximum
