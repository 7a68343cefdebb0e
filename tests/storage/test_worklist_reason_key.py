"""The worklist shares one reason sentence between rows with the same key (the status rank
and the columns of the fields ``followup.REASON_INPUTS`` declares the sentence reads).

Two things make that right, both checked here on generated query rows: each ReviewFacts
field ``WorklistRow.facts()`` builds depends only on the columns ``_FIELD_COLUMNS`` names
for it; and, end to end, every row of a list sharing one cache gets exactly the sentence
the rule gives for its own facts (whatever order the rows come in).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from radiculopathy_desktop.domain.followup import STATUS_ORDER, ReviewFacts, status_from_facts
from radiculopathy_desktop.domain.settings import default_review_settings
from radiculopathy_desktop.domain.vocab import DecisionKind
from radiculopathy_desktop.storage.worklist import (_FIELD_COLUMNS, MARKS_NONE, MARKS_OTHER, MARKS_WISH, RANK_AT,
                                                    WorklistRow)

AS_OF = dt.date(2026, 6, 1)
DAY = AS_OF.toordinal()


def _raw(rng: random.Random) -> list:
    care = DAY - rng.choice([5, 27, 28, 29, 41, 42, 43, 60, 84, 85, 86, 200])
    has_follow_up = rng.random() < 0.6
    immediate = rng.choice([0] * 6 + [1, 2])
    kind = rng.choice([None] * 3 + list(DecisionKind))
    return [
        "C-1", "P-1", "left", care, rng.choice([None, 0, 1]) if has_follow_up else None, int(has_follow_up),
        int(rng.random() < 0.15), immediate, rng.choice(["cauda equina", "foot drop"]) if immediate else None, kind,
        (AS_OF - dt.timedelta(days=rng.randint(0, 60))).isoformat() if kind else None,
        (AS_OF + dt.timedelta(days=rng.randint(-5, 30))).isoformat()
        if kind == DecisionKind.CONTINUE_CONSERVATIVE_CARE and rng.random() < 0.8 else None,
        care + rng.randint(0, 90), (AS_OF - dt.timedelta(days=rng.choice([0, 10, 27, 28, 29, 60]))).isoformat(),
        rng.randint(1, 6), rng.randint(0, 10), rng.choice([None, rng.randint(0, 10)]), "Name",
        # the newest scored follow-up (m008, fu16), then the status rank
        DAY - rng.choice([0, 10, 27, 28, 29, 60]) if has_follow_up else None, 0]


def _row(raw: list, reasons: dict | None = None) -> WorklistRow:
    s = default_review_settings()
    raw = list(raw)
    raw[RANK_AT] = STATUS_ORDER.index(status_from_facts(WorklistRow(tuple(raw), AS_OF, s).facts(), AS_OF, s)[0])
    return WorklistRow(tuple(raw), AS_OF, s, reasons)


def test_each_fact_field_depends_only_on_its_columns():
    assert set(_FIELD_COLUMNS) == {f.name for f in dataclasses.fields(ReviewFacts)}
    rng = random.Random(5)
    for _ in range(3000):
        a, b = _raw(rng), _raw(rng)
        fa = WorklistRow(tuple(a), AS_OF, default_review_settings()).facts()
        for name, cols in _FIELD_COLUMNS.items():
            mixed = list(b)
            for c in cols:
                mixed[c] = a[c]
            fm = WorklistRow(tuple(mixed), AS_OF, default_review_settings()).facts()
            assert getattr(fm, name) == getattr(fa, name), (name, a, mixed)


def test_every_row_sharing_the_cache_gets_its_own_facts_sentence():
    rng = random.Random(11)
    raws = [_raw(rng) for _ in range(6000)]
    s = default_review_settings()
    for order in range(3):
        rng.shuffle(raws)
        reasons: dict = {}
        rows = [_row(raw, reasons) for raw in raws]
        for r in rows:
            assert r.reason == status_from_facts(r.facts(), AS_OF, s)[1], r.raw
        assert len(reasons) < len({r.raw[3:14] + r.raw[18:19] for r in rows})  # the cache is shared, not per row
    assert {r.status for r in rows} == set(STATUS_ORDER)


def test_output_parts_is_the_row_the_writers_would_read_property_by_property():
    """The batch writers read (raw, marks, reason) with one ``output_parts`` call (issue 17):
    each row, asked first through it (the sentence not yet in the shared cache) or first through
    ``reason``, gives the rule's sentence for its own facts, its own query tuple, and whether a
    medicine-safety span, a pregnancy or a differing pregnancy may mark it (MARKS_OTHER), only
    the patient's "would not consider surgery" (MARKS_WISH: the writers keep the row on their fast
    path, perfwl35) or nothing (MARKS_NONE); truthy exactly when ``has_marks`` is."""
    rng = random.Random(23)
    s = default_review_settings()
    stored = {1: '{"dose": [], "spans": [["x"]]}', 2: '{"dose": [], "pregnancy": [12, "2026-05-01"]}',
              3: '{"dose": [], "consider": "no"}', 4: '{"dose": [], "spans": [["x"]], "consider": "no"}',
              5: '{"dose": ["Reduce dose"], "consider": "no"}', 6: '{"dose": ["Reduce dose"]}'}
    expected = {0: MARKS_NONE, 1: MARKS_OTHER, 2: MARKS_OTHER, 3: MARKS_WISH, 4: MARKS_OTHER, 5: MARKS_WISH,
                6: MARKS_NONE, 7: MARKS_OTHER}
    for first_through_parts in (True, False):
        reasons: dict = {}
        rows = [_row(_raw(rng), reasons) for _ in range(3000)]
        for i, r in enumerate(rows):
            if i % 8 in stored:  # stored marks: spans of a medicine alert, a recorded pregnancy, the wish
                r.take_stored_alerts(stored[i % 8])
            if i % 8 == 7:  # another case of the patient records another pregnancy answer
                r.pregnancy_differs = object()
            if not first_through_parts:
                r.reason
            raw, marked, reason = r.output_parts()
            assert raw is r.raw
            assert marked == expected[i % 8] and bool(marked) is r.has_marks
            assert reason == r.reason == status_from_facts(r.facts(), AS_OF, s)[1], r.raw
