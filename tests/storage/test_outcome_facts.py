"""The per-case outcome facts stored on write (table ``outcome_facts``, issue 16 figures) are
always the facts of the whole case, and the Outcomes numbers read from them (SQL counts, or
narrow rows with the case lists) are the numbers of the exact path on the whole cases.

On both engines (``STORE_ENGINES``): after an import, a re-import that changes cases, a
visit, a decision, a settings change (improvement thresholds, then the review window), and
the one-time upgrade of a database whose rows are missing; rows that do not hold (made under
other settings, or a record after the "as of" date) take the exact path and give the same
numbers. A restored backup (SQLite) and `server migrate-from` (tests/cli/test_server_cli.py)
bring the same rows. The cohort is the demo generator's (imaging, advice, STarT Back, visits, decisions,
scores; several seeds) plus the hand-built outcome cohorts of tests/outcome_cohorts.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
from pathlib import Path

import pytest

from radiculopathy_desktop.commands.outcomes import compute_from_store
from radiculopathy_desktop.demo import generate_case_dicts
from radiculopathy_desktop.domain.intake import Decision, FollowUpVisit, parse_case
from radiculopathy_desktop.domain.outcomes import (
    OUTCOME_FACT_COLUMNS, OUTCOME_FACT_SETTINGS, STORED_WEEKS, case_outcome_facts, compute_outcomes,
    definitions,
)
from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY

#: One suite, two engines (tests/storage/conftest.py).
STORE_ENGINES = ("sqlite", "postgresql")
AS_OF = dt.date(2026, 6, 1)
EVERYTHING = (dt.date(2000, 1, 1), dt.date(2100, 1, 1))

_spec = importlib.util.spec_from_file_location("outcome_cohorts", Path(__file__).resolve().parents[1] / "outcome_cohorts.py")
_cohorts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_cohorts)


def _cohort(n: int = 120, seed: int = 16) -> list:
    cases = [parse_case(d) for d in generate_case_dicts(n, seed=seed, as_of=AS_OF)]
    for make in (_cohorts.qs_cohort, _cohorts.pathway_cohort, _cohorts.outcome_cohort):
        cases += [dataclasses.replace(c, case_id=f"H-{make.__name__}-{c.case_id}") for c in make()]
    return sorted(cases, key=lambda c: c.case_id.encode())  # the store's order (case_id, byte order)


def _sql(store, sql: str, params=()) -> list:
    """Raw SQL on either engine (to make rows stale or missing, as an older version would)."""
    if hasattr(store, "_db"):
        with store.transaction():
            return store._db.conn.execute(sql.replace("%s", "?"), params).fetchall()
    with store._tx() as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else []


def assert_rows_are_the_whole_cases_facts(store) -> int:
    rows = store.outcome_facts(*EVERYTHING)
    s = store.get_settings()
    assert rows, "no cases"
    for case_id, stored in rows:
        assert stored is not None, f"{case_id}: no stored outcome facts"
        assert stored == case_outcome_facts(store.get_case(case_id), s), case_id
    return len(rows)


def test_stored_facts_are_the_whole_cases_facts_after_every_kind_of_write(store):
    cases = _cohort()
    store.import_cases(cases, user="test")
    assert assert_rows_are_the_whole_cases_facts(store) == len(cases)
    # a re-import that changes some cases (as an edit saved from the window does)
    changed = [dataclasses.replace(c, intake=dataclasses.replace(c.intake, leg_nrs=(c.intake.leg_nrs + 3) % 11))
               for c in cases[:10]]
    result = store.import_cases(changed, user="test", replace_records=True)
    assert len(result.updated) == 10
    assert_rows_are_the_whole_cases_facts(store)
    # a visit (6 weeks after care start, with imaging and advice) and a decision
    target = next(c for c in cases if not c.visits and not c.decisions)
    day = target.intake.care_start_date + dt.timedelta(days=42)
    store.add_visit(target.case_id, FollowUpVisit(date=day, leg_nrs=2, odi_percent=10.0), user="test")
    store.record_decision(target.case_id, Decision(date=day, kind="continue_conservative_care",
                                                   until=day + dt.timedelta(days=30)), user="test")
    after = store.get_case(target.case_id)
    assert len(after.visits) == 1 and len(after.decisions) == 1
    assert_rows_are_the_whole_cases_facts(store)
    # settings: the improvement thresholds, then only the review window
    store.set_settings({"mcid_leg_nrs_points": 3, "resolved_leg_nrs_max": 3}, user="test")
    assert_rows_are_the_whole_cases_facts(store)
    store.set_settings({"window_start_day": 35, "window_end_day": 70}, user="test")
    assert_rows_are_the_whole_cases_facts(store)


def test_the_one_time_upgrade_fills_the_rows_of_an_older_database(store):
    cases = _cohort(60, seed=3)
    store.import_cases(cases, user="test")
    _sql(store, "DELETE FROM outcome_facts")
    _sql(store, "DELETE FROM settings WHERE key = %s", (DERIVED_VERSION_KEY,))
    assert all(row is None for _, row in store.outcome_facts(*EVERYTHING))
    # numbers are right before the upgrade too (every case takes the exact path) ...
    exact = compute_outcomes(cases, AS_OF - dt.timedelta(days=364), AS_OF, AS_OF)
    before = compute_from_store(store, AS_OF - dt.timedelta(days=364), AS_OF, AS_OF, "uk", with_cases=False)
    assert before.to_dict(with_cases=False) == exact.to_dict(with_cases=False)
    store.upgrade_derived_data()
    assert assert_rows_are_the_whole_cases_facts(store) == len(cases)


def _reports(store, cases, start, to, as_of, settings=None):
    exact = compute_outcomes(cases, start, to, as_of, settings=settings or store.get_settings())
    counted = compute_from_store(store, start, to, as_of, "uk", with_cases=False)
    listed = compute_from_store(store, start, to, as_of, "uk", with_cases=True)
    return exact, counted, listed


@pytest.mark.parametrize("seed", [1, 7])
def test_numbers_from_the_stored_facts_are_the_exact_paths(store, seed):
    """Counts in SQL, narrow rows with the case lists, and the whole cases agree, for periods
    and "as of" dates before, inside and after the cohort's records (before: the rows with a
    later record take the exact path), and after a settings change."""
    cases = _cohort(150, seed=seed)
    store.import_cases(cases, user="test")
    checks = [(AS_OF - dt.timedelta(days=364), AS_OF, AS_OF),
              (dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 6, 30)),  # the hand cohorts' period
              (dt.date(2025, 9, 1), dt.date(2026, 2, 28), dt.date(2026, 2, 20)),  # records after as-of
              (dt.date(2025, 6, 1), dt.date(2026, 12, 31), dt.date(2026, 4, 1))]
    for start, to, as_of in checks:
        exact, counted, listed = _reports(store, cases, start, to, as_of)
        assert counted.to_dict(with_cases=False) == exact.to_dict(with_cases=False), (start, to, as_of)
        assert listed.to_dict(with_cases=True) == exact.to_dict(with_cases=True), (start, to, as_of)
        assert not counted.has_cases and listed.has_cases
    store.set_settings({"mcid_leg_nrs_points": 3, "window_end_day": 70}, user="test")
    start, to, as_of = checks[0]
    exact, counted, listed = _reports(store, cases, start, to, as_of)
    assert counted.to_dict(with_cases=False) == exact.to_dict(with_cases=False)
    assert listed.to_dict(with_cases=True) == exact.to_dict(with_cases=True)


def test_rows_that_do_not_hold_take_the_exact_path(store):
    """Rows made under other settings or by another version (facts_key), and cases with no
    row at all, are read whole: the numbers do not change."""
    cases = _cohort(80, seed=11)
    store.import_cases(cases, user="test")
    period = (AS_OF - dt.timedelta(days=364), AS_OF, AS_OF)
    exact = compute_outcomes(cases, *period)
    ids = sorted(c.case_id for c in cases)
    _sql(store, "UPDATE outcome_facts SET facts_key = 'older', resolved = 1 - resolved, referred = 1 - referred "
                "WHERE case_id < %s", (ids[30],))
    _sql(store, "DELETE FROM outcome_facts WHERE case_id > %s", (ids[60],))
    for with_cases in (False, True):
        report = compute_from_store(store, *period, "uk", with_cases=with_cases)
        assert report.to_dict(with_cases=with_cases) == exact.to_dict(with_cases=with_cases)


def test_a_counts_only_report_refuses_to_print_case_lists(store):
    store.import_cases(_cohort(20), user="test")
    report = compute_from_store(store, AS_OF - dt.timedelta(days=364), AS_OF, AS_OF, "uk", with_cases=False)
    with pytest.raises(ValueError, match="counts only"):
        report.to_dict(with_cases=True)


@pytest.mark.sqlite_only("schema and definitions, engine-independent")
def test_the_stored_columns_match_the_definitions(store):
    from radiculopathy_desktop.domain import outcomes
    from radiculopathy_desktop.storage import store as sqlite_store
    from radiculopathy_desktop.storage.facts import FACT_SETTINGS

    columns = [r[1] for r in store._db.conn.execute("PRAGMA table_info(outcome_facts)")]
    assert columns == list(OUTCOME_FACT_COLUMNS)
    assert tuple(sorted(definitions()["timepoint_days"])) == STORED_WEEKS  # one set of columns per time point
    # the settings the facts depend on: the review facts' (rewritten together) and the window
    assert set(OUTCOME_FACT_SETTINGS) == set(FACT_SETTINGS) | {"window_start_day", "window_end_day"}
    assert sqlite_store.OUTCOME_FACTS_VERSION == outcomes.OUTCOME_FACTS_VERSION


def test_a_restored_backup_has_the_whole_cases_facts(data_dir):
    """Restoring a backup brings its own rows back (and an older backup is upgraded on open)."""
    from radiculopathy_desktop.storage import backup as bk
    from radiculopathy_desktop.storage.store import CaseStore

    with CaseStore.open(data_dir) as s:
        s.import_cases(_cohort(30, seed=5), user="test")
    first = bk.backup_database(data_dir).path
    with CaseStore.open(data_dir) as s:
        s.import_cases([dataclasses.replace(c, case_id="X" + c.case_id) for c in _cohort(10, seed=6)], user="test")
    bk.restore(first, data_dir)
    with CaseStore.open(data_dir) as s:
        assert assert_rows_are_the_whole_cases_facts(s) == s.case_count()


def _every_row(report):
    """(measure id, group) of every row of the report and of every month of its run charts."""
    keys = [(m.id, m.group) for _section, m in report.all_rows()]
    keys += [(p.id, month) for points in report.run_charts.values() for month, p in points]
    return keys


@pytest.mark.parametrize("cohort", ["hand-built", "generated"])
def test_each_measures_list_on_demand_is_the_full_computations_list(store, cohort):
    """The drill-down reads one row's cases when it is opened (measure_cases_from_store): for
    every row of the report (and every month of the run charts) it is the row the full
    computation (``--cases``) gives, cases in the same order, on the hand-built cohorts and a
    generated one, with some rows taking the exact path (stale key, record after as-of)."""
    from radiculopathy_desktop.commands.outcomes import measure_cases_from_store

    if cohort == "hand-built":
        cases = []
        for make in (_cohorts.qs_cohort, _cohorts.pathway_cohort, _cohorts.outcome_cohort):
            cases += [dataclasses.replace(c, case_id=f"H-{make.__name__}-{c.case_id}") for c in make()]
        checks = [(dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 6, 30))]
    else:
        cases = [parse_case(d) for d in generate_case_dicts(150, seed=21, as_of=AS_OF)]
        checks = [(AS_OF - dt.timedelta(days=364), AS_OF, AS_OF),
                  (dt.date(2025, 9, 1), dt.date(2026, 2, 28), dt.date(2026, 2, 20))]  # records after as-of
    store.import_cases(cases, user="test")
    ids = sorted(c.case_id for c in cases)
    _sql(store, "UPDATE outcome_facts SET facts_key = 'older' WHERE case_id < %s", (ids[len(ids) // 4],))
    listed = 0
    for start, to, as_of in checks:
        full = compute_from_store(store, start, to, as_of, "uk", with_cases=True)
        assert full.cohort_size > 0
        rows = {(m.id, m.group): m for _section, m in full.all_rows()}
        rows.update({(p.id, month): p for points in full.run_charts.values() for month, p in points})
        for key in _every_row(full):
            one = measure_cases_from_store(store, start, to, as_of, *key)
            assert one == rows[key], key
            listed += len(getattr(one, "cases", ())) + len(getattr(one, "cases_in_numerator", ()))
    assert listed > 0  # the lists compared are not all empty


def test_an_unknown_measure_row_is_refused_before_reading(store):
    from radiculopathy_desktop.commands.outcomes import measure_cases_from_store

    for mid, group in (("no_such_measure", "all"), ("qs1_risk_stratification", "Low risk"),
                       ("resolved", "6 weeks, all cases"), ("referred_surgical_opinion", "2026-01")):
        with pytest.raises(KeyError):
            measure_cases_from_store(store, AS_OF - dt.timedelta(days=364), AS_OF, AS_OF, mid, group)
