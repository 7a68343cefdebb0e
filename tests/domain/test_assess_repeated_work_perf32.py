"""Work done once per loaded medicine data instead of on every assessment (issue 17, perf32).

Three things an assessment used to redo for each recorded medicine or each patient:

* the patch and other-form brand names ("butrans", "belbuca") were each escaped and looked
  up in ``re``'s cache on every name read: now one pattern per set of names, compiled once;
* :func:`dose_in_name.spell`'s and :func:`dose_in_name.dash_pairs`' patterns, likewise;
* every ``[[current]]`` note was asked whether it names one of the patient's medicines: now
  only the notes about a class the patient takes a medicine of are asked.

What they decide must not change: a patch brand is found as a whole word (with a number
typed on to it) and nowhere else, and a note is left out only when it could not name any of
the patient's medicines. The outputs over a generated cohort are pinned byte for byte by
tests/cli/test_assess_speed_golden.py.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest

from radiculopathy_desktop.domain import medications
from radiculopathy_desktop.domain.dose_in_name import dash_pairs, spell
from radiculopathy_desktop.domain.intake import parse_case
from radiculopathy_desktop.domain.medications import PatchForms, load_medicine_data

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data():
    return load_medicine_data()


def _one_name_at_a_time(text: str, names) -> bool:
    """The rule as it was written: each name in turn, as a whole word, a number typed on allowed."""
    return any(re.search(rf"(?<![a-z]){re.escape(n)}(?![a-z])", text) for n in names)


def test_patch_brand_found_as_a_whole_word_with_a_number_typed_on(data):
    forms = data.patch_forms
    assert "butrans" in forms.names
    for text in ("butrans 10", "butrans5", "butrans-10 patch", "(butrans) 5", "2 x butrans"):
        assert PatchForms._has_name(text, forms.names), text
    for text in ("abutrans 10", "butransx", "butran 5", ""):
        assert not PatchForms._has_name(text, forms.names), text
    assert not PatchForms._has_name("butrans 10", ())  # no names: nothing found


def test_every_data_name_is_found_where_it_was_found_one_at_a_time(data):
    """Each of the data's patch, other-form and generic names, as typed beside letters, numbers and
    other names: the one pattern finds a name exactly where asking name by name did."""
    forms = data.patch_forms
    sets = [forms.names, forms.other_form_names, forms.generics]
    every = sorted({n for s in sets for n in s})
    assert len(every) > 20
    found = 0
    for name in every:
        for before in ("", "x", "2", "(", "a "):
            for after in ("", "5", "s", " 25", "-10", "/h", " " + every[0], ")"):
                for cut in (len(name), len(name) - 1):
                    text = before + name[:cut] + after
                    for names in sets:
                        expected = _one_name_at_a_time(text, names)
                        assert PatchForms._has_name(text, names) == expected, (text, names)
                        found += expected
    assert found > 100  # the texts reach both answers


@pytest.mark.parametrize(("typed", "spelled"), [
    ("Co-codamol 30 / 500", "co-codamol 30/500"),
    ("Sertraline .5mg b.i.d.", "sertraline 0.5mg bid"),
    ("Tylenol no. 3", "tylenol no 3"),
    ("Tylenol #  3", "tylenol #3"),
    ("co-codamol 30/500-caps", "co-codamol 30/500 caps"),
    ("ibuprofen 37.5 mg", "ibuprofen 37.5 mg"),
])
def test_spelling_of_a_typed_name(data, typed, spelled):
    assert spell(typed, data.name_reading) == spelled


def test_dash_between_numbers_found(data):
    found = dash_pairs("co-codamol 30-500 tablets", data.name_reading)
    assert [(m.group(1), m.group(2)) for m in found] == [("30", "500")]
    assert dash_pairs("co-codamol 30 tablets", data.name_reading) == []


def _cohort(n: int):
    spec = importlib.util.spec_from_file_location("bench_assess", ROOT / "benchmarks" / "bench_assess.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [parse_case(d) for d in module.generate(n, seed=31)]


def test_a_note_is_left_out_only_when_it_could_name_none_of_the_patients_medicines(data):
    """Over a generated cohort in both profiles: every note that names a medicine of the patient is
    among the notes asked, in the data's order; at least some patients have notes, and some notes
    are skipped."""
    as_of = dt.date(2026, 11, 21)
    named = skipped = 0
    for i, case in enumerate(_cohort(150)):
        profile = "uk" if i % 2 else "us"
        facts = medications._facts(case.intake, as_of, None, data, profile)
        asked = medications._notes_of_classes(facts, data)
        order = [data.current_notes.index(note) for note in asked]
        assert order == sorted(order)
        for note in data.current_notes:
            if medications._note_names(note, facts, data):
                named += 1
                assert note in asked, (case.case_id, note.id)
        skipped += len(data.current_notes) - len(asked)
    assert named > 20 and skipped > 0


def test_each_injected_form_word_marks_a_medicine_as_not_by_mouth(data):
    """The data's injected-form words (a pattern now made once per loaded data): each, written after a
    dose, says the medicine is given by injection; as part of a longer word it does not."""
    assert data.injected_words
    for word in sorted(data.injected_words):
        said = data.not_by_mouth(f"morphine 10mg {word}")
        assert said.startswith("given by injection"), (word, said)
        assert data.not_by_mouth(f"morphine 10mg x{word}x") == "", word
    assert data.not_by_mouth("morphine 10mg") == ""
