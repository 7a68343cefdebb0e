"""Printouts and exports made after the intake use the pregnancy on their own date (preg16).

Before, the summary, the handout's pregnancy box and FHIR printed the weeks recorded at the
intake whatever the date, and a "not pregnant" answer could not be said at all. The weeks
on a date are the weeks at the intake plus the whole weeks since (FDA Drug Safety
Communication 2020: "We recommend avoiding NSAIDs in pregnant women at 20 weeks, rather than
the 30 weeks currently described in NSAID prescribing information"). Past 42 completed weeks
(prolonged pregnancy, ACOG's definition) the pregnancy has most likely ended: the handout
keeps the advice for a patient who still is pregnant, or breastfeeds, without telling her
"You are pregnant", and the clinician is asked.

FHIR pregnancy status (IPS value set pregnancy-status-uv-ips, ConceptMap LOINC to SNOMED CT):
"LA15173-0 (Pregnant) is equivalent to 77386006 (Pregnant); LA26683-5 (Not pregnant) is
equivalent to 60001007 (Not pregnant)"; the observation code is LOINC 82810-3.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports import fhir, summary
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.resources import resource_path
from tests.reports.test_exports import _text

EXAMPLE = json.loads(resource_path("examples", "routine_med_pregnant_opioid.json").read_text(encoding="utf-8"))
VISIT = dt.date.fromisoformat(EXAMPLE["visit_date"])


def case(weeks=24, meds=(("codeine 30mg", 120),), **patient):
    d = copy.deepcopy(EXAMPLE)
    if weeks is None:
        del d["patient"]["pregnancy_weeks"]
    else:
        d["patient"]["pregnancy_weeks"] = weeks
    d["patient"].update(patient)
    d["medicines"] = [{"name": n, "daily_dose_mg": dose} for n, dose in meds]
    return parse_case(d)


def opioid_sheet(c, day, lang="en"):
    req = h.request_for_case(c, day, clinic_name="Clinic", clinic_contact="555", lang=lang, sheets=["med_opioid"])
    return h.filled_sheets(req)[0], req


def pregnancy_status(bundle) -> list[dict]:
    return [e["resource"] for e in bundle["entry"]
            if e["resource"].get("code", {}).get("coding", [{}])[0].get("code") == "82810-3"]


def summary_section(tmp_path, c, day) -> str:
    out = tmp_path / "s.pdf"
    summary.write_summary_pdf(summary.SummaryRequest(c, day), out)
    text = _text(out)
    return " ".join(text[text.index("Conditions"):text.index("Red-flag screen")].split())


def test_a_handout_printed_six_weeks_later_says_the_weeks_on_its_date():
    sheet, _ = opioid_sheet(case(18), VISIT + dt.timedelta(weeks=6))
    box = sheet.sections[0]
    assert box.heading == "You are pregnant" and "You are 24 weeks pregnant" in box.paragraphs[0]


def test_past_42_weeks_the_handout_asks_and_keeps_the_advice_en_es():
    day = VISIT + dt.timedelta(weeks=30)  # 24 + 30 = 54 weeks
    sheet, req = opioid_sheet(case(24), day)
    box = sheet.sections[0]
    assert box.important and box.heading == "If you are pregnant or breastfeeding"
    text = box.paragraphs[0]
    assert f"Your record says you were 24 weeks pregnant on {VISIT.isoformat()}" in text
    assert "If you are still pregnant, or you are breastfeeding, tell your midwife" in text
    assert "Do not stop it suddenly" in text  # the conservative advice stays
    assert "You are 54 weeks pregnant" not in " ".join(hc.plain_text(sheet).split())
    assert any("still pregnant or breastfeeding" in n for n in h.dose_notices(req))  # the clinician is asked

    sheet_es, _ = opioid_sheet(case(24), day, lang="es")
    box_es = sheet_es.sections[0]
    assert box_es.heading == "Si está embarazada o da el pecho"
    assert f"estaba embarazada de 24 semanas el {VISIT.isoformat()}" in box_es.paragraphs[0]


def test_the_summary_says_the_weeks_on_its_date_and_a_no_as_answered(qapp_offscreen, tmp_path):
    later = VISIT + dt.timedelta(days=15)
    section = summary_section(tmp_path, case(18), later)
    assert f"Pregnant, 20 weeks on {later.isoformat()} (18 at the intake on {VISIT.isoformat()})" in section
    section = summary_section(tmp_path, case(None, pregnant=False), later)
    assert f"Pregnancy Not pregnant (answered no at intake {VISIT.isoformat()})" in section
    section = summary_section(tmp_path, case(None), later)
    assert "Pregnancy not recorded" in section


def test_the_summary_past_42_weeks_asks(qapp_offscreen, tmp_path):
    day = VISIT + dt.timedelta(weeks=25)
    section = summary_section(tmp_path, case(24), day)
    assert f"Pregnancy recorded at 24 weeks on {VISIT.isoformat()}" in section
    assert "Ask whether she is still pregnant or breastfeeding" in section


def test_fhir_not_pregnant_and_the_weeks_on_the_export_date():
    from fhir.resources.R4B.bundle import Bundle  # noqa: PLC0415

    bundle = fhir.case_bundle(case(None, pregnant=False), VISIT + dt.timedelta(days=3))
    (obs,) = pregnancy_status(bundle)
    assert obs["valueCodeableConcept"]["coding"][0] == {"system": "http://snomed.info/sct", "code": "60001007",
                                                       "display": "Not pregnant"}
    assert obs["effectiveDateTime"] == VISIT.isoformat() and "component" not in obs
    Bundle.model_validate(json.loads(json.dumps(bundle)))

    assert pregnancy_status(fhir.case_bundle(case(None), VISIT)) == []  # not asked: nothing said

    bundle = fhir.case_bundle(case(18), VISIT + dt.timedelta(days=15))
    (obs,) = pregnancy_status(bundle)
    assert obs["valueCodeableConcept"]["coding"][0]["code"] == "77386006"
    assert [c["valueQuantity"]["value"] for c in obs["component"]] == [18, 20]
    Bundle.model_validate(json.loads(json.dumps(bundle)))

    bundle = fhir.case_bundle(case(18), VISIT + dt.timedelta(weeks=30))
    (obs,) = pregnancy_status(bundle)
    assert "Ask whether she is still pregnant or breastfeeding" in obs["note"][0]["text"]
    Bundle.model_validate(json.loads(json.dumps(bundle)))
