"""unread30 (H-MED-574): in the window, a known medicine written with a regimen not read ("methotrexate 10mg qod",
"ibuprofen 400mg stat then tds") is recognised, as the text and JSON reports say: the intake's medicine step asks
its dose ("Check the dose", naming the words) and does not say "not recognised"; the patient page names no
medicine not recognised, rates no row "not fully checked" for it, and shows the NSAID with methotrexate
interaction (NSAID class labelling) that was lost when the entry was NOT RECOGNISED."""
from __future__ import annotations

from tests.ui.test_medicine_table import _open
from tests.ui.test_names_as_typed_window import _medicines_step
from tests.ui.test_combination_dose_window import _type_cell


def test_the_intake_asks_the_dose_of_a_known_medicine_whose_regimen_is_not_read(window, qtbot):
    page = _medicines_step(window, qtbot)
    _type_cell(qtbot, page, 0, 0, "methotrexate 10mg qod")
    qtbot.waitUntil(lambda: page.meds_combination.text().startswith("Check the dose"))
    assert '"qod" could not be read' in page.meds_combination.text()
    assert not page.meds_unknown.isVisible()
    _type_cell(qtbot, page, 0, 0, "ibuprofen 400mg gel qod")  # a topical form: still not recognised, as before
    qtbot.waitUntil(lambda: page.meds_unknown.isVisible())


def test_the_patient_page_shows_the_interaction_and_no_medicine_not_recognised(window, qtbot, store):
    text = _open(window, qtbot, store, [{"name": "methotrexate 10mg qod"}, {"name": "ibuprofen 400mg stat then tds"}])
    medicines = text[text.index("Medicines"):]
    assert "Not recognised" not in medicines and "not in the medicine list" not in medicines
    assert "Not fully checked" not in medicines
    assert "NSAIDs reduce methotrexate clearance" in medicines
