"""Stacked combining marks and the combining grapheme joiner in new names and identifiers
(red-team rt10 F7 remainder: a name held U+034F and 8 stacked accents).

Written from Unicode: UAX #15 (Unicode Normalization Forms), UAX15-D4 stream-safe text
allows at most 30 non-starters in a row and inserts U+034F COMBINING GRAPHEME JOINER to
break a longer run; the general categories Mn (non-spacing mark) and Me (enclosing mark)
of the Unicode Character Database (:mod:`unicodedata`) are the marks drawn on the letter
before them. A new name or identifier refuses U+034F and more than 4 marks on one letter
(counted on the canonical decomposition); real spelling needs at most 3: Vietnamese 2,
pointed Hebrew 3, a Tibetan stack 3. A stored name holding them stays readable and is
shown as it is (the joiner escaped as ``\\u034f``); ``check --full`` lists it.
"""

from __future__ import annotations

import datetime as dt
import sys
import unicodedata
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.characters import (MAX_MARKS_ON_ONE_LETTER, problem, shown_escaped, stacked_marks,
                                                     typed_text_problem, visible)
from radiculopathy_desktop.domain.intake import ValidationError, parse_case

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import case_dict  # noqa: E402

TODAY = dt.date(2026, 11, 29)
ACUTE, GRAVE, CIRCUMFLEX, TILDE, MACRON, DOT_BELOW = "\u0301", "\u0300", "\u0302", "\u0303", "\u0304", "\u0323"
ZALGO = "Ann" + "".join(chr(c) for c in range(0x0300, 0x0308)) + "X"  # 8 accents on one n (rt10 F7)

#: names whose spelling stacks marks, each accepted as typed (precomposed and decomposed)
SPELLINGS = [
    "Nguy\u1ec5n Th\u1ecb Minh",                  # Vietnamese, precomposed (ễ: e, circumflex, tilde)
    unicodedata.normalize("NFD", "Nguy\u1ec5n Th\u1ecb Minh \u1ec7"),  # the same decomposed: 2 marks
    "\u05e9\u05c1\u05bc\u05b8\u05dc\u05d5\u05b9\u05dd",  # Hebrew shin + shin dot + dagesh + qamats: 3
    "\u0f56\u0f66\u0f92\u0fb2\u0f74\u0f56\u0f66",          # Tibetan sgrub: 2 subjoined letters + vowel u: 3
    "\u0939\u093f\u0928\u094d\u0926\u0940",                # Hindi (marks and a virama): Mn/Mc mixed
    "Zo\u00eb Bront\u00eb", "Alex Example",
]


@pytest.mark.parametrize("name", SPELLINGS)
def test_real_spellings_are_accepted(name):
    assert stacked_marks(name) == []
    data = case_dict("C-1", name=name)
    assert parse_case(data, today=TODAY).patient.name == name


def test_the_limit_is_four_marks_on_one_letter_counted_decomposed():
    assert MAX_MARKS_ON_ONE_LETTER == 4
    assert stacked_marks("e" + ACUTE * 4) == []
    assert stacked_marks("e" + ACUTE * 5) == [(6, 5)]  # the 5th mark is character 6
    # "ệ" is e + dot below + circumflex: 2 marks already
    assert stacked_marks("\u1ec7" + ACUTE + GRAVE) == []
    assert stacked_marks("\u1ec7" + ACUTE + GRAVE + TILDE) == [(4, 5)]
    # marks on two letters are two runs, never added up
    assert stacked_marks("e" + ACUTE * 4 + "a" + ACUTE * 4) == []
    assert stacked_marks("e" + ACUTE * 4 + "a" + ACUTE * 6 + "b") == [(11, 6)]
    # an enclosing mark (Me) counts; a mark whose decomposition is two marks counts two
    assert stacked_marks("a" + "\u20dd" * 5) == [(6, 5)]
    assert stacked_marks("a" + "\u0344" * 2) == []  # U+0344 decomposes to diaeresis + acute: 2 marks each
    assert stacked_marks("a" + "\u0344" * 2 + ACUTE) == [(4, 5)]
    assert stacked_marks("a" + "\u0344" * 3) == [(4, 6)]
    # marks with no letter before them (a name starting with a mark)
    assert stacked_marks(ACUTE * 5) == [(5, 5)]


@pytest.mark.parametrize("field, path", [("patient.name", ("patient", "name")), ("case_id", ("case_id",)),
                                         ("patient.id", ("patient", "id")), ("clinician", ("clinician",))])
def test_a_new_name_or_id_with_stacked_marks_is_refused_naming_the_place(field, path):
    data = case_dict("C-1")
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = ZALGO
    with pytest.raises(ValidationError) as caught:
        parse_case(data, today=TODAY)
    (error,) = [e for e in caught.value.errors if e.field == field]
    assert error.message.startswith(f"{field} holds 8 combining marks (accents) on one letter (character 8)")
    assert "at most 4 are accepted" in error.message
    parse_case(data)  # a stored case holding it stays readable


def test_the_boundary_on_the_intake():
    data = case_dict("C-1", name="Ann" + ACUTE * 4)
    assert parse_case(data, today=TODAY).patient.name == "Ann" + ACUTE * 4
    data = case_dict("C-1", name="Ann" + ACUTE * 5)
    with pytest.raises(ValidationError, match=r"patient.name holds 5 combining marks"):
        parse_case(data, today=TODAY)


def test_the_combining_grapheme_joiner_is_refused_in_names_and_ids_and_kept_in_notes():
    for field in ("patient.name", "clinician"):
        said = problem(field, "Al\u034fex")
        assert said.startswith(f"{field} holds U+034F COMBINING GRAPHEME JOINER (character 3)")
    assert problem("case_id", "C\u034f1", identifier=True).startswith("case_id holds U+034F")
    assert problem("notes", "Al\u034fex", note=True) is None
    data = case_dict("C-1", name="Al\u034fex")
    with pytest.raises(ValidationError, match="U\\+034F COMBINING GRAPHEME JOINER"):
        parse_case(data, today=TODAY)


def test_typed_settings_and_options_refuse_them_too():
    assert typed_text_problem("clinic_name", "Clinic" + ACUTE * 6).startswith("clinic_name holds 6 combining marks")
    assert typed_text_problem("clinic_name", "Clinic\u034f").startswith("clinic_name holds U+034F")


def test_a_note_may_stack_marks():
    assert problem("notes", "n" + ACUTE * 8, note=True) is None


def test_stored_ones_are_shown_as_they_are_but_the_joiner_escaped():
    assert visible(ZALGO) == ZALGO and shown_escaped(ZALGO) == ZALGO
    assert shown_escaped("Al\u034fex") == "Al\\u034fex"


FOUR = "".join(chr(c) for c in range(0x0300, 0x0304))


@pytest.mark.parametrize("joiner", ["\u200d", "\u200c"])
def test_a_joiner_between_marks_does_not_restart_the_count(joiner):
    """rt12 F16: ZWJ/ZWNJ are Extend in a grapheme cluster (UAX #29), so marks after one
    stand on the same letter; 4 + joiner + 4 is 8 on one letter, 4 + joiner + 1 is 5 (the
    first past the limit, character 9, is named), 3 + joiner + 1 is 4 (accepted)."""
    assert stacked_marks("Ana" + FOUR + joiner + FOUR) == [(9, 8)]
    assert stacked_marks("Ana" + FOUR + joiner + "\u0300") == [(9, 5)]
    assert stacked_marks("Ana" + FOUR[:3] + joiner + "\u0300") == []
    assert stacked_marks("Ana" + FOUR + joiner) == []  # a joiner after 4 marks adds none
    said = problem("patient.name", "Ana" + FOUR + joiner + FOUR)
    assert said.startswith("patient.name holds 8 combining marks (accents) on one letter (character 9)")
    data = case_dict("C-1", name="Ana" + FOUR + joiner + FOUR)
    with pytest.raises(ValidationError, match="8 combining marks"):
        parse_case(data, today=TODAY)


@pytest.mark.parametrize("name", [
    "\u0915\u094d\u200d\u0937",  # Devanagari KA, VIRAMA, ZWJ, SSA: the joiner after a virama (UAX #31 2.3)
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian: ZWNJ breaking a cursive join
    "\u0dc1\u0dca\u200d\u0dbb\u0dd3",  # Sinhala SHA, AL-LAKUNA, ZWJ, RA, vowel sign II (sri)
])
def test_joiners_between_letters_still_end_the_letter(name):
    assert stacked_marks(name) == [] and problem("patient.name", name) is None
