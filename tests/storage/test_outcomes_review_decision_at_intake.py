""""Reviewed inside the 6-12 week window": a decision made AT the intake visit counts when the
intake's day is inside the window (srv22, rt23 F9; hazard H-FU-328).

Before (pg21's rule, outcome facts version 4): only decisions dated AFTER the intake's day
counted. A patient referred late (care started 50 days before the clinic's first visit) and
given a "continue conservative care" decision at that first visit was never "reviewed", so a
clinic that first sees referred patients at week 7 and decides at that visit scored 0 %.

Now (outcome facts version 5, outcome_measures 2026.12.4): a decision on or after the intake's
day, inside the window, counts; a visit record of the intake's own day without a decision
(a re-recorded baseline) is still the initial assessment, not a review.

Source of the window (the data's, resources/rules/surgical_review.toml ``[window]``, read here
through ``default_review_settings``): Peul WC et al. Surgery versus prolonged conservative
treatment for sciatica. N Engl J Med 2007;356:2245-56, abstract (read through the search tool,
repub.eur.nl/pub/35413): "Lumbar-disk surgery often is performed in patients who have sciatica
that does not resolve within 6 weeks" and "We randomly assigned 283 patients who had had severe
sciatica for 6 to 12 weeks to early surgery or to prolonged conservative treatment with surgery
if needed." The review at 6-12 weeks is a decision about conservative care versus a surgical
opinion, which is what a decision recorded at the intake visit is.

Boundaries: the intake (and its decision) on day 41, 42, 84 and 85 of care (window 42-84 from
the data), on the exact path, the stored facts, and the store's counts on both engines.
"""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from radiculopathy_desktop.commands.outcomes import compute_from_store
from radiculopathy_desktop.domain import outcomes
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.outcomes import (
    OUTCOME_FACTS_VERSION, case_outcome_facts, compute_outcomes, compute_outcomes_from_facts,
)
from radiculopathy_desktop.resources import resource_path
from radiculopathy_desktop.domain.settings import default_review_settings
from radiculopathy_desktop.storage import store as sqlite_store
from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY

from test_outcomes_reviewed_in_window import _reviewed  # one reading of the report row (duplicates D4)
from tracker_support import case_dict

D = dt.timedelta
STORE_ENGINES = ("sqlite", "postgresql")
S = default_review_settings()
LO, HI = S.window_start_day, S.window_end_day
INTAKE = dt.date(2026, 3, 2)
AS_OF = INTAKE + D(days=HI + 60)
PERIOD = (INTAKE - D(days=10), INTAKE + D(days=10), AS_OF)


def _intake_on_day(case_id: str, day: int, *, decision: bool = True, visit: bool = False):
    """Care started ``day`` days before the intake (the intake is on day ``day`` of care), with a
    "continue conservative care" decision and/or a visit record dated the intake's own day."""
    start = INTAKE - D(days=day)
    decisions = [{"date": INTAKE, "kind": "continue_conservative_care", "until": INTAKE + D(days=28)}] if decision else []
    visits = [{"date": INTAKE, "leg_nrs": 6}] if visit else []
    return parse_case(case_dict(case_id, care_start=start, intake=INTAKE, visits=visits, decisions=decisions))


def _both_paths(case):
    exact = compute_outcomes([case], *PERIOD)
    stored = compute_outcomes_from_facts([(case.case_id, case_outcome_facts(case))], lambda cid: case, *PERIOD)
    assert stored.to_dict() == exact.to_dict()
    return _reviewed(exact, case.case_id)


def test_the_window_is_the_datas():
    assert (LO, HI) == (42, 84)


@pytest.mark.parametrize("day,reviewed", [(LO - 1, False), (LO, True), (HI, True), (HI + 1, False)])
def test_a_decision_at_the_intake_counts_when_the_intake_is_inside_the_window(day, reviewed):
    assert _both_paths(_intake_on_day(f"I{day}", day)) is reviewed


@pytest.mark.parametrize("day", [LO - 1, LO, HI, HI + 1])
def test_the_stored_first_review_day_is_the_intakes_day_inside_the_window(day):
    facts = case_outcome_facts(_intake_on_day(f"F{day}", day))
    assert facts.first_review_day == (day if LO <= day <= HI else None)


@pytest.mark.parametrize("day", [LO, (LO + HI) // 2, HI])
def test_an_intake_day_visit_record_without_a_decision_is_still_not_a_review(day):
    assert _both_paths(_intake_on_day(f"V{day}", day, decision=False, visit=True)) is False
    assert _both_paths(_intake_on_day(f"W{day}", day, decision=True, visit=True)) is True


def _store_cases():
    return sorted([_intake_on_day(f"S{d}", d) for d in (LO - 1, LO, HI, HI + 1)]
                  + [_intake_on_day("S-visit-only", 50, decision=False, visit=True)],
                  key=lambda c: c.case_id.encode())


def _assert_counted(store, cases, numerator):
    exact = compute_outcomes(cases, *PERIOD, settings=store.get_settings())
    counted = compute_from_store(store, *PERIOD, "uk", with_cases=False)
    listed = compute_from_store(store, *PERIOD, "uk", with_cases=True)
    assert counted.to_dict(with_cases=False) == exact.to_dict(with_cases=False)
    assert listed.to_dict(with_cases=True) == exact.to_dict(with_cases=True)
    [row] = [r for r in listed.pathway if r.id == "reviewed_in_window"]
    assert {c.case_id for c in row.cases_in_numerator} == numerator


def test_the_store_counts_a_decision_at_an_intake_inside_the_window(store):
    cases = _store_cases()
    store.import_cases(cases, user="dr.a")
    s = store.get_settings()
    for case_id, row in store.outcome_facts(*PERIOD[:2]):
        assert row == case_outcome_facts(store.get_case(case_id), s), case_id
    _assert_counted(store, cases, {f"S{LO}", f"S{HI}"})


def test_rows_of_facts_version_4_take_the_exact_path_then_recompute(store):
    """A version-4 row did not count the decision at the intake (first_review_day NULL)."""
    cases = _store_cases()
    store.import_cases(cases, user="dr.a")
    _sql(store, "UPDATE outcome_facts SET facts_key = 'version-4', first_review_day = NULL WHERE case_id = %s",
         (f"S{LO}",))
    _sql(store, "DELETE FROM settings WHERE key = %s", (DERIVED_VERSION_KEY,))
    _assert_counted(store, cases, {f"S{LO}", f"S{HI}"})
    store.upgrade_derived_data()
    [row] = [r for c, r in store.outcome_facts(*PERIOD[:2]) if c == f"S{LO}"]
    assert row.first_review_day == LO
    _assert_counted(store, cases, {f"S{LO}", f"S{HI}"})


def _sql(store, sql: str, params=()) -> None:
    if hasattr(store, "_db"):
        with store.transaction():
            store._db.conn.execute(sql.replace("%s", "?"), params)
    else:
        with store._tx() as conn:
            conn.execute(sql, params)


def test_the_versions_are_bumped_and_the_definition_says_a_decision_at_the_intake_counts():
    assert OUTCOME_FACTS_VERSION == sqlite_store.OUTCOME_FACTS_VERSION == 5
    d = outcomes.definitions()["by_id"]["reviewed_in_window"]
    assert "a decision (on or after the intake's day)" in d["numerator"]
    assert "A decision made at the intake visit counts when the intake's day is inside the window" in d["numerator"]
    assert "without a decision is the initial assessment, not a review" in d["numerator"]
    with open(resource_path("rules", "outcome_measures.toml"), "rb") as fh:
        assert tomllib.load(fh)["content_version"] == "2026.12.4"
