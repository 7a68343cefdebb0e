"""A new version of the app that changes only the medicine alerts' rules (``DOSE_ALERTS_VERSION``)
or the medicine data they read rewrites, at its first open, only the stored medicine alerts and
the Medicine alerts index (span19): the review facts, their history and the outcome facts were made
by unchanged rules and are left as they are (wl18: they were about 40 % of the 1,285 s rewrite at
100,000 cases). Every alert row is still made again (a stale mark is a missed alert: H-DATA-329),
and any other change of the derived version is still the full rewrite.

The alerts are the product's rules (resources/medicines/sources.toml): FDA Drug Safety
Communication, 15 October 2020: "FDA recommends avoiding use of NSAIDs in pregnancy at 20 weeks or
later".
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.intake import FollowUpVisit, PregnancyUpdate, parse_case
from radiculopathy_desktop.storage.engine_common import alerts_only_change
from radiculopathy_desktop.storage.store import DERIVED_VERSION_KEY, CaseStore, _alert_rows
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - dt.timedelta(days=50)
CURRENT = CaseStore.derived_version()


def _with(part: str, value: str) -> str:
    """The current derived version with one part's value replaced."""
    return "; ".join(f"{name} {value}" if name == part else piece
                     for piece in CURRENT.split("; ") for name in [piece.partition(" ")[0]])


def _cohort():
    out = []
    for n in range(24):
        d = case_dict(f"A{n:02d}", care_start=INTAKE + dt.timedelta(days=n % 5))
        if n % 3 == 0:
            d["patient"]["pregnancy_weeks"] = 12 + n
            d["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
        elif n % 3 == 1:
            d["medicines"] = [{"name": "Neurontin 600 mg", "daily_dose_mg": 4800}]
        if n % 4 == 0:
            d["visits"] = [{"date": (INTAKE + dt.timedelta(days=20)).isoformat(), "leg_nrs": 5}]
        out.append(d)
    return out


def _sql(store, sql, params=()):
    if hasattr(store, "_tx"):
        with store._tx() as conn:
            return sorted(map(repr, conn.execute(sql.replace("?", "%s"), params).fetchall()))
    return sorted(map(repr, store._db.conn.execute(sql, params).fetchall()))


def _as_superuser(store, request, sql, params=()):
    if hasattr(store, "_tx"):
        import psycopg

        server, url = request.getfixturevalue("pg_server"), request.getfixturevalue("pg_database")
        with psycopg.connect(server.conninfo(url.dbname), autocommit=True) as conn:
            conn.execute(sql.replace("?", "%s"), params)
        return
    with store._db.conn:
        store._db.conn.execute(sql, params)


def _facts(store) -> dict:
    return {"cases": _sql(store, "SELECT * FROM cases"), "history": _sql(store, "SELECT * FROM case_fact_history"),
            "outcomes": _sql(store, "SELECT * FROM outcome_facts")}


def _alerts(store) -> list:
    return _sql(store, "SELECT case_id, profile, alerts_json FROM medicine_alerts")


def _expected_alerts(store) -> list:
    return sorted(repr(tuple(r)) for case in store.iter_cases() for r in _alert_rows(case))


def _stored_version(store, request, version: str) -> None:
    _as_superuser(store, request, "UPDATE settings SET value_json = ? WHERE key = ?",
                  (json.dumps(version), DERIVED_VERSION_KEY))
    if hasattr(store, "forget_cached"):
        store.forget_cached()
    assert store.upgrade_pending


def _stored(store):
    store.import_cases([parse_case(d) for d in _cohort()])
    store.add_visit("A01", FollowUpVisit(INTAKE + dt.timedelta(days=9), leg_nrs=6,
                                         pregnancy=PregnancyUpdate(True, 24)), user="dr.a")


@pytest.mark.parametrize("part, older", [("alerts", "4"), ("medicines", "0123456789abcdef")])
def test_an_alerts_only_upgrade_rewrites_every_alert_and_leaves_the_facts(store, request, part, older):
    _stored(store)
    alerts, facts = _alerts(store), _facts(store)
    assert alerts == _expected_alerts(store) and len(alerts) > 20
    # the marks as an older version left them: some missing, one different, one for a case with none now
    _as_superuser(store, request, "DELETE FROM medicine_alerts WHERE case_id IN ('A00', 'A01')")
    _as_superuser(store, request, "UPDATE medicine_alerts SET alerts_json = ? WHERE case_id = 'A03'",
                  (json.dumps(["an older dose alert"]),))
    # a fact row changed by hand: left as it is shows the facts were not rewritten
    _as_superuser(store, request, "UPDATE outcome_facts SET patient_name = 'left as it was' WHERE case_id = 'A02'")
    facts_by_hand = _facts(store)
    assert facts_by_hand != facts
    _stored_version(store, request, _with(part, older))
    ticks = []
    refreshed, alerted = store.upgrade_derived_data(lambda done, total: ticks.append((done, total)))
    assert refreshed == 0 and alerted == len({r.split("'")[1] for r in alerts})
    assert _alerts(store) == alerts == _expected_alerts(store)  # every alert made again
    assert _facts(store) == facts_by_hand  # facts, history and outcome facts untouched
    candidates = 16  # the 16 cases with a medicine or a pregnancy: the others are not read
    assert ticks[0] == (0, candidates) and ticks[-1] == (candidates, candidates)
    assert not store.upgrade_pending
    assert store._stored_derived_version() == CURRENT


def test_any_other_change_is_still_the_full_rewrite(store, request):
    _stored(store)
    facts = _facts(store)
    _as_superuser(store, request, "UPDATE outcome_facts SET patient_name = 'stale' WHERE case_id = 'A02'")
    _stored_version(store, request, _with("alerts", "4").replace("facts ", "facts 0", 1))
    ticks = []
    store.upgrade_derived_data(lambda done, total: ticks.append((done, total)))
    assert _facts(store) == facts  # rewritten: the hand-changed row made again
    assert ticks[-1][1] >= 24


def test_which_versions_are_alerts_only():
    assert alerts_only_change(_with("alerts", "4"), CURRENT)
    assert alerts_only_change(_with("medicines", "0000"), CURRENT)
    assert not alerts_only_change(CURRENT, CURRENT)  # nothing to do
    assert not alerts_only_change(_with("facts", "0"), CURRENT)
    assert not alerts_only_change(_with("history", "0"), CURRENT)
    assert not alerts_only_change(_with("outcomes", "0 0"), CURRENT)
    assert not alerts_only_change(_with("alerts", "4").replace("facts ", "facts 0", 1), CURRENT)
    assert not alerts_only_change(None, CURRENT)  # unset or damaged: the full rewrite
    assert not alerts_only_change(["facts 12"], CURRENT)
    assert not alerts_only_change("facts 12; alerts 4", CURRENT)  # a part gone
    assert not alerts_only_change(CURRENT + "; more 1", CURRENT)  # a part added
    assert not alerts_only_change("an older version", CURRENT)


@pytest.mark.sqlite_only("a process killed inside the SQLite file's rewrite")
@pytest.mark.parametrize("kill_at", [5, 15])  # early, near the end (16 cases read)
def test_an_alerts_only_rewrite_killed_part_way_changes_nothing_and_runs_whole_next_time(store, request, data_dir,
                                                                                          tmp_path, kill_at):
    """The alerts-only rewrite is the same one write transaction recording the version last: a
    kill leaves every alert, span and fact as it was, and the next open runs it whole."""
    import os
    import subprocess
    import sys

    from test_alert_rewrite_interrupted import CHILD

    _stored(store)
    alerts = _alerts(store)
    _as_superuser(store, request, "DELETE FROM medicine_alerts WHERE case_id IN ('A00', 'A01')")
    _stored_version(store, request, _with("alerts", "4"))
    tables = ("medicine_alerts", "medicine_alert_spans", "case_fact_history", "outcome_facts", "cases",
              "case_documents", "audit", "settings")
    before = {t: _sql(store, f"SELECT * FROM {t}") for t in tables}
    store.close()
    env = dict(os.environ, RADICULOPATHY_DESKTOP_LOG_DIR=str(tmp_path / "logs"), HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", CHILD, str(data_dir), str(kill_at)], capture_output=True,
                          text=True, env=env, timeout=300)
    assert done.returncode == 9, done.stderr
    told = [tuple(map(int, line.split())) for line in done.stdout.splitlines()]
    assert told[0] == (0, 16) and kill_at <= told[-1][0] < 16  # stopped part way through the 16 cases
    with CaseStore.open(data_dir, create=False, upgrade=False) as again:
        assert again.upgrade_pending
        assert {t: _sql(again, f"SELECT * FROM {t}") for t in tables} == before
    with CaseStore.open(data_dir, create=False) as upgraded:
        assert not upgraded.upgrade_pending
        assert _alerts(upgraded) == alerts == _expected_alerts(upgraded)
