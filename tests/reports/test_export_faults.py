"""A full disk or a failing write is an error for every export (issue 11, section 3).

The disk is made "full" where it would fail: the ``write(2)`` system call, through
``os.write``, which the checked writer (``radiculopathy_desktop.outputs``) uses for
every byte of every export. After ``limit`` bytes it writes what still fits (a short
write, as the kernel does) and then fails with ENOSPC. Before this issue the PDFs were
written by Qt's own file writer, which ignored a full disk: the command printed
"Wrote ... 2 pages", exited 0, left a truncated PDF and recorded the export in the
audit table.

For each export (referral summary PDF, handout PDF, cases CSV, FHIR JSON) and several
fill levels, the command must exit 3 saying the disk is full and what to do, leave no
file and no temporary file, keep an earlier file of that name unchanged, and record
nothing in the audit table. The same checks cover a truncated PDF, a write that takes
nothing, a failing fsync and an audit row that cannot be written.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
from pathlib import Path

import pytest

import fault_figures
from pypdf import PdfReader

from radiculopathy_desktop import outputs
from radiculopathy_desktop.storage.db import StorageError
from radiculopathy_desktop.storage.store import CaseStore

CASE = "EX-ROUTINE-S1-DUE"
EXPORT_ACTIONS = {"handout_saved", "summary_pdf_exported", "fhir_exported", "cases_csv_exported"}

EXPORTS = {
    "summary_pdf": (["export", "summary", CASE, "--format", "pdf", "--as-of", "2026-11-21"], "s.pdf"),
    "handout_pdf": (["handout", CASE, "--as-of", "2026-11-21"], "h.pdf"),
    "cases_csv": (["export", "cases", "--status", "all", "--as-of", "2026-11-21", "--format", "csv"], "c.csv"),
    "fhir_json": (["export", "summary", CASE, "--format", "fhir", "--as-of", "2026-11-21"], "s.json"),
}
#: How much of the export the disk takes before it is full: nothing, one byte, half,
#: all but the last byte (measured from a whole export of the same data).
FILL_LEVELS = ("nothing", "one_byte", "half", "all_but_one")


def _cli(data: Path, *args: str) -> int:
    from radiculopathy_desktop.cli import main

    return main(["--data-dir", str(data), *args])


def _export_rows(data: Path) -> list:
    with CaseStore.open(data, create=False) as store:
        return [a for a in store.audit() if a.action in EXPORT_ACTIONS]


def _others(folder: Path, keep: str = "") -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != keep)


@pytest.fixture
def disk_full_after(monkeypatch):
    """``disk_full_after(limit)``: ``os.write`` takes ``limit`` more bytes in all, then ENOSPC."""
    real_write = os.write

    def install(limit: int):
        left = [limit]

        def write(fd, data):
            if left[0] <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            n = real_write(fd, bytes(memoryview(data)[: left[0]]))
            left[0] -= n
            return n

        monkeypatch.setattr(os, "write", write)
    return install


#: What the tests below actually tried, recorded for the README fault table when
#: RADICULOPATHY_FAULT_FIGURES is set (tests/fault_figures.py, tests/fault_table.py).
TALLY = fault_figures.Tally("export_faults")

_record_fault_figures = fault_figures.recorded_at_module_end(TALLY)


@pytest.mark.parametrize("limit", FILL_LEVELS)
@pytest.mark.parametrize("export", list(EXPORTS))
def test_every_export_on_a_full_disk_exits_3_and_leaves_nothing(qapp_offscreen, seeded_store, tmp_path, capsys,
                                                                disk_full_after, export, limit):
    argv, name = EXPORTS[export]
    reference = tmp_path / ("reference-" + name)
    assert _cli(seeded_store, *argv, "--out", str(reference)) == 0
    size = reference.stat().st_size
    recorded = len(_export_rows(seeded_store))
    capsys.readouterr()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / name
    disk_full_after({"nothing": 0, "one_byte": 1, "half": size // 2, "all_but_one": size - 1}[limit])
    code = _cli(seeded_store, *argv, "--out", str(out))
    err = capsys.readouterr()
    assert code == 3, err
    assert "disk is full" in err.err and "Free some space" in err.err and "export again" in err.err
    assert "Wrote" not in err.out
    assert _others(out_dir) == []  # neither the file nor a temporary file
    assert len(_export_rows(seeded_store)) == recorded  # nothing recorded as exported
    TALLY.add(faults_tried=1)


@pytest.mark.parametrize("export", list(EXPORTS))
def test_a_full_disk_keeps_the_earlier_file_unchanged(qapp_offscreen, seeded_store, tmp_path, capsys,
                                                      disk_full_after, export):
    argv, name = EXPORTS[export]
    out = tmp_path / name
    out.write_bytes(b"the earlier export\n")
    disk_full_after(100)
    assert _cli(seeded_store, *argv, "--out", str(out), "--force") == 3
    assert out.read_bytes() == b"the earlier export\n"
    assert _others(tmp_path, keep=name) == ["data"]
    TALLY.add(faults_tried=1)


@pytest.mark.parametrize("export", list(EXPORTS))
def test_short_writes_still_give_the_whole_file(qapp_offscreen, seeded_store, tmp_path, capsys, monkeypatch, export):
    """A disk that takes a few bytes per call (a pipe-like or network file system) is not an error."""
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(memoryview(data)[:4093])))
    argv, name = EXPORTS[export]
    out = tmp_path / name
    assert _cli(seeded_store, *argv, "--out", str(out)) == 0, capsys.readouterr()
    _assert_whole(out)
    assert len(_export_rows(seeded_store)) == 1


def _assert_whole(out: Path) -> None:
    if out.suffix == ".pdf":
        data = out.read_bytes()
        assert data.rstrip().endswith(b"%%EOF")
        assert len(PdfReader(io.BytesIO(data), strict=True).pages) >= 1
    elif out.suffix == ".json":
        assert json.loads(out.read_text(encoding="utf-8"))["resourceType"] == "Bundle"
    else:
        with open(out, encoding="utf-8-sig", newline="") as fh:
            from tests.reports.conftest import example_paths
            assert len(list(csv.reader(fh))) == 1 + len(example_paths())  # a header and one row per example


def test_a_write_that_takes_nothing_is_an_error_not_a_hang(qapp_offscreen, seeded_store, tmp_path, capsys,
                                                           monkeypatch):
    monkeypatch.setattr(os, "write", lambda fd, data: 0)
    out = tmp_path / "s.pdf"
    assert _cli(seeded_store, *EXPORTS["summary_pdf"][0], "--out", str(out)) == 3
    assert "disk reported an error" in capsys.readouterr().err
    assert _others(tmp_path) == ["data"]
    TALLY.add(faults_tried=1)


def test_a_failing_fsync_is_an_error(qapp_offscreen, seeded_store, tmp_path, capsys, monkeypatch):
    real_fsync = os.fsync

    def fsync(fd):
        if stat.S_ISREG(os.fstat(fd).st_mode) and any(
                p.name.endswith(".part") for p in tmp_path.iterdir()):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_fsync(fd)
    monkeypatch.setattr(os, "fsync", fsync)
    out = tmp_path / "c.csv"
    assert _cli(seeded_store, *EXPORTS["cases_csv"][0], "--out", str(out)) == 3
    assert "disk reported an error" in capsys.readouterr().err
    assert _others(tmp_path) == ["data"] and _export_rows(seeded_store) == []
    TALLY.add(faults_tried=1)


CUTS = (2, 7, 200)  # bytes lost from the end of a PDF (1 would only drop the final newline)


@pytest.mark.parametrize("cut", CUTS)
def test_a_truncated_pdf_is_caught_before_it_is_saved(qapp_offscreen, seeded_store, tmp_path, capsys,
                                                      monkeypatch, cut):
    """Whatever loses the end of a PDF, the check (%%EOF, the cross-reference table) refuses it."""
    from radiculopathy_desktop.reports.paged import PagedDocument

    real = PagedDocument.pdf_bytes
    monkeypatch.setattr(PagedDocument, "pdf_bytes", lambda self, paper="a4": (
        (lambda data, pages: (data[:-cut], pages))(*real(self, paper))))
    out = tmp_path / "s.pdf"
    assert _cli(seeded_store, *EXPORTS["summary_pdf"][0], "--out", str(out)) == 3
    assert "failed its check" in capsys.readouterr().err
    assert _others(tmp_path) == ["data"] and _export_rows(seeded_store) == []
    TALLY.add(faults_tried=1)


def test_a_pdf_missing_a_page_is_caught(qapp_offscreen, seeded_store, tmp_path, capsys, monkeypatch):
    from radiculopathy_desktop.reports.paged import PagedDocument

    real = PagedDocument.pdf_bytes
    monkeypatch.setattr(PagedDocument, "pdf_bytes", lambda self, paper="a4": (
        (lambda data, pages: (data, pages + 1))(*real(self, paper))))
    assert _cli(seeded_store, *EXPORTS["handout_pdf"][0], "--out", str(tmp_path / "h.pdf")) == 3
    assert "pages where" in capsys.readouterr().err
    TALLY.add(faults_tried=1)


@pytest.mark.parametrize("export", list(EXPORTS))
def test_an_export_the_audit_cannot_record_is_not_saved_and_says_so(qapp_offscreen, seeded_store, tmp_path,
                                                                     capsys, monkeypatch, export):
    def refuse(self, *args, **kwargs):
        raise StorageError("disk_full", "The disk is full, so the change could not be saved.")
    monkeypatch.setattr(CaseStore, "record_audit", refuse)
    argv, name = EXPORTS[export]
    out = tmp_path / name
    assert _cli(seeded_store, *argv, "--out", str(out)) == 3
    err = capsys.readouterr().err
    assert "could not be recorded in the audit table" in err and "not saved" in err
    assert _others(tmp_path) == ["data"]
    TALLY.add(faults_tried=1)


@pytest.mark.parametrize("export", list(EXPORTS))
def test_exports_are_owner_only_complete_and_audited_once(qapp_offscreen, seeded_store, tmp_path, capsys, export):
    old = os.umask(0)  # the most permissive umask: the file is still 0600
    try:
        argv, name = EXPORTS[export]
        out = tmp_path / name
        assert _cli(seeded_store, *argv, "--out", str(out)) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    _assert_whole(out)
    rows = _export_rows(seeded_store)
    assert len(rows) == 1 and rows[0].user


@pytest.mark.parametrize("export", list(EXPORTS))
def test_an_existing_file_is_replaced_only_with_force(qapp_offscreen, seeded_store, tmp_path, capsys, export):
    argv, name = EXPORTS[export]
    out = tmp_path / name
    out.write_bytes(b"keep me\n")
    assert _cli(seeded_store, *argv, "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err
    assert out.read_bytes() == b"keep me\n" and _export_rows(seeded_store) == []
    assert _cli(seeded_store, *argv, "--out", str(out), "--force") == 0
    _assert_whole(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_file_appearing_during_the_export_is_not_replaced(tmp_path):
    out = tmp_path / "c.csv"
    with pytest.raises(outputs.ExportError) as info:
        with outputs.checked_output(out, overwrite=False) as fh:
            fh.write(b"new\n")
            out.write_bytes(b"someone else's file\n")
    assert info.value.kind == "exists"
    assert out.read_bytes() == b"someone else's file\n"
    assert _others(tmp_path) == ["c.csv"]


def test_a_device_or_pipe_is_never_written_to(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(outputs.ExportError) as info:
        outputs.write_bytes(fifo, b"x")
    assert "not a regular file" in info.value.message
    with pytest.raises(outputs.ExportError):
        outputs.write_bytes(Path("/dev/null"), b"x")
