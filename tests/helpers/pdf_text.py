"""The words of a saved PDF, as the tests read them."""

from __future__ import annotations

import unicodedata

from pypdf import PdfReader


def pdf_words(path) -> str:
    """Every page's text, NFKC-normalised (ligatures and compatibility forms as plain letters),
    white space folded to single spaces."""
    text = " ".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def handout_pdf_words(case, tmp_path, lang: str, profile: str = "us", sheets=("med_nsaid",), as_of=None) -> str:
    """The words of the handout PDF of ``case``'s ``sheets`` as saved (handout29): what the patient reads."""
    import datetime as dt

    from radiculopathy_desktop.reports import handouts as h

    req = h.request_for_case(case, as_of or dt.date(2026, 11, 21), clinic_name="Clinic", clinic_contact="555",
                             lang=lang, sheets=list(sheets), profile=profile)
    out = tmp_path / f"handout-{lang}-{profile}.pdf"
    h.write_handout_pdf(req, out)
    return pdf_words(out)
