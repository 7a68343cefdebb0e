"""The clinic's words on screen and on paper (issue 13): the emergency number follows the
clinic's country, a handout without clinic details says "your clinic" once, decisions
read as sentences, Settings errors name the setting as the screen shows it, and the
pathway agrees with the medicines the patient takes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from radiculopathy_desktop.ui import exports

from .conftest import TODAY


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def _choose(qtbot, box, code) -> None:
    """Pick ``code`` in a combo box with the arrow keys, as a keyboard user does."""
    box.setFocus()
    for key in (Qt.Key_Home, *(Qt.Key_Down,) * box.count()):
        if box.currentData() == code:
            return
        qtbot.keyClick(box, key)
    assert box.currentData() == code


def _save_handout(qtbot, window, monkeypatch, out: Path) -> str:
    monkeypatch.setattr(exports, "ask_save_path", lambda *a: out)
    window.open_case("P-DUE-case")
    qtbot.keyClick(window, Qt.Key_P, Qt.ControlModifier)
    dialog = window.patient_view.findChildren(exports.HandoutDialog)[-1]
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.pdf_button, Qt.LeftButton)
    dialog.close()
    return _pdf_text(out)


@pytest.mark.parametrize("country, says, never", [
    ("uk", ("999", "111"), ("911", "112")),
    ("us", ("911",), ("999", "112")),
    ("eu", ("112",), ("911", "999")),
    ("other", ("your local emergency number",), ("911", "999", "112")),
])
def test_the_handout_gives_the_emergency_number_of_the_clinics_country(window, qtbot, monkeypatch, tmp_path,
                                                                      country, says, never):
    settings = window.show_view("settings")
    _choose(qtbot, settings.country, country)
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    assert settings.saved_label.text().startswith("Saved")
    text = " ".join(_save_handout(qtbot, window, monkeypatch, tmp_path / f"{country}.pdf").split())
    for number in says:
        assert number in text, (country, number)
    for number in never:
        assert number not in text, (country, number)


def test_until_the_clinic_chooses_the_profile_decides_the_country(window, qtbot, context):
    from radiculopathy_desktop.storage.clinic_settings import get_clinic_country_code
    settings = window.show_view("settings")
    assert get_clinic_country_code(context.store) is None
    context.set_profile("uk")
    settings.load()
    assert settings.country.currentData() == "uk"
    context.set_profile("us")
    settings.load()
    assert settings.country.currentData() == "us"


def test_first_run_asks_the_clinics_country_and_keeps_it(empty_window, qtbot):
    from radiculopathy_desktop.storage.clinic_settings import get_clinic_country_code
    worklist = empty_window.show_view("worklist")
    panel = worklist.first_run
    qtbot.waitUntil(lambda: panel.isVisible())
    panel.country.setFocus()
    start = panel.country.currentData()
    qtbot.keyClick(panel.country, Qt.Key_Down)  # a keyboard choice is saved at once
    chosen = panel.country.currentData()
    assert chosen != start
    assert get_clinic_country_code(empty_window.context.store) == chosen
    assert empty_window.show_view("settings").country.currentData() == chosen


@pytest.mark.parametrize("lang, once, never", [
    ("en", "Your clinic's phone number is on your appointment card.", "Your clinic is your clinic"),
    ("es", "El teléfono de su centro está en su tarjeta de cita.", "Su centro es su centro"),
])
def test_a_handout_without_clinic_details_says_your_clinic_once(tmp_path, lang, once, never):
    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.reports import handouts

    from .conftest import case_dict
    case = parse_case(case_dict("P-X", "Xena Example", 30))
    req = handouts.request_for_case(case, TODAY, clinic_name="", clinic_contact="", lang=lang,
                                    sheets=["warning_signs"], country="uk")
    handouts.write_handout_pdf(req, tmp_path / "h.pdf")
    text = " ".join(_pdf_text(tmp_path / "h.pdf").split())
    assert once in text
    assert never not in text
    # no clinician on the case either: no "your clinician at your clinic", no sentence starting in lower case
    assert "your clinician at" not in text.lower() and "Your clinician is your clinician" not in text
    assert ("Your clinic gave it to you" in text) if lang == "en" else ("Se la dio su centro el" in text)
    named = handouts.request_for_case(case, TODAY, clinic_name="Riverside Practice", clinic_contact="01234 567890",
                                      lang="en", sheets=["warning_signs"])
    handouts.write_handout_pdf(named, tmp_path / "n.pdf")
    named_text = " ".join(_pdf_text(tmp_path / "n.pdf").split())
    assert "Your clinic is Riverside Practice. The phone number is 01234 567890." in named_text
    assert "Riverside Practice gave it to you on" in named_text
    with_clinician = handouts.request_for_case(case, TODAY, clinic_name="Riverside Practice", clinic_contact="",
                                               lang="en", sheets=["warning_signs"], clinician="Dr Ana Ruiz")
    handouts.write_handout_pdf(with_clinician, tmp_path / "c.pdf")
    text_c = " ".join(_pdf_text(tmp_path / "c.pdf").split())
    assert "Dr Ana Ruiz at Riverside Practice gave it to you on" in text_c
    assert "Your clinician is Dr Ana Ruiz." in text_c


def test_decisions_read_as_sentences_in_the_patient_view(window, qtbot, context):
    from radiculopathy_desktop.domain.intake import Decision
    context.store.record_decision("P-DUE-case", Decision(TODAY, "continue_conservative_care",
                                                         until=dt.date(2027, 1, 10), by="Dr Test"), user="test")
    window.open_case("P-DUE-case")
    view = window.patient_view
    qtbot.waitUntil(lambda: view.isVisible())
    assert "Continue conservative care until 10 Jan 2027" in view.pathway.toPlainText()
    assert "until a date" not in view.pathway.toPlainText()
    qtbot.keyClick(view.tabs, Qt.Key_T, Qt.AltModifier)  # the Timeline tab
    table = view.timeline.table
    cells = [table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
             if table.item(r, c)]
    assert any(c.startswith("Continue conservative care until 10 Jan 2027") for c in cells)
    assert not any("until a date" in c for c in cells)


def test_settings_errors_name_each_setting_as_the_screen_shows_it(window, qtbot):
    settings = window.show_view("settings")
    opens, closes = settings.fields["window_start_day"], settings.fields["window_end_day"]
    for box, value in ((opens, "80"), (closes, "70")):
        box.setFocus()
        box.selectAll()
        qtbot.keyClicks(box, value)
    qtbot.mouseClick(settings.save_button, Qt.LeftButton)
    shown = " ".join(label.text() for label in settings.form.errors.values() if label.isVisible())
    shown += " " + settings.message.text()
    assert "Review window closes (days of care)" in shown and "Review window opens (days of care)" in shown
    assert "window_start_day" not in shown and "window_end_day" not in shown
    assert not settings.saved_label.text()


def test_a_patient_on_ibuprofen_is_on_an_nsaid_everywhere(window, qtbot, context, monkeypatch, tmp_path):
    """The stepped-care view, the medicine table and the handout picker agree."""
    from radiculopathy_desktop.domain.intake import parse_case

    from .conftest import case_dict
    data = case_dict("P-IBU", "Ivy Ibuprofen", 21)
    data["medicines"] = [{"name": "ibuprofen", "daily_dose_mg": 1200}]
    context.store.import_cases([parse_case(data)], user="test")
    window.open_case("P-IBU-case")
    text = window.patient_view.pathway.toPlainText()
    assert "Taking now: ibuprofen" in text
    ladder = text[text.index("Stepped care"):]
    medicines_row = next(line for line in ladder.splitlines() if "Medicines" in line)
    assert "Later" not in medicines_row and "Taking now" in ladder
    qtbot.keyClick(window, Qt.Key_P, Qt.ControlModifier)
    dialog = window.patient_view.findChildren(exports.HandoutDialog)[-1]
    ticked = dialog.selected_sheets()
    assert "med_nsaid" in ticked and "med_acetaminophen" not in ticked
    dialog.close()
