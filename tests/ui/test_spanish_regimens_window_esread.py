"""The intake's medicine table reads a Spanish regimen typed in the name and says what it read (esread;
H-MED-502): "ibuprofeno 600 mg 2 comprimidos tres veces al día" was NOT RECOGNISED; now it is ibuprofen, 2
tablets three times a day of 600 mg, 3600 mg a day, read from the name. A range ("cada 6-8 horas") is
asked about, never read. Typed as a user does, accents as a keyboard gives them; nothing typed is changed."""

from __future__ import annotations

from tests.ui.test_names_as_typed_window import _medicines_step, _type_cell_unicode


def test_a_spanish_count_and_frequency_are_read_and_shown(window, qtbot):
    page = _medicines_step(window, qtbot)
    typed = "ibuprofeno 600 mg 2 comprimidos tres veces al día"
    _type_cell_unicode(qtbot, page, 0, 0, typed)
    qtbot.waitUntil(lambda: "read from the name" in page.meds_combination.text())
    assert ("no daily dose recorded, read from the name (2 comprimidos tres veces al día) as 6 tablets a day of "
            "600 mg (ibuprofen 3600 mg a day)") in page.meds_combination.text()
    assert not page.meds_unknown.isVisible()
    assert page.medicines() == ([{"name": typed}], [])


def test_a_spanish_range_of_hours_is_asked_about(window, qtbot):
    page = _medicines_step(window, qtbot)
    _type_cell_unicode(qtbot, page, 0, 0, "paracetamol 1 g cada 6-8 horas")
    qtbot.waitUntil(lambda: "cada 6-8 horas" in page.meds_combination.text())
    assert "\"cada 6-8 horas\" is a range of times" in page.meds_combination.text()
    assert "read from the name" not in page.meds_combination.text()
    assert not page.meds_unknown.isVisible()
    assert page.medicines() == ([{"name": "paracetamol 1 g cada 6-8 horas"}], [])
