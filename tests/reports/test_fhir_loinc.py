"""LOINC codes in the FHIR export (issue 16). Expected codes and displays are copied from
loinc.org (91349-1 panel and its items, 91350-9, 91351-7, 91352-5 with answer list
LL3578-3; 97909-6), not from the code under test."""

from __future__ import annotations

import dataclasses
import datetime as dt

from fhir.resources.R4B.bundle import Bundle

from radiculopathy_desktop.domain.intake import StartBack
from radiculopathy_desktop.reports import fhir

AS_OF = dt.date(2026, 11, 21)
ITEMS = ["91340-0", "91341-8", "91342-6", "91343-4", "91344-2", "91345-9", "91346-7", "91347-5", "91348-3"]


def _obs(bundle, code):
    return [e.resource for e in bundle.entry if e.resource.get_resource_type() == "Observation"
            and e.resource.code.coding[0].code == code]


def _with_start_back(case, sb):
    return dataclasses.replace(case, intake=dataclasses.replace(case.intake, start_back=sb))


def test_nine_answers_give_a_questionnaire_response_and_the_loinc_panel(examples):
    # items 1-8: agree x2, disagree, agree, agree x4 = 7 of 8 ... item 9 "very_much" (positive):
    # total 1+1+0+1+1+1+1+1+1 = 8; distress (items 5-9) = 5 -> high risk (distress 4-5)
    answers = (True, True, False, True, True, True, True, True, "very_much")
    case = _with_start_back(examples["routine_l5_acute"], StartBack(answers=answers))
    bundle = Bundle.model_validate(fhir.case_bundle(case, AS_OF))
    (qr,) = [e.resource for e in bundle.entry if e.resource.get_resource_type() == "QuestionnaireResponse"]
    assert [i.linkId for i in qr.item] == ITEMS
    assert qr.item[0].text == "My back pain has spread down my leg(s) at some time in the last 2 weeks"
    assert qr.item[8].text == "Overall, how bothersome has your back pain been in the last 2 weeks?"
    assert [i.answer[0].valueBoolean for i in qr.item[:8]] == list(answers[:8])
    (total,) = _obs(bundle, "91351-7")
    (distress,) = _obs(bundle, "91350-9")
    (risk,) = _obs(bundle, "91352-5")
    assert (total.valueInteger, distress.valueInteger) == (8, 5)
    assert total.code.coding[0].display == "Total score [STarT Back]"
    assert distress.code.coding[0].display == "Distress subscore [STarT Back]"
    assert risk.code.coding[0].display == "STarT Back Screening risk level"
    assert (risk.valueCodeableConcept.coding[0].code, risk.valueCodeableConcept.coding[0].display) == ("LA9193-9", "High")
    (panel,) = _obs(bundle, "91349-1")
    assert panel.code.coding[0].display == "STarT Back Screening Tool panel"
    assert len(panel.hasMember) == 3 and panel.derivedFrom[0].reference.endswith(qr.id)


def test_risk_level_answer_codes_at_the_boundaries():
    from radiculopathy_desktop.reports.fhir_codes import START_BACK_RISK_ANSWERS
    # LOINC LL3578-3: Low LA9194-7, Medium LA8982-6, High LA9193-9
    assert START_BACK_RISK_ANSWERS == {"low": ("LA9194-7", "Low"), "medium": ("LA8982-6", "Medium"),
                                       "high": ("LA9193-9", "High")}


def test_entered_totals_give_observations_but_no_questionnaire_response(examples):
    # total 3 -> low whatever the distress; total 4 with distress 3 -> medium
    for (total, distress), answer in (((3, 3), "LA9194-7"), ((4, 3), "LA8982-6"), ((4, 4), "LA9193-9")):
        case = _with_start_back(examples["routine_l5_acute"], StartBack(total=total, distress=distress))
        bundle = Bundle.model_validate(fhir.case_bundle(case, AS_OF))
        assert not [e for e in bundle.entry if e.resource.get_resource_type() == "QuestionnaireResponse"]
        (risk,) = _obs(bundle, "91352-5")
        assert risk.valueCodeableConcept.coding[0].code == answer


def test_no_start_back_writes_no_start_back_resources(examples):
    case = _with_start_back(examples["routine_l5_acute"], None)
    bundle = Bundle.model_validate(fhir.case_bundle(case, AS_OF))
    assert not any(_obs(bundle, c) for c in ("91349-1", "91350-9", "91351-7", "91352-5"))


def test_odi_uses_loinc_97909_6_as_percent_and_rmdq_keeps_the_local_code(examples):
    for case in examples.values():
        bundle = Bundle.model_validate(fhir.case_bundle(case, AS_OF))
        odi = _obs(bundle, "97909-6")
        expected = sum(p.odi_percent is not None and p.date <= AS_OF for p in case.score_timeline())
        assert len(odi) == expected
        for o in odi:
            assert o.code.coding[0].display == "Oswestry disability index score ODI"
            assert o.valueQuantity.code == "%" and o.valueQuantity.system == "http://unitsofmeasure.org"
        rmdq = [e.resource for e in bundle.entry if e.resource.get_resource_type() == "Observation"
                and e.resource.code.coding[0].code == "rmdq"]
        assert all(r.code.coding[0].system == fhir.LOCAL_SYSTEM for r in rmdq)
