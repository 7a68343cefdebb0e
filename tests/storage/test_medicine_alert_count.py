"""The window's "Medicine alerts (N)" is counted by the database from the stored spans (wl18), on
both engines: it must be exactly the number of cases the filter lists, on every date, for every
status filter and both profiles, and the filter must list the cases whose stored spans hold a mark
on the date (the rule of ``marks_from_json``), whatever else a stored row holds.

Before wl18 the window read the whole list (every alert case's row built and its JSON parsed twice)
after every reload just to count it; the figures are in benchmarks/bench_medicine_alerts.py.

The alerts are the product's rules (resources/medicines/sources.toml): FDA Drug Safety
Communication, 15 October 2020: "FDA recommends avoiding use of NSAIDs in pregnancy at 20 weeks or
later"; NSAID labels advise against use "at 30 weeks and later in pregnancy because of the
additional risk of premature closure of the fetal ductus arteriosus".
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.followup import ReviewStatus
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.storage.worklist import alert_case_ids
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
ALL = list(ReviewStatus)
OPEN = [s for s in ReviewStatus if s != ReviewStatus.CLOSED]
INTAKE = ANCHOR - dt.timedelta(days=50)


def _pregnant(case_id, weeks, medicine="ibuprofen", dose=1200.0):
    d = case_dict(case_id, care_start=INTAKE)
    d["patient"]["sex"] = "female"
    d["patient"]["pregnancy_weeks"] = weeks
    if medicine:
        d["medicines"] = [{"name": medicine, "daily_dose_mg": dose}]
    return d


def _cohort():
    out = [_pregnant(f"P{w}", w) for w in (8, 15, 19, 24, 29)]  # 20 and 30 weeks at different dates
    out.append(_pregnant("NOMED", 22, medicine=None))  # pregnant, no medicine: never an alert
    over = case_dict("GABA", care_start=INTAKE)
    over["medicines"] = [{"name": "Neurontin 600 mg", "daily_dose_mg": 4800}]  # above the maximum
    out.append(over)
    closed = _pregnant("CLOSED", 25)
    closed["decisions"] = [{"date": (INTAKE + dt.timedelta(days=20)).isoformat(), "kind": "resolved_discharged"}]
    out.append(closed)
    later = case_dict("LATER", care_start=INTAKE + dt.timedelta(days=60))  # not yet there on early dates
    later["medicines"] = [{"name": "Neurontin 600 mg", "daily_dose_mg": 4800}]
    out.append(later)
    out.append(case_dict("PLAIN", care_start=INTAKE))  # no medicine, no pregnancy: no stored row
    return out


def _stored(store, profile):
    if hasattr(store, "_tx"):
        with store._tx() as conn:
            return conn.execute("SELECT case_id, alerts_json FROM medicine_alerts WHERE profile = %s",
                                (profile,)).fetchall()
    return store._db.conn.execute("SELECT case_id, alerts_json FROM medicine_alerts WHERE profile = ?",
                                  (profile,)).fetchall()


def _write(store, case_id, profile, text, request):
    """Change a stored row as a damaged or older database would hold it (on the clinic server as
    its superuser: the app's logins may not write the derived tables by hand)."""
    if hasattr(store, "_tx"):
        import psycopg

        server, url = request.getfixturevalue("pg_server"), request.getfixturevalue("pg_database")
        with psycopg.connect(server.conninfo(url.dbname), autocommit=True) as conn:
            conn.execute("UPDATE medicine_alerts SET alerts_json = %s WHERE case_id = %s AND profile = %s",
                         (text, case_id, profile))
        return
    with store._db.conn:
        store._db.conn.execute("UPDATE medicine_alerts SET alerts_json = ? WHERE case_id = ? AND profile = ?",
                               (text, case_id, profile))


def test_the_count_is_the_filters_list_on_every_date_status_filter_and_profile(store):
    store.import_cases([parse_case(d) for d in _cohort()])
    counted = 0
    for days in range(-3, 200, 6):
        as_of = INTAKE + dt.timedelta(days=days)
        for profile in ("us", "uk"):
            python_rule = alert_case_ids(_stored(store, profile), as_of)  # wl17's rule, in Python
            for statuses in (OPEN, ALL, [ReviewStatus.CLOSED], [ReviewStatus.NOT_DUE, ReviewStatus.UPCOMING]):
                listed = store.worklist(as_of, statuses=statuses, profile=profile, medicine_alerts_only=True)
                everyone = {r.case_id: r for r in store.worklist(as_of, statuses=statuses, profile=profile)}
                assert {r.case_id for r in listed} == {c for c in python_rule if c in everyone}, (as_of, profile)
                assert all(r.medicine_alerts for r in listed)
                assert {c for c, r in everyone.items() if r.medicine_alerts} == {r.case_id for r in listed}
                assert store.medicine_alert_count(as_of, statuses, profile=profile) == len(listed), (
                    as_of, profile, statuses)
                counted += len(listed)
    assert counted > 300  # the comparison is not of empty lists


def test_the_weeks_boundaries_move_the_count(store):
    """19 weeks at the intake: 20 weeks (Avoid) 7 days later: not counted the day before, counted
    on the day; closed cases are not counted under the window's statuses."""
    store.import_cases([parse_case(_pregnant("P19", 19)), parse_case(_pregnant("NOMED", 19, medicine=None))])
    day_20 = INTAKE + dt.timedelta(days=7)
    assert store.medicine_alert_count(day_20 - dt.timedelta(days=1), OPEN) == 0
    assert store.medicine_alert_count(day_20, OPEN) == 1
    assert store.medicine_alert_count(day_20 + dt.timedelta(days=1), OPEN) == 1
    assert store.medicine_alert_count(day_20, [ReviewStatus.CLOSED]) == 0
    assert store.medicine_alert_count(INTAKE - dt.timedelta(days=1), ALL) == 0  # before the intake: no case


def test_a_row_in_the_old_format_or_with_spans_without_marks_is_not_an_alert(store, request):
    """A row stored before wl17 (a JSON list of dose alerts) has no spans: the Python rule lists
    nothing for it and neither do the database's."""
    store.import_cases([parse_case(_pregnant("P24", 24)), parse_case(_pregnant("P25", 25))])
    as_of = INTAKE + dt.timedelta(days=10)
    assert store.medicine_alert_count(as_of, OPEN) == 2
    _write(store, "P24", "us", json.dumps(["ibuprofen 3300 mg/day > max 3200 mg/day"]), request)
    day = as_of.toordinal()
    _write(store, "P25", "us", json.dumps({"spans": [[day - 5, None, []]], "pregnancy": [[INTAKE.isoformat(), 25, 0]]}), request)
    assert alert_case_ids(_stored(store, "us"), as_of) == frozenset()
    assert store.worklist(as_of, statuses=OPEN, medicine_alerts_only=True) == []
    assert store.medicine_alert_count(as_of, OPEN) == 0
    # a span ending on the date does not hold on it; one starting on it does
    marks = [["Avoid", ["ibuprofen"], "Review now."]]
    _write(store, "P25", "us", json.dumps({"spans": [[day - 5, day, marks], [day + 1, None, marks]]}), request)
    assert store.medicine_alert_count(as_of, OPEN) == 0
    assert store.medicine_alert_count(as_of + dt.timedelta(days=1), OPEN) == 1
    assert store.medicine_alert_count(as_of - dt.timedelta(days=1), OPEN) == 1
    assert [r.case_id for r in store.worklist(as_of - dt.timedelta(days=1), statuses=OPEN,
                                              medicine_alerts_only=True)] == ["P25"]


@pytest.mark.parametrize("search", ["P2", "zzz"])
def test_the_filter_with_a_search_and_paging(store, search):
    store.import_cases([parse_case(d) for d in _cohort()])
    as_of = INTAKE + dt.timedelta(days=90)
    whole = store.worklist(as_of, statuses=OPEN, medicine_alerts_only=True)
    assert len(whole) >= 4
    paged = [r.case_id for off in range(0, len(whole), 2)
             for r in store.worklist(as_of, statuses=OPEN, medicine_alerts_only=True, limit=2, offset=off)]
    assert paged == [r.case_id for r in whole]
    found = store.worklist(as_of, statuses=OPEN, medicine_alerts_only=True, search=search)
    assert [r.case_id for r in found] == [r.case_id for r in whole if search in r.case_id]
