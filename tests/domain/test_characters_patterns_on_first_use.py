"""The large character-class patterns of ``domain/characters.py`` that the window's first
screen does not use are compiled on first use, not at import (issue 17: start-up), and are
then exactly the patterns they were: the same text and flags, compiled once, the notes'
escape pattern the very object of the notes' refusal pattern."""

from __future__ import annotations

import subprocess
import sys

LAZY = ("REFUSED_IN_NAMES", "REFUSED_IN_NOTES", "ESCAPED_IN_NOTES", "_SHOWN_IN_NAMES")


def test_showing_names_and_ids_compiles_none_of_the_patterns_it_does_not_use():
    probe = ("import sys\n"
             "from radiculopathy_desktop.domain import characters as c\n"
             "shown = [c.visible('Ann\\u202eA'), c.visible_id('DEMO-1\\u200b'), c.visible(None)]\n"
             f"print(sorted(n for n in {LAZY!r} if n in vars(c)), shown)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == r"[] ['Ann\\u202eA', 'DEMO-1\\u200b', '']"


def test_each_pattern_is_compiled_once_on_first_use_and_is_the_same_object_afterwards():
    from radiculopathy_desktop.domain import characters as c
    from radiculopathy_desktop.domain.characters import ESCAPED_IN_NOTES, REFUSED_IN_NAMES, REFUSED_IN_NOTES
    assert REFUSED_IN_NAMES is c.REFUSED_IN_NAMES is vars(c)["REFUSED_IN_NAMES"]
    assert ESCAPED_IN_NOTES is REFUSED_IN_NOTES is c.ESCAPED_IN_NOTES
    assert c._pattern("_SHOWN_IN_NAMES") is c._pattern("_SHOWN_IN_NAMES")
    # the shown forms are built from the refusal patterns' own text: a backslash, or a refused character
    assert c._pattern("_SHOWN_IN_NAMES").pattern == "\\\\|" + REFUSED_IN_NAMES.pattern
    assert c._SHOWN_IN_NOTES.pattern == "\\\\|" + REFUSED_IN_NOTES.pattern


def test_the_patterns_refuse_what_they_refused():
    """Boundaries of each class, through the public names and through the functions that use
    them internally (a name refuses a tab, a note keeps it; both refuse U+202E; a joiner after a
    letter is kept in a name and refused in an id)."""
    from radiculopathy_desktop.domain import characters as c
    assert c.REFUSED_IN_NAMES.search("a\tb") and not c.REFUSED_IN_NOTES.search("a\tb")
    assert c.REFUSED_IN_NAMES.search("\u202e") and c.REFUSED_IN_NOTES.search("\u202e")
    assert not c.REFUSED_IN_NAMES.search("می\u200cخواهم") and c.REFUSED_IN_IDS.search("A\u200cB")
    assert c.refused_characters("a\tb") == [(2, "U+0009 CHARACTER TABULATION (tab)")]
    assert c.refused_characters("a\tb", note=True) == []
    assert c.shown_escaped("a\tb\\") == "a\\u0009b\\\\" and c.shown_escaped("a\tb", note=True) == "a\tb"
    assert c.unescaped(c.shown_escaped("x\u202ey\\u202e")) == "x\u202ey\\u202e"


def test_an_unknown_name_is_still_an_attribute_error():
    import pytest

    from radiculopathy_desktop.domain import characters as c
    with pytest.raises(AttributeError):
        c.NOT_A_PATTERN  # noqa: B018
