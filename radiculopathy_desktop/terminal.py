"""Text from a case, made safe to print on a terminal.

Names, notes and identifiers come from case files and the database; a terminal obeys
control characters in them (ESC sequences can clear the screen, rewrite lines, retitle
the window or hide text), and bidirectional overrides can show text in another order
than it is stored. :func:`terminal_safe` replaces each such character by its visible
``\\uXXXX`` escape, which is also the same character inside a JSON string, so JSON
output stays valid and means the same. Newlines and tabs are kept (the commands' own
layout); :func:`one_line` also flattens them, for a value shown inside a line.
"""

from __future__ import annotations

import re

from radiculopathy_desktop.domain.characters import IDS_ASTRAL, IDS_BMP, NOTES_ASTRAL, NOTES_BMP

# C0 controls except tab and newline, DEL, C1 controls, line/paragraph separators,
# bidirectional embeddings, overrides and isolates.
_UNSAFE_ASCII = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
# and every other character a note refuses (rt11 F10: zero width space, word joiner, BOM,
# the rest of the Default_Ignorable code points...): what the window and the exports escape.
# A text without astral characters (most) is searched with the class of the others alone:
# a class with astral ranges is tested range by range, several times slower.
_UNSAFE_BMP = re.compile(f"[\r{NOTES_BMP}]")
_UNSAFE = re.compile(f"[\r{NOTES_BMP}]|(?=[\U00010000-\U0010ffff])[{NOTES_ASTRAL}]")
# In JSON output, what an identifier refuses (a superset: joiners, variation selectors,
# no-break spaces too), but tab and newline (json.dumps writes them only as its layout:
# in a string they are \t and \n already).
_JSON_BMP_CLASS = IDS_BMP.replace("\x00-\x1f", "\x00-\x08\x0b-\x1f", 1)
assert _JSON_BMP_CLASS != IDS_BMP
_JSON_UNSAFE_BMP = re.compile(f"[{_JSON_BMP_CLASS}]")
_JSON_UNSAFE = re.compile(f"[{_JSON_BMP_CLASS}]|(?=[\U00010000-\U0010ffff])[{IDS_ASTRAL}]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\u2028\u2029]+")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _json_escape(match: re.Match) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a JSON string writes an astral character as its UTF-16 surrogate pair
    return f"\\u{0xD800 | (code >> 10):04x}\\u{0xDC00 | (code & 0x3FF):04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every control character other than tab and newline, and every hidden
    character (what a note refuses), shown as ``\\uXXXX`` (``\\UXXXXXXXX`` above U+FFFF)."""
    if text.isascii():
        return _UNSAFE_ASCII.sub(_escape, text)
    return (_UNSAFE if _ASTRAL.search(text) else _UNSAFE_BMP).sub(_escape, text)


def json_safe(text: str) -> str:
    """JSON text (``json.dumps(..., ensure_ascii=False)``) with every control and hidden
    character inside its strings written as a JSON ``\\uXXXX`` escape (a surrogate pair
    above U+FFFF): the same JSON value, exact to the character, whose bytes show a stored
    zero width space as ``\\u200b`` as the worklist table and the CSV do (rt11 F10). Such a
    character can only stand inside a string (JSON's own syntax is ASCII without controls
    but tab and newline), so the escape never changes the document's structure."""
    if text.isascii():
        return _UNSAFE_ASCII.sub(_json_escape, text)
    return (_JSON_UNSAFE if _ASTRAL.search(text) else _JSON_UNSAFE_BMP).sub(_json_escape, text)


def one_line(text: str | None) -> str:
    """``text`` on one line (line breaks and tabs become a space), then :func:`terminal_safe`."""
    return terminal_safe(_BREAKS.sub(" ", text or ""))
