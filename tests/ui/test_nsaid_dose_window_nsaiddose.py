"""The case page says an NSAID without a row of its own is above its label maximum, and says when
an NSAID's dose was not checked (nsaiddose; H-MED-459, H-MED-460). Before, "Meloxicam 15mg bd"
(30 mg a day; meloxicam-label: at most 15 mg a day) had no alert on the page at all."""

from __future__ import annotations

from tests.ui.test_medicine_table import _open


def test_the_case_page_alerts_a_meloxicam_dose_above_its_maximum(window, qtbot, store):
    text = _open(window, qtbot, store, [{"name": "Meloxicam 15mg bd"}])
    assert "meloxicam 15mg bd 30 mg/day is above the label maximum of 15 mg of meloxicam a day" in text
    assert "bring it down to the maximum" in text


def test_the_case_page_says_an_nsaid_dose_was_not_checked(window, qtbot, store):
    text = _open(window, qtbot, store, [{"name": "aceclofenac 100mg bd"}])
    assert "Dose not checked: aceclofenac 100mg bd: this tool holds no label maximum for aceclofenac" in text
