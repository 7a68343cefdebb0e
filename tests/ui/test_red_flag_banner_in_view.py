"""The red-flag step's "what to do now" banner stays in view while the clinician answers the
rest (ui13: after the 16th answer the page scrolled it out of view, the focus on Next). It is
pinned above the scrolling questions, said to a screen reader, and reached with Shift+Tab from
the first question. Driven with the keys a clinician uses: Y for the first flag, N for the rest."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt

from radiculopathy_desktop.domain.vocabulary import RED_FLAG_QUESTIONS

from .keyboard import focus
from .window_steps import intake_first_step


def _to_red_flags(window, qtbot, pid: str):
    """A new intake typed up to the red-flag step: patient, then the right leg's first region."""
    wiz, _page = intake_first_step(window, qtbot, pid, "Rhea Flag")
    symptoms = wiz.page("symptoms")
    qtbot.keyClick(focus(), Qt.Key_L, Qt.AltModifier)  # Which leg
    qtbot.keyClick(focus(), Qt.Key_Right)
    qtbot.keyClick(focus(), Qt.Key_Space)
    qtbot.keyClick(focus(), Qt.Key_N, Qt.AltModifier)  # no region yet: the focus goes to the first
    qtbot.keyClick(focus(), Qt.Key_Space)
    qtbot.keyClick(focus(), Qt.Key_N, Qt.AltModifier)
    assert symptoms.regions and wiz.index == wiz.page_index["red_flags"]
    page = wiz.page("red_flags")
    assert focus() is page.flag_screen.first_button()
    return wiz, page


def _on_screen(widget, window) -> QRect:
    """Where ``widget`` is drawn in the window's coordinates."""
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _shown_in_full(widget, window) -> bool:
    """Visible, not clipped by any parent, and inside the window."""
    return (widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect()
            and window.rect().contains(_on_screen(widget, window)))


@pytest.mark.parametrize("size", [None, (1024, 600)], ids=["default-size", "1024x600"])
def test_the_banner_stays_in_view_down_to_the_last_question(window, qtbot, size):
    if size:
        window.resize(*size)
        qtbot.waitUntil(lambda: window.size().width() == size[0] and window.size().height() == size[1])
    wiz, page = _to_red_flags(window, qtbot, "RF-VIEW-1")
    keys = list(RED_FLAG_QUESTIONS)
    assert not page.banner.isVisible()
    assert page.viewport().geometry().top() == 0  # no room kept while nothing is answered yes
    qtbot.keyClick(focus(), Qt.Key_Y)  # the first flag: yes
    assert page.groups[keys[0]].value() == "yes"
    assert page.banner.isVisible() and "EMERGENCY" in page.banner.text()
    for key in keys[1:]:  # every other flag: no, one key each, as a clinician goes down the list
        before = focus()
        qtbot.keyClick(focus(), Qt.Key_N)
        assert page.groups[key].value() == "no" and focus() is not before
    last = page.groups[keys[-1]]
    # the page scrolled down to the last question (at 1024x600 it cannot all fit) ...
    assert page.viewport().rect().intersects(QRect(last.mapTo(page.viewport(), QPoint(0, 0)), last.size()))
    if size:
        assert page.verticalScrollBar().value() > 0
    # ... and the banner is still there, whole, above the questions, not scrolled with them
    assert _shown_in_full(page.banner, window)
    assert not page.viewport().isAncestorOf(page.banner)
    banner = _on_screen(page.banner, window)
    room = _on_screen(page.viewport(), window)
    assert banner.bottom() < room.top() and banner.height() >= page.banner.heightForWidth(page.banner.width())
    assert room.height() >= last.height() and _on_screen(page, window).contains(banner)  # the question too
    assert "EMERGENCY" in page.banner.text() and wiz.index == wiz.page_index["red_flags"]


def test_the_banner_is_said_and_reached_by_keyboard_and_keeps_its_room_while_on_the_step(window, qtbot):
    wiz, page = _to_red_flags(window, qtbot, "RF-VIEW-2")
    first = next(iter(RED_FLAG_QUESTIONS))
    qtbot.keyClick(focus(), Qt.Key_Y)
    assert page.banner.accessibleName() == "What to do now"
    assert page.banner.accessibleDescription().startswith("EMERGENCY")
    # Shift+Tab from the first question lands on the banner, shown in full while focused
    page.flag_screen.first_button().setFocus()
    qtbot.keyClick(focus(), Qt.Key_Backtab)
    assert focus() is page.banner and _shown_in_full(page.banner, window)
    qtbot.keyClick(focus(), Qt.Key_Tab)
    assert focus() is page.flag_screen.first_button()
    # the yes changed to no: the banner goes; its room stays empty while the step is on screen,
    # so the questions do not move under the pointer (tryout36 F7, H-UI-554) ...
    group = page.groups[first]
    group.buttons["no"].setFocus()
    last = page.groups[list(RED_FLAG_QUESTIONS)[-1]]
    where = last.mapTo(window, QPoint(0, 0))
    kept = page.viewport().geometry().top()
    qtbot.keyClick(focus(), Qt.Key_Space)
    assert group.value() == "no"
    assert not page.banner.isVisible()
    assert page.viewport().geometry().top() == kept > 0
    assert last.mapTo(window, QPoint(0, 0)) == where
    # ... and the questions get it back when the step is next entered (Back, then Next)
    qtbot.keyClick(focus(), Qt.Key_B, Qt.AltModifier)
    assert wiz.index == wiz.page_index["red_flags"] - 1
    qtbot.keyClick(focus(), Qt.Key_N, Qt.AltModifier)
    assert wiz.index == wiz.page_index["red_flags"]
    assert page.viewport().geometry().top() == 0


def test_with_large_text_on_a_small_window_the_questions_keep_half_the_page(window, qtbot):
    """200% text at 800x450: the banner takes at most half the page and scrolls within it; the
    questions keep the rest, down to the last one."""
    font = window.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    window.setFont(font)
    window.resize(800, 450)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (800, 450))
    wiz, page = _to_red_flags(window, qtbot, "RF-VIEW-3")
    keys = list(RED_FLAG_QUESTIONS)
    qtbot.keyClick(focus(), Qt.Key_Y)
    for _key in keys[1:]:
        qtbot.keyClick(focus(), Qt.Key_N)
    assert all(group.value() for group in page.groups.values())
    wanted = page.banner.heightForWidth(page.banner.width())
    pinned = page.pinned
    assert page.banner.isVisible() and pinned.isVisible()
    assert wanted > pinned.height() > 0  # longer than its room: it scrolls within it
    assert pinned.height() <= page.height() // 2 and page.viewport().geometry().top() <= page.height() // 2
    last = page.groups[keys[-1]]
    assert page.viewport().rect().intersects(QRect(last.mapTo(page.viewport(), QPoint(0, 0)), last.size()))
    # Shift+Tab from the first question still reaches the banner
    page.flag_screen.first_button().setFocus()
    qtbot.keyClick(focus(), Qt.Key_Backtab)
    assert focus() is page.banner
