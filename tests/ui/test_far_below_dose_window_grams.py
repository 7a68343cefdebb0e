"""A daily dose typed in grams into the mg field is asked about in the window as it is typed and on
the review (grams; H-UI-442, H-UI-443, H-MED-510).

The dose column is mg a day. Paracetamol's smallest adult tablet is 325 mg (US OTC Drug Facts,
sources.toml acetaminophen-325-otc); a daily dose below a tenth of it (32.5 mg, drugs.toml
[dose_check_far_below], a bound set by this tool) is "Check the dose". "paracetamol" with 4 typed
(4 g meant) was read as 4 mg a day and nothing was said. Nothing typed is changed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView

from tests.ui.test_combination_dose_window import _type_cell
from tests.ui.test_dose_slip_window import _review_banner
from tests.ui.test_names_as_typed_window import _medicines_step


def _type(qtbot, page, column, text):
    """Type one cell of the first row and wait for its editor to close before the next."""
    _type_cell(qtbot, page, 0, column, text)
    qtbot.waitUntil(lambda: page.meds.state() != QAbstractItemView.EditingState)


def test_the_dose_column_says_mg_a_day_not_grams(window, qtbot):
    page = _medicines_step(window, qtbot)
    header = page.meds.horizontalHeaderItem(1)
    assert header.text() == "Daily dose (mg a day)"
    assert header.toolTip().startswith("Total milligrams (mg) a day, not grams: 4 g of paracetamol a day is 4000.")
    assert "milligrams a day" in page.meds.accessibleName()


def test_paracetamol_4_typed_is_asked_about_as_it_is_typed_and_never_converted(window, qtbot):
    page = _medicines_step(window, qtbot)
    _type(qtbot, page, 0, "paracetamol")
    _type(qtbot, page, 1, "4")
    qtbot.waitUntil(lambda: page.meds_combination.isVisible())
    text = page.meds_combination.text()
    # the Review step's alert, in its words (intakemed): "Check the dose: Taking paracetamol 4 mg/day: Check the dose: ..."
    assert text.startswith("Check the dose: ") and "paracetamol 4 mg a day is far below any usual dose of " in text
    assert "was it typed in grams? 4 g = 4000 mg" in text
    assert page.medicines() == ([{"name": "paracetamol", "daily_dose_mg": 4.0}], [])  # kept as typed
    # the bound (32.5 mg a day) is not asked about; the dose in mg, never
    _type(qtbot, page, 1, "32.5")
    qtbot.waitUntil(lambda: not page.meds_combination.isVisible())
    _type(qtbot, page, 1, "4000")
    qtbot.waitUntil(lambda: not page.meds_combination.isVisible())
    # a medicine whose doses are micrograms or a fraction of a mg: never asked about
    _type(qtbot, page, 0, "colchicine")
    _type(qtbot, page, 1, "0.5")
    qtbot.waitUntil(lambda: page.medicines()[0] == [{"name": "colchicine", "daily_dose_mg": 0.5}])
    assert not page.meds_combination.isVisible()


def test_paracetamol_4_typed_at_the_intake_is_check_the_dose_on_review(window, qtbot, context):
    text = _review_banner(window, qtbot, [("paracetamol", "4")])
    assert "Check the dose: paracetamol 4 mg a day is far below any usual dose" in text
    assert "was it typed in grams? 4 g = 4000 mg" in text
    assert "Reduce dose" not in text


def test_a_combination_strength_written_in_grams_is_asked_about_for_each_component(window, qtbot):
    """farbelow3 (H-MED-591): the components of a combination product read through a strength written in
    grams ("0.5/0.03": paracetamol 4 mg and codeine 0.24 mg a day) are asked about as the check asks; a real
    strength (30/500) is not."""
    page = _medicines_step(window, qtbot)
    _type(qtbot, page, 0, "paracetamol/codeine 0.5/0.03 2 tabs qds")
    qtbot.waitUntil(lambda: "far below" in page.meds_combination.text())
    text = page.meds_combination.text()
    assert ("Check the dose: the codeine in paracetamol/codeine 0.5/0.03 2 tabs qds (0.24 mg a day read from the "
            "name) is far below any usual dose of codeine: was it typed in grams? 0.24 g = 240 mg") in text
    assert "the acetaminophen in paracetamol/codeine 0.5/0.03 2 tabs qds (4 mg a day read from the name)" in text
    _type(qtbot, page, 0, "paracetamol/codeine 500/30 2 tabs qds")
    qtbot.waitUntil(lambda: "far below" not in page.meds_combination.text())
