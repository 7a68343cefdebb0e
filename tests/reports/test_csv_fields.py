"""The per-column CSV writers copy a text cell as it is only when ``csv.writer`` would too.

``csv_field_writer`` sends a text through the csv module whenever it holds one of
``,`` ``"`` CR LF; these tests prove that every other code point is written by
``csv.writer`` exactly as it is (for both line endings the app writes), and that the
text the fast writers copy straight into a line is exactly what ``SPECIAL_TEXT`` lets by.
"""

from __future__ import annotations

import csv
import io
import sys

import pytest

from radiculopathy_desktop.domain.characters import REFUSED_IN_IDS, REFUSED_IN_NAMES
from radiculopathy_desktop.reports.csv_export import (SPECIAL_TEXT, _QUOTING, csv_field_writer, csv_value,
                                                      plain_texts)

ALL = [chr(c) for c in range(sys.maxunicode + 1)]
QUOTED = {",", '"', "\r", "\n"}


def _written(cells, lineterminator) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=lineterminator).writerow(cells)
    return buf.getvalue()


@pytest.mark.parametrize("lineterminator", ["\n", "\r\n"])
def test_every_other_code_point_is_written_as_it_is(lineterminator):
    # one cell holding every code point but the four: csv.writer quotes a whole cell if any
    # character in it needs quoting, so an unquoted copy proves none of them does
    rest = "".join(ch for ch in ALL if ch not in QUOTED)
    assert _written([rest, "z"], lineterminator) == rest + ",z" + lineterminator
    assert csv_field_writer(lineterminator)(rest) is rest


@pytest.mark.parametrize("lineterminator", ["\n", "\r\n"])
@pytest.mark.parametrize("text", ["a,b", 'say "no"', '"', "a\rb", "a\nb", "\r\n", ",", 'x,"y"\n\r', "=,1",
                                  "\U0001F600,\x00", "\\\",\\"])
def test_a_text_with_a_quoting_character_is_the_csv_modules_own(text, lineterminator):
    assert csv_field_writer(lineterminator)(text) + ",z" + lineterminator == _written([text, "z"], lineterminator)


@pytest.mark.parametrize("lineterminator", ["\n", "\r\n"])
@pytest.mark.parametrize("value", [None, "", 0, -3, 10 ** 30, 1.5, float("inf"), True, False, "t\tab"])
def test_other_values_as_the_csv_module_writes_them(value, lineterminator):
    assert csv_value(value, csv_field_writer(lineterminator)) + ",z" + lineterminator == \
        _written([value, "z"], lineterminator)


def test_special_text_is_a_formula_start_a_quoting_or_a_hidden_character():
    # hidden: what a name refuses (control characters, direction controls; rt8 F8), written as
    # a visible escape, so such a row goes cell by cell
    starts = {"=", "+", "-", "@", "\t", "\r"}
    # (and since rt10 F6 what an identifier refuses: format characters, joiners, variation
    # selectors, spaces other than U+0020...; a superset of a name's)
    names = {ch for ch in ALL if REFUSED_IN_NAMES.search(ch)}
    assert {chr(c) for c in (*range(0x20), *range(0x7f, 0xa0), 0x200e, 0x200f, 0x061c, 0x2028, 0x2029,
                             *range(0x202a, 0x202f), *range(0x2066, 0x206a))} < names
    hidden = {ch for ch in ALL if REFUSED_IN_IDS.search(ch)}
    assert names < hidden and {"\u200b", "\u200c", "\ufe0f", "\u00a0", "\ue000", "\U000e0041"} < hidden
    # and a backslash, which the shown form doubles (one-to-one: rt10 F8)
    assert {ch for ch in ALL if SPECIAL_TEXT(ch + "x")} == starts | QUOTED | hidden | {"\\"}
    assert {ch for ch in ALL if SPECIAL_TEXT("x" + ch)} == QUOTED | hidden | {"\\"}
    assert {ch for ch in ALL if _QUOTING(ch)} == QUOTED
    assert not SPECIAL_TEXT("") and not SPECIAL_TEXT("x=+-@") and not SPECIAL_TEXT("\u0645\u05d3 ë")


def test_plain_texts_lets_no_special_cell_by():
    """The one-scan check of many cells is exactly "no cell is special" (a hidden character,
    NUL included, makes a cell special: rt8 F8); a cell that is not text makes it False."""
    import itertools
    import random

    rng = random.Random(17)
    pieces = ["", "x", "P-1", "=", "+", "-", "@", "\t", "\r", "\n", ",", '"', "\x00", "\x00=", "a\x00+b", "é",
              "\U0001F600", "x=", "x\t", "1-2"]
    cells = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 3))) for _ in range(400)] + pieces
    groups = itertools.chain(([a, b, c] for a in pieces for b in pieces for c in ("", "Ann", "=x", "a,b")),
                             ([rng.choice(cells) for _ in range(rng.randint(0, 9))] for _ in range(20000)))
    for group in groups:
        any_special = any(SPECIAL_TEXT(cell) for cell in group)
        plain = plain_texts(group)
        assert plain == (not any_special), group
    # every code point leading a cell that follows a NUL; leading the first and last cells for the first 2,048
    starts = {"=", "+", "-", "@", "\t", "\r"}
    quoted_or_hidden = QUOTED | {ch for ch in ALL if REFUSED_IN_IDS.search(ch)} | {"\\"}  # once, not per character
    for ch in ALL:
        groups = [["y", ch + "x", "z"], ["y", "x" + ch, "z"]] + (
            [[ch + "x", "y", "z"], ["y", "z", ch + "x"]] if ord(ch) < 2048 else [])
        for group in groups:
            special = ch in quoted_or_hidden or (group.count(ch + "x") and ch in starts)
            assert plain_texts(group) == (not special), (hex(ord(ch)), group)
    assert plain_texts([]) and plain_texts(["", ""]) and not plain_texts(["a\x00b", "c"])
    for odd in (None, 5, b"x", 1.5):
        assert not plain_texts(["a", odd, "b"])


def test_each_output_gets_its_own_field_writer():
    """The quoting buffer is per writer: two exports on two threads cannot mix their cells."""
    import threading

    texts = [f"{n},{'x' * (n % 50)}\"{n}" for n in range(3000)]
    results: dict[int, list] = {}

    def run(k):
        field = csv_field_writer("\r\n")
        results[k] = [field(t) for t in texts]

    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = [_written([t, "z"], "\r\n")[:-4] for t in texts]
    assert all(results[k] == expected for k in range(4))
    assert csv_field_writer("\n") is not csv_field_writer("\n")


def test_the_ascii_hidden_search_is_the_names_pattern_on_ascii_text():
    """Issue 17: ``safe_cell`` searches an ASCII text for the ASCII characters a name refuses only
    (``_HIDDEN_ASCII``), a long text of other characters for the whole pattern; both answer as the
    names' pattern does, for every ASCII character and for each code point in an ASCII text."""
    from radiculopathy_desktop.reports.csv_export import _HIDDEN_ASCII, _hidden_in, safe_cell

    refused = {ch for ch in map(chr, range(128)) if REFUSED_IN_NAMES.search(ch)}
    assert refused == {ch for ch in map(chr, range(128)) if _HIDDEN_ASCII(ch)}
    assert len(refused) == 33  # not a comparison of nothing: C0 controls and DEL
    for ch in ALL[:0x3000] + ["\U000e0001", "\U0010fffd"]:
        text = f"Care started 40 days ago{ch}, review."
        assert bool(_hidden_in(text)) == bool(REFUSED_IN_NAMES.search(text)), hex(ord(ch))
    assert safe_cell("a\x07b") == "a\\u0007b" and safe_cell("=a\u202eb") == "'=a\\u202eb"
    assert safe_cell("plain, words") == "plain, words"


def test_the_ascii_hidden_check_of_joined_cells_is_the_pattern_on_ascii_text():
    """Issue 17: ``plain_texts`` checks an ASCII joined text for hidden characters other than NUL
    by deleting the shown ones (``bytes.translate``) instead of a regex scan; for every ASCII
    character, alone, between others, first or last and beside NULs, it answers as the pattern."""
    from radiculopathy_desktop.reports.csv_export import _HIDDEN_BUT_NUL, _HIDDEN_BUT_NUL_ANY

    hidden = 0
    for ch in map(chr, range(128)):
        for text in (ch, f"Ann{ch}", f"{ch}x\x00y", f"a\x00{ch}\x00b", "P-1\x00" * 50 + ch):
            assert text.isascii()
            assert bool(_HIDDEN_BUT_NUL(text)) == bool(_HIDDEN_BUT_NUL_ANY(text)), (hex(ord(ch)), text)
        hidden += bool(_HIDDEN_BUT_NUL(ch))
    assert hidden == 32  # \x01-\x1f and DEL: NUL, the separator, is not one of them
    assert not _HIDDEN_BUT_NUL("") and not _HIDDEN_BUT_NUL("\x00\x00")
    assert _HIDDEN_BUT_NUL("é\x07") and not _HIDDEN_BUT_NUL("é\x00x")  # other text: the pattern itself
