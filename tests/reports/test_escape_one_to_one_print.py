"""The handout and the summary show a stored name one-to-one (red-team rt10 F8): a real
U+202E is printed ``\\u202e`` and the typed characters backslash, u, 2, 0, 2, e are
printed ``\\\\u202e``, so the two never look the same on paper."""

from __future__ import annotations

import datetime as dt

from pypdf import PdfReader

from radiculopathy_desktop.domain.intake import case_to_dict, parse_case
from radiculopathy_desktop.reports import handouts as h
from radiculopathy_desktop.reports import summary as s

AS_OF = dt.date(2026, 11, 21)


def _stored(examples, name):
    data = case_to_dict(examples["routine_s1_follow_up_due"])
    data["patient"]["name"] = name
    return parse_case(data)  # read as a stored case: no new-input check


def test_the_handout_prints_a_real_override_and_its_typed_look_alike_apart(qapp_offscreen, examples, tmp_path):
    texts = {}
    for label, name in (("real", "Sam\u202eX"), ("typed", "Sam\\u202eX")):
        req = h.request_for_case(_stored(examples, name), AS_OF, clinic_name="Clinic", clinic_contact="0161",
                                 sheets=["about_sciatica"])
        doc = h.build_document(req)
        assert "\u202e" not in doc.header_html + doc.body_html
        out = tmp_path / f"{label}.pdf"
        h.write_handout_pdf(req, out)
        texts[label] = ("\n".join(p.extract_text() for p in PdfReader(out).pages), doc.header_html)
    assert "Sam\\u202eX" in texts["real"][0] and "Sam\\\\u202eX" not in texts["real"][0]
    assert "Sam\\\\u202eX" in texts["typed"][0]
    assert "Sam\\u202eX" in texts["real"][1] and "Sam\\\\u202eX" in texts["typed"][1]


def test_the_summary_prints_the_pair_apart(qapp_offscreen, examples):
    real, _ = s.summary_html(s.SummaryRequest(case=_stored(examples, "Sam\u202eX"), as_of=AS_OF))
    typed, _ = s.summary_html(s.SummaryRequest(case=_stored(examples, "Sam\\u202eX"), as_of=AS_OF))
    assert "Sam\\u202eX" in real and "Sam\\\\u202eX" not in real and "\u202e" not in real
    assert "Sam\\\\u202eX" in typed
