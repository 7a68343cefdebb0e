"""Invisible characters other than controls and bidi (red-team rt10 F6).

Written from the Unicode Character Database (:mod:`unicodedata` general categories) and
the classes the issue lists: an identifier (case_id, patient.id) is compared character by
character, so it refuses every format character (Cf), control (Cc), surrogate (Cs),
private use (Co), unassigned code point and noncharacter (Cn), line/paragraph separator
(Zl/Zp), the Hangul fillers, the braille blank, the variation selectors and every space
but U+0020. A name keeps ZWNJ/ZWJ (Persian and Indic spelling needs them) and a variation
selector right after a visible character (an emoji's presentation, a Japanese ideograph
variant), and refuses the rest of Cf, noncharacters and the tag characters.
"""

from __future__ import annotations

import datetime as dt
import sys
import unicodedata
from pathlib import Path

import pytest

from radiculopathy_desktop.domain.characters import (REFUSED_IN_NAMES, REFUSED_IN_NOTES, character_name,
                                                     refused_characters, shown_escaped, visible_id)
from radiculopathy_desktop.domain.intake import ValidationError, parse_case

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import case_dict  # noqa: E402

TODAY = dt.date(2026, 11, 29)

#: (character, its name as the error writes it), one or more of each class the issue lists
INVISIBLE = [
    ("\u200b", "U+200B ZERO WIDTH SPACE"), ("\u2060", "U+2060 WORD JOINER"),
    ("\u2062", "U+2062 INVISIBLE TIMES"), ("\u2064", "U+2064 INVISIBLE PLUS"),
    ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"), ("\u00ad", "U+00AD SOFT HYPHEN"),
    ("\U000e0041", "U+E0041 TAG LATIN CAPITAL LETTER A"), ("\U000e0001", "U+E0001 LANGUAGE TAG"),
    ("\U000e007f", "U+E007F CANCEL TAG"),
    ("\ufff9", "U+FFF9 INTERLINEAR ANNOTATION ANCHOR"), ("\ufffb", "U+FFFB INTERLINEAR ANNOTATION TERMINATOR"),
    ("\uffff", "U+FFFF NONCHARACTER"), ("\ufffe", "U+FFFE NONCHARACTER"),
    ("\ufdd0", "U+FDD0 NONCHARACTER"), ("\ufdef", "U+FDEF NONCHARACTER"), ("\U0010ffff", "U+10FFFF NONCHARACTER"),
    ("\u3164", "U+3164 HANGUL FILLER"), ("\u115f", "U+115F HANGUL CHOSEONG FILLER"),
    ("\u1160", "U+1160 HANGUL JUNGSEONG FILLER"), ("\uffa0", "U+FFA0 HALFWIDTH HANGUL FILLER"),
    ("\u180e", "U+180E MONGOLIAN VOWEL SEPARATOR"), ("\u2800", "U+2800 BRAILLE PATTERN BLANK"),
    ("\ud800", "U+D800 SURROGATE"),
    ("\u034f", "U+034F COMBINING GRAPHEME JOINER"),  # in a name too since rt10 F7 (test_combining_marks.py)
]
#: refused in an identifier, kept in a name
ID_ONLY = [
    ("\u200c", "U+200C ZERO WIDTH NON-JOINER"), ("\u200d", "U+200D ZERO WIDTH JOINER"),
    ("\ufe0f", "U+FE0F VARIATION SELECTOR-16"), ("\ufe00", "U+FE00 VARIATION SELECTOR-1"),
    ("\U000e0100", "U+E0100 VARIATION SELECTOR-17"), ("\U000e01ef", "U+E01EF VARIATION SELECTOR-256"),
    ("\u00a0", "U+00A0 NO-BREAK SPACE"), ("\u2000", "U+2000 EN QUAD"), ("\u200a", "U+200A HAIR SPACE"),
    ("\u202f", "U+202F NARROW NO-BREAK SPACE"), ("\u3000", "U+3000 IDEOGRAPHIC SPACE"),
    ("\ue000", "U+E000 PRIVATE USE CHARACTER"), ("\U0010fffd", "U+10FFFD PRIVATE USE CHARACTER"),
    ("\u0378", "U+0378 UNASSIGNED CODE POINT"),
]




def _said(name: str) -> str:
    """How the refusal names the character: a lone surrogate is named once, by the check of
    text that cannot be stored ("U+D800 (character 5), half of a UTF-16 surrogate pair")."""
    return "U+D800 (character" if name == "U+D800 SURROGATE" else name


def _refused(data: dict) -> list:
    with pytest.raises(ValidationError) as caught:
        parse_case(data, today=TODAY)
    return caught.value.errors


def _case(case_id="EX-ROUTINE-L5", patient_id="DEMO-1001", name="Alex Example") -> dict:
    data = case_dict(case_id)
    data["patient"]["id"] = patient_id
    data["patient"]["name"] = name
    return data


@pytest.mark.parametrize("ch, name", INVISIBLE + ID_ONLY)
@pytest.mark.parametrize("field", ["case_id", "patient.id"])
def test_an_identifier_refuses_each_invisible_character_naming_it(field, ch, name):
    data = _case(**{"case_id" if field == "case_id" else "patient_id": f"EX-1{ch}001"})
    errors = [e for e in _refused(data) if e.field == field]
    assert len(errors) == 1, errors
    assert errors[0].message.startswith(f"{field} holds {_said(name)}")
    assert "(character 5)" in errors[0].message
    assert "an identifier is one line" in errors[0].message or name == "U+D800 SURROGATE"
    assert ch not in errors[0].message  # the message never carries it


@pytest.mark.parametrize("ch, name", INVISIBLE)
def test_a_name_refuses_the_invisible_characters_naming_them(ch, name):
    (error,) = _refused(_case(name=f"Alex{ch} Example"))
    assert error.field == "patient.name" and error.message.startswith(f"patient.name holds {_said(name)}")


@pytest.mark.parametrize("name", [
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian "mi-khaham": ZWNJ inside the word
    "\u0915\u094d\u200d\u0937",                          # Devanagari half form with ZWJ
    "Zo\u00eb \u00a0Bront\u00eb",                        # no-break space: a name may hold it
    "Sam \u2764\ufe0f Lee",                              # emoji with VS16 after it
    "\u845b\U000e0100\u98fe",                            # Japanese ideograph variant (IVS)
    "Alex Example",
])
def test_a_name_keeps_joiners_spaces_and_a_variation_selector_after_a_character(name):
    case = parse_case(_case(name=name), today=TODAY)
    assert case.patient.name == name


@pytest.mark.parametrize("name, where", [("\ufe0fSam", 1), ("Sam \ufe0fLee", 5), ("Sam\u2764\ufe0f\ufe0f", 6)])
def test_a_variation_selector_with_nothing_to_vary_is_refused_in_a_name(name, where):
    (error,) = _refused(_case(name=name))
    assert error.message.startswith("patient.name holds U+FE0F VARIATION SELECTOR-16")
    assert f"(character {where})" in error.message


@pytest.mark.parametrize("ident", ["EX-ROUTINE-L5", "DEMO-1001", "P 12/3 (a)", "\u0645\u062d-7", "Zo\u00eb-1"])
def test_plain_identifiers_are_accepted(ident):
    case = parse_case(_case(case_id=ident, patient_id=ident), today=TODAY)
    assert case.case_id == ident and case.patient.id == ident


def test_boundaries_around_the_refused_ranges():
    accepted = ["\u200a", "\u2070", "\ufdcf", "\ufdf0", "\ufffd", "\U000e1000", "\u2801", "\u3165"]
    # U+200A hair space, U+2070 superscript zero (after the Default_Ignorable U+2065) and U+E1000
    # (after the Default_Ignorable block E0000-E0FFF) are fine in a name
    for ch in accepted:
        assert refused_characters(f"a{ch}b") == [], hex(ord(ch))
    # U+2065 and U+E0080 are unassigned but Default_Ignorable (rt11 F9): refused everywhere
    for ch in ["\u2065", "\U000e0080", "\U000e0fff", "\u200b", "\u2060", "\u2064", "\ufdd0", "\ufdef", "\ufffe", "\U000e007f", "\u2800", "\u3164"]:
        assert refused_characters(f"a{ch}b") != [], hex(ord(ch))
    # identifiers: the spaces and unassigned ones too, but not U+FDCF, U+FDF0, U+FFFD or U+2801/U+3165
    for ch in ["\u200a", "\u2065", "\U000e0080"]:
        assert refused_characters(f"a{ch}b", identifier=True) != [], hex(ord(ch))
    for ch in ["\ufdcf", "\ufdf0", "\ufffd", "\u2801", "\u3165", " "]:
        assert refused_characters(f"a{ch}b", identifier=True) == [], hex(ord(ch))


def test_format_class_covers_every_cf_of_the_unicode_database():
    """Every format character (Cf) is refused in a name but ZWNJ/ZWJ, and in an identifier
    all of them; every one but those two and the bidi marks in a note."""
    kept_in_names = {"\u200c", "\u200d"}
    kept_in_notes = kept_in_names | {"\u200e", "\u200f", "\u061c"}
    for code in range(0x110000):
        ch = chr(code)
        category = unicodedata.category(ch)
        if category in ("Cf", "Cc", "Cs", "Zl", "Zp"):
            assert bool(REFUSED_IN_NAMES.search(ch)) == (ch not in kept_in_names), hex(code)
            assert refused_characters(ch, identifier=True), hex(code)
            if category != "Cc" and category not in ("Zl",):
                assert bool(REFUSED_IN_NOTES.search(ch)) == (ch not in kept_in_notes), hex(code)
        elif category in ("Co", "Cn") or category.startswith("Z") and ch != " ":
            assert refused_characters(ch, identifier=True), hex(code)


def test_a_note_keeps_joiners_and_line_breaks_but_refuses_the_other_invisibles():
    data = _case()
    data["notes"] = "line one\nline \u0645\u06cc\u200c\u062e two\tok"
    parse_case(data, today=TODAY)
    data["notes"] = "see\u200bthis"
    (error,) = _refused(data)
    assert error.field == "notes" and "U+200B ZERO WIDTH SPACE" in error.message


def test_stored_identifiers_are_shown_with_every_invisible_escaped():
    assert visible_id("DEMO-1001\u200b") == "DEMO-1001\\u200b"
    assert visible_id("DEMO-1001\u200c") == "DEMO-1001\\u200c"
    assert visible_id("EX\U000e0041") == "EX\\U000e0041"
    assert visible_id("A\u00a0B\u0378") == "A\\u00a0B\\u0378"
    assert visible_id("DEMO-1001") == "DEMO-1001"
    # a name keeps its joiner but shows a zero width space
    assert shown_escaped("\u0645\u06cc\u200c\u062e\u200b") == "\u0645\u06cc\u200c\u062e\\u200b"
    assert character_name("\U000e0041") == "U+E0041 TAG LATIN CAPITAL LETTER A"
