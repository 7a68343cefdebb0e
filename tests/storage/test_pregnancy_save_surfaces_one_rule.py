"""``import``'s warning and audit, and a visit's audit, read "pregnancy differs" by the worklist's
rule (misc20 leftover, H-MED-388), on both engines.

misc20 made the worklist, Medicine alerts and the case page (``domain.episodes.pregnancy_differs``)
treat a CLOSED case's standing "not pregnant" (recorded before her pregnancy) or never-asked
question as history, while a closed case's recorded pregnancy still counts ("the pregnancy outlives
the case", rt20). The save-time surfaces kept another function (``pregnancy_contradictions``, the
dated comparisons only), so they said nothing at all about what the worklist then marked: an OPEN
case's stale "not pregnant" beside a new intake recording 31 weeks, or a new intake that never asked
beside a closed case recording her 29 weeks, were imported with no warning and no audit entry, and
the worklist marked both rows "PREGNANCY DIFFERS" the moment they were saved. Every surface now asks
``domain.episodes.pregnancy_differs_made`` (the worklist's function, only what the save makes), so
what is warned and audited is exactly what the worklist shows: the closing day boundaries below are
those of ``open_case`` (closed on or before the day: history).

FDA Drug Safety Communication, 15 Oct 2020 (fda.gov), its title: "FDA recommends avoiding use of
NSAIDs in pregnancy at 20 weeks or later because they can result in low amniotic fluid".
"""

from __future__ import annotations

import datetime as dt

import pytest

from radiculopathy_desktop.domain.followup import ReviewStatus
from radiculopathy_desktop.domain.intake import FollowUpVisit, PregnancyUpdate, parse_case
from tracker_support import ANCHOR, case_dict

STORE_ENGINES = ("sqlite", "postgresql")
D = dt.timedelta


def _case(case_id, care_start, *, weeks=None, pregnant=None, closed_on=None, pid="Mia-9"):
    d = case_dict(case_id, care_start=care_start, patient_id=pid,
                  decisions=None if closed_on is None else [
                      {"date": closed_on, "kind": "resolved_discharged", "acknowledged_red_flags": []}])
    if weeks is not None:
        d["patient"]["pregnancy_weeks"] = weeks
    if pregnant is not None:
        d["patient"]["pregnant"] = pregnant
    return parse_case(d)


def _marked(store, case_id):
    rows = {r.case_id: r for r in store.worklist(ANCHOR, statuses=list(ReviewStatus), profile="us")}
    row = rows.get(case_id)
    return row is not None and row.pregnancy is not None and "Pregnancy differs" in (row.pregnancy[0] or "")


def _import_audit(store):
    return [e.detail.get("pregnancy_differs_between_cases", []) for e in store.audit() if e.action == "import"][-1]


@pytest.mark.parametrize("closed_days_before, warned", [
    (1, False),  # closed the day before the import: its old answer is history
    (0, False),  # closed on the import's day
    (None, True),  # still open: its checks read her not pregnant today (rt20 F1)
])
def test_import_warns_of_an_old_not_pregnant_only_while_its_case_is_open(store, closed_days_before, warned):
    closed_on = None if closed_days_before is None else ANCHOR - D(days=closed_days_before)
    store.import_cases([_case("OLD", ANCHOR - D(days=300), pregnant=False, closed_on=closed_on)], user="t")
    result = store.import_cases([_case("NEW", ANCHOR, weeks=31)], user="t", open_case_as_of=ANCHOR,
                                new_episode=True)
    assert result.added == ("NEW",)
    named = [(p["pregnant_case"], p["other_case"], p.get("kind")) for p in result.pregnancy_differs]
    assert named == ([("NEW", "OLD", "stale")] if warned else [])
    assert [(p["pregnant_case"], p["other_case"]) for p in _import_audit(store)] == \
        ([("NEW", "OLD")] if warned else [])
    # the warning says what the worklist then shows, no more and no less
    assert _marked(store, "NEW") is warned


def test_the_closing_decision_after_the_import_day_is_still_open_on_it(store):
    """Boundary above: discharged the day after the import's date, the case is open on it."""
    store.import_cases([_case("OLD", ANCHOR - D(days=300), pregnant=False, closed_on=ANCHOR + D(days=1))],
                       user="t")
    result = store.import_cases([_case("NEW", ANCHOR, weeks=31)], user="t", open_case_as_of=ANCHOR,
                                new_episode=True)
    assert [(p["pregnant_case"], p["other_case"]) for p in result.pregnancy_differs] == [("NEW", "OLD")]


def test_a_closed_cases_recorded_pregnancy_is_still_warned_beside_an_intake_that_never_asked(store):
    """Kept (rt20, misc20): the pregnancy outlives the case that recorded it."""
    store.import_cases([_case("PREG", ANCHOR - D(days=14), weeks=29, closed_on=ANCHOR - D(days=1))], user="t")
    result = store.import_cases([_case("NEW", ANCHOR)], user="t", open_case_as_of=ANCHOR)
    assert [(p["pregnant_case"], p["other_case"], p.get("kind")) for p in result.pregnancy_differs] == \
        [("PREG", "NEW", "not_asked")]
    assert _marked(store, "NEW")


def test_another_person_under_a_joined_key_is_never_compared(store):
    """Bob under ``mia-9`` (another name, sex and no birth date in common) is kept apart: his
    intake is not compared with Mia's pregnancy (the worklist reads each person's own cases)."""
    store.import_cases([_case("PREG", ANCHOR - D(days=14), weeks=29)], user="t")
    bob = case_dict("BOB", care_start=ANCHOR, patient_id="mia-9", name="Bob Jones")
    bob["patient"]["sex"] = "male"
    result = store.import_cases([parse_case(bob)], user="t", open_case_as_of=ANCHOR)
    assert result.added == ("BOB",) and result.pregnancy_differs == ()


@pytest.mark.parametrize("closed", [True, False])
def test_a_visit_recording_her_pregnancy_is_audited_by_the_same_rule(store, closed):
    """A visit on her open case records 24 weeks; her other case's "not pregnant" from last year
    is audited beside it only while that case is open."""
    store.import_cases([_case("OLD", ANCHOR - D(days=300), pregnant=False,
                              closed_on=ANCHOR - D(days=200) if closed else None)], user="t")
    store.import_cases([_case("CUR", ANCHOR - D(days=20))], user="t", new_episode=True)
    store.add_visit("CUR", FollowUpVisit(date=ANCHOR, leg_nrs=5, pregnancy=PregnancyUpdate(True, 24)), user="dr.a")
    entry = [e for e in store.audit() if e.action == "visit_added"][-1]
    named = [(p["pregnant_case"], p["other_case"]) for p in entry.detail.get("pregnancy_differs_between_cases", [])]
    assert named == ([] if closed else [("CUR", "OLD")])
