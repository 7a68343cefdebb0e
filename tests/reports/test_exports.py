"""Referral summary PDF, print preview, CSV and FHIR exports, and the CLI commands."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from radiculopathy_desktop.resources import resource_path
from radiculopathy_desktop.reports import csv_export, fhir, printing, summary

AS_OF = dt.date(2026, 11, 21)
CLINIC = "Riverside Health Centre"


def _text(path: Path) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(path).pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())  # folds fi/fl ligatures


# --------------------------------------------------------------------------- summary
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_summary_renders(qapp_offscreen, examples, tmp_path, paper):
    for name, case in examples.items():
        out = tmp_path / f"{name}.pdf"
        pages = summary.write_summary_pdf(summary.SummaryRequest(case, AS_OF, CLINIC, "0161 555 0134",
                                                                 paper=paper), out)
        reader = PdfReader(out)
        assert len(reader.pages) == pages and 1 <= pages <= 4
        size = (round(float(reader.pages[0].mediabox.width)), round(float(reader.pages[0].mediabox.height)))
        assert size == ((595, 842) if paper == "a4" else (612, 792))
        text = _text(out)
        for needle in (case.case_id, case.patient.name, CLINIC, "Red-flag screen", "Scores over time",
                       "Treatments tried", "Surgical review", "Decisions", "guideline content", "0.1.0"):
            assert needle in text, (name, needle)


def test_summary_states_status_reason_and_sources(qapp_offscreen, examples, tmp_path):
    from radiculopathy_desktop.domain.followup import surgical_review

    case = examples["routine_s1_follow_up_due"]
    out = tmp_path / "s.pdf"
    summary.write_summary_pdf(summary.SummaryRequest(case, AS_OF, CLINIC), out)
    text = _text(out)
    review = surgical_review(case, AS_OF)
    assert f"Surgical review: {review.status.label}" in text
    assert "in the review window" in text
    assert "Peul" in text  # a source of the review window
    assert "2026-10-19" in text  # a follow-up visit in the score table


def test_chart_paints_ink(qapp_offscreen, examples):
    from radiculopathy_desktop.reports.chart import chart_image, series_from_case

    img = chart_image(series_from_case(examples["routine_s1_follow_up_due"]), 600, 260)
    dark = sum(1 for x in range(0, 600, 3) for y in range(0, 260, 3) if img.pixelColor(x, y).lightness() < 128)
    assert dark > 200


# --------------------------------------------------------------------------- printing
def test_print_preview_paints(qapp_offscreen, examples, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    doc = summary.build_document(summary.SummaryRequest(examples["urgent_foot_drop"], AS_OF, CLINIC))
    printer = printing.make_printer("letter")
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = printing.paint_to_printer(doc, printer)
    assert pages >= 1 and (tmp_path / "printed.pdf").stat().st_size > 1000
    image = doc.render_images(paper="a4", dpi=40, pages=1)[0]
    dark = sum(1 for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
               if image.pixelColor(x, y).lightness() < 128)
    assert dark > 300, "the preview page is blank"


# --------------------------------------------------------------------------- CSV
def test_safe_cell_escapes_formulas():
    for bad in ("=SUM(A1)", "+1", "-2+3", "@cmd"):
        assert csv_export.safe_cell(bad) == "'" + bad
    # a tab or CR (refused in new names, rt8 F8) is written as its visible escape, which starts no formula
    assert csv_export.safe_cell("\tx") == "\\u0009x" and csv_export.safe_cell("\rx") == "\\u000dx"
    assert csv_export.safe_cell("Chris") == "Chris"
    assert csv_export.safe_cell(-3) == -3  # numbers stay numbers
    assert csv_export.safe_cell(None) == ""
    assert csv_export.safe_cell(True) == "yes"


def test_csv_columns_documented():
    doc = Path(__file__).resolve().parents[2].joinpath("docs", "csv-columns.md").read_text(encoding="utf-8")
    for i, (name, meaning) in enumerate(csv_export.COLUMNS, start=1):
        assert f"| {i} | `{name}` | {meaning} |" in doc


def test_csv_export_is_bom_utf8_and_escaped(examples, tmp_path):
    import dataclasses

    case = examples["routine_s1_follow_up_due"]
    evil = dataclasses.replace(case, intake=dataclasses.replace(
        case.intake, patient=dataclasses.replace(case.patient, name="=HYPERLINK(\"x\") José")))
    out = tmp_path / "cases.csv"
    n = csv_export.export_csv([csv_export.row_from_case(c, AS_OF) for c in (case, evil)], out)
    assert n == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == csv_export.COLUMN_NAMES
    names = [r[2] for r in rows[1:]]
    assert names == ["Chris Example", "'=HYPERLINK(\"x\") José"]
    row = dict(zip(rows[0], rows[1]))
    assert row["status"] == "due" and row["app_version"] == "0.1.0" and row["content_version"]


# --------------------------------------------------------------------------- FHIR
def test_fhir_bundle_parses_and_has_the_resources(examples, tmp_path):
    from fhir.resources.R4B.bundle import Bundle

    for name, case in examples.items():
        out = tmp_path / f"{name}.json"
        fhir.write_bundle(case, AS_OF, out)
        bundle = Bundle.model_validate(json.loads(out.read_text(encoding="utf-8")))
        kinds = [e.resource.get_resource_type() for e in bundle.entry]
        assert kinds.count("Patient") == 1 and kinds.count("Condition") == 1
        assert "Observation" in kinds
        assert ("ServiceRequest" in kinds) != ("CarePlan" in kinds)
        tags = {t.code for t in bundle.meta.tag}
        assert "app-0.1.0" in tags and any(t.startswith("content-") for t in tags)
        cond = next(e.resource for e in bundle.entry if e.resource.get_resource_type() == "Condition")
        assert cond.code.coding[0].system == "http://snomed.info/sct" and cond.code.coding[0].display
        assert cond.bodySite[0].coding[0].code in {"7771000", "24028007", "51440002"}


def test_fhir_pain_scores_use_loinc_and_start_back_is_a_questionnaire_response(examples):
    from fhir.resources.R4B.bundle import Bundle

    case = examples["routine_s1_follow_up_due"]
    bundle = Bundle.model_validate(fhir.case_bundle(case, AS_OF))
    pain = [e.resource for e in bundle.entry if e.resource.get_resource_type() == "Observation"
            and e.resource.code.coding[0].code == "72514-3"]
    assert len(pain) == 2 * len(case.score_timeline())
    assert any(e.resource.get_resource_type() == "Observation" and e.resource.code.coding[0].code == "91352-5"
               for e in bundle.entry)  # totals only: risk level, no QuestionnaireResponse (issue 16)


def test_fhir_referral_decision_gives_a_service_request(examples):
    from fhir.resources.R4B.bundle import Bundle
    from radiculopathy_desktop.domain.intake import Decision

    case = examples["routine_s1_follow_up_due"].with_decision(
        Decision(date=dt.date(2026, 11, 20), kind="referred_for_surgical_opinion", by="Dr Demo"))
    bundle = Bundle.model_validate(fhir.case_bundle(case, AS_OF))
    kinds = [e.resource.get_resource_type() for e in bundle.entry]
    assert "ServiceRequest" in kinds and "CarePlan" not in kinds


# --------------------------------------------------------------------------- CLI
def _cli(data: Path, *args: str) -> int:
    from radiculopathy_desktop.cli import main

    return main(["--data-dir", str(data), *args])


def test_cli_writes_each_export(qapp_offscreen, seeded_store, tmp_path, capsys):
    case_id = "EX-ROUTINE-S1-DUE"
    assert _cli(seeded_store, "handout", case_id, "--lang", "es", "--large-print", "--paper", "letter",
                "--as-of", "2026-11-21", "--clinic-contact", "555 0134", "--out", str(tmp_path / "h.pdf")) == 0
    text = _text(tmp_path / "h.pdf")
    assert "Chris Example" in text and CLINIC in text and "1400 mg" in text
    assert _cli(seeded_store, "export", "summary", case_id, "--format", "pdf", "--as-of", "2026-11-21",
                "--out", str(tmp_path / "s.pdf")) == 0
    assert _cli(seeded_store, "export", "summary", case_id, "--format", "fhir", "--as-of", "2026-11-21",
                "--out", str(tmp_path / "s.json")) == 0
    assert _cli(seeded_store, "export", "cases", "--status", "all", "--as-of", "2026-11-21",
                "--format", "csv", "--out", str(tmp_path / "c.csv")) == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "c.csv").read_text(encoding="utf-8-sig"))))
    from tests.reports.conftest import example_paths
    assert len(rows) == 1 + len(example_paths())  # a header and one row per example case


@pytest.mark.parametrize("argv", [
    ["handout", "NO-SUCH-CASE"],
    ["export", "summary", "NO-SUCH-CASE", "--format", "pdf"],
    ["export", "summary", "NO-SUCH-CASE", "--format", "fhir"],
])
def test_cli_unknown_case_exits_2_and_writes_nothing(seeded_store, tmp_path, capsys, argv):
    suffix = ".json" if "fhir" in argv else ".pdf"
    out = tmp_path / f"out{suffix}"
    assert _cli(seeded_store, *argv, "--out", str(out)) == 2
    assert "NO-SUCH-CASE" in capsys.readouterr().err
    assert list(tmp_path.glob("out*")) == [] and list(tmp_path.glob(".out*")) == []


@pytest.mark.parametrize("argv,name", [
    (["handout", "EX-ROUTINE-S1-DUE"], "h.pdf"),
    (["export", "summary", "EX-ROUTINE-S1-DUE", "--format", "pdf"], "s.pdf"),
    (["export", "cases", "--format", "csv"], "c.csv"),
])
def test_cli_unwritable_path_exits_2(seeded_store, tmp_path, capsys, argv, name):
    missing = tmp_path / "no-such-folder" / name
    assert _cli(seeded_store, *argv, "--out", str(missing)) == 2
    assert "Cannot write" in capsys.readouterr().err
    if os.geteuid() != 0:  # root ignores permissions
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            assert _cli(seeded_store, *argv, "--out", str(locked / name)) == 2
            assert list(locked.iterdir()) == []
        finally:
            locked.chmod(0o700)


def test_failed_write_leaves_no_partial_file(qapp_offscreen, examples, tmp_path, monkeypatch):
    out = tmp_path / "cases.csv"
    out.write_text("previous export\n", encoding="utf-8")

    def rows():
        yield csv_export.row_from_case(examples["routine_l5_acute"], AS_OF)
        raise RuntimeError("disk went away")

    with pytest.raises(RuntimeError):
        csv_export.export_csv(rows(), out)
    assert out.read_text(encoding="utf-8") == "previous export\n"  # old file untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.csv"]  # no temp file left
