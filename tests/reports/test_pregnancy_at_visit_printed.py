"""Printouts and exports read a pregnancy recorded at a follow-up visit from that visit's date
on (preg17, H-MED-254, H-FMT-256).

Before, the summary, the handout's pregnancy box, FHIR and the cases CSV knew only the
intake's answer. FDA Drug Safety Communication 2020: "We recommend avoiding NSAIDs in pregnant
women at 20 weeks, rather than the 30 weeks currently described in NSAID prescribing
information". FHIR pregnancy status (IPS value set pregnancy-status-uv-ips): LOINC 82810-3,
"LA15173-0 (Pregnant) is equivalent to 77386006 (Pregnant); LA26683-5 (Not pregnant) is
equivalent to 60001007 (Not pregnant)".
"""

from __future__ import annotations

import copy
import datetime as dt
import json

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports import fhir
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.reports.csv_export import COLUMN_NAMES, row_from_case
from radiculopathy_desktop.resources import resource_path
from tests.reports.test_pregnancy_printed_later import pregnancy_status, summary_section

EXAMPLE = json.loads(resource_path("examples", "routine_med_pregnant_opioid.json").read_text(encoding="utf-8"))
VISIT = dt.date.fromisoformat(EXAMPLE["visit_date"])
UPDATE = VISIT + dt.timedelta(days=21)


def case(intake_weeks, pregnancy, meds=(("codeine 30mg", 120),)):
    d = copy.deepcopy(EXAMPLE)
    d["patient"].pop("pregnancy_weeks", None)
    if intake_weeks is not None:
        d["patient"]["pregnancy_weeks"] = intake_weeks
    d["medicines"] = [{"name": n, "daily_dose_mg": dose} for n, dose in meds]
    d["visits"] = [{"date": UPDATE.isoformat(), "leg_nrs": 5, "pregnancy": pregnancy}]
    return parse_case(d)


def test_the_handout_box_follows_a_pregnancy_recorded_at_a_visit():
    begun = case(None, {"pregnant": True, "weeks": 10})
    req = h.request_for_case(begun, UPDATE + dt.timedelta(weeks=3), clinic_name="C", clinic_contact="5",
                             sheets=["med_opioid"])
    box = h.filled_sheets(req)[0].sections[0]
    assert box.heading == "You are pregnant" and "You are 13 weeks pregnant" in box.paragraphs[0]
    before = h.request_for_case(begun, UPDATE - dt.timedelta(days=1), clinic_name="C", clinic_contact="5",
                                sheets=["med_opioid"])
    assert all("pregnant" not in (s.heading or "").lower() for s in h.filled_sheets(before)[0].sections)
    ended = case(24, {"pregnant": False})
    req = h.request_for_case(ended, UPDATE, clinic_name="C", clinic_contact="5", sheets=["med_opioid"])
    assert all("pregnant" not in (s.heading or "").lower() for s in h.filled_sheets(req)[0].sections)


def test_the_summary_says_the_visits_answer(qapp_offscreen, tmp_path):
    later = UPDATE + dt.timedelta(days=14)
    section = summary_section(tmp_path, case(None, {"pregnant": True, "weeks": 18}), later)
    assert f"Pregnant, 20 weeks on {later.isoformat()} (18 at the visit on {UPDATE.isoformat()})" in section
    ended = (UPDATE - dt.timedelta(days=2)).isoformat()
    section = summary_section(tmp_path, case(30, {"pregnant": False, "ended_on": ended}), later)
    assert f"Not pregnant (recorded at the visit of {UPDATE.isoformat()}, ended {ended})" in section
    section = summary_section(tmp_path, case(30, {"pregnant": False}), UPDATE - dt.timedelta(days=1))
    assert "Pregnant, 32 weeks on" in section  # a summary dated before the visit: what stood then


def test_fhir_gives_the_updated_status_with_the_visits_date():
    from fhir.resources.R4B.bundle import Bundle  # noqa: PLC0415

    bundle = fhir.case_bundle(case(12, {"pregnant": True, "weeks": 16}), UPDATE + dt.timedelta(days=14))
    (obs,) = pregnancy_status(bundle)
    assert obs["effectiveDateTime"] == UPDATE.isoformat()
    assert obs["valueCodeableConcept"]["coding"][0]["code"] == "77386006"
    assert [(c["code"]["coding"][0]["code"], c["valueQuantity"]["value"]) for c in obs["component"]] == [
        ("pregnancy-weeks-at-visit", 16), ("pregnancy-weeks-on-date", 18)]
    Bundle.model_validate(json.loads(json.dumps(bundle)))

    ended = (UPDATE - dt.timedelta(days=1)).isoformat()
    bundle = fhir.case_bundle(case(30, {"pregnant": False, "ended_on": ended}), UPDATE)
    (obs,) = pregnancy_status(bundle)
    assert obs["effectiveDateTime"] == UPDATE.isoformat()
    assert obs["valueCodeableConcept"]["coding"][0]["code"] == "60001007"
    assert f"the pregnancy ended on {ended}" in obs["note"][0]["text"]
    Bundle.model_validate(json.loads(json.dumps(bundle)))

    # exported for a date before the visit: the intake's answer, dated on the intake
    (obs,) = pregnancy_status(fhir.case_bundle(case(30, {"pregnant": False}), UPDATE - dt.timedelta(days=1)))
    assert obs["effectiveDateTime"] == VISIT.isoformat() and obs["valueCodeableConcept"]["coding"][0]["code"] == "77386006"


def test_the_cases_csv_row_has_the_pregnancy_on_its_date_after_the_existing_columns():
    assert COLUMN_NAMES[20:24] == ("app_version", "content_version", "pregnant", "pregnancy_weeks")
    begun = case(None, {"pregnant": True, "weeks": 19})
    assert [row_from_case(begun, d)[c] for d in (UPDATE - dt.timedelta(days=1), UPDATE, UPDATE + dt.timedelta(days=7))
            for c in ("pregnant", "pregnancy_weeks")] == ["", "", "yes", 19, "yes", 20]
    ended = case(30, {"pregnant": False})
    assert [row_from_case(ended, d)[c] for d in (UPDATE - dt.timedelta(days=1), UPDATE)
            for c in ("pregnant", "pregnancy_weeks")] == ["yes", 32, "no", ""]
    late = case(None, {"pregnant": True, "weeks": 40})
    assert [row_from_case(late, UPDATE + dt.timedelta(weeks=3))[c] for c in ("pregnant", "pregnancy_weeks")] == [
        "ask", 42]
