"""``REASON_INPUTS`` is a sufficient key for the sentence of ``status_from_facts``.

The worklist words thousands of cases on one date by computing one sentence per distinct
(status, declared inputs) key. That is only right if any two facts given the same status
and equal declared fields get the same sentence. Here every field NOT declared for the
status is changed at random (the declared ones kept), on every branch of the rule (each
status; not-due by resolution and by the clock; due and overdue with each trend; with the
default and other windows), and the sentence must not change whenever the status does not.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter

from radiculopathy_desktop.domain.followup import (
    REASON_INPUTS,
    TERMINAL_DECISIONS,
    ReviewFacts,
    ReviewStatus,
    status_from_facts,
)
from radiculopathy_desktop.domain.settings import ReviewSettings, default_review_settings
from radiculopathy_desktop.domain.vocab import DecisionKind

AS_OF = dt.date(2026, 6, 1)
FIELDS = [f.name for f in dataclasses.fields(ReviewFacts)]
KINDS = [None, *DecisionKind]
REASONS = [None, "cauda equina symptoms", "progressive motor deficit", "ask: saddle numbness"]


def _day(rng: random.Random, s: ReviewSettings) -> dt.date:
    """A date around the clock's edges (lead, window start and end, the re-check period)."""
    edges = [0, s.window_start_day - s.upcoming_lead_days, s.window_start_day, s.window_end_day,
             s.improving_recheck_days, s.window_end_day + 60]
    return AS_OF - dt.timedelta(days=rng.choice(edges) + rng.randint(-2, 2))


def _facts(rng: random.Random, s: ReviewSettings) -> ReviewFacts:
    kind = rng.choice(KINDS) if rng.random() < 0.3 else None
    has_follow_up = rng.random() < 0.7
    immediate = rng.random() < 0.05
    return ReviewFacts(
        care_start_date=_day(rng, s),
        has_follow_up=has_follow_up,
        improving=rng.choice([True, True, False, None]) if has_follow_up else None,
        resolved=rng.random() < 0.1,
        immediate=immediate,
        immediate_reason=rng.choice(REASONS[1:]) if immediate else None,
        last_decision_kind=kind,
        # the rule words a decision with its date: a recorded decision always has one
        last_decision_date=_day(rng, s) if kind is not None else None,
        continue_until=(AS_OF + dt.timedelta(days=rng.randint(-3, 30))
                        if kind == DecisionKind.CONTINUE_CONSERVATIVE_CARE and rng.random() < 0.8 else None),
        latest_event_date=_day(rng, s),
        ask_red_flags_reason=rng.choice(REASONS) if rng.random() < 0.1 else None,
        last_follow_up_date=_day(rng, s) if has_follow_up else None,
    )


def _branch(status: ReviewStatus, facts: ReviewFacts) -> tuple:
    if status == ReviewStatus.NOT_DUE:
        return status, facts.resolved
    if status in (ReviewStatus.DUE, ReviewStatus.OVERDUE):
        return status, facts.improving
    return (status,)


def test_reason_inputs_cover_every_status():
    assert set(REASON_INPUTS) == set(ReviewStatus)
    for fields in REASON_INPUTS.values():
        assert set(fields) <= set(FIELDS)


def test_reason_inputs_are_a_sufficient_key_on_every_branch():
    rng = random.Random(17)
    other = default_review_settings().replace(window_start_day=35, window_end_day=70,
                                               upcoming_lead_days=7, improving_recheck_days=21)
    seen: Counter = Counter()
    for settings in (default_review_settings(), other):
        for _ in range(2500):
            base = _facts(rng, settings)
            status, text = status_from_facts(base, AS_OF, settings)
            keep = {name: getattr(base, name) for name in REASON_INPUTS[status]}
            for _ in range(6):
                changed = dataclasses.replace(_facts(rng, settings), **keep)
                if status in (ReviewStatus.CLOSED, ReviewStatus.SNOOZED) and changed.last_decision_date is None:
                    continue  # not a fact the rule can be given (a decision without its date)
                other_status, other_text = status_from_facts(changed, AS_OF, settings)
                if other_status != status:
                    continue
                assert other_text == text, (status, base, changed)
                seen[_branch(status, base)] += 1
    expected = {(s,) for s in ReviewStatus if s not in (ReviewStatus.NOT_DUE, ReviewStatus.DUE,
                                                         ReviewStatus.OVERDUE)}
    expected |= {(ReviewStatus.NOT_DUE, True), (ReviewStatus.NOT_DUE, False)}
    expected |= {(s, t) for s in (ReviewStatus.DUE, ReviewStatus.OVERDUE) for t in (True, False, None)}
    assert expected <= set(seen), expected - set(seen)
    assert min(seen[b] for b in expected) >= 20, seen


def test_a_field_left_out_would_be_caught():
    """The check above has teeth: dropping a declared input makes it find a difference."""
    rng = random.Random(3)
    s = default_review_settings()
    for status, fields in REASON_INPUTS.items():
        for dropped in fields:
            if (status, dropped) == (ReviewStatus.NOT_DUE, "resolved"):
                continue  # resolved decides the branch, so the status check already separates those
            keep_names = [f for f in fields if f != dropped]
            found = False
            for _ in range(8000):
                base = _facts(rng, s)
                st, text = status_from_facts(base, AS_OF, s)
                if st != status:
                    continue
                changed = dataclasses.replace(_facts(rng, s), **{n: getattr(base, n) for n in keep_names})
                if changed.last_decision_date is None and status in (ReviewStatus.CLOSED, ReviewStatus.SNOOZED):
                    continue
                st2, text2 = status_from_facts(changed, AS_OF, s)
                if st2 == status and text2 != text:
                    found = True
                    break
            assert found, (status, dropped)
    assert TERMINAL_DECISIONS  # the closed branch exists
