"""The pathway's data compiled once per loaded guideline (issue 17, round 15), each piece
checked against the per-step code it replaced; the outputs themselves are pinned byte for
byte by the assess goldens (tests/cli/test_assess_speed_golden.py and the others)."""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.domain import guideline as g
from radiculopathy_desktop.domain.guideline import PHASES, PathwayContext, evaluate_pathway, load_guideline
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.vocabulary import PAIN_CLASSIFICATIONS, SPECIAL_CONSIDERATIONS

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_assess import generate  # noqa: E402

PROFILES = ("us", "uk")


def _reference_cautions(guideline, ctx):
    """Each step's cautions as evaluate_pathway chose them before: the step's cautions for the
    phase whose criteria match the context, in the data's order (``Caution.applies``)."""
    return tuple(tuple(c for c in step.cautions_by_phase[ctx.phase] if c.applies(ctx)) for step in guideline.steps)


def _ages(guideline):
    """Every caution's age threshold with the ages just below, at and just above it."""
    found = {None, 0, 18, 130}
    for step in guideline.steps:
        for cautions in step.cautions_by_phase.values():
            for c in cautions:
                if c.when.min_age is not None:
                    found.update({c.when.min_age - 1, c.when.min_age, c.when.min_age + 1})
    return sorted(found, key=lambda a: -1 if a is None else a)


def _contexts(guideline):
    """Contexts crossing every condition a caution can set: each phase; each age boundary;
    no, one and every pain classification and special consideration; mainly axial pain
    unknown, yes and no."""
    classifications = [frozenset(), *(frozenset({c}) for c in PAIN_CLASSIFICATIONS), frozenset(PAIN_CLASSIFICATIONS)]
    specials = [frozenset(), *(frozenset({c}) for c in SPECIAL_CONSIDERATIONS), frozenset(SPECIAL_CONSIDERATIONS)]
    for phase, age, pc, sc, axial in itertools.product(PHASES, _ages(guideline), classifications, specials,
                                                        (None, True, False)):
        yield PathwayContext(phase=phase, days_since_onset=3, days_since_care_start=0, age=age,
                             pain_classification=pc, special_considerations=sc, pain_mainly_axial=axial)


@pytest.mark.parametrize("profile", PROFILES)
def test_the_compiled_caution_pickers_choose_what_each_cautions_criteria_choose(profile):
    """For every phase, age boundary (just below, at and just above each caution's
    ``min_age``: the Beers 65 of the medicines step), pain classification, special
    consideration and mainly-axial answer, the one compiled call gives each step exactly the
    cautions whose criteria match, in the data's order."""
    guideline = load_guideline(profile)
    pickers = g._caution_pickers(guideline)
    assert set(pickers) == set(PHASES)
    chosen = total = 0
    for ctx in _contexts(guideline):
        got = pickers[ctx.phase](ctx)
        assert got == _reference_cautions(guideline, ctx)
        assert all(type(t) is tuple for t in got)
        chosen += sum(map(len, got))
        total += 1
    assert total > 1000 and chosen > 1000  # the crossing reaches cautions, not only empty tuples


@pytest.mark.parametrize("profile", PROFILES)
def test_the_pathway_gives_each_step_the_cautions_that_apply_with_no_matches_call_per_caution(profile, monkeypatch):
    """Over generated patients (the benchmark's cohort generator) at two dates, each step's
    cautions equal the reference choice; and no caution's ``matches`` is called: the step
    loop asks the one compiled picker."""
    guideline = load_guideline(profile)
    from radiculopathy_desktop.domain import assess

    seen = []
    real = assess.evaluate_pathway

    def spy(gl, ctx):
        seen.append(ctx)
        return real(gl, ctx)

    monkeypatch.setattr(assess, "evaluate_pathway", spy)
    for d in generate(120, seed=31):
        case = parse_case(d)
        for as_of in (dt.date(2026, 11, 21), dt.date(2027, 6, 1)):
            assess.assess_case(case, as_of, profile=profile)
    monkeypatch.undo()
    criteria = {id(c.when): c.when for step in guideline.steps for cs in step.cautions_by_phase.values() for c in cs}
    saved = {key: when.matches for key, when in criteria.items()}
    asked = []
    for key, when in criteria.items():
        object.__setattr__(when, "matches", lambda ctx, real=saved[key]: asked.append(1) or real(ctx))
    try:
        with_cautions = 0
        for ctx in seen:
            result = evaluate_pathway(guideline, ctx)
            assert tuple(s.cautions for s in result.steps) == _reference_cautions_unmetered(guideline, ctx)
            with_cautions += any(s.cautions for s in result.steps)
    finally:
        for key, when in criteria.items():
            object.__setattr__(when, "matches", saved[key])
    assert asked == []
    assert len(seen) == 240 and with_cautions > 50


def _reference_cautions_unmetered(guideline, ctx):
    """The reference choice from each condition's own ``holds`` (not the metered ``matches``)."""
    return tuple(tuple(c for c in step.cautions_by_phase[ctx.phase]
                       if all(cond.holds(w, ctx) for w, cond in c.when._given))
                 for step in guideline.steps)


@pytest.mark.parametrize("profile", PROFILES)
def test_the_caution_pickers_hold_no_value_of_the_data_and_are_made_once_per_guideline(profile):
    """The generated text names the cautions and their wanted values (``C<step>_<n>``,
    ``..._w<n>``) and holds none of them; the pickers are made once per loaded guideline."""
    guideline = load_guideline(profile)
    pickers = g._caution_pickers(guideline)
    assert g._caution_pickers(guideline) is pickers
    for phase, pick in pickers.items():
        source = pick.__source__
        assert "65" not in source and "radicular" not in source.lower()
        for step in guideline.steps:
            for c in step.cautions_by_phase[phase]:
                assert c.text not in source
