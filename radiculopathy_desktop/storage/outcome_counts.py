"""The Outcomes view's numbers as SQL over the stored per-case facts (table ``outcome_facts``),
for both engines: a few GROUP BY queries fill :class:`domain.outcomes.OutcomeCounts`, so a
period of 100,000 cases is counted in the database instead of in Python.

Only rows that hold for the question are counted here: made under the current settings and
definitions (``facts_key``) and with no record after the "as of" date (``valid_from_ord``).
The others, and cases with no row, are returned by id for the exact path on the whole case
(``domain.outcomes.compute_outcome_counts``). What depends on the "as of" date (day 84
reached, the window closed, reviewed in the window, lost to follow-up) is decided here from
the stored dates by the same comparisons as ``domain.outcomes._facts_from_stored``; the tests
compare the two on generated cohorts on both engines.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

# Named parameters: {lo} ... become ":lo" (SQLite) or "%(lo)s" (PostgreSQL). {intake} is the
# intake column as the period filter names it: "+intake_ord" keeps SQLite from walking the
# intake index (and looking every row up) when the period holds most of the table; it then
# reads the narrow covering index made for each query (SQLite's m004), already in GROUP BY
# order, instead of sorting the table.
_HOLDS = "facts_key = {key} AND valid_from_ord <= {asof}"
_REVIEWED = "first_review_day IS NOT NULL AND first_review_day <= {asof} - care_start_ord"
_PATHWAY = (
    "sum(referred), "
    "sum(CASE WHEN care_start_ord + {day12} <= {asof} THEN 1 ELSE 0 END), "
    "sum(CASE WHEN care_start_ord + {day12} <= {asof} AND unresolved_84 = 1 THEN 1 ELSE 0 END), "
    f"sum(CASE WHEN care_start_ord + {{window_end}} <= {{asof}} OR ({_REVIEWED}) THEN 1 ELSE 0 END), "
    f"sum(CASE WHEN {_REVIEWED} THEN 1 ELSE 0 END), "
    "sum(CASE WHEN open_ended = 1 AND NOT (snooze_until_ord IS NOT NULL AND snooze_until_ord > {asof}) "
    "AND {asof} - last_seen_ord > {window_end} THEN 1 ELSE 0 END)"
)


def outcome_counts(fetch: Callable[[str, dict], list], named: Callable[[str], str], intake_from: dt.date,
                   intake_to: dt.date, as_of: dt.date, settings, scan_hint: str = "") -> tuple[Any, list[str]]:
    """(OutcomeCounts over the stored rows of the period that hold, ids of the period's other cases).

    ``fetch(sql, params)`` runs one query and returns its rows; ``named(name)`` is the
    engine's spelling of a named parameter; ``scan_hint`` "+" (SQLite) reads the covering
    indexes rather than the intake index when the period holds more than a quarter of the rows."""
    from radiculopathy_desktop.domain.outcomes import (
        LEG_BIN_WEEKS, PATHWAY_COUNTS, STORED_WEEKS, OutcomeCounts, definitions, outcome_facts_key,
    )

    counts = OutcomeCounts()
    lo, hi = intake_from.toordinal(), intake_to.toordinal()
    if hi < lo:
        return counts, []
    params = {"lo": lo, "hi": hi, "key": outcome_facts_key(settings), "asof": as_of.toordinal(),
              "day12": int(definitions()["by_id"]["unresolved_12_weeks_no_decision"]["days"]),
              "window_end": settings.window_end_day}
    marks = {name: named(name) for name in params}
    have = fetch("SELECT count(*) FROM outcome_facts WHERE intake_ord BETWEEN {lo} AND {hi}".format(**marks),
                 params)[0][0]
    marks["intake"] = "intake_ord"
    if scan_hint and have * 4 > fetch("SELECT count(*) FROM outcome_facts", {})[0][0]:
        marks["intake"] = scan_hint + "intake_ord"

    def rows(sql: str) -> list:
        return fetch(sql.format(**marks), params)

    holding = rows(f"SELECT count(*) FROM outcome_facts WHERE {_HOLDS} AND {{intake}} BETWEEN {{lo}} AND {{hi}}")[0][0]
    # rows made under other settings or with a record after as_of are left to the exact path
    where = "{intake} BETWEEN {lo} AND {hi}" + ("" if holding == have else f" AND {_HOLDS}")

    def group(columns: str, n: int, extra: str = "") -> list:
        return rows(f"SELECT {columns}, count(*) FROM outcome_facts WHERE {where}{extra} "
                    f"GROUP BY {', '.join(str(i) for i in range(1, n + 1))}")

    for *key, n in group("intake_month, stratified, imaging, advice", 4):
        counts.qs[tuple(key)] += n
    for days, n in group("first_decision_days", 1, " AND first_decision_days IS NOT NULL"):
        counts.decision_days[days] += n
    for name, n in zip(PATHWAY_COUNTS, rows(f"SELECT {_PATHWAY} FROM outcome_facts WHERE {where}")[0]):
        counts.pathway[name] += n or 0  # sum() of no rows is NULL
    for w in STORED_WEEKS:
        for *key, n in group(f"risk, w{w}_leg_change, w{w}_odi_change, w{w}_scored, w{w}_improving", 5):
            counts.weeks[w][tuple(key)] += n
    for *key, n in group("risk, followed, resolved", 3):
        counts.resolved[tuple(key)] += n
    for w in LEG_BIN_WEEKS:
        for *key, n in group(f"risk, leg_w{w}", 2, f" AND leg_w{w} IS NOT NULL"):
            counts.bins[w][tuple(key)] += n
    stale = [r[0] for r in rows("SELECT case_id FROM outcome_facts WHERE intake_ord BETWEEN {lo} AND {hi} "
                                f"AND NOT ({_HOLDS})")] if holding != have else []
    period = {"lo": intake_from.isoformat(), "hi": intake_to.isoformat()}
    in_period = fetch("SELECT count(*) FROM cases WHERE intake_date BETWEEN {lo} AND {hi}".format(**marks),
                      period)[0][0]
    if have != in_period:  # cases without a row (none after the upgrade): the exact path reads them
        stale += [r[0] for r in fetch(
            "SELECT case_id FROM cases c WHERE intake_date BETWEEN {lo} AND {hi} AND NOT EXISTS "
            "(SELECT 1 FROM outcome_facts o WHERE o.case_id = c.case_id)".format(**marks), period)]
    return counts, stale
