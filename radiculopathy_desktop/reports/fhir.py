"""One case as an HL7 FHIR R4 Bundle (JSON): Patient, Condition, Observations for the
scores and the examination, a QuestionnaireResponse for STarT Back, and a ServiceRequest
(referral for a surgical opinion) or a CarePlan (conservative care).

Only R4 elements are used (no R4B/R5 additions), so the same JSON parses with R4 and
R4B models; the tests parse it with ``fhir.resources.R4B``.

Codes, and how sure we are of them:

* LOINC 72514-3 "Pain severity - 0-10 verbal numeric rating [Score] - Reported" for
  leg and back pain, told apart by ``bodySite`` (checked against public FHIR profiles).
* SNOMED CT 23056005 "Sciatica (disorder)" for the condition; laterality as SNOMED
  qualifier values 7771000 Left, 24028007 Right, 51440002 Right and left; body sites
  61685007 Lower limb structure and 37822005 Lower back structure.
* LOINC for STarT Back (panel 91349-1, scores and risk level) and the ODI score 97909-6:
  see reports/fhir_codes.py, where each code was checked (issue 16).
* RMDQ, straight leg raise, muscle power (intake and each visit) and the red-flag answers
  (intake and each visit; "unknown" as data-absent-reason, never as "no"): no code verified
  offline, so they use this app's own code system (:data:`LOCAL_SYSTEM`) with plain text; a
  receiving system maps them.

Identifiers in the file are the clinic's own (patient id, case id); the file is patient
data and must be handled as such.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any, Callable

from radiculopathy_desktop import APP_NAME, __version__
from radiculopathy_desktop.domain.characters import ESCAPED_IN_NOTES, ShownText, printed
from radiculopathy_desktop.domain.followup import status_for_reader, surgical_review
from radiculopathy_desktop.domain.intake import Case
from radiculopathy_desktop.domain.vocabulary import MUSCLE_GROUPS, RED_FLAG_QUESTIONS, TREATMENTS, decision_sentence
from radiculopathy_desktop.outputs import verify_json, write_bytes
from radiculopathy_desktop.reports.common import guideline_content_version, profile_words

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
LOCAL_SYSTEM = "urn:radiculopathy-desktop:codes"
PATIENT_ID_SYSTEM = "urn:radiculopathy-desktop:patient-id"
CASE_ID_SYSTEM = "urn:radiculopathy-desktop:case-id"
VERSION_SYSTEM = "urn:radiculopathy-desktop:version"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
_HIDDEN = ESCAPED_IN_NOTES.search
_NS = uuid.UUID("6f1c5a52-8d0e-4a47-9a3e-1f1b8f2a9c10")

LATERALITY = {
    "left": ("7771000", "Left"),
    "right": ("24028007", "Right"),
    "bilateral": ("51440002", "Right and left"),
}
LEG = {"system": SNOMED, "code": "61685007", "display": "Lower limb structure"}
LOWER_BACK = {"system": SNOMED, "code": "37822005", "display": "Lower back structure"}
PAIN_NRS = {"system": LOINC, "code": "72514-3",
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}
SEX_TO_GENDER = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}
START_BACK_Q = "urn:radiculopathy-desktop:questionnaire:start-back"
ODI_CODE = {"coding": [{"system": LOINC, "code": "97909-6", "display": "Oswestry disability index score ODI"}],
            "text": "Oswestry Disability Index (%)"}  # checked at https://loinc.org/97909-6 (issue 16)


def _uuid(case: Case, key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NS, f'{case.case_id}/{key}')}"


def _local(code: str, display: str) -> dict:
    return {"coding": [{"system": LOCAL_SYSTEM, "code": code, "display": display}], "text": display}


def _category(code: str, display: str) -> list[dict]:
    return [{"coding": [{"system": OBS_CATEGORY, "code": code, "display": display}]}]


class _Bundle:
    """The entries of one case's Bundle as they are added: each resource gets a stable
    ``urn:uuid`` from the case id and its key, so the same case gives the same file."""

    def __init__(self, case: Case):
        self.case = case
        self.entries: list[dict] = []
        self.subject = {"reference": _uuid(case, "patient")}

    def add(self, key: str, resource: dict) -> str:
        full = _uuid(self.case, key)
        resource = {"resourceType": resource.pop("resourceType"), "id": full.rsplit(":", 1)[1], **resource}
        self.entries.append({"fullUrl": full, "resource": resource})
        return full


def _add_patient(b: _Bundle) -> None:
    p = b.case.patient
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [{"system": PATIENT_ID_SYSTEM, "value": ShownText(printed(p.id, identifier=True))}],
        "gender": SEX_TO_GENDER.get(p.sex, "unknown"),
    }
    if p.name:
        patient["name"] = [{"text": p.name}]
    if p.birth_date:
        patient["birthDate"] = p.birth_date.isoformat()
    b.add("patient", patient)


#: Pregnancy status (rd13 D1): LOINC 82810-3 "Pregnancy status" with SNOMED CT 77386006
#: "Pregnant" or 60001007 "Not pregnant", as in the US Core pregnancy-status example
#: (hl7.org/fhir/us/core/STU7) and the IPS pregnancy-status value set (hl7.org/fhir/uv/ips
#: ValueSet pregnancy-status-uv-ips: LA15173-0 Pregnant ~ 77386006, LA26683-5 Not pregnant ~
#: 60001007). The weeks recorded at the intake, and the weeks on the export date: components in
#: the app's own code system (no gestational-age code verified here).
PREGNANCY_STATUS = {"coding": [{"system": LOINC, "code": "82810-3", "display": "Pregnancy status"}],
                    "text": "Pregnancy status"}
PREGNANT = {"coding": [{"system": SNOMED, "code": "77386006", "display": "Pregnant"}], "text": "Pregnant"}
NOT_PREGNANT = {"coding": [{"system": SNOMED, "code": "60001007", "display": "Not pregnant"}], "text": "Not pregnant"}


def _weeks(value: int) -> dict:
    return {"value": value, "unit": "wk", "system": "http://unitsofmeasure.org", "code": "wk"}


def _add_pregnancy(b: _Bundle, as_of: dt.date) -> None:
    """A pregnancy-status Observation for the answer standing on ``as_of``, dated on the record
    that gave it (the intake, or the latest follow-up visit recording a pregnancy on or before
    ``as_of``: the updated status carries that visit's date): pregnant (with the weeks recorded
    and the weeks on ``as_of``, or, past the plausible end of a pregnancy, a note asking whether
    she still is) or not pregnant (a pregnancy ended at a visit: its end date in a note);
    nothing when the question was not answered (not asked is not "not pregnant")."""
    intake = b.case.intake
    status = b.case.pregnancy_status(as_of)
    pregnancy = status.on_date
    if pregnancy is None:
        if status.answer == "no":
            observation = {
                "resourceType": "Observation", "status": "final",
                "category": _category("social-history", "Social History"), "code": PREGNANCY_STATUS,
                "subject": b.subject, "effectiveDateTime": status.recorded_on.isoformat(),
                "valueCodeableConcept": NOT_PREGNANT}
            if status.at_visit:
                ended = f"; the pregnancy ended on {status.ended_on.isoformat()}" if status.ended_on else ""
                observation["note"] = [{"text": f"No longer pregnant, recorded at the follow-up visit of "
                                                f"{status.recorded_on.isoformat()}{ended}"}]
            b.add("pregnancy-status", observation)
        return
    if pregnancy.at_visit:
        recorded = _local("pregnancy-weeks-at-visit", "Weeks of pregnancy at the follow-up visit")
    else:
        recorded = _local("pregnancy-weeks", "Weeks of pregnancy at the intake")
    components = [{"code": recorded, "valueQuantity": _weeks(pregnancy.recorded_weeks)}]
    observation = {
        "resourceType": "Observation", "status": "final", "category": _category("social-history", "Social History"),
        "code": PREGNANCY_STATUS, "subject": b.subject, "effectiveDateTime": pregnancy.recorded_on.isoformat(),
        "valueCodeableConcept": PREGNANT, "component": components}
    if pregnancy.beyond_plausible_end:
        observation["note"] = [{"text": pregnancy.ask_text}]
    elif as_of != pregnancy.recorded_on:
        components.append({"code": _local("pregnancy-weeks-on-date", "Weeks of pregnancy on the export date"),
                           "valueQuantity": _weeks(pregnancy.weeks)})
    b.add("pregnancy-status", observation)


def _laterality(intake) -> dict:
    lat_code, lat_display = LATERALITY[intake.side]
    return {"coding": [{"system": SNOMED, "code": lat_code, "display": lat_display}], "text": f"{lat_display} leg"}


def _add_condition(b: _Bundle, as_of: dt.date, closed: bool) -> str:
    """Sciatica, active or resolved, on the affected side, with the suspected root."""
    from radiculopathy_desktop.domain.roots import suggest_roots

    case, intake = b.case, b.case.intake
    roots = suggest_roots(intake.regions, power=case.power_as_of(as_of), reflexes=intake.examination.reflexes,
                          femoral_stretch=intake.examination.femoral_stretch, slr=intake.examination.slr)
    return b.add("condition", {
        "resourceType": "Condition",
        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                       "code": "resolved" if closed else "active"}]},
        "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                                           "code": "confirmed"}]},
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                  "code": "encounter-diagnosis", "display": "Encounter Diagnosis"}]}],
        "code": {"coding": [{"system": SNOMED, "code": "23056005", "display": "Sciatica (disorder)"}],
                 "text": "Sciatica / lumbar radiculopathy"},
        "bodySite": [_laterality(intake)],
        "subject": b.subject,
        "onsetDateTime": intake.onset_date.isoformat(),
        "recordedDate": intake.visit_date.isoformat(),
        "note": [{"text": f"Suspected root: {roots.summary()}"}],
    })


def _add_scores(b: _Bundle, as_of: dt.date, condition_ref: str) -> None:
    """Leg and back pain NRS, ODI and RMDQ at the intake and each visit up to ``as_of``."""
    subject = b.subject
    for n, pt in enumerate(b.case.score_timeline()):
        if pt.date > as_of:
            continue
        when = pt.date.isoformat()
        for key, value, site, label in (("leg", pt.leg_nrs, LEG, "Leg pain NRS"),
                                        ("back", pt.back_nrs, LOWER_BACK, "Back pain NRS")):
            if value is None:
                continue
            b.add(f"obs/{n}/{key}", {
                "resourceType": "Observation", "status": "final", "category": _category("survey", "Survey"),
                "code": {"coding": [PAIN_NRS], "text": label}, "subject": subject,
                "effectiveDateTime": when, "valueInteger": int(value),
                "bodySite": {"coding": [site], "text": "Leg" if key == "leg" else "Lower back"},
                "focus": [{"reference": condition_ref}],
            })
        if pt.odi_percent is not None:
            b.add(f"obs/{n}/odi", {
                "resourceType": "Observation", "status": "final", "category": _category("survey", "Survey"),
                "code": ODI_CODE, "subject": subject,
                "effectiveDateTime": when,
                "valueQuantity": {"value": float(pt.odi_percent), "unit": "%",
                                  "system": "http://unitsofmeasure.org", "code": "%"},
            })
        if pt.rmdq is not None:
            b.add(f"obs/{n}/rmdq", {
                "resourceType": "Observation", "status": "final", "category": _category("survey", "Survey"),
                "code": _local("rmdq", "Roland-Morris Disability Questionnaire score (0-24)"), "subject": subject,
                "effectiveDateTime": when, "valueInteger": int(pt.rmdq),
            })


def _add_examination(b: _Bundle, as_of: dt.date) -> None:
    """The intake examination: nerve tension tests (SLR with its angle) and muscle power; then
    each muscle graded at a visit up to ``as_of``, dated on the visit (rt13 F4: a grade that
    got worse at a visit must reach the coded data, not only the note and the PDF)."""
    intake = b.case.intake
    exam = intake.examination
    when = intake.visit_date.isoformat()
    for key, result, label in (("slr", exam.slr, "Straight leg raise"),
                               ("crossed_slr", exam.crossed_slr, "Crossed straight leg raise"),
                               ("femoral_stretch", exam.femoral_stretch, "Femoral stretch test")):
        if result == "not_tested":
            continue
        obs = {
            "resourceType": "Observation", "status": "final", "category": _category("exam", "Exam"),
            "code": _local(key, label), "subject": b.subject, "effectiveDateTime": when,
            "valueCodeableConcept": {"text": result},
        }
        if key == "slr" and exam.slr_angle_deg:
            obs["component"] = [{"code": _local("slr-angle", "Straight leg raise angle"),
                                 "valueQuantity": {"value": exam.slr_angle_deg, "unit": "degrees",
                                                   "system": "http://unitsofmeasure.org", "code": "deg"}}]
        b.add(f"exam/{key}", obs)
    _add_power(b, "exam/power", exam.power, when)
    for n, visit in enumerate(b.case.visits):
        if visit.date <= as_of:
            _add_power(b, f"visit/{n}/power", visit.power, visit.date.isoformat())


def _add_power(b: _Bundle, key: str, power, when: str) -> None:
    for muscle, grade in power.items():
        b.add(f"{key}/{muscle}", {
            "resourceType": "Observation", "status": "final", "category": _category("exam", "Exam"),
            "code": _local(f"power-{muscle}", f"{MUSCLE_GROUPS.get(muscle, muscle)} power (MRC 0-5)"),
            "subject": b.subject, "effectiveDateTime": when, "valueInteger": int(grade),
            "bodySite": _laterality(b.case.intake),
        })


#: data-absent-reason for a red-flag question answered "unknown" (not known or not asked).
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"


def _add_red_flags(b: _Bundle, as_of: dt.date) -> None:
    """The red-flag screen as coded data (rt13 F4): each question answered at the intake, then
    each question asked again at a visit up to ``as_of``, dated on its record. "yes"/"no" as a
    boolean; "unknown" is never "no": the value is absent with the reason "unknown". The
    app's own codes (no verified LOINC/SNOMED code for each question offline), with the
    question as display, so a receiving system can map them."""
    records = [("intake", b.case.intake.visit_date, b.case.intake.red_flags)]
    records += [(f"visit/{n}", v.date, v.red_flags) for n, v in enumerate(b.case.visits) if v.date <= as_of]
    for where, day, answers in records:
        for question, answer in answers.items():
            obs = {
                "resourceType": "Observation", "status": "final", "category": _category("survey", "Survey"),
                "code": _local(f"red-flag-{question}", f"Red-flag question: {RED_FLAG_QUESTIONS.get(question, question)}"),
                "subject": b.subject, "effectiveDateTime": day.isoformat(),
            }
            if answer in ("yes", "no"):
                obs["valueBoolean"] = answer == "yes"
            else:
                obs["dataAbsentReason"] = {"coding": [{"system": DATA_ABSENT, "code": "unknown",
                                                       "display": "Unknown"}], "text": "Unknown or not asked"}
            b.add(f"{where}/red-flag/{question}", obs)


def _add_referral(b: _Bundle, as_of: dt.date, referral, review, condition_ref: str) -> None:
    """A referral for a surgical opinion, as a ServiceRequest."""
    sr = {
        "resourceType": "ServiceRequest", "status": "active", "intent": "order",
        "code": _local("surgical-opinion", "Referral for a spinal surgical opinion"),
        "subject": b.subject, "authoredOn": referral.date.isoformat(),
        "reasonReference": [{"reference": condition_ref}],
        "note": [{"text": f"Surgical review: {status_for_reader(review, b.case, as_of)}. {review.reason}"}],
    }
    if referral.by:
        sr["requester"] = {"display": referral.by}
    if referral.note:
        sr["note"].append({"text": referral.note})
    b.add("referral", sr)


def _add_care_plan(b: _Bundle, as_of: dt.date, decisions, review, condition_ref: str) -> None:
    """Conservative care as a CarePlan: its period, status, the last decision and what was tried."""
    case = b.case
    tried = [TREATMENTS.get(t.code, t.code) for t in case.all_treatments(until=as_of)]
    last = decisions[-1] if decisions else None
    period = {"start": case.intake.care_start_date.isoformat()}
    if last is not None and last.kind == "continue_conservative_care" and last.until:
        period["end"] = last.until.isoformat()
    status = "completed" if last is not None and last.kind in ("resolved_discharged", "patient_declined") \
        else "active"
    b.add("careplan", {
        "resourceType": "CarePlan", "status": status, "intent": "plan",
        "title": "Conservative care for sciatica",
        # Read outside the clinic: a paused review is "Review deferred until DATE by WHO",
        # never the worklist's filter word "Snoozed" (followup.status_for_reader).
        "description": (f"Surgical review: {status_for_reader(review, case, as_of)}. {review.reason} "
                        + (f"Last decision: {decision_sentence(last.kind, last.until)} ({last.date.isoformat()})."
                           if last else "No decision recorded.")),
        "subject": b.subject, "period": period,
        "addresses": [{"reference": condition_ref}],
        "note": [{"text": "Treatments tried: " + (", ".join(tried) if tried else "none recorded")}],
    })


def _add_plan(b: _Bundle, as_of: dt.date, review, condition_ref: str) -> None:
    """The latest referral for a surgical opinion, or else the conservative care plan."""
    decisions = b.case.decisions_on_or_before(as_of)
    referral = next((d for d in reversed(decisions) if d.kind == "referred_for_surgical_opinion"), None)
    if referral is not None:
        _add_referral(b, as_of, referral, review, condition_ref)
    else:
        _add_care_plan(b, as_of, decisions, review, condition_ref)


def _bundle(case: Case, as_of: dt.date, cv: str, entries: list[dict], profile: str) -> dict:
    """The Bundle around the entries: a stable id, the app and content versions, the guideline
    profile the medicine checks followed (prof30: said on the Bundle, not only on a medicine's
    note, so a Bundle without medicines says it too), the case id."""
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(_NS, f"{case.case_id}/bundle/{as_of.isoformat()}")),
        "meta": {"tag": [
            {"system": VERSION_SYSTEM, "code": f"app-{__version__}", "display": f"{APP_NAME} {__version__}"},
            {"system": VERSION_SYSTEM, "code": f"content-{cv}", "display": f"guideline content {cv}"},
            {"system": VERSION_SYSTEM, "code": f"profile-{profile}",
             "display": f"guideline profile {profile} ({profile_words(profile)})"},
        ]},
        "identifier": {"system": CASE_ID_SYSTEM, "value": ShownText(printed(case.case_id, identifier=True))},
        "type": "collection",
        "timestamp": dt.datetime.combine(as_of, dt.time(12, 0), tzinfo=dt.timezone.utc).isoformat(),
        "entry": entries,
    }


def case_bundle(case: Case, as_of: dt.date, settings=None, content_version: str | None = None,
                profile: str = "us") -> dict:
    """The Bundle as a dict (JSON-ready). ``profile`` picks the medicine checks' guideline.

    Entries in this order: Patient, pregnancy status (when recorded), Condition, score Observations, red-flag answers
    (intake, then visits), examination Observations (intake, then muscle grades at visits),
    STarT Back, imaging and self-management, the referral or care plan,
    then medicines (MedicationStatement, DetectedIssue).
    """
    from radiculopathy_desktop.reports.fhir_care_facts import add_care_fact_resources  # issue 16
    from radiculopathy_desktop.reports.fhir_codes import add_start_back
    from radiculopathy_desktop.reports.fhir_medicines import add_medicines

    cv = content_version or guideline_content_version()
    b = _Bundle(case)
    _add_patient(b)
    _add_pregnancy(b, as_of)
    review = surgical_review(case, as_of, settings)
    condition_ref = _add_condition(b, as_of, closed=review.facts.last_decision_kind == "resolved_discharged")
    _add_scores(b, as_of, condition_ref)
    _add_red_flags(b, as_of)
    _add_examination(b, as_of)
    if case.intake.start_back is not None:  # LOINC panel 91349-1 (scores, risk level) and the answers
        add_start_back(case.intake.start_back, case.intake.visit_date.isoformat(), b.add, b.subject)
    add_care_fact_resources(case, as_of, b.add, b.subject, condition_ref)
    _add_plan(b, as_of, review, condition_ref)
    add_medicines(case, as_of, b.subject, b.add, profile=profile)
    return _visible_strings(_bundle(case, as_of, cv, b.entries, profile))


def _visible_strings(value):
    """``value`` with every string holding a character FHIR R4 ``string`` may not hold
    (below U+0020 but tab, CR, LF; the R4 datatypes page) or a direction override written
    as its visible ``\\uXXXX`` escape, as the terminal output does: a case stored before new
    input refused them (red-team rt8 F8) still gives a Bundle a receiver accepts and a
    name that cannot display reordered. Tab and line breaks, which FHIR allows, are kept.
    A FHIR string is data, not a display: every other text is carried as stored (a name
    ``Ana\\Lopez`` is the JSON string ``"Ana\\\\Lopez"``, one backslash; rt12 F12); a
    backslash is doubled only where it would read as the start of an escape
    (:func:`~radiculopathy_desktop.domain.characters.printed`), so the form stays one-to-one."""
    if isinstance(value, str):
        if type(value) is ShownText:  # an identifier, written already
            return value
        return printed(value, note=True) if "\\" in value or _HIDDEN(value) else value
    if isinstance(value, dict):
        return {k: _visible_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_visible_strings(v) for v in value]
    return value


def write_bundle(case: Case, as_of: dt.date, path: Path, settings=None, *, overwrite: bool = True,
                 on_complete: Callable[[int], None] | None = None, profile: str = "us") -> int:
    """Write the Bundle JSON through the checked writer (read back before it is put in
    place); return the number of entries. ``on_complete(n)`` runs once the file is whole."""
    bundle = case_bundle(case, as_of, settings, profile=profile)
    n = len(bundle["entry"])
    text = json.dumps(bundle, ensure_ascii=False, indent=2)
    write_bytes(Path(path), (text + "\n").encode("utf-8"), overwrite=overwrite, verify=verify_json,
                on_complete=None if on_complete is None else (lambda: on_complete(n)))
    return n
