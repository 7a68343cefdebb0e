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
            _same(by_id[case.case_id], case)


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
