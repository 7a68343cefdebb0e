"""Steroids without a row, steroid names, and methadone (med16; H-MED-215, H-MED-216).

Primary sources (resources/medicines/sources.toml; read with the search tool 2026-11-30):
- NICE NG59 1.2.20: "Do not offer oral corticosteroids for managing sciatica" (the class, not
  only prednisolone): under uk, dexamethasone taken by mouth is rated as the prednisone row
  rates prednisolone (AVOID, NICE), with the BNF's gradual withdrawal as the action; a steroid
  given by injection is not oral.
- Calcort (deflazacort) UK SmPC 4.2: "For acute disorders, up to 120 mg/day deflazacort may need
  to be given initially" -> asked about ("check the dose") above twice that, 240 mg.
- Betnesol (betamethasone) 0.5 mg tablets: "3 bis 10 Tabletten täglich" for 1-3 weeks (5 mg a
  day, the highest it states) -> check above 10 mg.
- CDC 2022 MME table, cautions: "Use particular caution with methadone dose conversions because
  methadone has a long and variable half-life, and peak respiratory depressant effect occurs
  later and lasts longer than peak analgesic effect"; its thresholds are for pain. Before,
  methadone above 191.5 mg a day (900 MME / 4.7) was a "typing slip": an ordinary maintenance
  dose for opioid use disorder. Now its own bound (1000 mg, set by this tool [unverified]).
- A steroid taken now is named by what the patient takes, not "taper".
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import dose_reductions
from radiculopathy_desktop.domain.medicine_alerts import STEROID_STOP, medicine_alerts
from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.resources import resource_path
from helpers.medicines import EXAMPLE_AS_OF as AS_OF, example_case as _case, example_report as _report


# --------------------------------------------------------------------------- check-the-dose bounds
@pytest.mark.parametrize("name, bound", [("deflazacort", 240), ("betamethasone", 10), ("methadone", 1000)])
@pytest.mark.parametrize("delta", [-0.5, 0, 0.5])
def test_a_dose_around_the_bound(name, bound, delta):
    report = _report([(name, bound + delta)])
    checks = [(c.generic, c.kind, c.limit_mg) for c in report.dose_checks]
    if delta <= 0:
        assert checks == [] and dose_reductions(report) == ()
    else:
        assert checks == [(name, "check", bound)]
        assert dose_reductions(report) == (f"{name} {bound + delta:g} mg/day: check the dose (far above any usual dose)",)
        assert any(a.status == "reduce_dose" and name in a.medicines for a in medicine_alerts(report))


@pytest.mark.parametrize("mg", [120, 191.5, 192, 250, 400])
def test_a_methadone_maintenance_dose_is_not_a_typing_slip(mg):
    """900 MME / 4.7 = 191.5 mg: above it every methadone dose was 'check the dose' (med16)."""
    report = _report([("methadone", mg)])
    assert report.dose_checks == () and dose_reductions(report) == ()
    row = report.row("opioids")
    reason = next(r for r in row.reasons if r.rule == "opioid-methadone-programme")
    assert "treatment programme sets its dose" in reason.text and "particular caution" in reason.source
    assert not any(r.rule == "check-dose" for r in row.reasons)


def test_other_opioids_keep_the_mme_bound():
    assert [c.limit_mg for c in _report([("oxycodone", 601)]).dose_checks] == [600]


# --------------------------------------------------------------------------- uk: the class, not one row
@pytest.mark.parametrize("name", ["dexamethasone", "methylprednisolone", "hydrocortisone", "deflazacort",
                                  "betamethasone", "decadron"])
def test_under_uk_every_oral_steroid_is_rated_as_prednisolone_is(name):
    uk = _report([(name, 4)], "uk")
    notes = [n for n in uk.current_notes if n.rule == "uk-oral-corticosteroid-not-offered"]
    assert [(n.medicines, n.severity) for n in notes] == [((name,), "avoid")]
    alerts = [a for a in medicine_alerts(uk) if name in a.medicines]
    assert [a.status for a in alerts] == ["avoid"]
    assert STEROID_STOP in alerts[0].action and "NICE" in alerts[0].text  # never a bare "stop it"
    # the us profile has no such guideline position
    assert not [n for n in _report([(name, 4)], "us").current_notes if n.rule == "uk-oral-corticosteroid-not-offered"]


def test_under_uk_prednisolone_keeps_its_rows_position_said_once():
    uk = _report([("prednisolone", 5)], "uk")
    assert uk.row("prednisone").status == "avoid"
    assert not [n for n in uk.current_notes if n.rule == "uk-oral-corticosteroid-not-offered"]


@pytest.mark.parametrize("name", ["dexamethasone injection", "depo-medrol 80 mg", "solu-cortef 100 mg"])
def test_under_uk_a_steroid_injection_is_not_an_oral_steroid(name):
    assert not [n for n in _report([(name, None)], "uk").current_notes
                if n.rule == "uk-oral-corticosteroid-not-offered"]


def test_under_uk_the_pathway_reviews_dexamethasone_and_the_sheet_keeps_it():
    """The same alert reaches the pathway (review) and the sheet keeps 'do not stop it suddenly'
    (a steroid taken for another illness is kept; rt14 F3), as for prednisolone."""
    d = json.loads(resource_path("examples", "routine_s1_follow_up_due.json").read_text(encoding="utf-8"))
    for name in ("dexamethasone", "prednisolone"):  # the same for a steroid with and without a row
        d["medicines"] = [{"name": name, "daily_dose_mg": 4}]
        step = assess_case(parse_case(d), dt.date(2026, 11, 30), profile="uk").pathway.step("medicines")
        assert step.state == "review" and step.why[0] == f"Review: {name}: avoid (see the medicine alerts)"
        step = assess_case(parse_case(d), dt.date(2026, 11, 30), profile="us").pathway.step("medicines")
        assert step.state == "done"
    req = h.request_for_case(parse_case(_case([("dexamethasone", 4)])), AS_OF, clinic_name="C", clinic_contact="5",
                             lang="en", sheets=["med_oral_steroid"], profile="uk")
    text = " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())
    assert "keep taking your dexamethasone, 4 mg a day" in text and "Do not stop it suddenly" in text
    assert "before your next dose" not in text  # never "ask whether to keep taking" a steroid
    notes = " ".join(h.dose_notices(req))
    assert "also rates it AVOID" in notes and "NICE does not offer oral corticosteroids" in notes


# --------------------------------------------------------------------------- named by what is taken
@pytest.mark.parametrize("profile", ["us", "uk"])
def test_a_steroid_taken_now_is_named_by_what_is_taken_not_a_taper(profile):
    row = _report([("prednisolone", 5)], profile).row("prednisone")
    assert row.label == "Oral corticosteroid taken now (prednisolone)"
    assert _report([], profile).row("prednisone").label == "Prednisone taper"  # a course to consider
    a = assess_case(parse_case(_case([("prednisolone", 5)])), AS_OF, profile=profile)
    why = [w for w in a.pathway.step("medicines").why if w.startswith("Taking now")]
    assert why and "Oral corticosteroid" in why[0] and "taper" not in why[0]


@pytest.mark.parametrize("lang, kept", [("en", "take your methadone as prescribed, and do not change the dose or stop it "
                                               "on your own"),
                                        ("es", "tome su metadona como se lo recetaron, y no cambie la dosis ni lo deje "
                                               "por su cuenta")])
def test_a_methadone_maintenance_dose_is_kept_on_the_sheet_never_check_your_dose(lang, kept):
    """Before, 200 mg a day (above 900 MME / 4.7) printed 'Check your dose before you take more'.
    mme21: 200 mg is 940 MME/day, so the sheet is the high-dose one (CDC 2022 recommendation 5:
    opioids 'should not be discontinued abruptly'): kept at the dose prescribed, never changed or
    stopped on their own, never "check your dose"."""
    req = h.request_for_case(parse_case(_case([("methadone", 200)])), AS_OF, clinic_name="C", clinic_contact="5",
                             lang=lang, sheets=["med_opioid"], profile="us")
    text = " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())
    assert kept in text
    assert "Check your dose" not in text and "Revise su dosis" not in text
