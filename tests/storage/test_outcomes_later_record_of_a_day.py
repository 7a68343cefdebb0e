"""The clinic outcomes read a day with two records as the worklist does: the later's scores stand
(rt22 F4 rest; hazard H-FU-376).

rt22 F4: after oc20 the outcomes measured change from the worklist's baseline, but at the time
point they took the EARLIER of two records of one later day: SE, intake leg 7, day 35 leg 3 and
then leg 7 (the later stands: ``visits.SAME_DAY_TREND``), read "Improved by the MCID" in the audit
while the worklist, CSV and case page said "not improving 7->7"; and the definition said "the same
rule as the worklist". Now each day's scores are those recorded last that day (a score the later
record leaves blank keeping the earlier), on the exact path and in the stored facts (outcome facts
version 3), on both engines, and the definitions say so truly.

Primary source of the measure (``improved_mcid``): Ostelo RW et al. Spine 2008;33:90-94, abstract
only (the full paper was not read): "MIC is the improvement in clinical status of an individual
patient". The product's own rule (``visits.SAME_DAY_TREND``): "Of two records of one day, the
later's scores stand for that day."

Boundaries: 3 then 7 (not improved), 7 then 3 (improved), the later record leaving ODI blank (the
earlier ODI stands), one record a day (unchanged).
"""

from __future__ import annotations

from radiculopathy_desktop.commands.outcomes import compute_from_store
from radiculopathy_desktop.domain import outcomes
from radiculopathy_desktop.domain.outcomes import OUTCOME_FACTS_VERSION, case_outcome_facts
from radiculopathy_desktop.storage import store as sqlite_store
from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY

from test_outcomes_intake_day_baseline import (AS_OF, PERIOD, START, W6, _both_paths, _case, _cells, _sql,
                                               _worklist_improving)

STORE_ENGINES = ("sqlite", "postgresql")


def _se():
    """rt22's SE: intake leg 7 / ODI 38; on day 42 (W6) leg 3 / ODI 20, then leg 7 / ODI 38."""
    return _case("SE", [{"date": W6, "leg_nrs": 3, "odi_percent": 20.0},
                        {"date": W6, "leg_nrs": 7, "odi_percent": 38.0}])


def test_the_later_record_of_a_day_stands_not_improved_as_on_the_worklist():
    case = _se()
    cells = _both_paths(case)
    assert cells["leg6"] == (0.0, f"7 -> 7 on {W6.isoformat()}")
    assert cells["odi6"] == (0.0, f"38 -> 38 on {W6.isoformat()}")
    assert cells["improved6"] is False
    assert _worklist_improving(case) is False


def test_the_other_order_is_improved_as_on_the_worklist():
    case = _case("SE2", [{"date": W6, "leg_nrs": 7, "odi_percent": 38.0},
                         {"date": W6, "leg_nrs": 3, "odi_percent": 20.0}])
    cells = _both_paths(case)
    assert cells["leg6"] == (-4.0, f"7 -> 3 on {W6.isoformat()}")
    assert cells["improved6"] is True and _worklist_improving(case) is True


def test_a_score_the_later_record_leaves_blank_keeps_the_earlier_of_that_day():
    case = _case("SE3", [{"date": W6, "leg_nrs": 3, "odi_percent": 20.0}, {"date": W6, "leg_nrs": 7}])
    cells = _both_paths(case)
    assert cells["leg6"] == (0.0, f"7 -> 7 on {W6.isoformat()}")
    assert cells["odi6"] == (-18.0, f"38 -> 20 on {W6.isoformat()}")
    # ODI better by 18 points with leg pain not worse: improved, as the worklist judges it
    assert cells["improved6"] is _worklist_improving(case) is True


def test_one_record_a_day_is_unchanged():
    case = _case("SF", [{"date": W6, "leg_nrs": 7, "odi_percent": 38.0}])
    cells = _both_paths(case)
    assert cells["leg6"] == (0.0, f"7 -> 7 on {W6.isoformat()}") and cells["improved6"] is False


def test_the_store_counts_se_as_the_worklist_does_and_recomputes_version_2_rows(store):
    cases = [_se(), _case("SE2", [{"date": W6, "leg_nrs": 7}, {"date": W6, "leg_nrs": 3}])]
    store.import_cases(cases, user="dr.a")
    s = store.get_settings()
    for case_id, row in store.outcome_facts(PERIOD[0], PERIOD[1]):
        assert row == case_outcome_facts(store.get_case(case_id), s), case_id
    listed = compute_from_store(store, *PERIOD, "uk", with_cases=True)
    for case in cases:
        assert _cells(listed, case.case_id)["improved6"] is store.review(case.case_id, AS_OF).improvement.improving
    assert _cells(listed, "SE")["improved6"] is False and _cells(listed, "SE2")["improved6"] is True
    # what version 2 stored for SE (the earlier record of day 42: 7 -> 3, improved): read whole, then rewritten
    _sql(store, "UPDATE outcome_facts SET facts_key = 'version-2', w6_leg_change = -4, w6_improving = 1, "
                "w6_leg_detail = '7 -> 3' WHERE case_id = 'SE'")
    _sql(store, "DELETE FROM settings WHERE key = %s", (DERIVED_VERSION_KEY,))
    assert _cells(compute_from_store(store, *PERIOD, "uk", with_cases=True), "SE")["improved6"] is False
    store.upgrade_derived_data()
    [(_, row)] = [(cid, r) for cid, r in store.outcome_facts(PERIOD[0], PERIOD[1]) if cid == "SE"]
    assert row == case_outcome_facts(store.get_case("SE"), s)
    assert (row.w6_leg_change, row.w6_improving) == (0.0, 0)


def test_the_version_is_bumped_and_the_definitions_are_true():
    assert OUTCOME_FACTS_VERSION == sqlite_store.OUTCOME_FACTS_VERSION >= 3
    by_id = outcomes.definitions()["by_id"]
    for mid in ("leg_pain_change", "function_change", "improved_mcid"):
        assert "the later record of a day stands" in by_id[mid]["numerator"] \
            or "the later's scores stand" in by_id[mid]["numerator"], mid
    improved = by_id["improved_mcid"]["numerator"]
    assert "the same rule as the worklist" not in improved
    assert "leg or back NRS" not in improved and "back pain alone never counts" in improved
