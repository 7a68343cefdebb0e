"""The running header of a handout keeps each item whole on its own line (hd16).

Before: the right column held "Date: <long date> · Clinician: <name>" on one line. The Spanish
labels and long date ("Fecha: 30 de noviembre de 2026 · Profesional: Dr Demo") ran past the
column, so it wrapped inside the clinician's name: "... Profesional: Dr" on one line and "Demo"
under it, on every page, A4 and Letter. Now patient, date and clinician are one to a line, and
each line reads whole in the PDF's text layer on every page, both languages, both papers, normal
and large print.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader

from radiculopathy_desktop.reports import handout_content as hc
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.reports.handouts import LABELS, long_date

DATE = dt.date(2026, 11, 30)


def _request(lang: str, clinician: str, large: bool, paper: str) -> h.HandoutRequest:
    return h.HandoutRequest(patient_name="María José Fernández", clinician=clinician,
                            clinic_name="Riverside Health Centre", clinic_contact="0161 555 0134",
                            date=DATE, next_follow_up_date=dt.date(2026, 12, 14), lang=lang,
                            sheets=("about_sciatica",), large_print=large, paper=paper)


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("lang", hc.LANGUAGES)
@pytest.mark.parametrize("clinician", ["Dr Demo", "Dr Ana Ruiz Santos"])
def test_each_header_item_is_one_whole_line_on_every_page(qapp_offscreen, tmp_path, lang, large, paper, clinician):
    req = _request(lang, clinician, large, paper)
    path = tmp_path / "h.pdf"
    h.write_handout_pdf(req, path)
    labels = LABELS[lang]
    # (the patient's name is bold: the text layer gives it a line of its own after "For:")
    wanted = [f"{labels['date']}: {long_date(DATE, lang)}", f"{labels['clinician']}: {clinician}"]
    pages = PdfReader(str(path)).pages
    assert len(pages) >= 2  # the header is checked on a page after the first too
    for n, page in enumerate(pages):
        lines = [" ".join(line.split()) for line in (page.extract_text() or "").splitlines()]
        assert f"{labels['for']}: {req.patient_name}" in " ".join(lines[:8]), (lang, n + 1, lines[:8])
        for item in wanted:
            assert any(line.endswith(item) for line in lines[:8]), (lang, large, paper, n + 1, item, lines[:8])
