"""The export's read-back check counts CSV records without reading every line through the
csv reader when it can be sure to agree with it (``outputs.csv_record_count``): checked
here against the reader itself (the check as it was), on generated texts with every line
end, quotes in and out of place, quoted line ends, NUL, block boundaries anywhere and
fields around the reader's size limit, and on what ``csv.writer`` writes."""

from __future__ import annotations

import collections
import csv
import io

import pytest
from hypothesis import given, settings, strategies as st

from radiculopathy_desktop.outputs import IncompleteFile, csv_record_count, verify_csv_rows


def reader_count(text: str):
    """The check as it was: the csv reader's record count, or the csv.Error it raises."""
    try:
        last = collections.deque(enumerate(csv.reader(io.StringIO(text, newline="")), 1), maxlen=1)
    except csv.Error:
        return "error"
    return last[0][0] if last else 0


def fast_count(text: str, block: int):
    return csv_record_count(io.StringIO(text, newline=""), block)


PIECES = st.sampled_from(["a", "b,", ",", "\r", "\n", "\r\n", "\x00", "é", "\u2028", "\ufeff", "'=1", " ", '"',
                          "\x1c", "\x0b"])
TEXTS = st.lists(PIECES, max_size=60).map("".join)


@settings(max_examples=800, deadline=None)
@given(text=TEXTS, chunk=st.integers(1, 9))
def test_fast_count_is_the_readers_or_none(text, chunk):
    got = fast_count(text, chunk)
    if got is None:  # only when a line with a quote is not a whole record (or a line is too long, below)
        assert '"' in text
    else:
        assert got == reader_count(text), (text, chunk)


CELLS = st.lists(st.text(st.sampled_from(list('ab ,"\'=-@\x00é\u2028\ufeff\t')), max_size=8), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(CELLS, max_size=30), terminator=st.sampled_from(["\r\n", "\n"]), block=st.integers(1, 200))
def test_what_csv_writer_writes_is_counted_without_falling_back(rows, terminator, block):
    """Quoted cells (commas, quotes) without line ends inside: every line is its own
    record, so the count is always given, and it is the reader's."""
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator=terminator).writerows(rows)
    text = buf.getvalue()
    assert fast_count(text, block) == reader_count(text) == len(rows)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(st.text(st.sampled_from(list('a,"\r\n')), max_size=5), min_size=1, max_size=3),
                     max_size=12), block=st.integers(1, 50))
def test_quoted_line_ends_give_way_to_the_reader_or_agree(rows, block):
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    text = buf.getvalue()
    got = fast_count(text, block)
    assert got is None or got == reader_count(text) == len(rows)
    if not any("\r" in c or "\n" in c for row in rows for c in row):
        assert got == len(rows)


@settings(max_examples=300, deadline=None)
@given(text=TEXTS.filter(lambda t: '"' not in t), chunk=st.integers(1, 9))
def test_without_quotes_the_count_is_always_given_and_right(text, chunk):
    assert fast_count(text, chunk) == reader_count(text)


@pytest.mark.parametrize("text, records", [
    ("", 0), ("\r\n", 1), ("a", 1), ("a\r\n", 1), ("a\r\nb", 2), ("a\rb\nc\r\n\r\n", 4), ("\n\n\r", 3),
    ("h1,h2\r\nx,y\r\n", 2),
])
def test_known_counts_at_every_chunk_size(text, records):
    assert reader_count(text) == records
    for chunk in range(1, len(text) + 2):
        assert fast_count(text, chunk) == records


def test_a_cr_lf_split_between_two_chunks_is_one_line_end():
    text = "a,b\r\nc,d\r\n"
    assert fast_count(text, 4) == 2  # the chunks are "a,b\r" and "\nc,d" ...
    assert fast_count(text, 1) == 2


def test_fields_at_and_over_the_readers_size_limit(monkeypatch):
    """A field longer than csv.field_size_limit() makes the reader fail: the fast count
    gives way to it whenever a line could hold such a field, and agrees otherwise."""
    old = csv.field_size_limit()
    try:
        csv.field_size_limit(10)
        cases = ["x" * 10 + "\r\n", "x" * 11 + "\r\n", "a,b\r\n" + "y" * 11, "y" * 11, "a\r" + "z" * 9 + "\r\n",
                 "a\r\n" * 20, ("q" * 6 + "\r\n") * 5,
                 '"' + "q" * 11 + '"\r\n', '"' + "q" * 7 + '"\r\n']
        for text in cases:
            for chunk in (1, 3, 7, 64):
                got = fast_count(text, chunk)
                want = reader_count(text)
                assert got is None or got == want, (text, chunk)
                if want == "error":
                    assert got is None
        assert reader_count("y" * 11) == "error"
        assert fast_count("x" * 9 + "\n", 4) == 1  # a line within the limit: counted, as the reader counts it
        assert reader_count('"' + "q" * 11 + '"\r\n') == "error"
        assert fast_count('a,"' + "q" * 11 + '"\r\n', 64) is None  # a quoted field over the limit
    finally:
        csv.field_size_limit(old)


@pytest.mark.parametrize("body, rows, ok", [
    ("h\r\na\r\nb\r\n", 2, True),
    ("h\r\na\r\nb\r\n", 3, False),
    ('h\r\n"a\r\nstill a"\r\nb\r\n', 2, True),  # a quoted line end: the reader counts it
    ('h\r\n"a\r\nstill a"\r\nb\r\n', 3, False),
    ("h\r\na\x00\r\n", 1, True),  # NUL: the reader of this Python reads it, so does the count
])
def test_verify_csv_rows_on_files(tmp_path, body, rows, ok):
    path = tmp_path / "x.csv"
    path.write_text(body, encoding="utf-8-sig", newline="")
    check = verify_csv_rows(lambda: rows)
    if ok:
        check(path)
    else:
        with pytest.raises(IncompleteFile):
            check(path)


def test_verify_csv_rows_refuses_bytes_that_do_not_decode(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xef\xbb\xbfh\r\na\xff\r\n")
    with pytest.raises(IncompleteFile, match="does not read back"):
        verify_csv_rows(lambda: 1)(path)


def test_an_unclosed_quote_is_left_to_the_reader(tmp_path):
    """An unterminated quoted field at the end of the file: the default dialect reads it to
    the end as one record, and the check counts exactly that, as it did."""
    path = tmp_path / "x.csv"
    path.write_text('h\r\na\r\n"b', encoding="utf-8-sig", newline="")
    # the default dialect reads an unclosed quote to the end: 2 data rows, as before
    verify_csv_rows(lambda: 2)(path)
    with pytest.raises(IncompleteFile):
        verify_csv_rows(lambda: 1)(path)
