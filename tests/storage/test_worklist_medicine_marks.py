"""The worklist's medicine-safety marks and pregnancy, stored at save and read for the worklist's
date, on both engines (wl17; gp16 F6: "Needs attention (0)" and no mark while a patient 33 weeks
pregnant took ibuprofen). FDA Drug Safety Communication 2020: NSAID labels advise against use "at
30 weeks and later in pregnancy because of the additional risk of premature closure of the fetal
ductus arteriosus"; from 20 weeks, avoid. Past 42 completed weeks (postterm, [unverified] in the
data) the worklist asks whether she is still pregnant.
"""

from __future__ import annotations

import datetime as dt

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.followup import ReviewStatus
from radiculopathy_desktop.domain.intake import parse_case
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
ALL = list(ReviewStatus)
INTAKE = ANCHOR - dt.timedelta(days=50)
OPEN = [s for s in ReviewStatus if s != ReviewStatus.CLOSED]


def pregnant(case_id="P", weeks=18, dose=1200.0, medicine="ibuprofen") -> dict:
    d = case_dict(case_id, care_start=INTAKE)
    d["patient"]["sex"] = "female"
    if weeks is not None:
        d["patient"]["pregnancy_weeks"] = weeks
    if medicine:
        d["medicines"] = [{"name": medicine, "daily_dose_mg": dose}]
    return d


def row(store, case_id, as_of, profile="us"):
    return next(r for r in store.worklist(as_of, statuses=ALL, profile=profile) if r.case_id == case_id)


def test_the_mark_follows_the_weeks_for_past_and_future_dates(store):
    """29+6 weeks avoid, 30 weeks contraindicated: the case page's alerts on each date."""
    store.import_cases([parse_case(pregnant())])
    for days, label in ((13, None), (14, "Avoid"), (83, "Avoid"), (84, "Contraindicated"), (85, "Contraindicated")):
        as_of = INTAKE + dt.timedelta(days=days)
        r = row(store, "P", as_of)
        page = [(a.status_label, tuple(a.medicines)) for a in assess_case(store.get_case("P"), as_of).medicine_alerts]
        assert [(m.label, m.medicines) for m in r.medicine_alerts] == page
        assert [m.label for m in r.medicine_alerts] == ([label] if label else [])
        assert r.pregnancy[0] == f"Pregnant {18 + days // 7} wk"
        assert r.to_dict()["medicine_alerts"] == [
            {"status_label": m.label, "medicines": list(m.medicines), "action": m.action, "opioid_total": None}
            for m in r.medicine_alerts]  # no opioid counted: no total (mme23)


def test_pregnancy_past_42_weeks_asks_and_a_pregnancy_without_medicine_is_shown(store):
    store.import_cases([parse_case(pregnant("Q", medicine=None))])
    at_42 = INTAKE + dt.timedelta(weeks=24, days=6)  # 42+6: not past the end
    at_43 = INTAKE + dt.timedelta(weeks=25)
    assert row(store, "Q", at_42).pregnancy[0] == "Pregnant 42 wk"
    mark, sentence = row(store, "Q", at_43).pregnancy
    assert mark == "Ask: still pregnant?" and "Ask whether she is still pregnant" in sentence
    assert row(store, "Q", at_43).medicine_alerts == ()
    assert row(store, "Q", at_43).to_dict()["pregnancy"] == sentence


def test_only_cases_with_an_alert_on_the_date_are_listed_and_counted(store):
    store.import_cases([parse_case(pregnant("P")), parse_case(pregnant("Q", medicine=None)),
                        parse_case(case_dict("R", care_start=INTAKE))])
    before_20 = INTAKE + dt.timedelta(days=13)
    at_30 = INTAKE + dt.timedelta(days=84)
    assert store.worklist(before_20, statuses=OPEN, medicine_alerts_only=True) == []
    listed = store.worklist(at_30, statuses=OPEN, medicine_alerts_only=True)
    assert [r.case_id for r in listed] == ["P"]
    assert [m.label for m in listed[0].medicine_alerts] == ["Contraindicated"]
    # the status filter still applies: the case's status is one of the surgical-review statuses
    status = listed[0].status
    assert store.worklist(at_30, statuses=[s for s in OPEN if s != status], medicine_alerts_only=True) == []
    # paged as the window pages it
    assert [r.case_id for r in store.worklist(at_30, statuses=OPEN, medicine_alerts_only=True, limit=1,
                                              offset=1)] == []


def test_a_stored_row_of_the_old_format_still_reads_its_dose_alerts(store):
    """Until the upgrade rewrites it, a row stored before wl17 (a JSON list) is the dose alerts."""
    from radiculopathy_desktop.storage.worklist import WorklistRow

    r = WorklistRow(("X",) + (0,) * 18 + (0,), ANCHOR, store.get_settings())
    r.take_stored_alerts('["ibuprofen 3300 mg/day > max 3200 mg/day"]')
    assert r.dose_alerts == ("ibuprofen 3300 mg/day > max 3200 mg/day",)
    assert r.medicine_alerts == () and r.pregnancy == ("", "")


def _varied_cohort():
    """Cases whose medicine alerts move with time in every way the rules read time: pregnancy
    weeks (13, 20, 30), ages reaching 60, 65 and 75 (birth dates), a creatinine (Cockcroft-Gault
    reads the age), the 12-week symptom threshold and the phases; plus visits answering again."""
    import random

    rng = random.Random(23)
    medicines = [[{"name": "ibuprofen", "daily_dose_mg": 1200}], [{"name": "gabapentin", "daily_dose_mg": 1800}],
                 [{"name": "naproxen", "daily_dose_mg": 1000}, {"name": "prednisolone", "daily_dose_mg": 40}],
                 [{"name": "co-codamol 30/500", "daily_dose_mg": 8}], [{"name": "tramadol", "daily_dose_mg": 300}],
                 [{"name": "diazepam", "daily_dose_mg": 10}, {"name": "oxycodone", "daily_dose_mg": 40}]]
    out = []
    for n in range(36):
        d = case_dict(f"V{n}", care_start=INTAKE - dt.timedelta(days=rng.randint(0, 60)))
        d["medicines"] = rng.choice(medicines)
        if n % 3 == 0:
            d["patient"]["pregnancy_weeks"] = rng.randint(4, 40)
        else:
            d["patient"].pop("age_years")
            d["patient"]["birth_date"] = (INTAKE - dt.timedelta(days=rng.choice([59, 64, 74]) * 365
                                                                + rng.randint(0, 364))).isoformat()
            d["patient"]["sex"] = rng.choice(["female", "male"])
            d["patient"]["weight_kg"] = 70
            if n % 2:
                d["conditions"] = {"serum_creatinine": {"value": 1.9, "unit": "mg/dL"}}
        out.append(d)
    # 65 a hundred days after the intake, without a creatinine: Beers 2023 (an NSAID with a
    # corticosteroid from 65: avoid; an opioid with a history of falls from 65: avoid)
    for n, (meds, flags) in enumerate(((medicines[2], {}), ([{"name": "tramadol", "daily_dose_mg": 200}],
                                                            {"falls_history": True}))):
        d = case_dict(f"B{n}", care_start=INTAKE)
        d["patient"].pop("age_years")
        d["patient"]["birth_date"] = (INTAKE + dt.timedelta(days=100)).replace(year=INTAKE.year - 65).isoformat()
        d["medicines"] = meds
        if flags:
            d["conditions"] = flags
        out.append(d)
    # a fever answered yes at a visit, then no at the next: prednisolone is to avoid in between
    # (prednisone label: corticosteroids mask and worsen infection)
    d = case_dict("F0", care_start=INTAKE, visits=[
        {"date": INTAKE + dt.timedelta(days=30), "red_flags": {"fever": "yes"}},
        {"date": INTAKE + dt.timedelta(days=60), "red_flags": {"fever": "no"}}])
    d["medicines"] = [{"name": "prednisolone", "daily_dose_mg": 30}]
    out.append(d)
    return out


def test_the_stored_marks_are_the_case_pages_alerts_on_any_date(store):
    """One rule: for a varied cohort, every date from before the intake to two years on."""
    cases = [parse_case(d) for d in _varied_cohort()]
    store.import_cases(cases)
    start = min(c.intake.visit_date for c in cases)
    checked = 0
    for offset in range(0, 760, 29):
        as_of = start + dt.timedelta(days=offset)
        for profile in ("us", "uk"):
            rows = {r.case_id: r for r in store.worklist(as_of, statuses=ALL, profile=profile)}
            for c in cases:
                if c.intake.visit_date > as_of:
                    assert c.case_id not in rows
                    continue
                page = [(a.status_label, tuple(a.medicines))
                        for a in assess_case(store.get_case(c.case_id), as_of, profile=profile).medicine_alerts]
                assert [(m.label, m.medicines) for m in rows[c.case_id].medicine_alerts] == page, (c.case_id, as_of)
                checked += bool(page)
    assert checked > 500  # most rows carry an alert: the comparison is not of empty lists


def test_a_pregnancy_recorded_at_a_visit_marks_the_worklist_row_from_that_visit(store):
    """Red team rt17 F1: not pregnant at the intake, ibuprofen; a visit records 25 weeks. The
    case page said Avoid, then Contraindicated from 30 weeks; the worklist row had no mark, no
    pregnancy and was not under Medicine alerts. Then a later visit records the pregnancy ended:
    the row's marks go with it (the case page's answer standing on the date)."""
    from radiculopathy_desktop.domain.intake import FollowUpVisit, PregnancyUpdate

    store.import_cases([parse_case(pregnant("V", weeks=None))])
    visit_day = INTAKE + dt.timedelta(days=7)
    store.add_visit("V", FollowUpVisit(visit_day, leg_nrs=6, pregnancy=PregnancyUpdate(True, 25)), user="Dr Ada")
    before, at_visit, thirty = visit_day - dt.timedelta(days=1), visit_day, visit_day + dt.timedelta(weeks=5)
    assert row(store, "V", before).medicine_alerts == () and row(store, "V", before).pregnancy[0] == ""
    for day, label, short in ((at_visit, "Avoid", "Pregnant 25 wk"), (thirty, "Contraindicated", "Pregnant 30 wk")):
        r = row(store, "V", day)
        page = [(a.status_label, tuple(a.medicines)) for a in assess_case(store.get_case("V"), day).medicine_alerts]
        assert [(m.label, m.medicines) for m in r.medicine_alerts] == page == [(label, ("ibuprofen",))]
        assert r.pregnancy[0] == short
        assert "V" in {x.case_id for x in store.worklist(day, statuses=OPEN, medicine_alerts_only=True)}
    ended = thirty + dt.timedelta(days=3)
    store.add_visit("V", FollowUpVisit(ended, leg_nrs=5, pregnancy=PregnancyUpdate(False)), user="Dr Ada")
    r = row(store, "V", ended + dt.timedelta(weeks=2))
    assert r.medicine_alerts == () and r.pregnancy == ("", "")
    assert "V" not in {x.case_id for x in store.worklist(ended, statuses=OPEN, medicine_alerts_only=True)}
    assert row(store, "V", thirty).pregnancy[0] == "Pregnant 30 wk"  # a past date still sees it
