"""The uk naming pass applied once, before the medicine report is made (issue 17): the same
report as renaming the finished report's every text, as the pass did before."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from radiculopathy_desktop.domain import medications as m
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.resources import resource_path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_assess import generate  # noqa: E402


def _renamed_after(report: m.MedicationReport, names: m.ProfileNames) -> m.MedicationReport:
    """The reference: every text of the finished report renamed, item by item (the pass of
    round 13, before issue 17's step)."""
    t = names.text

    def row(r):
        return r._replace(label=t(r.label), class_label=t(r.class_label), usual_dose_range=t(r.usual_dose_range),
                          adjusted_dose_range=t(r.adjusted_dose_range), label_max_note=t(r.label_max_note),
                          adjustment_reason=t(r.adjustment_reason), duration_note=t(r.duration_note),
                          reasons=tuple(x._replace(text=t(x.text)) for x in r.reasons))

    return replace(report, rows=tuple(row(r) for r in report.rows), profile_names=names,
                   interactions=tuple(i._replace(text=t(i.text)) for i in report.interactions),
                   current_notes=tuple(n._replace(text=t(n.text)) for n in report.current_notes),
                   dose_checks=tuple(c._replace(text=t(c.text)) for c in report.dose_checks))


def _intakes():
    cases = [parse_case(d) for d in generate(400, seed=11)]
    cases += [parse_case(__import__("json").loads(p.read_text()))
              for p in sorted(resource_path("examples").glob("*.json"))]
    # names as typed that the rule must keep (rt17 F8), and paracetamol in a combination product
    extra = generate(60, seed=5)
    for i, d in enumerate(extra):
        d["medicines"] = [{"name": n, "daily_dose_mg": 1000} for n in (
            ["Acetaminophen 500mg", "ibuprofen"], ["acetaminophen", "warfarin"], ["co-codamol 30/500", "tramadol"],
            ["ACETAMINOPHEN wibble", "naproxen", "sertraline"], ["paracetamol", "acetaminophen"])[i % 5]]
    return cases + [parse_case(d) for d in extra]


def test_the_naming_pass_gives_the_report_renaming_every_text_after_it_was_made():
    data = m.load_medicine_data()
    names = data.profile_names["uk"]
    changed_rows = changed_reasons = kept_as_typed = 0
    for case in _intakes():
        intake = case.intake
        for as_of in (dt.date(2026, 11, 21), dt.date(2027, 6, 1)):
            as_of = max(as_of, intake.visit_date)
            got = m.assess_medications(intake, as_of, profile="uk")
            before = _report_of(intake, as_of, data)
            recorded = [x.name for x in before.current_medicines]
            rule = names.keeping(recorded)
            reference = _renamed_after(before, rule)
            # the naming rule kept on the report (no __eq__: the same rule, keeping the same names)
            assert got.profile_names.names == rule.names and got.profile_names._keep == rule._keep
            assert got == replace(reference, profile_names=got.profile_names)
            assert got.to_dict() == reference.to_dict()
            assert [type(r) for r in got.rows] == [type(r) for r in reference.rows]
            changed_rows += sum(a != b for a, b in zip(got.rows, before.rows))
            changed_reasons += sum(a.reasons != b.reasons for a, b in zip(got.rows, before.rows))
            kept_as_typed += got.profile_names is not names
            # a profile that renames nothing: no naming rule on the report, the texts as made
            assert m.assess_medications(intake, as_of, profile="us").profile_names is None
    # the walk renamed rows and reasons, and kept recorded names as typed, many times
    assert changed_rows > 100 and changed_reasons > 50 and kept_as_typed > 20


def _report_of(intake, as_of, data) -> m.MedicationReport:
    """The uk report before renaming: the uk table with a naming rule that renames nothing."""
    saved = dict(data.profile_names)
    try:
        data.profile_names.pop("uk")
        return m.assess_medications(intake, as_of, profile="uk")
    finally:
        data.profile_names.clear()
        data.profile_names.update(saved)


@pytest.mark.parametrize("text, found", [
    ("", False), (None, False), ("Ibuprofen", False), ("acetaminophen", True), ("Acetaminophen 1 g", True),
    ("ACETAMINOPHEN", False),  # the rule renames lower-case and capitalised words only
    ("cetaminophen", True),  # the test is a substring test: the pattern then decides
    ("x\nAcetaminophen", True)])
def test_mentions_is_the_substring_test_of_the_renamed_words_tails(text, found):
    names = m.ProfileNames({"acetaminophen": "paracetamol"})
    assert names.mentions(text) is found
    assert m.ProfileNames({}).mentions(text) is False


def test_a_uk_report_is_made_once_with_its_texts_already_renamed(monkeypatch):
    """Renaming the texts before the report is made, not by copying the finished report
    (the copy, ``dataclasses.replace``, built a second report per uk assessment)."""
    made = []
    init = m.MedicationReport.__init__

    def counting(self, *args, **kwargs):
        made.append(kwargs.get("profile_names"))
        init(self, *args, **kwargs)

    monkeypatch.setattr(m.MedicationReport, "__init__", counting)
    intake = parse_case({**generate(1, seed=3)[0], "medicines": []}).intake
    report = m.assess_medications(intake, dt.date(2026, 11, 21), profile="uk")
    assert len(made) == 1 and made[0] is report.profile_names
    assert [r.label for r in report.rows if r.drug == "acetaminophen"] == ["Paracetamol"]


def test_the_whole_word_pattern_finds_what_the_pattern_testing_the_character_before_first_finds():
    """``_whole_words`` moves the test of the character before a word after the word's first
    letter (so the engine can skip to first letters); it finds the same spans, in the same
    order of preference, as ``(?<!C)(?:w1|w2|...)(?!C)``, on the naming rule's words, on
    every text of the medicine table for generated patients, and on generated texts around the words."""
    import random
    import re

    names = m.ProfileNames({"acetaminophen": "paracetamol", "ibuprofen": "brufen"})
    words = sorted(names._table, key=len, reverse=True)
    reference = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, words)) + r")(?![\w-])")
    fast = m._whole_words(words, r"[\w-]")
    assert fast.pattern.startswith("(?:a(?<![\\w-]a)cetaminophen\\ \\(")
    rng = random.Random(17)
    texts = []
    for case in _intakes()[:120]:
        report = _report_of(case.intake, max(dt.date(2026, 11, 21), case.intake.visit_date), m.load_medicine_data())
        for r in report.rows:
            texts += [x for x in (r.label, r.class_label, r.usual_dose_range, r.adjusted_dose_range, r.label_max_note,
                                  r.adjustment_reason, r.duration_note) if x]
            texts += [x.text for x in r.reasons]
        texts += [i.text for i in report.interactions] + [n.text for n in report.current_notes]
    around = ["", " ", "-", "_", "x", "é", "\n", "(", ")", "s", "1"]
    texts += [rng.choice(around) + rng.choice(words) + rng.choice(around) + rng.choice(words) + rng.choice(around)
              for _ in range(5000)]
    texts += ["".join(rng.choice("aAcetminophen (Pparcl)-_\né ibuprofenB") for _ in range(rng.randint(0, 40)))
              for _ in range(20000)]
    found = 0
    for text in texts:
        spans = [(x.span(), x.group(0)) for x in reference.finditer(text)]
        assert [(x.span(), x.group(0)) for x in fast.finditer(text)] == spans, text
        found += bool(spans)
    assert found > 3000 and len(texts) > 30000
