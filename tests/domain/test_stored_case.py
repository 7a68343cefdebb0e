"""The trusted read path for stored cases builds exactly what parse_case builds (issue 17).

Stored cases are read back without re-validation (domain/stored_case.py); these tests
prove, for a generated cohort and every example, that the objects are equal to
parse_case's, and that their dict orders (which reach printed output) are the same.
"""

import dataclasses
import json
from pathlib import Path

import pytest

from radiculopathy_desktop.demo import generate_case_dicts
from radiculopathy_desktop.domain.intake import ValidationError, case_to_dict, parse_case
from radiculopathy_desktop.domain.stored_case import case_from_stored
from radiculopathy_desktop.storage.store import CaseStore, _json

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.json"))


def _orders(obj, path="case"):
    """Every mapping's key order inside a case (dataclass equality ignores it)."""
    out = []
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            out += _orders(getattr(obj, f.name), f"{path}.{f.name}")
    elif isinstance(obj, dict):
        out.append((path, list(obj)))
        for k, v in obj.items():
            out += _orders(v, f"{path}.{k}")
    elif isinstance(obj, (tuple, list)):
        for n, v in enumerate(obj):
            out += _orders(v, f"{path}[{n}]")
    return out


def _same(expected, got):
    assert got == expected
    assert _orders(got) == _orders(expected)
    assert [type(v) for v in _leaves(got)] == [type(v) for v in _leaves(expected)]


def _leaves(obj):
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from _leaves(getattr(obj, f.name))
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _leaves(v)
    elif isinstance(obj, (tuple, list)):
        for v in obj:
            yield from _leaves(v)
    else:
        yield obj


def _stored(case):
    """The text the store keeps for a case, decoded as the store reads it."""
    return json.loads(_json(case_to_dict(case)))


def _check(item):
    """The trusted read of the stored document equals what the store built before issue 17
    (parse_case of the same document), key orders included, and equals the case validated
    on the way in."""
    validated = parse_case(item)
    stored = _stored(validated)
    got = case_from_stored(stored)
    _same(parse_case(stored), got)
    assert got == validated


def _raw_examples():
    for path in EXAMPLES:
        data = json.loads(path.read_text(encoding="utf-8"))
        yield from (data if isinstance(data, list) else [data])


def test_there_are_examples():
    assert len(EXAMPLES) >= 20


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_reads_back_equal(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    for item in (data if isinstance(data, list) else [data]):
        _check(item)


def test_a_generated_cohort_reads_back_equal():
    n = 0
    for item in generate_case_dicts(3000, seed=17):
        _check(item)
        n += 1
    assert n == 3000


def test_canonical_input_is_read_like_parse_case_even_when_untidy():
    """Whitespace, upper-case medicine names, treatment shorthand, bilateral answered by the side,
    a repeated region: the normalisations parse_case makes are made the same way."""
    item = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    item = item[0] if isinstance(item, list) else item
    item = dict(item, clinician="  Dr A  ", notes="   ", side="bilateral",
                regions=list(item.get("regions", [])) * 2,
                medicines=[{"name": " Ibuprofen ", "daily_dose_mg": 1200}],
                treatments_tried=["exercise_therapy"])
    item["red_flags"] = {k: v for k, v in item["red_flags"].items() if k != "bilateral_leg_symptoms"}
    expected = parse_case(item)
    _same(expected, case_from_stored(item))


def test_what_a_store_returns_is_the_validated_case(tmp_path):
    cases = [parse_case(d) for d in generate_case_dicts(200, seed=5)]
    with CaseStore.open(tmp_path / "data") as store:
        store.import_cases(cases)
        by_id = {c.case_id: c for c in cases}
        got = list(store.iter_cases())
        assert len(got) == 200
        for case in got:
            # the store gives every record its entry order (rt12 F2); the rest is what went in
            assert all(r.entry is not None for r in case.visits + case.decisions)
            _same(by_id[case.case_id], _without_entries(case))


def _without_entries(case):
    return dataclasses.replace(case, visits=tuple(dataclasses.replace(v, entry=None) for v in case.visits),
                               decisions=tuple(dataclasses.replace(d, entry=None) for d in case.decisions))


def test_a_damaged_stored_document_still_says_so(tmp_path):
    """The trusted path never hides damage: a document it cannot build goes through parse_case,
    which refuses it as corrupt."""
    case = parse_case(next(generate_case_dicts(1, seed=3)))
    with CaseStore.open(tmp_path / "data") as store:
        store.import_cases([case])
        store._db.conn.execute("UPDATE case_documents SET case_json = ?", (json.dumps({"patient": 3}),))
        store._db.conn.commit()
        with pytest.raises(Exception) as info:
            list(store.iter_cases())
        assert "cannot be read" in str(info.value)
        assert not isinstance(info.value, ValidationError)


def test_a_case_read_through_a_date_is_the_case_as_it_stood_then():
    """``through``: the visits and decisions after the date are left out (never built); the
    engine's facts and status as of that date are those of the whole case (the past-date
    worklist reads cases this way)."""
    import datetime as dt

    from radiculopathy_desktop.domain.followup import review_facts, surgical_review

    checked = cut = 0
    for data in generate_case_dicts(300, seed=41):
        whole = parse_case(data)
        stored = _stored(whole)
        for day in (whole.intake.visit_date, whole.intake.visit_date + dt.timedelta(days=30),
                    dt.date(2026, 3, 1), dt.date(2026, 6, 1), *(v.date for v in whole.visits[:2]),
                    *(d.date for d in whole.decisions)):
            if day < whole.intake.visit_date:
                continue
            part = case_from_stored(stored, through=day)
            assert part.intake == whole.intake and part.case_id == whole.case_id
            assert part.visits == whole.visits_on_or_before(day)
            assert part.decisions == whole.decisions_on_or_before(day)
            assert review_facts(part, day) == review_facts(whole, day)
            assert surgical_review(part, day) == surgical_review(whole, day)
            checked += 1
            cut += len(part.visits) < len(whole.visits) or len(part.decisions) < len(whole.decisions)
    assert checked > 1000 and cut > 300  # many dates fell before a later visit or decision
    assert case_from_stored(stored) == whole  # without a date: the whole case


def test_the_fast_constructor_makes_equal_objects_and_never_skips_a_post_init():
    import datetime as dt

    from radiculopathy_desktop.domain.intake import Decision
    from radiculopathy_desktop.domain.build import direct_constructor as _builder

    make = _builder(Decision)
    day = dt.date(2026, 1, 5)
    made = make(day, "continue_conservative_care", dt.date(2026, 2, 1), "Dr A", None, ("history_of_cancer",), None, None)
    assert made == Decision(day, "continue_conservative_care", dt.date(2026, 2, 1), "Dr A", None,
                            ("history_of_cancer",))
    assert hash(made) == hash(Decision(day, "continue_conservative_care", dt.date(2026, 2, 1), "Dr A", None,
                                       ("history_of_cancer",)))
    with pytest.raises(TypeError):
        make(day, "continue_conservative_care")  # every field, or nothing

    @dataclasses.dataclass(frozen=True)
    class Checked:
        value: int

        def __post_init__(self):
            if self.value < 0:
                raise ValueError("negative")

    assert _builder(Checked) is Checked  # its own constructor: the check runs
    with pytest.raises(ValueError):
        _builder(Checked)(-1)


def _events(visits):
    return [(v.date, v.leg_nrs, v.back_nrs, v.odi_percent, v.rmdq, v.red_flags, v.power) for v in visits]


def test_stored_facts_as_of_are_the_engines_facts_on_the_whole_case():
    """The past-date worklist's reader (``stored_facts_as_of``: only the visit and decision
    fields the rule reads, nothing after the date) gives exactly ``review_facts`` of the
    whole validated case on that date, under the default and under other thresholds, with
    the visits up to the date and the intake as the case holds them."""
    import datetime as dt

    from radiculopathy_desktop.domain.followup import review_facts
    from radiculopathy_desktop.domain.settings import default_review_settings
    from radiculopathy_desktop.domain.stored_case import stored_facts_as_of

    strict = default_review_settings().updated({"resolved_leg_nrs_max": 3, "mcid_leg_nrs_points": 3,
                                                "mcid_nrs_percent": 50})
    items = list(generate_case_dicts(300, seed=43)) + list(_raw_examples())
    checked = cut = 0
    kinds = set()
    for data in items:
        whole = parse_case(data)
        stored = _stored(whole)
        start = whole.intake.visit_date
        days = {start, start - dt.timedelta(days=1), start + dt.timedelta(days=30), dt.date(2026, 3, 1),
                dt.date(2026, 6, 1), *(v.date for v in whole.visits), *(v.date - dt.timedelta(days=1) for v in whole.visits),
                *(d.date for d in whole.decisions), *(d.date - dt.timedelta(days=1) for d in whole.decisions)}
        for day in sorted(days):
            for s in (default_review_settings(), strict):
                facts, seen, intake = stored_facts_as_of(stored, day, s)
                expected = review_facts(whole, day, s)
                assert facts == expected, (whole.case_id, day)
                assert [type(getattr(facts, f.name)) for f in dataclasses.fields(facts)] == \
                    [type(getattr(expected, f.name)) for f in dataclasses.fields(expected)]
                assert _events(seen) == _events(whole.visits_on_or_before(day))
                assert intake == _intake_part(whole.intake)
                checked += 1
                cut += len(seen) < len(whole.visits)
                kinds.add((facts.immediate, bool(facts.ask_red_flags_reason), facts.improving, facts.resolved,
                           facts.last_decision_kind))
    assert checked > 3000 and cut > 1000
    # the cohort reaches the rule's branches: red flags standing and acknowledged, questions
    # unanswered, improving/not/unknown, resolved, each kind of decision
    assert {k[0] for k in kinds} == {True, False} and {k[1] for k in kinds} == {True, False}
    assert {k[2] for k in kinds} == {True, False, None} and {k[3] for k in kinds} == {True, False}
    assert len({k[4] for k in kinds}) >= 4


def test_stored_facts_as_of_reads_visit_red_flags_and_grades_like_the_case():
    """A red flag raised at a follow-up visit, weakness found at one, and a decision that
    acknowledges it: on each date, the facts from the stored document are the engine's."""
    import datetime as dt

    from radiculopathy_desktop.domain.followup import review_facts
    from radiculopathy_desktop.domain.settings import default_review_settings
    from radiculopathy_desktop.domain.stored_case import stored_facts_as_of

    data = next(iter(generate_case_dicts(1, seed=5)))
    whole = parse_case(data)
    start = whole.intake.visit_date
    data = case_to_dict(whole)
    data["visits"] = [
        {"date": (start + dt.timedelta(days=10)).isoformat(), "leg_nrs": 6},
        {"date": (start + dt.timedelta(days=20)).isoformat(), "leg_nrs": 5,
         "red_flags": {"saddle_anaesthesia": "yes"}},
        {"date": (start + dt.timedelta(days=20)).isoformat(), "leg_nrs": 4, "power": {"great_toe_extension": 2}},
        {"date": (start + dt.timedelta(days=40)).isoformat(), "leg_nrs": 3,
         "red_flags": {"saddle_anaesthesia": "no"}},
    ]
    data["decisions"] = [{"date": (start + dt.timedelta(days=25)).isoformat(), "kind": "referred_for_surgical_opinion"}]
    case = parse_case(data)
    stored = _stored(case)
    s = default_review_settings()
    states = set()
    for n in range(-1, 60):
        day = start + dt.timedelta(days=n)
        facts, seen, _ = stored_facts_as_of(stored, day, s)
        assert facts == review_facts(case, day, s), day
        assert _events(seen) == _events(case.visits_on_or_before(day))
        states.add(facts.immediate)
    assert states == {True, False}


def _intake_part(intake):
    """The fields of an Intake that ``stored_facts_as_of`` reads, as its IntakeFacts."""
    from radiculopathy_desktop.domain.stored_case import IntakeFacts

    return IntakeFacts(*(getattr(intake, name) for name in IntakeFacts._fields))


def test_the_facts_timeline_is_review_facts_on_every_day_it_covers():
    """What the store keeps per event (m005, ``case_fact_history``) is the one rule's facts
    on every day: generated cases (visits with red flags and grades, every kind of decision)
    and every example, under the default and stricter thresholds."""
    from facts_timeline_check import check_facts_timeline

    from radiculopathy_desktop.domain.settings import default_review_settings
    from radiculopathy_desktop.domain.stored_case import facts_timeline

    strict = default_review_settings().updated({"resolved_leg_nrs_max": 3, "mcid_leg_nrs_points": 3,
                                                "mcid_nrs_percent": 50})
    items = list(generate_case_dicts(150, seed=47)) + list(_raw_examples())
    checked = multi = 0
    for n, data in enumerate(items):
        case = parse_case(data)
        checked += check_facts_timeline(case, default_review_settings())
        if n % 3 == 0:
            checked += check_facts_timeline(case, strict)
        multi += len(facts_timeline(case, strict)) > 2
    assert checked > 10000 and multi > 50
