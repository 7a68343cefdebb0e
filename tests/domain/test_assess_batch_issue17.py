"""Assessing in batches (issue 17, asm20): what depends only on a recorded medicine's text and
dose is worked out once per batch, and every assessment in the batch is the one
``assess_case`` gives alone, byte for byte.

No clinical rule changed: these tests hold the batch against the single assessment it
must equal, so no primary source is quoted.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.domain import medications
from radiculopathy_desktop.domain.assess import AssessmentBatch, assess_case, assess_many
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import MedicineMemo, load_medicine_data

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_assess import generate  # noqa: E402

AS_OF = dt.date(2026, 11, 21)

#: names read in every way _facts reads one: exact, brand, salt, regimen in the name (read,
#: unread, conflicting with the recorded dose), combination products (read and not), patches
#: with and without a rate, opioids without an MME factor, a misspelling (suggested) and a
#: name nothing resembles
NAMES = [
    ("ibuprofen", 1200), ("ibuprofen", 1200.0), ("ibuprofen", None), ("Ibuprofen 400mg tds", None),
    ("ibuprofen 400mg tds", 1600), ("naproxen 500 bd", None), ("co-codamol 30/500 2 tablets qds", None),
    ("co-codamol 30/500", 8), ("Ultracet", 300), ("Ultracet", 75), ("tylenol 3 tabs tds", None),
    ("fentanyl 25 mcg/h patch", None), ("fentanyl patch", None), ("buprenorphine", 10), ("morphine", 60),
    ("apixiban", 10), ("metformin", 1000), ("zzqx", None), ("Eliquis 5mg", 10), ("pregabalin 2 bd", None),
    ("paracetamol 2 qds", 4000), ("tramadol", 400), ("oxycodone", 40), ("prednisolone", 40),
]


def _intakes() -> list[dict]:
    """The generated cohort with the names above spread over it: each name met on several
    intakes, among other medicines, beside patients of every age, kidney and condition."""
    out = generate(60, seed=23)
    for i, d in enumerate(out):
        extra = [NAMES[(i + k) % len(NAMES)] for k in range(i % 3)]
        d["medicines"] = d["medicines"] + [{"name": n, "daily_dose_mg": mg} if mg is not None else {"name": n}
                                           for n, mg in extra]
        # keep the list free of a name twice (the parser asks about a repeated medicine)
        seen, kept = set(), []
        for m in d["medicines"]:
            key = m["name"].lower().split()[0]
            if key not in seen:
                seen.add(key)
                kept.append(m)
        d["medicines"] = kept
    return out


@pytest.fixture(scope="module")
def cases():
    return [parse_case(d) for d in _intakes()]


def _text(a) -> str:
    return json.dumps(a.to_dict(), indent=2, ensure_ascii=False)


@pytest.mark.parametrize("limit", [4096, 1])
def test_a_batch_gives_each_case_what_it_gives_alone_byte_for_byte(cases, limit):
    """Both profiles, two dates, every case; the memo full, nearly empty and emptied at each new text."""
    batch = AssessmentBatch(medicine_limit=limit)
    compared = 0
    for as_of in (AS_OF, AS_OF + dt.timedelta(days=400)):
        for profile in ("us", "uk"):
            for case in cases:
                assert _text(batch.assess(case, as_of, profile)) == _text(assess_case(case, as_of, profile)), (
                    case.case_id, profile, as_of)
                compared += 1
    assert compared == 4 * len(cases) >= 240
    assert len(batch.memo.entries) <= limit


def test_assess_many_is_assess_case_of_each_case_in_order(cases):
    for profile in ("us", "uk"):
        many = assess_many(cases, AS_OF, profile)
        assert [_text(a) for a in many] == [_text(assess_case(c, AS_OF, profile)) for c in cases]


def test_a_dose_written_300_and_one_written_300_0_are_two_entries():
    """300 and 300.0 are equal numbers that a caller may hand over differently (the parser
    today reads both as 300.0; a dose is written in the output as given): the one met first
    must never stand for the other, nor -0.0 for 0.0."""
    data = load_medicine_data()
    memo = MedicineMemo()
    for first, second in ((300, 300.0), (300.0, 300), (0.0, -0.0)):
        a, b = memo.entry("gabapentin", first, data), memo.entry("gabapentin", second, data)
        assert repr(a.current.daily_dose_mg) == repr(first) and repr(b.current.daily_dose_mg) == repr(second)
    assert memo.entry("gabapentin", 300, data) is memo.entry("gabapentin", 300, data)
    assert set(memo.entries) == {("gabapentin", "300"), ("gabapentin", "300.0"), ("gabapentin", "0.0"),
                                 ("gabapentin", "-0.0")}


def test_a_name_met_many_times_in_a_batch_is_read_and_suggested_once(cases, monkeypatch):
    """The lever itself: recognition, dose reading and the "did you mean" search run once per
    (name, dose) in a batch; alone, once per medicine per assessment, as before."""
    data = load_medicine_data()
    calls = {"resolve": 0, "suggest": 0, "read": 0}
    real_resolve, real_suggest, real_read = type(data).resolve, type(data).suggest, medications.read_recorded_dose

    def resolve(self, name):
        calls["resolve"] += 1
        return real_resolve(self, name)

    def suggest(self, name):
        calls["suggest"] += 1
        return real_suggest(self, name)

    def read(*a, **k):
        calls["read"] += 1
        return real_read(*a, **k)

    monkeypatch.setattr(type(data), "resolve", resolve)
    monkeypatch.setattr(type(data), "suggest", suggest)
    monkeypatch.setattr(medications, "read_recorded_dose", read)
    texts = {(m.name, repr(m.daily_dose_mg)) for c in cases for m in c.intake.medicines}
    unrecognised = {(m.name, repr(m.daily_dose_mg)) for c in cases for m in c.intake.medicines
                    if not real_resolve(data, m.name)[0]}
    met = sum(len(c.intake.medicines) for c in cases)
    assert met > 1.5 * len(texts)  # the cohort repeats names, as a clinic's list does

    batch = AssessmentBatch()
    for profile in ("us", "uk"):
        for case in cases:
            batch.assess(case, AS_OF, profile)
    in_batch = dict(calls)
    # each distinct text once (a name resolved inside its own dose reading counts there too)
    assert len(texts) <= in_batch["resolve"] < met
    assert in_batch["suggest"] == len(unrecognised) >= 2
    assert in_batch["read"] <= len(texts)

    for k in calls:
        calls[k] = 0
    for profile in ("us", "uk"):
        for case in cases:
            assess_case(case, AS_OF, profile)
    assert calls["resolve"] >= 2 * met  # alone: nothing kept between assessments
    assert calls["suggest"] == 2 * sum(1 for c in cases for m in c.intake.medicines
                                       if (m.name, repr(m.daily_dose_mg)) in unrecognised)


def test_the_memo_keeps_only_what_a_medicines_text_means_and_stays_bounded(cases):
    """Keys are (name, dose as written); each value is what the name and dose alone give
    (worked out again without the memo); at the limit the memo is emptied, never grown; a memo
    met with another loaded data starts again."""
    batch = AssessmentBatch(medicine_limit=5)
    data = load_medicine_data()
    sizes = []
    for case in cases:
        batch.assess(case, AS_OF, "uk")
        sizes.append(len(batch.memo.entries))
        for (name, dose), entry in batch.memo.entries.items():
            m = next(m for c in cases for m in c.intake.medicines if m.name == name and repr(m.daily_dose_mg) == dose)
            assert entry == medications._medicine_entry(name, m.daily_dose_mg, data)
    assert max(sizes) == 5 and min(sizes[10:]) < 5  # it filled and was emptied
    memo = batch.memo
    assert memo.data is data
    from dataclasses import replace

    reloaded = replace(data)
    memo.entry("ibuprofen", 400, reloaded)
    assert memo.data is reloaded and list(memo.entries) == [("ibuprofen", "400")]
    with pytest.raises(ValueError):
        MedicineMemo(0)


def test_the_benchmarks_distinct_cohort_meets_no_medicine_text_and_dose_twice():
    """bench_assess.py prints the batch's figure over this cohort beside the generated one, so
    the repetition of names in the generated cohort cannot hide work."""
    from bench_assess import generate_distinct

    raw = generate_distinct(300)
    keys = [(m.name, repr(m.daily_dose_mg)) for d in raw for m in parse_case(d).intake.medicines]
    assert len(keys) > 500 and len(set(keys)) == len(keys)
    batch = AssessmentBatch()
    for d in raw[:40]:
        case = parse_case(d)
        assert _text(batch.assess(case, AS_OF, "uk")) == _text(assess_case(case, AS_OF, "uk"))
