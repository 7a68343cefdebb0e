"""Standard codes in the FHIR export (issue 16), each checked against loinc.org:

* STarT Back Screening Tool panel 91349-1 (https://loinc.org/91349-1) with items 91340-0 to
  91348-3 (the nine questions, in order), Distress subscore [STarT Back] 91350-9 (the
  "psych score", items 5-9; https://loinc.org/91350-9), Total score [STarT Back] 91351-7
  and STarT Back Screening risk level 91352-5 with the normative answer list LL3578-3:
  Low LA9194-7, Medium LA8982-6, High LA9193-9 (https://loinc.org/91352-5).
* Oswestry Disability Index panel 97908-8 and Oswestry disability index score ODI 97909-6,
  "reported as a percent" (https://loinc.org/97909-6).
* Pain NRS 72514-3 (in reports/fhir.py).

No LOINC answer codes were verified for the item answers (agree / disagree, and item 9's
five levels), so items 1-8 are booleans and item 9 keeps this app's own code. RMDQ, MRC
power and straight-leg raise keep the app's own code system: no standard code was verified.
"""

from __future__ import annotations

from typing import Any, Callable

LOINC = "http://loinc.org"
LOCAL_SYSTEM = "urn:radiculopathy-desktop:codes"
START_BACK_Q = "urn:radiculopathy-desktop:questionnaire:start-back"

START_BACK_PANEL = ("91349-1", "STarT Back Screening Tool panel")
START_BACK_ITEMS = (
    ("91340-0", "My back pain has spread down my leg(s) at some time in the last 2 weeks"),
    ("91341-8", "I have had pain in the shoulder or neck at some time in the last 2 weeks"),
    ("91342-6", "I have only walked short distances because of my back pain"),
    ("91343-4", "In the last 2 weeks, I have dressed more slowly than usual because of back pain"),
    ("91344-2", "It's not really safe for a person with a condition like mine to be physically active"),
    ("91345-9", "Worrying thoughts have been going through my mind a lot of the time"),
    ("91346-7", "I feel that my back pain is terrible and it's never going to get any better"),
    ("91347-5", "In general I have not enjoyed all the things I used to enjoy"),
    ("91348-3", "Overall, how bothersome has your back pain been in the last 2 weeks?"),
)
START_BACK_DISTRESS = ("91350-9", "Distress subscore [STarT Back]")
START_BACK_TOTAL = ("91351-7", "Total score [STarT Back]")
START_BACK_RISK = ("91352-5", "STarT Back Screening risk level")
START_BACK_RISK_ANSWERS = {"low": ("LA9194-7", "Low"), "medium": ("LA8982-6", "Medium"),
                           "high": ("LA9193-9", "High")}
ODI_PANEL = ("97908-8", "Oswestry Disability Index")
ODI_SCORE = ("97909-6", "Oswestry disability index score ODI")
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


def loinc(code: tuple[str, str], text: str | None = None) -> dict:
    return {"coding": [{"system": LOINC, "code": code[0], "display": code[1]}], "text": text or code[1]}


def _survey() -> list[dict]:
    return [{"coding": [{"system": OBS_CATEGORY, "code": "survey", "display": "Survey"}]}]


def add_start_back(start_back: Any, when: str, add: Callable[[str, dict], str], subject: dict) -> None:
    """Observations for the scores and the risk level (panel 91349-1), and a
    QuestionnaireResponse when the nine answers were given."""
    from radiculopathy_desktop.domain.instruments import InstrumentError, score_start_back

    try:
        result = score_start_back(start_back)
    except InstrumentError:
        result = None
    members = []
    if result is not None:
        for key, code, value in (("total", START_BACK_TOTAL, result.total),
                                 ("distress", START_BACK_DISTRESS, result.distress)):
            members.append(add(f"start-back/{key}", {
                "resourceType": "Observation", "status": "final", "category": _survey(), "code": loinc(code),
                "subject": subject, "effectiveDateTime": when, "valueInteger": int(value)}))
        code, display = START_BACK_RISK_ANSWERS[result.risk]
        members.append(add("start-back/risk", {
            "resourceType": "Observation", "status": "final", "category": _survey(), "code": loinc(START_BACK_RISK),
            "subject": subject, "effectiveDateTime": when,
            "valueCodeableConcept": {"coding": [{"system": LOINC, "code": code, "display": display}],
                                     "text": f"{display} risk"}}))
    qr_ref = None
    if start_back.answers is not None and len(start_back.answers) == 9:
        items = []
        for (code, text), answer in zip(START_BACK_ITEMS[:8], start_back.answers[:8]):
            items.append({"linkId": code, "definition": f"{LOINC}#{code}", "text": text,
                          "answer": [{"valueBoolean": bool(answer)}]})
        code, text = START_BACK_ITEMS[8]
        level = str(start_back.answers[8])
        items.append({"linkId": code, "definition": f"{LOINC}#{code}", "text": text, "answer": [{"valueCoding": {
            "system": LOCAL_SYSTEM, "code": f"start-back-q9-{level}", "display": level.replace("_", " ")}}]})
        qr_ref = add("start-back", {
            "resourceType": "QuestionnaireResponse", "questionnaire": START_BACK_Q, "status": "completed",
            "subject": subject, "authored": when, "item": items})
    if members:
        panel = {"resourceType": "Observation", "status": "final", "category": _survey(),
                 "code": loinc(START_BACK_PANEL), "subject": subject, "effectiveDateTime": when,
                 "hasMember": [{"reference": ref} for ref in members]}
        if qr_ref:
            panel["derivedFrom"] = [{"reference": qr_ref}]
        add("start-back/panel", panel)
