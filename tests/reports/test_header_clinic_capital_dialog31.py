"""The handout header names an unnamed clinic with a capital, on every page (dialog31, H-UI-518).

GP tryout 31 (D12): page 1 said "Your clinic", the running header of pages 2 onward "your clinic"
(the lower-case label, meant for the middle of a sentence, opened the header's cell).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from radiculopathy_desktop.reports.handouts import LABELS, header_html


def _req(lang, clinic):
    return SimpleNamespace(lang=lang, clinic_name=clinic, clinic_contact="0100", patient_name="Alex Example",
                           date=dt.date(2026, 12, 3), clinician="Dr Demo")


@pytest.mark.parametrize("lang, shown", [("en", "<b>Your clinic</b>"), ("es", "<b>Su centro de salud</b>")])
def test_an_unnamed_clinic_opens_the_header_with_a_capital(lang, shown):
    assert LABELS[lang]["your_clinic"][0].islower()  # the label stays lower case for mid-sentence use
    assert shown in header_html(_req(lang, LABELS[lang]["your_clinic"]))


def test_a_named_clinic_is_printed_as_typed():
    assert "<b>eClinic riverside</b>" in header_html(_req("en", "eClinic riverside"))
