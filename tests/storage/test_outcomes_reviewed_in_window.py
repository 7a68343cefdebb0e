""""Reviewed inside the 6-12 week window" counts what its definition says: a follow-up visit or a
decision after the intake's day, inside the review window, on or before "as of" (pg21; oc20 and
fxn20 leftover; hazard H-FU-391).

Before: the measure (``reviewed_in_window`` on the exact path, ``first_review_day`` in the stored
facts) took ANY visit or decision date. When care started weeks before the intake (a GP's care
before the clinic), a record of the intake's own day (a re-recorded baseline, a red-flag re-ask, a
decision made at the intake) fell inside the window and counted the case "reviewed", although the
patient had not been seen again since the initial assessment.

The window is the data's own (resources/rules/surgical_review.toml ``[window]``, read here through
``default_review_settings``): "Day 42 (6 weeks) is the first "due" day; day 84 (12 weeks) is the
last; day 85 is overdue." Its source there: Peul WC et al. NEJM 2007;356:2245-56, abstract
(read): "We randomly assigned 283 patients who had had severe sciatica for 6 to 12 weeks"; the
same data file notes no primary guideline sets a time window (NICE NG59 section 1.3 gives no
day count), so the window is a review prompt, and the boundaries here are the data's.

The measure's definition (resources/rules/outcome_measures.toml, ``reviewed_in_window``): "Cases
with a follow-up visit or a decision dated after the intake's day and inside the review window
(...), on or before the 'as of' date."

Boundaries: a follow-up on window start - 1, start, end, end + 1 (41, 42, 84, 85 with the
defaults); an intake-day visit or decision inside the window (not a review) against the same
record the next day (a review); a follow-up dated after "as of" (not yet a review). Each on the
exact path and the stored facts; the store's counts and lists on both engines; rows of the
previous facts version recompute.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.commands.outcomes import compute_from_store
from radiculopathy_desktop.domain import outcomes
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.outcomes import (
    OUTCOME_FACTS_VERSION, case_outcome_facts, compute_outcomes, compute_outcomes_from_facts,
)
from radiculopathy_desktop.domain.settings import default_review_settings
from radiculopathy_desktop.storage import store as sqlite_store
from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY

from tracker_support import case_dict

D = dt.timedelta
STORE_ENGINES = ("sqlite", "postgresql")
S = default_review_settings()
LO, HI = S.window_start_day, S.window_end_day  # the data's window: 42 and 84 with the shipped defaults
INTAKE = dt.date(2026, 3, 2)
AS_OF = INTAKE + D(days=HI + 60)  # every window below has closed
PERIOD = (INTAKE - D(days=10), INTAKE + D(days=10), AS_OF)


def _case(case_id: str, *, care_days_before_intake: int = 0, visit_days: tuple = (), decision_days: tuple = ()):
    """A case whose care started ``care_days_before_intake`` days before the intake, with a
    follow-up record on each day of care in ``visit_days`` / ``decision_days``."""
    start = INTAKE - D(days=care_days_before_intake)
    visits = [{"date": start + D(days=d), "leg_nrs": 6} for d in visit_days]
    decisions = [{"date": start + D(days=d), "kind": "continue_conservative_care", "until": start + D(days=d + 28)}
                 for d in decision_days]
    return parse_case(case_dict(case_id, care_start=start, intake=INTAKE, visits=visits, decisions=decisions))


def _reviewed(report, case_id: str):
    """True: counted reviewed; False: in the denominator, not reviewed; None: not counted."""
    [row] = [r for r in report.pathway if r.id == "reviewed_in_window"]
    if any(c.case_id == case_id for c in row.cases_in_numerator):
        return True
    if any(c.case_id == case_id for c in row.cases_not_in_numerator):
        return False
    return None


def _both_paths(case, as_of=AS_OF):
    """The exact path and the stored facts agree (stored facts only hold once "as of" is on or
    after the case's latest record: otherwise the exact path is the answer)."""
    period = (PERIOD[0], PERIOD[1], as_of)
    exact = compute_outcomes([case], *period)
    if outcomes.outcome_valid_from(case) <= as_of:
        stored = compute_outcomes_from_facts([(case.case_id, case_outcome_facts(case))], lambda cid: case, *period)
        assert stored.to_dict() == exact.to_dict()
    return _reviewed(exact, case.case_id)


def test_the_boundaries_come_from_the_datas_window():
    assert (LO, HI) == (42, 84)  # surgical_review.toml [window]: "Day 42 ... the first due day; day 84 ... the last"


@pytest.mark.parametrize("day,reviewed", [(LO - 1, False), (LO, True), (HI, True), (HI + 1, False)])
def test_a_follow_up_visit_counts_only_inside_the_window(day, reviewed):
    assert _both_paths(_case(f"V{day}", visit_days=(day,))) is reviewed


@pytest.mark.parametrize("day,reviewed", [(LO - 1, False), (LO, True), (HI, True), (HI + 1, False)])
def test_a_decision_after_the_intake_counts_only_inside_the_window(day, reviewed):
    assert _both_paths(_case(f"D{day}", decision_days=(day,))) is reviewed


@pytest.mark.parametrize("intake_day", [LO, (LO + HI) // 2, HI])
def test_a_visit_on_the_intakes_own_day_is_not_a_review(intake_day):
    """Care started ``intake_day`` days before the intake, so the intake's day is inside the window:
    a record of that day is the initial assessment. The same record the next day is a review
    (while the next day is still inside the window)."""
    same_day = _case(f"I{intake_day}", care_days_before_intake=intake_day, visit_days=(intake_day,))
    assert _both_paths(same_day) is False
    next_day = _case(f"N{intake_day}", care_days_before_intake=intake_day, visit_days=(intake_day + 1,))
    assert _both_paths(next_day) is (intake_day + 1 <= HI)


def test_a_decision_on_the_intakes_own_day_counts_inside_the_window():
    """Since srv22 (rt23 F9): a decision made at the intake visit is the review when the intake's
    day is inside the window (boundaries in test_outcomes_review_decision_at_intake.py)."""
    same_day = _case("DI", care_days_before_intake=50, decision_days=(50,))
    assert _both_paths(same_day) is True
    assert _both_paths(_case("DN", care_days_before_intake=50, decision_days=(51,))) is True


def test_a_visit_dated_after_as_of_is_not_yet_a_review():
    """A follow-up on day 60 of care, asked "as of" day 50: not reviewed, and not in the
    denominator (the window has not closed). As of day 60 it is reviewed."""
    case = _case("F", visit_days=(60,))
    start = case.intake.care_start_date
    assert _both_paths(case, as_of=start + D(days=50)) is None
    assert _both_paths(case, as_of=start + D(days=59)) is None
    assert _both_paths(case, as_of=start + D(days=60)) is True


def test_the_stored_first_review_day_is_the_first_follow_up_in_the_window():
    case = _case("M", care_days_before_intake=50, visit_days=(50, 55, 70), decision_days=(50, 60))
    assert case_outcome_facts(case).first_review_day == 50  # the decision at the intake (srv22)
    assert case_outcome_facts(_case("M1", care_days_before_intake=50, visit_days=(50, 55, 70),
                                     decision_days=(60,))).first_review_day == 55
    assert case_outcome_facts(_case("M0", care_days_before_intake=50,
                                     visit_days=(50,))).first_review_day is None


# ---- the store, both engines

def _store_cases():
    return sorted([
        _case("A41", visit_days=(LO - 1,)), _case("A42", visit_days=(LO,)),
        _case("A84", visit_days=(HI,)), _case("A85", visit_days=(HI + 1,)),
        _case("B-intake-day", care_days_before_intake=50, visit_days=(50,)),
        _case("B-next-day", care_days_before_intake=50, visit_days=(51,)),
    ], key=lambda c: c.case_id.encode())


def _assert_counted(store, cases):
    exact = compute_outcomes(cases, *PERIOD, settings=store.get_settings())
    counted = compute_from_store(store, *PERIOD, "uk", with_cases=False)
    listed = compute_from_store(store, *PERIOD, "uk", with_cases=True)
    assert counted.to_dict(with_cases=False) == exact.to_dict(with_cases=False)
    assert listed.to_dict(with_cases=True) == exact.to_dict(with_cases=True)
    [row] = [r for r in counted.pathway if r.id == "reviewed_in_window"]
    assert (row.numerator, row.denominator) == (3, 6)
    assert {c.case_id for c in [r for r in listed.pathway if r.id == "reviewed_in_window"][0].cases_in_numerator} \
        == {"A42", "A84", "B-next-day"}


def test_the_store_counts_only_follow_ups_in_the_window(store):
    cases = _store_cases()
    store.import_cases(cases, user="dr.a")
    s = store.get_settings()
    for case_id, row in store.outcome_facts(*PERIOD[:2]):
        assert row == case_outcome_facts(store.get_case(case_id), s), case_id
    _assert_counted(store, cases)


def test_rows_of_the_previous_facts_version_take_the_exact_path_then_recompute(store):
    """A version-3 row counted the intake-day record as the review (first_review_day 50)."""
    cases = _store_cases()
    store.import_cases(cases, user="dr.a")
    _sql(store, "UPDATE outcome_facts SET facts_key = 'version-3', first_review_day = 50 "
                "WHERE case_id = 'B-intake-day'")
    _sql(store, "DELETE FROM settings WHERE key = %s", (DERIVED_VERSION_KEY,))
    _assert_counted(store, cases)
    store.upgrade_derived_data()
    [(_, row)] = [(c, r) for c, r in store.outcome_facts(*PERIOD[:2]) if c == "B-intake-day"]
    assert row.first_review_day is None and row == case_outcome_facts(store.get_case("B-intake-day"),
                                                                      store.get_settings())
    _assert_counted(store, cases)


def _sql(store, sql: str, params=()) -> None:
    if hasattr(store, "_db"):
        with store.transaction():
            store._db.conn.execute(sql.replace("%s", "?"), params)
    else:
        with store._tx() as conn:
            conn.execute(sql, params)


def test_the_version_is_bumped_and_the_definition_says_what_counts():
    assert OUTCOME_FACTS_VERSION == sqlite_store.OUTCOME_FACTS_VERSION >= 4
    d = outcomes.definitions()["by_id"]["reviewed_in_window"]
    assert "a follow-up visit (after the intake's day)" in d["numerator"]
    assert "on or before the 'as of' date" in d["numerator"]
    assert "intake's own day without a decision is the initial assessment, not a review" in d["numerator"]
