"""The intake's medicine table reads names as a repeat-prescription list writes them (rt26):
a note after the name ("apixaban (for AF)"), a pasted trade mark, "3/day"; a note that may mean
the medicine is not taken ("ibuprofen (stopped)") still says "not recognised". Typed as a user
does, in the intake's medicine table. Nothing typed is changed."""

from __future__ import annotations

from tests.ui.test_combination_dose_window import _type_cell
from tests.ui.test_names_as_typed_window import _medicines_step, _type_cell_unicode


def test_a_note_after_the_name_is_recognised_and_a_stopped_one_is_not(window, qtbot):
    page = _medicines_step(window, qtbot)
    _type_cell(qtbot, page, 0, 0, "ibuprofen (stopped)")
    qtbot.waitUntil(lambda: page.meds_unknown.isVisible())
    assert "ibuprofen (stopped)" in page.meds_unknown.text() and "did you mean ibuprofen?" in page.meds_unknown.text()
    _type_cell(qtbot, page, 0, 0, "sertraline 50mg od (for mood)")
    qtbot.waitUntil(lambda: not page.meds_unknown.isVisible())  # recognised: it was NOT RECOGNISED before
    qtbot.waitUntil(lambda: "read from the name" in page.meds_combination.text())
    assert "read from the name (od) as 1 dose a day of 50 mg (sertraline 50 mg a day)" in page.meds_combination.text()
    assert page.medicines() == ([{"name": "sertraline 50mg od (for mood)"}], [])  # the note is kept as typed


def test_a_pasted_mark_and_a_per_day_frequency_are_read(window, qtbot):
    page = _medicines_step(window, qtbot)
    _type_cell_unicode(qtbot, page, 0, 0, "Apixaban\u00ae 5 mg 2x/day")
    qtbot.waitUntil(lambda: "read from the name" in page.meds_combination.text())
    assert not page.meds_unknown.isVisible()
    assert "as 2 doses a day of 5 mg (apixaban 10 mg a day)" in page.meds_combination.text()
    assert page.medicines() == ([{"name": "Apixaban\u00ae 5 mg 2x/day"}], [])
