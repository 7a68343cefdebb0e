"""The window says once which patient IDs an upgrade kept apart as different people (fxc18
"Noticed, not done", H-FU-313).

m011 (id18) made the Turkish-layout I one letter in the patient key, so "PİD-9" (Ayşe, female,
1990) and "pid-9" (Bob, male, 1950), stored apart by schema 10, share a key. fxc18 kept them
apart as different people and named them in the audit (``patient_ids_kept_apart``) and in
``check --full``, but the window said nothing. Now the first open after the upgrade shows one
message naming the pairs, their cases and what to do; it is remembered in this workstation's
preferences (by tracker and audit entry), so it is not shown again here, while another
workstation (its own preferences) and another tracker still show theirs.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from radiculopathy_desktop.domain.intake import parse_case

from tests.helpers.schema_v5 import make_version_10

from .conftest import NO_FLAGS, TODAY, case_dict


def _people_file(data_dir):
    """A schema-10 tracker holding Ayşe under PİD-9 and Bob under pid-9, upgraded by opening it."""
    from radiculopathy_desktop.storage.store import CaseStore

    cases = []
    for cid, pid, name, born, sex in (("TA", "PİD-9", "Ayşe Yılmaz", "1990-01-01", "female"),
                                      ("TB", "pid-9", "Bob Jones", "1950-05-05", "male")):
        data = case_dict(pid, name, 10, red_flags=NO_FLAGS)
        data["case_id"] = cid
        data["patient"].update({"birth_date": born, "sex": sex})
        data["patient"].pop("age_years")
        cases.append(parse_case(data))
    with CaseStore.open(data_dir) as store:
        store.import_cases(cases[:1], user="dr.a")
        store.import_cases(cases[1:], user="dr.a")
        path = store.path
    make_version_10(path)
    return CaseStore.open(data_dir)  # m011 runs here and audits the pair


def _window(qtbot, store, data_dir):
    from radiculopathy_desktop.ui.context import AppContext
    from radiculopathy_desktop.ui.events import EventHub
    from radiculopathy_desktop.ui.main_window import MainWindow

    context = AppContext(store=store, hub=EventHub(), data_dir=data_dir, today=lambda: TODAY)
    w = MainWindow(context)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _notice(qtbot, window):
    qtbot.waitUntil(lambda: window.kept_apart_notice is not None and window.kept_apart_notice.isVisible())
    box = window.kept_apart_notice
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    return box


def test_the_first_open_after_the_upgrade_names_the_pair_once(qtbot, tmp_path):
    data_dir = tmp_path / "data"
    store = _people_file(data_dir)
    try:
        window = _window(qtbot, store, data_dir)
        box = _notice(qtbot, window)
        assert "• PİD-9 and pid-9 (cases TA, TB)" in box.text()
        assert "kept apart as different people" in box.text()
        assert "check --full" in box.informativeText() and "distinct patient ID" in box.informativeText()
        assert "Ayşe" not in box.text() + box.informativeText()  # IDs, not names
        qtbot.keyClick(box, Qt.Key_Return)  # OK
        qtbot.waitUntil(lambda: window.kept_apart_notice is None)
        window.close()
        # the next open on this workstation: not shown again
        again = _window(qtbot, store, data_dir)
        again._say_ids_kept_apart()
        assert again.kept_apart_notice is None
        again.close()
    finally:
        store.close()


def test_not_remembered_until_closed_and_another_tracker_says_its_own(qtbot, tmp_path):
    first_dir, other_dir = tmp_path / "one" / "data", tmp_path / "two" / "data"
    first, other = _people_file(first_dir), _people_file(other_dir)
    try:
        window = _window(qtbot, first, first_dir)
        _notice(qtbot, window)
        window.kept_apart_notice.hide()  # not answered (the window closed under it, a crash): not remembered
        window.kept_apart_notice.deleteLater()
        window.kept_apart_notice = None
        window.close()
        again = _window(qtbot, first, first_dir)
        qtbot.keyClick(_notice(qtbot, again), Qt.Key_Escape)
        qtbot.waitUntil(lambda: again.kept_apart_notice is None)
        again.close()
        elsewhere = _window(qtbot, other, other_dir)  # another tracker: its own pair, said once too
        assert "PİD-9 and pid-9" in _notice(qtbot, elsewhere).text()
        qtbot.keyClick(elsewhere.kept_apart_notice, Qt.Key_Return)
        qtbot.waitUntil(lambda: elsewhere.kept_apart_notice is None)
        elsewhere.close()
    finally:
        first.close()
        other.close()


def test_no_message_when_no_upgrade_kept_ids_apart(window, qtbot):
    window._say_ids_kept_apart()
    assert window.kept_apart_notice is None
