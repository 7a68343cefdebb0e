"""The handout and the summary of a case stored with a direction override show it as a
visible escape, never obeyed (red-team rt8 F8: "evil" printed as "live"), and the italic
"This sheet is for …" sentence sets the letters its italic font lacks (Arabic: DejaVu Sans
Oblique has none) upright, so the patient's name is not printed as empty boxes."""

from __future__ import annotations

import datetime as dt
import re

from pypdf import PdfReader
from PySide6.QtGui import QFont, QFontMetricsF

from radiculopathy_desktop.domain.intake import parse_case, case_to_dict
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.reports import summary as s

AS_OF = dt.date(2026, 11, 21)
ARABIC = "\u0645\u062d\u0645\u062f"
NAME = f"\u202eevil\u202c Sam {ARABIC} \u05d3\u05d5\u05d3"


def _stored(examples):
    data = case_to_dict(examples["routine_s1_follow_up_due"])
    data["patient"]["name"] = NAME
    data["clinician"] = "Dr\x1b[31m Red"
    return parse_case(data)  # read as a stored case: no new-input check


def test_the_handout_shows_an_override_escaped_and_arabic_upright_in_the_italic_intro(qapp_offscreen, examples,
                                                                                    tmp_path):
    italic = QFont("DejaVu Sans")
    italic.setItalic(True)
    assert not QFontMetricsF(italic).inFontUcs4(ord(ARABIC[0]))  # the premise: the italic lacks Arabic
    req = h.request_for_case(_stored(examples), AS_OF, clinic_name="Clinic", clinic_contact="0161",
                             sheets=["about_sciatica"])
    doc = h.build_document(req)
    for html in (doc.header_html, doc.body_html):
        assert "\u202e" not in html and "\u202c" not in html and "\x1b" not in html
    assert "\\u202eevil\\u202c Sam" in doc.header_html and "Dr\\u001b[31m Red" in doc.header_html
    intro = re.search(r'<p class="intro">(.*?)</p>', doc.body_html).group(1)
    assert f'<span style="font-style: normal">{ARABIC}</span>' in intro
    assert "\\u202eevil\\u202c Sam" in intro and "\u05d3\u05d5\u05d3" in intro  # Hebrew: the italic has it
    out = tmp_path / "handout.pdf"
    h.write_handout_pdf(req, out)
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "\\u202eevil\\u202c" in text and "\u202e" not in text


def test_the_summary_shows_the_override_escaped(qapp_offscreen, examples):
    html, _ = s.summary_html(s.SummaryRequest(case=_stored(examples), as_of=AS_OF))
    header = s.header_html(s.SummaryRequest(case=_stored(examples), as_of=AS_OF))
    for text in (html, header):
        assert "\u202e" not in text and "\x1b" not in text
        assert "\\u202eevil\\u202c Sam" in text
