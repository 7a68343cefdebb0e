"""Aspirin by mouth at an analgesic dose is checked against its label maximum (mtx; H-MED-498).

From the sources (resources/medicines/sources.toml, read with the search tool 2026-12-02):
- US OTC Drug Facts, aspirin 325 mg tablets (NDC 51532-0232): "1 to 2 tablets every 4 hours, do not
  exceed 12 tablets in 24 hours": 12 x 325 = 3900 mg a day (us profile).
- UK SmPC, Aspirin Tablets BP 300mg (emc 1911), 4.2: "1 - 3 tablets every four hours ... Not more
  than 4 doses in 24 hours": 12 x 300 = 3600 mg a day (uk profile).
Before, "aspirin 900mg qds" (3.6 g a day) was "Dose not checked: no label maximum". At the maximum:
nothing; just above: "Reduce dose"; low-dose aspirin is never near it.
"""

from __future__ import annotations

import pytest

from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from tests.domain.test_methotrexate_weekly_mtx import _report


def _aspirin(report):
    return [(c.daily_mg, c.limit_mg, c.kind, c.rule) for c in report.dose_checks if c.generic == "aspirin"]


@pytest.mark.parametrize("profile, limit", [("us", 3900), ("uk", 3600)])
def test_at_the_label_maximum_is_silent_and_just_above_is_reduce_dose(profile, limit):
    at = _report([("aspirin", limit)], profile)
    assert _aspirin(at) == []
    assert not any(n.text.startswith("Dose not checked") and "aspirin" in n.text for n in at.current_notes)
    above = _report([("aspirin", limit + 1)], profile)
    assert _aspirin(above) == [(limit + 1, limit, "label_max", "over-label-max")]
    alert = next(a for a in medicine_alerts(above) if "aspirin" in a.medicines)
    assert alert.status == "reduce_dose" and alert.text.startswith("Reduce dose: ") and f"label maximum of {limit} mg of aspirin a day" in alert.text


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_900mg_qds_is_checked_and_at_the_maximum_not_dose_not_checked(profile):
    report = _report([("aspirin 900mg qds", None)], profile)
    assert _aspirin(report) == []  # 3600 mg a day: at the uk maximum, below the us one
    assert not any(n.text.startswith("Dose not checked") for n in report.current_notes)


def test_the_us_and_uk_maxima_differ_between_3600_and_3900():
    name = "aspirin 325mg 2 tabs 6 times a day"  # 3900 mg a day: the US label's 12 tablets
    assert _aspirin(_report([(name, None)], "us")) == []
    assert _aspirin(_report([(name, None)], "uk")) == [(3900, 3600, "label_max", "over-label-max")]
    assert _aspirin(_report([("aspirin 1g qds", None)], "us")) == [(4000, 3900, "label_max", "over-label-max")]


@pytest.mark.parametrize("name", ["aspirin 75mg od", "aspirin 81mg daily", "aspirin 300mg od", "aspirin 600mg"])
def test_low_dose_or_a_strength_alone_is_never_above_it(name):
    assert _aspirin(_report([(name, None)], "uk")) == [] and _aspirin(_report([(name, None)], "us")) == []


def test_a_slip_far_above_the_maximum_is_check_the_dose():
    assert _aspirin(_report([("aspirin", 39000)], "us")) == [(39000, 11700, "check", "check-dose")]


@pytest.mark.parametrize("profile, limit", [("us", 3900), ("uk", 3600)])
def test_the_worklist_and_the_handout_clinician_note_carry_it(profile, limit):
    import datetime as dt

    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.domain.worklist_marks import alert_marks
    from radiculopathy_desktop.reports import handouts as h
    from tests.domain.test_methotrexate_weekly_mtx import _case

    case = parse_case(_case([("aspirin 1g qds", None)]))
    day = dt.date(2026, 11, 21)
    assert any(m.label == "Reduce dose" and m.medicines == ("aspirin 1g qds",) for m in alert_marks(case, day, profile))
    req = h.request_for_case(case, day, clinic_name="Clinic", clinic_contact="555", lang="en", profile=profile,
                             sheets=["med_nsaid"])
    # handout29 (H-MED-518): aspirin at an analgesic dose is on the NSAID sheet, which says the dose is too high
    # (before, no sheet covered it and only the clinician's note said so)
    assert (f"med_nsaid: aspirin 4000 mg a day, above this patient's maximum of {limit} mg a day"
            in " ".join(h.dose_notices(req)))
    from radiculopathy_desktop.reports import handout_content as hc
    text = " ".join(hc.plain_text(h.filled_sheets(req)[0]).split())
    assert f"For you, the most is {limit} mg a day." in text
