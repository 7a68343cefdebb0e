"""Identifiers that look like another one are refused on new input (red-team rt11 F9, F8).

Written from the Unicode sources, not from the code:

* Default_Ignorable_Code_Point (UAX #44; DerivedCoreProperties.txt): code points a
  renderer draws as nothing when it does not support them. Every one is refused in an
  identifier; the whole property is checked against the ``regex`` module's own table.
* NFC (UAX #15): ``E`` + U+0301 and U+00C9 are canonically equivalent (look the same) but
  are different code points; an identifier is compared exactly, so only the composed form
  (NFC) is accepted, and the message names the letter typed the other way.
* A combining mark (general category M) at the start has no base letter.
* Compatibility forms (NFKC) of ASCII letters, digits and signs (full-width ``ＥＸ``,
  superscript ``¹``) and dashes other than the hyphen-minus (U+2010 ...) look like the
  ASCII id they are not.
"""

from __future__ import annotations

import sys
import unicodedata

import pytest

from radiculopathy_desktop.domain.characters import problem, refused_characters, shown_escaped, visible
from radiculopathy_desktop.domain.intake import ValidationError, parse_case

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/storage")
from tracker_support import ANCHOR, case_dict  # noqa: E402

# rt11 F9's list: U+17B4, U+180B, U+180F (Mn, Default_Ignorable), U+16FE4 (a filler),
# U+1D159 and U+FFFC (blank symbols)
RT11_HIDDEN = ["\u17b4", "\u17b5", "\u180b", "\u180f", "\U00016fe4", "\U0001d159", "\ufffc", "\u2065", "\ufff0",
               "\U000e0000", "\U000e0080", "\U000e0fff"]


def _default_ignorables() -> list[int]:
    regex = pytest.importorskip("regex")
    pattern = regex.compile(r"\p{Default_Ignorable_Code_Point}")
    return [c for c in range(0x110000) if pattern.match(chr(c))]


def test_every_default_ignorable_is_refused_in_ids():
    points = _default_ignorables()
    assert 0x200B in points and 0x17B4 in points and 0xE0FFF in points and 0x41 not in points  # the table read
    missed = [hex(c) for c in points if not refused_characters(f"A{chr(c)}B", identifier=True)]
    assert missed == []


def test_every_default_ignorable_is_refused_in_names_but_joiners_and_a_selector_after_a_letter():
    kept = {0x200C, 0x200D} | set(range(0x180B, 0x180E)) | {0x180F} | set(range(0xFE00, 0xFE10)) \
        | set(range(0xE0100, 0xE01F0))  # ZWNJ/ZWJ (Persian, Indic), variation selectors after a letter
    missed = [hex(c) for c in _default_ignorables() if c not in kept and not refused_characters(f"A{chr(c)}B")]
    assert missed == []
    for c in kept:
        assert refused_characters(f"A{chr(c)}B") == [], hex(c)


@pytest.mark.parametrize("hidden", RT11_HIDDEN)
def test_rt11_hidden_characters_are_refused_in_a_new_id_and_shown_escaped(hidden):
    with pytest.raises(ValidationError) as caught:
        parse_case(case_dict("EX-1" + hidden, patient_id="P-1" + hidden), today=ANCHOR)
    fields = {e.field for e in caught.value.errors}
    assert {"case_id", "patient.id"} <= fields
    message = next(e.message for e in caught.value.errors if e.field == "case_id")
    assert f"U+{ord(hidden):04X}" in message and "(character 5)" in message
    # a stored one is shown escaped, as the window and every output show it
    assert shown_escaped("EX-1" + hidden, identifier=True) != "EX-1"
    assert "\\u" in shown_escaped("EX-1" + hidden, identifier=True) or "\\U" in shown_escaped("EX-1" + hidden,
                                                                                              identifier=True)


@pytest.mark.parametrize("hidden", ["\u17b4", "\U00016fe4", "\U0001d159", "\ufffc", "\u2065", "\U000e0080"])
def test_rt11_hidden_characters_are_refused_in_names_and_shown_escaped(hidden):
    assert refused_characters(f"Kim{hidden} Lee") != []
    assert hidden not in visible(f"Kim{hidden} Lee")


def test_a_decomposed_identifier_is_refused_naming_the_letter_and_the_composed_one_accepted():
    composed = "EX-JOS\u00c9"
    decomposed = "EX-JOSE\u0301"
    assert unicodedata.normalize("NFC", decomposed) == composed  # the two look the same
    case = parse_case(case_dict(composed, patient_id="P-JOS\u00c9"), today=ANCHOR)
    assert case.case_id == composed
    with pytest.raises(ValidationError) as caught:
        parse_case(case_dict(decomposed, patient_id="P-JOSE\u0301"), today=ANCHOR)
    messages = {e.field: e.message for e in caught.value.errors}
    assert messages["case_id"].startswith(
        "case_id holds U+0045 LATIN CAPITAL LETTER E + U+0301 COMBINING ACUTE ACCENT (character 7) where Unicode's "
        "composed form is U+00C9 LATIN CAPITAL LETTER E WITH ACUTE")
    assert "type it again" in messages["case_id"]
    assert "(character 6)" in messages["patient.id"]
    # a singleton that NFC replaces (U+212B ANGSTROM SIGN is U+00C5)
    assert "U+00C5" in problem("case_id", "\u212b-1", identifier=True)
    # letters whose NFC is themselves, with their marks in the canonical order, are fine
    for ident in ("P-\u00c5NGSTR\u00d6M", "\u0645\u062d-7", "NGUY\u1ec4N-1", "\u1eac-1"):
        assert problem("case_id", ident, identifier=True) is None, ident
    # two marks in the wrong canonical order: not NFC either
    assert problem("case_id", "A\u0302\u0323-1", identifier=True) is not None


def test_an_identifier_or_name_starting_with_a_combining_mark_is_refused():
    for text in ("\u0301", "\u0301EX-1", "\u20dd1", "\u0903A"):  # Mn, Mn, Me, Mc
        message = problem("case_id", text, identifier=True)
        assert message and "starts with" in message and "no letter under it" in message, text
        assert "starts with" in problem("patient.name", text), text
    # a mark after a letter or a digit is not at the start
    assert problem("case_id", "\u00c9X-1", identifier=True) is None
    assert problem("patient.name", "Jose\u0301") is None
    # a note may start with anything a note allows
    assert problem("notes", "\u0301 accent", note=True) is None


@pytest.mark.parametrize("ident, what", [
    ("\uff25\uff38-1", "U+FF25 FULLWIDTH LATIN CAPITAL LETTER E (character 1) for 'E'"),
    ("EX\uff0d1", "U+FF0D FULLWIDTH HYPHEN-MINUS (character 3) for '-'"),
    ("EX\u20101", "U+2010 HYPHEN (character 3) for '-'"),
    ("EX\u20131", "U+2013 EN DASH (character 3) for '-'"),
    ("EX\u22121", "U+2212 MINUS SIGN (character 3) for '-'"),
    ("EX-\u00b9", "U+00B9 SUPERSCRIPT ONE (character 4) for '1'"),
    ("EX-\ufb01", "U+FB01 LATIN SMALL LIGATURE FI (character 4) for 'fi'"),
    ("EX-\U0001d400", "U+1D400 MATHEMATICAL BOLD CAPITAL A (character 4) for 'A'"),
])
def test_ascii_lookalikes_in_an_identifier_are_refused_naming_the_plain_one(ident, what):
    message = problem("case_id", ident, identifier=True)
    assert message is not None and what in message, message


def test_non_latin_identifiers_and_ascii_ids_are_accepted():
    for ident in ("EX-ROUTINE-L5", "DEMO-1001", "P 12/3 (a)", "\u0645\u062d-7", "Zo\u00eb-1",
                  "\u041f-1", "\u5f20-3", "\u00c9-1"):
        assert problem("case_id", ident, identifier=True) is None, ident
    # a name is not held to the identifier rules: NFD names and wide forms are a person's spelling
    assert problem("patient.name", "Jose\u0301 Pen\u0303a") is None
