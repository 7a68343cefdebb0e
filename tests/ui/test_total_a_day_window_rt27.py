"""The intake's medicine table reads a total a day written after a strength (route27):
"ibuprofen 1200mg/day" was NOT RECOGNISED; now it is ibuprofen, 1200 mg a day read from the
name. Typed as a user does, in the intake's medicine table. Nothing typed is changed."""

from __future__ import annotations

from tests.ui.test_combination_dose_window import _type_cell
from tests.ui.test_names_as_typed_window import _medicines_step


def test_a_total_a_day_after_the_strength_is_recognised_and_read(window, qtbot):
    page = _medicines_step(window, qtbot)
    _type_cell(qtbot, page, 0, 0, "ibuprofen (was 1200mg/day)")
    qtbot.waitUntil(lambda: page.meds_unknown.isVisible())  # a number in a note is never the dose
    assert "ibuprofen (was 1200mg/day)" in page.meds_unknown.text()
    _type_cell(qtbot, page, 0, 0, "ibuprofen 1200mg/day")
    qtbot.waitUntil(lambda: not page.meds_unknown.isVisible())
    qtbot.waitUntil(lambda: "read from the name" in page.meds_combination.text())
    assert "of 1200 mg (ibuprofen 1200 mg a day)" in page.meds_combination.text()
    assert page.medicines() == ([{"name": "ibuprofen 1200mg/day"}], [])


def test_a_route_after_the_name_and_hours_written_q4hrs_are_recognised(window, qtbot):
    """route27: "enoxaparin sc" and "oxycodone 5mg q4-6hrs" were NOT RECOGNISED; "tylenol iv" still is."""
    page = _medicines_step(window, qtbot)
    _type_cell(qtbot, page, 0, 0, "tylenol iv")
    qtbot.waitUntil(lambda: page.meds_unknown.isVisible())
    assert "tylenol iv" in page.meds_unknown.text()
    _type_cell(qtbot, page, 0, 0, "enoxaparin sc")
    qtbot.waitUntil(lambda: not page.meds_unknown.isVisible())
    _type_cell(qtbot, page, 0, 0, "oxycodone 5mg q4-6hrs")
    qtbot.waitUntil(lambda: "q4-6hrs" in page.meds_combination.text())
    assert not page.meds_unknown.isVisible()
    assert "is a range of times" in page.meds_combination.text()
    assert page.medicines() == ([{"name": "oxycodone 5mg q4-6hrs"}], [])
