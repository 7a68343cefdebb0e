"""The intake's medicines step shows, as the medicines are typed, every verdict the Review step
shows for them, in the same words (intakemed; H-UI-467..470): one source, the medicine check
(domain/medicine_step.py over medications.assess_medications and medicine_alerts).

Driven as a user does: Alt+M adds a row, the name typed key by key, Tab to the dose, the dose,
Tab out of the table; the label the user sees is read. Before, the step ran a partial check of
its own: "fentanyl 25mcg/24h" had a "Check the dose" on the Review step but none on the step,
and "ibuprofen 400 mg prn" showed nothing anywhere.

Sources (resources/medicines/sources.toml): Duragesic (fentanyl transdermal system) US label:
strengths are rates in micrograms an hour (12 to 100 mcg/hour), each system worn 72 hours, so
"25mcg/24h" is no strength sold; the BNF's prescription abbreviations (prn: when required), so
"prn" gives no daily total; acetaminophen 325 mg, the smallest adult tablet (US OTC Drug Facts):
4 mg a day is far below any dose (4 g meant?); Motrin (ibuprofen) US label: do not exceed
3200 mg a day, so 1200 mg a day is within it.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView

from radiculopathy_desktop.domain.medicine_alerts import labelled
from radiculopathy_desktop.domain.medicine_step import not_recognised_words

from .keyboard import focus
from .test_pregnancy_intake import key, patient_step, start, to_review, type_keys


def medicines_step(window, qtbot):
    """A new intake filled by keyboard up to Review (a man born 1994, no medicine), then Alt+Left
    back to the medicines step."""
    wiz = start(window, qtbot)
    patient_step(qtbot, wiz, sex_letter="m")
    to_review(qtbot, wiz, medicine=None)
    key(qtbot, Qt.Key_Left, Qt.AltModifier)
    qtbot.waitUntil(lambda: wiz.index == 5)
    return wiz, wiz.pages[5]


def type_medicine(qtbot, page, name: str, dose: str = "") -> None:
    """Alt+M, the name key by key, Tab, the dose, Tab out of the table."""
    key(qtbot, Qt.Key_M, Qt.AltModifier)
    type_keys(qtbot, name)
    key(qtbot, Qt.Key_Tab)
    type_keys(qtbot, dose)
    key(qtbot, Qt.Key_Tab)
    qtbot.waitUntil(lambda: page.meds.state() != QAbstractItemView.EditingState)


def retype_dose(qtbot, page, row: int, dose: str) -> None:
    """The dose cell of ``row`` typed again: F2, everything selected, the new dose, Return (Tab would
    open the next row's name)."""
    page.meds.setCurrentCell(row, 1)
    page.meds.setFocus()
    key(qtbot, Qt.Key_F2)
    focus().selectAll()
    type_keys(qtbot, dose)
    key(qtbot, Qt.Key_Return)
    qtbot.waitUntil(lambda: page.meds.state() != QAbstractItemView.EditingState)


def shown_lines(page) -> list[str]:
    """The lines the step shows under the table (not recognised first, then the verdicts and readings)."""
    out = []
    for label in (page.meds_unknown, page.meds_combination):
        if label.isVisible():
            out.extend(label.text().split("\n"))
    return out


def review_lines(qtbot, wiz) -> list[str]:
    """Ctrl+Return to Review: the lines its medicine banner shows (alerts, then not recognised), as
    plain text; then Alt+Left back to the medicines step."""
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: wiz.index == 6)
    review = wiz.pages[6]
    shown = wiz.assessment.to_dict()
    lines = [f"{a['status_label']}: {labelled(a['status_label'], a['text'])}" for a in shown["medicine_alerts"]]
    unknown = shown["medications"]["unrecognised_detail"]
    if unknown:
        lines.append(f"Not recognised: {not_recognised_words(unknown)}")
    banner = (html.unescape(re.sub(r"<[^>]+>", "\n", review.medicine_alerts.text()))
              if review.medicine_alerts.isVisibleTo(review) else "")
    for line in lines:  # what the banner shows, read back from it
        label, _sep, words = line.partition(": ")
        assert f"{label}:" in banner and words[:120] in " ".join(banner.split()), line
    key(qtbot, Qt.Key_Left, Qt.AltModifier)
    qtbot.waitUntil(lambda: wiz.index == 5)
    return lines


def test_fentanyl_25mcg_24h_is_check_the_dose_on_the_step_as_on_review(window, qtbot):
    wiz, page = medicines_step(window, qtbot)
    type_medicine(qtbot, page, "fentanyl 25mcg/24h")
    qtbot.waitUntil(page.meds_combination.isVisible)
    lines = shown_lines(page)
    asked = [line for line in lines if line.startswith("Check the dose: ")]
    assert len(asked) == 1, lines
    assert '"25mcg/24h" is micrograms per 24 hours, not a patch\'s rate in micrograms an hour' in asked[0]
    assert "a fentanyl patch is changed every 72 hours" in asked[0]
    expected = review_lines(qtbot, wiz)
    assert expected and set(expected) <= set(shown_lines(page)), (expected, shown_lines(page))
    # typed again as the box says it: no question; the opioid total (CDC: 25 mcg/h x 2.4 = 60 MME a day) instead
    page.meds.setCurrentCell(0, 0)
    page.meds.setFocus()
    key(qtbot, Qt.Key_F2)
    focus().selectAll()
    type_keys(qtbot, "fentanyl 25 mcg/h patch")
    key(qtbot, Qt.Key_Return)
    qtbot.waitUntil(lambda: "Check the dose" not in page.meds_combination.text())
    assert "60 MME/day" in page.meds_combination.text()


def test_ibuprofen_400_mg_prn_asks_how_many_a_day_at_most_until_the_daily_dose_is_typed(window, qtbot):
    wiz, page = medicines_step(window, qtbot)
    type_medicine(qtbot, page, "ibuprofen 400 mg prn")
    qtbot.waitUntil(page.meds_combination.isVisible)
    lines = shown_lines(page)
    assert lines == [
        "Check the dose: ibuprofen 400 mg prn: no daily dose recorded, and the regimen in the name (prn) cannot be "
        "read: it is taken as needed (\"prn\") and the name does not say how many a day at most, so how much is taken "
        "a day is not known; type the most taken in a day in the dose field, so that ibuprofen is checked against the "
        "maximum; "
        "until then no handout says to keep taking it."], lines
    assert page.meds_combination.property("verdict") is True  # coloured as the Review step's banner
    assert review_lines(qtbot, wiz) == lines
    # the most a day typed (3 x 400 mg): read as typed, within the label's 3200 mg: nothing to ask
    retype_dose(qtbot, page, 0, "1200")
    qtbot.waitUntil(lambda: not page.meds_combination.isVisible())
    assert page.medicines() == ([{"name": "ibuprofen 400 mg prn", "daily_dose_mg": 1200.0}], [])
    assert review_lines(qtbot, wiz) == []


def test_paracetamol_4_a_grams_slip_an_unknown_name_and_a_usual_dose(window, qtbot):
    wiz, page = medicines_step(window, qtbot)
    type_medicine(qtbot, page, "paracetamol", "4")
    qtbot.waitUntil(page.meds_combination.isVisible)
    (line,) = shown_lines(page)
    assert line.startswith("Check the dose: ")
    assert "paracetamol 4 mg a day is far below any usual dose of acetaminophen: was it typed in grams? " \
           "4 g = 4000 mg" in line
    assert page.medicines()[0] == [{"name": "paracetamol", "daily_dose_mg": 4.0}]  # never converted
    type_medicine(qtbot, page, "fentnyl")
    qtbot.waitUntil(page.meds_unknown.isVisible)
    assert page.meds_unknown.text() == (
        "Not recognised: “fentnyl” (did you mean fentanyl?): not checked for doses, interactions or the pregnancy and "
        "kidney rules. Correct the name, or check it yourself.")
    type_medicine(qtbot, page, "ibuprofen", "1200")
    expected = review_lines(qtbot, wiz)
    assert sorted(expected) == sorted(shown_lines(page)), (expected, shown_lines(page))
    assert not any("ibuprofen" in line for line in shown_lines(page))  # 1200 mg a day: OK, nothing said
    # corrected: 4000 mg of paracetamol and fentanyl's name; nothing left to say
    retype_dose(qtbot, page, 0, "4000")
    page.meds.item(1, 0).setText("fentanyl 25 mcg/h patch")
    qtbot.waitUntil(lambda: not page.meds_unknown.isVisible())
    assert not any(line.startswith(("Check the dose", "Not recognised")) for line in shown_lines(page))


def test_wrong_things_typed_in_the_dose_column_are_said_at_once_and_never_read(window, qtbot):
    wiz, page = medicines_step(window, qtbot)
    type_medicine(qtbot, page, "ibuprofen", "abc")
    qtbot.waitUntil(page.meds_combination.isVisible)
    assert shown_lines(page) == ["Dose not read: Row 1: the daily dose must be a number of mg (“abc” is not); until "
                                 "it is corrected, ibuprofen is checked without a dose."]
    # Next says the same, and the step is not left
    key(qtbot, Qt.Key_Return, Qt.ControlModifier)
    assert wiz.index == 5
    assert [p.message for p in page.medicines()[1]] == ["Row 1: the daily dose must be a number of mg"]
    for typed, words in (("-5", "ibuprofen -5 mg a day is not a dose"),  # window31: the medicine named
                         ("999999", "the daily dose must be between 0 and 100000 mg (got 999999)"),
                         ("1e3", "the daily dose must be a number of mg (“1e3” is not)"),
                         ("4 g", "the daily dose must be a number of mg (“4 g” is not)"),
                         ("1,200", "the daily dose must be a number of mg (“1,200” is not)")):
        retype_dose(qtbot, page, 0, typed)
        qtbot.waitUntil(lambda w=words: any(w in line for line in shown_lines(page)), timeout=3000)
        (line,) = shown_lines(page)
        assert line.startswith("Dose not read: Row 1: ") and line.endswith("ibuprofen is checked without a dose.")
        assert page.meds.item(0, 1).text() == typed  # kept as typed
    # huge but a number: read, and asked about as a slip (over 3 times the label's 3200 mg)
    retype_dose(qtbot, page, 0, "100000")
    qtbot.waitUntil(lambda: any(line.startswith("Check the dose: ") for line in shown_lines(page)))
    (line,) = shown_lines(page)
    assert "ibuprofen 100000 mg/day is 31.2 times the label maximum of 3200 mg" in line
    assert review_lines(qtbot, wiz) == shown_lines(page)


def test_the_step_follows_the_typing_before_the_cell_is_left(window, qtbot):
    """Each key restarts a short wait (MEDICINE_CHECK_TYPING_MS); the line appears while the name's
    editor is still open, and goes when the typing is undone with Escape."""
    wiz, page = medicines_step(window, qtbot)
    key(qtbot, Qt.Key_M, Qt.AltModifier)
    type_keys(qtbot, "fentanyl 25mcg/24h")
    assert page.meds.state() == QAbstractItemView.EditingState
    qtbot.waitUntil(lambda: "Check the dose" in page.meds_combination.text())
    assert page.meds.state() == QAbstractItemView.EditingState  # still typing: nothing committed
    assert page.meds.item(0, 0).text() == ""
    key(qtbot, Qt.Key_Escape)  # the typing undone: the step says nothing of it
    qtbot.waitUntil(lambda: not page.meds_combination.isVisible())


def test_a_kidney_value_typed_on_the_step_changes_the_verdict_as_the_review_step_would(window, qtbot):
    """Alt+G to the eGFR, 20 typed: ibuprofen 1200 mg a day becomes "Avoid" on the step once the
    typing pauses (NSAIDs avoided below 30 mL/min, as the Review step says), and goes at 60."""
    wiz, page = medicines_step(window, qtbot)
    type_medicine(qtbot, page, "ibuprofen", "1200")
    assert not page.meds_combination.isVisible()
    key(qtbot, Qt.Key_G, Qt.AltModifier)
    assert focus() is page.egfr
    type_keys(qtbot, "20")
    qtbot.waitUntil(lambda: page.meds_combination.text().startswith("Avoid: "))
    (line,) = shown_lines(page)
    assert "eGFR 20 mL/min/1.73m2: avoid NSAIDs when kidney function is below 30 mL/min" in line
    assert review_lines(qtbot, wiz) == [line]
    key(qtbot, Qt.Key_G, Qt.AltModifier)
    focus().selectAll()
    type_keys(qtbot, "60")
    qtbot.waitUntil(lambda: not page.meds_combination.isVisible())
