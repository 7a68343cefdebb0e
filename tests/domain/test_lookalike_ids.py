"""Ids that look the same (ids13 left them: an all-Cyrillic copy of a Latin id passes the
mixed-script rule). UTS #39 Unicode Security Mechanisms, section 4 "Confusable Detection":
skeleton(X) is NFD(X), each character replaced by its prototype from confusables.txt, then NFD
again; X and Y are confusable when their skeletons are equal. The expected prototypes below are
lines of confusables.txt 14.0.0 (the Unicode version of Python 3.11), quoted in each case."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from radiculopathy_desktop.domain.characters import LookalikeIds, NewIdCheck, lookalike_message, skeleton, skeletons
from radiculopathy_desktop.resources import resource_path


@pytest.mark.parametrize("source, prototype", [
    ("\u0415", "E"),  # 0415 ; 0045 ; MA # CYRILLIC CAPITAL LETTER IE -> LATIN CAPITAL LETTER E
    ("\u0425", "X"),  # 0425 ; 0058 ; MA # CYRILLIC CAPITAL LETTER HA -> LATIN CAPITAL LETTER X
    ("\u0395", "E"),  # 0395 ; 0045 ; MA # GREEK CAPITAL LETTER EPSILON
    ("\u03a7", "X"),  # 03A7 ; 0058 ; MA # GREEK CAPITAL LETTER CHI
    ("\u0420", "P"),  # 0420 ; 0050 ; MA # CYRILLIC CAPITAL LETTER ER
    ("\u0422", "T"),  # 0422 ; 0054 ; MA # CYRILLIC CAPITAL LETTER TE
    ("1", "l"),  # 0031 ; 006C ; MA # DIGIT ONE -> LATIN SMALL LETTER L
    ("I", "l"),  # 0049 ; 006C ; MA # LATIN CAPITAL LETTER I -> LATIN SMALL LETTER L
    ("0", "O"),  # 0030 ; 004F ; MA # DIGIT ZERO -> LATIN CAPITAL LETTER O
    ("m", "rn"),  # 006D ; 0072 006E ; MA # LATIN SMALL LETTER M -> R, N
    ("A", "A"), ("2", "2"), ("-", "-"),  # no line: the character is its own prototype
])
def test_each_character_maps_to_its_prototype_in_unicodes_table(source, prototype):
    assert skeleton(source) == prototype


def test_the_table_is_unicodes_confusables_of_pythons_unicode_version():
    text = resource_path("unicode", "confusables.txt").read_text(encoding="utf-8")
    assert "version 14.0.0" in text and unicodedata.unidata_version == "14.0.0"
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert len(rows) == 6311  # every MA line of confusables.txt 14.0.0
    assert "0415;0045" in rows and "006D;0072 006E" in rows


@pytest.mark.parametrize("a, b", [
    ("EX-1", "\u0415\u0425-1"),  # all-Cyrillic E, X: the example of the issue
    ("EX-1", "\u0395\u03a7-1"),  # all-Greek
    ("PT-100", "\u0420\u0422-100"),
    ("EX-1", "EX-l"), ("EX-1", "EX-I"), ("P-10", "P-lO"),  # digits and letters alike
    ("arm-1", "arrn-1"),
    ("JOS\u00c9-1", "JOSE\u0301-1"),  # composed and decomposed: NFD first
])
def test_ids_that_look_the_same_have_one_skeleton(a, b):
    assert a != b and skeleton(a) == skeleton(b)


@pytest.mark.parametrize("a, b", [
    ("EX-1", "EX-2"), ("EX-1", "EX-11"), ("EX-1", "ex-1"),  # capitals: the capitals warning says these
    ("EX-1", "\u0416\u0425-1"),  # CYRILLIC ZHE has no Latin prototype
    ("JOSE-1", "JOS\u00c9-1"),  # an accent is a difference that shows
    ("P-10", "P-1O0"),  # one character more
])
def test_ids_that_differ_visibly_have_different_skeletons(a, b):
    assert skeleton(a) != skeleton(b)


def test_the_same_id_is_never_its_own_lookalike_and_a_copy_names_the_stored_one():
    ids = LookalikeIds(["EX-1", "PT-100"])
    assert ids.lookalike("EX-1") is None  # the same patient's new case: its own ID again
    assert ids.lookalike("EX-2") is None
    assert ids.lookalike("\u0415\u0425-1") == "EX-1"
    assert ids.lookalike("PT-1OO") == "PT-100"
    assert len(ids) == 2


def test_one_files_new_ids_are_checked_among_themselves_and_by_kind():
    check = NewIdCheck(patient_ids=["PT-100"], case_ids=["EX-1"])
    assert check.problems("PT-100", "EX-2") == []  # a stored patient's new case
    assert check.problems("PT-200", "EX-3") == []
    # a copy of a case ID given two cases earlier in the same file
    (found,) = check.problems("PT-300", "\u0415\u0425-3")
    assert found[0] == "case_id" and "the case ID EX-3 already in the tracker" in found[1]
    # a patient ID and a case ID are two kinds: a case ID alike a patient ID is no problem
    assert check.problems("PT-400", "PT-1OO") == []
    both = check.problems("\u0420\u0422-200", "\u0415\u0425-2")
    assert [f for f, _m in both] == ["patient.id", "case_id"]


def test_the_message_names_both_ids_and_the_characters_that_differ():
    message = lookalike_message("patient ID", "\u0420\u0422-100", "PT-100")
    assert message.startswith("patient ID \u0420\u0422-100 looks the same as the patient ID PT-100 already in the tracker")
    assert "U+0420 CYRILLIC CAPITAL LETTER ER; U+0422 CYRILLIC CAPITAL LETTER TE" in message
    assert "Type PT-100 if you mean that one" in message
    ascii_ = lookalike_message("case ID", "EX-l", "EX-1")
    assert "(U+006C LATIN SMALL LETTER L)" in ascii_


@given(st.lists(st.text(max_size=12)))
def test_the_skeletons_of_many_ids_at_once_are_each_ids_skeleton(texts):
    """The one-pass form used for every stored id (line breaks included: done one by one)."""
    assert skeletons(texts) == [skeleton(t) for t in texts]


def test_the_skeletons_at_once_of_ids_alike_and_not():
    ids = ["EX-1", "\u0415\u0425-1", "arm", "5%", "JOSE\u0301", "\u03a3\u039f\u03a3", "x"]
    assert skeletons(ids) == [skeleton(i) for i in ids] and skeletons(ids)[0] == skeletons(ids)[1]
