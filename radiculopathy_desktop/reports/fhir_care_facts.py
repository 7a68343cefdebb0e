"""FHIR resources for imaging requested and self-management advice (issue 16).

* Imaging requested: a ServiceRequest (intent ``order``) per record where imaging was
  requested; who requested it (specialist or non-specialist service) and the reason go in
  ``performerType``-free text fields (``requester.display``, ``reasonCode.text``) because no
  code for them was verified offline. The modality uses this app's own code system.
* Self-management advice: a Procedure, ``completed`` when given, ``not-done`` when recorded
  as not given. A printed handout is noted.

Nothing is written for a record where the fact was not recorded: a receiving system must
not read absence as "no".
"""

from __future__ import annotations

from typing import Any, Callable

from radiculopathy_desktop.domain.care_facts import IMAGING_MODALITIES, IMAGING_REASONS

LOCAL_SYSTEM = "urn:radiculopathy-desktop:codes"


def _local(code: str, display: str) -> dict:
    return {"coding": [{"system": LOCAL_SYSTEM, "code": code, "display": display}], "text": display}


def add_care_fact_resources(case: Any, as_of, add: Callable[[str, dict], str], subject: dict,
                            condition_ref: str) -> None:
    records = [("intake", case.intake.visit_date, case.intake.imaging, case.intake.self_management)]
    records += [(f"visit/{n}", v.date, v.imaging, v.self_management) for n, v in enumerate(case.visits)]
    for key, day, imaging, advice in records:
        if day > as_of:
            continue
        if imaging is not None and imaging.requested:
            modality = IMAGING_MODALITIES.get(imaging.modality or "", "Imaging")
            sr: dict[str, Any] = {
                "resourceType": "ServiceRequest", "status": "active", "intent": "order",
                "category": [_local("imaging", "Imaging")],
                "code": _local(f"imaging-{imaging.modality or 'unspecified'}", f"{modality} of the lumbar spine"),
                "subject": subject, "authoredOn": (imaging.date or day).isoformat(),
                "reasonReference": [{"reference": condition_ref}],
            }
            if imaging.by_specialist is not None:
                sr["requester"] = {"display": "Specialist service" if imaging.by_specialist
                                   else "Non-specialist service"}
            if imaging.reason:
                sr["reasonCode"] = [_local(f"imaging-reason-{imaging.reason}", IMAGING_REASONS[imaging.reason])]
            if imaging.note:
                sr["note"] = [{"text": imaging.note}]
            add(f"imaging/{key}", sr)
        if advice is not None:
            proc: dict[str, Any] = {
                "resourceType": "Procedure", "status": "completed" if advice.given else "not-done",
                "code": _local("self-management-advice", "Self-management advice and information"),
                "subject": subject, "reasonReference": [{"reference": condition_ref}],
            }
            if advice.given:
                proc["performedDateTime"] = (advice.date or day).isoformat()
                if advice.printed_handout is not None:
                    proc["note"] = [{"text": "Printed handout given" if advice.printed_handout
                                     else "No printed handout"}]
            add(f"self-management/{key}", proc)
