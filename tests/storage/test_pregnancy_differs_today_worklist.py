"""Medicine alerts and the worklist rows for what the app believes about today (rt20 F1, F2, F5,
F7), on both engines.

Before fxd19: a "not pregnant" answered on an open case long before her other case recorded 31
weeks, or a case whose pregnancy was never asked, carried no mark, was not listed and not counted
(only answers disagreeing on their own dates counted; the candidate query needed an answer on both
cases). A patient whose every answer is "not pregnant" was loaded and assessed at every reload; a
worklist as of an earlier date marked a pregnancy from a visit recorded later.

Primary source of the thresholds read (resources/medicines): FDA Drug Safety Podcast on the Drug
Safety Communication of 15 October 2020 (fda.gov): "We recommend avoiding NSAIDs in pregnant women
at 20 weeks, rather than the 30 weeks currently described in NSAID prescribing information. At
around 30 weeks, NSAIDs can cause a problem that may result in heart issues in the unborn baby."
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.followup import ReviewStatus
from radiculopathy_desktop.domain.intake import parse_case
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
OPEN = [s for s in ReviewStatus if s != ReviewStatus.CLOSED]
TODAY = ANCHOR
LONG_AGO = ANCHOR - dt.timedelta(days=270)


def _case(case_id, pid="Mia-7", weeks=None, pregnant=None, medicine="ibuprofen", visits=None, care_start=TODAY):
    d = case_dict(case_id, care_start=care_start, patient_id=pid, visits=visits)
    if weeks is not None:
        d["patient"]["pregnancy_weeks"] = weeks
    if pregnant is not None:
        d["patient"]["pregnant"] = pregnant
    if medicine:
        d["medicines"] = [{"name": medicine, "daily_dose_mg": 1200.0}]
    return parse_case(d)


def _listed(store, as_of, profile="us"):
    rows = store.worklist(as_of, statuses=OPEN, profile=profile, medicine_alerts_only=True)
    assert store.medicine_alert_count(as_of, OPEN, profile=profile) == len(rows)  # the count is the list's
    return {r.case_id: r for r in rows}


def _row(store, as_of, case_id):
    return next(r for r in store.worklist(as_of, statuses=OPEN) if r.case_id == case_id)


@pytest.mark.parametrize("weeks, label", [(19, None), (20, "Avoid"), (31, "Contraindicated")])
def test_a_stale_not_pregnant_case_is_marked_listed_and_counted(store, weeks, label):
    store.import_cases([_case("A", weeks=weeks, medicine=None),
                        _case("B", pid="MIA-7", pregnant=False, care_start=LONG_AGO)])
    found = _listed(store, TODAY)
    assert set(found) == ({"B"} if label else set())
    b = _row(store, TODAY, "B")
    assert b.pregnancy[0] == "Pregnancy differs" and "records her NOT pregnant" in b.pregnancy[1]
    assert _row(store, TODAY, "A").pregnancy[0] == f"Pregnant {weeks} wk; Pregnancy differs"
    if label:
        [mark] = found["B"].medicine_alerts  # the rating she would carry (fxk20: rt21 F2/F7)
        assert mark.label == f"{label} if pregnant" and mark.medicines == ("ibuprofen",)
        assert f"Pregnancy differs between cases. If pregnant as case A records ({weeks} weeks): " in mark.action


def test_a_case_never_asked_is_listed_with_its_own_reason(store):
    store.import_cases([_case("A", weeks=31, medicine=None),
                        _case("B", pid="MIA-7", care_start=TODAY - dt.timedelta(days=3))])
    found = _listed(store, TODAY)
    assert set(found) == {"B"}
    [mark] = found["B"].medicine_alerts
    assert mark.label == "Contraindicated if pregnant"
    assert mark.action.startswith("Pregnancy not asked on this case; another case records her pregnant. ")
    assert _row(store, TODAY, "B").pregnancy[0] == "Pregnancy differs"


def test_an_ended_pregnancy_clears_it_and_two_not_pregnant_never_differ(store):
    ended = [{"date": (TODAY - dt.timedelta(days=2)).isoformat(), "leg_nrs": 5,
              "pregnancy": {"pregnant": False, "ended_on": (TODAY - dt.timedelta(days=3)).isoformat()}}]
    store.import_cases([_case("A", weeks=31, medicine=None, care_start=TODAY - dt.timedelta(days=20), visits=ended),
                        _case("B", pid="MIA-7", pregnant=False, care_start=LONG_AGO),
                        _case("C", pid="Eva-1", pregnant=False, care_start=LONG_AGO),
                        _case("D", pid="EVA-1", pregnant=False)])
    assert _listed(store, TODAY) == {}
    assert all(r.pregnancy[0] == "" for r in store.worklist(TODAY, statuses=OPEN))


def test_only_a_patient_recording_a_pregnancy_now_is_loaded(store, monkeypatch):
    """rt20 F5: two "not pregnant" never differ; a pregnancy past its plausible end is not current."""
    store.import_cases([_case("C", pid="Eva-1", pregnant=False, care_start=LONG_AGO),
                        _case("D", pid="EVA-1", pregnant=False),
                        _case("E", pid="Zoe-2", weeks=20, medicine=None, care_start=TODAY - dt.timedelta(days=7 * 30)),  # 50 wk
                        _case("F", pid="ZOE-2", pregnant=False),
                        _case("G", pid="Una-3", weeks=12),  # alone: no other case
                        _case("A", weeks=31, medicine=None),
                        _case("B", pid="MIA-7", pregnant=False, care_start=LONG_AGO)])
    loaded = []
    real = store.patient_cases
    monkeypatch.setattr(store, "patient_cases", lambda pid, exclude=None: loaded.append(pid) or real(pid, exclude))
    assert set(_listed(store, TODAY)) == {"B"}
    assert {p.casefold() for p in loaded} == {"mia-7"}


def test_as_of_leaves_out_a_visit_dated_after_it(store):
    """rt20 F7 (E4): A "not pregnant" on day -29 with ibuprofen; B "not pregnant" on day -20 and
    31 weeks at its visit of day -5. As of day -15 neither row is marked; as of day -5 both are."""
    b_visit = [{"date": (TODAY - dt.timedelta(days=5)).isoformat(), "leg_nrs": 5,
                "pregnancy": {"pregnant": True, "weeks": 31}}]
    store.import_cases([_case("A", pregnant=False, care_start=TODAY - dt.timedelta(days=29)),
                        _case("B", pid="MIA-7", pregnant=False, medicine=None,
                              care_start=TODAY - dt.timedelta(days=20), visits=b_visit)])
    early = TODAY - dt.timedelta(days=15)
    assert _listed(store, early) == {}
    assert [r.pregnancy[0] for r in store.worklist(early, statuses=OPEN)] == ["", ""]
    assert set(_listed(store, TODAY - dt.timedelta(days=5))) == {"A"}
