"""Characters a new name, identifier or note may not hold (red-team rt8 F8).

A name is shown as typed in the window, on the handout, in the summary, the worklist,
the CSV export and the FHIR referral. Two kinds of invisible character break that:

* **control characters** (C0 U+0000-U+001F, DEL U+007F, C1 U+0080-U+009F): a terminal
  or spreadsheet obeys them (ESC sequences, BEL, NUL) and FHIR R4 ``string`` may not
  hold characters below U+0020 other than tab, CR and LF, so a referral would be refused;
* **bidirectional controls** (embeddings and overrides U+202A-U+202E, isolates
  U+2066-U+2069, the marks U+200E, U+200F, U+061C): U+202E makes "evil" display as
  "live", so two patients look alike and a search finds only one of them.

New input refuses them, naming the field and the character so the user can fix it.
In a name or identifier (one line) every one of them is refused, tab, CR and LF too,
and the line and paragraph separators U+2028/U+2029. Free-text notes keep tab, CR and
LF (and the bidi marks, which a mixed-language note may need) but refuse the others.
Arabic and Hebrew letters are ordinary letters and stay allowed: the display
algorithm orders them without any control character.

Since red-team rt10 F6 every other invisible character is refused too: format
characters (Cf: zero width space, word joiner, BOM, soft hyphen, tag characters...),
noncharacters, surrogates, fillers and the braille blank. A name keeps ZWNJ/ZWJ and a
variation selector after a character; an identifier (``case_id``, ``patient.id``) keeps
none of them, nor private use, unassigned code points or spaces other than U+0020.

Stored cases that already hold such characters stay readable (``check --full`` warns;
the exports and the screen show them as visible ``\\uXXXX`` escapes).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterator

#: Keys whose text is a free-text note (may span lines); every other text is one line.
NOTE_KEYS = frozenset({"notes", "note"})

_C0_NAMES = {
    0x00: "NULL", 0x01: "START OF HEADING", 0x02: "START OF TEXT", 0x03: "END OF TEXT",
    0x04: "END OF TRANSMISSION", 0x05: "ENQUIRY", 0x06: "ACKNOWLEDGE", 0x07: "BELL",
    0x08: "BACKSPACE", 0x09: "CHARACTER TABULATION (tab)", 0x0A: "LINE FEED (new line)",
    0x0B: "LINE TABULATION", 0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x0E: "SHIFT OUT",
    0x0F: "SHIFT IN", 0x10: "DATA LINK ESCAPE", 0x11: "DEVICE CONTROL ONE", 0x12: "DEVICE CONTROL TWO",
    0x13: "DEVICE CONTROL THREE", 0x14: "DEVICE CONTROL FOUR", 0x15: "NEGATIVE ACKNOWLEDGE",
    0x16: "SYNCHRONOUS IDLE", 0x17: "END OF TRANSMISSION BLOCK", 0x18: "CANCEL", 0x19: "END OF MEDIUM",
    0x1A: "SUBSTITUTE", 0x1B: "ESCAPE", 0x1C: "INFORMATION SEPARATOR FOUR",
    0x1D: "INFORMATION SEPARATOR THREE", 0x1E: "INFORMATION SEPARATOR TWO",
    0x1F: "INFORMATION SEPARATOR ONE", 0x7F: "DELETE",
}

_CONTROLS = "\x00-\x1f\x7f-\x9f"
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"  # embeddings, overrides, isolates
_BIDI_MARKS = "\u200e\u200f\u061c"
_SEPARATORS = "\u2028\u2029"
#: Format characters (general category Cf) that are invisible and carry no meaning in a
#: name: the soft hyphen, Arabic/Syriac number marks, U+180E, ZWSP, the word joiner and
#: invisible operators, the deprecated format controls U+206A-F, the BOM, the interlinear
#: annotation characters, Kaithi/Egyptian/shorthand/musical format controls and the tag
#: characters U+E0001, U+E0020-E007F (rt10 F6). Every Cf but the bidi controls and marks
#: (listed above) and ZWNJ/ZWJ U+200C/D (which Persian and Indic names need); the test
#: ``test_format_class_covers_every_cf`` checks it against :mod:`unicodedata`.
_FORMAT = "\u00ad\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb"
_FORMAT_ASTRAL = ("\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                  "\U000e0001\U000e0020-\U000e007f")
#: Noncharacters (U+FDD0-U+FDEF and the last two code points of every plane) and lone
#: surrogates (a broken UTF-16 pair: no character at all).
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff"
_NONCHARACTERS_ASTRAL = "".join(
    f"\\U{(plane << 16) | 0xFFFE:08x}-\\U{(plane << 16) | 0xFFFF:08x}" for plane in range(1, 17))
_SURROGATES = "\ud800-\udfff"
#: Letters that draw nothing: the Hangul fillers and the braille blank U+2800.
_FILLERS = "\u115f\u1160\u3164\uffa0\u2800"
#: The joiners a name may hold (Persian "می‌خواهم", Indic conjuncts; the combining
#: grapheme joiner of some Hebrew spelling) but an identifier not.
_JOINERS = "\u200c\u200d\u034f"
#: Variation selectors (an emoji or ideograph variant in a name; never in an identifier).
_VARIATION_SELECTORS = "\ufe00-\ufe0f"
_VARIATION_SELECTORS_ASTRAL = "\U000e0100-\U000e01ef"
#: Private use (no agreed glyph) and every space but U+0020 (no-break, en/em... spaces).
_PRIVATE_USE = "\ue000-\uf8ff"
_PRIVATE_USE_ASTRAL = "\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_OTHER_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_INVISIBLE = _FORMAT + _NONCHARACTERS + _SURROGATES + _FILLERS
_INVISIBLE_ASTRAL = _FORMAT_ASTRAL + _NONCHARACTERS_ASTRAL
_VS_ALL = _VARIATION_SELECTORS + _VARIATION_SELECTORS_ASTRAL


def _classes(bmp: str, astral: str) -> str:
    """A character class split in two: ``re`` looks a class of characters below U+10000 up
    in a table, but tests one with characters above it range by range; the astral ranges
    are tried only for an astral character (the CSV export searches every cell)."""
    return f"[{bmp}]|(?=[\\U00010000-\\U0010ffff])[{astral}]"


#: Refused in a name: one line, no reordering, nothing invisible (ZWNJ/ZWJ and variation
#: selectors after a letter are kept).
REFUSED_IN_NAMES = re.compile(_classes(f"{_CONTROLS}{_BIDI_CONTROLS}{_BIDI_MARKS}{_SEPARATORS}{_INVISIBLE}",
                                       _INVISIBLE_ASTRAL)
                              + f"|(?=[{_VS_ALL}])(?<![^\\s{_VS_ALL}])[{_VS_ALL}]")  # nothing to vary
#: Refused in a free-text note: tab, LF and CR (line breaks), the bidi marks, ZWNJ/ZWJ and
#: the variation selectors are kept.
REFUSED_IN_NOTES = re.compile(_classes(f"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI_CONTROLS}{_SEPARATORS}{_INVISIBLE}",
                                       _INVISIBLE_ASTRAL))
#: Refused in an identifier (case_id, patient.id) besides what a name refuses: the
#: joiners, every variation selector, private use, every space but U+0020, and (checked
#: by :func:`refused_characters`) unassigned code points. An identifier is compared
#: character by character, so "DEMO-1001" and "DEMO-1001" + U+200B would be two patients
#: that look the same (rt10 F6).
REFUSED_IN_IDS = re.compile(_classes(f"{_CONTROLS}{_BIDI_CONTROLS}{_BIDI_MARKS}{_SEPARATORS}{_INVISIBLE}"
                                     f"{_JOINERS}{_VARIATION_SELECTORS}{_PRIVATE_USE}{_OTHER_SPACES}",
                                     _INVISIBLE_ASTRAL + _VARIATION_SELECTORS_ASTRAL + _PRIVATE_USE_ASTRAL))

#: What the exports and the screen escape in stored free text (never obeyed, never lost):
#: what a note refuses (its tabs, line breaks and bidi marks are kept).
ESCAPED_IN_NOTES = REFUSED_IN_NOTES

#: The field paths (of case JSON) that are identifiers.
ID_FIELDS = frozenset({"case_id", "patient.id"})


def _unassigned(ch: str) -> bool:
    return unicodedata.category(ch) == "Cn"


def _id_hits(text: str) -> Iterator[tuple[int, str]]:
    for m in REFUSED_IN_IDS.finditer(text):
        yield m.start(), m.group()
    for n, ch in enumerate(text):
        if ord(ch) > 0x7e and _unassigned(ch) and not REFUSED_IN_IDS.match(ch):
            yield n, ch


def character_name(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: the code point and its Unicode name."""
    code = ord(ch)
    name = _C0_NAMES.get(code) or unicodedata.name(ch, "")
    if not name:
        category = unicodedata.category(ch)
        if 0x80 <= code <= 0x9F:
            name = "C1 CONTROL CHARACTER"
        elif category == "Cs":
            name = "SURROGATE (half of a broken character pair)"
        elif category == "Co":
            name = "PRIVATE USE CHARACTER"
        elif 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
            name = "NONCHARACTER"
        elif category == "Cn":
            name = "UNASSIGNED CODE POINT"
        else:
            name = "CONTROL CHARACTER"
    return f"U+{code:04X} {name}"


def escape_character(ch: str) -> str:
    """The visible escape of one character, as the terminal output writes it (``\\u202e``)."""
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def shown_escaped(text: str, note: bool = False, identifier: bool = False) -> str:
    """``text`` with each refused character written as a visible ``\\uXXXX`` escape.

    In a name (``note=False``) tab, CR and LF are escaped too (a name is one line); in a
    note they are kept. Used by the exports and the screen for stored text, so a character
    that should never have been stored is shown, never obeyed.
    """
    if identifier:
        hits = {n for n, _ in _id_hits(text)}
        return "".join(escape_character(ch) if n in hits else ch for n, ch in enumerate(text)) if hits else text
    pattern = ESCAPED_IN_NOTES if note else REFUSED_IN_NAMES
    return pattern.sub(lambda m: escape_character(m.group()), text)


def refused_characters(text: str, note: bool = False, identifier: bool = False) -> list[tuple[int, str]]:
    """Each refused character of ``text`` as (1-based position, ``character_name``)."""
    if identifier:
        return [(n + 1, character_name(ch)) for n, ch in sorted(_id_hits(text))]
    pattern = REFUSED_IN_NOTES if note else REFUSED_IN_NAMES
    return [(m.start() + 1, character_name(m.group())) for m in pattern.finditer(text)]


def problem(field: str, text: str, note: bool = False, identifier: bool = False) -> str | None:
    """The message for a field holding refused characters, or None when it holds none."""
    found = refused_characters(text, note, identifier)
    if not found:
        return None
    names = []
    for _, name in found:
        if name not in names:
            names.append(name)
    where = ", ".join(str(pos) for pos, _ in found[:5]) + (", …" if len(found) > 5 else "")
    if note:
        kind = "a note may hold line breaks and tabs but no other control character or direction override"
    elif identifier:
        kind = ("an identifier is one line of visible characters, with no joiner, variation selector, "
                "unassigned character or space other than the ordinary space")
    else:
        kind = "a name or identifier is one line of visible characters"
    listed = "; ".join(names[:5]) + ("; …" if len(names) > 5 else "")
    return (f"{field} holds {listed} (character {where}): {kind}; these characters are invisible "
            "and can hide or reorder the text shown, so remove them and type the text again")


def typed_text_problem(field: str, text: str, lines: bool = False) -> str | None:
    """:func:`problem` for one typed setting or option (a clinic name, a clinician): the
    rules of a name; with ``lines`` (a clinic address) each line is checked as a name and
    the line breaks between them are kept (rt10 F8)."""
    if lines:
        text = text.replace("\r\n", "  ").replace("\n", " ")  # same positions, breaks allowed
    return problem(field, text)


def walk_text(data: Any, path: str = "") -> Iterator[tuple[str, str, bool]]:
    """Each text value of decoded case JSON as (field path, text, is a note)."""
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(value, str):
                yield where, value, str(key) in NOTE_KEYS
            else:
                yield from walk_text(value, where)
    elif isinstance(data, list):
        for n, value in enumerate(data):
            where = f"{path}[{n}]"
            if isinstance(value, str):
                yield where, value, False
            else:
                yield from walk_text(value, where)


def text_problems(data: Any, path: str = "") -> list[tuple[str, str]]:
    """(field path, message) for each text of ``data`` holding refused characters."""
    out = []
    for field, text, note in walk_text(data, path):
        message = problem(field, text, note, identifier=field in ID_FIELDS)
        if message:
            out.append((field, message))
    return out


def visible(text: str | None) -> str:
    """Stored text for the screen and the printed sheets: every control character (but tab
    and line breaks) and direction override or isolate written as its visible ``\\uXXXX``
    escape, so it can neither hide text nor reorder the line ("evil" never shows as "live").
    None is empty."""
    if not text:
        return ""
    return ESCAPED_IN_NOTES.sub(lambda m: escape_character(m.group()), text)


def visible_id(text: str | None) -> str:
    """A stored identifier for the screen: :func:`visible`, and also each character an
    identifier refuses (a joiner, a variation selector, a no-break space...) escaped, so
    two look-alike ids are told apart (rt10 F6)."""
    if not text:
        return ""
    return shown_escaped(text, identifier=True)


def visible_html(text: str | None, quote: bool = True) -> str:
    """:func:`visible`, then HTML-escaped (the escape the reports and the window use for
    text from a case)."""
    import html

    return html.escape(visible(text), quote)
