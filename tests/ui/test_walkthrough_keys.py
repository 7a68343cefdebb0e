"""What the keyboard walk-through of round ui13 found (a GP's intake of a new patient with a
red flag, a visit, a decision, a handout and an export, keys only), each driven by keys."""

from __future__ import annotations

from PySide6.QtCore import Qt

from radiculopathy_desktop.ui import main_window as main_window_module

from .keyboard import focus
from .window_steps import intake_first_step


def test_next_with_no_region_marked_puts_the_focus_where_space_ticks_one(window, qtbot):
    """Alt+N with the side chosen and no region: "Mark at least one region" and the focus on the
    region list. It landed on the list's bare container, which showed no focus and took no key:
    Space did nothing. Now it lands on the first region's box."""
    wiz, _page = intake_first_step(window, qtbot, "GP-0001", "Gail Practitioner")
    assert wiz.index == 1
    symptoms = wiz.page("symptoms")
    qtbot.keyClick(focus(), Qt.Key_L, Qt.AltModifier)  # Which leg
    qtbot.keyClick(focus(), Qt.Key_Right)
    qtbot.keyClick(focus(), Qt.Key_Space)
    assert symptoms.side.value() == "right"
    qtbot.keyClick(focus(), Qt.Key_N, Qt.AltModifier)
    assert wiz.index == 1
    assert symptoms.regions_error.isVisible() and "region" in symptoms.regions_error.text()
    first_code, first_box = next(iter(symptoms.checklist.boxes.items()))
    assert focus() is first_box
    qtbot.keyClick(focus(), Qt.Key_Space)
    assert first_box.isChecked() and first_code in symptoms.regions
    assert not symptoms.regions_error.isVisible()  # the error goes once answered
    qtbot.keyClick(focus(), Qt.Key_N, Qt.AltModifier)
    assert wiz.index == 2


def test_the_intake_already_open_message_is_shown_in_full_beside_start_over(window, qtbot):
    """The first wording was cut off ("... Noth") in the status bar, beside the user and tracker
    labels, at 1280 px: it is now also said in the intake, beside Start over, in full."""
    window.resize(1200, 760)
    qtbot.keyClick(window, Qt.Key_N, Qt.ControlModifier)
    wiz = window.views["intake"]
    qtbot.keyClicks(focus(), "GP-0002")
    qtbot.keyClick(window, Qt.Key_1, Qt.ControlModifier)
    qtbot.keyClick(window, Qt.Key_N, Qt.ControlModifier)
    assert window.statusBar().currentMessage() == main_window_module.INTAKE_ALREADY_OPEN
    note = wiz.draft_status
    assert note.isVisible() and note.text() == main_window_module.INTAKE_ALREADY_OPEN
    assert note.wordWrap()
    qtbot.waitUntil(lambda: note.heightForWidth(note.width()) <= note.height())  # once laid out: no line cut off
    assert wiz.pages[0].pid.text() == "GP-0002"
