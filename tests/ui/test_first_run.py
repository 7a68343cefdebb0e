"""The About box and a clinician's first minutes: an empty database explains what to do."""

from __future__ import annotations

from PySide6.QtCore import Qt

from radiculopathy_desktop.ui.about import DISCLAIMER, AboutDialog, guideline_versions


def test_about_shows_app_and_guideline_versions(window, qtbot):
    from radiculopathy_desktop import __version__
    qtbot.keyClick(window, Qt.Key_F1)
    dialogs = window.findChildren(AboutDialog)
    assert len(dialogs) == 1
    about = dialogs[0]
    qtbot.waitExposed(about)
    text = about.text.text()
    versions = guideline_versions()
    assert __version__ in text
    assert versions["us"] in text and versions["uk"] in text
    assert "PySide6" in text and str(window.context.data_dir) in text and "MIT" in text
    assert about.disclaimer.text() == DISCLAIMER and "does not replace clinical judgement" in DISCLAIMER
    qtbot.waitUntil(about.close_button.hasFocus)
    about.close()


def test_first_run_explains_and_starts_an_intake(empty_window, qtbot):
    worklist = empty_window.views["worklist"]
    assert worklist.body.currentWidget() is worklist.first_run
    assert worklist.first_run.isVisible() and not worklist.table.isVisible()
    assert not worklist.empty_label.isVisible()
    qtbot.mouseClick(worklist.first_run.intake_button, Qt.LeftButton)
    assert empty_window.stack.currentWidget() is empty_window.views["intake"]


def test_first_run_demo_opens_elsewhere_and_keeps_this_database_empty(empty_window, qtbot, monkeypatch):
    from radiculopathy_desktop.ui import app
    started = []
    monkeypatch.setattr(app, "start_demo_instance", lambda: started.append(True))
    worklist = empty_window.views["worklist"]
    qtbot.mouseClick(worklist.first_run.demo_button, Qt.LeftButton)
    assert started == [True]
    assert empty_window.context.store.case_count() == 0
    assert app.demo_command()[1][-1] == "--demo"


def test_a_filter_with_no_rows_says_so(window):
    worklist = window.views["worklist"]
    worklist.set_status_filter("snoozed")
    assert worklist.model.rowCount() == 0
    assert worklist.body.currentWidget() is worklist.table
    assert worklist.empty_label.isVisible()
    assert worklist.empty_label.text() == "No cases with this status."


def test_the_clinic_country_chosen_by_typing_on_the_first_run_panel_is_saved(empty_window, qtbot):
    """The first-run panel's country drop-down (built before the first paint, from ui/choice.py)
    works from the keyboard at once: its mnemonic reaches it, letters that start no choice
    change nothing, and a choice made by typing is saved, as one picked from the list is
    (the emergency number the handouts print comes from it)."""
    from radiculopathy_desktop.storage import clinic_settings

    store = empty_window.context.store
    panel = empty_window.views["worklist"].first_run
    box = panel.country
    start = box.currentData()
    qtbot.waitUntil(lambda: empty_window.isActiveWindow())
    qtbot.keyClick(empty_window, Qt.Key_C, Qt.AltModifier)  # "Your clinic's &country"
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, "zq")  # the start of no choice: nothing changes, and nothing is saved
    assert box.currentData() == start and "not the start of a choice" in box.toolTip()
    qtbot.keyClick(box, Qt.Key_Backspace)
    qtbot.keyClick(box, Qt.Key_Backspace)
    target = "eu" if start != "eu" else "uk"
    qtbot.keyClicks(box, {"eu": "Euro", "uk": "United K"}[target])
    assert box.currentData() == target
    qtbot.waitUntil(lambda: clinic_settings.clinic_country(store, empty_window.context.profile()).code == target)


def test_a_country_name_with_a_space_typed_into_the_drop_down_is_the_one_saved(empty_window, qtbot):
    """rt12 F6: typing "United States" chose and saved the United Kingdom (999, NHS 111): the
    space opened the list, so "United" had chosen the first match and the rest was lost. A
    space inside the typed name goes on with it; the last choice is the one saved."""
    from radiculopathy_desktop.storage import clinic_settings

    store = empty_window.context.store
    box = empty_window.views["worklist"].first_run.country
    labels = {box.itemData(i): box.itemText(i) for i in range(box.count())}
    two_words = [(code, label) for code, label in labels.items() if " " in label]
    assert two_words, "the country list holds a name of two words"
    for code, label in two_words:
        qtbot.waitUntil(lambda: empty_window.isActiveWindow())
        qtbot.keyClick(empty_window, Qt.Key_C, Qt.AltModifier)
        qtbot.waitUntil(box.hasFocus)
        qtbot.keyClicks(box, label)
        assert box.currentData() == code and not box.view().isVisible(), label
        qtbot.keyClick(box, Qt.Key_Tab)  # on to the next field: the next name is typed afresh
        qtbot.waitUntil(lambda: clinic_settings.clinic_country(store, empty_window.context.profile()).code == code)
