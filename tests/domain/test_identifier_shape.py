"""What a NEW identifier (case_id, patient.id) may not hold besides hidden characters
(red-team rt12 F5 and the rest of ids12's list), each rule with the character just inside
and just outside it, and the printed/exported form of stored text (rt12 F12).

* a backslash: the shown form writes it doubled, so a stored ``EX\\1`` is shown as the
  text of another valid id ``EX\\\\1`` (rt12 F5); ids need none. A name keeps it.
* two spaces in a row (one space is fine); a name keeps them.
* U+0640 ARABIC TATWEEL (a stretched joining line, no letter); Arabic letters are fine.
* a combining mark on no letter (after a digit, a sign, a space); a mark on a letter is fine.
* letters of two scripts UTS #39 5.2 "Moderately Restrictive" does not allow together:
  Latin with Cyrillic or Greek (look-alike letters); Latin with one other script (Arabic,
  Devanagari) and the CJK sets (Latin + Han + Hiragana + Katakana) are allowed.
* a non-ASCII sign (punctuation or symbol: U+02D7, U+2043, U+2796, U+00B7), or a
  stroke-shaped CJK letter (U+30FC, U+4E00, U+3161) among letters that are otherwise all
  Latin: each passes for the "-" of ``EX-ROUTINE-L5`` (rt13 F6); the keyboard's own signs
  and those letters among other CJK letters are fine.

Stored ids (read without ``today``) still read, and are shown as before.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from radiculopathy_desktop.domain.characters import (ESCAPED_IN_NOTES, identifier_shape, mixed_scripts, printed, problem, unprinted,
                                                     visible_id)
from radiculopathy_desktop.domain.intake import ValidationError, parse_case

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import case_dict  # noqa: E402

TODAY = dt.date(2026, 11, 30)

REFUSED = [
    ("EX\\1", "a backslash (\\) (character 3)"),
    ("\\", "a backslash (\\) (character 1)"),
    ("C:\\users", "a backslash (\\) (character 3)"),
    ("EX  1", "two spaces in a row (character 4)"),
    ("EX   1", "two spaces in a row (character 4)"),
    ("EX-\u0633\u0640\u0639", "U+0640 ARABIC TATWEEL (character 5)"),
    ("P-\u0301", "U+0301 COMBINING ACUTE ACCENT on no letter (character 3)"),
    ("EX-1\u0336", "U+0336 COMBINING LONG STROKE OVERLAY on no letter (character 5)"),
    ("EX \u0301", "U+0301 COMBINING ACUTE ACCENT on no letter (character 4)"),
    ("EX-1\u20e3", "U+20E3 COMBINING ENCLOSING KEYCAP on no letter (character 5)"),
    ("\u0415X-1", "letters of Cyrillic and Latin mixed in one id"),
    ("EX-\u0391", "letters of Greek and Latin mixed in one id"),
    ("\u0391\u0392-\u0416", "letters of Cyrillic and Greek mixed in one id"),
    ("EX-\u0633-\u0416", "letters of Arabic and Cyrillic and Latin mixed in one id"),
    # rt13 F6: signs and stroke-shaped letters that pass for "-" beside EX-ROUTINE-L5
    ("EX\u02d7ROUTINE\u02d7L5", "U+02D7 MODIFIER LETTER MINUS SIGN, which looks like a keyboard sign (character 3)"),
    ("EX\u2043ROUTINE", "U+2043 HYPHEN BULLET, which looks like a keyboard sign (character 3)"),
    ("EX\u2796ROUTINE", "U+2796 HEAVY MINUS SIGN, which looks like a keyboard sign (character 3)"),
    ("EX\u00b71", "U+00B7 MIDDLE DOT, which looks like a keyboard sign (character 3)"),
    ("EX\u30fcROUTINE", "U+30FC KATAKANA-HIRAGANA PROLONGED SOUND MARK, which looks like a keyboard sign"),
    ("EX\u4e00ROUTINE\u4e00L5", "U+4E00 CJK UNIFIED IDEOGRAPH-4E00, which looks like a keyboard sign"),
    ("EX\u3161ROUTINE", "U+3161 HANGUL LETTER EU, which looks like a keyboard sign"),
]

ACCEPTED = [
    "EX/1", "EX-1", "EX 1", "EX 1 A", "EX-\u0633\u0639",  # Latin + Arabic letters, no tatweel
    "JOS\u00c9-1",  # the composed accent on a letter
    "\u0930\u093e\u092e-1",  # Devanagari: a vowel sign (Mc) on its letter
    "\u0928\u093f\u0924\u093f\u0928",  # Devanagari with Mc and Mn signs
    "\u0415\u0425-1",  # all Cyrillic: one script (whole-script look-alikes are the episode rule's)
    "\u0391\u0392-1",  # all Greek
    "EX-\u5c71\u7530-\u3072\u30ab",  # Latin + Han + Hiragana + Katakana (Japanese)
    "EX-\u5c71-\ud55c",  # Latin + Han + Hangul (Korean)
    "EX-\u0939\u093f",  # Latin + Devanagari
    # rt13 F6 boundaries: the stroke-shaped letters are letters among other CJK letters
    "\u5f20\u4e00",  # Zhang Yi: Han "one" in a Chinese id
    "EX-\u5f20\u4e00",  # Latin + Han, another Han letter beside it
    "\u30bf\u30ca\u30ab\u30fc1",  # the prolonged sound mark in a katakana id
    "EX-1_A.B/C",  # the keyboard's own signs
]


@pytest.mark.parametrize("field", ["case_id", "patient.id"])
@pytest.mark.parametrize("typed, said", REFUSED)
def test_a_new_identifier_refuses_each_rule_naming_the_character(typed, said, field):
    data = case_dict("C-1")
    (data if field == "case_id" else data["patient"])[field.split(".")[-1]] = typed
    with pytest.raises(ValidationError) as err:
        parse_case(data, today=TODAY)
    assert f"{field} holds {said}" in str(err.value)
    stored = parse_case(data)  # an id stored by an older tracker still reads
    assert (stored.case_id if field == "case_id" else stored.patient.id) == typed


@pytest.mark.parametrize("typed", ACCEPTED)
def test_the_character_just_inside_each_rule_is_accepted(typed):
    assert problem("case_id", typed, identifier=True) is None
    assert identifier_shape(typed) == []
    data = case_dict("C-1")
    data["case_id"] = data["patient"]["id"] = typed
    assert parse_case(data, today=TODAY).case_id == typed


@pytest.mark.parametrize("name", ["Ana\\Lopez", "\u0633\u0640\u0639\u064a\u062f",
                                  "Jos\u00e9 \u0418\u0432\u0430\u043d\u043e\u0432", "Ana-\u0301"])
def test_a_name_keeps_what_an_id_refuses(name):
    """A name is not a key: a backslash, a tatweel, a Latin + Cyrillic name (a patient with
    a name in two alphabets) and a mark after a sign are kept as typed."""
    assert problem("patient.name", name) is None
    data = case_dict("C-1", name=name)
    assert parse_case(data, today=TODAY).patient.name == name


@pytest.mark.parametrize("typed, read", [
    ("Ana  Lopez", "Ana Lopez"), ("Ana   Maria  Lopez", "Ana Maria Lopez"),
    ("Ana Lopez", "Ana Lopez"),  # one space: as typed (boundary)
    ("Ana\u00a0\u00a0Lopez", "Ana\u00a0\u00a0Lopez"),  # no-break spaces are not the slip this is about
])
def test_two_spaces_in_a_name_are_read_as_one_new_or_stored(typed, read):
    """A double space typed by accident in a name is read as one (never refused: a name is not
    a key), so the name is stored, searched and printed as the clinician meant it; an id
    refuses it instead (above)."""
    assert problem("patient.name", typed) is None
    data = case_dict("C-1", name=typed)
    assert parse_case(data, today=TODAY).patient.name == read
    assert parse_case(data).patient.name == read  # a stored one reads the same


def test_the_backslash_message_says_why_and_what_to_do():
    said = problem("case_id", "EX\\1", identifier=True)
    assert said.startswith("case_id holds a backslash (\\) (character 3)")
    assert "EX\\1 is shown EX\\\\1, which is also an id of its own" in said
    assert "type the id again without it" in said
    # a typed escape keeps its own, more precise message
    assert "how the app shows a hidden character" in problem("case_id", "EX\\u202e1", identifier=True)


def test_a_stored_backslash_id_is_still_shown_doubled():
    assert visible_id("EX\\1") == "EX\\\\1" and visible_id("EX\\\\1") == "EX\\\\\\\\1"


def test_mixed_scripts_names_the_scripts_only_when_refused():
    assert mixed_scripts("EX-1") == () and mixed_scripts("\u0415\u0425") == ()
    assert mixed_scripts("E\u0425") == ("CYRILLIC", "LATIN")
    assert mixed_scripts("\u0633\u0939") == ("ARABIC", "DEVANAGARI")  # two scripts, neither Latin


# ---------------------------------------------------------------- printed form (rt12 F12)
@pytest.mark.parametrize("stored, want", [
    ("Ana\\Lopez", "Ana\\Lopez"),  # as stored: nothing to tell apart
    ("C:\\users", "C:\\users"),
    ("EX\\", "EX\\"),  # a trailing backslash
    ("EX\\u202", "EX\\u202"),  # three hex digits: not an escape (boundary)
    ("EX\\u202e1", "EX\\\\u202e1"),  # four: would read as an escape, so doubled
    ("EX\\U0001f600", "EX\\\\U0001f600"),
    ("EX\\uZZZZ", "EX\\uZZZZ"),
    ("A\\\\B", "A\\\\\\B"),  # before another backslash: doubled; the last one as it is
    ("Sam\u202eX", "Sam\\u202eX"),  # a hidden character: its escape
    ("Sam\\\u202eX", "Sam\\\\\\u202eX"),  # a backslash before an escape: doubled
])
def test_printed_carries_the_stored_text_and_escapes_only_what_must_be(stored, want):
    assert printed(stored) == want
    assert unprinted(want) == stored


HOSTILE = ["\\", "u", "U", "0", "2", "e", "f", "\u202e", "\u200b", "\x07", "\n", "A", " "]
TEXTS = st.text(alphabet=st.one_of(st.sampled_from(HOSTILE), st.characters()), max_size=24)


@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
@example(text="\\\\u202e")
@example(text="\\\u202e")
def test_printed_is_one_to_one_and_exact_for_plain_text(text):
    for kwargs in ({}, {"note": False}, {"identifier": True}):
        out = printed(text, **kwargs)
        assert unprinted(out) == text  # one-to-one: the stored text comes back
    if not ESCAPED_IN_NOTES.search(text) and not re.search(r"\\(\\|u[0-9a-f]{4}|U[0-9a-f]{8})", text):
        assert printed(text) == text  # nothing hidden, no backslash that reads as an escape: as stored
