"""The main window never grows past the screen on a case page with many alerts (gp20 F4, H-UI-384).

gp20 at 1366x768: on a case with five medicine alerts, with the kept-draft bar above the page,
the main window became 1366x837 on a 768-high screen: "The status bar (data folder, user, last
backup) and the lower part of the Stepped care pane are below the screen's edge". The safety
area took a fixed half of the page, so the page's minimum grew with the page. Now the window's
frame stays inside the screen's available geometry, the status bar is on screen, and the alert
area scrolls: Tab reaches it and Page Down brings every alert into view.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from radiculopathy_desktop.domain.intake import parse_case

from .conftest import case_dict

# fourteen medicines drawing at least twelve current-medicine alerts for a 78-year-old
MEDS = [{"name": "nurofen plus 2 tabs qds"}, {"name": "diazepam 5mg tds"}, {"name": "ibuprofen", "daily_dose_mg": 1200},
        {"name": "codeine 30mg qds"}, {"name": "naproxen", "daily_dose_mg": 1000}, {"name": "pregabalin 150mg bd"},
        {"name": "amitriptyline 50mg"}, {"name": "tramadol 100mg qds"}, {"name": "zopiclone 7.5mg"},
        {"name": "diclofenac", "daily_dose_mg": 150}, {"name": "gabapentin 600mg tds"},
        {"name": "morphine sulfate 60mg bd"},
        # avoid2 folds an NSAID's own alert into its pair's: two more medicines with alerts of their own keep twelve
        {"name": "paracetamol", "daily_dose_mg": 16000}, {"name": "methotrexate 2.5mg od"}]

DRAFT = ("You have an unfinished intake from 1 Dec 2026 02:15, step 1 of 7, kept after its answers were carried "
         "into a visit.")


def _many_alerts_page(window, qtbot, context):
    c = case_dict("P-MANY", "Mona Many", 10)
    c["patient"]["age_years"] = 78
    c["medicines"] = MEDS
    context.store.import_cases([parse_case(c)], user="test")
    window._show_draft_bar(DRAFT, alarm=False)
    window.open_case(c["case_id"])
    view = window.patient_view
    qtbot.waitUntil(lambda: view.isVisible() and view.medicine_alert_banner.isVisible())
    return view


def _alerts_shown(view) -> int:
    return view.medicine_alert_banner.text().count("<li>")


def _inside_screen(window) -> bool:
    room = window.screen().availableGeometry()
    return window.frameGeometry().height() <= room.height() and room.contains(window.frameGeometry())


def test_a_page_of_twelve_alerts_and_the_draft_bar_keeps_the_window_on_the_screen(window, qtbot, context):
    view = _many_alerts_page(window, qtbot, context)
    assert _alerts_shown(view) >= 12
    assert window.draft_bar.isVisible()
    qtbot.wait(50)  # any growth the layout asks for has happened by now
    room = window.screen().availableGeometry()
    assert _inside_screen(window), (window.frameGeometry(), room)
    assert window.minimumSizeHint().height() <= room.height()
    area = view.safety_area
    for label in (view.status, view.medicine_alert_banner):  # wrapped at the width left beside the scroll bar
        assert label.geometry().right() < area.viewport().width(), (label.geometry(), area.viewport().width())
        assert label.height() >= label.heightForWidth(label.width())
    bar = window.statusBar()
    assert bar.isVisible()
    assert bar.mapTo(window, bar.rect().bottomLeft()).y() <= window.height()  # not below the window's edge
    assert bar.mapToGlobal(bar.rect().bottomLeft()).y() <= room.bottom() + 1
    assert view.tabs.height() >= view.tabs.minimumSizeHint().height()  # the Stepped care pane keeps its room


def test_every_alert_is_reached_by_the_keyboard_and_the_area_is_named(window, qtbot, context):
    view = _many_alerts_page(window, qtbot, context)
    area = view.safety_area
    assert area.accessibleName() == "Status and safety for this case"
    assert view.medicine_alert_banner.accessibleName().startswith("Medicine safety alerts:")
    banner = view.medicine_alert_banner
    if banner.mapTo(area.viewport(), banner.rect().bottomLeft()).y() <= area.viewport().height():
        return  # the whole banner is in view: nothing to scroll
    assert area.scrolls() and area.focusPolicy() & Qt.TabFocus
    assert "Page Down" in area.accessibleDescription()
    view.back_button.setFocus()
    for _ in range(40):  # Tab, as a keyboard user would, until the area has the focus
        if area.hasFocus():
            break
        qtbot.keyClick(window.focusWidget() or window, Qt.Key_Tab)
    assert area.hasFocus()
    for _ in range(60):
        if banner.mapTo(area.viewport(), banner.rect().bottomLeft()).y() <= area.viewport().height():
            break
        qtbot.keyClick(area, Qt.Key_PageDown)
    assert banner.mapTo(area.viewport(), banner.rect().bottomLeft()).y() <= area.viewport().height()
    assert _inside_screen(window)


def test_the_window_given_back_its_room_shows_the_alerts_whole_and_does_not_scroll(window, qtbot, context):
    """A short page (a few alerts) is not squeezed or made focusable by the change."""
    c = case_dict("P-ONE", "Olive One", 10)
    c["patient"]["age_years"] = 78
    c["medicines"] = MEDS[:2]
    context.store.import_cases([parse_case(c)], user="test")
    window.open_case(c["case_id"])
    view = window.patient_view
    qtbot.waitUntil(lambda: view.isVisible() and view.medicine_alert_banner.isVisible())
    area = view.safety_area
    assert not area.scrolls() and not (area.focusPolicy() & Qt.TabFocus)
    assert area.accessibleDescription() == ""
    assert _inside_screen(window)


def test_the_draft_bar_shown_over_an_open_page_of_alerts_keeps_the_window_on_the_screen(window, qtbot, context):
    """The order gp20 saw it in can differ: the bar can appear (Keep draft, an emergency left in
    the intake) while the page of alerts is already open."""
    c = case_dict("P-LATE", "Lena Late", 10)
    c["patient"]["age_years"] = 78
    c["medicines"] = MEDS
    context.store.import_cases([parse_case(c)], user="test")
    window.open_case(c["case_id"])
    view = window.patient_view
    qtbot.waitUntil(lambda: view.isVisible() and view.medicine_alert_banner.isVisible())
    window._show_draft_bar(DRAFT + " " + DRAFT, alarm=True)
    qtbot.waitUntil(window.draft_bar.isVisible)
    qtbot.wait(50)
    assert _inside_screen(window), (window.frameGeometry(), window.screen().availableGeometry())
    bar = window.statusBar()
    assert bar.isVisible() and bar.mapTo(window, bar.rect().bottomLeft()).y() <= window.height()
