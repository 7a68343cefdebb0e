"""spell28 in the window, driven as a user would.

- The intake's medicine table: "morphine 10mg 4 hrly", "ibuprofeno 600 mg cada 8 horas", "enoxaparin 40mg s.c."
  and "Targin 10/5mg" were NOT RECOGNISED (the GP had to retype); now they are recognised, and the daily amount
  read from the name is shown. "morphine 10mg hrly" is recognised and its dose asked about, never read x24.
- The patient page's banner said an NSAID with an anticoagulant twice (naproxen's own alert and the pair):
  once now (H-UI-433)."""

from __future__ import annotations

from tests.ui.conftest import case_dict
from tests.ui.test_combination_dose_window import _type_cell
from tests.ui.test_names_as_typed_window import _medicines_step


def test_forms_typed_in_the_intake_are_recognised_and_read(window, qtbot):
    page = _medicines_step(window, qtbot)
    _type_cell(qtbot, page, 0, 0, "morphine 10mg 4 hrlyx")
    qtbot.waitUntil(lambda: page.meds_unknown.isVisible())  # a near miss stays not recognised
    _type_cell(qtbot, page, 0, 0, "morphine 10mg 4 hrly")
    qtbot.waitUntil(lambda: not page.meds_unknown.isVisible())
    qtbot.waitUntil(lambda: "read from the name" in page.meds_combination.text())
    assert "60 mg" in page.meds_combination.text()
    for typed in ("ibuprofeno 600 mg cada 8 horas", "enoxaparin 40mg s.c.", "Targin 10/5mg", "morphine 10mg hrly"):
        _type_cell(qtbot, page, 0, 0, typed)
        qtbot.waitUntil(lambda: page.medicines() == ([{"name": typed}], []))
        qtbot.waitUntil(lambda: not page.meds_unknown.isVisible())
    qtbot.waitUntil(lambda: "hrly" in page.meds_combination.text())
    assert "could not be read" in page.meds_combination.text()


def test_the_banner_says_an_nsaid_with_an_anticoagulant_once(window, qtbot, store):
    from radiculopathy_desktop.domain.intake import parse_case
    d = case_dict("P-ONE", "Nora Once", 10)
    d["medicines"] = [{"name": "naproxen 500mg bd"}, {"name": "apixaban 5mg bd"}]
    store.import_cases([parse_case(d)], user="test")
    window.open_case("P-ONE-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    banner = window.patient_view.medicine_alert_banner
    qtbot.waitUntil(banner.isVisible)
    text = " ".join(banner.text().split())
    assert text.count("<li>") == 1
    # the warning once (avoidside adds why the anticoagulant is kept, which names "an anticoagulant" once more)
    assert text.lower().count("nsaid with an anticoagulant") == 1 and text.count("serious bleeding risk") == 1
    assert "naproxen 500mg bd" in text and "apixaban 5mg bd" in text
    # avoidside (H-MED-600): the NSAID is the one to review, the anticoagulant is kept, and counted as not to stop
    assert "1 current medicine to stop, change, reduce or review" in text
    assert "keep apixaban 5mg bd: do not stop it without its prescriber" in text
