"""The handout dialog's note is read in full before printing, however long it is.

For tramadol 400 mg a day with Tramacet (both containing tramadol; no weight or creatinine
recorded) the note holds three things the clinician must read before handing the sheets
over: a sheet is not offered, two products are taken together, the kidney maximum was not
checked. It was longer than the dialog's default height and its end was cut off (lead's
offscreen grab, closing8). Now the note sits in a scroll area: the dialog grows to show it
where the screen allows and scrolls it otherwise; Print, Save as PDF and Close stay in view,
and Tab reaches the note (then Page Down scrolls it) and every control.

The tests look at what a user sees: the note's last line inside the visible part of the
scroll area (after scrolling it with the keyboard), the buttons inside the dialog, the dialog
on the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QScrollArea

from .test_exports import save_to  # noqa: F401 - save_to is a fixture
from .test_handout_dialog_notes import _open_patient_on

LONG = [{"name": "tramadol", "daily_dose_mg": 400}, {"name": "tramacet"}]


def _visible_rect(widget, in_widget) -> QRect:
    """The rectangle of ``widget`` mapped into ``in_widget``'s coordinates."""
    return QRect(widget.mapTo(in_widget, QPoint(0, 0)), widget.size())


def _note_area(dialog) -> QScrollArea:
    areas = [a for a in dialog.findChildren(QScrollArea) if a.widget() is not None
             and (a.widget() is dialog.note or dialog.note in a.widget().findChildren(type(dialog.note)))]
    assert len(areas) == 1, "the note should sit in one scroll area"
    return areas[0]


def _last_line_visible(dialog) -> bool:
    """Whether the bottom line of the note is inside the scroll area's visible viewport."""
    area = _note_area(dialog)
    label = dialog.note
    line = label.fontMetrics().lineSpacing()
    bottom = label.mapTo(area.viewport(), QPoint(0, label.contentsRect().bottom()))
    top_of_last = bottom.y() - line
    return 0 <= top_of_last and bottom.y() <= area.viewport().height() + 1


def _shown(dialog, qtbot) -> None:
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # as the window manager does for a new dialog: the keys go to it
    qtbot.waitUntil(dialog.isActiveWindow)


def test_the_whole_long_note_can_be_read_with_the_buttons_in_view(window, qtbot, context, tmp_path):
    dialog = _open_patient_on(window, qtbot, context, "P-TRAM-TWICE", LONG)
    _shown(dialog, qtbot)
    note = dialog.note.text()
    # the three things the clinician must read (the note is long)
    assert "• Not offered: " in note  # one line per sheet not offered (gp17 F13)
    assert "Taken together although they should not be" in note
    assert "The kidney maximum could not be checked" in note
    area = _note_area(dialog)
    assert area.isVisible() and area.viewport().height() > 0
    dialog.grab().save(str(tmp_path / "handout_long_note.png"))
    # the buttons are inside the dialog's visible rectangle, the dialog inside the screen
    for button in (dialog.print_button, dialog.pdf_button, dialog.buttons.button(dialog.buttons.StandardButton.Close)):
        assert button.isVisible()
        assert dialog.rect().contains(_visible_rect(button, dialog)), button.text()
    room = dialog.screen().availableGeometry()
    assert dialog.height() <= room.height() and dialog.width() <= room.width()
    # The end of the note is reached with the keyboard: Tab to the note, Page Down to its end.
    if not _last_line_visible(dialog):
        dialog.sheets.setFocus()
        qtbot.keyClick(dialog.sheets, Qt.Key_Tab)
        assert QApplication.focusWidget() is area, "Tab from the sheet list should reach the note"
        for _ in range(20):
            if _last_line_visible(dialog):
                break
            qtbot.keyClick(area, Qt.Key_PageDown)
    assert _last_line_visible(dialog), "the end of the note could not be brought into view"
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))


def test_on_a_roomy_screen_the_dialog_grows_to_show_the_whole_note_unscrolled(window, qtbot, context, monkeypatch):
    from PySide6.QtGui import QScreen
    room = QRect(0, 0, 1920, 1200)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: room)
    dialog = _open_patient_on(window, qtbot, context, "P-TRAM-ROOM", LONG)
    _shown(dialog, qtbot)
    assert _last_line_visible(dialog)  # read without scrolling
    assert _note_area(dialog).verticalScrollBar().maximum() == 0
    assert dialog.rect().contains(_visible_rect(dialog.print_button, dialog))
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))


def test_a_small_screen_keeps_the_dialog_on_it_and_the_note_scrolls(window, qtbot, context, monkeypatch):
    from PySide6.QtGui import QScreen
    room = QRect(0, 0, 640, 420)  # a very small or very zoomed screen
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: room)
    dialog = _open_patient_on(window, qtbot, context, "P-TRAM-SMALL", LONG)
    _shown(dialog, qtbot)
    assert dialog.frameGeometry().height() <= room.height() + 1 or dialog.height() <= room.height()
    area = _note_area(dialog)
    assert dialog.rect().contains(_visible_rect(dialog.pdf_button, dialog))
    assert area.viewport().height() >= dialog.note.fontMetrics().lineSpacing() * 2  # never squeezed away
    area.setFocus()
    for _ in range(40):
        if _last_line_visible(dialog):
            break
        qtbot.keyClick(area, Qt.Key_PageDown)
    assert _last_line_visible(dialog)
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))


def test_tab_goes_through_every_control_of_the_dialog_in_order(window, qtbot, context):
    dialog = _open_patient_on(window, qtbot, context, "P-TRAM-TAB", LONG)
    _shown(dialog, qtbot)
    dialog.lang.setFocus()
    seen = [QApplication.focusWidget()]
    for _ in range(15):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        if QApplication.focusWidget() is seen[0]:
            break
        seen.append(QApplication.focusWidget())
    close = dialog.buttons.button(dialog.buttons.StandardButton.Close)
    expected = [dialog.lang, dialog.large_print, dialog.self_care, dialog.paper, dialog.next_visit, dialog.sheets,
                _note_area(dialog), dialog.print_button, dialog.pdf_button, close]
    for widget in expected:
        assert widget in seen, f"Tab never reaches {widget.accessibleName() or widget}"
    order = [seen.index(w) for w in expected]
    assert order == sorted(order)
    assert QApplication.focusWidget() is dialog.lang  # round again: nothing traps the focus
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))


def test_the_visit_dialog_opens_with_its_red_flag_text_in_view_unscrolled(window, qtbot, monkeypatch):
    """The same check on the visit dialog (walk-through under Xvfb, ui11): it opened at its
    bare size hint, its "Ask the cauda equina questions again" text cut off at the right, under
    a horizontal scroll bar. It now grows to its content where the screen allows, as the
    decision dialog does."""
    from PySide6.QtGui import QScreen

    from radiculopathy_desktop.ui.dialogs import VisitDialog
    room = QRect(0, 0, 1280, 800)  # the walk-through's screen
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: room)
    window.open_case("P-DUE-case")
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    qtbot.keyClick(window, Qt.Key_V, Qt.ControlModifier | Qt.ShiftModifier)
    dialog = window.patient_view.findChild(VisitDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.scroll.horizontalScrollBar().maximum() == 0  # nothing to the right, out of view
    label = dialog.standing_label
    assert "Ask the cauda equina questions again at every visit" in label.text()
    shown = QRect(label.mapTo(dialog.scroll.viewport(), QPoint(0, 0)), label.size())
    assert dialog.scroll.viewport().rect().contains(shown)  # the whole text, unscrolled
    for button in dialog.buttons.buttons():
        assert dialog.rect().contains(_visible_rect(button, dialog))
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(VisitDialog))


def test_after_save_as_pdf_by_keyboard_the_note_is_still_there_under_saved_to(window, qtbot, context, save_to,
                                                                              tmp_path):
    """Walk-through (ui11): Alt+D saved the PDF and "Saved to ..." replaced the note, so a second
    print or save (another language, another paper) went out with the kidney note no longer shown."""
    dialog = _open_patient_on(window, qtbot, context, "P-TRAM-SAVED", LONG)
    _shown(dialog, qtbot)
    out = tmp_path / "long.pdf"
    save_to(out)
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key_D, Qt.AltModifier)  # Save as P&DF
    qtbot.waitUntil(out.exists)
    text = dialog.note.text()
    assert text.startswith(f"Saved to {out}")
    assert "The kidney maximum could not be checked" in text and "Taken together although" in text
    assert _last_line_visible(dialog) or _note_area(dialog).verticalScrollBar().maximum() > 0  # reachable
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))


def test_a_short_note_leaves_no_empty_band_the_sheet_list_takes_the_room(window, qtbot, context):
    dialog = _open_patient_on(window, qtbot, context, "P-SHORT", [])
    _shown(dialog, qtbot)
    rows_before = dialog.sheets.height()
    dialog.resize(dialog.width(), dialog.height() + 150)  # made taller (or at another default size)
    qtbot.waitUntil(lambda: dialog.sheets.height() > rows_before)  # the list takes the room
    area = _note_area(dialog)
    assert _last_line_visible(dialog)
    label_bottom = dialog.note.mapTo(area.viewport(), QPoint(0, dialog.note.height())).y()
    lines = dialog.note.fontMetrics().lineSpacing()
    assert area.viewport().height() - label_bottom < lines  # no blank band under the note
    # the buttons follow the note closely: less than two lines between them
    gap = dialog.print_button.mapTo(dialog, QPoint(0, 0)).y() - area.mapTo(dialog, QPoint(0, area.height())).y()
    assert gap < 2 * lines
    dialog.close()
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(type(dialog)))


def test_the_decision_dialog_grows_when_its_red_flag_warning_appears(window, qtbot, context, monkeypatch):
    """A discharge chosen (arrow keys, Space) on a case with many standing red flags pins a long
    warning above the form; the dialog kept its opening height, so the form shrank to three rows
    under it. It now grows where the screen allows: the warning in full and the form unscrolled."""
    from PySide6.QtGui import QScreen

    from radiculopathy_desktop.domain.intake import parse_case
    from radiculopathy_desktop.ui.dialogs import DecisionDialog

    from .conftest import case_dict
    room = QRect(0, 0, 1280, 800)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: room)
    flags = {k: "yes" for k in ("saddle_anaesthesia", "urinary_retention_or_incontinence", "fever",
                                "history_of_cancer", "unexplained_weight_loss", "progressive_neurological_deficit")}
    c = case_dict("P-MANY-FLAGS", "Mona Many", 30, red_flags=flags)
    context.store.import_cases([parse_case(c)], user="test", acknowledge_red_flags=True)
    window.open_case(c["case_id"])
    qtbot.waitUntil(lambda: window.patient_view.isVisible())
    qtbot.keyClick(window, Qt.Key_D, Qt.ControlModifier | Qt.ShiftModifier)
    dialog = window.patient_view.findChild(DecisionDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    buttons = list(dialog.kind.buttons.values())
    buttons[0].setFocus()
    for _ in range(len(buttons) - 1):  # to the last choice (a discharge) with the arrow keys
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Down)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Space)
    assert dialog.choice() == list(dialog.kind.buttons)[-1]
    warning = dialog.red_flag_warning
    assert warning.isVisible() and "Red flags stand on this case" in warning.text()
    assert dialog.rect().contains(_visible_rect(warning, dialog))  # the whole warning
    # and the whole form has room: the dialog grew by as much as the warning. banner36 (H-UI-554):
    # the form is scrolled by the warning's height so the choice just made stays under the pointer,
    # over room kept below its last field, never by a form too tall for its view
    inner = dialog.scroll.widget()
    natural = inner.height() - int(inner.property("steady_room") or 0)
    assert dialog.scroll.viewport().height() >= natural
    assert dialog.scroll.viewport().rect().contains(_visible_rect(QApplication.focusWidget(), dialog.scroll.viewport()))
    assert dialog.frameGeometry().bottom() <= room.bottom() + 1
    for button in dialog.buttons.buttons():
        assert dialog.rect().contains(_visible_rect(button, dialog))
    dialog.done(0)
    qtbot.waitUntil(lambda: not window.patient_view.findChildren(DecisionDialog))
