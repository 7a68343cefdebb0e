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

#: Refused in a name or identifier: one line, no reordering.
REFUSED_IN_NAMES = re.compile(f"[{_CONTROLS}{_BIDI_CONTROLS}{_BIDI_MARKS}{_SEPARATORS}]")
#: Refused in a free-text note: tab, LF and CR (line breaks) and the bidi marks are kept.
REFUSED_IN_NOTES = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI_CONTROLS}{_SEPARATORS}]")

#: What the exports and the screen escape in stored free text (never obeyed, never lost):
#: what a note refuses (its tabs, line breaks and bidi marks are kept).
ESCAPED_IN_NOTES = REFUSED_IN_NOTES


def character_name(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: the code point and its Unicode name."""
    code = ord(ch)
    name = _C0_NAMES.get(code) or unicodedata.name(ch, "")
    if not name:
        name = "C1 CONTROL CHARACTER" if 0x80 <= code <= 0x9F else "CONTROL CHARACTER"
    return f"U+{code:04X} {name}"


def escape_character(ch: str) -> str:
    """The visible escape of one character, as the terminal output writes it (``\\u202e``)."""
    return f"\\u{ord(ch):04x}"


def shown_escaped(text: str, note: bool = False) -> str:
    """``text`` with each refused character written as a visible ``\\uXXXX`` escape.

    In a name (``note=False``) tab, CR and LF are escaped too (a name is one line); in a
    note they are kept. Used by the exports and the screen for stored text, so a character
    that should never have been stored is shown, never obeyed.
    """
    pattern = ESCAPED_IN_NOTES if note else REFUSED_IN_NAMES
    return pattern.sub(lambda m: escape_character(m.group()), text)


def refused_characters(text: str, note: bool = False) -> list[tuple[int, str]]:
    """Each refused character of ``text`` as (1-based position, ``character_name``)."""
    pattern = REFUSED_IN_NOTES if note else REFUSED_IN_NAMES
    return [(m.start() + 1, character_name(m.group())) for m in pattern.finditer(text)]


def problem(field: str, text: str, note: bool = False) -> str | None:
    """The message for a field holding refused characters, or None when it holds none."""
    found = refused_characters(text, note)
    if not found:
        return None
    names = []
    for _, name in found:
        if name not in names:
            names.append(name)
    where = ", ".join(str(pos) for pos, _ in found[:5]) + (", …" if len(found) > 5 else "")
    kind = ("a note may hold line breaks and tabs but no other control character or direction override"
            if note else "a name or identifier is one line of visible characters")
    listed = "; ".join(names[:5]) + ("; …" if len(names) > 5 else "")
    return (f"{field} holds {listed} (character {where}): {kind}; these characters are invisible "
            "and can hide or reorder the text shown, so remove them and type the text again")


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
        message = problem(field, text, note)
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


def visible_html(text: str | None, quote: bool = True) -> str:
    """:func:`visible`, then HTML-escaped (the escape the reports and the window use for
    text from a case)."""
    import html

    return html.escape(visible(text), quote)
