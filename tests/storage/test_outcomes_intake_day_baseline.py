"""The clinic outcomes measure change from the worklist's baseline: the intake's day's latest
record of each score (oc20; rt21 F5, H-FU-352; hazard H-FU-369).

Until oc20 the outcomes (the `outcomes` command, the Outcomes view, the audit report, the
stored outcome facts) measured change from the intake record's own scores, and counted a visit
on the intake's own day as a follow-up, while the worklist (fxj20) judges Progress from the
intake's day's latest scores and only at a later visit. For a case re-recorded on the intake
day the two said opposite things: intake leg 7, re-recorded 3 the same day, 3 at 6 weeks read
"Improved by the MCID" (7 -> 3) in the audit and "not improving 3->3" on the worklist.

Primary source of the measure (``improved_mcid``, ``instruments.MCID_SOURCE``): Ostelo RW et al.
"Interpreting change scores for pain and functional status in low back pain: towards
international consensus regarding minimal important change". Spine 2008;33:90-94. Abstract (the
full paper was not read): "MIC is the improvement in clinical status of an individual patient"
and "When the baseline score is taken into account, a 30% improvement was considered a useful
threshold". The baseline is the patient's status at the start of care; a score re-recorded on
the intake's day (a correction or re-measure) is that status, so change is measured from it.

Boundaries: an intake-day record with scores (each score: leg only, ODI first recorded that day,
both), without scores, a visit the day after (a follow-up, not the baseline), an intake-day
record at the resolution level with no later visit (no follow-up: not "resolved"), and an
intake-day record inside a time point's range (care started before the intake: still not a
follow-up). Each is checked on the exact path and on the stored facts; the store's numbers
(SQL counts and case lists) on both engines; rows of the previous facts version recompute.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from radiculopathy_desktop.commands.outcomes import compute_from_store
from radiculopathy_desktop.domain import outcomes
from radiculopathy_desktop.domain.followup import review_facts
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.outcomes import (
    OUTCOME_FACTS_VERSION, case_outcome_facts, compute_outcomes, compute_outcomes_from_facts, outcome_facts_key,
)
from radiculopathy_desktop.domain.settings import default_review_settings
from radiculopathy_desktop.storage import store as sqlite_store
from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY

from tracker_support import case_dict

D = dt.timedelta
STORE_ENGINES = ("sqlite", "postgresql")
START = dt.date(2026, 1, 5)  # care start and intake
W6 = START + D(days=42)  # the 6-week time point's middle (days 28-56)
AS_OF = START + D(days=100)
PERIOD = (START - D(days=60), START + D(days=30), AS_OF)
WEEK6 = "6 weeks, all cases"


def _case(case_id: str, visits: list[dict], *, leg: int = 7, odi: float | None = 38.0, care_start=START):
    return parse_case(case_dict(case_id, care_start=care_start, intake=START, leg=leg, odi=odi, visits=visits))


def _cells(report, case_id: str) -> dict:
    """What the report says of one case: the 6-week leg and ODI change (value, detail),
    improved by the MCID at 6 weeks (True / False / None: not scored), resolved (True /
    False / None: not counted, no follow-up)."""
    rows = {(r.id, r.group): r for r in report.outcomes}
    out = {}
    for key, mid in (("leg6", "leg_pain_change"), ("odi6", "function_change")):
        dist = rows[(mid, WEEK6)]
        found = [(v, ref.detail) for v, ref in zip(dist.values, dist.cases) if ref.case_id == case_id]
        out[key] = found[0] if found else None
    for key, mid, group in (("improved6", "improved_mcid", WEEK6), ("resolved", "resolved", "all cases")):
        p = rows[(mid, group)]
        out[key] = (True if any(c.case_id == case_id for c in p.cases_in_numerator) else
                    False if any(c.case_id == case_id for c in p.cases_not_in_numerator) else None)
    return out


def _both_paths(case) -> dict:
    """The exact path and the stored facts give the same; returns the case's cells."""
    exact = compute_outcomes([case], *PERIOD)
    stored = compute_outcomes_from_facts([(case.case_id, case_outcome_facts(case))], lambda cid: case, *PERIOD)
    assert stored.to_dict() == exact.to_dict()
    return _cells(exact, case.case_id)


def _sql(store, sql: str, params=()) -> None:
    """Raw SQL on either engine (to leave rows as the previous version stored them)."""
    if hasattr(store, "_db"):
        with store.transaction():
            store._db.conn.execute(sql.replace("%s", "?"), params)
    else:
        with store._tx() as conn:
            conn.execute(sql, params)


def _worklist_improving(case):
    return review_facts(case, AS_OF).improving


# ---- the domain rule at its boundaries (exact path and stored facts)

def test_re_recorded_lower_then_the_same_is_no_change_and_not_improved_as_on_the_worklist():
    """SC: intake leg 7 / ODI 38, re-recorded 3 / 20 the same day, 3 / 20 at 6 weeks."""
    case = _case("SC", [{"date": START, "leg_nrs": 3, "odi_percent": 20.0},
                        {"date": W6, "leg_nrs": 3, "odi_percent": 20.0}])
    cells = _both_paths(case)
    assert cells["leg6"] == (0.0, f"3 -> 3 on {W6.isoformat()}")
    assert cells["odi6"] == (0.0, f"20 -> 20 on {W6.isoformat()}")
    assert cells["improved6"] is False
    assert _worklist_improving(case) is False


def test_re_recorded_higher_then_lower_is_improved_as_on_the_worklist():
    """SB: intake leg 7, re-recorded 9 the same day, 6 at 6 weeks: 9 -> 6 is the MCID (2 points)."""
    case = _case("SB", [{"date": START, "leg_nrs": 9}, {"date": W6, "leg_nrs": 6}])
    cells = _both_paths(case)
    assert cells["leg6"] == (-3.0, f"9 -> 6 on {W6.isoformat()}")
    assert cells["improved6"] is True
    assert _worklist_improving(case) is True


def test_a_score_the_intake_day_record_leaves_blank_keeps_the_intakes():
    """Leg re-recorded 5 the same day, ODI not: the leg change is from 5, the ODI's from 38."""
    case = _case("SL", [{"date": START, "leg_nrs": 5}, {"date": W6, "leg_nrs": 4, "odi_percent": 20.0}])
    cells = _both_paths(case)
    assert cells["leg6"] == (-1.0, f"5 -> 4 on {W6.isoformat()}")
    assert cells["odi6"] == (-18.0, f"38 -> 20 on {W6.isoformat()}")
    assert cells["improved6"] is _worklist_improving(case) is True  # ODI by 10+, leg not worse


def test_an_odi_first_recorded_on_the_intakes_day_is_the_baseline_odi():
    case = _case("SO", [{"date": START, "odi_percent": 30.0}, {"date": W6, "leg_nrs": 6, "odi_percent": 15.0}],
                 odi=None)
    cells = _both_paths(case)
    assert cells["odi6"] == (-15.0, f"30 -> 15 on {W6.isoformat()}")
    assert cells["leg6"] == (-1.0, f"7 -> 6 on {W6.isoformat()}")
    assert cells["improved6"] is _worklist_improving(case) is True


def test_an_intake_day_record_without_scores_leaves_the_intakes_baseline():
    case = _case("SN", [{"date": START, "notes": "red flags re-asked by phone",
                         "red_flags": {"saddle_anaesthesia": "no"}},
                        {"date": W6, "leg_nrs": 3, "odi_percent": 20.0}])
    cells = _both_paths(case)
    assert cells["leg6"] == (-4.0, f"7 -> 3 on {W6.isoformat()}")
    assert cells["odi6"] == (-18.0, f"38 -> 20 on {W6.isoformat()}")
    assert cells["improved6"] is True


def test_a_visit_the_day_after_the_intake_is_a_follow_up_not_the_baseline():
    case = _case("SD", [{"date": START + D(days=1), "leg_nrs": 5}, {"date": W6, "leg_nrs": 3}])
    cells = _both_paths(case)
    assert cells["leg6"] == (-4.0, f"7 -> 3 on {W6.isoformat()}")
    assert cells["improved6"] is _worklist_improving(case) is True


def test_an_intake_day_record_alone_is_no_follow_up_for_resolved():
    """At the resolution level (leg 1, ODI 10) on the intake's day and never seen again: not
    followed up, so outside "Resolved" (the worklist: no follow-up yet). The day after: resolved."""
    same_day = _case("SR0", [{"date": START, "leg_nrs": 1, "odi_percent": 10.0}])
    assert _both_paths(same_day)["resolved"] is None
    assert review_facts(same_day, AS_OF).has_follow_up is False
    next_day = _case("SR1", [{"date": START + D(days=1), "leg_nrs": 1, "odi_percent": 10.0}])
    assert _both_paths(next_day)["resolved"] is True


def test_an_intake_day_record_inside_a_time_points_range_is_not_a_follow_up():
    """Care started 30 days before the intake: the intake's day is day 30 of care, inside the
    6-week range (days 28-56), but a record of that day is the baseline, not a 6-week score."""
    case = _case("SE", [{"date": START, "leg_nrs": 3}], care_start=START - D(days=30))
    cells = _both_paths(case)
    assert cells["leg6"] is None and cells["improved6"] is None
    assert review_facts(case, AS_OF).has_follow_up is False


# ---- the store, both engines: SQL counts, case lists, the previous version's rows

def _store_cases():
    """In the store's order (case_id), so the case lists compare as listed."""
    return sorted([
        _case("SC", [{"date": START, "leg_nrs": 3, "odi_percent": 20.0},
                     {"date": W6, "leg_nrs": 3, "odi_percent": 20.0}]),
        _case("SB", [{"date": START, "leg_nrs": 9}, {"date": W6, "leg_nrs": 6}]),
        _case("SD", [{"date": START + D(days=1), "leg_nrs": 5}, {"date": W6, "leg_nrs": 3}]),
        _case("SO", [{"date": START, "odi_percent": 30.0}, {"date": W6, "leg_nrs": 6, "odi_percent": 15.0}],
              odi=None),
        _case("SR0", [{"date": START, "leg_nrs": 1, "odi_percent": 10.0}]),
        _case("SR1", [{"date": START + D(days=1), "leg_nrs": 1, "odi_percent": 10.0}]),
    ], key=lambda c: c.case_id.encode())


def _assert_store_says_what_the_worklist_says(store, cases):
    exact = compute_outcomes(cases, *PERIOD, settings=store.get_settings())
    counted = compute_from_store(store, *PERIOD, "uk", with_cases=False)
    listed = compute_from_store(store, *PERIOD, "uk", with_cases=True)
    assert counted.to_dict(with_cases=False) == exact.to_dict(with_cases=False)
    assert listed.to_dict(with_cases=True) == exact.to_dict(with_cases=True)
    rows = {(r.id, r.group): r for r in counted.outcomes}
    assert (rows[("improved_mcid", WEEK6)].numerator, rows[("improved_mcid", WEEK6)].denominator) == (3, 4)
    assert (rows[("resolved", "all cases")].numerator, rows[("resolved", "all cases")].denominator) == (1, 5)
    for case in cases:
        cells = _cells(listed, case.case_id)
        if cells["improved6"] is not None:
            assert cells["improved6"] is store.review(case.case_id, AS_OF).improvement.improving, case.case_id
    assert _cells(listed, "SC")["improved6"] is False and _cells(listed, "SB")["improved6"] is True
    assert _cells(listed, "SR0")["resolved"] is None


def test_the_stores_outcomes_use_the_worklists_baseline(store):
    cases = _store_cases()
    store.import_cases(cases, user="dr.a")
    s = store.get_settings()
    for case_id, row in store.outcome_facts(START - D(days=60), START + D(days=30)):
        assert row == case_outcome_facts(store.get_case(case_id), s), case_id
    _assert_store_says_what_the_worklist_says(store, cases)


def test_a_visit_added_on_the_intakes_day_rewrites_the_stored_outcome_facts(store):
    """SB as first stored (intake 7, 6 at 6 weeks: 7 -> 6, not improved), then its intake-day
    re-record of 9 added: the stored row and the numbers follow."""
    [sb] = [c for c in _store_cases() if c.case_id == "SB"]
    first = dataclasses.replace(sb, visits=tuple(v for v in sb.visits if v.date != START))
    store.import_cases([first], user="dr.a")
    assert _cells(compute_from_store(store, *PERIOD, "uk"), "SB")["improved6"] is False
    store.add_visit("SB", next(v for v in sb.visits if v.date == START), user="dr.a")
    [(_, row)] = store.outcome_facts(START, START)
    assert row == case_outcome_facts(store.get_case("SB"), store.get_settings())
    assert (row.w6_leg_change, row.w6_leg_detail, row.w6_improving) == (-3.0, f"9 -> 6 on {W6.isoformat()}", 1)
    assert _cells(compute_from_store(store, *PERIOD, "uk"), "SB")["improved6"] is True


def test_rows_of_the_previous_facts_version_take_the_exact_path_then_recompute(store):
    """A database written by version 1 (change from the intake's own scores): its rows' key
    differs, so they are read whole until the one-time upgrade rewrites them."""
    cases = _store_cases()
    store.import_cases(cases, user="dr.a")
    # what version 1 stored for SC and SR0: 7 -> 3 improved; the intake-day record a follow-up, resolved
    _sql(store, "UPDATE outcome_facts SET facts_key = 'version-1', w6_leg_change = -4, w6_improving = 1, "
                "w6_leg_detail = '7 -> 3' WHERE case_id = 'SC'")
    _sql(store, "UPDATE outcome_facts SET facts_key = 'version-1', followed = 1, resolved = 1 WHERE case_id = 'SR0'")
    _sql(store, "DELETE FROM settings WHERE key = %s", (DERIVED_VERSION_KEY,))
    _assert_store_says_what_the_worklist_says(store, cases)
    store.upgrade_derived_data()
    s = store.get_settings()
    for case_id, row in store.outcome_facts(START - D(days=60), START + D(days=30)):
        assert row == case_outcome_facts(store.get_case(case_id), s), case_id
    _assert_store_says_what_the_worklist_says(store, cases)


def test_the_facts_version_is_bumped_and_names_the_stored_rows(monkeypatch):
    assert OUTCOME_FACTS_VERSION == sqlite_store.OUTCOME_FACTS_VERSION >= 2
    assert f"outcomes {OUTCOME_FACTS_VERSION} " in sqlite_store.CaseStore.derived_version()
    key = outcome_facts_key(default_review_settings())
    monkeypatch.setattr(outcomes, "OUTCOME_FACTS_VERSION", 1)
    assert outcome_facts_key(default_review_settings()) != key  # version 1's rows do not hold


@pytest.mark.parametrize("mid,words", [("leg_pain_change", "minus baseline leg pain (the intake's day"),
                                       ("function_change", "minus baseline ODI (the intake's day"),
                                       ("improved_mcid", "from baseline (the intake's day")])
def test_the_definitions_say_the_baseline_is_the_intakes_day(mid, words):
    text = outcomes.definitions()["by_id"][mid]["numerator"]
    assert words in text and "minus intake" not in text
