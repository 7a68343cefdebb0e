"""The referral summary's "Conditions" section and the pregnancy in the summary and FHIR
Bundle (rd13 D1, D12).

A surgeon, radiologist or anaesthetist reading only the referral must see the conditions the
medicine checks act on, as stored at the intake: pregnancy with its weeks, kidney function
(chronic kidney disease, creatinine and the Cockcroft-Gault CrCl the checks used), diabetes,
heart failure, cardiovascular disease, falls, an anticoagulant among the current medicines and
the STarT Back risk (Hill et al. 2008: high = distress subscale 4-5 with total 4 or more).
A condition not recorded says "not recorded"; nothing is inferred.

FHIR: LOINC 82810-3 "Pregnancy status" with SNOMED CT 77386006 "Pregnant" (US Core pregnancy
status example, STU7; the IPS pregnancy-status value set maps LA15173-0 Pregnant ~ 77386006).
"""

from __future__ import annotations

import copy
import datetime as dt
import json

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.reports import fhir, summary
from radiculopathy_desktop.resources import resource_path
from tests.reports.test_exports import _text

AS_OF = dt.date(2026, 11, 29)
PREGNANT = json.loads(resource_path("examples", "routine_med_pregnant_opioid.json").read_text(encoding="utf-8"))
S1 = json.loads(resource_path("examples", "routine_s1_follow_up_due.json").read_text(encoding="utf-8"))


def _section(text: str) -> str:
    return " ".join(text[text.index("Conditions"):text.index("Red-flag screen")].split())


def _pdf(tmp_path, data) -> str:
    out = tmp_path / "s.pdf"
    summary.write_summary_pdf(summary.SummaryRequest(parse_case(data), AS_OF), out)
    return _text(out)


def test_pregnancy_weeks_and_the_opioid_caution(qapp_offscreen, tmp_path):
    text = _pdf(tmp_path, PREGNANT)
    section = _section(text)
    # the weeks on the summary's date: 24 at the intake, 10 days (one whole week) before
    assert f"Pregnant, 25 weeks on {AS_OF.isoformat()} (24 at the intake on {PREGNANT['visit_date']})" in section
    safety = " ".join(text[text.index("Medicine safety"):text.index("Examination and suspected root")].split())
    assert "Pregnancy:" in safety and "neonatal opioid withdrawal syndrome" in safety


def test_s1_conditions_from_the_intake(qapp_offscreen, tmp_path):
    section = _section(_pdf(tmp_path, S1))
    cond = S1["conditions"]
    assert "chronic kidney disease: " + ("yes" if cond["ckd"] else "no") in section
    assert f"creatinine {cond['serum_creatinine']['value']:g} mg/dL" in section
    assert "CrCl 45.5 mL/min by Cockcroft-Gault" in section  # (140-71) x 76 / (72 x 1.6) = 45.5
    assert "Diabetes " + ("yes" if cond["diabetes"] else "no") in section
    assert "Anticoagulant apixaban" in section
    assert "high risk (total 5/9, distress 4/5" in section
    assert "Pregnancy" not in section  # a male patient: no pregnancy row


def test_nothing_recorded_says_not_recorded(qapp_offscreen, tmp_path):
    d = copy.deepcopy(PREGNANT)
    del d["patient"]["pregnancy_weeks"]
    d["conditions"] = {}
    d["medicines"] = []
    d.pop("start_back", None)
    section = _section(_pdf(tmp_path, d))
    assert "Pregnancy not recorded" in section
    assert "chronic kidney disease: not recorded" in section and "Renal function unknown" in section
    for label in ("Diabetes", "Heart failure", "History of falls or fractures"):
        assert f"{label} not recorded" in section
    assert "Anticoagulant no current medicines recorded" in section
    assert "STarT Back risk not recorded" in section


def test_fhir_pregnancy_status_observation():
    bundle = fhir.case_bundle(parse_case(PREGNANT), AS_OF)
    obs = [e["resource"] for e in bundle["entry"] if e["resource"].get("code", {}).get("coding", [{}])[0].get("code")
           == "82810-3"]
    assert len(obs) == 1
    o = obs[0]
    assert o["code"]["coding"][0]["system"] == "http://loinc.org"
    assert o["valueCodeableConcept"]["coding"][0] == {"system": "http://snomed.info/sct", "code": "77386006",
                                                     "display": "Pregnant"}
    assert o["effectiveDateTime"] == PREGNANT["visit_date"]
    assert o["component"][0]["valueQuantity"]["value"] == 24
    from fhir.resources.R4B.bundle import Bundle  # noqa: PLC0415 - a valid R4 Bundle with it
    Bundle.model_validate(json.loads(json.dumps(bundle)))


def test_fhir_no_pregnancy_recorded_no_observation():
    d = copy.deepcopy(PREGNANT)
    del d["patient"]["pregnancy_weeks"]
    bundle = fhir.case_bundle(parse_case(d), AS_OF)
    assert not any("82810-3" in json.dumps(e["resource"].get("code", {})) for e in bundle["entry"])


def test_unknown_kidney_function_is_said_once(qapp_offscreen, tmp_path):
    """No creatinine and no eGFR: the row says why the kidney limits were not checked, once (gp16 F9:
    "Renal function unknown: Renal function unknown: creatinine clearance not computed ...")."""
    data = copy.deepcopy(S1)
    data["conditions"].pop("serum_creatinine", None)
    data["conditions"].pop("egfr", None)
    section = _section(_pdf(tmp_path, data))
    assert section.count("Renal function unknown") == 1
    assert "Renal function unknown: creatinine clearance not computed" in section
