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
#: The rest of Unicode's Default_Ignorable_Code_Point property (rt11 F9): code points a
#: renderer draws as nothing, so ``EX-1`` + one of them looks like ``EX-1``. The property
#: (DerivedCoreProperties.txt, Unicode 14.0.0, the version of Python 3.11's
#: :mod:`unicodedata`, which does not expose it) is 00AD 034F 061C 115F-1160 17B4-17B5
#: 180B-180F 200B-200F 202A-202E 2060-206F 3164 FE00-FE0F FEFF FFA0 FFF0-FFF8 1BCA0-1BCA3
#: 1D173-1D17A E0000-E0FFF; the classes above hold all of it but the Khmer inherent vowels
#: U+17B4/5 (Mn, "should not be used": The Unicode Standard 14.0, 16.4), the unassigned
#: U+2065, U+FFF0-FFF8 and the unassigned parts of the tag block, listed here, and the
#: Mongolian free variation selectors, listed with the variation selectors (a Mongolian
#: name may need one after a letter). ``test_every_default_ignorable_is_refused_in_ids``
#: checks the whole property against the ``regex`` module's table.
_DEFAULT_IGNORABLE_OTHER = "\u17b4\u17b5\u2065\ufff0-\ufff8"
_DEFAULT_IGNORABLE_OTHER_ASTRAL = "\U000e0000-\U000e00ff\U000e01f0-\U000e0fff"
#: Symbols that draw a blank or a box standing for something else: U+FFFC OBJECT
#: REPLACEMENT CHARACTER (a placeholder for an embedded object) and U+1D159 MUSICAL SYMBOL
#: NULL NOTEHEAD (no glyph in most fonts), and U+16FE4 KHITAN SMALL SCRIPT FILLER (a mark
#: that draws nothing): no place in a name, a note or an id (rt11 F9).
_BLANK_SYMBOLS = "\ufffc"
_BLANK_SYMBOLS_ASTRAL = "\U0001d159\U00016fe4"
#: The joiners a name may hold (Persian "می‌خواهم", Indic conjuncts) but an identifier not.
_JOINERS = "\u200c\u200d\u034f"
#: U+034F COMBINING GRAPHEME JOINER: draws nothing and joins nothing a reader sees; its one
#: use (UAX #15, stream-safe text: inserted to break a run of more than 30 combining marks,
#: and to keep two marks in a chosen order) has no place in a name, so a name refuses it too
#: (rt10 F7); a note keeps it.
_CGJ = "\u034f"
#: Variation selectors (an emoji or ideograph variant in a name; never in an identifier).
_VARIATION_SELECTORS = "\u180b-\u180d\u180f\ufe00-\ufe0f"  # Mongolian free variation selectors too
_VARIATION_SELECTORS_ASTRAL = "\U000e0100-\U000e01ef"
#: Private use (no agreed glyph) and every space but U+0020 (no-break, en/em... spaces).
_PRIVATE_USE = "\ue000-\uf8ff"
_PRIVATE_USE_ASTRAL = "\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_OTHER_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_INVISIBLE = _FORMAT + _NONCHARACTERS + _SURROGATES + _FILLERS + _DEFAULT_IGNORABLE_OTHER + _BLANK_SYMBOLS
_INVISIBLE_ASTRAL = _FORMAT_ASTRAL + _NONCHARACTERS_ASTRAL + _DEFAULT_IGNORABLE_OTHER_ASTRAL + _BLANK_SYMBOLS_ASTRAL
_VS_ALL = _VARIATION_SELECTORS + _VARIATION_SELECTORS_ASTRAL


def _classes(bmp: str, astral: str) -> str:
    """A character class split in two: ``re`` looks a class of characters below U+10000 up
    in a table, but tests one with characters above it range by range; the astral ranges
    are tried only for an astral character (the CSV export searches every cell)."""
    return f"[{bmp}]|(?=[\\U00010000-\\U0010ffff])[{astral}]"


#: Refused in a name: one line, no reordering, nothing invisible (ZWNJ/ZWJ and variation
#: selectors after a letter are kept).
#: (Compiled on first use, like the notes' pattern below: see :func:`__getattr__`.)
_NAMES_PATTERN = (_classes(f"{_CONTROLS}{_BIDI_CONTROLS}{_BIDI_MARKS}{_SEPARATORS}{_INVISIBLE}{_CGJ}", _INVISIBLE_ASTRAL)
                  + f"|(?=[{_VS_ALL}])(?<![^\\s{_VS_ALL}])[{_VS_ALL}]")  # nothing to vary
#: Refused in a free-text note: tab, LF and CR (line breaks), the bidi marks, ZWNJ/ZWJ and
#: the variation selectors are kept.
NOTES_BMP = f"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI_CONTROLS}{_SEPARATORS}{_INVISIBLE}"
NOTES_ASTRAL = _INVISIBLE_ASTRAL
_NOTES_PATTERN = _classes(NOTES_BMP, NOTES_ASTRAL)  # REFUSED_IN_NOTES, compiled on first use
#: Refused in an identifier (case_id, patient.id) besides what a name refuses: the
#: joiners, every variation selector, private use, every space but U+0020, and (checked
#: by :func:`refused_characters`) unassigned code points. An identifier is compared
#: character by character, so "DEMO-1001" and "DEMO-1001" + U+200B would be two patients
#: that look the same (rt10 F6).
#: (The two halves of the class are kept apart for the terminal's escape, which searches a
#: text without astral characters, most of them, with the first half alone.)
IDS_BMP = (f"{_CONTROLS}{_BIDI_CONTROLS}{_BIDI_MARKS}{_SEPARATORS}{_INVISIBLE}"
           f"{_JOINERS}{_VARIATION_SELECTORS}{_PRIVATE_USE}{_OTHER_SPACES}")
IDS_ASTRAL = _INVISIBLE_ASTRAL + _VARIATION_SELECTORS_ASTRAL + _PRIVATE_USE_ASTRAL
REFUSED_IN_IDS = re.compile(_classes(IDS_BMP, IDS_ASTRAL))

#: What the exports and the screen escape in stored free text (never obeyed, never lost):
#: what a note refuses (its tabs, line breaks and bidi marks are kept): ``ESCAPED_IN_NOTES``
#: is ``REFUSED_IN_NOTES``, the same compiled pattern.
#:
#: ``REFUSED_IN_NAMES``, ``REFUSED_IN_NOTES`` (``ESCAPED_IN_NOTES``) and the names' shown-form
#: pattern are compiled the first time they are used (:func:`__getattr__`), not when this
#: module is imported: each is a class of several hundred ranges, and the window's start-up
#: (issue 17) shows names and ids through the notes' shown-form and the ids' patterns alone.
_LAZY_PATTERNS = {
    "REFUSED_IN_NAMES": lambda: re.compile(_NAMES_PATTERN),
    "REFUSED_IN_NOTES": lambda: re.compile(_NOTES_PATTERN),
    "ESCAPED_IN_NOTES": lambda: _pattern("REFUSED_IN_NOTES"),
    "_SHOWN_IN_NAMES": lambda: re.compile("\\\\|" + _NAMES_PATTERN),
}


def _pattern(name: str) -> re.Pattern:
    """One of the patterns compiled on first use, compiled once (kept as the module's global)."""
    found = globals().get(name)
    if found is None:
        found = globals()[name] = _LAZY_PATTERNS[name]()
    return found


def __getattr__(name: str):
    """``characters.REFUSED_IN_NAMES`` and ``from ...characters import REFUSED_IN_NOTES``: the
    pattern, compiled at this first use (PEP 562)."""
    if name in _LAZY_PATTERNS:
        return _pattern(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

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


def _shown(match: re.Match) -> str:
    found = match.group()
    return "\\\\" if found == "\\" else escape_character(found)


#: What the shown form writes as an escape: a backslash (as ``\\\\``) and what a name or
#: a note refuses (as ``\\uXXXX``).
_SHOWN_IN_NOTES = re.compile("\\\\|" + _NOTES_PATTERN)  # visible(): every name and note on screen
# _SHOWN_IN_NAMES ("\\\\|" + REFUSED_IN_NAMES' pattern) is compiled on first use (_LAZY_PATTERNS).


class ShownText(str):
    """A text already in its shown form (what :func:`shown_escaped`, :func:`visible` and
    :func:`visible_id` return): escaping it again gives it back as it is (its doubled
    backslashes stay two), so a shown id passed on to the window's HTML escape, a CSV cell
    or a FHIR string is never escaped twice."""

    __slots__ = ()


def shown_escaped(text: str, note: bool = False, identifier: bool = False) -> str:
    """``text`` with each refused character written as a visible ``\\uXXXX`` escape, and
    each backslash doubled (``\\\\``).

    In a name (``note=False``) tab, CR and LF are escaped too (a name is one line); in a
    note they are kept. Used by the exports and the screen for stored text, so a character
    that should never have been stored is shown, never obeyed.

    The shown form is one-to-one (red-team rt10 F8): a backslash in the shown text is
    always the start of an escape (``\\\\``, ``\\uXXXX`` or ``\\UXXXXXXXX``), so a stored
    text holding the six characters ``\\u202e`` (shown ``\\\\u202e``) never looks like one
    holding a real U+202E (shown ``\\u202e``): two different stored texts are never shown
    the same (:func:`unescaped` gives the stored text back).
    """
    if type(text) is ShownText:
        return text
    if identifier:
        hits = {n for n, _ in _id_hits(text)}
        if not hits and "\\" not in text:
            return ShownText(text)
        return ShownText("".join("\\\\" if ch == "\\" else escape_character(ch) if n in hits else ch
                                 for n, ch in enumerate(text)))
    return ShownText((_SHOWN_IN_NOTES if note else _pattern("_SHOWN_IN_NAMES")).sub(_shown, text))


_SHOWN_ESCAPE = re.compile(r"\\(?:\\|u([0-9a-f]{4})|U([0-9a-f]{8}))")


def unescaped(shown: str) -> str:
    """The stored text of a shown form (the inverse of :func:`shown_escaped` and
    :func:`visible`): ``\\\\`` is one backslash, ``\\uXXXX``/``\\UXXXXXXXX`` the character;
    anything else is kept as it is."""
    if "\\" not in shown:
        return shown
    return _SHOWN_ESCAPE.sub(lambda m: "\\" if m.group() == "\\\\" else chr(int(m.group(1) or m.group(2), 16)),
                             shown)


def stored_id(typed: str, exists) -> str:
    """The stored identifier a typed one means: the shown form (as the worklist and the CSV
    show it, ``EX\\u202e1`` for an id holding a real U+202E, ``EX\\\\u202e1`` for one holding
    the typed characters) read back with :func:`unescaped` when a case has that id
    (``exists(id)``), else the text as typed. So ``case`` opens the case the reader sees,
    never its look-alike (rt10 F8)."""
    if "\\" not in typed:
        return typed
    meant = unescaped(typed)
    return meant if meant != typed and exists(meant) else typed


def refused_characters(text: str, note: bool = False, identifier: bool = False) -> list[tuple[int, str]]:
    """Each refused character of ``text`` as (1-based position, ``character_name``)."""
    if identifier:
        return [(n + 1, character_name(ch)) for n, ch in sorted(_id_hits(text))]
    pattern = _pattern("REFUSED_IN_NOTES" if note else "REFUSED_IN_NAMES")
    return [(m.start() + 1, character_name(m.group())) for m in pattern.finditer(text)]


#: The most combining marks a new name or identifier may stack on one letter. Unicode's
#: stream-safe text format (UAX #15, UAX15-D4) allows at most 30 marks in a row, a limit for
#: buffers, not for names. Real spelling needs far fewer: Vietnamese stacks 2 on a vowel (a
#: quality mark and a tone: "ệ" is e, dot below, circumflex), pointed Hebrew up to 3 (shin
#: dot, dagesh, vowel), a Tibetan stack 3 (two subjoined letters and a vowel sign). 4 lets
#: every one of them by with one to spare, while the 8 or more stacked accents of "Zalgo"
#: text, which draw over the lines above and below (another row of the worklist, another
#: line of the handout), are refused (rt10 F7). Counted on the canonical decomposition, so
#: "ệ" typed as one character counts 2, as typed in three.
MAX_MARKS_ON_ONE_LETTER = 4


def _mark_count(ch: str) -> tuple[int, int]:
    """(combining marks leading, combining marks trailing) in ``ch``'s canonical
    decomposition; (1, 1) for a mark itself, (0, 0) for a letter without marks."""
    decomposed = unicodedata.normalize("NFD", ch) if ord(ch) >= 0xC0 else ch
    marks = [unicodedata.category(c) in ("Mn", "Me") for c in decomposed]
    if all(marks):
        return len(marks), len(marks)
    return 0, marks[::-1].index(False)


#: U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER. In grapheme clusters (UAX #29)
#: both are Extend, so a joiner between marks does not end the letter they stand on, and
#: UAX #31 (2.3, "Layout and Format Control Characters") allows them only between letters
#: (after a virama, or breaking a cursive join), never to start a new run of marks: the
#: marks on one letter are counted across them (red-team rt12 F16: 4 marks, ZWJ, 4 marks).
_JOINS_A_CLUSTER = frozenset("\u200c\u200d")


def stacked_marks(text: str) -> list[tuple[int, int]]:
    """Each place where more than :data:`MAX_MARKS_ON_ONE_LETTER` combining marks (general
    category Mn or Me, counted in the canonical decomposition) stand on one letter, as
    (1-based position of the first character past the limit, marks on that letter). A ZWNJ
    or ZWJ between marks does not end the letter (rt12 F16)."""
    if text.isascii():
        return []
    found: list[tuple[int, int]] = []
    run = 0
    over_at = 0
    for n, ch in enumerate(text):
        if ch in _JOINS_A_CLUSTER:  # ZWNJ/ZWJ end no letter: the marks after one stand on it too (rt12 F16)
            continue
        if ord(ch) < 0x300:  # no combining mark below U+0300; a letter: the run ends
            lead, trail = (0, 0) if ord(ch) < 0xC0 else _mark_count(ch)
        else:
            lead, trail = _mark_count(ch)
        if lead == 0 or lead != trail:  # a letter (maybe with its own marks): a new run
            if over_at:
                found.append((over_at, run))
            run, over_at = trail, (n + 1 if trail > MAX_MARKS_ON_ONE_LETTER else 0)
        else:
            run += lead
            if run > MAX_MARKS_ON_ONE_LETTER and not over_at:
                over_at = n + 1
    if over_at:
        found.append((over_at, run))
    return found


#: A backslash, u or U and four hex digits: the way the shown form writes a hidden
#: character (``\\u202e``), refused as typed text in a new name or identifier (rt10 F8).
_ESCAPE_LOOKALIKE = re.compile(r"\\[uU][0-9A-Fa-f]{4}")


def _clusters(text: str) -> Iterator[tuple[int, str]]:
    """Each letter with the combining marks after it, as (0-based start, text)."""
    start = 0
    for n in range(1, len(text) + 1):
        if n == len(text) or unicodedata.combining(text[n]) == 0:
            yield start, text[start:n]
            start = n


def _not_composed(field: str, text: str) -> str | None:
    """The message for an identifier not in Unicode's composed form (NFC), naming the first
    letter typed another way (rt11 F9: ``EX-JOSE`` + U+0301 and ``EX-JOSÉ`` look the same
    but are two ids, so only the composed one is accepted)."""
    if unicodedata.is_normalized("NFC", text):
        return None
    for start, cluster in _clusters(text):
        composed = unicodedata.normalize("NFC", cluster)
        if composed != cluster:
            typed = " + ".join(character_name(ch) for ch in cluster)
            return (f"{field} holds {typed} (character {start + 1}) where Unicode's composed form is "
                    f"{' + '.join(character_name(ch) for ch in composed)}: an identifier is compared character by "
                    "character, so the two spellings would be two different ids that look the same; type it "
                    "again with the composed letter (most keyboards type it so; a text copied from a Mac file "
                    "name may hold the decomposed form)")
    return (f"{field} is not in Unicode's composed form (NFC): an identifier is compared character by character, "
            "so type it again")


#: Dashes that look like the ASCII hyphen-minus in an identifier (U+2010 HYPHEN, U+2011
#: NON-BREAKING HYPHEN, U+2012 FIGURE DASH, U+2013 EN DASH, U+2014 EM DASH, U+2015
#: HORIZONTAL BAR, U+2212 MINUS SIGN, U+FE63, U+FF0D and the other Pd): "EX‐1" with U+2010
#: is a different id from "EX-1" that looks the same (rt11 F8).
def _hyphen_lookalike(ch: str) -> bool:
    return ch != "-" and (unicodedata.category(ch) == "Pd" or ch == "\u2212")


def _ascii_lookalikes(field: str, text: str) -> str | None:
    """The message for an identifier holding a character that stands for an ASCII one:
    its compatibility form (NFKC) is ASCII (full-width ``ＥＸ``, superscripts, ligatures,
    mathematical letters), or a dash other than the hyphen-minus (rt11 F8)."""
    if text.isascii():
        return None
    found = []
    for n, ch in enumerate(text):
        if ch.isascii():
            continue
        compat = unicodedata.normalize("NFKC", ch)
        if _hyphen_lookalike(ch):
            found.append((n, ch, "-"))
        elif compat != ch and compat.isascii() and compat.isprintable() and compat.strip():
            found.append((n, ch, compat))
    if not found:
        return None
    listed = "; ".join(f"{character_name(ch)} (character {n + 1}) for '{plain}'" for n, ch, plain in found[:5])
    return (f"{field} holds {listed}{'; …' if len(found) > 5 else ''}: these look like ordinary letters, digits or "
            "signs but are other characters, so the id would differ from the one it looks like; type them with "
            "the ordinary keys (a full-width keyboard mode types the wide forms)")


def problem(field: str, text: str, note: bool = False, identifier: bool = False) -> str | None:
    """The message for a field holding refused characters, or None when it holds none."""
    found = refused_characters(text, note, identifier)
    if not found and not note:
        stacks = stacked_marks(text)
        if stacks:
            where = ", ".join(str(pos) for pos, _ in stacks[:5])
            most = max(count for _, count in stacks)
            return (f"{field} holds {most} combining marks (accents) on one letter (character {where}): at most "
                    f"{MAX_MARKS_ON_ONE_LETTER} are accepted on one letter, enough for any spelling of a name; "
                    "more draw over the lines above and below, so remove them and type the text again")
    if not found and not note and text and unicodedata.category(text[0]) in ("Mn", "Me", "Mc"):  # rt11 F9
        return (f"{field} starts with {character_name(text[0])}, a combining mark with no letter under it: "
                "type the letter first, then the accent (or the accented letter)")
    if not found and identifier:
        wrong = _not_composed(field, text) or _ascii_lookalikes(field, text)
        if wrong:
            return wrong
    if not found:
        lookalike = None if note else _ESCAPE_LOOKALIKE.search(text)
        if lookalike is None:
            shape = identifier_shape(text) if identifier else None  # rt12 F5, ids12's list
            return _shape_message(field, *shape[0]) if shape else None
        return (f"{field} holds the text {lookalike.group()} (character {lookalike.start() + 1}): a backslash "
                "followed by u and hex digits is how the app shows a hidden character, so a name or "
                "identifier holding it would look like one that holds the hidden character; remove the "
                "backslash and type the text again")
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
    escape, so it can neither hide text nor reorder the line ("evil" never shows as "live"),
    and each backslash doubled, so the shown form is one-to-one (rt10 F8; see
    :func:`shown_escaped`). None is empty."""
    if not text:
        return ""
    if type(text) is ShownText:  # shown already: never escaped twice
        return text
    return ShownText(_SHOWN_IN_NOTES.sub(_shown, text))


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


# --------------------------------------------------------------------------- names compared
def _name_key(name: str) -> str:
    return unicodedata.normalize("NFC", " ".join(name.split())).casefold()


def same_name(a: str, b: str) -> bool:
    """True when two names are the same name: differing only in capitals, spaces, or the
    way an accented letter is typed (``é`` as one character or ``e`` + U+0301, as a Mac or
    some exports write it: rt11 F14; compared in Unicode's composed form, NFC)."""
    return a == b or _name_key(a) == _name_key(b)


def name_difference(a: str, b: str) -> str:
    """Where two names that are not :func:`same_name` first differ, code point by code point,
    when it may not be seen: the names hold a character other than ASCII and are as long as
    each other (a letter swapped for a look-alike; otherwise the difference shows as it is):
    `` (first difference at character 4: stored U+00E9 LATIN SMALL LETTER E WITH ACUTE, new
    U+0435 CYRILLIC SMALL LETTER IE)``, so two names that print alike are told apart."""
    if a.isascii() and b.isascii():
        return ""
    a, b = _name_key(a), _name_key(b)
    if len(a) != len(b):
        return ""
    n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    stored = character_name(a[n]) if n < len(a) else "the end of the name"
    new = character_name(b[n]) if n < len(b) else "the end of the name"
    return f" (first difference at character {n + 1}, capitals aside: stored {stored}, new {new})"


# ----------------------------------------------------------------- identifier shape (rt12 F5)
#: U+0640 ARABIC TATWEEL: a stretch of the joining line between two Arabic letters, drawn
#: only to justify a line; it carries no letter, so ``EX-سـعيد`` and ``EX-سعيد`` read the
#: same but are two ids. A name keeps it (a printed name may be written so); an id not.
_TATWEEL = "\u0640"

#: The scripts a Latin letter may be mistaken for (UTS #39, 5.2 "Moderately Restrictive":
#: Latin may be mixed with one other script, but never with Cyrillic or Greek, whose
#: letters look like Latin ones: ``EX-1`` with U+0415 CYRILLIC CAPITAL LETTER IE).
_LATIN_LOOKALIKE_SCRIPTS = frozenset({"CYRILLIC", "GREEK", "COPTIC", "CHEROKEE", "ARMENIAN"})
#: Script sets UTS #39 5.2 allows together with Latin ("Highly Restrictive": the scripts
#: of Japanese, Chinese with Bopomofo, Korean, which mix with Latin letters in real text).
_CJK_SETS = (frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}), frozenset({"LATIN", "HAN", "BOPOMOFO"}),
             frozenset({"LATIN", "HAN", "HANGUL"}))
_SCRIPT_OF_NAME = {"CJK": "HAN", "IDEOGRAPHIC": "HAN", "KATAKANA-HIRAGANA": "KATAKANA", "HALFWIDTH": "KATAKANA"}


def letter_script(ch: str) -> str | None:
    """The script of a letter (general category L*), read from its Unicode name's first word
    (``LATIN SMALL LETTER E`` is Latin, ``CYRILLIC CAPITAL LETTER IE`` Cyrillic; CJK
    ideographs are Han): Python's :mod:`unicodedata` has no Script property, and for the
    letters this rule is about (Latin, Greek, Cyrillic, the CJK scripts) the name starts with
    the script. None for anything but a letter (digits, signs and marks belong to no one
    script: UTS #39's Common and Inherited)."""
    if not unicodedata.category(ch).startswith("L"):
        return None
    word = unicodedata.name(ch, "").split(" ", 1)[0]
    return _SCRIPT_OF_NAME.get(word, word) or None


def mixed_scripts(text: str) -> tuple[str, ...]:
    """The scripts of ``text``'s letters when UTS #39's "Moderately Restrictive" level
    refuses the mix (Latin with Cyrillic or Greek; any two scripts but Latin + one other and
    the CJK sets), else ``()``: such an id can look like another (``EХ-1`` with a Cyrillic
    Х beside ``EX-1``)."""
    if text.isascii():
        return ()
    scripts = {s for s in map(letter_script, text) if s}
    if len(scripts) < 2:
        return ()
    if any(scripts <= allowed for allowed in _CJK_SETS):
        return ()
    if len(scripts) == 2 and "LATIN" in scripts and not scripts & _LATIN_LOOKALIKE_SCRIPTS:
        return ()
    return tuple(sorted(scripts))


def _mark_without_letter(text: str) -> int | None:
    """The 0-based position of the first combining mark (Mn, Mc, Me) that stands on no
    letter: after a digit, a sign, a space or a hyphen (``P-`` + U+0301, ``EX-1`` + U+0336
    COMBINING LONG STROKE OVERLAY, which strikes the 1 through), or None. A mark on a letter,
    or on a letter's other marks, is spelling (``NGUYỄN`` typed decomposed is NFC-refused
    earlier; Devanagari vowel signs follow their letter)."""
    base_is_letter = False
    for n, ch in enumerate(text):
        category = unicodedata.category(ch)
        if category in ("Mn", "Mc", "Me"):
            if not base_is_letter:
                return n
        else:
            base_is_letter = category.startswith("L")
    return None


def identifier_shape(text: str) -> list[tuple[int, str]]:
    """What a new identifier may not hold besides hidden characters, as (1-based position,
    what): a backslash (rt12 F5: the shown form writes one doubled, so a stored ``EX\\\\1``
    is shown as the text of another id, ``EX\\\\\\\\1``... ids need none), two spaces in a row
    (a slip of the thumb that makes a second id looking like the first), U+0640 ARABIC
    TATWEEL, a combining mark on no letter, and a mix of scripts that look alike (UTS #39).
    Used for new input by :func:`problem` and for stored ids by ``check --full``."""
    found: list[tuple[int, str]] = []
    at = text.find("\\")
    if at >= 0:
        found.append((at + 1, "a backslash (\\)"))
    at = text.find("  ")
    if at >= 0:
        found.append((at + 2, "two spaces in a row"))
    if text.isascii():  # no tatweel, mark or second script in ASCII: most ids stop here
        return found
    at = text.find(_TATWEEL)
    if at >= 0:
        found.append((at + 1, character_name(_TATWEEL)))
    at = _mark_without_letter(text)
    if at is not None:
        found.append((at + 1, f"{character_name(text[at])} on no letter"))
    scripts = mixed_scripts(text)
    if scripts:
        first = next(n for n, ch in enumerate(text) if letter_script(ch) not in (None, "LATIN"))
        found.append((first + 1, f"letters of {' and '.join(s.title() for s in scripts)} mixed in one id "
                                 f"({character_name(text[first])})"))
    at = _sign_lookalike(text)
    if at is not None:
        found.append((at + 1, f"{character_name(text[at])}, which looks like a keyboard sign"))
    return sorted(found)


#: Letters drawn as a plain horizontal stroke that Unicode's confusables data maps to, or
#: next to, "-" (U+30FC KATAKANA-HIRAGANA PROLONGED SOUND MARK, U+4E00 CJK "one", U+2F00
#: KANGXI RADICAL ONE, U+3161 HANGUL LETTER EU, U+1173 HANGUL JUNGSEONG EU): in an id whose
#: other letters are Latin, ``EX一ROUTINE一L5`` reads as ``EX-ROUTINE-L5`` (rt13 F6).
_DASH_LIKE_LETTERS = frozenset("\u30fc\u4e00\u2f00\u3161\u1173")


def _sign_lookalike(text: str) -> int | None:
    """The 0-based position of the first character that can pass for the ASCII punctuation of
    an id, or None: any non-ASCII punctuation or symbol (general category P* or S*: U+02D7
    MODIFIER LETTER MINUS SIGN, U+2043 HYPHEN BULLET, U+2796 HEAVY MINUS SIGN, U+00B7 MIDDLE
    DOT, U+00D7 MULTIPLICATION SIGN; red-team rt13 F6: seven rows that read
    ``EX-ROUTINE-L5``), and a stroke-shaped CJK letter (:data:`_DASH_LIKE_LETTERS`) in an id
    whose other letters are all Latin. Ids use ASCII signs only; a name may hold any."""
    latin = cjk = False
    dash_like = None
    for n, ch in enumerate(text):
        if ch.isascii():
            latin = latin or ch.isalpha()
            continue
        category = unicodedata.category(ch)
        if category[0] in "PS":
            return n
        if ch in _DASH_LIKE_LETTERS:
            dash_like = n if dash_like is None else dash_like
        elif letter_script(ch) in ("HAN", "KATAKANA", "HIRAGANA", "HANGUL"):
            cjk = True
        elif letter_script(ch) == "LATIN":
            latin = True
    return dash_like if dash_like is not None and latin and not cjk else None


_SHAPE_WHY = {
    "a backslash": ("an id is shown with each backslash doubled, so an id holding one can be taken for another "
                    "id (EX\\1 is shown EX\\\\1, which is also an id of its own); ids need no backslash: type "
                    "the id again without it"),
    "two spaces": "two ids that differ by a space look the same: type the id again with one space",
    "U+0640": "the stretched joining line draws no letter, so the id looks like one without it: type the id again "
              "without it",
    "on no letter": ("an accent on a digit, a sign or a space changes how the id looks but not how it reads: type the "
                     "id again without it"),
    "keyboard sign": ("ids use the signs of an ordinary keyboard (- . / _ and the like); this character can pass "
                      "for one of them, so the id would look like another: type the id again with the keyboard's "
                      "own sign"),
    "letters of": ("letters of these scripts look alike (Latin E and Cyrillic \u0415), so the id would look like "
                   "another: type every letter of the id with one keyboard layout"),
}


def _shape_message(field: str, pos: int, what: str) -> str:
    why = next(reason for key, reason in _SHAPE_WHY.items() if key in what)
    return f"{field} holds {what} (character {pos}): {why}"


# ------------------------------------------------------------- printed and exported form
#: What the printed/exported form must write as an escape for the decoder (:func:`unprinted`)
#: to read a backslash as itself: another backslash next (a stored one or the start of a
#: hidden character's escape) or the text of an escape (``u`` + 4 hex digits, ``U`` + 8).
_READS_AS_ESCAPE = re.compile(r"u[0-9a-f]{4}|U[0-9a-f]{8}")


def printed(text: str | None, note: bool = True, identifier: bool = False) -> str:
    """Stored text for a printed sheet and a FHIR string (rt12 F12): the stored text itself,
    but for each hidden character (what :func:`visible` escapes; with ``identifier``, what
    :func:`visible_id` escapes) written as its ``\\uXXXX`` escape. A backslash is written as
    it is stored (``Ana\\Lopez`` is printed and exported so), and doubled only where it would
    otherwise read as the start of an escape: before another backslash or before ``u`` + four
    hex digits (``U`` + eight). So the form is still one-to-one (:func:`unprinted` gives the
    stored text back: a stored ``\\u202e`` typed as six characters never prints like a real
    U+202E), while a name without a hidden character prints and exports exactly as stored.
    ``note=False`` escapes tab and line breaks too (a one-line text on paper)."""
    if not text:
        return ""
    if identifier:
        hits = dict(_id_hits(text))
        pieces = [(n, ch) for n, ch in enumerate(text) if ch == "\\" or n in hits]
    else:
        pattern = _SHOWN_IN_NOTES if note else _pattern("_SHOWN_IN_NAMES")
        pieces = [(m.start(), m.group()) for m in pattern.finditer(text)]
    if not pieces:
        return text
    out: list[str] = []
    at = 0
    for n, (start, found) in enumerate(pieces):
        out.append(text[at:start])
        at = start + len(found)
        if found != "\\":
            out.append(escape_character(found))
            continue
        nxt = pieces[n + 1][0] if n + 1 < len(pieces) else len(text)
        doubled = nxt == at < len(text) or _READS_AS_ESCAPE.match(text, at, nxt) is not None
        out.append("\\\\" if doubled else "\\")
    out.append(text[at:])
    return "".join(out)


_PRINTED_ESCAPE = re.compile(r"\\(?:\\|u([0-9a-f]{4})|U([0-9a-f]{8}))")


def unprinted(shown: str) -> str:
    """The stored text of a :func:`printed` form: ``\\\\`` is one backslash, ``\\uXXXX``
    (``\\UXXXXXXXX``) the hidden character, any other backslash itself."""
    return _PRINTED_ESCAPE.sub(lambda m: "\\" if m.group() == "\\\\" else chr(int(m.group(1) or m.group(2), 16)),
                               shown) if "\\" in shown else shown


def printed_html(text: str | None, quote: bool = True) -> str:
    """:func:`printed`, then HTML-escaped: the escape of the handout and the summary for
    text from a case (a name prints as stored, a hidden character as ``\\uXXXX``)."""
    import html

    return html.escape(printed(text), quote)


# ------------------------------------------------------------- ids differing in capitals
def capitals_key(identifier: str) -> str:
    """An id with capitals aside, for every script (``str.casefold``, then NFC: ``É`` and
    ``é``, ``Σ`` and ``σ``/``ς``), the comparison of ``import``'s "only in capitals" warning
    on both engines (ids12 left it to the store's search, ASCII-only on SQLite)."""
    return unicodedata.normalize("NFC", identifier.casefold())


def capitals_queries(identifier: str) -> tuple[str, ...]:
    """The texts to search the store with (its search ignores the capitals of ASCII letters
    only, on SQLite) to find every stored id with the :func:`capitals_key` of
    ``identifier``: the id itself, all in capitals and all in small letters (a stored
    ``EX-JOSÉ`` beside a new ``ex-josé``), and its longest ASCII part of three characters
    or more (an id mixing capital and small non-ASCII letters); the caller compares each
    match with :func:`capitals_key`."""
    if identifier.isascii():
        return (identifier,)
    queries = dict.fromkeys((identifier, identifier.upper(), identifier.lower()))
    ascii_parts = sorted(re.findall(r"[\x20-\x7e]{3,}", identifier), key=len, reverse=True)
    if ascii_parts:
        queries[ascii_parts[0]] = None
    return tuple(queries)


# ------------------------------------------------ ids that look the same (UTS #39 skeleton)
_PROTOTYPES: dict[int, str] | None = None


def _prototypes() -> dict[int, str]:
    """Unicode's confusables table (resources/unicode/confusables.txt, UTS #39 14.0.0, the
    Unicode version of Python 3.11's ``unicodedata``): each character to its prototype."""
    global _PROTOTYPES
    if _PROTOTYPES is None:
        from radiculopathy_desktop.resources import resource_path
        table: dict[int, str] = {}
        for line in resource_path("unicode", "confusables.txt").read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                source, target = line.split(";")
                table[int(source, 16)] = "".join(chr(int(h, 16)) for h in target.split())
        _PROTOTYPES = table
    return _PROTOTYPES


def skeleton(text: str) -> str:
    """UTS #39 section 4 ``skeleton(X)``: NFD, each character replaced by its prototype in
    Unicode's confusables table, NFD again. Two texts with the same skeleton are confusable:
    an all-Cyrillic ``ЕХ-1`` and ``EX-1`` (U+0415, U+0425 to E, X), but also ``EX-1`` and
    ``EX-l`` (digit one and small L share the prototype ``l``), ``P-0`` and ``P-O``."""
    if text.isascii():  # NFD leaves ASCII as it is: only the mapping, and NFD of what it gave
        mapped = text.translate(_prototypes())
        return mapped if mapped.isascii() else unicodedata.normalize("NFD", mapped)
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).translate(_prototypes()))


def skeletons(texts: list[str]) -> list[str]:
    """:func:`skeleton` of each of ``texts``, in one pass over them joined by line breaks (a
    hundred thousand stored ids in tens of milliseconds): NFD and the mapping act on each
    character and its marks, and a line break is a character of its own that maps to itself,
    so the joined result splits back into the skeletons. Ids holding a line break (refused
    since the first tracker) are each done alone."""
    joined = "\n".join(texts)
    if not texts or joined.count("\n") != len(texts) - 1:
        return [skeleton(t) for t in texts]
    table = _prototypes()
    if joined.isascii():
        mapped = joined.translate(table)
        done = mapped if mapped.isascii() else unicodedata.normalize("NFD", mapped)
    else:
        done = unicodedata.normalize("NFD", unicodedata.normalize("NFD", joined).translate(table))
    return done.split("\n")


class LookalikeIds:
    """Ids of one kind (patient IDs, or case IDs) by :func:`skeleton`, to find a new id that
    looks the same as a different one already there (ids13 left same-script look-alikes: an
    all-Cyrillic copy of a Latin id passes the mixed-script rule). The same id is never its
    own look-alike: a new case of a stored patient gives that patient's ID again."""

    def __init__(self, ids=()) -> None:
        ids = list(ids)
        self._ids: set[str] = set(ids)
        # the first id of each skeleton (reversed: an earlier id overwrites a later one)
        self._by_skeleton: dict[str, str] = dict(zip(reversed(skeletons(ids)), reversed(ids)))

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, identifier: str) -> None:
        if identifier not in self._ids:
            self._ids.add(identifier)
            self._by_skeleton.setdefault(skeleton(identifier), identifier)

    def lookalike(self, identifier: str) -> str | None:
        """The other id that ``identifier`` looks the same as, or None (also when it is there itself)."""
        if identifier in self._ids:
            return None
        return self._by_skeleton.get(skeleton(identifier))


def lookalike_message(what: str, typed: str, existing: str) -> str:
    """Why ``typed`` (a "patient ID" or "case ID") is refused beside ``existing``: both named
    as shown, and the characters of ``typed`` that differ from it named."""
    names = []
    for a, b in zip(typed, existing):
        if a != b and character_name(a) not in names:
            names.append(character_name(a))
    if len(typed) != len(existing) or not names:
        names = names or [character_name(ch) for ch in typed if not ch.isascii()][:3]
    differ = f" ({'; '.join(names[:3])}{'; …' if len(names) > 3 else ''})" if names else ""
    return (f"{what} {visible_id(typed)} looks the same as the {what} {visible_id(existing)} already in the tracker "
            f"but is written with other characters{differ}: two ids that look alike would be taken for one another "
            f"(Unicode's confusables, UTS #39). Type {visible_id(existing)} if you mean that one, or choose an ID "
            "that looks different")


class NewIdCheck:
    """The look-alike check of new cases against the ids stored (``store.stored_ids()``) and
    the ids of the cases checked before them (one file's cases among themselves): a patient ID
    against the patient IDs, a case ID against the case IDs. Used by the window's intake and
    ``import`` on both engines, so both refuse the same ids with the same words."""

    def __init__(self, patient_ids=(), case_ids=()) -> None:
        self.patients = LookalikeIds(patient_ids)
        self.cases = LookalikeIds(case_ids)

    def problems(self, patient_id: str, case_id: str) -> list[tuple[str, str]]:
        """``(field, message)`` for each id of a new case that looks the same as another id;
        the case's ids are then counted among those the next case is checked against."""
        out = []
        other = self.patients.lookalike(patient_id)
        if other is not None:
            out.append(("patient.id", lookalike_message("patient ID", patient_id, other)))
        other = self.cases.lookalike(case_id)
        if other is not None:
            out.append(("case_id", lookalike_message("case ID", case_id, other)))
        self.patients.add(patient_id)
        self.cases.add(case_id)
        return out
