"""Handouts name their sources in words a patient can read, never as internal ids (issue 13)."""

from __future__ import annotations

import pytest

from radiculopathy_desktop.reports import handout_content as hc


@pytest.mark.parametrize("lang", hc.LANGUAGES)
def test_every_source_a_sheet_cites_has_a_printed_name(lang):
    missing = sorted({s for sheet_id in hc.sheet_ids(lang) for s in hc.load_sheet(sheet_id, lang).sources
                      if hc.source_label(s, lang) == s and not hc.is_reviewer_only_source(s)})
    assert not missing, f"add these to resources/handouts/sources.toml [{lang}]: {missing}"


@pytest.mark.parametrize("lang", hc.LANGUAGES)
def test_a_seed_summary_a_sheet_records_is_never_printed(lang):
    sheet = hc.load_sheet("extra_care", lang)
    assert "seed-summary-2" in sheet.sources  # kept in the data for the reviewers
    printed = hc.printed_sources(sheet, lang)
    assert printed and not any("seed" in p.lower() for p in printed)
    assert "AGS Beers" in " ".join(printed) or "Beers" in " ".join(printed)


def test_the_sources_line_prints_names_not_ids(qapp_offscreen, tmp_path):
    import datetime as dt

    from pypdf import PdfReader

    from radiculopathy_desktop.reports import handouts
    req = handouts.HandoutRequest(patient_name="Maria Lopez", clinician="Dr Ruiz", clinic_name="Riverside",
                                  clinic_contact="0161 555 0134", date=dt.date(2026, 11, 21),
                                  next_follow_up_date=dt.date(2026, 12, 5), sheets=("about_sciatica",))
    handouts.write_handout_pdf(req, tmp_path / "h.pdf")
    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(str(tmp_path / "h.pdf")).pages).split())
    assert "NICE NG59 (2016, updated 2020)" in text and "ACP 2017" in text
    assert "nice-ng59" not in text and "acp-aps-2007" not in text


def test_the_marks_catch_a_seed_summary_id():
    from radiculopathy_desktop.domain.citations import provenance_marks
    assert provenance_marks("Sources: seed-summary-2, AGS Beers Criteria 2023")
