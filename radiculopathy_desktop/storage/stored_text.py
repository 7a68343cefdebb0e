"""Stored names, identifiers and notes that new input would refuse: the scan behind
``check --full`` (the local file) and ``server check --full`` (the clinic server), one
code for both engines (red-team rt8 F8, rt10 F6, F7; the server had no such scan).

Each engine hands :func:`hidden_character_warnings` its ``(case_id, case_json)`` rows; a
case whose document holds neither a non-ASCII character nor a backslash escape is never
decoded. The scan names each case, field and character: the exports and the window show
such characters as visible escapes (stacked marks as they are), and the line says the
record is to be corrected.
"""

from __future__ import annotations

import json
import re
from typing import Iterable

#: Case JSON text that may hold a character new input refuses: the character itself (the
#: documents are stored without ``ensure_ascii``) or the JSON escape of a control character
#: (``\\u0007``, ``\\n``). A prefilter only: each candidate is read and checked exactly.
#: Also any backslash (``\\\\`` in JSON: an id holding one, rt12 F5) and two spaces in a row
#: (an id holding them, rt12 F5 round 13).
MAY_HIDE = re.compile(r"\\|  |[^\x20-\x7e]")  # any escape or non-ASCII character (rt10 F6)
#: The same prefilter as a PostgreSQL regular expression (``case_json ~ %s``), so the
#: server sends only the candidate documents.
MAY_HIDE_PG = r"\\|  |[^ -~]"

#: The most warnings listed; the rest are counted.
MAX_WARNINGS = 50


def field_findings(text: str, note: bool, identifier: bool) -> list[str]:
    """What is wrong with one stored text: each refused character's name, and the stacks
    of combining marks a new name would refuse (names and identifiers only)."""
    from radiculopathy_desktop.domain.characters import stacked_marks, refused_characters

    names = list(dict.fromkeys(name for _, name in refused_characters(text, note, identifier)))
    if not note:
        names.extend(f"{count} combining marks on one letter (character {pos})"
                     for pos, count in stacked_marks(text))
    return names


def hidden_character_warnings(rows: Iterable[tuple[object, object]], max_warnings: int = MAX_WARNINGS
                              ) -> tuple[str, ...]:
    """One line per stored field holding a character new input refuses, for ``rows`` of
    ``(case_id, case_json text)``, the first ``max_warnings`` of them and a count of the rest."""
    from radiculopathy_desktop.domain.characters import ID_FIELDS, identifier_shape, shown_escaped, walk_text

    found: list[str] = []
    more = 0
    may_hide = MAY_HIDE.search
    for case_id, text in rows:
        if not isinstance(text, str) or not may_hide(text):
            continue
        try:
            data = json.loads(text)
        except (TypeError, ValueError, RecursionError):  # the record itself is checked when it is read
            continue
        for field, value, note in walk_text(data):
            names = field_findings(value, note, field in ID_FIELDS)
            shape = identifier_shape(value) if field in ID_FIELDS and not names else []
            if shape:  # rt12 F5: a backslash, two spaces, a look-alike script... in a stored id
                if len(found) >= max_warnings:
                    more += 1
                    continue
                what = "; ".join(f"{thing} (character {pos})" for pos, thing in shape)
                found.append(f"case {shown_escaped(str(case_id), identifier=True)}: {field} holds {what}: a new ID may "
                             "not hold it, as it can be taken for another ID. This case still opens by its ID as shown "
                             "here (each backslash doubled); give a new case of this patient an ID without it.")
                continue
            if not names:
                continue
            if len(found) >= max_warnings:
                more += 1
                continue
            found.append(f"case {shown_escaped(str(case_id), identifier=True)}: {field} holds {'; '.join(names)}: "
                         "invisible or overdrawn characters that can hide, reorder or cover the text shown (exports "
                         "and the window show hidden ones as \\uXXXX). Stored before new records were checked for "
                         "them: correct it in the case's record.")
    if more:
        found.append(f"... and {more} more stored field(s) holding hidden characters")
    return tuple(found)
