"""Methotrexate written as a daily dose is "Check the dose" (mtx; H-MED-496, H-MED-497).

From the sources (resources/medicines/sources.toml, read with the search tool 2026-12-02):
- MHRA Drug Safety Update (September 2020), "Methotrexate once-weekly for autoimmune diseases: new
  measures to reduce risk of fatal overdose due to inadvertent daily instead of weekly dosing": in
  autoimmune conditions and some cancer therapies methotrexate should be taken once a week; reports
  continue of inadvertent overdose due to more frequent dosing (including daily administration);
  the patient is told of the potentially fatal risk if it is taken more often than once a week,
  "specifically, that it should not be taken daily".
- Methotrexate tablets US label: the boxed warning names the RISK OF MEDICATION ERRORS.
So ANY daily dose (recorded in the daily dose field, or read from a daily or more frequent
frequency in the name) is asked about, whatever its size; a name written weekly gives no daily dose
and is not asked about (no weekly total is checked).
"""

from __future__ import annotations

import json
import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import load_medicine_data
from radiculopathy_desktop.domain.medicine_alerts import medicine_alerts
from radiculopathy_desktop.domain.worklist_marks import alert_marks
from radiculopathy_desktop.reports import handouts as h
from tests.helpers.cli_run import run_main
# AS_OF, _case and _report keep their names here: other test files import them from this one.
from helpers.medicines import EXAMPLE_AS_OF as AS_OF, assert_drugs_toml_refused, example_case as _case, example_report as _report

HAZARD = "methotrexate is usually taken once a week; a daily dose is a known fatal error: check the prescription"


def _weekly_checks(report):
    return [c for c in report.dose_checks if c.generic == "methotrexate"]


# --------------------------------------------------------------------------- daily: asked about
@pytest.mark.parametrize("name, mg, daily", [
    ("methotrexate 10mg od", None, 10),
    ("methotrexate 2.5mg daily", None, 2.5),  # the smallest tablet once a day: any daily dose, whatever its size
    ("methotrexate 7.5mg bd", None, 15),
    ("methotrexate 2.5mg once daily", None, 2.5),
    ("methotrexate 2.5mg every 12 hours", None, 5),  # more often than daily
    ("methotrexate 2.5mg q24h", None, 2.5),
    ("methotrexate 2.5mg tds", None, 7.5),
    ("Methotrexate 10 mg OD", None, 10),
    ("metoject 15mg od", None, 15),  # a brand of it
    ("maxtrex 2.5mg nocte", None, 2.5),
    ("methotrexate", 10, 10),  # a daily dose typed in the daily dose field
    ("methotrexate 2.5mg", 2.5, 2.5),
])
def test_methotrexate_written_daily_is_check_the_dose_naming_the_weekly_hazard(name, mg, daily):
    report = _report([(name, mg)])
    checks = _weekly_checks(report)
    name = name.lower()  # the intake records names in lower case
    assert [(c.medicines, c.daily_mg, c.kind, c.rule) for c in checks] == [((name,), daily, "check", "check-dose")]
    assert checks[0].text.startswith("Check the dose: ") and HAZARD in checks[0].text
    assert "MHRA" in checks[0].source
    alert = next(a for a in medicine_alerts(report) if name in a.medicines)
    assert alert.label == "Check the dose" and HAZARD in alert.text
    assert alert.status == "reduce_dose"


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_the_check_holds_under_both_profiles(profile):
    assert len(_weekly_checks(_report([("methotrexate 10mg od", None)], profile))) == 1


# --------------------------------------------------------------------------- weekly, or no frequency: silent
@pytest.mark.parametrize("name", [
    "methotrexate 15mg weekly",
    "methotrexate 15mg once a week",
    "methotrexate 15mg every monday",
    "methotrexate 15mg every Monday",
    "methotrexate 15mg/week",
    "methotrexate 15mg q week",
    "metotrexato 15mg semanal",
    "metotrexato 15 mg una vez a la semana",
    "methotrexate 2.5mg tablets 6 tabs weekly",
    "methotrexate 15mg sc weekly",
    "metoject 15mg weekly",
    "methotrexate 10mg",  # a strength, no frequency: no daily dose to ask about
    "methotrexate",
])
def test_methotrexate_written_weekly_or_with_no_frequency_is_not_asked_about(name):
    report = _report([(name, None)])
    assert _weekly_checks(report) == []
    assert not any(HAZARD in a.text for a in medicine_alerts(report))
    assert not any(HAZARD in n.text for n in report.current_notes)


def test_methotrexate_recognised_as_before_for_the_nsaid_interaction():
    """The weekly name keeps its NSAID interaction; a daily one has both."""
    weekly = _report([("methotrexate 15mg weekly", None), ("ibuprofen", 1200)])
    assert any("methotrexate" in a.text and "NSAID" in a.text for a in medicine_alerts(weekly))
    daily = _report([("methotrexate 10mg od", None), ("ibuprofen", 1200)])
    texts = [a.text for a in medicine_alerts(daily)]
    assert any(HAZARD in t for t in texts) and any("NSAID" in t for t in texts)


def test_two_lines_one_daily_names_only_the_daily_one():
    report = _report([("methotrexate 15mg weekly", None), ("methotrexate 2.5mg od", None)])
    checks = _weekly_checks(report)
    assert [(c.medicines, c.daily_mg) for c in checks] == [(("methotrexate 2.5mg od",), 2.5)]


# --------------------------------------------------------------------------- every surface
def test_the_worklist_mark_is_check_the_dose():
    marks = alert_marks(parse_case(_case([("methotrexate 10mg od", None)])), AS_OF, "us")
    assert any(m.label == "Check the dose" and m.medicines == ("methotrexate 10mg od",) for m in marks), marks
    assert alert_marks(parse_case(_case([("methotrexate 15mg weekly", None)])), AS_OF, "us") == ()


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_assess_carries_the_check(capsys, tmp_path, fmt):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_case([("methotrexate 7.5mg bd", None)])), encoding="utf-8")
    code, out, err = run_main(capsys, ["assess", str(path), "--format", fmt, "--as-of", AS_OF.isoformat()])
    assert code == 0, err
    if fmt == "json":
        m = json.loads(out)["medications"]
        notes = [n for n in m["current_notes"] if n["rule"] == "check-dose"]
        assert len(notes) == 1 and notes[0]["severity"] == "reduce_dose" and HAZARD in notes[0]["text"]
    else:
        assert HAZARD in " ".join(out.split())


def test_the_handout_tells_the_clinician_though_no_sheet_covers_methotrexate():
    req = h.request_for_case(parse_case(_case([("methotrexate 10mg od", None)])), AS_OF, clinic_name="Clinic",
                             clinic_contact="555", lang="en", profile="us")
    notes = [n for n in h.dose_notices(req) if HAZARD in n]
    assert len(notes) == 1 and notes[0].startswith("No medicine sheet covers it: Check the dose: methotrexate 10mg od")
    weekly = h.request_for_case(parse_case(_case([("methotrexate 15mg weekly", None)])), AS_OF, clinic_name="Clinic",
                                clinic_contact="555", lang="en", profile="us")
    assert not any("No medicine sheet covers it" in n for n in h.dose_notices(weekly))


# --------------------------------------------------------------------------- the data
@pytest.mark.parametrize("bad, match", [
    ('[dose_checks.methotrexate]\nweekly_only = true\nsource = ["mhra-methotrexate-weekly"]\n', "reason"),
    ('[dose_checks.methotrexate]\nweekly_only = true\ncheck_above_daily_mg = 30\nreason = "x"\n'
     'source = ["mhra-methotrexate-weekly"]\n', "weekly_only"),
    ('[dose_checks.methotrexate]\nweekly_only = "yes"\nreason = "x"\nsource = ["mhra-methotrexate-weekly"]\n',
     "weekly_only"),
])
def test_a_weekly_entry_without_its_reason_or_with_a_limit_is_refused(tmp_path, bad, match):
    def edit(text):
        start = text.index("[dose_checks.methotrexate]")
        end = text.index("[dose_not_checked]\nclasses")
        return text[:start] + bad + "\n" + text[end:]

    assert_drugs_toml_refused(tmp_path, edit, match)


def test_stored_marks_are_derived_again():
    from radiculopathy_desktop.storage.store import DOSE_ALERTS_VERSION

    assert DOSE_ALERTS_VERSION >= 20
