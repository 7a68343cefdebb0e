"""Every Alt+letter in every window and dialog is unique and leads somewhere.

The test walks the main window (each section, each intake step, a patient and its
tabs, the menus) and every dialog (follow-up visit, decision, handout, lock settings,
switch user, the lock screen, about, backups' confirmation) and fails on:

* a duplicate: two visible labels or buttons with the same Alt+letter (the key then
  only cycles focus between them, or lands on the wrong one);
* a dead mnemonic: an underlined letter whose label has no field (buddy), or whose
  field is hidden, cannot take focus, or is disabled while its label is not;
* two visible fields with the same label.
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QGroupBox, QLabel, QMenu, QMenuBar, QTabBar,
                               QWidget)

from . import test_lock as lock_helpers  # the module, so its tests are not collected twice


def mnemonic(text: str) -> str | None:
    i = 0
    while True:
        i = text.find("&", i)
        if i < 0 or i + 1 >= len(text):
            return None
        if text[i + 1] == "&":
            i += 2
            continue
        return text[i + 1].upper()


def _rich(text: str) -> bool:
    from PySide6.QtGui import Qt as GuiQt
    return GuiQt.mightBeRichText(text)


def _label_mnemonic(label: QLabel) -> str | None:
    text = label.text()
    if label.textFormat() == Qt.RichText or (label.textFormat() == Qt.AutoText and _rich(text)):
        return None  # rich text: "&amp;" is an entity, and Qt gives rich labels no mnemonic
    return mnemonic(text)


def problems(top: QWidget) -> list[str]:
    """Duplicate and dead mnemonics among what ``top`` shows now."""
    seen: dict[str, list[str]] = defaultdict(list)
    out: list[str] = []
    for label in top.findChildren(QLabel):
        key = _label_mnemonic(label)
        if key is None or not label.isVisibleTo(top):
            continue
        buddy = label.buddy()
        name = f"label {label.text()!r}"
        if buddy is None:
            out.append(f"dead: {name} has no field (buddy)")
            continue
        if not buddy.isVisibleTo(top):
            out.append(f"dead: {name} leads to a hidden field")
        elif buddy.focusPolicy() == Qt.NoFocus and buddy.focusProxy() is None:
            out.append(f"dead: {name} leads to a field that cannot take focus")
        elif label.isEnabled() and not buddy.isEnabled():
            out.append(f"dead: {name} is enabled but its field is not")
        seen[key].append(name)
    for button in top.findChildren(QAbstractButton):
        key = mnemonic(button.text())
        if key is not None and button.isVisibleTo(top):
            seen[key].append(f"button {button.text()!r}")
    for box in top.findChildren(QGroupBox):
        key = mnemonic(box.title())
        if key is not None and box.isVisibleTo(top) and box.isCheckable():
            seen[key].append(f"group {box.title()!r}")
    for bar in top.findChildren(QTabBar):
        if bar.isVisibleTo(top):
            for i in range(bar.count()):
                key = mnemonic(bar.tabText(i))
                if key is not None and bar.isTabVisible(i):
                    seen[key].append(f"tab {bar.tabText(i)!r}")
    for bar in top.findChildren(QMenuBar):
        if (bar.isVisibleTo(top) or bar.parentWidget() is top) and bar.isEnabled():  # disabled while locked
            for action in bar.actions():
                key = mnemonic(action.text())
                if key is not None and action.isVisible():
                    seen[key].append(f"menu {action.text()!r}")
            for action in bar.actions():
                if action.menu() is not None:
                    out += menu_problems(action.menu())
    for key, names in seen.items():
        if len(names) > 1:
            out.append(f"duplicate Alt+{key}: " + ", ".join(names))
    # and no two visible field labels read the same (which "Notes" is this?)
    texts: dict[str, int] = defaultdict(int)
    for label in top.findChildren(QLabel):
        if label.buddy() is not None and label.isVisibleTo(top):
            texts[label.text().replace("&", "").strip().rstrip(":").casefold()] += 1
    out += [f"two fields labelled {text!r}" for text, n in texts.items() if n > 1]
    return out


def menu_problems(menu: QMenu) -> list[str]:
    seen: dict[str, list[str]] = defaultdict(list)
    for action in menu.actions():
        key = mnemonic(action.text())
        if key is not None and action.isVisible() and not action.isSeparator():
            seen[key].append(action.text())
    return [f"duplicate {key} in menu {menu.title()!r}: " + ", ".join(names)
            for key, names in seen.items() if len(names) > 1]


def _check(where: str, top: QWidget, found: list[str]) -> None:
    found += [f"{where}: {p}" for p in problems(top)]


def _shown(qtbot, dialog):
    qtbot.waitExposed(dialog)
    return dialog


def test_every_window_and_dialog_has_unique_live_mnemonics(window, qtbot, context, monkeypatch):
    found: list[str] = []
    for key in ("worklist", "patients", "guideline", "settings"):
        window.show_view(key)
        _check(f"main window, {key}", window, found)
    wiz = window.show_view("intake")
    for n, page in enumerate(wiz.pages):
        wiz._go(n)
        _check(f"intake step {n + 1} ({page.title})", window, found)
    sb = wiz.pages[4].start_back
    sb.set_mode("totals")
    _check("intake scores, STarT Back totals", window, found)
    sb.set_mode("answers")

    window.open_case("P-DUE-case")
    patient = window.patient_view
    for i in range(patient.tabs.count()):
        patient.tabs.setCurrentIndex(i)
        _check(f"patient, tab {patient.tabs.tabText(i)!r}", window, found)
    found += [f"patient Export menu: {p}" for p in menu_problems(patient.export_button.menu())]

    visit = _shown(qtbot, patient.add_visit())
    _check("follow-up visit", visit, found)
    visit.rescreen.setChecked(True)
    _check("follow-up visit, red flags re-screened", visit, found)
    visit.close()
    decision = _shown(qtbot, patient.record_decision())
    _check("decision", decision, found)
    decision.kind.buttons["continue_conservative_care"].setChecked(True)
    _check("decision, continue care", decision, found)
    decision.close()
    # the case page's correction dialogs (medfix, medfix2)
    medicines = _shown(qtbot, patient.edit_medicines())
    _check("edit medicines", medicines, found)
    medicines.done(0)
    conditions = _shown(qtbot, patient.edit_conditions())
    _check("edit conditions", conditions, found)
    conditions.done(0)
    handout = _shown(qtbot, patient.print_handout())
    _check("handout", handout, found)
    handout.close()

    about = _shown(qtbot, window.show_about())
    _check("about", about, found)
    about.close()
    lock_settings = _shown(qtbot, window.open_lock_settings())
    _check("lock settings", lock_settings, found)
    lock_settings.close()
    switch = _shown(qtbot, window.switch_user())
    _check("switch user", switch, found)
    switch.close()
    from radiculopathy_desktop.ui.backups_view import ConfirmDialog
    confirm = ConfirmDialog(window, "Restore this backup?", "The current database will be replaced.",
                            "&Restore the backup")
    confirm.show()
    _check("backups, confirm restore", _shown(qtbot, confirm), found)
    confirm.close()
    confirm.deleteLater()

    # the lock screen, once a passphrase is set
    lock_helpers.set_passphrase(window, qtbot).close()
    window.lock.lock("test")
    assert window.lock.locked
    _check("lock screen", window, found)
    lock_helpers.unlock(window, qtbot)
    assert not window.lock.locked
    assert not found, "\n".join(found)


def test_no_two_shortcuts_share_a_key(window):
    from PySide6.QtGui import QAction, QShortcut
    keys: dict[str, list[str]] = defaultdict(list)
    owners = [window] + window.findChildren(QWidget)
    for owner in owners:
        for action in owner.actions():
            for seq in action.shortcuts():
                keys[seq.toString()].append(action.text() or action.objectName())
    for shortcut in window.findChildren(QShortcut):
        keys[shortcut.key().toString()].append(f"shortcut on {type(shortcut.parent()).__name__}")
    keys.pop("", None)
    clashes = {k: v for k, v in keys.items() if len(set(v)) > 1 and len(v) > 1}
    assert not clashes, clashes
    assert "Ctrl+Shift+V" in keys and "Ctrl+Shift+D" in keys
    assert QAction  # imported for the type of window actions
