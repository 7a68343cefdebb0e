"""The clinic server's full worklist is put in order by the client (``_in_worklist_order``):
the same order as the server's ``ORDER BY`` (``_ORDER``) and SQLite's: status, trend (not
improving, unknown, improving), care start (longest waiting first), then the case ID in
byte order of its UTF-8 text. Checked here against that order written independently,
on rows as the server sends them (in any order); the stores' own lists are compared with
the engine in test_worklist_property.py."""

from __future__ import annotations

import random

from hypothesis import given, settings, strategies as st

from radiculopathy_desktop.domain.followup import STATUS_ORDER, WORKLIST_STATUSES
from radiculopathy_desktop.storage.pg import worklist as pgwl
from radiculopathy_desktop.storage.worklist import RANK_AT

TREND = {0: 0, None: 1, 1: 2}  # not improving, unknown, improving


def _row(case_id: str, care_start_ord: int, improving, rank: int) -> tuple:
    """A worklist tuple (storage.worklist.ROW_COLUMNS, then the status rank)."""
    return (case_id, "P-" + case_id, "left", care_start_ord, improving, 1, 0, 0, None, None, None, None,
            care_start_ord, "2026-05-01", 2, 7, 6, "Invented Patient", 739_737, rank)


def _expected(rows: list[tuple]) -> list[tuple]:
    return sorted(rows, key=lambda r: (r[RANK_AT], TREND[r[4]], r[3], r[0].encode("utf-8")))


RANKS = [STATUS_ORDER.index(s) for s in WORKLIST_STATUSES]
IDS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=6)


# Care starts mostly on a few days (ties to break by case ID), sometimes anywhere in Python's dates.
CARE_STARTS = st.one_of(st.sampled_from([739_700, 739_701, 739_740]), st.integers(1, 3_652_059))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(IDS, CARE_STARTS, st.sampled_from([0, 1, None]), st.sampled_from(RANKS)),
                max_size=60, unique_by=lambda t: t[0]),
       st.randoms(use_true_random=False))
def test_rows_in_any_order_come_out_in_the_worklist_order(specs, rnd):
    rows = [_row(*spec) for spec in specs]
    rnd.shuffle(rows)
    assert pgwl._in_worklist_order(list(rows)) == _expected(rows)


def test_ties_on_status_trend_and_date_go_by_case_id_bytes_and_dates_decades_apart_keep_their_place():
    day = 739_768  # 2026-06-01
    ids = ["b", "B", "\u00e9", "\u00c9", "a b", "_x", "~", "Z9", "\uff21", "\U0001F600", "\U0001F600a", "a", "A1"]
    rows = [_row(case_id, day - 60, None, 3) for case_id in ids]
    rows += [_row("old", 1, None, 3), _row("newest", 3_652_059, None, 3),  # the first and last dates Python knows
             _row("worse", day - 10, 0, 3), _row("better", day - 400, 1, 3), _row("red", day, 1, 0)]
    shuffled = list(rows)
    random.Random(4).shuffle(shuffled)
    ordered = pgwl._in_worklist_order(shuffled)
    assert ordered == _expected(rows)
    ids_in_order = [r[0] for r in ordered]
    assert ids_in_order[0] == "red", "a red flag comes first, whatever its trend and date"
    assert ids_in_order[1] == "worse", "not improving before unknown, however long the others waited"
    assert ids_in_order[-1] == "better"
    assert ids_in_order.index("old") < ids_in_order.index("A1") < ids_in_order.index("newest")
    # Byte order of UTF-8: capitals before small letters, U+FF21 before U+1F600 (UTF-16 would
    # put the latter first), a prefix before what extends it.
    tied = [i for i in ids_in_order if i in ids]
    assert tied == sorted(ids, key=lambda i: i.encode("utf-8"))
    assert tied.index("\uff21") < tied.index("\U0001F600") < tied.index("\U0001F600a")


def test_an_unexpected_trend_value_sorts_as_unknown_as_the_sql_case_does():
    """_ORDER's CASE gives anything but 0 and 1 the unknown trend's place (ELSE 1)."""
    rows = [_row("a", 100, 2, 3), _row("b", 100, 0, 3), _row("c", 100, 1, 3), _row("d", 100, None, 3)]
    assert [r[0] for r in pgwl._in_worklist_order(rows)] == ["b", "a", "d", "c"]
