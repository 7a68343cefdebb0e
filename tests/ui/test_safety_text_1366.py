"""Safety text is never cut off at 1366x768 (gp19 F7, F8; H-UI-344).

At 1366x768 (the main window 1366x706 under a task bar) the case page's red "pregnancy differs"
lines and its Medicine safety box were squeezed by the layout and stopped mid-sentence
("...taper with the"), the worklist's Why pane stopped at "Ask her, and record the right",
and the handout dialog took the full screen height with its notes running under its buttons.
Each safety label must show its whole text: laid out at least as tall as its text needs at
its width (``heightForWidth``), inside an area that either shows it all or scrolls to it by
the keyboard; the handout dialog fits the screen with its buttons below everything else.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import TODAY, case_dict
from .test_exports import _handout_dialog

MEDS = [{"name": "nurofen plus 2 tabs qds"}, {"name": "diazepam 5mg tds"}, {"name": "ibuprofen", "daily_dose_mg": 1200},
        {"name": "codeine 30mg qds"}, {"name": "naproxen", "daily_dose_mg": 1000}]


def _stale_pair(context, pid="P-SAFE"):
    """A case 31 weeks pregnant and the patient's other case, "not pregnant", on many medicines."""
    preg = case_dict(pid, "Clara Example", 10)
    preg["patient"]["pregnancy_weeks"] = 31
    preg["medicines"] = MEDS
    stale = case_dict(pid, "Clara Example", 0)
    stale["case_id"] = f"{pid}-stale"
    stale["onset_date"] = (TODAY - dt.timedelta(days=3)).isoformat()
    stale["patient"]["pregnant"] = False
    stale["medicines"] = MEDS
    context.store.import_cases([parse_case(preg)], user="test")
    context.store.import_cases([parse_case(stale)], user="test", new_episode=True)
    return preg["case_id"], stale["case_id"]


def _whole(label) -> bool:
    """The label is laid out at least as tall as its whole text needs at its width."""
    return label.height() >= label.heightForWidth(label.width())


def _area_of(label):
    """The nearest scroll area holding ``label`` (None: it cannot scroll)."""
    from PySide6.QtWidgets import QScrollArea
    w = label.parentWidget()
    while w is not None and not isinstance(w, QScrollArea):
        w = w.parentWidget()
    return w


def _reads_to_the_end(qtbot, label) -> bool:
    """The label's last line is in view, or Page Down on its scroll area brings it there."""
    area = _area_of(label)
    if area is None:
        window = label.window()
        return label.mapTo(window, label.rect().bottomLeft()).y() <= window.height() and _whole(label)
    area.setFocus()
    for _ in range(60):
        bottom = label.mapTo(area.viewport(), label.rect().bottomLeft()).y()
        if bottom <= area.viewport().height():
            return True
        qtbot.keyClick(area, Qt.Key_PageDown)
    return False


def test_the_case_page_safety_text_is_whole_or_scrolls_at_1366x768(window, qtbot, context):
    _preg, stale = _stale_pair(context)
    window.resize(1366, 706)
    window.open_case(stale)
    view = window.patient_view
    qtbot.waitUntil(view.isVisible)
    qtbot.waitUntil(lambda: view.pregnancy_differs.isVisible() and view.medicine_alert_banner.isVisible())
    for label in (view.status, view.pregnancy_differs, view.medicine_alert_banner):
        assert _whole(label), (label.accessibleName(), label.height(), label.heightForWidth(label.width()))
    assert view.tabs.height() >= 150  # the tabs keep the rest of the page
    area = _area_of(view.medicine_alert_banner)
    assert area is not None and area.height() <= view.height() * 0.5 + 1
    if area.verticalScrollBar().maximum() > 0:  # it scrolls: Tab reaches it and Page Down reads to the end
        assert area.focusPolicy() & Qt.TabFocus
    assert _reads_to_the_end(qtbot, view.medicine_alert_banner)


def test_a_short_case_page_does_not_scroll_and_takes_only_its_text(window, qtbot, context):
    context.store.import_cases([parse_case(case_dict("P-PLAIN", "Plain Example", 10))], user="test")
    window.resize(1366, 706)
    window.open_case("P-PLAIN-case")
    view = window.patient_view
    qtbot.waitUntil(view.isVisible)
    area = _area_of(view.status)
    assert area is not None
    assert area.verticalScrollBar().maximum() == 0 and not (area.focusPolicy() & Qt.TabFocus)
    assert _whole(view.status)
    assert area.height() <= view.status.height() + 2 * area.widget().layout().spacing() + 4


def test_the_worklist_why_pane_is_whole_or_scrolls_and_the_list_keeps_its_rows(window, qtbot, context):
    _stale_pair(context)
    window.resize(1366, 706)
    wl = window.view("worklist")
    qtbot.waitUntil(lambda: wl.model.rowCount() >= 2)
    wl.table.setFocus()
    qtbot.keyClick(wl.table, Qt.Key_Down)
    qtbot.keyClick(wl.table, Qt.Key_Up)
    qtbot.waitUntil(lambda: wl.why_label.text().startswith("Why"))
    assert _whole(wl.why_label)
    assert _area_of(wl.why_label) is not None and _area_of(wl.why_label).height() <= wl.height() * 0.33 + 1
    assert wl.table.height() >= 4 * wl.table.verticalHeader().defaultSectionSize()
    assert _reads_to_the_end(qtbot, wl.why_label)


def test_the_handout_dialog_fits_the_screen_with_its_buttons_below_its_text(window, qtbot, context, monkeypatch):
    room = QRect(0, 0, 1366, 768)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: room)
    _preg, stale = _stale_pair(context)
    window.open_case(stale)
    qtbot.waitUntil(window.patient_view.isVisible)
    dialog = _handout_dialog(qtbot, window)
    qtbot.waitUntil(dialog.pregnancy_note.isVisible)
    frame = dialog.frameGeometry()
    assert frame.height() <= room.height() and room.contains(frame), frame
    buttons = dialog.buttons.geometry()
    for part in (dialog.pregnancy_note, dialog.sheets, dialog.note_area):
        assert part.geometry().bottom() < buttons.top(), (part.accessibleName(), part.geometry(), buttons)
    assert buttons.bottom() <= dialog.rect().bottom()
    assert _whole(dialog.pregnancy_note)
    assert _reads_to_the_end(qtbot, dialog.pregnancy_note)
    dialog.close()
