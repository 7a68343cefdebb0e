"""One checked, atomic writer for every file the app exports (PDF, CSV, FHIR JSON).

An export is patient data and a clinician relies on "Wrote ...": so a file is either
complete and checked, or not there at all. :func:`checked_output`

1. refuses a path that cannot be written (a folder, a missing folder, no permission)
   and, unless overwriting was asked for, a file that already exists;
2. writes to an owner-only (0600) temporary file in the target folder, through
   ``os.write`` with every return value checked (a short write is continued, a write
   of nothing or an error stops the export), then flushes and ``fsync``\\ s it;
3. checks that the file on disk has every byte written and passes the caller's
   verification (a PDF has its header, its cross-reference table and ``%%EOF``;
   JSON parses again; a CSV has the number of rows written);
4. calls ``on_complete`` (the audit row), so an export is recorded only once the file
   is complete, and an export that cannot be recorded is not left behind;
5. renames the file into place (or links it, so an existing file appearing meanwhile
   is never replaced when overwriting was not asked for) and syncs the folder.

On any failure the temporary file is removed and :class:`ExportError` says what went
wrong and what to do: exit code 3 when the disk refused the bytes (full, quota, I/O
error), 2 for a path the user can change. The previous file at the path, if any, is
left exactly as it was.

No Qt here: a PDF is rendered into memory by the report and its bytes are written
by this module (Qt's own file writer does not report a full disk).
"""

from __future__ import annotations

import collections
import contextlib
import csv
import errno
import io
import json
import os
import re
from pathlib import Path
from typing import IO, Callable, Iterator

from radiculopathy_desktop import stopping
from radiculopathy_desktop.errors import UserError

#: Exported files are patient data: readable and writable by their owner only.
EXPORT_FILE_MODE = 0o600

_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EROFS, getattr(errno, "EDQUOT", errno.ENOSPC),
                          errno.EFBIG})


class ExportError(UserError):
    """An export that was not written. ``kind``: ``disk_full``, ``io``, ``exists``,
    ``path``, ``incomplete`` (the written file failed its check) or ``audit``."""

    def __init__(self, kind: str, message: str, exit_code: int = 2):
        super().__init__(message, exit_code=exit_code)
        self.kind = kind


class IncompleteFile(Exception):
    """Raised by a verification function: the written file is not what was meant."""


# --------------------------------------------------------------------------- path checks
def check_writable(path: Path, overwrite: bool = True) -> Path:
    """``path`` expanded, or an :class:`ExportError` when it cannot (or may not) be written."""
    path = Path(path).expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    try:
        if path.is_dir():
            raise ExportError("path", f"Cannot write {path}: it is a folder; give a file name.")
        if not folder.is_dir():
            raise ExportError("path", f"Cannot write {path}: the folder {folder} does not exist.")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ExportError("path", f"Cannot write {path}: no permission to write in {folder}.")
        if path.exists() or path.is_symlink():
            if not path.is_file():
                raise ExportError("path", f"Cannot write {path}: it is not a regular file (a device, a pipe or "
                                          "a link to one); choose a file name.")
            if not overwrite:
                raise ExportError("exists", f"Cannot write {path}: the file already exists and was left as it "
                                            "was. Choose another file name, or add --force to replace it.")
            if not os.access(path, os.W_OK):
                raise ExportError("path", f"Cannot write {path}: the file is read-only.")
    except OSError as exc:  # a name the file system refuses (too long, a loop of links...)
        raise ExportError("path", f"Cannot write {path}: {exc.strerror or exc}.") from None
    return path


# --------------------------------------------------------------------------- the raw writer
class _CheckedRaw(io.RawIOBase):
    """A file descriptor written with ``os.write``, every return value checked."""

    def __init__(self, fd: int):
        super().__init__()
        self._fd = fd
        self.bytes_written = 0

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def write(self, data) -> int:
        if self.closed:
            raise ValueError("write to a closed export file")
        stopping.check()  # a safe point: a stop signal recorded during Qt work stops the write here
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            n = os.write(self._fd, view[done:])
            if not n:  # the disk took nothing and said nothing: never loop, never pretend
                raise OSError(errno.EIO, "the disk accepted no bytes")
            done += n
        self.bytes_written += done
        return done

    def close(self) -> None:
        if not self.closed:
            try:
                os.close(self._fd)
            finally:
                super().close()


def _disk_message(path: Path, exc: OSError) -> ExportError:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        return ExportError("disk_full", (
            f"Cannot write {path}: the disk is full ({reason}). Nothing was written; any earlier file of that "
            f"name is unchanged. Free some space on the disk holding {path.parent} (or choose another folder), "
            "then export again."), exit_code=3)
    if exc.errno in _DISK_ERRNOS:
        return ExportError("io", (
            f"Cannot write {path}: the disk reported an error ({reason}). Nothing was written; any earlier file "
            "of that name is unchanged. Check the disk or network drive, or choose another folder, then export "
            "again."), exit_code=3)
    return ExportError("path", f"Cannot write {path}: {reason}. Nothing was written.")


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _temp_file(path: Path) -> tuple[int, Path]:
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.part")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                           EXPORT_FILE_MODE), tmp
        except FileExistsError:
            continue
    raise OSError(errno.EEXIST, "no free temporary file name")


@contextlib.contextmanager
def checked_output(path: Path, *, text: bool = False, encoding: str = "utf-8", newline: str | None = None,
                   overwrite: bool = True, verify: Callable[[Path], None] | None = None,
                   on_complete: Callable[[], None] | None = None) -> Iterator[IO]:
    """Yield a file (binary, or text when ``text``) whose bytes become ``path`` only when
    every step above succeeded. See the module documentation."""
    path = check_writable(Path(path), overwrite)
    try:
        fd, tmp = _temp_file(path)
    except OSError as exc:
        raise _disk_message(path, exc) from None
    raw = _CheckedRaw(fd)
    buffered = io.BufferedWriter(raw, buffer_size=1 << 16)
    fh: IO = io.TextIOWrapper(buffered, encoding=encoding, newline=newline) if text else buffered
    placed = False
    try:
        try:
            yield fh
            fh.flush()
            os.fsync(fd)
            written = raw.bytes_written
            fh.close()
            os.chmod(tmp, EXPORT_FILE_MODE)  # whatever the umask or an inherited ACL did
            size = os.stat(tmp).st_size
            if size != written:
                raise IncompleteFile(f"{size} bytes on disk where {written} were written")
            if verify is not None:
                verify(tmp)
        except IncompleteFile as exc:
            raise ExportError("incomplete", (
                f"Cannot write {path}: the written file failed its check ({exc}). Nothing was saved; any earlier "
                "file of that name is unchanged. Check the disk, then export again."), exit_code=3) from None
        except OSError as exc:
            raise _disk_message(path, exc) from None
        stopping.check()  # a stop signal recorded so far: acted on here, before anything is committed
        with stopping.deferred():  # the audit row and the rename: both or neither (a signal waits)
            if on_complete is not None:
                try:
                    on_complete()  # the audit row: only for a complete file, and no file without it
                except UserError as exc:
                    raise ExportError("audit", (
                        f"Cannot write {path}: the export could not be recorded in the audit table, so the file "
                        f"was not saved (patient data leaves only with a record of it). {exc.message}"),
                        exit_code=exc.exit_code) from None
            try:
                if overwrite:
                    os.replace(tmp, path)
                else:
                    os.link(tmp, path)  # fails if a file appeared meanwhile: never replaced
                placed = True
                stopping.completed.append(str(path))  # complete: a later signal keeps it (H-ARCH-913)
            except FileExistsError:
                raise ExportError("exists", f"Cannot write {path}: a file of that name appeared while exporting "
                                            "and was left as it was. Choose another file name, or add --force.") \
                    from None
            except OSError as exc:
                raise _disk_message(path, exc) from None
    finally:
        with contextlib.suppress(Exception):  # after a failed write the buffer cannot be flushed: drop it
            fh.close()
        with contextlib.suppress(Exception):
            raw.close()
        if not placed or not overwrite:
            with contextlib.suppress(FileNotFoundError, OSError):
                tmp.unlink()
    _fsync_dir(path.parent)


def write_bytes(path: Path, data: bytes, **kwargs) -> None:
    """``data`` as the file ``path`` through :func:`checked_output`."""
    with checked_output(path, **kwargs) as fh:
        fh.write(data)


# --------------------------------------------------------------------------- verification
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def verify_pdf(expected_pages: int | None = None) -> Callable[[Path], None]:
    """A check that a PDF file is whole: the ``%PDF-`` header, ``%%EOF`` at the end, a
    ``startxref`` offset that points at the cross-reference table, and (when given)
    the number of page objects."""

    def check(tmp: Path) -> None:
        data = tmp.read_bytes()
        if not data.startswith(b"%PDF-"):
            raise IncompleteFile("no PDF header")
        tail = data[-1024:]
        if not tail.rstrip().endswith(b"%%EOF"):
            raise IncompleteFile("the PDF does not end with %%EOF")
        at = data.rfind(b"startxref")
        try:
            offset = int(data[at + len(b"startxref"):].split()[0]) if at >= 0 else -1
        except (ValueError, IndexError):
            offset = -1
        if not 0 < offset < len(data) or not (data.startswith(b"xref", offset) or b"/XRef" in data[offset:offset + 200]):
            raise IncompleteFile("the PDF cross-reference table is missing")
        if expected_pages is not None:
            found = len(_PAGE_OBJECT.findall(data))
            if found != expected_pages:
                raise IncompleteFile(f"the PDF has {found} pages where {expected_pages} were drawn")

    return check


def verify_json(tmp: Path) -> None:
    try:
        with open(tmp, "rb") as fh:
            json.load(fh)
    except (ValueError, UnicodeDecodeError) as exc:
        raise IncompleteFile(f"the JSON does not read back ({type(exc).__name__})") from None


class _StrictCsv(csv.Dialect):
    """The default dialect (excel) with ``strict``: a quote out of place, or a quoted field
    still open at the end of the input, is an error instead of being read on."""

    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL
    strict = True


def csv_record_count(fh: IO[str], block_chars: int = 1 << 20) -> int | None:
    """How many records ``csv.reader(fh)`` (default dialect) reads from a text file opened
    with ``newline=""``, counted without building most of them, or None when this count
    cannot be sure to be the reader's (then only the reader itself can say).

    The reader starts each record at the start of a line of the file (as the file's own
    iterator splits it: CR LF, CR or LF) and ends it at the end of a line, unless that
    line leaves a quoted field open; a line without a quote character cannot. So when
    every line with a quote is a whole record by itself, each line is one record:

    * lines without a quote: one record each (a blank one an empty record), provided no
      line is longer than ``csv.field_size_limit()`` (else None: the reader may fail);
    * lines with a quote: read by a *strict* reader (which refuses a quoted field still
      open at the end, and any field over the limit), as many records as lines, else
      None. Strict only adds errors to the default dialect, so where it reads, the
      default reads the same.

    ``tests/reports/test_csv_readback_count.py`` compares this with the reader."""
    limit = csv.field_size_limit()
    lines = 0
    while block := fh.readlines(block_chars):
        lines += len(block)
        if max(map(len, block)) > limit:
            return None
        # a quote is a one-character search (memchr), not a regex search per line (issue 17)
        quoted = [line for line in block if '"' in line]
        if quoted:
            try:
                records = sum(1 for _ in csv.reader(quoted, _StrictCsv))
            except csv.Error:
                return None
            if records != len(quoted):
                return None
    return lines


def verify_csv_rows(expected_rows: Callable[[], int], encoding: str = "utf-8-sig") -> Callable[[Path], None]:
    """A check that the CSV file holds a header and ``expected_rows()`` data rows: the
    whole file is read back and decoded, and its records counted as ``csv.reader`` reads
    them (by :func:`csv_record_count` when that is sure to agree, else by the reader)."""

    def check(tmp: Path) -> None:
        try:
            with open(tmp, encoding=encoding, newline="") as fh:
                rows = csv_record_count(fh)
            if rows is None:
                with open(tmp, encoding=encoding, newline="") as fh:
                    # counted in C (a Python step per row was a fifth of a large export)
                    last = collections.deque(enumerate(csv.reader(fh), 1), maxlen=1)
                    rows = last[0][0] if last else 0
        except (csv.Error, UnicodeDecodeError) as exc:
            raise IncompleteFile(f"the CSV does not read back ({type(exc).__name__})") from None
        if rows != expected_rows() + 1:
            raise IncompleteFile(f"the CSV has {rows - 1} rows where {expected_rows()} were written")

    return check
