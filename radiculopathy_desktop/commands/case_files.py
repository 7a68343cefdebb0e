"""Reading case files (JSON) with limits, in bounded memory: hostile files are refused in words.

A case file is one case object, a list of cases, or ``{"cases": [...]}``. The file is
read in chunks and the list of cases one case at a time (``json.JSONDecoder.raw_decode``
on a moving window), so memory depends on the largest single case, not on the file:
a file of millions of tiny ``{}`` objects or a 200 MB cohort no longer takes gigabytes.

Limits (documented in docs/case-format.md; beyond any of them the command stops with
exit 2, names the limit, and nothing is imported):

=========================  ==========================================================
file size                  :data:`MAX_FILE_BYTES` (256 MB)
cases in one file          :data:`MAX_CASES` (200,000)
one case                   :data:`MAX_CASE_CHARS` (1,000,000 characters of JSON)
one text value or key      :data:`MAX_STRING_CHARS` (20,000 characters)
nesting                    :data:`MAX_DEPTH` (20 objects or lists inside one another)
a number                   :data:`MAX_NUMBER_CHARS` (30 characters; finite)
=========================  ==========================================================

Also refused: a key that appears twice in one object (JSON allows it and keeps the
last value silently: a red flag answered "yes" and then "no" would read as "no"),
``NaN`` and ``Infinity``, text that is not UTF-8, and anything that is not a regular
file (a pipe or a device would make the read wait forever; only ``stat`` looks at it).
"""

from __future__ import annotations

import codecs
import json
import math
import os
import stat
from pathlib import Path
from typing import Any, Iterator

from radiculopathy_desktop.errors import UserError

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_CASES = 200_000
MAX_CASE_CHARS = 1_000_000
MAX_STRING_CHARS = 20_000
MAX_DEPTH = 20
MAX_NUMBER_CHARS = 30
CHUNK_BYTES = 1 << 20


class _Refused(Exception):
    """A limit or rule broken inside the JSON decoder (its message names it)."""


def _object(pairs: list[tuple[str, Any]]) -> dict:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"the key {_short(key)!r} appears twice in one object; JSON keeps only the last one, "
                           "so an answer could be silently replaced. Keep one of them")
        out[key] = value
    return out


def _parse_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(f"the number {text[:12]}… has {len(text)} digits; no field takes more than "
                       f"{MAX_NUMBER_CHARS}")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(f"the number {text[:12]}… is {len(text)} characters long; no field takes more than "
                       f"{MAX_NUMBER_CHARS}")
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {text} is too large to be a measurement")
    return value


def _parse_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a number; write a number, or null for not recorded")


DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_int=_parse_int, parse_float=_parse_float,
                           parse_constant=_parse_constant)


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width] + "…"


def check_value(value: Any, depth: int = 1) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` and text longer than :data:`MAX_STRING_CHARS`
    (iteratively: a deep value cannot exhaust the stack)."""
    stack = [(value, depth)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, str):
            if len(item) > MAX_STRING_CHARS:
                raise _Refused(f"a text value is {len(item):,} characters long; the limit is {MAX_STRING_CHARS:,}")
        elif isinstance(item, (dict, list)):
            if level > MAX_DEPTH:
                raise _Refused(f"objects or lists are nested too deeply (more than {MAX_DEPTH} levels)")
            if isinstance(item, dict):
                for key, child in item.items():
                    if len(key) > MAX_STRING_CHARS:
                        raise _Refused(f"a key is {len(key):,} characters long; the limit is {MAX_STRING_CHARS:,}")
                    stack.append((child, level + 1))
            else:
                stack.extend((child, level + 1) for child in item)


def regular_file_size(path: Path, fd: int | None = None) -> int:
    """The size of ``path`` (or of the open ``fd``), refusing what is not a regular file."""
    try:
        st = os.fstat(fd) if fd is not None else path.stat()
    except FileNotFoundError:
        raise UserError(f"{path}: the file does not exist") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise UserError(f"{path}: is a folder, not a JSON file")
    if not stat.S_ISREG(st.st_mode):
        from radiculopathy_desktop.storage.paths import kind_of_file

        raise UserError(f"{path}: is {kind_of_file(st.st_mode)}, not a file; save the cases to a file and give "
                        "its name (nothing was read)")
    if st.st_size > MAX_FILE_BYTES:
        raise UserError(f"{path}: is {_size(st.st_size)}; the limit for one file is {_size(MAX_FILE_BYTES)}. Split "
                        "it into smaller files (nothing was read)")
    return st.st_size


class _Reader:
    """Text of a file in chunks, with a position; old text is dropped as it is consumed."""

    def __init__(self, path: Path, fh):
        self.path = path
        self.fh = fh
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.bytes_read = 0
        self.lines_before = 0  # newlines in the text already dropped
        self.dropped = 0  # characters already dropped

    def absolute(self) -> int:
        return self.dropped + self.pos

    def fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.fh.read(CHUNK_BYTES)
        try:
            text = self.decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise UserError(f"{self.path}: is not UTF-8 text (bad byte near byte {self.bytes_read + exc.start:,}); "
                            "save it as UTF-8") from None
        self.bytes_read += len(chunk)
        if self.bytes_read > MAX_FILE_BYTES:  # grew since it was measured
            raise UserError(f"{self.path}: is larger than {_size(MAX_FILE_BYTES)}, the limit for one file; split "
                            "it into smaller files")
        if not chunk:
            self.eof = True
        if self.pos:
            self.lines_before += self.buf.count("\n", 0, self.pos)
            self.dropped += self.pos
            self.buf = self.buf[self.pos:]
            self.pos = 0
        self.buf += text
        return True

    def peek(self) -> str:
        """The next non-blank character ('' at the end of the file)."""
        while True:
            n = len(self.buf)
            while self.pos < n and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < n:
                return self.buf[self.pos]
            if not self.fill():
                return ""

    def expect(self, chars: str, what: str) -> str:
        ch = self.peek()
        if ch == "" or ch not in chars:
            self.fail(f"expected {what}" + (f", found {ch!r}" if ch else " before the end of the file"))
        self.pos += 1
        return ch

    def line(self, pos: int | None = None) -> int:
        return self.lines_before + self.buf.count("\n", 0, self.pos if pos is None else pos) + 1

    def fail(self, message: str, pos: int | None = None):
        raise UserError(f"{self.path}: is not valid JSON: {message} at line {self.line(pos):,}") from None

    def value(self) -> Any:
        """The next JSON value, at most :data:`MAX_CASE_CHARS` long, checked against the limits."""
        self.peek()
        while True:
            start = self.pos
            try:
                value, end = DECODER.raw_decode(self.buf, start)
            except json.JSONDecodeError as exc:
                incomplete = exc.pos >= len(self.buf) - 8 or exc.msg.startswith("Unterminated string")
                if incomplete and not self.eof:
                    self._more(start)
                    continue
                self.fail(exc.msg, exc.pos)
            except _Refused as exc:
                raise UserError(f"{self.path}: {exc} (near line {self.line(start):,}); nothing was read") from None
            except RecursionError:
                raise UserError(f"{self.path}: objects or lists are nested too deeply (more than {MAX_DEPTH} levels) "
                                f"(near line {self.line(start):,})") from None
            if end >= len(self.buf) and not self.eof:  # a number may go on in the next chunk
                self._more(start)
                continue
            if end - start > MAX_CASE_CHARS:
                self._too_big(start)
            try:
                check_value(value)
            except _Refused as exc:
                raise UserError(f"{self.path}: {exc} (near line {self.line(start):,}); nothing was read") from None
            self.pos = end
            return value

    def _more(self, start: int) -> None:
        if len(self.buf) - start > MAX_CASE_CHARS:
            self._too_big(start)
        self.fill()

    def _too_big(self, start: int):
        raise UserError(f"{self.path}: one case (near line {self.line(start):,}) is more than "
                        f"{MAX_CASE_CHARS:,} characters of JSON; no case is that large. Check the file "
                        "(nothing was read)")


def iter_case_items(path: Path, refuse_scalar: bool = False) -> Iterator[Any]:
    """Each case item in the file (not yet validated), streamed, with every limit applied.

    Raises :class:`UserError` (exit 2) for a file that breaks a limit or is not JSON (or,
    with ``refuse_scalar``, holds a bare number or text); a caller that imports must not
    keep anything before the iteration ends.
    """
    path = Path(path)
    regular_file_size(path)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror})") from None
    with fh:
        regular_file_size(path, fh.fileno())  # the file opened is the file checked
        reader = _Reader(path, fh)
        first = reader.peek()
        count = 0
        if first == "":
            raise UserError(f"{path}: is empty; it holds no cases")
        if first == "[":
            for item in _array(reader):
                count += 1
                _count(path, count)
                yield item
        elif first == "{":
            reader.pos += 1
            seen: dict[str, Any] = {}
            streamed = False
            single_chars = 0
            if reader.peek() == "}":
                reader.pos += 1
            else:
                while True:
                    key = reader.value()
                    if not isinstance(key, str):
                        reader.fail("expected a key in double quotes")
                    if key in seen or (key == "cases" and streamed):
                        raise UserError(f"{path}: the key {_short(key)!r} appears twice in one object; JSON keeps "
                                        "only the last one, so an answer could be silently replaced. Keep one of them")
                    reader.expect(":", "':'")
                    if key == "cases" and "patient" not in seen and reader.peek() == "[":
                        streamed = True
                        for item in _array(reader):
                            count += 1
                            _count(path, count)
                            yield item
                    else:
                        before = reader.absolute()
                        seen[key] = reader.value()
                        single_chars += len(key) + reader.absolute() - before
                        if single_chars > MAX_CASE_CHARS:
                            reader._too_big(reader.pos)
                    if reader.expect(",}", "',' or '}'") == "}":
                        break
            if streamed and "patient" in seen:
                raise UserError(f"{path}: holds both a list of \"cases\" and a single case's \"patient\"; give "
                                "either one case or {\"cases\": [...]}")
            if not streamed:
                if "cases" in seen and "patient" not in seen:
                    raise UserError("cases must be a list of case objects")
                try:
                    check_value(seen)
                except _Refused as exc:
                    raise UserError(f"{path}: {exc}; nothing was read") from None
                yield seen
        else:
            value = reader.value()
            if refuse_scalar:
                raise UserError(f"{path}: the file must hold a case object, a list of cases, or "
                                "{\"cases\": [...]}.")
            yield value
        if reader.peek() != "":
            reader.fail("extra data after the cases")


def _count(path: Path, count: int) -> None:
    if count > MAX_CASES:
        raise UserError(f"{path}: holds more than {MAX_CASES:,} cases; the limit for one file is {MAX_CASES:,}. "
                        "Split it into smaller files (nothing was imported)")


def _array(reader: _Reader) -> Iterator[Any]:
    reader.expect("[", "'['")
    if reader.peek() == "]":
        reader.pos += 1
        return
    while True:
        yield reader.value()
        if reader.expect(",]", "',' or ']'") == "]":
            return


def read_json_value(path: Path, max_chars: int = MAX_CASE_CHARS) -> Any:
    """One whole JSON value from a small file (a visit, a settings file), with the same rules."""
    path = Path(path)
    size = regular_file_size(path)
    if size > max_chars * 4:
        raise UserError(f"{path}: is {size:,} bytes; a file of this kind is at most {max_chars:,} characters")
    items = list(_single(path))
    return items[0]


def _single(path: Path) -> Iterator[Any]:
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror})") from None
    with fh:
        regular_file_size(path, fh.fileno())
        reader = _Reader(path, fh)
        if reader.peek() == "":
            raise UserError(f"{path}: is empty")
        yield reader.value()
        if reader.peek() != "":
            reader.fail("extra data after the value")
