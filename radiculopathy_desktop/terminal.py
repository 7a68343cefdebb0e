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

# C0 controls except tab and newline, DEL, C1 controls, line/paragraph separators,
# bidirectional embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\u2028\u2029]+")


def _escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every control character other than tab and newline shown as ``\\uXXXX``."""
    return _UNSAFE.sub(_escape, text)


def one_line(text: str | None) -> str:
    """``text`` on one line (line breaks and tabs become a space), then :func:`terminal_safe`."""
    return terminal_safe(_BREAKS.sub(" ", text or ""))
