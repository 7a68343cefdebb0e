"""A re-import that changes or leaves out the pregnancy recorded at a stored visit names the
medicine alert it removes (red team rt17 F12, id18, H-MED-281), as a changed intake does.

Before: ``import --replace-records`` of a file whose visit records 15 weeks where the tracker's
visit records 25 listed the pregnancy and the removed visit, but not that the case's
"AVOID: ibuprofen" alert was gone (the lost-alert check, ``medicine_alerts_lost``, read the
file's intake with the *stored* visits). Now that check also reads the file's visits when a
stored visit's pregnancy is left out or changed: without ``--replace-records`` the import is
refused naming the alert; with it the alert is listed under "Replaced" and in the audit.

The rule (rules.toml ``nsaid-pregnancy-20``), FDA Drug Safety Communication, 15 October 2020:
"We recommend avoiding NSAIDs in pregnant women at 20 weeks, rather than the 30 weeks
currently described in NSAID prescribing information." So 19 weeks (just below) loses the
AVOID alert, 20 weeks (at) and 21 (just above) keep it. Both engines (the ``store`` fixture).
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import FollowUpVisit, PregnancyUpdate, case_to_dict, parse_case
from radiculopathy_desktop.errors import UserError
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - dt.timedelta(days=60)
DAY = ANCHOR - dt.timedelta(days=20)  # the visit recording the pregnancy (the case's latest record)
CASE = "RT17-PREG"


def _stored(store, weeks=25):
    d = case_dict(CASE, care_start=INTAKE)
    d["patient"]["sex"] = "female"
    d["patient"]["pregnant"] = False  # not pregnant at the intake; found pregnant at the visit
    d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    store.import_cases([parse_case(d)], user="dr.a")
    store.add_visit(CASE, FollowUpVisit(DAY, leg_nrs=6, pregnancy=PregnancyUpdate(True, weeks)), user="dr.a")
    return case_to_dict(store.get_case(CASE))


def _alerts(store) -> set[str]:
    from radiculopathy_desktop.domain.medications import assess_medications

    case = store.get_case(CASE)
    rows = assess_medications(case.intake_as_of(DAY), DAY).rows
    return {f"{r.status}: {r.drug}" for r in rows if r.currently_taking and r.status in ("avoid", "contraindicated")}


def _with_visit_pregnancy(data: dict, pregnancy) -> dict:
    out = {**data, "visits": [dict(v) for v in data["visits"]]}
    if pregnancy is None:
        out["visits"][0].pop("pregnancy")
    else:
        out["visits"][0]["pregnancy"] = pregnancy
    return out


def _alert_entries(entries) -> list[dict]:
    return [e for e in entries if e.get("field") == "medicine_alert"]


@pytest.mark.parametrize("weeks", [15, 19])
def test_lower_weeks_at_the_visit_name_the_avoid_alert_they_remove(store, weeks):
    data = _stored(store)
    assert _alerts(store) == {"avoid: ibuprofen"}
    changed = _with_visit_pregnancy(data, {"pregnant": True, "weeks": weeks})
    before = store.get_case(CASE), store.audit_count()
    with pytest.raises(UserError) as refused:
        store.import_cases([parse_case(changed)], user="import")
    message = str(refused.value)
    assert (f"case {CASE}: the file's visits no longer raise the medicine alert 'AVOID: ibuprofen' that the tracker's "
            f"record raises on {DAY.isoformat()}") in message
    assert f"the pregnancy recorded at the visit of {DAY.isoformat()} (pregnant, 25 weeks)" in message
    assert (store.get_case(CASE), store.audit_count()) == before  # nothing imported

    result = store.import_cases([parse_case(changed)], user="import", replace_records=True)
    (entry,) = _alert_entries(result.replaced)
    assert entry["stored"] == "AVOID: ibuprofen" and entry["file"] is None and entry["visits"] == [DAY.isoformat()]
    audit = [e for e in store.audit() if e.action == "import"][-1].detail
    assert entry in audit["replaced_at_intake"]
    assert _alerts(store) == set()  # what was named is what went


@pytest.mark.parametrize("weeks", [20, 21])
def test_weeks_still_at_or_above_the_threshold_name_no_lost_alert(store, weeks):
    data = _stored(store)
    result = store.import_cases([parse_case(_with_visit_pregnancy(data, {"pregnant": True, "weeks": weeks}))],
                                user="import", replace_records=True)
    assert _alert_entries(result.replaced) == []
    assert _alerts(store) == {"avoid: ibuprofen"}


@pytest.mark.parametrize("pregnancy", [None, {"pregnant": False}])
def test_a_visit_pregnancy_left_out_or_ended_names_the_alert(store, pregnancy):
    data = _stored(store)
    with pytest.raises(UserError) as refused:
        store.import_cases([parse_case(_with_visit_pregnancy(data, pregnancy))], user="import")
    assert "no longer raise the medicine alert 'AVOID: ibuprofen'" in str(refused.value)
    result = store.import_cases([parse_case(_with_visit_pregnancy(data, pregnancy))], user="import",
                                replace_records=True)
    assert [e["stored"] for e in _alert_entries(result.replaced)] == ["AVOID: ibuprofen"]


def test_a_visit_the_file_only_adds_is_not_a_lost_alert(store):
    """Boundary: a later visit recording the birth is new, not a replaced record: imported as
    before without --replace-records (it is named under "changed"), and no alert is listed."""
    data = _stored(store)
    later = {"date": (DAY + dt.timedelta(days=7)).isoformat(), "leg_nrs": 3, "pregnancy": {"pregnant": False}}
    result = store.import_cases([parse_case({**data, "visits": [*data["visits"], later]})], user="import")
    assert _alert_entries(result.replaced) == []
    assert len(store.get_case(CASE).visits) == 2


def test_the_cli_summary_names_the_alert_removed(store, tmp_path, run_cli, engine):
    """What the clinician reads after ``import --replace-records`` (rt17 F12's repro)."""
    if engine != "sqlite":
        pytest.skip("the command line's summary is the same code on both engines; the store's result is checked above")
    import json

    data = _stored(store)
    store.close()
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(_with_visit_pregnancy(data, {"pregnant": True, "weeks": 15})), encoding="utf-8")
    code, out, err = run_cli("import", "--replace-records", str(path))
    assert code == 0, err
    assert (f"case {CASE}: medicine_alert 'AVOID: ibuprofen' -> no value (the pregnancy recorded at the visit of "
            f"{DAY.isoformat()} changed or left out)") in out
