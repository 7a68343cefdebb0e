"""The worklist agrees with the engine: for every case and date, the status the SQL
worklist gives equals ``surgical_review(case, as_of, settings).status``.

Cases are generated around anchor dates so that, on the dates checked, many cases
sit exactly on the window edges: day 27/28 (upcoming opens with the default 14-day
lead), 41, 42 (window opens), 84, 85 (window closes). Dates before a case's latest
event exercise the exact per-case path; other settings exercise recomputation.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from radiculopathy_desktop.domain.followup import STATUS_ORDER, surgical_review
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.settings import default_review_settings
from radiculopathy_desktop.storage import worklist as wl
from radiculopathy_desktop.storage.store import CaseStore

from tracker_support import ANCHOR, case_dict

D = dt.timedelta
EDGE_DAYS = (0, 13, 14, 27, 28, 29, 41, 42, 43, 60, 83, 84, 85, 86, 120, 200)
CHECK_OFFSETS = (0, 1, -1, -14, -43, 30)  # dates relative to ANCHOR; negative: before some events
RED_FLAGS = ("urinary_retention_or_incontinence", "saddle_anaesthesia", "fever", "history_of_cancer",
             "progressive_neurological_deficit", "night_or_rest_pain")
ACKNOWLEDGEABLE = RED_FLAGS + ("severe_motor_deficit",)
KINDS = ("referred_for_surgical_opinion", "continue_conservative_care", "patient_declined", "resolved_discharged")


@st.composite
def generated_case(draw, n: int):
    days = draw(st.one_of(st.sampled_from(EDGE_DAYS), st.integers(0, 260)))
    care_start = ANCHOR - D(days=days)
    intake = care_start + D(days=draw(st.integers(0, 3)))
    leg = draw(st.integers(0, 10))
    odi = draw(st.one_of(st.none(), st.integers(0, 100).map(float)))
    intake_flags = {}
    if draw(st.integers(0, 19)) == 0:
        intake_flags[draw(st.sampled_from(RED_FLAGS))] = draw(st.sampled_from(("yes", "unknown")))
    visits = []
    day = intake
    for _ in range(draw(st.integers(0, 5))):
        day = day + D(days=draw(st.integers(1, 40)))
        visit = {"date": day}
        if draw(st.booleans()) or not visits:
            visit["leg_nrs"] = draw(st.integers(0, 10))
        if draw(st.booleans()):
            visit["back_nrs"] = draw(st.integers(0, 10))
        if draw(st.booleans()):
            visit["odi_percent"] = float(draw(st.integers(0, 100)))
        if draw(st.integers(0, 4)) == 0:
            visit["rmdq"] = draw(st.integers(0, 24))
        roll = draw(st.integers(0, 14))
        if roll == 0:
            visit["red_flags"] = {draw(st.sampled_from(RED_FLAGS)): draw(st.sampled_from(("yes", "no")))}
        elif roll == 1:
            visit["power"] = {"great_toe_extension": draw(st.integers(1, 5))}
        visits.append(visit)
    decisions = []
    if draw(st.integers(0, 2)) == 0:
        last = max([intake] + [v["date"] for v in visits])
        for _ in range(draw(st.integers(1, 2))):
            date = intake + D(days=draw(st.integers(0, max(0, (last - intake).days + 30))))
            kind = draw(st.sampled_from(KINDS))
            d = {"date": date, "kind": kind}
            if kind == "continue_conservative_care":
                d["until"] = date + D(days=draw(st.integers(1, 60)))
            # what it acknowledged: absent (a decision stored before the field: the date rule),
            # none, or some of the flags this generator raises (rt6 F1)
            named = draw(st.one_of(st.none(), st.lists(st.sampled_from(ACKNOWLEDGEABLE), unique=True, max_size=3)))
            if named is not None:
                d["acknowledged_red_flags"] = named
            decisions.append(d)
    data = case_dict(f"G-{n:05d}", care_start=care_start, intake=intake, leg=leg, odi=odi,
                     red_flags=intake_flags, visits=visits, decisions=decisions)
    return parse_case(data)


@st.composite
def cohorts(draw):
    size = draw(st.integers(1, 60))
    return [draw(generated_case(n)) for n in range(size)]


def _assert_agrees(store: CaseStore, cases, settings_used=None) -> Counter:
    s = settings_used or store.get_settings()
    seen = Counter()
    # The engine's review of each case as the tracker stores it: the import gives every visit
    # and decision its entry order (m007; a same-day decision and visit of one file with no
    # order read as the decision first), which the review's wording reads too (rt12 F2).
    cases = [store.get_case(c.case_id) for c in cases]
    for offset in CHECK_OFFSETS:
        as_of = ANCHOR + D(days=offset)
        rows = {r.case_id: r for r in store.worklist(as_of, statuses=STATUS_ORDER, settings=settings_used)}
        counts = store.status_counts(as_of, settings=settings_used)
        expected = Counter()
        for case in cases:
            if case.intake.visit_date > as_of:
                assert case.case_id not in rows, "a case not yet seen on as_of is on the worklist"
                continue
            review = surgical_review(case, as_of, s)
            row = rows[case.case_id]
            assert row.status == review.status, (case.case_id, as_of, row.status, review.status, review.reason)
            assert row.reason == review.reason
            assert row.improving == review.improving
            expected[review.status] += 1
            seen[(review.status, (as_of - case.intake.care_start_date).days)] += 1
        assert {k: v for k, v in counts.items() if v} == dict(expected)
        if isinstance(store, CaseStore):
            # Every status (the index walk dealt out by status, or the exact path's union):
            # the order of the general sorted query, pages included.
            sorted_ids = [r.case_id for r in wl.query(store, as_of, s, statuses=STATUS_ORDER, _force_sort=True)]
            assert [r.case_id for r in rows.values()] == sorted_ids
            for offset, limit in ((0, 3), (2, 5), (len(sorted_ids) - 1, 10)):
                assert [r.case_id for r in wl.query(store, as_of, s, statuses=STATUS_ORDER, limit=limit,
                                                    offset=offset)] == sorted_ids[offset:offset + limit]
        else:
            # The clinic server: the full worklist (one scan and one sort) and the window's
            # pages (the group walks, when the stored facts hold) give the same rows in order.
            full = [r.raw for r in store.worklist(as_of, settings=settings_used)]
            assert [r.raw for r in store.worklist(as_of, settings=settings_used, limit=len(full) + 1)] == full
            for offset, limit in ((0, 3), (2, 5), (len(full) - 1, 10)):
                assert [r.raw for r in store.worklist(as_of, settings=settings_used, limit=limit,
                                                      offset=offset)] == full[offset:offset + limit]
    return seen


ENGINES = pytest.mark.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


@pytest.mark.slow
@ENGINES
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                HealthCheck.function_scoped_fixture])
@given(cases=cohorts())
def test_worklist_status_equals_engine_status(empty_store, cases):
    with empty_store() as store:
        store.import_cases(cases)
        _assert_agrees(store, cases)
        # Other settings: a different window (applied in SQL) and other thresholds
        # (stored facts no longer apply: the exact path).
        other = default_review_settings().updated({"window_start_day": 28, "window_end_day": 56,
                                                   "upcoming_lead_days": 7, "resolved_leg_nrs_max": 3,
                                                   "mcid_leg_nrs_points": 3})
        _assert_agrees(store, cases, other)


@pytest.mark.slow
@ENGINES
def test_demo_cohort_agrees_on_window_edges(empty_store):
    """3,000 synthetic cases, and days 41, 42, 84, 85 hit for many of them."""
    from radiculopathy_desktop.demo import generate_case_dicts

    cases = [parse_case(d) for d in generate_case_dicts(3000, seed=11, as_of=ANCHOR)]
    with empty_store() as store:
        store.import_cases(cases)
        seen = _assert_agrees(store, cases)
        fast = [r.case_id for r in store.worklist(ANCHOR)]
        if isinstance(store, CaseStore):
            # SQLite: the index walk (fast path) and the general sorted query give the same order.
            s = store.get_settings()
            assert fast == [r.case_id for r in wl.query(store, ANCHOR, s, _force_sort=True)]
        else:
            # The clinic server: the group walks (fast path) and the one sorted query likewise.
            from radiculopathy_desktop.storage.pg import worklist as pgwl

            with store._tx() as conn:
                assert fast == [r.case_id for r in pgwl.query(store, conn, ANCHOR, store.get_settings(),
                                                              _force_sort=True)]
            # The full list is one sorted query; the group walks (what a page reads), run to
            # the end, give the same list.
            assert fast == [r.case_id for r in store.worklist(ANCHOR, limit=len(fast) + 1)]
        for offset, limit in ((0, 100), (150, 40), (len(fast) - 5, 100)):
            assert [r.case_id for r in store.worklist(ANCHOR, limit=limit, offset=offset)] == \
                fast[offset:offset + limit]
    days_seen = {day for (_, day) in seen}
    assert {41, 42, 84, 85} <= days_seen
    assert {status for (status, _) in seen} == set(STATUS_ORDER), "the demo cohort covers every status"


@ENGINES
def test_ties_and_care_starts_decades_apart_keep_the_worklist_order(store, monkeypatch):
    """The full worklist and its pages are in the worklist's order: status, trend (not
    improving, unknown, improving), longest waiting, then case ID in byte order (capitals
    before small letters, accented letters after, a character beyond U+FFFF after one
    below it as in UTF-8, unlike UTF-16). On the clinic server the full list is
    sorted on one number made of the first three, then the case ID: a red flag seen this
    week still comes before a case waiting for decades, a worsening case before one with
    no follow-up that has waited longer, and ties on one date go by case ID."""
    from radiculopathy_desktop.domain.followup import WORKLIST_STATUSES

    decades = 365 * 30
    spec = [("b", 60, None), ("B", 60, None), ("\u00e9-1", 60, None), ("z", 60, None), ("\u00c9", 60, None),
            ("a b", 60, "worse"), ("_x", 90, "worse"), ("~", 90, None), ("a", decades, None),
            ("Z9", decades + 1, "better"), ("m", 50, None), ("M", 50, None), ("R", 5, "red flag"),
            ("q", 3, "unanswered"), ("\U0001F600", 60, None), ("\uFF21", 60, None)]
    cases = []
    for n, (case_id, waited, kind) in enumerate(spec):
        visits = []
        if kind in ("better", "worse"):  # leg pain 7 at intake
            visits = [{"date": ANCHOR - D(days=3), "leg_nrs": 1 if kind == "better" else 9}]
        flags = {"red flag": {"saddle_anaesthesia": "yes"}, "unanswered": {"saddle_anaesthesia": "unknown"}}
        cases.append(parse_case(case_dict(case_id, care_start=ANCHOR - D(days=waited), visits=visits,
                                          red_flags=flags.get(kind), patient_id=f"P{n}")))
    store.import_cases(cases)
    s = store.get_settings()
    trend = {False: 0, None: 1, True: 2}
    expected = []
    for case in cases:
        review = surgical_review(case, ANCHOR, s)
        if review.status in WORKLIST_STATUSES:
            expected.append(((STATUS_ORDER.index(review.status), trend[review.improving],
                              case.intake.care_start_date, case.case_id.encode()), case.case_id))
    statuses = {key[0] for key, _ in expected}
    assert len(statuses) >= 5 and min(statuses) == 0, "a red flag and four other statuses"
    expected = [case_id for _, case_id in sorted(expected)]
    assert [r.case_id for r in store.worklist(ANCHOR)] == expected
    # The whole list from an offset on (no limit); a negative offset is 0.
    assert [r.case_id for r in store.worklist(ANCHOR, offset=4)] == expected[4:]
    assert [r.case_id for r in store.worklist(ANCHOR, offset=-2)] == expected
    pages = [r.case_id for offset in range(0, len(expected), 3) for r in store.worklist(ANCHOR, limit=3,
                                                                                           offset=offset)]
    assert pages == expected
    if not isinstance(store, CaseStore):
        # Pages of a list too long for the group walks come from the one sorted query (here
        # every list does), with SQL's limit and offset as the walks read them.
        from radiculopathy_desktop.storage.pg import worklist as pgwl

        monkeypatch.setattr(pgwl, "_GROUP_WALK_MAX_ROWS", -1)
        # The whole list is put in order by the client; the server's sort (any list with a
        # limit) gives the same order.
        assert [r.case_id for r in store.worklist(ANCHOR, limit=len(expected) + 1)] == expected
        assert [r.case_id for offset in range(0, len(expected), 3)
                for r in store.worklist(ANCHOR, limit=3, offset=offset)] == expected
        assert [r.case_id for r in store.worklist(ANCHOR, limit=3, offset=-1)] == expected[:3]
        assert store.worklist(ANCHOR, limit=-1) == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=generated_case(0), offsets=st.lists(st.integers(-3, 300), min_size=1, max_size=8),
       strict=st.booleans())
def test_past_date_facts_from_the_stored_document_are_the_engines(case, offsets, strict):
    """What the past-date worklist computes for a case with later events (the stored
    document read through ``stored_facts_as_of``, only what the rule reads) equals
    ``review_facts`` of the whole case on any date: generated visits with red flags
    re-asked and MRC grades, decisions before and after the date, other thresholds.
    (Shared by nothing engine-specific: the store hands the same document to it.)"""
    import json

    from radiculopathy_desktop.domain.followup import review_facts
    from radiculopathy_desktop.domain.intake import case_to_dict
    from radiculopathy_desktop.domain.stored_case import stored_facts_as_of
    from radiculopathy_desktop.storage.store import _json

    s = default_review_settings()
    if strict:
        s = s.updated({"resolved_leg_nrs_max": 3, "mcid_leg_nrs_points": 3})
    stored = json.loads(_json(case_to_dict(case)))
    for offset in offsets:
        day = case.intake.visit_date + D(days=offset)
        facts, seen, intake = stored_facts_as_of(stored, day, s)
        assert facts == review_facts(case, day, s)
        assert [(v.date, v.leg_nrs, v.red_flags, v.power) for v in seen] == \
            [(v.date, v.leg_nrs, v.red_flags, v.power) for v in case.visits_on_or_before(day)]
        assert intake == _intake_part(case.intake)


def _intake_part(intake):
    """The fields of an Intake that ``stored_facts_as_of`` reads, as its IntakeFacts."""
    from radiculopathy_desktop.domain.stored_case import IntakeFacts

    return IntakeFacts(*(getattr(intake, name) for name in IntakeFacts._fields))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=generated_case(0), strict=st.booleans())
def test_the_facts_history_holds_on_every_day_of_its_spans(case, strict):
    """The facts history the store keeps per event date (m005, ``facts_timeline``) equals
    ``review_facts`` of the whole case on every day each row covers: generated visits with
    red flags re-asked and MRC grades, decisions before and after, other thresholds."""
    from facts_timeline_check import check_facts_timeline

    s = default_review_settings()
    if strict:
        s = s.updated({"resolved_leg_nrs_max": 3, "mcid_leg_nrs_points": 3})
    check_facts_timeline(case, s)

