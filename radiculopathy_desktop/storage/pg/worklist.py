"""The surgical-review worklist on the clinic server.

The same rule as :mod:`radiculopathy_desktop.storage.worklist`: its
``STATUS_RANK_SQL`` (``domain.followup.status_from_facts`` written in SQL) is reused
as is, with SQLite's ``:name`` parameters and ``IS NOT`` turned into PostgreSQL's
``%(name)s`` and ``IS DISTINCT FROM``. A case with events after the date is read from
its facts history (``case_fact_history``, m005) by the SQLite store's own query; a case
neither covers (facts made under other thresholds, no history row for the day) gets
exact facts from the engine in Python, merged into the ordered result, as the SQLite
store does with its temporary table.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from operator import itemgetter
from typing import TYPE_CHECKING

from radiculopathy_desktop.domain.build import collector_paused
from radiculopathy_desktop.domain.followup import (
    STATUS_ORDER,
    WORKLIST_STATUSES,
    ReviewStatus,
    review_facts,
    status_from_facts,
)
from radiculopathy_desktop.domain.settings import ReviewSettings
from radiculopathy_desktop.storage import worklist as wl

if TYPE_CHECKING:  # pragma: no cover
    from radiculopathy_desktop.storage.pg.store import PgStore


def to_pg(sql: str) -> str:
    return re.sub(r"(?<!:):([a-z_]+)", r"%(\1)s", sql).replace(" IS NOT 1", " IS DISTINCT FROM 1")


STATUS_RANK_SQL = to_pg(wl.STATUS_RANK_SQL)
_RANK = {status: n for n, status in enumerate(STATUS_ORDER)}
log = logging.getLogger(__name__)
_COLS = ", ".join(f"c.{name}" for name in wl._ROW_COLUMNS)
_VALID = ("c.intake_ord <= %(as_of)s AND c.latest_event_ord <= %(as_of)s AND c.facts_key = %(facts_key)s")
# Three range conditions on cases_fresh (facts_key, latest_event_ord), so the planner can
# combine index scans instead of reading every case to find the few stale ones.
_STALE = ("c.intake_ord <= %(as_of)s AND (c.facts_key < %(facts_key)s OR c.facts_key > %(facts_key)s "
          "OR (c.facts_key = %(facts_key)s AND c.latest_event_ord > %(as_of)s))")
# The facts history's rows for the date (m005; the same query as SQLite's), and the
# cases neither the cases row nor the history covers (the exact path).
_HISTORY_SQL = to_pg(wl.history_source())
_UNCOVERED = (_STALE + " AND NOT EXISTS (SELECT 1 FROM case_fact_history h WHERE h.case_id = c.case_id AND "
              + to_pg(wl._HISTORY_HOLDS) + ")")
_HISTORY_RANKED = f"SELECT {_COLS}, {STATUS_RANK_SQL} AS status_rank FROM ({_HISTORY_SQL}) c"
# The worklist order (status, trend, care start, case ID) as one bigint, then the case ID
# in byte order (like SQLite's and Python's, whatever the database's collation).
# PostgreSQL compares a sort's later keys by reading them out of each row again; with
# seven statuses almost every comparison went on to the third key, and sorting the full
# list cost more than reading it. A date's ordinal is 1..3,652,059, below 2**22, so
# status * 2**24 + trend * 2**22 + care_start_ord orders exactly as the three keys do.
_ORDER = ("(status_rank * 4 + CASE improving WHEN 0 THEN 0 WHEN 1 THEN 2 ELSE 1 END)::bigint * 4194304 "
          '+ care_start_ord, case_id COLLATE "C"')


_CASE_ID = itemgetter(0)
_TREND_ORDER = {0: 0, 1: 2}.get  # improving: 0 not improving, 1 improving, else (unknown) between


def _order_number(raw: tuple) -> int:
    """``_ORDER``'s number for a row: status, trend, care start (all but the case ID)."""
    return (raw[wl.RANK_AT] * 4 + _TREND_ORDER(raw[4], 1)) * 4194304 + raw[3]


def _in_worklist_order(rows: list[tuple]) -> list[tuple]:
    """``rows`` (worklist tuples, status rank last) sorted in place in the worklist order,
    the order ``_ORDER`` gives in SQL, and returned.

    Two stable sorts: by case ID first, then by the order number (status, trend, care
    start), so rows with the same number stay in case ID order. Python compares strings by
    code point, which is the order of their UTF-8 bytes (``COLLATE "C"``, SQLite's
    order), whatever the database's collation. Each sort compares small ints or strings
    in C: sorting the full list of 46,000 rows here costs the client about 20 ms (up to
    100 ms more on a loaded machine, with the row objects then made from rows read out of
    order), where the server's sort of the same rows (every column carried through the
    sort) cost the server, which every workstation shares, 90-140 ms."""
    rows.sort(key=_CASE_ID)
    rows.sort(key=_order_number)
    return rows


def _exact_rows(store: "PgStore", conn, as_of: dt.date, s: ReviewSettings, key: str) -> list[tuple]:
    """Rows (worklist tuple layout, status rank last) with facts recomputed for ``as_of``,
    for the cases whose stored facts and facts history do not hold on that day."""
    from radiculopathy_desktop.storage.store import _facts_columns

    out = []
    cur = _run(
        conn, "SELECT c.case_id, c.patient_id, c.side, c.patient_name, d.case_json FROM cases c "
        f"JOIN case_documents d USING (case_id) WHERE {_UNCOVERED}", {"as_of": as_of.toordinal(), "facts_key": key})
    for case_id, patient_id, side, name, text in cur.fetchall():
        case = store._read_stored(case_id, text)
        facts = review_facts(case, as_of, s)
        cols = _facts_columns(facts)
        seen = case.visits_on_or_before(as_of)
        leg = next((v.leg_nrs for v in reversed(seen) if v.leg_nrs is not None), case.intake.leg_nrs)
        raw = (case_id, patient_id, side, cols["care_start_ord"], cols["improving"], cols["has_follow_up"],
               cols["resolved"], cols["immediate"], cols["immediate_reason"], cols["last_decision_kind"],
               cols["last_decision_date"], cols["continue_until"], cols["latest_event_ord"],
               (seen[-1].date if seen else case.intake.visit_date).isoformat(), 1 + len(seen),
               case.review_baseline().leg_nrs, leg, name, cols["follow_up_ord"])
        status = status_from_facts(facts, as_of, s)[0]
        out.append(raw + (_RANK[status],))
    return out




def _run(conn, sql: str, params: dict, *, binary: bool = False):
    """``sql`` executed unprepared (planned for these parameter values every time).

    psycopg prepares a statement on a connection from its fifth execution, and PostgreSQL
    then soon settles on a generic plan, made without the values. Every statement here
    depends on the date and the settings, and a generic plan cannot know which of the
    facts history's rows hold on the date: the history check (``SELECT EXISTS`` of the
    rows for the date) went from a probe of the span index (under 0.1 ms) to a walk of the
    whole history (every case's rows), 8 ms of server CPU at 10,000 cases on every list
    and every page, and about ten times that at 100,000. Planning anew costs about a
    millisecond."""
    return conn.cursor(binary=binary).execute(sql, params, prepare=False)


def _fetch(conn, sql: str, params: dict) -> list[tuple]:
    """The query's rows, sent by the server in binary: integers arrive as they are instead
    of as digits to parse (text is the same either way), so the values equal a text fetch's."""
    return _run(conn, sql, params, binary=True).fetchall()


def _fetch_serial(conn, sql: str, params: dict) -> list[tuple]:
    """``_fetch`` with no parallel workers for this one statement (the session's setting is
    put back afterwards, also inside a caller's transaction).

    For the unsorted scan of every case the planner picks a parallel plan, helped by its
    estimate of the status filter's rows (about 16 times too low: a CASE's default
    selectivity). The two workers scan faster only when CPUs are idle; they cost the
    server more in all (passing each row to the leader), and on a loaded machine, or one
    the workstation shares, they compete with the client receiving the rows. At 100,000
    cases (46,465 rows; CPU clock, client + server processes, medians of six alternating
    blocks, load 8): server 126 -> 81 ms, in all 291 -> 239 ms; wall clock median 570 ->
    545 ms, fastest 413 -> 364 ms."""
    old = _run(conn, "SELECT o.old, set_config('max_parallel_workers_per_gather', '0', true) FROM "
                     "(SELECT current_setting('max_parallel_workers_per_gather') AS old OFFSET 0) o", {}).fetchone()[0]
    try:
        return _fetch(conn, sql, params)
    finally:
        if conn.info.transaction_status.name != "INERROR":  # else the transaction is lost anyway
            _run(conn, "SELECT set_config('max_parallel_workers_per_gather', %(old)s, true)", {"old": old})


def _matches(raw: tuple, text: str) -> bool:
    t = text.lower()
    return any(t in (v or "").lower() for v in (raw[0], raw[1], raw[17]))


def _group_sql(status, trend) -> str:
    """The SQLite store's query for one (status, trend) group of the worklist, in
    PostgreSQL: the same conditions, walked in worklist order by ``cases_clock``
    (trend_rank, care_start_ord, case_id) or ``cases_status``; ties of care_start_ord
    get case_id in byte order (``COLLATE "C"``), an incremental sort the planner does
    on the index's order, so a page of 200 rows reads about 200 rows."""
    sql = re.sub(r" INDEXED BY \w+", "", wl._group_sql(status, trend)).replace("main.cases", "cases")
    head, order = sql.rsplit(" ORDER BY ", 1)
    return to_pg(head + " ORDER BY " + order.replace("c.case_id", 'c.case_id COLLATE "C"'))


def _groups() -> list[tuple[ReviewStatus, str]]:
    """Every worklist group in worklist order (status, then trend), with its query."""
    out = []
    for status in STATUS_ORDER:
        if status not in WORKLIST_STATUSES:
            continue
        out.extend((status, _group_sql(status, trend)) for trend in wl.group_trends(status))
    return out


_GROUPS = _groups()


def _query_by_groups(conn, as_of: dt.date, s: ReviewSettings, wanted, params: dict, limit, offset
                     ) -> list[wl.WorklistRow]:
    """The worklist from the stored facts, one index walk per group, stopping once
    ``limit`` rows are read (the window's first page never ranks or sorts the rest)."""
    rows: list[wl.WorklistRow] = []
    reasons: dict = {}
    skip = max(int(offset or 0), 0)
    remaining = None if limit is None else max(int(limit), 0)
    for status, sql in _GROUPS:
        if status not in wanted:
            continue
        if remaining == 0:
            break
        if skip:
            n = _run(conn, f"SELECT count(*) FROM ({sql}) g", params).fetchone()[0]
            if n <= skip:
                skip -= n
                continue
        if remaining is not None:
            sql += f" LIMIT {remaining}"
        if skip:
            sql += f" OFFSET {skip}"
            skip = 0
        batch = _run(conn, sql, params).fetchall()
        rows.extend([wl.WorklistRow(r, as_of, s, reasons) for r in batch])
        if remaining is not None:
            remaining -= len(batch)
    return rows


#: Up to this many rows (offset + limit), the group walks are the cheaper way to a list;
#: beyond, one scan and sort of every case is (server and client CPU time at 100,000
#: cases: 200 rows 4 against 125 ms, 10,000 rows 105 against 255 ms, 20,000 rows 210
#: against 245 ms; the full list of 46,460 rows about 410 against 290 ms).
_GROUP_WALK_MAX_ROWS = 20_000

#: The cases whose stored medicine_alerts row for the profile holds a span with a mark on the
#: day: a range of the ``medicine_alert_spans`` index (m012, kept by a trigger on medicine_alerts
#: from the stored spans ``[start, until or null, marks]``), the rule of
#: ``storage.worklist.alert_case_ids`` and the SQLite ``ALERT_IDS_SQL``; only the alert cases are
#: read (span19; wl18 walked every stored row's JSON on the server).
_ALERT_IDS_SQL = (
    "SELECT DISTINCT sp.case_id FROM medicine_alert_spans sp WHERE sp.profile = %(profile)s "
    "AND sp.from_ord <= %(as_of)s AND (sp.until_ord IS NULL OR %(as_of)s < sp.until_ord)")


def alert_case_ids(conn, as_of: dt.date, profile: str) -> frozenset[str]:
    """The cases with a medicine-safety alert on ``as_of`` under ``profile`` (from the stored spans)."""
    return frozenset(r[0] for r in conn.execute(_ALERT_IDS_SQL, {"profile": profile, "as_of": as_of.toordinal()}))


def query(store: "PgStore", conn, as_of: dt.date, s: ReviewSettings, *, statuses=None, search: str | None = None,
          limit: int | None = None, offset: int = 0, profile: str | None = None,
          _force_sort: bool = False, case_ids: "frozenset[str] | None" = None) -> list[wl.WorklistRow]:
    """The worklist rows; with ``profile``, each carries its dose alerts for that guideline
    profile (``dose_alerts``) and its medicine-safety marks; ``case_ids``: only these cases."""
    from radiculopathy_desktop.storage.store import facts_key

    if case_ids is not None and not case_ids:
        return []

    key = facts_key(s)
    wanted = wl._status_list(statuses)
    text = search.strip() if search and search.strip() else None
    params = wl._params(as_of, s) | {"facts_key": key}
    exact_all = _exact_rows(store, conn, as_of, s, key)
    # The group walks read about as many rows as a page needs; a long list is read in one
    # scan and one sort instead (without a limit, each walk of a long group reads most of
    # the table's pages again, so the fifteen walks read the table many times over).
    walk = limit is not None and max(int(offset or 0), 0) + max(int(limit), 0) <= _GROUP_WALK_MAX_ROWS
    from_history = _run(conn, f"SELECT EXISTS ({_HISTORY_SQL})", params).fetchone()[0]
    if (not exact_all and not from_history and text is None and not _force_sort and walk and case_ids is None
            and set(wanted) <= set(WORKLIST_STATUSES)):
        rows = _query_by_groups(conn, as_of, s, set(wanted), params, limit, offset)
        return rows if profile is None else attach_dose_alerts(conn, rows, profile)
    ranks = [_RANK[w] for w in wanted] or [-1]
    params["ranks"] = ranks
    where = ["w.status_rank = ANY(%(ranks)s)"]
    if text:
        params["q"] = "%" + wl.escape_like(text) + "%"
        where.append("(w.case_id ILIKE %(q)s OR w.patient_id ILIKE %(q)s OR w.patient_name ILIKE %(q)s)")
    if case_ids is not None:
        params["ids"] = sorted(case_ids)
        where.append("w.case_id = ANY(%(ids)s)")
    exact = [r for r in exact_all if r[wl.RANK_AT] in ranks and (text is None or _matches(r, text))
             and (case_ids is None or r[0] in case_ids)]
    source = f"SELECT {_COLS}, {STATUS_RANK_SQL} AS status_rank FROM cases c WHERE {_VALID}"
    if from_history:
        source += " UNION ALL " + _HISTORY_RANKED
    unsorted = f"SELECT w.* FROM ({source}) w WHERE {' AND '.join(where)}"
    sql = f"{unsorted} ORDER BY {_ORDER}"
    reasons: dict = {}
    if not exact and limit is None:
        # The whole list (from ``offset`` on): every row is sent anyway, so the server sends
        # them as it reads them and they are put in order here (``_in_worklist_order``),
        # instead of the server sorting every row with all its columns first.
        # One server process reads them (``_fetch_serial``).
        start = max(int(offset or 0), 0)
        with collector_paused():
            batch = _in_worklist_order(_fetch_serial(conn, unsorted, params))
            rows = [wl.WorklistRow(r, as_of, s, reasons) for r in (batch[start:] if start else batch)]
    elif not exact:
        # As the group walks and the merged rows below: a negative offset is 0 and a
        # negative limit no rows (PostgreSQL refuses both in the query).
        if limit is not None:
            sql += " LIMIT %(limit)s"
            params["limit"] = max(int(limit), 0)
        if offset and int(offset) > 0:
            sql += " OFFSET %(offset)s"
            params["offset"] = int(offset)
        with collector_paused():
            rows = [wl.WorklistRow(r, as_of, s, reasons) for r in _fetch(conn, sql, params)]
    else:
        # Rows with exact facts merged in: every row is read, and put in order here.
        merged = _in_worklist_order(_fetch_serial(conn, unsorted, params) + exact)
        start = max(int(offset or 0), 0)
        end = None if limit is None else start + max(int(limit), 0)
        rows = [wl.WorklistRow(r, as_of, s, reasons) for r in merged[start:end]]
    return rows if profile is None else attach_dose_alerts(conn, rows, profile)


# The status counts of a large database in one statement (one snapshot), as (part, status
# rank, count) rows: part 0, every case by its stored facts, counted by index-only walks
# of ranges of cases_status (SQLite's partition, storage/worklist.py count_all_sql; m006
# put improving and last_visit_date in the index); part 1, how many cases there are (the
# partition relies on 0/1/2 flags: a total that differs means values it does not
# expect); part 2, the cases whose stored facts do not hold on the date (other
# thresholds, or events after it: ranges of cases_fresh; a case whose intake is after
# the date has its latest event after it too), to take out again; part 3, the facts
# history's rows for the date.
_STALE_ANY = ("(c.facts_key < %(facts_key)s OR c.facts_key > %(facts_key)s "
              "OR (c.facts_key = %(facts_key)s AND c.latest_event_ord > %(as_of)s))")
_COUNT_ALL_SQL = to_pg(wl.count_all_sql("FROM cases c"))
_COUNT_BY_RANGES_SQL = " UNION ALL ".join([
    f"SELECT 0, p.* FROM ({_COUNT_ALL_SQL}) p",
    "SELECT 1, -1, count(*) FROM cases",
    f"SELECT 2, r, count(*) FROM (SELECT {STATUS_RANK_SQL} AS r FROM cases c WHERE {_STALE_ANY}) s GROUP BY r",
    f"SELECT 3, status_rank, count(*) FROM ({_HISTORY_RANKED}) w GROUP BY status_rank",
])
# Every case whose stored facts hold, by the rule itself, plus the facts history's rows
# for the date (one statement): the count of a smaller database, and of one whose
# partition does not cover every case.
_COUNT_BY_RULE_SQL = (f"SELECT r, count(*) FROM (SELECT {STATUS_RANK_SQL} AS r FROM cases c WHERE {_VALID} "
                      f"UNION ALL SELECT status_rank FROM ({_HISTORY_RANKED}) w) t GROUP BY r")
#: From this many cases (the planner's estimate, pg_class.reltuples), the counts walk the
#: index ranges; below, one scan evaluating the rule on each case is cheaper. Planning the
#: thirty-odd index walks costs a few milliseconds, which a small table does not win back:
#: at 10,000 cases the scan took 11-21 ms of client and server CPU for the first page and
#: the counts against 15-26 ms for the ranges; at 100,000 the ranges took 161-243 ms on
#: the wall clock against 183-364 ms for the scan (the server walks the ranges in
#: parallel), for the same CPU time (both on a loaded 2-core machine).
COUNT_BY_RANGES_FROM = 50_000


def counts(store: "PgStore", conn, as_of: dt.date, s: ReviewSettings) -> dict:
    from radiculopathy_desktop.storage.store import facts_key

    key = facts_key(s)
    params = wl._params(as_of, s) | {"facts_key": key}
    tally = [0] * len(STATUS_ORDER)
    estimate = conn.execute("SELECT reltuples FROM pg_class WHERE oid = 'cases'::regclass").fetchone()[0]
    by_rule = estimate < COUNT_BY_RANGES_FROM
    if not by_rule:
        stale = [0] * len(STATUS_ORDER)
        history = [0] * len(STATUS_ORDER)
        total = 0
        for part, rank, n in _run(conn, _COUNT_BY_RANGES_SQL, params):
            if part == 0:
                tally[rank] += n
            elif part == 1:
                total = n
            elif part == 2:
                stale[rank] += n
            else:
                history[rank] += n
        if sum(tally) == total:
            tally = [a - b + c for a, b, c in zip(tally, stale, history)]
        else:
            # As SQLite's counts: values the partition does not expect; count by the
            # rule itself rather than miss a case.
            log.warning("status counts: the indexed partition did not cover every case; counted row by row")
            tally = [0] * len(STATUS_ORDER)
            by_rule = True
    if by_rule:
        for rank, n in _run(conn, _COUNT_BY_RULE_SQL, params):
            tally[rank] += n
    for raw in _exact_rows(store, conn, as_of, s, key):
        tally[raw[wl.RANK_AT]] += 1
    return dict(zip(STATUS_ORDER, tally))


#: Above this many rows, the dose alerts are read for the whole profile and matched here,
#: instead of sending every listed case ID to the server (the full list at 100,000 cases
#: has some 47,000 rows; a profile has one alerts row per case with a dose above its cap).
_ALERTS_BY_ID_MAX = 1000


def attach_dose_alerts(conn, rows: list[wl.WorklistRow], profile: str) -> list[wl.WorklistRow]:
    if not rows:
        return rows
    if len(rows) <= _ALERTS_BY_ID_MAX:
        found = conn.execute("SELECT case_id, alerts_json FROM medicine_alerts "
                             "WHERE profile = %s AND case_id = ANY(%b)", (profile, [r.case_id for r in rows]))
    else:
        found = conn.execute("SELECT case_id, alerts_json FROM medicine_alerts WHERE profile = %s", (profile,))
    wl.take_stored_alerts(rows, dict(found.fetchall()))
    return rows
