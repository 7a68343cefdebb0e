"""The naming rule of a profile (uk: acetaminophen -> paracetamol) words the medicine data's own
texts once, when the rules are compiled, and tests for a renamed word with Python's substring
test instead of a regular-expression scan (issue 17, asm23): every text comes out in the same
words as the rule gives it afresh, and a recorded name kept as typed is still kept.

No clinical rule changed: these tests hold the learned rule against the rule as it words a
text afresh (the reference), so no primary source is quoted.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
from pathlib import Path

import pytest

from radiculopathy_desktop.domain import medications as m
from radiculopathy_desktop.domain.assess import AssessmentBatch
from radiculopathy_desktop.domain.intake import parse_case

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_assess import generate  # noqa: E402

AS_OF = dt.date(2026, 11, 21)


def _fresh(names: m.ProfileNames) -> m.ProfileNames:
    """The same naming rule, made anew: nothing learned, every text worded by the pattern."""
    return m.ProfileNames(names.names)


def _uk() -> m.ProfileNames:
    from radiculopathy_desktop.domain.guideline import load_guideline

    data = m.load_medicine_data()
    m._compiled_rules(data)  # the rules compiled, as the first assessment does
    load_guideline("uk")  # loaded (and cached) with the real naming rule, before any test replaces its pattern
    return data.profile_names["uk"]


class _NoPattern:
    """A pattern that must not be used: a learned text is looked up, not matched again."""

    def sub(self, *_args):
        raise AssertionError("the pattern ran over a text of the medicine data")


def _table_texts(report: m.MedicationReport) -> list[str]:
    texts = []
    for r in report.rows:
        texts += [x for x in (r.label, r.class_label, r.usual_dose_range, r.adjusted_dose_range, r.label_max_note,
                              r.adjustment_reason, r.duration_note) if x]
        texts += [x.text for x in r.reasons]
    texts += [i.text for i in report.interactions] + [n.text for n in report.current_notes]
    texts += [c.text for c in report.dose_checks]
    return texts


def test_the_data_texts_holding_a_renamed_word_are_worded_once_and_the_same_as_afresh():
    names = _uk()
    fresh = _fresh(names)
    data_texts = [t for t in m._data_texts(m.load_medicine_data()) if t]
    holding = [t for t in data_texts if "acetaminophen" in t.lower()]
    # the data holds many texts naming acetaminophen (labels, dose ranges, rules, interactions)
    assert len(holding) > 20
    learned = names._known
    # every data text the rule would rename is learned, in the words the rule gives it afresh
    for t in data_texts:
        if fresh.text(t) != t:
            assert learned[t] == fresh.text(t), t
    assert all(learned[t] == fresh.text(t) for t in learned)
    assert "Acetaminophen (paracetamol)" in learned and learned["Acetaminophen (paracetamol)"] == "Paracetamol"


def test_a_learned_text_is_looked_up_without_running_the_pattern(monkeypatch):
    names = _uk()
    monkeypatch.setattr(names, "_pattern", _NoPattern())
    # the medicine table (the pathway's own texts are the guideline's, not learned)
    report = m.assess_medications(parse_case({**generate(1, seed=3)[0], "medicines": []}).intake, AS_OF, profile="uk")
    row = next(r for r in report.rows if r.drug == "acetaminophen")
    assert row.label == "Paracetamol" and "acetaminophen" not in " ".join(_table_texts(report)).lower()


def test_a_text_of_a_patient_is_never_learned_and_is_worded_by_the_pattern():
    names = _uk()
    before = dict(names._known)
    batch = AssessmentBatch()
    for i, case in enumerate(parse_case(d) for d in generate(40, seed=29)):
        batch.assess(case, AS_OF, profile="uk")
    assert names._known == before  # what was learned is the data's, unchanged by the patients assessed
    text = "CrCl 41.7 mL/min: acetaminophen up to 3 g a day (Acetaminophen 500 mg)."
    assert text not in names._known
    assert names.text(text) == _fresh(names).text(text) == \
        "CrCl 41.7 mL/min: paracetamol up to 3 g a day (Paracetamol 500 mg)."


@pytest.mark.parametrize("recorded", [["acetaminophen"], ["Acetaminophen 500mg", "warfarin"], ["ACETAMINOPHEN wibble"]])
def test_a_recorded_name_kept_as_typed_is_still_kept_in_a_learned_text(recorded):
    """With a recorded name to keep (rt17 F8), a text quoting it keeps it as typed: the learned
    words (made with nothing to keep) are not used for it."""
    names = _uk()
    keeping = names.keeping(recorded)
    assert keeping is not names
    reference = _fresh(names).keeping(recorded)
    for t in [*names._known, f"Taking {recorded[0]}: acetaminophen (paracetamol) up to 4 g."]:
        assert keeping.text(t) == reference.text(t), t
    # "Acetaminophen (paracetamol)", the row label, quotes the recorded name whatever the capitals
    assert keeping.text("Acetaminophen (paracetamol)") == reference.text("Acetaminophen (paracetamol)")


def test_every_text_of_generated_uk_tables_is_worded_as_the_rule_words_it_afresh():
    """Thousands of texts: every text of the medicine table of 300 generated patients (and names
    typed to keep) on two dates, each worded by the learned rule, with and without names to keep,
    against the same rule made afresh."""
    names = _uk()
    fresh = _fresh(names)
    data = m.load_medicine_data()
    saved = dict(data.profile_names)
    cases = [parse_case(d) for d in generate(300, seed=41)]
    texts: list[str] = []
    try:
        data.profile_names.pop("uk")  # the tables before renaming: every text as the data words it
        for case in cases:
            for as_of in (AS_OF, AS_OF + dt.timedelta(days=300)):
                texts += _table_texts(m.assess_medications(case.intake, max(as_of, case.intake.visit_date),
                                                           profile="uk"))
    finally:
        data.profile_names.clear()
        data.profile_names.update(saved)
    compared = renamed = 0
    for keep in ([], ["acetaminophen"], ["Tylenol", "Acetaminophen 500mg"]):
        rule, reference = names.keeping(keep), fresh.keeping(keep)
        for t in texts:
            got = rule.text(t)
            assert got == reference.text(t), (keep, t)
            compared += 1
            renamed += got != t
    assert compared > 10000 and renamed > 1000


@pytest.mark.parametrize("parts", [("cetaminophen",), ("cetaminophen", "buprofen"), ("a", "b-c", "\n")])
def test_the_substring_test_finds_what_the_search_for_the_parts_finds(parts):
    test = m._substring_test(parts)
    search = re.compile("|".join(map(re.escape, parts))).search
    rng = random.Random(23)
    alphabet = "aAcetminophen (Pparcl)-_\né ibuprofenB" + "".join(parts)
    texts = ["", *parts, *(p[:-1] for p in parts), *(p.upper() for p in parts)]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(5000)]
    texts += [rng.choice(["", "x", " ", "-"]) + rng.choice(parts) + rng.choice(["", "s", "\n"]) for _ in range(500)]
    found = 0
    for text in texts:
        expected = search(text) is not None
        assert test(text) is expected, text
        found += expected
    assert 500 < found < len(texts)
    assert m._substring_test(()) is None


def test_a_profile_that_renames_nothing_learns_nothing():
    names = m.ProfileNames({})
    names.learn(["acetaminophen", "Acetaminophen (paracetamol)"])
    assert names._known == {} and names.text("acetaminophen") == "acetaminophen"
