"""Two visits of one date, added by a file without `entry` numbers, that disagree (a red-flag
question answered yes and no; a muscle graded MRC 3 or less and higher) are refused: which came
last is not known, and the file's listing order is no evidence (red-team rt14 F4: a cauda
equina "yes" listed before a "no" imported a new case as Not due). docs/case-format.md,
`visits[].entry`; both engines (the ``store`` fixture); nothing is imported.
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocab import ReviewStatus
from radiculopathy_desktop.errors import UserError

from tracker_support import ANCHOR, case_dict

D = dt.timedelta
STORE_ENGINES = ("sqlite", "postgresql")
INTAKE = ANCHOR - D(days=30)
DAY = ANCHOR - D(days=10)


def _visit(flags=None, power=None, entry=None, on=DAY) -> dict:
    v = {"date": on.isoformat(), "leg_nrs": 5}
    if flags:
        v["red_flags"] = dict(flags)
    if power:
        v["power"] = dict(power)
    if entry is not None:
        v["entry"] = entry
    return v


def _import(store, visits, case_id="SAME-1"):
    data = case_dict(case_id, care_start=INTAKE, visits=visits)
    return store.import_cases([parse_case(data)], user="import", acknowledge_red_flags=True,
                              legacy_decisions=False, one_case_per_episode=True)


@pytest.mark.parametrize("order", [("yes", "no"), ("no", "yes")])
def test_a_yes_and_a_no_of_one_date_without_order_are_refused_either_way(store, order):
    visits = [_visit({"saddle_anaesthesia": a}) for a in order]
    with pytest.raises(UserError) as err:
        _import(store, visits)
    assert "Saddle" in str(err.value) and "(yes and no)" in str(err.value)
    assert "entry" in str(err.value)
    assert not store.has_case("SAME-1") and list(store.worklist(ANCHOR, statuses=list(ReviewStatus))) == []


def test_a_muscle_graded_3_and_5_on_one_date_without_order_is_refused(store):
    visits = [_visit(power={"ankle_dorsiflexion": 3}), _visit(power={"ankle_dorsiflexion": 5})]
    with pytest.raises(UserError) as err:
        _import(store, visits)
    assert "ankle dorsiflexion (MRC 3 and 5)" in str(err.value)


@pytest.mark.parametrize("visits, status", [
    # numbered: the file says which came last; the "no" entered after the "yes" clears it
    ([_visit({"saddle_anaesthesia": "yes"}, entry=1), _visit({"saddle_anaesthesia": "no"}, entry=2)], None),
    # numbered the other way: the yes stands
    ([_visit({"saddle_anaesthesia": "no"}, entry=1), _visit({"saddle_anaesthesia": "yes"}, entry=2)],
     ReviewStatus.IMMEDIATE),
    # another date: the later "no" is a re-screen
    ([_visit({"saddle_anaesthesia": "yes"}, on=DAY - D(days=1)), _visit({"saddle_anaesthesia": "no"})], None),
    # agreeing answers, unknown beside yes (unknown never clears), grades both 4 or both 3 or less
    ([_visit({"saddle_anaesthesia": "yes"}), _visit({"saddle_anaesthesia": "yes"})], ReviewStatus.IMMEDIATE),
    ([_visit({"saddle_anaesthesia": "yes"}), _visit({"saddle_anaesthesia": "unknown"})], ReviewStatus.IMMEDIATE),
    ([_visit(power={"ankle_dorsiflexion": 2}), _visit(power={"ankle_dorsiflexion": 3})], ReviewStatus.IMMEDIATE),
    ([_visit(power={"ankle_dorsiflexion": 4}), _visit(power={"ankle_dorsiflexion": 5})], None),
])
def test_what_the_order_does_not_decide_is_imported(store, visits, status):
    _import(store, visits)
    got = store.review("SAME-1", ANCHOR).status
    if status is None:
        assert got != ReviewStatus.IMMEDIATE
    else:
        assert got == status
