"""The shown form of a stored text is one-to-one (red-team rt10 F8).

A stored text that holds a hidden character is shown with a visible escape (``\\u202e``
for U+202E). Before this fix a text holding the six typed characters backslash, u, 2, 0,
2, e was shown exactly the same, so a reader could not tell a case id holding a real
right-to-left override from one holding its typed look-alike. Now the shown form writes
every backslash as two (``\\\\``), so a backslash in a shown text always starts an escape
and the shown form can be read back to exactly one stored text. New names and identifiers
also refuse the typed look-alike (a backslash, u or U and four hex digits).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from radiculopathy_desktop.domain.characters import (ESCAPED_IN_NOTES, REFUSED_IN_IDS, REFUSED_IN_NAMES, ShownText,
                                                     escape_character, problem, shown_escaped, stored_id, unescaped,
                                                     visible,
                                                     visible_html, visible_id)
from radiculopathy_desktop.domain.intake import ValidationError, parse_case

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tracker_support import case_dict  # noqa: E402

TODAY = dt.date(2026, 11, 29)

#: what makes a look-alike: the backslash, the escape letters and hex digits, and hidden
#: characters of every class (controls, line breaks, overrides, format, joiners, selectors,
#: spaces, private use, astral tags)
HOSTILE = ["\\", "u", "U", "0", "2", "e", "f", "a", "A", "F", "x", " ", "\u202e", "\u202c", "\u200b", "\u200c",
           "\u034f", "\ufe0f", "\u00a0", "\n", "\r", "\t", "\x00", "\x1b", "\x85", "\ue000", "\U000e0041",
           "\U0010fffd", "\u2028", "\u0378", "\ud800"]
TEXTS = st.text(alphabet=st.one_of(st.sampled_from(HOSTILE), st.characters()), max_size=24)

SHOWN = {
    "name": lambda t: shown_escaped(t),
    "note": lambda t: shown_escaped(t, note=True),
    "identifier": lambda t: shown_escaped(t, identifier=True),
    "visible": visible,
    "visible_id": visible_id,
}


def _look_alike(text: str) -> str:
    """``text`` with each hidden character replaced by its escape typed as plain text: the
    look-alike rt10 F8 found (``EX\\u202e1`` typed, against a stored real U+202E)."""
    return "".join(escape_character(ch) if REFUSED_IN_IDS.match(ch) else ch for ch in text)


@pytest.mark.parametrize("mode", sorted(SHOWN))
@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
@example(text="EX\u202e1")
@example(text="EX\\u202e1")
@example(text="\\\u202e")
@example(text="\\\\u202e")
def test_the_shown_form_reads_back_to_the_stored_text(mode, text):
    shown = SHOWN[mode](text)
    assert unescaped(shown) == text
    # a backslash in the shown form always starts an escape: "\\", "\uXXXX" or "\UXXXXXXXX"
    rest = shown.replace("\\\\", "")
    for n, ch in enumerate(rest):
        if ch == "\\":
            assert rest[n + 1] in "uU", (text, shown)


@pytest.mark.parametrize("mode", sorted(SHOWN))
@settings(max_examples=400, deadline=None)
@given(a=TEXTS, b=TEXTS)
def test_two_texts_shown_the_same_are_the_same_text(mode, a, b):
    show = SHOWN[mode]
    if show(a) == show(b):
        assert a == b
    # and the typed look-alike of a text with hidden characters is shown apart from it
    twin = _look_alike(a)
    if twin != a:
        assert show(twin) != show(a)


def test_the_rt10_f8_pair_is_shown_apart_everywhere():
    real, typed = "EX\u202e1", "EX\\u202e1"
    for show in SHOWN.values():
        assert show(real) == "EX\\u202e1"
        assert show(typed) == "EX\\\\u202e1"
    assert visible_html(real) != visible_html(typed)


def test_a_text_without_backslash_or_hidden_character_is_shown_as_it_is():
    for text in ("Alex Example", "DEMO-1001", "Nguyễn Thị Minh", "\u0645\u062d\u0645\u062f", "O'Brien-Smith, A."):
        for show in SHOWN.values():
            assert show(text) == text


def test_an_escape_is_never_escaped_twice():
    """The window passes a shown id on to its HTML escape, the CSV writer to its cell: the
    doubled backslash stays two (the shown form is marked as shown)."""
    once = shown_escaped("EX\\u202e1\u202e", identifier=True)
    assert isinstance(once, ShownText) and once == "EX\\\\u202e1\\u202e"
    for again in (shown_escaped(once), shown_escaped(once, note=True), shown_escaped(once, identifier=True),
                  visible(once), visible_id(once)):
        assert again == once
    assert visible_html(once) == "EX\\\\u202e1\\u202e"
    # a plain str holding the same characters is a stored text, and is escaped
    assert visible(str(once)) == "EX\\\\\\\\u202e1\\\\u202e"


def test_the_shown_form_holds_no_hidden_character():
    text = "A\\B\u202eC\u200bD\nE\U000e0041"
    assert not REFUSED_IN_NAMES.search(shown_escaped(text))
    assert not REFUSED_IN_IDS.search(shown_escaped(text, identifier=True))
    assert not ESCAPED_IN_NOTES.search(visible(text))
    assert "\n" in visible(text)  # a note keeps its line breaks


# --- new input refuses the typed look-alike of an escape -------------------------------

@pytest.mark.parametrize("field, path", [("case_id", ("case_id",)), ("patient.id", ("patient", "id")),
                                         ("patient.name", ("patient", "name"))])
@pytest.mark.parametrize("typed", ["EX\\u202e1", "EX\\U0001f600", "EX\\uFEFF", "\\u00411"])
def test_a_typed_escape_in_a_new_name_or_id_is_refused(field, path, typed):
    data = case_dict("C-1")
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = typed
    with pytest.raises(ValidationError) as err:
        parse_case(data, today=TODAY)
    said = str(err.value)
    assert f"{field} holds the text \\u" in said or f"{field} holds the text \\U" in said
    assert "how the app shows a hidden character" in said
    parse_case(data)  # a stored case holding it stays readable


@pytest.mark.parametrize("typed", ["EX\\u202", "EX\\x202e", "EX\\n", "EX\\", "A\\B", "EX\\u20g2", "C:\\users"])
def test_a_backslash_that_is_not_an_escape_is_accepted_in_a_name_and_shown_doubled_in_a_stored_id(typed):
    """Boundaries: three hex digits, another escape letter, a lone backslash (shown doubled).
    A new name keeps such a backslash; a new id refuses any backslash (rt12 F5), while an id
    stored by an older tracker (read without ``today``) still opens and is shown doubled."""
    data = case_dict("C-1", name=f"Pat {typed}")
    assert parse_case(data, today=TODAY).patient.name == f"Pat {typed}"
    data["case_id"] = typed
    with pytest.raises(ValidationError, match=r"case_id holds a backslash"):
        parse_case(data, today=TODAY)
    case = parse_case(data)
    assert case.case_id == typed and visible_id(case.case_id) == typed.replace("\\", "\\\\")


def test_a_note_may_quote_an_escape_and_is_shown_apart():
    assert problem("notes", "the file said \\u202e", note=True) is None
    assert visible("said \\u202e") == "said \\\\u202e" and visible("said \u202e") == "said \\u202e"


@settings(max_examples=300, deadline=None)
@given(text=TEXTS)
def test_the_shown_id_typed_back_opens_that_id_even_beside_its_look_alike(text):
    """``case ID`` takes the id as the worklist shows it: with the stored id and its typed
    look-alike both present, each one's shown form leads back to it."""
    stored = {text, _look_alike(text), str(shown_escaped(text, identifier=True))}  # str: a stored text
    for one in stored:
        assert stored_id(shown_escaped(one, identifier=True), stored.__contains__) == one


def test_a_typed_id_opens_as_typed_when_nothing_else_matches():
    assert stored_id("DEMO-1001", lambda _: False) == "DEMO-1001"
    assert stored_id("A\\B", {"A\\B"}.__contains__) == "A\\B"  # not an escape: as typed
    assert stored_id("EX\\u202e1", {"EX\\u202e1"}.__contains__) == "EX\\u202e1"  # no real U+202E case
    assert stored_id("EX\\u202e1", {"EX\\u202e1", "EX\u202e1"}.__contains__) == "EX\u202e1"
