"""The window says Arthrotec's misoprostol in micrograms and reads Targin's oxycodone, as a
clinician types them (combo28; H-MED-486, H-MED-487). Sources: arthrotec-label / arthrotec-ndc
(diclofenac sodium 50 mg with misoprostol 200 micrograms a tablet); targinact-uk (Targinact 10 mg/5
mg: oxycodone hydrochloride 10 mg with naloxone hydrochloride 5 mg)."""

from __future__ import annotations

from tests.ui.test_combination_dose_window import _type_cell
from tests.ui.test_medicine_table import _open
from tests.ui.test_names_as_typed_window import _medicines_step


def test_the_intake_reads_arthrotec_in_micrograms_as_it_is_typed(window, qtbot):
    page = _medicines_step(window, qtbot)  # the "Conditions and medicines" step, one row added
    _type_cell(qtbot, page, 0, 0, "Arthrotec 50/200")
    qtbot.waitUntil(lambda: page.meds_combination.isVisible())
    _type_cell(qtbot, page, 0, 1, "150")
    qtbot.waitUntil(lambda: "3 tablets" in page.meds_combination.text())
    assert "(diclofenac 150 mg, misoprostol 600 micrograms a day)" in page.meds_combination.text()
    assert "misoprostol 600 mg" not in page.meds_combination.text()


def test_the_patient_page_says_micrograms_and_targins_oxycodone(window, qtbot, store):
    text = _open(window, qtbot, store, [{"name": "Arthrotec 50/200 tds"}, {"name": "Targin 10/5 bd"}])
    assert "misoprostol 600 micrograms" in text and "misoprostol 600 mg" not in text
    assert "oxycodone 20 mg" in text and "the naloxone 5 mg a tablet is not counted" in text
    assert "gives no strength" not in text
