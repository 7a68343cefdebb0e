"""``Criteria.matches`` and ``Criteria.explain`` agree on every case (issue 14).

Both are derived from the one list of conditions in ``Criteria.checks``; these
properties hold that in place against generated criteria and patients, including the
edges of the day windows (a window of day N is tried at N-1, N and N+1).
"""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from radiculopathy_desktop.domain.guideline import (
    IMPROVEMENT_STATES,
    INTERVENTION_ANSWERS,
    PHASES,
    RED_FLAG_CATEGORIES,
    START_BACK_RISKS,
    TIERS,
    _CONDITIONS,
    Criteria,
    PathwayContext,
    _matcher,
    load_guideline,
)
from radiculopathy_desktop.domain.vocabulary import PAIN_CLASSIFICATIONS, SPECIAL_CONSIDERATIONS, TREATMENTS

DAYS = st.integers(min_value=0, max_value=400)


def _subset(values) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(tuple(values)), max_size=len(tuple(values)))


def _maybe(strategy):
    return st.one_of(st.none(), strategy)


CRITERIA = st.builds(
    Criteria,
    phases=_maybe(_subset(PHASES)),
    min_days_since_care_start=_maybe(DAYS),
    max_days_since_care_start=_maybe(DAYS),
    min_days_since_onset=_maybe(DAYS),
    improvement=_maybe(_subset(IMPROVEMENT_STATES)),
    start_back_risk=_maybe(_subset((*START_BACK_RISKS, "not_recorded"))),
    would_consider_intervention=_maybe(_subset(INTERVENTION_ANSWERS)),
    treatments_tried_any=_maybe(_subset(TREATMENTS)),
    red_flags_any=_maybe(_subset(RED_FLAG_CATEGORIES)),
    red_flags_all=_maybe(_subset(RED_FLAG_CATEGORIES)),
    tiers=_maybe(_subset(TIERS)),
    prior_lumbar_surgery=_maybe(st.booleans()),
    min_age=_maybe(st.integers(min_value=0, max_value=110)),
    pain_classification_any=_maybe(_subset(PAIN_CLASSIFICATIONS)),
    special_considerations_any=_maybe(_subset(SPECIAL_CONSIDERATIONS)),
    pain_mainly_axial=_maybe(st.booleans()),
)

CONTEXTS = st.builds(
    PathwayContext,
    phase=st.sampled_from(PHASES),
    days_since_onset=DAYS,
    days_since_care_start=DAYS,
    tier=st.sampled_from(TIERS),
    red_flag_categories=_subset(RED_FLAG_CATEGORIES),
    start_back_risk=_maybe(st.sampled_from(START_BACK_RISKS)),
    treatments_tried=_subset(TREATMENTS),
    improving=_maybe(st.booleans()),
    would_consider_intervention=st.sampled_from(INTERVENTION_ANSWERS),
    age=_maybe(st.integers(min_value=0, max_value=110)),
    prior_lumbar_surgery=_maybe(st.booleans()),
    pain_classification=_subset(PAIN_CLASSIFICATIONS),
    special_considerations=_subset(SPECIAL_CONSIDERATIONS),
    pain_mainly_axial=_maybe(st.booleans()),
)

_CONDITION_FIELDS = [f.name for f in dataclasses.fields(Criteria) if f.init and f.name != "label"]


def _given(criteria: Criteria) -> list[str]:
    return [name for name in _CONDITION_FIELDS if getattr(criteria, name) is not None]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CRITERIA, CONTEXTS)
def test_matches_and_explain_agree(criteria, ctx):
    ok, why = criteria.explain(ctx)
    results = criteria.conditions(ctx)
    assert criteria.matches(ctx) is ok
    assert ok is all(r.holds for r in results)
    # one result per condition given, and a sentence for each except a satisfied red_flags_all
    assert [r.name for r in results] == _given(criteria)
    assert why == [r.text for r in results if r.text is not None]
    assert all(isinstance(t, str) and t for t in why)


@settings(max_examples=200, deadline=None)
@given(CRITERIA, CONTEXTS)
def test_each_condition_alone_decides_as_its_result_says(criteria, ctx):
    """Criteria made of one condition each: that condition's result is the whole verdict, and
    the whole is the conjunction of the parts (no condition coded differently in one place)."""
    parts = []
    for name in _given(criteria):
        single = Criteria(**{name: getattr(criteria, name)})
        (result,) = single.conditions(ctx)
        assert single.matches(ctx) is result.holds
        parts.append(result.holds)
    assert criteria.matches(ctx) is all(parts)


@settings(max_examples=200, deadline=None)
@given(DAYS, st.integers(min_value=-1, max_value=1), CONTEXTS)
def test_day_windows_at_their_edges(n, offset, ctx):
    day = max(0, n + offset)
    ctx = dataclasses.replace(ctx, days_since_care_start=day)
    opens = Criteria(min_days_since_care_start=n)
    closes = Criteria(max_days_since_care_start=n)
    assert opens.matches(ctx) is (day >= n) is opens.explain(ctx)[0]
    assert closes.matches(ctx) is (day <= n) is closes.explain(ctx)[0]


def test_every_criteria_field_is_a_coded_condition():
    """A field added to Criteria without a condition would be silently ignored by both."""
    assert [c.name for c in _CONDITIONS] == _CONDITION_FIELDS


def test_a_failing_window_is_explained_in_order():
    criteria = Criteria(phases=frozenset({"chronic"}), min_days_since_care_start=42,
                        max_days_since_care_start=84, improvement=frozenset({"not_improving"}))
    ctx = PathwayContext(phase="acute", days_since_onset=10, days_since_care_start=100, improving=True)
    assert not criteria.matches(ctx)
    assert [(r.name, r.holds) for r in criteria.conditions(ctx)] == [
        ("phases", False), ("min_days_since_care_start", True), ("max_days_since_care_start", False),
        ("improvement", False)]
    assert criteria.explain(ctx) == (False, [
        "Phase is acute; this applies to chronic only",
        "Conservative care started 100 days ago (at least 6 weeks needed)",
        "Conservative care started 100 days ago, past day 84",
        "At follow-up: improving (needed: not improving)",
    ])


def _guideline_criteria() -> list[Criteria]:
    """Every Criteria of both shipped guidelines (steps, cautions, imaging, notes...)."""
    found: dict[int, Criteria] = {}

    def walk(value, seen: set[int]) -> None:
        if id(value) in seen or isinstance(value, (str, int, float, bool)) or value is None:
            return
        seen.add(id(value))
        if isinstance(value, Criteria):
            found[id(value)] = value
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name), seen)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v, seen)
        elif isinstance(value, (tuple, list, frozenset)):
            for v in value:
                walk(v, seen)

    for profile in ("us", "uk"):
        walk(load_guideline(profile), set())
    return list(found.values())


GUIDELINE_CRITERIA = _guideline_criteria()


def test_the_guidelines_have_criteria_of_many_kinds():
    assert len(GUIDELINE_CRITERIA) > 20
    assert len({tuple(_given(c)) for c in GUIDELINE_CRITERIA}) > 8


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CONTEXTS)
def test_compiled_matches_of_the_guidelines_agree_with_each_conditions_holds(ctx):
    """Each shipped criteria's compiled ``matches`` (issue 17) gives the verdict of its
    conditions' own ``holds``, one by one (the reference), and of ``explain``."""
    for criteria in GUIDELINE_CRITERIA:
        expected = all(condition.holds(wanted, ctx) for wanted, condition in criteria._given)
        assert criteria.matches(ctx) is expected, criteria
        results = criteria.conditions(ctx)  # the reference loop: each condition's holds and words
        assert criteria.explain(ctx) == (expected, [r.text for r in results if r.text is not None])
        assert criteria.explain(ctx)[0] is expected


def test_the_compiled_matches_is_made_from_the_condition_texts():
    """The source of a compiled ``matches`` (and ``explain``) is each given condition's ``test``
    in order, with the wanted values as names (never their values); criteria with the same
    conditions share it."""
    criteria = Criteria(phases=frozenset({"chronic"}), min_days_since_care_start=42, min_age=65)
    source = _matcher(("phases", "min_days_since_care_start", "min_age")).__source__
    assert source.splitlines()[2].strip() == (
        "return (ctx.phase in w0) and (ctx.days_since_care_start >= w1) and (ctx.age is not None and ctx.age >= w2)")
    assert "chronic" not in source and "42" not in source and "65" not in source
    assert criteria.matches.__code__.co_filename == "<criteria phases min_days_since_care_start min_age>"
    assert criteria.explain.__code__.co_filename == criteria.matches.__code__.co_filename
    assert "h2 = (ctx.age is not None and ctx.age >= w2)\n        text = words2(w2, ctx, h2)" in source
    assert "return (h0 and h1 and h2), texts" in source
    assert Criteria().matches(PathwayContext(phase="acute", days_since_onset=0, days_since_care_start=0)) is True
    for condition in _CONDITIONS:
        assert "{w}" in condition.test  # each test names what is wanted once at least
        assert condition.holds.__code__.co_varnames[:2] == ("w", "ctx")


def test_the_improvement_test_looks_the_state_up_instead_of_calling_a_function():
    """Issue 17: the improvement condition's test and words read the state from a table of
    the three values ``improving`` may hold (what ``_improvement`` gives for each), not by a
    call per criteria; the matcher's generated source shows it."""
    from radiculopathy_desktop.domain.guideline import _IMPROVEMENT_OF, _improvement

    assert _IMPROVEMENT_OF == {v: _improvement(v) for v in (None, True, False)}
    assert set(_IMPROVEMENT_OF.values()) == set(IMPROVEMENT_STATES)
    source = _matcher(("improvement",)).__source__
    assert "_IMPROVEMENT_OF[ctx.improving]" in source and "_improvement(" not in source
