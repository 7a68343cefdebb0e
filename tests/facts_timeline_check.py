"""One definition of what a case's facts history (m005, ``domain.stored_case.facts_timeline``)
must hold, shared by the domain tests (examples, generated cohort) and the storage property tests."""

from __future__ import annotations

import datetime as dt


def _expected_span_values(case, day):
    """What a worklist row shows of a case's visits on ``day``, from the validated case."""
    seen = case.visits_on_or_before(day)
    legs = [v.leg_nrs for v in seen if v.leg_nrs is not None]
    return (seen[-1].date if seen else case.intake.visit_date), 1 + len(seen), (legs[-1] if legs else
                                                                               case.intake.leg_nrs)


def check_facts_timeline(case, s, tail_days: int = 30) -> int:
    """Every day of every span of ``facts_timeline(case, s)`` has the span's facts equal to
    ``review_facts(case, day, s)`` (and its visit columns equal to the case's on that day);
    the spans start on the intake and on each later event date, and join without gaps.
    The latest span is checked for ``tail_days`` days. Returns the days checked."""
    from radiculopathy_desktop.domain.followup import review_facts
    from radiculopathy_desktop.domain.stored_case import facts_timeline

    spans = facts_timeline(case, s)
    start = case.intake.visit_date
    events = {start} | {e.date for e in (*case.visits, *case.decisions) if e.date > start}
    assert [sp.start for sp in spans] == sorted(events)
    assert [sp.until for sp in spans] == [sp.start for sp in spans[1:]] + [None]
    checked = 0
    for sp in spans:
        end = sp.until or sp.start + dt.timedelta(days=tail_days)
        day = sp.start
        while day < end:
            assert sp.facts == review_facts(case, day, s), (case.case_id, day)
            assert (sp.last_visit_date, sp.visit_count, sp.latest_leg_nrs) == _expected_span_values(case, day)
            checked += 1
            day += dt.timedelta(days=1)
    return checked

