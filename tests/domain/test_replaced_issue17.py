"""Speed work on assessments (issue 17, perfassess35; hazard log H-ARCH-909, H-ARCH-910).

* ``domain.build.replaced`` stands for ``dataclasses.replace`` in the surgical-step pass of an
  assessment (``surgical_step_follows_review``, ``_beside_due_review``): it must give exactly
  what ``dataclasses.replace`` gives, run ``__init__``/``__post_init__`` as it does, and refuse
  what it refuses.
* ``intake.day_baseline`` returns the intake's own scores at once when no visit is dated on the
  intake's day; it must give what the walk over every visit gives (the same object when nothing
  was re-recorded).
* ``labels_strongest_first`` keeps its rank dict per label order; ``_says_dose`` matches one
  compiled pattern: both must answer as before."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from radiculopathy_desktop.domain.assess import assess_case
from radiculopathy_desktop.domain.build import replaced
from radiculopathy_desktop.domain.guideline import PathwayContext
from radiculopathy_desktop.domain.intake import BASELINE_SCORES, ScorePoint, baseline_scores, day_baseline, parse_case
from radiculopathy_desktop.resources import resource_path


def _cases():
    return [parse_case(json.loads(p.read_text())) for p in sorted(resource_path("examples").glob("*.json"))]


@pytest.mark.parametrize("profile", ["us", "uk"])
def test_replaced_gives_what_dataclasses_replace_gives_for_every_step_and_pathway(profile):
    seen = 0
    for case in _cases():
        pathway = assess_case(case, dt.date(2026, 11, 25), profile=profile).pathway
        assert replaced(pathway, current_step_id="x") == dataclasses.replace(pathway, current_step_id="x")
        for step in pathway.steps:
            for changes in ({"state": "next"}, {"why": ("a", *step.why)}, {"state": "done", "why": ()}):
                mine, theirs = replaced(step, **changes), dataclasses.replace(step, **changes)
                assert mine == theirs and type(mine) is type(theirs)
                assert all(getattr(mine, k) == v for k, v in changes.items())
                seen += 1
    assert seen > 100  # every example's steps, three changes each


def test_replaced_refuses_an_unknown_field_and_runs_post_init_checks():
    pathway = assess_case(_cases()[0], dt.date(2026, 11, 25), profile="us").pathway
    with pytest.raises(TypeError, match="no field colour"):
        replaced(pathway, colour="red")
    context = PathwayContext(phase="acute", days_since_onset=3, days_since_care_start=0)
    with pytest.raises(ValueError, match="phase must be one of"):  # __post_init__ runs, as under dataclasses.replace
        replaced(context, phase="later")
    assert replaced(context, days_since_onset=9) == dataclasses.replace(context, days_since_onset=9)


def _walked(i, visits):
    """day_baseline's answer by the walk over every visit (the code before perfassess35)."""
    base = baseline_scores(i)
    values = {a: getattr(base, a) for a in BASELINE_SCORES}
    for v in visits:
        if v.date == i.visit_date:
            for a in BASELINE_SCORES:
                if getattr(v, a) is not None:
                    values[a] = getattr(v, a)
    if all(values[a] == getattr(base, a) for a in BASELINE_SCORES):
        return base
    return ScorePoint(i.visit_date, values["leg_nrs"], values["back_nrs"], values["odi_percent"], values["rmdq"], True)


def test_day_baseline_without_a_visit_of_the_intakes_day_is_the_walks_answer():
    checked = same_day = 0
    for case in _cases():
        i = case.intake
        # a follow-up moved to the intake's day re-records its scores there (rt21 F5)
        moved = tuple(dataclasses.replace(v, date=i.visit_date) for v in case.visits[:1])
        for visits in ((), case.visits, tuple(v for v in case.visits if v.date != i.visit_date), moved):
            mine, theirs = day_baseline(i, visits), _walked(i, visits)
            assert mine == theirs
            if not any(v.date == i.visit_date for v in visits):
                assert mine == baseline_scores(i)  # nothing re-recorded: the intake's own scores
            else:
                same_day += 1
            checked += 1
    assert checked >= 30
    assert same_day >= 3  # the walk's own path, with scores re-recorded on the intake's day


def test_labels_strongest_first_orders_as_label_rank_on_every_call():
    """The label -> rank dict is kept per worded label order (perfassess35); the order it gives is
    label_rank's, unknown labels last, ties in the order given, the first call and every later one."""
    from radiculopathy_desktop.domain.worklist_marks import _label_order, label_rank, labels_strongest_first

    order = _label_order()
    items = [*reversed(order), "Not a label", *order[:3], "Another unknown"]
    expected = sorted(items, key=label_rank)
    assert len(order) >= 8 and expected[0] == order[0] and expected[-2:] == ["Not a label", "Another unknown"]
    for _ in range(3):
        assert labels_strongest_first(items) == expected
    pairs = [(lb, n) for n, lb in enumerate(items)]
    assert labels_strongest_first(pairs, lambda p: p[0]) == sorted(pairs, key=lambda p: label_rank(p[0]))


def _says_dose_by_search(named, total):
    """_says_dose before perfassess35: a pattern worded from the total, searched for."""
    import re

    from radiculopathy_desktop.domain.medications import _num

    return "," not in named and re.search(rf"(?<![\d.]){re.escape(_num(total))}\s*mg\s*(?:/\s*day|a day|daily|per day)\b",
                                          named, re.IGNORECASE) is not None


def test_says_dose_by_one_compiled_pattern_answers_as_the_search_for_the_total():
    """H-MED safety wording: the alert does not say a dose twice when the name already says it, and
    says it when the name says another number (perfassess35 compiles the pattern once)."""
    import itertools

    from radiculopathy_desktop.domain.medications import _says_dose

    numbers = ["16000", "6000", "116000", "1600", "12.5", "12.50", "112.5", "2.5", "0.5", "16000.5", "3"]
    units = [" mg/day", "mg/day", " mg / day", " MG A DAY", " mg daily", "mg per day", " mg", " mg/days", " g/day"]
    before = ["", "paracetamol ", "x", "1", ".", "v1.", "(", "morphine 10mg bd "]
    after = ["", " for pain", "s", ",", " and 6000 mg/day"]
    totals = [16000.0, 6000, 1600, 12.5, 2.5, 0.5, 3, 3.0, 16000.5, 116000]
    said = differs = 0
    for b, n, u, a in itertools.product(before, numbers, units, after):
        named = f"{b}{n}{u}{a}"
        for total in totals:
            expected = _says_dose_by_search(named, total)
            assert _says_dose(named, total) is expected, (named, total)
            said += expected
            differs += not expected
    assert said > 500 and differs > 5000  # both answers are exercised
