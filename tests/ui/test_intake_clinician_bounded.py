"""The intake's Clinician field is bounded (gp21 F6): 153 characters took five lines of every
handout page's header (four pages more). The limit is shown in the field; a longer name is
refused beside the field at Next, naming the limit and the length, and what was typed is kept
to be shortened (never cut); a control or direction character is refused the same way.
Driven by keys, offscreen, in the suite's tmp data folder."""

from __future__ import annotations

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import MAX_CLINICIAN_NAME

from .keyboard import focus, tab, type_here


def _patient(window, qtbot):
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    wiz = window.views["intake"]
    assert focus() is wiz.pages[0].pid
    type_here(qtbot, "P-CLIN-1")
    tab(qtbot)
    type_here(qtbot, "Cleo Linn")
    qtbot.keyClick(focus(), Qt.Key_A, Qt.AltModifier)
    type_here(qtbot, "44")
    qtbot.keyClick(focus(), Qt.Key_T, Qt.AltModifier)
    type_here(qtbot, "2026-02-20")
    qtbot.keyClick(focus(), Qt.Key_L, Qt.AltModifier)
    page = wiz.pages[0]
    assert focus() is page.clinician
    return wiz, page


def _next(qtbot):
    qtbot.keyClick(focus(), Qt.Key_Return, Qt.ControlModifier)


def test_the_limit_is_shown_in_the_field(window, qtbot):
    _wiz, page = _patient(window, qtbot)
    assert f"at most {MAX_CLINICIAN_NAME} characters" in page.clinician.placeholderText()


def test_a_clinician_name_over_the_limit_is_refused_beside_the_field_and_kept(window, qtbot):
    wiz, page = _patient(window, qtbot)
    long_name = "Dr " + "X" * (MAX_CLINICIAN_NAME - 2)  # one over the limit
    type_here(qtbot, long_name)
    _next(qtbot)
    assert wiz.index == 0, "Next must not leave the step with a refused field"
    said = page.form.errors["clinician"].text()
    assert f"at most {MAX_CLINICIAN_NAME} characters (this one has {MAX_CLINICIAN_NAME + 1})" in said
    assert page.clinician.text() == long_name, "what was typed is kept, never cut"
    # one Backspace: at the limit, accepted
    qtbot.keyClick(page.clinician, Qt.Key_Backspace)
    _next(qtbot)
    qtbot.waitUntil(lambda: wiz.index == 1)


def test_a_pasted_153_character_name_is_kept_whole_and_refused(window, qtbot):
    wiz, page = _patient(window, qtbot)
    pasted = "Dr " + "X" * 150
    page.clinician.setText(pasted)  # a paste: no length cut by the field
    page.clinician.setFocus()
    _next(qtbot)
    assert wiz.index == 0 and page.clinician.text() == pasted
    assert "this one has 153" in page.form.errors["clinician"].text()


def test_a_direction_override_in_the_clinician_is_refused(window, qtbot):
    wiz, page = _patient(window, qtbot)
    page.clinician.setText("Dr \u202eAli")  # pasted: a direction override cannot be typed as a key
    _next(qtbot)
    assert wiz.index == 0
    assert "U+202E" in page.form.errors["clinician"].text()
    assert page.clinician.text() == "Dr \u202eAli"
