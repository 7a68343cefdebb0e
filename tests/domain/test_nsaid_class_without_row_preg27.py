"""preg27 (H-MED-450, H-MED-451): an NSAID taken now that has no row of its own (diclofenac,
celecoxib, meloxicam, etoricoxib, ketoprofen, indometacin, the diclofenac of Arthrotec) is rated
by the NSAID rows' rules about the patient, as ibuprofen is: before, ibuprofen at 31 weeks was
"!! CONTRAINDICATED" while diclofenac at 31 weeks had no alert at all.

Written from the sources (resources/medicines/sources.toml):
* fda-nsaid-pregnancy-2020 (FDA Drug Safety Communication, 15 October 2020, about the NSAID
  class): avoid NSAIDs at 20 weeks or later; the labels already advise against use from 30 weeks.
  Boundaries (us): 19 weeks -> caution (early pregnancy), 20 -> avoid, 29 -> avoid, 30 ->
  contraindicated.
* mhra-nsaid-pregnancy-2023 (MHRA Drug Safety Update, June 2023: "systemic (oral and injectable)
  NSAIDs such as ibuprofen, naproxen, and diclofenac is contraindicated in the last trimester of
  pregnancy (after 28 weeks of pregnancy)"): under uk 27 -> avoid, 28 and 29 -> contraindicated.
* kdigo-2012: NSAIDs avoided below 30 mL/min (29 -> avoid, 30 -> caution: no prolonged use below
  60), on dialysis avoided; 60 -> nothing about kidneys.
* hf-guideline-2022 / fda-nsaid-cv-2015: heart failure -> avoid; recent MI -> avoid;
  cardiovascular disease -> caution. GI bleed or ulcer history -> avoid. Hepatic impairment ->
  caution (nsaid-class-label). beers-2023: age 64 -> nothing, 65 -> caution.
Not pregnant and pregnancy not asked -> no pregnancy note.
"""

from __future__ import annotations

import dataclasses

import pytest

from radiculopathy_desktop.domain.medicine_alerts import alert_heads, medicine_alerts
from radiculopathy_desktop.domain.medications import assess_medications
from radiculopathy_desktop.domain.pathway_medicines import treatments_to_review
from radiculopathy_desktop.domain.worklist_marks import _marks_of

from tests.domain.test_medications import VISIT, intake

CLASS_NSAIDS = ["diclofenac 50mg tds", "celecoxib 200mg", "meloxicam 15mg", "etoricoxib 90mg", "ketoprofen 100mg",
                "indomethacin 25mg", "Voltarol 50mg"]


def _case(name, weeks=None, pregnancy="yes", age=30, **kw):
    case = intake(age=age, sex="female", weight=70, meds=[(name, None)],
                  pregnancy=weeks if pregnancy == "yes" else None, **kw)
    if pregnancy == "no":
        case = dataclasses.replace(case, patient=dataclasses.replace(case.patient, pregnant=False))
    return case


def _class_notes(report, name):
    return [n for n in report.current_notes if n.rule.startswith("nsaid-") and name in n.medicines]


def _ibuprofen_pregnancy(case, profile, crcl=None):
    """The ibuprofen row's pregnancy reason for the same patient taking ibuprofen instead."""
    ibu = dataclasses.replace(case, medicines=tuple(dataclasses.replace(m, name="ibuprofen 400mg tds")
                                                    for m in case.medicines))
    row = assess_medications(ibu, VISIT, creatinine_clearance_override=crcl, profile=profile).row("ibuprofen")
    return [(r.rule, r.severity, r.text) for r in row.reasons if r.rule.startswith("nsaid-pregnancy")]


@pytest.mark.parametrize("name", CLASS_NSAIDS)
@pytest.mark.parametrize("profile, weeks, rule, severity", [
    ("us", 19, "nsaid-pregnancy-early", "caution"),
    ("us", 20, "nsaid-pregnancy-20", "avoid"),
    ("us", 27, "nsaid-pregnancy-20", "avoid"),
    ("us", 28, "nsaid-pregnancy-20", "avoid"),
    ("us", 29, "nsaid-pregnancy-20", "avoid"),
    ("us", 30, "nsaid-pregnancy-30", "contraindicated"),
    ("us", 31, "nsaid-pregnancy-30", "contraindicated"),
    ("uk", 19, "nsaid-pregnancy-early", "caution"),
    ("uk", 20, "nsaid-pregnancy-20", "avoid"),
    ("uk", 27, "nsaid-pregnancy-20", "avoid"),
    ("uk", 28, "nsaid-pregnancy-28-uk", "contraindicated"),
    ("uk", 29, "nsaid-pregnancy-28-uk", "contraindicated"),
    ("uk", 30, "nsaid-pregnancy-30", "contraindicated"),
])
def test_a_class_nsaid_gets_the_pregnancy_band_ibuprofen_gets(name, profile, weeks, rule, severity):
    case = _case(name, weeks)
    report = assess_medications(case, VISIT, profile=profile)
    notes = _class_notes(report, name)
    assert [(n.rule, n.severity) for n in notes] == [(rule, severity)]
    # the same rule, severity and words as the ibuprofen row's for the same patient
    assert [(n.rule, n.severity, n.text.split(": ", 1)[1]) for n in notes] == _ibuprofen_pregnancy(case, profile)
    assert notes[0].text.startswith(f"Taking {name}: Pregnant, {weeks} weeks")
    if profile == "uk" and weeks >= 28:
        assert "after 28 weeks" in notes[0].text and "MHRA" in notes[0].source
    if profile == "us" and weeks >= 30:
        assert "from 30 weeks" in notes[0].text and "FDA Drug Safety Communication" in notes[0].source
    alerts = [a for a in medicine_alerts(report) if name in a.medicines]
    if severity == "caution":
        assert alerts == []
    else:
        assert [a.status for a in alerts] == [severity]
        action = "Stop it and choose another option." if severity == "contraindicated" else "Review now"
        assert action in alerts[0].text and alerts[0].action.startswith(action)
        # the Medicines step asks for a review, and the worklist marks it, as for ibuprofen
        assert (name,) in [m for m, _label in alert_heads(report)]
        assert treatments_to_review(report)
        assert [m.label for m in _marks_of(report)] == [severity.capitalize()]


@pytest.mark.parametrize("pregnancy", ["no", "unknown"])
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_not_pregnant_or_not_asked_gives_no_pregnancy_note(pregnancy, profile):
    case = _case("diclofenac 50mg tds", pregnancy=pregnancy)
    assert case.patient.pregnancy_answer == pregnancy
    report = assess_medications(case, VISIT, profile=profile)
    assert not [n for n in _class_notes(report, "diclofenac 50mg tds") if "pregnancy" in n.rule]
    assert medicine_alerts(report) == ()


def test_arthrotec_keeps_its_misoprostol_contraindication_and_gets_the_nsaid_band():
    report = assess_medications(_case("Arthrotec 50", 31), VISIT)
    rules = {(n.rule, n.severity) for n in report.current_notes if "Arthrotec 50" in n.medicines}
    # nsaiddose: no daily dose is recorded, so its diclofenac is also "dose not checked" (a caution)
    assert rules == {("misoprostol-pregnancy", "contraindicated"), ("nsaid-pregnancy-30", "contraindicated"),
                     ("dose-not-checked", "caution")}
    # at 12 weeks the misoprostol is still contraindicated; the NSAID only the early caution
    early = assess_medications(_case("Arthrotec 50", 12), VISIT)
    assert {(n.rule, n.severity) for n in early.current_notes
            if n.rule != "dose-not-checked"} == {("misoprostol-pregnancy", "contraindicated"),
                                                                    ("nsaid-pregnancy-early", "caution")}
    assert [a.status for a in medicine_alerts(early)] == ["contraindicated"]


def test_an_nsaid_with_its_own_row_gets_no_second_note():
    for name in ("ibuprofen 400mg tds", "naproxen 500mg bd", "Nurofen 200mg"):
        report = assess_medications(_case(name, 31), VISIT)
        assert not _class_notes(report, name)


# --------------------------------------------------------------------------- item 2: other conditions
def _severities(name, profile="us", crcl=None, **kw):
    case = _case(name, pregnancy="unknown", **kw)
    report = assess_medications(case, VISIT, creatinine_clearance_override=crcl, profile=profile)
    ibu = dataclasses.replace(case, medicines=(dataclasses.replace(case.medicines[0], name="ibuprofen 400mg tds"),))
    row = assess_medications(ibu, VISIT, creatinine_clearance_override=crcl, profile=profile).row("ibuprofen")
    notes = {(n.rule, n.severity) for n in _class_notes(report, name)}
    expected = {(r.rule, r.severity) for r in row.reasons
                if r.rule in {"nsaid-dialysis", "nsaid-renal-below-30", "nsaid-renal-below-60", "nsaid-ckd-unmeasured",
                              "nsaid-gi-bleed", "nsaid-hepatic", "nsaid-heart-failure", "nsaid-recent-mi",
                              "nsaid-cardiovascular", "nsaid-age-65", "nsaid-age-75"}}
    assert notes == expected  # the same rules as the ibuprofen row
    return notes, report


@pytest.mark.parametrize("name", ["diclofenac 50mg tds", "celecoxib 200mg", "Arthrotec 50"])
@pytest.mark.parametrize("kw, expected", [
    ({"crcl": 25}, {("nsaid-renal-below-30", "avoid")}),
    ({"crcl": 29}, {("nsaid-renal-below-30", "avoid")}),
    ({"crcl": 30}, {("nsaid-renal-below-60", "caution")}),
    ({"crcl": 59}, {("nsaid-renal-below-60", "caution")}),
    ({"crcl": 60}, set()),
    ({"crcl": 90, "conditions": {"dialysis": True}}, {("nsaid-dialysis", "avoid")}),
    ({"crcl": 90, "conditions": {"heart_failure": True}}, {("nsaid-heart-failure", "avoid")}),
    ({"crcl": 90, "conditions": {"recent_myocardial_infarction": True}}, {("nsaid-recent-mi", "avoid")}),
    ({"crcl": 90, "conditions": {"cardiovascular_disease": True}}, {("nsaid-cardiovascular", "caution")}),
    ({"crcl": 90, "conditions": {"gi_bleed_or_ulcer": True}}, {("nsaid-gi-bleed", "avoid")}),
    ({"crcl": 90, "conditions": {"hepatic_impairment": True}}, {("nsaid-hepatic", "caution")}),
    ({"crcl": 90, "age": 64}, set()),
    ({"crcl": 90, "age": 65}, {("nsaid-age-65", "caution")}),
    ({"crcl": 90, "age": 75}, {("nsaid-age-65", "caution"), ("nsaid-age-75", "caution")}),
])
def test_a_class_nsaid_is_rated_for_the_patients_conditions_as_ibuprofen_is(name, kw, expected):
    notes, report = _severities(name, **kw)
    assert notes == expected
    worst = {s for _r, s in expected}
    alerts = [a for a in medicine_alerts(report) if name in a.medicines]
    if "avoid" in worst:
        assert [a.status for a in alerts] == ["avoid"] and "Review now" in alerts[0].text
    else:
        assert alerts == []


def test_heart_failure_and_crcl_25_diclofenac_are_two_avoid_alerts_with_their_reasons():
    case = _case("diclofenac 50mg tds", pregnancy="unknown", conditions={"heart_failure": True})
    report = assess_medications(case, VISIT, creatinine_clearance_override=25)
    texts = [a.text for a in medicine_alerts(report)]
    assert any("CrCl 25 mL/min: avoid NSAIDs when kidney function is below 30 mL/min" in t for t in texts)
    assert any("Heart failure: avoid NSAIDs" in t for t in texts)


def test_stored_marks_are_derived_again_once():
    """A stored case of a pregnant patient on diclofenac was saved with no mark: the one-time
    rewrite of stored marks runs again (DOSE_ALERTS_VERSION 12)."""
    from radiculopathy_desktop.storage.store import DOSE_ALERTS_VERSION

    assert DOSE_ALERTS_VERSION >= 12


@pytest.mark.parametrize("entry, message", [
    ({"rules": ["nsaid-anticoagulant"]}, "about another current medicine"),
    ({"rules": ["apap-hepatic"]}, "not a rule of the row"),
    ({"rules": ["nsaid-heart-failure"], "without_row": False}, "without_row = true"),
    ({"rules": ["nsaid-heart-failure"], "condition": "ckd"}, "takes only"),
    # ukcv: a severity with rules_of caps what each rule says, worded through a text holding {rule}
    ({"rules": ["nsaid-heart-failure"], "severity": "avoid"}, "must hold"),
])
def test_rules_of_accepts_only_the_rows_rules_about_the_patient(tmp_path, entry, message):
    import shutil

    import tomllib

    from radiculopathy_desktop.domain.medications import MedicineDataError, default_data_dir, load_medicine_data

    data_dir = tmp_path / "medicines"
    shutil.copytree(default_data_dir(), data_dir)
    rules = data_dir / "rules.toml"
    fields = {"id": "x", "classes": ["nsaid"], "without_row": True, "rules_of": "ibuprofen", **entry}
    body = "\n".join(f"{k} = {v!r}".replace("True", "true").replace("False", "false").replace("'", '"')
                     for k, v in fields.items())
    rules.write_text(rules.read_text(encoding="utf-8") + f"\n[[current]]\n{body}\n", encoding="utf-8")
    tomllib.loads(rules.read_text(encoding="utf-8"))
    with pytest.raises(MedicineDataError, match=message):
        load_medicine_data(str(data_dir))
